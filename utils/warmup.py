"""Process-wide background warm-up of slow first calls (numba compilation), once per server.

numba compiles under one process-wide lock, and a thread that needs a kernel not yet
compiled waits for it, even to load the kernel from numba's on-disk cache. So the
warm-up thread first readies the lab's own kernels (co-occurrence counting and GloVe,
a second or two from the cache), and only then UMAP, which compiles its numba code on
its first fit in a process (about 8 s below 4,096 points and about 30 s on the
pynndescent path at 4,096 points and above; the on-disk cache does not remove it).
Afterwards nothing waits for the warm-up but a UMAP map (:func:`wait_for_umap`).
"""

from __future__ import annotations

import os
import threading
import time

import streamlit as st

from utils.jobs import lower_thread_priority

_lock = threading.Lock()
_started = False
_state: dict = {
    "status": "idle",
    "step": None,
    "started": None,
    "kernel_seconds": None,
    "seconds": None,
    "error": None,
}
_done = threading.Event()

# Both UMAP code paths: the exact one (few points) and pynndescent (>= 4,096 points).
WARMUP_SIZES = (300, 4200)


def warm_umap(sizes=WARMUP_SIZES, dims: int = 8) -> float:
    """Fit UMAP (cosine, 2-D, few epochs) on random data of each size; returns seconds."""
    import warnings

    import numpy as np
    import umap

    t0 = time.perf_counter()
    rng = np.random.default_rng(0)
    for n in sizes:
        x = rng.normal(size=(n, dims)).astype(np.float32)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            umap.UMAP(n_neighbors=15, metric="cosine", n_epochs=5, random_state=1).fit_transform(x)
    return time.perf_counter() - t0


def compile_lab_kernels() -> float:
    """Ready the lab's numba kernels (compiled, or loaded from the on-disk cache); seconds."""
    from embeddings.corpus.cooccurrence import compile_kernels as cooccurrence_kernels
    from embeddings.train.glove import compile_kernels as glove_kernels
    from embeddings.vectors.binary_scan import compile_kernel as binary_scan
    from embeddings.vectors.exact_kernel import compile_kernel as exact_kernel

    t0 = time.perf_counter()
    cooccurrence_kernels()
    glove_kernels()
    exact_kernel()
    binary_scan()
    return time.perf_counter() - t0


def _run() -> None:
    _state.update(status="running", step="kernels", started=time.monotonic())
    try:
        _state["kernel_seconds"] = compile_lab_kernels()
        _state["step"] = "umap"
        # UMAP's long compilation at a lower priority, so page scripts stay responsive.
        lower_thread_priority()
        _state["seconds"] = warm_umap()
        _state.update(status="done", step=None)
    except Exception as exc:  # noqa: BLE001 - a failed warm-up must never break the app
        _state["status"] = "failed"
        _state["error"] = str(exc)
    finally:
        _done.set()


def start_background_warmup() -> None:
    """Start the warm-up thread once per process; returns at once.

    Set ``EMBEDDINGS_NO_WARMUP=1`` to skip it (tests that never use UMAP).
    """
    global _started
    if os.environ.get("EMBEDDINGS_NO_WARMUP"):
        return
    with _lock:
        if _started:
            return
        _started = True
    threading.Thread(target=_run, name="umap-warmup", daemon=True).start()


def warmup_status() -> dict:
    """``{"status": idle|running|done|failed, "step": kernels|umap|None, "started",
    "kernel_seconds", "seconds", "error"}`` of the warm-up (``started``: a
    ``time.monotonic()`` value; ``kernel_seconds``: the lab's kernels; ``seconds``: UMAP)."""
    return dict(_state)


def wait_for_warmup(timeout: float | None = None) -> bool:
    """Block until the warm-up has finished (True) or ``timeout`` passed (False); True at
    once when no warm-up was started (``EMBEDDINGS_NO_WARMUP``)."""
    if not _started:
        return True
    return _done.wait(timeout)


def wait_for_umap(timeout: float = 180) -> None:
    """Before a UMAP map: while the start-up warm-up is still busy, wait for it under a
    spinner that says what the map waits for. Returns at once otherwise."""
    state = warmup_status()
    if state["status"] != "running":
        return
    elapsed = time.monotonic() - state["started"]
    with st.spinner(
        f"Waiting for UMAP's one-time compilation (started with the server {elapsed:.0f} s "
        "ago); the map follows."
    ):
        wait_for_warmup(timeout)
