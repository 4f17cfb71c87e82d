"""Copy Streamlit uploads to disk, in chunks, so library code can read them by path.

Streamlit holds an upload in server memory as a ``BytesIO`` (``UploadedFile``). The
library (and gensim) wants a path, and calling ``getvalue()`` would make a second full
copy in memory. :func:`save_upload_to_temp` streams the upload into a named temporary
file 1 MiB at a time instead.

The copies live in a private folder (mode 0700, an unpredictable name made once per
server process, removed when the process ends); pages delete a copy once its upload is
replaced or removed, and copies older than :data:`MAX_AGE_SECONDS` (sessions that went
away) are swept before every new copy.
"""

from __future__ import annotations

import atexit
import pathlib
import re
import shutil
import tempfile
import threading
import time
from typing import BinaryIO

CHUNK_BYTES = 1 << 20
MAX_AGE_SECONDS = 6 * 3600
_DIR_LOCK = threading.Lock()
_UPLOAD_DIR: pathlib.Path | None = None
_COMPRESSION_SUFFIXES = {".gz", ".bz2", ".xz", ".zst"}
_SAFE_SUFFIX = re.compile(r"^\.[A-Za-z0-9_-]{1,16}$")


def upload_dir() -> pathlib.Path:
    """This server process's private folder of copied uploads (made on first use)."""
    global _UPLOAD_DIR
    with _DIR_LOCK:
        if _UPLOAD_DIR is None or not _UPLOAD_DIR.is_dir():
            _UPLOAD_DIR = pathlib.Path(tempfile.mkdtemp(prefix="embeddings-uploads-"))
            atexit.register(shutil.rmtree, _UPLOAD_DIR, True)
        return _UPLOAD_DIR


def sweep_uploads(max_age: float = MAX_AGE_SECONDS) -> int:
    """Delete copies (files or folders) older than ``max_age`` seconds; return how many."""
    cutoff = time.time() - max_age
    removed = 0
    for entry in upload_dir().iterdir():
        try:
            if entry.lstat().st_mtime >= cutoff:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed += 1
        except OSError:
            continue
    return removed


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
    sweep_uploads()
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
