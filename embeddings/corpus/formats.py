"""How each text format becomes records ``(text, title, label)``: lines, fastText lines,
CSV/TSV tables and MediaWiki dumps, plus sniffing a format from a sample.

:class:`~embeddings.corpus.reader.DocumentReader` opens, decompresses and decodes; the
functions here only parse a text (or XML byte) stream. ``tick`` is called now and then
so the reader can update its progress.

Example
-------
>>> import io
>>> table = CsvTable(io.StringIO("id,text\\n1,hello\\n2,\\n3,bye\\n"), "csv", "t.csv", 1000)
>>> table.columns, list(table.records("text"))
(['id', 'text'], [('hello', None, None), ('bye', None, None)])
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator

from ..errors import CorpusError
from .textio import iter_line_documents

TEXT_COLUMN_NAMES = ("text", "document", "review", "sentence", "content", "body", "comment")
FASTTEXT_SNIFF_LINES = 200
TICK_EVERY = 1000
_LABEL_RE = re.compile(r"__label__(\S+)\s*")

Record = tuple[str, str | None, str | None]


def _no_tick() -> None:
    pass


class NotADumpError(CorpusError):
    """An XML file that is not a MediaWiki dump."""


def sniff_format(extension: str, sample: bytes) -> str:
    """``"wiki"``, ``"csv"``, ``"tsv"`` or ``"text"`` from a file's extension and first bytes.

    An ``.xml`` file that is not a MediaWiki dump raises :class:`NotADumpError`. fastText
    lines are told from text later, on the decoded sample (:func:`looks_like_fasttext`).
    """
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


def looks_like_fasttext(sample: str) -> bool:
    """True when most of the first non-blank lines start with ``__label__``.

    >>> looks_like_fasttext("__label__pos good\\n__label__neg bad\\nplain\\n")
    True
    """
    lines = [ln for ln in sample.splitlines() if ln.strip()][:FASTTEXT_SNIFF_LINES]
    labelled = sum(1 for ln in lines if ln.lstrip().startswith("__label__"))
    return bool(lines) and labelled > len(lines) // 2


def parse_fasttext_line(line: str) -> tuple[str, str | None]:
    """``(text, first label or None)`` of a fastText line; every leading label is removed.

    >>> parse_fasttext_line("__label__pos __label__x a fine film")
    ('a fine film', 'pos')
    """
    labels = []
    position = len(line) - len(line.lstrip())
    while (match := _LABEL_RE.match(line, position)) is not None:
        labels.append(match.group(1))
        position = match.end()
    return line[position:].strip(), (labels[0] if labels else None)


def line_records(
    text: io.TextIOBase, max_chars: int, fasttext: bool = False, tick: Callable = _no_tick
) -> Iterator[Record]:
    """One record per non-blank line (long lines cut at white space, see
    :func:`~embeddings.corpus.textio.iter_line_documents`); with ``fasttext``, the labels
    are taken off the line and the first becomes the record's label."""
    for n, line in enumerate(iter_line_documents(text, max_chars)):
        if n % TICK_EVERY == 0:
            tick()
        if not fasttext:
            yield line, None, None
            continue
        body, label = parse_fasttext_line(line)
        if body:
            yield body, None, label


def wiki_records(stream, tick: Callable = _no_tick) -> Iterator[Record]:
    """One record per article of a MediaWiki XML dump, titled, markup stripped.

    Redirects and pages outside the article namespace are skipped.
    """
    from xml.etree.ElementTree import ParseError

    from gensim.corpora.wikicorpus import extract_pages, filter_wiki

    try:
        for title, text, _pageid in extract_pages(stream, filter_namespaces=("0",)):
            tick()
            if not text or text.lstrip().lower().startswith("#redirect"):
                continue
            plain = filter_wiki(text).strip()
            if plain:
                yield plain, title, None
    except ParseError as exc:
        raise CorpusError(f"The MediaWiki dump is not valid XML: {exc}.") from None


def guess_text_column(columns: list[str]) -> str:
    """The column most likely to hold the text: one named like ``text``, else the first."""
    lowered = [c.strip().lower() for c in columns]
    for wanted in TEXT_COLUMN_NAMES:
        if wanted in lowered:
            return columns[lowered.index(wanted)]
    return columns[0]


class BoundedLines:
    """The physical lines of a text stream for ``csv.reader``, a row at most ``limit`` long.

    ``csv.reader`` pulls lines until a row is complete (a quoted cell may span lines), so
    the characters read since :meth:`new_row` are the row's length: reading stops with a
    :class:`CorpusError` one character past the limit instead of buffering a runaway
    quote or a 100 MB line.
    """

    def __init__(self, text: io.TextIOBase, limit: int, label: str):
        self.text = text
        self.limit = limit
        self.label = label
        self.row_chars = 0
        self.lines = 0

    def new_row(self) -> None:
        """Start counting a new row."""
        self.row_chars = 0

    def __iter__(self) -> BoundedLines:
        return self

    def __next__(self) -> str:
        line = self.text.readline(self.limit - self.row_chars + 1)
        if not line:
            raise StopIteration
        self.lines += 1
        self.row_chars += len(line)
        if self.row_chars > self.limit:
            raise CorpusError(
                f"{self.label} has a row longer than {self.limit:,} characters (at line "
                f"{self.lines:,}): usually an unclosed quote. Check the quoting, read the file "
                "with the text format, or raise max_document_chars."
            )
        return line


class CsvTable:
    """A CSV or TSV text stream: the header is read at once, rows on demand.

    Parameters
    ----------
    text : text stream
    fmt : {"csv", "tsv"}
        TSV is read without quoting (a stray quote must not swallow rows).
    label : str
        How errors name the input (a file name, a zip member).
    max_row_chars : int
        A longer row (header included) is a :class:`CorpusError`.
    """

    def __init__(self, text: io.TextIOBase, fmt: str, label: str, max_row_chars: int):
        # The row bound is the real limit; csv's own (process-wide) one must not be
        # smaller, or a long but allowed cell fails with csv's message instead.
        csv.field_size_limit(max(csv.field_size_limit(), max_row_chars + 1))
        self.fmt = fmt
        self.label = label
        self._lines = BoundedLines(text, max_row_chars, label)
        if fmt == "tsv":
            self._rows = csv.reader(self._lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        else:
            self._rows = csv.reader(self._lines)
        header = self._next_row()
        if not header:
            raise CorpusError(f"{label} has no header row: the first line must name the columns.")
        self.columns = [c.strip() for c in header]

    def _next_row(self) -> list[str] | None:
        self._lines.new_row()
        try:
            return next(self._rows, None)
        except csv.Error as exc:
            raise CorpusError(f"{self.label} is not valid {self.fmt.upper()}: {exc}.") from None

    def column_index(self, wanted: str, role: str = "text") -> int:
        """The position of column ``wanted``; a clear error naming the columns if absent."""
        if wanted not in self.columns:
            raise CorpusError(
                f"{self.label} has no {role} column {wanted!r}; its columns are: "
                + ", ".join(repr(c) for c in self.columns)
                + f". Choose one of them as the {role} column."
            )
        return self.columns.index(wanted)

    def records(
        self,
        text_column: str,
        title_column: str | None = None,
        label_column: str | None = None,
        tick: Callable = _no_tick,
    ) -> Iterator[Record]:
        """One record per row with a non-blank text cell (cells stripped).

        An empty title cell gives no title; a missing label cell gives the label ``""``.
        """
        at = self.column_index(text_column, "text")
        title_at = None if title_column is None else self.column_index(title_column, "title")
        label_at = None if label_column is None else self.column_index(label_column, "label")
        n = 0
        while (row := self._next_row()) is not None:
            n += 1
            if n % TICK_EVERY == 0:
                tick()
            value = row[at].strip() if at < len(row) else ""
            if not value:
                continue
            title = label = None
            if title_at is not None and title_at < len(row):
                title = row[title_at].strip() or None
            if label_at is not None:
                label = row[label_at].strip() if label_at < len(row) else ""
            yield value, title, label
