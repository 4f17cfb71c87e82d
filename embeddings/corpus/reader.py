"""The one document reader: every supported input, streamed, as :class:`Document` values.

:class:`DocumentReader` turns a :class:`~embeddings.corpus.source.CorpusSource` into
documents:

- ``text``: one document per line (a line longer than ``max_document_chars`` is cut at
  white space into several documents, so a file with no newline streams too);
- ``fasttext``: fastText's ``__label__pos some text`` lines, the first label kept as the
  document's label (sniffed when most of the first lines start with ``__label__``);
- ``csv`` / ``tsv``: one document per row, from the text column, with optional title
  and label columns; a row longer than ``max_document_chars`` is refused early;
- ``zip``: the members read as streams (never extracted: a member name is a label,
  never a path), each by its own extension;
- ``wiki``: a MediaWiki XML dump, one document per article, titled by the article;
- any of these compressed with gzip or bzip2, and the bundled corpora
  (:mod:`embeddings.corpus.bundled` says which files, in which format).

Decompressed bytes count against ``max_inflated_bytes``; a corrupt archive, an
encrypted member or a wrong column is a :class:`~embeddings.errors.CorpusError`.
What the reader found is kept in attributes ending with ``_``.

Example
-------
>>> from embeddings.corpus.source import CorpusSource
>>> list(DocumentReader(CorpusSource.from_text("a b\\nc")))
[Document(text='a b', title=None, label=None), Document(text='c', title=None, label=None)]
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import CorpusError
from .formats import (
    CsvTable,
    NotADumpError,
    guess_text_column,
    line_records,
    looks_like_fasttext,
    sniff_format,
    wiki_records,
)
from .source import CorpusSource
from .textio import (
    SAMPLE_BYTES,
    BinaryInputError,
    EmptyInputError,
    InflateBudget,
    PrefixedReader,
    open_text,
    sniff_compression,
    wrap_decompressed,
)

OFFICE_MARKER = "[Content_Types].xml"  # every .docx/.xlsx/.pptx zip has it
COMPRESSION_SUFFIXES = {".gz": "gzip", ".bz2": "bz2"}
_ENCRYPTED = 0x1 | 0x40  # zip flag bits: traditional and strong encryption


@dataclass(frozen=True, slots=True)
class Document:
    """One document: its text and, when the input has them, a title and a label.

    Wikipedia articles have titles, CSV/TSV rows get them from a title column, fastText
    lines and label columns give labels; other inputs leave them None.
    """

    text: str
    title: str | None = None
    label: str | None = None


class _HeaderRead(Exception):
    """Internal: stops reading once the CSV/TSV header (or the format) is known."""


def _name_suffixes(name: str) -> tuple[str | None, str]:
    """(compression by suffix, the inner extension) of a file name: ``x.csv.gz`` -> gzip, .csv."""
    suffixes = [s.lower() for s in PurePosixPath(name.replace("\\", "/")).suffixes]
    compression = None
    if suffixes and suffixes[-1] in COMPRESSION_SUFFIXES:
        compression = COMPRESSION_SUFFIXES[suffixes.pop()]
    return compression, (suffixes[-1] if suffixes else "")


class DocumentReader:
    """Reads a :class:`CorpusSource` as :class:`Document` values; iterate (more than once).

    Learned attributes (set while reading):

    - ``format_``: the format read (``"text"``, ``"fasttext"``, ``"csv"``, ``"tsv"``,
      ``"zip"``, ``"wiki"``, ``"pasted"``, ``"bundled"``);
    - ``compression_``: ``"gzip"``, ``"bz2"`` or None;
    - ``encodings_``: the text encodings used (one per file or zip member at most);
    - ``columns_`` and ``text_column_``: the CSV/TSV header and the text column read;
    - ``members_read_`` and ``members_skipped_``: zip member names read, and
      ``(name, reason)`` for those skipped (binary, empty, encrypted, nested archive, ...);
    - ``documents_``: how many documents were yielded;
    - ``bytes_total_`` / ``bytes_done_``: the size of the file(s) and roughly how much
      was read.

    Example
    -------
    >>> reader = DocumentReader(CorpusSource.from_text("a b\\nc"))
    >>> list(reader.texts()), reader.documents_
    (['a b', 'c'], 2)
    """

    def __init__(self, source: CorpusSource):
        self.source = source
        self._header_only = False
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
        self._offset = 0  # bytes of the files of a bundled corpus read before this one
        self._position = None

    @property
    def encoding_(self) -> str | None:
        """The encoding(s) used, joined with ", " when files or zip members differ."""
        return ", ".join(dict.fromkeys(self.encodings_)) or None

    def __iter__(self) -> Iterator[Document]:
        for text, title, label in self._counted():
            yield Document(text, title, label)

    def texts(self) -> Iterator[str]:
        """The documents' texts only (the trainer's path: no value object per document)."""
        for text, _title, _label in self._counted():
            yield text

    def read_columns(self) -> list[str]:
        """The CSV/TSV header, reading nothing past it; ``[]`` for other formats."""
        self._reset()
        self._header_only = True
        try:
            for _ in self._records():
                break
        except _HeaderRead:
            pass
        finally:
            self._header_only = False
        return list(self.columns_ or [])

    def _counted(self) -> Iterator[tuple[str, str | None, str | None]]:
        self._reset()
        for record in self._records():
            self.documents_ += 1
            yield record
        if self.documents_ == 0:
            raise CorpusError(self._no_documents_message())

    def _no_documents_message(self) -> str:
        what = self.source.label
        if self.members_skipped_:
            skipped = "; ".join(f"{n} ({why})" for n, why in self.members_skipped_[:5])
            return f"No text found in {what}: every member was skipped: {skipped}."
        return f"No documents in {what}: it holds only blank lines (or an empty text column)."

    def _records(self) -> Iterator[tuple[str, str | None, str | None]]:
        src = self.source
        if src.origin == "text":
            self.format_ = "pasted"
            yield from line_records(io.StringIO(src.text or ""), src.max_document_chars)
        elif src.origin == "bundled":
            from .bundled import bundled_files

            self.format_ = "bundled"
            files = bundled_files(src.bundled_key or "")
            self.bytes_total_ = sum(f.path.stat().st_size for f in files)
            for file in files:
                yield from self._iter_path(file.path, file.path.name, file.format)
                self._offset += file.path.stat().st_size
        else:
            self.bytes_total_ = self._size(Path(src.path), src.name)
            yield from self._iter_path(Path(src.path), src.name or Path(src.path).name, src.format)

    # -- files ---------------------------------------------------------------------

    @staticmethod
    def _size(path: Path, name: str | None) -> int:
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise CorpusError(f"Cannot read {name}: {exc.strerror}.") from None
        if size == 0:
            raise CorpusError(f"{name} is empty: there is no text to read.")
        return size

    def _iter_path(self, path: Path, name: str, fmt: str) -> Iterator[tuple]:
        """Records of one file on disk: a zip, or a (possibly compressed) stream."""
        size = self._size(path, name)
        budget = InflateBudget(self.source.max_inflated_bytes)
        _, extension = _name_suffixes(name)
        with open(path, "rb") as raw:
            compression = sniff_compression(raw.read(4))
        if compression == "zip" or fmt == "zip":
            if compression != "zip":
                raise CorpusError(f"{name} is not a zip file.")
            self.format_ = self.format_ or "zip"
            yield from self._iter_zip(path, name, fmt, budget)
            return
        raw = open(path, "rb")  # noqa: SIM115 - closed with the stream below
        self.compression_ = compression
        stream = wrap_decompressed(raw, compression, budget)
        self._position = raw.tell
        try:
            yield from self._iter_stream(stream, extension, name, fmt)
        except (OSError, EOFError, zlib.error) as exc:  # truncated or corrupt gzip/bzip2
            raise CorpusError(
                f"{name} could not be decompressed ({exc}); the file is truncated or "
                "corrupt: download or compress it again."
            ) from None
        finally:
            self._position = None
            stream.close()
            raw.close()  # gzip and bz2 readers leave a file object they were given open
        self.bytes_done_ = self._offset + size

    def _iter_stream(self, stream, extension: str, label: str, fmt: str) -> Iterator[tuple]:
        """Records of one decompressed binary stream (a file or a zip member)."""
        src = self.source
        sample = stream.read(SAMPLE_BYTES)
        if not sample:
            raise EmptyInputError(f"{label} is empty: there is no text to read.")
        stream = io.BufferedReader(PrefixedReader(sample, stream))
        auto = fmt in ("auto", "zip")
        if auto:
            fmt = sniff_format(extension, sample)
        if fmt == "wiki":
            self._found(fmt)
            self.encodings_.append("utf-8")
            self._stop_if_header_only()
            yield from wiki_records(stream, self._update_position)
            return
        text, encoding = open_text(stream, src.encoding, name=label)
        self.encodings_.append(encoding)
        if fmt in ("csv", "tsv"):
            self._found(fmt)
            table = CsvTable(text, fmt, label, src.max_document_chars)
            self.columns_ = table.columns
            self._stop_if_header_only()
            wanted = src.text_column
            self.text_column_ = wanted if wanted is not None else guess_text_column(table.columns)
            yield from table.records(
                self.text_column_, src.title_column, src.label_column, self._update_position
            )
            return
        if auto and looks_like_fasttext(sample.decode(encoding, errors="replace")):
            fmt = "fasttext"
        self._found(fmt)
        self._stop_if_header_only()
        yield from line_records(
            text, src.max_document_chars, fmt == "fasttext", self._update_position
        )

    def _stop_if_header_only(self) -> None:
        if self._header_only:
            raise _HeaderRead

    def _found(self, fmt: str) -> None:
        if self.format_ is None:  # a zip or a bundled corpus keeps its own name
            self.format_ = fmt

    def _update_position(self) -> None:
        if self._position is not None:
            try:
                self.bytes_done_ = self._offset + self._position()
            except (OSError, ValueError):
                pass

    # -- zip -----------------------------------------------------------------------

    def _iter_zip(self, path: Path, name: str, fmt: str, budget: InflateBudget) -> Iterator:
        try:
            archive = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise CorpusError(f"{name} is not a readable zip file: {exc}.") from None
        with archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if any(m.filename == OFFICE_MARKER for m in members):
                raise CorpusError(
                    f"{name} is an Office document (docx/xlsx/pptx), not a zip of "
                    "text files; save it as CSV or plain text first."
                )
            declared = sum(m.file_size for m in members)
            if declared > budget.limit:  # honest headers: refuse before inflating anything
                budget.consume(declared)
            done = 0
            for member in members:
                yield from self._iter_member(archive, member, fmt, budget)
                done += member.compress_size
                self.bytes_done_ = self._offset + done

    def _skip(self, name: str, reason: str) -> None:
        self.members_skipped_.append((name, reason))

    def _iter_member(self, archive, member, fmt: str, budget) -> Iterator[tuple]:
        # The member name is only a label: it is never joined to a path or opened.
        name = member.filename
        base = PurePosixPath(name.replace("\\", "/")).name
        if name.startswith("__MACOSX/") or base.startswith("._") or base == ".DS_Store":
            self._skip(name, "system file")
            return
        compression, extension = _name_suffixes(base)
        if extension in (".zip", ".gz", ".bz2", ".7z", ".tar", ".rar"):
            self._skip(name, "nested archive")
            return
        if member.flag_bits & _ENCRYPTED:
            self._skip(name, "encrypted")
            return
        if member.file_size == 0:
            self._skip(name, "empty")
            return
        try:
            opened = archive.open(member)
        except NotImplementedError:  # Deflate64, AES (method 99), ...; a RuntimeError too
            self._skip(name, "unsupported compression method")
            return
        except RuntimeError:  # zipfile's "File is encrypted, password required"
            self._skip(name, "encrypted")
            return
        except zipfile.BadZipFile as exc:
            raise CorpusError(f"Zip member {name!r} is corrupt: {exc}.") from None
        stream = wrap_decompressed(opened, "member", budget)
        if compression:
            stream = wrap_decompressed(stream, compression, budget)
        try:
            yield from self._iter_stream(stream, extension, f"zip member {name!r}", fmt)
        except BinaryInputError:
            self._skip(name, "binary")
            return
        except EmptyInputError:
            self._skip(name, "empty")
            return
        except NotADumpError:
            self._skip(name, "XML, not a MediaWiki dump")
            return
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
            raise CorpusError(f"Zip member {name!r} is corrupt: {exc}.") from None
        finally:
            stream.close()
        self.members_read_.append(name)
