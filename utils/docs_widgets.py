"""Shared widgets of the document pages: choosing a document set and a weighting scheme."""

from __future__ import annotations

import streamlit as st

from embeddings.corpus.bundled import bundled_files
from embeddings.documents.sets import (
    BUNDLED_DOCUMENT_SETS,
    DocumentSet,
    bundled_document_set,
    document_set_memory_estimate,
    read_document_set,
    table_columns,
)
from embeddings.documents.vectors import (
    METHOD_LABELS,
    METHODS,
)
from embeddings.errors import EmbeddingsError
from utils.cache_keys import cache_key
from utils.corpus_widgets import saved_upload
from utils.job_results import job_result

UPLOAD_TYPES = ["csv", "tsv", "txt", "cor", "zip", "gz", "bz2"]


def read_job(key: str) -> str:
    """The session-state key of the page's document-reading job (``key``: the page's
    widget prefix, "rec" or "clf")."""
    return f"{key}_docs_job"


def _bundled(key: str, choice: str) -> DocumentSet | None:
    def read(progress, cancel):
        return bundled_document_set(choice, progress, cancel)

    try:
        estimate = document_set_memory_estimate([f.path for f in bundled_files(choice)])
    except EmbeddingsError:
        estimate = None  # the job says what is missing, in the reader's words
    return job_result(
        read_job(key),
        f"bundled:{choice}",
        read,
        f"Reading the documents ({choice})",
        estimate=estimate,
    )


def _uploaded(key: str, path, upload, columns: tuple) -> DocumentSet | None:
    def read(progress, cancel):
        return read_document_set(path, *columns, name=upload.name, progress=progress, cancel=cancel)

    return job_result(
        read_job(key),
        cache_key(f"upload:{upload.file_id}", name=upload.name, size=upload.size, columns=columns),
        read,
        f"Reading {upload.name}",
        estimate=document_set_memory_estimate([path]),
        keep=2,  # uploads may be large: the server keeps fewer of them
    )


def document_source(
    key: str, default: str = "lee", need_labels: bool = False
) -> DocumentSet | None:
    """Let the user pick bundled documents or upload a file; return the DocumentSet or None.

    Uploads: CSV/TSV (text, title and label columns chosen here), a text file with one
    document per line, fastText ``__label__X text`` lines, or any of these zipped or as
    .gz/.bz2 (the corpus reader reads them all). The documents are read by a job (see
    :func:`utils.job_results.job_result`): None while it runs, or when it failed or was
    cancelled.
    """
    options = list(BUNDLED_DOCUMENT_SETS) + ["upload"]
    labels = {
        **BUNDLED_DOCUMENT_SETS,
        "upload": "Upload a file (CSV/TSV, text, fastText lines; zip, gz, bz2)",
    }
    choice = st.radio(
        "Documents",
        options,
        index=options.index(default),
        format_func=labels.get,
        key=f"{key}_source",
        horizontal=False,
    )
    if choice != "upload":
        return _bundled(key, choice)
    upload = st.file_uploader("Documents file", type=UPLOAD_TYPES, key=f"{key}_upload")
    if upload is None:
        st.info("Upload a file to continue.")
        return None
    try:
        path = saved_upload(upload, key)
        columns = table_columns(path, name=upload.name)
        if not columns:
            return _uploaded(key, path, upload, ())
        cols = st.columns(3)
        text_col = cols[0].selectbox("Text column", columns, key=f"{key}_text_col")
        title_col = cols[1].selectbox("Title column", [None, *columns], key=f"{key}_title_col")
        label_col = cols[2].selectbox(
            "Label column", [None, *columns], key=f"{key}_label_col", index=0
        )
        if need_labels and label_col is None:
            st.info("Choose the label column.")
            return None
        return _uploaded(key, path, upload, (text_col, title_col, label_col))
    except EmbeddingsError as exc:
        st.error(str(exc))
        return None


def method_picker(key: str) -> str:
    return st.radio("Document vector", METHODS, format_func=METHOD_LABELS.get, key=f"{key}_method")


def model_tokenizer(card) -> str:
    """The tokenizer the model's corpus used (so documents are split the same way)."""
    tok = (card.corpus or {}).get("tokenizer", "simple")
    return tok if tok in ("simple", "whitespace", "korean") else "simple"
