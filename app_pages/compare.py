"""Compare models: neighbourhood overlap@k, the words that moved most, Procrustes cosine."""

import streamlit as st

from utils.compare_widgets import (
    fitted_alignment,
    most_different_table,
    open_in_neighbours_button,
    overlap,
    overlap_histogram,
)
from utils.defaults import default_model_button
from utils.query_widgets import query_errors
from utils.state import active_model_name, get_store, load_model

st.title("Compare models")
st.caption(
    "Two models trained on overlapping text: for a sample of the words both know, how "
    "many of each word's k nearest neighbours (among the shared words) the models agree "
    "on, which words moved most, and, after rotating B onto A (orthogonal Procrustes "
    "over the shared words), how close a word's two vectors are."
)

names = get_store().names()
if len(names) < 2:
    st.info("Comparing needs two models. Train another one, or add a default model:")
    default_model_button("fasttext", key="mc_default_ft")
    default_model_button("glove", key="mc_default_glove")
    st.stop()

active = active_model_name()
c1, c2 = st.columns(2)
name_a = c1.selectbox("Model A", names, index=names.index(active), key="mc_a")
others = [n for n in names if n != name_a]
name_b = c2.selectbox("Model B", others, key="mc_b")
c3, c4, c5 = st.columns(3)
k = int(c3.number_input("k (neighbours per word)", 1, 100, 10, key="mc_k"))
sample = int(
    c4.number_input("Words sampled (0 = all)", 0, 50_000, 1_000, step=500, key="mc_sample")
)
limit = int(
    c5.number_input(
        "Among the n most frequent shared words (0 = all)",
        0,
        1_000_000,
        30_000,
        step=5_000,
        key="mc_limit",
    )
)

model_a, model_b = load_model(name_a), load_model(name_b)
ov = overlap(model_a, model_b, k, sample or None, limit or None)
if ov is None:
    st.stop()

m1, m2, m3 = st.columns(3)
m1.metric(f"Mean overlap@{k}", f"{ov.mean_:.3f}")
m2.metric("Shared words", f"{ov.shared:,}")
m3.metric("Words compared", f"{len(ov.words):,}")

left, right = st.columns([2, 3])
with left:
    overlap_histogram(ov)
with right:
    st.markdown("**Words whose neighbourhoods differ most** (select a row)")
    table = most_different_table(ov, 50, (name_a, name_b))
    event = st.dataframe(
        table,
        hide_index=True,
        key="mc_table",
        on_select="rerun",
        selection_mode="single-row",
        height=300,
    )
    rows = event.selection.rows if event else []
    # a new table selection picks the word below; the select box stays free otherwise
    if rows and rows != st.session_state.get("_mc_last_rows"):
        st.session_state["mc_word"] = table["word"].iloc[rows[0]]
    st.session_state["_mc_last_rows"] = rows

words = list(table["word"])
word = st.selectbox("Word", words, key="mc_word")
if word:
    in_a, in_b = ov.neighbours_of(word)
    shared = set(in_a) & set(in_b)
    l_col, r_col = st.columns(2)
    for col, name, nbrs in ((l_col, name_a, in_a), (r_col, name_b, in_b)):
        col.markdown(f"**{word}** in **{name}**")
        col.markdown(", ".join(f"**{w}**" if w in shared else w for w in nbrs))
    open_in_neighbours_button(word, name_a, name_b)

st.divider()
st.subheader("Across models by cosine (Procrustes alignment)")
alignment = fitted_alignment(model_a, model_b, limit or None)
if alignment is None:
    st.stop()
st.caption(
    f"B rotated onto A over {len(alignment.words_):,} shared words (both centred, rows "
    f"unit length). Mean cosine of a word with itself after alignment: "
    f"{alignment.mean_cosine_:.3f}."
)
probe = st.text_input("Word to compare across the models", value=word or "", key="mc_probe")
if probe.strip():
    with query_errors():
        probe = probe.strip()
        st.metric(
            f"cos({probe} in {name_a}, {probe} in {name_b} aligned)",
            f"{alignment.cosine(probe):.4f}",
        )
        nearest = alignment.neighbours_in_a(probe, topn=10)
        st.markdown(
            f"Nearest words of **{name_a}** to **{probe}** of **{name_b}**: "
            + ", ".join(f"{w} ({s:.2f})" for w, s in nearest)
        )
with st.expander("Most and least stable words"):
    s1, s2 = st.columns(2)
    s1.dataframe(alignment.cosines_.head(20), hide_index=True, key="mc_stable")
    s2.dataframe(alignment.cosines_.tail(20).iloc[::-1], hide_index=True, key="mc_unstable")
