"""Nearest-document search: our cached normalised index vs scikit-learn's cosine_similarity.

The chapter's recommender computes ``cosine_similarity(doc_vectors, doc_vectors)`` and
sorts a row; the reference here is the per-query equivalent
(``cosine_similarity(X[i:i+1], X)`` + a full argsort), measured in the same run.

    python -m bench.bench_documents [--quick]
"""

from __future__ import annotations

import statistics
import time

import numpy as np


def _timings(fn, queries) -> list[float]:
    out = []
    for q in queries:
        t = time.perf_counter()
        fn(q)
        out.append(time.perf_counter() - t)
    return out


def run(quick: bool = False) -> list[dict]:
    from sklearn.metrics.pairwise import cosine_similarity

    from embeddings.documents.index import DocumentIndex
    from embeddings.documents.sets import DocumentSet
    from embeddings.documents.vectors import DocumentCoverage

    n, dim = (20_000, 100) if quick else (100_000, 100)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, dim)).astype(np.float32)
    docs = DocumentSet([""] * n, [str(i) for i in range(n)])
    coverage = DocumentCoverage(np.ones(n, dtype=np.int64), np.ones(n, dtype=np.int64))
    t = time.perf_counter()
    index = DocumentIndex(docs, X, coverage)
    build = time.perf_counter() - t
    queries = rng.integers(0, n, 30 if quick else 100).tolist()

    def ours(i):
        return index.similar_to(i, 5)

    def reference(i):
        scores = cosine_similarity(X[i : i + 1], X)[0]
        return np.argsort(-scores)[1:6]

    for i in queries[:3]:  # same answers
        assert [m.index for m in ours(i)] == reference(i).tolist()
    ours_t, ref_t = [], []
    for i in queries:  # interleaved, so both see the same machine state
        ours_t += _timings(ours, [i])
        ref_t += _timings(reference, [i])
    p50_ours, p50_ref = statistics.median(ours_t) * 1e3, statistics.median(ref_t) * 1e3
    from bench.table import row

    return [
        row(
            f"nearest documents, {n:,} x {dim} (p50 per query)",
            p50_ours,
            p50_ref,
            "ms",
            f"reference: sklearn cosine_similarity row + argsort; index build {build * 1e3:.0f} ms",
        )
    ]


if __name__ == "__main__":
    from bench.table import main

    main(run, __doc__.splitlines()[0])
