"""The model store: atomic saves, cards, names, rename and delete."""

import json

import pytest

from embeddings.errors import InvalidNameError, ModelNotFoundError
from embeddings.vectors.store import ModelCard, suggest_name, validate_name


def test_save_and_load_round_trip_keeps_vectors_and_card(store, lee_w2v):
    card = store.save(lee_w2v, ModelCard(name="lee", algorithm="word2vec", parameters={"sg": 0}))
    assert card.vocab_size == len(lee_w2v) and card.vector_size == 50 and not card.has_subwords
    kv, card2 = store.load("lee")
    assert kv.index_to_key == lee_w2v.index_to_key
    assert (kv.vectors == lee_w2v.vectors).all()
    assert card2.parameters == {"sg": 0}
    assert json.loads((store.path("lee") / "card.json").read_text())["name"] == "lee"


def test_fasttext_model_is_marked_with_subwords(store, lee_fasttext):
    card = store.save(lee_fasttext, ModelCard(name="ft", algorithm="fasttext"))
    assert card.has_subwords
    kv, _ = store.load("ft")
    assert kv.get_vector("unseenword").shape == (50,)


def test_existing_name_is_refused_unless_overwrite(store, lee_w2v):
    store.save(lee_w2v, ModelCard(name="a", algorithm="word2vec"))
    with pytest.raises(InvalidNameError, match="already exists"):
        store.save(lee_w2v, ModelCard(name="a", algorithm="word2vec"))
    store.save(lee_w2v, ModelCard(name="a", algorithm="glove"), overwrite=True)
    assert store.load_card("a").algorithm == "glove"
    assert store.names() == ["a"]


@pytest.mark.parametrize("bad", ["", "a/b", "..", "../x", "x" * 300, ".hidden", "a\\b"])
def test_bad_names_are_refused_with_a_reason(bad):
    with pytest.raises(InvalidNameError):
        validate_name(bad)


def test_names_of_any_script_are_allowed():
    assert validate_name("한국어-모델_1.0") == "한국어-모델_1.0"
    assert suggest_name("../../etc/passwd") == "etc-passwd"


def test_rename_and_delete(store, lee_w2v):
    store.save(lee_w2v, ModelCard(name="old", algorithm="word2vec"))
    store.rename("old", "new")
    assert store.names() == ["new"] and store.load_card("new").name == "new"
    store.delete("new")
    assert store.names() == []
    with pytest.raises(ModelNotFoundError, match="No model named 'new'"):
        store.load("new")


def test_failed_save_leaves_nothing_behind(store, lee_w2v):
    class Broken:
        vector_size = 3
        index_to_key = ["a"]

        def save(self, path):
            raise OSError("disk full")

    with pytest.raises(OSError):
        store.save(Broken(), ModelCard(name="broken", algorithm="word2vec"))
    assert store.names() == []
    assert list(store.root.iterdir()) == []
