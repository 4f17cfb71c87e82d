"""Word Embedding Lab: the Streamlit entry point (router, shared sidebar, start-up)."""

import os

# Before anything loads OpenBLAS (numpy): its idle worker threads sleep at once instead of
# spinning after every call. Spinning, they took about 50 ms of the other core per
# matrix-vector product, so a neighbours query cost 0.060 s of server CPU (0.018 s with
# this); big products still use every core. An operator's own setting is kept.
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")

from pathlib import Path

import streamlit as st

from embeddings.datadirs import data_dirs
from utils.bootstrap import ensure_default_model_ui
from utils.missing_model import missing_model_notice
from utils.navigation import navigation_sections
from utils.operator_access import operator_session
from utils.state import sidebar_model_picker, workspace_token
from utils.warmup import start_background_warmup
from utils.workspace_widgets import workspace_sidebar

st.set_page_config(page_title="Word Embedding Lab", page_icon="🧭", layout="wide")

start_background_warmup()
data_dirs()  # creates data/ on the first start: the folder server-side files come from
workspace_token()  # the session's workspace, its token in the URL from the first run
pg = st.navigation(navigation_sections(Path(__file__).parent, operator=operator_session()))
ensure_default_model_ui()
missing_model_notice()
sidebar_model_picker()
workspace_sidebar()
pg.run()
