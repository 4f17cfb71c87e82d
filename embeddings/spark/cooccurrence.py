"""GloVe co-occurrence counts on Spark: the local counter's numbers, from RDD operations.

:func:`spark_cooccurrences` returns the same :class:`~embeddings.corpus.cooccurrence.Cooccurrence`
as :func:`~embeddings.corpus.cooccurrence.count_cooccurrences`: the same vocabulary (ids
are frequency ranks, ties in order of first appearance, ``min_count``/``max_vocab``/
``vocabulary`` handled the same way), out-of-vocabulary words dropped before windowing,
pairs never crossing a sentence line, ``1/d`` or 1 per pair, and the same
centre-and-left-context bookkeeping: ``L[w, c]`` sums the pairs whose context ``c`` stands
before ``w``; the symmetric matrix is ``L + L.T``, left-only ``L``, right-only ``L.T``.

How it runs: each partition turns its sentences into word ids (the vocabulary is
broadcast), builds every (centre, left context) pair of a batch of sentences with numpy,
in the local counter's order (position by position, nearest context first), and sums
equal pairs; ``reduceByKey`` adds the partitions' sums. Values are float64 until the
final float32 matrix, as locally; only the order in which partial sums of one pair are
added differs across partitions (float64 rounding, far below what float32 keeps).

Example
-------
>>> with start_spark("local[2]") as engine:                       # doctest: +SKIP
...     co = spark_cooccurrences(engine, "chapter.txt", window=1, weighting="count",
...                              tokenizer="whitespace")
>>> co.table(["I", "like", "enjoy"]).tolist()                     # doctest: +SKIP
[[0.0, 2.0, 1.0], [2.0, 0.0, 0.0], [1.0, 0.0, 0.0]]
"""

from __future__ import annotations

import operator
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from ..corpus.cooccurrence import Cooccurrence, check_counting_options, chosen_vocabulary
from ..errors import CorpusError
from ..progress import CancelToken, ProgressCallback
from .corpus import read_sentences, spark_vocabulary
from .jobs import SparkRun
from .transfer import iter_batches

BATCH_TOKENS = 200_000


class CountPairs:
    """Executor function: sentences -> ``(centre * V + left_context, weighted count)``.

    Each key appears once per batch of about :data:`BATCH_TOKENS` tokens.
    """

    def __init__(self, vocab, window: int, harmonic: bool):
        self.vocab = vocab  # a broadcast dict word -> id
        self.window = window
        self.harmonic = harmonic

    def __call__(self, sentences: Iterator[list[str]]):
        vocab = self.vocab.value
        ids: list[int] = []
        lines: list[int] = []
        line = 0
        for tokens in sentences:
            known = [vocab[t] for t in tokens if t in vocab]
            ids.extend(known)
            lines.extend([line] * len(known))
            line += 1
            if len(ids) >= BATCH_TOKENS:
                yield from self._pairs(ids, lines, len(vocab))
                ids, lines = [], []
        if ids:
            yield from self._pairs(ids, lines, len(vocab))

    def _pairs(self, ids: list[int], lines: list[int], size: int):
        word = np.asarray(ids, dtype=np.int64)
        line = np.asarray(lines, dtype=np.int64)
        n, window = len(word), self.window
        # keys[p, d-1]: centre p with the context d places to its left (-1: none); the
        # row-major order is the local counter's order (by position, nearest first)
        keys = np.full((n, window), -1, dtype=np.int64)
        weights = np.zeros((n, window), dtype=np.float64)
        for d in range(1, min(window, n - 1) + 1):
            same = line[d:] == line[:-d]
            keys[d:, d - 1] = np.where(same, word[d:] * size + word[:-d], -1)
            weights[d:, d - 1] = 1.0 / d if self.harmonic else 1.0
        valid = keys.ravel() >= 0
        flat_keys = keys.ravel()[valid]
        if not len(flat_keys):
            return
        unique, inverse = np.unique(flat_keys, return_inverse=True)
        sums = np.bincount(inverse, weights=weights.ravel()[valid], minlength=len(unique))
        yield from zip(unique.tolist(), sums.tolist(), strict=True)


class Transpose:
    """Executor function: the key of ``(c, w)`` for the key of ``(w, c)``."""

    def __init__(self, size: int):
        self.size = size

    def __call__(self, key: int) -> int:
        return (key % self.size) * self.size + key // self.size


class BothWays:
    """Executor function: a pair and its transpose (for ``L + L.T``)."""

    def __init__(self, size: int):
        self.transpose = Transpose(size)

    def __call__(self, item):
        key, value = item
        return [(key, value), (self.transpose(key), value)]


def spark_cooccurrences(
    engine,
    corpus: str | Path,
    window: int = 10,
    weighting: str = "harmonic",
    direction: str = "both",
    min_count: int = 1,
    max_vocab: int | None = None,
    vocabulary: list[str] | None = None,
    tokenizer: str = "whitespace",
    partitions: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> Cooccurrence:
    """Count co-occurrences of a corpus on Spark (the arguments of ``count_cooccurrences``).

    Parameters
    ----------
    engine : SparkEngine
        From :func:`embeddings.spark.session.start_spark`.
    corpus : str or Path
        Text, one document (or sentence) per line, at a local path or a URI Spark reads.
    window, weighting, direction, min_count, max_vocab, vocabulary
        As in :func:`embeddings.corpus.cooccurrence.count_cooccurrences`.
    tokenizer : {"whitespace", "simple", "korean"}
        Applied on the executors; ``whitespace`` (the default) reads a sentence file as
        the local counter does.
    partitions : int, optional
        Minimum number of input partitions.
    progress, cancel
        Spark task progress (stage ``"spark"``) and cancellation of the run's job group.

    Returns
    -------
    Cooccurrence
        Equal to the local counter's result on the same sentences.
    """
    check_counting_options(weighting, direction, window)
    sentences = read_sentences(engine, corpus, tokenizer, partitions).persist()
    try:
        with SparkRun(engine, "co-occurrence counts", progress, cancel) as run:
            run.phase = "vocabulary"
            limit = 1 if vocabulary is not None else min_count
            words, counts, tokens, _ = spark_vocabulary(sentences, limit, max_vocab)
            if tokens == 0:
                raise CorpusError(
                    f"No tokens found in {corpus}: the text is empty, or the tokenizer removed "
                    "everything (try another tokenizer, or check the encoding)."
                )
            words, counts = chosen_vocabulary(words, counts, vocabulary, min_count)
            run.check()
            run.phase = "counting pairs"
            size = len(words)
            vocab = engine.sc.broadcast({w: i for i, w in enumerate(words)})
            left = sentences.mapPartitions(CountPairs(vocab, window, weighting == "harmonic"))
            left = left.reduceByKey(operator.add)
            if direction == "both":
                pairs = left.flatMap(BothWays(size)).reduceByKey(operator.add)
            elif direction == "right":
                transpose = Transpose(size)
                pairs = left.map(lambda item: (transpose(item[0]), item[1]))
            else:
                pairs = left
            frame = engine.session.createDataFrame(pairs, "key long, value double")
            run.phase = "collecting the matrix"
            matrix = _collect_matrix(engine, frame, size)
            vocab.unpersist()
    finally:
        sentences.unpersist()
    return Cooccurrence(matrix, words, counts, window, weighting, direction, tokens)


def _collect_matrix(engine, frame, size: int) -> sp.csr_matrix:
    """The ``size x size`` float32 CSR matrix of ``(key, value)`` rows, read in slices."""
    keys, values = [], []
    for batch in iter_batches(engine, frame):
        keys.append(batch.column("key").to_numpy())
        values.append(batch.column("value").to_numpy())
    key = np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64)
    value = np.concatenate(values) if values else np.zeros(0, dtype=np.float64)
    matrix = sp.csr_matrix((value, (key // size, key % size)), shape=(size, size))
    matrix = sp.csr_matrix(matrix, dtype=np.float32)
    matrix.sort_indices()
    matrix.indices = matrix.indices.astype(np.int32, copy=False)
    matrix.indptr = matrix.indptr.astype(np.int32, copy=False)
    return matrix
