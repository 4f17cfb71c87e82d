"""Two sessions training and saving at once never corrupt the store."""

import threading

import pytest

from embeddings.corpus.sentences import prepare_documents
from embeddings.errors import EmbeddingsError
from embeddings.train.trainer import train_and_store
from embeddings.vectors.store import ModelCard


@pytest.fixture
def tiny_corpus(store, tmp_path):
    docs = ["the cat sat on the mat", "the dog sat on the log", "a cat and a dog"] * 50
    return prepare_documents(docs, "tiny", "simple", out_path=tmp_path / "tiny.txt")


def _in_threads(*targets):
    errors = []

    def wrap(fn):
        try:
            fn()
        except EmbeddingsError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=wrap, args=(fn,)) for fn in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_two_trainings_with_different_names_both_land(store, tiny_corpus):
    params = {"epochs": 3, "min_count": 1, "workers": 1, "vector_size": 10}
    errors = _in_threads(
        lambda: train_and_store(store, tiny_corpus, "word2vec", dict(params), "first"),
        lambda: train_and_store(
            store, tiny_corpus, "fasttext", {**params, "bucket": 1000}, "second"
        ),
    )
    assert errors == []
    assert sorted(store.names()) == ["first", "second"]
    assert store.load("second")[1].has_subwords and not store.load("first")[1].has_subwords


def test_two_saves_of_one_name_keep_exactly_one_whole_model(store, lee_w2v):
    errors = _in_threads(
        *[
            lambda i=i: store.save(lee_w2v, ModelCard(name="same", algorithm=f"a{i}"))
            for i in range(4)
        ]
    )
    assert store.names() == ["same"]
    kv, card = store.load("same")
    assert len(kv) == len(lee_w2v) and card.algorithm in {"a0", "a1", "a2", "a3"}
    assert len(errors) == 3 and all(
        "already exists" in str(e) or "another session" in str(e) for e in errors
    )
    assert [p.name for p in store.root.iterdir()] == ["same"]  # no temporary left behind
