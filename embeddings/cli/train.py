"""``train``: train Word2Vec, FastText or GloVe on a text file and store the model.

    python -m embeddings train --algo word2vec --corpus news.txt --out news-w2v [--sg] ...

The corpus is a text file with one document per line (.gz/.bz2 allowed; CSV/TSV, zip
and MediaWiki dumps are sniffed too), or ``bundled:KEY`` for a corpus that ships with the
installed packages (``bundled:wiki``, ``bundled:lee``, ``bundled:wiki+lee``,
``bundled:korean-law``).
"""

from __future__ import annotations

from pathlib import Path

from ..corpus.tokenize import TOKENIZERS
from ..errors import CorpusError
from .common import add_json_flag, add_quiet_flag, add_store_flag, progress_from, store_from
from .engine import add_engine_flags, run_spark_train, uses_spark

GLOVE_DEFAULTS = {"window": 10, "epochs": 15}


def register(sub) -> None:
    p = sub.add_parser("train", help="train a model on a corpus and store it")
    p.add_argument("--algo", choices=("word2vec", "fasttext", "glove"), required=True)
    p.add_argument(
        "--corpus", required=True, help="text file (one document per line) or bundled:KEY"
    )
    p.add_argument("--out", required=True, metavar="NAME", help="model-store name")
    p.add_argument("--tokenizer", choices=TOKENIZERS, default="simple")
    p.add_argument("--vector-size", type=int, default=100)
    p.add_argument("--window", type=int, default=None, help="default 5 (GloVe: 10)")
    p.add_argument("--min-count", type=int, default=5)
    p.add_argument("--epochs", type=int, default=None, help="default 5 (GloVe: 15)")
    p.add_argument("--sg", action="store_true", help="skip-gram (default CBOW)")
    p.add_argument("--hs", action="store_true", help="hierarchical softmax")
    p.add_argument("--negative", type=int, default=5)
    p.add_argument("--sample", type=float, default=None, help="down-sampling threshold (1e-3)")
    p.add_argument("--workers", type=int, default=None, help="threads (default: all cores)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--min-n", type=int, default=3, help="FastText: shortest n-gram")
    p.add_argument("--max-n", type=int, default=6, help="FastText: longest n-gram")
    p.add_argument("--bucket", type=int, default=2_000_000, help="FastText: n-gram buckets")
    p.add_argument("--x-max", type=float, default=100.0, help="GloVe: weighting cut-off")
    p.add_argument("--alpha", type=float, default=0.75, help="GloVe: weighting exponent")
    p.add_argument("--learning-rate", type=float, default=0.05, help="GloVe: initial AdaGrad step")
    p.add_argument("--probe", default="", help="comma-separated words whose neighbours are tracked")
    p.add_argument("--overwrite", action="store_true", help="replace a model of the same name")
    add_store_flag(p)
    add_quiet_flag(p)
    add_json_flag(p)
    add_engine_flags(p)
    p.set_defaults(handler=run, render=render)


def params_from(args) -> dict:
    common = {
        "vector_size": args.vector_size,
        "window": args.window,
        "min_count": args.min_count,
        "epochs": args.epochs,
        "workers": args.workers,
        "seed": args.seed,
    }
    if args.algo == "glove":
        for key, value in GLOVE_DEFAULTS.items():
            if common[key] is None:
                common[key] = value
        return {
            **common,
            "x_max": args.x_max,
            "alpha": args.alpha,
            "learning_rate": args.learning_rate,
        }
    params = {
        **common,
        "sg": int(args.sg),
        "hs": int(args.hs),
        "negative": 0 if args.hs and args.negative == 5 else args.negative,
        "sample": args.sample,
    }
    if args.algo == "fasttext":
        params.update(min_n=args.min_n, max_n=args.max_n, bucket=args.bucket)
    return params


def run(args):
    from ..corpus.sources import CorpusSource, prepare_corpus
    from ..train.trainer import make_params, train_and_store
    from ..vectors.store import validate_name

    if uses_spark(args):
        return run_spark_train(args)
    store = store_from(args)
    name = validate_name(args.out)
    params = make_params(args.algo, **params_from(args))  # bad values fail before reading
    if args.corpus.startswith("bundled:"):
        source = CorpusSource.from_bundled(args.corpus.split(":", 1)[1])
    else:
        path = Path(args.corpus)
        if not path.is_file():
            raise CorpusError(f"Corpus file not found: {args.corpus}")
        source = CorpusSource.from_path(path)
    progress = progress_from(args)
    try:
        corpus = prepare_corpus(source, args.tokenizer, progress=progress)
        probes = [w.strip() for w in args.probe.split(",") if w.strip()]
        result = train_and_store(
            store, corpus, args.algo, params, name, progress, None, probes, args.overwrite
        )
    finally:
        progress.close()
    card = result.card.to_dict()
    card["store"] = str(store.root)
    return card


def render(card) -> str:
    return (
        f"stored {card['name']!r} in {card['store']}: {card['algorithm']}, "
        f"{card['vocab_size']:,} words x {card['vector_size']} dims, "
        f"trained in {card['training_seconds']:.1f} s"
    )
