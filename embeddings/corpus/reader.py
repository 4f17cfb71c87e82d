"""The reading machinery behind :mod:`embeddings.corpus.sources`: one class, one format per method.

:class:`DocumentReader` turns a :class:`~embeddings.corpus.sources.CorpusSource` into documents:
plain text (one per line), CSV/TSV (one per row, from the text column), zip members
(read as streams, never extracted: a member name is a label, never a path), MediaWiki
XML dumps (one per article), each possibly gzip- or bzip2-compressed. It records what it
found in attributes ending with ``_``.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from ..errors import CorpusError
from .textio import (
    SAMPLE_BYTES,
    BinaryInputError,
    EmptyInputError,
    InflateBudget,
    PrefixedReader,
    iter_line_documents,
    open_text,
    sniff_compression,
    wrap_decompressed,
)

if TYPE_CHECKING:
    from .sources import CorpusSource

OFFICE_MARKER = "[Content_Types].xml"  # every .docx/.xlsx/.pptx zip has it


class NotADumpError(CorpusError):
    """An XML file that is not a MediaWiki dump."""


COMPRESSION_SUFFIXES = {".gz": "gzip", ".bz2": "bz2"}
TEXT_COLUMN_NAMES = ("text", "document", "review", "sentence", "content", "body", "comment")
_CSV_FIELD_LIMIT = 64 << 20


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
        raise NotADumpError(
            "This XML file is not a MediaWiki dump (no <mediawiki> element); give a dump, "
            "or choose the text format to read it line by line."
        )
    if extension == ".csv":
        return "csv"
    if extension in (".tsv", ".tab"):
        return "tsv"
    return "text"


def _peek(stream) -> tuple[bytes, io.BufferedReader]:
    sample = stream.read(SAMPLE_BYTES)
    return sample, io.BufferedReader(PrefixedReader(sample, stream))


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
    >>> from embeddings.corpus.sources import CorpusSource
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
            raw.close()  # gzip and bz2 readers leave a file object they were given open
        self.bytes_done_ = size

    def _iter_stream(self, stream, extension: str, label: str, budget) -> Iterator[str]:
        """Documents of one decompressed binary stream (a file or a zip member)."""
        src = self.source
        sample, stream = _peek(stream)
        if not sample:
            raise EmptyInputError(f"{label} is empty: there is no text to read.")
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
            if any(m.filename == OFFICE_MARKER for m in members):
                raise CorpusError(
                    f"{self.source.name} is an Office document (docx/xlsx/pptx), not a zip of "
                    "text files; save it as CSV or plain text first."
                )
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
        except BinaryInputError:
            self.members_skipped_.append((name, "binary"))
            return
        except EmptyInputError:
            self.members_skipped_.append((name, "empty"))
            return
        except NotADumpError:
            self.members_skipped_.append((name, "XML, not a MediaWiki dump"))
            return
        except zipfile.BadZipFile as exc:
            raise CorpusError(f"Zip member {name!r} is corrupt: {exc}.") from None
        finally:
            stream.close()
        self.members_read_.append(name)
