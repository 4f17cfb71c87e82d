"""Nearest-neighbour latency: our exact search vs gensim's ``most_similar``.

A random float32 matrix (400,000 x 300; 100,000 x 300 with ``--quick``), the same 200
query words for both, interleaved query by query after 3 warm-up queries each; p50 and
p90 per query. Exact search at this size is bound by memory bandwidth, so the ratio is
what to read.

    python -m bench.bench_neighbours [--quick]
"""

from __future__ import annotations

import statistics
import time

import numpy as np


def _percentile(values, q):
    return float(np.percentile(np.asarray(values) * 1000, q))


def run(quick: bool = False) -> list[dict]:
    from gensim.models import KeyedVectors

    from embeddings.explore.query import analogy, neighbours
    from embeddings.vectors.search import vector_index

    n, dim = (100_000, 300) if quick else (400_000, 300)
    rng = np.random.default_rng(0)
    matrix = rng.standard_normal((n, dim), dtype=np.float32)
    kv = KeyedVectors(dim, count=0)
    kv.add_vectors([f"w{i}" for i in range(n)], matrix)
    del matrix
    t = time.perf_counter()
    kv.fill_norms()
    gensim_build = time.perf_counter() - t
    t = time.perf_counter()
    vector_index(kv)
    ours_build = time.perf_counter() - t
    queries = [f"w{i}" for i in rng.choice(n, 200, replace=False)]
    for q in queries[:3]:
        neighbours(kv, q)
        kv.most_similar(q, topn=10)
    ours_t, ref_t = [], []
    same = 0
    for q in queries:
        t = time.perf_counter()
        ours = neighbours(kv, q, topn=10)
        ours_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        ref = kv.most_similar(q, topn=10)
        ref_t.append(time.perf_counter() - t)
        same += [x.word for x in ours] == [w for w, _ in ref]
    rows = [
        {
            "benchmark": f"neighbours p50, {n:,} x {dim}, top 10",
            "ours": round(_percentile(ours_t, 50), 2),
            "reference": round(_percentile(ref_t, 50), 2),
            "ratio": round(statistics.median(ours_t) / statistics.median(ref_t), 3),
            "unit": "ms",
            "notes": f"reference: gensim most_similar; p90 ours {_percentile(ours_t, 90):.1f} / "
            f"gensim {_percentile(ref_t, 90):.1f} ms; same answer on {same}/{len(queries)} queries",
        },
        {
            "benchmark": f"index build (normalised matrix), {n:,} x {dim}",
            "ours": round(ours_build, 3),
            "reference": round(gensim_build, 3),
            "ratio": round(ours_build / gensim_build, 3),
            "unit": "s",
            "notes": "once per loaded model; reference: gensim fill_norms",
        },
    ]
    an_t, an_ref = [], []
    for a, b, c in zip(queries[0:60:3], queries[1:60:3], queries[2:60:3], strict=True):
        t = time.perf_counter()
        analogy(kv, a, b, c, "mul")
        an_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        kv.most_similar_cosmul(positive=[b, c], negative=[a])
        an_ref.append(time.perf_counter() - t)
    rows.append(
        {
            "benchmark": f"3CosMul analogy p50, {n:,} x {dim}",
            "ours": round(_percentile(an_t, 50), 2),
            "reference": round(_percentile(an_ref, 50), 2),
            "ratio": round(statistics.median(an_t) / statistics.median(an_ref), 3),
            "unit": "ms",
            "notes": "reference: gensim most_similar_cosmul; 20 queries",
        }
    )
    return rows


if __name__ == "__main__":
    from bench.table import main

    main(run, __doc__.splitlines()[0])
