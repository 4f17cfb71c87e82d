"""The sidebar's workspace panel: the link back to this workspace, and a new workspace."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import streamlit as st

from utils.operator_access import OPERATOR_KEY
from utils.state import WORKSPACE_PARAM, get_store, start_new_workspace, workspace_token


def workspace_link(token: str) -> str:
    """The address that opens workspace ``token``: this page's URL with ``?workspace=``
    (just the query when the browser's URL is unknown, as in tests)."""
    query = f"{WORKSPACE_PARAM}={token}"
    try:
        url = st.context.url
    except Exception:  # noqa: BLE001 - no browser context (bare script, tests)
        url = None
    if not url:
        return f"?{query}"
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def workspace_sidebar() -> None:
    """Under the model picker: what a workspace is, its link (with a copy button) and a
    button to start a new one. Nothing when workspaces are off."""
    token = workspace_token()
    if token is None:
        return
    own = len(get_store().own_names())
    with st.sidebar.expander("Workspace", expanded=False):
        st.caption(
            f"Your models stay in this workspace ({own} of your own); others on this "
            "server see only the shared ones. Copy its link (the icon beside it) to come "
            "back later or on another computer: whoever has the link uses the workspace."
        )
        st.code(workspace_link(token), language=None, wrap_lines=True)
        st.button(
            "New workspace",
            key="ws_new",
            on_click=start_new_workspace,
            kwargs={"keep": (OPERATOR_KEY,)},  # the operator stays the operator
            help="Start afresh in an empty workspace; this one stays reachable by its link.",
        )
