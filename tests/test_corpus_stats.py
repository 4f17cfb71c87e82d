"""Corpus statistics: exact counts on a hand-made corpus and Zipf's law on real text."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from embeddings.corpus.sentences import CorpusStats
from embeddings.corpus.stats import (
    coverage,
    describe_corpus,
    fit_zipf,
    rank_frequency,
    top_words_table,
    vocabulary_table,
)


@pytest.fixture
def stats() -> CorpusStats:
    words = "the " * 6 + "cat " * 3 + "sat " * 2 + "mat"
    return CorpusStats(documents=3, lines=3, tokens=12, word_counts=Counter(words.split()))


def test_top_words_table_exact(stats):
    table = top_words_table(stats, 3)
    assert table["word"].tolist() == ["the", "cat", "sat"]
    assert table["count"].tolist() == [6, 3, 2]
    assert table["rank"].tolist() == [1, 2, 3]
    assert table["share"].tolist() == [0.5, 0.25, 2 / 12]


def test_vocabulary_and_coverage_at_min_count(stats):
    assert coverage(stats, 1) == 1.0 and coverage(stats, 2) == 11 / 12 and coverage(stats, 7) == 0
    table = vocabulary_table(stats, (1, 2, 3, 6, 7))
    assert table["vocabulary"].tolist() == [4, 3, 2, 1, 0]
    assert table["coverage"].tolist() == [1.0, 11 / 12, 9 / 12, 6 / 12, 0.0]
    summary = describe_corpus(stats, min_count=2)
    assert summary["vocabulary"] == 4 and summary["vocabulary_at_min_count"] == 3
    assert summary["words_seen_once"] == 1 and summary["tokens_per_document"] == 4.0


def test_rank_frequency_and_sampling():
    ranks, counts = rank_frequency(CorpusStats(word_counts=Counter({"a": 5, "b": 9, "c": 1})))
    assert ranks.tolist() == [1, 2, 3] and counts.tolist() == [9, 5, 1]
    many = CorpusStats(word_counts=Counter({f"w{i}": 100_000 // (i + 1) for i in range(50_000)}))
    ranks, counts = rank_frequency(many, max_points=500)
    assert ranks[0] == 1 and ranks[-1] == 50_000 and len(ranks) <= 500
    assert np.all(np.diff(counts) <= 0)


def test_zipf_exponent_of_an_exact_power_law_and_of_real_text(lee_sentences):
    exact = CorpusStats(word_counts=Counter({f"w{r}": round(1e6 / r**1.2) for r in range(1, 400)}))
    fit = fit_zipf(exact)
    assert fit.exponent == pytest.approx(1.2, abs=0.01) and fit.r2 > 0.999
    lee = CorpusStats(word_counts=Counter(w for s in lee_sentences for w in s))
    fit = fit_zipf(lee)
    assert 0.8 < fit.exponent < 1.3 and fit.r2 > 0.95  # natural language: close to 1
    assert fit_zipf(CorpusStats(word_counts=Counter("a b".split()))) is None
