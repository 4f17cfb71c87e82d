"""The store's array format: round trips, memory maps, no unpickling, old entries converted."""

import json
import pickle

import numpy as np
import pytest

from embeddings.errors import FormatError, ModelNotFoundError
from embeddings.vectors.store import ModelCard, ModelStore


def _entry_files(store, name):
    return sorted(p.name for p in store.path(name).iterdir())


def _no_unpickling(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the store unpickled something")

    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)


def test_word2vec_round_trip_is_exact_and_mapped(store, lee_w2v, monkeypatch):
    store.save(lee_w2v, ModelCard(name="w2v", algorithm="word2vec"))
    assert _entry_files(store, "w2v") == [
        "attr.count.npy",
        "attr.sample_int.npy",
        "card.json",
        "format.json",
        "norms.npy",
        "unit.npy",
        "vectors.npy",
        "version",
        "words.bin",
        "words.offsets.npy",
        "words.order.npy",
    ]
    _no_unpickling(monkeypatch)
    kv, card = store.load("w2v")
    assert kv.index_to_key == lee_w2v.index_to_key and card.vocab_size == len(lee_w2v)
    np.testing.assert_array_equal(kv.vectors, lee_w2v.vectors)
    assert isinstance(kv.vectors, np.memmap) and not kv.vectors.flags.writeable
    assert isinstance(kv.norms, np.memmap) and isinstance(kv.expandos["count"], np.memmap)
    norms = kv.norms
    kv.fill_norms()
    assert kv.norms is norms  # nothing recomputed
    np.testing.assert_allclose(norms, np.linalg.norm(lee_w2v.vectors, axis=1), rtol=1e-6)
    assert kv.get_vecattr("police", "count") == lee_w2v.get_vecattr("police", "count")
    assert kv.most_similar("police", topn=5) == lee_w2v.most_similar("police", topn=5)


def test_fasttext_round_trip_composes_unknown_words_as_gensim(store, lee_fasttext, monkeypatch):
    from embeddings.explore.subwords import trained_buckets

    store.save(lee_fasttext, ModelCard(name="ft", algorithm="fasttext"))
    _no_unpickling(monkeypatch)
    kv, card = store.load("ft")
    assert card.has_subwords and (kv.min_n, kv.max_n, kv.bucket) == (3, 6, 20000)
    assert isinstance(kv.vectors_ngrams, np.memmap) and kv.vectors_ngrams.shape == (20000, 50)
    np.testing.assert_array_equal(kv.vectors, lee_fasttext.vectors)
    np.testing.assert_array_equal(kv.vectors_vocab, lee_fasttext.vectors_vocab)
    for word in ["unseenword", "policemen", "xq", "fire"]:
        np.testing.assert_array_equal(kv.get_vector(word), lee_fasttext.get_vector(word))
    for i in (0, 7, len(kv) - 1):
        np.testing.assert_array_equal(kv.buckets_word[i], lee_fasttext.buckets_word[i])
    np.testing.assert_array_equal(trained_buckets(kv), trained_buckets(lee_fasttext))


def test_a_word_kept_whole_stays_whole(store, lee_fasttext):
    from gensim.models.fasttext import FastTextKeyedVectors

    kv = FastTextKeyedVectors(50, 3, 6, 20000)
    kv.add_vectors(lee_fasttext.index_to_key, lee_fasttext.vectors)
    kv.vectors_vocab = lee_fasttext.vectors_vocab
    kv.vectors_ngrams = lee_fasttext.vectors_ngrams
    kv.recalc_char_ngram_buckets()
    kv.buckets_word[3] = np.array([], dtype=np.uint32)  # as fastText keeps "</s>"
    store.save(kv, ModelCard(name="ft", algorithm="fasttext"))
    assert json.loads((store.path("ft") / "format.json").read_text())["whole_words"] == [3]
    back, _ = store.load("ft")
    assert len(back.buckets_word[3]) == 0 and len(back.buckets_word[4]) > 0


def _old_entry(store, kv, name, algorithm):
    """An entry as the store wrote it before the array format (a gensim pickle)."""
    path = store.root / name
    path.mkdir()
    kv.save(str(path / "vectors.kv"))
    card = ModelCard(name=name, algorithm=algorithm, vector_size=50, vocab_size=len(kv))
    card.evaluation = {"kept": True}
    (path / "card.json").write_text(json.dumps(card.to_dict()), encoding="utf-8")
    (path / "extra").mkdir()
    np.save(path / "extra" / "syn1neg.npy", np.ones((2, 2), dtype=np.float32))
    return path


@pytest.mark.parametrize("which", ["lee_w2v", "lee_fasttext"])
def test_an_old_pickled_entry_is_converted_on_first_load(store, request, which):
    original = request.getfixturevalue(which)
    _old_entry(store, original, "old", "word2vec")
    assert store.names() == ["old"]
    kv, card = store.load("old")
    files = _entry_files(store, "old")
    assert "vectors.kv" not in files and "vectors.npy" in files and "format.json" in files
    assert isinstance(kv.vectors, np.memmap) and card.evaluation == {"kept": True}
    np.testing.assert_array_equal(kv.vectors, original.vectors)
    np.testing.assert_array_equal(
        kv.get_vector("unseenword" if "ft" in which else "fire"),
        original.get_vector("unseenword" if "ft" in which else "fire"),
    )
    np.testing.assert_array_equal(store.load_extra("old", "syn1neg"), np.ones((2, 2)))
    again, _ = store.load("old")  # now read from the arrays
    np.testing.assert_array_equal(again.vectors, original.vectors)


def test_a_model_deleted_or_replaced_while_mapped(store, lee_w2v):
    store.save(lee_w2v, ModelCard(name="m", algorithm="word2vec"))
    kv, _ = store.load("m")
    store.save(lee_w2v, ModelCard(name="m", algorithm="glove"), overwrite=True)
    store.delete("m")
    # The mapped files stay readable (the system keeps a deleted file while it is mapped).
    np.testing.assert_array_equal(kv.vectors, lee_w2v.vectors)
    assert kv.most_similar("police", topn=3) == lee_w2v.most_similar("police", topn=3)
    with pytest.raises(ModelNotFoundError, match="No model named 'm'"):
        store.load("m")


@pytest.mark.parametrize(
    "damage, message",
    [
        (
            lambda p: (p / "vectors.npy").write_bytes((p / "vectors.npy").read_bytes()[:500]),
            "cannot be read",
        ),
        (lambda p: (p / "norms.npy").unlink(), "a vectors file is missing"),
        (lambda p: (p / "words.bin").write_bytes(b"ab"), "offsets do not match words.bin"),
        (lambda p: (p / "format.json").write_text("{"), "cannot be read"),
    ],
)
def test_a_damaged_array_entry_is_a_format_error_naming_the_model(store, lee_w2v, damage, message):
    store.save(lee_w2v, ModelCard(name="m", algorithm="word2vec"))
    damage(store.path("m"))
    with pytest.raises(FormatError, match=f"Model 'm' in the store is damaged.*{message}"):
        store.load("m")


def test_another_process_opening_the_store_shares_the_format(store, lee_fasttext):
    store.save(lee_fasttext, ModelCard(name="ft", algorithm="fasttext"))
    kv, _ = ModelStore(store.root).load("ft")
    np.testing.assert_array_equal(kv.get_vector("zzqq"), lee_fasttext.get_vector("zzqq"))


def test_an_old_entry_in_a_full_store_still_loads(store, lee_w2v, monkeypatch):
    from embeddings.vectors import store_moves as store_module

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    _old_entry(store, lee_w2v, "old", "word2vec")
    monkeypatch.setattr(store_module, "write_converted_entry", disk_full)
    kv, _ = store.load("old")
    np.testing.assert_array_equal(kv.vectors, lee_w2v.vectors)
    assert "vectors.kv" in _entry_files(store, "old")
    assert [p.name for p in store.root.iterdir()] == ["old"]  # no temporary left


_READER = """
import hashlib, json, sys
from embeddings.vectors.store import ModelStore
kv, _ = ModelStore(sys.argv[1]).load("m")
maps = open("/proc/self/maps").read()
print(json.dumps({
    "vectors": hashlib.sha256(kv.vectors.tobytes()).hexdigest(),
    "words": kv.index_to_key[:50] + kv.index_to_key[-50:],
    "police": kv.most_similar("police", topn=5),
    "mapped": [name for name in ("vectors.npy", "unit.npy", "words.bin") if name in maps],
}))
sys.stdout.flush()
sys.stdin.readline()
"""


def test_two_processes_map_one_store_entry_and_read_it_identically(store, lee_w2v):
    import hashlib
    import subprocess
    import sys
    from pathlib import Path

    store.save(lee_w2v, ModelCard(name="m", algorithm="word2vec"))
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", _READER, str(store.root)],
            cwd=Path(__file__).resolve().parents[1],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    seen = [json.loads(proc.stdout.readline()) for proc in readers]  # both hold the maps
    for proc in readers:
        proc.communicate("\n", timeout=60)
    expected = {
        "vectors": hashlib.sha256(lee_w2v.vectors.tobytes()).hexdigest(),
        "words": lee_w2v.index_to_key[:50] + lee_w2v.index_to_key[-50:],
        "police": [list(pair) for pair in lee_w2v.most_similar("police", topn=5)],
        "mapped": ["vectors.npy", "unit.npy"],  # a small vocabulary is read, not kept mapped
    }
    assert seen == [expected, expected]
