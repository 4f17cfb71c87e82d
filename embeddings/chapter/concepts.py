"""The chapter's ideas as tables computed from a real model: one-hot vs dense vectors,
context windows (CBOW and skip-gram), co-occurrence counts and the embedding layer as a
lookup table. Negative sampling has its own module, :mod:`embeddings.chapter.negative_sampling`.

Every function takes token lists or gensim ``KeyedVectors`` and returns plain values or
a ``pandas.DataFrame``; nothing here draws or imports Streamlit.

Example (the chapter's context table, window 2)
-------
>>> pairs = context_pairs("The fat cat sat on the mat".split(), window=2)
>>> pairs.cbow.loc[2, "context"], pairs.cbow.loc[2, "centre"]
('The, fat, sat, on', 'cat')
>>> pairs.skipgram[pairs.skipgram.centre == "cat"].context.tolist()
['The', 'fat', 'sat', 'on']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..corpus.cooccurrence import count_cooccurrences
from ..corpus.tokenize import get_tokenizer
from ..errors import EmbeddingsError
from ..explore.words import model_key, unknown_word

CHAPTER_ONE_HOT_SENTENCE = "I love cats"
CHAPTER_CONTEXT_SENTENCE = "The fat cat sat on the mat"
CHAPTER_COOCCURRENCE_SENTENCES = ("I like deep learning", "I like NLP", "I enjoy flying")
# The chapter prints the count table in this order (not first appearance, not frequency).
CHAPTER_COOCCURRENCE_ORDER = ("I", "like", "enjoy", "deep", "learning", "NLP", "flying")


def vocabulary(tokens: Sequence[str]) -> list[str]:
    """Distinct tokens in order of first appearance.

    >>> vocabulary(["the", "cat", "the"])
    ['the', 'cat']
    """
    return list(dict.fromkeys(tokens))


def tokenize_sentence(text: str, tokenizer: str = "whitespace") -> list[str]:
    """Tokens of one sentence with a tokenizer of :mod:`embeddings.corpus.tokenize`.

    ``"whitespace"`` keeps case and punctuation, as the chapter's tables do ("The" and
    "the" are two words there); ``"simple"`` lower-cases like the models' corpora.
    """
    return get_tokenizer(tokenizer)(text)


# ----------------------------------------------------------------------- 1. sparse vs dense


def one_hot_vectors(tokens: Sequence[str]) -> dict[str, list[int]]:
    """Each distinct token's one-hot vector over the sentence vocabulary.

    >>> one_hot_vectors("I love cats".split())
    {'I': [1, 0, 0], 'love': [0, 1, 0], 'cats': [0, 0, 1]}
    """
    vocab = vocabulary(tokens)
    return {w: [int(i == j) for j in range(len(vocab))] for i, w in enumerate(vocab)}


def one_hot_table(tokens: Sequence[str]) -> pd.DataFrame:
    """The one-hot table: one row per distinct token, one column per vocabulary word.

    The values are the identity matrix (int8); rows and columns are in order of first
    appearance.

    >>> one_hot_table("I love cats".split()).loc["love"].tolist()
    [0, 1, 0]
    """
    vocab = vocabulary(tokens)
    return pd.DataFrame(np.eye(len(vocab), dtype=np.int8), index=vocab, columns=vocab)


def dense_vectors_table(
    kv, tokens: Sequence[str], dims: int = 10
) -> tuple[pd.DataFrame, list[str]]:
    """The first ``dims`` dimensions of each distinct token's vector in ``kv``.

    Returns ``(frame, missing)``: the frame is indexed by the model's spelling of each
    word (columns ``d0``, ``d1`` ...); ``missing`` lists the tokens the model lacks.
    """
    dims = max(1, min(int(dims), kv.vector_size))
    rows, index, missing = [], [], []
    for word in vocabulary(tokens):
        key = model_key(kv, word)
        if key is None:
            missing.append(word)
            continue
        if key in index:
            continue
        index.append(key)
        rows.append(np.asarray(kv.get_vector(key), dtype=np.float64)[:dims])
    values = np.asarray(rows, dtype=np.float64).reshape(len(rows), dims)
    return pd.DataFrame(values, index=index, columns=[f"d{i}" for i in range(dims)]), missing


def memory_table(vocab_size: int, dims: int, value_bytes: int = 4) -> pd.DataFrame:
    """Bytes a vocabulary of ``vocab_size`` words needs as one-hot and as dense vectors.

    Rows: one-hot stored as a full vector (``vocab_size`` values per word), one-hot
    stored as its single index (an int32: what a sparse format or an Embedding layer's
    input really keeps), and dense vectors of ``dims`` values. ``value_bytes`` is the
    size of one value (4 for float32, gensim's dtype).

    >>> memory_table(10_000, 100)["whole vocabulary (bytes)"].tolist()
    [400000000, 40000, 4000000]
    """
    v, d, b = int(vocab_size), int(dims), int(value_bytes)
    rows = [
        ("one-hot, stored in full", v, v * b, v * v * b),
        ("one-hot, stored as its index", 1, 4, v * 4),
        ("dense embedding", d, d * b, v * d * b),
    ]
    return pd.DataFrame(
        rows,
        columns=["representation", "values per word", "bytes per word", "whole vocabulary (bytes)"],
    )


def human_bytes(n: float) -> str:
    """``1536`` -> ``'1.5 KiB'``.

    >>> human_bytes(400_000_000)
    '381.5 MiB'
    """
    n = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


# ----------------------------------------------------------------------- 2. context windows


@dataclass
class ContextPairs:
    """A sentence's training examples for a window, seen by CBOW and by skip-gram.

    Attributes
    ----------
    tokens : list of str
        The sentence.
    window : int
        Context words on each side.
    cbow : pandas.DataFrame
        One row per position: ``position``, ``context`` (the words, comma-separated),
        ``centre``. CBOW predicts the centre from its context.
    skipgram : pandas.DataFrame
        One row per (centre, context word): ``centre``, ``context``. Skip-gram predicts
        each context word from the centre.
    one_hot : pandas.DataFrame
        The chapter's view: ``centre word`` and ``context words`` as one-hot vectors
        over the sentence vocabulary, formatted as the chapter prints them.
    """

    tokens: list[str]
    window: int
    cbow: pd.DataFrame
    skipgram: pd.DataFrame
    one_hot: pd.DataFrame


def context_positions(n_tokens: int, position: int, window: int) -> list[int]:
    """Positions within ``window`` of ``position`` in a sentence of ``n_tokens`` (itself excluded).

    >>> context_positions(7, 0, 2)
    [1, 2]
    """
    lo, hi = max(0, position - window), min(n_tokens, position + window + 1)
    return [j for j in range(lo, hi) if j != position]


def _format_vector(vector: Sequence[int]) -> str:
    return "[" + ", ".join(str(int(x)) for x in vector) + "]"


def context_pairs(tokens: Sequence[str], window: int) -> ContextPairs:
    """The centre/context table of a sentence for a symmetric ``window``.

    The full window is used, as in the chapter. (gensim draws a smaller effective window,
    uniformly from 1 to ``window``, for every centre word, so near words are seen more
    often during training.)

    Raises
    ------
    EmbeddingsError
        The window is below 1 or the sentence is empty.
    """
    tokens = list(tokens)
    if window < 1:
        raise EmbeddingsError("The window must be at least 1.")
    if not tokens:
        raise EmbeddingsError("Type a sentence first: it has no words.")
    vectors = one_hot_vectors(tokens)
    cbow, skip, hot = [], [], []
    for i, centre in enumerate(tokens):
        ctx = [tokens[j] for j in context_positions(len(tokens), i, window)]
        cbow.append((i, ", ".join(ctx), centre))
        skip.extend((i, centre, c) for c in ctx)
        hot.append(
            (_format_vector(vectors[centre]), ", ".join(_format_vector(vectors[c]) for c in ctx))
        )
    return ContextPairs(
        tokens,
        int(window),
        pd.DataFrame(cbow, columns=["position", "context", "centre"]),
        pd.DataFrame(skip, columns=["position", "centre", "context"]),
        pd.DataFrame(hot, columns=["centre word", "context words"]),
    )


# ----------------------------------------------------------------------- 4. co-occurrence


def cooccurrence_table(
    sentences: Sequence[str] = CHAPTER_COOCCURRENCE_SENTENCES,
    window: int = 1,
    order: Sequence[str] | None = None,
    tokenizer: str = "whitespace",
) -> pd.DataFrame:
    """Window co-occurrence counts (each pair adds 1) of a few sentences, as a square table.

    Counting is :func:`embeddings.corpus.cooccurrence.count_cooccurrences` with
    ``weighting="count"``. Rows and columns follow ``order``; by default the chapter's
    order when the words are the chapter's, else most frequent first.

    >>> cooccurrence_table().loc["I"].tolist()
    [0, 2, 1, 0, 0, 0, 0]
    """
    tokenize = get_tokenizer(tokenizer)
    token_lists = [tokenize(s) for s in sentences]
    token_lists = [t for t in token_lists if t]
    if not token_lists:
        raise EmbeddingsError("Type at least one sentence.")
    co = count_cooccurrences(token_lists, window=int(window), weighting="count")
    if order is None:
        chapter = list(CHAPTER_COOCCURRENCE_ORDER)
        order = chapter if set(co.words) == set(chapter) else co.words
    order = list(order)
    values = co.table(order).astype(np.int64)
    return pd.DataFrame(values, index=order, columns=order)


# ----------------------------------------------------------------------- 5. lookup table


@dataclass
class Lookup:
    """An Embedding layer's work for one word: word -> integer index -> row of the matrix.

    ``matches_one_hot_product`` records that ``one_hot(index) @ vectors`` equals the row:
    a lookup is the product with a one-hot vector, without the multiplications.
    """

    word: str
    key: str
    index: int
    row: np.ndarray
    vocab_size: int
    matches_one_hot_product: bool


def lookup(kv, word: str) -> Lookup:
    """Look ``word`` up in ``kv`` the way a Keras Embedding layer does.

    >>> from gensim.models import KeyedVectors
    >>> kv = KeyedVectors(2); kv.add_vectors(["a", "b"], [[1.0, 2.0], [3.0, 4.0]])
    >>> found = lookup(kv, "b"); found.index, found.row.tolist(), found.matches_one_hot_product
    (1, [3.0, 4.0], True)
    """
    key = model_key(kv, word.strip())
    if key is None:
        raise unknown_word(kv, word.strip())
    index = int(kv.key_to_index[key])
    row = np.asarray(kv.vectors[index])
    one_hot = np.zeros(len(kv.index_to_key), dtype=kv.vectors.dtype)
    one_hot[index] = 1
    product = one_hot @ kv.vectors
    return Lookup(
        word.strip(), key, index, row, len(kv.index_to_key), bool(np.array_equal(product, row))
    )
