"""Queries equal gensim's on the same vectors; unknown words get close spellings;
FastText composes unknown words and marks them."""

from __future__ import annotations

import numpy as np
import pytest
from gensim.models import KeyedVectors

from embeddings.errors import EmbeddingsError, UnknownWordError
from embeddings.explore.query import (
    analogy,
    compare_neighbours,
    neighbours,
    odd_one_out,
    similarity,
)
from embeddings.explore.words import close_spellings
from embeddings.vectors.search import vector_index

WORDS = ["government", "police", "water", "fire", "australia", "people", "years"]


def _pairs(result):
    return [(n.word, round(n.similarity, 5)) for n in result]


@pytest.mark.parametrize("word", WORDS)
def test_neighbours_equal_most_similar(lee_w2v, word):
    ours = neighbours(lee_w2v, word, topn=10)
    theirs = lee_w2v.most_similar(word, topn=10)
    assert [n.word for n in ours] == [w for w, _ in theirs]
    np.testing.assert_allclose([n.similarity for n in ours], [s for _, s in theirs], atol=1e-5)
    assert [n.rank for n in ours] == list(range(1, 11))


def test_positive_negative_and_restrict_vocab_equal_gensim(lee_w2v):
    ours = neighbours(lee_w2v, ["police", "fire"], ["water"], topn=7, restrict_vocab=500)
    theirs = lee_w2v.most_similar(["police", "fire"], ["water"], topn=7, restrict_vocab=500)
    assert _pairs(ours) == [(w, round(s, 5)) for w, s in theirs]
    assert all(lee_w2v.key_to_index[n.word] < 500 for n in ours)


@pytest.mark.parametrize("a, b, c", [("man", "king", "woman"), ("police", "officers", "fire")])
@pytest.mark.parametrize("method", ["add", "mul"])
def test_analogy_equals_gensim(lee_w2v, a, b, c, method):
    for w in (a, b, c):
        if w not in lee_w2v.key_to_index:
            pytest.skip(f"{w} not in the Lee vocabulary")
    ours = analogy(lee_w2v, a, b, c, method, topn=5)
    if method == "add":
        theirs = lee_w2v.most_similar(positive=[b, c], negative=[a], topn=5)
    else:
        theirs = lee_w2v.most_similar_cosmul(positive=[b, c], negative=[a], topn=5)
    assert [n.word for n in ours.candidates] == [w for w, _ in theirs]
    np.testing.assert_allclose(
        [n.similarity for n in ours.candidates], [s for _, s in theirs], atol=1e-5
    )
    assert not {a, b, c} & {n.word for n in ours.candidates}


def test_analogy_formula_spells_the_order():
    kv = KeyedVectors(2)
    kv.add_vectors(["a", "b", "c", "d"], np.array([[1, 0], [1, 1], [0, 1], [0, 2]], np.float32))
    result = analogy(kv, "a", "b", "c", topn=1)
    assert result.formula == "b - a + c"
    assert result.candidates[0].word == "d"


def test_similarity_and_odd_one_out_equal_gensim(lee_w2v):
    assert similarity(lee_w2v, "police", "fire") == pytest.approx(
        float(lee_w2v.similarity("police", "fire")), abs=1e-6
    )
    words = ["police", "officers", "fire", "water"]
    odd, scores = odd_one_out(lee_w2v, words)
    assert odd == lee_w2v.doesnt_match(words)
    assert [s for _, s in scores] == sorted(s for _, s in scores)


def test_unknown_word_names_close_spellings(lee_w2v):
    with pytest.raises(UnknownWordError) as err:
        neighbours(lee_w2v, "goverment")
    assert "close matches: government" in str(err.value)
    assert close_spellings(lee_w2v, "Police")[0] == "police"
    with pytest.raises(UnknownWordError, match="not in the vocabulary"):
        similarity(lee_w2v, "police", "qqqzzz")


def test_fasttext_composes_unknown_words_and_marks_them(lee_fasttext):
    kv = lee_fasttext
    word = "governmentalish"
    assert word not in kv.key_to_index
    result = neighbours(kv, word, topn=5)
    assert result.oov == [word]
    theirs = kv.most_similar(word, topn=5)
    assert [n.word for n in result] == [w for w, _ in theirs]


def test_bad_requests_are_clear_errors(lee_w2v):
    with pytest.raises(EmbeddingsError, match="at least one word"):
        neighbours(lee_w2v, [])
    with pytest.raises(EmbeddingsError, match="at least three"):
        odd_one_out(lee_w2v, ["police", "fire"])
    with pytest.raises(EmbeddingsError, match="Unknown analogy method"):
        analogy(lee_w2v, "police", "fire", "water", method="sub")


def test_zero_vector_has_no_direction():
    kv = KeyedVectors(2)
    kv.add_vectors(["zero", "x"], np.array([[0, 0], [1, 0]], np.float32))
    with pytest.raises(EmbeddingsError, match="all zeros"):
        similarity(kv, "zero", "x")


def test_index_is_built_once_per_model(lee_w2v):
    assert vector_index(lee_w2v) is vector_index(lee_w2v)
    norms = np.linalg.norm(vector_index(lee_w2v).unit, axis=1)
    np.testing.assert_allclose(norms[norms > 0], 1, atol=1e-5)


def test_compare_neighbours_overlap(lee_w2v):
    same = compare_neighbours(lee_w2v, lee_w2v, "police", topn=5)
    assert same.jaccard == 1.0 and len(same.shared) == 5
    shifted = KeyedVectors(lee_w2v.vector_size)
    rng = np.random.default_rng(0)
    shifted.add_vectors(lee_w2v.index_to_key, rng.standard_normal(lee_w2v.vectors.shape))
    other = compare_neighbours(lee_w2v, shifted, "police", topn=5)
    assert other.jaccard < 0.5
