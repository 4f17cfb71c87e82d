"""What a map's view needs that takes seconds to compute, computed once by the map's job
and stored beside its coordinates, so reopening a map only reads files.

Each mapped word's k-means cluster (at the default k) and the true neighbours shown on
hover live in the map's folder, written in the same atomic save as the coordinates (a
cancelled job leaves none of them)::

    clusters.npy   uint16 (n,): each mapped word's cluster (0..k-1) at the default k
    hover.npy      int64 (h, k): the model rows of the true neighbours (cosine, full
                   space, whole vocabulary, nearest first) of the h most frequent mapped
                   words; -1 where a word has fewer neighbours than k
    view.json      {"clusters_k", "clusters_seed", "hover_words", "hover_k"}

Plain arrays, memory-mapped on open, never pickles. Maps stored before these files
existed still open: their clusters and hover neighbours are computed on demand, as are
the clusters for any other k.

Example
-------
>>> opened = open_map(store, "crawl-300d", "all-umap")  # doctest: +SKIP
>>> clusters_for(opened, kv, DEFAULT_K)[:3], hover_neighbours(opened, kv)[0][:2]  # doctest: +SKIP
(memmap([3, 3, 5], dtype=uint16), [',', '.'])
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import FormatError
from ..progress import CancelToken, ProgressCallback, check_cancel
from ..vectors.store_files import atomic_write_json
from ..vectors.store_format import map_array
from .map_info import damaged_message, read_map_json
from .map_view import (
    full_space_neighbour_rows,
    full_space_neighbours,
    hover_count,
    map_clusters,
    neighbour_words,
    point_ids,
)

CLUSTERS_FILE = "clusters.npy"
HOVER_FILE = "hover.npy"
VIEW_FILE = "view.json"
DEFAULT_K = 8  # the clusters stored with a map; the page's default choice of k
CLUSTER_SEED = 1
HOVER_K = 8  # true neighbours shown on hover


@dataclass
class ViewData:
    """A map's stored clusters (at ``clusters_k``, k-means seeded by ``clusters_seed``)
    and hover neighbour rows."""

    clusters_k: int
    clusters: np.ndarray
    hover: np.ndarray
    clusters_seed: int = CLUSTER_SEED

    def meta(self) -> dict:
        """The content of ``view.json``."""
        return {
            "clusters_k": int(self.clusters_k),
            "clusters_seed": int(self.clusters_seed),
            "hover_words": int(self.hover.shape[0]),
            "hover_k": int(self.hover.shape[1]),
        }


def compute_view_data(
    kv,
    rows: np.ndarray,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> ViewData:
    """The clusters (k = :data:`DEFAULT_K`) of the mapped ``rows`` and the hover
    neighbours of the most frequent of them (:func:`.map_view.hover_count` words).

    ``progress`` gets ``"clusters"`` and ``"hover"`` events; ``cancel`` is checked
    between chunks of both.
    """
    rows = np.asarray(rows, dtype=np.int64)
    clusters = map_clusters(
        kv, rows, k=DEFAULT_K, seed=CLUSTER_SEED, progress=progress, cancel=cancel
    )
    check_cancel(cancel)
    shown = hover_count(len(kv.index_to_key), int(kv.vector_size), len(rows))
    hover = full_space_neighbour_rows(kv, rows[:shown], HOVER_K, progress, cancel)
    return ViewData(DEFAULT_K, np.asarray(clusters, dtype=np.uint16), hover)


def write_view_data(folder: Path, data: ViewData) -> None:
    """Write ``data`` into a map's (temporary) ``folder``; ``view.json`` last."""
    np.save(folder / CLUSTERS_FILE, np.ascontiguousarray(data.clusters), allow_pickle=False)
    np.save(folder / HOVER_FILE, np.ascontiguousarray(data.hover), allow_pickle=False)
    atomic_write_json(folder / VIEW_FILE, data.meta(), create_parent=False)


def read_view_data(opened) -> ViewData | None:
    """The stored view data of an opened map (memory-mapped), or None for a map stored
    before it existed.

    Raises
    ------
    FormatError
        The files are damaged or do not match the map.
    """
    info, folder = opened.info, opened.folder
    try:
        meta = read_map_json(folder / VIEW_FILE, info.model, info.name)
    except FileNotFoundError:
        return None
    try:
        clusters = map_array(folder / CLUSTERS_FILE)
        hover = map_array(folder / HOVER_FILE)
        data = ViewData(int(meta["clusters_k"]), clusters, hover, int(meta["clusters_seed"]))
        fits = (
            clusters.shape == (info.words,)
            and hover.ndim == 2
            and hover.shape[0] <= info.words
            and data.meta() == meta
        )
    except (OSError, ValueError, EOFError, TypeError, KeyError) as exc:
        raise FormatError(damaged_message(info.model, info.name, f"view data: {exc}")) from None
    if not fits:
        raise FormatError(damaged_message(info.model, info.name, "view data do not match"))
    return data


def clusters_for(opened, kv, k: int = DEFAULT_K) -> np.ndarray:
    """The k-means clusters of an opened map's words: the stored ones at the stored k,
    else computed now (:func:`.map_view.map_clusters`, seeded by :data:`CLUSTER_SEED`)."""
    stored = read_view_data(opened)
    if stored is not None and (stored.clusters_k, stored.clusters_seed) == (int(k), CLUSTER_SEED):
        return stored.clusters
    return map_clusters(kv, opened.rows, k=int(k), seed=CLUSTER_SEED)


def hover_neighbours(opened, kv) -> list[list[str]]:
    """The true neighbours shown on hover, one list per most frequent mapped word (as
    many as were stored, or :func:`.map_view.hover_count` computed now)."""
    stored = read_view_data(opened)
    if stored is None:
        shown = hover_count(len(kv.index_to_key), int(kv.vector_size), len(opened.rows))
        return full_space_neighbours(kv, opened.words[:shown], k=HOVER_K)
    if stored.hover.size and int(stored.hover.max()) >= len(kv.index_to_key):
        raise FormatError(
            damaged_message(opened.info.model, opened.info.name, "hover rows beyond the model")
        )
    return neighbour_words(kv, stored.hover)


def lookup_neighbours(opened, kv, point) -> dict | None:
    """The answer to a browser's hover lookup: ``{"index": point, "neighbours": "a, b"}``
    with the :data:`HOVER_K` true neighbours (cosine, full space, whole vocabulary) of the
    map's word at ``point``, or None when ``point`` is not a point id of the map (the
    request comes from a browser: anything else is ignored)."""
    if not point_ids([point], len(opened.words)):
        return None
    neighbours = full_space_neighbours(kv, [opened.words[point]], k=HOVER_K)[0]
    return {"index": point, "neighbours": ", ".join(neighbours)}
