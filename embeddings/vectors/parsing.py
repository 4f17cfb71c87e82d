"""Row parsers behind :mod:`embeddings.vectors.loading`: word2vec binary and text, GloVe text.

Rows are read in blocks of a megabyte. Each block's numbers are parsed by NumPy's C
text reader (or taken straight from the bytes for binary files) into one float32 array;
:class:`RowCollector` decodes the words, drops duplicates and empty tokens, counts words
with broken UTF-8 and joins the blocks once at the end.

Bounds, so that a hostile file costs time and memory linear in its size and fails early:
a word is at most :data:`MAX_WORD_CHARS` characters (:data:`MAX_WORD_BYTES` bytes), a
number at most :data:`MAX_NUMBER_BYTES` bytes, so a text line is at most
:func:`max_line_bytes` of its dimension; the unfinished line carried from one block to
the next is never longer than that, so no byte is copied more than a bounded number of
times. A row past a bound is a :class:`~embeddings.errors.FormatError` naming its line.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable

import numpy as np

from ..budget import check_memory
from ..errors import FormatError
from .text_layout import is_number, text_layout

BLOCK_BYTES = 1 << 20  # small blocks keep the transient memory small
MAX_DIM = 100_000
MAX_WORD_CHARS = 1_000  # the longest real tokens (URLs, chemical names) are far shorter
MAX_WORD_BYTES = 4 * MAX_WORD_CHARS  # UTF-8 takes at most 4 bytes a character
MAX_NUMBER_BYTES = 64  # a float32 needs 9 significant digits; float64 text 25 characters
ROW_OVERHEAD_BYTES = 160  # per word: str header (49), list slot (8), dict entry (~45), int (32)


def max_line_bytes(dim: int) -> int:
    """The longest text line a row of ``dim`` numbers may have: a word, then numbers."""
    return MAX_WORD_BYTES + dim * (MAX_NUMBER_BYTES + 1) + 1


def _word_too_long(what: str, line: int, word: bytes) -> FormatError:
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
                raise _word_too_long(self.what, first_line + i, raw)
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


def _read_header(stream, what: str) -> tuple[int, int]:
    line = stream.readline(4096)
    fields = line.split()
    if len(fields) != 2 or not all(f.isdigit() for f in fields):
        raise FormatError(f"{what}: the first line should be 'rows dimension', not {line[:60]!r}.")
    return int(fields[0]), int(fields[1])


def _check_count(collector: RowCollector, declared: int) -> None:
    if collector.limit is None and collector.rows_read != declared:
        collector.warnings.append(
            f"The header promised {declared:,} rows but the file holds {collector.rows_read:,};"
            " all rows present were loaded."
        )


def _parse_numbers(nums: list[bytes], words: list[bytes], dim: int, what: str, first_line: int):
    try:
        arr = np.loadtxt(io.BytesIO(b"\n".join(nums)), dtype=np.float32, comments=None, ndmin=2)
    except ValueError:
        arr = None
    if arr is not None and arr.shape == (len(nums), dim):
        return arr
    for i, (word, row) in enumerate(zip(words, nums, strict=True)):
        fields = row.split()
        bad = next((f for f in fields if not is_number(f)), None)
        if bad is not None or len(fields) != dim:
            problem = (
                f"cannot read {bad[:30].decode('utf-8', 'replace')!r} as a number"
                if bad is not None
                else f"{len(fields)} values instead of {dim}"
            )
            raise FormatError(
                f"{what}, line {first_line + i:,} (word {word[:40].decode('utf-8', 'replace')!r}):"
                f" {problem}."
            )
    raise FormatError(f"{what}: rows from line {first_line:,} could not be read.")


def _capacity(declared: int, dim: int, file_bytes: int | None, min_row_bytes: int) -> int | None:
    """``declared`` rows if a file of ``file_bytes`` can hold them, else None (unknown)."""
    if file_bytes is None or declared * min_row_bytes > file_bytes:
        return None
    return declared


def parse_text_rows(
    stream, what: str, header: bool, limit, encoding, tick: Callable, file_bytes=None, sink=None
) -> RowCollector:
    """Rows of a word2vec text file (``header=True``) or a GloVe file (no header).

    ``tick(collector)`` is called after each block (for progress, cancelling and the
    memory budget: see :meth:`RowCollector.check_budget`).
    """
    declared = None
    line_no = 1
    if header:
        declared, dim = _read_header(stream, what)
        line_no = 2
        pending = b""
    else:
        pending = stream.read(BLOCK_BYTES)
        sample = [ln for ln in pending.split(b"\n")[:200] if ln.strip()][:-1] or [pending]
        try:
            dim = text_layout(sample, None)
        except FormatError as exc:
            raise FormatError(f"{what} is not GloVe-style text vectors ({exc}).") from None
    capacity = _capacity(declared, dim, file_bytes, 2 * dim + 1) if declared else None
    collector = RowCollector(what, dim, encoding, limit, capacity, sink)
    longest = max_line_bytes(dim)
    eof = False
    while not eof and not collector.full:
        chunk = stream.read(BLOCK_BYTES)
        eof = not chunk
        data = pending + chunk  # pending is at most one line: a bounded copy per block
        lines = data.split(b"\n")
        pending = b"" if eof else lines.pop()
        if len(pending) > longest:
            _line_too_long(what, line_no + len(lines), pending, dim)
        if b"\t" in data:
            lines = [ln.replace(b"\t", b" ") for ln in lines]
        words, nums, first = [], [], line_no
        for line in lines:
            line_no += 1
            line = line.rstrip()
            if not line:
                continue
            if len(line) > longest:
                _line_too_long(what, line_no - 1, line, dim)
            if line.count(b" ") == dim and not line.startswith(b" "):
                cut = line.index(b" ")
                word = line[:cut]
                rest = line[cut + 1 :]
            else:
                fields = line.split(b" ")
                if len(fields) < dim + 1:
                    raise FormatError(
                        f"{what}, line {line_no - 1:,}: {len(fields) - 1} values instead of {dim}."
                    )
                word = b" ".join(fields[:-dim])
                rest = b" ".join(fields[-dim:])
            if len(word) > MAX_WORD_BYTES:
                raise _word_too_long(what, line_no - 1, word)
            words.append(word)
            nums.append(rest)
        if words:
            collector.add(words, _parse_numbers(nums, words, dim, what, first), first)
        tick(collector)
    if declared is not None:
        _check_count(collector, declared)
    return collector


def _line_too_long(what: str, line_no: int, line: bytes, dim: int) -> None:
    """Raise the FormatError for a line longer than a row of ``dim`` numbers can be."""
    space = line.find(b" ", 0, MAX_WORD_BYTES + 1)
    if space < 0:
        raise _word_too_long(what, line_no, line)
    raise FormatError(
        f"{what}, line {line_no:,}: longer than {max_line_bytes(dim):,} bytes, more than a"
        f" word and {dim:,} numbers can take; the file is damaged (or its line ends are"
        " missing)."
    )


def parse_binary_rows(
    stream, what: str, limit, encoding, tick: Callable, file_bytes=None, sink=None
) -> RowCollector:
    """Rows of a word2vec binary file: ``word`` + space + ``dim`` float32 values.

    ``tick(collector)`` is called after each block of rows, as in :func:`parse_text_rows`.

    A word may be preceded by the newline some writers put after each row; the space
    after it must come within :data:`MAX_WORD_BYTES`, so the buffer never holds more
    than one row and a block.
    """
    declared, dim = _read_header(stream, what)
    capacity = _capacity(declared, dim, file_bytes, 4 * dim + 2)
    collector = RowCollector(what, dim, encoding, limit, capacity, sink)
    width = 4 * dim
    reach = MAX_WORD_BYTES + 2  # the newline before a word, the word, the space
    buf = b""
    pos = 0
    eof = False
    row = 0
    while row < declared and not collector.full:
        words, vecs = [], []
        first = row + 2
        while row < declared and len(words) < 8192:
            space = buf.find(b" ", pos, pos + reach)
            while (space < 0 or len(buf) < space + 1 + width) and not eof:
                if space < 0 and len(buf) - pos >= reach:
                    raise _word_too_long(what, row + 2, buf[pos : pos + reach].lstrip(b"\n"))
                chunk = stream.read(BLOCK_BYTES)
                eof = not chunk
                buf = buf[pos:] + chunk
                pos = 0
                space = buf.find(b" ", pos, pos + reach)
            if space < 0 and len(buf) - pos >= reach:
                raise _word_too_long(what, row + 2, buf[pos : pos + reach].lstrip(b"\n"))
            if space < 0 or len(buf) < space + 1 + width:
                break
            words.append(buf[pos:space].lstrip(b"\n"))
            vecs.append(buf[space + 1 : space + 1 + width])
            pos = space + 1 + width
            row += 1
        if words:
            arr = np.frombuffer(b"".join(vecs), dtype="<f4").reshape(len(words), dim)
            collector.add(words, arr, first)
            tick(collector)
        if len(words) < 8192 and row < declared:
            break  # the file ended early
    if collector.limit is None and row < declared:
        collector.warnings.append(
            f"The header promised {declared:,} rows but the file ends after {row:,};"
            " the complete rows were loaded."
        )
    return collector
