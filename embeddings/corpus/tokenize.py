"""Tokenizers: text in, a list of tokens out.

- ``simple``: lowercase, runs of Unicode letters (and combining marks, so Hangul,
  Devanagari, Thai ... stay whole). Like gensim's ``simple_preprocess`` but it keeps
  non-Latin scripts and one-character words (Korean has many: 책, 물, 눈).
- ``whitespace``: the text is already tokenized; split on white space.
- ``korean``: morphological analysis with kiwipiepy (offline), an optional
  part-of-speech filter and a stopword list (by default the chapter's list). kiwipiepy
  runs in a worker process (:mod:`embeddings.corpus.korean_worker`), so its model load
  and its analyses never hold the caller's GIL; :func:`tokenize_batches` sends it whole
  batches.

Example
-------
>>> tokenize_simple("The fat cat sat on the mat, 2 times!")
['the', 'fat', 'cat', 'sat', 'on', 'the', 'mat', 'times']
>>> get_tokenizer("whitespace")("a  b\\tc")
['a', 'b', 'c']
"""

from __future__ import annotations

import re
import sys
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

Tokenizer = Callable[[str], list[str]]

TOKENIZERS = ("simple", "whitespace", "korean")

# The chapter's stopword list for Korean movie reviews.
KOREAN_STOPWORDS = "의 가 이 은 들 는 좀 잘 걍 과 도 를 으로 자 에 와 한 하다".split()
# Part-of-speech prefixes (Sejong tags as kiwipiepy uses them) kept by the "content" filter:
# nouns, verbs, adjectives, adverbs, determiners, foreign words and Latin letters.
KOREAN_CONTENT_TAGS = ("NN", "NR", "NP", "VV", "VA", "MA", "MM", "XR", "SL", "SH")
# Nouns only (common, proper, bound, numerals, pronouns) plus foreign words and hanja.
KOREAN_NOUN_TAGS = ("NN", "NR", "NP", "SL", "SH")
# Named part-of-speech filters for ``make_korean_tokenizer(pos_filter=...)``.
KOREAN_POS_PRESETS: dict[str, tuple[str, ...] | None] = {
    "all": None,
    "content": KOREAN_CONTENT_TAGS,
    "nouns": KOREAN_NOUN_TAGS,
}
# Endings (pre-final, final, connective, transformative): grammar, not words. Dropping
# them by default gives what a stemming analyser gives (재미있었어요 -> 재미있다).
KOREAN_ENDING_TAGS = ("EP", "EF", "EC", "ETN", "ETM")
MAX_TOKEN_LENGTH = 50


def _category_ranges(first: int, last: int) -> str:
    """A regex set body for the code points in [first, last] whose category is L* or M*."""
    ranges = []
    start = None
    for cp in range(first, last + 1):
        is_letter = unicodedata.category(chr(cp))[0] in "LM"
        if is_letter and start is None:
            start = cp
        elif not is_letter and start is not None:
            ranges.append((start, cp - 1))
            start = None
    if start is not None:
        ranges.append((start, last))
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


@lru_cache(maxsize=1)
def _letter_pattern() -> re.Pattern:
    """A regex matching runs of Unicode letters (L*) and marks (M*).

    Python's ``re`` has no ``\\p{L}``; the sets are built once from the Unicode database.
    The Basic Multilingual Plane and the astral planes are separate sets: ``re`` compiles
    a set within U+0000-U+FFFF to a constant-time table but scans a range list linearly
    otherwise, which made one combined set 4-5x slower. The cheap lookahead keeps the
    astral set from being tried on ordinary characters.
    """
    bmp = f"[{_category_ranges(0, 0xFFFF)}]"
    astral = f"(?=[\U00010000-\U0010ffff])[{_category_ranges(0x10000, sys.maxunicode)}]"
    return re.compile(f"(?:{bmp}|{astral}){bmp}*(?:{astral}{bmp}*)*")


def tokenize_simple(text: str) -> list[str]:
    """Lowercased runs of letters; digits and punctuation split tokens and are dropped."""
    text = unicodedata.normalize("NFC", text).lower()
    return [t for t in _letter_pattern().findall(text) if len(t) <= MAX_TOKEN_LENGTH]


def tokenize_whitespace(text: str) -> list[str]:
    """Split pre-tokenized text on white space."""
    return text.split()


_kiwi_lock = threading.Lock()
# Set once kiwipiepy's model is in memory in this process: its first analysis loads it
# (about 6 s, holding the GIL for seconds at a stretch).
_kiwi_loaded = threading.Event()
# Whether Korean tokenizers analyse in the worker process (see korean_worker) unless
# told otherwise; ``python -m embeddings`` analyses in its own process.
_use_worker = True
# Texts per worker request: big enough that the pipe costs nothing next to the analysis,
# small enough that cancelling (checked between batches) answers at once.
KOREAN_BATCH_TEXTS = 200
KOREAN_BATCH_CHARS = 200_000


@lru_cache(maxsize=1)
def _kiwi():
    from kiwipiepy import Kiwi

    return Kiwi()


def use_korean_worker(enabled: bool) -> None:
    """Choose where Korean tokenizers made later analyse by default: in the worker
    process (True, the default: the caller never loads kiwipiepy) or in this process."""
    global _use_worker
    _use_worker = enabled


def korean_tokenizer_loaded() -> bool:
    """True once the Korean tokenizer's model is loaded where analyses run by default.

    Until then the first Korean analysis takes several seconds (kiwipiepy loads its
    model); :func:`load_korean_tokenizer` does it ahead, e.g. under a message.
    """
    if _use_worker:
        from .korean_worker import worker_ready

        return worker_ready()
    return _kiwi_loaded.is_set()


def load_kiwi_in_process() -> None:
    """Load kiwipiepy's model into this process (once)."""
    if _kiwi_loaded.is_set():
        return
    kiwi = _kiwi()
    with _kiwi_lock:
        kiwi.tokenize("가")  # the first analysis loads the model
    _kiwi_loaded.set()


def load_korean_tokenizer() -> None:
    """Load kiwipiepy's model now (once), so a later analysis starts at once: the
    worker process starts and loads it (or this process does, after
    ``use_korean_worker(False)``). The caller waits without holding the GIL.

    >>> load_korean_tokenizer(); korean_tokenizer_loaded()
    True
    """
    if _use_worker:
        from .korean_worker import start_worker

        start_worker()
    else:
        load_kiwi_in_process()


@dataclass(frozen=True)
class KoreanOptions:
    """What the Korean tokenizer keeps of kiwipiepy's morphemes (see
    :func:`make_korean_tokenizer`); plain data, so it travels to the worker."""

    stopwords: frozenset[str]
    prefixes: tuple[str, ...] | None
    dropped: tuple[str, ...]

    def tokens(self, morphemes) -> list[str]:
        """The kept forms of kiwipiepy tokens (anything with ``form`` and ``tag``)."""
        out = []
        for tok in morphemes:
            tag = str(tok.tag)
            if tag.startswith(("SF", "SP", "SS", "SE", "SO", "SW", "SN", "W_")):
                continue
            if self.prefixes is not None and not tag.startswith(self.prefixes):
                continue
            if self.dropped and tag.startswith(self.dropped):
                continue
            form = tok.form.lower()
            if tag.startswith(("VV", "VA", "VX", "XSV", "XSA")):
                form = form + "다"
            if form in self.stopwords or len(form) > MAX_TOKEN_LENGTH:
                continue
            out.append(form)
        return out


def korean_options(
    stopwords: Iterable[str] | None = KOREAN_STOPWORDS,
    pos_filter: Iterable[str] | str | None = None,
    drop_endings: bool = True,
) -> KoreanOptions:
    """:class:`KoreanOptions` from :func:`make_korean_tokenizer`'s arguments."""
    if isinstance(pos_filter, str):
        if pos_filter not in KOREAN_POS_PRESETS:
            from ..errors import CorpusError

            raise CorpusError(
                f"Unknown part-of-speech preset {pos_filter!r}; choose one of "
                f"{', '.join(KOREAN_POS_PRESETS)}."
            )
        pos_filter = KOREAN_POS_PRESETS[pos_filter]
    return KoreanOptions(
        stopwords=frozenset(stopwords or ()),
        prefixes=tuple(pos_filter) if pos_filter else None,
        dropped=KOREAN_ENDING_TAGS if drop_endings else (),
    )


class KoreanTokenizer:
    """The Korean tokenizer: call it on one text, or :meth:`tokenize_many` on a batch
    (one trip to the worker process for the whole batch)."""

    def __init__(self, options: KoreanOptions, worker: bool):
        self.options = options
        self.worker = worker
        # (the batch announced as the next one, its key): one attribute, read at once
        self._ahead: tuple[list[str] | None, int | None] = (None, None)

    def __call__(self, text: str) -> list[str]:
        return self.tokenize_many([text])[0]

    def tokenize_many(
        self, texts: Sequence[str], ahead: list[str] | None = None
    ) -> list[list[str]]:
        """Tokens of each text, in order. ``ahead``, the batch the next call will pass
        (the same list), is analysed by the worker meanwhile."""
        if self.worker:
            from .korean_worker import new_batch_key, tokenize_batch

            announced, key = self._ahead
            key = key if announced is texts else None
            ahead_key = new_batch_key() if ahead else None
            self._ahead = (ahead, ahead_key)
            return tokenize_batch(list(texts), self.options, key, ahead, ahead_key)
        kiwi = _kiwi()
        out = []
        for text in texts:
            with _kiwi_lock:  # one Kiwi instance, shared by threads
                morphemes = kiwi.tokenize(text)
            _kiwi_loaded.set()
            out.append(self.options.tokens(morphemes))
        return out


def make_korean_tokenizer(
    stopwords: Iterable[str] | None = KOREAN_STOPWORDS,
    pos_filter: Iterable[str] | str | None = None,
    drop_endings: bool = True,
    worker: bool | None = None,
) -> KoreanTokenizer:
    """A kiwipiepy morphological tokenizer.

    Parameters
    ----------
    stopwords : iterable of str, optional
        Tokens to drop (default: the chapter's list). Verb and adjective stems are given
        their dictionary form (stem + 다) so "하다" matches.
    pos_filter : iterable of str or str, optional
        Keep only morphemes whose tag starts with one of these prefixes, e.g.
        :data:`KOREAN_CONTENT_TAGS`, or the name of a preset in
        :data:`KOREAN_POS_PRESETS` (``"all"``, ``"content"``, ``"nouns"``). None keeps
        every morpheme except punctuation.
    drop_endings : bool
        Drop verb endings (:data:`KOREAN_ENDING_TAGS`), as a stemming analyser does.
    worker : bool, optional
        Analyse in the worker process (:mod:`embeddings.corpus.korean_worker`) or in
        this one; None follows :func:`use_korean_worker` (the worker by default).
        Both give the same tokens.

    Example
    -------
    >>> make_korean_tokenizer()("영화가 정말 재미있었어요")
    ['영화', '정말', '재미있다']
    """
    options = korean_options(stopwords, pos_filter, drop_endings)
    return KoreanTokenizer(options, _use_worker if worker is None else worker)


def _batches(texts: Iterable[str]) -> Iterator[list[str]]:
    """``texts`` in lists of at most :data:`KOREAN_BATCH_TEXTS` texts or
    :data:`KOREAN_BATCH_CHARS` characters."""
    batch: list[str] = []
    chars = 0
    for text in texts:
        batch.append(text)
        chars += len(text)
        if len(batch) >= KOREAN_BATCH_TEXTS or chars >= KOREAN_BATCH_CHARS:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def tokenize_batches(tokenizer: Tokenizer, texts: Iterable[str]) -> Iterator[list[list[str]]]:
    """The token lists of ``texts``, a batch at a time, in order; callers check
    cancellation between batches.

    A tokenizer with ``tokenize_many`` (the Korean one) gets whole batches of at most
    :data:`KOREAN_BATCH_TEXTS` texts or :data:`KOREAN_BATCH_CHARS` characters, one trip
    to its worker process each, and the worker analyses the next batch while the caller
    handles this one (``tokenize_many(batch, ahead=next_batch)``).

    >>> list(tokenize_batches(tokenize_whitespace, ["a b", "c"]))
    [[['a', 'b'], ['c']]]
    """
    many = getattr(tokenizer, "tokenize_many", None)
    batches = _batches(texts)
    if many is None:
        for batch in batches:
            yield [tokenizer(text) for text in batch]
        return
    batch = next(batches, None)
    while batch is not None:
        following = next(batches, None)
        yield many(batch, ahead=following)
        batch = following


def get_tokenizer(name: str, jamo: bool = False, **options) -> Tokenizer:
    """Return the tokenizer called ``name`` (one of :data:`TOKENIZERS`).

    ``options`` go to :func:`make_korean_tokenizer` for ``"korean"``. With ``jamo``,
    every token's Hangul syllables are split into letters (:mod:`embeddings.corpus.jamo`).
    """
    if jamo:
        from .jamo import jamo_tokenizer

        return jamo_tokenizer(get_tokenizer(name, **options))
    if name == "simple":
        return tokenize_simple
    if name == "whitespace":
        return tokenize_whitespace
    if name == "korean":
        return make_korean_tokenizer(**options)
    from ..errors import CorpusError

    raise CorpusError(f"Unknown tokenizer {name!r}; choose one of {', '.join(TOKENIZERS)}.")
