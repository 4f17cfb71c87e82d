"""Analogies: a : b :: c : ?, answered by 3CosAdd and 3CosMul side by side."""

import streamlit as st

from embeddings.explore.query import analogy
from utils.query_widgets import query_errors, ranked_table
from utils.state import require_model

# Examples that the default model (about 0.5M tokens of Wikipedia and news) answers,
# and the famous one it does not: a small corpus has seen too few kings and queens.
EXAMPLES = {
    "type your own": None,
    "spain : spanish :: russia : ?": ("spain", "spanish", "russia"),
    "he : his :: she : ?": ("he", "his", "she"),
    "is : was :: are : ?": ("is", "was", "are"),
    "city : cities :: country : ?": ("city", "cities", "country"),
    "france : europe :: china : ?": ("france", "europe", "china"),
    "man : king :: woman : ? (needs a large corpus)": ("man", "king", "woman"),
}

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
    st.session_state["an_a"], st.session_state["an_b"], st.session_state["an_c"] = EXAMPLES[example]
    st.session_state["an_loaded"] = example

c1, c2, c3 = st.columns(3)
a = c1.text_input("a", key="an_a").strip()
b = c2.text_input("b (is to a as ? is to c)", key="an_b").strip()
c = c3.text_input("c", key="an_c").strip()
o1, o2, o3 = st.columns(3)
method = o1.radio(
    "Method",
    ["both", "add", "mul"],
    format_func={"both": "both", "add": "3CosAdd", "mul": "3CosMul"}.get,
    horizontal=True,
    key="an_method",
)
topn = int(o2.number_input("Candidates", 1, 50, 10, key="an_topn"))
restrict = int(
    o3.number_input(
        "Only the n most frequent (0 = all)", 0, len(kv), 0, step=1000, key="an_restrict"
    )
)

if a and b and c:
    st.markdown(f"### {a} : {b} :: {c} : ?")
    methods = ["add", "mul"] if method == "both" else [method]
    columns = st.columns(len(methods))
    for col, m in zip(columns, methods, strict=True):
        with col, query_errors():
            result = analogy(kv, a, b, c, m, topn, restrict or None, model.name)
            st.markdown(f"**{'3CosAdd' if m == 'add' else '3CosMul'}**: `{result.formula}`")
            if result.candidates:
                st.success(f"Answer: **{result.candidates[0].word}**")
            ranked_table(result.candidates, score_label="score", key=f"an_table_{m}", chart=False)
else:
    st.info("Type three words, or pick an example.")
