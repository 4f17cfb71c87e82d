"""Driving a page whose background job is polled by a fragment, in AppTest.

AppTest does not tick ``st.fragment(run_every=...)``, so a test reruns the app itself
until the job has ended, within a deadline.
"""

from __future__ import annotations

import time


def finish_job(at, key: str, timeout: float = 120):
    """Rerun ``at`` until the session's job ``key`` has ended (at most ``timeout`` s).

    Returns the job; fails the test when it is still running at the deadline.
    """
    deadline = time.monotonic() + timeout
    job = at.session_state[key]
    while job.running and time.monotonic() < deadline:
        job.wait(0.5)
        at.run()
    assert not job.running, f"{job.label} still running after {timeout} s"
    at.run()  # the run after the end: result taken, outcome shown
    return job


def settle(at, key: str, timeout: float = 120) -> None:
    """Let the session's job ``key`` end, if one is running (on a slow machine a small
    job may outlast the page's first second of waiting)."""
    if key in at.session_state and at.session_state[key].running:
        finish_job(at, key, timeout)
