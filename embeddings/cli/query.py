"""Queries: ``neighbours``, ``similarity``, ``analogy``, ``odd-one-out``, ``compare``.

    python -m embeddings neighbours MODEL WORD [--topn 10] [--negative W ...] --json
    python -m embeddings similarity MODEL WORD1 WORD2 --json
    python -m embeddings analogy MODEL A B C [--method add|mul] [--topn 10] --json
    python -m embeddings odd-one-out MODEL WORD WORD WORD ... --json
    python -m embeddings compare MODEL1 MODEL2 WORD [--topn 10] --json

MODEL is a model-store name or a vectors file in any supported format. Results equal
gensim's ``most_similar``, ``similarity``, ``most_similar_cosmul`` and ``doesnt_match``.
"""

from __future__ import annotations

import sys

from ..errors import EmbeddingsError
from .common import (
    add_format_flag,
    add_json_flag,
    add_quiet_flag,
    add_store_flag,
    at_least,
    model_from,
    open_model,
    store_from,
)


def _common(p, model: bool = True) -> None:
    if model:
        p.add_argument("model", metavar="MODEL", help="model-store name or vectors file")
    add_format_flag(p)
    add_json_flag(p)
    add_store_flag(p)
    add_quiet_flag(p)


def register(sub) -> None:
    p = sub.add_parser("neighbours", help="nearest neighbours of a word (or of word lists)")
    _common(p)
    p.add_argument("word", metavar="WORD", nargs="+", help="query word(s), added together")
    p.add_argument("--negative", nargs="*", default=[], help="words to subtract")
    p.add_argument("--topn", type=at_least(1), default=10)
    p.add_argument(
        "--restrict-vocab", type=at_least(1), default=None, help="only the N most frequent"
    )
    p.set_defaults(handler=run_neighbours, render=render_ranked)

    p = sub.add_parser("similarity", help="cosine similarity of two words")
    _common(p)
    p.add_argument("word1", metavar="WORD1")
    p.add_argument("word2", metavar="WORD2")
    p.set_defaults(handler=run_similarity, render=lambda r: f"{r['similarity']:.4f}")

    p = sub.add_parser("analogy", help="A : B :: C : ? (B - A + C)")
    _common(p)
    p.add_argument("a", metavar="A")
    p.add_argument("b", metavar="B")
    p.add_argument("c", metavar="C")
    p.add_argument("--method", choices=("add", "mul"), default="add")
    p.add_argument("--topn", type=at_least(1), default=10)
    p.add_argument("--restrict-vocab", type=at_least(1), default=None)
    p.set_defaults(handler=run_analogy, render=render_ranked)

    p = sub.add_parser("odd-one-out", help="the word that does not belong (doesnt_match)")
    _common(p)
    p.add_argument("words", metavar="WORD", nargs="+")
    p.set_defaults(handler=run_odd, render=lambda r: r["odd_one_out"])

    p = sub.add_parser("compare", help="a word's neighbours in two models, and their overlap")
    p.add_argument("model", metavar="MODEL1")
    p.add_argument("model2", metavar="MODEL2")
    p.add_argument("word", metavar="WORD")
    p.add_argument("--topn", type=at_least(1), default=10)
    _common(p, model=False)
    p.set_defaults(handler=run_compare, render=render_compare)


def run_neighbours(args):
    from ..explore.query import neighbours

    kv, card = model_from(args, light=True)
    result = neighbours(
        kv, args.word, args.negative, args.topn, args.restrict_vocab, model_name=card.name
    )
    rows = [{"word": n.word, "similarity": n.similarity} for n in result]
    if result.oov:
        sys.stderr.write(f"note: out of vocabulary, built from subwords: {', '.join(result.oov)}\n")
    return rows


def run_similarity(args):
    from ..explore.query import similarity

    kv, card = model_from(args, light=True)
    return {"similarity": similarity(kv, args.word1, args.word2, card.name)}


def run_analogy(args):
    from ..explore.query import analogy

    kv, card = model_from(args)
    result = analogy(
        kv, args.a, args.b, args.c, args.method, args.topn, args.restrict_vocab, card.name
    )
    return [{"word": n.word, "score": n.similarity} for n in result.candidates]


def run_odd(args):
    from ..explore.query import odd_one_out

    kv, card = model_from(args, light=True)
    odd, scores = odd_one_out(kv, args.words, card.name)
    return {
        "odd_one_out": odd,
        "similarity_to_mean": [{"word": w, "similarity": s} for w, s in scores],
    }


def run_compare(args):
    from ..explore.query import compare_neighbours

    store = store_from(args)
    left, left_card = open_model(args.model, store, format=args.format)
    right, right_card = open_model(args.model2, store, format=args.format)
    if left_card.name == right_card.name and args.model == args.model2:
        raise EmbeddingsError("Give two different models to compare.")
    cmp = compare_neighbours(left, right, args.word, args.topn, (left_card.name, right_card.name))
    return {
        "word": args.word,
        "models": [left_card.name, right_card.name],
        "left": [{"word": n.word, "similarity": n.similarity} for n in cmp.left],
        "right": [{"word": n.word, "similarity": n.similarity} for n in cmp.right],
        "shared": cmp.shared,
        "jaccard": cmp.jaccard,
    }


def render_ranked(rows) -> str:
    key = "similarity" if rows and "similarity" in rows[0] else "score"
    return "\n".join(f"{i:>3}  {r[key]:.4f}  {r['word']}" for i, r in enumerate(rows, 1))


def render_compare(r) -> str:
    a, b = r["models"]
    width = max([len(a)] + [len(n["word"]) for n in r["left"]]) + 2
    lines = [f"{a:<{width}}{b}"]
    for x, y in zip(r["left"], r["right"], strict=False):
        lines.append(f"{x['word']:<{width}}{y['word']}")
    lines.append(f"shared: {len(r['shared'])} of {len(r['left'])} (Jaccard {r['jaccard']:.2f})")
    return "\n".join(lines)
