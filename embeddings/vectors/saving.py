"""Writing vectors out in the interchange formats (word2vec text and binary).

gensim's ``save_word2vec_format`` writes to a path; :func:`word2vec_bytes` wraps it in a
temporary file so the app can serve the bytes from a download callable.
"""

from __future__ import annotations

import os
import tempfile


def word2vec_bytes(kv, binary: bool = False) -> bytes:
    """The vectors of ``kv`` in word2vec format (``N D`` header, then one row per word)."""
    fd, path = tempfile.mkstemp(suffix=".bin" if binary else ".txt")
    os.close(fd)
    try:
        kv.save_word2vec_format(path, binary=binary, write_header=True)
        with open(path, "rb") as fh:
            return fh.read()
    finally:
        os.unlink(path)
