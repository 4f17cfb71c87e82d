"""Queries on word vectors: neighbours, similarity, odd one out, analogies, comparisons.

Search goes through :mod:`embeddings.vectors.search` (exact, or a big model's neighbour
index re-ranked exactly). Exact results equal gensim's ``most_similar``,
``most_similar_cosmul`` and ``doesnt_match`` on the same vectors.

Unknown words raise :class:`~embeddings.errors.UnknownWordError` naming close spellings
from the vocabulary; a FastText model instead composes the word from its character
n-grams and the result marks it as out of vocabulary.

Example
-------
>>> from gensim.models import KeyedVectors
>>> import numpy as np
>>> kv = KeyedVectors(2)
>>> kv.add_vectors(["a", "b", "c"], np.array([[1, 0], [0.9, 0.1], [0, 1]], dtype=np.float32))
>>> [n.word for n in neighbours(kv, "a", topn=2)]
['b', 'c']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..errors import EmbeddingsError
from ..vectors.search import vector_index
from .words import model_key, model_spelling, word_vector


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    if n == 0:
        raise EmbeddingsError("The query vector is all zeros, so it has no direction.")
    return (v / n).astype(np.float32)


@dataclass
class Neighbour:
    word: str
    similarity: float
    rank: int


@dataclass
class NeighbourResult:
    """Neighbours of a query, with which query words were out of vocabulary (FastText)."""

    positive: list[str]
    negative: list[str]
    neighbours: list[Neighbour]
    oov: list[str] = field(default_factory=list)

    def __iter__(self):
        return iter(self.neighbours)

    def __len__(self):
        return len(self.neighbours)

    def __getitem__(self, i):
        return self.neighbours[i]


def neighbours(
    kv,
    positive: str | Sequence[str],
    negative: Sequence[str] = (),
    topn: int = 10,
    restrict_vocab: int | None = None,
    model_name: str = "the model",
    exact: bool = False,
) -> NeighbourResult:
    """Nearest words to the mean of the unit vectors of ``positive`` minus ``negative``.

    The same words, order and scores as gensim's ``most_similar(positive, negative,
    topn, restrict_vocab)``; the query words themselves are excluded. ``restrict_vocab``
    keeps only the n most frequent words (the first n of the model). A model with a
    neighbour index answers from it unless ``exact``.
    """
    if isinstance(positive, str):
        positive = [positive]
    positive, negative = list(positive), list(negative)
    query, exclude, oov = _query_vector(kv, positive, negative, model_name)
    order, scores = vector_index(kv).top(query, topn, exclude, restrict_vocab, exact)
    keys = kv.index_to_key
    return NeighbourResult(
        positive,
        negative,
        [
            Neighbour(keys[i], float(s), r + 1)
            for r, (i, s) in enumerate(zip(order, scores, strict=True))
        ],
        oov,
    )


def _query_vector(kv, positive: list[str], negative: list[str], model_name: str):
    """The unit mean of the query words' unit vectors (negated for ``negative``), the
    vocabulary ids of the query words, and the words composed from subwords."""
    if not positive and not negative:
        raise EmbeddingsError("Give at least one word.")
    index = vector_index(kv)
    parts, exclude, oov = [], [], []
    for sign, words in ((1.0, positive), (-1.0, negative)):
        for w in words:
            wv = word_vector(kv, w, model_name)
            if wv.in_vocab:
                i = kv.key_to_index[wv.word]
                parts.append(sign * index.unit[i])
                exclude.append(i)
            else:
                oov.append(w)
                parts.append(sign * _unit(wv.vector))
    return _unit(np.mean(np.asarray(parts, dtype=np.float32), axis=0)), exclude, oov


def similarity(kv, word1: str, word2: str, model_name: str = "the model") -> float:
    """Cosine similarity of two words (gensim's ``similarity``)."""
    a = word_vector(kv, word1, model_name).vector
    b = word_vector(kv, word2, model_name).vector
    return float(np.dot(_unit(a), _unit(b)))


def odd_one_out(
    kv, words: Sequence[str], model_name: str = "the model"
) -> tuple[str, list[tuple[str, float]]]:
    """The word farthest from the mean of all (gensim's ``doesnt_match``), with each word's
    cosine to that mean, lowest first."""
    words = list(words)
    if len(words) < 3:
        raise EmbeddingsError("Give at least three words to find the odd one out.")
    units = np.asarray([_unit(word_vector(kv, w, model_name).vector) for w in words])
    mean = _unit(units.mean(axis=0))
    scores = units @ mean
    order = np.argsort(scores, kind="stable")
    return words[int(order[0])], [(words[i], float(scores[i])) for i in order]


@dataclass
class AnalogyResult:
    """a : b :: c : ?, answered by ``method`` (``add`` = 3CosAdd, ``mul`` = 3CosMul)."""

    a: str
    b: str
    c: str
    method: str
    candidates: list[Neighbour]

    @property
    def formula(self) -> str:
        if self.method == "add":
            return f"{self.b} - {self.a} + {self.c}"
        return f"cos(x, {self.b}) · cos(x, {self.c}) / (cos(x, {self.a}) + ε)"


def analogy(
    kv,
    a: str,
    b: str,
    c: str,
    method: str = "add",
    topn: int = 10,
    restrict_vocab: int | None = None,
    model_name: str = "the model",
) -> AnalogyResult:
    """Answer a : b :: c : ? with the input words excluded.

    ``add`` equals gensim's ``most_similar(positive=[b, c], negative=[a])``; ``mul`` equals
    ``most_similar_cosmul(positive=[b, c], negative=[a])`` (Levy and Goldberg, 2014:
    cosines shifted to [0, 1], product of the positive over the negative, ε = 1e-6).
    """
    if method == "add":
        result = neighbours(kv, [b, c], [a], topn, restrict_vocab, model_name)
        return AnalogyResult(a, b, c, method, result.neighbours)
    scores, exclude = _analogy_scores(kv, a, b, c, method, restrict_vocab, model_name)
    k = min(topn, len(scores) - len(exclude))
    part = np.argpartition(-scores, k - 1)[:k]
    order = part[np.argsort(-scores[part], kind="stable")]
    keys = kv.index_to_key
    return AnalogyResult(
        a, b, c, method, [Neighbour(keys[i], float(scores[i]), r + 1) for r, i in enumerate(order)]
    )


def _analogy_scores(
    kv, a: str, b: str, c: str, method: str, restrict_vocab: int | None, model_name: str
) -> tuple[np.ndarray, list[int]]:
    """The score of every (allowed) vocabulary word, the input words' at -inf, and their ids."""
    if method not in ("add", "mul"):
        raise EmbeddingsError(f"Unknown analogy method {method!r}; use 'add' or 'mul'.")
    index = vector_index(kv)
    unit = index.unit if restrict_vocab is None else index.unit[:restrict_vocab]
    if method == "add":
        query, exclude, _ = _query_vector(kv, [b, c], [a], model_name)
        scores = unit @ query  # as neighbours(): the same numbers, so the same ranks
    else:
        sims = {}
        exclude = []
        for w in (a, b, c):
            wv = word_vector(kv, w, model_name)
            if wv.in_vocab:
                exclude.append(kv.key_to_index[wv.word])
            sims[w] = (1 + unit @ _unit(wv.vector)) / 2
        scores = sims[b] * sims[c] / (sims[a] + 1e-6)
    exclude = sorted(set(exclude))
    for i in exclude:
        if i < len(scores):
            scores[i] = -np.inf
    return scores, exclude


@dataclass
class ExpectedAnswer:
    """Where an expected answer of an analogy stands among the candidates.

    ``rank`` is 1 for the answer given; it is None when the word is not in the vocabulary,
    is one of the question's words (never an answer), or lies outside ``restrict_vocab``.
    """

    word: str
    in_vocab: bool
    rank: int | None
    score: float | None
    candidates: int  # how many words could have been the answer

    @property
    def why_unranked(self) -> str:
        """Why there is no rank, in a few words ("" when there is one)."""
        if not self.in_vocab:
            return "not in the vocabulary"
        if self.rank is None and self.score is None:
            return "outside the most frequent words searched"
        return "" if self.rank is not None else "one of the question's words"


def analogy_rank(
    kv,
    a: str,
    b: str,
    c: str,
    expected: str,
    method: str = "add",
    restrict_vocab: int | None = None,
    model_name: str = "the model",
) -> ExpectedAnswer:
    """The rank of ``expected`` among the answers of a : b :: c : ? by ``method``.

    The rank counts the words :func:`analogy` would list before it, plus one, so rank 1
    means ``analogy(...).candidates[0]`` is ``expected``.

    Example
    -------
    >>> from gensim.models import KeyedVectors
    >>> kv = KeyedVectors(2)
    >>> kv.add_vectors(
    ...     ["man", "king", "woman", "queen", "cup"],
    ...     np.array([[1, 0], [1, 1], [0.8, -0.2], [0.8, 0.8], [-1, 0.1]], dtype=np.float32),
    ... )
    >>> analogy_rank(kv, "man", "king", "woman", "queen").rank
    1
    """
    key = model_key(kv, expected) or model_key(kv, model_spelling(kv, expected))
    scores, exclude = _analogy_scores(kv, a, b, c, method, restrict_vocab, model_name)
    candidates = len(scores) - sum(1 for i in exclude if i < len(scores))
    if key is None:
        return ExpectedAnswer(expected, False, None, None, candidates)
    i = kv.key_to_index[key]
    if i >= len(scores):
        return ExpectedAnswer(expected, True, None, None, candidates)
    score = float(scores[i])
    if not np.isfinite(score):
        return ExpectedAnswer(expected, True, None, score, candidates)
    rank = 1 + int(np.count_nonzero(scores > score))
    return ExpectedAnswer(expected, True, rank, score, candidates)


@dataclass
class Comparison:
    """The neighbours of one word in two models, and how much they agree."""

    word: str
    left: list[Neighbour]
    right: list[Neighbour]

    @property
    def shared(self) -> list[str]:
        right = {n.word for n in self.right}
        return [n.word for n in self.left if n.word in right]

    @property
    def jaccard(self) -> float:
        union = {n.word for n in self.left} | {n.word for n in self.right}
        return len(self.shared) / len(union) if union else 0.0


def compare_neighbours(
    kv_left, kv_right, word: str, topn: int = 10, names=("left", "right")
) -> Comparison:
    """Neighbours of ``word`` in two models side by side, with their overlap."""
    return Comparison(
        word,
        neighbours(kv_left, word, topn=topn, model_name=names[0]).neighbours,
        neighbours(kv_right, word, topn=topn, model_name=names[1]).neighbours,
    )
