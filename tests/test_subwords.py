"""Subwords: exact n-grams, buckets and vectors, checked against the reference fastText
implementation (the ``fasttext`` package) on the model files gensim ships."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import gensim
import numpy as np
import pytest

from embeddings.corpus.jamo import compose, decompose, display, is_jamo_vocabulary
from embeddings.explore.subwords import (
    NoSubwordsError,
    breakdown,
    char_ngrams,
    ngram_bucket,
    robustness,
    trained_buckets,
    variants,
)

DATA = Path(gensim.__file__).parent / "test" / "test_data"
REFERENCE_FILES = ["lee_fasttext_new.bin", "crime-and-punishment.bin"]
WORDS = [
    "the",
    "police",
    "birthplace",
    "sunflower",
    "xyzzyq",
    "Raskolnikov",
    "сказал",
    "привет",
    "사과",
    "국회의원",
    "naïve",
    "日本語",
    "a",
]


# -- n-grams --------------------------------------------------------------------


def test_apple_with_n_3_is_the_chapters_list():
    assert char_ngrams("apple", 3, 3) == ["<ap", "app", "ppl", "ple", "le>"]


def test_apple_with_n_3_to_6_in_the_models_order():
    # Start position first, then length: the order the reference iterates.
    assert char_ngrams("apple", 3, 6) == [
        "<ap", "<app", "<appl", "<apple",
        "app", "appl", "apple", "apple>",
        "ppl", "pple", "pple>",
        "ple", "ple>",
        "le>",
    ]  # fmt: skip


def test_korean_word_ngrams_count_characters_not_bytes():
    assert char_ngrams("사과", 3, 6) == ["<사과", "<사과>", "사과>"]
    assert char_ngrams("사과", 2, 2) == ["<사", "사과", "과>"]
    letters = decompose("사과")  # ㅅㅏㄱㅘ: 4 letters, 6 characters with the markers
    assert len(char_ngrams(letters, 3, 3)) == 4


def test_short_words_have_no_long_ngrams():
    assert char_ngrams("a", 3, 6) == ["<a>"]
    assert char_ngrams("", 3, 6) == []


# -- the reference implementation ------------------------------------------------


@pytest.fixture(scope="module", params=REFERENCE_FILES)
def reference_pair(request):
    fasttext = pytest.importorskip("fasttext")
    from embeddings.vectors.loading import load_vectors

    path = DATA / request.param
    kv, card = load_vectors(path)
    assert card.has_subwords
    return request.param, kv, fasttext.load_model(str(path))


def test_ngrams_and_buckets_equal_the_reference(reference_pair):
    _, kv, ref = reference_pair
    nwords = len(ref.get_words(include_freq=False))
    for word in WORDS:
        if word in kv.key_to_index:
            continue  # the reference lists the word itself first for vocabulary words
        grams, ids = ref.get_subwords(word)
        assert char_ngrams(word, kv.min_n, kv.max_n) == list(grams), word
        assert [ngram_bucket(g, kv.bucket) for g in grams] == [int(i) - nwords for i in ids]
        assert [p.bucket for p in breakdown(kv, word).ngrams] == [int(i) - nwords for i in ids]


def test_vectors_equal_the_reference_within_1e_5(reference_pair):
    name, kv, ref = reference_pair
    vocabulary = [w for w in kv.index_to_key[:50]]
    for word in WORDS + vocabulary:
        expected = ref.get_word_vector(word)
        np.testing.assert_allclose(
            kv.get_vector(word), expected, atol=1e-5, err_msg=f"{name} {word}"
        )
        result = breakdown(kv, word)
        np.testing.assert_allclose(result.composed, expected, atol=1e-5, err_msg=f"{name} {word}")
        assert result.in_vocab == (word in kv.key_to_index)


@pytest.mark.parametrize("name", ["lee_fasttext.bin", "non_ascii_fasttext.bin"])
def test_old_format_files_the_reference_cannot_read_still_load(name):
    from embeddings.vectors.loading import load_vectors

    fasttext = pytest.importorskip("fasttext")
    with pytest.raises(ValueError, match="wrong file format"):
        fasttext.load_model(str(DATA / name))
    kv, card = load_vectors(DATA / name)
    assert card.has_subwords
    for word in ("birthplace", "сказал", "který", kv.index_to_key[0]):
        result = breakdown(kv, word)
        assert result.max_abs_difference < 1e-6
    if name == "lee_fasttext.bin":  # the .vec written with it holds the same vectors
        vec, _ = load_vectors(DATA / "lee_fasttext.vec")
        assert kv.index_to_key == vec.index_to_key
        np.testing.assert_allclose(kv.vectors, vec.vectors, atol=1e-4)  # "</s>" included
    else:
        assert "který" in kv.key_to_index


# -- composition on a model trained here ------------------------------------------


def test_oov_vector_is_the_mean_of_its_ngram_rows(lee_fasttext):
    word = "policemanship"
    assert word not in lee_fasttext.key_to_index
    result = breakdown(lee_fasttext, word)
    rows = [lee_fasttext.vectors_ngrams[p.bucket] for p in result.pieces]
    assert len(rows) == len(char_ngrams(word, 3, 6)) == len(result.ngrams)
    np.testing.assert_allclose(np.mean(rows, axis=0), lee_fasttext.get_vector(word), atol=1e-6)
    assert result.max_abs_difference < 1e-6
    # The pulls add up to the final vector's length; the running mean ends on it.
    assert sum(p.pull for p in result.pieces) == pytest.approx(
        np.linalg.norm(result.vector), rel=1e-5
    )
    assert result.steps[-1]["mean so far: cosine to final"] == pytest.approx(1.0, abs=1e-5)


def test_vocabulary_word_adds_its_own_row(lee_fasttext):
    word = "police"
    result = breakdown(lee_fasttext, word)
    assert result.in_vocab and result.pieces[0].is_word and result.pieces[0].ngram == "<police>"
    own = lee_fasttext.vectors_vocab[lee_fasttext.key_to_index[word]]
    rows = [own] + [lee_fasttext.vectors_ngrams[p.bucket] for p in result.ngrams]
    np.testing.assert_allclose(np.mean(rows, axis=0), lee_fasttext[word], atol=1e-6)


def test_trained_buckets_are_those_of_vocabulary_ngrams(lee_fasttext):
    mask = trained_buckets(lee_fasttext)
    expected = {
        ngram_bucket(g, lee_fasttext.bucket)
        for w in lee_fasttext.index_to_key
        for g in char_ngrams(w, 3, 6)
    }
    assert set(np.flatnonzero(mask)) == expected
    assert 0 < mask.sum() < lee_fasttext.bucket  # 20,000 buckets: some never trained


def test_word2vec_has_no_subwords(lee_w2v):
    with pytest.raises(NoSubwordsError, match="not a FastText model"):
        breakdown(lee_w2v, "police")


# -- robustness -----------------------------------------------------------------


def test_variants_are_deterministic_and_exclude_the_word():
    out = variants("apple")
    assert out == variants("apple")
    words = [v for v, _ in out]
    assert "apple" not in words and len(words) == len(set(words))
    assert ("aple", "dropped 'p'") in out and ("apples", "+s") in out
    assert ("aplpe", "swapped pl") in out


def test_robustness_fasttext_scores_every_variant_word2vec_only_known(lee_fasttext, lee_w2v):
    candidates = [("governments", "+s"), ("goverment", "dropped 'n'")]
    ft = robustness(lee_fasttext, "government", candidates)
    assert all(r.cosine is not None for r in ft)
    assert ft[1].cosine == pytest.approx(
        float(lee_fasttext.similarity("government", "goverment")), abs=1e-5
    )
    w2v = {r.variant: r for r in robustness(lee_w2v, "government", candidates)}
    assert w2v["goverment"].cosine is None and not w2v["goverment"].in_vocab


# -- Hangul letters ----------------------------------------------------------------


def test_jamo_round_trip_over_every_syllable():
    syllables = "".join(chr(c) for c in range(0xAC00, 0xD7A4))
    letters = decompose(syllables)
    assert letters == unicodedata.normalize("NFD", syllables)
    assert compose(letters) == syllables


def test_jamo_decompose_examples():
    assert decompose("사과") == "\u1109\u1161\u1100\u116a"
    assert display(decompose("책")) == "ㅊㅐㄱ"
    assert decompose("apple 사과!") == "apple " + decompose("사과") + "!"
    assert compose(decompose("먹었다")) == "먹었다"
    assert is_jamo_vocabulary([decompose("사과"), decompose("책"), "apple"])
    assert not is_jamo_vocabulary(["사과", "책", "apple"])


def test_jamo_tokenizer_option():
    from embeddings.corpus.tokenize import get_tokenizer

    assert get_tokenizer("simple", jamo=True)("사과를 먹었다, Apple") == [
        decompose("사과를"),
        decompose("먹었다"),
        "apple",
    ]
