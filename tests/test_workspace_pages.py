"""AppTest: workspaces in the app; sessions see the shared models and their own only."""

import numpy as np
import pytest
from gensim.models import KeyedVectors

from embeddings.vectors.store import ModelCard
from embeddings.workspaces import new_token, validate_token, workspace_store
from tests.conftest import APP


def _tiny(fill: float) -> KeyedVectors:
    kv = KeyedVectors(vector_size=3)
    kv.add_vectors(["sun", "moon", "star"], np.full((3, 3), fill, dtype=np.float32))
    return kv


@pytest.fixture
def classroom(store_with_models, tmp_path, monkeypatch):
    """The shared store (lee-w2v, lee-ft) and two workspaces with one model each."""
    monkeypatch.setenv("EMBEDDINGS_WORKSPACES", str(tmp_path / "workspaces"))
    tokens = {"alice": new_token(), "bob": new_token()}
    for owner, token in tokens.items():
        workspace_store(token).save(_tiny(1.0), ModelCard(name=f"{owner}-model", algorithm="glove"))
    return store_with_models, tokens


def _models_page(token: str | None, active: str | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    if token is not None:
        at.query_params["workspace"] = token
    if active is not None:
        at.session_state["active_model"] = active
    at.run()
    at.switch_page("app_pages/models.py").run()
    return at


def test_two_sessions_see_the_shared_models_and_only_their_own(classroom):
    shared, tokens = classroom
    alice = _models_page(tokens["alice"], active="alice-model")
    bob = _models_page(tokens["bob"], active="lee-w2v")
    assert not alice.exception and not bob.exception
    assert alice.selectbox(key="mg_model").options == ["lee-w2v", "lee-ft", "alice-model"]
    assert bob.selectbox(key="mg_model").options == ["lee-w2v", "lee-ft", "bob-model"]
    table = alice.dataframe[0].value
    assert list(table["name"]) == ["lee-w2v", "lee-ft", "alice-model"]
    assert list(table["shared"]) == [True, True, False]
    assert shared.names() == ["lee-w2v", "lee-ft"]


def test_the_shared_model_stays_visible_and_cannot_be_deleted_or_renamed(classroom):
    shared, tokens = classroom
    at = _models_page(tokens["alice"])
    at.selectbox(key="mg_model").select("lee-w2v").run()
    at.checkbox(key="mg_sure").check().run()
    at.text_input(key="mg_new_name").input("mine").run()
    assert at.button(key="mg_delete").disabled and at.button(key="mg_rename").disabled
    assert any(c.value.startswith("**lee-w2v** is a shared model") for c in at.caption)
    assert shared.names() == ["lee-w2v", "lee-ft"]


def test_own_models_are_renamed_and_deleted_in_the_workspace(classroom):
    shared, tokens = classroom
    at = _models_page(tokens["alice"])
    at.selectbox(key="mg_model").select("alice-model").run()
    at.text_input(key="mg_new_name").input("alice-2").run()
    at.button(key="mg_rename").click().run()
    assert not at.error and workspace_store(tokens["alice"]).names() == ["alice-2"]
    at.selectbox(key="mg_model").select("alice-2").run()
    at.checkbox(key="mg_sure").check().run()
    at.button(key="mg_delete").click().run()
    assert workspace_store(tokens["alice"]).names() == []
    assert workspace_store(tokens["bob"]).names() == ["bob-model"]
    assert shared.names() == ["lee-w2v", "lee-ft"]


def test_a_session_without_a_token_gets_a_new_workspace_in_its_url(classroom):
    _shared, tokens = classroom
    at = _models_page(None)
    token = at.query_params["workspace"]
    token = token[0] if isinstance(token, list) else token
    assert validate_token(token) and token not in tokens.values()
    assert at.selectbox(key="mg_model").options == ["lee-w2v", "lee-ft"]


def test_with_workspaces_off_the_app_uses_the_shared_store(store_with_models, monkeypatch):
    monkeypatch.setenv("EMBEDDINGS_WORKSPACES", "off")
    at = _models_page(None)
    assert "workspace" not in at.query_params
    assert at.selectbox(key="mg_model").options == ["lee-w2v", "lee-ft"]
    assert not any(at.dataframe[0].value["shared"])


def test_an_open_session_keeps_marking_its_workspace_used(classroom, monkeypatch):
    import os

    import utils.state
    from embeddings.workspaces import last_used, workspaces_root

    _shared, tokens = classroom
    at = _models_page(tokens["alice"])
    folder = workspaces_root() / tokens["alice"]
    os.utime(folder / ".last-used", (1_000_000, 1_000_000))  # long ago
    at.run()
    assert last_used(folder) == 1_000_000  # not at every rerun
    monkeypatch.setattr(utils.state, "MARK_USED_EVERY", 0.0)
    at.run()
    assert last_used(folder) > 1_000_000
