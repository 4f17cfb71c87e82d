"""One run on Spark: its job group, progress from the status tracker, cancel, errors.

:class:`SparkRun` is a context manager around the Spark actions of one library call. It
puts them in a job group of their own, starts a thread that polls
``sc.statusTracker()`` twice a second and reports the running stage as
:class:`~embeddings.progress.Progress` events (stage ``"spark"``: tasks done of the stage's
tasks, the job and stage ids and the current phase in the message), and cancels the job
group (``sc.cancelJobGroup``) as soon as the :class:`~embeddings.progress.CancelToken` is
set. Whatever Spark raises inside it leaves as one of the library's errors
(:func:`translate_error`).

Code that runs on the executors reports a user's mistake by raising
:func:`executor_error`: the marker survives the trip through the JVM and the driver
raises the named :class:`~embeddings.errors.EmbeddingsError` subclass with the same line.

Example
-------
>>> with SparkRun(engine, "co-occurrence", progress, cancel) as run:   # doctest: +SKIP
...     run.phase = "vocabulary"
...     counts = rdd.countByValue()
"""

from __future__ import annotations

import re
import threading
import uuid

from .. import errors
from ..errors import Cancelled, CorpusError, EmbeddingsError, EngineError
from ..progress import CancelToken, Progress, ProgressCallback, check_cancel, report

POLL_SECONDS = 0.5
_MARKER = "EMBEDDINGS-ERROR"
_MARKER_RE = re.compile(_MARKER + r"\[(\w+)\]: ([^\n]+)")


def executor_error(kind: type[EmbeddingsError], message: str) -> RuntimeError:
    """An exception for executor code; the driver re-raises it as ``kind(message)``."""
    return RuntimeError(f"{_MARKER}[{kind.__name__}]: {message}")


def translate_error(exc: BaseException, cancelled: bool = False) -> EmbeddingsError:
    """The library error for something Spark raised (a one-line message)."""
    if isinstance(exc, EmbeddingsError):
        return exc
    text = str(exc)
    marked = _MARKER_RE.search(text)
    if marked:
        kind = getattr(errors, marked.group(1), EngineError)
        if not (isinstance(kind, type) and issubclass(kind, EmbeddingsError)):
            kind = EngineError
        return kind(marked.group(2).strip())
    if cancelled or "cancelled" in text.lower() and "job group" in text.lower():
        return Cancelled("Cancelled by the user; the Spark jobs were stopped and nothing was kept.")
    missing = re.search(r"Input path does not exist: (\S+)|\[PATH_NOT_FOUND\][^:]*: (\S+)", text)
    if missing:
        where = (missing.group(1) or missing.group(2)).rstrip(".")
        return CorpusError(f"No corpus at {where}; check the path (Spark reads it from there).")
    if "SparkContext was shut down" in text or "SparkContext has been shutdown" in text:
        return EngineError("The Spark session stopped during the run; start it again.")
    return EngineError(f"Spark failed: {_summary(text)}")


def _summary(text: str) -> str:
    """The most telling line of a JVM/Python stack trace: the Python exception of a
    failed task when there is one, else the first exception line."""
    raw = text.splitlines()
    if "Traceback (most recent call last)" in text:
        after = raw[next(i for i, ln in enumerate(raw) if "Traceback (most" in ln) + 1 :]
        for ln in after:
            if ln and not ln[0].isspace() and re.match(r"[\w.]+(Error|Exception)\b", ln):
                return ln.strip()[:300]
    lines = [ln.strip() for ln in raw if ln.strip()]
    for ln in lines:
        if "Error:" in ln or "Exception:" in ln:
            return ln[:300]
    return (lines[0] if lines else "unknown error")[:300]


class SparkRun:
    """A job group for one library call, with progress and cancellation (see module)."""

    def __init__(
        self,
        engine,
        description: str,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ):
        self.engine = engine
        self.description = description
        self.progress = progress
        self.cancel = cancel
        self.group = f"embeddings-{uuid.uuid4().hex[:12]}"
        self.phase = description
        self.cancelled = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> SparkRun:
        check_cancel(self.cancel)
        self.engine.sc.setJobGroup(self.group, self.description, interruptOnCancel=True)
        self._thread = threading.Thread(target=self._poll, name="spark-progress", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        try:
            self.engine.sc.setLocalProperty("spark.jobGroup.id", None)
        except Exception:  # a stopped context has no properties left to clear
            pass
        if exc is None:
            if self.cancelled:
                raise Cancelled("Cancelled by the user; the Spark jobs were stopped.")
            return False
        if isinstance(exc, EmbeddingsError) and not self.cancelled:
            return False
        if isinstance(exc, Exception):
            raise translate_error(exc, self.cancelled) from None
        return False

    def check(self) -> None:
        """Raise :class:`Cancelled` between actions when cancellation was asked for."""
        if self.cancelled or (self.cancel is not None and self.cancel.cancelled):
            self.cancelled = True
            raise Cancelled("Cancelled by the user; the Spark jobs were stopped.")

    def _poll(self) -> None:
        tracker = self.engine.sc.statusTracker()
        while not self._stop.wait(POLL_SECONDS):
            try:
                if self.cancel is not None and self.cancel.cancelled and not self.cancelled:
                    self.cancelled = True
                    self.engine.sc.cancelJobGroup(self.group)
                self._report(tracker)
            except Exception:  # the context may be stopping; progress is best effort
                return

    def _report(self, tracker) -> None:
        if self.progress is None:
            return
        jobs = sorted(tracker.getJobIdsForGroup(self.group))
        for job_id in reversed(jobs):
            job = tracker.getJobInfo(job_id)
            if job is None or job.status != "RUNNING":
                continue
            stages = [tracker.getStageInfo(s) for s in job.stageIds]
            active = [s for s in stages if s is not None and s.numCompletedTasks < s.numTasks]
            if not active:
                continue
            stage = max(active, key=lambda s: s.stageId)
            report(
                self.progress,
                Progress(
                    "spark",
                    stage.numCompletedTasks,
                    stage.numTasks,
                    f"{self.phase}: job {job_id}, stage {stage.stageId}, "
                    f"{stage.numActiveTasks} task(s) running",
                    {"job": job_id, "stage": stage.stageId, "jobs": len(jobs)},
                ),
            )
            return
