"""The row scan of word2vec binary files, compiled: each row is a word, a space and
``dim`` float32 values, so finding where rows start means walking the file row by row.

A Python loop spent about a microsecond a row on it (finding the space, cutting the
word and the numbers out, two list appends, one join): seconds at millions of words.
This loop (numba, cached on disk, the GIL released) copies a buffer's rows into a
block's matrix and its words into one newline-separated buffer, so the caller makes the
words with one ``split``.
"""

from __future__ import annotations

import numba
import numpy as np

NEWLINE, SPACE = 10, 32


@numba.njit(cache=True, nogil=True)
def scan_rows(buf, pos, width, reach, max_rows, vectors, words, lengths):
    """Rows of ``buf`` (uint8) from ``pos``, while whole rows remain, at most ``max_rows``.

    Row ``r``'s word (newlines before it dropped) goes to ``words``, followed by a
    newline, and its length to ``lengths[r]``; its ``width`` bytes of numbers go to
    ``vectors[r]``. Returns ``(rows, pos, word_bytes, status)`` with ``pos`` the first
    byte not read and ``status`` 0 when the buffer ends inside a row, 1 when
    ``max_rows`` rows were read, 2 when no space comes within ``reach`` bytes.
    """
    n = len(buf)
    rows = 0
    used = 0
    while rows < max_rows:
        space = -1
        for i in range(pos, min(n, pos + reach)):
            if buf[i] == SPACE:
                space = i
                break
        if space < 0:
            return rows, pos, used, 2 if n - pos >= reach else 0
        if n < space + 1 + width:
            return rows, pos, used, 0
        start = pos
        while start < space and buf[start] == NEWLINE:
            start += 1
        for i in range(start, space):
            words[used] = buf[i]
            used += 1
        words[used] = NEWLINE
        used += 1
        lengths[rows] = space - start
        vectors[rows, :] = buf[space + 1 : space + 1 + width]
        pos = space + 1 + width
        rows += 1
    return rows, pos, used, 1


def split_words(words: np.ndarray, lengths: np.ndarray, rows: int) -> list[bytes]:
    """The ``rows`` words :func:`scan_rows` wrote, as bytes.

    >>> w = np.frombuffer(b"the\\ncat\\n", np.uint8)
    >>> split_words(w, np.array([3, 3]), 2)
    [b'the', b'cat']
    """
    if not rows:
        return []
    lengths = lengths[:rows]
    found = words[: int(lengths.sum()) + rows - 1].tobytes().split(b"\n")
    if len(found) == rows:
        return found
    ends = np.cumsum(lengths + 1) - 1  # a word held a newline: cut by the lengths
    data = words.tobytes()
    return [
        data[end - size : end] for end, size in zip(ends.tolist(), lengths.tolist(), strict=True)
    ]


def compile_kernel() -> None:
    """Compile (or load from the on-disk cache) the scan ahead of a first import."""
    buf = np.frombuffer(b"a " + bytes(4), np.uint8)
    scan_rows(
        buf,
        0,
        4,
        8,
        1,
        np.empty((1, 4), np.uint8),
        np.empty(8, np.uint8),
        np.empty(1, np.int64),
    )
