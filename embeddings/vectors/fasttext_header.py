"""A bounded check of a Facebook fastText ``.bin`` model before gensim reads it.

gensim's reader trusts the file: it reads each word a byte at a time until a NUL byte
(a word without one makes it loop forever at the end of the file), and it allocates
whatever matrix the header declares. :func:`read_fasttext_layout` walks the same
layout with explicit bounds first (every count against the bytes the file has left,
every word NUL-terminated within :data:`MAX_WORD_BYTES`, the matrices' shapes against
the header and the file's size), so a file that passes is one gensim reads to the end
without surprises, and one that fails is a :class:`~embeddings.errors.FormatError` that
says where the file stops making sense.

The layout (fastText's ``FastText::saveModel``, native byte order, which is little-endian
on every machine the lab runs on):

- current layout only: magic ``793712314`` and version (two int32);
- arguments: ``dim ws epoch min_count neg word_ngrams loss model bucket minn maxn
  lr_update_rate`` (int32 each) and ``t`` (float64); the older layout has no magic and
  starts directly with ``dim ws``;
- dictionary: ``size nwords nlabels`` (int32), ``ntokens`` (int64), and in the current
  layout ``pruneidx_size`` (int64); then per entry the word's bytes, a NUL, its count
  (int64) and its type (int8: 0 word, 1 label); then ``pruneidx_size`` pairs of int32;
- the input matrix: a ``quant`` flag (int8, current layout only), ``rows cols`` (int64)
  and rows x cols float32 values, rows being ``nwords + bucket``;
- the output matrix, in the same way.

Example
-------
>>> from embeddings.corpus.bundled import gensim_data           # doctest: +SKIP
>>> layout = read_fasttext_layout(gensim_data("lee_fasttext_new.bin"))  # doctest: +SKIP
>>> layout.dim, layout.nwords, layout.bucket                     # doctest: +SKIP
(10, 1762, 1000)
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path

from ..errors import FormatError
from .row_collector import MAX_DIM, MAX_WORD_BYTES

FASTTEXT_MAGIC = 793712314
MAX_NGRAM = 64  # character n-gram lengths; the reference uses 3..6
WORD_OVERHEAD_BYTES = 600  # gensim's raw vocab, key index, counts and n-gram hashes per word
ENTRY_MIN_BYTES = 1 + 8 + 1  # NUL, count, type: an entry is at least this long
_ARGS_CURRENT = struct.Struct("<12id")
_ARGS_OLDER = struct.Struct("<10id")  # after dim and ws
_READ_BYTES = 1 << 20


@dataclass(frozen=True)
class FastTextLayout:
    """What the header and dictionary of a checked fastText ``.bin`` declare.

    ``current_layout`` says whether the file starts with the magic number;
    ``word_bytes`` is the total length of the words (for memory estimates).
    """

    current_layout: bool
    dim: int
    bucket: int
    minn: int
    maxn: int
    vocab_size: int
    nwords: int
    ntokens: int
    word_bytes: int
    file_bytes: int

    @property
    def input_rows(self) -> int:
        """Rows of the input matrix: one per word, then one per n-gram bucket."""
        return self.nwords + self.bucket

    def memory_estimate(self) -> int:
        """Bytes gensim needs at its peak to load this model.

        The input matrix ((words + buckets) x dim float32) is read whole and then split
        into word and n-gram parts, and the words' full vectors are composed beside
        them, so the matrix counts twice and the word rows once more; each word also
        holds its n-gram hashes and vocabulary entries (:data:`WORD_OVERHEAD_BYTES`).
        """
        row = 4 * self.dim
        return int(
            2 * self.input_rows * row
            + self.nwords * (row + WORD_OVERHEAD_BYTES)
            + 2 * self.word_bytes
        )


class _Reader:
    """Sequential reads of a file with the offset and the bytes left always known."""

    def __init__(self, fh, size: int, what: str):
        self.fh = fh
        self.size = size
        self.what = what
        self.buf = b""
        self.pos = 0  # in buf
        self.offset = 0  # in the file, of buf[pos]

    @property
    def left(self) -> int:
        return self.size - self.offset

    def _fill(self, need: int) -> None:
        if len(self.buf) - self.pos >= need:
            return
        more = self.fh.read(max(need, _READ_BYTES))
        self.buf = self.buf[self.pos :] + more
        self.pos = 0

    def take(self, n: int, field: str) -> bytes:
        if n > self.left:
            raise FormatError(
                f"{self.what} is cut short: it ends at byte {self.size:,}, inside the {field}"
                " (a damaged or truncated fastText .bin model)."
            )
        self._fill(n)
        out = self.buf[self.pos : self.pos + n]
        if len(out) < n:  # the file shrank while it was read
            raise FormatError(f"{self.what} changed while it was read.")
        self.pos += n
        self.offset += n
        return out

    def unpack(self, fmt: struct.Struct | str, field: str) -> tuple:
        fmt = fmt if isinstance(fmt, struct.Struct) else struct.Struct(fmt)
        return fmt.unpack(self.take(fmt.size, field))

    def word(self, index: int) -> int:
        """Skip one NUL-terminated word; return its length in bytes."""
        bound = min(MAX_WORD_BYTES + 1, self.left)
        self._fill(bound)
        end = self.buf.find(b"\0", self.pos, self.pos + bound)
        if end < 0:
            if bound <= MAX_WORD_BYTES:
                raise FormatError(
                    f"{self.what}: word {index + 1:,} of the dictionary has no end (no NUL"
                    " byte before the end of the file); the fastText .bin model is damaged."
                )
            raise FormatError(
                f"{self.what}: word {index + 1:,} of the dictionary is longer than "
                f"{MAX_WORD_BYTES:,} bytes; the fastText .bin model is damaged."
            )
        length = end - self.pos
        self.pos = end + 1
        self.offset += length + 1
        return length

    def skip(self, n: int, field: str) -> None:
        if n > self.left:
            self.take(n, field)  # raises the cut-short error
        self.offset += n
        self.buf, self.pos = b"", 0
        self.fh.seek(self.offset)


def _damaged(what: str, detail: str) -> FormatError:
    return FormatError(f"{what} is not a readable fastText .bin model ({detail}).")


def read_fasttext_layout(path: str | os.PathLike, what: str | None = None) -> FastTextLayout:
    """Check the whole structure of a fastText ``.bin`` file with bounded reads.

    Reads the header and every dictionary entry (never more than
    :data:`MAX_WORD_BYTES` per word) and seeks over the matrices after checking their
    shapes against the header and their bytes against the file's size.

    Parameters
    ----------
    path : path-like
        An uncompressed ``.bin`` file.
    what : str, optional
        How messages name the file (default: its name).

    Raises
    ------
    FormatError
        The file is cut short, declares counts it cannot hold, has a word without an
        end, is a classifier (labels) or a quantized model, or has bytes after its end.
    """
    path = Path(path)
    what = what or path.name
    size = path.stat().st_size
    with open(path, "rb") as fh:
        r = _Reader(fh, size, what)
        first, second = r.unpack("<2i", "header")
        current = first == FASTTEXT_MAGIC
        if current:
            (dim, _ws, _epoch, _min_count, _neg, _ngrams, _loss, model, bucket, minn, maxn) = (
                r.unpack(_ARGS_CURRENT, "header")[:11]
            )
        else:
            dim = first
            (_epoch, _min_count, _neg, _ngrams, _loss, model, bucket, minn, maxn) = r.unpack(
                _ARGS_OLDER, "header"
            )[:9]
        if not 1 <= dim <= MAX_DIM:
            raise _damaged(what, f"its header declares dim={dim:,}")
        if not (0 <= minn <= MAX_NGRAM and 0 <= maxn <= MAX_NGRAM):
            raise _damaged(what, f"its header declares n-grams of {minn}..{maxn} characters")
        if bucket < 0 or bucket * dim * 4 > size:
            raise _damaged(
                what,
                f"its header declares dim={dim}, bucket={bucket:,}, which a {size:,}-byte file"
                " cannot hold",
            )
        vocab_size, nwords, nlabels = r.unpack("<3i", "dictionary header")
        (ntokens,) = r.unpack("<q", "dictionary header")
        prune = r.unpack("<q", "dictionary header")[0] if current else 0
        if nlabels > 0 or model == 3:
            raise FormatError(
                f"{what}: a supervised fastText model with {nlabels:,} labels (this is a"
                " classifier, not word vectors)."
            )
        if nlabels < 0 or nwords < 1 or vocab_size != nwords + nlabels or ntokens < 0:
            raise _damaged(
                what,
                f"its dictionary declares {vocab_size:,} entries, {nwords:,} words and"
                f" {nlabels:,} labels",
            )
        if vocab_size * ENTRY_MIN_BYTES > r.left:
            raise _damaged(
                what, f"{vocab_size:,} dictionary entries cannot fit in a {size:,}-byte file"
            )
        word_bytes = 0
        for i in range(vocab_size):
            word_bytes += r.word(i)
            count, kind = r.unpack("<qb", f"dictionary entry {i + 1:,}")
            if count < 0 or kind != 0:
                raise _damaged(what, f"dictionary entry {i + 1:,} has count {count} type {kind}")
        if prune < -1 or prune * 8 > r.left:
            raise _damaged(what, f"its dictionary declares {prune:,} pruned entries")
        r.skip(max(prune, 0) * 8, "pruned-entry table")
        for name, rows_expected in (("input matrix", nwords + bucket), ("output matrix", None)):
            if current and r.unpack("<b", name)[0] != 0:
                raise FormatError(
                    f"{what} is a quantized fastText model (.ftz); only full .bin models load."
                )
            rows, cols = r.unpack("<2q", name)
            if cols != dim or rows < 0 or (rows_expected is not None and rows != rows_expected):
                raise _damaged(
                    what,
                    f"its {name} is {rows:,} x {cols:,}; the header implies"
                    f" {rows_expected if rows_expected is not None else 'N'} x {dim}",
                )
            r.skip(rows * cols * 4, name)
        if r.left:
            raise _damaged(what, f"{r.left:,} unexpected bytes after the model's end")
    return FastTextLayout(
        current_layout=current,
        dim=dim,
        bucket=bucket,
        minn=minn,
        maxn=maxn,
        vocab_size=vocab_size,
        nwords=nwords,
        ntokens=ntokens,
        word_bytes=word_bytes,
        file_bytes=size,
    )


__all__ = ["FastTextLayout", "read_fasttext_layout", "FASTTEXT_MAGIC"]
