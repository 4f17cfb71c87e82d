"""Top-k cosine search over one model: exact, or through its neighbour index when it has one.

Exact search: the L2-normalised float32 matrix of a model (stored with the model, or
built once per loaded KeyedVectors) and one matrix-vector product plus
``argpartition``; the answers equal gensim's ``most_similar``. A model with a stored
neighbour index (:mod:`embeddings.vectors.ann`, for big vocabularies) answers from the
graph's candidates re-ranked exactly, unless ``exact=True``.

Example
-------
>>> from gensim.models import KeyedVectors
>>> import numpy as np
>>> kv = KeyedVectors(2)
>>> kv.add_vectors(["a", "b", "c"], np.array([[1, 0], [0.9, 0.1], [0, 1]], dtype=np.float32))
>>> ids, scores = vector_index(kv).top(np.array([1, 0], dtype=np.float32), 2)
>>> [kv.index_to_key[i] for i in ids]
['a', 'b']
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence

import numpy as np

KERNEL_FROM = 50_000  # rows; see :mod:`.exact_kernel`

_INDEXES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def norms_and_unit(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows' lengths, and ``vectors`` with every row scaled to length 1 (zero rows
    stay zero), both float32; the lengths are computed once for both."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1)
    column = norms[:, None]
    unit = np.divide(vectors, column, out=np.zeros_like(vectors), where=column > 0)
    return norms, unit


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """``vectors`` with every row scaled to length 1 (zero rows stay zero), float32."""
    return norms_and_unit(vectors)[1]


class VectorIndex:
    """The normalised matrix of one model; exact top-k search, or ANN when attached.

    Parameters
    ----------
    kv : KeyedVectors
    unit : ndarray, optional
        The model's unit-normalised matrix when the store already has it (memory-mapped,
        shared by every process); otherwise it is computed here once.
    ann : usearch Index, optional
        A neighbour index over ``unit`` (see :mod:`embeddings.vectors.ann`).
    """

    def __init__(self, kv, unit: np.ndarray | None = None, ann=None):
        self.kv = kv
        self.unit = unit_rows(kv.vectors) if unit is None else unit
        self.ann = ann

    def top(
        self,
        query: np.ndarray,
        topn: int,
        exclude: Sequence[int] = (),
        restrict: int | None = None,
        exact: bool = False,
    ):
        """Indices and cosines of the ``topn`` rows closest to the unit vector ``query``.

        With a neighbour index and ``exact=False`` the graph supplies the candidates;
        when it cannot supply ``topn`` of them (a narrow ``restrict``), exact search
        answers instead.
        """
        if self.ann is not None and not exact:
            from . import ann

            ids, scores = ann.search(self.ann, self.unit, query, topn, exclude, restrict)
            wanted = min(topn, (restrict or len(self.unit)) - len(set(exclude)))
            if len(ids) >= wanted:
                return ids, scores
        unit = self.unit if restrict is None else self.unit[:restrict]
        if len(unit) >= KERNEL_FROM and unit.dtype == np.float32 and unit.flags.c_contiguous:
            return _top_in_one_pass(unit, query, topn, exclude)
        scores = unit @ query
        for i in exclude:
            if i < len(scores):
                scores[i] = -np.inf
        k = min(topn, len(scores) - sum(1 for i in set(exclude) if i < len(scores)))
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        part = np.argpartition(-scores, k - 1)[:k]
        order = part[np.argsort(-scores[part], kind="stable")]
        return order, scores[order]


def _top_in_one_pass(unit: np.ndarray, query: np.ndarray, topn: int, exclude: Sequence[int]):
    from .exact_kernel import top_rows  # numba: imported only for big models

    excluded = {int(i) for i in exclude if i < len(unit)}
    k = min(topn, len(unit) - len(excluded))
    if k <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    ids, scores = top_rows(unit, query, k + len(excluded))
    keep = [j for j, i in enumerate(ids.tolist()) if i not in excluded][:k]
    return ids[keep], scores[keep]


def vector_index(kv) -> VectorIndex:
    """The cached :class:`VectorIndex` of ``kv`` (built on first use)."""
    index = _INDEXES.get(kv)
    if index is None or index.unit.shape != kv.vectors.shape:
        index = VectorIndex(kv)
        _INDEXES[kv] = index
    return index


def attach_index(kv, unit: np.ndarray | None = None, ann=None) -> VectorIndex:
    """Give ``kv`` a stored unit matrix and/or neighbour index (the store does this on load)."""
    index = VectorIndex(kv, unit=unit, ann=ann)
    _INDEXES[kv] = index
    return index
