"""Exact neighbours against the memory-bandwidth floor, measured back to back.

Exact search reads the whole unit matrix once per query, so its floor is one streaming
pass over that matrix (a sum, the best of five). Both are measured here one after the
other on the same matrix (``bench.bench_ann.synthetic_unit_vectors``, N x 300), with
the lab's own exact search (``VectorIndex.top(..., exact=True)``: the product, the
excluded word and the top 10 in order) on 50 words.

    python -m bench.bench_exact [--quick]        # 200,000 words (quick: 50,000)
    BENCH_ANN_WORDS=3000000 python -m bench.bench_exact
"""

from __future__ import annotations

import os

import numpy as np


def run(quick: bool = False) -> list[dict]:
    from bench.bench_ann import _p50_ms, bandwidth_floor, synthetic_unit_vectors
    from embeddings.vectors.search import VectorIndex

    n = int(os.environ.get("BENCH_ANN_WORDS", 50_000 if quick else 200_000))
    unit = synthetic_unit_vectors(n)
    ids = np.random.default_rng(1).choice(n, 50, replace=False)
    search = VectorIndex(None, unit=unit)
    search.top(unit[ids[0]], 10, exclude=(int(ids[0]),), exact=True)  # pages touched
    floor = bandwidth_floor(unit)
    p50 = _p50_ms(lambda w: search.top(unit[w], 10, exclude=(int(w),), exact=True), ids)
    floor_after = bandwidth_floor(unit)
    best_floor = min(floor, floor_after) * 1000
    return [
        {
            "benchmark": f"exact neighbours p50, {n:,} x 300 (the lab's exact search)",
            "ours": round(p50, 2),
            "reference": round(best_floor, 2),
            "ratio": round(p50 / best_floor, 3),
            "unit": "ms",
            "notes": "reference: one streaming pass over the matrix (a sum, best of 5, "
            f"measured before and after: {floor * 1000:.1f} / {floor_after * 1000:.1f} ms; "
            f"{unit.nbytes / best_floor / 1e6:.1f} GB/s)",
        }
    ]


if __name__ == "__main__":
    from bench.table import main

    main(run, __doc__.splitlines()[0])
