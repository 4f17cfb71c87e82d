"""The corpus cache: prepared sentence files kept for reuse, capped in size, LRU-evicted.

A :class:`CorpusCache` is a directory (a model store keeps its own, ``<store>/.corpora``,
see :attr:`embeddings.vectors.store.ModelStore.corpus_cache`). An entry is a sentence
file plus its two side files (``.counts.json``, ``.meta.json``). Every use marks an
entry (its modification time); after a new entry is written, the least recently used
entries are removed until the cache holds at most ``max_bytes`` (the new entry itself is
always kept, even when it alone is larger).

The cap is ``EMBEDDINGS_CORPUS_CACHE_BYTES`` when set, else 2 GiB.

Example
-------
>>> import tempfile
>>> cache = CorpusCache(tempfile.mkdtemp(), max_bytes=10)
>>> path = cache.new_path("pasted text")
>>> _ = path.write_text("a b c d e f\\n")   # 12 bytes: over the cap, but just written
>>> cache.evict(keep=[path]), cache.size()
([], 12)
"""

from __future__ import annotations

import contextlib
import os
import re
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorpusError

ENV_MAX_BYTES = "EMBEDDINGS_CORPUS_CACHE_BYTES"
DEFAULT_MAX_BYTES = 2 << 30  # 2 GiB
SIDE_SUFFIXES = (".counts.json", ".meta.json")
# A sentence file being written is a hidden ".<name>.<random>.tmp" that grows all the
# time; one untouched for an hour is left over from a crash.
STALE_TEMP_SECONDS = 3600


def max_bytes_from_env(default: int = DEFAULT_MAX_BYTES) -> int:
    """The cap from ``$EMBEDDINGS_CORPUS_CACHE_BYTES`` (a whole number of bytes), else ``default``."""
    value = os.environ.get(ENV_MAX_BYTES, "").strip()
    if not value:
        return default
    try:
        limit = int(value)
    except ValueError:
        raise CorpusError(
            f"{ENV_MAX_BYTES}={value!r} is not a whole number of bytes; e.g. 2147483648 for 2 GiB."
        ) from None
    if limit < 0:
        raise CorpusError(f"{ENV_MAX_BYTES} must be 0 or more bytes, not {limit}.")
    return limit


def side_files(path: Path) -> list[Path]:
    """The side files of the sentence file ``path`` (counts, metadata)."""
    return [path.with_name(path.name + suffix) for suffix in SIDE_SUFFIXES]


@dataclass(frozen=True)
class CacheEntry:
    """One cached sentence file: its path, bytes with its side files, and last use."""

    path: Path
    bytes: int
    last_used: float


class CorpusCache:
    """A size-capped directory of prepared sentence files.

    Parameters
    ----------
    root : path
        The directory (created when the first entry is written).
    max_bytes : int, optional
        The cap; default :func:`max_bytes_from_env`.
    """

    def __init__(self, root: str | os.PathLike, max_bytes: int | None = None):
        self.root = Path(root)
        self.max_bytes = max_bytes_from_env() if max_bytes is None else int(max_bytes)

    def __repr__(self) -> str:
        return f"CorpusCache({str(self.root)!r}, max_bytes={self.max_bytes})"

    # -- naming --------------------------------------------------------------------
    def new_path(self, name: str) -> Path:
        """A fresh entry path for a corpus described by ``name`` (``"file:reviews.csv"``)."""
        self.root.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^\w.\-]+", "-", name).strip("-.")[:60] or "corpus"
        return self.root / f"{slug}-{uuid.uuid4().hex[:8]}.txt"

    def bundled_path(self, key: str, tokenizer: str) -> Path:
        """The one entry path of bundled corpus ``key`` tokenized by ``tokenizer``."""
        self.root.mkdir(parents=True, exist_ok=True)
        return self.root / f"bundled-{key}-{tokenizer}.txt"

    # -- bookkeeping ---------------------------------------------------------------
    def entries(self) -> list[CacheEntry]:
        """The entries, least recently used first."""
        if not self.root.is_dir():
            return []
        out = []
        for path in self.root.iterdir():
            if path.name.startswith(".") or path.name.endswith(SIDE_SUFFIXES):
                continue
            try:
                stat = path.stat()
            except FileNotFoundError:  # removed by another session meanwhile
                continue
            size = stat.st_size + sum(_size(p) for p in side_files(path))
            out.append(CacheEntry(path, size, stat.st_mtime))
        return sorted(out, key=lambda e: (e.last_used, e.path.name))

    def size(self) -> int:
        """Bytes held by the entries (side files included)."""
        return sum(e.bytes for e in self.entries())

    def touch(self, path: str | os.PathLike) -> None:
        """Mark an entry as just used."""
        with contextlib.suppress(OSError):
            os.utime(path)

    def remove(self, path: str | os.PathLike) -> None:
        """Delete an entry (its sentence file and side files); missing files are fine."""
        path = Path(path)
        for p in (path, *side_files(path)):
            p.unlink(missing_ok=True)

    def evict(self, keep: Iterable[str | os.PathLike] = ()) -> list[Path]:
        """Remove least recently used entries until the cache holds at most ``max_bytes``.

        Entries in ``keep`` are never removed. Leftovers of interrupted writes (stale
        temporary files, side files without their sentence file) go too. Returns the
        sentence files removed, oldest first.
        """
        self._remove_leftovers()
        kept = {Path(p) for p in keep}
        entries = self.entries()
        total = sum(e.bytes for e in entries)
        removed = []
        for entry in entries:
            if total <= self.max_bytes:
                break
            if entry.path in kept:
                continue
            self.remove(entry.path)
            total -= entry.bytes
            removed.append(entry.path)
        return removed

    def _remove_leftovers(self) -> None:
        if not self.root.is_dir():
            return
        now = time.time()
        for path in self.root.iterdir():
            name = path.name
            try:
                if name.startswith(".") and name.endswith(".tmp"):
                    if now - path.stat().st_mtime > STALE_TEMP_SECONDS:
                        path.unlink()
                elif name.endswith(SIDE_SUFFIXES):
                    stem = next(name[: -len(s)] for s in SIDE_SUFFIXES if name.endswith(s))
                    if not (self.root / stem).exists():
                        path.unlink()
            except FileNotFoundError:
                continue

    @contextlib.contextmanager
    def scratch(self, name: str) -> Iterator[Path]:
        """An entry path for one-off use, removed (with its side files) on exit.

        For a corpus prepared for a single job (the command line's ``train``): it lives
        beside the cache, on the same disk, and never outlives the job.
        """
        path = self.new_path(name)
        try:
            yield path
        finally:
            self.remove(path)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0
