"""Subwords: how FastText builds a word from character n-grams, even a word it never saw."""

import pandas as pd
import streamlit as st

from embeddings.explore.query import neighbours
from embeddings.explore.subwords import breakdown, char_ngrams, robustness, variants
from embeddings.explore.vocabulary import unseen_example
from utils.query_widgets import query_errors, split_words
from utils.subword_widgets import (
    Spelling,
    korean_spellings,
    ngram_table,
    pull_chart,
    robustness_default,
    subword_model,
    word2vec_partner,
)

st.title("Subwords")
st.caption(
    "FastText represents a word by the character n-grams of `<word>` (`<` and `>` mark "
    "its edges). Each n-gram is hashed into one of a fixed number of rows (buckets); a "
    "word's vector is the mean of its own row and its n-gram rows, and a word never seen "
    "in training gets the mean of its n-gram rows alone."
)

# -- 1. The chapter's example: no model needed ------------------------------------
st.header("The chapter's example: apple")
c1, c2 = st.columns([2, 3])
example = c1.text_input("Word", "apple", key="sw_example").strip() or "apple"
lo, hi = c2.slider("n from … to …", 1, 8, (3, 6), key="sw_range")
three = char_ngrams(example, 3, 3)
st.markdown(
    f"With n = 3: {', '.join(f'`{g}`' for g in three)}, plus the special token "
    f"`<{example}>` for the whole word (a vocabulary word's own row)."
)
grams = char_ngrams(example, lo, hi)
by_n = pd.DataFrame(
    [{"n": n, "n-grams": "  ".join(g for g in grams if len(g) == n)} for n in range(lo, hi + 1)]
)
st.dataframe(by_n, hide_index=True, width="stretch", key="sw_example_table")
st.caption(f"{len(grams)} n-grams of `<{example}>` for n = {lo}..{hi}.")

# -- 2. A word in the model ----------------------------------------------------------
st.header("A word, piece by piece")
model = subword_model()
if model is None:
    st.stop()
kv = model.kv
spelling = Spelling(kv)
st.caption(
    f"Model **{model.name}**: {len(kv):,} words, n = {kv.min_n}..{kv.max_n}, "
    f"{kv.bucket:,} buckets, {kv.vector_size} dimensions"
    + (
        " · trained on Hangul letters (jamo): words are split on the way in and joined "
        "back for display."
        if spelling.jamo
        else "."
    )
)
typed = st.text_input("Word (in the vocabulary or not)", unseen_example(kv), key="sw_word").strip()
if not typed:
    st.info("Type a word.")
    st.stop()
with query_errors():
    result = breakdown(kv, typed, model.name)
    m = st.columns(4)
    m[0].metric("In the vocabulary", "yes" if result.in_vocab else "no")
    m[1].metric("n-grams", len(result.ngrams))
    m[2].metric("n-grams on untrained buckets", result.untrained)
    m[3].metric("Vector norm", f"{float((result.vector**2).sum()) ** 0.5:.4f}")
    if result.untrained:
        st.warning(
            f"{result.untrained} of the n-grams land on buckets no vocabulary word uses: "
            "those rows were never trained and only add noise."
        )
    st.dataframe(
        ngram_table(result, spelling),
        hide_index=True,
        width="stretch",
        key="sw_ngrams",
        column_config={
            "norm": st.column_config.NumberColumn(format="%.4f"),
            "cosine to word": st.column_config.NumberColumn(format="%.4f"),
            "pull": st.column_config.NumberColumn(format="%.4f"),
        },
    )
    st.plotly_chart(pull_chart(result, spelling), width="stretch", key="sw_pull")

    st.subheader("The vector, composed step by step")
    terms = len(result.pieces)
    what = "its own row and" if result.in_vocab else "only"
    st.markdown(
        f"The model's vector for **{typed}** is the mean of {what} the {len(result.ngrams)} "
        f"n-gram rows: {terms} terms. Adding them one at a time, the running mean turns "
        "towards the final vector:"
    )
    st.dataframe(
        pd.DataFrame(result.steps).assign(adds=lambda d: d["adds"].map(spelling.ngram)),
        hide_index=True,
        width="stretch",
        key="sw_steps",
    )
    same = result.max_abs_difference < 1e-5
    (st.success if same else st.error)(
        f"Mean of the {terms} rows vs the model's own vector (`get_vector`): largest "
        f"difference {result.max_abs_difference:.2e} "
        + ("(equal up to float32 rounding)." if same else "(they differ).")
    )
    st.code(
        "composed: " + " ".join(f"{x:+.4f}" for x in result.composed[:8]) + " …\n"
        "model:    " + " ".join(f"{x:+.4f}" for x in result.vector[:8]) + " …",
        language=None,
    )

# -- 3. Neighbours next to Word2Vec ----------------------------------------------
st.header("Neighbours, next to Word2Vec")
topn = int(st.number_input("Neighbours", 1, 50, 10, key="sw_topn"))
left, right = st.columns(2)
with left:
    st.markdown(f"**FastText ({model.name})**")
    with query_errors():
        found = neighbours(kv, typed, topn=topn, model_name=model.name)
        st.dataframe(
            pd.DataFrame(
                [{"word": spelling.word(n.word), "similarity": n.similarity} for n in found]
            ),
            hide_index=True,
            width="stretch",
            key="sw_ft_neighbours",
        )
with right:
    partner = word2vec_partner(model)
    if partner is None:
        st.info("No Word2Vec model in the store to compare with; train one on **Train**.")
    elif typed in partner.kv.key_to_index:
        found = neighbours(partner.kv, typed, topn=topn, model_name=partner.name)
        st.dataframe(
            pd.DataFrame([{"word": n.word, "similarity": n.similarity} for n in found]),
            hide_index=True,
            width="stretch",
            key="sw_w2v_neighbours",
        )
    else:
        st.warning(
            f"Word2Vec ({partner.name}) cannot answer: it never saw **{typed}** in training "
            "and keeps one vector per whole word, so it has nothing to build one from."
        )

# -- 4. Robustness --------------------------------------------------------------
st.header("Misspellings and inflections")
base = st.text_input("Word", robustness_default(kv), key="sw_robust_word").strip()
extra = split_words(st.text_input("Your own variants (space-separated)", "", key="sw_robust_own"))
if base:
    generated = variants(base)
    own = [(v, "typed") for v in extra]
    candidates = list(dict(generated + own).items())
    with query_errors():
        rows = robustness(kv, base, candidates, model.name)
        w2v = (
            {r.variant: r for r in robustness(partner.kv, base, candidates, partner.name)}
            if partner is not None and base in partner.kv.key_to_index
            else {}
        )
        table = pd.DataFrame(
            [
                {
                    "variant": spelling.word(r.variant),
                    "how": r.how,
                    "in FastText's vocabulary": r.in_vocab,
                    "FastText cosine": r.cosine,
                    "Word2Vec cosine": w2v[r.variant].cosine if r.variant in w2v else None,
                }
                for r in rows
            ]
        )
        st.dataframe(table, hide_index=True, width="stretch", key="sw_robust")
        st.caption(
            "FastText gives every variant a vector close to the original because they share "
            "most n-grams; Word2Vec scores only the variants it saw (empty cells: no vector)."
        )

# -- 5. Korean: syllables or letters ----------------------------------------------
st.header("Korean: syllables or letters (jamo)")
korean_spellings()
