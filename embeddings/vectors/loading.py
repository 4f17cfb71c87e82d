"""Loading pretrained vectors from files people bring, safely.

Formats, sniffed from the content (file names are only a hint), each also gzip-, bzip2-
or zip-compressed (a zip with one vectors member):

- ``word2vec-bin``: the word2vec binary format (``N D`` header line, then per row the
  word, a space and D little-endian float32 values).
- ``word2vec-text``: the same as text (fastText's ``.vec`` files are this format).
- ``glove-text``: text without a header line. Tokens that contain spaces (some GloVe
  files have them) keep them: the last D fields of a line are the vector.
- ``fasttext-bin``: a Facebook fastText model (full model with subword buckets), read by
  gensim's struct-based reader (no unpickling); older files without the magic number too.

Never unpickled: gensim's own ``.model``/``.kv`` files (and anything else that starts
like a pickle, or a zip that holds one) are refused with :class:`UnsafeFileError`,
because unpickling a file runs code it contains. Those formats load only from the model
store, which holds files the lab wrote itself.

Memory: text rows are parsed in blocks into float32 arrays (C parsing, not a Python
float per value) and joined once, so the peak is about twice the vectors' size plus a
couple of hundred bytes a word. After each block the rows read so far are projected to
the whole file (by the share of the file's bytes read, compressed or not) and the load
is refused with :class:`~embeddings.errors.ResourceLimitError` once that projection
passes the memory budget (:func:`embeddings.budget.check_memory`); a fastText model is
estimated from its checked header before gensim reads it. Words that are not valid
UTF-8 load with U+FFFD in place of the broken bytes and are counted (the card's
``replaced_tokens``).

Damaged input: a corrupt or truncated gzip/bzip2 stream, a damaged, encrypted or
unsupported zip member, and a fastText model whose structure does not add up are all
:class:`~embeddings.errors.FormatError` with one line, never a traceback.

Example
-------
>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "tiny.txt")
>>> _ = open(path, "w").write("the 0.1 0.2\\nnew york 0.3 0.4\\n")
>>> kv, card = load_vectors(path)
>>> card.notes["format"], kv.index_to_key
('glove-text', ['the', 'new york'])
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from ..budget import check_memory
from ..corpus.textio import InflateBudget
from ..errors import FormatError
from ..progress import CancelToken, Progress, ProgressCallback, check_cancel, report
from .fasttext_header import read_fasttext_layout
from .opening import close_stream, damaged_archive, open_stream
from .parsing import parse_binary_rows, parse_text_rows
from .row_collector import RowCollector
from .sniffing import sniff_format
from .store import ModelCard, suggest_name

FORMATS = ("word2vec-bin", "word2vec-text", "glove-text", "fasttext-bin")
FORMAT_LABELS = {
    "auto": "detect from the content",
    "word2vec-bin": "word2vec binary (.bin)",
    "word2vec-text": "word2vec / fastText text (.txt, .vec)",
    "glove-text": "GloVe text without a header line (.txt)",
    "fasttext-bin": "Facebook fastText model with subwords (.bin)",
}
BLOCK_BYTES = 4 << 20


def load_vectors(
    path: str | os.PathLike,
    format: str = "auto",
    *,
    name: str | None = None,
    limit: int | None = None,
    encoding: str = "utf-8",
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    max_inflated_bytes: int | None = None,
):
    """Load a vectors file into gensim KeyedVectors; returns ``(kv, card)``.

    ``format`` is ``"auto"`` (sniffed) or one of :data:`FORMATS`. ``limit`` keeps the
    first N rows. The card's ``notes`` hold the format, compression, rows, the number of
    tokens with broken UTF-8 (``replaced_tokens``), dropped duplicate and empty tokens,
    and any warning (a header that promised a different number of rows, for example).
    """
    path = Path(path)
    format, compression, card, budget = prepare_load(path, format, name, max_inflated_bytes)
    report(progress, Progress("load", 0, path.stat().st_size, f"reading {path.name} ({format})"))
    if format == "fasttext-bin":
        kv = _load_fasttext_bin(path, compression, InflateBudget(budget.limit), cancel)
        notes = {"rows": len(kv), "replaced_tokens": 0, "duplicates": 0, "empty_tokens": 0}
        warnings: list[str] = []
    else:
        kv, notes, warnings = _load_rows(
            path, format, InflateBudget(budget.limit), limit, encoding, progress, cancel
        )
    card.notes = {"format": format, "compression": compression, **notes, "warnings": warnings}
    card.vector_size = int(kv.vector_size)
    card.vocab_size = len(kv)
    card.has_subwords = format == "fasttext-bin"
    size = path.stat().st_size
    report(progress, Progress("load", size, size, f"loaded {len(kv):,} × {kv.vector_size}"))
    return kv, card


def prepare_load(path: Path, format: str, name: str | None, max_inflated_bytes: int | None):
    """``(format, compression, card, inflate budget)`` for loading ``path``: the file
    checked, its format sniffed (or the given one checked), a card named for it."""
    if not path.is_file():
        raise FormatError(f"{path} is not a file.")
    if path.stat().st_size == 0:
        raise FormatError(f"{path.name} is empty.")
    budget = InflateBudget(max_inflated_bytes) if max_inflated_bytes else InflateBudget()
    sniffed, compression = sniff_format(path, budget)
    if format == "auto":
        format = sniffed
    elif format not in FORMATS:
        raise FormatError(f"Unknown format {format!r}; choose one of {', '.join(FORMATS)}.")
    card = ModelCard(
        name=name or suggest_name(path.name.split(".")[0]),
        algorithm="fasttext" if format == "fasttext-bin" else "pretrained",
        source=path.name,
    )
    return format, compression, card, budget


def _load_rows(path, format, budget, limit, encoding, progress, cancel):
    from gensim.models import KeyedVectors

    collector = parse_rows(path, format, budget, limit, encoding, progress, cancel)
    vectors, words = collector.finish()
    kv = KeyedVectors(vectors.shape[1], count=0, dtype=np.float32)
    kv.vectors = vectors
    kv.index_to_key = words
    kv.key_to_index = collector.index  # word -> its row, as built while reading
    return kv, collector.notes(), collector.warnings


def parse_rows(path, format, budget, limit, encoding, progress, cancel, sink=None):
    """The :class:`RowCollector` of a word2vec or GloVe file, read with progress,
    cancelling and the memory budget checked after each block; rows go to ``sink``
    (see :class:`~.importing.EntrySink`) when one is given."""
    stream, raw, compression = open_stream(path, InflateBudget(budget.limit))
    total = path.stat().st_size

    def tick(collector: RowCollector) -> None:
        check_cancel(cancel)
        done = min(raw.tell(), total)
        collector.check_budget(done / total)
        report(progress, Progress("load", done, total, f"{len(collector.words):,} rows"))

    file_bytes = total if compression is None else None  # a bound on the rows it holds
    try:
        with damaged_archive(path.name, compression):
            if format == "word2vec-bin":
                return parse_binary_rows(
                    stream, path.name, limit, encoding, tick, file_bytes, sink=sink
                )
            return parse_text_rows(
                stream,
                path.name,
                format == "word2vec-text",
                limit,
                encoding,
                tick,
                file_bytes,
                sink=sink,
            )
    finally:
        close_stream(stream, raw)


def _load_fasttext_bin(path: Path, compression, budget: InflateBudget, cancel):
    """A Facebook fastText model via gensim's struct reader (decompressed to a temp file),
    after :func:`read_fasttext_layout` has checked every count and word with bounded
    reads and the memory estimate fits the budget."""
    from gensim.models.fasttext import load_facebook_vectors

    check_cancel(cancel)
    tmp_dir = None
    source = path
    try:
        if compression is not None:
            tmp_dir = tempfile.mkdtemp(prefix="fasttext-")
            source = Path(tmp_dir) / "model.bin"
            stream, raw, _ = open_stream(path, budget)
            try:
                with damaged_archive(path.name, compression), open(source, "wb") as out:
                    shutil.copyfileobj(stream, out, BLOCK_BYTES)
            finally:
                close_stream(stream, raw)
        check_cancel(cancel)
        layout = read_fasttext_layout(source, path.name)
        check_memory(layout.memory_estimate(), f"loading {path.name}")
        check_cancel(cancel)
        kv = load_facebook_vectors(str(source))
    except NotImplementedError as exc:
        raise FormatError(f"{path.name}: {exc} (this is a classifier, not word vectors).") from None
    except (ValueError, EOFError, OSError, UnicodeDecodeError, AssertionError, MemoryError) as exc:
        raise FormatError(f"{path.name} is not a readable fastText .bin model ({exc}).") from None
    finally:
        if tmp_dir is not None:
            shutil.rmtree(tmp_dir, ignore_errors=True)
    for part in (kv.vectors_vocab, kv.vectors_ngrams, kv.vectors):
        if not np.isfinite(part).all():  # as text and word2vec rows are refused
            raise FormatError(f"{path.name} holds NaN or infinite values; the model is damaged.")
    if layout.current_layout:
        _end_of_sentence_without_ngrams(kv)
    return kv


EOS = "</s>"


def _end_of_sentence_without_ngrams(kv) -> None:
    """The reference gives its end-of-sentence token ``</s>`` no character n-grams (its
    vector is its own row alone); gensim composes it like any word. Match the reference.

    Only for the current layout (with the magic number): the fastText versions that
    wrote the older layout composed ``</s>`` from n-grams too, as the ``.vec`` files
    written beside such models show."""
    i = kv.key_to_index.get(EOS)
    if i is None or getattr(kv, "buckets_word", None) is None:
        return
    kv.buckets_word[i] = np.array([], dtype=np.uint32)
    kv.vectors[i] = kv.vectors_vocab[i]
    if getattr(kv, "norms", None) is not None:
        kv.norms = None


__all__ = [
    "FORMATS",
    "FORMAT_LABELS",
    "RowCollector",
    "load_vectors",
]
