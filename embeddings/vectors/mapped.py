"""A stored model's vectors without gensim: what a one-shot command-line query needs.

Importing gensim (with scipy, which it imports) takes one to two seconds, longer than
the rest of a ``neighbours`` query on a 2,000,000-word model. :class:`MappedVectors`
offers the part of gensim's ``KeyedVectors`` interface the queries use (lookup,
vectors, norms, per-word attributes) on the store's mapped arrays, so
``python -m embeddings neighbours`` never imports gensim for a stored model. The app and
everything that trains, evaluates or composes FastText vectors use gensim's classes.

Example
-------
>>> import numpy as np
>>> kv = MappedVectors(["a", "b"], {"a": 0, "b": 1}, np.eye(2, dtype=np.float32))
>>> "a" in kv, len(kv), kv.get_vector("b").tolist()
(True, 2, [0.0, 1.0])
"""

from __future__ import annotations

import numpy as np


class MappedVectors:
    """Read-only word vectors with gensim's ``KeyedVectors`` lookup interface.

    Parameters
    ----------
    index_to_key : sequence of str
    key_to_index : mapping of str to int
    vectors : ndarray (count, dim)
    norms : ndarray (count,), optional
        The rows' lengths (computed when missing).
    """

    def __init__(self, index_to_key, key_to_index, vectors, norms=None):
        self.index_to_key = index_to_key
        self.key_to_index = key_to_index
        self.vectors = vectors
        self.norms = norms
        self.vector_size = int(vectors.shape[1])
        self.expandos: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.index_to_key)

    def __contains__(self, key) -> bool:
        return self.has_index_for(key)

    def has_index_for(self, key) -> bool:
        return self.get_index(key, -1) >= 0

    def get_index(self, key, default=None) -> int:
        """The row of ``key`` (an int in range is its own row), as gensim's ``get_index``."""
        i = self.key_to_index.get(key, -1)
        if i >= 0:
            return i
        if isinstance(key, int | np.integer) and 0 <= key < len(self.index_to_key):
            return int(key)
        if default is not None:
            return default
        raise KeyError(f"Key '{key}' not present")

    def fill_norms(self, force: bool = False) -> None:
        if self.norms is None or force:
            self.norms = np.linalg.norm(self.vectors, axis=1).astype(np.float32)

    def get_vector(self, key, norm: bool = False) -> np.ndarray:
        i = self.get_index(key)
        if norm:
            self.fill_norms()
            result = self.vectors[i] / self.norms[i]
        else:
            result = self.vectors[i]
        result.setflags(write=False)
        return result

    def __getitem__(self, key_or_keys):
        if isinstance(key_or_keys, str | int | np.integer):
            return self.get_vector(key_or_keys)
        return np.vstack([self.get_vector(k) for k in key_or_keys])

    def get_vecattr(self, key, attr: str):
        return self.expandos[attr][self.get_index(key)]

    def __repr__(self) -> str:
        return f"MappedVectors({len(self):,} x {self.vector_size})"
