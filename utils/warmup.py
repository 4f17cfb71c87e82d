"""Process-wide background warm-up of slow first calls (numba compilation), once per server.

UMAP compiles its numba code on its first fit in a process (about 8 s below 4,096 points
and about 30 s on the pynndescent path at 4,096 points and above; the on-disk cache does
not remove it). A daemon thread pays that once per server process at start-up, on a
small random input, so the first user does not.
"""

from __future__ import annotations

import os
import threading
import time

_lock = threading.Lock()
_started = False
_state: dict = {"status": "idle", "seconds": None, "error": None}
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


def _run() -> None:
    _state["status"] = "running"
    try:
        # Lower this thread's priority so page scripts stay responsive (Linux: per thread).
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):
        pass
    try:
        _state["seconds"] = warm_umap()
        _state["status"] = "done"
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
    """``{"status": idle|running|done|failed, "seconds", "error"}`` of the warm-up."""
    return dict(_state)


def wait_for_warmup(timeout: float | None = None) -> bool:
    """Block until the warm-up has finished (True) or ``timeout`` passed (False)."""
    return _done.wait(timeout)
