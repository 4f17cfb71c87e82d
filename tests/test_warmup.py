"""The start-up warm-up: the lab's numba kernels are readied with the types real calls
use (so no later call compiles, and none waits for numba's compiler lock), and nothing
waits for a warm-up that never started."""

from __future__ import annotations

import threading

import numpy as np

from embeddings.corpus import cooccurrence_kernels
from embeddings.corpus.cooccurrence import compile_kernels as compile_cooccurrence_kernels
from embeddings.corpus.cooccurrence import count_cooccurrences
from embeddings.train import glove_kernels
from embeddings.train.glove import GloVe
from embeddings.train.glove import compile_kernels as compile_glove_kernels

KERNELS = (
    cooccurrence_kernels.count_pairs,
    cooccurrence_kernels.rehash,
    cooccurrence_kernels.collect,
    glove_kernels.epoch_serial,
    glove_kernels.epoch_parallel,
)


def _signatures():
    return [list(kernel.signatures) for kernel in KERNELS]


def test_real_counting_and_training_find_every_kernel_ready(lee_sentences, tmp_path):
    compile_cooccurrence_kernels()
    compile_glove_kernels()
    ready = _signatures()
    assert all(ready), "a kernel was not compiled ahead"
    # A real corpus from a file: the hash table outgrows its first size (rehash).
    path = tmp_path / "lee.txt"
    path.write_text("\n".join(" ".join(s) for s in lee_sentences) + "\n", encoding="utf-8")
    cooc = count_cooccurrences(path, window=10, weighting="harmonic")
    assert cooc.nnz > 0.6 * (1 << 16)  # more pairs than the first table holds
    count_cooccurrences(lee_sentences[:20], window=2, weighting="count")
    GloVe(vector_size=8, epochs=1, workers=1).fit(cooc)
    GloVe(vector_size=8, epochs=1, workers=2).fit(cooc)
    assert _signatures() == ready  # nothing new compiled: the types were the same


def test_nothing_waits_for_a_warm_up_that_never_started(monkeypatch):
    from utils import warmup

    monkeypatch.setattr(warmup, "_started", False)
    monkeypatch.setattr(warmup, "_done", threading.Event())
    assert warmup.wait_for_warmup(timeout=30) is True


def test_the_warm_up_readies_the_labs_kernels_first(monkeypatch):
    from utils import warmup

    seen = {}

    def umap_after_the_kernels():  # stands in for UMAP's 40 s compilation
        seen.update(warmup.warmup_status())
        return 0.0

    monkeypatch.setattr(warmup, "warm_umap", umap_after_the_kernels)
    monkeypatch.setattr(warmup, "_state", dict(warmup._state))
    monkeypatch.setattr(warmup, "_done", threading.Event())
    thread = threading.Thread(target=warmup._run)  # it lowers its own thread's priority
    thread.start()
    thread.join()
    assert seen["step"] == "umap" and np.isfinite(seen["kernel_seconds"])
    assert all(kernel.signatures for kernel in KERNELS)
    state = warmup.warmup_status()
    assert state["status"] == "done" and state["error"] is None and warmup._done.is_set()
