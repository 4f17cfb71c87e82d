"""Streamlit glue for the Compare page: cached overlap and alignment, the histogram, and
the jump into the Neighbours page."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from embeddings.explore.compare import NeighbourOverlap, ProcrustesAlignment, neighbour_overlap
from utils.cache_keys import model_key
from utils.navigation import page_path
from utils.state import ACTIVE_KEY, get_store

NEIGHBOURS_PAGE = page_path("neighbours")


def model_version(name: str) -> str:
    """A cache key for stored model ``name``: changes whenever its vectors are rewritten."""
    return model_key(name, get_store().version(name))


@st.cache_data(show_spinner="Comparing neighbourhoods…", max_entries=8)
def cached_overlap(
    _kv_a, _kv_b, version_a: str, version_b: str, k: int, sample: int | None, limit: int | None
) -> NeighbourOverlap:
    return neighbour_overlap(_kv_a, _kv_b, k=k, sample=sample, vocab_limit=limit)


@st.cache_resource(show_spinner="Aligning the models…", max_entries=2)
def cached_alignment(_kv_a, _kv_b, version_a: str, version_b: str, limit: int | None):
    return ProcrustesAlignment(vocab_limit=limit).fit(_kv_a, _kv_b)


def overlap_histogram(ov: NeighbourOverlap) -> None:
    """How many sampled words share 0..k of their k neighbours across the two models."""
    hist = ov.histogram()
    fig = px.bar(hist, x="shared neighbours", y="words")
    fig.update_layout(
        height=300,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        title=f"Words by neighbours shared (of {ov.k})",
        xaxis={"dtick": 1},
    )
    st.plotly_chart(fig, key="mc_histogram")


def most_different_table(ov: NeighbourOverlap, n: int, names: tuple[str, str]) -> pd.DataFrame:
    """The ``n`` words whose neighbourhoods differ most, with both neighbour lists."""
    table = ov.table().head(n)
    table.insert(0, "rank", range(1, len(table) + 1))
    return table.rename(
        columns={
            "neighbours A": f"neighbours in {names[0]}",
            "neighbours B": f"neighbours in {names[1]}",
        }
    )


def _prepare_neighbours_view(word: str, model_a: str, model_b: str) -> None:
    # Model A becomes the active model, B the one compared with. The sidebar's picker
    # keeps its own widget state, so that state is dropped (in a callback, before the
    # widget exists in the next run) and the picker starts again from the active model.
    st.session_state["neighbours_word"] = word
    st.session_state[ACTIVE_KEY] = model_a
    st.session_state.pop("sidebar_model", None)
    st.session_state["cmp_model"] = model_b
    st.session_state["cmp_word"] = word


def open_in_neighbours_button(word: str, model_a: str, model_b: str) -> None:
    """A button that opens the Neighbours page on ``word`` (model A active, B beside it)."""
    if st.button(
        f"Open “{word}” in Neighbours",
        key="mc_open",
        on_click=_prepare_neighbours_view,
        args=(word, model_a, model_b),
    ):
        st.switch_page(NEIGHBOURS_PAGE)
