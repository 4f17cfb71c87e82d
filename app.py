"""Word Embedding Lab: the Streamlit entry point (router, shared sidebar, start-up)."""

from pathlib import Path

import streamlit as st

from embeddings.datadirs import data_dirs
from utils.bootstrap import ensure_default_model_ui
from utils.state import sidebar_model_picker
from utils.warmup import start_background_warmup

st.set_page_config(page_title="Word Embedding Lab", page_icon="🧭", layout="wide")

HERE = Path(__file__).parent

# (section, file, title, icon). A page appears once its file exists.
PAGES = [
    ("Lab", "pages/home.py", "Home", "🏠"),
    ("Lab", "pages/concepts.py", "Concepts", "📖"),
    ("Models", "pages/corpus.py", "Corpus", "📚"),
    ("Models", "pages/train.py", "Train", "🏋️"),
    ("Models", "pages/models.py", "Models", "🗂️"),
    ("Explore", "pages/neighbours.py", "Neighbours", "🔎"),
    ("Explore", "pages/analogies.py", "Analogies", "➗"),
    ("Explore", "pages/subwords.py", "Subwords", "🧩"),
    ("Explore", "pages/cooccurrence.py", "Co-occurrence", "🔢"),
    ("Explore", "pages/projection.py", "Projection", "🗺️"),
    ("Evaluate", "pages/evaluate.py", "Evaluate", "📏"),
    ("Evaluate", "pages/compare.py", "Compare models", "⚖️"),
    ("Documents", "pages/recommender.py", "Recommender", "📑"),
    ("Documents", "pages/classifier.py", "Classifier", "🏷️"),
]

sections: dict[str, list] = {}
for section, path, title, icon in PAGES:
    if (HERE / path).exists():
        sections.setdefault(section, []).append(
            st.Page(path, title=title, icon=icon, default=path == "pages/home.py")
        )

start_background_warmup()
data_dirs()  # creates data/ on the first start: the folder server-side files come from
pg = st.navigation(sections)
ensure_default_model_ui()
sidebar_model_picker()
pg.run()
