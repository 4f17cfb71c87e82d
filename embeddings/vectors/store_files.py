"""File-system primitives of the model store: atomic writes, owner-only permissions, and
cleaning up what killed processes left behind.

Everything the store writes is private to its owner (directories ``0700``, files
``0600``) whatever the process's umask: models may be trained on private text, and a
store shared by mistake should not leak it.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

DIR_MODE = 0o700
FILE_MODE = 0o600
TMP_PREFIX = ".tmp-"  # an entry being written (renamed into place when complete)
TRASH_PREFIX = ".trash-"  # an entry being deleted or replaced (renamed out of place first)
EXTRA_DIR = "extra"  # inside an entry: arrays kept with the model
# A save takes seconds to minutes; a temporary directory untouched for an hour belongs to
# a process that was killed.
STALE_SECONDS = 3600.0


def make_private_dir(path: Path) -> None:
    """Create directory ``path`` (its parent must exist) with mode ``0700``.

    ``mkdir``'s mode is filtered through the umask, so the mode is set again explicitly.
    Raises FileNotFoundError when the parent is missing (a model deleted meanwhile).
    """
    path = Path(path)
    path.mkdir(exist_ok=True)
    os.chmod(path, DIR_MODE)


def make_private(path: Path) -> None:
    """Give ``path`` and everything below it owner-only modes (dirs 0700, files 0600)."""
    path = Path(path)
    os.chmod(path, DIR_MODE if path.is_dir() else FILE_MODE)
    for parent, dirs, files in os.walk(path):
        for d in dirs:
            os.chmod(os.path.join(parent, d), DIR_MODE)
        for f in files:
            os.chmod(os.path.join(parent, f), FILE_MODE)


def atomic_write_bytes(path: Path, data: bytes, create_parent: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory + rename.

    The file gets mode ``0600``. With ``create_parent=False`` a missing parent directory
    raises FileNotFoundError instead of being created: rewriting a file of a store entry
    must never bring back an entry that another session deleted.
    """
    path = Path(path)
    if create_parent:
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_json(path: Path, obj: Any, create_parent: bool = True) -> None:
    """Atomically write ``obj`` as pretty UTF-8 JSON (see :func:`atomic_write_bytes`)."""
    data = json.dumps(obj, ensure_ascii=False, indent=2).encode("utf-8")
    atomic_write_bytes(path, data, create_parent=create_parent)


def _age(path: Path, now: float) -> float:
    try:
        return now - path.lstat().st_mtime
    except FileNotFoundError:
        return 0.0


def remove_stale(root: Path, max_age: float = STALE_SECONDS, now: float | None = None) -> list[str]:
    """Delete what killed processes left in the store ``root``; return the names removed.

    Removed: every ``.trash-*`` directory (renamed out of the way, so no reader uses it),
    ``.tmp-*`` directories older than ``max_age`` seconds (younger ones may be saves in
    progress) and, inside entries and their ``extra/``, temporary ``.*.tmp`` files of
    atomic writes older than ``max_age``.
    """
    now = time.time() if now is None else now
    removed = []
    for child in Path(root).iterdir():
        name = child.name
        stale_tmp = name.startswith(TMP_PREFIX) and _age(child, now) > max_age
        if name.startswith(TRASH_PREFIX) or stale_tmp:
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
            removed.append(name)
        elif not name.startswith(".") and child.is_dir():
            for folder in (child, child / EXTRA_DIR):
                for leftover in folder.glob(".*.tmp") if folder.is_dir() else ():
                    if _age(leftover, now) > max_age:
                        leftover.unlink(missing_ok=True)
                        removed.append(f"{name}/{leftover.relative_to(child)}")
    return removed
