"""The store's vocabulary files: words as one UTF-8 blob with offsets, read lazily.

A JSON list of 2,000,000 words takes about a second to parse and, with gensim's
``key_to_index`` dict, a few hundred megabytes private to every process. The store
keeps instead::

    words.bin          the words' UTF-8 bytes, one after another in index order
    words.offsets.npy  int64 (count + 1,): word i is words.bin[offsets[i]:offsets[i + 1]]
    words.order.npy    int32 or int64 (count,): the word ids sorted by their UTF-8 bytes

All three are memory-mapped. A big vocabulary (over :data:`LAZY_VOCAB_WORDS` words)
is seen through :class:`WordList` (``index_to_key``: decodes a word when asked) and
:class:`WordIndex` (``key_to_index``: a binary search over ``words.order.npy``, its
answers remembered), so opening a model reads none of it; a small one becomes a plain
list and dict, as fast as gensim's own.

Example
-------
>>> import tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> write_words(["the", "cat", "été"], folder)
>>> words, index = read_words(folder, lazy_above=0)
>>> words[2], index["cat"], "dog" in index, list(words)
('été', 1, False, ['the', 'cat', 'été'])
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np

from .store_arrays import map_array
from .store_files import atomic_write_bytes

WORDS_FILE = "words.bin"
OFFSETS_FILE = "words.offsets.npy"
ORDER_FILE = "words.order.npy"
JSON_VOCAB_FILE = "vocab.json"  # entries written before the blob format
WORD_FILES = (WORDS_FILE, OFFSETS_FILE, ORDER_FILE)
# Below this many words a list and a dict are built at load (tens of milliseconds) and
# every lookup is a dict lookup; above it lookups are binary searches on the mapped files.
LAZY_VOCAB_WORDS = 200_000
# Decoding the whole blob is done in slices of this many words (iteration, big slices).
_DECODE_BLOCK = 65_536


def _npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(array), allow_pickle=False)
    return buffer.getvalue()


def encode_words(words: Sequence[str]) -> tuple[bytes, np.ndarray, np.ndarray]:
    """``(blob, offsets, order)`` for ``words`` (see the module docstring)."""
    encoded = [w.encode("utf-8", "surrogatepass") for w in words]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    dtype = np.int32 if len(encoded) < 2**31 else np.int64
    order = np.array(sorted(range(len(encoded)), key=encoded.__getitem__), dtype=dtype)
    return b"".join(encoded), offsets, order


def write_words(words: Sequence[str], directory: Path) -> None:
    """Write the vocabulary files of ``words`` into ``directory`` (each atomically).

    The order file is written last: a reader that finds it finds the other two whole.
    """
    blob, offsets, order = encode_words(words)
    directory = Path(directory)
    atomic_write_bytes(directory / WORDS_FILE, blob, create_parent=False)
    atomic_write_bytes(directory / OFFSETS_FILE, _npy_bytes(offsets), create_parent=False)
    atomic_write_bytes(directory / ORDER_FILE, _npy_bytes(order), create_parent=False)


def has_words(directory: Path) -> bool:
    """Whether ``directory`` holds the blob vocabulary (all three files)."""
    return all((Path(directory) / name).is_file() for name in WORD_FILES)


def _map_bytes(path: Path) -> np.ndarray:
    """The bytes of ``path`` as a read-only uint8 array, mapped when it is not empty."""
    if path.stat().st_size == 0:
        return np.zeros(0, dtype=np.uint8)
    return np.memmap(path, dtype=np.uint8, mode="r")


class WordList(Sequence):
    """``index_to_key`` of a big vocabulary: word ``i`` is decoded when asked.

    Slices give lists; iteration decodes in blocks. Equal to a list of the same words.
    """

    def __init__(self, blob: np.ndarray, offsets: np.ndarray):
        self._blob, self._offsets = blob, offsets

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def _word(self, i: int) -> str:
        start, stop = int(self._offsets[i]), int(self._offsets[i + 1])
        return self._blob[start:stop].tobytes().decode("utf-8", "surrogatepass")

    def __getitem__(self, i):
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self))
            if step != 1:
                return [self._word(j) for j in range(start, stop, step)]
            return self._decode(start, stop) if stop > start else []
        i = range(len(self))[i]  # negative indices; IndexError past the end (ends for-loops)
        return self._word(i)

    def _decode(self, start: int, stop: int) -> list[str]:
        out: list[str] = []
        for lo in range(start, stop, _DECODE_BLOCK):
            hi = min(stop, lo + _DECODE_BLOCK)
            base = int(self._offsets[lo])
            cuts = (self._offsets[lo : hi + 1] - base).tolist()
            data = self._blob[base : int(self._offsets[hi])].tobytes()
            out.extend(
                data[a:b].decode("utf-8", "surrogatepass")
                for a, b in zip(cuts[:-1], cuts[1:], strict=True)
            )
        return out

    def __iter__(self) -> Iterator[str]:
        for lo in range(0, len(self), _DECODE_BLOCK):
            yield from self._decode(lo, min(len(self), lo + _DECODE_BLOCK))

    def __eq__(self, other) -> bool:
        if isinstance(other, WordList | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # a mutable-looking sequence, as list

    def __repr__(self) -> str:
        return f"WordList({len(self):,} words)"


class WordIndex(Mapping):
    """``key_to_index`` of a big vocabulary: a binary search over the sorted word ids.

    About twenty comparisons per new word; answers (hits and misses) are remembered, so
    a word looked up again costs a dict lookup. Read-only, as the store's models are.
    """

    def __init__(self, words: WordList, order: np.ndarray):
        self._words, self._order = words, order
        self._blob, self._offsets = words._blob, words._offsets
        self._seen: dict[str, int] = {}

    def _bytes(self, i: int) -> bytes:
        return self._blob[int(self._offsets[i]) : int(self._offsets[i + 1])].tobytes()

    def _find(self, word) -> int:
        found = self._seen.get(word)
        if found is not None:
            return found
        try:
            target = word.encode("utf-8", "surrogatepass")
        except AttributeError:  # not a str: gensim asks with ints too
            return -1
        lo, hi = 0, len(self._order)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._bytes(int(self._order[mid])) < target:
                lo = mid + 1
            else:
                hi = mid
        found = -1
        if lo < len(self._order):
            i = int(self._order[lo])
            if self._bytes(i) == target:
                found = i
        if len(self._seen) < 1_000_000:  # remembered, within a bound
            self._seen[word] = found
        return found

    def __getitem__(self, word) -> int:
        i = self._find(word)
        if i < 0:
            raise KeyError(word)
        return i

    def __contains__(self, word) -> bool:
        return self._find(word) >= 0

    def get(self, word, default=None):
        i = self._find(word)
        return default if i < 0 else i

    def __len__(self) -> int:
        return len(self._order)

    def __iter__(self) -> Iterator[str]:
        return iter(self._words)

    def __repr__(self) -> str:
        return f"WordIndex({len(self):,} words)"


def read_words(directory: Path, lazy_above: int | None = None):
    """``(index_to_key, key_to_index)`` from the blob files in ``directory``.

    Over ``lazy_above`` words (default :data:`LAZY_VOCAB_WORDS`) they are a
    :class:`WordList` and a :class:`WordIndex` on the mapped files; otherwise a list and
    a dict. Raises ValueError for files that contradict each other and
    FileNotFoundError for a missing one.
    """
    lazy_above = LAZY_VOCAB_WORDS if lazy_above is None else lazy_above
    directory = Path(directory)
    offsets = map_array(directory / OFFSETS_FILE)
    blob = _map_bytes(directory / WORDS_FILE)
    if offsets.ndim != 1 or len(offsets) < 1 or int(offsets[-1]) != len(blob):
        raise ValueError("the word offsets do not match words.bin")
    words = WordList(blob, offsets)
    if len(words) > lazy_above:
        order = map_array(directory / ORDER_FILE)
        if order.shape != (len(words),):
            raise ValueError(f"{len(words)} words but {order.shape} sorted ids")
        return words, WordIndex(words, order)
    plain = words[:]
    return plain, {w: i for i, w in enumerate(plain)}


def convert_json_vocab(directory: Path) -> list[str]:
    """Write the blob files for an entry that has ``vocab.json``; return its words.

    The JSON file is removed once the blob files are in place. When the entry cannot
    be written (a read-only store), the words are returned and the entry left as it is.
    """
    directory = Path(directory)
    words = json.loads((directory / JSON_VOCAB_FILE).read_text(encoding="utf-8"))
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise ValueError("vocab.json is not a list of words")
    try:
        write_words(words, directory)
        (directory / JSON_VOCAB_FILE).unlink(missing_ok=True)
    except PermissionError:
        pass
    except OSError as exc:
        if exc.errno not in (30, 28):  # EROFS, ENOSPC: keep the JSON vocabulary
            raise
    return words
