"""``--engine spark`` for ``train`` and ``cooccur``: the flags and the Spark runs.

    python -m embeddings train --engine spark --master "local-cluster[2,1,1024]" \\
        --algo word2vec --corpus hdfs://nn:8020/corpora/news.txt.gz --out news-spark
    python -m embeddings cooccur corpus.txt --engine spark --master spark://host:7077 \\
        --words I,like,enjoy --window 1

The corpus is read by Spark: a local path (it must exist before anything starts) or any
URI Spark reads (``file://``, ``hdfs://``, ``s3a://``), plain text with one document per
line, ``.gz``/``.bz2`` as Spark reads them; ``bundled:KEY`` is prepared on this machine
first. Only Word2Vec trains on Spark, and MLlib trains skip-gram with hierarchical
softmax only (no CBOW, no negative sampling); GloVe's co-occurrence counts run on Spark
with ``cooccur``, GloVe's training stays on one machine.
"""

from __future__ import annotations

import argparse

from ..errors import TrainingError
from ..progress import Progress

ENGINES = ("local", "spark")


def add_engine_flags(parser: argparse.ArgumentParser) -> None:
    """Add ``--engine``, ``--master``, ``--spark-conf`` and ``--partitions``."""
    group = parser.add_argument_group(
        "engine",
        "where the work runs; Spark needs pyspark (make spark) and Java 17. On Spark, "
        "Word2Vec is MLlib's: skip-gram with hierarchical softmax only (no CBOW, no "
        "negative sampling; --sg/--hs/--negative/--sample/--workers do not apply)",
    )
    group.add_argument("--engine", choices=ENGINES, default="local", help="default: local")
    group.add_argument(
        "--master",
        default="local[*]",
        help="Spark master URL: local[*], local-cluster[2,1,1024], spark://host:7077, yarn, "
        "k8s://https://host:port (default local[*])",
    )
    group.add_argument(
        "--spark-conf",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a Spark setting, e.g. spark.executor.memory=4g (repeatable)",
    )
    group.add_argument(
        "--partitions",
        type=int,
        default=None,
        help="Spark: Word2Vec training partitions (default 1; more is faster and less "
        "accurate), or input partitions for cooccur",
    )


def uses_spark(args) -> bool:
    return getattr(args, "engine", "local") == "spark"


def _spark_corpus(args, progress) -> tuple[str, str]:
    """``(corpus, tokenizer)`` Spark reads: a bundled corpus is prepared here first."""
    from ..spark.corpus import corpus_uri

    if args.corpus.startswith("bundled:"):
        from ..corpus.sources import CorpusSource, prepare_corpus
        from .common import store_from

        source = CorpusSource.from_bundled(args.corpus.split(":", 1)[1])
        cache = store_from(args).corpus_cache
        prepared = prepare_corpus(source, args.tokenizer, progress=progress, cache=cache)
        return corpus_uri(prepared.path), "whitespace"
    return corpus_uri(args.corpus), args.tokenizer


def _preflight(args) -> None:
    """The quick checks, before any corpus work: pyspark, the master, Java."""
    from ..spark.session import check_master, find_java, parse_conf, require_pyspark

    require_pyspark()
    parse_conf(args.spark_conf)
    check_master(args.master)
    find_java()


def _start(args, progress):
    from ..spark.session import start_spark

    progress(Progress("spark", 0, None, f"starting Spark on {args.master}"))
    return start_spark(args.master, args.spark_conf)


def run_spark_train(args) -> dict:
    """``train --engine spark``: MLlib Word2Vec into the store; returns the card."""
    from ..vectors.store import validate_name

    _preflight(args)
    from .common import progress_from, store_from

    if args.algo != "word2vec":
        raise TrainingError(
            f"--engine spark trains word2vec only (Spark MLlib); train {args.algo} with "
            "--engine local (GloVe's co-occurrence counts run on Spark with `cooccur`)."
        )
    from ..spark.word2vec import spark_word2vec_and_store, spark_word2vec_params

    store = store_from(args)
    name = validate_name(args.out)
    params = spark_word2vec_params(
        vector_size=args.vector_size,
        window=args.window,
        min_count=args.min_count,
        epochs=args.epochs,
        seed=args.seed,
        partitions=args.partitions,
    )
    if store.exists(name) and not args.overwrite:
        raise TrainingError(f"A model named {name!r} already exists; pick another name.")
    progress = progress_from(args)
    try:
        corpus, tokenizer = _spark_corpus(args, progress)
        with _start(args, progress) as engine:
            result = spark_word2vec_and_store(
                store,
                engine,
                corpus,
                params,
                name,
                tokenizer,
                progress=progress,
                overwrite=args.overwrite,
            )
    finally:
        progress.close()
    card = result.card.to_dict()
    card["store"] = str(store.root)
    return card


def run_spark_cooccur(args, weighting: str):
    """``cooccur --engine spark``: the counts as a Cooccurrence (the local engine's)."""
    _preflight(args)
    from ..spark.cooccurrence import spark_cooccurrences
    from .common import progress_from

    progress = progress_from(args)
    try:
        corpus, tokenizer = _spark_corpus(args, progress)
        with _start(args, progress) as engine:
            return spark_cooccurrences(
                engine,
                corpus,
                window=args.window,
                weighting=weighting,
                min_count=args.min_count,
                tokenizer=tokenizer,
                partitions=args.partitions,
                progress=progress,
            )
    finally:
        progress.close()
