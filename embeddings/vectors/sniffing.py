"""Telling a vectors file's format from its first bytes (file names are only a hint).

word2vec text and binary share an ``N D`` header line; GloVe text has none; a fastText
model starts with its magic number (older ones without it are recognised by a ``.bin``
name and a plausible first count). Pickles and other non-vector content are refused.

Example
-------
>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "tiny.txt")
>>> _ = open(path, "w").write("the 0.1 0.2\\nnew york 0.3 0.4\\n")
>>> sniff_format(path)
('glove-text', None)
"""

from __future__ import annotations

import os
from pathlib import Path

from ..corpus.textio import InflateBudget, looks_binary
from ..errors import FormatError, UnsafeFileError
from .fasttext_header import FASTTEXT_MAGIC as _MAGIC
from .opening import close_stream, damaged_archive, open_stream
from .text_layout import text_layout

FASTTEXT_MAGIC = _MAGIC.to_bytes(4, "little")
SNIFF_BYTES = 64 << 10


def refuse_unsafe(head: bytes, what: str) -> None:
    """Raise UnsafeFileError or FormatError for content that is not a vectors file."""
    if len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5:
        raise UnsafeFileError(
            f"{what} is a Python pickle (for example a gensim .model or .kv file). The lab "
            "never unpickles uploaded files, because unpickling runs whatever code the file "
            "holds. Export the vectors as word2vec text or binary "
            "(KeyedVectors.save_word2vec_format) and load that instead."
        )
    if head.startswith(b"\x93NUMPY"):
        raise FormatError(
            f"{what} is a bare NumPy array without words; save the vectors in word2vec "
            "format instead."
        )
    if head.startswith(b"\x89HDF") or head.startswith(b"%PDF"):
        raise FormatError(f"{what} is not a word vectors file (HDF5 or PDF content).")


def sniff_format(
    path: str | os.PathLike, budget: InflateBudget | None = None
) -> tuple[str, str | None]:
    """(format, compression) of a vectors file, from its first bytes.

    Raises UnsafeFileError for pickles and FormatError for content that is no vectors
    format at all.
    """
    path = Path(path)
    stream, raw, compression = open_stream(path, budget or InflateBudget())
    try:
        with damaged_archive(path.name, compression):
            head = stream.read(SNIFF_BYTES)
    finally:
        close_stream(stream, raw)
    if not head:
        raise FormatError(f"{path.name} is empty.")
    refuse_unsafe(head, path.name)
    if head.startswith(FASTTEXT_MAGIC):
        return "fasttext-bin", compression
    first = head.split(b"\n", 1)[0].strip().split()
    if len(first) == 2 and all(f.isdigit() for f in first):
        dim = int(first[1])
        body = head.split(b"\n", 1)[1] if b"\n" in head else b""
        if _looks_like_text_rows(body, dim) or not looks_binary(body[:4096]):
            return "word2vec-text", compression
        return "word2vec-bin", compression
    if _looks_like_text_rows(head, None):
        return "glove-text", compression
    if path.suffix.lower() == ".bin" or path.name.lower().endswith((".bin.gz", ".bin.bz2")):
        if len(head) >= 8 and int.from_bytes(head[:4], "little") in range(1, 10_001):
            return "fasttext-bin", compression  # the older fastText layout (no magic)
    raise FormatError(
        f"{path.name} does not look like word vectors: expected word2vec text or binary, "
        "GloVe text (a word then numbers on each line) or a fastText .bin model."
    )


def _looks_like_text_rows(sample: bytes, dim: int | None) -> bool:
    """True when the complete lines of ``sample`` are a token followed by numbers."""
    lines = [ln for ln in sample.split(b"\n")[:-1] if ln.strip()][:50]
    if not lines:
        lines = [sample] if sample.strip() else []
    if not lines:
        return False
    try:
        layout = text_layout(lines, dim)
    except FormatError:
        return False
    return layout > 0
