"""Low-level text input: decompression with a size limit, encoding detection, line reading.

The document reader (:mod:`embeddings.corpus.reader`) stacks these pieces:

1. :func:`sniff_compression` tells gzip, bzip2 and zip from a file's first bytes, and
   :func:`wrap_decompressed` decompresses a stream. Every decompressed byte is counted
   against an :class:`InflateBudget`, so a "zip bomb" stops with
   :class:`InputTooLargeError` once the limit is passed instead of being inflated.
2. :func:`open_text` looks at a sample of the bytes, refuses binary data, detects the
   encoding (UTF-8 with or without BOM, UTF-16 with BOM, legacy encodings such as CP949
   or Latin-1 via charset-normalizer) unless one is given, and returns a text stream.
3. :func:`iter_line_documents` yields one document per line, in bounded memory: a line
   longer than ``max_chars`` is cut at white space into several documents.

Example
-------
>>> import io
>>> stream, encoding = open_text(io.BytesIO("첫 줄\\nsecond line\\n".encode("cp949")))
>>> encoding, list(iter_line_documents(stream))
('cp949', ['첫 줄', 'second line'])
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from typing import BinaryIO

from ..errors import CorpusError, InputTooLargeError

DEFAULT_MAX_INFLATED_BYTES = 2 << 30  # 2 GiB
DEFAULT_MAX_DOCUMENT_CHARS = 1 << 20  # a longer line is cut into pieces at white space
SAMPLE_BYTES = 64 << 10
READ_CHUNK = 1 << 20

GZIP_MAGIC = b"\x1f\x8b"
BZIP2_MAGIC = b"BZh"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")

# Candidates offered to charset-normalizer when a file is not UTF-8: the legacy encodings
# people actually meet. A short list keeps the guess stable on small samples.
LEGACY_ENCODINGS = (
    "cp949",
    "shift_jis",
    "euc_jp",
    "gb18030",
    "big5",
    "cp1251",
    "koi8_r",
    "cp1253",
    "cp1252",
    "latin_1",
)


class BinaryInputError(CorpusError):
    """The bytes are not text (NUL bytes, control characters)."""


class EmptyInputError(CorpusError):
    """There are no bytes at all."""


class InflateBudget:
    """Counts decompressed bytes across one input (all members of a zip together).

    Parameters
    ----------
    limit : int
        The largest number of decompressed bytes allowed.
    """

    def __init__(self, limit: int = DEFAULT_MAX_INFLATED_BYTES):
        self.limit = int(limit)
        self.used = 0

    def consume(self, n: int) -> None:
        """Count ``n`` more bytes; raise :class:`InputTooLargeError` past the limit."""
        self.used += n
        if self.used > self.limit:
            raise InputTooLargeError(
                f"The compressed input inflates to more than {_human(self.limit)}; reading "
                "stopped there. Split it into smaller files, or raise the limit if you trust "
                "the file."
            )


def _human(n: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return str(n)


class _CountingReader(io.RawIOBase):
    """A raw stream that reads from ``inner`` and charges every byte to a budget."""

    def __init__(self, inner: BinaryIO, budget: InflateBudget | None):
        self._inner = inner
        self._budget = budget

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        view = memoryview(buffer)
        data = self._inner.read(min(len(view), READ_CHUNK))
        n = len(data)
        if n and self._budget is not None:
            self._budget.consume(n)
        view[:n] = data
        return n

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            super().close()


class PrefixedReader(io.RawIOBase):
    """A raw stream that replays ``prefix`` and then continues with ``rest``."""

    def __init__(self, prefix: bytes, rest: BinaryIO):
        self._prefix = memoryview(prefix)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        view = memoryview(buffer)
        if self._prefix:
            n = min(len(view), len(self._prefix))
            view[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._rest.read(min(len(view), READ_CHUNK))
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._rest.close()
        finally:
            super().close()


def sniff_compression(head: bytes) -> str | None:
    """``"gzip"``, ``"bz2"``, ``"zip"`` or None, from a file's first bytes."""
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.startswith(BZIP2_MAGIC) and head[3:4].isdigit():
        return "bz2"
    if head.startswith(ZIP_MAGICS):
        return "zip"
    return None


def wrap_decompressed(
    raw: BinaryIO, compression: str | None, budget: InflateBudget | None
) -> BinaryIO:
    """A buffered binary stream of ``raw`` decompressed and charged to ``budget``.

    ``compression`` is ``"gzip"``, ``"bz2"``, None (plain bytes, not counted) or any other
    label for a stream that is already decompressed (a zip member), which is counted.
    """
    if compression == "gzip":
        import gzip

        inner: BinaryIO = gzip.GzipFile(fileobj=raw, mode="rb")
    elif compression == "bz2":
        import bz2

        inner = bz2.BZ2File(raw, mode="rb")
    elif compression is None:
        inner = raw
        budget = None  # plain bytes on disk need no inflate limit
    else:  # already decompressed by the caller (a zip member): count it
        inner = raw
    return io.BufferedReader(_CountingReader(inner, budget), buffer_size=READ_CHUNK)


def looks_binary(sample: bytes) -> bool:
    """True when a sample is not text: it has NUL bytes or many control characters.

    UTF-16 text (which is full of NUL bytes) is recognised by its BOM before this check.
    """
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > 0.05 * len(sample)


def _is_utf8(sample: bytes) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)  # a character cut by the sample's end is fine
    except UnicodeDecodeError:
        return False
    return True


def _looks_korean_cp949(sample: bytes) -> bool:
    """True when the sample decodes as CP949 into mostly Hangul.

    Korean text is this project's second language, and on short samples the generic
    detector confuses CP949 with Big5 or GB18030; Hangul syllables settle it.
    """
    decoder = codecs.getincrementaldecoder("cp949")()
    try:
        text = decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    non_ascii = [c for c in text if ord(c) > 127]
    hangul = sum(1 for c in non_ascii if "\uac00" <= c <= "\ud7a3" or "\u3131" <= c <= "\u318e")
    return bool(non_ascii) and hangul >= 0.6 * len(non_ascii)


def detect_encoding(sample: bytes) -> str:
    """The encoding of a byte sample: a BOM, else UTF-8 if valid, else the best legacy guess.

    Returns a Python codec name: ``"utf-8-sig"``, ``"utf-16"``, ``"utf-8"``, ``"cp949"``,
    ``"latin-1"``, ... Never raises; the last resort is ``"latin-1"``, which decodes any
    byte.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _is_utf8(sample):
        return "utf-8"
    if _looks_korean_cp949(sample):
        return "cp949"
    try:
        import charset_normalizer

        best = charset_normalizer.from_bytes(sample, cp_isolation=list(LEGACY_ENCODINGS)).best()
    except Exception:  # noqa: BLE001 - a failed guess falls back to latin-1
        best = None
    encoding = best.encoding if best is not None else "latin_1"
    if encoding == "cp1252" and not any(0x80 <= b <= 0x9F for b in sample):
        encoding = "latin_1"  # identical on this sample; the name people know
    name = codecs.lookup(encoding).name
    return "latin-1" if name == "iso8859-1" else name


def check_encoding(encoding: str) -> str:
    """Validate an encoding name given by the user; return Python's name for it."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise CorpusError(
            f"Unknown encoding {encoding!r}; try utf-8, utf-8-sig, utf-16, cp949 or latin-1."
        ) from None


def open_text(
    stream: BinaryIO, encoding: str | None = None, name: str = "the file"
) -> tuple[io.TextIOWrapper, str]:
    """A text stream over ``stream`` and the encoding used (detected unless given).

    Raises :class:`CorpusError` when the data is empty or binary. Undecodable bytes are
    replaced with U+FFFD rather than stopping the read.
    """
    sample = stream.read(SAMPLE_BYTES)
    if not sample:
        stream.close()
        raise EmptyInputError(f"{name} is empty: there is no text to read.")
    is_utf16 = sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if encoding is None:
        if not is_utf16 and looks_binary(sample):
            stream.close()
            raise BinaryInputError(
                f"{name} looks binary (it has NUL bytes or control characters), not text. "
                "Give a plain-text, CSV/TSV, zip, gzip/bzip2 or MediaWiki XML file (UTF-16 "
                "text without a byte-order mark: choose the encoding utf-16-le or utf-16-be)."
            )
        encoding = detect_encoding(sample)
    else:
        encoding = check_encoding(encoding)
    joined = io.BufferedReader(PrefixedReader(sample, stream), buffer_size=READ_CHUNK)
    text = io.TextIOWrapper(joined, encoding=encoding, errors="replace", newline=None)
    return text, encoding


def iter_line_documents(
    text: io.TextIOBase, max_chars: int = DEFAULT_MAX_DOCUMENT_CHARS
) -> Iterator[str]:
    """Yield the non-blank lines of ``text``, stripped, in bounded memory.

    A line longer than ``max_chars`` characters is not read whole: it is cut at the last
    white space before each ``max_chars`` boundary, and each piece is a document (a
    piece with no white space at all is cut at ``max_chars``).
    """
    carry = ""
    while True:
        budget = max_chars - len(carry)  # the carry plus the next piece fit in max_chars
        piece = text.readline(budget)
        if not piece:
            break
        if piece.endswith("\n") or len(piece) < budget:
            line = (carry + piece).strip()
            carry = ""
            if line:
                yield line
            continue
        # A partial line: emit up to the last white space, keep the tail for later.
        buffer = carry + piece
        cut = max(buffer.rfind(" "), buffer.rfind("\t"))
        if cut <= 0:  # one enormous "word": cut it at max_chars
            cut = len(buffer)
        head, carry = buffer[:cut].strip(), buffer[cut:]
        if head:
            yield head
    if carry.strip():
        yield carry.strip()
