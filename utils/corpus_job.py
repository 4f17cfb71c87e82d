"""Preparing a corpus in a worker thread, so clicks elsewhere neither kill nor lose it.

Streamlit stops a script at its next ``st.*`` call when the user interacts, so a long
tokenization run in the script thread would die. :class:`PrepareJob` runs
:func:`embeddings.corpus.sources.prepare_corpus` in a plain thread that makes no Streamlit
calls; it only sets attributes, which the page polls from a fragment
(:func:`job_progress`). :func:`show_finished_job` takes a finished job's result once.
"""

from __future__ import annotations

import threading
import time

import streamlit as st

from embeddings.corpus.sentences import PreparedCorpus
from embeddings.corpus.sources import CorpusSource, prepare_corpus
from embeddings.errors import EmbeddingsError
from embeddings.progress import CancelToken, Progress
from embeddings.vectors.store import ModelStore


class PrepareJob:
    """One corpus preparation running in the background.

    Attributes (read them from any thread): ``running``, ``last`` (the latest
    :class:`~embeddings.progress.Progress`), ``result`` (a PreparedCorpus once done),
    ``error`` (a message once failed or cancelled), ``seconds`` and ``consumed`` (set by
    the page once it has taken the result).
    """

    def __init__(self, source: CorpusSource, tokenizer: str, options: dict | None = None):
        self.source = source
        self.tokenizer = tokenizer
        self.options = dict(options or {})
        self.cancel_token = CancelToken()
        self.last: Progress | None = None
        self.result: PreparedCorpus | None = None
        self.error: str | None = None
        self.running = False
        self.consumed = False
        self.seconds = 0.0
        self._thread: threading.Thread | None = None

    def start(self) -> PrepareJob:
        self.running = True
        self._thread = threading.Thread(target=self._run, name="prepare-corpus", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        started = time.monotonic()
        try:
            self.result = prepare_corpus(
                self.source,
                self.tokenizer,
                progress=self._on_progress,
                cancel=self.cancel_token,
                cache=ModelStore().corpus_cache,  # the app's store (utils.state.get_store)
                **self.options,
            )
        except EmbeddingsError as exc:
            self.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a traceback
            self.error = f"Preparing the corpus failed unexpectedly: {exc!r}"
        finally:
            self.seconds = time.monotonic() - started
            self.running = False

    def _on_progress(self, event: Progress) -> None:
        self.last = event

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds; True when the job has finished."""
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
        return self.last.message if self.last is not None else "starting…"


def job_running(key: str) -> bool:
    job = st.session_state.get(key)
    return job is not None and job.running


def start_job(key: str, source: CorpusSource, tokenizer: str, options: dict) -> None:
    """Start preparing in the background, wait a moment (small corpora finish), rerun."""
    st.session_state[key] = PrepareJob(source, tokenizer, options).start()
    st.session_state[key].wait(1.0)
    st.rerun()


def show_finished_job(key: str, on_result) -> None:
    """Report the last finished job; hand its result to ``on_result`` once.

    A failed or cancelled job shows its message and changes nothing, so the previous
    active corpus stays.
    """
    job = st.session_state.get(key)
    if job is None or job.running:
        return
    if not job.consumed:
        job.consumed = True
        if job.result is not None:
            on_result(job.result)
    if job.result is not None:
        st.success(
            f"Prepared **{job.result.name}** in {job.seconds:.1f} s: "
            f"{job.result.stats.documents:,} documents, {job.result.stats.tokens:,} tokens. "
            "It is now the active corpus."
        )
    else:
        st.error(job.error)


def job_progress(key: str) -> None:
    """A progress bar and a Cancel button, refreshed twice a second while the job runs."""
    if not job_running(key):
        return

    @st.fragment(run_every=0.5)
    def _progress():
        job = st.session_state.get(key)
        if job is None or not job.running:
            st.rerun()  # the whole page then shows the result
        st.progress(job.fraction, text=f"Tokenizing: {job.message}")
        st.button("Cancel", key=f"{key}_cancel", on_click=job.cancel)

    _progress()
