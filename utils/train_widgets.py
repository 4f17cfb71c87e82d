"""Widgets of the Train page: hyper-parameters per algorithm (built from
:data:`embeddings.train.params.SPECS`), the estimates before training, and the live
training view."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from embeddings.budget import check_memory
from embeddings.errors import EmbeddingsError
from embeddings.jobs import BackgroundJob
from embeddings.train.estimate import estimate_training
from embeddings.train.params import (
    ParamSpec,
    make_params,
    specs_for,
    suggest_bucket,
    suggest_min_count,
    suggest_model_name,
)
from utils.jobs import progress_bar

RADIO_KEYS = {"sg": "train_arch", "hs": "train_objective"}
SMALL_VOCABULARY = 3000
SUGGESTED = "train_suggested"


def _follow(key: str, suggestion) -> None:
    """Set widget ``key`` to ``suggestion`` unless the user changed it since the last one.

    So the window follows the algorithm's default, the bucket count the corpus and the
    model name the algorithm, until the user types a value of their own.
    """
    last = st.session_state.setdefault(SUGGESTED, {})
    if key not in st.session_state or st.session_state[key] == last.get(key):
        st.session_state[key] = suggestion
    last[key] = suggestion


def _number(col, spec: ParamSpec, suggestion, lo=None):
    key = f"train_{spec.name}"
    _follow(key, suggestion)
    return col.number_input(
        spec.label or spec.name,
        spec.type(spec.lower if lo is None else lo),
        None if spec.upper is None else spec.type(spec.upper),
        step=None if spec.step is None else spec.type(spec.step),
        format=spec.format,
        help=spec.help,
        key=key,
    )


def parameter_form(algorithm: str, stats=None) -> dict:
    """Hyper-parameter widgets for ``algorithm``; returns the chosen values.

    One widget per spec with a flag, in table order: a radio for a two-way switch, a
    number input with the spec's bounds otherwise. With corpus ``stats`` the FastText
    bucket count starts at :func:`~embeddings.train.params.suggest_bucket` of the words
    kept at the chosen min_count.
    """
    columns = st.columns(3)
    p: dict = {}
    shown = [s for s in specs_for(algorithm) if s.flag is not None]
    for n, spec in enumerate(shown):
        col = columns[n % 3]
        if spec.choices is not None:
            p[spec.name] = col.radio(
                spec.label,
                list(spec.choices),
                format_func=spec.choices.get,
                horizontal=True,
                key=RADIO_KEYS.get(spec.name, f"train_{spec.name}"),
                help=spec.help,
            )
        elif spec.name == "negative" and p.get("hs"):
            p["negative"] = 0  # hierarchical softmax alone
        elif spec.name == "negative":
            p["negative"] = _number(col, spec, spec.default_for(algorithm), lo=1)
        elif spec.name == "bucket" and stats is not None:
            vocab = stats.vocab_size(p.get("min_count", 1))
            p["bucket"] = _number(col, spec, suggest_bucket(vocab))
        else:
            p[spec.name] = _number(col, spec, spec.default_for(algorithm))
    return p


def model_name_input(corpus_name: str, algorithm: str, col=st) -> str:
    """The model name: ``<corpus>-<algorithm>`` until the user types their own."""
    _follow("train_name", suggest_model_name(corpus_name, algorithm))
    return col.text_input("Model name", key="train_name")


def vocabulary_warning(stats, min_count: int) -> None:
    """Warn when ``min_count`` leaves fewer than 3,000 words, with a lower one to try."""
    suggestion = suggest_min_count(stats.word_counts, min_count, SMALL_VOCABULARY)
    if suggestion is None:
        return
    lower, words = suggestion
    st.warning(
        f"At min_count={min_count} the corpus keeps only {stats.vocab_size(min_count):,} "
        f"words (fewer than {SMALL_VOCABULARY:,}), too few for useful neighbours. "
        f"min_count={lower} would keep {words:,} words."
    )


def estimate_view(corpus, algorithm: str, params: dict) -> bool:
    """The memory and disk estimates of this training; False when it cannot run.

    Bad values are shown as an error, a training over the memory budget as a warning
    with the estimate (the trainer refuses it the same way).
    """
    try:
        checked = make_params(algorithm, **params)
    except EmbeddingsError as exc:
        st.error(str(exc))
        return False
    vocabulary_warning(corpus.stats, checked.min_count)
    estimate = estimate_training(corpus.stats, algorithm, checked)
    try:
        check_memory(estimate.memory, f"Training {algorithm} on {corpus.name}", estimate.budget)
    except EmbeddingsError as exc:
        st.warning(str(exc))
        return False
    st.caption(estimate.summary())
    return True


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


def offer_free_name(job_key: str, store) -> None:
    """A finished training whose name another session took meanwhile: save it under the
    free name the store suggests (nothing trained is lost), with one click."""
    from embeddings.train.trainer import store_result
    from embeddings.vectors.store import NameTakenError
    from utils.state import set_active_model

    job = st.session_state.get(job_key)
    exc = getattr(job, "exception", None)
    if job is None or job.running or not isinstance(exc, NameTakenError):
        return
    if getattr(exc, "result", None) is None:
        return
    if st.button(f"Save it as {exc.suggestion}", key="train_save_as", type="primary"):
        try:
            result = store_result(store, exc.result, exc.suggestion)
        except EmbeddingsError as again:
            st.error(str(again))
            return
        job.exception = None
        st.session_state["train_saved_as"] = result.card.name
        set_active_model(result.card.name)  # reruns when the sidebar must follow
        st.rerun()
    st.caption("The training finished; its vectors are kept until you save them.")
