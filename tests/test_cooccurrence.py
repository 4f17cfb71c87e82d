"""Co-occurrence counting: exact counts on hand-made corpora, windows, weightings, PPMI."""

from __future__ import annotations

import numpy as np
import pytest

from embeddings.corpus.cooccurrence import (
    count_cooccurrences,
    weighting_function,
)
from embeddings.errors import CorpusError, UnknownWordError
from tests.chapter import CHAPTER_COOCCURRENCE, CHAPTER_ORDER, CHAPTER_SENTENCES

CHAPTER = [s.split() for s in CHAPTER_SENTENCES]
ORDER = CHAPTER_ORDER


def test_chapter_table_counts_window_1():
    co = count_cooccurrences(CHAPTER, window=1, weighting="count")
    assert co.table(ORDER).tolist() == CHAPTER_COOCCURRENCE


def test_chapter_harmonic_window_2():
    co = count_cooccurrences(CHAPTER, window=2, weighting="harmonic")
    t = co.table(ORDER)
    # "I like deep": like at distance 1 twice, deep at distance 2 once, NLP at 2, enjoy 1, flying 2
    assert t[0].tolist() == [0, 2.0, 1.0, 0.5, 0, 0.5, 0.5]
    assert t[ORDER.index("deep")].tolist() == [0.5, 1.0, 0, 0, 1.0, 0, 0]


def test_chapter_counts_window_2():
    co = count_cooccurrences(CHAPTER, window=2, weighting="count")
    assert co.table(ORDER)[0].tolist() == [0, 2, 1, 1, 0, 1, 1]


def test_vocabulary_is_frequency_ordered_with_counts():
    co = count_cooccurrences(CHAPTER, window=1)
    assert co.words[:2] == ["I", "like"]
    assert co.counts.tolist() == [3, 2, 1, 1, 1, 1, 1]
    assert co.tokens == 10


def test_output_types_and_symmetry(lee_sentences):
    co = count_cooccurrences(lee_sentences, window=5, min_count=3)
    m = co.matrix
    assert m.dtype == np.float32
    assert m.indices.dtype == np.int32 and m.indptr.dtype == np.int32
    assert abs(m - m.T).max() < 1e-3
    assert m.shape == (len(co.words), len(co.words))
    assert min(co.counts) >= 3


def test_left_and_right_windows():
    sents = [["a", "b", "c"]]
    left = count_cooccurrences(sents, window=2, weighting="count", direction="left")
    right = count_cooccurrences(sents, window=2, weighting="count", direction="right")
    both = count_cooccurrences(sents, window=2, weighting="count")
    order = ["a", "b", "c"]
    # row = centre word, column = context word
    assert left.table(order).tolist() == [[0, 0, 0], [1, 0, 0], [1, 1, 0]]
    assert right.table(order).tolist() == [[0, 1, 1], [0, 0, 1], [0, 0, 0]]
    assert both.table(order).tolist() == (left.table(order) + right.table(order)).tolist()


def test_repeated_word_and_sentence_boundaries():
    co = count_cooccurrences([["a", "a"], ["b"], ["a", "b"]], window=5, weighting="count")
    t = co.table(["a", "b"])
    assert t.tolist() == [[2, 1], [1, 0]]


def test_min_count_drops_words_before_windowing():
    # "x" is rare and removed, so "a" and "b" become neighbours at distance 1.
    sents = [["a", "x", "b"], ["a", "b"]]
    co = count_cooccurrences(sents, window=1, weighting="count", min_count=2)
    assert co.words == ["a", "b"]
    assert co.table(["a", "b"]).tolist() == [[0, 2], [2, 0]]


def test_max_vocab():
    co = count_cooccurrences(CHAPTER, window=1, max_vocab=2)
    assert co.words == ["I", "like"]


def test_file_and_list_give_the_same_matrix(tmp_path, lee_sentences):
    path = tmp_path / "s.txt"
    path.write_text("\n".join(" ".join(s) for s in lee_sentences if s) + "\n", encoding="utf-8")
    a = count_cooccurrences(path, window=4, min_count=2)
    b = count_cooccurrences([s for s in lee_sentences if s], window=4, min_count=2)
    assert a.words == b.words
    assert abs(a.matrix - b.matrix).max() == 0


def test_matches_a_plain_python_count(lee_sentences):
    sents = lee_sentences[:60]
    co = count_cooccurrences(sents, window=3, weighting="harmonic")
    expected: dict = {}
    for s in sents:
        for p, w in enumerate(s):
            for q in range(max(0, p - 3), p):
                for key in ((w, s[q]), (s[q], w)):
                    expected[key] = expected.get(key, 0.0) + 1.0 / (p - q)
    assert co.nnz == len(expected)
    for (w, c), v in list(expected.items())[:500]:
        assert co.matrix[co.index[w], co.index[c]] == pytest.approx(v, rel=1e-6)


def test_hash_table_growth_keeps_counts():
    rng = np.random.default_rng(0)
    sents = [[f"w{i}" for i in rng.integers(0, 3000, 50)] for _ in range(2000)]
    co = count_cooccurrences(sents, window=5, weighting="count")
    # every token pair within the window counted twice (both directions)
    pairs = sum(sum(min(p, 5) for p in range(len(s))) for s in sents)
    assert co.matrix.sum() == pytest.approx(2 * pairs)


def test_ppmi_and_probability_ratios():
    co = count_cooccurrences(CHAPTER, window=1, weighting="count")
    ppmi = co.table(["I", "like", "NLP"], weighting="ppmi")
    total = 14.0
    assert ppmi[0, 1] == pytest.approx(np.log(2 * total / (3 * 4)), rel=1e-5)
    assert ppmi[0, 2] == 0
    rows = co.probability_ratios("like", "enjoy", ["I", "NLP"])
    assert rows[0]["P(k|i)"] == pytest.approx(0.5) and rows[0]["P(k|j)"] == pytest.approx(0.5)
    assert rows[0]["ratio"] == pytest.approx(1.0)
    assert rows[1]["ratio"] == float("inf")


def test_weighting_function():
    f = weighting_function(np.array([0.0, 1.0, 50.0, 100.0, 500.0]), x_max=100, alpha=0.75)
    assert f.tolist() == pytest.approx([0.0, 0.01**0.75, 0.5**0.75, 1.0, 1.0])


def test_bad_input():
    with pytest.raises(CorpusError, match="weighting"):
        count_cooccurrences(CHAPTER, weighting="cosine")
    with pytest.raises(CorpusError, match="window"):
        count_cooccurrences(CHAPTER, window=0)
    with pytest.raises(CorpusError, match="min_count"):
        count_cooccurrences(CHAPTER, min_count=10)
    with pytest.raises(CorpusError, match="No corpus file"):
        count_cooccurrences("/nonexistent/file.txt")
    co = count_cooccurrences(CHAPTER, window=1)
    with pytest.raises(UnknownWordError, match="zebra"):
        co.table(["I", "zebra"])


def test_ppmi_reports_its_stage_and_stops_when_cancelled():
    from embeddings.errors import Cancelled
    from embeddings.progress import CancelToken

    co = count_cooccurrences(CHAPTER, window=1, weighting="count")
    events = []
    assert (co.ppmi(progress=events.append) != co.ppmi()).nnz == 0
    assert [(e.stage, e.message) for e in events] == [("ppmi", f"{co.nnz:,} entries")]
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        co.ppmi(cancel=cancel)
