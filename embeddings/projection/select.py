"""Choosing which words to project: top-N, neighbours of query words, a list, a regex."""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass, field

import numpy as np
import regex

from ..errors import EmbeddingsError, ResourceLimitError, UnknownWordError

MAX_WORDS = 20_000
MAX_PATTERN = 200
# Processor seconds one filter may spend across the whole vocabulary. A simple pattern
# needs about 1 s for a million words; nested repeats such as (a|a)* can need years.
FILTER_SECONDS = 3.0
_NUMBER = re.compile(r"^[\d.,:/+\-%]+$")


class WordPattern:
    """A user's regular expression, bounded in length and in total matching time.

    The ``regex`` package releases the interpreter lock while it matches, so a slow
    pattern never freezes other sessions, and its ``timeout=`` stops a runaway match.
    Every word gets the time left of one budget of :data:`FILTER_SECONDS` processor
    seconds (this thread's), which starts at the first word.

    Raises
    ------
    EmbeddingsError
        The pattern is longer than :data:`MAX_PATTERN` or invalid.
    ResourceLimitError
        From :meth:`search`, once the budget is spent.

    Examples
    --------
    >>> p = WordPattern("ment$")
    >>> p.search("government"), p.search("police")
    (True, False)
    """

    def __init__(self, text: str, seconds: float = FILTER_SECONDS):
        if len(text) > MAX_PATTERN:
            raise EmbeddingsError(
                f"The regular expression is {len(text):,} characters long; "
                f"use at most {MAX_PATTERN}."
            )
        try:
            self.pattern = regex.compile(text)
        except (regex.error, ValueError, OverflowError, RecursionError) as exc:
            raise EmbeddingsError(f"Invalid regular expression {text!r}: {exc}.") from exc
        self.text = text
        self.seconds = seconds
        self._deadline: float | None = None

    def _too_slow(self) -> ResourceLimitError:
        return ResourceLimitError(
            f"The regular expression {self.text!r} took more than {self.seconds:g} s on this "
            "vocabulary and was stopped; simplify it (nested repeats such as (a|a)* or "
            "(a+)+ try exponentially many ways to match)."
        )

    def search(self, word: str) -> bool:
        """Whether the pattern matches anywhere in ``word``."""
        now = time.thread_time()
        if self._deadline is None:
            self._deadline = now + self.seconds
        left = self._deadline - now
        if left <= 0:
            raise self._too_slow()
        try:
            return self.pattern.search(word, timeout=left) is not None
        except TimeoutError:
            raise self._too_slow() from None


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
    return pattern is None or pattern.search(word)


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
        Keep only words matching this regular expression (filter applied in every mode;
        at most :data:`MAX_PATTERN` characters and :data:`FILTER_SECONDS` of matching in
        all, see :class:`WordPattern`).
    stopwords, exclude_numbers : filters applied in every mode (query words are kept).
    sphereize : bool
        Centre the vectors on their mean, then scale each to unit length (as the
        Projector's "Sphereize data" option).

    Examples
    --------
    >>> sel = select_words(kv, "neighbours", query_words=["king"], k=5)  # doctest: +SKIP
    """
    stopwords = set(stopwords or ())
    pattern = WordPattern(regex) if regex else None
    n = max(1, min(int(n), MAX_WORDS))
    missing: list[str] = []
    groups: list[str]
    queries = [q.strip() for q in (query_words or []) if q and q.strip()]
    if mode == "top":
        kept = (w for w in kv.index_to_key if _keep(w, stopwords, exclude_numbers, pattern))
        # The first n are enough unless sampling: a filter then reads only what it needs.
        vocab = list(kept) if sample else list(itertools.islice(kept, n))
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
