"""Arrays kept with a stored model: extras saved with its vectors, caches computed later.

Extras (``<key>.npy`` in the entry's ``extra/`` directory) are written only by
``ModelStore.save(..., extras={key: array})``, inside the same atomic write as the
vectors, and read with :meth:`ExtrasMixin.load_extra`; an overwrite drops them with the
vectors they belong to. Caches computed later from a model (document vectors, say) go to
:meth:`ExtrasMixin.extra_path`.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ..errors import FormatError, InvalidNameError, ModelNotFoundError
from .store_files import EXTRA_DIR, make_private_dir
from .store_format import map_array

# Keys of extras become file names: ASCII letters, digits, '_', '-', '.' (not first).
_EXTRA_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")


class ExtrasMixin:
    """The extras part of :class:`ModelStore` (needs its ``path`` and messages)."""

    def load_extra(self, name: str, key: str) -> np.ndarray | None:
        """The array saved as extra ``key`` with model ``name``, memory-mapped read-only.

        Extras are written only by :meth:`save` (``extras={key: array}``), inside the
        same atomic write as the vectors, so they always belong to the vectors beside
        them. Nothing is unpickled (``allow_pickle=False``).

        Returns
        -------
        numpy.ndarray or None
            The array (a read-only ``np.memmap``), or None when the model has no such extra.

        Raises
        ------
        ModelNotFoundError
            No model ``name`` in the store.
        FormatError
            The extra's file is damaged (truncated, not an ``.npy`` array, or an object array).

        >>> store.load_extra("wiki-w2v", "syn1neg").shape   # doctest: +SKIP
        (71290, 100)
        """
        path = self._extra_file(name, key)
        if not path.parent.parent.is_dir():
            raise ModelNotFoundError(self._not_found_message(name))
        try:
            return map_array(path)
        except FileNotFoundError:
            return None
        except (ValueError, OSError, EOFError) as exc:
            raise FormatError(
                f"The array {key!r} kept with model {name!r} is damaged ({exc}); "
                "save the model again to rebuild it."
            ) from None

    def _extra_file(self, name: str, key: str) -> Path:
        if not isinstance(key, str) or not _EXTRA_KEY_RE.match(key):
            raise InvalidNameError(
                f"Extra name {key!r} must be ASCII letters, digits, '_', '-' or '.' "
                "(not first), at most 64 characters."
            )
        return self.path(name) / EXTRA_DIR / f"{key}.npy"

    def extra_path(self, name: str, filename: str) -> Path:
        """Where an artefact computed for model ``name`` is kept (directory is created).

        Raises ModelNotFoundError when the model is gone: a cache written for a deleted
        model must not bring its folder back.
        """
        if "/" in filename or "\\" in filename or filename.startswith("."):
            raise InvalidNameError(f"Artefact name {filename!r} is not a plain file name.")
        entry = self.path(name)
        try:
            if not entry.is_dir():
                raise FileNotFoundError(entry)
            make_private_dir(entry / EXTRA_DIR)
        except FileNotFoundError:
            raise ModelNotFoundError(self._not_found_message(name)) from None
        return entry / EXTRA_DIR / filename
