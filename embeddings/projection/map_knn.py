"""A UMAP map's nearest-neighbour graph, read from the model's neighbour index.

UMAP starts from each word's k nearest neighbours. Left to itself it finds them with
NN-descent on the map's PCA-reduced vectors: minutes at a million words, single-threaded
when seeded, with no progress and no way to stop it. When the model has a neighbour
index (:mod:`embeddings.vectors.ann`, an HNSW graph over all its words), the graph is
read from it instead, in the model's full space: candidates from the index, re-ranked
with exact cosines, a batch at a time with progress and cancel.

Only words on the map count as neighbours. For a map of most of the vocabulary the
index's candidates nearly always hold enough of them; for a small sample of a large
vocabulary they do not, and :func:`index_knn` returns None (UMAP then searches itself).

Example
-------
>>> from embeddings.vectors.ann import build_index
>>> rng = np.random.default_rng(0)
>>> unit = rng.standard_normal((300, 8)).astype(np.float32)
>>> unit /= np.linalg.norm(unit, axis=1, keepdims=True)
>>> ids, dist = index_knn(build_index(unit), unit, np.arange(300), k=5)
>>> ids.shape, int(ids[7, 0]), float(dist[7, 0])
((300, 5), 7, 0.0)
"""

from __future__ import annotations

import os

import numpy as np

from ..progress import CancelToken, Progress, ProgressCallback, check_cancel, report
from ..vectors.ann import candidate_count

BATCH = 1024
# Below this share of the vocabulary on the map, the index's candidates are mostly
# words off the map: not worth asking.
MIN_SHARE = 0.5
# Words the candidates leave short of k neighbours are searched exactly among the
# mapped words; past this share of the map, the index is given up on.
MAX_SHORT_SHARE = 0.01


def index_knn(
    index,
    unit: np.ndarray,
    rows: np.ndarray,
    k: int,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    threads: int | None = None,
) -> tuple[np.ndarray, np.ndarray] | None:
    """The ``k`` nearest mapped words of every mapped word, from ``index``.

    Parameters
    ----------
    index : usearch.index.Index
        The model's neighbour index (keys are row ids of ``unit``).
    unit : ndarray (vocabulary, d)
        The model's unit vectors.
    rows : ndarray of int
        The mapped words' row ids, in map order.
    k : int
        Neighbours per word, the word itself first (UMAP's ``n_neighbors``).

    Returns
    -------
    (indices, distances) or None
        ``(len(rows), k)`` arrays: positions in ``rows`` and cosine distances
        (1 - cosine), nearest first, each word itself first at distance 0; None when
        the index cannot give the graph (too small a share of the vocabulary mapped,
        or too many words left short).
    """
    rows = np.asarray(rows, dtype=np.int64)
    n, vocab = len(rows), len(unit)
    if k < 2 or n <= k or n < MIN_SHARE * vocab or len(index) != vocab:
        return None
    position = np.full(vocab, -1, dtype=np.int64)
    position[rows] = np.arange(n)
    want = candidate_count(k + 1, vocab)  # as many as a query re-ranks
    threads = threads or os.cpu_count() or 1
    ids = np.empty((n, k), dtype=np.int64)
    dist = np.empty((n, k), dtype=np.float32)
    short: list[int] = []
    for start in range(0, n, BATCH):
        check_cancel(cancel)
        block = rows[start : start + BATCH]
        queries = np.ascontiguousarray(unit[block], dtype=np.float32)
        matches = index.search(queries, want, threads=threads)
        keys = np.asarray(matches.keys, dtype=np.int64).reshape(len(block), -1)
        found = np.arange(keys.shape[1])[None, :] < np.asarray(matches.counts)[:, None]
        keys = np.where(found & (keys >= 0) & (keys < vocab), keys, 0)
        at = position[keys]
        usable = found & (at >= 0) & (keys != block[:, None])
        # Exact cosines of the candidates (the index's own are quantised).
        sims = (unit[keys] * queries[:, None, :]).sum(axis=2)
        sims = np.where(usable, sims, -np.inf)
        order = np.argsort(-sims, axis=1, kind="stable")[:, : k - 1]
        best = np.take_along_axis(sims, order, axis=1)
        ids[start : start + len(block), 0] = np.arange(start, start + len(block))
        dist[start : start + len(block), 0] = 0.0
        ids[start : start + len(block), 1:] = np.take_along_axis(at, order, axis=1)
        dist[start : start + len(block), 1:] = np.clip(1.0 - best, 0.0, 2.0)
        short.extend((start + np.flatnonzero(~np.isfinite(best).all(axis=1))).tolist())
        if len(short) > MAX_SHORT_SHARE * n:
            return None
        report(
            progress,
            Progress("graph", start + len(block), n, "nearest neighbours from the model's index"),
        )
    if short:
        _exact_rows(unit, rows, np.asarray(short), ids, dist)
    return ids, dist


def _exact_rows(unit, rows, short, ids, dist) -> None:
    """Fill the neighbours of the map positions ``short`` by exact search on the map."""
    mapped = np.ascontiguousarray(unit[rows], dtype=np.float32)
    k = ids.shape[1]
    for i in short:
        sims = mapped @ mapped[i]
        sims[i] = -np.inf
        top = np.argpartition(-sims, k - 2)[: k - 1]
        top = top[np.argsort(-sims[top], kind="stable")]
        ids[i, 0], dist[i, 0] = i, 0.0
        ids[i, 1:] = top
        dist[i, 1:] = np.clip(1.0 - sims[top], 0.0, 2.0)


def model_graph(kv, rows: np.ndarray, params: dict | None = None, progress=None, cancel=None):
    """:func:`index_knn` for a UMAP map of ``kv``'s ``rows`` when ``kv`` has a neighbour
    index (as the store attaches it on load), with UMAP's ``n_neighbors``; else None."""
    from ..vectors.search import vector_index
    from .methods import DEFAULTS

    searcher = vector_index(kv)
    if searcher.ann is None:
        return None
    k = int({**DEFAULTS["umap"], **(params or {})}["n_neighbors"])
    return index_knn(searcher.ann, searcher.unit, rows, min(k, len(rows) - 1), progress, cancel)
