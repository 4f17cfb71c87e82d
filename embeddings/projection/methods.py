"""PCA, t-SNE (openTSNE) and UMAP behind one signature: ``project(vectors, method, ...)``.

Every method is seeded: the same vectors, parameters and seed give the same map.

>>> vectors = np.random.default_rng(1).normal(size=(20, 5))
>>> res = project(vectors, "pca", dims=2, seed=1)
>>> res.coords.shape, [round(v, 3) for v in res.explained_variance]
((20, 2), [0.457, 0.26])
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ..errors import EmbeddingsError
from ..progress import CancelToken, Progress, ProgressCallback, check_cancel, report

METHODS = ("pca", "tsne", "umap")
# t-SNE uses FFT-interpolated gradients from this many points on (2-D only).
FFT_FROM = 10_000
DEFAULTS = {
    "pca": {},
    "tsne": {"perplexity": 30.0, "n_iter": 500, "initialization": "pca", "metric": "cosine"},
    "umap": {"n_neighbors": 15, "min_dist": 0.1, "metric": "cosine"},
}


@dataclass
class ProjectionResult:
    """Coordinates (n, dims) and what produced them."""

    coords: np.ndarray
    method: str
    params: dict
    seed: int
    seconds: float
    explained_variance: list[float] = field(default_factory=list)


def project(
    vectors: np.ndarray,
    method: str = "pca",
    dims: int = 2,
    seed: int = 1,
    params: dict | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    reduce_to: int | None = None,
    knn: tuple[np.ndarray, np.ndarray] | None = None,
) -> ProjectionResult:
    """Project ``vectors`` to ``dims`` (2 or 3) dimensions.

    Parameters
    ----------
    vectors : ndarray (n, d)
    method : {"pca", "tsne", "umap"}
    params : dict, optional
        t-SNE: ``perplexity``, ``n_iter``, ``initialization`` ("pca"/"random"/"spectral"),
        ``metric``; UMAP: ``n_neighbors``, ``min_dist``, ``metric``.
    progress : callable, optional
        Receives :class:`~embeddings.progress.Progress` events (t-SNE every 25 iterations).
    cancel : CancelToken, optional
        Checked between t-SNE iterations (and after the PCA of ``reduce_to``).
    reduce_to : int, optional
        For t-SNE and UMAP, first reduce vectors of more dimensions to this many with PCA
        (50 is the usual choice for large maps: neighbour search and affinities then cost
        a sixth of what 300 dimensions cost, and the leading components keep the
        neighbourhoods). PCA itself ignores it.
    knn : (indices, distances), optional
        For UMAP, each word's nearest neighbours (itself first), as
        :func:`.map_knn.index_knn` reads them from a model's neighbour index; without
        it UMAP finds them itself (NN-descent). The layout's epochs report progress and
        a cancel stops it between epochs.
    """
    if method not in METHODS:
        raise EmbeddingsError(f"Unknown method {method!r}; use one of {', '.join(METHODS)}.")
    if dims not in (2, 3):
        raise EmbeddingsError("dims must be 2 or 3.")
    x = np.ascontiguousarray(vectors, dtype=np.float32)
    if len(x) < max(4, dims + 1):
        raise EmbeddingsError(f"Need at least {max(4, dims + 1)} words to project.")
    p = {**DEFAULTS[method], **(params or {})}
    t0 = time.perf_counter()
    report(progress, Progress(method, 0, 1, f"{len(x):,} words"))
    explained: list[float] = []
    if method != "pca" and reduce_to and x.shape[1] > int(reduce_to):
        report(progress, Progress("pca", 0, 1, f"PCA to {int(reduce_to)} dimensions first"))
        x = reduce_dimensions(x, int(reduce_to), seed)
        check_cancel(cancel)
    if method == "pca":
        coords, explained = _pca(x, dims, seed)
    elif method == "tsne":
        coords = _tsne(x, dims, seed, p, progress, cancel)
    else:
        coords = _umap(x, dims, seed, p, knn, progress, cancel)
    coords = np.asarray(coords, dtype=np.float64)
    report(progress, Progress(method, 1, 1, "done"))
    return ProjectionResult(coords, method, p, seed, time.perf_counter() - t0, explained)


def reduce_dimensions(x: np.ndarray, dims: int, seed: int = 1) -> np.ndarray:
    """The first ``dims`` principal components of ``x`` (float32), seeded.

    >>> reduce_dimensions(np.random.default_rng(0).normal(size=(100, 8)), 3).shape
    (100, 3)
    """
    from sklearn.decomposition import PCA

    dims = min(int(dims), x.shape[1], len(x))
    # The randomized solver is what makes 1,000,000 x 300 fast; it is seeded.
    pca = PCA(n_components=dims, svd_solver="randomized", random_state=seed)
    return np.ascontiguousarray(pca.fit_transform(x), dtype=np.float32)


def _pca(x, dims, seed):
    from sklearn.decomposition import PCA

    pca = PCA(n_components=dims, random_state=seed)
    coords = pca.fit_transform(x)
    # Fix each axis' sign so the picture does not flip between runs or versions.
    signs = np.sign(coords[np.argmax(np.abs(coords), axis=0), range(dims)])
    coords *= np.where(signs == 0, 1, signs)
    return coords, [float(v) for v in pca.explained_variance_ratio_]


def _tsne(x, dims, seed, p, progress, cancel):
    from openTSNE import TSNE

    n = len(x)
    perplexity = float(min(p["perplexity"], max(1.0, (n - 1) / 3)))
    n_iter = int(p["n_iter"])
    ee_iter = 250 if n_iter >= 500 else max(0, n_iter // 2)
    total = ee_iter + n_iter

    class _Callback:
        def __init__(self):
            self.stage_offset = 0
            self.last = 0

        def __call__(self, iteration, error, embedding):
            check_cancel(cancel)
            # Iterations restart at the second phase (after early exaggeration).
            if iteration < self.last:
                self.stage_offset = ee_iter
            self.last = iteration
            done = min(total, self.stage_offset + iteration)
            report(
                progress,
                Progress("tsne", done, total, f"iteration {done}/{total}", {"kl": float(error)}),
            )
            return False

    tsne = TSNE(
        n_components=dims,
        perplexity=perplexity,
        n_iter=n_iter,
        early_exaggeration_iter=ee_iter,
        initialization=p["initialization"],
        metric=p.get("metric", "cosine"),
        # Barnes-Hut below 10,000 points, where the FFT grid costs more than it saves
        # (250 points: 0.3 s against 6 s); FFT above, where Barnes-Hut grows as
        # n log n with a large constant. FFT is 2-D only.
        negative_gradient_method="fft" if dims == 2 and n >= FFT_FROM else "bh",
        # Two threads, fixed (not the core count), so a seed gives the same map on any
        # machine: 5,000 words take 9.7 s here against 15.5 s on one thread.
        n_jobs=2,
        random_state=seed,
        callbacks=_Callback(),
        callbacks_every_iters=25,
    )
    return np.asarray(tsne.fit(x))


SPECTRAL_UP_TO = 20_000  # words; bigger UMAP maps start from PCA


class _EpochStream:
    """Where UMAP's epoch bar (tqdm, formatted ``n/total``) writes: progress events, and
    a cancel raised from it between two epochs (once: tqdm writes again as it closes)."""

    def __init__(self, progress, cancel):
        self.progress, self.cancel, self.raised = progress, cancel, False

    def write(self, text: str) -> None:
        done, sep, total = text.strip().partition("/")
        if sep and done.isdigit() and total.isdigit():
            report(self.progress, Progress("umap", int(done), int(total), f"layout epoch {done}"))
        if not self.raised and self.cancel is not None and self.cancel.cancelled:
            self.raised = True
            check_cancel(self.cancel)

    def flush(self) -> None:
        pass


def _umap(x, dims, seed, p, knn=None, progress=None, cancel=None):
    import warnings

    import umap

    n_neighbors = int(min(p["n_neighbors"], len(x) - 1))
    extra = {}
    if knn is not None and knn[0].shape == (len(x), knn[0].shape[1]):
        n_neighbors = min(n_neighbors, knn[0].shape[1])
        extra["precomputed_knn"] = knn
    else:
        report(progress, Progress("graph", 0, 1, "nearest neighbours (NN-descent)"))
    stream = _EpochStream(progress, cancel)
    # The spectral start (an eigen-decomposition of the whole graph) ran over 8 minutes
    # at a million words here; beyond a quick map's size the layout starts from the
    # data's first principal components instead.
    init = "spectral" if len(x) <= SPECTRAL_UP_TO else "pca"
    reducer = umap.UMAP(
        init=init,
        n_components=dims,
        n_neighbors=n_neighbors,
        min_dist=float(p["min_dist"]),
        metric=p.get("metric", "cosine"),
        random_state=seed,
        n_jobs=1,
        tqdm_kwds={
            "disable": False,
            "file": stream,
            "bar_format": "{n}/{total}",
            "mininterval": 0.5,
        },  # fmt: skip
        **extra,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return reducer.fit_transform(x)
