"""Word Embedding Lab: the Streamlit entry point (router, shared sidebar, start-up)."""

from pathlib import Path

import streamlit as st

from embeddings.datadirs import data_dirs
from utils.bootstrap import ensure_default_model_ui
from utils.navigation import navigation_sections
from utils.state import sidebar_model_picker
from utils.warmup import start_background_warmup

st.set_page_config(page_title="Word Embedding Lab", page_icon="🧭", layout="wide")

start_background_warmup()
data_dirs()  # creates data/ on the first start: the folder server-side files come from
pg = st.navigation(navigation_sections(Path(__file__).parent))
ensure_default_model_ui()
sidebar_model_picker()
pg.run()
