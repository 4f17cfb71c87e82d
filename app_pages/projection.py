"""Projection: PCA / t-SNE / UMAP maps of words, how faithful they are, and export.

Two kinds of map: a quick one of up to 20,000 chosen words, made on the spot and kept in
memory; and stored maps of up to the whole vocabulary (a million words), made once as a
background job, kept with the model and drawn in the browser with WebGL.
"""

import streamlit as st

from utils.projection_quick import quick_map_view
from utils.projection_stored import stored_maps_view
from utils.state import require_model

VIEWS = {
    "quick": "Quick map (up to 20,000 words, not kept)",
    "stored": "Stored maps (up to the whole vocabulary)",
}

st.title("Projection")
st.caption(
    "A 2-D or 3-D map of word vectors. Every map distorts: the faithfulness scores next to"
    " it say how much of each word's true neighbourhood survives."
)
model = require_model()
view = st.radio("Map", list(VIEWS), format_func=VIEWS.get, horizontal=True, key="proj_view")
if view == "stored":
    stored_maps_view(model)
else:
    quick_map_view(model)
