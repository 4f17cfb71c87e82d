"""What a stored vocabulary map is, where its files live, and how its name is checked.

See :mod:`.maps` for the layout; this module holds the record (:class:`MapInfo`, the
content of ``map.json``) and the opened map (:class:`StoredMap`).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, fields
from functools import cached_property
from pathlib import Path

import numpy as np

from ..errors import FormatError, InvalidNameError

MAPS_DIR = "maps"
INFO_FILE = "map.json"
COORDS_FILE = "coords.npy"
ROWS_FILE = "rows.npy"
WORDS_FILE = "words.json"
QUALITY_K = 10
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")


@dataclass
class MapInfo:
    """What a stored map is (the content of its ``map.json``; ``stale`` is computed).

    ``preservation`` is the neighbour preservation at ``k`` (the share of each word's
    ``k`` nearest neighbours by cosine that stay among its ``k`` nearest on the map) and
    ``trustworthiness`` scikit-learn's, both on a random sample of ``quality_sample``
    mapped words. ``model_version`` is :meth:`ModelStore.version` of the vectors used.
    """

    name: str
    model: str
    method: str
    params: dict
    seed: int
    sample: str
    words: int
    dims: int
    seconds: float
    created: str
    model_version: str
    preservation: float | None
    trustworthiness: float | None
    quality_sample: int
    k: int = QUALITY_K
    stale: bool = field(default=False, compare=False)

    def to_dict(self) -> dict:
        """The JSON stored as ``map.json`` (without ``stale``, which depends on now)."""
        data = asdict(self)
        data.pop("stale")
        return data

    @classmethod
    def from_dict(cls, data: dict) -> MapInfo:
        """Read a ``map.json`` (unknown keys ignored)."""
        known = {f.name for f in fields(cls)} - {"stale"}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class StoredMap:
    """An opened map: its info, memory-mapped coordinates and rows; words read on first use."""

    info: MapInfo
    coords: np.ndarray
    rows: np.ndarray
    folder: Path

    @cached_property
    def words(self) -> list[str]:
        """The mapped words, in the order of :attr:`coords`."""
        words = read_map_json(self.folder / WORDS_FILE, self.info.model, self.info.name)
        if not isinstance(words, list) or len(words) != len(self.coords):
            raise FormatError(
                damaged_message(self.info.model, self.info.name, "words do not match")
            )
        return words


def validate_map_name(name: str) -> str:
    """``name`` stripped, or :class:`InvalidNameError` when it cannot name a map folder."""
    text = name.strip() if isinstance(name, str) else ""
    if not _NAME_RE.match(text):
        raise InvalidNameError(
            f"Map name {name!r} must be 1 to 64 ASCII letters, digits, '_', '-' or '.' (not first)."
        )
    return text


def maps_folder(store, model: str) -> Path:
    """The folder of model ``model``'s maps (need not exist)."""
    return store.path(model) / MAPS_DIR


def damaged_message(model: str, name: str, why: str) -> str:
    """The one-line message for a damaged map, saying how to replace it."""
    return (
        f"Map {name!r} of model {model!r} is damaged ({why}); delete it "
        f"(`python -m embeddings maps delete {model} {name}`) and create it again."
    )


def read_map_json(path: Path, model: str, name: str):
    """A map's JSON file; FormatError when damaged, FileNotFoundError when missing."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise
    except (OSError, ValueError) as exc:
        raise FormatError(damaged_message(model, name, f"{path.name}: {exc}")) from None
