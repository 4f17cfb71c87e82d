"""The server's job line: at most N background jobs at once, the rest waiting their turn.

See :class:`JobQueue`; :func:`default_queue` is the one queue of the process, which the
app's :func:`utils.jobs.start_job` submits every long job to.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from typing import TYPE_CHECKING

from .budget import check_memory, human_bytes, memory_budget
from .errors import EmbeddingsError

if TYPE_CHECKING:
    from .jobs import BackgroundJob


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
    >>> from embeddings.jobs import BackgroundJob
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
