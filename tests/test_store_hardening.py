"""The model store under damage, crashes and concurrent sessions: broken entries, corrupt
cards, vanished models, names taken meanwhile, leftovers of killed processes, modes."""

import os
import stat
import time

import numpy as np
import pytest

from embeddings.cli import main
from embeddings.errors import FormatError, InvalidNameError, ModelNotFoundError
from embeddings.vectors import store as store_module
from embeddings.vectors import store_moves
from embeddings.vectors.store import ModelCard, ModelStore, NameTakenError


def _save(store, kv, name, **kwargs):
    return store.save(kv, ModelCard(name=name, algorithm="word2vec"), **kwargs)


# -- broken entries --------------------------------------------------------------------
def test_a_folder_without_a_card_is_a_broken_entry_that_can_be_deleted(store, capsys):
    (store.root / "ghost").mkdir()
    (store.root / "ghost" / "vectors.kv").write_bytes(b"half a model")
    assert store.names() == [] and not store.exists("ghost")
    assert [name for name, _ in store.broken()] == ["ghost"]
    assert "no card.json" in store.broken()[0][1]
    assert main(["models", "delete", "ghost", "--json", "--store", str(store.root)]) == 0
    assert store.broken() == [] and list(store.root.iterdir()) == []


def test_the_name_of_a_broken_entry_can_be_used_again(store, lee_w2v):
    (store.root / "ghost").mkdir()
    card = _save(store, lee_w2v, "ghost")
    assert card.name == "ghost" and store.names() == ["ghost"] and store.broken() == []
    assert len(store.load("ghost")[0]) == len(lee_w2v)


def test_one_corrupt_card_does_not_break_the_listing(store, lee_w2v):
    _save(store, lee_w2v, "good")
    _save(store, lee_w2v, "bad")
    (store.path("bad") / "card.json").write_text('{"name": "bad", "algo', encoding="utf-8")
    assert store.names() == ["good"]
    assert [c.name for c in store.cards()] == ["good"]
    [(name, reason)] = store.broken()
    assert name == "bad" and "card.json is not valid JSON" in reason
    with pytest.raises(FormatError, match="Model 'bad' in the store is damaged"):
        store.load_card("bad")
    store.delete("bad")
    assert store.broken() == []


# -- races with other sessions ---------------------------------------------------------
def test_update_card_never_brings_back_a_deleted_model(store, lee_w2v, monkeypatch):
    card = _save(store, lee_w2v, "m")
    real_write = store_module.atomic_write_json

    def deleted_meanwhile(path, obj, *args, **kwargs):
        # Another session deletes the model between the check and the write.
        store.delete("m")
        return real_write(path, obj, *args, **kwargs)

    monkeypatch.setattr(store_module, "atomic_write_json", deleted_meanwhile)
    card.evaluation = {"score": 1.0}
    with pytest.raises(ModelNotFoundError, match="No model named 'm'"):
        store.update_card(card)
    assert not store.path("m").exists() and store.broken() == []


def test_update_card_of_a_deleted_model_is_refused(store, lee_w2v):
    card = _save(store, lee_w2v, "m")
    store.delete("m")
    with pytest.raises(ModelNotFoundError):
        store.update_card(card)
    assert list(store.root.iterdir()) == []


def test_a_rename_that_fails_half_way_leaves_the_model_as_it_was(store, lee_w2v, monkeypatch):
    _save(store, lee_w2v, "old")

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_moves, "atomic_write_json", disk_full)
    with pytest.raises(OSError):
        store.rename("old", "new")
    assert store.names() == ["old"] and store.load_card("old").name == "old"


def test_rename_onto_a_taken_name_is_refused_and_changes_nothing(store, lee_w2v):
    _save(store, lee_w2v, "a")
    _save(store, lee_w2v, "b")
    with pytest.raises(NameTakenError, match="'b' already exists") as caught:
        store.rename("a", "b")
    assert caught.value.suggestion == "b-2"
    assert store.load_card("a").name == "a" and store.load_card("b").name == "b"


def test_a_taken_name_suggests_a_free_one(store, lee_w2v):
    _save(store, lee_w2v, "m")
    with pytest.raises(NameTakenError) as caught:
        _save(store, lee_w2v, "m")
    assert isinstance(caught.value, InvalidNameError)
    assert caught.value.name == "m" and caught.value.suggestion == "m-2"
    assert "'m-2'" in str(caught.value)
    assert store.free_name("other") == "other"
    _save(store, lee_w2v, "m-2")
    assert store.free_name("m") == "m-3" and store.free_name("m-2") == "m-3"
    assert len(store.free_name("x" * 64)) == 64


def test_a_training_finished_after_another_session_took_its_name_is_kept(store, lee_w2v):
    from embeddings.corpus.sentences import prepare_documents
    from embeddings.train.trainer import store_result, train_and_store

    docs = ["the cat sat on the mat", "the dog sat on the log"] * 30
    corpus = prepare_documents(docs, "tiny", "simple", out_path=store.root.parent / "t.txt")

    def other_session_saves(event):
        if not store.exists("mine"):
            _save(store, lee_w2v, "mine")

    params = {"vector_size": 8, "min_count": 1, "epochs": 2, "workers": 1}
    with pytest.raises(NameTakenError, match="'mine' already exists") as caught:
        train_and_store(store, corpus, "word2vec", params, "mine", progress=other_session_saves)
    exc = caught.value
    assert exc.suggestion == "mine-2" and exc.result.kv.vector_size == 8
    store_result(store, exc.result, exc.suggestion)
    kv, card = store.load("mine-2")
    assert card.name == "mine-2" and kv.vector_size == 8
    np.testing.assert_array_equal(store.load_extra("mine-2", "syn1neg"), exc.result.syn1neg)
    assert len(store.load("mine")[0]) == len(lee_w2v)  # the other session's model is intact


# -- damaged and vanished entries ------------------------------------------------------
def test_a_truncated_vectors_file_is_a_format_error_naming_the_model(store, lee_w2v):
    _save(store, lee_w2v, "m")
    path = store.path("m") / "vectors.npy"
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(FormatError, match="Model 'm' in the store is damaged"):
        store.load("m")


def test_a_missing_vectors_file_is_a_broken_entry(store, lee_w2v):
    _save(store, lee_w2v, "m")
    for file in store.path("m").glob("vectors*"):
        file.unlink()
    assert store.names() == [] and "no vectors" in dict(store.broken())["m"]
    with pytest.raises(FormatError, match="Model 'm' in the store is damaged"):
        store.load("m")


def test_a_model_deleted_while_it_is_opened_is_not_found(store, lee_w2v):
    _save(store, lee_w2v, "m")
    read_card = store.load_card

    def card_then_deleted(name):
        card = read_card(name)
        store.delete(name)  # another session deletes it right after the card was read
        return card

    store.load_card = card_then_deleted
    with pytest.raises(ModelNotFoundError, match="'m' was deleted"):
        store.load("m")


def test_version_stamp_and_artefacts_of_a_deleted_model(store, lee_w2v):
    _save(store, lee_w2v, "m")
    store.delete("m")
    with pytest.raises(ModelNotFoundError, match="No model named 'm'"):
        store.vectors_mtime("m")
    with pytest.raises(ModelNotFoundError, match="No model named 'm'"):
        store.extra_path("m", "cache.npz")
    assert list(store.root.iterdir()) == []  # no folder brought back


# -- leftovers of killed processes -----------------------------------------------------
def test_opening_the_store_removes_leftovers_of_killed_processes(store, lee_w2v):
    _save(store, lee_w2v, "m")
    old = time.time() - 2 * 3600
    for name in (".tmp-killed-1234abcd", ".tmp-running-5678abcd", ".trash-m-90abcdef"):
        (store.root / name).mkdir()
        (store.root / name / "vectors.kv").write_bytes(b"x")
    os.utime(store.root / ".tmp-killed-1234abcd", (old, old))
    leftover = store.path("m") / ".card.json.abc123.tmp"
    leftover.write_text("{")
    os.utime(leftover, (old, old))
    ModelStore(store.root)
    assert sorted(p.name for p in store.root.iterdir()) == [".tmp-running-5678abcd", "m"]
    assert not leftover.exists() and store.names() == ["m"]


# -- privacy ---------------------------------------------------------------------------
@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_everything_in_the_store_is_private_to_its_owner(tmp_path, lee_w2v, umask):
    previous = os.umask(umask)
    try:
        store = ModelStore(tmp_path / "models")
        card = _save(store, lee_w2v, "m", extras={"syn1neg": np.ones(3, dtype=np.float32)})
        store.update_card(card)
        store.rename("m", "n")
        store_module.atomic_write_bytes(store.extra_path("n", "cache.npz"), b"cached")
    finally:
        os.umask(previous)
    modes = {}
    for parent, _dirs, files in os.walk(store.root):
        for entry in [parent] + [os.path.join(parent, f) for f in files]:
            modes[os.path.relpath(entry, store.root)] = stat.S_IMODE(os.stat(entry).st_mode)
    assert modes["."] == 0o700 and modes["n"] == 0o700 and modes["n/extra"] == 0o700
    assert modes["n/card.json"] == 0o600 and modes["n/extra/cache.npz"] == 0o600
    assert modes["n/extra/syn1neg.npy"] == 0o600
    assert {m for p, m in modes.items() if os.path.isdir(store.root / p)} == {0o700}
    assert {m for p, m in modes.items() if os.path.isfile(store.root / p)} == {0o600}
