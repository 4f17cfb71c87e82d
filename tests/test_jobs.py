"""BackgroundJob: one library call in a worker thread, watched and cancelled from outside."""

import threading

import pytest

from embeddings.errors import CorpusError
from embeddings.jobs import BackgroundJob
from embeddings.progress import Progress

WAIT = 30  # seconds; every wait is bounded so a broken job fails the test, not the suite


def _gated(gate: threading.Event):
    """Work that reports one tokenize event, then waits for ``gate`` (checking cancel)."""

    def work(progress, cancel):
        progress(Progress("tokenize", 12_000, 48_000, "12,000 documents"))
        while not gate.wait(0.01):
            cancel.check()
        progress(Progress("save", 0, None, ""))
        return {"documents": 48_000}

    return work


def test_success_reports_stage_named_progress_and_the_result():
    gate = threading.Event()
    job = BackgroundJob(_gated(gate), "Preparing notes.txt").start()
    assert job.running and job.take_result() is None  # nothing to take while running
    assert not job.wait(0.05)
    while job.last is None:
        job.wait(0.01)
    assert job.message == "Tokenizing: 12,000 documents" and job.fraction == 0.25
    gate.set()
    assert job.wait(WAIT)
    assert not job.running and job.error is None and not job.cancelled
    assert job.message == "Saving the model" and job.fraction == 0.0
    assert job.result == {"documents": 48_000}
    seconds = job.seconds
    assert seconds > 0 and job.wait(0.01) and job.seconds == seconds  # frozen once ended


def test_message_names_the_job_before_the_first_event_and_stages_can_be_renamed():
    gate = threading.Event()
    job = BackgroundJob(_gated(gate), "Preparing notes.txt", stages={"tokenize": "Splitting"})
    assert job.message == "Preparing notes.txt…" and job.seconds == 0.0
    job.start()
    gate.set()
    assert job.wait(WAIT)
    job.last = Progress("tokenize", 1, 2, "1 of 2 files")
    assert job.message == "Splitting: 1 of 2 files"
    job.last = Progress("mystery", 1, 2, "half")
    assert job.message == "Mystery: half"
    job.last = Progress("vocab", 0, None, "building the vocabulary")
    assert job.message == "Building the vocabulary"  # the stage is not said twice


def test_a_library_error_becomes_its_message():
    def work(progress, cancel):
        raise CorpusError("No tokens found in 2 documents: try another tokenizer.")

    job = BackgroundJob(work, "Preparing the corpus").start()
    assert job.wait(WAIT)
    assert job.error == "No tokens found in 2 documents: try another tokenizer."
    assert not job.cancelled and job.result is None and job.take_result() is None


def test_an_unexpected_exception_becomes_one_line_not_a_traceback():
    def work(progress, cancel):
        return {}["missing"]

    job = BackgroundJob(work, "Loading vectors.bin").start()
    assert job.wait(WAIT)
    assert job.error == "Loading vectors.bin failed: KeyError: 'missing'"
    assert "Traceback" not in job.error and "\n" not in job.error


def test_cancel_stops_the_work_at_its_next_check():
    gate = threading.Event()  # never set: only cancelling ends the work
    job = BackgroundJob(_gated(gate), "Training").start()
    job.cancel()
    assert job.wait(WAIT)
    assert job.cancelled and job.error == "Cancelled by the user; nothing was changed."
    assert job.result is None and job.take_result() is None


def test_take_result_hands_the_result_out_once_across_threads():
    job = BackgroundJob(lambda progress, cancel: "model", "Training").start()
    assert job.wait(WAIT)
    taken: list = []
    barrier = threading.Barrier(8)

    def take():
        barrier.wait(WAIT)
        taken.append(job.take_result())

    threads = [threading.Thread(target=take) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT)
    assert taken.count("model") == 1 and taken.count(None) == 7
    assert job.take_result() is None and job.result == "model"  # still readable


def test_wait_returns_false_when_the_timeout_passes_first():
    gate = threading.Event()
    job = BackgroundJob(_gated(gate), "Training").start()
    assert job.wait(0.1) is False and job.running
    gate.set()
    assert job.wait(WAIT) is True


def test_epoch_events_are_kept_for_curves():
    def work(progress, cancel):
        progress(Progress("vocab", 0, None, "building the vocabulary"))
        for epoch in (1, 2, 3):
            progress(Progress("epoch", epoch, 3, f"epoch {epoch}/3", {"loss": 1.0 / epoch}))
        return "done"

    job = BackgroundJob(work, "Training").start()
    assert job.wait(WAIT)
    assert [e.metrics["loss"] for e in job.events] == [1.0, 0.5, pytest.approx(1 / 3)]
    assert job.message == "Training: epoch 3/3"


def test_a_job_starts_once():
    job = BackgroundJob(lambda progress, cancel: 1, "Counting").start()
    assert job.wait(WAIT)
    with pytest.raises(RuntimeError, match="already started"):
        job.start()
