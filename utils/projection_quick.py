"""The Projection page's quick map: up to 20,000 chosen words projected on the spot (a
background job), kept in memory only, drawn with Plotly; 2-D or 3-D (Streamlit glue)."""

import re
from functools import partial

import streamlit as st
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from embeddings.corpus.tokenize import KOREAN_STOPWORDS
from embeddings.errors import EmbeddingsError
from embeddings.projection.quality import true_neighbours
from embeddings.projection.select import FILTER_SECONDS, MAX_PATTERN, MAX_WORDS
from utils.cache_keys import cache_key
from utils.jobs import job_panel, start_job
from utils.plots_projection import projection_figure
from utils.projection_cache import (
    cached_clusters,
    cached_quality,
    cached_selection,
    compute_projection,
    projection_key,
    stored_projection,
    word_counts,
)
from utils.projection_widgets import export_panel, selection_panel, true_neighbours_panel
from utils.warmup import wait_for_umap

JOB_KEY = "proj_job"
MODES = {
    "top": "Most frequent words",
    "neighbours": "Neighbours of query words",
    "list": "A word list",
}
COLOURS = {
    "group": "Query group",
    "cluster": "k-means cluster",
    "preservation": "Preservation per word",
    "none": "One colour",
}


def quick_map_view(model) -> None:
    """The quick map of the active ``model``: word choice, method, map, scores, export."""
    kv = model.kv
    with st.sidebar:
        st.markdown("### Words to project")
        mode = st.radio("Choose", list(MODES), format_func=MODES.get, key="proj_mode")
        options: dict = {"mode": mode}
        if mode == "top":
            options["n"] = st.number_input(
                f"Top-N (up to {MAX_WORDS:,})",
                10,
                MAX_WORDS,
                min(1000, len(kv)),
                step=100,
                key="proj_n",
            )
            options["sample"] = st.checkbox("Random sample instead of the first N")
        elif mode == "neighbours":
            typed = st.text_input("Query words (comma-separated)", key="proj_queries")
            options["query_words"] = [w.strip() for w in typed.split(",") if w.strip()]
            options["k"] = st.slider("Neighbours per query word", 2, 100, 15)
        else:
            typed = st.text_area("Words (comma, space or line separated)")
            upload = st.file_uploader("…or upload a text file", type=["txt", "csv"])
            text = typed + "\n" + (upload.getvalue().decode("utf-8", "replace") if upload else "")
            options["words"] = [w for w in re.split(r"[\s,]+", text) if w]
        options["regex"] = (
            st.text_input(
                "Regular-expression filter",
                key="proj_regex",
                max_chars=MAX_PATTERN,
                help=f"Keep words matching it; at most {FILTER_SECONDS:g} s of matching in all.",
            )
            or None
        )
        options["stopwords"] = (
            set(ENGLISH_STOP_WORDS) | set(KOREAN_STOPWORDS)
            if st.checkbox("Exclude stopwords")
            else None
        )
        options["exclude_numbers"] = st.checkbox("Exclude numbers")
        options["sphereize"] = st.checkbox("Sphereize (centre, then unit length)")

    c1, c2, c3, c4 = st.columns(4)
    method = c1.selectbox(
        "Method", ["pca", "tsne", "umap"], format_func=str.upper, key="proj_method"
    )
    dims = c2.radio("Dimensions", [2, 3], horizontal=True)
    seed = int(c3.number_input("Seed", 0, 2**31 - 1, 1))
    k_quality = int(c4.number_input("k (faithfulness)", 2, 50, 10))
    params: dict = {}
    if method == "tsne":
        a, b, c = st.columns(3)
        params["perplexity"] = a.slider("Perplexity", 2.0, 100.0, 30.0)
        params["n_iter"] = b.slider("Iterations", 100, 2000, 500, step=50)
        params["initialization"] = c.selectbox(
            "Initialisation", ["pca", "spectral", "random"], key="proj_init"
        )
    elif method == "umap":
        a, b = st.columns(2)
        params["n_neighbors"] = a.slider("n_neighbors", 2, 200, 15)
        params["min_dist"] = b.slider("min_dist", 0.0, 0.99, 0.1)
        params["metric"] = "cosine"

    selection_key = cache_key(model, **options)  # the model's content and every option
    try:
        sel = cached_selection(kv, selection_key, options)
    except EmbeddingsError as exc:
        st.error(str(exc))
        st.stop()
    if sel.missing:
        st.warning("Not in the vocabulary: " + ", ".join(sel.missing[:30]))

    n = len(sel.words)
    if method == "umap":
        wait_for_umap()  # the start-up compilation, if still running
    pkey = projection_key(selection_key, method, int(dims), seed, params)
    res = stored_projection(pkey)
    if res is None:
        # Computed as a background job, so a click elsewhere neither kills nor loses it.
        if st.session_state.get("proj_job_for") != pkey:
            previous = st.session_state.get(JOB_KEY)
            if previous is not None and previous.running:
                previous.cancel()  # its settings are gone
            st.session_state["proj_job_for"] = pkey
            start_job(
                JOB_KEY,
                partial(compute_projection, sel.vectors, pkey, method, int(dims), seed, params),
                f"{method.upper()} of {n:,} words",
            )
        if not job_panel(JOB_KEY) and st.button("Compute the map again", key="proj_again"):
            del st.session_state["proj_job_for"]
            st.rerun()
        st.stop()
    with st.status(
        f"{method.upper()} of {n:,} words in {res.seconds:.1f} s", state="complete", expanded=False
    ):
        st.caption(", ".join(f"{k} = {v}" for k, v in res.params.items()) or "no parameters")
    coords = res.coords
    rkey = pkey
    overall, per_word, trust = cached_quality(sel.vectors, coords, rkey, k_quality)

    m1, m2, m3 = st.columns(3)
    m1.metric(f"Neighbour preservation at k={k_quality}", f"{overall:.1%}")
    m2.metric("Trustworthiness", f"{trust:.3f}")
    if res.explained_variance:
        m3.metric(
            "Explained variance",
            f"{sum(res.explained_variance):.1%}",
            help=" + ".join(f"{v:.1%}" for v in res.explained_variance),
        )
    st.caption(
        f"Neighbour preservation: the share of each word's {k_quality} nearest neighbours (cosine,"
        " full space) that are among its nearest on the map. Trustworthiness (scikit-learn) is 1"
        " when map neighbours are true neighbours."
    )

    o1, o2, o3 = st.columns([2, 1, 2])
    colour = o1.selectbox(
        "Colour by",
        list(COLOURS),
        format_func=COLOURS.get,
        index=0 if any(sel.groups) else 1,
        key="proj_colour",
    )
    n_clusters = int(o2.number_input("Clusters (k)", 2, 30, 8, key="proj_k_clusters"))
    search = o3.text_input("Search a word (shows its true neighbours)", key="proj_search").strip()
    sized = st.checkbox("Point size by frequency", value=True)

    clusters = (
        cached_clusters(sel.vectors, selection_key, n_clusters, seed)
        if colour == "cluster"
        else None
    )
    colour_values = {
        "group": [g or "(other)" for g in sel.groups],
        "cluster": None if clusters is None else [f"cluster {c}" for c in clusters],
        "preservation": per_word,
        "none": None,
    }[colour]
    counts = word_counts(kv, sel.words) if sized else None
    focus, neighbours = None, []
    if search:
        if search in sel.words:
            focus = sel.words.index(search)
            neighbours = true_neighbours(sel.vectors, focus, k_quality)
        else:
            st.warning(f"{search!r} is not on this map.")
    fig = projection_figure(
        sel.words, coords, colour_values, COLOURS[colour], counts, neighbours, focus
    )
    event = st.plotly_chart(
        fig, key="proj_plot", on_select="rerun", selection_mode=("lasso", "box")
    )

    true_neighbours_panel(search, sel, coords, neighbours, focus, k_quality)
    selection_panel(event, sel, per_word)
    if clusters is None:  # the export always carries clusters
        clusters = cached_clusters(sel.vectors, selection_key, n_clusters, seed)
    export_panel(kv, model, sel, coords, clusters, fig, method, dims, per_word)
