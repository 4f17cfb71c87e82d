"""Corpus statistics for people: top words, Zipf's law, vocabulary size and coverage.

Everything here reads a :class:`~embeddings.corpus.sentences.CorpusStats` (the word counts
gathered while a corpus was prepared); nothing re-reads the corpus.

Example
-------
>>> from collections import Counter
>>> from embeddings.corpus.sentences import CorpusStats
>>> stats = CorpusStats(documents=2, tokens=6, word_counts=Counter("a a a b b c".split()))
>>> coverage(stats, min_count=2)
0.8333333333333334
>>> top_words_table(stats, 2)["word"].tolist()
['a', 'b']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .sentences import CorpusStats


def top_words_table(stats: CorpusStats, n: int = 20) -> pd.DataFrame:
    """The ``n`` most frequent words: columns ``rank``, ``word``, ``count``, ``share``.

    ``share`` is the word's fraction of all tokens; ties keep first-seen order.
    """
    rows = stats.word_counts.most_common(n)
    total = max(stats.tokens, 1)
    return pd.DataFrame(
        {
            "rank": np.arange(1, len(rows) + 1),
            "word": [w for w, _ in rows],
            "count": np.array([c for _, c in rows], dtype=np.int64),
            "share": np.array([c / total for _, c in rows], dtype=float),
        }
    )


def rank_frequency(
    stats: CorpusStats, max_points: int | None = 2000
) -> tuple[np.ndarray, np.ndarray]:
    """Ranks (1 = most frequent) and counts, for a log-log plot of Zipf's law.

    With ``max_points``, ranks are sampled evenly on a log scale (always keeping the
    first and the last), so a vocabulary of millions plots as a light line.
    """
    counts = np.sort(np.fromiter(stats.word_counts.values(), dtype=np.int64))[::-1]
    ranks = np.arange(1, len(counts) + 1)
    if max_points is not None and len(counts) > max_points:
        picks = np.unique(np.geomspace(1, len(counts), max_points).round().astype(np.int64)) - 1
        ranks, counts = ranks[picks], counts[picks]
    return ranks, counts


@dataclass(frozen=True)
class ZipfFit:
    """A straight line fitted to log(count) = intercept - exponent * log(rank).

    Attributes
    ----------
    exponent : float
        Zipf's exponent s (close to 1 for natural language).
    intercept : float
        log10 of the fitted count at rank 1.
    r2 : float
        Coefficient of determination of the fit in log-log space.
    ranks_used : int
        How many ranks went into the fit.
    """

    exponent: float
    intercept: float
    r2: float
    ranks_used: int

    def predict(self, ranks: np.ndarray) -> np.ndarray:
        """Fitted counts at ``ranks``."""
        return 10 ** (self.intercept - self.exponent * np.log10(np.asarray(ranks, dtype=float)))


def fit_zipf(stats: CorpusStats, min_count: int = 2) -> ZipfFit | None:
    """Fit Zipf's law by least squares on log10 rank / log10 count.

    Only words seen at least ``min_count`` times are used (the tail of words seen once
    is a flat staircase), and ranks are sampled evenly on a log scale (at most 200
    points) so the head of the distribution counts as much as the tail. Returns None
    when fewer than 3 ranks remain.
    """
    counts = np.sort(np.fromiter(stats.word_counts.values(), dtype=np.int64))[::-1]
    counts = counts[counts >= min_count]
    if len(counts) < 3:
        return None
    # Sample ranks evenly in log space, so each decade of ranks weighs the same: the
    # thousands of tail ranks would otherwise decide the slope alone.
    picks = np.unique(np.geomspace(1, len(counts), min(len(counts), 200)).round().astype(int)) - 1
    x = np.log10(picks + 1.0)
    y = np.log10(counts[picks].astype(float))
    slope, intercept = np.polyfit(x, y, 1)
    residual = y - (intercept + slope * x)
    total = ((y - y.mean()) ** 2).sum()
    r2 = 1.0 - (residual**2).sum() / total if total > 0 else 1.0
    return ZipfFit(float(-slope), float(intercept), float(r2), int(len(counts)))


def coverage(stats: CorpusStats, min_count: int = 1) -> float:
    """Fraction of all tokens whose word is seen at least ``min_count`` times.

    That is the share of the corpus a model trained with this ``min_count`` learns from.
    """
    if stats.tokens == 0:
        return 0.0
    kept = sum(c for c in stats.word_counts.values() if c >= min_count)
    return kept / stats.tokens


def vocabulary_table(
    stats: CorpusStats, min_counts: Iterable[int] = (1, 2, 5, 10, 20, 50, 100)
) -> pd.DataFrame:
    """Vocabulary size and token coverage at several ``min_count`` values."""
    counts = np.fromiter(stats.word_counts.values(), dtype=np.int64)
    total = max(stats.tokens, 1)
    rows = []
    for m in min_counts:
        kept = counts >= m
        rows.append(
            {
                "min_count": int(m),
                "vocabulary": int(kept.sum()),
                "coverage": float(counts[kept].sum() / total),
            }
        )
    return pd.DataFrame(rows)


def describe_corpus(stats: CorpusStats, min_count: int = 5) -> dict:
    """The headline numbers: documents, lines, tokens, vocabulary (all and at min_count),
    coverage at min_count, words seen once, and mean tokens per document."""
    hapax = sum(1 for c in stats.word_counts.values() if c == 1)
    fit = fit_zipf(stats)
    return {
        "documents": stats.documents,
        "lines": stats.lines,
        "tokens": stats.tokens,
        "empty_documents": stats.empty_documents,
        "vocabulary": stats.vocab_size(1),
        "min_count": min_count,
        "vocabulary_at_min_count": stats.vocab_size(min_count),
        "coverage_at_min_count": coverage(stats, min_count),
        "words_seen_once": hapax,
        "tokens_per_document": stats.tokens / stats.documents if stats.documents else 0.0,
        "zipf_exponent": fit.exponent if fit else None,
    }
