"""AppTest: utils.jobs, the one way the app starts a long job and shows it."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.jobwait import finish_job


def _script():
    import threading

    import streamlit as st

    from embeddings.errors import TrainingError
    from embeddings.progress import Progress
    from utils.jobs import job_panel, job_running, start_job

    gate = st.session_state.setdefault("gate", threading.Event())
    taken = st.session_state.setdefault("taken", [])
    fail = st.session_state.get("fail", False)  # read here: the worker makes no st.* calls

    def work(progress, cancel):
        progress(Progress("tokenize", 3_000, 12_000, "3,000 documents"))
        while not gate.wait(0.01):
            cancel.check()
        if fail:
            raise TrainingError("No word occurs at least min_count=5 times.")
        return "corpus"

    if st.button("Go", key="go", disabled=job_running("job")):
        start_job("job", work, "Preparing notes.txt", shared=st.session_state.get("shared"))
    job_panel("job", on_result=taken.append, success=lambda r: f"Prepared {r}.")


@pytest.fixture
def app():
    at = AppTest.from_function(_script, default_timeout=30)
    at.run()
    return at


def test_no_job_draws_nothing(app):
    assert not app.get("progress") and not app.success and not app.error
    assert [b.key for b in app.button] == ["go"]


def test_running_shows_the_stage_and_cancel_then_the_result_goes_to_on_result_once(app):
    app.button(key="go").click().run()
    job = app.session_state["job"]
    assert job.running and app.button(key="go").disabled
    assert app.get("progress")[0].proto.text.startswith("Tokenizing: 3,000 documents · ")
    assert app.button(key="job_cancel").label == "Cancel"
    app.session_state["gate"].set()
    finish_job(app, "job")
    app.run()
    assert app.session_state["taken"] == ["corpus"]  # handed over once, over three runs
    assert app.success[0].value == "Prepared corpus."
    assert not app.get("progress")  # no fragment once the job has ended


def test_a_failure_is_shown_and_nothing_is_taken(app):
    app.session_state["fail"] = True
    app.session_state["gate"].set()
    app.button(key="go").click().run()
    finish_job(app, "job")
    assert app.error[0].value == "No word occurs at least min_count=5 times."
    assert app.session_state["taken"] == [] and not app.success


def test_cancel_is_a_warning(app):
    app.button(key="go").click().run()
    app.button(key="job_cancel").click().run()
    finish_job(app, "job")
    assert app.warning[0].value == "Cancelled by the user; nothing was changed."
    assert app.session_state["taken"] == []


def test_sessions_asking_for_one_shared_job_share_it():
    first, second = (AppTest.from_function(_script, default_timeout=30) for _ in range(2))
    for at in (first, second):
        at.session_state["shared"] = "default-model-test"
        at.run()
    first.button(key="go").click().run()
    second.button(key="go").click().run()
    job = first.session_state["job"]
    assert second.session_state["job"] is job and job.running
    job.cancel()
    assert job.wait(30)


def test_a_job_waiting_for_a_slot_says_how_many_are_ahead_and_cancels(monkeypatch):
    import threading

    from embeddings import job_queue, jobs

    queue = jobs.JobQueue(max_running=1)
    monkeypatch.setattr(job_queue, "_DEFAULT_QUEUE", queue)
    hold = threading.Event()

    def busy(progress, cancel):
        while not hold.wait(0.01):
            cancel.check()

    ahead = [queue.submit(jobs.BackgroundJob(busy, f"Training {n}")) for n in range(3)]
    at = AppTest.from_function(_script, default_timeout=30)
    at.run()
    at.button(key="go").click().run()
    job = at.session_state["job"]
    assert job.state == "waiting" and job.position == 3
    assert at.get("progress")[0].proto.text == "Waiting: 2 jobs ahead"
    at.button(key="job_cancel").click().run()
    assert job.wait(30) and job.state == "cancelled"
    at.run()
    assert at.warning[0].value == "Preparing notes.txt: cancelled before it started."
    assert job.last is None  # the work never ran
    hold.set()
    assert all(other.wait(30) for other in ahead)
