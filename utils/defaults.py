"""Built-in models trained on demand (the default models, the Korean FastText pair).

Each is trained by one background job per server (:func:`utils.jobs.start_job` with a
shared id), whether a first start trains it on its own or a user presses its button,
so two sessions asking at once share one training run.
"""

from __future__ import annotations

import streamlit as st

from embeddings.train.default import DEFAULT_MODELS, ensure_default_model
from utils.jobs import job_panel, start_job
from utils.state import get_store, shared_store

LABELS = {"word2vec": "Word2Vec", "fasttext": "FastText", "glove": "GloVe"}


def job_key(name: str) -> str:
    """Where the session keeps the job that trains built-in model ``name``."""
    return f"train_job_{name}"


def default_model_button(algorithm: str, key: str | None = None, start: bool = False) -> str | None:
    """The default ``algorithm`` model's name once it exists; until then, a button that
    trains it on the bundled corpus in the background (with progress). With ``start``,
    training starts without a click (the first start of the app). Built-in models go
    to the shared store, trained once for every session and workspace."""
    store = shared_store()
    return train_once_button(
        DEFAULT_MODELS[algorithm],
        f"Train the default {LABELS[algorithm]} model on the bundled corpus",
        lambda progress, cancel: ensure_default_model(store, algorithm, progress, cancel),
        key=key or f"default_{algorithm}",
        start=start,
    )


def train_once_button(name: str, label: str, fn, key: str, start: bool = False) -> str | None:
    """``name`` once the store holds it; until then a button that runs
    ``fn(progress, cancel)`` (which trains and stores it) as a shared background job,
    with a progress bar and Cancel; the app reruns when it is done. With ``start``, the
    job starts at once unless this session already ran one (a failure is then shown,
    with the button to try again). ``fn`` should store into :func:`shared_store`: the
    job is shared by all sessions of the server."""
    if get_store().exists(name):
        return name
    session_key = job_key(name)
    shared = f"{shared_store().root}::{name}"
    if start and session_key not in st.session_state:
        start_job(session_key, fn, label, shared=shared)
    if job_panel(session_key):
        return None
    if st.button(label, key=key):
        start_job(session_key, fn, label, shared=shared)
    return None


__all__ = ["default_model_button", "job_key", "train_once_button"]
