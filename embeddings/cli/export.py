"""``export-tsv``: files for the TensorFlow Embedding Projector.

    python -m embeddings export-tsv MODEL --out DIR [--limit N] [--metadata word,count]
        [--prefix NAME]

Writes ``DIR/NAME_tensor.tsv``, ``DIR/NAME_metadata.tsv`` and ``DIR/projector_config.json``.
With only the word as metadata the two TSVs are byte-identical to
``python -m gensim.scripts.word2vec2tensor`` on the same vectors.
"""

from __future__ import annotations

import re

from ..errors import EmbeddingsError
from .common import add_json_flag, add_store_flag, open_model, store_from

ALLOWED_METADATA = ("word", "count", "cluster")


def register(sub) -> None:
    p = sub.add_parser("export-tsv", help="tensor + metadata TSVs for the Embedding Projector")
    p.add_argument("model", metavar="MODEL", help="model-store name or vectors file")
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--limit", type=int, default=None, help="keep the N most frequent words")
    p.add_argument(
        "--metadata",
        default="word",
        help="comma-separated metadata columns among word,count,cluster (default word)",
    )
    p.add_argument("--clusters", type=int, default=10, help="k for the cluster column")
    p.add_argument(
        "--prefix", default=None, help="file name prefix, a plain name (default: the model name)"
    )
    add_json_flag(p)
    add_store_flag(p)
    p.set_defaults(handler=run, render=render)


def run(args):
    from pathlib import Path

    from ..vectors.export import check_prefix, projector_rows, write_projector_files

    cols = [c.strip() for c in args.metadata.split(",") if c.strip()]
    bad = [c for c in cols if c not in ALLOWED_METADATA]
    if bad or not cols or cols[0] != "word":
        raise EmbeddingsError(
            f"--metadata must start with word and use only {', '.join(ALLOWED_METADATA)}"
            f" (got {args.metadata!r})."
        )
    if args.limit is not None and args.limit < 1:
        raise EmbeddingsError("--limit must be at least 1.")
    if args.prefix is not None:
        try:
            check_prefix(args.prefix)
        except EmbeddingsError:
            raise EmbeddingsError(
                f"--prefix must be a plain name: letters, digits, '.', '-', '_' or '+' "
                f"(no folders; got {args.prefix!r})."
            ) from None
    kv, card = open_model(args.model, store_from(args))
    words = list(kv.index_to_key)[: args.limit] if args.limit else list(kv.index_to_key)
    extra: dict = {}
    if "count" in cols:
        extra["count"] = None
    if "cluster" in cols:
        from ..projection import kmeans_clusters

        vecs = kv.vectors[: len(words)]
        extra["cluster"] = [int(c) for c in kmeans_clusters(vecs, args.clusters)]
    rows = projector_rows(kv, words=words, columns=extra)
    # The default comes from a model or file name: made plain rather than refused.
    default = re.sub(r"[^\w.+-]+", "_", getattr(card, "name", None) or Path(args.model).stem)
    prefix = args.prefix or default.strip(".") or "embeddings"
    paths = write_projector_files(rows, args.out, prefix)
    return {
        "rows": len(rows.words),
        "dimensions": int(rows.vectors.shape[1]),
        "files": [str(p) for p in paths],
        "warnings": rows.warnings(),
    }


def render(result) -> str:
    lines = [f"{result['rows']:,} rows × {result['dimensions']} dimensions"]
    lines += [f"wrote {f}" for f in result["files"]]
    lines += [f"warning: {w}" for w in result["warnings"]]
    return "\n".join(lines)
