"""Exact search over a big matrix in one pass: every row's dot product with the query,
and the best rows kept on the way.

A compiled loop (numba, cached on disk, the GIL released) reads each row once, sums it
in SIMD registers and keeps the ``m`` best rows seen so far, so there is no scores
array to write and partition afterwards. On 3,000,000 x 300 here BLAS's matrix-vector
product plus ``argpartition`` took 1.8x a plain streaming sum over the matrix (the
memory-bandwidth floor, see ``bench/bench_exact.py``); this pass takes 0.88x (123 ms).
Its sums are ordered differently from BLAS's, so scores can differ in the last float32
bit (about 1e-7): :mod:`.search` uses it from 50,000 rows on (``search.KERNEL_FROM``),
where the pass costs most, and BLAS below (the answers there stay gensim's exactly).
"""

from __future__ import annotations

import numba
import numpy as np

# Reassociation lets the compiler sum a row in SIMD registers; no other fast-math
# assumption (the kept scores start at -inf).
_FAST = {"reassoc", "contract"}


@numba.njit(cache=True, nogil=True, fastmath=_FAST)
def _top_rows(unit, query, ids, scores):
    m = len(ids)
    n, d = unit.shape
    for t in range(m):
        ids[t] = -1
        scores[t] = -np.inf
    worst = 0  # the kept row to replace next: lowest score, then highest id
    for i in range(n):
        s = np.float32(0.0)
        for j in range(d):
            s += unit[i, j] * query[j]
        if s > scores[worst]:  # a tie keeps the earlier row, as a stable sort would
            ids[worst] = i
            scores[worst] = s
            worst = 0
            for t in range(1, m):
                if scores[t] < scores[worst] or (
                    scores[t] == scores[worst] and ids[t] > ids[worst]
                ):
                    worst = t


def top_rows(unit: np.ndarray, query: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``m`` rows of ``unit`` (float32, C-contiguous) with the highest dot product
    with ``query``, best first (ties: lower row first), and their scores.

    >>> u = np.eye(3, dtype=np.float32)
    >>> ids, scores = top_rows(u, np.array([0.5, 1, 0], dtype=np.float32), 2)
    >>> ids.tolist(), scores.tolist()
    ([1, 0], [1.0, 0.5])
    """
    m = max(0, min(int(m), len(unit)))
    ids = np.empty(m, dtype=np.int64)
    scores = np.empty(m, dtype=np.float32)
    if m:
        _top_rows(unit, np.ascontiguousarray(query, dtype=np.float32), ids, scores)
    order = np.lexsort((ids, -scores))
    return ids[order], scores[order]


def compile_kernel() -> None:
    """Compile (or load from the on-disk cache) the kernel ahead of a first query."""
    top_rows(np.zeros((2, 2), dtype=np.float32), np.zeros(2, dtype=np.float32), 1)
