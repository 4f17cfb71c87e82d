"""Which words of a whole vocabulary go on a map: the most frequent, a sample from every
frequency band, or a plain random sample; seeded, so a seed gives the same words.

Words are rows of the model in its stored order, most frequent first. Frequency bands
are equal-width bands of log-frequency: from the corpus counts when the model has real
ones, else from the rank (word frequencies follow Zipf's law, frequency ~ 1 / rank, so
log-rank bands are log-frequency bands). A sample of 10,000 words from a million then
holds rare words as well as common ones, where the top 10,000 hold only common words.

Example
-------
>>> rows = sample_rows(1000, 100, "bands", seed=0)
>>> len(rows), sorted(set(frequency_bands(1000)[rows])) == list(range(DEFAULT_BANDS))
(100, True)
"""

from __future__ import annotations

import numpy as np

from ..errors import EmbeddingsError

SAMPLES = ("top", "bands", "random")
# Samples given as a word list (the list itself, or query words with their neighbours).
LIST_SAMPLES = ("list", "neighbours")
DEFAULT_BANDS = 8


def word_counts(kv) -> np.ndarray | None:
    """The model's corpus counts per row, or None when it has no real ones.

    gensim fills the counts of a vectors file it read with ``vocabulary size - rank``, a
    placeholder that says nothing about frequency; that one is treated as no counts.
    """
    counts = getattr(kv, "expandos", {}).get("count")
    if counts is None or len(counts) != len(kv.index_to_key) or len(counts) == 0:
        return None
    counts = np.asarray(counts, dtype=np.float64)
    placeholder = np.arange(len(counts), 0, -1, dtype=np.float64)
    if np.all(counts <= 0) or np.array_equal(counts, placeholder):
        return None
    return counts


def frequency_bands(
    vocab_size: int, counts: np.ndarray | None = None, bands: int = DEFAULT_BANDS
) -> np.ndarray:
    """The band (0 = most frequent, ``bands - 1`` = rarest) of each of ``vocab_size`` rows.

    Bands split log-frequency into ``bands`` equal widths; with ``counts`` of None the
    log of the rank stands for it (see the module's note). A band may be empty when the
    counts jump (a few very frequent words, then a gap).

    >>> frequency_bands(8, bands=3).tolist()
    [0, 1, 1, 2, 2, 2, 2, 2]
    """
    bands = max(1, int(bands))
    if vocab_size <= 0:
        return np.zeros(0, dtype=np.int64)
    if counts is None:
        # Frequency falls as 1 / rank: -log(rank) is log-frequency up to a constant.
        level = -np.log(np.arange(1, vocab_size + 1, dtype=np.float64))
    else:
        level = np.log(np.maximum(np.asarray(counts, dtype=np.float64), 1.0))
    top, bottom = float(level.max()), float(level.min())
    if top == bottom:
        return np.zeros(vocab_size, dtype=np.int64)
    position = (top - level) / (top - bottom)  # 0 for the most frequent, 1 for the rarest
    return np.minimum((position * bands).astype(np.int64), bands - 1)


def _share(sizes: np.ndarray, n: int) -> np.ndarray:
    """Split ``n`` over groups of ``sizes`` as evenly as they allow (a small group gives
    all it has and the rest goes to the others)."""
    take = np.zeros(len(sizes), dtype=np.int64)
    left = n
    open_groups = [i for i in np.argsort(sizes, kind="stable") if sizes[i] > 0]
    while open_groups and left > 0:
        each = left // len(open_groups)
        smallest = open_groups[0]
        if sizes[smallest] <= each:
            take[smallest] = sizes[smallest]
            left -= int(sizes[smallest])
            open_groups.pop(0)
            continue
        # Every remaining group can give ``each``; the remainder goes to the first ones.
        for j, i in enumerate(open_groups):
            take[i] = each + (1 if j < left - each * len(open_groups) else 0)
        left = 0
    return take


def sample_rows(
    vocab_size: int,
    n: int,
    sample: str = "top",
    seed: int = 0,
    counts: np.ndarray | None = None,
    bands: int = DEFAULT_BANDS,
) -> np.ndarray:
    """Sorted row numbers of the ``n`` words to map (all rows when ``n >= vocab_size``).

    Parameters
    ----------
    vocab_size : int
        Rows of the model, most frequent first.
    n : int
        How many words.
    sample : {"top", "bands", "random"}
        ``top``: the ``n`` most frequent; ``bands``: an even share of ``n`` from every
        frequency band (:func:`frequency_bands`), drawn at random inside each band;
        ``random``: ``n`` rows drawn uniformly.
    seed : int
        Seeds ``bands`` and ``random``.
    counts : ndarray, optional
        Corpus counts per row (:func:`word_counts`), for ``bands``.

    Raises
    ------
    EmbeddingsError
        Unknown ``sample`` or ``n`` below 1.
    """
    if sample not in SAMPLES:
        raise EmbeddingsError(f"Unknown sample {sample!r}; use one of {', '.join(SAMPLES)}.")
    if int(n) < 1:
        raise EmbeddingsError(f"A map needs at least 1 word (got {n}).")
    n = min(int(n), int(vocab_size))
    if n == vocab_size or sample == "top":
        return np.arange(n, dtype=np.int64)
    rng = np.random.default_rng(seed)
    if sample == "random":
        return np.sort(rng.choice(vocab_size, size=n, replace=False)).astype(np.int64)
    band_of = frequency_bands(vocab_size, counts, bands)
    members = [np.flatnonzero(band_of == b) for b in range(max(1, int(bands)))]
    take = _share(np.array([len(m) for m in members], dtype=np.int64), n)
    chosen = [
        rng.choice(m, size=int(t), replace=False) for m, t in zip(members, take, strict=True) if t
    ]
    return np.sort(np.concatenate(chosen)).astype(np.int64)


def list_rows(kv, words: list[str]) -> list[int]:
    """The model rows of ``words``, once each, in the list's order; unknown words skipped.

    >>> from gensim.models import KeyedVectors
    >>> kv = KeyedVectors(2)
    >>> kv.add_vectors(["a", "b", "c"], np.eye(3, 2, dtype=np.float32))
    >>> list_rows(kv, ["c", "zz", "a", "c"])
    [2, 0]
    """
    index = kv.key_to_index
    return list(dict.fromkeys(index[w] for w in words if w in index))
