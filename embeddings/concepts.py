"""The chapter's ideas as tables computed from a real model: one-hot vs dense vectors,
context windows (CBOW and skip-gram), negative sampling, co-occurrence counts and the
embedding layer as a lookup table.

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
from pathlib import Path

import numpy as np
import pandas as pd

from .cooccurrence import count_cooccurrences
from .errors import EmbeddingsError
from .query import unknown_word
from .store import EXTRA_DIR
from .tokenize import get_tokenizer
from .training import SYN1NEG_FILE

CHAPTER_ONE_HOT_SENTENCE = "I love cats"
CHAPTER_CONTEXT_SENTENCE = "The fat cat sat on the mat"
CHAPTER_COOCCURRENCE_SENTENCES = ("I like deep learning", "I like NLP", "I enjoy flying")
# The chapter prints the count table in this order (not first appearance, not frequency).
CHAPTER_COOCCURRENCE_ORDER = ("I", "like", "enjoy", "deep", "learning", "NLP", "flying")
# word2vec's exponent for the noise distribution (gensim's ``ns_exponent`` default).
NS_EXPONENT = 0.75


def vocabulary(tokens: Sequence[str]) -> list[str]:
    """Distinct tokens in order of first appearance.

    >>> vocabulary(["the", "cat", "the"])
    ['the', 'cat']
    """
    return list(dict.fromkeys(tokens))


def tokenize_sentence(text: str, tokenizer: str = "whitespace") -> list[str]:
    """Tokens of one sentence with a tokenizer of :mod:`embeddings.tokenize`.

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


def model_key(kv, word: str) -> str | None:
    """The model's spelling of ``word``: itself, else its lower-case form, else None.

    The chapter writes "I" and "The"; models trained with the simple tokenizer only
    know "i" and "the".
    """
    if word in kv.key_to_index:
        return word
    low = word.lower()
    if low in kv.key_to_index:
        return low
    return None


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


# ----------------------------------------------------------------------- 3. negative sampling


@dataclass
class NoiseDistribution:
    """word2vec's noise distribution ``P_n(w) = count(w)^0.75 / sum_v count(v)^0.75``.

    Attributes
    ----------
    words : list of str
        The model's vocabulary (its index order).
    counts : numpy.ndarray
        Corpus count of each word, as the model stores it (int64).
    probabilities : numpy.ndarray
        ``P_n`` (float64, sums to 1).
    unigram : numpy.ndarray
        ``count / total``, the distribution before the 0.75 power, for comparison.
    exponent : float
    """

    words: list[str]
    counts: np.ndarray
    probabilities: np.ndarray
    unigram: np.ndarray
    exponent: float

    def probability(self, word: str, kv) -> float:
        """``P_n(word)``; raises UnknownWordError for a word outside the vocabulary."""
        key = model_key(kv, word)
        if key is None:
            raise unknown_word(kv, word)
        return float(self.probabilities[kv.key_to_index[key]])


def model_counts(kv) -> np.ndarray:
    """The corpus counts stored in ``kv`` (``get_vecattr(w, "count")``) as int64, in index order.

    Raises
    ------
    EmbeddingsError
        The model carries no counts (vectors loaded from a file) or they are all zero.
    """
    counts = getattr(kv, "expandos", {}).get("count")
    if counts is None or len(counts) != len(kv.index_to_key):
        raise EmbeddingsError(
            "This model carries no word counts (vectors loaded from a file keep none), so "
            "its noise distribution is unknown; pick a model trained here."
        )
    counts = np.asarray(counts, dtype=np.int64)
    if counts.sum() <= 0:
        raise EmbeddingsError("Every word count of this model is zero; pick a model trained here.")
    return counts


def noise_distribution(kv, exponent: float = NS_EXPONENT) -> NoiseDistribution:
    """The distribution negatives are drawn from: unigram counts to the power ``exponent``.

    gensim's Word2Vec builds the same distribution (``Word2Vec.make_cum_table``: cumulative
    ``count ** ns_exponent`` over the vocabulary, normalised), from the same counts.

    >>> from gensim.models import Word2Vec
    >>> kv = Word2Vec([["a", "a", "b"]], min_count=1, vector_size=4).wv
    >>> noise_distribution(kv).probabilities.round(4).tolist()
    [0.6271, 0.3729]
    """
    counts = model_counts(kv)
    powered = counts.astype(np.float64) ** float(exponent)
    return NoiseDistribution(
        list(kv.index_to_key),
        counts,
        powered / powered.sum(),
        counts / counts.sum(),
        float(exponent),
    )


def sample_negatives(
    kv,
    centre: str,
    k: int,
    seed: int = 0,
    exclude: Sequence[str] = (),
    noise: NoiseDistribution | None = None,
) -> pd.DataFrame:
    """``k`` negative words for ``centre``, drawn from the model's noise distribution.

    The centre word and the words in ``exclude`` (its true context words) are never
    drawn, and no word is drawn twice, so the table reads cleanly. word2vec itself draws
    with replacement and only skips the target word.

    Returns
    -------
    pandas.DataFrame
        Columns ``word``, ``count``, ``P_n(w)`` (noise probability), ``unigram P(w)``,
        in drawing order.
    """
    noise = noise or noise_distribution(kv)
    key = model_key(kv, centre)
    if key is None:
        raise unknown_word(kv, centre)
    banned = {kv.key_to_index[key]}
    for w in exclude:
        wk = model_key(kv, w)
        if wk is not None:
            banned.add(kv.key_to_index[wk])
    p = noise.probabilities.copy()
    p[list(banned)] = 0.0
    available = int(np.count_nonzero(p))
    k = max(0, min(int(k), available))
    rng = np.random.default_rng(seed)
    drawn = rng.choice(len(p), size=k, replace=False, p=p / p.sum()) if k else np.array([], int)
    return pd.DataFrame(
        {
            "word": [noise.words[i] for i in drawn],
            "count": [int(noise.counts[i]) for i in drawn],
            "P_n(w)": [float(noise.probabilities[i]) for i in drawn],
            "unigram P(w)": [float(noise.unigram[i]) for i in drawn],
        }
    )


def load_output_weights(model_dir: str | Path, kv) -> np.ndarray | None:
    """Word2Vec's output weights (``syn1neg``) kept beside a stored model, or None.

    ``model_dir`` is the model's directory in the store (``ModelStore.path(name)``); the
    array is read from ``extra/syn1neg.npy`` (memory-mapped) when it exists and has the
    shape of ``kv.vectors``. Models loaded from files, GloVe, FastText and models saved
    before the trainer kept the weights have none.
    """
    path = Path(model_dir) / EXTRA_DIR / SYN1NEG_FILE
    if not path.is_file():
        return None
    weights = np.load(path, mmap_mode="r", allow_pickle=False)
    if weights.shape != kv.vectors.shape:
        return None
    return weights


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


@dataclass
class PairScores:
    """Scores of (centre, context) pairs.

    ``source`` is ``"syn1neg"`` when ``score`` is the training score ``v_centre · u_context``
    (input vector of the centre word, output vector of the context word; ``sigmoid`` is
    then the model's probability that the pair is real), or ``"cosine"`` when the output
    weights are unavailable and ``score`` is the cosine of the two input vectors (its
    sigmoid is only a squashed similarity, not what training optimised).
    """

    frame: pd.DataFrame
    source: str


def pair_scores(
    kv, centre: str, contexts: Sequence[str], syn1neg: np.ndarray | None = None
) -> PairScores:
    """``sigmoid(score)`` for each (centre, context) pair.

    With ``syn1neg`` (Word2Vec trained with negative sampling) the score is the one
    training pushes up for true pairs and down for sampled ones: the centre's input
    vector dotted with the context word's output vector. gensim's skip-gram trains each
    pair the other way round (context input, centre output); windows are symmetric, so
    every pair occurs in both roles. Without ``syn1neg`` the cosine of the input vectors
    stands in. Context words missing from the model get NaN.

    Returns
    -------
    PairScores
        ``frame`` has columns ``centre``, ``context``, ``score``, ``sigmoid``.
    """
    key = model_key(kv, centre)
    if key is None:
        raise unknown_word(kv, centre)
    centre_vec = np.asarray(kv.get_vector(key), dtype=np.float64)
    rows = []
    for word in contexts:
        ck = model_key(kv, word)
        if ck is None:
            rows.append((key, word, np.nan))
            continue
        if syn1neg is not None:
            out = np.asarray(syn1neg[kv.key_to_index[ck]], dtype=np.float64)
            score = float(centre_vec @ out)
        else:
            other = np.asarray(kv.get_vector(ck), dtype=np.float64)
            norms = np.linalg.norm(centre_vec) * np.linalg.norm(other)
            score = float(centre_vec @ other / norms) if norms else 0.0
        rows.append((key, ck, score))
    frame = pd.DataFrame(rows, columns=["centre", "context", "score"])
    frame["sigmoid"] = _sigmoid(frame["score"].to_numpy(dtype=np.float64))
    return PairScores(frame, "syn1neg" if syn1neg is not None else "cosine")


def negative_sampling_table(
    kv,
    centre: str,
    positives: Sequence[str],
    k: int = 5,
    seed: int = 0,
    syn1neg: np.ndarray | None = None,
) -> PairScores:
    """The chapter's SGNS table on a real model: true pairs (label 1) then ``k`` negatives (label 0).

    Columns: ``input 1`` (centre), ``input 2`` (context or negative), ``label``,
    ``P_n(w)`` (the second word's noise probability), ``score``, ``sigmoid``. Context
    words missing from the model keep their row with NaN numbers.
    """
    noise = noise_distribution(kv)
    negatives = sample_negatives(kv, centre, k, seed, positives, noise)
    words = list(positives) + negatives["word"].tolist()
    scored = pair_scores(kv, centre, words, syn1neg)
    frame = scored.frame.rename(columns={"centre": "input 1", "context": "input 2"})
    frame.insert(2, "label", [1] * len(positives) + [0] * len(negatives))
    frame.insert(
        3,
        "P_n(w)",
        [
            float(noise.probabilities[kv.key_to_index[w]]) if w in kv.key_to_index else np.nan
            for w in frame["input 2"]
        ],
    )
    return PairScores(frame, scored.source)


def cbow_scores(
    kv, contexts: Sequence[str], candidates: Sequence[str], syn1neg: np.ndarray
) -> pd.DataFrame:
    """What CBOW is trained on: the mean of the context words' input vectors dotted with
    each candidate centre word's output vector (gensim's default ``cbow_mean=1``).

    Returns a frame with columns ``candidate``, ``score``, ``sigmoid``; context words
    missing from the model are left out of the mean, missing candidates get NaN.
    """
    keys = [k for k in (model_key(kv, w) for w in contexts) if k is not None]
    if not keys:
        raise EmbeddingsError("None of the context words is in the model's vocabulary.")
    hidden = np.mean([np.asarray(kv.get_vector(k), dtype=np.float64) for k in keys], axis=0)
    rows = []
    for word in candidates:
        ck = model_key(kv, word)
        score = np.nan if ck is None else float(hidden @ syn1neg[kv.key_to_index[ck]])
        rows.append((ck or word, score))
    frame = pd.DataFrame(rows, columns=["candidate", "score"])
    frame["sigmoid"] = _sigmoid(frame["score"].to_numpy(dtype=np.float64))
    return frame


# ----------------------------------------------------------------------- 4. co-occurrence


def cooccurrence_table(
    sentences: Sequence[str] = CHAPTER_COOCCURRENCE_SENTENCES,
    window: int = 1,
    order: Sequence[str] | None = None,
    tokenizer: str = "whitespace",
) -> pd.DataFrame:
    """Window co-occurrence counts (each pair adds 1) of a few sentences, as a square table.

    Counting is :func:`embeddings.cooccurrence.count_cooccurrences` with
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
