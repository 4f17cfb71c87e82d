"""``info``: what a model is.

    python -m embeddings info MODEL --json

prints ``{"name", "algorithm", "vocab_size", "vector_size", "has_subwords", ...}``: the
model card (parameters, corpus statistics, evaluation, load notes) plus the most
frequent words.
"""

from __future__ import annotations

from .common import (
    add_format_flag,
    add_json_flag,
    add_quiet_flag,
    add_store_flag,
    model_from,
)


def register(sub) -> None:
    p = sub.add_parser("info", help="a model's card: algorithm, size, parameters, corpus")
    p.add_argument("model", metavar="MODEL", help="model-store name or vectors file")
    p.add_argument("--top", type=int, default=10, help="how many of the first words to list")
    add_format_flag(p)
    add_json_flag(p)
    add_store_flag(p)
    add_quiet_flag(p)
    p.set_defaults(handler=run, render=render)


def run(args):
    from ..explore.words import has_subwords

    kv, card = model_from(args)
    info = card.to_dict()
    info.update(
        vocab_size=len(kv),
        vector_size=int(kv.vector_size),
        has_subwords=has_subwords(kv),
        first_words=list(kv.index_to_key[: max(0, args.top)]),
    )
    if has_subwords(kv):
        info["subwords"] = {"min_n": kv.min_n, "max_n": kv.max_n, "bucket": kv.bucket}
    return info


def render(info) -> str:
    lines = [
        f"{info['name']}: {info['algorithm']}, {info['vocab_size']:,} words × {info['vector_size']}"
        + (" (with subwords)" if info["has_subwords"] else ""),
    ]
    if info.get("source"):
        lines.append(f"source: {info['source']}")
    for key in ("parameters", "corpus", "subwords"):
        if info.get(key):
            lines.append(f"{key}: " + ", ".join(f"{k}={v}" for k, v in info[key].items()))
    if info.get("training_seconds"):
        lines.append(f"training: {info['training_seconds']:.1f} s")
    for warning in (info.get("notes") or {}).get("warnings", []):
        lines.append(f"warning: {warning}")
    lines.append("first words: " + " ".join(info["first_words"]))
    return "\n".join(lines)
