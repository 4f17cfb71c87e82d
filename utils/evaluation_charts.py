"""Streamlit glue for showing benchmark results (Evaluate and Home pages): the score
tables, bar charts, the per-section heatmap, failed analogies, and the captions that say
when scores were computed and why a retrained model scores differently."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from embeddings.evaluate.benchmarks import PAIRS, Benchmark

SCORE_VARIATION = (
    "A model trained with several worker threads scores a little differently every time it "
    "is trained (the default model's WordSim-353 gave 0.258 and 0.275): gensim's "
    "multi-threaded training is not deterministic. The default models are trained in "
    "reproducible mode (one worker, a fixed seed), so they score the same on every start; "
    "tick *Reproducible* on **Train** for the same with your own."
)


def score_variation_caption() -> None:
    """Say next to scores why a retrained model scores differently (and how not to)."""
    st.caption(SCORE_VARIATION)


def computed_caption(results: dict[str, dict]) -> str:
    """When each model's shown results were computed (they are kept in its card).

    >>> computed_caption({"m": {"wordsim353": {"computed": "2026-11-30T05:13:58+0000"}}})
    'Computed 2026-11-30 05:13 for m; kept in the model card.'
    """
    parts = []
    for model, res in results.items():
        stamps = sorted(r["computed"] for r in res.values() if r.get("computed"))
        if stamps:
            parts.append(f"{stamps[-1][:16].replace('T', ' ')} for {model}")
    if not parts:
        return ""
    return "Computed " + " · ".join(parts) + "; kept in the model card."


def results_tables(
    results: dict[str, dict], benchmarks: list[Benchmark]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The scores as two long tables, one row per model and benchmark, so they never
    grow sideways: word pairs (Spearman, Pearson, OOV %) and analogies (accuracy,
    semantic, syntactic, questions answered)."""
    pairs, analogies = [], []
    for model, res in results.items():
        for b in benchmarks:
            r = res.get(b.name, {})
            if b.kind == PAIRS:
                pairs.append(
                    {
                        "model": model,
                        "benchmark": b.title,
                        "Spearman": r.get("spearman"),
                        "Pearson": r.get("pearson"),
                        "OOV %": r.get("oov_ratio"),
                    }
                )
            else:
                analogies.append(
                    {
                        "model": model,
                        "benchmark": b.title,
                        "accuracy %": 100 * r.get("accuracy", 0.0),
                        "semantic %": 100 * r.get("semantic", {}).get("accuracy", 0.0),
                        "syntactic %": 100 * r.get("syntactic", {}).get("accuracy", 0.0),
                        "answered": f"{r.get('total', 0):,} of {r.get('questions', 0):,}",
                    }
                )
    return pd.DataFrame(pairs), pd.DataFrame(analogies)


def _bar_height(bars: int) -> int:
    return 90 + 28 * bars


def bar_charts(results: dict[str, dict], benchmarks: list[Benchmark]) -> None:
    """Grouped horizontal bars, models side by side: correlations on the left, accuracies
    on the right (horizontal, so long benchmark names stay readable)."""
    pairs, analogies = [], []
    for model, res in results.items():
        for b in benchmarks:
            r = res.get(b.name, {})
            if b.kind == PAIRS:
                for stat in ("Spearman", "Pearson"):
                    pairs.append(
                        {
                            "benchmark": f"{b.title} {stat}",
                            "model": model,
                            "value": r.get(stat.lower()),
                        }
                    )
            else:
                for part in ("overall", "semantic", "syntactic"):
                    acc = r.get("accuracy", 0.0) if part == "overall" else r[part]["accuracy"]
                    analogies.append(
                        {"benchmark": f"{b.title} {part}", "model": model, "value": 100 * acc}
                    )
    left, right = st.columns(2)
    for col, rows, title, key in (
        (left, pairs, "Correlation with human scores", "eval_chart_pairs"),
        (right, analogies, "Analogy accuracy (%)", "eval_chart_analogies"),
    ):
        if not rows:
            continue
        fig = px.bar(
            pd.DataFrame(rows),
            x="value",
            y="benchmark",
            color="model",
            barmode="group",
            orientation="h",
        )
        fig.update_layout(
            title=title,
            xaxis_title=None,
            yaxis_title=None,
            height=_bar_height(len(rows)),
            margin={"t": 40, "b": 10},
            # One model needs no legend; several get it at the side (below the plot it
            # covered the axis's ticks).
            showlegend=len(results) > 1,
        )
        fig.update_yaxes(autorange="reversed", automargin=True)
        col.plotly_chart(fig, key=key)


def section_heatmap(results: dict[str, dict], bench: Benchmark) -> pd.DataFrame:
    """Per-section accuracy (%), sections as rows and models as columns (so section names
    read horizontally, in full); drawn as a heatmap, returned as a frame."""
    first = next(iter(results.values()))[bench.name]
    sections = list(first["sections"])
    frame = pd.DataFrame(
        {
            model: [100 * res[bench.name]["sections"][s]["accuracy"] for s in sections]
            for model, res in results.items()
        },
        index=sections,
    )
    fig = px.imshow(
        frame,
        text_auto=".1f",
        aspect="auto",
        color_continuous_scale="Blues",
        labels={"color": "accuracy %"},
    )
    fig.update_layout(
        height=80 + 26 * len(frame),
        width=280 + 140 * len(frame.columns),
        xaxis_title=None,
        yaxis_title=None,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        coloraxis_colorbar={"title": {"text": "accuracy %", "side": "right"}, "thickness": 14},
    )
    fig.update_xaxes(side="top")
    fig.update_yaxes(automargin=True)
    st.plotly_chart(fig, key=f"eval_heatmap_{bench.name}", width="content")
    return frame


def failed_table(result: dict, section: str | None = None) -> pd.DataFrame:
    """The analogies the model got wrong, with what it answered instead."""
    rows = [f for f in result.get("failed", []) if section is None or f[5] == section]
    return pd.DataFrame(
        [
            {
                "question": f"{a} : {b} :: {c} : ?",
                "expected": d,
                "model answered": answer,
                "section": sec,
            }
            for a, b, c, d, answer, sec in rows
        ],
        columns=["question", "expected", "model answered", "section"],
    )
