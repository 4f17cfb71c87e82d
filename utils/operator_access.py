"""Who may see the operator page: a session that gave ``?operator=TOKEN`` matching the
server's ``$EMBEDDINGS_OPERATOR_TOKEN`` (see :func:`embeddings.operator.operator_allowed`).

The token given is kept in the session (Streamlit drops query parameters when the user
changes page) and checked again on every run.
"""

from __future__ import annotations

import streamlit as st

from embeddings.operator import operator_allowed

OPERATOR_PARAM = "operator"
OPERATOR_KEY = "operator_token"


def operator_session() -> bool:
    """True when this session may see the operator page."""
    given = st.query_params.get(OPERATOR_PARAM)
    if given is not None:
        st.session_state[OPERATOR_KEY] = given
    return operator_allowed(st.session_state.get(OPERATOR_KEY))
