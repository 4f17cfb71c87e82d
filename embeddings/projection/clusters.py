"""k-means clusters of the word vectors, to colour a map."""

from __future__ import annotations

import numpy as np


def kmeans_clusters(vectors: np.ndarray, k: int = 8, seed: int = 1) -> np.ndarray:
    """Cluster label (0..k-1) of each row, k-means on unit-length vectors (cosine-like).

    >>> kmeans_clusters(np.eye(4), k=2).shape
    (4,)
    """
    from sklearn.cluster import KMeans

    x = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    x = x / np.where(norms == 0, 1, norms)
    k = max(1, min(int(k), len(x)))
    return KMeans(n_clusters=k, n_init=3, random_state=seed).fit_predict(x).astype(int)
