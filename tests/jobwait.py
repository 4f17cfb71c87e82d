"""Driving a page whose background job is polled by a fragment, in AppTest.

AppTest does not tick ``st.fragment(run_every=...)``, so a test reruns the app itself
until the job has ended, within a deadline. :class:`BusyServer` takes the server's one
job slot, so a page's job waits in line: its progress panel and Cancel button can be
seen and used however fast the work itself would be.
"""

from __future__ import annotations

import threading
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


def settle(at, *keys: str, timeout: float = 120) -> None:
    """Let the session's jobs ``keys`` end, if any runs (on a slow machine a small job
    may outlast the page's first second of waiting). Jobs that the end of one starts
    (the next computation of the page) are waited for too."""
    deadline = time.monotonic() + timeout
    ran = False
    while True:
        running = [k for k in keys if k in at.session_state and at.session_state[k].running]
        if running:
            finish_job(at, running[0], max(1.0, deadline - time.monotonic()))
            ran = True
        elif not ran and any(k in at.session_state for k in keys):
            # A job may have ended after the page's last run: one run shows its outcome
            # (seen in CI: a PPMI job released by the test ended before this looked).
            at.run()
            ran = True
        else:
            return


class BusyServer:
    """The server's job queue with one slot, taken by another user's job until
    :meth:`release`: every job a page starts meanwhile waits in line.

    Parameters
    ----------
    monkeypatch : pytest.MonkeyPatch
        Puts the one-slot queue in place of the server's for the test.
    """

    def __init__(self, monkeypatch):
        from embeddings import job_queue, jobs

        self.queue = jobs.JobQueue(max_running=1)
        monkeypatch.setattr(job_queue, "_DEFAULT_QUEUE", self.queue)
        self._hold = threading.Event()

        def busy(progress, cancel):
            while not self._hold.wait(0.01):
                cancel.check()

        self.blocker = self.queue.submit(jobs.BackgroundJob(busy, "Another user's job"))

    def release(self) -> None:
        """Let the other user's job end, so the waiting jobs run."""
        self._hold.set()
        assert self.blocker.wait(30)


def panel_text(at) -> str:
    """The text of the page's (first) progress bar."""
    bars = at.get("progress")
    assert bars, "no progress panel on the page"
    return bars[0].proto.text


def cancel_waiting_job(at, key: str) -> None:
    """Click the Cancel of the session's job ``key`` (waiting behind a
    :class:`BusyServer`) and check the page says it was cancelled and offers to start
    it again."""
    job = at.session_state[key]
    assert job.state == "waiting" and panel_text(at).startswith("Waiting")
    at.button(key=f"{key}_cancel").click().run()
    assert job.wait(30) and job.cancelled
    at.run()
    assert not at.exception and not at.get("progress")
    assert f"{job.label}: cancelled before it started." in [w.value for w in at.warning]
    assert at.button(key=f"{key}_again").label == "Compute again"


def end_then_hold(at, key: str, server: BusyServer, monkeypatch) -> BusyServer:
    """Let the session's job ``key`` (waiting behind ``server``) run to its end, then take
    the server's slot again and rerun ``at``: the job the page starts next waits in line.
    Returns the new :class:`BusyServer`."""
    job = at.session_state[key]
    server.release()
    assert job.wait(60), f"{job.label} still running"
    held = BusyServer(monkeypatch)
    at.run()
    return held


def run_again(at, key: str, server: BusyServer, *keys: str) -> None:
    """After :func:`cancel_waiting_job`: free the server, press the page's "Compute
    again" for job ``key`` and let it (and the jobs ``keys`` that follow) end."""
    server.release()
    at.button(key=f"{key}_again").click().run()
    settle(at, key, *keys)
