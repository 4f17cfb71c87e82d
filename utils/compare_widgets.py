"""Streamlit glue for the Compare page: the overlap and the alignment computed by jobs,
the histogram, and the jump into the Neighbours page."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from embeddings.explore.compare import (
    NeighbourOverlap,
    ProcrustesAlignment,
    alignment_memory_estimate,
    neighbour_overlap,
    overlap_memory_estimate,
)
from utils.cache_keys import cache_key, model_key
from utils.job_results import job_result
from utils.navigation import page_path
from utils.state import ACTIVE_KEY

NEIGHBOURS_PAGE = page_path("neighbours")


OVERLAP_JOB = "mc_overlap_job"
ALIGN_JOB = "mc_align_job"


def overlap(model_a, model_b, k: int, sample: int | None, limit: int | None):
    """The neighbourhood overlap of two loaded models, computed once by a job (see
    :func:`utils.job_results.job_result`); None until it is ready."""

    def compare(progress, cancel) -> NeighbourOverlap:
        return neighbour_overlap(
            model_a.kv,
            model_b.kv,
            k=k,
            sample=sample,
            vocab_limit=limit,
            progress=progress,
            cancel=cancel,
        )

    return job_result(
        OVERLAP_JOB,
        cache_key(_pair_key(model_a, model_b), k=k, sample=sample, limit=limit),
        compare,
        f"Comparing {model_a.name} and {model_b.name}",
        estimate=overlap_memory_estimate(model_a.kv, model_b.kv, limit),
        keep=8,
    )


def fitted_alignment(model_a, model_b, limit: int | None) -> ProcrustesAlignment | None:
    """Model B rotated onto A (Procrustes), fitted once by a job; None until it is ready."""

    def align(progress, cancel) -> ProcrustesAlignment:
        fitted = ProcrustesAlignment(vocab_limit=limit)
        return fitted.fit(model_a.kv, model_b.kv, progress=progress, cancel=cancel)

    return job_result(
        ALIGN_JOB,
        cache_key(_pair_key(model_a, model_b), limit=limit),
        align,
        f"Aligning {model_b.name} onto {model_a.name}",
        estimate=alignment_memory_estimate(model_a.kv, model_b.kv, limit),
        keep=2,
    )


def _pair_key(model_a, model_b) -> str:
    return f"{model_key(model_a.name, model_a.version)}~{model_key(model_b.name, model_b.version)}"


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
