"""Benchmarks: exact results on hand-made files and vectors, and equality with gensim's
``evaluate_word_pairs`` / ``evaluate_word_analogies`` on real models."""

from __future__ import annotations

import math

import numpy as np
import pytest
from gensim.models import KeyedVectors
from scipy import stats

from embeddings.corpus.bundled import QUESTIONS_WORDS, SIMLEX999, WORDSIM353, gensim_data
from embeddings.errors import Cancelled, EmbeddingsError, FormatError
from embeddings.evaluate.scores import evaluate_analogies, evaluate_word_pairs, read_analogies
from embeddings.progress import CancelToken

# man/woman along x/y, royalty along +z, youth along -z; "King" is a case variant placed
# exactly where woman - man + king points, so gensim's "skip question words" rule matters.
TINY = {
    "man": (1, 0, 0),
    "woman": (0, 1, 0),
    "king": (1, 0, 1),
    "queen": (0, 1, 1),
    "boy": (1, 0, -1),
    "girl": (0, 1, -1),
    "apple": (-1, -1, 0),
    "King": (1 / math.sqrt(2) - 1, 1, 1 / math.sqrt(2)),
}

PAIRS_FILE = (
    "# a comment line\n"
    "Word 1\tWord 2\tHuman (mean)\n"
    "man\twoman\t5\n"
    "king\tqueen\t8\n"
    "MAN\tking\t7\n"
    "apple\tman\t1\n"
    "queen\tapple\t2\n"
    "prince\tking\t9\n"
    "too\tmany\tfields\there\n"
)

ANALOGY_FILE = (
    ": family\n"
    "man woman king queen\n"
    "man woman boy girl\n"
    "Man Woman King Queen\n"
    ": gram2-opposite\n"
    "man king woman queen\n"
    "king queen man apple\n"
    "man woman prince princess\n"
    "not four words\n"
)


@pytest.fixture
def tiny_kv():
    kv = KeyedVectors(3, count=0, dtype=np.float32)
    kv.add_vectors(list(TINY), np.array(list(TINY.values()), dtype=np.float32))
    return kv


@pytest.fixture
def pairs_path(tmp_path):
    path = tmp_path / "pairs.tsv"
    path.write_text(PAIRS_FILE, encoding="utf-8")
    return path


@pytest.fixture
def analogy_path(tmp_path):
    path = tmp_path / "analogies.txt"
    path.write_text(ANALOGY_FILE, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- hand-made


def test_word_pairs_exact_on_hand_made_file(tiny_kv, pairs_path):
    res = evaluate_word_pairs(tiny_kv, pairs_path)
    # model ranks 3,4,5,1,2 vs gold ranks 3,5,4,1,2: sum d^2 = 2, rho = 1 - 6*2/(5*24)
    assert res["spearman"] == pytest.approx(0.9, abs=1e-12)
    cos = [0.0, 0.5, 1 / math.sqrt(2), -1 / math.sqrt(2), -0.5]
    assert res["pearson"] == pytest.approx(np.corrcoef([5, 8, 7, 1, 2], cos)[0, 1], abs=1e-6)
    assert res["pairs"] == 5 and res["oov"] == 1
    assert res["oov_ratio"] == pytest.approx(100 / 6)
    assert res["oov_pairs"] == [["prince", "king"]]


def test_word_pairs_dummy4unknown_scores_unknown_pairs_zero(tiny_kv, pairs_path):
    res = evaluate_word_pairs(tiny_kv, pairs_path, dummy4unknown=True)
    cos = [0.0, 0.5, 1 / math.sqrt(2), -1 / math.sqrt(2), -0.5, 0.0]
    expected = stats.spearmanr([5, 8, 7, 1, 2, 9], cos)[0]
    assert res["spearman"] == pytest.approx(expected, abs=1e-12)
    assert res["oov_ratio"] == pytest.approx(100 / 6) and res["pairs"] == 5


def test_word_pairs_case_sensitive_misses_upper_case_words(tiny_kv, pairs_path):
    res = evaluate_word_pairs(tiny_kv, pairs_path, case_insensitive=False)
    assert res["oov"] == 2 and res["pairs"] == 4


def test_word_pairs_equal_gensim_on_hand_made_file(tiny_kv, pairs_path):
    for dummy in (False, True):
        ours = evaluate_word_pairs(tiny_kv, pairs_path, dummy4unknown=dummy)
        pearson, spearman, oov = tiny_kv.evaluate_word_pairs(str(pairs_path), dummy4unknown=dummy)
        assert (ours["pearson"], ours["spearman"], ours["oov_ratio"]) == (
            pearson[0],
            spearman[0],
            oov,
        )


def test_constant_similarities_give_none_not_nan(tmp_path):
    kv = KeyedVectors(2, count=0, dtype=np.float32)
    kv.add_vectors(["a", "b", "c"], np.array([[1, 0], [1, 0], [1, 0]], dtype=np.float32))
    path = tmp_path / "p.tsv"
    path.write_text("a\tb\t1\na\tc\t2\nb\tc\t3\n", encoding="utf-8")
    res = evaluate_word_pairs(kv, path)
    assert res["spearman"] is None and res["pearson"] is None


def test_pairs_too_few_known_and_unreadable_files(tiny_kv, tmp_path):
    one = tmp_path / "one.tsv"
    one.write_text("man\twoman\t3\nfoo\tbar\t1\n", encoding="utf-8")
    with pytest.raises(FormatError, match="Only 1 pair"):
        evaluate_word_pairs(tiny_kv, one)
    empty = tmp_path / "empty.tsv"
    empty.write_text("just words\nno scores here\n", encoding="utf-8")
    with pytest.raises(FormatError, match="No word pairs"):
        evaluate_word_pairs(tiny_kv, empty)
    latin = tmp_path / "latin.tsv"
    latin.write_bytes("caf\xe9\tthe\t3\n".encode("latin-1"))
    with pytest.raises(FormatError, match="not UTF-8"):
        evaluate_word_pairs(tiny_kv, latin)


def test_analogies_exact_on_hand_made_file(tiny_kv, analogy_path):
    res = evaluate_analogies(tiny_kv, analogy_path)
    assert res["sections"] == {
        "family": {"accuracy": 1.0, "correct": 3, "total": 3},
        "gram2-opposite": {"accuracy": 0.5, "correct": 1, "total": 2},
    }
    assert (res["correct"], res["total"], res["questions"], res["oov"]) == (4, 5, 6, 1)
    assert res["accuracy"] == 0.8 and res["oov_ratio"] == pytest.approx(100 / 6)
    assert res["semantic"]["accuracy"] == 1.0 and res["syntactic"]["accuracy"] == 0.5
    # queen - king + man points at woman: the answer is listed with the failure
    assert res["failed"] == [["king", "queen", "man", "apple", "woman", "gram2-opposite"]]
    assert (res["method"], res["restrict_vocab"]) == ("add", 30_000)


def test_analogies_cosmul_on_hand_made_file(tiny_kv, analogy_path):
    res = evaluate_analogies(tiny_kv, analogy_path, method="mul")
    assert (res["correct"], res["total"]) == (4, 5)
    # girl: s(queen) s(man) / s(king) = 0.5 * 0.5 / 0.25 = 1.0 beats woman's 0.854 * 0.5 / 0.5
    assert res["failed"] == [["king", "queen", "man", "apple", "girl", "gram2-opposite"]]


def test_analogies_restrict_vocab_and_dummy4unknown(tiny_kv, analogy_path):
    # the first 4 words: man, woman, king, queen; only two questions use nothing else
    res = evaluate_analogies(tiny_kv, analogy_path, restrict_vocab=4)
    assert (res["total"], res["oov"]) == (3, 3)
    wrong = evaluate_analogies(tiny_kv, analogy_path, restrict_vocab=4, dummy4unknown=True)
    assert (wrong["correct"], wrong["total"]) == (res["correct"], 6)


def test_analogies_case_sensitive_skips_capitalised_question(tiny_kv, analogy_path):
    res = evaluate_analogies(tiny_kv, analogy_path, case_insensitive=False)
    assert res["sections"]["family"]["total"] == 2 and res["oov"] == 2


@pytest.mark.parametrize("method", ["add", "mul"])
def test_analogies_equal_gensim_on_hand_made_file(tiny_kv, analogy_path, method):
    _assert_same_as_gensim(tiny_kv, analogy_path, method, restrict_vocab=30_000)


def test_analogy_file_errors(tiny_kv, tmp_path):
    no_header = tmp_path / "a.txt"
    no_header.write_text("man woman king queen\n", encoding="utf-8")
    with pytest.raises(FormatError, match="before any ': section' header"):
        read_analogies(no_header)
    empty = tmp_path / "b.txt"
    empty.write_text(": only-a-header\n", encoding="utf-8")
    with pytest.raises(FormatError, match="No analogy questions"):
        evaluate_analogies(tiny_kv, empty)
    with pytest.raises(EmbeddingsError, match="method must be"):
        evaluate_analogies(tiny_kv, gensim_data(QUESTIONS_WORDS), method="sub")
    with pytest.raises(EmbeddingsError, match="restrict_vocab"):
        evaluate_analogies(tiny_kv, gensim_data(QUESTIONS_WORDS), restrict_vocab=0)


def test_analogies_report_progress_and_stop_when_cancelled(lee_w2v):
    events = []
    evaluate_analogies(
        lee_w2v, gensim_data(QUESTIONS_WORDS), batch_size=100, progress=events.append
    )
    assert events[-1].done == events[-1].total and len(events) > 2
    assert [e.done for e in events] == sorted(e.done for e in events)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        evaluate_analogies(lee_w2v, gensim_data(QUESTIONS_WORDS), cancel=token)


def test_korean_analogy_file(tmp_path):
    kv = KeyedVectors(3, count=0, dtype=np.float32)
    words = ["남자", "여자", "왕", "여왕", "사과"]
    kv.add_vectors(words, np.array([TINY[w] for w in ("man", "woman", "king", "queen", "apple")]))
    path = tmp_path / "ko.txt"
    path.write_text(": 가족\n남자 여자 왕 여왕\n왕 여왕 남자 사과\n", encoding="utf-8")
    res = evaluate_analogies(kv, path)
    assert res["sections"]["가족"] == {"accuracy": 0.5, "correct": 1, "total": 2}
    assert res["failed"] == [["왕", "여왕", "남자", "사과", "여자", "가족"]]


# --------------------------------------------------------------------------- gensim parity


def _truncated(kv, n):
    """The first ``n`` words of ``kv``: gensim's most_similar_cosmul ignores restrict_vocab."""
    out = KeyedVectors(kv.vector_size, count=0, dtype=kv.vectors.dtype)
    out.add_vectors(kv.index_to_key[:n], kv.vectors[:n])
    return out


def _gensim_analogies(kv, path, method, restrict_vocab, case_insensitive=True):
    """gensim's evaluate_word_analogies; for 3CosMul, its loop with most_similar_cosmul."""
    if method == "add":
        return kv.evaluate_word_analogies(
            str(path), restrict_vocab=restrict_vocab, case_insensitive=case_insensitive
        )
    small = _truncated(kv, restrict_vocab)
    small.most_similar = lambda positive, negative, topn, restrict_vocab: small.most_similar_cosmul(
        positive, negative, topn
    )
    return small.evaluate_word_analogies(
        str(path), restrict_vocab=restrict_vocab, case_insensitive=case_insensitive
    )


def _assert_same_as_gensim(kv, path, method, restrict_vocab, case_insensitive=True):
    ours = evaluate_analogies(
        kv, path, method, restrict_vocab=restrict_vocab, case_insensitive=case_insensitive
    )
    score, sections = _gensim_analogies(kv, path, method, restrict_vocab, case_insensitive)
    assert ours["accuracy"] == score
    for section in sections[:-1]:
        mine = ours["sections"][section["section"]]
        assert mine["correct"] == len(section["correct"]), section["section"]
        assert mine["total"] == len(section["correct"]) + len(section["incorrect"])
    norm = str.upper if case_insensitive else str
    assert {tuple(norm(w) for w in f[:4]) for f in ours["failed"]} == set(sections[-1]["incorrect"])
    return ours


@pytest.mark.parametrize("name", [WORDSIM353, SIMLEX999])
@pytest.mark.parametrize("fixture", ["lee_w2v", "lee_fasttext"])
def test_word_pairs_equal_gensim_on_real_models(request, fixture, name):
    kv = request.getfixturevalue(fixture)
    for restrict in (300_000, 2_000):
        ours = evaluate_word_pairs(kv, gensim_data(name), restrict_vocab=restrict)
        pearson, spearman, oov = kv.evaluate_word_pairs(
            str(gensim_data(name)), restrict_vocab=restrict
        )
        assert ours["spearman"] == spearman[0]
        assert ours["pearson"] == pearson[0]
        assert ours["oov_ratio"] == oov


@pytest.mark.parametrize("method", ["add", "mul"])
@pytest.mark.parametrize("restrict", [30_000, 1_500])
def test_analogies_equal_gensim_on_real_model(lee_w2v, method, restrict):
    ours = _assert_same_as_gensim(lee_w2v, gensim_data(QUESTIONS_WORDS), method, restrict)
    assert ours["total"] > 100 and ours["correct"] > 0


def test_analogies_equal_gensim_case_sensitive_and_fasttext(lee_w2v, lee_fasttext):
    path = gensim_data(QUESTIONS_WORDS)
    _assert_same_as_gensim(lee_w2v, path, "add", 30_000, case_insensitive=False)
    _assert_same_as_gensim(lee_fasttext, path, "add", 30_000)


def test_small_batches_give_the_same_answers(lee_w2v, monkeypatch):
    import embeddings.evaluate.scores as ev

    path = gensim_data(QUESTIONS_WORDS)
    full = evaluate_analogies(lee_w2v, path, "mul")
    monkeypatch.setattr(ev, "SCORE_CELLS", 10 * len(lee_w2v))  # 10 questions per batch
    assert evaluate_analogies(lee_w2v, path, "mul") == full


def test_oversized_benchmark_file_is_refused(tiny_kv, tmp_path, monkeypatch):
    import embeddings.evaluate.scores as ev
    from embeddings.errors import InputTooLargeError

    path = tmp_path / "big.tsv"
    path.write_text("man\twoman\t1\n" * 100, encoding="utf-8")
    monkeypatch.setattr(ev, "MAX_BENCHMARK_BYTES", 1000)
    with pytest.raises(InputTooLargeError, match="big.tsv is 0 MB; a benchmark file may be"):
        evaluate_word_pairs(tiny_kv, path)
