"""Loading a vectors file into the store as a background job (see :mod:`utils.jobs`)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from embeddings.vectors.importing import import_vectors
from embeddings.vectors.store import suggest_name
from utils.jobs import job_panel, start_job
from utils.state import get_store

JOB_KEY = "load_job"


def start_load(path: Path, original: str, fmt: str, name, limit, temporary: bool) -> None:
    """Start loading ``path`` (shown as ``original``) and storing it; rerun the page.

    With ``temporary``, ``path`` (an upload's copy) is deleted once the job ends.
    """
    store = get_store()

    def work(progress, cancel):
        try:
            return import_vectors(
                path,
                store,
                fmt,
                name=name or suggest_name(original.split(".")[0]),
                limit=limit,
                source=original,
                progress=progress,
                cancel=cancel,
            )
        finally:
            if temporary:
                Path(path).unlink(missing_ok=True)

    start_job(JOB_KEY, work, f"Loading {original}")


def _loaded(card) -> str:
    notes = card.notes or {}
    return (
        f"Loaded **{card.name}** ({notes.get('format')}, {card.vocab_size:,} words × "
        f"{card.vector_size}) in {st.session_state[JOB_KEY].seconds:.1f} s. "
        "It is now the active model."
    )


def load_panel(on_loaded) -> bool:
    """The load's progress (with Cancel) while it runs; once done, its outcome and the
    loader's warnings. The stored model's name goes to ``on_loaded`` once. True while
    loading."""
    if job_panel(JOB_KEY, on_result=lambda card: on_loaded(card.name), success=_loaded):
        return True
    job = st.session_state.get(JOB_KEY)
    if job is not None and job.error is None:
        for warning in (job.result.notes or {}).get("warnings", []):
            st.warning(warning)
    return False


__all__ = ["JOB_KEY", "load_panel", "start_load"]
