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

A server shared by many people runs its jobs through a :class:`JobQueue`: at most
``max_running`` at once, the rest waiting in line (first come, first served):

>>> queue = JobQueue(max_running=1)
>>> job = queue.submit(BackgroundJob(count, "Counting"))
>>> job.wait(30), job.state, job.position
(True, 'done', 0)
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

from .budget import check_memory, human_bytes, memory_budget
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
    "compare": "Comparing",
    "classify": "Classifying",
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
    ):
        self.fn = fn
        self.label = label
        self.stages = {**STAGE_NAMES, **(stages or {})}
        self.estimate = None if estimate is None else int(estimate)
        self.state = "waiting"
        self.cancel_token = CancelToken()
        self.last: Progress | None = None
        self.result: Any = None
        self.error: str | None = None
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
        except Exception as exc:  # noqa: BLE001 - shown as one line; the log keeps the traceback
            log.exception("%s failed", self.label)
            self.error = f"{self.label} failed: {type(exc).__name__}: {exc}"
        finally:
            self._end(state)

    def _end(self, state: str) -> None:
        self._ended = time.monotonic()
        self.state = state
        self.running = False
        self._finished.set()
        if self._queue is not None:
            self._queue._release(self)

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


def default_max_jobs() -> int:
    """How many jobs may run at once: ``$EMBEDDINGS_MAX_JOBS``, else the number of cores."""
    env = os.environ.get("EMBEDDINGS_MAX_JOBS", "").strip()
    if not env:
        return os.cpu_count() or 1
    try:
        value = int(env)
    except ValueError:
        value = 0
    if value < 1:
        raise EmbeddingsError(
            f"EMBEDDINGS_MAX_JOBS is {env!r}; set it to a whole number of 1 or more."
        )
    return value


class JobQueue:
    """At most ``max_running`` jobs at once; the rest wait their turn, first come first served.

    A job submitted with a memory estimate is refused at once when the estimate alone
    exceeds the budget (:func:`embeddings.budget.check_memory`), and waits while the
    running jobs' estimates plus its own would. The line is strict: a job never
    overtakes the one ahead of it, so a large job is not starved by small ones.

    Parameters
    ----------
    max_running : int, optional
        Jobs running at once; default :func:`default_max_jobs`.
    budget : int, optional
        Bytes all running jobs may hold together; default
        :func:`embeddings.budget.memory_budget` (read at each submission).

    Example
    -------
    >>> import threading
    >>> gate = threading.Event()
    >>> queue = JobQueue(max_running=1)
    >>> first = queue.submit(BackgroundJob(lambda progress, cancel: gate.wait(30), "A"))
    >>> second = queue.submit(BackgroundJob(lambda progress, cancel: None, "B"))
    >>> (first.state, first.position), (second.state, second.position)
    (('running', 0), ('waiting', 1))
    >>> gate.set(); second.wait(30), second.state
    (True, 'done')
    """

    def __init__(self, max_running: int | None = None, budget: int | None = None):
        self.max_running = default_max_jobs() if max_running is None else int(max_running)
        if self.max_running < 1:
            raise ValueError("max_running must be 1 or more")
        self._budget = budget
        self._lock = threading.Lock()
        self._waiting: deque[BackgroundJob] = deque()
        self._running: list[BackgroundJob] = []

    @property
    def budget(self) -> int:
        """Bytes all running jobs may hold together."""
        return memory_budget() if self._budget is None else self._budget

    def submit(self, job: BackgroundJob) -> BackgroundJob:
        """Put ``job`` in line (it starts at once when a slot and the memory are free).

        Raises
        ------
        ResourceLimitError
            When the job's estimate alone exceeds the budget; it is then not queued.
        """
        if job._thread is not None or job._queue is not None:
            raise RuntimeError(f"{job.label}: the job was already started.")
        if job.estimate is not None:
            check_memory(job.estimate, job.label, budget=self.budget)
        with self._lock:
            job._queue = self
            job.state = "waiting"
            job.running = True
            self._waiting.append(job)
            self._start_ready()
        return job

    def position(self, job: BackgroundJob) -> int:
        """1-based place of ``job`` in the waiting line; 0 when it is not waiting."""
        with self._lock:
            for place, waiting in enumerate(self._waiting, start=1):
                if waiting is job:
                    return place
        return 0

    @property
    def waiting(self) -> list[BackgroundJob]:
        """The jobs in line, first first (a copy)."""
        with self._lock:
            return list(self._waiting)

    @property
    def active(self) -> list[BackgroundJob]:
        """The running jobs (a copy)."""
        with self._lock:
            return list(self._running)

    def describe(self) -> str:
        """One line for people: ``"2 running, 3 waiting, 1.2 GiB of 4.0 GiB reserved"``."""
        with self._lock:
            running, waiting = len(self._running), len(self._waiting)
            reserved = sum(job.estimate or 0 for job in self._running)
        return (
            f"{running} running, {waiting} waiting, {human_bytes(reserved)} of "
            f"{human_bytes(self.budget)} reserved"
        )

    def _start_ready(self) -> None:
        # Called with the lock held; starts the head of the line while it fits.
        budget = self.budget
        while self._waiting and len(self._running) < self.max_running:
            head = self._waiting[0]
            reserved = sum(job.estimate or 0 for job in self._running)
            if self._running and reserved + (head.estimate or 0) > budget:
                break  # waits for memory; the jobs behind it wait too (no overtaking)
            self._waiting.popleft()
            self._running.append(head)
            head._launch()

    def _release(self, job: BackgroundJob) -> None:
        with self._lock:
            if job in self._running:
                self._running.remove(job)
            self._start_ready()

    def _withdraw(self, job: BackgroundJob) -> bool:
        """Take a waiting ``job`` out of line; False when it already runs or ended."""
        with self._lock:
            try:
                self._waiting.remove(job)
            except ValueError:
                return False
            return True


_DEFAULT_QUEUE: JobQueue | None = None
_DEFAULT_LOCK = threading.Lock()


def default_queue() -> JobQueue:
    """The process's one queue, shared by every user of this server (made on first use)."""
    global _DEFAULT_QUEUE
    with _DEFAULT_LOCK:
        if _DEFAULT_QUEUE is None:
            _DEFAULT_QUEUE = JobQueue()
        return _DEFAULT_QUEUE
