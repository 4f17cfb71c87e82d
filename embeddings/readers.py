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
>>> prepared = prepare_corpus(source, "simple")  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from .errors import CorpusError
from .progress import CancelToken, Progress, ProgressCallback
from .sentences import PreparedCorpus, prepare_bundled_corpus, prepare_documents
from .textio import (
    DEFAULT_MAX_DOCUMENT_CHARS,
    DEFAULT_MAX_INFLATED_BYTES,
    SAMPLE_BYTES,
    InflateBudget,
    iter_line_documents,
    open_text,
    sniff_compression,
    wrap_decompressed,
)

ORIGINS = ("file", "text", "bundled")
FORMATS = ("auto", "text", "csv", "tsv", "zip", "wiki")
COMPRESSION_SUFFIXES = {".gz": "gzip", ".bz2": "bz2"}
TEXT_COLUMN_NAMES = ("text", "document", "review", "sentence", "content", "body", "comment")
_CSV_FIELD_LIMIT = 64 << 20


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
        A key of :data:`embeddings.bundled.BUNDLED_CORPORA` (for ``origin="bundled"``).
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
        """A corpus that ships with the installed packages (see :mod:`embeddings.bundled`)."""
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


def _name_suffixes(name: str) -> tuple[str | None, str]:
    """(compression by suffix, the inner extension) of a file name: ``x.csv.gz`` -> gzip, .csv."""
    suffixes = [s.lower() for s in PurePosixPath(name.replace("\\", "/")).suffixes]
    compression = None
    if suffixes and suffixes[-1] in COMPRESSION_SUFFIXES:
        compression = COMPRESSION_SUFFIXES[suffixes.pop()]
    return compression, (suffixes[-1] if suffixes else "")


def _sniff_format(extension: str, sample: bytes) -> str:
    head = sample.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<mediawiki") or (head.startswith(b"<?xml") and b"<mediawiki" in head):
        return "wiki"
    if extension == ".xml":
        raise CorpusError(
            "This XML file is not a MediaWiki dump (no <mediawiki> element); give a dump, "
            "or choose the text format to read it line by line."
        )
    if extension == ".csv":
        return "csv"
    if extension in (".tsv", ".tab"):
        return "tsv"
    return "text"


class _Peeked(io.RawIOBase):
    """Replays a sample already read from ``rest``."""

    def __init__(self, sample: bytes, rest):
        self._sample, self._rest = memoryview(sample), rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        view = memoryview(buffer)
        if self._sample:
            n = min(len(view), len(self._sample))
            view[:n], self._sample = self._sample[:n], self._sample[n:]
            return n
        data = self._rest.read(len(view))
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._rest.close()
        super().close()


def _peek(stream) -> tuple[bytes, io.BufferedReader]:
    sample = stream.read(SAMPLE_BYTES)
    return sample, io.BufferedReader(_Peeked(sample, stream))


def guess_text_column(columns: list[str]) -> str:
    """The column most likely to hold the text: one named like ``text``, else the first."""
    lowered = [c.strip().lower() for c in columns]
    for wanted in TEXT_COLUMN_NAMES:
        if wanted in lowered:
            return columns[lowered.index(wanted)]
    return columns[0]


class DocumentReader:
    """Reads a :class:`CorpusSource` as documents; iterate over it (more than once if needed).

    Learned attributes (set while reading):

    - ``format_``: the format read (``"text"``, ``"csv"``, ``"tsv"``, ``"zip"``, ``"wiki"``,
      ``"pasted"``, ``"bundled"``);
    - ``compression_``: ``"gzip"``, ``"bz2"`` or None;
    - ``encodings_``: the text encodings used (one per zip member at most);
    - ``columns_`` and ``text_column_``: the CSV/TSV header and the column read;
    - ``members_read_`` and ``members_skipped_``: zip member names read, and
      ``(name, reason)`` for those skipped (binary, empty, encrypted, nested archive);
    - ``documents_``: how many documents were yielded;
    - ``bytes_total_`` / ``bytes_done_``: the file's size and roughly how much was read.

    Example
    -------
    >>> reader = DocumentReader(CorpusSource.from_text("a b\\nc"))
    >>> list(reader), reader.documents_
    (['a b', 'c'], 2)
    """

    def __init__(self, source: CorpusSource):
        self.source = source
        self._reset()

    def _reset(self) -> None:
        self.format_: str | None = None
        self.compression_: str | None = None
        self.encodings_: list[str] = []
        self.columns_: list[str] | None = None
        self.text_column_: str | None = None
        self.members_read_: list[str] = []
        self.members_skipped_: list[tuple[str, str]] = []
        self.documents_ = 0
        self.bytes_total_: int | None = None
        self.bytes_done_ = 0

    @property
    def encoding_(self) -> str | None:
        """The encoding(s) used, joined with ", " when zip members differ."""
        return ", ".join(dict.fromkeys(self.encodings_)) or None

    def __iter__(self) -> Iterator[str]:
        self._reset()
        src = self.source
        if src.origin == "text":
            self.format_ = "pasted"
            docs = iter_line_documents(io.StringIO(src.text or ""), src.max_document_chars)
        elif src.origin == "bundled":
            self.format_ = "bundled"
            docs = self._iter_bundled()
        else:
            docs = self._iter_file()
        for doc in docs:
            self.documents_ += 1
            yield doc
        if self.documents_ == 0:
            raise CorpusError(self._no_documents_message())

    def _no_documents_message(self) -> str:
        what = self.source.label
        if self.members_skipped_:
            skipped = "; ".join(f"{n} ({why})" for n, why in self.members_skipped_[:5])
            return f"No text found in {what}: every member was skipped: {skipped}."
        return f"No documents in {what}: it holds only blank lines (or an empty text column)."

    def _iter_bundled(self) -> Iterator[str]:
        from .bundled import iter_bundled_documents

        try:
            yield from iter_bundled_documents(self.source.bundled_key or "")
        except (KeyError, FileNotFoundError) as exc:
            raise CorpusError(str(exc).strip("'\"")) from None

    # -- files ---------------------------------------------------------------------

    def _iter_file(self) -> Iterator[str]:
        src = self.source
        path = Path(src.path)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise CorpusError(f"Cannot read {src.name}: {exc.strerror}.") from None
        if size == 0:
            raise CorpusError(f"{src.name} is empty: there is no text to read.")
        self.bytes_total_ = size
        budget = InflateBudget(src.max_inflated_bytes)
        _, extension = _name_suffixes(src.name or path.name)
        with open(path, "rb") as raw:
            compression = sniff_compression(raw.read(4))
        if compression == "zip" or src.format == "zip":
            if compression != "zip":
                raise CorpusError(f"{src.name} is not a zip file.")
            self.format_ = "zip"
            yield from self._iter_zip(path, budget)
            return
        raw = open(path, "rb")  # noqa: SIM115 - closed with the stream below
        self.compression_ = compression
        stream = wrap_decompressed(raw, compression, budget)
        self._position = raw.tell
        try:
            yield from self._iter_stream(stream, extension, src.name, budget)
        except (OSError, EOFError) as exc:  # truncated or corrupt gzip/bzip2
            raise CorpusError(f"{src.name} could not be decompressed: {exc}.") from None
        finally:
            stream.close()
        self.bytes_done_ = size

    def _iter_stream(self, stream, extension: str, label: str, budget) -> Iterator[str]:
        """Documents of one decompressed binary stream (a file or a zip member)."""
        src = self.source
        sample, stream = _peek(stream)
        if not sample:
            raise CorpusError(f"{label} is empty: there is no text to read.")
        fmt = src.format if src.format not in ("auto", "zip") else _sniff_format(extension, sample)
        if self.format_ != "zip":
            self.format_ = fmt
        if fmt == "wiki":
            self.encodings_.append("utf-8")
            yield from self._iter_wiki(stream)
            return
        text, encoding = open_text(stream, src.encoding, name=label)
        self.encodings_.append(encoding)
        if fmt in ("csv", "tsv"):
            yield from self._iter_csv(text, fmt, label)
        else:
            for n, doc in enumerate(iter_line_documents(text, src.max_document_chars)):
                if n % 1000 == 0:
                    self._update_position()
                yield doc

    def _update_position(self) -> None:
        position = getattr(self, "_position", None)
        if position is not None:
            try:
                self.bytes_done_ = position()
            except (OSError, ValueError):
                pass

    def _iter_csv(self, text, fmt: str, label: str) -> Iterator[str]:
        csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))
        if fmt == "tsv":  # TSV files rarely quote; a stray quote must not swallow rows
            rows = csv.reader(text, delimiter="\t", quoting=csv.QUOTE_NONE)
        else:
            rows = csv.reader(text)
        try:
            header = next(rows, None)
            if not header:
                raise CorpusError(
                    f"{label} has no header row: the first line must name the columns."
                )
            columns = [c.strip() for c in header]
            self.columns_ = columns
            wanted = self.source.text_column
            if wanted is None:
                wanted = guess_text_column(columns)
            if wanted not in columns:
                raise CorpusError(
                    f"{label} has no column {wanted!r}; its columns are: "
                    + ", ".join(repr(c) for c in columns)
                    + ". Choose one of them as the text column."
                )
            self.text_column_ = wanted
            index = columns.index(wanted)
            for n, row in enumerate(rows):
                if n % 1000 == 0:
                    self._update_position()
                if index < len(row):
                    value = row[index].strip()
                    if value:
                        yield value
        except csv.Error as exc:
            raise CorpusError(f"{label} is not valid {fmt.upper()}: {exc}.") from None

    def _iter_wiki(self, stream) -> Iterator[str]:
        from xml.etree.ElementTree import ParseError

        from gensim.corpora.wikicorpus import extract_pages, filter_wiki

        try:
            for _title, text, _pageid in extract_pages(stream, filter_namespaces=("0",)):
                self._update_position()
                if not text or text.lstrip().lower().startswith("#redirect"):
                    continue
                plain = filter_wiki(text).strip()
                if plain:
                    yield plain
        except ParseError as exc:
            raise CorpusError(f"The MediaWiki dump is not valid XML: {exc}.") from None

    def _iter_zip(self, path: Path, budget: InflateBudget) -> Iterator[str]:
        try:
            archive = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise CorpusError(f"{self.source.name} is not a readable zip file: {exc}.") from None
        with archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            declared = sum(m.file_size for m in members)
            if declared > budget.limit:  # honest headers: refuse before inflating anything
                budget.consume(declared)
            done = 0
            for member in members:
                yield from self._iter_member(archive, member, budget)
                done += member.compress_size
                self.bytes_done_ = done

    def _iter_member(self, archive, member, budget) -> Iterator[str]:
        # The member name is only a label: it is never joined to a path or opened.
        name = member.filename
        base = PurePosixPath(name.replace("\\", "/")).name
        if name.startswith("__MACOSX/") or base.startswith("._") or base == ".DS_Store":
            self.members_skipped_.append((name, "system file"))
            return
        compression, extension = _name_suffixes(base)
        if extension in (".zip", ".gz", ".bz2", ".7z", ".tar", ".rar"):
            self.members_skipped_.append((name, "nested archive"))
            return
        if member.flag_bits & 0x1:
            self.members_skipped_.append((name, "encrypted"))
            return
        if member.file_size == 0:
            self.members_skipped_.append((name, "empty"))
            return
        stream = wrap_decompressed(archive.open(member), "member", budget)
        if compression:
            stream = wrap_decompressed(stream, compression, budget)
        count = 0
        try:
            for doc in self._iter_stream(stream, extension, f"zip member {name!r}", budget):
                count += 1
                yield doc
        except CorpusError as exc:
            if "looks binary" not in str(exc) and "is empty" not in str(exc):
                raise
            self.members_skipped_.append((name, "binary" if "binary" in str(exc) else "empty"))
            return
        except zipfile.BadZipFile as exc:
            raise CorpusError(f"Zip member {name!r} is corrupt: {exc}.") from None
        finally:
            stream.close()
        self.members_read_.append(name)


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

    return prepare_documents(
        iter(reader),
        source.label,
        tokenizer_name,
        out_path=out_path,
        progress=relay,
        cancel=cancel,
        **tokenizer_options,
    )
