"""A UMAP map's neighbour graph from the model's index, and UMAP's layout progress/cancel."""

from __future__ import annotations

import numpy as np
import pytest

from embeddings.errors import Cancelled
from embeddings.progress import CancelToken
from embeddings.projection.map_knn import index_knn
from embeddings.projection.maps import create_map, list_maps, open_map
from embeddings.vectors.ann import build_index
from embeddings.vectors.exact_rows import nearest_rows
from embeddings.vectors.search import vector_index
from embeddings.vectors.store_index import build_model_index


@pytest.fixture(scope="module")
def lee_unit_and_index(lee_w2v):
    unit = vector_index(lee_w2v).unit
    return unit, build_index(unit)


def test_the_graph_is_the_exact_neighbours_of_every_word(lee_unit_and_index):
    unit, index = lee_unit_and_index
    rows = np.arange(len(unit))
    ids, dist = index_knn(index, unit, rows, k=15)
    exact = nearest_rows(unit, rows, 14)  # each word itself left out
    assert (ids[:, 0] == rows).all() and (dist[:, 0] == 0).all()
    recall = np.mean([len(set(a[1:]) & set(b)) / 14 for a, b in zip(ids, exact, strict=True)])
    assert recall >= 0.99
    cosines = np.einsum("nd,nkd->nk", unit, unit[ids])
    np.testing.assert_allclose(dist[:, 1:], 1 - cosines[:, 1:], atol=1e-5)
    assert (np.diff(dist, axis=1) >= -1e-6).all()  # nearest first


def test_only_mapped_words_are_neighbours_and_a_small_share_is_declined(lee_unit_and_index):
    unit, index = lee_unit_and_index
    vocab = len(unit)
    rows = np.arange(0, vocab, 4)[: vocab // 4]  # a quarter of the words
    assert index_knn(index, unit, rows, k=10) is None
    rows = np.sort(np.random.default_rng(0).choice(vocab, int(0.8 * vocab), replace=False))
    ids, _dist = index_knn(index, unit, rows, k=10)
    assert ids.min() >= 0 and ids.max() < len(rows)
    mapped = unit[rows]
    exact = nearest_rows(mapped, np.arange(len(rows)), 9)
    recall = np.mean([len(set(a[1:]) & set(b)) / 9 for a, b in zip(ids, exact, strict=True)])
    assert recall >= 0.98


def test_a_umap_map_takes_its_graph_from_the_index_with_progress(store_with_models):
    store = store_with_models
    pca = create_map(store, "lee-w2v", "pca", "pca", words=10_000)
    assert "neighbour_graph" not in pca.params
    build_model_index(store, "lee-w2v", recall_sample=100)
    stages = []
    info = create_map(
        store, "lee-w2v", "indexed", "umap", words=10_000, seed=1, progress=stages.append
    )
    assert info.params["neighbour_graph"] == "model index"
    graph = [e for e in stages if e.stage == "graph"]
    assert graph[-1].done == graph[-1].total == info.words
    epochs = [e for e in stages if e.stage == "umap" and e.total and e.total > 1]
    assert epochs and epochs[-1].done == epochs[-1].total  # the layout's epochs, to the end
    # A graph mixed up (a word given another's neighbours) would map worse than PCA.
    assert info.preservation > pca.preservation + 0.05
    assert open_map(store, "lee-w2v", "indexed").coords.shape == (info.words, 2)


def test_cancel_during_the_umap_layout_stops_it_and_keeps_nothing(store_with_models):
    store = store_with_models
    token = CancelToken()
    seen = []

    def progress(event):
        if event.stage == "umap" and event.total and event.total > 1:
            seen.append(event.done)
            token.cancel()

    with pytest.raises(Cancelled):
        create_map(store, "lee-w2v", "gone", "umap", words=500, progress=progress, cancel=token)
    assert seen and max(seen) < 100  # stopped early in the layout, not at its end
    assert list_maps(store, "lee-w2v") == []


def test_a_umap_map_beyond_a_quick_map_starts_from_pca(monkeypatch):
    # The spectral start decomposes the whole graph (minutes at a million words).
    import umap

    from embeddings.projection import methods

    seen = []
    original = umap.UMAP.__init__

    def spy(self, *args, **kwargs):
        seen.append(kwargs.get("init"))
        original(self, *args, **kwargs)

    monkeypatch.setattr(umap.UMAP, "__init__", spy)
    monkeypatch.setattr(methods, "SPECTRAL_UP_TO", 60)
    x = np.random.default_rng(0).standard_normal((120, 8)).astype(np.float32)
    methods.project(x[:60], "umap", seed=1)
    big = methods.project(x, "umap", seed=1)
    assert seen == ["spectral", "pca"] and big.coords.shape == (120, 2)
