"""Cached projections and faithfulness for the Projection page (Streamlit glue)."""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
import streamlit as st

from embeddings.projection import (
    kmeans_clusters,
    neighbour_preservation,
    project,
    select_words,
    trustworthiness_score,
)
from embeddings.vectors.export import coordinates_csv, projector_files, projector_rows, zip_bytes
from utils.cache_keys import cache_key


@st.cache_data(show_spinner=False, max_entries=8)
def cached_selection(_kv, selection_key: str, options: dict):
    """The selection for ``options`` (select_words keyword arguments) on one model.

    ``selection_key`` is ``cache_key(model, **options)``: the model's content version and
    every option (Sphereize included), so it also identifies the selected vectors.
    """
    return select_words(_kv, **options)


_PROJECTIONS: OrderedDict = OrderedDict()
_PROJECTIONS_LOCK = threading.Lock()
_PROJECTIONS_MAX = 16


def projection_key(selection_key: str, method: str, dims: int, seed: int, params: dict) -> str:
    """The key of one map: the selection's key plus everything the projection depends on."""
    return cache_key(selection_key, method=method, dims=dims, seed=seed, params=params)


def stored_projection(key: str):
    """The projection computed for ``key`` (by any session), or None."""
    with _PROJECTIONS_LOCK:
        if key in _PROJECTIONS:
            _PROJECTIONS.move_to_end(key)
            return _PROJECTIONS[key]
    return None


def compute_projection(
    vectors, key: str, method: str, dims: int, seed: int, params: dict, progress, cancel
):
    """Project and keep the result under ``key``, shared by sessions (run as a job).

    Not ``st.cache_data``: it runs in a worker thread, and the result is looked up with
    :func:`stored_projection` without recomputing.
    """
    result = project(
        vectors, method, dims=dims, seed=seed, params=params, progress=progress, cancel=cancel
    )
    with _PROJECTIONS_LOCK:
        _PROJECTIONS[key] = result
        while len(_PROJECTIONS) > _PROJECTIONS_MAX:
            _PROJECTIONS.popitem(last=False)
    return result


@st.cache_data(show_spinner=False, max_entries=16)
def cached_quality(_vectors, _coords, result_key: str, k: int):
    """(overall preservation, per-word preservation, trustworthiness) of one map.

    ``result_key`` is the map's :func:`projection_key`.
    """
    overall, per = neighbour_preservation(_vectors, _coords, k=k)
    return overall, per, trustworthiness_score(_vectors, _coords, k=k)


@st.cache_data(show_spinner=False, max_entries=8)
def cached_clusters(_vectors, selection_key: str, k: int, seed: int):
    """k-means clusters of the selected vectors (``selection_key`` as for the selection)."""
    return kmeans_clusters(_vectors, k=k, seed=seed)


def word_counts(kv, words: list[str]) -> np.ndarray:
    """Each word's corpus count from the model (0 when the model has none)."""
    out = np.zeros(len(words))
    for i, w in enumerate(words):
        try:
            out[i] = kv.get_vecattr(w, "count")
        except (KeyError, AttributeError):
            pass
    return out


def export_zip(kv, sel, coords, clusters, prefix: str, figure_html: bytes) -> bytes:
    """Projector files (word, count, cluster, group), coordinates CSV and the figure HTML."""
    columns = {"count": None}
    if clusters is not None:
        columns["cluster"] = [int(c) for c in clusters]
    if any(sel.groups):
        columns["group"] = list(sel.groups)
    rows = projector_rows(kv, words=sel.words, columns=columns)
    files = projector_files(rows, prefix, sel.query_words or None)
    files[f"{prefix}_coordinates.csv"] = coordinates_csv(sel.words, coords)
    files[f"{prefix}_map.html"] = figure_html
    return zip_bytes(files)
