"""GloVe trainer: loss falls, shared contexts give close vectors, seeds reproduce,
KeyedVectors with counts."""

from __future__ import annotations

import numpy as np
import pytest

from embeddings.corpus.cooccurrence import count_cooccurrences
from embeddings.errors import Cancelled
from embeddings.progress import CancelToken
from embeddings.train.glove import GloVe, train_glove


def _synthetic_sentences(seed: int = 0) -> list[list[str]]:
    """'cat' and 'dog' appear in exactly the same contexts; 'car' in different ones."""
    rng = np.random.default_rng(seed)
    pets = ["feed", "pet", "walk", "brush", "adopt", "vet", "fur", "paws"]
    cars = ["drive", "park", "fuel", "engine", "wheel", "road", "garage", "brake"]
    sents = []
    for _ in range(400):
        for animal in ("cat", "dog"):
            sents.append([*rng.choice(pets, 2), animal, *rng.choice(pets, 2)])
        sents.append([*rng.choice(cars, 2), "car", *rng.choice(cars, 2)])
    return sents


@pytest.fixture(scope="module")
def synthetic_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("glove") / "sentences.txt"
    path.write_text("\n".join(" ".join(s) for s in _synthetic_sentences()) + "\n", "utf-8")
    return path


def test_words_sharing_contexts_end_up_close(synthetic_file):
    kv, history = train_glove(
        synthetic_file, vector_size=20, window=3, min_count=1, epochs=30, x_max=10, workers=1
    )
    assert kv.similarity("cat", "dog") > 0.8
    assert kv.similarity("cat", "dog") > kv.similarity("cat", "car") + 0.3
    assert len(history) == 30


def test_loss_decreases_and_history_shape(synthetic_file):
    events = []
    kv, history = train_glove(
        synthetic_file,
        vector_size=10,
        window=3,
        min_count=1,
        epochs=8,
        workers=2,
        progress=events.append,
    )
    losses = [h["loss"] for h in history]
    assert losses[-1] < losses[0] / 2
    assert all(b <= a * 1.05 for a, b in zip(losses, losses[1:], strict=False))
    assert set(history[0]) == {"epoch", "loss", "seconds", "entries_per_s"}
    epochs = [e for e in events if e.stage == "epoch"]
    assert [e.done for e in epochs] == list(range(1, 9)) and epochs[-1].total == 8
    assert "loss" in epochs[0].metrics and "entries_per_s" in epochs[0].metrics
    assert any(e.stage == "cooccur" for e in events)


def test_keyed_vectors_ordered_by_frequency_with_counts(synthetic_file):
    kv, _ = train_glove(synthetic_file, vector_size=8, window=2, min_count=1, epochs=2, workers=1)
    counts = [kv.get_vecattr(w, "count") for w in kv.index_to_key]
    assert counts == sorted(counts, reverse=True)
    assert kv.get_vecattr("car", "count") == 400
    assert kv.vectors.dtype == np.float32 and kv.vector_size == 8
    assert len(kv) == len(kv.vectors)


def test_seed_reproducible_with_one_worker(synthetic_file):
    a, _ = train_glove(
        synthetic_file, vector_size=8, window=2, min_count=1, epochs=3, workers=1, seed=7
    )
    b, _ = train_glove(
        synthetic_file, vector_size=8, window=2, min_count=1, epochs=3, workers=1, seed=7
    )
    c, _ = train_glove(
        synthetic_file, vector_size=8, window=2, min_count=1, epochs=3, workers=1, seed=8
    )
    assert np.array_equal(a.vectors, b.vectors)
    assert not np.array_equal(a.vectors, c.vectors)


def test_vectors_are_word_plus_context():
    co = count_cooccurrences(_synthetic_sentences()[:300], window=2)
    model = GloVe(vector_size=6, epochs=2, workers=1).fit(co)
    assert np.allclose(model.vectors_, model.word_vectors_ + model.context_vectors_)


def test_cancel_between_epochs(synthetic_file):
    token = CancelToken()

    def progress(event):
        if event.stage == "epoch" and event.done == 2:
            token.cancel()

    with pytest.raises(Cancelled):
        train_glove(
            synthetic_file,
            vector_size=4,
            min_count=1,
            epochs=5,
            workers=1,
            progress=progress,
            cancel=token,
        )
