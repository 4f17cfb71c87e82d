"""The model store: the only place the lab writes models, and the only place it unpickles.

Layout: one directory per model under the store root::

    models/
      wiki-w2v/
        card.json          the model card (JSON, see :class:`ModelCard`)
        version            a random id written with the vectors (:meth:`ModelStore.version`)
        format.json, words.bin, vectors.npy, norms.npy, ...
                           the vectors as plain arrays (see :mod:`.store_format`)
        extra/             arrays kept with the model: ``<key>.npy`` extras written by
                           :meth:`ModelStore.save` (read with :meth:`ModelStore.load_extra`)
                           and caches computed later (:meth:`ModelStore.extra_path`)

Entries written before the array format hold ``vectors.kv`` (a gensim pickle the store
wrote itself); the first :meth:`ModelStore.load` converts them, the only unpickling left.

Writes are atomic: a new entry is written into a hidden temporary directory inside the
root and renamed into place, so a crash never leaves half a model and a reader never
sees one. An entry's directory name is its name. A directory that is not a whole entry
(no card, a card that is not JSON, no vectors) is *broken*: listed by
:meth:`ModelStore.broken`, deletable, and its name free for a new model. Everything is
private to the owner (see :mod:`.store_files`). The root is ``$EMBEDDINGS_HOME`` if set,
else ``models/`` in the project.

Example
-------
>>> import tempfile
>>> import numpy as np
>>> from gensim.models import KeyedVectors
>>> kv = KeyedVectors(2)
>>> kv.add_vectors(["cat", "dog"], np.array([[1, 0], [0.9, 0.1]], dtype=np.float32))
>>> store = ModelStore(tempfile.mkdtemp())
>>> card = store.save(kv, ModelCard(name="demo", algorithm="word2vec"))
>>> kv2, card2 = store.load("demo")
>>> store.names(), kv2.index_to_key, card2.vocab_size
(['demo'], ['cat', 'dog'], 2)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
import uuid
from pathlib import Path

import numpy as np

from ..errors import FormatError, ModelNotFoundError
from .store_cards import (
    MAX_NAME_LENGTH,
    ModelCard,
    NameTakenError,
    next_free_name,
    suggest_name,
    validate_name,
)
from .store_entry import (
    CARD_FILE,
    LEGACY_VECTORS_FILE,
    VECTORS_FILE,
    VERSION_FILE,
    entry_name,
    inspect_entry,
    read_version,
    vectors_stamp,
)
from .store_extras import ExtrasMixin
from .store_files import (
    DIR_MODE,
    EXTRA_DIR,
    TMP_PREFIX,
    atomic_write_bytes,
    atomic_write_json,
    make_private,
    make_private_dir,
    remove_stale,
)
from .store_format import FORMAT_FILE, read_vectors, write_vectors
from .store_listing import ListingMixin
from .store_moves import MovesMixin

__all__ = [
    "CARD_FILE",
    "EXTRA_DIR",
    "MAX_NAME_LENGTH",
    "LEGACY_VECTORS_FILE",
    "VECTORS_FILE",
    "VERSION_FILE",
    "ModelCard",
    "ModelStore",
    "NameTakenError",
    "atomic_write_bytes",
    "atomic_write_json",
    "default_store_root",
    "suggest_name",
    "validate_name",
]

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # embeddings/vectors/store.py


def default_store_root() -> Path:
    """``$EMBEDDINGS_HOME`` if set, else ``models/`` in the project checkout."""
    env = os.environ.get("EMBEDDINGS_HOME")
    return Path(env).expanduser() if env else PROJECT_ROOT / "models"


def _now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


class ModelStore(ListingMixin, ExtrasMixin, MovesMixin):
    """A directory of models, each vectors + card (+ extras), written atomically.

    Opening a store removes what killed processes left behind (see
    :func:`.store_files.remove_stale`).

    Parameters
    ----------
    root : path, optional
        The store directory; created (mode 0700) if missing. Defaults to
        :func:`default_store_root`.
    """

    def __init__(self, root: str | os.PathLike | None = None):
        self.root = Path(root) if root is not None else default_store_root()
        self.root.mkdir(parents=True, exist_ok=True)
        info = self.root.stat()
        if info.st_uid == os.geteuid() and info.st_mode & 0o777 != DIR_MODE:
            with contextlib.suppress(OSError):
                os.chmod(self.root, DIR_MODE)
        remove_stale(self.root)

    def __repr__(self) -> str:
        return f"ModelStore({str(self.root)!r})"

    # -- listing -------------------------------------------------------------------
    def path(self, name: str) -> Path:
        """The directory of model ``name`` (validated; need not exist)."""
        return self.root / validate_name(name)

    def cards(self) -> list[ModelCard]:
        """The cards of the stored models, in :meth:`names` order."""
        return [card for _, _, card in self._scan()[0]]

    def broken(self) -> list[tuple[str, str]]:
        """Entries that are not whole models, as ``(name, reason)``, by name.

        A folder without a card, a card that is not JSON, a missing vectors file: such an
        entry cannot be loaded, but it can be deleted and its name used again.
        """
        return sorted(self._scan()[1])

    def free_name(self, name: str) -> str:
        """``name`` if no model has it, else the first free ``name-2``, ``name-3``, ...

        >>> store.free_name("wiki-w2v")   # doctest: +SKIP
        'wiki-w2v-2'
        """
        return next_free_name(name, self._taken)

    def load_card(self, name: str) -> ModelCard:
        """The card of model ``name``; its ``name`` is always the entry's name.

        Raises
        ------
        ModelNotFoundError
            No such entry.
        FormatError
            The entry is broken (see :meth:`broken`).
        """
        path = self.path(name)
        if not path.is_dir():
            raise ModelNotFoundError(self._not_found_message(name))
        card, why = inspect_entry(path)
        if card is None:
            if not path.is_dir():  # deleted while we looked
                raise ModelNotFoundError(self._not_found_message(name))
            raise FormatError(self._damaged_message(name, why))
        return card

    def _scan(self) -> tuple[list[tuple[int, str, ModelCard]], list[tuple[str, str]]]:
        good, broken = [], []
        for child in self.root.iterdir():
            name = entry_name(child)
            if name is None or not child.is_dir():
                continue
            card, why = inspect_entry(child)
            if card is not None:
                good.append((vectors_stamp(child), name, card))
            elif child.is_dir():  # not deleted while we looked
                broken.append((name, why))
        good.sort(key=lambda entry: entry[:2])
        return good, broken

    def _taken(self, name: str) -> bool:
        # A broken entry's name is free: saving or renaming onto it replaces it.
        path = self.root / name
        return os.path.lexists(path) and (not path.is_dir() or self.exists(name))

    def _not_found_message(self, name: str) -> str:
        names = self.names()
        listing = ", ".join(names[:10]) if names else "none yet"
        return (
            f"No model named {name!r} in the model store ({self.root}); stored models: {listing}."
        )

    def _damaged_message(self, name: str, why: str) -> str:
        return (
            f"Model {name!r} in the store is damaged ({why}); delete it (Models page, or "
            f"`python -m embeddings models delete {name}`) and train or load it again."
        )

    def _name_taken(self, name: str, meanwhile: bool) -> NameTakenError:
        suggestion = self.free_name(name)
        how = "was just saved by another session" if meanwhile else "already exists"
        return NameTakenError(
            f"A model named {name!r} {how}; pick another name (for example {suggestion!r}) "
            "or delete it first.",
            name,
            suggestion,
        )

    # -- reading -------------------------------------------------------------------
    def load(self, name: str, mmap: str | None = "r", light: bool = False):
        """Load ``(kv, card)`` for model ``name``, its arrays memory-mapped read-only.

        Nothing is copied: the vectors stay in the operating system's page cache, shared
        by every session and process that opens the model. ``mmap`` is accepted for
        older callers and ignored. An entry of the older pickled format is converted on
        its first load; that is the only unpickling left, of files the store wrote.
        With ``light=True`` a word-vectors model opens without gensim (see
        :class:`~.mapped.MappedVectors`), for one-shot queries.

        Raises
        ------
        ModelNotFoundError
            No such model, or it was deleted while being opened.
        FormatError
            The entry is damaged (truncated, missing or contradicting files).
        """
        card = self.load_card(name)
        path = self.path(name)
        try:
            if not (path / FORMAT_FILE).is_file() and (path / LEGACY_VECTORS_FILE).is_file():
                return self._convert(name), card
            return read_vectors(path, light=light), card
        except FileNotFoundError:
            if not path.is_dir():
                raise ModelNotFoundError(
                    f"Model {name!r} was deleted (by another session?) while it was being "
                    "opened; pick another model."
                ) from None
            raise FormatError(self._damaged_message(name, "a vectors file is missing")) from None
        except (MemoryError, ModelNotFoundError):
            raise
        except Exception as exc:  # damaged arrays or a damaged pickle fail in many ways
            why = f"its vectors cannot be read: {type(exc).__name__}: {exc}"
            raise FormatError(self._damaged_message(name, why)) from None

    def version(self, name: str) -> str:
        """The content version of model ``name``: a key for caches of what its vectors give.

        It changes whenever the vectors are written (every :meth:`save`, also an
        overwrite with the same name) and stays the same when only the card changes
        (evaluation results, a rename), so caches keyed on it keep the loaded vectors.

        >>> store.version("wiki-w2v")   # doctest: +SKIP
        '3f2a9c0d5e6b47a1b2c3d4e5f6a7b8c9'

        Raises
        ------
        ModelNotFoundError
            The model is not (or no longer) in the store.
        """
        try:
            return read_version(self.path(name))
        except FileNotFoundError:
            raise ModelNotFoundError(self._not_found_message(name)) from None

    def vectors_mtime(self, name: str) -> str:
        """Deprecated name of :meth:`version` (kept for existing callers)."""
        return self.version(name)

    # -- writing -------------------------------------------------------------------
    def save(
        self,
        kv,
        card: ModelCard,
        overwrite: bool = False,
        extras: dict[str, np.ndarray] | None = None,
    ) -> ModelCard:
        """Store ``kv`` under ``card.name`` atomically and return the completed card.

        The card's vector_size, vocab_size, has_subwords and created fields are filled
        from ``kv``. A broken entry of that name is replaced.

        ``extras`` maps keys to numeric arrays kept with the model (Word2Vec's output
        weights ``{"syn1neg": array}``, say); they are written into the same temporary
        directory as the vectors, so a reader sees the model with all its extras or not
        at all. Read them back with :meth:`load_extra`. An overwrite drops the extras
        and caches of the replaced vectors.

        Raises
        ------
        NameTakenError
            With ``overwrite=False``, a model of that name exists (or another session
            saved one while this one was writing); ``suggestion`` is a free name.
        """
        from gensim.models.fasttext import FastTextKeyedVectors

        name = validate_name(card.name)
        card.name = name
        card.vector_size = int(kv.vector_size)
        card.vocab_size = len(kv.index_to_key)
        card.has_subwords = isinstance(kv, FastTextKeyedVectors)
        card.created = card.created or _now_iso()
        extras = dict(extras or {})
        for key in extras:
            self._extra_file(name, key)  # refuse bad keys before writing anything

        def write(tmp: Path) -> None:
            write_vectors(kv, tmp)
            if extras:
                (tmp / EXTRA_DIR).mkdir()
            for key, array in extras.items():
                np.save(tmp / EXTRA_DIR / f"{key}.npy", np.asarray(array), allow_pickle=False)

        return self.write_entry(card, write, overwrite)

    def write_entry(self, card: ModelCard, write, overwrite: bool = False) -> ModelCard:
        """Write a new entry: ``write(tmp)`` fills a private temporary directory with the
        vectors files, then the card and a new version are added and the directory is
        renamed into place (see :meth:`save`, which is this with gensim vectors; an
        import streams rows into ``tmp`` instead). ``card`` must be complete.
        """
        name = validate_name(card.name)
        if not overwrite and self._taken(name):
            raise self._name_taken(name, meanwhile=False)
        tmp = self.root / f"{TMP_PREFIX}{name}-{uuid.uuid4().hex[:8]}"
        make_private_dir(tmp)
        try:
            write(tmp)
            atomic_write_json(tmp / CARD_FILE, card.to_dict())
            atomic_write_bytes(tmp / VERSION_FILE, uuid.uuid4().hex.encode("ascii"))
            make_private(tmp)  # gensim and numpy create files through the umask
            self._swap_into_place(tmp, self.root / name, overwrite)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return card

    def update_card(self, card: ModelCard) -> None:
        """Rewrite the card of an existing model (atomically).

        Raises ModelNotFoundError when the model is gone, even when another session
        deletes it during the write: the card is never written into an empty folder.
        """
        name = validate_name(card.name)
        self.load_card(name)
        try:
            atomic_write_json(self.path(name) / CARD_FILE, card.to_dict(), create_parent=False)
        except FileNotFoundError:
            raise ModelNotFoundError(self._not_found_message(name)) from None

    # -- the corpus cache ----------------------------------------------------------
    @property
    def corpus_cache(self):
        """Prepared corpora kept with this store: ``<root>/.corpora``, size-capped (see
        :class:`~embeddings.corpus.cache.CorpusCache`; hidden from the model list)."""
        from ..corpus.cache import CorpusCache

        return CorpusCache(self.root / ".corpora")
