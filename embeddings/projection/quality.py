"""How faithful a projection is: neighbour preservation at k, and trustworthiness."""

from __future__ import annotations

import numpy as np

from ..errors import EmbeddingsError


def knn_indices(x: np.ndarray, k: int, metric: str = "euclidean") -> np.ndarray:
    """Indices of each row's ``k`` nearest other rows (self excluded), nearest first."""
    from sklearn.neighbors import NearestNeighbors

    k = min(int(k), len(x) - 1)
    nn = NearestNeighbors(n_neighbors=k + 1, metric=metric).fit(x)
    idx = nn.kneighbors(x, return_distance=False)
    out = np.empty((len(x), k), dtype=np.int64)
    for i, row in enumerate(idx):
        row = row[row != i][:k]
        out[i] = row
    return out


def neighbour_preservation(
    high: np.ndarray, low: np.ndarray, k: int = 10, metric: str = "cosine"
) -> tuple[float, np.ndarray]:
    """Share of each point's ``k`` nearest neighbours in the full space kept in the map.

    Parameters
    ----------
    high : ndarray (n, d)
        The original vectors.
    low : ndarray (n, 2 or 3)
        The projected coordinates (compared with Euclidean distance).
    k : int
    metric : str
        Distance in the full space (``cosine`` as word similarity uses).

    Returns
    -------
    overall : float
        Mean over points, between 0 and 1.
    per_point : ndarray (n,)
        Each point's share.

    Examples
    --------
    >>> x = np.random.default_rng(0).normal(size=(50, 2))
    >>> neighbour_preservation(x, x, k=5, metric="euclidean")[0]
    1.0
    """
    if int(k) < 1:
        raise EmbeddingsError(f"k must be at least 1 (got {k}).")
    hi = knn_indices(np.asarray(high, dtype=np.float64), k, metric)
    lo = knn_indices(np.asarray(low, dtype=np.float64), k, "euclidean")
    per = np.array([len(set(a).intersection(b)) / hi.shape[1] for a, b in zip(hi, lo, strict=True)])
    return float(per.mean()), per


def trustworthiness_score(high: np.ndarray, low: np.ndarray, k: int = 10) -> float:
    """scikit-learn's trustworthiness (cosine in the full space), between 0 and 1."""
    from sklearn.manifold import trustworthiness

    k = min(int(k), (len(high) - 1) // 2 - 1)
    if k < 1:
        return float("nan")
    return float(trustworthiness(high, low, n_neighbors=k, metric="cosine"))


def true_neighbours(high: np.ndarray, index: int, k: int = 10) -> list[int]:
    """Row indices of the ``k`` nearest rows to ``index`` by cosine in the full space."""
    x = np.asarray(high, dtype=np.float64)
    norms = np.linalg.norm(x, axis=1)
    sims = x @ x[index] / np.where(norms == 0, 1, norms) / (norms[index] or 1)
    sims[index] = -np.inf
    return [int(i) for i in np.argsort(-sims)[:k]]
