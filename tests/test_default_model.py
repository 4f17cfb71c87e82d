"""The default model trained on the bundled corpus has sensible neighbours."""

import pytest

from embeddings.train.default import DEFAULT_MODELS, ensure_default_model

pytestmark = pytest.mark.slow  # the session's default model: wiki+lee, about 530,000 tokens


@pytest.fixture(scope="module")
def default_kv(default_model_store):
    kv, _ = default_model_store.load(DEFAULT_MODELS["word2vec"])
    return kv


def test_the_default_model_is_trained_in_reproducible_mode(default_model_store):
    from embeddings.train.reproducible import REPRODUCIBLE_NOTE

    card = default_model_store.load_card(DEFAULT_MODELS["word2vec"])
    assert card.parameters["workers"] == 1 and card.parameters["seed"] == 1
    assert card.notes["reproducible"] == REPRODUCIBLE_NOTE


def test_the_default_model_is_trained_once_then_loaded(default_model_store):
    assert default_model_store.names() == [DEFAULT_MODELS["word2vec"]] == ["wiki-w2v"]
    card = default_model_store.load_card("wiki-w2v")
    assert card.corpus["name"] == "bundled:wiki+lee"
    assert ensure_default_model(default_model_store).created == card.created  # no retraining


def test_the_default_model_is_scored_when_it_is_created(default_model_store, default_kv):
    # Kept in its card: no workspace's Home page has to score the shared model.
    from embeddings.corpus.bundled import WORDSIM353, gensim_data
    from embeddings.evaluate.benchmarks import standard_benchmarks, stored_results

    card = default_model_store.load_card("wiki-w2v")
    results = stored_results(card, standard_benchmarks())
    _pearson, spearman, _oov = default_kv.evaluate_word_pairs(str(gensim_data(WORDSIM353)))
    assert results["wordsim353"]["spearman"] == pytest.approx(spearman[0], abs=1e-9)
    assert results["analogies"]["restrict_vocab"] == 30_000


def test_a_country_has_countries_as_neighbours(default_kv):
    neighbours = {w for w, _ in default_kv.most_similar("france", topn=10)}
    assert len(neighbours & {"spain", "italy", "russia", "germany", "britain"}) >= 2


def test_a_river_is_near_geography(default_kv):
    neighbours = {w for w, _ in default_kv.most_similar("river", topn=15)}
    assert neighbours & {"lake", "coast", "mississippi", "valley", "sea", "bay"}


def test_vocabulary_is_the_bundled_corpus_at_min_count_5(default_kv):
    assert 9000 < len(default_kv) < 11000
    assert default_kv.get_vecattr("the", "count") > 30000
