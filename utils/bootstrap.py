"""First start: make sure the store holds a working model before any page runs.

On an empty store the default Word2Vec model is trained by the same shared job as the
Models page's button (:func:`utils.defaults.default_model_button`): once per server,
however many sessions arrive together, each showing its progress until the model
exists. With models in the store this costs one directory listing.
"""

from __future__ import annotations

import streamlit as st

from embeddings.train.default import DEFAULT_MODELS
from utils.defaults import default_model_button, job_key
from utils.jobs import job_running
from utils.state import get_store


def ensure_default_model_ui() -> None:
    """Train and store the default model on a first start, with visible progress.

    While it trains, nothing else runs (the pages need a model). If it fails, the error
    and a button to try again are shown above the page.
    """
    if get_store().names():
        return
    key = job_key(DEFAULT_MODELS["word2vec"])
    first = key not in st.session_state or job_running(key)
    if first:
        st.title("Word Embedding Lab")
        st.info(
            "First start: training the default **Word2Vec** model on the English Wikipedia "
            "articles and Lee news corpus that ship with gensim (about 530,000 tokens). "
            "This happens once; later starts load it instantly."
        )
    default_model_button("word2vec", key="first_start_default", start=True)
    if job_running(key):
        st.stop()
