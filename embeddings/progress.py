"""A small progress and cancellation protocol for long jobs.

Library functions that take time accept ``progress: ProgressCallback | None`` and
``cancel: CancelToken | None``. They call ``progress(Progress(...))`` now and then and
``cancel.check()`` at safe points. The app maps the events to ``st.progress`` (from a
worker thread, by storing the last event and polling it); the command line maps them to
a bar on stderr with :class:`StderrProgress`.

Example
-------
>>> events = []
>>> report = events.append
>>> report(Progress(stage="epoch", done=1, total=5, message="epoch 1/5"))
>>> events[0].fraction
0.2
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import Cancelled


@dataclass(frozen=True)
class Progress:
    """One progress event.

    Parameters
    ----------
    stage : str
        What is running: ``"read"``, ``"tokenize"``, ``"vocab"``, ``"epoch"``, ``"load"``,
        ``"project"``, ``"evaluate"``, ...
    done, total : float
        Units done so far and in all (``total=None`` when unknown).
    message : str
        A short line a person can read.
    metrics : dict
        Numbers worth plotting (``loss``, ``words_per_s``, ``elapsed_s``, ...).
    """

    stage: str
    done: float
    total: float | None = None
    message: str = ""
    metrics: dict[str, Any] = field(default_factory=dict)

    @property
    def fraction(self) -> float | None:
        """``done / total`` clipped to [0, 1], or None when the total is unknown."""
        if not self.total:
            return None
        return max(0.0, min(1.0, self.done / self.total))


ProgressCallback = Callable[[Progress], None]


def report(progress: ProgressCallback | None, event: Progress) -> None:
    """Send ``event`` to ``progress`` if there is a callback."""
    if progress is not None:
        progress(event)


class CancelToken:
    """A flag a worker checks at safe points; ``cancel()`` may be called from any thread."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` if cancellation was requested."""
        if self._event.is_set():
            raise Cancelled("Cancelled by the user; nothing was changed.")


def check_cancel(cancel: CancelToken | None) -> None:
    """``cancel.check()`` when there is a token."""
    if cancel is not None:
        cancel.check()


class StderrProgress:
    """A progress callback for the command line: one rewritten line on stderr.

    It draws at most every ``interval`` seconds (and always on the first and the last
    event of a stage), so a fast loop does not spend its time printing, and a long stage
    that reports only its start (a UMAP layout) is shown while it runs.
    """

    def __init__(self, stream=None, width: int = 30, interval: float = 0.2, enabled: bool = True):
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.interval = interval
        self.enabled = enabled
        self._last = 0.0
        self._open_line = False
        self._stage: str | None = None

    def __call__(self, event: Progress) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        final = event.total is not None and event.done >= event.total
        if not final and event.stage == self._stage and now - self._last < self.interval:
            return
        self._last = now
        self._stage = event.stage
        frac = event.fraction
        if frac is None:
            bar = f"{event.done:,.0f}"
        else:
            filled = int(round(frac * self.width))
            bar = "[" + "#" * filled + "." * (self.width - filled) + f"] {frac * 100:5.1f}%"
        line = f"\r{event.stage}: {bar} {event.message}"
        self.stream.write(line[:200].ljust(80))
        self._open_line = True
        if final:
            self.stream.write("\n")
            self._open_line = False
        self.stream.flush()

    def close(self) -> None:
        if self._open_line and self.enabled:
            self.stream.write("\n")
            self.stream.flush()
            self._open_line = False
