"""Streamlit glue for the Evaluate page and the home page: settings, uploads, running the
benchmarks with progress (results kept in model cards), the home page's summary. The
tables and charts are in :mod:`utils.evaluation_charts`."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import streamlit as st

from embeddings.errors import Cancelled, EmbeddingsError
from embeddings.evaluate.benchmarks import (
    PAIRS,
    STANDARD_NAMES,
    Benchmark,
    benchmark_memory_estimate,
    detect_benchmark,
    run_benchmarks,
    standard_benchmarks,
    store_results,
    stored_results,
)
from embeddings.evaluate.scores import ANALOGY_METHODS, DEFAULT_RESTRICT_VOCAB, METHOD_LABELS
from embeddings.progress import Progress
from utils.cache_keys import cache_key
from utils.job_results import job_result
from utils.jobs import job_panel, start_job
from utils.state import get_store, is_shared, load_model
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
    current = {f"{file.file_id}:{file.name}:{file.size}" for file in files or []}
    for gone in [k for k in known if k not in current]:  # removed from the uploader
        entry = known.pop(gone)
        if isinstance(entry, Benchmark):
            shutil.rmtree(Path(entry.path).parent, ignore_errors=True)
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
                shutil.rmtree(path.parent, ignore_errors=True)  # only its message is kept
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
    worker only computes and writes the results into the model cards. Reruns the app,
    which shows the job through :func:`evaluation_job_panel`.
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

    estimate = max(
        (benchmark_memory_estimate(kv, method, restrict) for kv in models.values()), default=None
    )
    start_job(JOB_KEY, work, f"Evaluating {len(models)} model(s)", estimate=estimate)


def evaluation_job_panel() -> bool:
    """The running evaluation's progress bar (with Cancel), or the outcome of the one
    that finished (and which models failed). True while an evaluation runs."""
    if job_panel(
        JOB_KEY,
        success=lambda errors: (
            f"Evaluated in {st.session_state[JOB_KEY].seconds:.1f} s; the results are kept "
            "with the models (a shared model's, in your workspace only)."
        ),
    ):
        return True
    job = st.session_state.get(JOB_KEY)
    if job is not None and job.error is None:
        for name, message in job.result.items():
            st.error(f"{name}: {message}")
    return False


# --------------------------------------------------------------------------- home page


HOME_JOB = "home_scores_job"


def _score_in_background(card) -> dict | None:
    """The card's standard results (3CosAdd, 30,000), scored by a job and kept in the
    card; None while the job runs (its panel is shown) or when it failed. A shared model's
    results are the same for every workspace: kept for the server (by the job's result
    key), written into no card."""
    store = get_store()
    if not store.exists(card.name):
        return None
    benchmarks = standard_benchmarks()
    model = load_model(card.name)

    def score(progress, cancel) -> dict:
        results = run_benchmarks(model.kv, benchmarks, progress=progress, cancel=cancel)
        if not is_shared(card.name):
            store_results(store, card.name, benchmarks, results)
        return results

    return job_result(
        HOME_JOB,
        cache_key(model, benchmarks=[b.digest for b in benchmarks]),
        score,
        f"Scoring {card.name} on the standard benchmarks",
        estimate=benchmark_memory_estimate(model.kv),
        keep=1,
    )


def home_scores_markdown(card=None, compute: bool = True) -> str:
    """What the home page says about a model's benchmark scores, with its corpus size.

    ``card`` defaults to the default Word2Vec model's (if stored). With ``compute``, a
    model that was never scored is scored by a job (about three seconds for the default
    model; the page shows its progress and a Cancel button meanwhile, and this returns
    "") and the results are kept in its card. Returns "" when there is no model.
    """
    from embeddings.train.default import default_model_name

    if card is None:
        store = get_store()
        name = default_model_name("word2vec")
        if not store.exists(name):
            return ""
        card = store.load_card(name)
    results = stored_results(card, standard_benchmarks(), "add", DEFAULT_RESTRICT_VOCAB)
    if results is None and compute:
        results = _score_in_background(card)
        if results is None:
            return ""  # the job's panel (or its outcome) says what is happening
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
