"""Moving whole store entries: rename, delete, swapping a new entry into place, and
converting an entry of the older pickled format (written beside it, then swapped in).

Every change of an entry is a directory rename, so a reader sees the old entry or the
new one, never a mix; a replaced or deleted entry is first renamed to a hidden
``.trash-*`` directory and then removed (stale ones are cleaned when a store opens).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from pathlib import Path

from ..errors import ModelNotFoundError
from .store_cards import ModelCard, validate_name
from .store_entry import CARD_FILE, inspect_entry, load_pickled_vectors, write_converted_entry
from .store_files import (
    TMP_PREFIX,
    TRASH_PREFIX,
    atomic_write_json,
    make_private,
    make_private_dir,
)
from .store_format import read_vectors


class MovesMixin:
    """The moving part of :class:`ModelStore` (needs its ``root``, ``path``, name checks
    and messages)."""

    def rename(self, old: str, new: str) -> ModelCard:
        """Rename a model; its card's name follows. Readers see the old or the new entry.

        Raises
        ------
        NameTakenError
            ``new`` is another model's name.
        """
        card = self.load_card(old)
        new = validate_name(new)
        if new == card.name:
            return card
        if self._taken(new):
            raise self._name_taken(new, meanwhile=False)
        source, target = self.path(old), self.root / new
        if target.is_dir():  # a broken entry: its name is free
            self._discard(target)
        # The directory names the entry (load_card takes the name from it), so the card
        # may say the new name first; one rename then moves the whole, consistent entry.
        card.name = new
        try:
            atomic_write_json(source / CARD_FILE, card.to_dict(), create_parent=False)
        except FileNotFoundError:
            raise ModelNotFoundError(self._not_found_message(old)) from None
        try:
            os.rename(source, target)
        except OSError:
            card.name = old
            with contextlib.suppress(OSError):
                atomic_write_json(source / CARD_FILE, card.to_dict(), create_parent=False)
            if not source.is_dir():
                raise ModelNotFoundError(self._not_found_message(old)) from None
            if target.exists():
                raise self._name_taken(new, meanwhile=True) from None
            raise
        return card

    def delete(self, name: str) -> None:
        """Remove a model, or a broken entry. The entry disappears at once (renamed
        away), then is deleted."""
        path = self.path(name)
        if not path.is_dir():
            raise ModelNotFoundError(self._not_found_message(name))
        self._discard(path)

    def _discard(self, path: Path) -> None:
        trash = self.root / f"{TRASH_PREFIX}{path.name}-{uuid.uuid4().hex[:8]}"
        try:
            os.rename(path, trash)
        except FileNotFoundError:
            raise ModelNotFoundError(self._not_found_message(path.name)) from None
        shutil.rmtree(trash, ignore_errors=True)

    def _swap_into_place(self, tmp: Path, target: Path, overwrite: bool = True) -> None:
        try:
            os.rename(tmp, target)  # fails when the name holds a non-empty entry
            return
        except OSError:
            if not target.is_dir():
                raise
        if not overwrite and inspect_entry(target)[0] is not None:
            raise self._name_taken(target.name, meanwhile=True)
        # Replacing a model (overwrite) or a broken entry: move it away, then ours in.
        trash = self.root / f"{TRASH_PREFIX}{target.name}-{uuid.uuid4().hex[:8]}"
        with contextlib.suppress(FileNotFoundError):
            os.rename(target, trash)
        try:
            os.rename(tmp, target)
        except OSError:
            if target.exists():  # another session's save landed in the gap
                shutil.rmtree(trash, ignore_errors=True)
                raise self._name_taken(target.name, meanwhile=True) from None
            with contextlib.suppress(OSError):
                os.rename(trash, target)
            raise
        shutil.rmtree(trash, ignore_errors=True)

    def _convert(self, name: str):
        """Rewrite an entry of the pickled format as arrays; return the mapped vectors.

        The new entry is prepared in a temporary directory and swapped in whole. When the
        store cannot be written (read-only, full), the unpickled vectors are returned.
        """
        path = self.path(name)
        kv = load_pickled_vectors(path)
        tmp = self.root / f"{TMP_PREFIX}{name}-{uuid.uuid4().hex[:8]}"
        try:
            make_private_dir(tmp)
            write_converted_entry(path, kv, tmp)
            make_private(tmp)
            if not path.is_dir():  # deleted meanwhile: do not bring it back
                raise FileNotFoundError(path)
            self._swap_into_place(tmp, path, overwrite=True)
        except FileNotFoundError:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        except OSError:  # a read-only or full store: use the vectors as they are
            shutil.rmtree(tmp, ignore_errors=True)
            return kv
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return read_vectors(path)
