"""Hangul syllables split into their letters (jamo) and joined back.

A Hangul syllable block packs two or three letters: an initial consonant, a vowel and an
optional final consonant (사 = ㅅ + ㅏ, 과 = ㄱ + ㅘ, 책 = ㅊ + ㅐ + ㄱ). Two words that
share a stem but differ in one letter (먹다, 먹었다) share few *syllable* n-grams and many
*letter* n-grams, which is why FastText on Korean learns better from decomposed text.

The letters used are Unicode's conjoining jamo (U+1100-U+11FF), the same code points
canonical decomposition (NFD) gives, so a browser still draws a decomposed word as its
syllables. :func:`compose` is the exact inverse of :func:`decompose`; :func:`display`
maps the letters to their stand-alone (compatibility) forms for showing n-grams.

>>> decompose("사과") == "\\u1109\\u1161\\u1100\\u116a"
True
>>> compose(decompose("한국어 책")) == "한국어 책"
True
>>> display(decompose("책"))
'ㅊㅐㄱ'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

SYLLABLE_FIRST, SYLLABLE_LAST = 0xAC00, 0xD7A3
INITIAL_FIRST, VOWEL_FIRST, FINAL_FIRST = 0x1100, 0x1161, 0x11A7  # final index 0 = none
N_INITIALS, N_VOWELS, N_FINALS = 19, 21, 28

# Stand-alone (compatibility) letters for display, in the conjoining jamo's order.
_COMPAT_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_COMPAT_VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_COMPAT_FINALS = "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
_DISPLAY = {
    **{chr(INITIAL_FIRST + i): c for i, c in enumerate(_COMPAT_INITIALS)},
    **{chr(VOWEL_FIRST + i): c for i, c in enumerate(_COMPAT_VOWELS)},
    **{chr(FINAL_FIRST + 1 + i): c for i, c in enumerate(_COMPAT_FINALS)},
}


def is_syllable(ch: str) -> bool:
    return SYLLABLE_FIRST <= ord(ch) <= SYLLABLE_LAST


def _split(ch: str) -> str:
    index = ord(ch) - SYLLABLE_FIRST
    initial, rest = divmod(index, N_VOWELS * N_FINALS)
    vowel, final = divmod(rest, N_FINALS)
    letters = chr(INITIAL_FIRST + initial) + chr(VOWEL_FIRST + vowel)
    return letters + chr(FINAL_FIRST + final) if final else letters


def decompose(text: str) -> str:
    """Every Hangul syllable of ``text`` as its two or three letters; the rest unchanged."""
    return "".join(_split(ch) if is_syllable(ch) else ch for ch in text)


def _initial(ch: str) -> int:
    i = ord(ch) - INITIAL_FIRST
    return i if 0 <= i < N_INITIALS else -1


def _vowel(ch: str) -> int:
    i = ord(ch) - VOWEL_FIRST
    return i if 0 <= i < N_VOWELS else -1


def _final(ch: str) -> int:
    i = ord(ch) - FINAL_FIRST
    return i if 1 <= i < N_FINALS else -1


def compose(text: str) -> str:
    """Join initial + vowel (+ final) letter runs back into syllables; the rest unchanged."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        initial = _initial(text[i])
        vowel = _vowel(text[i + 1]) if initial >= 0 and i + 1 < n else -1
        if vowel < 0:
            out.append(text[i])
            i += 1
            continue
        final = _final(text[i + 2]) if i + 2 < n else -1
        code = SYLLABLE_FIRST + (initial * N_VOWELS + vowel) * N_FINALS + max(final, 0)
        out.append(chr(code))
        i += 3 if final > 0 else 2
    return "".join(out)


def display(text: str) -> str:
    """``text`` with conjoining letters shown as stand-alone letters (ㅅㅏㄱㅘ)."""
    return "".join(_DISPLAY.get(ch, ch) for ch in text)


def has_jamo(text: str) -> bool:
    """Whether ``text`` holds conjoining jamo letters."""
    return any(INITIAL_FIRST <= ord(ch) <= 0x11FF for ch in text)


def is_jamo_vocabulary(words: Iterable[str], sample: int = 2000) -> bool:
    """Whether a vocabulary was trained on decomposed Hangul: among its first ``sample``
    words holding Hangul, more carry letters than whole syllables."""
    letters = syllables = 0
    for k, word in enumerate(words):
        if k >= sample:
            break
        if not isinstance(word, str):
            continue
        if has_jamo(word):
            letters += 1
        elif any(is_syllable(ch) for ch in word):
            syllables += 1
    return letters > syllables


def jamo_tokenizer(tokenizer: Callable[[str], list[str]]) -> Callable[[str], list[str]]:
    """``tokenizer`` followed by :func:`decompose` on every token."""

    def tokenize_jamo(text: str) -> list[str]:
        return [decompose(token) for token in tokenizer(text)]

    many = getattr(tokenizer, "tokenize_many", None)
    if many is not None:  # keep the Korean tokenizer's batches (one worker trip each)

        def tokenize_many(texts, ahead=None) -> list[list[str]]:
            tokens_of_texts = many(texts, ahead=ahead)
            return [[decompose(token) for token in tokens] for tokens in tokens_of_texts]

        tokenize_jamo.tokenize_many = tokenize_many
    return tokenize_jamo
