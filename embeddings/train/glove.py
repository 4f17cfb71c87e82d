"""GloVe (Pennington, Socher and Manning, 2014): a fast trainer.

:class:`GloVe` fits word and context vectors to a co-occurrence matrix by weighted least
squares on ``log X_ij`` with AdaGrad, visiting the entries in a new random order each
epoch, with lock-free parallel updates over all cores. :func:`train_glove` runs the
whole pipeline on a sentence file and returns gensim KeyedVectors (vectors ``W + W~``,
counts set, most frequent word first) plus the per-epoch history.

Example
-------
>>> sents = [["a", "b", "c"], ["a", "b", "d"]] * 20
>>> from embeddings.corpus.cooccurrence import count_cooccurrences
>>> model = GloVe(vector_size=4, epochs=3, workers=1).fit(count_cooccurrences(sents, window=2))
>>> model.vectors_.shape
(4, 4)
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numba
import numpy as np
from gensim.models import KeyedVectors

from ..corpus.cooccurrence import Cooccurrence, count_cooccurrences, weighting_function
from ..errors import TrainingError
from ..progress import CancelToken, Progress, ProgressCallback, check_cancel, report
from . import glove_kernels as kern
from .params import check_params, defaults

_DEFAULTS = defaults("glove")  # the one table of hyper-parameters (params.SPECS)


class GloVe:
    """GloVe estimator over a :class:`~embeddings.corpus.cooccurrence.Cooccurrence`.

    Parameters
    ----------
    vector_size, epochs : int
    x_max, alpha : float
        Weighting ``f(x) = min(1, (x / x_max) ** alpha)``.
    learning_rate : float
        AdaGrad's initial step.
    workers : int or None
        Threads (None: all cores). ``workers=1`` with a fixed seed is reproducible.
    seed : int

    Attributes
    ----------
    vectors_ : ndarray (V, vector_size), float32
        ``W + W~``.
    word_vectors_, context_vectors_ : ndarray
        ``W`` and ``W~``.
    history_ : list of dict
        ``{"epoch", "loss", "seconds", "entries_per_s"}`` per epoch.
    """

    def __init__(
        self,
        vector_size: int = _DEFAULTS["vector_size"],
        epochs: int = _DEFAULTS["epochs"],
        x_max: float = _DEFAULTS["x_max"],
        alpha: float = _DEFAULTS["alpha"],
        learning_rate: float = _DEFAULTS["learning_rate"],
        workers: int | None = None,
        seed: int = _DEFAULTS["seed"],
    ) -> None:
        self.vector_size = vector_size
        self.epochs = epochs
        self.x_max = x_max
        self.alpha = alpha
        self.learning_rate = learning_rate
        self.workers = workers
        self.seed = seed

    def fit(
        self,
        cooc: Cooccurrence,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> GloVe:
        """Train on ``cooc.matrix``; returns ``self``.

        Raises
        ------
        TrainingError
            A hyper-parameter outside the bounds of :data:`~embeddings.train.params.SPECS`
            (vector_size at most 2,000, ...), or an empty matrix.
        """
        settings = {
            "vector_size": self.vector_size,
            "epochs": self.epochs,
            "x_max": self.x_max,
            "alpha": self.alpha,
            "learning_rate": self.learning_rate,
            "seed": self.seed,
        }
        if self.workers is not None:
            settings["workers"] = self.workers
        check_params("glove", settings)
        coo = cooc.matrix.tocoo()
        if coo.nnz == 0:
            raise TrainingError("The co-occurrence matrix is empty; use a larger corpus.")
        rows = coo.row.astype(np.int32)
        cols = coo.col.astype(np.int32)
        logx = np.log(coo.data.astype(np.float64)).astype(np.float32)
        weight = weighting_function(coo.data, self.x_max, self.alpha).astype(np.float32)
        v, d = cooc.matrix.shape[0], self.vector_size
        width = -(-(d + 1) // 8) * 8  # vector, bias, padding to 32 bytes
        rng = np.random.default_rng(self.seed)
        # Reference initialisation: uniform in [-0.5, 0.5) / vector_size, biases too.
        words = np.ones((v, 2 * width), dtype=np.float32)  # AdaGrad sums start at 1
        ctxs = np.ones((v, 2 * width), dtype=np.float32)
        words[:, :width] = 0.0
        ctxs[:, :width] = 0.0
        words[:, : d + 1] = (rng.random((v, d + 1)) - 0.5) / d
        ctxs[:, : d + 1] = (rng.random((v, d + 1)) - 0.5) / d
        workers = self.workers or os.cpu_count() or 1
        workers = max(1, min(workers, numba.config.NUMBA_NUM_THREADS))
        self.history_ = []
        n = len(rows)
        eta = self.learning_rate
        for epoch in range(1, self.epochs + 1):
            check_cancel(cancel)
            started = time.perf_counter()
            # Shuffled copies, so the kernel reads the entries sequentially.
            order = rng.permutation(n)
            r, c, lx, wt = rows[order], cols[order], logx[order], weight[order]
            del order
            if workers == 1:
                cost = kern.epoch_serial(r, c, lx, wt, words, ctxs, eta, d)
            else:
                numba.set_num_threads(workers)
                cost = kern.epoch_parallel(r, c, lx, wt, words, ctxs, eta, d, workers)
            del r, c, lx, wt
            seconds = time.perf_counter() - started
            loss = float(cost) / n
            if not np.isfinite(loss):
                raise TrainingError(
                    "GloVe diverged (the loss is not finite); lower the learning rate."
                )
            row = {
                "epoch": epoch,
                "loss": loss,
                "seconds": seconds,
                "entries_per_s": n / max(seconds, 1e-9),
            }
            self.history_.append(row)
            report(
                progress,
                Progress(
                    "epoch",
                    epoch,
                    self.epochs,
                    f"epoch {epoch}/{self.epochs}",
                    {"loss": loss, "entries_per_s": row["entries_per_s"]},
                ),
            )
        self.word_vectors_ = np.ascontiguousarray(words[:, :d])
        self.context_vectors_ = np.ascontiguousarray(ctxs[:, :d])
        self.vectors_ = self.word_vectors_ + self.context_vectors_
        return self


def to_keyed_vectors(words: list[str], vectors: np.ndarray, counts: np.ndarray) -> KeyedVectors:
    """gensim KeyedVectors with ``count`` set for each word (order kept)."""
    kv = KeyedVectors(vectors.shape[1], dtype=np.float32)
    kv.add_vectors(words, vectors.astype(np.float32))
    for w, c in zip(words, counts.tolist(), strict=True):
        kv.set_vecattr(w, "count", int(c))
    return kv


def train_glove(
    corpus_path: str | Path,
    *,
    vector_size: int = _DEFAULTS["vector_size"],
    window: int = _DEFAULTS["window"],
    min_count: int = _DEFAULTS["min_count"],
    epochs: int = _DEFAULTS["epochs"],
    x_max: float = _DEFAULTS["x_max"],
    alpha: float = _DEFAULTS["alpha"],
    learning_rate: float = _DEFAULTS["learning_rate"],
    workers: int | None = None,
    seed: int = _DEFAULTS["seed"],
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> tuple[KeyedVectors, list[dict]]:
    """Count co-occurrences in a sentence file (1/d weighting, symmetric) and train GloVe.

    Returns ``(kv, history)``: KeyedVectors ordered by frequency with counts, vectors
    ``W + W~``; history rows ``{"epoch", "loss", "seconds", "entries_per_s"}``. Defaults
    and bounds are those of :data:`~embeddings.train.params.SPECS`; the values are checked
    before the corpus is read.
    """
    settings = {
        "vector_size": vector_size,
        "window": window,
        "min_count": min_count,
        "epochs": epochs,
        "x_max": x_max,
        "alpha": alpha,
        "learning_rate": learning_rate,
        "seed": seed,
    }
    check_params("glove", settings if workers is None else {**settings, "workers": workers})
    cooc = count_cooccurrences(
        corpus_path,
        window=window,
        weighting="harmonic",
        min_count=min_count,
        progress=progress,
        cancel=cancel,
    )
    model = GloVe(vector_size, epochs, x_max, alpha, learning_rate, workers, seed)
    model.fit(cooc, progress=progress, cancel=cancel)
    return to_keyed_vectors(cooc.words, model.vectors_, cooc.counts), model.history_


def compile_kernels() -> None:
    """Compile the epoch kernels ahead of the first training, with the argument types
    :meth:`GloVe.fit` passes (numba loads them from its on-disk cache when it can), so
    a training never waits for numba's process-wide compiler lock.

    The parallel kernel is compiled, not run: two threads launching parallel kernels at
    once is unsafe under numba's workqueue threading layer.

    >>> compile_kernels()
    >>> len(kern.epoch_parallel.signatures) >= 1
    True
    """
    cooc = count_cooccurrences([["a", "b", "a", "c"]], window=2, weighting="harmonic")
    GloVe(vector_size=2, epochs=1, workers=1).fit(cooc)
    for sig in kern.epoch_serial.signatures:
        kern.epoch_parallel.compile((*sig, numba.types.int64))  # + workers
