"""Analogies: a : b :: c : ?, answered by 3CosAdd and 3CosMul side by side."""

import streamlit as st

from embeddings.explore.query import analogy, analogy_rank
from embeddings.explore.vocabulary import word_counts
from utils.query_widgets import query_errors, ranked_table, restrict_input, top_n_input
from utils.state import require_model

# Examples that the default model (about 0.5M tokens of Wikipedia and news) answers,
# and the famous one it does not: a small corpus has seen too few kings and queens.
EXAMPLES = {
    "type your own": None,
    "spain : spanish :: russia : ?": ("spain", "spanish", "russia", "russian"),
    "he : his :: she : ?": ("he", "his", "she", "her"),
    "is : was :: are : ?": ("is", "was", "are", "were"),
    "city : cities :: country : ?": ("city", "cities", "country", "countries"),
    "france : europe :: china : ?": ("france", "europe", "china", "asia"),
    "man : king :: woman : ? (needs a large corpus)": ("man", "king", "woman", "queen"),
}
METHOD_NAMES = {"add": "3CosAdd", "mul": "3CosMul"}

st.title("Analogies")
model = require_model()
kv = model.kv
st.caption(
    "a : b :: c : ? asks for the word that is to c what b is to a. The input words are "
    "never answers. 3CosAdd ranks words by cos(x, b − a + c); 3CosMul (Levy and Goldberg, "
    "2014) by cos(x, b) · cos(x, c) / (cos(x, a) + ε) with cosines shifted to [0, 1]."
)

example = st.selectbox("Example", list(EXAMPLES), key="an_example")
if EXAMPLES[example] and st.session_state.get("an_loaded") != example:
    for field, word in zip(("an_a", "an_b", "an_c", "an_expected"), EXAMPLES[example], strict=True):
        st.session_state[field] = word
    st.session_state["an_loaded"] = example

c1, c2, c3, c4 = st.columns(4)
a = c1.text_input("a", key="an_a").strip()
b = c2.text_input("b (is to a as ? is to c)", key="an_b").strip()
c = c3.text_input("c", key="an_c").strip()
expected = c4.text_input("Expected answer (optional)", key="an_expected").strip()
o1, o2, o3 = st.columns(3)
method = o1.radio(
    "Method",
    ["both", "add", "mul"],
    format_func={"both": "both", **METHOD_NAMES}.get,
    horizontal=True,
    key="an_method",
)
topn = top_n_input(o2, "Candidates", len(kv), key="an_topn", excluded=3)
restrict = restrict_input(o3, len(kv), key="an_restrict")

if a and b and c:
    st.markdown(f"### {a} : {b} :: {c} : ?")
    methods = ["add", "mul"] if method == "both" else [method]
    columns = st.columns(len(methods))
    missed = False
    for col, m in zip(columns, methods, strict=True):
        with col, query_errors():
            result = analogy(kv, a, b, c, m, topn, restrict, model.name)
            st.markdown(f"**{METHOD_NAMES[m]}**: `{result.formula}`")
            if result.candidates:
                # The nearest word is what the vectors say, not necessarily a right answer.
                st.markdown(f"Nearest word: **{result.candidates[0].word}**")
            if expected:
                found = analogy_rank(kv, a, b, c, expected, m, restrict, model.name)
                missed |= found.rank != 1
                if found.rank is None:
                    st.markdown(f"Expected **{expected}**: {found.why_unranked}.")
                else:
                    st.markdown(
                        f"Expected **{expected}**: rank {found.rank:,} of "
                        f"{found.candidates:,} (score {found.score:.4f})."
                    )
            ranked_table(result.candidates, score_label="score", key=f"an_table_{m}", chart=False)
    counts = word_counts(kv, [w for w in (a, b, c, expected) if w])
    if missed and counts:
        seen = " · ".join(
            f"{w} {n:,}" if n is not None else f"{w} (unseen)" for w, n in counts.items()
        )
        st.caption(
            f"Occurrences in {model.name}'s training corpus: {seen}. A word met a few dozen "
            "times gets a noisy vector, so b − a + c lands near it only by luck; the famous "
            "man : king :: woman : queen was answered by vectors trained on billions of words."
        )
else:
    st.info("Type three words, or pick an example.")
