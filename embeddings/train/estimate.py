"""How much memory a training needs and how large the stored model will be, before it runs.

:func:`train_model` checks :func:`estimate_training_memory` against the memory budget
(:func:`embeddings.budget.check_memory`) before anything is allocated, and the Train page
shows the same numbers before the user starts. The figures are the arrays the trainers
allocate plus per-word and per-entry costs calibrated with :mod:`tracemalloc` (which sees
numpy's buffers and Python objects) on the bundled corpora, gensim 4.4:

- Word2Vec: ``vectors`` and ``syn1neg`` (or ``syn1`` with hs), V x d float32 each;
  about 300 bytes a word for the vocabulary (dicts, counts, the sampling table), 200
  more with hs (Huffman codes and points). Lee, V = 7,002, d = 50: measured peak
  5.9 MiB, estimate 6.7 MiB.
- FastText: ``vectors_vocab``, ``vectors``, ``syn1neg`` (V x d) and ``vectors_ngrams``
  (bucket x d) float32, plus one more V x d while ``adjust_vectors`` replaces
  ``vectors``. gensim 4.4 keeps its lock factors as one-element arrays, so the buckets
  cost bucket x d x 4 bytes once, not twice. Lee, V = 1,759, d = 100, 100,000 buckets:
  measured peak 43.1 MiB, estimate 43.5 MiB (wiki+lee, V = 36,119: 43.6 vs 43.7 MiB).
- GloVe: counting keeps a hash table and a dense 1,024 x 1,024 float64 corner (about
  70 bytes an entry at the peak); the fit keeps the matrix, its COO copy, the shuffled
  copy of each epoch (about 64 bytes an entry) and word and context rows padded to a
  multiple of 8 floats with their AdaGrad sums. The number of distinct co-occurrence
  entries is estimated from the word counts (see :func:`estimate_cooccurrence_entries`,
  1.15x to 1.24x the true count). wiki+lee, V = 36,119, window 10 (3.86 M entries):
  measured peak 254 MiB, estimate 350 MiB.

Across 18 configurations on Lee and wiki+lee the estimate was 0.99x to 1.15x the measured
peak for Word2Vec and FastText, 1.12x to 1.38x for GloVe.

The first GloVe training of a fresh installation also compiles its numba kernels once
(about 200 MB of resident memory, not counted here; they are cached on disk).

Example
-------
>>> from embeddings.train.params import make_params
>>> mib = estimate_training_memory("fasttext", make_params("fasttext", bucket=100_000),
...                                vocab_size=1_759) / 2**20
>>> 40 < mib < 50
True
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..budget import human_bytes, memory_budget
from .params import defaults, make_params

FLOAT32 = 4
FIXED_BYTES = 2 << 20  # interpreter-side buffers of one training, measured
WORD_BYTES = 300  # vocabulary structures per word (gensim), measured
HS_WORD_BYTES = 200  # Huffman codes and points per word, with hs
GLOVE_DENSE_BYTES = 1024 * 1024 * 8  # the dense corner of the co-occurrence counter
GLOVE_COUNT_ENTRY_BYTES = 70
COOCCURRENCE_RESULT_ENTRY_BYTES = 16  # the symmetric sum and the float32 CSR result
PPMI_ENTRY_BYTES = 48  # the COO copy, float64 PMI, the kept mask and the float32 result
GLOVE_FIT_ENTRY_BYTES = 64
GLOVE_WORD_BYTES = 200
DISK_WORD_BYTES = 32  # the pickled vocabulary per word, measured (26..31)
DISK_FIXED_BYTES = 2048  # the card and the pickle's header


def _as_dict(algorithm: str, params) -> dict[str, Any]:
    """``params`` (dict, dataclass or None) as a dict with every key ``algorithm`` takes."""
    if params is None or isinstance(params, Mapping):
        params = make_params(algorithm, **dict(params or {}))
    given = dataclasses.asdict(params)
    full = defaults(algorithm)  # also rejects an unknown algorithm
    return {**full, **{k: v for k, v in given.items() if k in full}}


def _zipf_counts(vocab_size: int, corpus_tokens: int) -> np.ndarray:
    """Counts of a Zipfian vocabulary (frequency ~ 1/rank) summing to ``corpus_tokens``."""
    ranks = np.arange(1, vocab_size + 1, dtype=np.float64)
    weights = 1.0 / ranks
    return weights * (corpus_tokens / weights.sum())


def estimate_cooccurrence_entries(counts: Iterable[int] | np.ndarray, window: int) -> int:
    """Distinct (word, context) entries a symmetric window will produce, from word counts.

    Each of the ``N`` in-vocabulary tokens has ``2 * window`` context slots; if words were
    placed independently, words ``i`` and ``j`` would meet ``c_i * c_j * 2w / N`` times
    on average, so the pair appears at least once with probability
    ``1 - exp(-c_i c_j 2w / N)``. Summed over all pairs (words grouped into 256
    logarithmic count bins, so it costs 65,536 terms whatever the vocabulary), this
    overestimates real text slightly, whose repeated collocations concentrate the pairs:
    on the bundled Lee and wiki+lee corpora it gave 1.15x to 1.24x the true count.

    >>> estimate_cooccurrence_entries([1, 1], window=1) <= 4
    True
    """
    c = np.asarray(list(counts) if not isinstance(counts, np.ndarray) else counts, float)
    c = c[c > 0]
    if c.size == 0:
        return 0
    total = c.sum()
    edges = np.geomspace(c.min(), c.max() * (1 + 1e-9), num=257)
    which = np.clip(np.searchsorted(edges, c, side="right") - 1, 0, 255)
    n = np.bincount(which, minlength=256).astype(np.float64)
    mean = np.bincount(which, weights=c, minlength=256) / np.maximum(n, 1)
    keep = n > 0
    n, mean = n[keep], mean[keep]
    expected = np.outer(mean, mean) * (2 * window / total)
    entries = float((np.outer(n, n) * -np.expm1(-expected)).sum())
    return int(min(entries, c.size**2, 2 * window * total))


def _counting_bytes(entries: int) -> int:
    return GLOVE_DENSE_BYTES + GLOVE_COUNT_ENTRY_BYTES * entries


def estimate_cooccurrence_memory(word_counts: Iterable[int] | np.ndarray, window: int) -> int:
    """Bytes :func:`~embeddings.corpus.cooccurrence.count_cooccurrences` holds at its peak.

    The counter's hash table and dense corner (calibrated with GloVe's counting, above),
    the result matrix and the vocabulary, for a symmetric ``window`` over a corpus with
    these word counts. wiki+lee: window 2, measured peak 108 MiB, estimate 116 MiB;
    window 10, 262 MiB and 396 MiB.

    >>> estimate_cooccurrence_memory([5, 3, 1], window=2) // 2**20
    10
    """
    counts = np.fromiter(word_counts, dtype=np.float64)
    entries = estimate_cooccurrence_entries(counts, window)
    result = COOCCURRENCE_RESULT_ENTRY_BYTES * entries
    return FIXED_BYTES + GLOVE_WORD_BYTES * len(counts) + _counting_bytes(entries) + result


def estimate_ppmi_memory(entries: int) -> int:
    """Bytes :meth:`~embeddings.corpus.cooccurrence.Cooccurrence.ppmi` holds at its peak
    for a matrix of ``entries`` stored entries (wiki+lee, window 10, 3.9 M entries:
    measured peak 115 MiB, estimate 178 MiB).

    >>> estimate_ppmi_memory(1_000_000) // 2**20
    47
    """
    return FIXED_BYTES + PPMI_ENTRY_BYTES * int(entries)


def estimate_training_memory(
    algorithm: str,
    params,
    vocab_size: int,
    corpus_tokens: int = 0,
    word_counts: Iterable[int] | None = None,
) -> int:
    """Bytes a training holds at its peak, before anything is allocated.

    Parameters
    ----------
    algorithm : {"word2vec", "fasttext", "glove"}
    params : dict or params dataclass
        As for :func:`~embeddings.train.trainer.train_model` (missing ones: defaults).
    vocab_size : int
        Words kept (seen at least ``min_count`` times).
    corpus_tokens : int
        Running tokens; GloVe's co-occurrence estimate uses it when ``word_counts`` is
        not given (a Zipfian vocabulary is assumed).
    word_counts : iterable of int, optional
        The counts of the kept words; makes GloVe's entry estimate much closer.

    Returns
    -------
    int
        Bytes; see the module docstring for what is counted and how it was calibrated.
    """
    p = _as_dict(algorithm, params)
    v, d = int(vocab_size), int(p["vector_size"])
    row = v * d * FLOAT32
    if algorithm == "glove":
        if word_counts is not None:
            counts = np.fromiter(word_counts, dtype=np.float64)
        else:
            counts = _zipf_counts(v, corpus_tokens)
        entries = estimate_cooccurrence_entries(counts, p["window"])
        width = -(-(d + 1) // 8) * 8
        weights = 2 * v * 2 * width * FLOAT32 + 4 * row  # W, W~ with AdaGrad; results
        counting = _counting_bytes(entries)
        fitting = GLOVE_FIT_ENTRY_BYTES * entries + weights
        return FIXED_BYTES + GLOVE_WORD_BYTES * v + max(counting, fitting)
    total = FIXED_BYTES + row * (1 + bool(p["hs"])) + WORD_BYTES * v
    if p["negative"] > 0:
        total += row  # syn1neg
    if p["hs"]:
        total += HS_WORD_BYTES * v
    if algorithm == "fasttext":
        total += 2 * row + p["bucket"] * d * FLOAT32  # vectors_vocab, the adjust copy
    return int(total)


def estimate_model_disk_size(algorithm: str, params, vocab_size: int) -> int:
    """Bytes the stored model takes in the model store (vectors, vocabulary, artefacts).

    Every model stores its vectors twice (as trained and unit-normalised for search);
    FastText also its words' own rows and all ``bucket`` n-gram rows; Word2Vec with
    negative sampling its output weights (``syn1neg``). Measured on Lee and wiki+lee: 26
    to 31 bytes a word beyond the float32 arrays.

    >>> estimate_model_disk_size("fasttext", {"bucket": 2_000_000}, vocab_size=222) // 2**20
    763
    """
    p = _as_dict(algorithm, params)
    rows = 2 * int(vocab_size)  # vectors.npy and unit.npy
    if algorithm == "fasttext":
        rows += int(vocab_size) + p["bucket"]
    elif algorithm == "word2vec" and p["negative"] > 0:
        rows += int(vocab_size)
    return DISK_FIXED_BYTES + rows * p["vector_size"] * FLOAT32 + DISK_WORD_BYTES * vocab_size


@dataclass
class TrainingEstimate:
    """What a training on a given corpus will need: memory, disk and the vocabulary."""

    algorithm: str
    vocab_size: int
    memory: int
    disk: int
    budget: int

    @property
    def fits(self) -> bool:
        """Whether the memory estimate is within the budget."""
        return self.memory <= self.budget

    def summary(self) -> str:
        """One sentence for people.

        >>> TrainingEstimate("word2vec", 1000, 5 << 20, 2 << 20, 1 << 30).summary()
        'Estimated: about 5.0 MiB of memory while training (budget 1.0 GiB), about 2.0 MiB on disk; 1,000 words.'
        """
        return (
            f"Estimated: about {human_bytes(self.memory)} of memory while training "
            f"(budget {human_bytes(self.budget)}), about {human_bytes(self.disk)} on disk; "
            f"{self.vocab_size:,} words."
        )


def estimate_training(stats, algorithm: str, params) -> TrainingEstimate:
    """Memory and disk estimates for training ``algorithm`` on a corpus with ``stats``.

    Parameters
    ----------
    stats : CorpusStats
        The prepared corpus's statistics (word counts).
    algorithm, params :
        As for :func:`estimate_training_memory`.
    """
    p = _as_dict(algorithm, params)
    min_count = p["min_count"]
    counts = [c for c in stats.word_counts.values() if c >= min_count]
    vocab = len(counts)
    memory = estimate_training_memory(algorithm, p, vocab, stats.tokens, word_counts=counts)
    disk = estimate_model_disk_size(algorithm, p, vocab)
    return TrainingEstimate(algorithm, vocab, memory, disk, memory_budget())
