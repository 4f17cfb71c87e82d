"""Neighbours: nearest words, similarity of two words, odd one out, two models compared."""

import streamlit as st

from embeddings.explore.query import compare_neighbours, neighbours, odd_one_out, similarity
from embeddings.vectors.search import vector_index
from utils.query_widgets import (
    model_choice,
    query_errors,
    ranked_table,
    restrict_input,
    split_words,
    top_n_input,
)
from utils.state import get_store, load_model, require_model

st.title("Neighbours")
model = require_model()
kv = model.kv
st.caption(
    "Cosine similarity over the whole vocabulary (exact search; the same answers as gensim's "
    "most_similar)."
)

preset = st.session_state.pop("neighbours_word", None)
if preset:
    st.session_state["nb_word"] = preset
elif "nb_word" not in st.session_state:
    st.session_state["nb_word"] = kv.index_to_key[min(100, len(kv) - 1)]

c1, c2, c3 = st.columns([3, 1, 1])
typed = c1.text_input("Word (several words are added together)", key="nb_word")
topn = top_n_input(c2, "Top n", len(kv), key="nb_topn")
restrict = restrict_input(c3, len(kv), key="nb_restrict")
negative = split_words(st.text_input("Minus these words (optional)", key="nb_negative"))
positive = split_words(typed)
exact = False
if vector_index(kv).ann is not None:
    exact = st.toggle(
        "Exact search (bypass the neighbour index)",
        key="nb_exact",
        help="The index answers in milliseconds from a graph, re-ranked exactly; exact search "
        "reads every vector.",
    )
if positive or negative:
    with query_errors():
        result = neighbours(kv, positive, negative, topn, restrict, model.name, exact)
        if result.oov:
            st.info(
                f"Out of vocabulary: **{', '.join(result.oov)}**. This FastText model built "
                "the vector from its character n-grams (see **Subwords**)."
            )
        query = " + ".join(positive) + "".join(f" − {w}" for w in negative)
        st.markdown(f"**Nearest to {query}**")
        ranked_table(result.neighbours, key="nb_table")

st.divider()
left, right = st.columns(2)
with left:
    st.subheader("Similarity of two words")
    a = st.text_input("First word", value="", key="sim_a")
    b = st.text_input("Second word", value="", key="sim_b")
    if a.strip() and b.strip():
        with query_errors():
            value = similarity(kv, a.strip(), b.strip(), model.name)
            st.metric(f"cos({a.strip()}, {b.strip()})", f"{value:.4f}")
with right:
    st.subheader("Odd one out")
    group = split_words(st.text_input("Three or more words", value="", key="odd_words"))
    if group:
        with query_errors():
            odd, scores = odd_one_out(kv, group, model.name)
            st.markdown(f"Odd one out: **{odd}** (lowest cosine to the mean of all the words)")
            st.dataframe(
                {"word": [w for w, _ in scores], "cosine to the mean": [s for _, s in scores]},
                hide_index=True,
                key="odd_table",
            )

st.divider()
st.subheader("Compare two models")
other = model_choice("Other model", get_store().names(), model.name, key="cmp_model")
# With one model stored there is nothing to compare with: model_choice says so, no word box.
word = st.text_input("Word", value="", key="cmp_word").strip() if other else ""
if other and word:
    with query_errors():
        right_model = load_model(other)
        cmp = compare_neighbours(kv, right_model.kv, word, topn, (model.name, other))
        shared = set(cmp.shared)
        st.markdown(
            f"**{len(cmp.shared)} of {len(cmp.left)}** neighbours shared (Jaccard "
            f"{cmp.jaccard:.2f}); shared words are in bold."
        )
        l_col, r_col = st.columns(2)
        for col, name, rows in ((l_col, model.name, cmp.left), (r_col, other, cmp.right)):
            col.markdown(f"**{name}**")
            col.markdown(
                "\n".join(
                    f"{n.rank}. {'**' + n.word + '**' if n.word in shared else n.word} "
                    f"({n.similarity:.3f})"
                    for n in rows
                )
            )
