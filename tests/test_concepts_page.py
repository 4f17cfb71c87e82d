"""AppTest of the Concepts page: the chapter's tables on the page, negative sampling on
the active model (cosine stand-in without output weights, the real score with them),
the lookup table and the static-embedding neighbours."""

from __future__ import annotations

import numpy as np
import pytest

from embeddings.chapter.negative_sampling import noise_distribution
from tests.chapter import CHAPTER_COOCCURRENCE, CHAPTER_ORDER
from tests.conftest import run_page


def _frames(at):
    """Dataframes carry no key in AppTest; find them by their columns instead."""
    return [d.value for d in at.dataframe]


def _frame_with(at, *columns):
    for frame in _frames(at):
        if all(c in frame.columns for c in columns):
            return frame
    raise AssertionError(f"no table with columns {columns}")


def _data(frame):
    """The DataFrame behind a Styler or the frame itself."""
    return frame.data if hasattr(frame, "data") else frame


@pytest.fixture
def page(store_with_models):
    at = run_page("app_pages/concepts.py", active="lee-w2v")
    assert not at.exception
    return at


def test_chapter_tables_are_on_the_page(page):
    at = page
    # The chapter's "I love cats", with "cats" (not in the Lee model) swapped for a word it has.
    words = at.text_input(key="cn_onehot_sentence").value.split()
    assert words[:2] == ["I", "love"] and len(words) == 3 and words[2] != "cats"
    one_hot = _frame_with(at, *words)
    assert one_hot.to_numpy().tolist() == np.eye(3, dtype=int).tolist()
    cbow = _frame_with(at, "position", "context", "centre")
    assert cbow.centre.tolist() == ["The", "fat", "cat", "sat", "on", "the", "mat"]
    assert cbow.context[2] == "The, fat, sat, on"
    chapter = _frame_with(at, "centre word", "context words")
    assert chapter["centre word"][0] == "[1, 0, 0, 0, 0, 0, 0]"
    assert chapter["context words"][6] == "[0, 0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 1, 0]"
    counts = _frame_with(at, *CHAPTER_ORDER)
    assert list(counts.index) == CHAPTER_ORDER
    assert counts.to_numpy().tolist() == CHAPTER_COOCCURRENCE


def test_memory_table_uses_the_models_vocabulary(page, lee_w2v):
    memory = _frame_with(page, "representation", "bytes per word")
    v, d = len(lee_w2v), lee_w2v.vector_size
    assert memory["whole vocabulary (bytes)"].tolist() == [v * v * 4, v * 4, v * d * 4]


def test_default_centre_is_a_word_the_model_knows(page):
    # "cat" (the chapter's centre) is not in the Lee model: the first known word is used.
    assert page.selectbox(key="cn_centre").value == 0
    table = _data(_frame_with(page, "input 1", "input 2", "label"))
    assert table["input 1"].unique().tolist() == ["the"]
    assert table["input 2"][:2].tolist() == ["fat", "cat"]
    assert table.score[:2].isna().all()  # neither is in the model


def test_negative_sampling_without_output_weights_says_so(page, lee_w2v):
    at = page
    at.text_input(key="cn_ctx_sentence").set_value("police said the fire was burning").run()
    at.selectbox(key="cn_centre").set_value(3).run()
    at.number_input(key="cn_negatives").set_value(7).run()
    assert not at.exception and not at.error
    assert any("were not kept" in w.value for w in at.warning)
    table = _data(_frame_with(at, "input 1", "input 2", "label"))
    assert table.label.tolist() == [1, 1, 1, 1] + [0] * 7
    assert table["input 2"][:4].tolist() == ["said", "the", "was", "burning"]
    noise = noise_distribution(lee_w2v)
    negatives = table[table.label == 0]
    assert not set(negatives["input 2"]) & {"fire", "said", "the", "was", "burning"}
    for w, p in zip(negatives["input 2"], negatives["P_n(w)"], strict=True):
        assert p == noise.probabilities[lee_w2v.key_to_index[w]]
    for w, score in zip(table["input 2"], table.score, strict=True):
        assert score == pytest.approx(float(lee_w2v.similarity("fire", w)), abs=1e-6)


@pytest.mark.slow
def test_negative_sampling_with_kept_output_weights(store, lee_sentences):
    from embeddings.corpus.sentences import prepare_documents
    from embeddings.train.trainer import train_and_store

    docs = [" ".join(s) for s in lee_sentences]
    corpus = prepare_documents(docs, "lee", "simple", out_path=store.root / "lee.txt")
    params = {"vector_size": 20, "min_count": 3, "epochs": 3, "workers": 1, "sg": 0}
    result = train_and_store(store, corpus, "word2vec", params, "lee-cbow")
    at = run_page("app_pages/concepts.py", active="lee-cbow")
    at.text_input(key="cn_ctx_sentence").set_value("the fire crews fought the blaze").run()
    at.selectbox(key="cn_centre").set_value(1).run()
    assert not at.exception and not at.error
    assert any("syn1neg" in s.value for s in at.success)
    table = _data(_frame_with(at, "input 1", "input 2", "label", "sigmoid"))
    kv, out = result.kv, result.syn1neg
    row = table[table["input 2"] == "crews"].iloc[0]
    expected = float(kv["fire"].astype(float) @ out[kv.key_to_index["crews"]].astype(float))
    assert row.score == pytest.approx(expected, rel=1e-5)
    cbow = _frame_with(at, "candidate", "label", "sigmoid")
    assert cbow.candidate[0] == "fire" and cbow.label.tolist()[0] == 1


def test_lookup_shows_index_and_row(page, lee_w2v):
    at = page
    at.text_input(key="cn_lookup_word").set_value("Police").run()
    index = lee_w2v.key_to_index["police"]
    assert any(f"**police** → integer **{index:,}**" in m.value for m in at.markdown)
    row = _data(_frame_with(at, "d0", "d49"))
    assert list(row.index) == [index]
    np.testing.assert_array_equal(row.to_numpy()[0], lee_w2v.vectors[index])


def test_static_neighbours_of_bank(page, lee_w2v):
    at = page
    ranked = _frame_with(at, "rank", "word", "similarity")
    assert ranked.word.tolist() == [w for w, _ in lee_w2v.most_similar("bank", topn=15)]
    at.text_input(key="cn_static_word").set_value("banq").run()
    assert not at.exception
    assert any("not in the vocabulary" in e.value for e in at.error)


def test_lower_cased_tokens_and_a_new_sentence(page):
    at = page
    at.radio(key="cn_tokenizer").set_value("simple").run()
    at.text_input(key="cn_ctx_sentence").set_value("Police said, police said.").run()
    assert not at.exception
    skip = next(f for f in _frames(at) if list(f.columns) == ["position", "centre", "context"])
    assert skip.centre.tolist()[:2] == ["police", "police"]
    assert skip.context.tolist()[:2] == ["said", "police"]
    counts = _frame_with(at, "i", "like", "nlp")
    assert counts.loc["i", "like"] == 2
