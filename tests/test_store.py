"""The model store: atomic saves, cards, names, rename and delete."""

import json

import numpy as np
import pytest

from embeddings.errors import FormatError, InvalidNameError, ModelNotFoundError
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

        @property
        def vectors(self):
            raise OSError("disk full")

    with pytest.raises(OSError):
        store.save(Broken(), ModelCard(name="broken", algorithm="word2vec"))
    assert store.names() == []
    assert list(store.root.iterdir()) == []


def test_extras_are_saved_with_the_vectors_and_mapped_back(store, lee_w2v):
    weights = np.arange(len(lee_w2v) * 3, dtype=np.float32).reshape(-1, 3)
    counts = np.array([5, 3, 1], dtype=np.int64)
    store.save(
        lee_w2v,
        ModelCard(name="m", algorithm="word2vec"),
        extras={"syn1neg": weights, "counts": counts},
    )
    back = store.load_extra("m", "syn1neg")
    assert isinstance(back, np.memmap) and not back.flags.writeable
    np.testing.assert_array_equal(back, weights)
    np.testing.assert_array_equal(store.load_extra("m", "counts"), counts)
    assert store.load_extra("m", "absent") is None


def test_an_extra_that_cannot_be_written_leaves_no_model(store, lee_w2v):
    # An object array would need pickling: refused, and the vectors are not kept without it.
    with pytest.raises(ValueError):
        store.save(
            lee_w2v,
            ModelCard(name="m", algorithm="word2vec"),
            extras={"syn1neg": np.array([object()], dtype=object)},
        )
    assert store.names() == [] and list(store.root.iterdir()) == []


def test_overwrite_drops_the_extras_of_the_replaced_vectors(store, lee_w2v):
    ones = np.ones(3, dtype=np.float32)
    store.save(lee_w2v, ModelCard(name="m", algorithm="word2vec"), extras={"syn1neg": ones})
    store.save(lee_w2v, ModelCard(name="m", algorithm="word2vec"), overwrite=True)
    assert store.load_extra("m", "syn1neg") is None


@pytest.mark.parametrize("keep", [0, 20, 100])
def test_a_truncated_extra_is_a_format_error_naming_the_model(store, lee_w2v, keep):
    store.save(
        lee_w2v,
        ModelCard(name="m", algorithm="word2vec"),
        extras={"syn1neg": np.ones((100, 10), dtype=np.float32)},
    )
    path = store.path("m") / "extra" / "syn1neg.npy"
    path.write_bytes(path.read_bytes()[:keep])
    with pytest.raises(FormatError, match="'syn1neg' kept with model 'm' is damaged"):
        store.load_extra("m", "syn1neg")


def test_extra_of_a_missing_model_or_with_a_bad_key_is_refused(store, lee_w2v):
    with pytest.raises(ModelNotFoundError, match="No model named 'nope'"):
        store.load_extra("nope", "syn1neg")
    with pytest.raises(InvalidNameError, match="Extra name"):
        store.save(lee_w2v, ModelCard(name="m", algorithm="word2vec"), extras={"../x": np.ones(2)})
    assert store.names() == []


def test_the_default_store_is_models_in_the_project(monkeypatch):
    from pathlib import Path

    from embeddings.vectors.store import default_store_root

    monkeypatch.delenv("EMBEDDINGS_HOME", raising=False)
    project = Path(__file__).resolve().parent.parent
    assert default_store_root() == project / "models"
