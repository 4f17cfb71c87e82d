"""FastText subwords: a word's character n-grams, their buckets, and how they add up.

FastText (Bojanowski et al., 2017) represents a word by the character n-grams of
``<word>`` (``<`` and ``>`` mark its boundaries) for n in min_n..max_n. Each n-gram is
hashed (FNV-1a over its UTF-8 bytes, the reference's ``hash``) into one of ``bucket``
rows of an n-gram matrix. A vocabulary word's vector is the mean of its own row and its
n-gram rows; a word never seen in training gets the mean of its n-gram rows alone.

Everything here uses gensim's own n-gram and hash functions (identical to Facebook's
fastText, which the tests check), in the model's own order: by start position, then
length, as the reference iterates.

>>> char_ngrams("apple", 3, 3)
['<ap', 'app', 'ppl', 'ple', 'le>']
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field

import numpy as np

from ..errors import EmbeddingsError
from .words import has_subwords, model_spelling


class NoSubwordsError(EmbeddingsError):
    """The model has no subword information (not FastText, or trained with no buckets)."""


def require_subwords(kv, model_name: str = "the model") -> None:
    if not has_subwords(kv):
        raise NoSubwordsError(
            f"{model_name!r} has no subword n-grams (it is not a FastText model), so it "
            "cannot break words into pieces or build vectors for unknown words."
        )


def char_ngrams(word: str, min_n: int = 3, max_n: int = 6) -> list[str]:
    """The character n-grams of ``<word>`` for n in ``min_n..max_n``, in the model's order
    (start position, then length). The whole ``<word>`` is one of them when it is short
    enough; in a vocabulary word it is also the word's own entry."""
    from gensim.models.fasttext import compute_ngrams_bytes

    return [g.decode("utf-8") for g in compute_ngrams_bytes(word, min_n, max_n)]


def ngram_bucket(ngram: str, bucket: int) -> int:
    """The n-gram matrix row of ``ngram``: its FNV-1a hash modulo ``bucket``."""
    from gensim.models.fasttext import ft_hash_bytes

    return int(ft_hash_bytes(ngram.encode("utf-8")) % bucket)


_TRAINED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_TRAINED_LOCK = threading.Lock()


def trained_buckets(kv) -> np.ndarray:
    """A boolean per bucket: True when an n-gram of some vocabulary word hashes to it.

    Training only ever updates those rows; the others keep their random start (or zeros)
    and contribute noise to an unknown word that lands on them.
    """
    with _TRAINED_LOCK:
        cached = _TRAINED.get(kv)
    if cached is not None and cached.shape[0] == kv.bucket:
        return cached
    buckets_word = getattr(kv, "buckets_word", None)
    if buckets_word is None or len(buckets_word) != len(kv.index_to_key):
        from gensim.models.fasttext import ft_ngram_hashes

        buckets_word = [ft_ngram_hashes(w, kv.min_n, kv.max_n, kv.bucket) for w in kv.index_to_key]
    mask = np.zeros(kv.bucket, dtype=bool)
    if len(buckets_word):
        mask[np.concatenate([np.asarray(b, dtype=np.int64) for b in buckets_word])] = True
    with _TRAINED_LOCK:
        _TRAINED[kv] = mask
    return mask


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    return float(a @ b / (na * nb)) if na and nb else 0.0


@dataclass
class Piece:
    """One term of a word's vector: an n-gram row, or the word's own row (``is_word``)."""

    ngram: str
    bucket: int | None
    trained: bool
    norm: float
    cosine: float
    # This term's share of the final vector's length: (row · unit(final)) / terms. The
    # shares of all terms add up to the final vector's norm exactly.
    pull: float
    is_word: bool = False


@dataclass
class Breakdown:
    """How a FastText model builds the vector of ``word``."""

    word: str
    in_vocab: bool
    min_n: int
    max_n: int
    bucket_count: int
    pieces: list[Piece]
    vector: np.ndarray  # what the model returns (kv.get_vector)
    composed: np.ndarray  # the mean of the rows listed in ``pieces``
    max_abs_difference: float  # |composed - vector|, at float32 rounding
    steps: list[dict] = field(default_factory=list)

    @property
    def ngrams(self) -> list[Piece]:
        return [p for p in self.pieces if not p.is_word]

    @property
    def untrained(self) -> int:
        """How many n-grams land on buckets no vocabulary word uses."""
        return sum(1 for p in self.ngrams if not p.trained)

    def to_dict(self) -> dict:
        """``{"word", "in_vocab", "ngrams": [{"ngram", "bucket", "norm", "cosine"}],
        "vector"}``: the command line's contract."""
        return {
            "word": self.word,
            "in_vocab": self.in_vocab,
            "ngrams": [
                {"ngram": p.ngram, "bucket": p.bucket, "norm": p.norm, "cosine": p.cosine}
                for p in self.ngrams
            ],
            "vector": [float(x) for x in self.vector],
        }


def breakdown(kv, word: str, model_name: str = "the model") -> Breakdown:
    """The n-grams of ``word`` (in the model's spelling: Hangul split into letters for a
    model trained on them) in ``kv``, each with its bucket, whether the bucket was
    trained, its row's norm and cosine to the word's final vector, and the vector
    recomposed from those rows (equal to the model's own, which is checked)."""
    require_subwords(kv, model_name)
    if not isinstance(word, str) or not word or word != word.strip():
        raise EmbeddingsError("Type one word without surrounding spaces.")
    if word not in kv.key_to_index:
        word = model_spelling(kv, word)
    grams = char_ngrams(word, kv.min_n, kv.max_n)
    in_vocab = word in kv.key_to_index
    own = getattr(kv, "buckets_word", None)
    if in_vocab and own is not None and len(own[kv.key_to_index[word]]) == 0:
        grams = []  # a token the model keeps whole, such as fastText's "</s>"
    if not grams and not in_vocab:
        raise EmbeddingsError(
            f"{word!r} has no character n-grams of length {kv.min_n}..{kv.max_n}, so "
            f"{model_name!r} has nothing to build its vector from."
        )
    trained = trained_buckets(kv)
    rows: list[np.ndarray] = []
    labels: list[tuple[str, int | None, bool, bool]] = []
    if in_vocab:
        rows.append(np.asarray(kv.vectors_vocab[kv.key_to_index[word]], dtype=np.float32))
        labels.append((f"<{word}>", None, True, True))
    for g in grams:
        b = ngram_bucket(g, kv.bucket)
        rows.append(np.asarray(kv.vectors_ngrams[b], dtype=np.float32))
        labels.append((g, b, bool(trained[b]), False))
    stack = np.vstack(rows)
    composed = stack.mean(axis=0, dtype=np.float64).astype(np.float32)
    vector = np.asarray(kv.get_vector(word), dtype=np.float32)
    norm = float(np.linalg.norm(vector))
    unit = vector / norm if norm else vector
    terms = len(rows)
    pieces = [
        Piece(
            ngram=label,
            bucket=b,
            trained=t,
            norm=float(np.linalg.norm(row)),
            cosine=_cos(row, vector),
            pull=float(row @ unit) / terms,
            is_word=is_word,
        )
        for row, (label, b, t, is_word) in zip(rows, labels, strict=True)
    ]
    running = np.cumsum(stack.astype(np.float64), axis=0)
    steps = [
        {
            "step": i + 1,
            "adds": pieces[i].ngram,
            "mean so far: norm": float(np.linalg.norm(running[i] / (i + 1))),
            "mean so far: cosine to final": _cos(running[i] / (i + 1), vector),
        }
        for i in range(terms)
    ]
    return Breakdown(
        word=word,
        in_vocab=in_vocab,
        min_n=kv.min_n,
        max_n=kv.max_n,
        bucket_count=kv.bucket,
        pieces=pieces,
        vector=vector,
        composed=composed,
        max_abs_difference=float(np.max(np.abs(composed - vector))) if len(vector) else 0.0,
        steps=steps,
    )


# -- robustness: misspellings and inflections --------------------------------------

SUFFIXES = ("s", "es", "ed", "ing", "er", "ly", "ness")


def variants(
    word: str, suffixes: tuple[str, ...] = SUFFIXES, limit: int = 12
) -> list[tuple[str, str]]:
    """Misspellings and inflections of ``word``: ``(variant, how)`` pairs, deterministic.

    A dropped letter and two swapped neighbours at a few positions, a doubled letter,
    and the given suffixes. The word itself is never among them.
    """
    out: dict[str, str] = {}
    n = len(word)
    positions = sorted({1, n // 2, n - 2} & set(range(n))) if n > 2 else list(range(n))
    for i in positions:
        out.setdefault(word[:i] + word[i + 1 :], f"dropped {word[i]!r}")
    for i in positions:
        if i + 1 < n and word[i] != word[i + 1]:
            out.setdefault(
                word[:i] + word[i + 1] + word[i] + word[i + 2 :], f"swapped {word[i]}{word[i + 1]}"
            )
    if n > 1:
        i = n // 2
        out.setdefault(word[: i + 1] + word[i:], f"doubled {word[i]!r}")
    for s in suffixes:
        out.setdefault(word + s, f"+{s}")
    out.pop(word, None)
    out.pop("", None)
    return list(out.items())[:limit]


@dataclass
class VariantScore:
    variant: str
    how: str
    in_vocab: bool
    cosine: float | None  # None when the model has no vector for it (Word2Vec, unknown)


def robustness(
    kv, word: str, candidates: list[tuple[str, str]], model_name: str = "the model"
) -> list[VariantScore]:
    """Cosine of each variant's vector to ``word``'s. A model without subwords scores only
    variants it has seen (None for the others). Words are typed as people write them; a
    model trained on Hangul letters gets them split (:func:`~embeddings.explore.words.model_spelling`)."""
    from .words import word_vector

    base = word_vector(kv, word, model_name).vector
    sub = has_subwords(kv)
    out = []
    for variant, how in candidates:
        spelled = model_spelling(kv, variant)
        known = spelled in kv.key_to_index
        cos = _cos(kv.get_vector(spelled), base) if known or sub else None
        out.append(VariantScore(variant, how, known, cos))
    return out
