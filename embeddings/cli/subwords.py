"""``subwords``: how a FastText model builds a word's vector from its character n-grams.

    python -m embeddings subwords MODEL WORD [--topn 10] --json

Prints ``{"word", "in_vocab", "ngrams": [{"ngram", "bucket", "norm", "cosine"}, ...],
"vector": [...], "neighbours": [{"word", "similarity"}, ...]}``. ``vector`` is the vector
the model gives the word, in the vocabulary or not. MODEL is a model-store name or a
Facebook fastText ``.bin`` file.
"""

from __future__ import annotations

from .common import (
    add_format_flag,
    add_json_flag,
    add_quiet_flag,
    add_store_flag,
    at_least,
    model_from,
)


def register(sub) -> None:
    p = sub.add_parser("subwords", help="a word's character n-grams and its FastText vector")
    p.add_argument("model", metavar="MODEL", help="model-store name or fastText .bin file")
    p.add_argument("word", metavar="WORD")
    p.add_argument("--topn", type=at_least(0), default=10, help="neighbours to list (0 = none)")
    add_format_flag(p)
    add_json_flag(p)
    add_store_flag(p)
    add_quiet_flag(p)
    p.set_defaults(handler=run_subwords, render=render_subwords)


def run_subwords(args):
    from ..explore.query import neighbours
    from ..explore.subwords import breakdown

    kv, card = model_from(args)
    result = breakdown(kv, args.word, card.name)
    out = result.to_dict()
    out["neighbours"] = (
        [
            {"word": n.word, "similarity": n.similarity}
            for n in neighbours(kv, args.word, topn=args.topn, model_name=card.name)
        ]
        if args.topn
        else []
    )
    return out


def render_subwords(result: dict) -> str:
    where = (
        "in the vocabulary" if result["in_vocab"] else "not in the vocabulary (built from n-grams)"
    )
    lines = [
        f"{result['word']}: {where}",
        "",
        f"{'n-gram':<14}{'bucket':>10}{'norm':>9}{'cosine':>9}",
    ]
    for row in result["ngrams"]:
        lines.append(
            f"{row['ngram']:<14}{row['bucket']:>10}{row['norm']:>9.4f}{row['cosine']:>9.4f}"
        )
    if result["neighbours"]:
        lines += ["", "neighbours:"]
        lines += [f"  {n['word']:<20}{n['similarity']:.4f}" for n in result["neighbours"]]
    return "\n".join(lines)
