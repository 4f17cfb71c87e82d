"""JobQueue: at most N jobs at once, the rest in line; cancel in line; memory budget."""

import threading

import pytest

from embeddings import jobs
from embeddings.errors import EmbeddingsError, ResourceLimitError
from embeddings.jobs import BackgroundJob, JobQueue, default_max_jobs

WAIT = 30  # seconds; every wait is bounded so a broken queue fails the test, not the suite


class Recorder:
    """Jobs that note when they start and then hold until their own gate opens."""

    def __init__(self):
        self.started: list[str] = []
        self.gates: dict[str, threading.Event] = {}
        self.begun: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def job(self, name: str, estimate: int | None = None) -> BackgroundJob:
        gate = self.gates[name] = threading.Event()
        begun = self.begun[name] = threading.Event()

        def work(progress, cancel):
            with self._lock:
                self.started.append(name)
            begun.set()
            while not gate.wait(0.01):
                cancel.check()
            return name

        return BackgroundJob(work, f"Job {name}", estimate=estimate)

    def release(self, name: str) -> None:
        self.gates[name].set()


def test_at_most_n_run_and_the_rest_start_in_fifo_order():
    rec = Recorder()
    queue = JobQueue(max_running=2)
    submitted = [queue.submit(rec.job(name)) for name in "ABCDE"]
    assert rec.begun["A"].wait(WAIT) and rec.begun["B"].wait(WAIT)
    assert [job.state for job in submitted] == ["running"] * 2 + ["waiting"] * 3
    assert [job.position for job in submitted] == [0, 0, 1, 2, 3]
    assert all(job.running for job in submitted)  # "not finished" includes waiting
    assert submitted[3].message == "Waiting: 1 job ahead"
    assert submitted[4].message == "Waiting: 2 jobs ahead"
    assert submitted[2].message.startswith("Waiting: next in line")
    assert len(queue.active) == 2 and len(queue.waiting) == 3

    rec.release("B")
    assert submitted[1].wait(WAIT) and rec.begun["C"].wait(WAIT)
    assert [job.position for job in submitted] == [0, 0, 0, 1, 2]
    assert rec.started == ["A", "B", "C"]
    for name in "ACDE":
        rec.release(name)
    assert all(job.wait(WAIT) for job in submitted)
    assert rec.started == ["A", "B", "C", "D", "E"]
    assert [job.state for job in submitted] == ["done"] * 5
    assert [job.take_result() for job in submitted] == list("ABCDE")  # no job lost
    assert queue.active == [] and queue.waiting == []


def test_a_job_cancelled_while_waiting_never_starts_and_leaves_the_line():
    rec = Recorder()
    queue = JobQueue(max_running=1)
    first, second, third = (queue.submit(rec.job(name)) for name in "ABC")
    assert rec.begun["A"].wait(WAIT)
    second.cancel()
    assert second.wait(WAIT)  # ends at once, without a slot
    assert second.state == "cancelled" and second.cancelled and not second.running
    assert "cancelled before it started" in second.error
    assert second.take_result() is None
    assert third.position == 1
    rec.release("A")
    rec.release("C")
    assert first.wait(WAIT) and third.wait(WAIT)
    assert rec.started == ["A", "C"]  # B never ran
    assert third.state == "done"


def test_cancelling_a_running_job_frees_its_slot():
    rec = Recorder()
    queue = JobQueue(max_running=1)
    first, second = queue.submit(rec.job("A")), queue.submit(rec.job("B"))
    assert rec.begun["A"].wait(WAIT)
    first.cancel()
    assert first.wait(WAIT) and first.state == "cancelled"
    assert rec.begun["B"].wait(WAIT)
    rec.release("B")
    assert second.wait(WAIT) and second.state == "done"


def test_a_failing_job_is_failed_and_the_next_one_runs():
    queue = JobQueue(max_running=1)

    def broken(progress, cancel):
        raise EmbeddingsError("The corpus is empty.")

    failed = queue.submit(BackgroundJob(broken, "Preparing empty.txt"))
    after = queue.submit(BackgroundJob(lambda progress, cancel: 42, "Counting"))
    assert failed.wait(WAIT) and after.wait(WAIT)
    assert failed.state == "failed" and failed.error == "The corpus is empty."
    assert after.state == "done" and after.take_result() == 42


def test_an_estimate_past_the_budget_is_refused_at_submission():
    queue = JobQueue(max_running=2, budget=1 << 30)
    job = BackgroundJob(lambda progress, cancel: None, "Training big", estimate=3 << 30)
    with pytest.raises(ResourceLimitError, match=r"Training big needs about 3\.0 GiB.*1\.0 GiB"):
        queue.submit(job)
    assert job.state == "waiting" and not job.running and queue.waiting == []


def test_a_job_waits_while_running_estimates_leave_too_little_memory():
    rec = Recorder()
    queue = JobQueue(max_running=3, budget=100)
    big = queue.submit(rec.job("A", estimate=60))
    second = queue.submit(rec.job("B", estimate=50))  # 60 + 50 > 100: waits
    small = queue.submit(rec.job("C", estimate=10))  # fits, but does not overtake B
    assert rec.begun["A"].wait(WAIT)
    assert (second.state, second.position) == ("waiting", 1)
    assert (small.state, small.position) == ("waiting", 2)
    assert "1 running, 2 waiting, 60 bytes of 100 bytes reserved" == queue.describe()
    rec.release("A")
    assert rec.begun["B"].wait(WAIT) and rec.begun["C"].wait(WAIT)  # 50 + 10 fit together
    rec.release("B")
    rec.release("C")
    assert big.wait(WAIT) and second.wait(WAIT) and small.wait(WAIT)
    assert rec.started == ["A", "B", "C"]


def test_many_jobs_from_many_threads_are_none_lost():
    queue = JobQueue(max_running=2)
    submitted: list[BackgroundJob] = []
    lock = threading.Lock()

    def submit_some(offset):
        for i in range(10):
            job = queue.submit(
                BackgroundJob(lambda progress, cancel, n=offset + i: n, f"Job {offset + i}")
            )
            with lock:
                submitted.append(job)

    threads = [threading.Thread(target=submit_some, args=(k * 10,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert len(submitted) == 40
    assert all(job.wait(WAIT) for job in submitted)
    assert sorted(job.take_result() for job in submitted) == list(range(40))


def test_a_job_is_submitted_or_started_once():
    queue = JobQueue(max_running=1)
    job = queue.submit(BackgroundJob(lambda progress, cancel: None, "Once"))
    with pytest.raises(RuntimeError):
        queue.submit(job)
    with pytest.raises(RuntimeError):
        job.start()
    assert job.wait(WAIT)


def test_max_jobs_comes_from_the_environment_else_the_cores(monkeypatch):
    monkeypatch.setenv("EMBEDDINGS_MAX_JOBS", "3")
    assert default_max_jobs() == 3 and JobQueue().max_running == 3
    monkeypatch.delenv("EMBEDDINGS_MAX_JOBS")
    import os

    assert default_max_jobs() == (os.cpu_count() or 1)
    monkeypatch.setenv("EMBEDDINGS_MAX_JOBS", "zero")
    with pytest.raises(EmbeddingsError, match="EMBEDDINGS_MAX_JOBS"):
        default_max_jobs()


def test_the_default_queue_is_one_per_process():
    assert jobs.default_queue() is jobs.default_queue()
