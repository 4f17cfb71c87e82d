"""AppTest: the classroom app: a workspace per session by default, a deleted model in use
asks the user what next, and the operator page (only with the operator token)."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from gensim.models import KeyedVectors
from streamlit.testing.v1 import AppTest

from embeddings import job_queue
from embeddings.jobs import BackgroundJob, JobQueue
from embeddings.vectors.store import ModelCard
from embeddings.workspaces import new_token, validate_token, workspace_store
from tests.conftest import APP

WAIT = 30


def _tiny() -> KeyedVectors:
    kv = KeyedVectors(vector_size=3)
    kv.add_vectors(["sun", "moon", "star"], np.eye(3, dtype=np.float32))
    return kv


@pytest.fixture
def classroom(store, lee_w2v, lee_fasttext, tmp_path, monkeypatch):
    """Shared models ``wiki-w2v`` (the default's name) and ``lee-ft``; workspaces in a
    temporary folder."""
    monkeypatch.setenv("EMBEDDINGS_WORKSPACES", str(tmp_path / "workspaces"))
    store.save(lee_w2v, ModelCard(name="wiki-w2v", algorithm="word2vec"))
    store.save(lee_fasttext, ModelCard(name="lee-ft", algorithm="fasttext"))
    return store


def _app(token: str | None = None, active: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if token is not None:
        at.query_params["workspace"] = token
    for key, value in params.items():
        at.query_params[key] = value
    if active is not None:
        at.session_state["active_model"] = active
    return at.run()


def _url_token(at) -> str:
    token = at.query_params["workspace"]
    return token[0] if isinstance(token, list) else token


# ---------------------------------------------------------------- workspaces by default


def test_without_a_token_a_session_gets_a_workspace_at_once_and_keeps_it(classroom):
    at = _app()
    token = validate_token(_url_token(at))
    assert at.session_state["workspace_token"] == token
    assert any(token in code.value for code in at.code)  # the link to copy
    at.switch_page("app_pages/models.py").run()
    assert at.session_state["workspace_token"] == token and _url_token(at) == token
    workspace_store(token).save(_tiny(), ModelCard(name="mine", algorithm="glove"))
    at.run()
    assert at.selectbox(key="mg_model").options == ["wiki-w2v", "lee-ft", "mine"]


def test_new_workspace_starts_afresh_and_the_old_one_stays(classroom):
    token = new_token()
    workspace_store(token).save(_tiny(), ModelCard(name="mine", algorithm="glove"))
    at = _app(token, active="mine")
    assert at.selectbox(key="sidebar_model").value == "mine"
    at.button(key="ws_new").click().run()
    fresh = _url_token(at)
    assert fresh != token and validate_token(fresh)
    assert at.selectbox(key="sidebar_model").options == ["wiki-w2v", "lee-ft"]
    assert not at.warning  # a new workspace is no deleted model
    assert workspace_store(token).names() == ["mine"]


def test_with_workspaces_off_there_is_no_token_and_no_workspace_panel(classroom, monkeypatch):
    monkeypatch.setenv("EMBEDDINGS_WORKSPACES", "off")
    at = _app()
    assert "workspace" not in at.query_params and not at.code
    assert at.selectbox(key="sidebar_model").options == ["wiki-w2v", "lee-ft"]


# ---------------------------------------------------------------- a deleted model in use


def test_a_deleted_active_model_gives_a_message_and_a_choice_not_a_switch(classroom):
    token = new_token()
    own = workspace_store(token)
    own.save(_tiny(), ModelCard(name="mine", algorithm="glove"))
    own.save(_tiny(), ModelCard(name="other", algorithm="glove"))
    at = _app(token, active="mine")
    at.switch_page("app_pages/neighbours.py").run()
    assert not at.warning and at.session_state["active_model"] == "mine"
    own.delete("mine")  # by another tab of the same workspace
    at.run()
    assert at.warning[0].value.startswith("The model **mine** you were working with no longer")
    assert at.session_state["active_model"] == "mine"  # nothing was switched
    assert not at.text_input  # the page stopped: it would have shown another model
    pick = at.selectbox(key="gone_pick")
    assert pick.options == ["wiki-w2v", "lee-ft", "other"]
    assert at.button(key="gone_default").label == "Go to the default model (wiki-w2v)"
    pick.set_value("lee-ft").run()
    at.button(key="gone_use").click().run()
    assert not at.warning and at.session_state["active_model"] == "lee-ft"
    assert at.selectbox(key="sidebar_model").value == "lee-ft"


def test_the_choice_can_be_the_default_model(classroom):
    token = new_token()
    workspace_store(token).save(_tiny(), ModelCard(name="mine", algorithm="glove"))
    at = _app(token, active="mine")
    workspace_store(token).rename("mine", "renamed")
    at.run()
    assert at.warning and at.button(key="gone_default")
    at.button(key="gone_default").click().run()
    assert not at.warning and at.session_state["active_model"] == "wiki-w2v"


def test_deleting_the_active_model_on_the_models_page_asks_nothing(classroom):
    token = new_token()
    workspace_store(token).save(_tiny(), ModelCard(name="mine", algorithm="glove"))
    at = _app(token, active="mine")
    at.switch_page("app_pages/models.py").run()
    at.selectbox(key="mg_model").select("mine").run()
    at.checkbox(key="mg_sure").check().run()
    at.button(key="mg_delete").click().run()
    assert not at.warning and workspace_store(token).names() == []
    assert at.session_state["active_model"] in ("wiki-w2v", "lee-ft")


# ---------------------------------------------------------------- the operator page


@pytest.fixture
def one_slot(monkeypatch):
    """The server's queue with one slot; jobs that hold until released."""
    queue = JobQueue(max_running=1)
    monkeypatch.setattr(job_queue, "_DEFAULT_QUEUE", queue)
    gate, started = threading.Event(), []

    def hold(name):
        def work(progress, cancel):
            started.append(name)
            while not gate.wait(0.01):
                cancel.check()

        return work

    jobs = [
        queue.submit(BackgroundJob(hold(name), f"Training {name}", owner=owner, estimate=size))
        for name, owner, size in (("a", "alice", 5 << 20), ("b", "bob", None), ("c", "carol", None))
    ]
    yield queue, jobs, started
    gate.set()
    for job in jobs:
        job.cancel()
        assert job.wait(WAIT)


def test_without_the_token_the_operator_page_does_not_exist(classroom, monkeypatch):
    # Not registered at all: neither in the navigation nor reachable by its address.
    not_a_page = "Could not find a navigation page for .*operator.py"
    monkeypatch.delenv("EMBEDDINGS_OPERATOR_TOKEN", raising=False)
    at = _app(operator="anything")
    with pytest.raises(ValueError, match=not_a_page):
        at.switch_page("app_pages/operator.py")
    monkeypatch.setenv("EMBEDDINGS_OPERATOR_TOKEN", "s3cret-token")
    for given in ("wrong-token", "s3cret-token-", ""):
        at = _app(operator=given)
        with pytest.raises(ValueError, match=not_a_page):
            at.switch_page("app_pages/operator.py")
    at = _app(operator="s3cret-token")
    at.switch_page("app_pages/operator.py").run()
    assert [t.value for t in at.title] == ["Operator"]
    at.switch_page("app_pages/models.py").run()  # the URL loses ?operator= between pages
    at.switch_page("app_pages/operator.py").run()
    assert [t.value for t in at.title] == ["Operator"]
    at.button(key="ws_new").click().run()  # a new workspace keeps the operator's page
    at.switch_page("app_pages/operator.py").run()
    assert [t.value for t in at.title] == ["Operator"]


def test_the_operator_sees_every_job_and_cancels_a_waiting_one(classroom, monkeypatch, one_slot):
    queue, (a, b, c), started = one_slot
    monkeypatch.setenv("EMBEDDINGS_OPERATOR_TOKEN", "s3cret-token")
    token = new_token()
    workspace_store(token).save(_tiny(), ModelCard(name="mine", algorithm="glove"))
    at = _app(operator="s3cret-token")
    at.switch_page("app_pages/operator.py").run()
    assert [t.value for t in at.title] == ["Operator"]
    table = at.dataframe[0].value
    # Behind them, in line: the home page's scoring of the default model (this session's).
    assert all(job.startswith("Scoring ") for job in table["job"][3:])
    table = table[:3]
    assert list(table["job"]) == ["Training a", "Training b", "Training c"]
    assert list(table["workspace"]) == ["alice", "bob", "carol"]
    assert list(table["state"]) == ["running", "waiting", "waiting"]
    assert list(table["position"].fillna(0).astype(int)) == [0, 1, 2]
    assert list(table["memory estimate"]) == ["5.0 MiB", "unknown", "unknown"]
    workspaces = at.dataframe[-1].value
    row = workspaces[workspaces["workspace"] == token].iloc[0]
    assert row["models"] == 1

    at.button(key=f"op_cancel_{id(b)}").click().run()
    assert b.wait(WAIT) and b.state == "cancelled"
    assert list(at.dataframe[0].value["job"])[:2] == ["Training a", "Training c"]
    assert c.position == 1
    a.cancel()
    assert a.wait(WAIT)
    c.cancel()
    assert c.wait(WAIT)
    assert "b" not in started  # cancelled while waiting: it never ran


def test_the_operator_deletes_old_workspaces(classroom, monkeypatch, tmp_path):
    import os
    import time

    from embeddings.workspaces import LAST_USED_FILE

    monkeypatch.setenv("EMBEDDINGS_OPERATOR_TOKEN", "s3cret-token")
    old, recent = new_token(), new_token()
    workspace_store(old)
    workspace_store(recent)
    month_ago = time.time() - 40 * 86400
    os.utime(tmp_path / "workspaces" / old / LAST_USED_FILE, (month_ago, month_ago))
    at = _app(operator="s3cret-token")
    at.switch_page("app_pages/operator.py").run()
    assert at.button(key="op_cleanup").disabled
    at.checkbox(key="op_sure").check().run()
    at.button(key="op_cleanup").click().run()
    assert at.success[0].value == "Deleted 1 workspace(s)."
    assert not (tmp_path / "workspaces" / old).exists()
    assert (tmp_path / "workspaces" / recent).exists()
