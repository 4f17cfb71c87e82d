"""Recognising text vector rows: a token (which may hold spaces) followed by numbers.

Used to sniff GloVe text (no header line) and to find its dimension before parsing.

Example
-------
>>> text_layout([b"the 0.1 0.2", b"new york 0.3 0.4"], None)
2
"""

from __future__ import annotations

from collections import Counter

from ..errors import FormatError


def is_number(field: bytes) -> bool:
    """Whether ``field`` reads as a float (as NumPy's text reader would take it)."""
    try:
        float(field)
    except ValueError:
        return False
    return True


def _trailing_numbers(line: bytes) -> tuple[int, int]:
    """(number of fields, number of trailing fields that read as numbers)."""
    fields = line.split()
    n = 0
    for f in reversed(fields):
        if not is_number(f):
            break
        n += 1
    return len(fields), n


def text_layout(lines: list[bytes], dim: int | None) -> int:
    """The vector dimension of text rows ``lines`` (a token, then numbers).

    With ``dim`` given (from a header) every line must end in ``dim`` numbers after a
    token. Without, the dimension is the most common count of trailing numbers; a token
    may itself contain spaces or look like a number, so only lines with more fields
    than that count vote against it. Raises FormatError when the lines are not vectors.
    """
    stats = [_trailing_numbers(ln) for ln in lines if ln.strip()]
    if not stats:
        raise FormatError("no rows")
    if dim is None:
        dim = Counter(min(n, total - 1) for total, n in stats).most_common(1)[0][0]
    if dim < 1:
        raise FormatError("rows hold no numbers")
    bad = sum(1 for total, n in stats if total < dim + 1 or n < dim)
    if bad:
        raise FormatError(f"{bad} of {len(stats)} rows are not a token and {dim} numbers")
    return dim
