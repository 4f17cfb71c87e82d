"""Copy Streamlit uploads to disk, in chunks, so library code can read them by path.

Streamlit holds an upload in server memory as a ``BytesIO`` (``UploadedFile``). The
library (and gensim) wants a path, and calling ``getvalue()`` would make a second full
copy in memory. :func:`save_upload_to_temp` streams the upload into a named temporary
file 1 MiB at a time instead.
"""

from __future__ import annotations

import pathlib
import re
import shutil
import tempfile
from typing import BinaryIO

CHUNK_BYTES = 1 << 20
UPLOAD_DIR_NAME = "embeddings-uploads"
_COMPRESSION_SUFFIXES = {".gz", ".bz2", ".xz", ".zst"}
_SAFE_SUFFIX = re.compile(r"^\.[A-Za-z0-9_-]{1,16}$")


def upload_dir() -> pathlib.Path:
    """The directory that holds copied uploads (created on first use)."""
    path = pathlib.Path(tempfile.gettempdir()) / UPLOAD_DIR_NAME
    path.mkdir(parents=True, exist_ok=True)
    return path


def upload_suffix(name: str | None) -> str:
    """The suffix(es) worth keeping from an upload's file name.

    The last suffix is kept, plus the one before it when the last is a compression
    suffix, so ``"wiki.xml.bz2"`` gives ``".xml.bz2"`` and ``"notes.v2.txt"`` gives
    ``".txt"``. Anything that is not a short alphanumeric suffix is dropped, so a file
    name never injects path characters.

    Examples
    --------
    >>> upload_suffix("corpus.txt.gz")
    '.txt.gz'
    >>> upload_suffix("../../etc/passwd")
    ''
    """
    if not name:
        return ""
    suffixes = pathlib.PurePath(pathlib.PurePath(name.replace("\\", "/")).name).suffixes
    keep: list[str] = []
    for suffix in reversed(suffixes):
        if not _SAFE_SUFFIX.match(suffix):
            break
        keep.insert(0, suffix.lower())
        if suffix.lower() not in _COMPRESSION_SUFFIXES:
            break
        if len(keep) >= 2:
            break
    return "".join(keep)


def save_upload_to_temp(uploaded_file: BinaryIO, suffix: str | None = None) -> pathlib.Path:
    """Copy an uploaded file to a temporary file on disk and return its path.

    Parameters
    ----------
    uploaded_file
        A Streamlit ``UploadedFile`` (or any readable binary file object; its ``name``
        attribute, if any, gives the suffix).
    suffix
        The suffix to give the temporary file; by default the upload's own suffix(es)
        (see :func:`upload_suffix`), e.g. ``".txt.gz"``.

    Returns
    -------
    pathlib.Path
        The temporary file. It is not deleted automatically; the caller may
        ``unlink()`` it when done.

    Examples
    --------
    >>> import io
    >>> buffer = io.BytesIO(b"a b c\\n"); buffer.name = "corpus.txt"
    >>> path = save_upload_to_temp(buffer)
    >>> path.suffix, path.read_bytes()
    ('.txt', b'a b c\\n')
    >>> path.unlink()
    """
    if suffix is None:
        suffix = upload_suffix(getattr(uploaded_file, "name", None))
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    with tempfile.NamedTemporaryFile(
        mode="wb", prefix="upload-", suffix=suffix, dir=upload_dir(), delete=False
    ) as tmp:
        try:
            shutil.copyfileobj(uploaded_file, tmp, CHUNK_BYTES)
        except BaseException:
            tmp.close()
            pathlib.Path(tmp.name).unlink(missing_ok=True)
            raise
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    return pathlib.Path(tmp.name)
