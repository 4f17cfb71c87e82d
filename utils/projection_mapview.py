"""One stored map on the Projection page: its faithfulness, colours, search, the WebGL
drawing (the map component) or a 3-D plot, then the selection and export panels
(Streamlit glue; the data comes from :mod:`embeddings.projection.map_view`)."""

from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st

from embeddings.errors import EmbeddingsError
from embeddings.projection.map_density import SHARES
from embeddings.projection.map_metadata import colour_by_column, read_metadata_csv
from embeddings.projection.map_precomputed import (
    DEFAULT_K,
    clusters_for,
    hover_neighbours,
    lookup_neighbours,
)
from embeddings.projection.map_view import (
    Colouring,
    band_colouring,
    categories,
    full_space_neighbours,
    pack_map,
    point_ids,
)
from embeddings.projection.maps import open_map
from utils.map_component import publish, word_map
from utils.plots_projection import projection_figure
from utils.projection_selection import export_map_panel, selection_panel

SMALL_3D = 20_000  # a 3-D map draws at most this many points (Plotly's SVG/WebGL 3-D)
SEARCH_K = 10
SHOWN_SELECTION = "map_selection_shown"  # the selection the page's panels show
COLOURS = {
    "band": "Frequency band",
    "cluster": "k-means cluster",
    "metadata": "A column of an uploaded metadata CSV",
    "none": "One colour",
}


def map_key(info) -> str:
    """What identifies a stored map's content: model, name, version and creation time."""
    return f"{info.model}/{info.name}@{info.model_version}/{info.created}"


@st.cache_resource(max_entries=4, show_spinner="Opening the map…")
def opened_map(key: str, _store, model: str, name: str):
    """The opened map (coordinates memory-mapped, words read once) for ``map_key``."""
    opened = open_map(_store, model, name)
    opened.words  # noqa: B018 - read once here, shared by every rerun and session
    return opened


@st.cache_resource(max_entries=8, show_spinner="Clustering the map's words…")
def clusters_of(key: str, _opened, _kv, k: int) -> np.ndarray:
    """k-means clusters of the map ``key``'s words (stored with the map at the default k)."""
    return clusters_for(_opened, _kv, k)


@st.cache_resource(max_entries=4, show_spinner="Finding true neighbours for hover…")
def hover_lists(key: str, _opened, _kv) -> list[list[str]]:
    """True neighbours (full space) of the map's most frequent words (stored with the
    map; computed for maps stored before that)."""
    return hover_neighbours(_opened, _kv)


@st.cache_resource(max_entries=6, show_spinner="Packing the map for the browser…")
def map_blob(key: str, colour_key: str, _opened, _kv, _colouring, _clusters, k: int):
    """(blob, layout, data arguments) of the map component for one map and colouring."""
    return pack_map(_opened, _kv, _colouring, _clusters, hover_lists(key, _opened, _kv))


@st.cache_resource(max_entries=256, show_spinner=False)
def _lookup(key: str, point: int, _opened, _kv) -> dict | None:
    return lookup_neighbours(_opened, _kv, point)


def _hover_lookup(key: str, opened, kv, value) -> dict | None:
    """The answer to the map component's last hover lookup (its value), if it asked."""
    point = point_ids([value.get("lookup")] if isinstance(value, dict) else [], len(opened.words))
    return _lookup(key, point[0], opened, kv) if point else None


def _selected(value, words: int) -> list[int]:
    """The point ids of the map component's last selection (its value comes from the
    browser: anything but point ids of the map is ignored)."""
    ids = value.get("selected") if isinstance(value, dict) else None
    return point_ids(ids, words) if isinstance(ids, list) else []


@st.fragment
def _map_fragment(key: str, opened, kv, data: dict, focus, options: dict, widget: str) -> None:
    """The map alone, so a hover lookup reruns only this (not the selection's panels and
    exports below it); a selection other than the one the page shows reruns the page."""
    value = st.session_state.get(widget)
    if _selected(value, len(opened.words)) != st.session_state.get(SHOWN_SELECTION):
        st.rerun(scope="app")
    word_map(data, focus, options, key=widget, lookup=_hover_lookup(key, opened, kv, value))


def _colouring(kind, opened, kv, clusters) -> tuple[Colouring, object]:
    """The colouring chosen, and the uploaded metadata table (or None)."""
    if kind == "band":
        return band_colouring(kv, opened.rows), None
    if kind == "cluster":
        return categories([f"cluster {c}" for c in clusters], "cluster"), None
    if kind == "metadata":
        upload = st.file_uploader("Metadata CSV (word, then columns)", type=["csv", "tsv", "txt"],
                                  key="map_meta")  # fmt: skip
        if upload is None:
            return Colouring(""), None
        table = read_metadata_csv(upload.getvalue())
        column = st.selectbox("Column", table.columns, key="map_meta_col")
        return colour_by_column(table, column, opened.words), table
    return Colouring(""), None


def _quality(info) -> None:
    m1, m2, m3 = st.columns(3)
    show = "n/a" if info.preservation is None else f"{info.preservation:.1%}"
    m1.metric(f"Neighbour preservation at k={info.k}", show)
    m2.metric(
        "Trustworthiness", "n/a" if info.trustworthiness is None else f"{info.trustworthiness:.3f}"
    )
    m3.metric("Words on the map", f"{info.words:,}")
    st.caption(
        f"{info.method.upper()} of {info.words:,} words ({info.sample} sampling, seed {info.seed})"
        f" in {info.seconds:.0f} s. Faithfulness measured on {info.quality_sample:,} random"
        f" mapped words: the share of each one's {info.k} nearest neighbours (cosine, full"
        " space) that are among its nearest on the map, and scikit-learn's trustworthiness."
    )


@st.cache_resource(max_entries=4, show_spinner=False)
def word_positions(key: str, _opened) -> dict[str, int]:
    """Each mapped word's point id on map ``key``."""
    return {w: i for i, w in enumerate(_opened.words)}


def _search(kv, opened, key: str) -> dict | None:
    """The search box; the searched word and its true neighbours on the map, or None."""
    word = st.text_input("Search a word (zooms to it and its true neighbours)", key="map_search")
    word = word.strip()
    if not word:
        return None
    if word not in kv.key_to_index:
        st.warning(f"{word!r} is not in the model.")
        return None
    neighbours = full_space_neighbours(kv, [word], k=SEARCH_K)[0]
    position = word_positions(key, opened)
    on_map = [position[w] for w in neighbours if w in position]
    st.caption(
        f"True neighbours of **{word}** (full space, whole vocabulary): "
        + ", ".join(w if w in position else f"{w} (not on the map)" for w in neighbours)
    )
    if word not in position:
        st.warning(f"{word!r} is in the model but not on this map.")
        return None
    return {"index": position[word], "neighbours": on_map}


def show_map(model, store, info) -> None:
    """Draw stored map ``info`` of the active ``model`` with its panels."""
    kv, key = model.kv, map_key(info)
    try:
        opened = opened_map(key, store, model.name, info.name)
    except EmbeddingsError as exc:
        st.error(str(exc))
        return
    _quality(info)
    o1, o2, o3, o4 = st.columns([2, 1, 1, 1])
    kind = o1.selectbox("Colour by", list(COLOURS), format_func=COLOURS.get, key="map_colour")
    k = int(o2.number_input("Clusters (k)", 2, 60, DEFAULT_K, key="map_k_clusters"))
    labels = int(o3.number_input("Labels at most", 0, 400, 60, key="map_labels"))
    contours = o4.checkbox("Density contours", key="map_contours")
    try:
        clusters = clusters_of(key, opened, kv, k)
        # One element each, however many they show: the map's fragment keeps its place
        # on the page (a fragment is identified by it), so its iframe stays.
        with st.container():
            colouring, table = _colouring(kind, opened, kv, clusters)
        with st.container():
            focus = _search(kv, opened, key)
    except EmbeddingsError as exc:
        st.error(str(exc))
        return
    selected: list[int] = []
    if info.dims == 3:
        _plot_3d(opened, clusters, colouring, focus)
    else:
        colour_key = f"{kind}:{k}:{colouring.title}:{len(colouring.names)}"
        if kind == "metadata":  # the same column name may come from another file
            array = colouring.codes if colouring.codes is not None else colouring.values
            colour_key += hashlib.sha1(array.tobytes()).hexdigest()
        blob, layout, data = map_blob(key, colour_key, opened, kv, colouring, clusters, k)
        data = {**data, "url": publish(blob), "layout": layout}
        options = {"labels": labels, "contours": bool(contours), "height": 650}
        widget = f"map_view:{key}"
        selected = _selected(st.session_state.get(widget), info.words)
        st.session_state[SHOWN_SELECTION] = selected
        _map_fragment(key, opened, kv, data, focus, options, widget)
        shares = ", ".join(f"{share:.0%}" for share in SHARES)
        st.caption(
            f"Sent to the browser once per map and colouring: {len(blob) / 1e6:.1f} MB"
            f" ({len(blob) / max(1, info.words):.0f} bytes a word). Labels: the most frequent"
            " words in view, recomputed in the browser on every zoom and pan. Hover shows a"
            f" word's true neighbours: those of the {data['hover']:,} most frequent mapped"
            " words travel with the map, any other word's are asked of the server when the"
            " mouse rests on it."
            + (
                f" Density contours: around the densest areas holding {shares} of the words."
                if contours
                else ""
            )
        )
    selection_panel(kv, opened, selected, clusters)
    export_map_panel(model, opened, clusters, selected, table)


def _plot_3d(opened, clusters, colouring, focus) -> None:
    n = len(opened.words)
    take = min(n, SMALL_3D)
    if take < n:
        st.info(f"3-D shows the {take:,} most frequent of the map's {n:,} words.")
    if colouring.kind == "category":
        colour = [colouring.names[c] for c in colouring.codes[:take]]
    elif colouring.kind == "numeric":
        colour = colouring.values[:take]
    else:
        colour = None
    neighbours = [i for i in focus["neighbours"] if i < take] if focus else []
    index = focus["index"] if focus and focus["index"] < take else None
    fig = projection_figure(opened.words[:take], np.asarray(opened.coords[:take]), colour,
                            colouring.title, None, neighbours, index)  # fmt: skip
    st.plotly_chart(fig, key="map_plot_3d")
