"""The projection package: PCA/t-SNE/UMAP, faithfulness measures, word selection, k-means."""

from __future__ import annotations

import re

import numpy as np
import pytest
from gensim.models import KeyedVectors
from sklearn.decomposition import PCA
from sklearn.manifold import trustworthiness

from embeddings.errors import Cancelled, EmbeddingsError, ResourceLimitError, UnknownWordError
from embeddings.progress import CancelToken
from embeddings.projection import (
    kmeans_clusters,
    neighbour_preservation,
    project,
    select_words,
    trustworthiness_score,
)
from embeddings.projection.quality import knn_indices, true_neighbours
from embeddings.projection.select import MAX_WORDS, WordPattern, sphereize_vectors


@pytest.fixture(scope="module")
def vectors(lee_w2v) -> np.ndarray:
    """The 300 most frequent words' vectors of the Lee model (real, 50-d)."""
    return np.array(lee_w2v.vectors[:300])


def _unit(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


# --- methods ------------------------------------------------------------------------------


def test_pca_explained_variance_equals_sklearn(vectors):
    res = project(vectors, "pca", dims=3, seed=1)
    ref = PCA(n_components=3).fit(vectors)
    assert res.explained_variance == pytest.approx(list(ref.explained_variance_ratio_), rel=1e-6)
    assert res.coords.shape == (300, 3) and res.method == "pca"
    # The same axes as scikit-learn's, each turned so its largest coordinate is positive.
    expected = ref.transform(vectors)
    assert np.allclose(np.abs(res.coords), np.abs(expected), atol=1e-4)
    assert np.all(res.coords[np.argmax(np.abs(res.coords), axis=0), range(3)] > 0)


def test_pca_is_the_same_for_the_same_input(vectors):
    a = project(vectors, "pca", seed=1).coords
    assert np.array_equal(a, project(vectors.copy(), "pca", seed=7).coords)


def test_tsne_is_reproducible_with_a_fixed_seed(vectors):
    params = {"n_iter": 250}
    a = project(vectors, "tsne", seed=5, params=params)
    b = project(vectors, "tsne", seed=5, params=params)
    c = project(vectors, "tsne", seed=6, params=params)
    assert a.coords.shape == (300, 2)
    assert np.array_equal(a.coords, b.coords)
    assert not np.allclose(a.coords, c.coords)
    assert a.params == {"perplexity": 30.0, "n_iter": 250, "initialization": "pca",
                        "metric": "cosine"}  # fmt: skip


def test_tsne_in_three_dimensions(vectors):
    a = project(vectors[:120], "tsne", dims=3, seed=1, params={"n_iter": 250})
    b = project(vectors[:120], "tsne", dims=3, seed=1, params={"n_iter": 250})
    assert a.coords.shape == (120, 3) and np.array_equal(a.coords, b.coords)


def test_tsne_reports_every_25_iterations_across_both_phases(vectors):
    events = []
    project(vectors[:100], "tsne", seed=1, params={"n_iter": 250}, progress=events.append)
    # 125 early-exaggeration iterations, then 250: one event every 25, counted through.
    iterations = [e.done for e in events if e.message.startswith("iteration")]
    assert iterations == list(range(25, 376, 25))
    assert {e.total for e in events if e.message.startswith("iteration")} == {375}
    assert all("kl" in e.metrics for e in events if e.message.startswith("iteration"))
    assert (events[0].done, events[0].message) == (0, "100 words")
    assert (events[-1].done, events[-1].total, events[-1].message) == (1, 1, "done")


def test_tsne_stops_when_cancelled(vectors):
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        project(vectors[:100], "tsne", seed=1, cancel=token)


def test_umap_is_reproducible_with_a_fixed_seed(vectors):
    # One small case: the first UMAP call in a process compiles numba code.
    a = project(vectors[:150], "umap", seed=3)
    b = project(vectors[:150], "umap", seed=3)
    assert a.coords.shape == (150, 2) and a.method == "umap"
    assert np.array_equal(a.coords, b.coords)
    assert a.params == {"n_neighbors": 15, "min_dist": 0.1, "metric": "cosine"}


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"method": "mds"}, "Unknown method 'mds'; use one of pca, tsne, umap."),
        ({"dims": 4}, "dims must be 2 or 3."),
        ({"method": "pca", "dims": 3, "n": 3}, "Need at least 4 words to project."),
    ],
)
def test_project_refuses_bad_arguments(vectors, kwargs, message):
    n = kwargs.pop("n", 50)
    with pytest.raises(EmbeddingsError, match=re.escape(message)):
        project(vectors[:n], **kwargs)


# --- faithfulness ------------------------------------------------------------------------


def test_neighbour_preservation_on_a_hand_made_line():
    # Four points on a line at 0, 1, 10, 11; the map moves them to 0, 1, 11, 30.
    high = np.array([[0.0, 0], [1, 0], [10, 0], [11, 0]])
    low = np.array([[0.0, 0], [1, 0], [11, 0], [30, 0]])
    # k=1: true nearest 1, 0, 3, 2; on the map 1, 0, 1, 2 -> only the third point loses it.
    overall, per = neighbour_preservation(high, low, k=1, metric="euclidean")
    assert per.tolist() == [1.0, 1.0, 0.0, 1.0] and overall == 0.75
    # k=2: true {1,2} {0,2} {3,1} {2,1}; on the map {1,2} {0,2} {1,0} {2,1}.
    overall, per = neighbour_preservation(high, low, k=2, metric="euclidean")
    assert per.tolist() == [1.0, 1.0, 0.5, 1.0] and overall == 0.875


def test_neighbour_preservation_is_one_for_the_identity_and_low_for_a_random_map(vectors):
    unit = _unit(vectors.astype(np.float64))
    # On unit vectors cosine and Euclidean order neighbours alike: the identity keeps all.
    overall, per = neighbour_preservation(unit, unit, k=10)
    assert overall == 1.0 and per.shape == (300,) and set(per) == {1.0}

    rng = np.random.default_rng(0)
    random_map = rng.normal(size=(300, 2))
    overall, per = neighbour_preservation(vectors, random_map, k=10)
    # The same share counted by brute force.
    cos = unit @ unit.T
    np.fill_diagonal(cos, -np.inf)
    dist = ((random_map[:, None, :] - random_map[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(dist, np.inf)
    true = np.argsort(-cos, axis=1)[:, :10]
    kept = np.argsort(dist, axis=1)[:, :10]
    expected = np.array([len(set(a) & set(b)) / 10 for a, b in zip(true, kept, strict=True)])
    assert np.array_equal(per, expected)
    assert overall == pytest.approx(expected.mean())
    assert overall < 0.1  # chance level is 10/299


def test_knn_indices_exclude_the_point_itself():
    x = np.array([[0.0], [1.0], [3.0], [7.0]])
    assert knn_indices(x, 2).tolist() == [[1, 2], [0, 2], [1, 0], [2, 1]]
    assert knn_indices(x, 10).shape == (4, 3)


def test_trustworthiness_equals_sklearn(vectors):
    low = project(vectors, "pca", seed=1).coords
    for k in (5, 10):
        assert trustworthiness_score(vectors, low, k=k) == trustworthiness(
            vectors, low, n_neighbors=k, metric="cosine"
        )
    # k is lowered to what scikit-learn accepts on few points (k < n / 2).
    few = vectors[:12]
    assert trustworthiness_score(few, low[:12], k=10) == trustworthiness(
        few, low[:12], n_neighbors=4, metric="cosine"
    )
    assert np.isnan(trustworthiness_score(vectors[:4], low[:4], k=10))


def test_true_neighbours_follow_gensim(lee_w2v):
    index = lee_w2v.key_to_index["police"]
    found = true_neighbours(lee_w2v.vectors[:500], index, k=8)
    expected = lee_w2v.most_similar("police", topn=8, restrict_vocab=500)
    assert [lee_w2v.index_to_key[i] for i in found] == [w for w, _ in expected]


# --- choosing words -----------------------------------------------------------------------


def test_top_n_is_the_first_n_words_in_model_order(lee_w2v):
    sel = select_words(lee_w2v, "top", n=40)
    assert sel.words == lee_w2v.index_to_key[:40]
    assert sel.groups == [""] * 40 and sel.missing == []
    assert np.array_equal(sel.vectors, lee_w2v.vectors[:40])
    assert select_words(lee_w2v, "top", n=10**9).words == lee_w2v.index_to_key[:MAX_WORDS]


def test_neighbours_of_query_words_are_grouped(lee_w2v):
    police = [w for w, _ in lee_w2v.most_similar("police", topn=5)]
    cricket = [w for w, _ in lee_w2v.most_similar("cricket", topn=5)]
    assert not {"police", *police} & {"cricket", *cricket}  # disjoint groups on this model

    sel = select_words(lee_w2v, "neighbours", query_words=["police", " ", "qqqzzz", "cricket"], k=5)
    assert sel.words == ["police", *police, "cricket", *cricket]
    assert sel.groups == ["police"] * 6 + ["cricket"] * 6
    assert sel.missing == ["qqqzzz"]
    assert sel.query_words == ["police", "qqqzzz", "cricket"]
    assert np.array_equal(sel.vectors[1], lee_w2v[police[0]])


def test_neighbour_filters_skip_words_but_keep_k(lee_w2v):
    nearest = [w for w, _ in lee_w2v.most_similar("police", topn=8)]
    sel = select_words(lee_w2v, "neighbours", query_words=["police"], k=5, stopwords={nearest[0]})
    assert sel.words == ["police", *nearest[1:6]]


def test_regex_filter_in_every_mode(lee_w2v):
    expected = [w for w in lee_w2v.index_to_key if re.search("ment$", w)]
    assert "government" in expected and len(expected) > 10
    assert select_words(lee_w2v, "top", n=1000, regex="ment$").words == expected[:1000]
    listed = select_words(lee_w2v, "list", words=["police", *expected[:5]], regex="ment$")
    assert listed.words == expected[:5]
    with pytest.raises(EmbeddingsError, match="Invalid regular expression '\\(gov'"):
        select_words(lee_w2v, "top", regex="(gov")


def _vocabulary(words: list[str]) -> KeyedVectors:
    kv = KeyedVectors(4)
    rng = np.random.default_rng(0)
    kv.add_vectors(words, rng.normal(size=(len(words), 4)).astype(np.float32))
    return kv


# Both `re` and `regex` need about 2^30 steps on the word below (`re` holds the
# interpreter lock throughout): minutes, far past the time limit.
CATASTROPHIC = r"^(\w|\w)*!"
BACKTRACKER = "a" * 30 + "-!"


@pytest.mark.timeout(300)  # only a bound on a hang; the limit itself is FILTER_SECONDS
def test_catastrophic_regex_is_stopped_with_a_clear_error():
    kv = _vocabulary(["cat", "dog", "hen!", BACKTRACKER, "cow", "owl"])
    with pytest.raises(ResourceLimitError) as info:
        select_words(kv, "top", n=10, regex=CATASTROPHIC)
    assert str(info.value) == (
        f"The regular expression {CATASTROPHIC!r} took more than 3 s on this vocabulary and was "
        "stopped; simplify it (nested repeats such as (a|a)* or (a+)+ try exponentially "
        "many ways to match)."
    )
    with pytest.raises(ResourceLimitError):
        select_words(kv, "list", words=["cat", "dog", "owl", BACKTRACKER], regex=CATASTROPHIC)


@pytest.mark.timeout(300)
def test_the_time_limit_spans_the_whole_vocabulary():
    """Words that are each only somewhat slow add up, and the budget is for all of them."""
    pattern = WordPattern(CATASTROPHIC, seconds=0.2)
    words = [("ab" * 9)[: 14 + i % 4] + "-!" for i in range(2000)]
    with pytest.raises(ResourceLimitError, match="took more than 0.2 s"):
        for word in words:
            pattern.search(word)


def test_regex_length_is_capped(lee_w2v):
    longest = "^g" + ".?" * 99
    assert len(longest) == 200
    assert all(w.startswith("g") for w in select_words(lee_w2v, "top", n=5, regex=longest).words)
    with pytest.raises(EmbeddingsError, match="201 characters long; use at most 200"):
        select_words(lee_w2v, "top", regex="x" * 201)


def test_a_filter_in_top_mode_reads_only_what_it_needs():
    """Top-N stops at N matches: a slow word after them is never matched."""
    kv = _vocabulary(["cat", "cow", "cod", BACKTRACKER])
    assert select_words(kv, "top", n=3, regex=CATASTROPHIC[:-1] + "$").words == [
        "cat",
        "cow",
        "cod",
    ]


def test_word_list_keeps_order_drops_duplicates_and_reports_missing(lee_w2v):
    words = ["police", "fire", "police", " fire ", "qqqzzz", "", "water"]
    sel = select_words(lee_w2v, "list", words=words)
    assert sel.words == ["police", "fire", "water"]
    assert sel.missing == ["qqqzzz"]
    assert np.array_equal(sel.vectors, lee_w2v[["police", "fire", "water"]])


def test_stopwords_and_numbers_are_excluded():
    words = ["the", "1999", "3.5", "10%", "apple", "The", "12:30", "banana", "2nd", "cherry"]
    kv = KeyedVectors(3)
    kv.add_vectors(words, np.arange(30, dtype=np.float32).reshape(10, 3))
    assert select_words(kv, "top", n=10).words == words
    sel = select_words(kv, "top", n=10, stopwords={"the"}, exclude_numbers=True)
    assert sel.words == ["apple", "banana", "2nd", "cherry"]
    assert sel.vectors[:, 0].tolist() == [12.0, 21.0, 24.0, 27.0]
    numbers_only = select_words(kv, "top", n=10, exclude_numbers=True).words
    assert numbers_only == ["the", "apple", "The", "banana", "2nd", "cherry"]


def test_sphereize_centres_then_normalises(lee_w2v):
    raw = select_words(lee_w2v, "top", n=100).vectors
    sel = select_words(lee_w2v, "top", n=100, sphereize=True)
    centred = raw - raw.mean(axis=0)
    assert np.allclose(sel.vectors, _unit(centred), atol=1e-6)
    assert np.allclose(np.linalg.norm(sel.vectors, axis=1), 1.0, atol=1e-6)
    assert sel.vectors.dtype == np.float32
    zero_row = sphereize_vectors(np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 0.0]]))
    assert zero_row.tolist() == [[1.0, 0.0], [-1.0, 0.0], [0.0, 0.0]]


def test_random_sample_is_seeded_and_in_model_order(lee_w2v):
    a = select_words(lee_w2v, "top", n=100, sample=True, seed=3)
    b = select_words(lee_w2v, "top", n=100, sample=True, seed=3)
    c = select_words(lee_w2v, "top", n=100, sample=True, seed=4)
    assert a.words == b.words and a.words != c.words
    assert len(set(a.words)) == 100 and a.words != lee_w2v.index_to_key[:100]
    positions = [lee_w2v.key_to_index[w] for w in a.words]
    assert positions == sorted(positions)
    filtered = select_words(lee_w2v, "top", n=100, sample=True, seed=3, stopwords={"the"})
    assert "the" not in filtered.words and len(filtered.words) == 100


def test_selection_key_depends_on_words_and_groups(lee_w2v):
    a = select_words(lee_w2v, "list", words=["police", "fire", "water"])
    b = select_words(lee_w2v, "list", words=["police", "fire", "water"])
    assert a.key() == b.key()
    b.groups = ["police", "", ""]
    assert a.key() != b.key()


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"mode": "cloud"}, EmbeddingsError, "Unknown selection mode 'cloud'"),
        ({"mode": "neighbours"}, EmbeddingsError, "Type at least one query word"),
        ({"mode": "neighbours", "query_words": ["qqqzzz"]}, UnknownWordError, "None of qqqzzz"),
        ({"mode": "list", "words": ["police", "fire"]}, EmbeddingsError, "Only 2 word(s)"),
        ({"mode": "top", "n": 2}, EmbeddingsError, "Only 2 word(s) selected"),
    ],
)
def test_selection_errors(lee_w2v, kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        select_words(lee_w2v, **kwargs)


# --- clusters -----------------------------------------------------------------------------


def test_kmeans_clusters_are_reproducible_and_ignore_vector_length(vectors):
    labels = kmeans_clusters(vectors, k=6, seed=1)
    assert labels.shape == (300,) and set(labels.tolist()) == set(range(6))
    assert np.array_equal(labels, kmeans_clusters(vectors, k=6, seed=1))
    # Clusters are of directions: scaling rows by powers of two (exact) changes nothing.
    scales = 2.0 ** np.random.default_rng(0).integers(-3, 4, size=(300, 1))
    assert np.array_equal(labels, kmeans_clusters(vectors * scales, k=6, seed=1))


def test_kmeans_k_is_capped_by_the_number_of_words(vectors):
    assert sorted(kmeans_clusters(vectors[:3], k=10).tolist()) == [0, 1, 2]


@pytest.mark.parametrize("k", [0, -1])
def test_neighbour_preservation_needs_k_of_at_least_one(k):
    x = np.random.default_rng(0).normal(size=(20, 3))
    with pytest.raises(EmbeddingsError, match=f"k must be at least 1 \\(got {k}\\)"):
        neighbour_preservation(x, x[:, :2], k=k)
