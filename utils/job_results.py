"""Results that pages compute from a model or a corpus, each computed once by a job.

A page that shows something long to compute (co-occurrence counts, a neighbourhood
overlap, cross-validation, benchmark scores) asks :func:`job_result` for it under a key
naming the model's content version and every option
(:func:`utils.cache_keys.cache_key`). A result computed before, by any session, comes
back at once, so a rerun recomputes nothing. Otherwise the computation starts as a job
(:func:`utils.jobs.start_job`: the server's queue, the memory estimate checked against
the budget, progress naming the stage, a Cancel button) and the page draws without it:
:func:`job_result` returns None

- while the job runs (its progress panel stands where the result will be drawn),
- after a failure (the error is shown; the same options would fail again),
- after a Cancel (a warning and a button to start again: a cancelled computation is
  never restarted by itself, so the page stays usable without it).

Changing an option while a job runs cancels that job and starts the one now asked for.

Example
-------
>>> counts = job_result(  # doctest: +SKIP
...     "cooc_job",
...     cache_key(corpus_id, window=2),
...     lambda progress, cancel: count_cooccurrences(path, 2, progress=progress, cancel=cancel),
...     "Counting co-occurrences",
...     estimate=cooccurrence_memory_estimate(stats.word_counts, 2),
... )
>>> if counts is None:  # doctest: +SKIP
...     st.stop()
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from embeddings.errors import EmbeddingsError
from utils.jobs import job_panel, start_job

_LOCK = threading.Lock()


@st.cache_resource(show_spinner=False)
def _kept() -> dict[str, OrderedDict]:
    # In a Streamlit cache, so clearing the caches also forgets these results.
    return {}


def kept_result(job_key: str, result_key: str) -> tuple[bool, Any]:
    """``(True, result)`` when ``result_key`` was computed under ``job_key``, else
    ``(False, None)``; the entry becomes the most recently used."""
    with _LOCK:
        kept = _kept().setdefault(job_key, OrderedDict())
        if result_key not in kept:
            return False, None
        kept.move_to_end(result_key)
        return True, kept[result_key]


def keep_result(job_key: str, result_key: str, result: Any, keep: int) -> None:
    """Keep ``result``; past ``keep`` results under ``job_key`` the least recently used goes."""
    with _LOCK:
        kept = _kept().setdefault(job_key, OrderedDict())
        kept[result_key] = result
        kept.move_to_end(result_key)
        while len(kept) > keep:
            kept.popitem(last=False)


def _for_key(job_key: str) -> str:
    return f"{job_key}_for"


def job_result(
    job_key: str,
    result_key: str,
    fn: Callable[..., Any],
    label: str,
    *,
    estimate: int | None = None,
    stages: Mapping[str, str] | None = None,
    keep: int = 4,
    again: str = "Compute again",
) -> Any | None:
    """The result of ``fn(progress=..., cancel=...)`` for ``result_key``, or None for now.

    Parameters
    ----------
    job_key : str
        Where the session keeps the job (``st.session_state[job_key]``); also names the
        group of kept results and the job's buttons (``{job_key}_cancel``,
        ``{job_key}_again``).
    result_key : str
        Identifies the result: the model's content version and every option.
    fn : callable
        The library call; it must make no Streamlit calls (it runs in a worker thread).
    label : str
        What the job does, shown until its first progress event ("Counting co-occurrences").
    estimate : int, optional
        Bytes the job will hold at its peak; past the memory budget nothing starts and
        the error is shown.
    stages : mapping, optional
        Names of the job's progress stages, beyond :data:`embeddings.jobs.STAGE_NAMES`.
    keep : int
        How many results of this group the server keeps (least recently used go first).
    again : str
        The label of the button that starts a cancelled computation again.

    Returns
    -------
    Any or None
        The result, or None while it is being computed, after a failure or a Cancel.
    """
    found, result = kept_result(job_key, result_key)
    if found:
        return result
    job = st.session_state.get(job_key)
    if job is not None and st.session_state.get(_for_key(job_key)) == result_key:
        if job.running:
            job_panel(job_key)
            return None
        if job.state == "done":
            keep_result(job_key, result_key, job.result, keep)
            return job.result
        (st.warning if job.cancelled else st.error)(job.error)
        if not (job.cancelled and st.button(again, key=f"{job_key}_again")):
            return None
    elif job is not None and job.running:
        job.cancel()  # its options are no longer the page's: nobody waits for it
    # No job stays under the key until the new one starts, so a refused start (over the
    # memory budget) never leaves an older job's result standing for these options.
    st.session_state.pop(job_key, None)
    st.session_state[_for_key(job_key)] = result_key
    try:
        start_job(job_key, fn, label, stages=stages, estimate=estimate)  # reruns the page
    except EmbeddingsError as exc:
        st.error(str(exc))
    return None


__all__ = ["job_result", "keep_result", "kept_result"]
