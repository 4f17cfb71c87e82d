"""Row parsers behind :mod:`embeddings.vectors.loading`: word2vec binary and text, GloVe text.

Rows are read in blocks of a megabyte. Each block's numbers are parsed by NumPy's C
text reader (or taken straight from the bytes for binary files) into one float32 array;
:class:`~.row_collector.RowCollector` decodes the words, drops duplicates and empty
tokens, counts words with broken UTF-8 and joins the blocks once at the end.

Bounds, so that a hostile file costs time and memory linear in its size and fails early:
a word is at most :data:`~.row_collector.MAX_WORD_CHARS` characters (its bytes), a
number at most :data:`MAX_NUMBER_BYTES` bytes, so a text line is at most
:func:`max_line_bytes` of its dimension; the unfinished line carried from one block to
the next is never longer than that, so no byte is copied more than a bounded number of
times. A row past a bound is a :class:`~embeddings.errors.FormatError` naming its line.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np

from ..errors import FormatError
from .row_collector import MAX_WORD_BYTES, RowCollector, word_too_long
from .text_layout import is_number, text_layout

BLOCK_BYTES = 1 << 20  # small blocks keep the transient memory small
BLOCK_ROWS = 8192  # rows handed to the collector at once (binary files)...
BLOCK_MATRIX_BYTES = 4 << 20  # ...at most this many bytes of numbers
MAX_NUMBER_BYTES = 64  # a float32 needs 9 significant digits; float64 text 25 characters


def max_line_bytes(dim: int) -> int:
    """The longest text line a row of ``dim`` numbers may have: a word, then numbers."""
    return MAX_WORD_BYTES + dim * (MAX_NUMBER_BYTES + 1) + 1


def _read_header(stream, what: str) -> tuple[int, int]:
    line = stream.readline(4096)
    fields = line.split()
    if len(fields) != 2 or not all(f.isdigit() for f in fields):
        raise FormatError(f"{what}: the first line should be 'rows dimension', not {line[:60]!r}.")
    return int(fields[0]), int(fields[1])


def _check_count(collector: RowCollector, declared: int) -> None:
    if collector.limit is None and collector.rows_read != declared:
        collector.warnings.append(
            f"The header promised {declared:,} rows but the file holds {collector.rows_read:,};"
            " all rows present were loaded."
        )


def _parse_numbers(nums: list[bytes], words: list[bytes], dim: int, what: str, first_line: int):
    try:
        arr = np.loadtxt(io.BytesIO(b"\n".join(nums)), dtype=np.float32, comments=None, ndmin=2)
    except ValueError:
        arr = None
    if arr is not None and arr.shape == (len(nums), dim):
        return arr
    for i, (word, row) in enumerate(zip(words, nums, strict=True)):
        fields = row.split()
        bad = next((f for f in fields if not is_number(f)), None)
        if bad is not None or len(fields) != dim:
            problem = (
                f"cannot read {bad[:30].decode('utf-8', 'replace')!r} as a number"
                if bad is not None
                else f"{len(fields)} values instead of {dim}"
            )
            raise FormatError(
                f"{what}, line {first_line + i:,} (word {word[:40].decode('utf-8', 'replace')!r}):"
                f" {problem}."
            )
    raise FormatError(f"{what}: rows from line {first_line:,} could not be read.")


def _capacity(declared: int, dim: int, file_bytes: int | None, min_row_bytes: int) -> int | None:
    """``declared`` rows if a file of ``file_bytes`` can hold them, else None (unknown)."""
    if file_bytes is None or declared * min_row_bytes > file_bytes:
        return None
    return declared


def parse_text_rows(
    stream, what: str, header: bool, limit, encoding, tick: Callable, file_bytes=None, sink=None
) -> RowCollector:
    """Rows of a word2vec text file (``header=True``) or a GloVe file (no header).

    ``tick(collector)`` is called after each block (for progress, cancelling and the
    memory budget: see :meth:`RowCollector.check_budget`).
    """
    declared = None
    line_no = 1
    if header:
        declared, dim = _read_header(stream, what)
        line_no = 2
        pending = b""
    else:
        pending = stream.read(BLOCK_BYTES)
        sample = [ln for ln in pending.split(b"\n")[:200] if ln.strip()][:-1] or [pending]
        try:
            dim = text_layout(sample, None)
        except FormatError as exc:
            raise FormatError(f"{what} is not GloVe-style text vectors ({exc}).") from None
    capacity = _capacity(declared, dim, file_bytes, 2 * dim + 1) if declared else None
    collector = RowCollector(what, dim, encoding, limit, capacity, sink)
    longest = max_line_bytes(dim)
    eof = False
    while not eof and not collector.full:
        chunk = stream.read(BLOCK_BYTES)
        eof = not chunk
        data = pending + chunk  # pending is at most one line: a bounded copy per block
        lines = data.split(b"\n")
        pending = b"" if eof else lines.pop()
        if len(pending) > longest:
            _line_too_long(what, line_no + len(lines), pending, dim)
        if b"\t" in data:
            lines = [ln.replace(b"\t", b" ") for ln in lines]
        words, nums, first = [], [], line_no
        for line in lines:
            line_no += 1
            line = line.rstrip()
            if not line:
                continue
            if len(line) > longest:
                _line_too_long(what, line_no - 1, line, dim)
            if line.count(b" ") == dim and not line.startswith(b" "):
                cut = line.index(b" ")
                word = line[:cut]
                rest = line[cut + 1 :]
            else:
                fields = line.split(b" ")
                if len(fields) < dim + 1:
                    raise FormatError(
                        f"{what}, line {line_no - 1:,}: {len(fields) - 1} values instead of {dim}."
                    )
                word = b" ".join(fields[:-dim])
                rest = b" ".join(fields[-dim:])
            if len(word) > MAX_WORD_BYTES:
                raise word_too_long(what, line_no - 1, word)
            words.append(word)
            nums.append(rest)
        if words:
            collector.add(words, _parse_numbers(nums, words, dim, what, first), first)
        tick(collector)
    if declared is not None:
        _check_count(collector, declared)
    return collector


def _line_too_long(what: str, line_no: int, line: bytes, dim: int) -> None:
    """Raise the FormatError for a line longer than a row of ``dim`` numbers can be."""
    space = line.find(b" ", 0, MAX_WORD_BYTES + 1)
    if space < 0:
        raise word_too_long(what, line_no, line)
    raise FormatError(
        f"{what}, line {line_no:,}: longer than {max_line_bytes(dim):,} bytes, more than a"
        f" word and {dim:,} numbers can take; the file is damaged (or its line ends are"
        " missing)."
    )


def parse_binary_rows(
    stream, what: str, limit, encoding, tick: Callable, file_bytes=None, sink=None
) -> RowCollector:
    """Rows of a word2vec binary file: ``word`` + space + ``dim`` float32 values.

    ``tick(collector)`` is called after each block of rows, as in :func:`parse_text_rows`.

    A word may be preceded by the newline some writers put after each row; the space
    after it must come within :data:`MAX_WORD_BYTES`, so the buffer never holds more
    than one row and a block.
    """
    from .binary_scan import scan_rows, split_words

    declared, dim = _read_header(stream, what)
    capacity = _capacity(declared, dim, file_bytes, 4 * dim + 2)
    collector = RowCollector(what, dim, encoding, limit, capacity, sink)
    width = 4 * dim
    reach = MAX_WORD_BYTES + 2  # the newline before a word, the word, the space
    buf = b""
    pos = 0
    eof = False
    row = 0
    while row < declared and not collector.full:
        # the block's matrix is allocated before its rows are read: its size is bounded
        # by bytes, not by what the header promises
        want = min(BLOCK_ROWS, declared - row, max(1, BLOCK_MATRIX_BYTES // width))
        vectors = np.empty((want, width), dtype=np.uint8)
        lengths = np.empty(want, dtype=np.int64)
        words: list[bytes] = []
        first = row + 2
        while len(words) < want:
            scratch = np.empty(len(buf) + 1, dtype=np.uint8)
            got, pos, _, status = scan_rows(
                np.frombuffer(buf, dtype=np.uint8),
                pos,
                width,
                reach,
                want - len(words),
                vectors[len(words) :],
                scratch,
                lengths[len(words) :],
            )
            words.extend(split_words(scratch, lengths[len(words) :], got))
            row += got
            if status == 2:
                raise word_too_long(what, row + 2, buf[pos : pos + reach].lstrip(b"\n"))
            if status == 1 or eof:
                break
            chunk = stream.read(BLOCK_BYTES)
            eof = not chunk
            buf = buf[pos:] + chunk
            pos = 0
        if words:
            block = vectors[: len(words)].view("<f4")
            collector.add(words, block, first)
            tick(collector)
        if len(words) < want:
            break  # the file ended early
    if collector.limit is None and row < declared:
        collector.warnings.append(
            f"The header promised {declared:,} rows but the file ends after {row:,};"
            " the complete rows were loaded."
        )
    return collector
