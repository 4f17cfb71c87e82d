"""Tokenizers: the simple one keeps short words and every script; the Korean one is morphological."""

from __future__ import annotations

import pytest
from gensim.utils import simple_preprocess

from embeddings.corpus.tokenize import (
    KOREAN_ENDING_TAGS,
    KOREAN_POS_PRESETS,
    KOREAN_STOPWORDS,
    get_tokenizer,
    make_korean_tokenizer,
    tokenize_simple,
)
from embeddings.errors import CorpusError


def test_chapter_stopword_list_is_the_default():
    assert KOREAN_STOPWORDS == "의 가 이 은 들 는 좀 잘 걍 과 도 를 으로 자 에 와 한 하다".split()


# -- simple --------------------------------------------------------------------------


def test_simple_keeps_one_character_tokens_that_gensim_drops():
    text = "I saw a cat. 책 한 권과 물, 눈 그리고 꽃"
    ours = tokenize_simple(text)
    assert ours == ["i", "saw", "a", "cat", "책", "한", "권과", "물", "눈", "그리고", "꽃"]
    gensim = simple_preprocess(text)
    assert gensim == ["saw", "cat", "권과", "그리고"]  # every one-character word is gone
    assert {"i", "a", "책", "물", "눈", "꽃"} <= set(ours) - set(gensim)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ελληνικά γράμματα", ["ελληνικά", "γράμματα"]),
        ("Привет, Мир!", ["привет", "мир"]),
        ("हिन्दी भाषा", ["हिन्दी", "भाषा"]),  # combining vowel signs stay inside the word
        ("東京 と 大阪", ["東京", "と", "大阪"]),
        ("naïve café", ["naïve", "café"]),
    ],
)
def test_simple_keeps_non_latin_scripts_whole(text, expected):
    assert tokenize_simple(text) == expected


def test_simple_drops_digits_punctuation_and_overlong_tokens():
    assert tokenize_simple("in 2024: e-mail, x" + "y" * 60) == ["in", "e", "mail"]


def test_simple_normalises_decomposed_hangul():
    decomposed = "\u1112\u1161\u11ab\u1100\u116e\u11a8"  # 한국 as conjoining jamo
    assert tokenize_simple(decomposed) == ["한국"]


def test_whitespace_and_unknown_tokenizer():
    assert get_tokenizer("whitespace")("already  tokenized\ttext") == [
        "already",
        "tokenized",
        "text",
    ]
    with pytest.raises(CorpusError, match="Unknown tokenizer 'bpe'"):
        get_tokenizer("bpe")


# -- Korean --------------------------------------------------------------------------

REVIEW = "영화가 정말 재미있었어요. 배우들의 연기도 좋았고 책도 읽었다. 나는 눈이 좋다."


def test_korean_default_drops_particles_endings_and_stopwords():
    tokens = get_tokenizer("korean")(REVIEW)
    assert tokens == [
        "영화",
        "정말",
        "재미있다",
        "배우",
        "연기",
        "좋다",
        "책",
        "읽다",
        "나",
        "눈",
        "좋다",
    ]
    assert "책" in tokens and "눈" in tokens  # one-syllable nouns survive


def test_korean_options_change_the_output():
    assert get_tokenizer("korean", pos_filter="nouns")(REVIEW) == [
        "영화",
        "배우",
        "연기",
        "책",
        "나",
        "눈",
    ]
    with_endings = get_tokenizer("korean", drop_endings=False)(REVIEW)
    assert with_endings[:5] == ["영화", "정말", "재미있다", "었", "어요"]
    no_stopwords = make_korean_tokenizer(stopwords=[])(REVIEW)
    assert no_stopwords[:2] == ["영화", "가"] and "들" in no_stopwords and "의" in no_stopwords
    custom = make_korean_tokenizer(stopwords=["영화", "정말"])(REVIEW)
    assert custom[:2] == ["가", "재미있다"]  # the list replaces the default one
    assert set(KOREAN_POS_PRESETS) == {"all", "content", "nouns"}
    with pytest.raises(CorpusError, match="Unknown part-of-speech preset 'verbs'"):
        make_korean_tokenizer(pos_filter="verbs")


def test_korean_on_the_real_constitution():
    from kiwipiepy import Kiwi

    from embeddings.corpus.bundled import korean_text_files

    path = next(p for p in korean_text_files() if p.name == "constitution.txt")
    text = "\n".join(path.read_text(encoding="utf-8").splitlines()[:12])
    tokens = get_tokenizer("korean")(text)
    assert tokens[:4] == ["대한민국헌법", "유구", "역사", "전통"]
    assert {"대한민국", "국민", "공화국", "주권", "권력", "법률"} <= set(tokens)
    assert not set(tokens) & set(KOREAN_STOPWORDS)
    # Every ending kiwipiepy finds is gone, and nothing else was invented.
    morphemes = Kiwi().tokenize(text)
    endings = {m.form for m in morphemes if str(m.tag).startswith(KOREAN_ENDING_TAGS)}
    assert endings and not endings & set(tokens) - {"다"}
    nouns = get_tokenizer("korean", pos_filter="nouns")(text)
    assert set(nouns) < set(tokens) and "대한민국" in nouns and "되다" not in nouns


def test_korean_one_syllable_words_kept_by_simple_tokenizer_but_not_by_gensim():
    text = "말 한 마디에 천 냥 빚을 갚는다"
    assert tokenize_simple(text) == ["말", "한", "마디에", "천", "냥", "빚을", "갚는다"]
    assert simple_preprocess(text) == ["마디에", "빚을", "갚는다"]


def test_letter_pattern_matches_exactly_the_unicode_letters_and_marks():
    import sys
    import unicodedata

    from embeddings.corpus.tokenize import _letter_pattern

    pattern = _letter_pattern()
    wrong = [
        cp
        for cp in range(sys.maxunicode + 1)
        if (pattern.fullmatch(chr(cp)) is not None) != (unicodedata.category(chr(cp))[0] in "LM")
    ]
    assert wrong == []
    # Runs mixing the Basic Multilingual Plane and astral letters stay one token.
    assert tokenize_simple("a𝐀b 𠀀한국 x²y") == ["a𝐀b", "𠀀한국", "x", "y"]
