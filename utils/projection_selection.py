"""Below a stored map: the words a box or lasso selected, their true neighbours, and the
exports (selection CSV, Projector bookmark, word list; the map's Projector zip)
(Streamlit glue)."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from embeddings.projection.map_export import (
    map_projector_files,
    selection_bookmark,
    selection_csv,
    word_list_text,
)
from embeddings.projection.map_view import band_colouring, full_space_neighbours
from embeddings.vectors.export import PROJECTOR_ROW_WARNING, zip_bytes

NEIGHBOUR_ROWS = 200  # selected words whose true neighbours are computed and shown
SHOWN_ROWS = 1_000


def selection_panel(kv, opened, selected: list[int], clusters) -> None:
    """The selected words with their true neighbours, and three downloads."""
    if not selected:
        st.caption("Select words with the lasso or the box (in the map's toolbar) to list them.")
        return
    words = opened.words
    chosen = [words[i] for i in selected]
    with_nb = selected[:NEIGHBOUR_ROWS]
    neighbours = full_space_neighbours(kv, [words[i] for i in with_nb], k=8)
    nb_of = {i: ", ".join(nb) for i, nb in zip(with_nb, neighbours, strict=True)}
    st.markdown(f"**{len(selected):,} selected words**")
    table = pd.DataFrame(
        {
            "word": chosen[:SHOWN_ROWS],
            "cluster": [int(clusters[i]) for i in selected[:SHOWN_ROWS]],
            "true neighbours (full space)": [nb_of.get(i, "") for i in selected[:SHOWN_ROWS]],
        }
    )
    st.dataframe(table, key="map_selection_table", hide_index=True)
    if len(selected) > NEIGHBOUR_ROWS:
        st.caption(
            f"True neighbours for the {NEIGHBOUR_ROWS} most frequent selected words only"
            f"{f'; the table shows the first {SHOWN_ROWS:,}' if len(selected) > SHOWN_ROWS else ''}."
        )
    columns = {"cluster": [int(c) for c in clusters], "true_neighbours": nb_of}
    s1, s2, s3 = st.columns(3)
    s1.download_button(
        "Selection (CSV)",
        selection_csv(words, opened.coords, selected, columns),
        file_name=f"{opened.info.name}-selection.csv",
        mime="text/csv",
        key="map_sel_csv",
        on_click="ignore",
    )
    s2.download_button(
        "Selection (Projector bookmark)",
        lambda: selection_bookmark(opened, selected, int(kv.vector_size)),
        file_name=f"{opened.info.name}-selection-bookmarks.json",
        mime="application/json",
        key="map_sel_bookmark",
        on_click="ignore",
        help="Point ids are rows of this map's Projector export (the zip below).",
    )
    s3.download_button(
        "Selection (word list)",
        word_list_text(chosen),
        file_name=f"{opened.info.name}-words.txt",
        mime="text/plain",
        key="map_sel_words",
        on_click="ignore",
        help="One word a line: upload it as the Projection page's word list.",
    )
    st.caption("The same words comma-separated, for the Neighbours and Projection word boxes:")
    st.code(", ".join(chosen[:SHOWN_ROWS]), language=None)


def _columns(model, opened, clusters, table) -> dict:
    """The metadata columns of the zip: cluster, frequency band, the uploaded ones."""
    bands = band_colouring(model.kv, opened.rows)
    columns = {
        "cluster": [int(c) for c in clusters],
        "band": [bands.names[c] for c in bands.codes],
    }
    for name in table.columns if table is not None else []:
        if name not in columns and name != "count":
            columns[name] = [table.values[name].get(w, "") for w in opened.words]
    return columns


def export_map_panel(model, opened, clusters, selected: list[int], table=None) -> None:
    """The map's Projector zip: tensor, metadata (count, cluster, band and the uploaded
    metadata table's columns), the map's coordinates as a bookmark (and the selection as
    a second one), the coordinates CSV."""
    st.subheader("Export")
    n = opened.info.words
    prefix = re.sub(r"[^\w.-]+", "_", f"{model.name}-{opened.info.name}")
    st.caption(
        "The zip holds the Projector's tensor and metadata TSVs (word, count, cluster, band"
        f"{', the uploaded columns' if table is not None else ''}),"
        " projector_config.json, bookmarks that show this map's coordinates in the Projector"
        " (and the selection, if any) and the coordinates CSV. The coordinates alone, for any size:"
        f" `python -m embeddings maps export {model.name} {opened.info.name} --out FILE.csv`."
    )
    if n > PROJECTOR_ROW_WARNING:
        st.info(f"{n:,} words: the Projector takes at most {PROJECTOR_ROW_WARNING:,}; no zip.")
        return
    st.download_button(
        "Download the map for the Projector (zip)",
        lambda: zip_bytes(
            map_projector_files(
                model.kv, opened, prefix, _columns(model, opened, clusters, table), selected
            )
        ),
        file_name=f"{prefix}-projector.zip",
        mime="application/zip",
        key="map_zip",
        on_click="ignore",
    )
