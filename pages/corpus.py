"""Corpus: choose a source, preview its documents and tokens, prepare it, read its statistics."""

import pandas as pd
import streamlit as st

from embeddings.errors import EmbeddingsError
from embeddings.readers import preview_corpus
from utils.corpus_job import PrepareJob
from utils.corpus_widgets import (
    column_picker,
    corpus_statistics,
    reading_options,
    source_picker,
    tokenizer_options,
)
from utils.state import active_corpus, set_active_corpus

st.title("Corpus")
st.caption(
    "Bring your own text (a file, a path on the server, or pasted lines) or pick a bundled "
    "corpus. It is tokenized once into a sentence file (at most 1,000 tokens a line) that "
    "the Train and Co-occurrence pages use."
)

JOB_KEY = "corpus_job"
job = st.session_state.get(JOB_KEY)
if job is not None and not job.running and not job.consumed:
    job.consumed = True  # take the result once; the previous corpus stays on failure
    if job.result is not None:
        set_active_corpus(job.result)
if job is not None and not job.running:
    if job.result is not None:
        st.success(
            f"Prepared **{job.result.name}** in {job.seconds:.1f} s: "
            f"{job.result.stats.documents:,} documents, {job.result.stats.tokens:,} tokens. "
            "It is now the active corpus."
        )
    else:
        st.error(job.error)

active = active_corpus()
if active is not None:
    st.info(
        f"Active corpus: **{active.name}** · {active.stats.tokens:,} tokens · "
        f"tokenizer {active.tokenizer}"
    )
else:
    st.caption("No corpus prepared yet: training uses the bundled default (wiki+lee).")

preview = None
try:
    source = source_picker("corpus")
except EmbeddingsError as exc:
    st.error(str(exc))
    source = None

if source is not None:
    source = reading_options(source, "corpus")
    tokenizer, options = tokenizer_options("corpus")
    try:
        preview = preview_corpus(source, 5, tokenizer, **options)
        if preview.columns:
            source = column_picker(source, preview.columns, preview.text_column, "corpus")
            if source.text_column != preview.text_column:
                preview = preview_corpus(source, 5, tokenizer, **options)
    except EmbeddingsError as exc:
        st.error(str(exc))
        preview = None

if preview is not None:
    found = [f"format **{preview.format}**"]
    if preview.compression:
        found.append(f"compression **{preview.compression}**")
    if preview.encoding:
        found.append(f"encoding **{preview.encoding}**")
    if preview.text_column:
        found.append(f"text column **{preview.text_column}**")
    st.markdown("Read as " + " · ".join(found))
    if preview.members_skipped:
        st.caption(
            "Skipped zip members: "
            + ", ".join(f"{name} ({why})" for name, why in preview.members_skipped[:10])
        )
    if source.origin == "bundled" and source.bundled_key == "korean-law" and tokenizer != "korean":
        st.caption("The Korean corpus is always tokenized with the Korean tokenizer.")
    st.dataframe(
        pd.DataFrame(
            {"document": preview.documents, "tokens": [" ".join(t) for t in preview.tokens]}
        ),
        hide_index=True,
    )
    if preview.tokens is not None and not any(preview.tokens):
        st.warning(
            "The tokenizer finds no words in these first documents: check the tokenizer, "
            "the text column or the encoding before preparing."
        )
    running = job is not None and job.running
    if st.button("Prepare corpus", key="corpus_prepare", type="primary", disabled=running):
        st.session_state[JOB_KEY] = PrepareJob(source, tokenizer, options).start()
        st.session_state[JOB_KEY].wait(1.0)  # a small corpus is done before the rerun
        st.rerun()

if job is not None and job.running:

    @st.fragment(run_every=0.5)
    def _progress():
        current = st.session_state.get(JOB_KEY)
        if current is None or not current.running:
            st.rerun()  # the whole page then shows the result
        st.progress(current.fraction, text=f"Tokenizing: {current.message}")
        st.button("Cancel", key="corpus_cancel", on_click=current.cancel)

    _progress()

if active is not None:
    st.subheader(f"Statistics of {active.name}")
    corpus_statistics(active, "corpus_stats")
