"""What a store entry is called and what it says about itself: model names (checked and
suggested) and the model card.

Example
-------
>>> validate_name("wiki-w2v")
'wiki-w2v'
>>> next_free_name("wiki-w2v", taken=lambda n: n in {"wiki-w2v", "wiki-w2v-2"})
'wiki-w2v-3'
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import InvalidNameError

MAX_NAME_LENGTH = 64
# Letters of any script, digits, and - _ . (not first); no path separators, no "..".
_NAME_RE = re.compile(r"^[^\W_][\w.\-]*$")


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
        """The card as plain JSON-ready data."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelCard:
        """A card from :meth:`to_dict` data; unknown keys (from newer versions) are ignored.

        Raises TypeError when ``name`` or ``algorithm`` is missing.
        """
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


class NameTakenError(InvalidNameError):
    """The name is used by another model (perhaps saved by another session meanwhile).

    Attributes
    ----------
    name : str
        The name asked for.
    suggestion : str
        A name that was free when the error was raised (``name-2``, ``name-3``, ...).
    result : object or None
        What could not be saved, kept for a second try under ``suggestion`` (the trainer
        attaches its ``TrainResult`` here).
    """

    def __init__(self, message: str, name: str, suggestion: str):
        super().__init__(message)
        self.name = name
        self.suggestion = suggestion
        self.result: Any = None


def next_free_name(name: str, taken: Callable[[str], bool]) -> str:
    """``name`` if ``taken(name)`` is false, else the first free ``name-2``, ``name-3``, ...

    A trailing ``-N`` counts on from N; the stem is shortened to keep the result within
    :data:`MAX_NAME_LENGTH`.

    >>> next_free_name("m-2", taken=lambda n: n in {"m-2", "m-3"})
    'm-4'
    """
    name = validate_name(name)
    if not taken(name):
        return name
    match = re.fullmatch(r"(.+)-(\d{1,6})", name)
    stem, number = (match.group(1), int(match.group(2))) if match else (name, 1)
    while True:
        number += 1
        suffix = f"-{number}"
        candidate = stem[: MAX_NAME_LENGTH - len(suffix)].rstrip("-._") + suffix
        if not taken(candidate):
            return candidate
