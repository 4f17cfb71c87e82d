"""Compiled (numba) kernels for co-occurrence counting.

Pairs are accumulated as ordered ``(centre, left context)`` pairs: the symmetric matrix
is ``L + L.T``, left-only is ``L`` and right-only is ``L.T``, so each token pair is
touched once. Frequent pairs (both ids below ``dense_size``, ids are frequency ranks)
go to a small dense block that stays in cache; the rest go to an open-addressing hash
table keyed by ``centre * vocab_size + context``, so memory grows with the number of
distinct pairs, never with the corpus length.
"""

from __future__ import annotations

import numba
import numpy as np

SENTENCE_BREAK = -2
EMPTY = np.int64(-1)
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


@numba.njit(cache=True, nogil=True)
def _slot(key, shift):
    return np.int64((np.uint64(key) * _MULTIPLIER) >> np.uint64(shift))


@numba.njit(cache=True, nogil=True)
def count_pairs(
    ids, start, window, harmonic, vocab_size, dense, dense_size, keys, vals, used, shift, limit
):
    """Add the pairs of ``ids[start:]`` to the dense block and the hash table.

    ``ids`` holds word ids (frequency ranks) with :data:`SENTENCE_BREAK` between
    sentences; out-of-vocabulary words were removed beforehand. Stops early when the
    table holds ``limit`` keys so the caller can grow it; returns ``(next_position,
    used)``. A position is only restarted from its beginning, so no pair is added twice.
    """
    mask = keys.shape[0] - 1
    n = ids.shape[0]
    sent_start = start
    # Find the sentence start for a resumed position.
    while sent_start > 0 and ids[sent_start - 1] != SENTENCE_BREAK:
        sent_start -= 1
    p = start
    while p < n:
        w = ids[p]
        if w == SENTENCE_BREAK:
            sent_start = p + 1
            p += 1
            continue
        if used + window > limit:
            return p, used
        lo = p - window
        if lo < sent_start:
            lo = sent_start
        for q in range(p - 1, lo - 1, -1):
            c = ids[q]
            d = p - q
            wt = 1.0 / d if harmonic else 1.0
            if w < dense_size and c < dense_size:
                dense[w, c] += wt
                continue
            key = np.int64(w) * vocab_size + c
            s = _slot(key, shift)
            while True:
                k = keys[s]
                if k == key:
                    vals[s] += wt
                    break
                if k == -1:
                    keys[s] = key
                    vals[s] = wt
                    used += 1
                    break
                s = (s + 1) & mask
        p += 1
    return n, used


@numba.njit(cache=True, nogil=True)
def rehash(keys, vals, new_keys, new_vals, shift):
    """Move every key of a table into a larger empty one."""
    mask = new_keys.shape[0] - 1
    for i in range(keys.shape[0]):
        key = keys[i]
        if key == -1:
            continue
        s = _slot(key, shift)
        while new_keys[s] != -1:
            s = (s + 1) & mask
        new_keys[s] = key
        new_vals[s] = vals[i]


@numba.njit(cache=True, nogil=True)
def collect(keys, vals, dense, vocab_size, n_table):
    """Rows, columns and values of every stored pair (table and dense block)."""
    dense_size = dense.shape[0]
    n_dense = 0
    for i in range(dense_size):
        for j in range(dense_size):
            if dense[i, j] != 0.0:
                n_dense += 1
    total = n_table + n_dense
    rows = np.empty(total, dtype=np.int32)
    cols = np.empty(total, dtype=np.int32)
    out = np.empty(total, dtype=np.float64)
    k = 0
    for i in range(keys.shape[0]):
        key = keys[i]
        if key == -1:
            continue
        rows[k] = key // vocab_size
        cols[k] = key % vocab_size
        out[k] = vals[i]
        k += 1
    for i in range(dense_size):
        for j in range(dense_size):
            if dense[i, j] != 0.0:
                rows[k] = i
                cols[k] = j
                out[k] = dense[i, j]
                k += 1
    return rows, cols, out
