"""A streamed import writes the same entry as loading the file and saving it: the same
arrays byte for byte, words, notes and warnings; ``limit`` keeps the first words; the
memory budget counts the words only; a failed import leaves nothing behind."""

import gzip
from pathlib import Path

import gensim
import numpy as np
import pytest

from embeddings.errors import FormatError, ResourceLimitError
from embeddings.progress import Progress
from embeddings.vectors.importing import import_vectors
from embeddings.vectors.loading import load_vectors
from embeddings.vectors.store import ModelStore, NameTakenError

DATA = Path(gensim.__file__).parent / "test" / "test_data"
ARRAYS = ("vectors.npy", "norms.npy", "unit.npy", "words.bin", "words.offsets.npy")


def _same_entry(store: ModelStore, a: str, b: str) -> None:
    for name in (*ARRAYS, "words.order.npy", "format.json"):
        assert (store.path(a) / name).read_bytes() == (store.path(b) / name).read_bytes(), name
    card_a, card_b = store.load_card(a), store.load_card(b)
    assert card_a.notes == card_b.notes and card_a.vocab_size == card_b.vocab_size
    assert (card_a.vector_size, card_a.source) == (card_b.vector_size, card_b.source)


def _messy_text(path: Path) -> Path:
    lines = ["6 3", "a 1 2 3", "b 0 0 0", "a 9 9 9", "c -1 2.5 3", "\xe9t\xe9 1 1 1", "d 1e3 2 3"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "source",
    ["pretrained.vec", "euclidean_vectors.bin", "test_glove.txt", "messy"],
)
@pytest.mark.parametrize("limit", [None, 3])
def test_a_streamed_import_equals_load_and_save(store, tmp_path, source, limit):
    path = _messy_text(tmp_path / "messy.txt") if source == "messy" else DATA / source
    kv, card = load_vectors(path, name="saved", limit=limit)
    store.save(kv, card)
    events = []
    streamed = import_vectors(path, store, name="streamed", limit=limit, progress=events.append)
    card.name = "streamed"
    _same_entry(store, "saved", "streamed")
    whole = len(load_vectors(path)[0])
    assert streamed.vocab_size == len(kv) == min(limit or whole, whole)
    # one pass: the unit vectors are written with the rows, never read back
    assert {e.stage for e in events if isinstance(e, Progress)} == {"load"}
    assert events[-1].message.startswith("stored ")
    loaded, _ = store.load("streamed")
    assert loaded.index_to_key == kv.index_to_key
    np.testing.assert_array_equal(loaded.vectors, kv.vectors)


def test_a_compressed_file_of_unknown_length_streams_too(store, tmp_path):
    packed = tmp_path / "pretrained.vec.gz"
    packed.write_bytes(gzip.compress((DATA / "pretrained.vec").read_bytes()))
    store.save(*load_vectors(packed, name="saved"))
    import_vectors(packed, store, name="streamed")
    _same_entry(store, "saved", "streamed")


def test_the_budget_counts_words_not_vectors(store, tmp_path, monkeypatch):
    # 2,000 rows of 300 floats: 2.4 MB of vectors, about 0.35 MB of words
    path = tmp_path / "wide.bin"
    rng = np.random.default_rng(0)
    with open(path, "wb") as fh:
        fh.write(b"2000 300\n")
        for i in range(2000):
            fh.write(f"w{i} ".encode() + rng.standard_normal(300).astype("<f4").tobytes() + b"\n")
    monkeypatch.setenv("EMBEDDINGS_MEMORY_BUDGET", "1M")
    with pytest.raises(ResourceLimitError):
        load_vectors(path)  # in memory: the vectors count
    card = import_vectors(path, store, name="wide")
    assert card.vocab_size == 2000 and store.load("wide")[0].vectors.shape == (2000, 300)


def test_a_failed_import_leaves_nothing(store, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("2 3\na 1 2 3\nb 1 x 3\n")
    with pytest.raises(FormatError, match="line 3"):
        import_vectors(bad, store, name="bad")
    assert list(store.root.iterdir()) == []


def test_a_taken_name_is_refused_before_reading(store, tmp_path):
    import_vectors(DATA / "pretrained.vec", store, name="m")
    with pytest.raises(NameTakenError):
        import_vectors(DATA / "pretrained.vec", store, name="m")
    card = import_vectors(DATA / "test_glove.txt", store, name="m", overwrite=True)
    assert store.load_card("m").notes["format"] == "glove-text" == card.notes["format"]


@pytest.mark.parametrize("limit", [None, 3, 100])
@pytest.mark.parametrize(
    "blocks, clean",
    [
        ([[b"the", b"cat"], [b"sat", b"on"]], 2),  # clean blocks: the one-call path
        ([[b"the", b"cat"], [b"the", b"dog"]], 1),  # a word repeated from an earlier block
        ([[b"a", b"a"]], 0),  # repeated within a block
        ([[b"x", b"  "], [b"caf\xc3\xa9", b"caf\xe9"]], 0),  # blank; broken UTF-8
        ([[b"line\nbreak", b"y"]], 0),  # a word holding a newline
        ([[b"ok"], [b"w" * 1001]], 1),  # a word too long: the row-by-row path names it
    ],
)
def test_clean_blocks_and_row_by_row_blocks_collect_the_same(blocks, clean, limit, monkeypatch):
    """The collector's one-call path for clean blocks gives what the row-by-row path
    gives: words, order, index, counts, or the same error; it takes the clean blocks."""
    from embeddings.vectors.row_collector import RowCollector

    def collect(fast: bool):
        collector = RowCollector("test", 2, "utf-8", limit=limit)
        taken = []
        add_clean = collector._add_clean

        def spy(raw):
            taken.append(add_clean(raw) if fast else False)
            return taken[-1]

        monkeypatch.setattr(collector, "_add_clean", spy)
        line = 1
        try:
            for block in blocks:
                vectors = np.arange(2 * len(block), dtype=np.float32).reshape(-1, 2) + line
                collector.add(block, vectors, line)
                line += len(block)
            vectors, words = collector.finish()
        except FormatError as exc:
            return str(exc), sum(taken)
        state = (collector.rows_read, collector.word_bytes, dict(collector.index))
        return (words, vectors.tolist(), collector.notes(), collector.warnings, state), sum(taken)

    fast, taken = collect(fast=True)
    assert fast == collect(fast=False)[0]
    # with a limit of 3 only a first block of two fits whole: the rest go row by row
    within_limit = limit is None or limit >= sum(map(len, blocks))
    assert taken == (clean if within_limit else min(clean, 1))
