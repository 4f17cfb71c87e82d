"""Reproducible training: the same corpus and parameters give the same vectors, bit for bit.

gensim's training with several worker threads is not deterministic: the threads take
batches in whatever order they finish, so two trainings of the same default model gave
WordSim-353 Spearman 0.258 and 0.275. Reproducible mode trains with one worker (the
batches in corpus order; GloVe's epochs run serially too), the parameters' fixed
``seed``, and a string hash that is the same in every process. Python's ``hash`` of a
string is salted per process unless ``PYTHONHASHSEED`` is set; gensim 4.4 seeds its
initial vectors from ``seed`` alone, but keeps ``hashfxn`` for per-word seeding
(``pseudorandom_weak_vector(seed_string=...)``), so a stable one is passed all the same.
The price is speed: one core instead of all.

>>> stable_hash("1france") == stable_hash("1france")
True
>>> reproducible_params(make_params("word2vec", workers=4)).workers  # doctest: +SKIP
1
"""

from __future__ import annotations

import dataclasses
import zlib


def stable_hash(text: str) -> int:
    """A 32-bit hash of ``text`` that is the same in every process (CRC-32 of its UTF-8).

    >>> stable_hash("france")
    1587946932
    """
    return zlib.crc32(text.encode("utf-8"))


def reproducible_params(params):
    """``params`` (a params dataclass) with one worker thread; the seed is kept."""
    return dataclasses.replace(params, workers=1)


REPRODUCIBLE_NOTE = "one worker thread, fixed seed, a process-independent string hash"
