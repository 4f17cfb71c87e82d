"""Document sets: texts with titles and optional labels, for the recommender and the
classifier.

They are read by the corpus reader (:class:`~embeddings.corpus.reader.DocumentReader`),
so every input it knows works: a CSV/TSV table (a text column, optional title and label
columns), a text file with one document per line, fastText's ``__label__X text`` lines
(labels recognised when most lines start with ``__label__``), a MediaWiki dump (titled
articles), a zip of these, any of them gzip- or bzip2-compressed, in any encoding the
reader detects, streamed rather than loaded whole first; or a set bundled in gensim's
wheel.

Example
-------
>>> docs = document_set_from(CorpusSource.from_text("a cat\\na dog"))
>>> docs.texts, docs.titles, docs.labels
(['a cat', 'a dog'], ['a cat', 'a dog'], None)
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..corpus.reader import DocumentReader
from ..corpus.source import CorpusSource
from ..errors import CorpusError
from ..progress import CancelToken, Progress, ProgressCallback, check_cancel, report


@dataclass
class DocumentSet:
    """Documents with optional titles and labels (all lists of equal length)."""

    texts: list[str]
    titles: list[str]
    labels: list[str] | None = None
    source: str = ""

    def __post_init__(self):
        if len(self.titles) != len(self.texts):
            raise ValueError("titles and texts differ in length")
        if self.labels is not None and len(self.labels) != len(self.texts):
            raise ValueError("labels and texts differ in length")

    def __len__(self) -> int:
        return len(self.texts)

    def fingerprint(self) -> str:
        """A stable hash of the texts (a cache key for stored document vectors)."""
        h = hashlib.sha1()
        for text in self.texts:
            h.update(text.encode("utf-8", "replace"))
            h.update(b"\0")
        return h.hexdigest()[:16]


def snippet_title(text: str, words: int = 8) -> str:
    """The first ``words`` words of ``text`` (with "…" when there are more): a stand-in title."""
    head = " ".join(text.split()[:words])
    return head + ("…" if len(text.split()) > words else "")


def _unique_titles(titles: Sequence[str]) -> list[str]:
    """Make titles unique (a title picks one document) by numbering repeats."""
    seen: Counter = Counter()
    out = []
    for t in titles:
        t = str(t).strip() or "(untitled)"
        seen[t] += 1
        out.append(t if seen[t] == 1 else f"{t} ({seen[t]})")
    return out


def document_set_from(
    source: CorpusSource,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> DocumentSet:
    """Read every document of ``source`` into a :class:`DocumentSet`.

    Titles come from the input (a title column, Wikipedia article titles) or are the
    first words of each text, numbered when repeated. Labels come from a label column or
    fastText ``__label__`` lines (a line without one gets the label ``""``); other inputs
    have no labels. ``progress`` hears a ``"read"`` event every 100 documents, and
    ``cancel`` is checked as often.
    """
    texts, titles, labels = [], [], []
    for doc in DocumentReader(source):
        if len(texts) % 100 == 0:
            check_cancel(cancel)
            report(progress, Progress("read", len(texts), None, f"{len(texts):,} documents"))
        texts.append(doc.text)
        titles.append(doc.title if doc.title is not None else snippet_title(doc.text))
        labels.append(doc.label)
    n = len(texts)
    report(progress, Progress("read", n, n, f"{n:,} documents"))
    has_labels = any(label is not None for label in labels)
    return DocumentSet(
        texts,
        _unique_titles(titles),
        [label or "" for label in labels] if has_labels else None,
        source.name or source.label,
    )


def read_document_set(
    path: str | Path,
    text_column: str | None = None,
    title_column: str | None = None,
    label_column: str | None = None,
    name: str | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> DocumentSet:
    """Read a document set from a file (see the module docstring for what it may be).

    The column options apply to a CSV/TSV; without ``text_column`` a column named like
    ``text`` is used, else the first. ``name`` is the name shown to the user (an upload's
    original name; it also guides format sniffing). A missing column is a
    :class:`~embeddings.errors.CorpusError` naming the columns the file has.
    """
    source = CorpusSource.from_path(
        path,
        name=name,
        text_column=text_column,
        title_column=title_column,
        label_column=label_column,
    )
    return document_set_from(source, progress, cancel)


READ_FIXED_BYTES = 8 << 20  # the reader's buffers and encoding detection
READ_BYTES_PER_BYTE = 12  # plain text: texts, titles and labels as Python strings
READ_BYTES_PER_COMPRESSED_BYTE = 40  # gzip/bz2/zip text inflates several times
COMPRESSED_SUFFIXES = (".gz", ".bz2", ".zip", ".xz")


def document_set_memory_estimate(paths: Sequence[str | Path]) -> int:
    """Bytes reading the files ``paths`` into a :class:`DocumentSet` holds at its peak,
    from their sizes on disk (bundled wiki, 1.7 MB of bz2: measured peak 67 MiB,
    estimate 73 MiB).

    >>> document_set_memory_estimate([]) == READ_FIXED_BYTES
    True
    """
    total = READ_FIXED_BYTES
    for path in paths:
        path = Path(path)
        size = path.stat().st_size if path.is_file() else 0
        compressed = path.name.lower().endswith(COMPRESSED_SUFFIXES)
        total += size * (READ_BYTES_PER_COMPRESSED_BYTE if compressed else READ_BYTES_PER_BYTE)
    return total


def table_columns(path: str | Path, name: str | None = None) -> list[str]:
    """The column names of a CSV/TSV file (only its header is read); ``[]`` for other files."""
    return DocumentReader(CorpusSource.from_path(path, name=name)).read_columns()


BUNDLED_DOCUMENT_SETS = {
    "pang-lee": "Movie-review sentences labelled positive/negative (200; gensim test data)",
    "lee": "Lee news articles (300; gensim test data)",
    "wiki": "English Wikipedia articles, by title (gensim test data)",
}


def bundled_document_set(
    key: str, progress: ProgressCallback | None = None, cancel: CancelToken | None = None
) -> DocumentSet:
    """A document set shipped inside gensim's wheel (see :data:`BUNDLED_DOCUMENT_SETS`),
    with progress and cancellation as :func:`document_set_from`.

    Raises :class:`~embeddings.errors.CorpusError` for another key.
    """
    if key not in BUNDLED_DOCUMENT_SETS:
        raise CorpusError(
            f"No bundled document set {key!r}; choose one of {sorted(BUNDLED_DOCUMENT_SETS)}."
        )
    return document_set_from(CorpusSource.from_bundled(key), progress, cancel)
