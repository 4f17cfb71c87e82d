"""Keys for Streamlit caches of results computed from a model.

A cached result is valid for one model content and one set of options. The key names
the model *and* its content version (``ModelStore.version``: new whenever the vectors
are rewritten, unchanged by card updates) and digests every option, so two models with
the same vocabulary, a model retrained under the same name, or one option switched
(Sphereize, say) never share an entry.

Example
-------
>>> key = cache_key(model, mode="top", n=1000, sphereize=True)   # doctest: +SKIP
>>> cache_key(key, method="pca", dims=2)                          # doctest: +SKIP
'lee-w2v@3f2a…|9b1c…|41d0…'
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def model_key(name: str, version: str) -> str:
    """The key of one model content: ``name@version``."""
    return f"{name}@{version}"


def _plain(value: Any) -> Any:
    # Options come from widgets: sets (stop words) and tuples must digest the same way
    # however they were built.
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return value.item()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def cache_key(base, **options) -> str:
    """A cache key for a result computed from ``base`` with ``options``.

    Parameters
    ----------
    base : ActiveModel or str
        The model (anything with ``name`` and ``version``, such as
        ``utils.state.ActiveModel``), or a key made by this function to extend (the key
        of a word selection, extended by the projection's method and parameters).
    **options :
        Every option that changes the result. Sets, tuples and numpy scalars are
        normalised, so equal options give equal keys.

    Returns
    -------
    str
        ``base`` (as ``name@version`` for a model), then ``|`` and a digest of the options.
    """
    if not isinstance(base, str):
        base = model_key(base.name, base.version)
    if not options:
        return base
    text = json.dumps(_plain(options), sort_keys=True, ensure_ascii=False)
    return f"{base}|{hashlib.sha1(text.encode('utf-8')).hexdigest()[:20]}"
