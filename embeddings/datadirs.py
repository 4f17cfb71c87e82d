"""The data folders: the only server-side files the app may read for a browser user.

When the lab is shared, whoever reaches it in a browser must not read arbitrary files on
the server (``/etc/passwd``, another user's home, the model store's pickles). Files on
the server therefore come only from the folders the operator names in
``$EMBEDDINGS_DATA_DIRS`` (an ``os.pathsep``-separated list, like ``PATH``), by default
``data/`` in the project (git-ignored, created on first use).

:func:`resolve_data_file` turns what a user typed or picked into a real path: symlinks
and ``..`` are resolved first, and the result must be a regular file inside one of the
folders. A missing file and a forbidden one get the same message, so the answer tells
nothing about which paths exist elsewhere. :func:`list_data_files` lists what the
folders hold, for a picker, bounded in count and depth.

The command line does not use this module: it is the local user's own tool and reads
any path that user can read.

Example
-------
>>> import os, tempfile
>>> folder = tempfile.mkdtemp()
>>> _ = open(os.path.join(folder, "notes.txt"), "w").write("a b c\\n")
>>> resolve_data_file("notes.txt", folders=[folder]).name
'notes.txt'
>>> resolve_data_file("/etc/passwd", folders=[folder])
Traceback (most recent call last):
...
embeddings.errors.DataFileError: No file '/etc/passwd' in the data folders; choose one from the list (the operator of the server sets the folders with EMBEDDINGS_DATA_DIRS).
>>> [f.name for f in list_data_files("*.txt", folders=[folder])]
['notes.txt']
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .errors import DataFileError

ENV_VAR = "EMBEDDINGS_DATA_DIRS"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
MAX_LISTED = 1_000
MAX_DEPTH = 6
# Entries looked at per listing, whatever the filter: a huge folder costs a bounded scan.
MAX_SCANNED = 50_000
MAX_PATTERN = 200
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class DataFile:
    """One file in a data folder.

    Attributes
    ----------
    name
        The path relative to its data folder, with ``/`` (``"corpora/news.txt.gz"``).
    path
        The resolved absolute path.
    size
        Bytes.
    modified
        Last modification, local time.
    """

    name: str
    path: Path
    size: int
    modified: datetime


def data_dirs() -> list[Path]:
    """The data folders, resolved, in the order the operator gave them.

    ``$EMBEDDINGS_DATA_DIRS`` (``os.pathsep``-separated; empty entries are ignored), else
    ``data/`` in the project, which is created here when missing. Folders named in the
    variable are never created: a typo there should not silently make a new folder.
    """
    env = os.environ.get(ENV_VAR, "")
    named = [Path(part).expanduser() for part in env.split(os.pathsep) if part.strip()]
    if not named:
        DEFAULT_DATA_DIR.mkdir(parents=True, exist_ok=True)
        named = [DEFAULT_DATA_DIR]
    folders: list[Path] = []
    for folder in named:
        resolved = folder.resolve()
        if resolved not in folders:
            folders.append(resolved)
    return folders


def _folders(folders: Sequence[str | Path] | None) -> list[Path]:
    if folders is None:
        return data_dirs()
    return [Path(f).expanduser().resolve() for f in folders]


def _not_found(user_text: str) -> DataFileError:
    # One message for "missing", "outside", "a folder", "a device": the answer must not
    # reveal which paths exist outside the data folders.
    shown = user_text if len(user_text) <= 200 else user_text[:200] + "..."
    return DataFileError(
        f"No file {shown!r} in the data folders; choose one from the list "
        f"(the operator of the server sets the folders with {ENV_VAR})."
    )


def _inside(path: Path, folders: Sequence[Path]) -> bool:
    return any(path.is_relative_to(root) for root in folders)


def resolve_data_file(user_text: str, folders: Sequence[str | Path] | None = None) -> Path:
    """The regular file inside a data folder that ``user_text`` names, resolved.

    Parameters
    ----------
    user_text
        An absolute path, or a name relative to a data folder (each folder is tried in
        order). Symlinks and ``..`` are resolved before the check, so neither can lead out.
    folders
        The data folders; by default :func:`data_dirs`.

    Returns
    -------
    pathlib.Path
        The resolved path of a regular file inside one of the folders.

    Raises
    ------
    DataFileError
        The same message whether the file is missing, outside the folders, a folder, or
        not a regular file.
    """
    text = str(user_text).strip()
    roots = _folders(folders)
    if not text or len(text) > 4096:
        raise _not_found(text)
    given = Path(text)
    candidates = [given] if given.is_absolute() else [root / given for root in roots]
    for candidate in candidates:
        try:
            resolved = candidate.resolve(strict=True)
            mode = resolved.stat().st_mode
        except (OSError, ValueError, RuntimeError):  # missing, NUL byte, symlink loop
            continue
        if stat.S_ISREG(mode) and _inside(resolved, roots):
            return resolved
    raise _not_found(text)


def _matcher(pattern: str):
    """A case-insensitive test on a name: a glob when ``pattern`` has ``* ? [``, else a
    substring. Never a regular expression."""
    pattern = pattern.strip().lower()
    if len(pattern) > MAX_PATTERN:
        raise DataFileError(
            f"The filter is {len(pattern)} characters long; use at most {MAX_PATTERN}."
        )
    if not pattern:
        return lambda name: True
    if _GLOB_CHARS & set(pattern):
        # fnmatch's `*` also matches "/", so "*.txt" finds files in subfolders too.
        return lambda name: fnmatch.fnmatchcase(name.lower(), pattern)
    return lambda name: pattern in name.lower()


def list_data_files(
    pattern: str = "",
    folders: Sequence[str | Path] | None = None,
    limit: int = MAX_LISTED,
) -> list[DataFile]:
    """The regular files in the data folders whose name matches ``pattern``.

    Parameters
    ----------
    pattern
        A plain text filter on the name relative to the folder, case-insensitive: a
        substring (``"news"``), or a glob when it contains ``*``, ``?`` or ``[``
        (``"*.txt.gz"``). At most :data:`MAX_PATTERN` characters.
    folders
        The data folders; by default :func:`data_dirs`. A missing folder lists nothing.
    limit
        At most this many files (the first ones in name order, folder by folder).

    Returns
    -------
    list[DataFile]
        Hidden entries (names starting with ``.``) are skipped; folders are entered at
        most :data:`MAX_DEPTH` levels deep and symlinked folders are not entered; a
        symlinked file is listed only when it resolves inside a data folder. At most
        :data:`MAX_SCANNED` entries are looked at in all.
    """
    matches = _matcher(pattern)
    roots = _folders(folders)
    found: list[DataFile] = []
    budget = [MAX_SCANNED]

    def walk(root: Path, folder: Path, prefix: str, depth: int) -> None:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name.lower())
        except OSError:
            return
        for entry in entries:
            if len(found) >= limit or budget[0] <= 0:
                return
            budget[0] -= 1
            if entry.name.startswith("."):
                continue
            name = prefix + entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if depth < MAX_DEPTH:
                        walk(root, Path(entry.path), name + "/", depth + 1)
                    continue
                if not matches(name):
                    continue
                resolved = Path(entry.path).resolve(strict=True)
                info = resolved.stat()
            except (OSError, RuntimeError):
                continue
            if stat.S_ISREG(info.st_mode) and _inside(resolved, roots):
                found.append(
                    DataFile(name, resolved, info.st_size, datetime.fromtimestamp(info.st_mtime))
                )

    for root in roots:
        if len(found) >= limit:
            break
        walk(root, root, "", 1)
    return found
