"""Opening a vectors file that may be compressed, with one-line errors for damage.

A file is read through :mod:`embeddings.corpus.textio`'s decompression (gzip, bzip2,
or a zip holding exactly one vectors member), with the inflated size bounded by an
:class:`~embeddings.corpus.textio.InflateBudget`. A zip that holds a pickle, several
files, an encrypted member or an unsupported method is refused before it is read.

Example
-------
>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "tiny.txt")
>>> _ = open(path, "w").write("the 0.1 0.2\\n")
>>> stream, raw, compression = open_stream(Path(path), InflateBudget())
>>> with damaged_archive("tiny.txt", compression):
...     stream.read(3)
b'the'
>>> close_stream(stream, raw)
"""

from __future__ import annotations

import lzma
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ..corpus.textio import InflateBudget, sniff_compression, wrap_decompressed
from ..errors import FormatError, UnsafeFileError

ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)


def open_stream(path: Path, budget: InflateBudget) -> tuple[BinaryIO, BinaryIO, str | None]:
    """(decompressed stream, raw file for progress, compression) for ``path``."""
    raw = open(path, "rb")  # noqa: SIM115 - closed by the caller
    head = raw.read(4)
    raw.seek(0)
    compression = sniff_compression(head)
    if compression != "zip":
        return wrap_decompressed(raw, compression, budget), raw, compression
    try:
        archive = zipfile.ZipFile(raw)
        members = [m for m in archive.infolist() if not m.is_dir()]
    except zipfile.BadZipFile as exc:
        raw.close()
        raise FormatError(f"{path.name} is a damaged zip archive ({exc}).") from None
    if any(m.filename.endswith((".pkl", ".pickle")) for m in members):
        raw.close()
        raise UnsafeFileError(
            f"{path.name} holds a pickle ({', '.join(m.filename for m in members[:3])}); the "
            "lab never unpickles uploaded files because unpickling runs code."
        )
    if len(members) != 1:
        raw.close()
        raise FormatError(
            f"{path.name} holds {len(members)} files; a zip of vectors must hold exactly one."
        )
    member = members[0]
    if member.flag_bits & 0x1:
        raw.close()
        raise FormatError(
            f"{path.name} is an encrypted zip; unpack it with its password and load the file."
        )
    if member.compress_type not in ZIP_METHODS:
        raw.close()
        raise FormatError(
            f"{path.name} uses a zip compression method ({member.compress_type}) that cannot"
            " be read here; repack it with ordinary (deflate) compression or gzip."
        )
    try:
        with damaged_archive(path.name, "zip"):
            opened = archive.open(member)
    except BaseException:
        raw.close()
        raise
    return wrap_decompressed(opened, "zip-member", budget), raw, "zip"


# NotImplementedError: a zip member with strong encryption or patch data
_BROKEN_STREAM = (zlib.error, EOFError, zipfile.BadZipFile, lzma.LZMAError, NotImplementedError)


@contextmanager
def damaged_archive(what: str, compression: str | None) -> Iterator[None]:
    """Turn the errors of a damaged compressed stream into one-line FormatErrors.

    zlib/lzma errors, a stream that ends early (EOFError), a zip member with a bad CRC
    (BadZipFile) or a feature zipfile lacks (NotImplementedError), and bzip2's and
    gzip's "invalid data" (a plain OSError) all mean the same to the user: the file is
    damaged or cannot be read here.
    """
    if compression is None:
        yield
        return
    try:
        yield
    except _BROKEN_STREAM as exc:
        raise _damaged_error(what, compression, exc) from None
    except OSError as exc:
        if type(exc) is not OSError and not isinstance(exc, _gzip_error()):
            raise  # a real I/O error (permission, disk), not the content
        raise _damaged_error(what, compression, exc) from None


def _gzip_error() -> type:
    import gzip

    return gzip.BadGzipFile


def _damaged_error(what: str, compression: str, exc: BaseException) -> FormatError:
    detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
    return FormatError(
        f"{what} is a damaged or truncated {compression} file ({detail}); download or"
        " compress it again."
    )


def close_stream(stream, raw) -> None:
    """Close a decompressing stream and its file; a damaged stream may fail to close."""
    try:
        stream.close()
    except (*_BROKEN_STREAM, OSError):
        pass
    finally:
        raw.close()
