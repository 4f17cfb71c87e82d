"""Widgets of the Train page: hyper-parameters per algorithm, and the live training view."""

from __future__ import annotations

import os

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from embeddings.jobs import BackgroundJob
from utils.jobs import progress_bar


def _number(col, name: str, label: str, lo, hi, value, help: str = "", **kw):
    return col.number_input(label, lo, hi, value, help=help or None, key=f"train_{name}", **kw)


def parameter_form(algorithm: str) -> dict:
    """Hyper-parameter widgets for ``algorithm``; returns the chosen values."""
    c1, c2, c3 = st.columns(3)
    glove = algorithm == "glove"
    p: dict = {
        "vector_size": _number(
            c1, "vector_size", "Vector size", 2, 1000, 100, "Dimensions of each word vector."
        ),
        "window": _number(
            c2,
            "window",
            "Window",
            1,
            50,
            10 if glove else 5,
            "Context words on each side of the centre word.",
        ),
        "min_count": _number(
            c3, "min_count", "min_count", 1, 1000, 5, "Ignore words rarer than this."
        ),
        "epochs": _number(
            c1, "epochs", "Epochs", 1, 200, 15 if glove else 5, "Passes over the corpus."
        ),
        "workers": _number(
            c2, "workers", "Workers", 1, 64, os.cpu_count() or 1, "Threads (default: all cores)."
        ),
        "seed": _number(
            c3,
            "seed",
            "Seed",
            0,
            2**31 - 1,
            1,
            "Random seed (exactly reproducible only with 1 worker).",
        ),
    }
    if algorithm in ("word2vec", "fasttext"):
        arch = c1.radio(
            "Architecture",
            ["CBOW", "skip-gram"],
            horizontal=True,
            key="train_arch",
            help="CBOW predicts the centre word from its context; skip-gram predicts each context word from the centre word.",
        )
        p["sg"] = int(arch == "skip-gram")
        objective = c2.radio(
            "Objective",
            ["negative sampling", "hierarchical softmax"],
            horizontal=True,
            key="train_objective",
        )
        p["hs"] = int(objective == "hierarchical softmax")
        p["negative"] = (
            0
            if p["hs"]
            else _number(
                c3,
                "negative",
                "Negative samples (k)",
                1,
                50,
                5,
                "Noise words drawn per positive pair, from unigram counts^0.75.",
            )
        )
        p["sample"] = _number(
            c1,
            "sample",
            "sample",
            0.0,
            0.1,
            1e-3,
            "Down-sampling threshold for frequent words (0 = off).",
            format="%.5f",
        )
    if algorithm == "fasttext":
        p["min_n"] = _number(c2, "min_n", "min_n", 1, 10, 3, "Shortest character n-gram.")
        p["max_n"] = _number(c3, "max_n", "max_n", 1, 10, 6, "Longest character n-gram.")
        p["bucket"] = _number(
            c1,
            "bucket",
            "bucket",
            1000,
            10_000_000,
            2_000_000,
            "Hash buckets for n-grams (memory: bucket x vector size x 4 bytes).",
            step=100_000,
        )
    if glove:
        p["x_max"] = _number(
            c1,
            "x_max",
            "x_max",
            1.0,
            1000.0,
            100.0,
            "Co-occurrence count at which the weight f(x) reaches 1.",
        )
        p["alpha"] = _number(
            c2, "alpha", "alpha", 0.1, 2.0, 0.75, "Exponent of the weighting function."
        )
        p["learning_rate"] = _number(
            c3,
            "learning_rate",
            "Learning rate",
            0.001,
            1.0,
            0.05,
            "Initial AdaGrad step.",
            format="%.3f",
        )
    return p


def epoch_table(job: BackgroundJob) -> pd.DataFrame:
    rows = [e.metrics for e in job.events]
    frame = pd.DataFrame(rows)
    return frame.drop(columns=["drift"], errors="ignore")


def loss_figure(frame: pd.DataFrame, algorithm: str) -> go.Figure | None:
    if "loss" not in frame or frame["loss"].isna().all():
        return None
    fig = go.Figure(go.Scatter(x=frame["epoch"], y=frame["loss"], mode="lines+markers"))
    title = (
        "loss per epoch (difference of gensim's running loss)"
        if algorithm != "glove"
        else "mean weighted squared error per entry"
    )
    fig.update_layout(title=title, xaxis_title="epoch", yaxis_title="loss", height=300)
    return fig


def drift_table(job: BackgroundJob) -> pd.DataFrame | None:
    rows = []
    for event in job.events:
        for word, neighbours in (event.metrics.get("drift") or {}).items():
            rows.append(
                {
                    "epoch": event.metrics["epoch"],
                    "probe": word,
                    "neighbours": ", ".join(w for w, _ in neighbours),
                }
            )
    return pd.DataFrame(rows) if rows else None


def training_view(job: BackgroundJob, algorithm: str) -> None:
    """Progress, the per-epoch table, the loss curve and the neighbour drift."""
    progress_bar(job, key="cancel_training")
    frame = epoch_table(job)
    if frame.empty:
        return
    left, right = st.columns(2)
    with left:
        st.dataframe(frame, hide_index=True)
        if algorithm == "fasttext":
            st.caption("gensim reports no training loss for FastText, so none is plotted.")
    with right:
        fig = loss_figure(frame, algorithm)
        if fig is not None:
            st.plotly_chart(fig, key=f"loss_{len(frame)}")
    drift = drift_table(job)
    if drift is not None:
        st.markdown("**Neighbour drift** (nearest neighbours of the probe words after each epoch)")
        st.dataframe(drift.pivot(index="epoch", columns="probe", values="neighbours"))
