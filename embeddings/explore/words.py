"""Looking a word up in a model: its spelling there, its vector, and clear errors.

A word missing from the vocabulary raises :class:`~embeddings.errors.UnknownWordError`
naming close spellings; a FastText model composes it from character n-grams instead.
A model trained on Hangul split into letters (jamo) gets the word split the same way.

Example
-------
>>> from gensim.models import KeyedVectors
>>> import numpy as np
>>> kv = KeyedVectors(2)
>>> kv.add_vectors(["the", "cat"], np.array([[1, 0], [0, 1]], dtype=np.float32))
>>> model_key(kv, "The")
'the'
"""

from __future__ import annotations

import sys
import weakref
from dataclasses import dataclass

import numpy as np

from ..errors import UnknownWordError


def has_subwords(kv) -> bool:
    """Whether ``kv`` composes vectors of unknown words from character n-grams (FastText)."""
    # Without gensim imported no object can be one of its FastText models, and importing
    # it here would cost a light command-line query its start-up time.
    fasttext = sys.modules.get("gensim.models.fasttext")
    if fasttext is None:
        return False
    return isinstance(kv, fasttext.FastTextKeyedVectors) and getattr(kv, "bucket", 0) > 0


def close_spellings(kv, word: str, n: int = 5, scan: int = 200_000) -> list[str]:
    """Vocabulary words spelled like ``word`` (frequent words first among equals).

    Candidates are pre-filtered by length and shared character bigrams, so this stays
    fast on a 400,000-word vocabulary; difflib ranks the survivors.
    """
    import difflib

    target = word.lower()
    grams = {target[i : i + 2] for i in range(len(target) - 1)} or {target}
    candidates = []
    for key in kv.index_to_key[:scan]:
        if not isinstance(key, str) or abs(len(key) - len(target)) > 2:
            continue
        low = key.lower()
        if low == target and key != word:
            candidates.append(key)
            continue
        if sum(1 for g in grams if g in low) >= max(1, len(grams) // 2):
            candidates.append(key)
    lower_to_key: dict[str, str] = {}
    for c in candidates:
        lower_to_key.setdefault(c.lower(), c)  # the most frequent spelling of each
    ranked = difflib.get_close_matches(target, list(lower_to_key), n=n, cutoff=0.6)
    return [lower_to_key[r] for r in ranked]


def unknown_word(kv, word: str, model_name: str = "the model") -> UnknownWordError:
    """The error for ``word`` missing from ``kv``, naming close spellings if there are any."""
    close = close_spellings(kv, word)
    hint = f"; close matches: {', '.join(close)}" if close else ""
    return UnknownWordError(
        word, f"{word!r} is not in the vocabulary of {model_name!r} ({len(kv):,} words){hint}."
    )


@dataclass
class WordVector:
    """A word's vector; ``in_vocab`` is False when FastText composed it from n-grams."""

    word: str
    vector: np.ndarray
    in_vocab: bool


_JAMO_MODELS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def is_jamo_model(kv) -> bool:
    """Whether ``kv`` was trained on Hangul split into letters (cached per model)."""
    from ..corpus.jamo import is_jamo_vocabulary

    jamo = _JAMO_MODELS.get(kv)
    if jamo is None:
        jamo = _JAMO_MODELS[kv] = is_jamo_vocabulary(kv.index_to_key)
    return jamo


def model_spelling(kv, word: str) -> str:
    """``word`` as the model spells it: a model trained on Hangul letters (jamo) gets the
    word's syllables split into letters (see :mod:`embeddings.corpus.jamo`)."""
    from ..corpus.jamo import decompose

    return decompose(word) if is_jamo_model(kv) else word


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


def word_vector(kv, word: str, model_name: str = "the model") -> WordVector:
    """The vector of ``word``; FastText composes unknown words, others raise UnknownWordError.

    ``word`` of the result is the model's spelling (Hangul split into letters for a
    model trained on them)."""
    if word not in kv.key_to_index:
        word = model_spelling(kv, word)
    if word in kv.key_to_index:
        return WordVector(word, kv.get_vector(word), True)
    if has_subwords(kv):
        return WordVector(word, kv.get_vector(word), False)
    raise unknown_word(kv, word, model_name)
