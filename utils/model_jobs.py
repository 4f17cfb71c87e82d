"""Loading a vectors file into the store in a worker thread, polled by a fragment."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from embeddings.vectors.loading import load_vectors
from utils.jobs import BackgroundJob, progress_bar
from utils.state import get_store

JOB_KEY = "load_job"


def start_load(path: Path, original: str, fmt: str, name, limit, temporary: bool) -> None:
    """Start loading ``path`` (shown as ``original``) and storing it; rerun the page."""
    store = get_store()

    def work(progress, cancel):
        try:
            stem = original.split(".")[0]
            kv, card = load_vectors(
                path, fmt, name=name or None, limit=limit, progress=progress, cancel=cancel
            )
            card.source = original
            if name is None:
                from embeddings.vectors.store import suggest_name

                card.name = suggest_name(stem)
            return store.save(kv, card)
        finally:
            if temporary:
                Path(path).unlink(missing_ok=True)

    st.session_state[JOB_KEY] = BackgroundJob(work, label=f"Loading {original}").start()
    st.session_state[JOB_KEY].wait(1.0)
    st.rerun()


def finished_load(on_loaded) -> None:
    """Report the last finished load once; the stored model becomes the active one."""
    job: BackgroundJob | None = st.session_state.get(JOB_KEY)
    if job is None or job.running:
        return
    if job.result is not None:
        card = job.result
        if not job.consumed:
            job.consumed = True
            on_loaded(card.name)
        notes = card.notes or {}
        st.success(
            f"Loaded **{card.name}** ({notes.get('format')}, {card.vocab_size:,} words × "
            f"{card.vector_size}) in {job.seconds:.1f} s. It is now the active model."
        )
        for warning in notes.get("warnings", []):
            st.warning(warning)
    elif job.error:
        st.error(job.error)


def load_job_progress() -> None:
    job: BackgroundJob | None = st.session_state.get(JOB_KEY)
    if job is None or not job.running:
        return

    @st.fragment(run_every=0.5)
    def _poll():
        progress_bar(job, key="load_cancel")
        if not job.running:
            st.rerun(scope="app")

    _poll()


__all__ = ["finished_load", "load_job_progress", "start_load"]
