"""Exact nearest rows for many rows of a unit matrix at once: the ground truth of the
neighbour index's recall and a map's hover neighbours (the true neighbours in the full
space).

The rows' scores against the whole matrix come from BLAS in batches whose score matrix
stays near 256 MB whatever the vocabulary's size (a batch of 256 at 3,000,000 words held
3 GiB of scores and, partitioned, 8 GiB more). In each row of scores, the k-th best of
every ``stride``-th column (4,096 of them) is at most the true k-th best, so the columns
at or above it hold the true top k: about ``k / 4096`` of the row to sort instead of all
of it.

Example
-------
>>> u = np.array([[1, 0], [0.8, 0.6], [0, 1], [0.6, 0.8]], dtype=np.float32)
>>> nearest_rows(u, [0, 2], k=2).tolist()
[[1, 3], [3, 1]]
"""

from __future__ import annotations

import numpy as np

from ..progress import Progress, check_cancel, report

SCORES_PER_BATCH = 2**26  # float32 scores held at once: 256 MiB


def nearest_rows(
    unit: np.ndarray,
    rows,
    k: int,
    progress=None,
    cancel=None,
    stage: str = "neighbours",
    scores_per_batch: int = SCORES_PER_BATCH,
) -> np.ndarray:
    """The ``k`` rows of ``unit`` nearest (highest dot product) to each of ``rows``, each
    row itself left out, nearest first (ties: lower row first): int64 ``(len(rows), k)``
    with ``k`` at most the rows less one, ``-1`` where fewer rows have finite scores.

    ``progress`` gets ``stage`` events and ``cancel`` is checked between batches.
    """
    rows = np.asarray(rows, dtype=np.int64)
    n = len(unit)
    k = max(0, min(int(k), n - 1))
    out = np.full((len(rows), k), -1, dtype=np.int64)
    batch = max(1, min(256, scores_per_batch // max(1, n)))
    stride = max(1, n // 4096)
    message = f"exact nearest words of {len(rows):,} words"
    for start in range(0, len(rows), batch):
        check_cancel(cancel)
        report(progress, Progress(stage, start, len(rows), message))
        part = rows[start : start + batch]
        scores = unit[part] @ unit.T
        scores[np.arange(len(part)), part] = -np.inf
        floor = None
        sampled = scores[:, ::stride]
        if stride > 1 and 0 < k <= sampled.shape[1]:
            floor = np.partition(sampled, -k, axis=1)[:, -k]
        for i in range(len(part)):
            row = scores[i]
            cand = np.flatnonzero(row >= floor[i]) if floor is not None else np.arange(n)
            cand = cand[np.isfinite(row[cand])]
            order = cand[np.argsort(-row[cand], kind="stable")][:k]
            out[start + i, : len(order)] = order
    report(progress, Progress(stage, len(rows), len(rows), message))
    return out
