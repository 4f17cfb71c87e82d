"""Document sets: texts with titles and optional labels, read from a CSV/TSV table (a
text column, optional title and label columns), a text file with one document per line,
fastText's ``__label__X text`` lines, or a corpus bundled in gensim's wheel.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorpusError

_LABEL_RE = re.compile(r"^__label__(\S+)\s*")


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


def parse_fasttext_lines(lines: Iterable[str], source: str = "") -> DocumentSet:
    """Read fastText supervised lines (``__label__pos some text``) into a DocumentSet."""
    texts, labels = [], []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        found = []
        while (m := _LABEL_RE.match(line)) is not None:
            found.append(m.group(1))
            line = line[m.end() :]
        texts.append(line)
        labels.append(found[0] if found else "")
    if not texts:
        raise CorpusError("No documents found: the file is empty.")
    return DocumentSet(texts, _unique_titles(snippet_title(t) for t in texts), labels, source)


def table_columns(path: str | Path) -> list[str]:
    """The column names of a CSV/TSV file (its header row)."""
    return list(read_table(path).columns)


def read_table(path: str | Path):
    """Read a CSV or TSV file (separator sniffed) as a pandas DataFrame of strings."""
    import pandas as pd

    path = Path(path)
    raw = path.read_bytes()
    if not raw.strip():
        raise CorpusError(f"{path.name} is empty.")
    if b"\0" in raw[:65536]:
        raise CorpusError(f"{path.name} looks binary (it contains NUL bytes), not a CSV/TSV table.")
    text = _decode(raw, path.name)
    sample = text[:65536]
    if path.suffix.lower() == ".tsv":
        sep = "\t"
    elif path.suffix.lower() == ".csv":
        sep = ","
    else:
        try:
            sep = csv.Sniffer().sniff(sample, delimiters=",\t;").delimiter
        except csv.Error:
            sep = ","
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except Exception as exc:  # pandas raises several parser errors
        raise CorpusError(f"{path.name} could not be read as a table: {exc}") from None
    if frame.empty or len(frame.columns) == 0:
        raise CorpusError(f"{path.name} has no rows.")
    return frame


def _decode(raw: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def read_document_table(
    path: str | Path,
    text_column: str,
    title_column: str | None = None,
    label_column: str | None = None,
) -> DocumentSet:
    """Read documents from a CSV/TSV file with a chosen text column (and optional title and
    label columns). A missing column is an error naming the columns the file has."""
    frame = read_table(path)
    columns = list(frame.columns)
    for role, col in (("text", text_column), ("title", title_column), ("label", label_column)):
        if col is not None and col not in columns:
            raise CorpusError(
                f"{Path(path).name} has no {role} column {col!r}; its columns are: "
                + ", ".join(map(str, columns))
            )
    texts = frame[text_column].astype(str).tolist()
    titles = (
        frame[title_column].astype(str).tolist()
        if title_column
        else [snippet_title(t) for t in texts]
    )
    labels = frame[label_column].astype(str).tolist() if label_column else None
    return DocumentSet(texts, _unique_titles(titles), labels, Path(path).name)


def read_document_lines(path: str | Path) -> DocumentSet:
    """One document per line; fastText ``__label__`` lines are recognised and labelled."""
    path = Path(path)
    raw = path.read_bytes()
    if b"\0" in raw[:65536]:
        raise CorpusError(f"{path.name} looks binary (it contains NUL bytes), not text.")
    lines = [ln for ln in _decode(raw, path.name).splitlines() if ln.strip()]
    if not lines:
        raise CorpusError(f"{path.name} is empty.")
    if sum(1 for ln in lines[:200] if ln.startswith("__label__")) > len(lines[:200]) // 2:
        return parse_fasttext_lines(lines, path.name)
    texts = [ln.strip() for ln in lines]
    return DocumentSet(texts, _unique_titles(snippet_title(t) for t in texts), None, path.name)


BUNDLED_DOCUMENT_SETS = {
    "pang-lee": "Movie-review sentences labelled positive/negative (200; gensim test data)",
    "lee": "Lee news articles (300; gensim test data)",
    "wiki": "English Wikipedia articles, by title (gensim test data)",
}


def bundled_document_set(key: str) -> DocumentSet:
    """A document set shipped inside gensim's wheel (see :data:`BUNDLED_DOCUMENT_SETS`)."""
    from ..corpus.bundled import (
        LEE_BACKGROUND,
        PANG_LEE_POLARITY,
        gensim_data,
        iter_lines,
        iter_wiki_articles,
    )

    if key == "pang-lee":
        return parse_fasttext_lines(
            iter_lines(gensim_data(PANG_LEE_POLARITY)), "pang_lee_polarity.cor"
        )
    if key == "lee":
        texts = list(iter_lines(gensim_data(LEE_BACKGROUND)))
        return DocumentSet(
            texts, _unique_titles(snippet_title(t) for t in texts), None, "lee_background.cor"
        )
    if key == "wiki":
        titles, texts = zip(*iter_wiki_articles(), strict=True)
        return DocumentSet(list(texts), _unique_titles(titles), None, "enwiki (shortened)")
    raise KeyError(
        f"No bundled document set {key!r}; choose one of {sorted(BUNDLED_DOCUMENT_SETS)}."
    )
