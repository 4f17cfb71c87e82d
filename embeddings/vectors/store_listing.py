"""Listing the store cheaply: which entries are whole models, each card parsed once.

Every page of the app lists the store several times a run (the sidebar's picker, the
active model, the pages' model choices), and a card can hold a hundred kilobytes of
evaluation results; parsing them all on every run cost more server time than a
neighbours query. A card is parsed again only when it changes: cards are written by an
atomic rename, so a changed card is a new file (another inode, mtime or size).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import InvalidNameError
from .store_entry import CARD_FILE, entry_name, read_card, vectors_file, vectors_stamp

# card.json's identity (path, inode, mtime, size) -> why it is unusable (None: it is fine).
_CARD_VERDICTS: dict[tuple, str | None] = {}
_MAX_VERDICTS = 4096


def entry_problem(path: Path) -> str | None:
    """None when ``path`` is a whole entry, else the reason it is broken (the reason
    :func:`inspect_entry` gives), without parsing a card it has already seen unchanged.

    >>> entry_problem(store.path("wiki-w2v")) is None   # doctest: +SKIP
    True
    """
    try:
        info = os.stat(path / CARD_FILE)
    except FileNotFoundError:
        return "no card.json"
    except OSError as exc:
        return f"card.json cannot be read: {exc.strerror or exc}"
    key = (str(path), info.st_ino, info.st_mtime_ns, info.st_size)
    if key not in _CARD_VERDICTS:
        if len(_CARD_VERDICTS) >= _MAX_VERDICTS:
            _CARD_VERDICTS.clear()
        _CARD_VERDICTS[key] = read_card(path)[1]
    problem = _CARD_VERDICTS[key]
    if problem is None and vectors_file(path) is None:
        return "no vectors file"
    return problem


class ListingMixin:
    """Which models :class:`~.store.ModelStore` holds (needs its ``root`` and ``path``)."""

    def exists(self, name: str) -> bool:
        """Whether a whole, usable model ``name`` is stored (broken entries are not)."""
        try:
            return entry_problem(self.path(name)) is None
        except InvalidNameError:
            return False

    def names(self) -> list[str]:
        """Names of the stored models, oldest vectors first (broken entries left out)."""
        listed = []
        for child in self.root.iterdir():
            name = entry_name(child)
            if name is not None and child.is_dir() and entry_problem(child) is None:
                listed.append((vectors_stamp(child), name))
        return [name for _, name in sorted(listed)]
