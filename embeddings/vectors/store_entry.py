"""One entry of the model store, seen as a directory: is it a whole model, when were its
vectors written, and how an entry of the older pickled format is rewritten as arrays.

An entry is whole when its ``card.json`` parses into a :class:`ModelCard` and its
vectors are there; anything else is *broken* (and says why). The directory's name is the
model's name.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections import OrderedDict
from pathlib import Path

from ..errors import InvalidNameError
from .store_cards import ModelCard, validate_name
from .store_files import EXTRA_DIR
from .store_format import FORMAT_FILE, VECTORS_NPY, write_vectors

CARD_FILE = "card.json"
VERSION_FILE = "version"
VECTORS_FILE = VECTORS_NPY
LEGACY_VECTORS_FILE = "vectors.kv"  # pickled KeyedVectors of older entries (converted on load)


def entry_name(directory: Path) -> str | None:
    """The model name a directory of the root stands for, or None (hidden, not a name)."""
    try:
        return directory.name if validate_name(directory.name) == directory.name else None
    except InvalidNameError:
        return None


def vectors_file(path: Path) -> Path | None:
    """The entry's vectors file (array format or, for older entries, the pickle), or None."""
    if (path / FORMAT_FILE).is_file() and (path / VECTORS_FILE).is_file():
        return path / VECTORS_FILE
    legacy = path / LEGACY_VECTORS_FILE
    return legacy if legacy.is_file() else None


def inspect_entry(path: Path) -> tuple[ModelCard | None, str | None]:
    """``(card, None)`` for a whole entry, ``(None, reason)`` for a broken one.

    The card's ``name`` is set from the directory: a rename writes the new name into the
    card before it renames the directory.
    """
    card, problem = read_card(path)
    if card is None:
        return None, problem
    if vectors_file(path) is None:
        return None, "no vectors file"
    card.name = path.name
    return card, None


# Parsed cards by file, while the file is unchanged: a card with benchmark results is
# about 100 KB of JSON, and every page run of every session reads the active model's.
_CARDS: OrderedDict[str, tuple[tuple, dict]] = OrderedDict()
_CARDS_KEPT = 64
_CARDS_LOCK = threading.Lock()


def _card_data(file: Path) -> dict:
    """The parsed JSON of ``file``, parsed again only when the file changed (cards are
    replaced whole, so a new inode, time or size means new content)."""
    st = file.stat()
    stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
    with _CARDS_LOCK:
        kept = _CARDS.get(str(file))
        if kept is not None and kept[0] == stamp:
            _CARDS.move_to_end(str(file))
            data = kept[1]
        else:
            data = None
    if data is None:
        data = json.loads(file.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise TypeError("card.json is not an object")
        with _CARDS_LOCK:
            _CARDS[str(file)] = (stamp, data)
            while len(_CARDS) > _CARDS_KEPT:
                _CARDS.popitem(last=False)
    # One level copied: a caller that changes the card (a name, a result in its
    # evaluation) changes its own copy, never the kept one.
    return {k: v.copy() if isinstance(v, (dict, list)) else v for k, v in data.items()}


def read_card(path: Path) -> tuple[ModelCard | None, str | None]:
    """``(card, None)`` when the entry's ``card.json`` parses, else ``(None, reason)``."""
    try:
        return ModelCard.from_dict(_card_data(path / CARD_FILE)), None
    except FileNotFoundError:
        return None, "no card.json"
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return None, f"card.json is not valid JSON: {exc}"
    except (TypeError, AttributeError):
        return None, "card.json lacks the model's name or algorithm"
    except OSError as exc:
        return None, f"card.json cannot be read: {exc.strerror or exc}"


def vectors_stamp(path: Path) -> int:
    """When the entry's vectors were written (ns; 0 when unknown): the listing's order."""
    try:
        return (vectors_file(path) or path).stat().st_mtime_ns
    except OSError:
        return 0


def read_version(path: Path) -> str:
    """The entry's content version: the id saved with its vectors, or for entries saved
    before there was one, the vectors file's identity (inode, mtime, size).

    Raises FileNotFoundError when the entry has no vectors (it is gone).
    """
    try:
        return (path / VERSION_FILE).read_text(encoding="ascii").strip()
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    info = (vectors_file(path) or path / VECTORS_FILE).stat()
    return f"{info.st_ino:x}-{info.st_mtime_ns:x}-{info.st_size:x}"


def load_pickled_vectors(path: Path):
    """The vectors of an entry of the older format (``vectors.kv``, a gensim pickle).

    The store wrote that pickle itself; this is the only unpickling left, and only
    until the entry is converted (:func:`write_converted_entry`).
    """
    from gensim.models import KeyedVectors

    return KeyedVectors.load(str(path / LEGACY_VECTORS_FILE))


def write_converted_entry(path: Path, kv, tmp: Path) -> None:
    """Write entry ``path`` with vectors ``kv`` into the empty directory ``tmp`` in the
    array format, with the same card, version and extras."""
    write_vectors(kv, tmp)
    for item in (CARD_FILE, VERSION_FILE):
        if (path / item).is_file():
            shutil.copy2(path / item, tmp / item)
    if (path / EXTRA_DIR).is_dir():
        shutil.copytree(path / EXTRA_DIR, tmp / EXTRA_DIR)
