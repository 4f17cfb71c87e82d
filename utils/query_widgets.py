"""Shared pieces of the query pages: word inputs, result tables with bar charts, and
the one place where query errors become messages."""

from __future__ import annotations

import re
from contextlib import contextmanager

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from embeddings.errors import EmbeddingsError


def split_words(text: str) -> list[str]:
    """Words typed with commas or spaces between them (a token containing a space, as
    some GloVe files have, can be typed with commas only)."""
    if "," in text:
        return [w.strip() for w in text.split(",") if w.strip()]
    return [w for w in re.split(r"\s+", text.strip()) if w]


@contextmanager
def query_errors():
    """Show an EmbeddingsError (unknown word, bad request) as a message, not a traceback."""
    try:
        yield
    except EmbeddingsError as exc:
        st.error(str(exc))


def ranked_table(rows, score_label: str = "similarity", key: str | None = None, chart: bool = True):
    """A table of (rank, word, score) and a horizontal bar chart of the same."""
    frame = pd.DataFrame(
        {
            "rank": [n.rank for n in rows],
            "word": [n.word for n in rows],
            score_label: [n.similarity for n in rows],
        }
    )
    st.dataframe(frame, hide_index=True, key=key, width="stretch")
    if chart and len(frame):
        st.plotly_chart(
            bar_figure(frame["word"], frame[score_label], score_label),
            key=f"{key}_chart" if key else None,
        )
    return frame


def bar_figure(words, scores, score_label: str) -> go.Figure:
    """Horizontal bars of ``scores`` by word, the first word on top.

    The same figure ``plotly.express.bar(..., orientation="h")`` draws, built from graph
    objects directly: Plotly Express costs about ten times as much server time, on every
    query.
    """
    words = list(words)[::-1]
    scores = np.asarray(scores, dtype=np.float64)[::-1]  # sent as binary, like px's
    return go.Figure(
        go.Bar(
            x=scores,
            y=words,
            orientation="h",
            name="",
            legendgroup="",
            showlegend=False,
            textposition="auto",
            marker={"color": "#000001", "pattern": {"shape": ""}},  # the theme's first colour
            hovertemplate=f"{score_label}=%{{x}}<br>word=%{{y}}<extra></extra>",
            xaxis="x",
            yaxis="y",
        ),
        layout={
            "height": max(220, 26 * len(words)),
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
            "barmode": "relative",
            "legend": {"tracegroupgap": 0},
            "xaxis": {"anchor": "y", "domain": [0.0, 1.0], "title": {"text": score_label}},
            "yaxis": {"anchor": "x", "domain": [0.0, 1.0], "title": {}},
        },
    )


def model_choice(label: str, names: list[str], exclude: str | None, key: str) -> str | None:
    """A select box of stored models other than ``exclude`` (None when there is none)."""
    others = [n for n in names if n != exclude]
    if not others:
        st.info("Only one model is stored. Train or load another one to compare.")
        return None
    return st.selectbox(label, others, key=key)


def top_n_input(col, label: str, vocab_size: int, key: str, excluded: int = 1, default: int = 10):
    """A number box for how many words to list, bounded by what the vocabulary can give
    (its size minus the ``excluded`` query words, at most 200)."""
    most = max(1, min(200, vocab_size - excluded))
    return int(col.number_input(label, 1, most, min(default, most), key=key))


def restrict_input(col, vocab_size: int, key: str) -> int | None:
    """A number box for "only the n most frequent words" (0 = all), stepping by about a
    tenth of the vocabulary; None means the whole vocabulary."""
    step = max(1, min(1000, vocab_size // 10))
    value = col.number_input(
        "Only the n most frequent (0 = all)", 0, vocab_size, 0, step=step, key=key
    )
    return int(value) or None
