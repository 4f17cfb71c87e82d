"""A widget that offers the default model of an algorithm when the store lacks it."""

from __future__ import annotations

import streamlit as st

from embeddings.train.default import DEFAULT_MODELS, ensure_default_model
from utils.jobs import BackgroundJob, progress_bar
from utils.state import get_store

LABELS = {"word2vec": "Word2Vec", "fasttext": "FastText", "glove": "GloVe"}


def default_model_button(algorithm: str, key: str | None = None) -> str | None:
    """The default ``algorithm`` model's name once it exists; until then, a button that
    trains it on the bundled corpus in the background (with progress)."""
    store = get_store()
    return train_once_button(
        DEFAULT_MODELS[algorithm],
        f"Train the default {LABELS[algorithm]} model on the bundled corpus",
        lambda progress, cancel: ensure_default_model(store, algorithm, progress, cancel),
        key=key or f"default_{algorithm}",
    )


def train_once_button(name: str, label: str, fn, key: str) -> str | None:
    """``name`` once the store holds it; until then a button that runs
    ``fn(progress, cancel)`` (which trains and stores it) in the background, with a
    progress bar and Cancel, and reruns the app when it is done."""
    store = get_store()
    if store.exists(name):
        return name
    job_key = f"train_job_{name}"
    job: BackgroundJob | None = st.session_state.get(job_key)
    if job is None or (not job.running and job.error):
        if job is not None:
            st.error(job.error)
        if st.button(label, key=key):
            st.session_state[job_key] = BackgroundJob(fn, label=label).start()
            st.rerun()
        return None

    @st.fragment(run_every="0.5s")
    def _poll():
        progress_bar(job, key=f"cancel_{key}")
        if not job.running:
            st.rerun(scope="app")

    _poll()
    return None
