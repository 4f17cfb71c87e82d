"""The store's format for vectors: plain arrays and JSON, nothing that runs code on load.

Files of an entry (beside ``card.json``)::

    format.json        what the arrays are: {"format": 3, "kind": "keyedvectors" or
                       "fasttext", "count", "dim", "attrs", and for FastText "min_n",
                       "max_n", "bucket", "whole_words"}
    words.bin, words.offsets.npy, words.order.npy
                       the words in index order, as one UTF-8 blob, offsets and the ids
                       in sorted order (see :mod:`.store_vocab`; format 2 entries hold
                       ``vocab.json`` instead and are converted on their first load)
    vectors.npy        float32 (count, dim): the word vectors
    norms.npy          float32 (count,): their lengths, computed once at save
    unit.npy           float32 (count, dim): the vectors scaled to length 1, computed once
                       at save, so no process builds its own normalised copy for search
    neighbours.usearch optional: the neighbour index over unit.npy (vectors/ann.py)
    attr.<name>.npy    one value per word (gensim's vecattrs: ``attr.count.npy`` holds the
                       corpus counts)
    vocab_vectors.npy  FastText only: each word's own row (before n-grams are added)
    ngrams.npy         FastText only: float32 (bucket, dim), the hashed n-gram rows

:func:`read_vectors` maps every array read-only (``np.load(mmap_mode="r")``) and builds
gensim's ``KeyedVectors`` / ``FastTextKeyedVectors`` around them without a copy (or,
with ``light=True``, a :class:`~.mapped.MappedVectors` that needs no gensim); the
norms are the stored ones, so ``fill_norms`` has nothing to do. Many sessions (and
processes) opening one model share the operating system's page cache.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .search import attach_index, norms_and_unit
from .store_arrays import map_array
from .store_vocab import JSON_VOCAB_FILE, convert_json_vocab, has_words, read_words, write_words

FORMAT_VERSION = 3
READABLE_FORMATS = (2, 3)  # 2: vocab.json (converted on first load)
FORMAT_FILE = "format.json"
VOCAB_FILE = JSON_VOCAB_FILE
VECTORS_NPY = "vectors.npy"
NORMS_FILE = "norms.npy"
UNIT_FILE = "unit.npy"
OWN_VECTORS_FILE = "vocab_vectors.npy"
NGRAMS_FILE = "ngrams.npy"
_ATTR_RE = re.compile(r"^[A-Za-z0-9_]{1,64}$")


class NgramBuckets(Sequence):
    """gensim's ``buckets_word`` (the n-gram buckets of each vocabulary word), computed
    when asked instead of for every word at load.

    ``whole`` lists the indices of words kept whole (no n-grams, as fastText's ``</s>``).
    """

    def __init__(self, words: list[str], min_n: int, max_n: int, bucket: int, whole=()):
        self._words, self._whole = words, frozenset(whole)
        self._args = (min_n, max_n, bucket)

    def __len__(self) -> int:
        return len(self._words)

    def __getitem__(self, i):
        from gensim.models.fasttext import ft_ngram_hashes

        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        i = range(len(self))[i]  # negative indices; IndexError past the end
        if i in self._whole or self._args[2] == 0:
            return np.array([], dtype=np.uint32)
        return np.array(ft_ngram_hashes(self._words[i], *self._args), dtype=np.uint32)


def _save(path: Path, array) -> None:
    np.save(path, np.ascontiguousarray(array), allow_pickle=False)


def write_vectors(kv, directory: Path) -> None:
    """Write ``kv`` (KeyedVectors or FastTextKeyedVectors) into ``directory``.

    Per-word attributes that are not plain numbers (object arrays) are left out: they
    would need pickling.
    """
    from gensim.models.fasttext import FastTextKeyedVectors, ft_ngram_hashes

    directory = Path(directory)
    words = list(kv.index_to_key)
    vectors = np.asarray(kv.vectors, dtype=np.float32)
    if vectors.ndim != 2 or vectors.shape[0] != len(words):
        raise ValueError(f"{len(words)} words but vectors of shape {vectors.shape}.")
    meta = {"format": FORMAT_VERSION, "kind": "keyedvectors", "count": len(words)}
    meta["dim"] = int(vectors.shape[1])
    _save(directory / VECTORS_NPY, vectors)
    write_norms_and_unit(vectors, directory)
    meta["attrs"] = []
    for attr, values in sorted(getattr(kv, "expandos", {}).items()):
        values = np.asarray(values)
        if _ATTR_RE.match(attr) and values.dtype != object and len(values) >= len(words):
            _save(directory / f"attr.{attr}.npy", values[: len(words)])
            meta["attrs"].append(attr)
    if isinstance(kv, FastTextKeyedVectors):
        n = (kv.min_n, kv.max_n, kv.bucket)
        meta.update(kind="fasttext", min_n=int(n[0]), max_n=int(n[1]), bucket=int(n[2]))
        _save(directory / OWN_VECTORS_FILE, np.asarray(kv.vectors_vocab, dtype=np.float32))
        _save(directory / NGRAMS_FILE, np.asarray(kv.vectors_ngrams, dtype=np.float32))
        buckets = getattr(kv, "buckets_word", None)
        meta["whole_words"] = (
            []
            if buckets is None or not kv.bucket
            else [
                i
                for i, b in enumerate(buckets)
                if len(b) == 0 and len(ft_ngram_hashes(words[i], *n))
            ]
        )
    write_words(words, directory)
    write_format(directory, meta)


NORM_BLOCK_ROWS = 65_536  # 75 MiB of 300-d rows at a time


def write_norms_and_unit(vectors: np.ndarray, directory: Path, tick=None) -> None:
    """Write ``norms.npy`` and ``unit.npy`` of ``vectors`` (float32, possibly mapped),
    a block of rows at a time, so the memory taken stays a block whatever the size.

    ``tick(rows_done, rows)`` is called after each block (progress, cancelling).
    """
    directory = Path(directory)
    rows = len(vectors)
    if rows == 0:  # an empty file cannot be mapped
        _save(directory / NORMS_FILE, np.zeros(0, dtype=np.float32))
        _save(directory / UNIT_FILE, np.zeros(vectors.shape, dtype=np.float32))
        return
    norms = np.lib.format.open_memmap(directory / NORMS_FILE, "w+", np.float32, (rows,))
    unit = np.lib.format.open_memmap(directory / UNIT_FILE, "w+", np.float32, vectors.shape)
    for start in range(0, rows, NORM_BLOCK_ROWS):
        block = np.asarray(vectors[start : start + NORM_BLOCK_ROWS], dtype=np.float32)
        norms[start : start + len(block)], unit[start : start + len(block)] = norms_and_unit(block)
        if tick is not None:
            tick(start + len(block), rows)
    for array in (norms, unit):
        array.flush()
    del norms, unit


def write_format(directory: Path, meta: dict) -> None:
    """Write ``format.json`` (``meta`` gets the current format version)."""
    meta = {"format": FORMAT_VERSION, **meta}
    (Path(directory) / FORMAT_FILE).write_text(json.dumps(meta, indent=1), encoding="utf-8")


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise ValueError(what)


def read_vectors(directory: Path, light: bool = False):
    """The vectors written by :func:`write_vectors`, on memory-mapped arrays.

    With ``light=True`` a plain word-vectors entry opens as a
    :class:`~.mapped.MappedVectors` (no gensim import); FastText entries always open as
    gensim's ``FastTextKeyedVectors``. An entry of format 2 gets its vocabulary
    converted to the blob files here (see :mod:`.store_vocab`).

    Raises
    ------
    FileNotFoundError
        A file is missing.
    ValueError
        The files are damaged or contradict each other (the message says how).
    """
    directory = Path(directory)
    meta = json.loads((directory / FORMAT_FILE).read_text(encoding="utf-8"))
    version = meta.get("format")
    _check(version in READABLE_FORMATS, f"unknown store format {version!r}")
    if has_words(directory):
        words, index = read_words(directory)
    else:
        try:
            words = convert_json_vocab(directory)
        except FileNotFoundError:
            if not has_words(directory):
                raise
            words = []  # another process converted the entry meanwhile
        if has_words(directory):
            _upgrade_format(directory, meta)
            words, index = read_words(directory)
        else:  # a read-only store: the JSON vocabulary as it is
            index = {word: i for i, word in enumerate(words)}
    vectors = map_array(directory / VECTORS_NPY)
    norms = map_array(directory / NORMS_FILE)
    count, dim = len(words), int(meta["dim"])
    _check(vectors.shape == (count, dim), f"{count} words but vectors of shape {vectors.shape}")
    _check(norms.shape == (count,), f"{count} words but {norms.shape} norms")
    if meta["kind"] == "fasttext":
        kv = _fasttext(directory, meta, words, vectors.shape)
    elif light:
        from .mapped import MappedVectors

        kv = MappedVectors(words, index, vectors, norms)
    else:
        from gensim.models import KeyedVectors

        kv = KeyedVectors(dim)
    kv.index_to_key = words
    kv.key_to_index = index
    kv.next_index = count
    kv.vectors, kv.norms = vectors, norms
    for attr in meta.get("attrs", []):
        _check(bool(_ATTR_RE.match(attr)), f"bad attribute name {attr!r}")
        kv.expandos[attr] = map_array(directory / f"attr.{attr}.npy")
        _check(kv.expandos[attr].shape[:1] == (count,), f"{attr} does not match the words")
    _attach_search(kv, directory)
    return kv


def _fasttext(directory: Path, meta: dict, words, shape):
    from gensim.models.fasttext import FastTextKeyedVectors

    dim = shape[1]
    kv = FastTextKeyedVectors(dim, meta["min_n"], meta["max_n"], meta["bucket"])
    kv.vectors_vocab = map_array(directory / OWN_VECTORS_FILE)
    kv.vectors_ngrams = map_array(directory / NGRAMS_FILE)
    _check(kv.vectors_vocab.shape == shape, "word rows do not match the vectors")
    _check(kv.vectors_ngrams.shape == (meta["bucket"], dim), "n-gram rows do not match")
    kv.buckets_word = NgramBuckets(
        words, meta["min_n"], meta["max_n"], meta["bucket"], meta.get("whole_words", ())
    )
    kv.vectors_vocab_lockf = np.ones(1, dtype=np.float32)
    kv.vectors_ngrams_lockf = np.ones(1, dtype=np.float32)
    return kv


def _upgrade_format(directory: Path, meta: dict) -> None:
    """Record in ``format.json`` that the entry now holds the blob vocabulary."""
    from .store_files import atomic_write_bytes

    meta = {**meta, "format": FORMAT_VERSION}
    data = json.dumps(meta, indent=1).encode("utf-8")
    try:
        atomic_write_bytes(directory / FORMAT_FILE, data, create_parent=False)
    except PermissionError:
        pass


def _attach_search(kv, directory: Path) -> None:
    """Search on the stored unit matrix (and neighbour index), when the entry has them.

    Entries written before ``unit.npy`` existed still work: search then builds the
    normalised matrix itself on first use.
    """
    if not (directory / UNIT_FILE).is_file():
        return
    unit = map_array(directory / UNIT_FILE)
    _check(unit.shape == kv.vectors.shape, "unit vectors do not match the vectors")
    index = None
    from .ann import INDEX_FILE, open_index

    if (directory / INDEX_FILE).is_file():
        index = open_index(directory / INDEX_FILE)
        _check(len(index) == len(unit), "the neighbour index does not match the vectors")
    attach_index(kv, unit=unit, ann=index)
