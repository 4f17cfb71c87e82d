"""Negative sampling as word2vec does it, on a real model: the noise distribution
(unigram counts to the power 0.75), negatives drawn from it, and the model's own
sigmoid scores for true and drawn pairs (from the output weights the trainer keeps).

Nothing here draws or imports Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import EmbeddingsError
from ..explore.words import model_key, unknown_word
from ..train.trainer import SYN1NEG

# word2vec's exponent for the noise distribution (gensim's ``ns_exponent`` default).
NS_EXPONENT = 0.75


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


def load_output_weights(store, name: str, kv) -> np.ndarray | None:
    """Word2Vec's output weights (``syn1neg``) kept with stored model ``name``, or None.

    The array is the store extra ``"syn1neg"`` (memory-mapped, see
    ``ModelStore.load_extra``), returned when it has the shape of ``kv.vectors``. Models
    loaded from files, GloVe, FastText and models saved before the trainer kept the
    weights have none.

    Raises
    ------
    FormatError
        The kept weights are damaged.
    """
    weights = store.load_extra(name, SYN1NEG)
    if weights is None or weights.shape != kv.vectors.shape:
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
