"""When the model a session works with is gone: say so and let the user choose.

Another tab, another session of the same workspace or the server's operator may delete
or rename the active model. The session is then not moved to some other model behind
its back: the page stops with a message and a choice (another model, or the default).
"""

from __future__ import annotations

import streamlit as st

from embeddings.train.default import default_model_name
from utils.state import ACTIVE_KEY, get_store

PICK_KEY = "gone_pick"


def _continue_with(name: str) -> None:
    st.session_state[ACTIVE_KEY] = name
    st.session_state.pop(PICK_KEY, None)


def missing_model_notice() -> None:
    """If the session's chosen model no longer exists, show why and what to do, then
    stop the run (the page would otherwise show another model). Call it before the
    sidebar's model picker."""
    chosen = st.session_state.get(ACTIVE_KEY)
    if chosen is None:
        return
    names = get_store().names()
    if chosen in names or not names:
        return
    st.warning(
        f"The model **{chosen}** you were working with no longer exists: it was deleted "
        "or renamed (in another tab, by another session of this workspace, or by the "
        "server's operator). Choose the model to continue with."
    )
    default = default_model_name("word2vec")
    left, right = st.columns(2)
    pick = left.selectbox("Another model", names, index=len(names) - 1, key=PICK_KEY)
    left.button("Continue with this model", key="gone_use", on_click=_continue_with, args=(pick,))
    if default in names:
        right.button(
            f"Go to the default model ({default})",
            key="gone_default",
            on_click=_continue_with,
            args=(default,),
        )
    st.stop()
