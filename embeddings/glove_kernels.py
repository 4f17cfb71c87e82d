"""Compiled (numba) GloVe epoch: AdaGrad on the weighted least-squares loss.

The arithmetic follows the reference implementation: ``diff = w_i . c_j + b_i + b~_j -
log X_ij``, ``f = min(1, (X_ij / x_max) ** alpha)``, each coordinate steps by
``eta * f * diff * other / sqrt(gradsq)`` and its squared gradient is added to
``gradsq`` (initialised to 1). Word and context parameters live in one row each
(vector then bias) so an update touches two rows of ``params`` and two of ``gradsq``.
The parallel version splits the shuffled entry order into one shard per thread and
updates shared rows without locks (Hogwild), as the reference does.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True, fastmath=True)
def _run_shard(rows, cols, logx, weight, lo, hi, words, ctxs, gw, gc, eta, dim):
    cost = 0.0
    for e in range(lo, hi):
        i = rows[e]
        j = cols[e]
        w = words[i]
        c = ctxs[j]
        gwi = gw[i]
        gcj = gc[j]
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
            w[b] -= t1 / np.sqrt(gwi[b])
            c[b] -= t2 / np.sqrt(gcj[b])
            gwi[b] += t1 * t1
            gcj[b] += t2 * t2
        w[dim] -= fdiff / np.sqrt(gwi[dim])
        c[dim] -= fdiff / np.sqrt(gcj[dim])
        f2 = fdiff * fdiff
        gwi[dim] += f2
        gcj[dim] += f2
    return cost


@numba.njit(cache=True, nogil=True)
def epoch_serial(rows, cols, logx, weight, words, ctxs, gw, gc, eta, dim):
    """One epoch over the entries in array order on one thread; returns the summed loss.

    The caller passes the entry arrays already shuffled, so reads are sequential.
    ``words``/``ctxs``/``gw``/``gc`` rows hold ``dim`` vector values, the bias at
    ``dim``, then padding (rows a multiple of 32 bytes long keep SIMD loads aligned).
    """
    return _run_shard(
        rows, cols, logx, weight, 0, rows.shape[0], words, ctxs, gw, gc, np.float32(eta), dim
    )


@numba.njit(cache=True, nogil=True, parallel=True)
def epoch_parallel(rows, cols, logx, weight, words, ctxs, gw, gc, eta, dim, shards):
    """One epoch split into ``shards`` contiguous pieces run in parallel (lock-free)."""
    n = rows.shape[0]
    costs = np.zeros(shards, dtype=np.float64)
    for s in numba.prange(shards):
        lo = n * s // shards
        hi = n * (s + 1) // shards
        costs[s] = _run_shard(
            rows, cols, logx, weight, lo, hi, words, ctxs, gw, gc, np.float32(eta), dim
        )
    return costs.sum()
