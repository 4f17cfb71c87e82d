"""Classifier: logistic regression on averaged word embeddings, cross-validated."""

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from embeddings.documents.vectors import METHOD_LABELS
from embeddings.errors import EmbeddingsError
from utils.docs_widgets import document_source, method_picker, model_tokenizer
from utils.document_jobs import cross_validation, fitted_classifier, learning_curve
from utils.state import require_model

st.title("Document classifier")
st.caption(
    "Each document is the average (or a weighted average) of its word vectors; a logistic "
    "regression learns the labels. Scores come from stratified, seeded k-fold "
    "cross-validation, with the spread over folds, next to a TF-IDF bag-of-words baseline."
)
model = require_model()
left, right = st.columns([1, 2])
with left:
    docs = document_source("clf", default="pang-lee", need_labels=True)
    folds = st.slider("Folds", 3, 10, 5, key="clf_folds")
    seed = st.number_input("Seed", 0, 10_000, 1, key="clf_seed")
if docs is None:
    st.stop()
if docs.labels is None:
    st.warning("These documents have no labels: pick a labelled set or a label column.")
    st.stop()
tokenizer = model_tokenizer(model.card)


results = cross_validation(model, docs, folds, int(seed), tokenizer)
if results is None:
    st.stop()

with right:
    counts = pd.Series(docs.labels).value_counts()
    st.markdown(
        f"**{len(docs):,} documents**, labels: "
        + ", ".join(f"{k} ({v})" for k, v in counts.items())
        + f" · chance level {counts.max() / len(docs):.1%}"
    )
    table = pd.DataFrame([row for row, _, _ in results])
    table["features"] = table["features"].map(
        lambda f: METHOD_LABELS.get(f, "TF-IDF bag of words (baseline)")
    )
    number = st.column_config.NumberColumn
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="clf_table",
        # Short headers, so every column fits beside the inputs without scrolling.
        column_config={
            "features": st.column_config.TextColumn("features"),
            "accuracy_mean": number("accuracy", format="%.3f"),
            "accuracy_std": number("± sd", format="%.3f"),
            "macro_f1_mean": number("macro F1", format="%.3f"),
            "macro_f1_std": number("± sd ", format="%.3f"),
        },
        column_order=["features", "accuracy_mean", "accuracy_std", "macro_f1_mean", "macro_f1_std"],
    )
    # Horizontal bars: the schemes' long names read in full beside them.
    fig = go.Figure(
        go.Bar(
            y=table["features"],
            x=table["accuracy_mean"],
            error_x=dict(type="data", array=table["accuracy_std"]),
            orientation="h",
        )
    )
    fig.add_vline(x=counts.max() / len(docs), line_dash="dot")
    fig.update_layout(
        xaxis_title="accuracy (mean ± std over folds; dotted: chance level)",
        height=120 + 40 * len(table),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    st.plotly_chart(fig, key="clf_bars")

st.subheader("One scheme in detail")
method = method_picker("clf")
row, labels, confusion = next(r for r in results if r[0]["features"] == method)
c1, c2 = st.columns(2)
with c1:
    st.markdown("**Confusion matrix** (out-of-fold predictions)")
    cm = pd.DataFrame(
        confusion, index=[f"true {x}" for x in labels], columns=[f"predicted {x}" for x in labels]
    )
    st.dataframe(cm, key="clf_confusion")
    st.plotly_chart(
        px.imshow(cm, text_auto=True, color_continuous_scale="Blues"), key="clf_cm_plot"
    )


with c2:
    st.markdown("**Learning curve**")
    curve = learning_curve(model, docs, method, folds, int(seed), tokenizer)
    if curve is not None:
        lc = go.Figure()
        for name, mean, std in (
            ("train", curve.train_mean, curve.train_std),
            ("cross-validation", curve.test_mean, curve.test_std),
        ):
            lc.add_trace(
                go.Scatter(x=curve.train_sizes, y=mean, name=name, error_y=dict(array=std))
            )
        lc.update_layout(xaxis_title="training documents", yaxis_title="accuracy", height=360)
        st.plotly_chart(lc, key="clf_curve")
        st.caption(
            "As in the table above, the document vectors (idf, SIF weights) are fitted on each "
            "training subset only."
        )

st.subheader("Label your own text")


text = st.text_input("Text", key="clf_text", placeholder="an utterly charming and funny film")
classifier = fitted_classifier(model, docs, method, tokenizer) if text.strip() else None
if classifier is not None:
    try:
        label, proba = classifier.predict(text)
        st.markdown(f"Predicted label: **{label}**")
        st.dataframe(
            pd.DataFrame(
                {"label": list(proba), "probability": [round(p, 4) for p in proba.values()]}
            ),
            hide_index=True,
            key="clf_proba",
        )
    except EmbeddingsError as exc:
        st.error(str(exc))
