"""Projection speed: our t-SNE (openTSNE) and UMAP against scikit-learn's TSNE.

Vectors: a 100-d Word2Vec model trained here on the bundled Wikipedia + Lee corpus with
the default model's parameters except ``min_count=1`` (``min_count=2`` leaves 19,597
words; the 20,000 most frequent then include a few hundred words seen once; if the
vocabulary were smaller, all of it is used and the notes say so). The
points are the N most frequent words, N = 5,000 and 20,000 (2,000 with ``--quick``).

For each N, in this order and in the same process:

- scikit-learn ``TSNE`` with the same objective as ours (2-D, perplexity 30, cosine,
  PCA initialisation, 250 early-exaggeration + 500 iterations): the reference;
- ``project(x, "tsne")``: openTSNE as the app runs it (one thread, Barnes-Hut below
  10,000 points, FFT above);
- ``project(x, "umap")``: the first call in the process includes ``import umap`` and
  numba's compilation (paid once per process; the on-disk cache does not remove it),
  then the same call again warm.

Each row's ratio is ours / scikit-learn's TSNE on the same points (below 1 = faster).
The notes carry each map's neighbour preservation at k=10. One run per cell: the
20,000-point scikit-learn run alone takes over a minute.

    python -m bench.bench_projection [--quick]
"""

from __future__ import annotations

import sys
import time

import numpy as np

TARGET_WORDS = 20_000


def _vectors() -> tuple[np.ndarray, str]:
    """The 100-d vectors of the most frequent words, and a note on where they came from."""
    from embeddings.corpus.sources import prepare_bundled_corpus
    from embeddings.train.default import DEFAULT_CORPUS, DEFAULT_PARAMS
    from embeddings.train.trainer import train_model
    from embeddings.vectors.store import ModelStore

    corpus = prepare_bundled_corpus(DEFAULT_CORPUS, "simple", cache=ModelStore().corpus_cache)
    params = {**DEFAULT_PARAMS["word2vec"], "min_count": 1}
    kv = train_model(corpus, "word2vec", params, name="bench-projection").kv
    note = f"word2vec 100-d on {DEFAULT_CORPUS}, min_count 1: {len(kv):,} words"
    return np.ascontiguousarray(kv.vectors, dtype=np.float32), note


def _sklearn_tsne(x: np.ndarray, seed: int = 1) -> np.ndarray:
    from sklearn.manifold import TSNE

    return TSNE(
        n_components=2,
        perplexity=30.0,
        metric="cosine",
        init="pca",
        max_iter=750,
        random_state=seed,
    ).fit_transform(x)


def _timed(fn, *args, **kwargs):
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t


def run(quick: bool = False) -> list[dict]:
    from embeddings.projection import neighbour_preservation, project

    vectors, source = _vectors()
    sizes = (2_000,) if quick else (5_000, TARGET_WORDS)
    short = len(vectors) < max(sizes)
    if short:
        print(
            f"vocabulary has {len(vectors):,} words (< {max(sizes):,}): using all of it",
            file=sys.stderr,
        )
    rows = []
    umap_compiled = False
    for wanted in sizes:
        n = min(wanted, len(vectors))
        x = vectors[:n]
        size_note = source + (f"; only {n:,} words, not {wanted:,}" if n < wanted else "")
        ref, ref_s = _timed(_sklearn_tsne, x)
        ref_np = neighbour_preservation(x, ref)[0]
        timings = []
        res, s = _timed(project, x, "tsne", seed=1)
        timings.append(("t-SNE (openTSNE)", s, res.coords))
        if not umap_compiled:
            res, s = _timed(project, x, "umap", seed=1)
            timings.append(("UMAP first call (import + numba compilation)", s, res.coords))
            umap_compiled = True
        res, s = _timed(project, x, "umap", seed=1)
        timings.append(("UMAP warm", s, res.coords))
        for label, seconds, coords in timings:
            ours_np = neighbour_preservation(x, coords)[0]
            rows.append(
                {
                    "benchmark": f"{label}, {n:,} x 100 to 2-D",
                    "ours": round(seconds, 2),
                    "reference": round(ref_s, 2),
                    "ratio": round(seconds / ref_s, 3),
                    "unit": "s",
                    "notes": (
                        "reference: sklearn TSNE (cosine, pca init, 750 iterations, OpenMP "
                        f"threads; ours 2 threads); neighbour preservation@10 ours "
                        f"{ours_np:.3f} / sklearn {ref_np:.3f}; {size_note}"
                    ),
                }
            )
        print(f"{n:,} points done", file=sys.stderr, flush=True)
    return rows


if __name__ == "__main__":
    from bench.table import main

    main(run, __doc__.splitlines()[0])
