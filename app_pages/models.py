"""Models: load pretrained vectors (upload or server path), defaults, and manage the store."""

import json

import pandas as pd
import streamlit as st

from embeddings.datadirs import resolve_data_file
from embeddings.errors import EmbeddingsError
from embeddings.vectors.loading import FORMAT_LABELS
from embeddings.vectors.saving import word2vec_bytes
from utils.datafile_widgets import data_file_picker
from utils.defaults import default_model_button
from utils.index_widgets import index_panel
from utils.jobs import job_running
from utils.model_jobs import JOB_KEY, load_panel, start_load
from utils.state import (
    ACTIVE_KEY,
    active_model,
    active_model_caption,
    get_store,
    is_shared,
    load_model,
    set_active_model,
)
from utils.uploads import save_upload_to_temp

st.title("Models")
store = get_store()
if (active := active_model()) is not None:
    active_model_caption(active)
tab_load, tab_manage, tab_defaults = st.tabs(["Load vectors", "Manage", "Defaults"])

with tab_load:
    st.caption(
        "word2vec binary or text, GloVe text (no header), fastText .vec or .bin (with "
        "subwords), each also .gz, .bz2 or a one-file .zip. The format is detected from the "
        "content. Pickled files (gensim .model/.kv) are refused: unpickling runs code."
    )
    source = st.radio("Source", ["upload", "server path"], horizontal=True, key="ld_source")
    if source == "upload":
        upload = st.file_uploader("Vectors file", key="ld_upload")
        picked = None
    else:
        upload = None
        picked = data_file_picker("ld", "Vectors file")
    c1, c2, c3 = st.columns(3)
    fmt = c1.selectbox(
        "Format", list(FORMAT_LABELS), format_func=FORMAT_LABELS.get, key="ld_format"
    )
    name = c2.text_input("Name in the store (optional)", key="ld_name").strip() or None
    limit = int(c3.number_input("Keep the first n rows (0 = all)", 0, 10**8, 0, key="ld_limit"))
    loading = job_running(JOB_KEY)
    if st.button("Load", type="primary", key="ld_go", disabled=loading or not (upload or picked)):
        try:
            if upload is not None:
                path = save_upload_to_temp(upload)
                original = upload.name
            else:
                path = resolve_data_file(str(picked))  # it may have gone since the rerun
                original = path.name
            start_load(path, original, fmt, name, limit or None, temporary=upload is not None)
        except EmbeddingsError as exc:
            st.error(str(exc))
    load_panel(on_loaded=set_active_model)

with tab_manage:
    for broken_name, why in store.broken():
        w1, w2 = st.columns([5, 1])
        w1.warning(f"**{broken_name}** cannot be opened: {why}.")
        if w2.button("Delete", key=f"mg_broken_{broken_name}"):
            try:
                store.delete(broken_name)
                st.rerun()
            except EmbeddingsError as exc:
                st.error(str(exc))
    cards = store.cards()
    if not cards:
        st.info("The store is empty.")
    else:
        table = pd.DataFrame(
            {
                "name": [c.name for c in cards],
                "algorithm": [c.algorithm for c in cards],
                "words": [c.vocab_size for c in cards],
                "dims": [c.vector_size for c in cards],
                "subwords": [c.has_subwords for c in cards],
                "source": [c.source for c in cards],
                "created": [c.created for c in cards],
                "shared": [is_shared(c.name) for c in cards],
            }
        )
        st.dataframe(table, hide_index=True, key="mg_table")
        names = [c.name for c in cards]
        chosen = st.selectbox(
            "Model",
            names,
            index=names.index(active.name) if active and active.name in names else 0,
            key="mg_model",
        )
        card = next(c for c in cards if c.name == chosen)
        shared = is_shared(chosen)
        if shared:
            st.caption(f"**{chosen}** is a shared model: use it, but it stays as it is.")
        a, b = st.columns(2)
        new_name = a.text_input("New name", key="mg_new_name").strip()
        if a.button("Rename", key="mg_rename", disabled=not new_name or shared):
            try:
                store.rename(chosen, new_name)
                set_active_model(new_name)
                st.success(f"Renamed {chosen} to {new_name}.")
                st.rerun()
            except EmbeddingsError as exc:
                st.error(str(exc))
        sure = b.checkbox(f"Yes, delete {chosen}", key="mg_sure")
        if b.button("Delete", key="mg_delete", disabled=not sure or shared):
            try:
                store.delete(chosen)
                if st.session_state.get(ACTIVE_KEY) == chosen:  # deleted here, knowingly
                    st.session_state.pop(ACTIVE_KEY)
                st.session_state.pop("mg_sure", None)
                st.success(f"Deleted {chosen}.")
                st.rerun()
            except EmbeddingsError as exc:
                st.error(str(exc))
        if st.button("Make it the active model", key="mg_activate"):
            set_active_model(chosen)
            st.rerun()
        d1, d2, d3 = st.columns(3)
        d1.download_button(
            "word2vec text (.txt)",
            lambda: word2vec_bytes(load_model(chosen).kv, binary=False),
            file_name=f"{chosen}.txt",
            key="mg_dl_txt",
            on_click="ignore",
        )
        d2.download_button(
            "word2vec binary (.bin)",
            lambda: word2vec_bytes(load_model(chosen).kv, binary=True),
            file_name=f"{chosen}.bin",
            key="mg_dl_bin",
            on_click="ignore",
        )
        d3.download_button(
            "Model card (JSON)",
            lambda: json.dumps(card.to_dict(), indent=2).encode(),
            file_name=f"{chosen}.json",
            key="mg_dl_card",
            on_click="ignore",
        )
        index_panel(store, card)
        with st.expander("Model card", expanded=False):
            st.json(card.to_dict())

with tab_defaults:
    st.caption(
        "Default models trained on the bundled corpus (gensim's shortened English Wikipedia "
        "dump and the Lee news corpus), one click each."
    )
    for algorithm in ("word2vec", "fasttext", "glove"):
        done = default_model_button(algorithm, key=f"mdl_default_{algorithm}")
        if done:
            st.markdown(f"✅ **{done}** is in the store.")
