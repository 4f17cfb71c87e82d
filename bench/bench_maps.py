"""Vocabulary maps: creating a UMAP map of a whole synthetic vocabulary, then reopening it.

Vectors: ``bench.bench_ann.synthetic_unit_vectors`` (clusters in a low-rank subspace,
300-d), N words (100,000; 20,000 with ``--quick``; ``$BENCH_MAP_WORDS`` overrides), saved
as a model in a temporary store; from 50,000 words on, the model's neighbour index is
built first (as the Models page offers it), and the map's neighbour graph comes from it.
Rows:

- creating the map with ``create_map(..., "umap", words=N)`` (first time in the process:
  includes ``import umap`` and numba's compilation; the neighbour graph, PCA to 50
  dimensions, UMAP, quality on 2,000 sampled words, the atomic write), with progress on
  stderr; the reference is the graph, PCA and UMAP layout alone as ``create_map`` ran
  them (the rest is sampling, quality, the view's clusters and hover neighbours, and
  writing);
- building the index (when there is one), against creating the map;
- reopening it with ``open_map`` (memory-mapped coordinates), against the creation time;
- reading its words (``.words``, a JSON list) on first use.

    python -m bench.bench_maps [--quick]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time


def run(quick: bool = False) -> list[dict]:
    from gensim.models import KeyedVectors

    from bench.bench_ann import synthetic_unit_vectors
    from embeddings.progress import StderrProgress
    from embeddings.projection.maps import create_map, open_map
    from embeddings.vectors.ann import MIN_INDEX_WORDS
    from embeddings.vectors.store import ModelCard, ModelStore
    from embeddings.vectors.store_index import build_model_index

    n = int(os.environ.get("BENCH_MAP_WORDS", 20_000 if quick else 100_000))
    vectors = synthetic_unit_vectors(n, 300, seed=0)
    kv = KeyedVectors(300)
    kv.add_vectors([f"w{i}" for i in range(n)], vectors)
    with tempfile.TemporaryDirectory() as root:
        store = ModelStore(root)
        store.save(kv, ModelCard(name="synthetic", algorithm="word2vec", source="bench"))
        index_s = None
        if n >= MIN_INDEX_WORDS:  # as the Models page offers it: the map's graph comes from it
            t = time.perf_counter()
            build_model_index(store, "synthetic", progress=StderrProgress(), recall_sample=200)
            index_s = time.perf_counter() - t
        stages: dict[str, float] = {}
        bar = StderrProgress()

        def progress(event):
            stages.setdefault(event.stage, time.perf_counter())
            bar(event)

        t = time.perf_counter()
        info = create_map(store, "synthetic", "all", "umap", words=n, progress=progress)
        create_s = time.perf_counter() - t
        bar.close()
        started = min(stages.get("graph", stages.get("umap", t)), stages.get("umap", t))
        umap_s = stages.get("quality", t) - started
        t = time.perf_counter()
        opened = open_map(store, "synthetic", "all")
        reopen_s = time.perf_counter() - t
        t = time.perf_counter()
        words = len(opened.words)
        words_s = time.perf_counter() - t
        size = sum(p.stat().st_size for p in opened.folder.iterdir())
    graph = info.params.get("neighbour_graph", "UMAP's NN-descent")
    note = (
        f"{n:,} x 300 synthetic (bench_ann), PCA to 50, UMAP 2-D seed 0, neighbour graph: "
        f"{graph}; preservation@10 "
        f"{info.preservation:.3f}, trustworthiness {info.trustworthiness:.3f} (2,000 sampled)"
    )
    print(f"{words:,} words, map folder {size / 2**20:.1f} MiB", file=sys.stderr)
    return [
        {
            "benchmark": f"create UMAP map, {n:,} words (first call: import + numba compile)",
            "ours": round(create_s, 1),
            "reference": round(umap_s, 1),
            "ratio": round(create_s / umap_s, 3) if umap_s else "",
            "unit": "s",
            "notes": "reference: the neighbour graph + PCA-to-50 + UMAP stages alone; " + note,
        },
        *(
            []
            if index_s is None
            else [
                {
                    "benchmark": f"build the model's neighbour index first, {n:,} words",
                    "ours": round(index_s, 1),
                    "reference": round(create_s, 1),
                    "ratio": round(index_s / create_s, 3),
                    "unit": "s",
                    "notes": "usearch HNSW, both cores, recall@10 measured on 200 words; "
                    "reference: creating the map",
                }
            ]
        ),
        {
            "benchmark": f"reopen the map, {n:,} words (memory-mapped)",
            "ours": round(reopen_s * 1000, 2),
            "reference": round(create_s * 1000, 0),
            "ratio": round(reopen_s / create_s, 6),
            "unit": "ms",
            "notes": f"reference: creating it; map folder {size / 2**20:.1f} MiB",
        },
        {
            "benchmark": f"read the map's words on first use, {n:,} words",
            "ours": round(words_s * 1000, 1),
            "reference": round(create_s * 1000, 0),
            "ratio": round(words_s / create_s, 6),
            "unit": "ms",
            "notes": "words.json, one JSON list",
        },
    ]


if __name__ == "__main__":
    from bench.table import main

    main(run, __doc__.splitlines()[0])
