"""The one widget that picks a file on the server: a filter and a list of the files in
the data folders (see :mod:`embeddings.datadirs`), never a free path box.

Every page that reads a server-side file (the Corpus page, the Models page) uses
:func:`data_file_picker`, so a browser user can only ever name files the operator put in
the data folders.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from embeddings.budget import human_bytes
from embeddings.datadirs import (
    ENV_VAR,
    MAX_LISTED,
    MAX_PATTERN,
    DataFile,
    data_dirs,
    list_data_files,
    resolve_data_file,
)
from embeddings.errors import EmbeddingsError

WHERE = f"`data/` in the project, or the folders named in `{ENV_VAR}`"


def describe(file: DataFile, folder: str | None = None) -> str:
    """``"news.txt · 1.2 MiB · 2024-05-01 12:00"`` (``folder`` added when given)."""
    where = f" (in {folder})" if folder else ""
    return f"{file.name}{where} · {human_bytes(file.size)} · {file.modified:%Y-%m-%d %H:%M}"


def data_file_picker(key: str, label: str = "File", help: str | None = None) -> Path | None:
    """A text filter and a list of the files in the data folders (name, size, modified).

    Parameters
    ----------
    key
        Prefix of the widget keys: ``{key}_filter`` (the filter) and ``{key}_file`` (the
        list; its value is the chosen file's path as text).
    label, help
        The list's label and help text.

    Returns
    -------
    pathlib.Path or None
        The chosen file, checked again with
        :func:`~embeddings.datadirs.resolve_data_file`; None until one is chosen. Problems
        are shown with ``st.error`` here, never raised.
    """
    folders = data_dirs()
    pattern = st.text_input(
        "Filter",
        key=f"{key}_filter",
        max_chars=MAX_PATTERN,
        placeholder="part of the name, or a pattern like *.txt.gz",
        help=f"Files on the server come only from the data folders: {WHERE}. "
        "The filter matches a part of the name, or * and ? as wildcards.",
    )
    try:
        files = list_data_files(pattern, limit=MAX_LISTED + 1)
    except EmbeddingsError as exc:
        st.error(str(exc))
        return None
    if len(files) > MAX_LISTED:
        files = files[:MAX_LISTED]
        st.caption(f"Showing the first {MAX_LISTED:,} files; narrow the filter to see others.")
    if not files:
        if pattern.strip():
            st.info(f"No file in the data folders matches {pattern.strip()!r}.")
        else:
            st.info(f"The data folders hold no files yet. Put files in {WHERE}, or upload one.")
        return None
    by_path = {str(f.path): f for f in files}
    several = len(folders) > 1

    def folder_of(file: DataFile) -> str | None:
        if not several:
            return None
        return next((r.name for r in folders if file.path.is_relative_to(r)), None)

    chosen = st.selectbox(
        label,
        list(by_path),
        index=None,
        format_func=lambda p: describe(by_path[p], folder_of(by_path[p])) if p in by_path else p,
        key=f"{key}_file",
        placeholder=f"Choose one of {len(files):,} files",
        help=help,
    )
    # Only a listed file counts, and it is checked again: the list may be stale, and a
    # client can send any text as the value of a selectbox.
    if chosen is None or chosen not in by_path:
        return None
    try:
        return resolve_data_file(chosen)
    except EmbeddingsError as exc:
        st.error(str(exc))
        return None
