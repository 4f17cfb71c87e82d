"""The default model trained on the bundled corpus has sensible neighbours."""

import pytest

from embeddings.train.default import DEFAULT_MODELS, ensure_default_model


@pytest.fixture(scope="module")
def default_model(tmp_path_factory):
    from embeddings.vectors.store import ModelStore

    store = ModelStore(tmp_path_factory.mktemp("default") / "models")
    card = ensure_default_model(store)
    assert card.name == DEFAULT_MODELS["word2vec"] and store.names() == ["wiki-w2v"]
    assert ensure_default_model(store).created == card.created  # second call loads, no retraining
    return store.load("wiki-w2v")


@pytest.fixture(scope="module")
def default_kv(default_model):
    return default_model[0]


def test_the_default_model_is_trained_in_reproducible_mode(default_model):
    from embeddings.train.reproducible import REPRODUCIBLE_NOTE

    card = default_model[1]
    assert card.parameters["workers"] == 1 and card.parameters["seed"] == 1
    assert card.notes["reproducible"] == REPRODUCIBLE_NOTE


def test_a_country_has_countries_as_neighbours(default_kv):
    neighbours = {w for w, _ in default_kv.most_similar("france", topn=10)}
    assert len(neighbours & {"spain", "italy", "russia", "germany", "britain"}) >= 2


def test_a_river_is_near_geography(default_kv):
    neighbours = {w for w, _ in default_kv.most_similar("river", topn=15)}
    assert neighbours & {"lake", "coast", "mississippi", "valley", "sea", "bay"}


def test_vocabulary_is_the_bundled_corpus_at_min_count_5(default_kv):
    assert 9000 < len(default_kv) < 11000
    assert default_kv.get_vecattr("the", "count") > 30000
