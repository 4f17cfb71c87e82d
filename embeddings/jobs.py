"""Long library calls in a background thread, watched from another thread.

A :class:`BackgroundJob` runs one call ``fn(progress=..., cancel=...)`` (the progress and
cancellation protocol of :mod:`embeddings.progress`) in a daemon thread. The worker only
sets plain attributes, so any other thread (a user interface polling twice a second, a
test) can read how far it got, cancel it, wait for it and take its result. Errors a user
can cause (:class:`~embeddings.errors.EmbeddingsError`) become their one-line message;
anything unexpected becomes a one-line message too (the traceback goes to the log).

Example
-------
>>> from embeddings.progress import Progress
>>> def count(progress, cancel):
...     for i in range(1, 4):
...         cancel.check()
...         progress(Progress("count", i, 3, f"{i:,} of 3 items"))
...     return "counted"
>>> job = BackgroundJob(count, "Counting", stages={"count": "Counting"}).start()
>>> job.wait(30)
True
>>> job.message, job.fraction, job.error
('Counting: 3 of 3 items', 1.0, None)
>>> job.take_result()
'counted'
>>> job.take_result() is None  # a result is handed out exactly once
True

A server shared by many people runs its jobs through a :class:`JobQueue` (in
:mod:`embeddings.job_queue`, importable from here): at most
``max_running`` at once, the rest waiting in line (first come, first served):

>>> queue = JobQueue(max_running=1)
>>> job = queue.submit(BackgroundJob(count, "Counting"))
>>> job.wait(30), job.state, job.position
(True, 'done', 0)
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from .errors import Cancelled, EmbeddingsError
from .progress import CancelToken, Progress

log = logging.getLogger(__name__)

#: How the library's progress stages are named to a person.
STAGE_NAMES: dict[str, str] = {
    "read": "Reading",
    "tokenize": "Tokenizing",
    "vocab": "Building the vocabulary",
    "epoch": "Training",
    "save": "Saving the model",
    "load": "Loading",
    "evaluate": "Evaluating",
    "cooccur": "Counting co-occurrences",
    "ppmi": "Computing PPMI",
    "compare": "Comparing neighbourhoods",
    "align": "Aligning the models",
    "classify": "Classifying",
    "fit": "Fitting",
    "docvec": "Document vectors",
    "pca": "PCA",
    "tsne": "t-SNE",
    "umap": "UMAP",
}


class BackgroundJob:
    """One call of ``fn(progress=..., cancel=...)`` running in a daemon thread.

    Parameters
    ----------
    fn : callable
        The work. It receives a progress callback and a
        :class:`~embeddings.progress.CancelToken` as keyword arguments; what it returns
        becomes :attr:`result`.
    label : str
        What the job does, for people ("Training news-w2v"). It names the job until the
        first progress event arrives and in the message of an unexpected failure.
    stages : mapping, optional
        Names of progress stages for people, added to (or overriding)
        :data:`STAGE_NAMES`; an unknown stage is shown capitalised.
    estimate : int, optional
        Bytes the job will hold at its peak; a :class:`JobQueue` refuses it past the
        memory budget and holds it back while the running jobs leave too little room.
    owner : str, optional
        Whose job it is (a workspace token), for the operator's view of the server.

    Attributes
    ----------
    state : str
        ``"waiting"`` (not started yet, or in a queue's line), ``"running"``, ``"done"``,
        ``"failed"`` or ``"cancelled"``.
    running : bool
        True from :meth:`start` (or :meth:`JobQueue.submit`) until the job has ended,
        waiting in a queue included: "not finished yet".
    last : Progress or None
        The latest progress event.
    result : Any
        What ``fn`` returned (None until it has, or when it failed).
    error : str or None
        The one-line message of a failure or cancellation.
    cancelled : bool
        True when the job ended because it was cancelled.

    Every attribute and property may be read from any thread.
    """

    def __init__(
        self,
        fn: Callable[..., Any],
        label: str,
        stages: Mapping[str, str] | None = None,
        estimate: int | None = None,
        owner: str | None = None,
    ):
        self.fn = fn
        self.label = label
        self.owner = owner
        self.stages = {**STAGE_NAMES, **(stages or {})}
        self.estimate = None if estimate is None else int(estimate)
        self.state = "waiting"
        self.cancel_token = CancelToken()
        self.last: Progress | None = None
        self.result: Any = None
        self.error: str | None = None
        self.exception: EmbeddingsError | None = None  # the library's own error, if any
        self.cancelled = False
        self.running = False
        self._events: list[Progress] = []
        self._started: float | None = None
        self._ended: float | None = None
        self._taken = False
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._finished = threading.Event()
        self._queue: JobQueue | None = None

    def start(self) -> BackgroundJob:
        """Start the worker thread now (outside any queue); returns the job.

        A job starts once; use :meth:`JobQueue.submit` instead to wait for a free slot.
        """
        if self._thread is not None or self._queue is not None:
            raise RuntimeError(f"{self.label}: the job was already started.")
        self.running = True
        self._launch()
        return self

    def _launch(self) -> None:
        self.state = "running"
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._run, name=self.label, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        state = "failed"
        try:
            self.cancel_token.check()  # cancelled in the instant between its turn and now
            self.result = self.fn(progress=self._on_progress, cancel=self.cancel_token)
            state = "done"
        except Cancelled as exc:
            self.cancelled = True
            self.error = str(exc)
            state = "cancelled"
        except EmbeddingsError as exc:
            self.error = str(exc)
            self.exception = exc  # callers may act on it (a name taken meanwhile, say)
        except Exception as exc:  # noqa: BLE001 - shown as one line; the log keeps the traceback
            log.exception("%s failed", self.label)
            self.error = f"{self.label} failed: {type(exc).__name__}: {exc}"
        finally:
            self._end(state)

    def _end(self, state: str) -> None:
        self._ended = time.monotonic()
        self.state = state
        if self._queue is not None:  # the slot is free before anyone sees the end
            self._queue._release(self)
        self.running = False
        self._finished.set()

    def _on_progress(self, event: Progress) -> None:
        self.last = event
        if event.stage == "epoch":
            self._events.append(event)

    @property
    def events(self) -> list[Progress]:
        """The epoch events so far, oldest first (a copy: safe to iterate)."""
        return list(self._events)

    @property
    def seconds(self) -> float:
        """Seconds since the start while running; the whole run time once finished."""
        if self._started is None:
            return 0.0
        end = self._ended if self._ended is not None else time.monotonic()
        return end - self._started

    @property
    def fraction(self) -> float:
        """Share of the current stage done, in [0, 1] (0 while unknown)."""
        last = self.last
        return (last.fraction or 0.0) if last is not None else 0.0

    @property
    def position(self) -> int:
        """1-based place in its queue's waiting line; 0 once running (or outside a queue)."""
        queue = self._queue
        return queue.position(self) if queue is not None and self.state == "waiting" else 0

    @property
    def message(self) -> str:
        """What is happening, stage named: ``"Tokenizing: 12,000 documents"``.

        While the job waits in a queue: ``"Waiting: 2 jobs ahead"``.
        """
        position = self.position
        if position:
            ahead = position - 1
            if ahead == 0:
                return "Waiting: next in line (the server is busy)"
            return f"Waiting: {ahead} job{'s' if ahead > 1 else ''} ahead"
        last = self.last
        if last is None:
            return f"{self.label}…"
        stage = self.stages.get(last.stage, last.stage.capitalize())
        if not last.message:
            return stage
        if last.message.lower().startswith(stage.lower()):  # says the stage itself
            return stage + last.message[len(stage) :]
        return f"{stage}: {last.message}"

    def wait(self, timeout: float) -> bool:
        """Wait at most ``timeout`` seconds for the job to end; True when it has ended."""
        if self._thread is None and self._queue is None:
            return not self.running
        self._finished.wait(timeout)
        return not self.running

    def cancel(self) -> None:
        """Ask the work to stop at its next safe point (from any thread).

        A job still waiting in a queue leaves the line at once and never starts.
        """
        self.cancel_token.cancel()
        queue = self._queue
        if queue is not None and queue._withdraw(self):
            self.cancelled = True
            self.error = f"{self.label}: cancelled before it started."
            self._end("cancelled")

    def take_result(self) -> Any:
        """The result of a successful job, handed out exactly once (even across threads).

        Returns None while the job runs, after a failure, and on every later call, so
        code that acts on a finished job ("make the new model the active one") acts once.
        """
        with self._lock:
            if self.state != "done" or self._taken:
                return None
            self._taken = True
            return self.result

    def __repr__(self) -> str:
        return f"<BackgroundJob {self.label!r} {self.state} {self.seconds:.1f} s>"


# The queue lives in its own module; importing it here keeps one import for callers.
from .job_queue import JobQueue, default_max_jobs, default_queue  # noqa: E402

__all__ = ["STAGE_NAMES", "BackgroundJob", "JobQueue", "default_max_jobs", "default_queue"]
