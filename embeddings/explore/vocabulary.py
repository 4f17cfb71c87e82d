"""Words of a model's vocabulary for examples and explanations: frequent, readable
example words (page defaults that fit the active model or corpus) and training counts.

Example
-------
>>> example_words(["the", "of", "1990", "war", "a", "music", "army"], 2)
['war', 'music']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .words import is_jamo_model, model_key, model_spelling


def word_counts(kv, words: Sequence[str]) -> dict[str, int | None] | None:
    """How often each word occurred in the model's training corpus (None for a word
    outside the vocabulary); None when the model carries no counts (a loaded file)."""
    counts = getattr(kv, "expandos", {}).get("count")
    if counts is None or len(counts) != len(kv) or not np.any(counts):
        return None
    out = {}
    for w in words:
        key = model_key(kv, w) or model_key(kv, model_spelling(kv, w))
        out[w] = None if key is None else int(counts[kv.key_to_index[key]])
    return out


def example_words(vocabulary, n: int = 5, skip: int = 0) -> list[str]:
    """The ``n`` most frequent words of ``vocabulary`` that make good examples.

    A good example is alphabetic in any script (no digits or punctuation), has at least
    two letters and is not a stopword (scikit-learn's English list, the Korean list of
    :mod:`embeddings.corpus.tokenize`). A model trained on Hangul letters gets its words
    joined back into syllables.

    Parameters
    ----------
    vocabulary : KeyedVectors or sequence of str
        A model (its words are in frequency order) or words, most frequent first.
    n : int
        How many words.
    skip : int
        Good words to pass over first (for a second, different set of examples).

    Example
    -------
    >>> example_words(["the", "of", "1990", "war", "a", "music", "army"], 2)
    ['war', 'music']
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from ..corpus.jamo import compose
    from ..corpus.tokenize import KOREAN_STOPWORDS

    stop = ENGLISH_STOP_WORDS.union(KOREAN_STOPWORDS)
    words = getattr(vocabulary, "index_to_key", vocabulary)
    joined = hasattr(vocabulary, "index_to_key") and is_jamo_model(vocabulary)
    out: list[str] = []
    for word in words:
        if not isinstance(word, str):
            continue
        shown = compose(word) if joined else word
        if len(shown) < 2 or not shown.isalpha() or shown.lower() in stop:
            continue
        if skip:
            skip -= 1
            continue
        out.append(shown)
        if len(out) == n:
            break
    return out


def known_sentence(kv, sentence: str) -> str:
    """``sentence`` with each word the model lacks replaced by one of its frequent example
    words (:func:`example_words`), so a default sentence shows a vector for every word.

    Example
    -------
    >>> from gensim.models import KeyedVectors
    >>> kv = KeyedVectors(2)
    >>> kv.add_vectors(["i", "love", "music"], np.ones((3, 2), dtype=np.float32))
    >>> known_sentence(kv, "I love cats")
    'I love music'
    """
    words = sentence.split()
    unknown = [
        w for w in words if (model_key(kv, w) or model_key(kv, model_spelling(kv, w))) is None
    ]
    spare = iter(w for w in example_words(kv, len(words) * 2) if w not in words)
    replaced = {w: next(spare, w) for w in dict.fromkeys(unknown)}
    return " ".join(replaced.get(w, w) for w in words)


def unseen_example(kv, preferred: str = "sunflower") -> str:
    """A word the model never saw, in its own script, for showing how FastText builds
    an unseen word from n-grams.

    ``preferred`` when the model lacks it and it is written like the model's example
    words (ASCII or not). Otherwise new words are made from the model's frequent example
    words (:func:`example_words`): each with an ending another of them was seen with
    (법률의 lends 의 to 대통령), and pairs of them joined; of those the model lacks, the one
    with the largest share of n-grams that its vocabulary's words contain, so the word
    is new but most of its pieces were trained.

    Example
    -------
    >>> from gensim.models import KeyedVectors
    >>> kv = KeyedVectors(2)
    >>> words = ["법률", "대통령", "법률의", "대통령은"]
    >>> kv.add_vectors(words, np.ones((4, 2), dtype=np.float32))
    >>> unseen_example(kv)
    '대통령의'
    """
    from .subwords import char_ngrams

    def known(word: str) -> bool:
        return (model_key(kv, word) or model_key(kv, model_spelling(kv, word))) is not None

    examples = example_words(kv, 20)
    ascii_model = sum(w.isascii() for w in examples) * 2 >= len(examples)
    if not known(preferred) and preferred.isascii() == ascii_model:
        return preferred
    vocabulary = example_words(kv, 5000)
    # Stems only: a word that is another word plus an ending takes no second ending.
    examples = [w for w in examples if not any(w.startswith(e) and w != e for e in examples)]
    endings = list(
        dict.fromkeys(
            w[len(stem) :]
            for stem in examples
            for w in vocabulary
            if w.startswith(stem) and w != stem
        )
    )[:50]
    candidates = [stem + ending for ending in endings for stem in examples]
    candidates += [a + b for a in examples for b in examples if a != b]
    candidates = [w for w in dict.fromkeys(candidates) if not known(w)]
    if not candidates:
        return preferred
    seen = {gram for word in vocabulary for gram in char_ngrams(word)}

    def trained_share(word: str) -> float:
        grams = char_ngrams(word)
        return sum(g in seen for g in grams) / len(grams)

    return max(candidates, key=trained_share)  # the first of the best, in frequency order
