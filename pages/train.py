"""Train: Word2Vec, FastText or GloVe on the active corpus, in the background."""

from functools import partial

import streamlit as st

from embeddings.errors import EmbeddingsError
from embeddings.train.trainer import train_and_store
from embeddings.vectors.store import suggest_name, validate_name
from utils.jobs import BackgroundJob
from utils.spark_widgets import engine_choice, start_spark_training
from utils.state import corpus_or_default, get_store, set_active_model
from utils.train_widgets import parameter_form, training_view

st.title("Train a model")
corpus = corpus_or_default()
st.markdown(
    f"Corpus: **{corpus.name}** ({corpus.stats.documents:,} documents, {corpus.stats.tokens:,} "
    f"tokens, tokenizer *{corpus.tokenizer}*). Prepare your own on the **Corpus** page."
)

job: BackgroundJob | None = st.session_state.get("train_job")
busy = job is not None and job.running

algorithm = st.radio(
    "Algorithm", ["word2vec", "fasttext", "glove"], horizontal=True, key="train_algo", disabled=busy
)
params = parameter_form(algorithm)
spark_engine = engine_choice(algorithm, disabled=busy)
probes = st.text_input(
    "Probe words (comma-separated): watch their neighbours form",
    key="train_probes",
    placeholder="france, war, music",
)
default_name = suggest_name(f"{corpus.name.split(':')[-1]}-{algorithm}")
name = st.text_input("Model name", value=default_name, key="train_name")

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
    st.session_state["train_job"] = BackgroundJob(
        partial(
            train_and_store, store, corpus, algorithm, dict(params), name, probe_words=probe_words
        ),
        label=f"Training {name}",
    ).start()
    st.session_state["train_job_algo"] = algorithm
    st.rerun()

job = st.session_state.get("train_job")
algo_used = st.session_state.get("train_job_algo", algorithm)
if job is not None and job.running:

    @st.fragment(run_every="0.5s")
    def _live():
        training_view(job, algo_used)
        if not job.running:
            st.rerun(scope="app")  # finished: let the page take the result

    _live()
elif job is not None:
    training_view(job, algo_used)
    if job.result is not None:
        card = job.result.card
        if not job.consumed:
            set_active_model(card.name)
            job.consumed = True
        st.success(
            f"Trained **{card.name}** in {card.training_seconds:.1f} s: {card.vocab_size:,} words, "
            f"{card.vector_size} dimensions. It is now the active model."
        )
    elif job.error:
        (st.warning if job.cancelled else st.error)(job.error)
