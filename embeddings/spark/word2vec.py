"""Word2Vec on Spark with MLlib (``pyspark.ml.feature.Word2Vec``), into the model store.

What MLlib trains, honestly: **skip-gram with hierarchical softmax only**. It has no CBOW,
no negative sampling and no down-sampling of frequent words, so a lab model trained here
compares with gensim's ``sg=1, hs=1, negative=0, sample=0``. Each of ``partitions``
partitions trains its own copy of the weights for an iteration and the copies are
averaged, which costs accuracy: keep partitions few (MLlib's advice too); the learning
rate also decays faster with more partitions. The whole model (vocabulary x vector_size
floats, twice) lives on the driver and in every executor: watch their memory for large
vocabularies.

The lab's parameter names map to MLlib's: vector_size -> vectorSize, window ->
windowSize, min_count -> minCount, epochs -> maxIter, alpha -> stepSize, seed -> seed,
partitions -> numPartitions, max_sentence_length -> maxSentenceLength (1000: the lab's
sentence lines are at most 1,000 tokens, so nothing is cut twice).

The vectors leave Spark as parquet (or partition by partition on a remote cluster, see
:mod:`.transfer`) and are streamed into a gensim ``KeyedVectors`` ordered by corpus
frequency, with the counts as the ``count`` attribute (counted on Spark too).

Example
-------
>>> with start_spark("local[2]") as engine:                                 # doctest: +SKIP
...     result = spark_word2vec_and_store(ModelStore(), engine, "news.txt",
...                                       {"epochs": 3}, name="news-spark")
>>> result.kv.most_similar("fire", topn=3)                                  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import Cancelled, EmbeddingsError, EngineError, TrainingError
from ..progress import CancelToken, Progress, ProgressCallback, report
from ..train.trainer import TrainResult
from ..vectors.store import ModelCard, ModelStore, validate_name
from .corpus import read_sentences, spark_vocabulary
from .jobs import SparkRun
from .transfer import iter_batches

OBJECTIVE = (
    "skip-gram with hierarchical softmax (Spark MLlib has no CBOW, no negative sampling "
    "and no down-sampling)"
)
MLLIB_NAMES = {
    "vector_size": "vectorSize",
    "window": "windowSize",
    "min_count": "minCount",
    "epochs": "maxIter",
    "alpha": "stepSize",
    "seed": "seed",
    "partitions": "numPartitions",
    "max_sentence_length": "maxSentenceLength",
}
# gensim settings that mean what MLlib does; any other value is refused.
_FIXED = {"sg": 1, "hs": 1, "negative": 0}


@dataclass
class SparkWord2VecParams:
    """MLlib Word2Vec settings under the lab's names (see the module docstring)."""

    vector_size: int = 100
    window: int = 5
    min_count: int = 5
    epochs: int = 5
    alpha: float = 0.025
    seed: int = 1
    partitions: int = 1
    max_sentence_length: int = 1000

    def validate(self) -> None:
        checks = [
            (1 <= self.vector_size <= 2000, "vector_size must be between 1 and 2000"),
            (self.window >= 1, "window must be at least 1"),
            (self.min_count >= 1, "min_count must be at least 1"),
            (1 <= self.epochs <= 1000, "epochs must be between 1 and 1000"),
            (self.alpha > 0, "alpha must be positive"),
            (self.partitions >= 1, "partitions must be at least 1"),
            (self.max_sentence_length >= 1, "max_sentence_length must be at least 1"),
        ]
        for ok, message in checks:
            if not ok:
                raise TrainingError(f"Invalid parameter: {message}.")

    def mllib(self) -> dict:
        """The settings under MLlib's names."""
        return {MLLIB_NAMES[k]: v for k, v in dataclasses.asdict(self).items()}


def spark_word2vec_params(**overrides) -> SparkWord2VecParams:
    """Checked parameters; ``sg=1, hs=1, negative=0`` are accepted (that is what MLlib
    does), anything else about the objective is refused with the reason.

    >>> spark_word2vec_params(epochs=2, sg=1).mllib()["maxIter"]
    2
    >>> spark_word2vec_params(sg=0)
    Traceback (most recent call last):
    ...
    embeddings.errors.TrainingError: Spark MLlib trains skip-gram with hierarchical softmax only (sg=1, hs=1, negative=0); got sg=0.
    """
    values = {k: v for k, v in overrides.items() if v is not None}
    for key, wanted in _FIXED.items():
        if key in values and values.pop(key) != wanted:
            raise TrainingError(
                "Spark MLlib trains skip-gram with hierarchical softmax only "
                f"(sg=1, hs=1, negative=0); got {key}={overrides[key]}."
            )
    values.pop("sample", None)  # MLlib does not down-sample; 0 or absent both mean that
    values.pop("workers", None)  # Spark's cores are set by the master URL
    known = [f.name for f in dataclasses.fields(SparkWord2VecParams)]
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise TrainingError(
            f"Unknown Spark Word2Vec parameter(s): {', '.join(unknown)}. Known: {', '.join(known)}."
        )
    params = SparkWord2VecParams(**values)
    params.validate()
    return params


def spark_word2vec(
    engine,
    corpus: str | Path,
    params: dict | SparkWord2VecParams | None = None,
    name: str = "model",
    tokenizer: str = "simple",
    input_partitions: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> TrainResult:
    """Train MLlib Word2Vec on ``corpus`` and return vectors (by frequency) and a card.

    Parameters
    ----------
    engine : SparkEngine
    corpus : str or Path
        Text, one document per line, at a local path or a URI Spark reads.
    params : dict or SparkWord2VecParams, optional
        Lab names (see :data:`MLLIB_NAMES`).
    name : str
        The name written into the card.
    tokenizer : {"simple", "whitespace", "korean"}
        Run on the executors.
    input_partitions : int, optional
        Minimum number of partitions the text is read in (tokenizing and counting);
        training uses ``params.partitions``.
    progress, cancel
        Spark task progress (stage ``"spark"``) and cancellation of the job group.

    Raises
    ------
    TrainingError
        Bad parameters, or no word reaches min_count.
    CorpusError, EngineError, Cancelled
    """
    if not isinstance(params, SparkWord2VecParams):
        params = spark_word2vec_params(**(params or {}))
    params.validate()
    from pyspark import StorageLevel
    from pyspark.ml.feature import Word2Vec

    times: dict[str, float] = {}
    sentences = read_sentences(engine, corpus, tokenizer, input_partitions)
    frame = engine.session.createDataFrame(sentences.map(lambda t: (t,)), "tokens array<string>")
    frame = frame.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        with SparkRun(engine, f"Word2Vec {name}", progress, cancel) as run:
            run.phase = "tokenizing and counting words"
            started = time.monotonic()
            vocab = spark_vocabulary(frame.rdd.map(lambda row: row[0]), params.min_count)
            times["vocabulary_s"] = time.monotonic() - started
            if not vocab.words:
                raise TrainingError(
                    f"No word occurs at least min_count={params.min_count} times in the corpus "
                    f"({vocab.tokens:,} tokens); lower min_count or use a larger corpus."
                )
            run.check()
            run.phase = "MLlib Word2Vec fit"
            report(progress, Progress("spark", 0, None, f"training {len(vocab.words):,} words"))
            started = time.monotonic()
            estimator = Word2Vec(inputCol="tokens", outputCol="vector", **params.mllib())
            model = estimator.fit(frame)
            times["fit_s"] = time.monotonic() - started
            run.check()
            run.phase = "vectors to the driver"
            started = time.monotonic()
            kv = _keyed_vectors(engine, model, vocab.words, vocab.counts, params.vector_size)
            times["vectors_s"] = time.monotonic() - started
    finally:
        frame.unpersist()
    card = ModelCard(
        name=name,
        algorithm="word2vec",
        parameters={**dataclasses.asdict(params), **_FIXED, "sample": 0, "mllib": params.mllib()},
        corpus={
            "name": str(corpus),
            "tokenizer": tokenizer,
            "tokens": vocab.tokens,
            "vocab_size": vocab.distinct,
            "vocab_size_at_min_count": len(vocab.words),
            "min_count": params.min_count,
        },
        training_seconds=round(times["fit_s"], 3),
        source="trained",
        notes={
            **engine.describe(),
            "partitions": params.partitions,
            "objective": OBJECTIVE,
            "times": {k: round(v, 3) for k, v in times.items()},
            "history": [],
        },
    )
    return TrainResult(kv, card, [])


def _keyed_vectors(engine, model, words: list[str], counts: np.ndarray, size: int):
    """A KeyedVectors in ``words`` order, filled from the model's vectors slice by slice."""
    from gensim.models import KeyedVectors
    from pyspark.ml.functions import vector_to_array
    from pyspark.sql import functions as F

    index = {w: i for i, w in enumerate(words)}
    vectors = np.zeros((len(words), size), dtype=np.float32)
    filled = np.zeros(len(words), dtype=bool)
    frame = model.getVectors().select(
        "word", vector_to_array(F.col("vector"), dtype="float32").alias("vector")
    )
    for batch in iter_batches(engine, frame):
        batch_words = batch.column("word").to_pylist()
        values = batch.column("vector").flatten().to_numpy(zero_copy_only=False)
        rows = values.reshape(len(batch_words), size)
        for word, row in zip(batch_words, rows, strict=True):
            i = index.get(word)
            if i is None:
                raise EngineError(
                    f"MLlib's vocabulary has {word!r}, which the lab's count left out; "
                    "the two counts disagree."
                )
            vectors[i] = row
            filled[i] = True
    if not filled.all():
        missing = words[int(np.flatnonzero(~filled)[0])]
        raise EngineError(f"MLlib returned no vector for {missing!r}; the two counts disagree.")
    kv = KeyedVectors(size, count=0, dtype=np.float32)
    kv.index_to_key = list(words)
    kv.key_to_index = index
    kv.vectors = vectors
    kv.allocate_vecattrs(["count"], [np.int64])
    kv.expandos["count"][:] = counts
    return kv


def spark_word2vec_and_store(
    store: ModelStore,
    engine,
    corpus: str | Path,
    params: dict | SparkWord2VecParams | None = None,
    name: str = "model",
    tokenizer: str = "simple",
    input_partitions: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    overwrite: bool = False,
) -> TrainResult:
    """Train on Spark (:func:`spark_word2vec`), then save atomically into ``store``.

    The name is checked before Spark does any work.
    """
    name = validate_name(name)
    if store.exists(name) and not overwrite:
        raise EmbeddingsError(f"A model named {name!r} already exists; pick another name.")
    result = spark_word2vec(
        engine, corpus, params, name, tokenizer, input_partitions, progress, cancel
    )
    if cancel is not None and cancel.cancelled:
        raise Cancelled("Training cancelled by the user; no model was saved.")
    result.card = store.save(result.kv, result.card, overwrite=overwrite)
    return result


def train_prepared_on_spark(
    store: ModelStore,
    corpus,
    params: dict | SparkWord2VecParams | None = None,
    name: str = "model",
    master: str = "local[*]",
    conf: dict[str, str] | list[str] | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    overwrite: bool = False,
) -> TrainResult:
    """Start Spark on ``master``, train on a prepared corpus, store the model, stop Spark.

    ``corpus`` is a :class:`~embeddings.corpus.sentences.PreparedCorpus` (its sentence file
    is read with the whitespace tokenizer, so the executors see the lab's tokens); the
    card keeps the corpus's name. This is the app's one call for a Spark run.
    """
    from .corpus import corpus_uri
    from .session import start_spark

    name = validate_name(name)
    if store.exists(name) and not overwrite:
        raise EmbeddingsError(f"A model named {name!r} already exists; pick another name.")
    if not isinstance(params, SparkWord2VecParams):
        params = spark_word2vec_params(**(params or {}))
    uri = corpus_uri(corpus.path)
    report(progress, Progress("spark", 0, None, f"starting Spark on {master}"))
    with start_spark(master, conf) as engine:
        result = spark_word2vec(engine, uri, params, name, "whitespace", None, progress, cancel)
    result.card.corpus["name"] = corpus.name
    result.card.corpus["tokenizer"] = corpus.tokenizer
    if cancel is not None and cancel.cancelled:
        raise Cancelled("Training cancelled by the user; no model was saved.")
    result.card = store.save(result.kv, result.card, overwrite=overwrite)
    return result
