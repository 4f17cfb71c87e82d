"""Long work in a worker thread that makes no Streamlit calls, polled by a fragment.

Streamlit stops the script thread at its next ``st.*`` call when the user clicks
anything, so training there would die with the model. A :class:`BackgroundJob` runs a
library function ``fn(progress, cancel)`` in a plain thread that only sets attributes;
pages poll it with ``st.fragment(run_every=...)`` (see :func:`poll_job`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import streamlit as st

from embeddings.errors import Cancelled, EmbeddingsError
from embeddings.progress import CancelToken, Progress


class BackgroundJob:
    """One call of ``fn(progress=..., cancel=...)`` running in a daemon thread.

    Attributes, readable from any thread: ``running``, ``last`` (latest Progress),
    ``events`` (all epoch events, for curves), ``result``, ``error`` (a message),
    ``cancelled``, ``seconds``.
    """

    def __init__(self, fn: Callable[..., Any], label: str = "job"):
        self.fn = fn
        self.label = label
        self.cancel_token = CancelToken()
        self.last: Progress | None = None
        self.events: list[Progress] = []
        self.result: Any = None
        self.error: str | None = None
        self.cancelled = False
        self.running = False
        self.consumed = False
        self.seconds = 0.0
        self._started = 0.0
        self._thread: threading.Thread | None = None

    def start(self) -> BackgroundJob:
        self.running = True
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._run, name=self.label, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            self.result = self.fn(progress=self._on_progress, cancel=self.cancel_token)
        except Cancelled as exc:
            self.cancelled = True
            self.error = str(exc)
        except EmbeddingsError as exc:
            self.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - shown as a message, never a traceback
            self.error = f"{self.label} failed unexpectedly: {exc!r}"
        finally:
            self.seconds = time.monotonic() - self._started
            self.running = False

    def _on_progress(self, event: Progress) -> None:
        self.last = event
        if event.stage == "epoch":
            self.events.append(event)

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds; True when finished."""
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.running

    def cancel(self) -> None:
        self.cancel_token.cancel()

    @property
    def fraction(self) -> float:
        return (self.last.fraction or 0.0) if self.last is not None else 0.0

    @property
    def message(self) -> str:
        if self.last is None:
            return "starting…"
        return f"{self.last.stage}: {self.last.message}"

    @property
    def elapsed(self) -> float:
        return self.seconds if not self.running else time.monotonic() - self._started


def progress_bar(job: BackgroundJob, key: str | None = None) -> None:
    """A progress bar with the job's latest message and a Cancel button."""
    cols = st.columns([5, 1])
    cols[0].progress(job.fraction, text=f"{job.message} · {job.elapsed:.0f} s")
    if job.running and cols[1].button("Cancel", key=key or f"cancel_{id(job)}"):
        job.cancel()
