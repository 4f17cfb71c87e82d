"""AppTest: query pages open on defaults that fit the active model or corpus, answer
analogies without calling a wrong answer a success, and bound their inputs by the model."""

from __future__ import annotations

import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from embeddings.explore.query import analogy_rank
from tests.conftest import APP, run_page


def _is_hangul(word: str) -> bool:
    return bool(word) and all("\uac00" <= ch <= "\ud7a3" for ch in word)


# -- analogies -------------------------------------------------------------------------
def test_famous_analogy_is_not_a_success_and_the_expected_word_is_ranked(
    store_with_models, lee_w2v
):
    at = run_page("app_pages/analogies.py", active="lee-w2v")
    at.selectbox(key="an_example").set_value("man : king :: woman : ? (needs a large corpus)")
    at.run()
    assert not at.exception and not at.error
    assert at.text_input(key="an_expected").value == "queen"
    assert not at.success  # the nearest word is shown neutrally, right or wrong
    texts = [m.value for m in at.markdown]
    for method in ("add", "mul"):
        found = analogy_rank(lee_w2v, "man", "king", "woman", "queen", method)
        assert found.rank is not None and found.rank > 1
        assert f"Expected **queen**: rank {found.rank:,} of {found.candidates:,}" in " ".join(texts)
    # The Lee corpus counts of the four words, from the model.
    assert any("man 63 · king 6 · woman 6 · queen 4" in c.value for c in at.caption)


def test_expected_word_outside_the_vocabulary_is_said_so(store_with_models):
    at = run_page("app_pages/analogies.py", active="lee-w2v")
    for key, word in (
        ("an_a", "police"),
        ("an_b", "officers"),
        ("an_c", "fire"),
        ("an_expected", "qqzzx"),
    ):
        at.text_input(key=key).set_value(word).run()
    assert not at.exception and not at.error
    said = [m.value for m in at.markdown if m.value.startswith("Expected **qqzzx**")]
    assert said == ["Expected **qqzzx**: not in the vocabulary."] * 2
    assert any("qqzzx (unseen)" in c.value for c in at.caption)


# -- defaults from the active corpus or model --------------------------------------------
@pytest.fixture(scope="module")
def korean_corpus(tmp_path_factory):
    """The bundled Korean law texts as a corpus (whole words, as the Korean FastText)."""
    from embeddings.corpus.bundled import korean_text_files
    from embeddings.corpus.sentences import prepare_documents

    files = korean_text_files()
    if not files:
        pytest.skip("konlpy's Korean texts are not installed")
    lines = [line for f in files for line in f.read_text(encoding="utf-8").splitlines()]
    return prepare_documents(
        lines, "ko-law", "simple", out_path=tmp_path_factory.mktemp("ko") / "ko.txt"
    )


def test_cooccurrence_page_on_a_korean_corpus_opens_without_error_or_warning(
    store_with_models, korean_corpus
):
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["active_corpus"] = korean_corpus
    at.run()
    at.switch_page("app_pages/cooccurrence.py").run()
    assert not at.exception and not at.error and not at.warning
    word_i = at.text_input(key="ratio_i").value
    word_j = at.text_input(key="ratio_j").value
    assert _is_hangul(word_i) and _is_hangul(word_j)
    probes = [w.strip() for w in at.text_input(key="ratio_probes").value.split(",")]
    ratios = at.dataframe[-1].value
    assert list(ratios.index) == probes and len(probes) >= 3


@pytest.fixture(scope="module")
def korean_fasttext_store(tmp_path_factory):
    from embeddings.train.default import ensure_korean_fasttext
    from embeddings.vectors.store import ModelStore

    store = ModelStore(tmp_path_factory.mktemp("ko-ft") / "models")
    ensure_korean_fasttext(store, False)
    return store


def test_subwords_misspellings_default_to_a_word_of_the_korean_model(
    korean_fasttext_store, monkeypatch
):
    from embeddings.train.default import KOREAN_FASTTEXT

    monkeypatch.setenv("EMBEDDINGS_HOME", str(korean_fasttext_store.root))
    at = run_page("app_pages/subwords.py", active=KOREAN_FASTTEXT[False])
    assert not at.exception and not at.error
    base = at.text_input(key="sw_robust_word").value
    kv, _ = korean_fasttext_store.load(KOREAN_FASTTEXT[False])
    assert _is_hangul(base) and base in kv.key_to_index
    table = next(d.value for d in at.dataframe if "FastText cosine" in d.value.columns)
    assert len(table) > 0


def test_subwords_unseen_word_defaults_to_the_korean_models_script(
    korean_fasttext_store, monkeypatch
):
    """On a Korean model the piece-by-piece section opened on "sunflower": all of its
    n-grams on untrained buckets. Its default is now an unseen Hangul word."""
    from embeddings.train.default import KOREAN_FASTTEXT

    monkeypatch.setenv("EMBEDDINGS_HOME", str(korean_fasttext_store.root))
    at = run_page("app_pages/subwords.py", active=KOREAN_FASTTEXT[False])
    assert not at.exception and not at.error
    word = at.text_input(key="sw_word").value
    kv, _ = korean_fasttext_store.load(KOREAN_FASTTEXT[False])
    assert _is_hangul(word) and word not in kv.key_to_index
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["In the vocabulary"] == "no"
    assert int(metrics["n-grams on untrained buckets"]) < int(metrics["n-grams"])  # some trained


def test_concepts_default_sentence_has_only_words_the_model_knows(store_with_models):
    at = run_page("app_pages/concepts.py", active="lee-w2v")
    assert not at.exception
    sentence = at.text_input(key="cn_onehot_sentence").value
    assert sentence.startswith("I love ") and "cats" not in sentence  # Lee has no cats
    assert not any(c.value.startswith("Not in the model's vocabulary") for c in at.caption)


# -- inputs bounded by the model ---------------------------------------------------------
@pytest.fixture
def tiny_store(store):
    """A store holding one 30-word model."""
    from gensim.models import KeyedVectors

    from embeddings.vectors.store import ModelCard

    kv = KeyedVectors(4)
    words = [f"word{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(30)]
    kv.add_vectors(words, np.random.default_rng(0).normal(size=(30, 4)).astype(np.float32))
    store.save(kv, ModelCard(name="tiny", algorithm="word2vec"))
    return store


def test_top_n_boxes_are_bounded_by_the_vocabulary(tiny_store):
    at = run_page("app_pages/neighbours.py", active="tiny")
    assert not at.exception
    assert at.number_input(key="nb_topn").max == 29  # every word but the query word
    assert at.number_input(key="nb_restrict").max == 30
    at.number_input(key="nb_topn").set_value(29).run()
    assert not at.exception and len(at.dataframe[0].value) == 29
    at = run_page("app_pages/analogies.py", active="tiny")
    assert at.number_input(key="an_topn").max == 27  # every word but a, b and c


def test_compare_with_a_single_stored_model_shows_a_message_not_a_word_box(tiny_store):
    at = run_page("app_pages/neighbours.py", active="tiny")
    assert not at.exception
    assert any("Only one model is stored" in i.value for i in at.info)
    assert not [t for t in at.text_input if t.key == "cmp_word"]


def test_analogy_page_shows_the_nearest_word_as_plain_text(store_with_models, lee_w2v):
    at = run_page("app_pages/analogies.py", active="lee-w2v")
    for key, word in (("an_a", "police"), ("an_b", "officers"), ("an_c", "fire")):
        at.text_input(key=key).set_value(word).run()
    first = lee_w2v.most_similar(positive=["officers", "fire"], negative=["police"], topn=1)[0][0]
    assert not at.success
    assert f"Nearest word: **{first}**" in [m.value for m in at.markdown]
    assert not re.search("Expected", " ".join(m.value for m in at.markdown))
