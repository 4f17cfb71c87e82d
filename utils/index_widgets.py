"""The Models page's neighbour-index panel: what a model's index is, or a button to build it."""

from __future__ import annotations

from functools import partial

import streamlit as st

from embeddings.budget import human_bytes
from embeddings.vectors.ann import MIN_INDEX_WORDS
from embeddings.vectors.store_index import build_model_index
from utils.jobs import job_panel, job_running, start_job
from utils.state import is_shared

JOB_KEY = "index_job"


def index_panel(store, card) -> None:
    """Index facts (recall@10 measured against exact search) or a Build button (a job)."""
    info = (card.notes or {}).get("index")
    if info:
        st.markdown(
            f"**Neighbour index**: {info['words']:,} words, built in {info['build_seconds']:.0f} s, "
            f"{human_bytes(info['size_bytes'])}; recall@10 **{info['recall_at_10']:.3f}** "
            f"against exact search on {info['recall_sample']:,} random words. Neighbour queries "
            "use it (results re-ranked exactly); the Neighbours page's *exact* switch bypasses it."
        )
    elif is_shared(card.name):
        # Building writes the index into the model's folder: shared models stay as they are.
        st.caption(
            "No neighbour index. This is a shared model: the server's operator can build "
            f"one with `python -m embeddings models index {card.name}`."
        )
    else:
        small = card.vocab_size < MIN_INDEX_WORDS
        st.caption(
            "No neighbour index. "
            + (
                f"Exact search over {card.vocab_size:,} words takes a few milliseconds, so "
                "this model does not need one."
                if small
                else "Build one for millisecond answers on this big vocabulary."
            )
        )
        if st.button(
            "Build the neighbour index",
            key="mg_index",
            disabled=job_running(JOB_KEY),
            type="secondary" if small else "primary",
        ):
            start_job(
                JOB_KEY,
                partial(build_model_index, store, card.name),
                f"Indexing {card.name}",
                stages={"index": "Building the graph", "recall": "Measuring recall"},
            )
    job_panel(
        JOB_KEY,
        success=lambda info: (
            f"Index built in {info.build_seconds:.0f} s; recall@10 {info.recall_at_10:.3f}."
        ),
    )
