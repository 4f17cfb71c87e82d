"""``train``: train Word2Vec, FastText or GloVe on a text file and store the model.

    python -m embeddings train --algo word2vec --corpus news.txt --out news-w2v [--sg] ...

The corpus is a text file with one document per line (.gz/.bz2 allowed; CSV/TSV, zip
and MediaWiki dumps are sniffed too), or ``bundled:KEY`` for a corpus that ships with the
installed packages (``bundled:wiki``, ``bundled:lee``, ``bundled:wiki+lee``,
``bundled:korean-law``). Everything is written into the ``--store``: the model, and a
bundled corpus's sentence file in its corpus cache (``<store>/.corpora``); a file's
sentence file lives there only while it trains.

The hyper-parameter flags are generated from :data:`embeddings.train.params.SPECS`
(defaults and bounds in ``--help``). Without ``--bucket``, FastText gets
:func:`~embeddings.train.params.suggest_bucket` of the corpus's vocabulary instead of
the library's 2,000,000. A value out of bounds, or a training whose memory estimate
exceeds the budget, is one line on stderr and exit status 2.
"""

from __future__ import annotations

from ..corpus.tokenize import TOKENIZERS
from ..errors import EmbeddingsError
from ..train.params import ALGORITHMS, SPECS, flag_defaults_help, specs_for, suggest_bucket
from .common import (
    add_json_flag,
    add_quiet_flag,
    add_store_flag,
    prepared_corpus,
    progress_from,
    store_from,
)
from .engine import add_engine_flags, run_spark_train, uses_spark


def add_param_flags(parser) -> None:
    """One flag per hyper-parameter of :data:`~embeddings.train.params.SPECS`.

    Every flag defaults to None ("not given"), so the algorithm's own default applies
    (GloVe's window is 10, Word2Vec's 5) and FastText's bucket count can follow the
    corpus. Two-way switches (``--sg``, ``--hs``) are boolean flags.
    """
    seen = set()
    for spec in SPECS:
        if spec.flag is None or spec.flag in seen:
            continue
        seen.add(spec.flag)
        dest = spec.flag[2:].replace("-", "_")
        if spec.choices is not None:
            parser.add_argument(spec.flag, dest=dest, action="store_true", help=spec.help)
            continue
        text = flag_defaults_help(spec)
        if spec.name == "bucket":  # the CLI scales it with the corpus
            text = text.replace(
                "[default 2,000,000;", "[default about 10 per vocabulary word, 20,000..2,000,000;"
            )
        parser.add_argument(
            spec.flag, dest=dest, type=spec.type, default=None, metavar=dest.upper(), help=text
        )


def register(sub) -> None:
    p = sub.add_parser("train", help="train a model on a corpus and store it")
    p.add_argument("--algo", choices=ALGORITHMS, required=True)
    p.add_argument(
        "--corpus", required=True, help="text file (one document per line) or bundled:KEY"
    )
    p.add_argument("--out", required=True, metavar="NAME", help="model-store name")
    p.add_argument("--tokenizer", choices=TOKENIZERS, default="simple")
    add_param_flags(p)
    p.add_argument("--probe", default="", help="comma-separated words whose neighbours are tracked")
    p.add_argument("--overwrite", action="store_true", help="replace a model of the same name")
    add_store_flag(p)
    add_engine_flags(p)
    add_quiet_flag(p)
    add_json_flag(p)
    p.set_defaults(handler=run, render=render)


def params_from(args) -> dict:
    """The hyper-parameters given on the command line for ``args.algo`` (None: default).

    Flags of other algorithms are ignored. ``--hs`` without ``--negative`` turns
    negative sampling off.
    """
    params = {}
    for spec in specs_for(args.algo):
        if spec.flag is None:
            continue
        value = getattr(args, spec.flag[2:].replace("-", "_"))
        params[spec.name] = int(value) if spec.choices is not None else value
    if params.get("hs") and params.get("negative") is None:
        params["negative"] = 0
    return params


def run(args):
    from ..train.trainer import make_params, train_and_store
    from ..vectors.store import validate_name

    if uses_spark(args):
        return run_spark_train(args)
    store = store_from(args)
    name = validate_name(args.out)
    if args.overwrite and hasattr(store, "refuse_shared"):  # a workspace: before training
        store.refuse_shared(name, "overwritten")
    if store.exists(name) and not args.overwrite:  # before any reading or writing
        raise EmbeddingsError(
            f"A model named {name!r} already exists in {store.root}; pick another name "
            "or add --overwrite."
        )
    params = make_params(args.algo, **params_from(args))  # bad values fail before reading
    cache = store.corpus_cache
    probes = [w.strip() for w in args.probe.split(",") if w.strip()]
    progress = progress_from(args)
    try:
        with prepared_corpus(args, cache, progress) as corpus:
            if args.algo == "fasttext" and args.bucket is None:
                params.bucket = suggest_bucket(corpus.stats.vocab_size(params.min_count))
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
