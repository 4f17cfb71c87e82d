"""Train: Word2Vec, FastText or GloVe on the active corpus, in the background."""

from functools import partial

import streamlit as st

from embeddings.errors import EmbeddingsError
from embeddings.train.trainer import train_and_store
from embeddings.vectors.store import validate_name
from utils.jobs import job_panel, job_running, start_job
from utils.spark_widgets import engine_choice, start_spark_training
from utils.state import corpus_or_default, get_store, set_active_model
from utils.train_widgets import (
    estimate_view,
    model_name_input,
    offer_free_name,
    parameter_form,
    training_view,
)

st.title("Train a model")
corpus = corpus_or_default()
st.markdown(
    f"Corpus: **{corpus.name}** ({corpus.stats.documents:,} documents, {corpus.stats.tokens:,} "
    f"tokens, tokenizer *{corpus.tokenizer}*). Prepare your own on the **Corpus** page."
)

JOB_KEY = "train_job"
busy = job_running(JOB_KEY)

algorithm = st.radio(
    "Algorithm", ["word2vec", "fasttext", "glove"], horizontal=True, key="train_algo", disabled=busy
)
params = parameter_form(algorithm, corpus.stats)
estimate_view(corpus, algorithm, params)
spark_engine = engine_choice(algorithm, disabled=busy)
# One row for both, so the Train button and the progress under it stay on screen.
probes_col, name_col = st.columns([3, 2])
probes = probes_col.text_input(
    "Probe words (comma-separated): watch their neighbours form",
    key="train_probes",
    placeholder="france, war, music",
)
name = model_name_input(corpus.name, algorithm, name_col)
reproducible = st.checkbox(
    "Reproducible: one worker thread and a fixed seed, so training again gives the same "
    "vectors (slower on several cores)",
    key="train_reproducible",
    disabled=busy,
)

if st.button("Train", type="primary", disabled=busy, key="train_start"):
    store = get_store()
    try:
        name = validate_name(name)
        if store.exists(name):
            raise EmbeddingsError(f"A model named {name!r} already exists; pick another name.")
    except EmbeddingsError as exc:
        st.error(str(exc))
        st.stop()
    probe_words = [w.strip() for w in probes.split(",") if w.strip()]
    if spark_engine is not None:
        start_spark_training(spark_engine, store, corpus, algorithm, dict(params), name)
    st.session_state["train_job_algo"] = algorithm
    start_job(
        JOB_KEY,
        partial(
            train_and_store,
            store,
            corpus,
            algorithm,
            dict(params),
            name,
            probe_words=probe_words,
            reproducible=reproducible,
        ),
        f"Training {name}",
    )

algo_used = st.session_state.get("train_job_algo", algorithm)
job_panel(
    JOB_KEY,
    on_result=lambda result: set_active_model(result.card.name),
    success=lambda result: (
        f"Trained **{result.card.name}** in {result.card.training_seconds:.1f} s: "
        f"{result.card.vocab_size:,} words, {result.card.vector_size} dimensions. "
        "It is now the active model."
    ),
    view=lambda job: training_view(job, algo_used),
)
offer_free_name(JOB_KEY, get_store())
if saved_as := st.session_state.pop("train_saved_as", None):
    st.success(f"Saved as **{saved_as}**. It is now the active model.")
