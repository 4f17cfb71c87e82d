"""Corpus sources and readers: any input the user has, as an iterator of documents.

A :class:`CorpusSource` says where the text is (a file on disk, pasted text, a bundled
corpus) and how to read it (format, CSV text column, encoding, size limits).
:class:`DocumentReader` turns it into documents (one ``str`` each) and records what it
found (format, compression, encoding, columns, skipped zip members).

Formats of a file, sniffed from its content and name unless given:

- ``text``: one document per line (a line longer than ``max_document_chars`` is cut at
  white space into several documents, so a file with no newline streams too);
- ``csv`` / ``tsv``: one document per row, taken from the chosen text column;
- ``zip``: the members are read as streams (never extracted; member names are labels,
  never paths), each by its own extension;
- ``wiki``: a MediaWiki XML dump, one document per article (markup stripped);
- any of these compressed with gzip or bzip2.

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
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import CorpusError
from ..progress import CancelToken, Progress, ProgressCallback
from .reader import DocumentReader, guess_text_column
from .sentences import PreparedCorpus, prepare_bundled_corpus, prepare_documents
from .textio import DEFAULT_MAX_DOCUMENT_CHARS, DEFAULT_MAX_INFLATED_BYTES

__all__ = [
    "FORMATS",
    "CorpusPreview",
    "CorpusSource",
    "DocumentReader",
    "guess_text_column",
    "list_columns",
    "prepare_corpus",
    "preview_corpus",
    "read_documents",
]

ORIGINS = ("file", "text", "bundled")
FORMATS = ("auto", "text", "csv", "tsv", "zip", "wiki")


@dataclass(frozen=True)
class CorpusSource:
    """Where a corpus comes from and how to read it.

    Build one with :meth:`from_path`, :meth:`from_text` or :meth:`from_bundled`.

    Parameters
    ----------
    origin : {"file", "text", "bundled"}
    path : Path, optional
        The file (for ``origin="file"``).
    text : str, optional
        Pasted text, one document per line (for ``origin="text"``).
    bundled_key : str, optional
        A key of :data:`embeddings.corpus.bundled.BUNDLED_CORPORA` (for ``origin="bundled"``).
    name : str, optional
        The name shown to the user, e.g. an upload's original file name. It also guides
        format sniffing (``reviews.csv.gz``) when the file on disk has another name.
    format : {"auto", "text", "csv", "tsv", "zip", "wiki"}
        ``"auto"`` sniffs the format from content and name.
    text_column : str, optional
        The CSV/TSV column holding the text; by default a column named like ``text``
        or ``document``, else the first column.
    encoding : str, optional
        Override the detected encoding (e.g. ``"cp949"``).
    max_inflated_bytes : int
        Limit on decompressed bytes (gzip, bzip2, zip members together).
    max_document_chars : int
        Longer lines are cut at white space into several documents.
    """

    origin: str
    path: Path | None = None
    text: str | None = None
    bundled_key: str | None = None
    name: str | None = None
    format: str = "auto"
    text_column: str | None = None
    encoding: str | None = None
    max_inflated_bytes: int = DEFAULT_MAX_INFLATED_BYTES
    max_document_chars: int = DEFAULT_MAX_DOCUMENT_CHARS

    def __post_init__(self) -> None:
        if self.origin not in ORIGINS:
            raise CorpusError(f"Unknown corpus origin {self.origin!r}; use one of {ORIGINS}.")
        if self.format not in FORMATS:
            raise CorpusError(f"Unknown format {self.format!r}; use one of {', '.join(FORMATS)}.")

    @classmethod
    def from_path(cls, path: str | Path, name: str | None = None, **options) -> CorpusSource:
        """A file on disk (an upload's temporary copy, or a path on the server)."""
        path = Path(path).expanduser()
        if not path.exists():
            raise CorpusError(f"No file at {path}; check the path.")
        if path.is_dir():
            raise CorpusError(f"{path} is a folder; give a file (zip a folder of text files).")
        return cls("file", path=path, name=name or path.name, **options)

    @classmethod
    def from_text(cls, text: str, name: str = "pasted text") -> CorpusSource:
        """Pasted text, one document per line."""
        return cls("text", text=text, name=name)

    @classmethod
    def from_bundled(cls, key: str) -> CorpusSource:
        """A corpus that ships with the installed packages (see :mod:`embeddings.corpus.bundled`)."""
        from .bundled import BUNDLED_CORPORA

        if key not in BUNDLED_CORPORA:
            raise CorpusError(
                f"No bundled corpus {key!r}; choose one of {sorted(BUNDLED_CORPORA)}."
            )
        return cls("bundled", bundled_key=key, name=key)

    def with_options(self, **options) -> CorpusSource:
        """A copy with some reading options changed (format, text_column, encoding, ...)."""
        return replace(self, **options)

    @property
    def label(self) -> str:
        """A short description kept with the prepared corpus: ``"file:reviews.csv"``, ..."""
        if self.origin == "bundled":
            return f"bundled:{self.bundled_key}"
        if self.origin == "text":
            return "pasted text"
        return f"file:{self.name}"


def read_documents(source: CorpusSource) -> Iterator[str]:
    """The documents of ``source``, one ``str`` each (see :class:`DocumentReader`)."""
    return iter(DocumentReader(source))


def list_columns(source: CorpusSource) -> list[str]:
    """The header of a CSV/TSV source (for a column picker); ``[]`` for other formats."""
    reader = DocumentReader(source.with_options(text_column=None))
    iterator = iter(reader)
    try:
        next(iterator, None)
    except CorpusError:
        if reader.columns_ is None:  # a header with no rows still lists its columns
            raise
    finally:
        iterator.close()
    return list(reader.columns_ or [])


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
    iterator = iter(reader)
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
        from .tokenize import get_tokenizer

        tokenize = get_tokenizer(tokenizer_name, **tokenizer_options)
        tokens = [tokenize(doc) for doc in documents]
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
    **tokenizer_options,
) -> PreparedCorpus:
    """Tokenize ``source`` into a sentence file ready for training.

    Bundled corpora with default tokenizer options come from the on-disk cache. Progress
    events have stage ``"tokenize"``; for files ``done``/``total`` are bytes read.

    Parameters
    ----------
    source : CorpusSource
    tokenizer_name : {"simple", "whitespace", "korean"}
    progress, cancel
        The progress protocol (:mod:`embeddings.progress`).
    out_path : path, optional
        Where to write the sentence file (default: the corpus cache in the model store).
    **tokenizer_options
        For ``"korean"``: ``stopwords`` and ``pos_filter``.

    Returns
    -------
    PreparedCorpus
    """
    if source.origin == "bundled" and not tokenizer_options and out_path is None:
        return prepare_bundled_corpus(source.bundled_key, tokenizer_name, progress, cancel)
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
        for n, doc in enumerate(reader, 1):
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
        **tokenizer_options,
    )
