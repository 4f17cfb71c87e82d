"""The Projection page's panels below the map: a word's true neighbours, the lasso
selection, and the export files (Streamlit glue)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import streamlit as st

from embeddings.projection.select import MAX_WORDS
from embeddings.vectors.export import PROJECTOR_ROW_WARNING, PROJECTOR_TSNE_SAMPLE, coordinates_csv
from utils.plots_projection import figure_html, selected_rows
from utils.projection_cache import export_zip


def true_neighbours_panel(search, sel, coords, neighbours, focus, k_quality) -> None:
    """The searched word's true neighbours, and whether each is also near on the map."""
    if focus is not None:
        map_nn = set(np.argsort(np.linalg.norm(coords - coords[focus], axis=1))[1 : k_quality + 1])
        st.markdown(f"**True neighbours of {search}** (ringed in black on the map)")
        st.dataframe(
            pd.DataFrame(
                {
                    "word": [sel.words[i] for i in neighbours],
                    "also near on the map": [i in map_nn for i in neighbours],
                }
            ),
            key="proj_neighbours",
        )


def selection_panel(event, sel, per_word) -> None:
    """The words a lasso or box selected, with a CSV download."""
    rows = selected_rows(event)
    if rows:
        chosen = pd.DataFrame(
            {
                "word": [sel.words[i] for i in rows],
                "group": [sel.groups[i] for i in rows],
                "preservation": per_word[rows].round(3),
            }
        )
        st.markdown(f"**{len(rows):,} selected words**")
        st.dataframe(chosen)
        st.download_button(
            "Download selected words (CSV)",
            chosen.to_csv(index=False).encode("utf-8"),
            file_name="selected-words.csv",
            mime="text/csv",
            key="proj_sel_csv",
            on_click="ignore",
        )


def export_panel(kv, model, sel, coords, export_clusters, fig, method, dims, per_word) -> None:
    """Projector zip, coordinates CSV and the map as HTML."""
    n = len(sel.words)
    st.subheader("Export")
    if n > PROJECTOR_ROW_WARNING:
        st.warning(f"{n:,} rows: the Projector slows down past {PROJECTOR_ROW_WARNING:,} points.")
    if n > PROJECTOR_TSNE_SAMPLE:
        st.warning(
            f"The Projector's t-SNE uses a sample of {PROJECTOR_TSNE_SAMPLE:,} of these {n:,} points."
        )
    st.caption(  # export_zip writes a group column only for words from queries
        f"The zip holds the Projector's tensor and metadata TSVs (word, count, cluster"
        f"{', group' if any(sel.groups) else ''}), projector_config.json (for projector.tensorflow.org),"
        f" query-word bookmarks, the coordinates CSV and this map as HTML. At most {MAX_WORDS:,} words;"
        " for a whole large model use `python -m embeddings export-tsv MODEL --limit N`."
    )
    prefix = re.sub(r"[^\w.-]+", "_", model.name)
    e1, e2, e3 = st.columns(3)
    e1.download_button(
        "Download everything (zip)",
        lambda: export_zip(kv, sel, coords, export_clusters, prefix, figure_html(fig)),
        file_name=f"{prefix}-projection.zip",
        mime="application/zip",
        key="proj_zip",
        on_click="ignore",
    )
    e2.download_button(
        "Coordinates (CSV)",
        lambda: coordinates_csv(sel.words, coords, {"preservation": per_word}),
        file_name=f"{prefix}-{method}-{dims}d.csv",
        mime="text/csv",
        key="proj_coords",
        on_click="ignore",
    )
    e3.download_button(
        "Map (HTML)",
        lambda: figure_html(fig),
        file_name=f"{prefix}-{method}.html",
        mime="text/html",
        key="proj_html",
        on_click="ignore",
    )
