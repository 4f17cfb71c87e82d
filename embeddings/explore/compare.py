"""Compare two models: neighbourhood overlap@k and an orthogonal Procrustes alignment.

Both work on the words the two models share. Neighbours are searched among the shared
words only, so a word missing from one model does not count against the other.

Example
-------
>>> ov = neighbour_overlap(kv_a, kv_b, k=10, sample=1000)        # doctest: +SKIP
>>> ov.mean_, ov.most_different(5)                                 # doctest: +SKIP
>>> al = ProcrustesAlignment().fit(kv_a, kv_b)                     # doctest: +SKIP
>>> al.cosines_.head()                                             # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.linalg import orthogonal_procrustes

from ..errors import EmbeddingsError
from ..progress import CancelToken, Progress, ProgressCallback, check_cancel, report


def shared_words(kv_a, kv_b, limit: int | None = None) -> list[str]:
    """Words in both vocabularies, in ``kv_a``'s order (most frequent first)."""
    other = kv_b.key_to_index
    words = [w for w in kv_a.index_to_key if w in other]
    return words[:limit] if limit else words


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


def _matrix(kv, words: list[str]) -> np.ndarray:
    return np.asarray(kv.vectors[[kv.key_to_index[w] for w in words]], dtype=np.float64)


def _top_k(unit: np.ndarray, rows: np.ndarray, k: int) -> np.ndarray:
    scores = unit[rows] @ unit.T
    scores[np.arange(len(rows)), rows] = -np.inf  # a word is not its own neighbour
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)


def _shared_bound(kv_a, kv_b, vocab_limit: int | None) -> int:
    n = min(len(kv_a.index_to_key), len(kv_b.index_to_key))
    return min(n, vocab_limit) if vocab_limit else n


def overlap_memory_estimate(kv_a, kv_b, vocab_limit: int | None = 30_000) -> int:
    """Bytes :func:`neighbour_overlap` holds at its peak, from the models' sizes alone.

    One float64 copy of the shared rows while the two float32 unit matrices are built,
    and a batch of scores with its negated copy and partition (256 words x the shared
    words, float32). wiki-w2v against itself (9,774 words x 100): measured peak 46 MiB,
    estimate 44 MiB.
    """
    n, d = _shared_bound(kv_a, kv_b, vocab_limit), max(kv_a.vector_size, kv_b.vector_size)
    return (1 << 20) + n * d * (8 + 2 * 4) + 3 * 4 * min(8_000_000, 256 * n)


def alignment_memory_estimate(kv_a, kv_b, vocab_limit: int | None = 30_000) -> int:
    """Bytes :meth:`ProcrustesAlignment.fit` holds at its peak: the raw, centred,
    normalised and rotated float64 rows of both models. wiki-w2v against itself (9,774
    words x 100): measured peak 45 MiB, estimate 45 MiB."""
    n, d = _shared_bound(kv_a, kv_b, vocab_limit), max(kv_a.vector_size, kv_b.vector_size)
    return (1 << 20) + 6 * n * d * 8


@dataclass
class NeighbourOverlap:
    """overlap@k per query word: the share of its k nearest neighbours both models agree on.

    Attributes
    ----------
    k : int
    words : list of str
        The query words (a sample of the shared vocabulary).
    overlap : numpy.ndarray
        One value in [0, 1] per query word.
    neighbours_a, neighbours_b : list of list of str
        Each query word's k neighbours in each model (among the shared words).
    mean_ : float
        The mean overlap@k.
    """

    k: int
    words: list[str]
    overlap: np.ndarray
    neighbours_a: list[list[str]]
    neighbours_b: list[list[str]]
    mean_: float
    shared: int

    def table(self) -> pd.DataFrame:
        """One row per query word, least overlapping first."""
        df = pd.DataFrame(
            {
                "word": self.words,
                f"overlap@{self.k}": self.overlap,
                "neighbours A": [", ".join(n) for n in self.neighbours_a],
                "neighbours B": [", ".join(n) for n in self.neighbours_b],
            }
        )
        return df.sort_values(f"overlap@{self.k}", kind="stable").reset_index(drop=True)

    def most_different(self, n: int = 20) -> list[str]:
        """The ``n`` query words whose neighbourhoods differ most (ties: more frequent first)."""
        order = np.argsort(self.overlap, kind="stable")
        return [self.words[i] for i in order[:n]]

    def neighbours_of(self, word: str) -> tuple[list[str], list[str]]:
        """``word``'s k neighbours in A and in B."""
        i = self.words.index(word)
        return self.neighbours_a[i], self.neighbours_b[i]

    def histogram(self) -> pd.DataFrame:
        """How many query words share 0, 1, ..., k neighbours (every value listed)."""
        shared = np.rint(self.overlap * self.k).astype(int)
        counts = np.bincount(shared, minlength=self.k + 1)
        return pd.DataFrame(
            {
                "shared neighbours": np.arange(self.k + 1),
                f"overlap@{self.k}": np.arange(self.k + 1) / self.k,
                "words": counts,
            }
        )


def neighbour_overlap(
    kv_a,
    kv_b,
    k: int = 10,
    sample: int | None = 1000,
    vocab_limit: int | None = 30_000,
    seed: int = 0,
    words: list[str] | None = None,
    batch_size: int = 256,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> NeighbourOverlap:
    """overlap@k of nearest neighbours for a sample of shared words.

    Parameters
    ----------
    k : int
        Neighbours per word.
    sample : int or None
        How many query words to draw (uniformly, with ``seed``) from the shared words;
        None for all of them.
    vocab_limit : int or None
        Only the first N shared words (``kv_a``'s frequency order) are queries and
        candidate neighbours.
    words : list of str, optional
        Explicit query words (must be shared) instead of a sample.
    """
    if k < 1:
        raise EmbeddingsError(f"k must be at least 1, not {k}.")
    if sample is not None and sample < 1:
        raise EmbeddingsError(f"The sample must hold at least one word, not {sample}.")
    shared = shared_words(kv_a, kv_b, vocab_limit)
    if len(shared) <= k:
        raise EmbeddingsError(
            f"The models share only {len(shared)} words; overlap@{k} needs more than {k}. "
            "Compare models trained on overlapping corpora."
        )
    index = {w: i for i, w in enumerate(shared)}
    if words is not None:
        missing = [w for w in words if w not in index]
        if missing:
            raise EmbeddingsError(f"Not in both models: {', '.join(missing[:10])}.")
        rows = np.array([index[w] for w in words], dtype=np.int64)
    elif sample is not None and sample < len(shared):
        rng = np.random.default_rng(seed)
        rows = np.sort(rng.choice(len(shared), size=sample, replace=False))
    else:
        rows = np.arange(len(shared))
    batch_size = max(1, min(batch_size, 8_000_000 // len(shared)))  # bound the score matrix
    unit_a = _unit(_matrix(kv_a, shared))
    unit_b = _unit(_matrix(kv_b, shared))
    overlap = np.empty(len(rows))
    nbr_a: list[list[str]] = []
    nbr_b: list[list[str]] = []
    for start in range(0, len(rows), batch_size):
        check_cancel(cancel)
        batch = rows[start : start + batch_size]
        top_a = _top_k(unit_a, batch, k)
        top_b = _top_k(unit_b, batch, k)
        for i in range(len(batch)):
            sa, sb = top_a[i].tolist(), top_b[i].tolist()
            overlap[start + i] = len(set(sa) & set(sb)) / k
            nbr_a.append([shared[j] for j in sa])
            nbr_b.append([shared[j] for j in sb])
        done = min(start + batch_size, len(rows))
        report(progress, Progress("compare", done, len(rows), f"{done:,}/{len(rows):,} words"))
    return NeighbourOverlap(
        k=k,
        words=[shared[i] for i in rows],
        overlap=overlap,
        neighbours_a=nbr_a,
        neighbours_b=nbr_b,
        mean_=float(overlap.mean()),
        shared=len(shared),
    )


class ProcrustesAlignment:
    """Rotate model B onto model A (orthogonal Procrustes) over their shared words.

    Both matrices are mean-centred and each row scaled to unit length (when ``centre`` /
    ``normalise``), then ``R = argmin ||B R - A||`` over orthogonal ``R``
    (:func:`scipy.linalg.orthogonal_procrustes`). After alignment a word's vectors in
    the two models can be compared by cosine (:meth:`cosine`), and a word of B can be
    looked up among A's words (:meth:`neighbours_in_a`).

    Models of different dimensions are refused: an orthogonal map needs equal
    dimensions, and padding the smaller model with zeros would invent directions it
    does not have.

    Attributes
    ----------
    words_ : list of str
        The shared words the rotation was fitted on (the first ``vocab_limit``).
    rotation_ : numpy.ndarray, shape (d, d)
    cosines_ : pandas.DataFrame
        ``word``, ``cosine`` (aligned B vs A), most stable first.
    mean_cosine_ : float

    Example
    -------
    >>> al = ProcrustesAlignment().fit(kv_a, kv_b)   # doctest: +SKIP
    >>> al.cosine("king")                              # doctest: +SKIP
    0.83
    """

    def __init__(
        self, centre: bool = True, normalise: bool = True, vocab_limit: int | None = 30_000
    ):
        self.centre = centre
        self.normalise = normalise
        self.vocab_limit = vocab_limit

    def _prepare(self, m: np.ndarray, mean: np.ndarray) -> np.ndarray:
        if self.centre:
            m = m - mean
        if self.normalise:
            norms = np.linalg.norm(m, axis=1, keepdims=True)
            norms[norms == 0] = 1.0
            m = m / norms
        return m

    def fit(
        self,
        kv_a,
        kv_b,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> ProcrustesAlignment:
        """Rotate ``kv_b`` onto ``kv_a`` over their shared words; returns self.

        ``progress`` hears an ``"align"`` event per step; ``cancel`` is checked between them.
        """
        if kv_a.vector_size != kv_b.vector_size:
            raise EmbeddingsError(
                f"Procrustes alignment needs equal dimensions; these models have "
                f"{kv_a.vector_size} and {kv_b.vector_size}. Compare models of the same size "
                "(overlap@k works across sizes)."
            )
        words = shared_words(kv_a, kv_b, self.vocab_limit)
        if len(words) < 2:
            raise EmbeddingsError("The models share fewer than two words; nothing to align.")
        report(progress, Progress("align", 0, 2, f"{len(words):,} shared words"))
        raw_a, raw_b = _matrix(kv_a, words), _matrix(kv_b, words)
        self.mean_a_, self.mean_b_ = raw_a.mean(axis=0), raw_b.mean(axis=0)
        a = self._prepare(raw_a, self.mean_a_)
        b = self._prepare(raw_b, self.mean_b_)
        check_cancel(cancel)
        report(progress, Progress("align", 1, 2, "the rotation"))
        self.rotation_, _ = orthogonal_procrustes(b, a)
        cos = _row_cosines(b @ self.rotation_, a)
        self.kv_a_, self.kv_b_ = kv_a, kv_b
        self.words_ = words
        self.cosines_ = (
            pd.DataFrame({"word": words, "cosine": cos})
            .sort_values("cosine", ascending=False, kind="stable")
            .reset_index(drop=True)
        )
        self.mean_cosine_ = float(cos.mean())
        report(progress, Progress("align", 2, 2, "done"))
        return self

    def _check_word(self, word: str) -> None:
        missing = [
            name
            for name, kv in (("A", self.kv_a_), ("B", self.kv_b_))
            if word not in kv.key_to_index
        ]
        if missing:
            raise EmbeddingsError(
                f"{word!r} is not in the vocabulary of model {' and '.join(missing)}; "
                "cross-model cosine needs a word both models know."
            )

    def vector_a(self, word: str) -> np.ndarray:
        """``word``'s vector in A, prepared (centred/normalised) as for the fit."""
        return self._prepare(_matrix(self.kv_a_, [word]), self.mean_a_)[0]

    def aligned_b(self, word: str) -> np.ndarray:
        """``word``'s vector in B, prepared and rotated into A's space."""
        return self._prepare(_matrix(self.kv_b_, [word]), self.mean_b_)[0] @ self.rotation_

    def cosine(self, word: str) -> float:
        """Cosine between ``word`` in A and in B after alignment (any shared word)."""
        self._check_word(word)
        return float(_row_cosines(self.aligned_b(word)[None, :], self.vector_a(word)[None, :])[0])

    def neighbours_in_a(self, word: str, topn: int = 10) -> list[tuple[str, float]]:
        """A's words nearest to B's aligned vector of ``word`` (among the fitted words).

        Where the models agree, ``word`` itself comes first; otherwise this shows which
        of A's words B's ``word`` sits among.
        """
        self._check_word(word)
        unit_a = _unit(self._prepare(_matrix(self.kv_a_, self.words_), self.mean_a_))
        query = self.aligned_b(word)
        query = query / (np.linalg.norm(query) or 1.0)
        scores = unit_a @ query.astype(np.float32)
        top = np.argsort(-scores, kind="stable")[:topn]
        return [(self.words_[i], float(scores[i])) for i in top]


def _row_cosines(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    num = np.sum(x * y, axis=1)
    den = np.linalg.norm(x, axis=1) * np.linalg.norm(y, axis=1)
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)
