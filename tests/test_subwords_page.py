"""AppTest for the Subwords page: the apple example, a breakdown that equals the model's
vector, Word2Vec's honest "cannot answer", robustness, and Korean syllables vs letters."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import run_page, run_page_alone


def _frames(at):
    return [d.value for d in at.dataframe]


def _frame_with(at, column):
    return next(f for f in _frames(at) if column in f.columns)


def test_apple_example_needs_no_model(store):
    at = run_page_alone("app_pages/subwords.py")
    assert not at.exception
    assert any("`<ap`, `app`, `ppl`, `ple`, `le>`" in m.value for m in at.markdown)
    table = _frame_with(at, "n-grams")
    assert list(table["n"]) == [3, 4, 5, 6]
    assert table["n-grams"].iloc[3] == "<apple  apple>"
    at.slider(key="sw_range").set_value((3, 3)).run()
    assert list(_frame_with(at, "n-grams")["n-grams"]) == ["<ap  app  ppl  ple  le>"]
    # No FastText model yet: one click trains the default.
    assert any("Train the default FastText" in b.label for b in at.button)


def test_oov_word_breakdown_and_word2vec_side_by_side(store_with_models, lee_fasttext):
    at = run_page("app_pages/subwords.py", active="lee-w2v")
    assert not at.exception
    assert "has no subwords" in at.info[0].value  # the page uses the FastText model instead
    at.text_input(key="sw_word").set_value("policemanship").run()
    assert not at.exception
    table = _frame_with(at, "bucket")
    from embeddings.explore.subwords import char_ngrams, ngram_bucket

    grams = char_ngrams("policemanship", 3, 6)
    assert list(table["n-gram"]) == grams
    assert list(table["bucket"]) == [ngram_bucket(g, lee_fasttext.bucket) for g in grams]
    assert at.metric[0].value == "no"
    assert "equal up to float32 rounding" in at.success[0].value
    neighbours = _frame_with(at, "similarity")
    expected = [w for w, _ in lee_fasttext.most_similar("policemanship", topn=10)]
    assert list(neighbours["word"]) == expected
    assert any("cannot answer" in w.value and "lee-w2v" in w.value for w in at.warning)


def test_vocabulary_word_shows_its_own_row_and_word2vec_neighbours(store_with_models, lee_w2v):
    at = run_page("app_pages/subwords.py", active="lee-ft")
    at.text_input(key="sw_word").set_value("police").run()
    assert not at.exception
    assert at.metric[0].value == "yes"
    assert _frame_with(at, "bucket")["n-gram"].iloc[0] == "<police> (the word's own row)"
    w2v = [f for f in _frames(at) if list(f.columns) == ["word", "similarity"]][1]
    assert list(w2v["word"]) == [w for w, _ in lee_w2v.most_similar("police", topn=10)]


def test_robustness_table(store_with_models, lee_fasttext):
    at = run_page("app_pages/subwords.py", active="lee-ft")
    at.text_input(key="sw_robust_word").set_value("government").run()
    at.text_input(key="sw_robust_own").set_value("govt governmental").run()
    assert not at.exception
    table = _frame_with(at, "FastText cosine").set_index("variant")
    assert table.loc["govt", "how"] == "typed"
    assert table.loc["goverment", "FastText cosine"] == pytest.approx(
        float(lee_fasttext.similarity("government", "goverment")), abs=1e-5
    )
    assert pd.isna(table.loc["goverment", "Word2Vec cosine"])  # Word2Vec never saw it


@pytest.fixture(scope="module")
def korean_store(tmp_path_factory):
    """A store holding FastText on the bundled Korean corpus, on syllables and on letters."""
    from embeddings.train.default import ensure_korean_fasttext
    from embeddings.vectors.store import ModelStore

    store = ModelStore(tmp_path_factory.mktemp("korean") / "models")
    with pytest.MonkeyPatch.context() as mp:  # the prepared corpora go beside the models
        mp.setenv("EMBEDDINGS_HOME", str(store.root))
        for jamo in (False, True):
            ensure_korean_fasttext(store, jamo)
    return store


@pytest.mark.slow
def test_letters_share_more_known_ngrams_than_syllables(korean_store):
    from embeddings.corpus.jamo import decompose
    from embeddings.explore.subwords import breakdown
    from embeddings.train.default import KOREAN_FASTTEXT

    word = "국회의원"  # not in either vocabulary (the corpus has 국회의원은, 국회의원의 ...)
    seen = {}
    for jamo, name in KOREAN_FASTTEXT.items():
        kv, _ = korean_store.load(name)
        query = decompose(word) if jamo else word
        assert query not in kv.key_to_index
        result = breakdown(kv, query)
        seen[jamo] = (len(result.ngrams) - result.untrained) / len(result.ngrams)
    assert seen[True] > seen[False]


@pytest.mark.slow
def test_korean_section_and_a_jamo_model_page(korean_store, monkeypatch):
    monkeypatch.setenv("EMBEDDINGS_HOME", str(korean_store.root))
    at = run_page("app_pages/subwords.py", active="ko-law-ft-jamo")
    assert not at.exception
    assert any("trained on Hangul letters" in c.value for c in at.caption)
    at.text_input(key="sw_word").set_value("국회의원").run()
    table = _frame_with(at, "bucket")
    assert table["n-gram"].iloc[0] == "<ㄱㅜ"  # letters shown as stand-alone jamo
    korean = _frame_with(at, "spelling")
    assert list(korean["spelling"]) == ["syllables", "letters (jamo)"]
    assert all("국" in cell for cell in korean["nearest words"])  # joined back into syllables


@pytest.mark.slow
def test_queries_on_a_letter_model_accept_syllables(korean_store):
    from embeddings.corpus.jamo import decompose
    from embeddings.explore.query import neighbours, similarity
    from embeddings.train.default import KOREAN_FASTTEXT

    kv, _ = korean_store.load(KOREAN_FASTTEXT[True])
    typed = [n.word for n in neighbours(kv, "대통령", topn=5)]
    assert typed == [n.word for n in neighbours(kv, decompose("대통령"), topn=5)]
    assert decompose("대통령") not in typed  # the query word itself is excluded
    assert similarity(kv, "대통령", "국회") == pytest.approx(
        similarity(kv, decompose("대통령"), decompose("국회"))
    )
