"""Where a corpus comes from and how to read it: the :class:`CorpusSource` value type.

This module holds only the description; :mod:`embeddings.corpus.reader` reads it.

Example
-------
>>> source = CorpusSource.from_text("the cat sat\\nthe dog ran")
>>> source.label
'pasted text'
>>> CorpusSource.from_bundled("lee").label
'bundled:lee'
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import CorpusError
from .textio import DEFAULT_MAX_DOCUMENT_CHARS, DEFAULT_MAX_INFLATED_BYTES

ORIGINS = ("file", "text", "bundled")
FORMATS = ("auto", "text", "fasttext", "csv", "tsv", "zip", "wiki")


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
        A key of :data:`embeddings.corpus.bundled.BUNDLED_FILES` (for ``origin="bundled"``).
    name : str, optional
        The name shown to the user, e.g. an upload's original file name. It also guides
        format sniffing (``reviews.csv.gz``) when the file on disk has another name.
    format : {"auto", "text", "fasttext", "csv", "tsv", "zip", "wiki"}
        ``"auto"`` sniffs the format from content and name.
    text_column : str, optional
        The CSV/TSV column holding the text; by default a column named like ``text``
        or ``document``, else the first column.
    title_column, label_column : str, optional
        CSV/TSV columns giving each document its title and its label.
    encoding : str, optional
        Override the detected encoding (e.g. ``"cp949"``).
    max_inflated_bytes : int
        Limit on decompressed bytes (gzip, bzip2, zip members together).
    max_document_chars : int
        Longer text lines are cut at white space into several documents; a longer CSV/TSV
        row is refused.
    """

    origin: str
    path: Path | None = None
    text: str | None = None
    bundled_key: str | None = None
    name: str | None = None
    format: str = "auto"
    text_column: str | None = None
    title_column: str | None = None
    label_column: str | None = None
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
        """Data that ships with the installed packages (see :mod:`embeddings.corpus.bundled`)."""
        from .bundled import BUNDLED_FILES

        if key not in BUNDLED_FILES:
            raise CorpusError(f"No bundled corpus {key!r}; choose one of {sorted(BUNDLED_FILES)}.")
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
