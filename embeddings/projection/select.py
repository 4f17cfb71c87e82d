"""Choosing which words to project: top-N, neighbours of query words, a list, a regex."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ..errors import EmbeddingsError, UnknownWordError

MAX_WORDS = 20_000
_NUMBER = re.compile(r"^[\d.,:/+\-%]+$")


@dataclass
class Selection:
    """The chosen words, a group label per word (the query word, or "") and the vectors.

    ``missing`` lists asked-for words that are not in the vocabulary.
    """

    words: list[str]
    groups: list[str]
    vectors: np.ndarray
    missing: list[str] = field(default_factory=list)
    query_words: list[str] = field(default_factory=list)

    def key(self) -> str:
        """A short stable key for caching (hash of words and groups)."""
        import hashlib

        h = hashlib.sha1("\x00".join(self.words + ["|"] + self.groups).encode("utf-8"))
        return h.hexdigest()


def _keep(word: str, stopwords: set[str], exclude_numbers: bool, pattern) -> bool:
    if word in stopwords or word.lower() in stopwords:
        return False
    if exclude_numbers and _NUMBER.match(word):
        return False
    return not (pattern is not None and not pattern.search(word))


def select_words(
    kv,
    mode: str = "top",
    n: int = 1000,
    query_words: list[str] | None = None,
    k: int = 10,
    words: list[str] | None = None,
    regex: str | None = None,
    stopwords: set[str] | None = None,
    exclude_numbers: bool = False,
    sample: bool = False,
    seed: int = 1,
    sphereize: bool = False,
) -> Selection:
    """Choose words to project.

    Parameters
    ----------
    kv : gensim KeyedVectors
    mode : {"top", "neighbours", "list"}
        ``top``: the ``n`` most frequent words (or a random sample of ``n`` when
        ``sample``); ``neighbours``: each query word and its ``k`` nearest neighbours,
        grouped by query word; ``list``: the given ``words``.
    regex : str, optional
        Keep only words matching this regular expression (filter applied in every mode).
    stopwords, exclude_numbers : filters applied in every mode (query words are kept).
    sphereize : bool
        Centre the vectors on their mean, then scale each to unit length (as the
        Projector's "Sphereize data" option).

    Examples
    --------
    >>> sel = select_words(kv, "neighbours", query_words=["king"], k=5)  # doctest: +SKIP
    """
    stopwords = set(stopwords or ())
    try:
        pattern = re.compile(regex) if regex else None
    except re.error as exc:
        raise EmbeddingsError(f"Invalid regular expression {regex!r}: {exc}.") from exc
    n = max(1, min(int(n), MAX_WORDS))
    missing: list[str] = []
    groups: list[str]
    queries = [q.strip() for q in (query_words or []) if q and q.strip()]
    if mode == "top":
        vocab = [w for w in kv.index_to_key if _keep(w, stopwords, exclude_numbers, pattern)]
        if sample and len(vocab) > n:
            rng = np.random.default_rng(seed)
            idx = np.sort(rng.choice(len(vocab), size=n, replace=False))
            chosen = [vocab[i] for i in idx]
        else:
            chosen = vocab[:n]
        groups = [""] * len(chosen)
    elif mode == "neighbours":
        if not queries:
            raise EmbeddingsError("Type at least one query word to show its neighbours.")
        found = [q for q in queries if q in kv.key_to_index]
        missing = [q for q in queries if q not in kv.key_to_index]
        if not found:
            raise UnknownWordError(
                queries[0], f"None of {', '.join(queries)} is in the vocabulary; try other words."
            )
        seen: dict[str, str] = {}
        for q in found:
            seen.setdefault(q, q)
            extra = kv.most_similar(q, topn=int(k) * 3 + 10)
            added = 0
            for w, _ in extra:
                if added >= k:
                    break
                if w in seen or not _keep(w, stopwords, exclude_numbers, pattern):
                    continue
                seen[w] = q
                added += 1
        chosen, groups = list(seen), list(seen.values())
    elif mode == "list":
        given = list(dict.fromkeys(w.strip() for w in (words or []) if w and w.strip()))
        missing = [w for w in given if w not in kv.key_to_index]
        chosen = [
            w
            for w in given
            if w in kv.key_to_index and _keep(w, stopwords, exclude_numbers, pattern)
        ][:MAX_WORDS]
        groups = [""] * len(chosen)
    else:
        raise EmbeddingsError(f"Unknown selection mode {mode!r}; use top, neighbours or list.")
    if len(chosen) < 3:
        raise EmbeddingsError(
            f"Only {len(chosen)} word(s) selected; a projection needs at least 3. "
            "Loosen the filters or add words."
        )
    vectors = np.asarray(kv.vectors[[kv.key_to_index[w] for w in chosen]], dtype=np.float32)
    if sphereize:
        vectors = sphereize_vectors(vectors)
    return Selection(chosen, groups, vectors, missing, queries)


def sphereize_vectors(vectors: np.ndarray) -> np.ndarray:
    """Centre on the mean, then scale every row to unit length (zero rows stay zero)."""
    centred = vectors - vectors.mean(axis=0, keepdims=True)
    norms = np.linalg.norm(centred, axis=1, keepdims=True)
    return (centred / np.where(norms == 0, 1, norms)).astype(np.float32)
