"""Corpus input for callers: read, list columns, preview and prepare any source.

A :class:`~embeddings.corpus.source.CorpusSource` says where the text is (a file on
disk, pasted text, a bundled corpus) and how to read it; the one reader,
:class:`~embeddings.corpus.reader.DocumentReader`, turns it into documents (see there
for the formats); :func:`prepare_corpus` tokenizes them into a sentence file in a
:class:`~embeddings.corpus.cache.CorpusCache` (or at a path you give).

Decompressed bytes count against ``max_inflated_bytes`` (2 GiB by default): a zip bomb
stops with :class:`~embeddings.errors.InputTooLargeError` at the limit.

Example
-------
>>> source = CorpusSource.from_text("the cat sat\\n\\nthe dog ran")
>>> list(read_documents(source))
['the cat sat', 'the dog ran']
>>> import tempfile
>>> out = tempfile.mkdtemp() + "/pets.txt"
>>> prepared = prepare_corpus(source, "simple", out_path=out)
>>> prepared.stats.documents, prepared.stats.tokens
(2, 6)
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..progress import CancelToken, Progress, ProgressCallback
from .cache import CorpusCache
from .formats import guess_text_column
from .reader import Document, DocumentReader
from .sentences import PreparedCorpus, load_prepared, prepare_documents, require_cache
from .source import FORMATS, CorpusSource

__all__ = [
    "FORMATS",
    "CorpusPreview",
    "CorpusSource",
    "Document",
    "DocumentReader",
    "guess_text_column",
    "list_columns",
    "prepare_bundled_corpus",
    "prepare_corpus",
    "preview_corpus",
    "read_documents",
]


def read_documents(source: CorpusSource) -> Iterator[str]:
    """The texts of the documents of ``source``, one ``str`` each (see :class:`DocumentReader`)."""
    return DocumentReader(source).texts()


def list_columns(source: CorpusSource) -> list[str]:
    """The header of a CSV/TSV source (for a column picker); ``[]`` for other formats.

    Only the header is read, so this is quick on a file of any size.
    """
    return DocumentReader(source).read_columns()


@dataclass
class CorpusPreview:
    """The first documents of a source, their tokens, and what the reader found."""

    documents: list[str]
    tokens: list[list[str]] | None
    format: str | None
    encoding: str | None
    compression: str | None
    columns: list[str] | None
    text_column: str | None
    members_skipped: list[tuple[str, str]] = field(default_factory=list)


def preview_corpus(
    source: CorpusSource,
    n: int = 5,
    tokenizer_name: str | None = None,
    max_chars: int = 400,
    **tokenizer_options,
) -> CorpusPreview:
    """The first ``n`` documents (cut to ``max_chars``) and, given a tokenizer, their tokens.

    Raises :class:`CorpusError` (or :class:`InputTooLargeError`) exactly as reading the
    whole source would for the part it reads.
    """
    reader = DocumentReader(source)
    iterator = reader.texts()
    documents = []
    try:
        for doc in iterator:
            documents.append(doc)
            if len(documents) >= n:
                break
    finally:
        iterator.close()
    tokens = None
    if tokenizer_name is not None:
        from .tokenize import get_tokenizer, tokenize_batches

        tokenize = get_tokenizer(tokenizer_name, **tokenizer_options)
        tokens = [t for batch in tokenize_batches(tokenize, documents) for t in batch]
    return CorpusPreview(
        documents=[d if len(d) <= max_chars else d[:max_chars] + " …" for d in documents],
        tokens=tokens,
        format=reader.format_,
        encoding=reader.encoding_,
        compression=reader.compression_,
        columns=reader.columns_,
        text_column=reader.text_column_,
        members_skipped=list(reader.members_skipped_),
    )


def prepare_corpus(
    source: CorpusSource,
    tokenizer_name: str = "simple",
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    out_path: str | Path | None = None,
    cache: CorpusCache | None = None,
    **tokenizer_options,
) -> PreparedCorpus:
    """Tokenize ``source`` into a sentence file ready for training.

    The file goes to ``out_path`` or, without one, into ``cache`` (one of the two is
    needed). Bundled corpora with default tokenizer options are tokenized once per
    cache and reused. Progress events have stage ``"tokenize"``; ``done``/``total`` are
    bytes read for files and bundled corpora, documents for pasted text.

    Parameters
    ----------
    source : CorpusSource
    tokenizer_name : {"simple", "whitespace", "korean"}
    progress, cancel
        The progress protocol (:mod:`embeddings.progress`).
    out_path : path, optional
        Where to write the sentence file.
    cache : CorpusCache, optional
        Where to keep it otherwise, e.g. ``store.corpus_cache`` of a
        :class:`~embeddings.vectors.store.ModelStore`.
    **tokenizer_options
        For ``"korean"``: ``stopwords``, ``pos_filter``, ``drop_endings``; any: ``jamo``.

    Returns
    -------
    PreparedCorpus
    """
    if source.origin == "bundled" and not tokenizer_options and out_path is None:
        if source.bundled_key == "korean-law":
            tokenizer_name = "korean"  # its words are morphemes; see prepare_bundled_corpus
        out_path = require_cache(cache).bundled_path(source.bundled_key, tokenizer_name)
        try:
            prepared = load_prepared(out_path, source.label, tokenizer_name)
        except (OSError, ValueError, KeyError):
            pass  # not there yet (or damaged): tokenize it now
        else:
            cache.touch(out_path)
            return prepared
    reader = DocumentReader(source)

    def relay(event: Progress) -> None:
        if progress is None:
            return
        if reader.bytes_total_:  # files: report bytes read, which has a known total
            final = event.total is not None and event.done >= event.total
            done = reader.bytes_total_ if final else min(reader.bytes_done_, reader.bytes_total_)
            event = Progress(event.stage, done, reader.bytes_total_, event.message, event.metrics)
        progress(event)

    def documents() -> Iterator[str]:
        # The sentence writer reports every 200 documents; long documents (a Wikipedia
        # article, a Korean bill) also get an event at least every half second.
        last = time.monotonic()
        for n, doc in enumerate(reader.texts(), 1):
            yield doc
            now = time.monotonic()
            if progress is not None and now - last > 0.5:
                last = now
                relay(Progress("tokenize", n, None, f"{n:,} documents"))

    return prepare_documents(
        documents(),
        source.label,
        tokenizer_name,
        out_path=out_path,
        progress=relay,
        cancel=cancel,
        cache=cache,
        **tokenizer_options,
    )


def prepare_bundled_corpus(
    key: str = "wiki+lee",
    tokenizer_name: str = "simple",
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    *,
    cache: CorpusCache,
) -> PreparedCorpus:
    """The bundled corpus ``key`` as a sentence file, tokenized once per cache and reused.

    Keys are those of :data:`embeddings.corpus.bundled.BUNDLED_FILES`. The Korean corpus is
    tokenized with the Korean tokenizer whatever ``tokenizer_name`` says.

    >>> corpus = prepare_bundled_corpus("lee", cache=store.corpus_cache)  # doctest: +SKIP
    """
    return prepare_corpus(
        CorpusSource.from_bundled(key), tokenizer_name, progress, cancel, cache=cache
    )
