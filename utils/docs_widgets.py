"""Shared widgets of the document pages: choosing a document set and a weighting scheme."""

from __future__ import annotations

import streamlit as st

from embeddings.documents.sets import (
    BUNDLED_DOCUMENT_SETS,
    DocumentSet,
    bundled_document_set,
    read_document_lines,
    read_document_table,
    table_columns,
)
from embeddings.documents.vectors import (
    METHOD_LABELS,
    METHODS,
)
from embeddings.errors import EmbeddingsError


@st.cache_data(show_spinner="Reading the documents…")
def _bundled(key: str) -> DocumentSet:
    return bundled_document_set(key)


def _save_upload(upload):
    from utils.uploads import save_upload_to_temp

    return save_upload_to_temp(upload)


def document_source(
    key: str, default: str = "lee", need_labels: bool = False
) -> DocumentSet | None:
    """Let the user pick bundled documents or upload a file; return the DocumentSet or None.

    Uploads: CSV/TSV (text, title and label columns chosen here), a text file with one
    document per line, or fastText ``__label__X text`` lines.
    """
    options = list(BUNDLED_DOCUMENT_SETS) + ["upload"]
    labels = {**BUNDLED_DOCUMENT_SETS, "upload": "Upload a file (CSV/TSV, text, fastText lines)"}
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
    upload = st.file_uploader(
        "Documents file", type=["csv", "tsv", "txt", "cor"], key=f"{key}_upload"
    )
    if upload is None:
        st.info("Upload a file to continue.")
        return None
    try:
        path = _save_upload(upload)
        if path.suffix.lower() not in (".csv", ".tsv"):
            return read_document_lines(path)
        columns = table_columns(path)
        cols = st.columns(3)
        text_col = cols[0].selectbox("Text column", columns, key=f"{key}_text_col")
        title_col = cols[1].selectbox("Title column", [None, *columns], key=f"{key}_title_col")
        label_col = cols[2].selectbox(
            "Label column", [None, *columns], key=f"{key}_label_col", index=0
        )
        if need_labels and label_col is None:
            st.info("Choose the label column.")
            return None
        return read_document_table(path, text_col, title_col, label_col)
    except EmbeddingsError as exc:
        st.error(str(exc))
        return None


def method_picker(key: str) -> str:
    return st.radio("Document vector", METHODS, format_func=METHOD_LABELS.get, key=f"{key}_method")


def model_tokenizer(card) -> str:
    """The tokenizer the model's corpus used (so documents are split the same way)."""
    tok = (card.corpus or {}).get("tokenizer", "simple")
    return tok if tok in ("simple", "whitespace", "korean") else "simple"
