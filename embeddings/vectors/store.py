"""The model store: the only place the lab writes models, and the only place it unpickles.

Layout: one directory per model under the store root::

    models/
      wiki-w2v/
        card.json          the model card (JSON, see :class:`ModelCard`)
        vectors.kv         gensim KeyedVectors (pickle; written by us, read only from here)
        vectors.kv.*.npy   gensim's side arrays for large matrices
        extra/             artefacts computed once and kept with the model

Writes are atomic: a new entry is written into a hidden temporary directory inside the
root and renamed into place, so a crash never leaves half a model and a reader never
sees one. The root is ``$EMBEDDINGS_HOME`` if set, else ``models/`` in the project.

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

import dataclasses
import json
import os
import re
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InvalidNameError, ModelNotFoundError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CARD_FILE = "card.json"
VECTORS_FILE = "vectors.kv"
EXTRA_DIR = "extra"
MAX_NAME_LENGTH = 64
# Letters of any script, digits, and - _ . (not first); no path separators, no "..".
_NAME_RE = re.compile(r"^[^\W_][\w.\-]*$")


def default_store_root() -> Path:
    """``$EMBEDDINGS_HOME`` if set, else ``models/`` in the project checkout."""
    env = os.environ.get("EMBEDDINGS_HOME")
    return Path(env).expanduser() if env else PROJECT_ROOT / "models"


def validate_name(name: str) -> str:
    """Return ``name`` stripped, or raise :class:`InvalidNameError` saying why it is unusable.

    >>> validate_name("wiki-w2v")
    'wiki-w2v'
    >>> validate_name("../etc")
    Traceback (most recent call last):
    ...
    embeddings.errors.InvalidNameError: Model name '../etc' may not contain '/', '\\\\' or '..'; use letters, digits, '-', '_' and '.'.
    """
    if not isinstance(name, str):
        raise InvalidNameError("A model name must be text.")
    name = name.strip()
    if not name:
        raise InvalidNameError("A model name may not be empty.")
    if "/" in name or "\\" in name or ".." in name:
        raise InvalidNameError(
            f"Model name {name!r} may not contain '/', '\\\\' or '..'; "
            "use letters, digits, '-', '_' and '.'."
        )
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidNameError(
            f"Model name is {len(name)} characters long; the limit is {MAX_NAME_LENGTH}."
        )
    if not _NAME_RE.match(name):
        raise InvalidNameError(
            f"Model name {name!r} must start with a letter or digit and contain only "
            "letters, digits, '-', '_' and '.'."
        )
    return name


def suggest_name(text: str) -> str:
    """Turn any text (a file name, say) into a valid model name.

    >>> suggest_name("My vectors (2024).txt.gz")
    'My-vectors-2024'
    """
    stem = re.sub(r"(\.(txt|vec|bin|gz|bz2|kv|model|zip|tsv|csv))+$", "", text.strip(), flags=re.I)
    slug = re.sub(r"[^\w.\-]+", "-", stem).strip("-._")
    slug = re.sub(r"\.{2,}", ".", slug)
    return (slug or "model")[:MAX_NAME_LENGTH].rstrip("-._") or "model"


@dataclass
class ModelCard:
    """What a model is, where it came from, and how well it does.

    Every model in the store has one, saved as ``card.json`` beside its vectors.
    """

    name: str
    algorithm: str  # "word2vec" | "fasttext" | "glove" | "pretrained"
    vector_size: int = 0
    vocab_size: int = 0
    has_subwords: bool = False
    parameters: dict[str, Any] = field(default_factory=dict)
    corpus: dict[str, Any] = field(default_factory=dict)
    training_seconds: float | None = None
    created: str = ""
    source: str = ""  # a file name or "trained"; free text for people
    evaluation: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelCard:
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def _now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory + rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_json(path: Path, obj: Any) -> None:
    """Atomically write ``obj`` as pretty UTF-8 JSON."""
    atomic_write_bytes(path, json.dumps(obj, ensure_ascii=False, indent=2).encode("utf-8"))


class ModelStore:
    """A directory of models, each vectors + card, written atomically.

    Parameters
    ----------
    root : path, optional
        The store directory; created if missing. Defaults to :func:`default_store_root`.
    """

    def __init__(self, root: str | os.PathLike | None = None):
        self.root = Path(root) if root is not None else default_store_root()
        self.root.mkdir(parents=True, exist_ok=True)

    def __repr__(self) -> str:
        return f"ModelStore({str(self.root)!r})"

    # -- listing -------------------------------------------------------------------
    def path(self, name: str) -> Path:
        """The directory of model ``name`` (validated; need not exist)."""
        return self.root / validate_name(name)

    def exists(self, name: str) -> bool:
        try:
            return (self.path(name) / CARD_FILE).is_file()
        except InvalidNameError:
            return False

    def names(self) -> list[str]:
        """Names of the stored models, oldest first."""
        entries = []
        for child in self.root.iterdir():
            if child.name.startswith(".") or not (child / CARD_FILE).is_file():
                continue
            entries.append((child.stat().st_mtime, child.name))
        return [name for _, name in sorted(entries)]

    def cards(self) -> list[ModelCard]:
        return [self.load_card(n) for n in self.names()]

    def load_card(self, name: str) -> ModelCard:
        path = self.path(name) / CARD_FILE
        if not path.is_file():
            raise ModelNotFoundError(self._not_found_message(name))
        return ModelCard.from_dict(json.loads(path.read_text(encoding="utf-8")))

    def _not_found_message(self, name: str) -> str:
        names = self.names()
        listing = ", ".join(names[:10]) if names else "none yet"
        return (
            f"No model named {name!r} in the model store ({self.root}); stored models: {listing}."
        )

    # -- reading -------------------------------------------------------------------
    def load(self, name: str, mmap: str | None = None):
        """Load ``(kv, card)`` for model ``name``.

        ``mmap="r"`` maps large arrays from disk instead of reading them (read-only).
        This is the only place the lab unpickles, and only files it wrote itself.
        """
        from gensim.models import KeyedVectors

        card = self.load_card(name)
        kv = KeyedVectors.load(str(self.path(name) / VECTORS_FILE), mmap=mmap)
        return kv, card

    def vectors_mtime(self, name: str) -> float:
        """A version stamp for caches: changes whenever the entry is rewritten."""
        return (self.path(name) / CARD_FILE).stat().st_mtime_ns / 1e9

    def extra_path(self, name: str, filename: str) -> Path:
        """Where an artefact computed for model ``name`` is kept (directory is created)."""
        if "/" in filename or "\\" in filename or filename.startswith("."):
            raise InvalidNameError(f"Artefact name {filename!r} is not a plain file name.")
        directory = self.path(name) / EXTRA_DIR
        directory.mkdir(parents=True, exist_ok=True)
        return directory / filename

    # -- writing -------------------------------------------------------------------
    def save(self, kv, card: ModelCard, overwrite: bool = False) -> ModelCard:
        """Store ``kv`` under ``card.name`` atomically and return the completed card.

        The card's vector_size, vocab_size, has_subwords and created fields are filled
        from ``kv``. With ``overwrite=False`` an existing name raises InvalidNameError.
        """
        from gensim.models.fasttext import FastTextKeyedVectors

        name = validate_name(card.name)
        card.name = name
        card.vector_size = int(kv.vector_size)
        card.vocab_size = len(kv.index_to_key)
        card.has_subwords = isinstance(kv, FastTextKeyedVectors)
        card.created = card.created or _now_iso()
        target = self.root / name
        if target.exists() and not overwrite:
            raise InvalidNameError(
                f"A model named {name!r} already exists; pick another name or delete it first."
            )
        tmp = self.root / f".tmp-{name}-{uuid.uuid4().hex[:8]}"
        tmp.mkdir()
        try:
            kv.save(str(tmp / VECTORS_FILE))
            # Artefacts of replaced vectors are stale, so an overwrite starts without them.
            atomic_write_json(tmp / CARD_FILE, card.to_dict())
            self._swap_into_place(tmp, target, overwrite)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return card

    def update_card(self, card: ModelCard) -> None:
        """Rewrite the card of an existing model (atomically)."""
        if not self.exists(card.name):
            raise ModelNotFoundError(self._not_found_message(card.name))
        atomic_write_json(self.path(card.name) / CARD_FILE, card.to_dict())

    def rename(self, old: str, new: str) -> ModelCard:
        """Rename a model; its card's name follows."""
        card = self.load_card(old)
        new = validate_name(new)
        if self.exists(new):
            raise InvalidNameError(f"A model named {new!r} already exists.")
        os.rename(self.path(old), self.root / new)
        card.name = new
        atomic_write_json(self.root / new / CARD_FILE, card.to_dict())
        return card

    def delete(self, name: str) -> None:
        """Remove a model. The entry disappears at once (renamed away), then is deleted."""
        path = self.path(name)
        if not path.is_dir():
            raise ModelNotFoundError(self._not_found_message(name))
        trash = self.root / f".trash-{name}-{uuid.uuid4().hex[:8]}"
        os.rename(path, trash)
        shutil.rmtree(trash, ignore_errors=True)

    def _swap_into_place(self, tmp: Path, target: Path, overwrite: bool = True) -> None:
        if not target.exists():
            try:
                os.rename(tmp, target)
            except OSError:
                # Another session saved the same name between our check and now.
                if not overwrite:
                    raise InvalidNameError(
                        f"A model named {target.name!r} was just saved by another session; "
                        "pick another name."
                    ) from None
                self._swap_into_place(tmp, target, overwrite=True)
            return
        if not overwrite:
            raise InvalidNameError(
                f"A model named {target.name!r} was just saved by another session; pick another name."
            )
        trash = self.root / f".trash-{target.name}-{uuid.uuid4().hex[:8]}"
        os.rename(target, trash)
        try:
            os.rename(tmp, target)
        except BaseException:
            os.rename(trash, target)
            raise
        shutil.rmtree(trash, ignore_errors=True)
