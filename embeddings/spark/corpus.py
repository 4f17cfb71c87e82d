"""A corpus on Spark: text lines tokenized on the executors, and its vocabulary.

The corpus is plain UTF-8 text, one document per line, at a local path or any URI Spark
reads (``file://``, ``hdfs://``, ``s3a://``, a folder of files, ``.gz``/``.bz2`` files).
Each executor tokenizes with the lab's own tokenizers
(:func:`embeddings.corpus.tokenize.get_tokenizer`), drops tokens holding white space and
cuts documents into lines of at most
:data:`~embeddings.corpus.sentences.MAX_LINE_TOKENS` tokens: exactly the lines that
:func:`~embeddings.corpus.sentences.write_sentence_file` writes locally, so the local and
the Spark engines see the same sentences.

The vocabulary follows :func:`embeddings.corpus.cooccurrence.build_vocabulary`: most
frequent first, ties in order of first appearance in the corpus (the partition index and
the token's position in its partition give that order without a global numbering pass).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import numpy as np

from ..corpus.tokenize import TOKENIZERS
from ..errors import CorpusError
from .jobs import executor_error

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def corpus_uri(corpus: str | Path) -> str:
    """The URI Spark reads for ``corpus``; a local path (or ``file://``) must exist.

    >>> corpus_uri("hdfs://namenode:8020/corpora/news.txt.gz")
    'hdfs://namenode:8020/corpora/news.txt.gz'
    """
    text = str(corpus)
    if _SCHEME.match(text):
        if text.startswith("file://"):
            local = Path(urlsplit(text).path)
            if not local.exists():
                raise CorpusError(f"Corpus file not found: {text}")
        return text
    path = Path(text).expanduser()
    if not path.exists():
        raise CorpusError(f"Corpus file not found: {text}")
    # not Path.as_uri(): Hadoop reads percent-escapes (bundled-wiki%2Blee) literally
    return f"file://{path.resolve()}"


def check_tokenizer(name: str) -> None:
    """Raise :class:`CorpusError` for a tokenizer name the lab does not have."""
    if name not in TOKENIZERS:
        raise CorpusError(f"Unknown tokenizer {name!r}; choose one of {', '.join(TOKENIZERS)}.")


def _executor_tokenizer(name: str):
    """The tokenizer, built on an executor (Korean needs kiwipiepy installed there)."""
    from ..corpus.tokenize import get_tokenizer

    if name == "korean":
        try:
            import kiwipiepy  # noqa: F401
        except ImportError:
            raise executor_error(
                CorpusError,
                "The korean tokenizer needs kiwipiepy on every Spark executor and it does not "
                "import there; install kiwipiepy on the workers, or use another tokenizer.",
            ) from None
        # an executor is a worker process already: Kiwi loads there, not in yet another
        return get_tokenizer(name, worker=False)
    return get_tokenizer(name)


class TokenizeLines:
    """Executor function: lines of text -> token lists of at most 1,000 tokens."""

    def __init__(self, tokenizer: str):
        self.tokenizer = tokenizer

    def __call__(self, lines: Iterator[str]) -> Iterator[list[str]]:
        from ..corpus.sentences import chunk_tokens

        tokenize = _executor_tokenizer(self.tokenizer)
        for line in lines:
            if "\ufffd" in line:
                # Spark's JVM decodes lines and turns bytes that are not UTF-8 into U+FFFD
                raise executor_error(
                    CorpusError,
                    "The corpus is not UTF-8 text (Spark read a line as "
                    f"{line[:40]!r}...); convert it (iconv -t utf-8) or use the local engine, "
                    "which detects encodings.",
                )
            tokens = tokenize(line)
            if " ".join(tokens).split() != tokens:
                # the same rule as write_sentence_file: such a token would break the lines
                tokens = [t for t in tokens if t and not any(c.isspace() for c in t)]
            yield from chunk_tokens(tokens)


def read_sentences(
    engine, corpus: str | Path, tokenizer: str = "simple", partitions: int | None = None
):
    """An RDD of token lists (one per sentence line) of ``corpus``, tokenized on executors.

    Parameters
    ----------
    engine : SparkEngine
    corpus : str or Path
        A local path or a URI (see :func:`corpus_uri`).
    tokenizer : {"simple", "whitespace", "korean"}
        ``whitespace`` for a sentence file the lab wrote before.
    partitions : int, optional
        Minimum number of input partitions (default: Spark's choice).
    """
    check_tokenizer(tokenizer)
    uri = corpus_uri(corpus)
    lines = engine.sc.textFile(uri, minPartitions=partitions)
    return lines.mapPartitions(TokenizeLines(tokenizer))


def _partition_counts(index: int, sentences: Iterator[list[str]]):
    """Executor function: ``(word, (count, (partition, first position)))`` per word."""
    counts: Counter = Counter()
    first: dict[str, int] = {}
    position = 0
    for tokens in sentences:
        for token in tokens:
            if token not in first:
                first[token] = position
            position += 1
        counts.update(tokens)
    for word, count in counts.items():
        yield word, (count, (index, first[word]))


def _merge_counts(a, b):
    return a[0] + b[0], min(a[1], b[1])


class SparkVocabulary(NamedTuple):
    """A corpus vocabulary counted on Spark (the first three fields are those of
    :func:`~embeddings.corpus.cooccurrence.build_vocabulary`)."""

    words: list[str]
    counts: np.ndarray
    tokens: int
    distinct: int


def spark_vocabulary(
    sentences, min_count: int = 1, max_vocab: int | None = None
) -> SparkVocabulary:
    """Words seen at least ``min_count`` times, most frequent first, ties in order of
    first appearance; at most ``max_vocab``; with the running token count and the number
    of distinct words. Only the kept words come to the driver.
    """
    per_word = sentences.mapPartitionsWithIndex(_partition_counts).reduceByKey(_merge_counts)
    per_word = per_word.persist()
    try:
        tokens = int(per_word.map(lambda item: item[1][0]).sum())
        distinct = int(per_word.count())
        kept = per_word.filter(lambda item: item[1][0] >= min_count).collect()
    finally:
        per_word.unpersist()
    kept.sort(key=lambda item: (-item[1][0], item[1][1]))
    if max_vocab is not None:
        kept = kept[:max_vocab]
    words = [w for w, _ in kept]
    counts = np.array([c for _, (c, _) in kept], dtype=np.int64)
    return SparkVocabulary(words, counts, tokens, distinct)
