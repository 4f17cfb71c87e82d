"""Collecting the rows the parsers of :mod:`.parsing` read: words decoded (broken UTF-8
replaced and counted), duplicates and blank words dropped (counted), the first N kept
(``limit``), the memory budget checked as rows come in, and the rows kept in one
preallocated matrix, in blocks, or handed to a sink (an import into the store).

Bounds: a word is at most :data:`MAX_WORD_CHARS` characters (:data:`MAX_WORD_BYTES`
bytes); a longer one is a :class:`~embeddings.errors.FormatError` naming its line.
"""

from __future__ import annotations

import codecs

import numpy as np

from ..budget import check_memory
from ..errors import FormatError

MAX_DIM = 100_000
MAX_WORD_CHARS = 1_000  # the longest real tokens (URLs, chemical names) are far shorter
MAX_WORD_BYTES = 4 * MAX_WORD_CHARS  # UTF-8 takes at most 4 bytes a character
ROW_OVERHEAD_BYTES = 160  # per word: str header (49), list slot (8), dict entry (~45), int (32)


def word_too_long(what: str, line: int, word: bytes) -> FormatError:
    start = word[:40].decode("utf-8", "replace")
    return FormatError(
        f"{what}, line {line:,}: the word {start!r}... is longer than {MAX_WORD_CHARS:,}"
        " characters; this is not a word vectors file (or its line ends are missing)."
    )


class RowCollector:
    """Accumulates parsed rows; see the module docstring."""

    def __init__(
        self,
        what: str,
        dim: int,
        encoding: str,
        limit: int | None,
        capacity: int | None = None,
        sink=None,
    ):
        if not 1 <= dim <= MAX_DIM:
            raise FormatError(f"{what}: a dimension of {dim:,} is not plausible for word vectors.")
        self.what = what
        self.dim = dim
        self.encoding = encoding
        self.limit = limit
        self.blocks: list[np.ndarray] = []
        self.words: list[str] = []
        self.index: dict[str, int] = {}
        self.replaced = 0
        self.duplicates = 0
        self.empty = 0
        self.rows_read = 0
        self.word_bytes = 0
        self.warnings: list[str] = []
        # With a trustworthy row count (a header that fits the file) rows go straight
        # into one preallocated array, so the peak stays near the vectors' own size.
        if capacity is not None and limit is not None:
            capacity = min(capacity, limit)
        self.filled = 0
        self.matrix = None
        # A sink (an import into the store) takes each block's rows as they come: the
        # vectors are never held in memory at all.
        self.sink = sink
        self._utf8 = codecs.lookup(encoding).name == "utf-8"
        if capacity and sink is None:
            check_memory(self.memory_estimate(capacity, preallocated=True), f"loading {what}")
            self.matrix = np.empty((capacity, dim), dtype=np.float32)

    def memory_estimate(self, rows: int, preallocated: bool | None = None) -> int:
        """Bytes ``rows`` loaded rows take at the peak of a load.

        The vectors count twice unless they go into one preallocated matrix (blocks are
        joined once at the end); each word costs its bytes (the average so far, 8 before
        any) plus :data:`ROW_OVERHEAD_BYTES`.
        """
        if preallocated is None:
            preallocated = self.matrix is not None
        if self.limit is not None:
            rows = min(rows, self.limit)
        word = self.word_bytes / self.rows_read if self.rows_read else 8
        vector = 0 if self.sink is not None else 4 * self.dim * (1 if preallocated else 2)
        return int(rows * (vector + ROW_OVERHEAD_BYTES + word))

    def check_budget(self, fraction_read: float) -> None:
        """Refuse the load (ResourceLimitError) when the rows read so far, projected to
        the whole file (``fraction_read`` of it is read), would not fit the memory budget.

        Called after each block, so a load is refused after its first block when the
        projection is too large, and never grows past the budget when it was too low."""
        fraction = min(max(fraction_read, 1e-9), 1.0)
        projected = int(self.rows_read / fraction)
        check_memory(self.memory_estimate(max(projected, self.rows_read)), f"loading {self.what}")

    @property
    def full(self) -> bool:
        return self.limit is not None and len(self.words) >= self.limit

    def add(self, raw_words: list[bytes], vectors: np.ndarray, first_line: int) -> None:
        """Add one block: ``raw_words[i]`` owns ``vectors[i]`` (read from ``first_line + i``)."""
        finite = np.isfinite(vectors).all(axis=1)
        if not finite.all():
            i = int(np.argmin(finite))
            word = raw_words[i].decode(self.encoding, "replace")
            raise FormatError(
                f"{self.what}: {int((~finite).sum()):,} rows hold NaN or infinite values "
                f"(first: {word!r} on line {first_line + i:,}); the file is damaged."
            )
        self.word_bytes += sum(map(len, raw_words))
        if self._add_clean(raw_words):
            self._take(vectors)
            return
        keep = []
        for i, raw in enumerate(raw_words):
            if self.full:
                break
            self.rows_read += 1
            try:
                word = raw.decode(self.encoding)
            except UnicodeDecodeError:
                word = raw.decode(self.encoding, "replace")
                self.replaced += 1
            if len(word) > MAX_WORD_CHARS:
                raise word_too_long(self.what, first_line + i, raw)
            if not word.strip():
                self.empty += 1
                continue
            if word in self.index:
                self.duplicates += 1
                continue
            self.index[word] = len(self.words)
            self.words.append(word)
            keep.append(i)
        if len(keep) != len(vectors):
            vectors = vectors[keep]
        self._take(vectors)

    def _add_clean(self, raw_words: list[bytes]) -> bool:
        """Add a block whose words are all valid UTF-8, short enough, not blank, new and
        within the limit (nearly every block of a real file) with C-level calls: one
        decode, one split, one dict. False, with nothing changed: the block needs the
        row-by-row path, which counts and reports each exception."""
        if (
            not raw_words
            or not self._utf8
            or (self.limit is not None and len(self.words) + len(raw_words) > self.limit)
        ):
            return False
        try:
            words = b"\n".join(raw_words).decode("utf-8").split("\n")
        except UnicodeDecodeError:
            return False
        if len(words) != len(raw_words) or max(map(len, words)) > MAX_WORD_CHARS:
            return False  # a word held a newline, or is too long (an error row by row)
        if not all(map(str.strip, words)):
            return False
        first = len(self.words)
        fresh = dict(zip(words, range(first, first + len(words)), strict=True))
        if len(fresh) != len(words) or not self.index.keys().isdisjoint(fresh):
            return False
        self.index.update(fresh)
        self.words.extend(words)
        self.rows_read += len(words)
        return True

    def _take(self, vectors: np.ndarray) -> None:
        """The kept rows of a block: to the sink, the preallocated matrix, or a block."""
        if self.sink is not None:
            self.sink.write(vectors)
            return
        if self.matrix is not None and not self.blocks:
            room = min(len(vectors), len(self.matrix) - self.filled)
            self.matrix[self.filled : self.filled + room] = vectors[:room]
            self.filled += room
            vectors = vectors[room:]
        if len(vectors):
            self.blocks.append(vectors)

    def finish(self) -> tuple[np.ndarray | None, list[str]]:
        """``(vectors, words)``; the vectors are None when they went to a sink."""
        if not self.words:
            raise FormatError(f"{self.what} holds no vectors.")
        self._warn()
        if self.sink is not None:
            return None, self.words
        head = []
        if self.matrix is not None:
            if not self.blocks and self.filled < len(self.matrix):
                self.matrix.resize((self.filled, self.dim), refcheck=False)  # shrinks in place
            head = [self.matrix[: self.filled]]
        parts = head + self.blocks
        if len(parts) == 1:
            vectors = np.ascontiguousarray(parts[0], dtype=np.float32)
        else:
            vectors = np.concatenate(parts).astype(np.float32, copy=False)
        self.blocks = []
        self.matrix = None
        return vectors, self.words

    def _warn(self) -> None:
        if self.replaced:
            self.warnings.append(
                f"{self.replaced:,} words had bytes that are not valid {self.encoding}; "
                "they were replaced by U+FFFD."
            )
        if self.duplicates:
            self.warnings.append(f"{self.duplicates:,} repeated words were dropped (first kept).")
        if self.empty:
            self.warnings.append(f"{self.empty:,} rows with an empty word were dropped.")

    def notes(self) -> dict:
        return {
            "rows": len(self.words),
            "replaced_tokens": self.replaced,
            "duplicates": self.duplicates,
            "empty_tokens": self.empty,
        }
