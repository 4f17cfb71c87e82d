"""Background jobs yield the cores to queries: a job's thread, and the threads it starts,
run at a lower CPU priority than the page scripts; the caller's thread is unchanged."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from embeddings.jobs import BackgroundJob
from utils.jobs import JOB_NICENESS, _yielding


def _niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.skipif(sys.platform != "linux", reason="per-thread priorities are Linux's")
def test_a_job_and_its_worker_threads_run_at_a_lower_priority():
    if _niceness() >= JOB_NICENESS:
        pytest.skip("the tests already run at the jobs' priority")
    before = _niceness()
    seen = {}

    def work(progress, cancel):
        seen["job"] = _niceness()
        helper = threading.Thread(target=lambda: seen.update(worker=_niceness()))
        helper.start()
        helper.join()
        return "done"

    job = BackgroundJob(_yielding(work), "priority").start()
    assert job.wait(10)
    assert (job.result, seen) == ("done", {"job": JOB_NICENESS, "worker": JOB_NICENESS})
    assert _niceness() == before
