"""Listing the store parses each card once while it is unchanged, and still sees every
change: a card rewritten, broken, repaired, vectors gone."""

from __future__ import annotations

import numpy as np
import pytest
from gensim.models import KeyedVectors

from embeddings.vectors import store_listing
from embeddings.vectors.store import ModelCard, ModelStore
from embeddings.vectors.store_entry import CARD_FILE, VECTORS_FILE


@pytest.fixture
def two_models(tmp_path) -> ModelStore:
    store = ModelStore(tmp_path / "models")
    kv = KeyedVectors(2)
    kv.add_vectors(["cat", "dog"], np.eye(2, dtype=np.float32))
    store.save(kv, ModelCard(name="first", algorithm="word2vec"))
    store.save(kv, ModelCard(name="second", algorithm="glove"))
    return store


def test_unchanged_cards_are_parsed_once(two_models, monkeypatch):
    parsed = []
    real = store_listing.read_card

    def counting(path):
        parsed.append(path.name)
        return real(path)

    monkeypatch.setattr(store_listing, "read_card", counting)
    store_listing._CARD_VERDICTS.clear()
    for _ in range(5):
        assert two_models.names() == ["first", "second"]
        assert two_models.exists("second")
    assert sorted(parsed) == ["first", "second"]


def test_a_card_broken_and_repaired_is_seen_at_once(two_models):
    assert two_models.names() == ["first", "second"]
    card = two_models.path("first") / CARD_FILE
    good = card.read_text()
    card.write_text("{not json")
    assert two_models.names() == ["second"]
    assert not two_models.exists("first")
    assert [name for name, _ in two_models.broken()] == ["first"]
    card.write_text(good)
    assert two_models.names() == ["first", "second"]
    assert two_models.exists("first")


def test_an_entry_whose_vectors_are_gone_is_not_listed(two_models):
    assert two_models.exists("second")
    (two_models.path("second") / VECTORS_FILE).unlink()
    assert two_models.names() == ["first"]
    assert not two_models.exists("second")
    assert dict(two_models.broken()) == {"second": "no vectors file"}
