"""Streamlit glue for the concepts page: the sparse-vs-dense, negative-sampling and
lookup-table sections, each computed on the active model by :mod:`embeddings.chapter`."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from embeddings.chapter.concepts import (
    CHAPTER_ONE_HOT_SENTENCE,
    ContextPairs,
    dense_vectors_table,
    human_bytes,
    lookup,
    memory_table,
    one_hot_table,
    tokenize_sentence,
)
from embeddings.chapter.negative_sampling import (
    cbow_scores,
    load_output_weights,
    negative_sampling_table,
    noise_distribution,
)
from embeddings.explore.vocabulary import known_sentence
from embeddings.explore.words import model_key
from utils.cooccurrence_widgets import heatmap
from utils.query_widgets import query_errors
from utils.state import ActiveModel, get_store


def sparse_vs_dense(model: ActiveModel, tokenizer: str) -> None:
    """One-hot and dense vectors of a sentence, a heatmap of all dimensions, and what
    each costs in memory for the model's whole vocabulary."""
    kv = model.kv
    st.subheader("Sparse (one-hot) vs dense vectors")
    tokens = tokenize_sentence(
        # The chapter's sentence, with the words this model lacks swapped for its own words.
        st.text_input(
            "Sentence", known_sentence(kv, CHAPTER_ONE_HOT_SENTENCE), key="cn_onehot_sentence"
        ),
        tokenizer,
    )
    if not tokens:
        st.info("Type a sentence.")
    else:
        st.markdown("**One-hot**: one dimension per word of the vocabulary, a single 1.")
        st.dataframe(one_hot_table(tokens), key="cn_onehot_table")
        dims = st.slider(
            "Dense dimensions shown", 1, kv.vector_size, min(8, kv.vector_size), key="cn_dims"
        )
        dense, missing = dense_vectors_table(kv, tokens, dims)
        st.markdown(
            f"**Dense** ({model.name}): {kv.vector_size} real numbers per word, whatever the "
            f"vocabulary size; the first {dims} are shown."
        )
        if missing:
            st.caption(f"Not in the model's vocabulary: {', '.join(missing)}.")
        if len(dense):
            st.dataframe(dense.style.format("{:.3f}"), key="cn_dense_table")
            full, _ = dense_vectors_table(kv, tokens, kv.vector_size)
            title = f"All {kv.vector_size} dimensions"
            fig = heatmap(full, title, colorscale="RdBu", zmid=0, value_format=".3f")
            # Every tenth dimension named, level: 100 rotated names crowd the axis.
            fig.update_xaxes(tickvals=list(full.columns)[::10], tickangle=0)
            fig.update_layout(height=max(260, 34 * len(full) + 140))
            st.plotly_chart(fig, key="cn_dense_heatmap")
        memory = memory_table(len(kv), kv.vector_size)
        memory["whole vocabulary"] = memory["whole vocabulary (bytes)"].map(human_bytes)
        st.markdown(f"**Memory for the model's whole vocabulary** ({len(kv):,} words, float32)")
        st.dataframe(memory, hide_index=True, key="cn_memory_table")
        st.caption(
            "A one-hot vector is cheap to store as its index, but it says nothing about the "
            "word: every pair of one-hot vectors is orthogonal (cosine 0). Dense vectors "
            "place similar words near each other."
        )


def negative_sampling(
    model: ActiveModel, pairs: ContextPairs | None, ctx_tokens: list[str]
) -> None:
    """Real (centre, context) pairs of the context-window sentence against sampled
    negatives, scored with the model's output weights when it kept them, and the noise
    distribution the negatives come from."""
    kv = model.kv
    params = model.card.parameters or {}
    st.subheader("Negative sampling: real pairs vs words drawn from the noise distribution")
    if pairs is None:
        st.info("Type a sentence in **2 · Context windows** first.")
    else:
        c1, c2, c3 = st.columns([2, 1, 1])
        choices = list(range(len(ctx_tokens)))
        # The chapter's centre is "cat" (position 2); else the first word the model knows.
        known = [i for i in choices if model_key(kv, ctx_tokens[i]) is not None]
        first = 2 if 2 in known else (known or [0])[0]
        position = c1.selectbox(
            "Centre word",
            choices,
            index=first,
            format_func=lambda i: f"{ctx_tokens[i]} (position {i})",
            key="cn_centre",
        )
        k = c2.number_input(
            "Negatives k", 1, 20, int(params.get("negative") or 5), key="cn_negatives"
        )
        seed = c3.number_input("Seed", 0, 10_000, 0, key="cn_seed")
        centre = ctx_tokens[position]
        positives = pairs.skipgram[pairs.skipgram.position == position].context.tolist()
        syn1neg = None
        with query_errors():  # damaged weights: say so, then fall back to cosines
            syn1neg = load_output_weights(get_store(), model.name, kv)
        if syn1neg is not None:
            st.success(
                "Scores are the model's own: sigmoid(v_centre · u_context), the centre's "
                "input vector against the other word's output vector (syn1neg, kept when "
                "the model was trained here)."
            )
        else:
            st.warning(
                "This model's output weights (syn1neg) were not kept, so its training score "
                "cannot be shown. The **score** column is the cosine of the two input "
                "vectors and **sigmoid** squashes it: a stand-in, not the probability the "
                "model was trained to output. Train a Word2Vec model on **Train** to see "
                "the real scores."
            )
        with query_errors():
            table = negative_sampling_table(kv, centre, positives, int(k), int(seed), syn1neg)
            st.dataframe(
                table.frame.style.format(
                    {"P_n(w)": "{:.6f}", "score": "{:.4f}", "sigmoid": "{:.4f}"}
                ),
                hide_index=True,
                key="cn_ns_table",
            )
            frame = table.frame
            m1, m2 = st.columns(2)
            m1.metric("Mean sigmoid, label 1", f"{frame[frame.label == 1].sigmoid.mean():.3f}")
            m2.metric("Mean sigmoid, label 0", f"{frame[frame.label == 0].sigmoid.mean():.3f}")
            st.caption(
                "Training pushes true pairs up and sampled pairs down. The optimum for a "
                "pair is sigmoid(PMI − log k) (Levy & Goldberg, 2014), so true pairs of "
                "common words can sit below 0.5: what matters is the gap."
            )
            if syn1neg is not None and int(params.get("sg", 0)) == 0:
                st.markdown(
                    "**This is a CBOW model**: it scores the mean of the context vectors "
                    "against the centre word (label 1) and against the same negatives."
                )
                candidates = [centre] + frame[frame.label == 0]["input 2"].tolist()
                cbow = cbow_scores(kv, positives, candidates, syn1neg)
                cbow.insert(1, "label", [1] + [0] * (len(candidates) - 1))
                st.dataframe(cbow, hide_index=True, key="cn_cbow_scores")
            noise = noise_distribution(kv)
            top = pd.DataFrame(
                {
                    "word": noise.words[:10],
                    "count": noise.counts[:10],
                    "unigram P(w)": noise.unigram[:10],
                    "P_n(w) = count^0.75 / Z": noise.probabilities[:10],
                }
            )
            st.markdown(
                "**The noise distribution** (the model's own counts, as gensim's cum_table): "
                "the 0.75 power takes probability from frequent words and gives it to rare ones."
            )
            st.dataframe(top, hide_index=True, key="cn_noise_table")


def lookup_table(kv) -> None:
    """A word's integer id and its row of the model's matrix: an embedding layer is a
    lookup table."""
    st.subheader("An embedding layer is a lookup table")
    default = "great" if "great" in kv.key_to_index else kv.index_to_key[min(100, len(kv) - 1)]
    word = st.text_input("Word", default, key="cn_lookup_word")
    if word.strip():
        with query_errors():
            found = lookup(kv, word)
            st.markdown(
                f"**{found.key}** → integer **{found.index:,}** → row {found.index:,} of the "
                f"{found.vocab_size:,} × {kv.vector_size} matrix"
            )
            row = pd.DataFrame([found.row], index=[found.index])
            row.columns = [f"d{i}" for i in range(kv.vector_size)]
            st.dataframe(row.style.format("{:.4f}"), key="cn_lookup_row")
            lo, hi = max(0, found.index - 2), min(len(kv), found.index + 3)
            block = pd.DataFrame(
                kv.vectors[lo:hi, : min(8, kv.vector_size)],
                index=[f"{i}: {kv.index_to_key[i]}" for i in range(lo, hi)],
                columns=[f"d{i}" for i in range(min(8, kv.vector_size))],
            )
            st.markdown("The rows around it (first dimensions):")
            st.dataframe(block.style.format("{:.4f}"), key="cn_lookup_block")
            st.caption(
                f"one_hot({found.index}) @ matrix equals this row: "
                f"**{found.matches_one_hot_product}**. A Keras Embedding layer skips the "
                "multiplication and reads the row; training updates only the rows it read."
            )
            st.code(
                f"Embedding(input_dim={found.vocab_size}, output_dim={kv.vector_size})"
                f"  # weights = this model's matrix; input {found.index} -> the row above",
                language="python",
            )
