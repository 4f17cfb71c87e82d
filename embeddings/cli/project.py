"""``project``: 2-D/3-D coordinates of the most frequent words, and how faithful they are.

    python -m embeddings project MODEL --method umap|tsne|pca [--limit N] [--dims 2|3]
        [--seed 1] --out coords.csv

Prints the neighbour preservation at k (the share of each word's k nearest neighbours
in the full space that stay among its k nearest on the map) and trustworthiness. At most
20,000 words are projected; a larger ``--limit`` is cut with a warning (on stderr, and in
the JSON's ``warnings``).
"""

from __future__ import annotations

import sys

from ..errors import EmbeddingsError
from .common import (
    add_json_flag,
    add_quiet_flag,
    add_store_flag,
    at_least,
    open_model,
    store_from,
)


def register(sub) -> None:
    p = sub.add_parser("project", help="PCA / t-SNE / UMAP coordinates as CSV")
    p.add_argument("model", metavar="MODEL", help="model-store name or vectors file")
    p.add_argument("--method", choices=("umap", "tsne", "pca"), default="pca")
    p.add_argument("--limit", type=int, default=2000, help="the N most frequent words")
    p.add_argument("--dims", type=int, choices=(2, 3), default=2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--k", type=at_least(1), default=10, help="k for neighbour preservation")
    p.add_argument("--sphereize", action="store_true", help="centre and unit-normalise first")
    p.add_argument("--out", required=True, help="output CSV (word,x,y[,z],preservation)")
    add_json_flag(p)
    add_quiet_flag(p)
    add_store_flag(p)
    p.set_defaults(handler=run, render=render)


def run(args):
    from pathlib import Path

    from ..progress import StderrProgress
    from ..projection import neighbour_preservation, project, select_words
    from ..projection.quality import trustworthiness_score
    from ..projection.select import MAX_WORDS
    from ..vectors.export import coordinates_csv

    if args.limit < 4:
        raise EmbeddingsError("--limit must be at least 4.")
    warnings = []
    if args.limit > MAX_WORDS:
        warnings.append(
            f"--limit {args.limit:,} is more than the {MAX_WORDS:,} words a projection "
            f"takes; projecting the {MAX_WORDS:,} most frequent."
        )
    for warning in warnings:
        sys.stderr.write(f"warning: {warning}\n")
    kv, _card = open_model(args.model, store_from(args))
    sel = select_words(kv, "top", n=args.limit, sphereize=args.sphereize)
    bar = StderrProgress(enabled=not args.quiet)
    try:
        res = project(sel.vectors, args.method, dims=args.dims, seed=args.seed, progress=bar)
    finally:
        bar.close()
    overall, per = neighbour_preservation(sel.vectors, res.coords, k=args.k)
    trust = trustworthiness_score(sel.vectors, res.coords, k=args.k)
    Path(args.out).write_bytes(
        coordinates_csv(sel.words, res.coords, {"preservation": per.round(4)})
    )
    return {
        "method": args.method,
        "words": len(sel.words),
        "dims": args.dims,
        "seed": args.seed,
        "k": args.k,
        "neighbour_preservation": round(overall, 6),
        "trustworthiness": round(trust, 6),
        "explained_variance": res.explained_variance,
        "seconds": round(res.seconds, 3),
        "out": str(args.out),
        "warnings": warnings,
    }


def render(result) -> str:
    text = (
        f"{result['method'].upper()} of {result['words']:,} words to {result['dims']}-D "
        f"in {result['seconds']:.2f} s -> {result['out']}\n"
        f"neighbour preservation at k={result['k']}: {result['neighbour_preservation']:.3f}\n"
        f"trustworthiness: {result['trustworthiness']:.3f}"
    )
    if result["explained_variance"]:
        ev = ", ".join(f"{v:.1%}" for v in result["explained_variance"])
        text += f"\nexplained variance: {ev}"
    return text
