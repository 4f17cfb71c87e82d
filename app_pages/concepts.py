"""Concepts: the chapter's ideas computed on the active model, section by section."""

import streamlit as st

from embeddings.chapter.concepts import (
    CHAPTER_CONTEXT_SENTENCE,
    CHAPTER_COOCCURRENCE_SENTENCES,
    context_pairs,
    cooccurrence_table,
    tokenize_sentence,
)
from embeddings.explore.query import neighbours
from utils.concepts_widgets import lookup_table, negative_sampling, sparse_vs_dense
from utils.navigation import page_path
from utils.query_widgets import query_errors, ranked_table
from utils.state import require_model

TOKENIZERS = {
    "whitespace": "As typed (case kept, as in the chapter)",
    "simple": "Lower-cased letters (as the models' corpora)",
}

st.title("Concepts")
model = require_model()
kv = model.kv
params = model.card.parameters or {}
st.caption("Each table below is computed now, on this model.")
tokenizer = st.radio(
    "Tokens",
    list(TOKENIZERS),
    format_func=TOKENIZERS.get,
    horizontal=True,
    key="cn_tokenizer",
)

tabs = st.tabs(
    [
        "1 · Sparse vs dense",
        "2 · Context windows",
        "3 · Negative sampling",
        "4 · Co-occurrence",
        "5 · Lookup table",
        "6 · Static vs contextual",
    ]
)

with tabs[0]:
    sparse_vs_dense(model, tokenizer)

with tabs[1]:
    st.subheader("Context windows: what CBOW and skip-gram learn from")
    c1, c2 = st.columns([3, 1])
    ctx_tokens = tokenize_sentence(
        c1.text_input("Sentence", CHAPTER_CONTEXT_SENTENCE, key="cn_ctx_sentence"), tokenizer
    )
    window = c2.slider("Window", 1, 5, 2, key="cn_window")
    pairs = None
    with query_errors():
        pairs = context_pairs(ctx_tokens, window)
    if pairs is not None:
        left, right = st.columns(2)
        left.markdown("**CBOW**: context → centre word")
        left.dataframe(pairs.cbow, hide_index=True, key="cn_cbow_table")
        right.markdown("**Skip-gram**: centre word → each context word")
        right.dataframe(pairs.skipgram, hide_index=True, key="cn_skipgram_table")
        st.markdown("**As the chapter prints it** (one-hot vectors over the sentence's words)")
        st.dataframe(pairs.one_hot, hide_index=True, key="cn_onehot_context_table")
        st.caption(
            f"{len(pairs.skipgram)} skip-gram pairs from {len(ctx_tokens)} words. gensim "
            f"trains with a window drawn from 1 to {window} for each centre word, so near "
            "words are seen more often than this full-window table suggests."
        )

with tabs[2]:
    negative_sampling(model, pairs, ctx_tokens)

with tabs[3]:
    st.subheader("Co-occurrence counts (window, each pair adds 1)")
    c1, c2 = st.columns([3, 1])
    lines = c1.text_area(
        "Sentences (one per line)", "\n".join(CHAPTER_COOCCURRENCE_SENTENCES), key="cn_cooc_text"
    )
    cooc_window = c2.slider("Window", 1, 3, 1, key="cn_cooc_window")
    with query_errors():
        counts = cooccurrence_table(lines.splitlines(), cooc_window, tokenizer=tokenizer)
        st.dataframe(counts, key="cn_cooc_table")
    st.page_link(
        page_path("cooccurrence"),
        label="The same counts on a real corpus, with PPMI and GloVe's ratios",
        icon="🔢",
    )

with tabs[4]:
    lookup_table(kv)

with tabs[5]:
    st.subheader("Static vs contextual embeddings")
    st.markdown(
        "A static model such as Word2Vec, FastText or GloVe stores **one vector per word**, "
        "the same in every sentence. *Bank* in *the river bank* and in *the bank raised "
        "rates* gets a single vector, a blend of every sense seen in training, so its "
        "neighbours mix those senses. Contextual models (ELMo, BERT) compute a vector for "
        "each occurrence from the whole sentence; nothing in this lab does that."
    )
    default = "bank" if "bank" in kv.key_to_index else kv.index_to_key[min(50, len(kv) - 1)]
    word = st.text_input("Word with several senses", default, key="cn_static_word")
    if word.strip():
        with query_errors():
            result = neighbours(kv, word.strip(), topn=15, model_name=model.name)
            st.markdown(f"**Nearest to {word.strip()}** in {model.name}")
            ranked_table(result.neighbours, key="cn_static_table")
