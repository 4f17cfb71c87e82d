"""``cooccur``: a word-word co-occurrence table for chosen words of a corpus.

    python -m embeddings cooccur chapter.txt --window 1 --weighting count \\
        --words I,like,enjoy,deep,learning,NLP,flying

CORPUS is a text file (one document per line; the same reader as ``train``) or
``bundled:KEY`` (tokenized once and kept in the corpus cache of ``--store``). The query
words go through the corpus tokenizer, so ``NLP`` finds ``nlp`` when the tokenizer
lower-cases; rows and columns keep the order and spelling given. ``--json`` prints ``{"words": [...], "matrix": [[...], ...]}``.
"""

from __future__ import annotations

import csv

from ..corpus.tokenize import TOKENIZERS, get_tokenizer
from ..errors import CorpusError
from .common import (
    add_json_flag,
    add_quiet_flag,
    add_store_flag,
    prepared_corpus,
    progress_from,
    store_from,
)
from .engine import add_engine_flags, run_spark_cooccur, uses_spark

WEIGHTING_CHOICES = ("count", "harmonic", "ppmi")


def register(sub) -> None:
    p = sub.add_parser("cooccur", help="co-occurrence counts (or PPMI) between chosen words")
    p.add_argument(
        "corpus", metavar="CORPUS", help="text file (one document per line) or bundled:KEY"
    )
    p.add_argument("--window", type=int, default=2, help="context words on each side (default 2)")
    p.add_argument("--words", required=True, help="comma-separated words, in table order")
    p.add_argument(
        "--weighting",
        choices=WEIGHTING_CHOICES,
        default="count",
        help="count: plain counts; harmonic: 1/distance; ppmi: positive PMI of counts",
    )
    p.add_argument("--tokenizer", choices=TOKENIZERS, default="simple")
    p.add_argument("--min-count", type=int, default=1)
    p.add_argument("--csv", default=None, help="also write the table to this CSV file")
    add_json_flag(p)
    add_quiet_flag(p)
    add_store_flag(p)
    add_engine_flags(p)
    p.set_defaults(handler=run, render=render)


def _query_token(word: str, tokenizer) -> str:
    tokens = tokenizer(word)
    if len(tokens) != 1:
        raise CorpusError(
            f"{word!r} is not a single token for this tokenizer (it gives {tokens}); "
            "choose another word or --tokenizer whitespace."
        )
    return tokens[0]


def run(args):
    from ..corpus.cooccurrence import count_cooccurrences

    words = [w.strip() for w in args.words.split(",") if w.strip()]
    if not words:
        raise CorpusError("Give at least one word with --words w1,w2,...")
    if args.window < 1:
        raise CorpusError("--window must be at least 1.")
    if args.min_count < 1:
        raise CorpusError("--min-count must be at least 1.")
    tokenizer = get_tokenizer(args.tokenizer)
    tokens = [_query_token(w, tokenizer) for w in words]
    weighting = "harmonic" if args.weighting == "harmonic" else "count"
    if uses_spark(args):
        return _table(args, words, tokens, run_spark_cooccur(args, weighting))
    cache = store_from(args).corpus_cache
    progress = progress_from(args)
    try:
        with prepared_corpus(args, cache, progress) as corpus:
            cooc = count_cooccurrences(
                corpus.path,
                window=args.window,
                weighting=weighting,
                min_count=args.min_count,
                progress=progress,
            )
    finally:
        progress.close()
    return _table(args, words, tokens, cooc)


def _table(args, words: list[str], tokens: list[str], cooc) -> dict:
    """The result for the chosen words (and the CSV file when asked for)."""
    table = cooc.table(tokens, weighting="ppmi" if args.weighting == "ppmi" else "raw")
    matrix = [[_number(x) for x in row] for row in table.tolist()]
    if args.csv:
        with open(args.csv, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([args.weighting, *words])
            for word, row in zip(words, matrix, strict=True):
                writer.writerow([word, *row])
    return {"words": words, "matrix": matrix, "weighting": args.weighting, "window": args.window}


def _number(x: float) -> int | float:
    """Whole numbers as ints (plain counts print as in a textbook), others rounded."""
    return int(x) if float(x).is_integer() else round(float(x), 6)


def render(result) -> str:
    """A tab-separated table, rows and columns in the order given."""
    lines = ["\t".join([result["weighting"], *result["words"]])]
    for word, row in zip(result["words"], result["matrix"], strict=True):
        lines.append(
            "\t".join([word, *(f"{x:g}" if isinstance(x, float) else str(x) for x in row)])
        )
    return "\n".join(lines)
