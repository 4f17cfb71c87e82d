"""Corpus: choose a source, preview its documents and tokens, prepare it, read its statistics."""

from functools import partial

import streamlit as st

from embeddings.corpus.sources import prepare_corpus
from embeddings.errors import EmbeddingsError
from utils.corpus_widgets import (
    column_picker,
    corpus_statistics,
    preview_documents,
    reading_options,
    show_preview,
    source_picker,
    tokenizer_options,
)
from utils.jobs import job_panel, job_running, start_job
from utils.state import active_corpus, get_store, set_active_corpus

JOB_KEY = "corpus_job"

st.title("Corpus")
st.caption(
    "Bring your own text (an upload, a file in the server's data folders, or pasted lines) "
    "or pick a bundled corpus. It is tokenized once into a sentence file (at most 1,000 tokens a line) that "
    "the Train and Co-occurrence pages use."
)
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
        preview = preview_documents(source, tokenizer, options)
        if preview.columns:
            source = column_picker(source, preview.columns, preview.text_column, "corpus")
            if source.text_column != preview.text_column:
                preview = preview_documents(source, tokenizer, options)
except EmbeddingsError as exc:
    st.error(str(exc))

if preview is not None:
    show_preview(preview, source, tokenizer)
    if st.button(
        "Prepare corpus", key="corpus_prepare", type="primary", disabled=job_running(JOB_KEY)
    ):
        start_job(
            JOB_KEY,
            partial(prepare_corpus, source, tokenizer, cache=get_store().corpus_cache, **options),
            f"Preparing {source.label}",
        )
job_panel(
    JOB_KEY,
    on_result=set_active_corpus,
    success=lambda prepared: (
        f"Prepared **{prepared.name}** in {st.session_state[JOB_KEY].seconds:.1f} s: "
        f"{prepared.stats.documents:,} documents, {prepared.stats.tokens:,} tokens. "
        "It is now the active corpus."
    ),
)

if active is not None:
    st.subheader(f"Statistics of {active.name}")
    corpus_statistics(active, "corpus_stats")
