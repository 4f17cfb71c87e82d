"""Approximate neighbours: usearch vs faiss HNSW, against exact search and the bandwidth floor.

The data is a synthetic vocabulary generated here (never committed): 300-d vectors
with the structure trained embeddings have (a 64-d subspace holding 4,096 clusters,
plus isotropic noise), L2-normalised. Uniform random vectors would be the worst case
for any graph index and unlike any real model, so recall is also measured on the
default model trained on real text.

For each library: build time on all cores, single-query p50 (one thread) for a top-10
answer re-ranked exactly from the graph's candidates, recall@10 against exact search on
the same 300 queries, and index size. Exact search is reported against the machine's
memory-bandwidth floor measured in the same run (one streaming pass over the matrix).

    python -m bench.bench_ann [--quick]          # 200,000 words (quick: 50,000)
    BENCH_ANN_WORDS=3000000 python -m bench.bench_ann
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time

import numpy as np


def synthetic_blocks(n: int, dim: int = 300, seed: int = 0, rows: int = 100_000):
    """Blocks of ``n`` vectors with embedding-like structure (clusters in a low-rank
    subspace, plus noise), not normalised. Random Gaussian rows have no structure at
    all: an HNSW build on them took 24.6 min at 3,000,000 x 300 against 13.1 min here."""
    rng = np.random.default_rng(seed)
    basis = rng.standard_normal((64, dim)).astype(np.float32)
    centres = rng.standard_normal((4096, 64)).astype(np.float32)
    for start in range(0, n, rows):
        m = min(n, start + rows) - start
        local = centres[rng.integers(0, len(centres), m)]
        local += 0.7 * rng.standard_normal((m, 64), dtype=np.float32)
        block = local @ basis
        block += 2.0 * rng.standard_normal((m, dim), dtype=np.float32)
        yield block


def synthetic_unit_vectors(n: int, dim: int = 300, seed: int = 0) -> np.ndarray:
    """``n`` unit vectors with embedding-like structure (:func:`synthetic_blocks`)."""
    out = np.empty((n, dim), dtype=np.float32)
    start = 0
    for block in synthetic_blocks(n, dim, seed):
        out[start : start + len(block)] = block
        start += len(block)
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out


def bandwidth_floor(matrix: np.ndarray, repeats: int = 5) -> float:
    """Seconds for one streaming pass over ``matrix`` (a sum), the best of ``repeats``."""
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        matrix.sum(axis=0, dtype=np.float32)
        best = min(best, time.perf_counter() - t)
    return best


def _p50_ms(fn, queries) -> float:
    times = []
    for q in queries:
        t = time.perf_counter()
        fn(q)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def _recall(found: list, truth: np.ndarray, ids: np.ndarray, k: int = 10) -> float:
    hits = 0
    for row, word in enumerate(ids):
        expected = [int(i) for i in truth[row] if i != word][:k]
        hits += len(set(expected) & {int(i) for i in found[row] if i != word})
    return hits / (len(ids) * k)


def _usearch_rows(unit, ids, truth, quantisation):
    from embeddings.vectors import ann

    t = time.perf_counter()
    index = ann.build_index(unit, quantisation=quantisation)
    build = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        size = ann.save_index(index, os.path.join(tmp, "i.usearch"))
        mapped = ann.open_index(os.path.join(tmp, "i.usearch"))
        found = [ann.search(mapped, unit, unit[w], 11)[0] for w in ids]
        p50 = _p50_ms(lambda w: ann.search(mapped, unit, unit[w], 10, exclude=(w,)), ids)
    return build, p50, _recall(found, truth, ids), size


def _faiss_rows(unit, ids, truth):
    import faiss

    faiss.omp_set_num_threads(os.cpu_count() or 1)
    index = faiss.IndexHNSWSQ(
        unit.shape[1], faiss.ScalarQuantizer.QT_8bit, 16, faiss.METRIC_INNER_PRODUCT
    )
    t = time.perf_counter()
    index.train(unit[: min(len(unit), 100_000)])
    index.hnsw.efConstruction = 128
    index.add(unit)
    build = time.perf_counter() - t
    index.hnsw.efSearch = 128
    faiss.omp_set_num_threads(1)

    def query(w, k=10):
        want = max(64, 4 * (k + 1))
        _, cand = index.search(unit[w : w + 1], want)
        cand = cand[0][cand[0] >= 0]
        scores = unit[cand] @ unit[w]
        return cand[np.argsort(-scores)[: k + 1]]

    found = [query(w) for w in ids]
    p50 = _p50_ms(query, ids)
    with tempfile.TemporaryDirectory() as tmp:
        faiss.write_index(index, os.path.join(tmp, "f.index"))
        size = os.path.getsize(os.path.join(tmp, "f.index"))
    return build, p50, _recall(found, truth, ids), size


def _default_model_recall() -> dict:
    """recall@10 of the index on the default model (real text), re-ranked exactly."""
    from embeddings.train.default import default_model_name, ensure_default_model
    from embeddings.vectors import ann
    from embeddings.vectors.search import vector_index
    from embeddings.vectors.store import ModelStore

    with tempfile.TemporaryDirectory() as tmp:
        store = ModelStore()
        if not store.exists(default_model_name()):  # trained here, as a first start does
            store = ModelStore(tmp)
            ensure_default_model(store)
        kv, _ = store.load(default_model_name())
        unit = np.array(vector_index(kv).unit)
    index = ann.build_index(unit)
    return {
        "benchmark": f"recall@10 on the default model ({len(unit):,} real words)",
        "ours": round(ann.measure_recall(index, unit, sample=1000), 4),
        "reference": 1.0,
        "ratio": "",
        "unit": "recall",
        "notes": "usearch i8 graph, 64 candidates re-ranked exactly; reference: exact search",
    }


def run(quick: bool = False) -> list[dict]:
    from embeddings.vectors.exact_rows import nearest_rows

    n = int(os.environ.get("BENCH_ANN_WORDS", 50_000 if quick else 200_000))
    unit = synthetic_unit_vectors(n)
    rng = np.random.default_rng(1)
    ids = rng.choice(n, 300, replace=False)
    truth = nearest_rows(unit, ids, 10)
    floor = bandwidth_floor(unit)

    def exact(w):
        scores = unit @ unit[w]
        part = np.argpartition(-scores, 10)[:11]
        return part[np.argsort(-scores[part])]

    exact_p50 = _p50_ms(exact, ids[:50])
    rows = [
        {
            "benchmark": f"exact neighbours p50, {n:,} x 300",
            "ours": round(exact_p50, 2),
            "reference": round(floor * 1000, 2),
            "ratio": round(exact_p50 / (floor * 1000), 3),
            "unit": "ms",
            "notes": "reference: one streaming pass over the matrix (memory-bandwidth floor)",
        }
    ]
    u_build, u_p50, u_recall, u_size = _usearch_rows(unit, ids, truth, "i8")
    f_build, f_p50, f_recall, f_size = _faiss_rows(unit, ids, truth)
    rows += [
        {
            "benchmark": f"ANN build, {n:,} x 300 (all cores)",
            "ours": round(u_build, 1),
            "reference": round(f_build, 1),
            "ratio": round(u_build / f_build, 3),
            "unit": "s",
            "notes": "ours: usearch HNSW M=16 i8; reference: faiss HNSW16,SQ8; efConstruction 128",
        },
        {
            "benchmark": f"ANN neighbours p50, {n:,} x 300, top 10 re-ranked",
            "ours": round(u_p50, 3),
            "reference": round(f_p50, 3),
            "ratio": round(u_p50 / f_p50, 3),
            "unit": "ms",
            "notes": f"one thread, ef 128; recall@10 ours {u_recall:.3f} / faiss {f_recall:.3f}; "
            f"exact p50 {exact_p50:.1f} ms",
        },
        {
            "benchmark": f"ANN index size, {n:,} x 300",
            "ours": round(u_size / 2**20, 1),
            "reference": round(f_size / 2**20, 1),
            "ratio": round(u_size / f_size, 3),
            "unit": "MiB",
            "notes": f"vectors themselves: {unit.nbytes / 2**20:,.0f} MiB float32",
        },
    ]
    rows.append(_default_model_recall())
    return rows


if __name__ == "__main__":
    from bench.table import main

    main(run, __doc__.splitlines()[0])
