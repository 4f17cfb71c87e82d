"""A widget that offers the default model of an algorithm when the store lacks it."""

from __future__ import annotations

import streamlit as st

from embeddings.default import DEFAULT_MODELS, ensure_default_model
from utils.jobs import BackgroundJob, progress_bar
from utils.state import get_store

LABELS = {"word2vec": "Word2Vec", "fasttext": "FastText", "glove": "GloVe"}


def default_model_button(algorithm: str, key: str | None = None) -> str | None:
    """The default ``algorithm`` model's name once it exists; until then, a button that
    trains it on the bundled corpus in the background (with progress)."""
    store = get_store()
    name = DEFAULT_MODELS[algorithm]
    if store.exists(name):
        return name
    job_key = f"default_job_{algorithm}"
    job: BackgroundJob | None = st.session_state.get(job_key)
    if job is None or (not job.running and job.error):
        if job is not None:
            st.error(job.error)
        if st.button(
            f"Train the default {LABELS[algorithm]} model on the bundled corpus",
            key=key or f"default_{algorithm}",
        ):
            st.session_state[job_key] = BackgroundJob(
                lambda progress, cancel: ensure_default_model(store, algorithm, progress, cancel),
                label=f"Training the default {LABELS[algorithm]} model",
            ).start()
            st.rerun()
        return None

    @st.fragment(run_every="0.5s")
    def _poll():
        progress_bar(job, key=f"cancel_default_{algorithm}")
        if not job.running:
            st.rerun(scope="app")

    _poll()
    return None
