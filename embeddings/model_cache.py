"""Open models kept for every session of a server, within a memory budget.

A stored model is memory-mapped: its vectors live in the operating system's page cache,
shared by all sessions and processes, and cost a process nothing of its own. What a
loaded model costs the process is its *private* memory: arrays held in RAM (vectors that
could not be mapped, norms computed here), the vocabulary's list and dict (a few hundred
bytes a word), a neighbour index read into memory. :func:`private_bytes` estimates that,
and :class:`ModelCache` keeps models, most recently used last, dropping the least
recently used while the sum passes its budget (:func:`model_cache_budget`).

Dropping a model from the cache only drops the cache's reference: a session or a job
still holding it keeps using it, and the next session asking for it opens it again.

Example
-------
>>> import numpy as np
>>> cache = ModelCache(budget=1000)
>>> a = cache.get_or_open("a", lambda: np.zeros(100, dtype=np.float32))   # 400 bytes
>>> b = cache.get_or_open("b", lambda: np.zeros(200, dtype=np.float32))   # 800 bytes
>>> cache.keys()   # "a" was dropped: 1,200 bytes would pass the budget
['b']
"""

from __future__ import annotations

import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import numpy as np

from .budget import memory_budget, parse_size

CACHE_ENV = "EMBEDDINGS_MODEL_CACHE"
# Of the memory budget (EMBEDDINGS_MEMORY_BUDGET), the share open models may keep
# privately; the rest is for the jobs (training, imports) that run beside them.
DEFAULT_CACHE_SHARE = 0.5
_SAMPLE_WORDS = 1000


def model_cache_budget() -> int:
    """Bytes of private memory the open models of a server may take together.

    ``$EMBEDDINGS_MODEL_CACHE`` (bytes or ``"2G"``) if set, else
    :data:`DEFAULT_CACHE_SHARE` of :func:`embeddings.budget.memory_budget`.
    """
    env = os.environ.get(CACHE_ENV)
    if env:
        return parse_size(env)
    return int(memory_budget() * DEFAULT_CACHE_SHARE)


def _array_bytes(array) -> int:
    """Bytes an array holds privately: nothing for a memory map (or a view of one)."""
    if not isinstance(array, np.ndarray):
        return 0
    base = array
    while isinstance(base, np.ndarray):
        if isinstance(base, np.memmap):
            return 0
        base = base.base
    if base is not None and not isinstance(base, bytes | bytearray):
        return 0  # a view on a mapped buffer (mmap.mmap)
    return int(array.nbytes)


def _words_bytes(words) -> int:
    """Private bytes of a vocabulary: a plain list of str, or the lazy blob views."""
    if not isinstance(words, list) or not words:
        return 0
    sample = words[:_SAMPLE_WORDS]
    per_word = sum(sys.getsizeof(w) for w in sample) / len(sample)
    return int(sys.getsizeof(words) + per_word * len(words))


def _index_bytes(index) -> int:
    if isinstance(index, dict):
        # the table; the keys are the word list's strings, the values small ints
        return sys.getsizeof(index) + 32 * len(index)
    seen = getattr(index, "_seen", None)  # a lazy WordIndex's remembered lookups
    return _index_bytes(seen) if isinstance(seen, dict) else 0


def private_bytes(model) -> int:
    """An estimate of the memory ``model`` holds privately (not shared through mapping).

    ``model`` is a KeyedVectors-like object (or ``(kv, card)``): its in-memory arrays,
    its vocabulary list and dict, the search matrix and neighbour index attached to it
    when they are not mapped. Any other object counts its ``nbytes`` if it has one.
    """
    if isinstance(model, tuple):
        return sum(private_bytes(part) for part in model)
    if isinstance(model, np.ndarray):
        return _array_bytes(model)
    if not hasattr(model, "vectors"):
        return 0
    total = 0
    for name in ("vectors", "norms", "vectors_vocab", "vectors_ngrams"):
        total += _array_bytes(getattr(model, name, None))
    for values in getattr(model, "expandos", {}).values():
        total += _array_bytes(values)
    total += _words_bytes(getattr(model, "index_to_key", None))
    total += _index_bytes(getattr(model, "key_to_index", None))
    from .vectors.search import _INDEXES

    search = _INDEXES.get(model)
    if search is not None:
        total += _array_bytes(search.unit)
        # usearch counts what it holds in memory; a graph viewed from disk is mapped
        total += int(getattr(search.ann, "memory_usage", 0) or 0)
    return total


class ModelCache:
    """Least-recently-used open models whose private memory stays within ``budget``.

    Keys are whatever identifies one version of a model (the app uses ``(store root,
    name, content version, indexed)``). Thread-safe: sessions run in threads, and two
    sessions asking for the same model at once open it once.

    Parameters
    ----------
    budget : int, optional
        Bytes; :func:`model_cache_budget` by default. The model just opened is kept even
        when it alone passes the budget (every other model is dropped then).
    cost : callable, optional
        ``cost(value) -> bytes``; :func:`private_bytes` by default.
    """

    def __init__(self, budget: int | None = None, cost: Callable[[Any], int] | None = None):
        self.budget = model_cache_budget() if budget is None else int(budget)
        self._cost = cost or private_bytes
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()
        self._opening: dict[Hashable, threading.Lock] = {}
        self.evictions = 0

    def get(self, key: Hashable, default=None):
        """The cached value of ``key`` (now the most recently used), or ``default``."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return default
            self._entries.move_to_end(key)
            return entry[0]

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._entries

    def get_or_open(self, key: Hashable, opener: Callable[[], Any]):
        """The cached value of ``key``, else ``opener()``, cached (evicting as needed).

        An exception from ``opener`` propagates and nothing is cached.
        """
        found = self.get(key, _MISSING)
        if found is not _MISSING:
            return found
        with self._lock:
            gate = self._opening.setdefault(key, threading.Lock())
        with gate:  # one opener per key; others wait and then find it cached
            found = self.get(key, _MISSING)
            if found is not _MISSING:
                return found
            try:
                value = opener()
                self.put(key, value)
            finally:
                with self._lock:
                    self._opening.pop(key, None)
            return value

    def put(self, key: Hashable, value) -> None:
        """Cache ``value`` under ``key`` as the most recently used, then evict."""
        cost = int(self._cost(value))
        with self._lock:
            self._entries[key] = (value, cost)
            self._entries.move_to_end(key)
            self._evict()

    def _evict(self) -> None:
        while len(self._entries) > 1 and self.total_bytes_unlocked() > self.budget:
            self._entries.popitem(last=False)
            self.evictions += 1

    def total_bytes_unlocked(self) -> int:
        return sum(cost for _, cost in self._entries.values())

    @property
    def total_bytes(self) -> int:
        """The summed private memory of the cached models."""
        with self._lock:
            return self.total_bytes_unlocked()

    def keys(self) -> list:
        """Cached keys, least recently used first."""
        with self._lock:
            return list(self._entries)

    def discard(self, key: Hashable) -> None:
        """Drop ``key`` if cached."""
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_MISSING = object()
