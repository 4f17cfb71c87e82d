"""Recommender: documents as averaged word vectors, ranked by cosine similarity."""

import pandas as pd
import plotly.express as px
import streamlit as st

from embeddings.documents.vectors import tokenize_documents
from embeddings.errors import EmbeddingsError
from embeddings.projection.methods import METHODS
from utils.docs_widgets import document_source, method_picker, model_tokenizer
from utils.document_jobs import document_index, document_map
from utils.state import require_model

st.title("Document recommender")
st.caption(
    "Each document becomes one vector built from its words' vectors (the chapter's book "
    "recommender averages them); the closest documents by cosine are recommended."
)
model = require_model()

left, right = st.columns([1, 2])
with left:
    docs = document_source("rec", default="wiki")
    method = method_picker("rec")
if docs is None:
    st.stop()
tokenizer = model_tokenizer(model.card)


built = document_index(model, docs, method, tokenizer)
if built is None:
    st.stop()
index, vectorizer = built
empty = index.coverage.empty
with right:
    st.markdown(
        f"**{len(docs):,} documents** · {index.coverage.share:.1%} of their tokens are in "
        f"**{model.name}**'s vocabulary"
    )
    if len(empty):
        st.warning(
            f"{len(empty)} document(s) have no word the model knows and get no vector: "
            + ", ".join(docs.titles[i] for i in empty[:10])
            + ("…" if len(empty) > 10 else "")
        )
    topn = st.slider("How many recommendations", 1, 20, 5, key="rec_topn")
    mode = st.radio(
        "Find documents", ["similar to a document", "for my text"], horizontal=True, key="rec_mode"
    )
    try:
        if mode == "similar to a document":
            title = st.selectbox("Document (type to search)", docs.titles, key="rec_title")
            matches = index.similar_to(title, topn)
        else:
            text = st.text_area("Your text", key="rec_text", placeholder="a few words or sentences")
            if not text.strip():
                st.stop()
            query = vectorizer.transform(tokenize_documents([text], tokenizer))
            matches = index.query(query[0], topn)
    except EmbeddingsError as exc:
        st.error(str(exc))
        st.stop()
    table = pd.DataFrame(
        [
            {"title": m.title, "similarity": round(m.similarity, 4), "snippet": m.snippet}
            | ({"label": m.label} if m.label is not None else {})
            for m in matches
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch", key="rec_results")

st.subheader("Map of all documents")
MAP_LABELS = {"pca": "PCA", "tsne": "t-SNE", "umap": "UMAP"}
map_method = st.radio(
    "Map",
    METHODS,
    format_func=MAP_LABELS.get,
    horizontal=True,
    key="rec_map_method",
)
mapped = document_map(model, docs, method, tokenizer, map_method, index.vectors)
if mapped is None:
    st.stop()
coords, seconds = mapped
frame = pd.DataFrame({"x": coords[:, 0], "y": coords[:, 1], "title": docs.titles})
if docs.labels is not None:
    frame["label"] = docs.labels
fig = px.scatter(
    frame, x="x", y="y", hover_name="title", color="label" if docs.labels is not None else None
)
fig.update_layout(height=500, margin=dict(l=10, r=10, t=30, b=10))
st.plotly_chart(fig, key="rec_map")
st.caption(
    f"{MAP_LABELS[map_method]} of the {len(frame):,} "
    f"document vectors in {seconds:.2f} s (seeded: the same documents give the same map)."
)
