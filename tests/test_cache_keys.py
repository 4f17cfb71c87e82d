"""Cache keys: a model's content version and every option that changes a result."""

import os

import numpy as np
import pytest

from embeddings.vectors.store import ModelCard
from tests.conftest import run_page
from utils.cache_keys import cache_key
from utils.projection_cache import projection_key
from utils.state import ActiveModel

os.environ.setdefault("EMBEDDINGS_NO_WARMUP", "1")


def _shuffled(kv, seed=0):
    """The same vocabulary with other vectors (rows permuted)."""
    from gensim.models import KeyedVectors

    other = KeyedVectors(kv.vector_size)
    rows = np.random.default_rng(seed).permutation(len(kv))
    other.add_vectors(kv.index_to_key, kv.vectors[rows])
    return other


# -- the store's content version ---------------------------------------------------------
def test_version_changes_with_the_vectors_not_with_the_card(store, lee_w2v):
    card = store.save(lee_w2v, ModelCard(name="m", algorithm="word2vec"))
    first = store.version("m")
    card.evaluation = {"wordsim353": {"spearman": 0.5}}
    store.update_card(card)
    assert store.version("m") == first
    store.rename("m", "n")
    assert store.version("n") == first
    store.save(lee_w2v, ModelCard(name="n", algorithm="word2vec"), overwrite=True)
    assert store.version("n") != first
    store.save(lee_w2v, ModelCard(name="copy", algorithm="word2vec"))
    assert store.version("copy") != store.version("n")


def test_an_entry_without_a_version_file_is_versioned_by_its_vectors_file(store, lee_w2v):
    store.save(lee_w2v, ModelCard(name="m", algorithm="word2vec"))
    (store.path("m") / "version").unlink()
    stamp = store.version("m")
    assert stamp == store.version("m")
    store.save(lee_w2v, ModelCard(name="m", algorithm="word2vec"), overwrite=True)
    (store.path("m") / "version").unlink()
    assert store.version("m") != stamp


# -- the key helper ----------------------------------------------------------------------
def test_two_models_with_the_same_vocabulary_get_different_keys(store, lee_w2v):
    store.save(lee_w2v, ModelCard(name="a", algorithm="word2vec"))
    store.save(_shuffled(lee_w2v), ModelCard(name="b", algorithm="word2vec"))
    options = {"mode": "top", "n": 1000}
    a = ActiveModel("a", lee_w2v, None, store.version("a"))
    b = ActiveModel("b", lee_w2v, None, store.version("b"))
    assert cache_key(a, **options) != cache_key(b, **options)
    retrained = ActiveModel("a", lee_w2v, None, "another-version")
    assert cache_key(a, **options) != cache_key(retrained, **options)


def test_every_option_is_in_the_key_and_equal_options_give_equal_keys():
    model = ActiveModel("m", None, None, "v1")
    base = {"mode": "top", "n": 1000, "stopwords": {"the", "a", "of"}, "sphereize": False}
    key = cache_key(model, **base)
    assert key.startswith("m@v1|")
    assert cache_key(model, **{**base, "stopwords": {"of", "the", "a"}}) == key
    assert cache_key(model, **{**base, "sphereize": True}) != key
    assert cache_key(model, **{**base, "n": 999}) != key
    assert cache_key(model, **{**base, "stopwords": None}) != key
    assert cache_key(model) == "m@v1"


def test_projection_keys_extend_the_selection_key():
    sel_a = cache_key(ActiveModel("m", None, None, "v1"), mode="top", sphereize=False)
    sel_b = cache_key(ActiveModel("m", None, None, "v1"), mode="top", sphereize=True)
    pca = projection_key(sel_a, "pca", 2, 1, {})
    assert pca == projection_key(sel_a, "pca", 2, np.int64(1), {})
    assert pca != projection_key(sel_b, "pca", 2, 1, {})
    assert pca != projection_key(sel_a, "pca", 3, 1, {})
    tsne = projection_key(sel_a, "tsne", 2, 1, {"perplexity": 30.0})
    assert tsne != projection_key(sel_a, "tsne", 2, 1, {"perplexity": 5.0})


# -- the shared model cache ----------------------------------------------------------------
def test_a_card_update_keeps_the_loaded_model_and_a_new_save_reloads(store, lee_w2v):
    from utils.state import load_model

    card = store.save(lee_w2v, ModelCard(name="m", algorithm="word2vec"))
    first = load_model("m")
    card.evaluation = {"score": 1}
    store.update_card(card)
    second = load_model("m")
    assert second.kv is first.kv and second.card.evaluation == {"score": 1}
    store.save(_shuffled(lee_w2v), ModelCard(name="m", algorithm="word2vec"), overwrite=True)
    third = load_model("m")
    assert third.kv is not first.kv and third.version != first.version


# -- the Projection page -----------------------------------------------------------------
def _metric(at, label_start):
    return next(m for m in at.metric if m.label.startswith(label_start)).value


@pytest.fixture
def two_models(store, lee_w2v):
    store.save(lee_w2v, ModelCard(name="a", algorithm="word2vec"))
    store.save(_shuffled(lee_w2v), ModelCard(name="b", algorithm="word2vec"))
    return store


def test_projection_page_scores_each_model_of_one_vocabulary_apart(two_models):
    at = run_page("app_pages/projection.py", active="a")
    trust_a = _metric(at, "Trustworthiness")
    at.session_state["active_model"] = "b"
    at.run()
    assert not at.exception and at.session_state["active_model"] == "b"
    assert _metric(at, "Trustworthiness") != trust_a


def test_projection_page_sphereize_gives_another_map(two_models):
    at = run_page("app_pages/projection.py", active="a")
    plain = _metric(at, "Explained variance")
    next(c for c in at.checkbox if c.label.startswith("Sphereize")).check().run()
    assert not at.exception
    assert _metric(at, "Explained variance") != plain
