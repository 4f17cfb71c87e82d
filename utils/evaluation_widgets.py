"""Streamlit glue for the Evaluate page and the home page: settings, uploads, running the
benchmarks with progress (results kept in model cards), tables and charts."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pandas as pd
import plotly.express as px
import streamlit as st

from embeddings.errors import Cancelled, EmbeddingsError
from embeddings.evaluate.benchmarks import (
    PAIRS,
    STANDARD_NAMES,
    Benchmark,
    detect_benchmark,
    run_benchmarks,
    standard_benchmarks,
    store_results,
    stored_results,
)
from embeddings.evaluate.scores import ANALOGY_METHODS, DEFAULT_RESTRICT_VOCAB, METHOD_LABELS
from embeddings.progress import Progress
from utils.jobs import BackgroundJob, progress_bar
from utils.state import get_store, load_model
from utils.uploads import save_upload_to_temp, upload_dir

UPLOADS_KEY = "eval_uploaded_benchmarks"
JOB_KEY = "eval_job"


# --------------------------------------------------------------------------- inputs


def evaluation_settings() -> tuple[str, int]:
    """The analogy method and vocabulary restriction, side by side."""
    c1, c2 = st.columns(2)
    method = c1.radio(
        "Analogy objective",
        ANALOGY_METHODS,
        format_func=METHOD_LABELS.get,
        horizontal=True,
        key="eval_method",
        help="3CosAdd: b − a + c (gensim's most_similar). 3CosMul: Levy & Goldberg's "
        "multiplicative objective (most_similar_cosmul).",
    )
    restrict = c2.number_input(
        "Analogies: only the n most frequent words",
        min_value=1,
        value=DEFAULT_RESTRICT_VOCAB,
        step=5_000,
        key="eval_restrict",
        help="30,000 as in the literature. Questions with a rarer word are skipped, and "
        "answers come from these words only.",
    )
    return method, int(restrict)


def _upload_name(file_name: str, taken: set[str]) -> str:
    stem = re.sub(r"[^\w.\-]+", "-", Path(file_name).stem).strip("-.") or "benchmark"
    name, n = stem, 2
    while name in taken:
        name, n = f"{stem}-{n}", n + 1
    return name


def uploaded_benchmarks() -> list[Benchmark]:
    """The user's own benchmark files (same formats as the standard sets), read once each."""
    files = st.file_uploader(
        "Your own benchmarks: word pairs (word1 TAB word2 TAB score) or analogies "
        "(': section' lines, then 'a b c d'), UTF-8, any language",
        accept_multiple_files=True,
        key="eval_upload",
    )
    known: dict[str, Benchmark | str] = st.session_state.setdefault(UPLOADS_KEY, {})
    out: list[Benchmark] = []
    taken = set(STANDARD_NAMES)
    for file in files or []:
        file_key = f"{file.file_id}:{file.name}:{file.size}"
        if file_key not in known:
            # keep the user's file name, so messages and cards name their file
            safe = re.sub(r"[^\w.\-]+", "-", Path(file.name.replace("\\", "/")).name)
            path = Path(tempfile.mkdtemp(dir=upload_dir())) / (safe.strip(".") or "benchmark")
            save_upload_to_temp(file).replace(path)
            try:
                bench = detect_benchmark(path, _upload_name(file.name, taken))
                known[file_key] = bench
            except EmbeddingsError as exc:
                known[file_key] = str(exc)
        entry = known[file_key]
        if isinstance(entry, str):
            st.error(entry)
            continue
        taken.add(entry.name)
        out.append(entry)
    if out:
        st.caption(
            "Read as: "
            + "; ".join(
                f"**{b.name}** ({'word pairs' if b.kind == PAIRS else 'analogies'})" for b in out
            )
        )
    return out


# --------------------------------------------------------------------------- running


def stored_for(names: list[str], benchmarks: list[Benchmark], method: str, restrict: int):
    """``{model: results}`` for the models whose cards already hold every result."""
    store = get_store()
    out = {}
    for name in names:
        try:
            found = stored_results(store.load_card(name), benchmarks, method, restrict)
        except EmbeddingsError:
            continue
        if found is not None:
            out[name] = found
    return out


def start_evaluation(names: list[str], benchmarks: list[Benchmark], method: str, restrict: int):
    """Evaluate the models in a worker thread (a click elsewhere does not stop it).

    The models are loaded here, in the script thread, through the shared cache; the
    worker only computes and writes the results into the model cards. Poll it with
    :func:`evaluation_job_panel`.
    """
    store = get_store()
    models = {name: load_model(name).kv for name in names}

    def work(progress, cancel) -> dict[str, str]:
        errors: dict[str, str] = {}
        for i, (name, kv) in enumerate(models.items()):

            def inner(event, i=i, name=name):
                done = i + (event.fraction or 0.0)
                progress(Progress("evaluate", done, len(models), f"{name} · {event.message}"))

            try:
                results = run_benchmarks(kv, benchmarks, method, restrict, inner, cancel)
                store_results(store, name, benchmarks, results, method, restrict)
            except Cancelled:
                raise
            except EmbeddingsError as exc:
                errors[name] = str(exc)
        progress(Progress("evaluate", len(models), len(models), f"{len(models)} model(s) done"))
        return errors

    st.session_state[JOB_KEY] = BackgroundJob(work, label="Evaluation").start()


def evaluation_job_panel() -> bool:
    """The running evaluation's progress bar (with Cancel), or the messages of the one
    that just finished. True while an evaluation runs."""
    job: BackgroundJob | None = st.session_state.get(JOB_KEY)
    if job is None:
        return False
    if job.running:

        @st.fragment(run_every="0.5s")
        def _poll():
            progress_bar(job, key="eval_cancel")
            if not job.running:
                st.rerun(scope="app")

        _poll()
        return True
    if not job.consumed:
        job.consumed = True
        if job.error:
            st.error(job.error)
        for name, message in (job.result or {}).items():
            st.error(f"{name}: {message}")
        if not job.error:
            st.success(
                f"Evaluated in {job.seconds:.1f} s; the results are kept in the model cards."
            )
    return False


# --------------------------------------------------------------------------- output

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


# --------------------------------------------------------------------------- home page


def _ensure_standard_results(card) -> dict | None:
    """The card's standard results (3CosAdd, 30,000); computed and stored once if missing."""
    benchmarks = standard_benchmarks()
    found = stored_results(card, benchmarks, "add", DEFAULT_RESTRICT_VOCAB)
    if found is not None:
        return found
    store = get_store()
    if not store.exists(card.name):
        return None
    with st.spinner(f"Scoring {card.name} on the standard benchmarks (once)…"):
        results = run_benchmarks(load_model(card.name).kv, benchmarks)
        store_results(store, card.name, benchmarks, results)
    return results


def home_scores_markdown(card=None, compute: bool = True) -> str:
    """What the home page says about a model's benchmark scores, with its corpus size.

    ``card`` defaults to the default Word2Vec model's (if stored). With ``compute``, a
    model that was never scored is scored now (about a second for the default model)
    and the results kept in its card. Returns "" when there is no model.
    """
    from embeddings.train.default import default_model_name

    if card is None:
        store = get_store()
        name = default_model_name("word2vec")
        if not store.exists(name):
            return ""
        card = store.load_card(name)
    if compute:
        results = _ensure_standard_results(card)
    else:
        results = stored_results(card, standard_benchmarks(), "add", DEFAULT_RESTRICT_VOCAB)
    if results is None:
        return f"**{card.name}** has not been scored yet: see **Evaluate**."
    ws, sl, an = results["wordsim353"], results["simlex999"], results["analogies"]
    tokens = card.corpus.get("tokens")
    corpus = (
        f"trained on {tokens:,} tokens of `{card.corpus.get('name', 'a corpus')}`"
        if tokens
        else "loaded vectors, corpus size unknown"
    )

    def rho(r):
        return "n/a" if r.get("spearman") is None else f"{r['spearman']:.3f}"

    return (
        f"**Benchmarks of {card.name}** ({corpus}): "
        f"WordSim353 Spearman **{rho(ws)}** ({ws['oov_ratio']:.0f}% of pairs out of vocabulary) · "
        f"SimLex-999 Spearman **{rho(sl)}** ({sl['oov_ratio']:.0f}% out of vocabulary) · "
        f"Google analogies **{100 * an['accuracy']:.1f}%** (3CosAdd, the "
        f"{an['restrict_vocab']:,} most frequent words; {an['total']:,} of "
        f"{an['questions']:,} questions answerable). A corpus this small gives low scores: "
        "Google's News vectors (about 100 billion tokens) reach about 0.66 and 74%."
    )
