"""Example words, training counts and expected analogy answers on hand-made models."""

import numpy as np
import pytest
from gensim.models import KeyedVectors

from embeddings.corpus.jamo import decompose
from embeddings.errors import EmbeddingsError
from embeddings.explore.query import analogy, analogy_rank
from embeddings.explore.vocabulary import example_words, known_sentence, word_counts


@pytest.fixture
def kv():
    words = ["the", "of", ",", "1990", "war", "a", "music", "army", "co-op", "x", "battle"]
    kv = KeyedVectors(3)
    rng = np.random.default_rng(3)
    kv.add_vectors(words, rng.normal(size=(len(words), 3)).astype(np.float32))
    for i, w in enumerate(words):
        kv.set_vecattr(w, "count", 1000 - 10 * i)
    return kv


def test_example_words_are_frequent_alphabetic_and_not_stopwords(kv):
    assert example_words(kv, 3) == ["war", "music", "army"]
    assert example_words(kv, 10) == ["war", "music", "army", "battle"]
    assert example_words(kv, 2, skip=2) == ["army", "battle"]
    assert example_words(["의", "국회", "법률", "1조", "가"], 5) == ["국회", "법률"]


def test_example_words_of_a_letter_model_are_joined_into_syllables():
    words = [decompose(w) for w in ["국회의원", "대통령", "법률"]]
    kv = KeyedVectors(2)
    kv.add_vectors(words, np.ones((3, 2), dtype=np.float32))
    assert example_words(kv, 2) == ["국회의원", "대통령"]


def test_word_counts_come_from_the_model(kv):
    assert word_counts(kv, ["war", "War", "peace"]) == {"war": 960, "War": 960, "peace": None}
    bare = KeyedVectors(3)
    bare.add_vectors(["war"], np.ones((1, 3), dtype=np.float32))
    assert word_counts(bare, ["war"]) is None  # vectors from a file carry no counts


def test_known_sentence_swaps_unknown_words_for_frequent_ones(kv):
    assert known_sentence(kv, "The cats of war") == "The music of war"
    assert known_sentence(kv, "the war") == "the war"


def test_analogy_rank_agrees_with_the_candidates_of_both_methods(lee_w2v):
    for method in ("add", "mul"):
        candidates = analogy(lee_w2v, "police", "officers", "fire", method, topn=30).candidates
        for n in (candidates[0], candidates[7], candidates[29]):
            found = analogy_rank(lee_w2v, "police", "officers", "fire", n.word, method)
            assert (found.rank, found.in_vocab) == (n.rank, True)
            assert found.score == pytest.approx(n.similarity, abs=1e-6)
            assert found.candidates == len(lee_w2v) - 3


def test_analogy_rank_without_a_rank_says_why(lee_w2v):
    missing = analogy_rank(lee_w2v, "man", "king", "woman", "qqzzx")
    assert (missing.in_vocab, missing.rank, missing.why_unranked) == (
        False,
        None,
        "not in the vocabulary",
    )
    question = analogy_rank(lee_w2v, "man", "king", "woman", "King", "mul")
    assert question.rank is None and question.why_unranked == "one of the question's words"
    far = lee_w2v.index_to_key[-1]
    outside = analogy_rank(lee_w2v, "man", "king", "woman", far, restrict_vocab=100)
    assert outside.rank is None and outside.why_unranked.startswith("outside")
    with pytest.raises(EmbeddingsError, match="Unknown analogy method 'sum'"):
        analogy_rank(lee_w2v, "man", "king", "woman", "queen", "sum")
