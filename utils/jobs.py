"""Every long action of the app: a background job, polled by one fragment while it runs.

Streamlit stops the script thread at its next ``st.*`` call when the user clicks
anything, so a long call there (training, tokenizing, loading) would die with its work.
:func:`start_job` runs it as an :class:`embeddings.jobs.BackgroundJob` (a worker thread
that makes no Streamlit calls) kept in ``st.session_state``; :func:`job_panel` draws it:
while it runs, a progress bar naming the stage, the elapsed seconds and a Cancel button,
refreshed by an ``st.fragment(run_every=...)`` that reruns the app when the job ends;
once it has ended, the result goes to ``on_result`` exactly once and the outcome (a
success text or the error) is shown. A failed job changes nothing: the previous active
model or corpus stays. No fragment polls while no job runs.

A page that computes a result to show (co-occurrence counts, a neighbourhood overlap,
cross-validation) asks :func:`utils.job_results.job_result` for it: one job per result,
kept for the model's version and the options, so a rerun recomputes nothing.

Every job goes through the server's one :func:`embeddings.jobs.default_queue`: at most
``$EMBEDDINGS_MAX_JOBS`` (default: the cores) run at once for all sessions together; the
others wait in line, their panel saying "Waiting: 2 jobs ahead" with a working Cancel.
Jobs run at a lower CPU priority than page scripts (:func:`lower_thread_priority`), so a
query's rerun is not slowed down by the trainings of a whole class.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from embeddings.jobs import BackgroundJob, default_queue
from utils.state import workspace_token

POLL_SECONDS = 0.5
JOB_NICENESS = 10  # page scripts run at the server's own (0): CFS gives them ~9x the share
FIRST_WAIT_SECONDS = 1.0  # small jobs finish within it, so they need no polling at all

# Jobs shared by every session of this server (the default models): one per id.
_SHARED: dict[str, BackgroundJob] = {}
_SHARED_LOCK = threading.Lock()


def lower_thread_priority(niceness: int = JOB_NICENESS) -> None:
    """Run the calling thread (and the threads it starts, which inherit it) at
    ``niceness`` at least: on Linux the priority is per thread; elsewhere, or without
    the right, nothing changes."""
    try:
        tid = threading.get_native_id()
        if os.getpriority(os.PRIO_PROCESS, tid) < niceness:
            os.setpriority(os.PRIO_PROCESS, tid, niceness)
    except (AttributeError, OSError):
        pass


def _yielding(fn: Callable[..., Any]) -> Callable[..., Any]:
    # The job's own thread lowers itself first: gensim's and numba's worker threads that
    # the job starts inherit the priority.
    @functools.wraps(fn)
    def run(**kwargs):
        lower_thread_priority()
        return fn(**kwargs)

    return run


def _new_or_shared(fn, label, stages, shared: str | None, estimate: int | None) -> BackgroundJob:
    fn = _yielding(fn)
    if shared is None:  # the operator's view names the workspace a job works for
        job = BackgroundJob(fn, label, stages, estimate, owner=workspace_token())
        return default_queue().submit(job)
    with _SHARED_LOCK:
        job = _SHARED.get(shared)
        if job is None or not job.running:
            job = default_queue().submit(BackgroundJob(fn, label, stages, estimate))
            _SHARED[shared] = job
        return job


def start_job(
    key: str,
    fn: Callable[..., Any],
    label: str,
    stages: Mapping[str, str] | None = None,
    shared: str | None = None,
    estimate: int | None = None,
) -> None:
    """Run ``fn(progress=..., cancel=...)`` in the background as ``st.session_state[key]``.

    Waits up to a second (a small job is then done), then reruns the app so the page
    shows the job through :func:`job_panel`. With ``shared`` (an id), a job with that id
    already running for another session is joined instead of starting a second one; its
    result is then handed to ``on_result`` in one session only.

    Parameters
    ----------
    key : str
        Where the job lives in the session state.
    fn : callable
        The library call, taking ``progress`` and ``cancel`` keyword arguments.
    label : str
        What it does ("Training news-w2v"); see :class:`embeddings.jobs.BackgroundJob`.
    stages : mapping, optional
        Extra progress stage names.
    shared : str, optional
        An id for a job every session should share.
    estimate : int, optional
        Bytes the job will hold at its peak (see :class:`embeddings.jobs.JobQueue`).

    Raises
    ------
    ResourceLimitError
        When ``estimate`` alone exceeds the server's memory budget (nothing starts).
    """
    job = _new_or_shared(fn, label, stages, shared, estimate)
    st.session_state[key] = job
    job.wait(FIRST_WAIT_SECONDS)
    st.rerun()


def job_running(key: str) -> bool:
    """True while the session's job ``key`` runs (use it to disable the start button)."""
    job = st.session_state.get(key)
    return job is not None and job.running


def progress_bar(job: BackgroundJob, key: str) -> None:
    """The job's progress bar (stage, message, elapsed seconds) and, while it runs, Cancel."""
    bar, button = st.columns([6, 1], vertical_alignment="bottom")
    waiting = job.state == "waiting"
    text = job.message if waiting else f"{job.message} · {job.seconds:.0f} s"
    bar.progress(job.fraction, text=text)
    if job.running:
        button.button("Cancel", key=key, on_click=job.cancel)


def job_panel(
    key: str,
    on_result: Callable[[Any], None] | None = None,
    success: Callable[[Any], str] | None = None,
    view: Callable[[BackgroundJob], None] | None = None,
) -> bool:
    """Draw the session's job ``key``; True while it runs.

    Running: ``view(job)`` (default: :func:`progress_bar` with a Cancel button keyed
    ``f"{key}_cancel"``) inside a fragment that refreshes every half second and reruns
    the whole app once the job has ended. Ended: the result is passed to
    ``on_result`` the first time only, and the app reruns so that everything drawn
    above the panel shows the new state; then (on every run) ``st.success(success(
    result))``, or the error (a warning when cancelled), and ``view(job)`` if given.
    Nothing when the session has no such job.

    Examples
    --------
    >>> job_panel(  # doctest: +SKIP
    ...     "corpus_job",
    ...     on_result=set_active_corpus,
    ...     success=lambda corpus: f"Prepared **{corpus.name}**.",
    ... )
    """
    job: BackgroundJob | None = st.session_state.get(key)
    if job is None:
        return False
    if job.running:

        @st.fragment(run_every=POLL_SECONDS)
        def _poll() -> None:
            current = st.session_state.get(key)
            if current is None or not current.running:
                st.rerun(scope="app")  # the whole page then shows the outcome
            if view is None:
                progress_bar(current, key=f"{key}_cancel")
            else:
                view(current)

        _poll()
        return True
    result = job.take_result()
    if result is not None and on_result is not None:
        on_result(result)
        st.rerun()  # so what was drawn above the panel (sidebar, statistics) shows it
    if job.error is not None:
        (st.warning if job.cancelled else st.error)(job.error)
    elif success is not None:
        st.success(success(job.result))
    if view is not None:
        view(job)
    return False
