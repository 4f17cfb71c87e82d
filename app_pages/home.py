"""Home: what the lab is, and the active model's card."""

import streamlit as st

from utils.state import active_model

st.title("Word Embedding Lab")
st.markdown(
    "Train **Word2Vec**, **GloVe** and **FastText** on your own corpus (English, Korean, "
    "anything), load pretrained vectors, and look inside them: neighbours, analogies, "
    "subwords, co-occurrence statistics, projections, benchmarks, documents, and files "
    "for the TensorFlow Embedding Projector."
)

model = active_model()
if model is None:
    st.info("No model yet: train one on the **Train** page or load one on **Models**.")
else:
    card = model.card
    st.subheader(f"Active model: {card.name}")
    cols = st.columns(4)
    cols[0].metric("Algorithm", card.algorithm)
    cols[1].metric("Vocabulary", f"{card.vocab_size:,}")
    cols[2].metric("Dimensions", card.vector_size)
    cols[3].metric("Subwords", "yes" if card.has_subwords else "no")
    with st.expander("Model card", expanded=False):
        st.json(card.to_dict())

# Imported here, after the page has drawn: it brings gensim and scipy.stats along.
from utils.evaluation_charts import score_variation_caption  # noqa: E402
from utils.evaluation_widgets import home_scores_markdown  # noqa: E402

scores = home_scores_markdown()
if scores:
    st.markdown(scores)
    score_variation_caption()
