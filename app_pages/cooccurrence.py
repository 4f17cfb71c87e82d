"""Co-occurrence: the chapter's window table, counts / 1/d / PPMI on the active corpus,
GloVe's probability ratios and its loss."""

import streamlit as st

from embeddings.errors import EmbeddingsError
from utils.cooccurrence_widgets import (
    CHAPTER_SENTENCES,
    LOSS_LATEX,
    WEIGHTING_LABELS,
    WEIGHTING_LATEX,
    chapter_table,
    corpus_counts,
    counts_key,
    heatmap,
    ppmi_matrix,
    ratio_defaults,
    ratio_frame,
    weighting_figure,
    word_table,
    words_placeholder,
)
from utils.state import corpus_or_default

st.title("Co-occurrence")

st.subheader("The chapter's example: window 1, raw counts")
st.markdown("Corpus: " + " · ".join(f"*{s}*" for s in CHAPTER_SENTENCES))
st.dataframe(chapter_table(), key="chapter_table")

corpus = corpus_or_default()
st.subheader("Your corpus")
st.caption(
    f"Corpus: **{corpus.name}** ({corpus.stats.tokens:,} tokens, tokenizer *{corpus.tokenizer}*)."
    " Choose another on the **Corpus** page."
)
# The simple tokenizer lower-cases the corpus, so typed words are lower-cased to match.
norm = str.lower if corpus.tokenizer == "simple" else str

c1, c2, c3 = st.columns([1, 2, 1])
window = c1.slider("Window", 1, 10, 2, key="cooc_window")
weighting = c2.radio(
    "Weighting",
    list(WEIGHTING_LABELS),
    format_func=WEIGHTING_LABELS.get,
    key="cooc_weighting",
)
top_n = c3.number_input("Top-N words", 2, 40, 12, key="cooc_top_n")
co = corpus_counts(corpus, int(window), weighting)
source = None
if co is not None:
    source = (
        co.matrix
        if weighting != "ppmi"
        else ppmi_matrix(co, counts_key(corpus, int(window), "ppmi"))
    )
if source is not None:
    typed = st.text_input(
        "Words (comma-separated; empty = the top-N most frequent)",
        key="cooc_words",
        placeholder=words_placeholder(co),
    )
    typed_words = list(dict.fromkeys(norm(w.strip()) for w in typed.split(",") if w.strip()))
    # Every word of the corpus is counted (min_count 1), so a missing word is simply absent.
    missing = [w for w in typed_words if w not in co.index]
    if missing:
        st.warning("Not in this corpus, left out: " + ", ".join(missing))
    words = [w for w in typed_words if w in co.index] or co.words[: int(top_n)]
    frame = word_table(source, words, co)
    st.caption(
        f"{len(co.words):,} words, {co.nnz:,} distinct (word, context) pairs in the whole corpus."
    )
    # The numbers under the heatmap at full width, every row shown: side by side, half
    # the columns of the default 12 words were hidden behind a sideways scroll.
    st.plotly_chart(heatmap(frame, WEIGHTING_LABELS[weighting]), key="cooc_heatmap")
    st.dataframe(frame.round(4), key="cooc_table", height=35 * (len(frame) + 1) + 3)
    st.download_button(
        "Download CSV",
        frame.to_csv().encode("utf-8"),
        file_name=f"cooccurrence-{weighting}-w{window}.csv",
        mime="text/csv",
        key="cooc_csv",
    )

if co is not None:
    st.subheader("GloVe's probability ratios")
    st.markdown(
        r"$P(k\mid i) = X_{ik} / X_i$. A ratio far above 1 means *k* goes with *i*, far below"
        r" 1 with *j*, and near 1 with both or neither (the paper's *ice* / *steam* table)."
        " Counts use the window and weighting chosen above (PPMI uses raw counts)."
    )
    # Defaults from this corpus's own words, so an untouched page never opens on an error.
    default_i, default_j, default_probes = ratio_defaults(co)
    r1, r2, r3 = st.columns([1, 1, 3])
    word_i = norm(r1.text_input("Word i", default_i, key="ratio_i").strip())
    word_j = norm(r2.text_input("Word j", default_j, key="ratio_j").strip())
    probes_text = r3.text_input("Probe words k", ", ".join(default_probes), key="ratio_probes")
    probes = [norm(w.strip()) for w in probes_text.split(",") if w.strip()]
    try:
        missing = [w for w in probes if w not in co.index]
        if missing:
            st.warning("Not in this corpus, left out: " + ", ".join(missing))
        ratios = ratio_frame(co, word_i, word_j, [w for w in probes if w in co.index])
    except EmbeddingsError as exc:
        st.error(str(exc))
    else:
        st.dataframe(ratios.style.format("{:.3g}"), key="ratio_table")

st.subheader("GloVe's loss")
st.latex(LOSS_LATEX)
l1, l2 = st.columns(2)
with l1:
    st.latex(WEIGHTING_LATEX)
    x_max = st.number_input("x_max", 1.0, 1000.0, 100.0, step=10.0, key="loss_x_max")
    alpha = st.slider("α", 0.1, 1.0, 0.75, 0.05, key="loss_alpha")
    st.caption(
        "Rare pairs weigh little, frequent ones are capped at 1 so *the* / *of* do not"
        " dominate. Train GloVe on the **Train** page."
    )
l2.plotly_chart(weighting_figure(float(x_max), float(alpha)), key="loss_weighting")
