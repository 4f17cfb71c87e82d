"""Evaluate: standard benchmarks (and the user's own) for one or more models."""

import streamlit as st

from embeddings.evaluate.benchmarks import ANALOGIES, FAILED_KEPT_PER_SECTION, standard_benchmarks
from embeddings.evaluate.scores import METHOD_LABELS
from utils.evaluation_charts import (
    bar_charts,
    computed_caption,
    failed_table,
    results_tables,
    score_variation_caption,
    section_heatmap,
)
from utils.evaluation_widgets import (
    evaluation_job_panel,
    evaluation_settings,
    start_evaluation,
    stored_for,
    uploaded_benchmarks,
)
from utils.state import active_model_name, get_store

st.title("Evaluate")
st.caption(
    "Word similarity: Spearman and Pearson correlation between the model's cosine and "
    "human scores (WordSim353, SimLex-999). Analogies: a : b :: c : ? answered by the "
    "nearest word to b − a + c (Google's 19,544 questions). Pairs and questions with a "
    "word the model does not know are skipped and counted. The numbers are gensim's "
    "evaluate_word_pairs / evaluate_word_analogies on the same vectors."
)

names = get_store().names()
if not names:
    st.info("No model yet. Train one on the **Train** page or load one on **Models**.")
    st.stop()

active = active_model_name()
chosen = st.multiselect(
    "Models", names, default=[active] if active in names else names[-1:], key="eval_models"
)
method, restrict = evaluation_settings()
benchmarks = standard_benchmarks() + uploaded_benchmarks()
if not chosen:
    st.info("Pick one or more models.")
    st.stop()

running = evaluation_job_panel()
results = stored_for(chosen, benchmarks, method, restrict)
missing = [n for n in chosen if n not in results]
slots = iter(st.columns([1, 1, 3]))
todo = []
if missing and next(slots).button(
    f"Evaluate {len(missing)} model(s)", key="eval_run", type="primary", disabled=running
):
    todo = missing
# Stored results are shown below as results; recomputing them is the secondary action.
if results and next(slots).button("Recompute", key="eval_recompute", disabled=running):
    todo = chosen
if todo:
    start_evaluation(todo, benchmarks, method, restrict)
if missing and not running:
    st.info(
        f"No stored results for these settings: **{', '.join(missing)}**. "
        "Press the button to run the benchmarks (results are kept in the model card)."
    )
if not results:
    st.stop()

shown = {n: results[n] for n in chosen if n in results}
st.subheader("Scores")
if when := computed_caption(shown):
    st.caption(when)
pair_scores, analogy_scores = results_tables(shown, benchmarks)
if len(pair_scores):
    st.dataframe(pair_scores, hide_index=True, key="eval_table")
if len(analogy_scores):
    st.dataframe(analogy_scores, hide_index=True, key="eval_table_analogies")
st.caption(
    f"Analogies with {METHOD_LABELS[method]} over the {restrict:,} most frequent words. "
    "OOV %: pairs with a word outside the vocabulary (skipped)."
)
score_variation_caption()
bar_charts(shown, benchmarks)

for bench in [b for b in benchmarks if b.kind == ANALOGIES]:
    st.subheader(f"{bench.title}: accuracy per section (%)")
    section_heatmap(shown, bench)

    with st.expander(f"Failed analogies ({bench.title}) and what the model answered"):
        c1, c2 = st.columns(2)
        model = c1.selectbox("Model", list(shown), key=f"eval_failed_model_{bench.name}")
        result = shown[model][bench.name]
        sections = ["all sections", *result["sections"]]
        section = c2.selectbox("Section", sections, key=f"eval_failed_section_{bench.name}")
        failed = failed_table(result, None if section == sections[0] else section)
        total = result.get("failed_total", len(result.get("failed", [])))
        kept = (
            ""
            if total == len(result["failed"])
            else f"; the first {FAILED_KEPT_PER_SECTION} of each section are kept"
        )
        st.caption(f"{total:,} wrong answers{kept}.")
        st.dataframe(failed, hide_index=True, key=f"eval_failed_{bench.name}")
