"""Compiled (numba) GloVe epoch: AdaGrad on the weighted least-squares loss.

The arithmetic follows the reference implementation: ``diff = w_i . c_j + b_i + b~_j -
log X_ij``, ``f = min(1, (X_ij / x_max) ** alpha)``, each coordinate steps by
``eta * f * diff * other / sqrt(gradsq)`` and its squared gradient is added to
``gradsq`` (initialised to 1).

Layout: one row per word in ``words`` (and per context in ``ctxs``) holds the vector,
the bias, padding up to ``width`` (a multiple of 8 floats, so SIMD loads stay aligned),
then the AdaGrad sums at ``width + k``. An update therefore reads two contiguous rows.
The caller passes the entry arrays already shuffled, so they are read sequentially.
The parallel version splits them into one shard per thread and updates shared rows
without locks (Hogwild), as the reference does.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True, fastmath=True)
def _run_shard(rows, cols, logx, weight, lo, hi, words, ctxs, eta, dim, width):
    cost = 0.0
    for e in range(lo, hi):
        w = words[rows[e]]
        c = ctxs[cols[e]]
        diff = np.float32(0.0)
        for b in range(dim):
            diff += w[b] * c[b]
        diff += w[dim] + c[dim] - logx[e]
        fdiff = weight[e] * diff
        cost += 0.5 * fdiff * diff
        fdiff *= eta
        for b in range(dim):
            t1 = fdiff * c[b]
            t2 = fdiff * w[b]
            w[b] -= t1 / np.sqrt(w[width + b])
            c[b] -= t2 / np.sqrt(c[width + b])
            w[width + b] += t1 * t1
            c[width + b] += t2 * t2
        w[dim] -= fdiff / np.sqrt(w[width + dim])
        c[dim] -= fdiff / np.sqrt(c[width + dim])
        f2 = fdiff * fdiff
        w[width + dim] += f2
        c[width + dim] += f2
    return cost


@numba.njit(cache=True, nogil=True)
def epoch_serial(rows, cols, logx, weight, words, ctxs, eta, dim):
    """One epoch over the entries in array order on one thread; returns the summed loss."""
    width = words.shape[1] // 2
    return _run_shard(
        rows, cols, logx, weight, 0, rows.shape[0], words, ctxs, np.float32(eta), dim, width
    )


@numba.njit(cache=True, nogil=True, parallel=True)
def epoch_parallel(rows, cols, logx, weight, words, ctxs, eta, dim, shards):
    """One epoch split into ``shards`` contiguous pieces run in parallel (lock-free)."""
    n = rows.shape[0]
    width = words.shape[1] // 2
    costs = np.zeros(shards, dtype=np.float64)
    for s in numba.prange(shards):
        lo = n * s // shards
        hi = n * (s + 1) // shards
        costs[s] = _run_shard(
            rows, cols, logx, weight, lo, hi, words, ctxs, np.float32(eta), dim, width
        )
    return costs.sum()
