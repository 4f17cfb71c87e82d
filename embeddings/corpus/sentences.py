"""Tokenized sentence files: the one on-disk form every trainer reads.

Format: UTF-8, one sentence per line, tokens separated by a single space, no empty
lines, at most :data:`MAX_LINE_TOKENS` tokens a line. gensim's ``corpus_file`` mode
silently drops the rest of a batch past 10,000 words and its iterable mode truncates
sentences past 10,000 tokens, so long documents are cut into lines of at most 1,000
tokens here, once, and nothing is lost downstream.

Example
-------
>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "s.txt")
>>> stats = write_sentence_file(["I like NLP", "I enjoy flying"], str.split, path)
>>> stats.documents, stats.tokens, stats.vocab_size(min_count=2)
(2, 6, 1)
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CorpusError
from ..progress import CancelToken, Progress, ProgressCallback, check_cancel, report
from .cache import CorpusCache
from .tokenize import tokenize_batches

MAX_LINE_TOKENS = 1000


@dataclass
class CorpusStats:
    """Counts gathered while writing a sentence file."""

    documents: int = 0
    lines: int = 0
    tokens: int = 0
    empty_documents: int = 0
    word_counts: Counter = field(default_factory=Counter)

    def vocab_size(self, min_count: int = 1) -> int:
        """Number of distinct words seen at least ``min_count`` times."""
        if min_count <= 1:
            return len(self.word_counts)
        return sum(1 for c in self.word_counts.values() if c >= min_count)

    def summary(self, min_count: int = 5) -> dict:
        """A JSON-able summary (what a model card keeps)."""
        return {
            "documents": self.documents,
            "lines": self.lines,
            "tokens": self.tokens,
            "empty_documents": self.empty_documents,
            "vocab_size": self.vocab_size(1),
            "vocab_size_at_min_count": self.vocab_size(min_count),
            "min_count": min_count,
        }

    def save_counts(self, path: str | Path) -> None:
        """Write the word counts as JSON, most frequent first."""
        Path(path).write_text(
            json.dumps(dict(self.word_counts.most_common()), ensure_ascii=False), encoding="utf-8"
        )


def chunk_tokens(tokens: list[str], max_tokens: int = MAX_LINE_TOKENS) -> Iterator[list[str]]:
    """Cut a token list into consecutive pieces of at most ``max_tokens``."""
    for start in range(0, len(tokens), max_tokens):
        yield tokens[start : start + max_tokens]


def write_sentence_file(
    documents: Iterable[str],
    tokenizer: Callable[[str], list[str]],
    path: str | Path,
    max_tokens: int = MAX_LINE_TOKENS,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    total_documents: int | None = None,
) -> CorpusStats:
    """Tokenize ``documents`` and write them to ``path`` as a sentence file.

    The file is written to a temporary name and renamed at the end, so a failure or a
    cancellation leaves no partial file. Documents go to the tokenizer in batches
    (:func:`~embeddings.corpus.tokenize.tokenize_batches`); progress is reported and
    ``cancel`` checked after each. Raises :class:`CorpusError` if no document
    yields a token.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    stats = CorpusStats()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    started = time.monotonic()
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            for batch_tokens in tokenize_batches(tokenizer, documents):
                for tokens in batch_tokens:
                    stats.documents += 1
                    if " ".join(tokens).split() != tokens:
                        # Rare: a token that is empty or holds white space would break
                        # the format.
                        tokens = [t for t in tokens if t and not any(c.isspace() for c in t)]
                    if not tokens:
                        stats.empty_documents += 1
                        continue
                    stats.tokens += len(tokens)
                    stats.word_counts.update(tokens)
                    for piece in chunk_tokens(tokens, max_tokens):
                        out.write(" ".join(piece))
                        out.write("\n")
                        stats.lines += 1
                check_cancel(cancel)
                report(
                    progress,
                    Progress(
                        "tokenize",
                        stats.documents,
                        total_documents,
                        f"{stats.documents:,} documents, {stats.tokens:,} tokens",
                        {"elapsed_s": time.monotonic() - started},
                    ),
                )
        if stats.tokens == 0:
            raise CorpusError(
                f"No tokens found in {stats.documents:,} documents: the text is empty, or the "
                "tokenizer removed everything (try another tokenizer, or check the encoding)."
            )
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    report(
        progress,
        Progress("tokenize", stats.documents, stats.documents, f"{stats.tokens:,} tokens"),
    )
    return stats


class SentenceFile:
    """A sentence file as a re-iterable of token lists; each pass re-reads it from disk.

    The one way the trainers, co-occurrence counting and the statistics read a sentence
    file. Iterating yields one token list per line, in bounded memory; :meth:`blocks`
    gives whole lines in large blocks for counting code that splits text itself.

    Parameters
    ----------
    path : path
    cancel : CancelToken, optional
        Iteration stops quietly when it is set (gensim then ends its epoch early and
        the caller raises :class:`~embeddings.errors.Cancelled`); :meth:`blocks` raises
        :class:`~embeddings.errors.Cancelled` itself.

    Example
    -------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "s.txt")
    >>> _ = open(path, "w").write("a b\\nc\\n")
    >>> list(SentenceFile(path)), list(SentenceFile(path).blocks())
    ([['a', 'b'], ['c']], ['a b\\nc\\n'])
    """

    def __init__(self, path: str | Path, cancel: CancelToken | None = None):
        self.path = Path(path)
        self.cancel = cancel

    def __repr__(self) -> str:
        return f"SentenceFile({str(self.path)!r})"

    @property
    def size(self) -> int:
        """The file's size in bytes."""
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            raise self._gone() from None

    def _gone(self) -> CorpusError:
        return CorpusError(
            f"The sentence file {self.path.name} is gone (the corpus cache may have made "
            "room for newer corpora); prepare the corpus again."
        )

    def _open(self):
        try:
            fh = open(self.path, encoding="utf-8")  # noqa: SIM115 - the caller's with closes it
        except FileNotFoundError:
            raise self._gone() from None
        # Each pass marks the file as used, so the corpus cache keeps the files in use.
        with contextlib.suppress(OSError):
            os.utime(self.path)
        return fh

    def __iter__(self) -> Iterator[list[str]]:
        cancel = self.cancel
        with self._open() as fh:
            for n, line in enumerate(fh):
                if n % 256 == 0 and cancel is not None and cancel.cancelled:
                    return
                tokens = line.split()
                if tokens:
                    yield tokens

    def blocks(self, max_chars: int = 1 << 22) -> Iterator[str]:
        """Whole lines, about ``max_chars`` characters at a time, each block ending in a
        newline. Checks ``cancel`` before each block."""
        with self._open() as fh:
            while True:
                check_cancel(self.cancel)
                lines = fh.readlines(max_chars)
                if not lines:
                    return
                block = "".join(lines)
                yield block if block.endswith("\n") else block + "\n"


@dataclass
class PreparedCorpus:
    """A corpus ready for training: its sentence file, statistics and a description.

    ``path`` is a sentence file (see module docstring); ``name`` says where it came from
    (``"bundled:wiki+lee"``, ``"upload:reviews.csv"``, ...); ``tokenizer`` names the
    tokenizer used.
    """

    path: Path
    stats: CorpusStats
    name: str
    tokenizer: str

    def card_info(self, min_count: int = 5) -> dict:
        """What a model card records about its corpus."""
        return {"name": self.name, "tokenizer": self.tokenizer, **self.stats.summary(min_count)}


def load_prepared(path: str | Path, name: str, tokenizer: str) -> PreparedCorpus:
    """Re-open a sentence file written earlier, with its counts (``<path>.counts.json``).

    Raises OSError (FileNotFoundError) or ValueError when a part is missing or damaged.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(path)
    counts_path = path.with_name(path.name + ".counts.json")
    meta_path = path.with_name(path.name + ".meta.json")
    stats = CorpusStats(word_counts=Counter(json.loads(counts_path.read_text(encoding="utf-8"))))
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    stats.documents = meta["documents"]
    stats.lines = meta["lines"]
    stats.tokens = meta["tokens"]
    stats.empty_documents = meta.get("empty_documents", 0)
    return PreparedCorpus(path, stats, name, tokenizer)


def save_prepared_stats(prepared: PreparedCorpus) -> None:
    """Write the counts and metadata beside the sentence file, so it can be re-opened."""
    path = prepared.path
    prepared.stats.save_counts(path.with_name(path.name + ".counts.json"))
    meta = prepared.stats.summary()
    meta.update(name=prepared.name, tokenizer=prepared.tokenizer)
    path.with_name(path.name + ".meta.json").write_text(json.dumps(meta), encoding="utf-8")


def prepare_documents(
    documents: Iterable[str],
    name: str,
    tokenizer_name: str = "simple",
    out_path: str | Path | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    total_documents: int | None = None,
    cache: CorpusCache | None = None,
    **tokenizer_options,
) -> PreparedCorpus:
    """Tokenize documents into a sentence file at ``out_path``, or as a new entry of ``cache``.

    One of ``out_path`` and ``cache`` is needed; with both, ``out_path`` is an entry of
    ``cache`` (a bundled corpus's fixed name). After writing into a cache, the cache
    evicts its least recently used entries beyond its size cap (never this one).
    """
    from .tokenize import get_tokenizer

    if out_path is None:
        out_path = require_cache(cache).new_path(name)
    tokenizer = get_tokenizer(tokenizer_name, **tokenizer_options)
    stats = write_sentence_file(
        documents,
        tokenizer,
        out_path,
        progress=progress,
        cancel=cancel,
        total_documents=total_documents,
    )
    prepared = PreparedCorpus(Path(out_path), stats, name, tokenizer_name)
    save_prepared_stats(prepared)
    if cache is not None:
        cache.evict(keep=[prepared.path])
    return prepared


def require_cache(cache: CorpusCache | None) -> CorpusCache:
    """``cache``, or a TypeError saying a sentence file needs a place to go."""
    if cache is None:
        raise TypeError("give out_path, or a cache (e.g. ModelStore.corpus_cache) to keep it in")
    return cache
