"""The Projection page's stored maps: create one (a background job), pick one of the
model's maps (reopened at once), delete one (Streamlit glue).

Maps are keyed to the model's version: only maps made from the vectors the model has
now are listed, so a retrained or overwritten model shows none of its old maps.
"""

from __future__ import annotations

import re
from functools import partial

import streamlit as st

from embeddings.errors import EmbeddingsError
from embeddings.projection.maps import create_map, delete_map, list_maps, map_memory_estimate
from embeddings.projection.select import select_words
from utils.jobs import job_panel, job_running, start_job
from utils.projection_mapview import show_map
from utils.state import get_store, is_shared

MAPS_JOB = "maps_job"
PICK_KEY = "map_pick"
MAX_MAP_WORDS = 1_000_000
SAMPLINGS = {
    "top": "Most frequent words",
    "bands": "Every frequency band (stratified)",
    "random": "A random sample",
    "list": "A word list",
    "neighbours": "Neighbours of query words",
}


def _word_list(kv, sample: str) -> list[str] | None:
    """The word list of the ``list`` and ``neighbours`` samplings (None for the others)."""
    if sample == "list":
        text = st.text_area("Words (comma, space or line separated)", key="map_words_text")
        upload = st.file_uploader("…or upload a word list", type=["txt", "csv"], key="map_up")
        text += "\n" + (upload.getvalue().decode("utf-8", "replace") if upload else "")
        return [w for w in re.split(r"[\s,]+", text) if w]
    if sample == "neighbours":
        typed = st.text_input("Query words (comma-separated)", key="map_queries")
        k = st.slider("Neighbours per query word", 2, 500, 50, key="map_k")
        queries = [w.strip() for w in typed.split(",") if w.strip()]
        if not queries:
            return []
        return select_words(kv, mode="neighbours", query_words=queries, k=k).words
    return None


def _free_name(taken) -> str:
    n = 1
    while f"map-{n}" in taken:
        n += 1
    return f"map-{n}"


def _create_form(model, store, taken) -> None:
    vocab = len(model.kv.index_to_key)
    c1, c2, c3 = st.columns(3)
    name = c1.text_input("Map name", value=_free_name(taken), key="map_name")
    method = c2.selectbox(
        "Method", ["umap", "tsne", "pca"], format_func=str.upper, key="map_method"
    )
    dims = c3.radio("Dimensions", [2, 3], horizontal=True, key="map_dims")
    c4, c5, c6 = st.columns(3)
    whole = c4.checkbox(f"The whole vocabulary ({vocab:,} words)", key="map_whole")
    words = c4.number_input(
        f"Words (up to {MAX_MAP_WORDS:,})",
        4,
        MAX_MAP_WORDS,
        min(10_000, vocab),
        step=1000,
        key="map_n",
        disabled=whole,
    )
    sample = c5.selectbox("Sampling", list(SAMPLINGS), format_func=SAMPLINGS.get, key="map_sample")
    seed = int(c6.number_input("Seed", 0, 2**31 - 1, 0, key="map_seed"))
    try:
        word_list = _word_list(model.kv, sample)
    except EmbeddingsError as exc:
        st.error(str(exc))
        return
    n = min(vocab if whole else int(words), MAX_MAP_WORDS)
    if not st.button("Create the map", key="map_create", disabled=job_running(MAPS_JOB)):
        return
    job = partial(create_map, store, model.name, name, method, words=n, sample=sample,
                  seed=seed, dims=int(dims), word_list=word_list)  # fmt: skip
    estimate = map_memory_estimate(n, int(model.kv.vector_size), method)
    try:
        start_job(MAPS_JOB, job, f"{method.upper()} map {name} of {n:,} words", estimate=estimate)
    except EmbeddingsError as exc:
        st.error(str(exc))


def _on_created(info) -> None:
    st.session_state[PICK_KEY] = info.name
    st.session_state.pop("map_name", None)  # the next map gets the next free name


def stored_maps_view(model) -> None:
    """The stored maps of the active ``model``: create, pick (and draw), delete."""
    store = get_store()
    shared = is_shared(model.name)
    try:
        maps = [m for m in list_maps(store, model.name) if m.model_version == model.version]
    except EmbeddingsError as exc:
        st.error(str(exc))
        return
    with st.expander("Create a map", expanded=not maps):
        if shared:
            st.info(
                "This model is shared and read-only here: its stored maps are made by the "
                "server's operator (`python -m embeddings maps create MODEL ...`). "
                "The Quick map view maps it for you."
            )
        else:
            _create_form(model, store, {m.name for m in list_maps(store, model.name)})
    with st.container():  # one element, however many the job shows (see show_map)
        job_panel(MAPS_JOB, on_result=_on_created, success=lambda i: f"Stored map **{i.name}**.")
    if not maps:
        st.info(f"{model.name} has no stored map yet.")
        return
    by_name = {m.name: m for m in maps}
    if st.session_state.get(PICK_KEY) not in by_name:
        st.session_state[PICK_KEY] = maps[0].name
    p1, p2 = st.columns([4, 1], vertical_alignment="bottom")
    name = p1.selectbox(
        f"Stored maps of {model.name}",
        list(by_name),
        format_func=lambda m: f"{m} · {by_name[m].method.upper()} · {by_name[m].words:,} words",
        key=PICK_KEY,
    )
    if p2.button("Delete this map", key="map_delete", disabled=shared):
        delete_map(store, model.name, name)
        del st.session_state[PICK_KEY]
        st.rerun()
    show_map(model, store, by_name[name])
