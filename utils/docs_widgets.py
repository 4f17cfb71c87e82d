"""Shared widgets of the document pages: choosing a document set and a weighting scheme."""

from __future__ import annotations

import streamlit as st

from embeddings.documents.sets import (
    BUNDLED_DOCUMENT_SETS,
    DocumentSet,
    bundled_document_set,
    read_document_set,
    table_columns,
)
from embeddings.documents.vectors import (
    METHOD_LABELS,
    METHODS,
)
from embeddings.errors import EmbeddingsError
from utils.corpus_widgets import saved_upload

UPLOAD_TYPES = ["csv", "tsv", "txt", "cor", "zip", "gz", "bz2"]


@st.cache_data(show_spinner="Reading the documents…")
def _bundled(key: str) -> DocumentSet:
    return bundled_document_set(key)


def document_source(
    key: str, default: str = "lee", need_labels: bool = False
) -> DocumentSet | None:
    """Let the user pick bundled documents or upload a file; return the DocumentSet or None.

    Uploads: CSV/TSV (text, title and label columns chosen here), a text file with one
    document per line, fastText ``__label__X text`` lines, or any of these zipped or as
    .gz/.bz2 (the corpus reader reads them all).
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
        return _bundled(choice)
    upload = st.file_uploader("Documents file", type=UPLOAD_TYPES, key=f"{key}_upload")
    if upload is None:
        st.info("Upload a file to continue.")
        return None
    try:
        path = saved_upload(upload, key)
        columns = table_columns(path, name=upload.name)
        if not columns:
            return read_document_set(path, name=upload.name)
        cols = st.columns(3)
        text_col = cols[0].selectbox("Text column", columns, key=f"{key}_text_col")
        title_col = cols[1].selectbox("Title column", [None, *columns], key=f"{key}_title_col")
        label_col = cols[2].selectbox(
            "Label column", [None, *columns], key=f"{key}_label_col", index=0
        )
        if need_labels and label_col is None:
            st.info("Choose the label column.")
            return None
        return read_document_set(path, text_col, title_col, label_col, name=upload.name)
    except EmbeddingsError as exc:
        st.error(str(exc))
        return None


def method_picker(key: str) -> str:
    return st.radio("Document vector", METHODS, format_func=METHOD_LABELS.get, key=f"{key}_method")


def model_tokenizer(card) -> str:
    """The tokenizer the model's corpus used (so documents are split the same way)."""
    tok = (card.corpus or {}).get("tokenizer", "simple")
    return tok if tok in ("simple", "whitespace", "korean") else "simple"
