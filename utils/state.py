"""Session state and cached access to the model store and the active model.

Workspaces (a classroom on one server, the default): every browser session works in a
workspace of its own, named by the token in its URL (``?workspace=TOKEN``, so a reload or
a bookmark returns to it); a session opened without one gets a new workspace, its token
put in the URL at once. :func:`get_store` is then the session's
:class:`embeddings.workspaces.Models`: the shared models read-only plus the workspace's
own, where saving, training and importing write. With ``$EMBEDDINGS_WORKSPACES=off`` (a
personal lab) it is the shared store.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import streamlit as st

from embeddings.errors import EmbeddingsError, WorkspaceError
from embeddings.model_cache import ModelCache, model_cache_budget
from embeddings.vectors.ann import INDEX_FILE
from embeddings.vectors.store import ModelCard, ModelStore, default_store_root
from embeddings.workspaces import (
    Models,
    new_token,
    validate_token,
    workspace_store,
    workspaces_enabled,
    workspaces_root,
)

ACTIVE_KEY = "active_model"
PICKER_KEY = "sidebar_model"  # the sidebar selectbox's widget key
WORKSPACE_PARAM = "workspace"
WORKSPACE_KEY = "workspace_token"  # the session's token (the URL loses it between pages)
USED_KEY = "workspace_marked"  # when this session last marked its workspace used
MARK_USED_EVERY = 3600.0  # seconds: a session open for days keeps its workspace from cleanup


@st.cache_resource(show_spinner=False)
def _store_for(root: str) -> ModelStore:
    return ModelStore(root)


def shared_store() -> ModelStore:
    """The shared model store (``$EMBEDDINGS_HOME`` or ``models/``), one object per root:
    where the built-in models live, read-only for workspace sessions."""
    return _store_for(str(default_store_root()))


def workspace_token() -> str | None:
    """The session's workspace token, or None when workspaces are off.

    The URL's token wins (a reload, a bookmark, a shared link); else the one this session
    already has (Streamlit drops query parameters when the user changes page); else a new
    workspace. A malformed token in the URL is reported and replaced by a new one. The
    token is written back into the URL whenever it is missing there.
    """
    if not workspaces_enabled():
        return None
    token = st.query_params.get(WORKSPACE_PARAM)
    if token is not None:
        try:
            token = validate_token(token)
        except WorkspaceError as exc:
            st.warning(f"{exc} A new workspace was opened.")
            token = None
    if token is None:
        token = st.session_state.get(WORKSPACE_KEY) or new_token()
    now = time.monotonic()
    if (
        st.session_state.get(WORKSPACE_KEY) != token
        or now - st.session_state.get(USED_KEY, now) >= MARK_USED_EVERY
    ):
        workspace_store(token)  # the session starts (or goes on) using it: mark it used
        st.session_state[WORKSPACE_KEY] = token
        st.session_state[USED_KEY] = now
    if st.query_params.get(WORKSPACE_PARAM) != token:
        st.query_params[WORKSPACE_PARAM] = token
    return token


def start_new_workspace(keep: tuple[str, ...] = ()) -> str:
    """Leave this session's workspace for a new, empty one (a widget callback).

    The session starts afresh (active model, corpus, inputs), except for the session
    state keys in ``keep``; the old workspace stays on disk, reachable through its link.
    Returns the new token.
    """
    token = new_token()
    kept = {key: st.session_state[key] for key in keep if key in st.session_state}
    st.session_state.clear()
    st.session_state.update(kept)
    st.session_state[WORKSPACE_KEY] = token
    st.query_params[WORKSPACE_PARAM] = token
    return token


@st.cache_resource(show_spinner=False, max_entries=1000)
def _models_for(token: str, root: str, shared_root: str) -> Models:
    return Models(workspace_store(token, root), _store_for(shared_root))


def get_store() -> ModelStore:
    """The session's models: its workspace's :class:`~embeddings.workspaces.Models`
    (shared + own; one object per workspace), or the shared store when workspaces are off."""
    token = workspace_token()
    if token is None:
        return shared_store()
    root = str(workspaces_root())
    models = _models_for(token, root, str(default_store_root()))
    if not models.own.root.is_dir():  # removed by a cleanup meanwhile: it starts again
        workspace_store(token, root)
    return models


def is_shared(name: str) -> bool:
    """True when ``name`` is a shared model this session may use but not change."""
    store = get_store()
    return isinstance(store, Models) and store.is_shared(name)


@st.cache_resource(show_spinner=False)
def model_cache() -> ModelCache:
    """The server's open models, shared by all sessions, within a memory budget
    (``$EMBEDDINGS_MODEL_CACHE``; see :mod:`embeddings.model_cache`)."""
    return ModelCache(model_cache_budget())


def _open_model(root: str, name: str):
    kv, card = _store_for(root).load(name)
    kv.fill_norms()  # so no query mutates the shared object later
    return kv, card


def _load_model(root: str, name: str, version: str, indexed: bool):
    # ``version`` (ModelStore.version) changes when the vectors are rewritten and not
    # when only the card is (benchmark results), so a card update keeps the one loaded copy.
    # ``indexed``: a neighbour index built since the last load is opened with the model.
    # A model evicted while a session uses it is simply opened again here.
    cache = model_cache()
    key = (root, name, version, indexed)
    found = cache.get(key)
    if found is not None:
        return found
    with st.spinner("Loading model…"):
        return cache.get_or_open(key, lambda: _open_model(root, name))


@dataclass
class ActiveModel:
    """The model the user works with: its name, vectors, card and content version.

    ``version`` is the store's content version of the vectors (``ModelStore.version``);
    ``utils.cache_keys.cache_key(model, ...)`` keys caches on it.
    """

    name: str
    kv: object
    card: ModelCard
    version: str = ""


def load_model(name: str) -> ActiveModel:
    """Load a stored model through the shared cache (the card is read fresh each time)."""
    store = get_store()
    version = store.version(name)
    indexed = (store.path(name) / INDEX_FILE).is_file()
    # Keyed on the directory that holds the entry: a shared model is loaded once for all
    # workspaces, an own model under its workspace.
    kv, _ = _load_model(str(store.path(name).parent), name, version, indexed)
    return ActiveModel(name, kv, store.load_card(name), version)


def set_active_model(name: str) -> None:
    """Make ``name`` the active model on every page, the sidebar picker included.

    Call it from a page's body (a training or load that finished, a button): the sidebar
    was drawn before the page, so the app reruns at once when the picker shows another
    model. In a widget callback set ``st.session_state[ACTIVE_KEY]`` instead: the picker
    follows it on the run that comes next anyway.
    """
    st.session_state[ACTIVE_KEY] = name
    if st.session_state.get(PICKER_KEY, name) != name:
        st.rerun()


def active_model_name() -> str | None:
    """The active model's name: the user's pick if it still exists, else the newest model."""
    store = get_store()
    names = store.names()
    chosen = st.session_state.get(ACTIVE_KEY)
    if chosen in names:
        return chosen
    return names[-1] if names else None


def active_model() -> ActiveModel | None:
    """The active model, loaded, or None when the store is empty."""
    name = active_model_name()
    if name is None:
        return None
    try:
        return load_model(name)
    except EmbeddingsError as exc:
        st.error(str(exc))
        return None


def require_model(subwords: bool = False, caption: bool = True) -> ActiveModel:
    """The active model, or a message and ``st.stop()`` when there is none (or it lacks
    subwords). With ``caption``, a line under the page's title names the model
    (:func:`active_model_caption`), so every page on the active model says which it shows.
    """
    model = active_model()
    if model is None:
        st.info("No model yet. Train one on the **Train** page or load one on **Models**.")
        st.stop()
    if subwords and not model.card.has_subwords:
        st.warning(
            f"The active model **{model.name}** ({model.card.algorithm}) has no subword "
            "information. Pick a FastText model in the sidebar, or train one on **Train**."
        )
        st.stop()
    if caption:
        active_model_caption(model)
    return model


def active_model_caption(model: ActiveModel) -> None:
    """One line under a page's title naming the model the page shows.

    ``require_model()`` shows it; on the default model it reads "Model: **wiki-w2v** ·
    word2vec · 9,774 words × 100 dimensions (change it in the sidebar)".
    """
    card = model.card
    st.caption(
        f"Model: **{model.name}** · {card.algorithm} · {card.vocab_size:,} words × "
        f"{card.vector_size} dimensions (change it in the sidebar)"
    )


def _follow_picker() -> None:
    # A callback runs before the script: the pages of this run already see the choice.
    st.session_state[ACTIVE_KEY] = st.session_state[PICKER_KEY]


def sidebar_model_picker() -> None:
    """The shared sidebar: choose the active model among the stored ones."""
    store = get_store()
    names = store.names()
    with st.sidebar:
        st.markdown("### Active model")
        if not names:
            st.caption("No model in the store yet.")
            return
        current = active_model_name()
        # The widget keeps its own state across runs; a model made active elsewhere
        # (trained, loaded, renamed, picked on another page) must move it, so it is set
        # from the active model before the widget exists, and the user's pick flows back
        # through the callback.
        st.session_state[ACTIVE_KEY] = current
        if st.session_state.get(PICKER_KEY) != current:
            st.session_state[PICKER_KEY] = current
        st.selectbox(
            "Active model",
            names,
            key=PICKER_KEY,
            on_change=_follow_picker,
            label_visibility="collapsed",
        )
        try:
            card = store.load_card(current)
            st.caption(
                f"{card.algorithm} · {card.vocab_size:,} words · {card.vector_size} dims"
                + (" · subwords" if card.has_subwords else "")
            )
        except EmbeddingsError as exc:
            st.caption(str(exc))


CORPUS_KEY = "active_corpus"


def active_corpus():
    """The corpus the user prepared on the Corpus page (a PreparedCorpus), or None."""
    return st.session_state.get(CORPUS_KEY)


def set_active_corpus(prepared) -> None:
    st.session_state[CORPUS_KEY] = prepared


@st.cache_resource(show_spinner="Tokenizing the bundled corpus (once)…")
def _bundled_corpus(root: str, key: str, tokenizer: str):
    from embeddings.corpus.sources import prepare_bundled_corpus

    return prepare_bundled_corpus(key, tokenizer, cache=_store_for(root).corpus_cache)


def bundled_corpus(key: str = "wiki+lee", tokenizer: str = "simple"):
    """A bundled corpus as a PreparedCorpus, shared by all sessions (kept in the shared
    store's corpus cache, and tokenized again if the cache has evicted it)."""
    root = str(shared_store().root)
    prepared = _bundled_corpus(root, key, tokenizer)
    if not prepared.path.is_file():
        _bundled_corpus.clear()
        prepared = _bundled_corpus(root, key, tokenizer)
    return prepared


def corpus_or_default():
    """The user's active corpus, or the bundled default corpus (wiki+lee, simple tokens)."""
    return active_corpus() or bundled_corpus()
