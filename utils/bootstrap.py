"""First start: make sure the store holds a working model before any page runs.

On an empty store the default Word2Vec model is trained once per server process (one
shared job, even when several sessions arrive together) in a worker thread; every
session shows its progress until the model exists, then reruns. With models in the
store this costs one directory listing.
"""

from __future__ import annotations

import streamlit as st

from embeddings.train.default import ensure_default_model
from utils.jobs import BackgroundJob
from utils.state import get_store


@st.cache_resource(show_spinner=False)
def _default_job(root: str) -> BackgroundJob:
    store = get_store()
    return BackgroundJob(
        lambda progress, cancel: ensure_default_model(store, "word2vec", progress, cancel),
        label="Training the default model",
    ).start()


def ensure_default_model_ui() -> None:
    """Train and store the default model on a first start, with visible progress."""
    store = get_store()
    if store.names():
        return
    job = _default_job(str(store.root))
    if not job.running and job.error:
        st.error(f"The default model could not be trained: {job.error}")
        _default_job.clear()
        return
    st.title("Word Embedding Lab")
    st.info(
        "First start: training the default **Word2Vec** model on the English Wikipedia "
        "articles and Lee news corpus that ship with gensim (about 530,000 tokens). "
        "This happens once; later starts load it instantly."
    )

    @st.fragment(run_every="0.5s")
    def _progress():
        st.progress(job.fraction, text=f"{job.message} · {job.elapsed:.0f} s")
        if not job.running:
            st.rerun(scope="app")

    _progress()
    st.stop()
