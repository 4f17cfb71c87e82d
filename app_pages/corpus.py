"""Corpus: choose a source, preview its documents and tokens, prepare it, read its statistics."""

import streamlit as st

from embeddings.corpus.sources import preview_corpus
from embeddings.errors import EmbeddingsError
from utils.corpus_job import job_progress, job_running, show_finished_job, start_job
from utils.corpus_widgets import (
    column_picker,
    corpus_statistics,
    reading_options,
    show_preview,
    source_picker,
    tokenizer_options,
)
from utils.state import active_corpus, set_active_corpus

JOB_KEY = "corpus_job"

st.title("Corpus")
st.caption(
    "Bring your own text (a file, a path on the server, or pasted lines) or pick a bundled "
    "corpus. It is tokenized once into a sentence file (at most 1,000 tokens a line) that "
    "the Train and Co-occurrence pages use."
)
show_finished_job(JOB_KEY, set_active_corpus)

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
    if source is not None:
        source = reading_options(source, "corpus")
        tokenizer, options = tokenizer_options("corpus")
        preview = preview_corpus(source, 5, tokenizer, **options)
        if preview.columns:
            source = column_picker(source, preview.columns, preview.text_column, "corpus")
            if source.text_column != preview.text_column:
                preview = preview_corpus(source, 5, tokenizer, **options)
except EmbeddingsError as exc:
    st.error(str(exc))

if preview is not None:
    show_preview(preview, source, tokenizer)
    if st.button(
        "Prepare corpus", key="corpus_prepare", type="primary", disabled=job_running(JOB_KEY)
    ):
        start_job(JOB_KEY, source, tokenizer, options)
job_progress(JOB_KEY)

if active is not None:
    st.subheader(f"Statistics of {active.name}")
    corpus_statistics(active, "corpus_stats")
