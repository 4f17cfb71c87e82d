"""The Train page's engine choice: this machine, or Apache Spark (shown only when
pyspark is installed)."""

from __future__ import annotations

from functools import partial

import streamlit as st

from embeddings.spark.session import pyspark_available
from utils.jobs import start_job

SPARK_PARAMS = ("vector_size", "window", "min_count", "epochs", "seed")


def engine_choice(algorithm: str, disabled: bool = False) -> dict | None:
    """An "Engine" radio (local / Spark) and a master box; None means train locally.

    Without pyspark nothing is shown and training stays local.
    """
    if not pyspark_available():
        return None
    engine = st.radio(
        "Engine",
        ["local", "Spark"],
        horizontal=True,
        key="train_engine",
        disabled=disabled,
        help="Spark (MLlib) trains Word2Vec on a cluster; starting it takes 20-70 s.",
    )
    if engine == "local":
        return None
    master = st.text_input(
        "Spark master",
        value="local[*]",
        key="train_spark_master",
        help="local[*], local-cluster[2,1,1024], spark://host:7077, yarn or k8s://https://host:port",
    )
    if algorithm == "word2vec":
        st.caption(
            "MLlib trains skip-gram with hierarchical softmax only (no CBOW, no negative "
            "sampling, no down-sampling): the architecture, output layer and workers "
            "settings above do not apply."
        )
    else:
        st.caption("Spark trains Word2Vec only; choose word2vec or the local engine.")
    return {"master": master.strip()}


def start_spark_training(choice: dict, store, corpus, algorithm: str, params: dict, name: str):
    """Start the Spark training job in the background (as the page's local job) and rerun."""
    from embeddings.spark.word2vec import train_prepared_on_spark

    if algorithm != "word2vec":
        st.error("Spark trains Word2Vec only; choose word2vec or the local engine.")
        st.stop()
    kept = {k: params[k] for k in SPARK_PARAMS if k in params}
    task = partial(train_prepared_on_spark, store, corpus, kept, name, choice["master"])
    st.session_state["train_job_algo"] = algorithm
    start_job("train_job", task, f"Training {name} on Spark")
