"""Model comparison: exact overlap@k on hand-made vectors, Procrustes alignment."""

from __future__ import annotations

import numpy as np
import pytest
from gensim.models import KeyedVectors

from embeddings.errors import EmbeddingsError
from embeddings.explore.compare import ProcrustesAlignment, neighbour_overlap, shared_words

# Two clusters of words on the unit circle (degrees); no two distances tie.
ANGLES_A = {"w0": 0, "w1": 10, "w2": 25, "w3": 90, "w4": 100, "w5": 115}


def _circle(angles: dict[str, float], extra: dict[str, float] | None = None) -> KeyedVectors:
    angles = {**angles, **(extra or {})}
    rad = np.deg2rad(list(angles.values()))
    kv = KeyedVectors(2, count=0, dtype=np.float32)
    kv.add_vectors(list(angles), np.stack([np.cos(rad), np.sin(rad)], axis=1).astype(np.float32))
    return kv


def _random_like(kv) -> KeyedVectors:
    """Gaussian vectors for the same words: what agreement by chance looks like."""
    rng = np.random.default_rng(0)
    out = KeyedVectors(kv.vector_size, count=0, dtype=np.float32)
    out.add_vectors(kv.index_to_key, rng.standard_normal(kv.vectors.shape).astype(np.float32))
    return out


@pytest.fixture
def kv_a():
    return _circle(ANGLES_A, {"only-a": 200})


@pytest.fixture
def kv_b():
    # w0 moved next to w4; a word only B knows must not count
    return _circle({**ANGLES_A, "w0": 103}, {"only-b": 300})


def test_shared_words_keep_the_first_models_order(kv_a, kv_b):
    assert shared_words(kv_a, kv_b) == ["w0", "w1", "w2", "w3", "w4", "w5"]
    assert shared_words(kv_a, kv_b, limit=2) == ["w0", "w1"]


def test_overlap_exact_on_hand_made_vectors(kv_a, kv_b):
    ov = neighbour_overlap(kv_a, kv_b, k=2, sample=None)
    # w0 lost both neighbours (it now sits between w4 and w5); every other word lost one
    assert dict(zip(ov.words, ov.overlap.tolist(), strict=True)) == {
        "w0": 0.0,
        "w1": 0.5,
        "w2": 0.5,
        "w3": 0.5,
        "w4": 0.5,
        "w5": 0.5,
    }
    assert ov.mean_ == pytest.approx(2.5 / 6)
    assert ov.shared == 6
    assert ov.most_different(2) == ["w0", "w1"]
    assert ov.neighbours_of("w0") == (["w1", "w2"], ["w4", "w5"])
    assert ov.neighbours_of("w3") == (["w4", "w5"], ["w4", "w0"])
    hist = ov.histogram()
    assert hist["words"].tolist() == [1, 5, 0]
    assert hist["overlap@2"].tolist() == [0.0, 0.5, 1.0]
    table = ov.table()
    assert table.iloc[0]["word"] == "w0" and table.iloc[0]["neighbours B"] == "w4, w5"


def test_identical_and_rotated_models_overlap_fully(kv_a):
    rot = np.array([[0, -1], [1, 0]], dtype=np.float32)
    rotated = KeyedVectors(2, count=0, dtype=np.float32)
    rotated.add_vectors(kv_a.index_to_key, kv_a.vectors @ rot)
    ov = neighbour_overlap(kv_a, rotated, k=3, sample=None)
    assert ov.mean_ == 1.0 and ov.histogram()["words"].tolist() == [0, 0, 0, 7]


def test_overlap_sample_explicit_words_and_errors(kv_a, kv_b, lee_w2v):
    ov = neighbour_overlap(kv_a, kv_b, k=2, words=["w3", "w0"])
    assert ov.words == ["w3", "w0"] and ov.overlap.tolist() == [0.5, 0.0]
    with pytest.raises(EmbeddingsError, match="Not in both models: only-a"):
        neighbour_overlap(kv_a, kv_b, k=2, words=["only-a"])
    with pytest.raises(EmbeddingsError, match="share only 6 words"):
        neighbour_overlap(kv_a, kv_b, k=6)
    with pytest.raises(EmbeddingsError, match="k must be at least 1"):
        neighbour_overlap(kv_a, kv_b, k=0)
    sampled = neighbour_overlap(lee_w2v, lee_w2v, k=10, sample=50, seed=3)
    again = neighbour_overlap(lee_w2v, lee_w2v, k=10, sample=50, seed=3)
    assert len(sampled.words) == 50 and sampled.words == again.words
    assert sampled.mean_ == 1.0


def test_overlap_neighbours_match_gensim_within_shared_vocabulary(lee_w2v, lee_fasttext):
    ov = neighbour_overlap(lee_w2v, lee_fasttext, k=5, vocab_limit=None, words=["police"])
    shared = set(shared_words(lee_w2v, lee_fasttext))
    expected = [w for w, _ in lee_w2v.most_similar("police", topn=50) if w in shared][:5]
    assert ov.neighbours_a[0] == expected
    # trained on the same corpus, the models agree more than a random model does
    broad = neighbour_overlap(lee_w2v, lee_fasttext, k=10, sample=300)
    chance = neighbour_overlap(lee_w2v, _random_like(lee_w2v), k=10, sample=300)
    assert broad.mean_ > 2 * chance.mean_


def test_procrustes_recovers_a_rotation(kv_a):
    rng = np.random.default_rng(0)
    q, _ = np.linalg.qr(rng.standard_normal((2, 2)))
    rotated = KeyedVectors(2, count=0, dtype=np.float32)
    rotated.add_vectors(kv_a.index_to_key, (kv_a.vectors @ q).astype(np.float32))
    al = ProcrustesAlignment().fit(kv_a, rotated)
    assert np.allclose(al.rotation_, q.T, atol=1e-5)
    assert al.mean_cosine_ == pytest.approx(1.0, abs=1e-6)
    assert al.cosine("w3") == pytest.approx(1.0, abs=1e-6)
    assert al.neighbours_in_a("w4", topn=3)[0][0] == "w4"


def test_procrustes_finds_the_word_that_moved(kv_a, kv_b):
    al = ProcrustesAlignment(centre=False).fit(kv_a, kv_b)
    assert al.cosines_.iloc[-1]["word"] == "w0"
    assert al.cosine("w0") == pytest.approx(al.cosines_.iloc[-1]["cosine"])
    assert al.cosine("w0") < al.cosine("w2")
    with pytest.raises(EmbeddingsError, match="not in the vocabulary of model B"):
        al.cosine("only-a")


def test_procrustes_on_real_models_and_dimension_check(lee_w2v, lee_fasttext):
    al = ProcrustesAlignment(vocab_limit=2000).fit(lee_w2v, lee_fasttext)
    # a word outside the fitted 2,000 can still be compared
    outside = next(w for w in lee_w2v.index_to_key[2500:] if w in lee_fasttext.key_to_index)
    assert -1.0 <= al.cosine(outside) <= 1.0
    chance = ProcrustesAlignment(vocab_limit=2000).fit(lee_w2v, _random_like(lee_w2v))
    assert al.mean_cosine_ > 2 * chance.mean_cosine_
    small = KeyedVectors(3, count=0, dtype=np.float32)
    small.add_vectors(["a", "b"], np.eye(3, dtype=np.float32)[:2])
    with pytest.raises(EmbeddingsError, match="equal dimensions"):
        ProcrustesAlignment().fit(lee_w2v, small)


def test_procrustes_reports_its_steps_and_stops_when_cancelled(kv_a, kv_b):
    from embeddings.errors import Cancelled
    from embeddings.progress import CancelToken

    events = []
    ProcrustesAlignment().fit(kv_a, kv_b, progress=events.append)
    assert [(e.stage, e.done, e.total) for e in events] == [
        ("align", 0, 2),
        ("align", 1, 2),
        ("align", 2, 2),
    ]
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        ProcrustesAlignment().fit(kv_a, kv_b, cancel=cancel)


def test_memory_estimates_grow_with_the_shared_words(kv_a, lee_w2v):
    from embeddings.explore.compare import alignment_memory_estimate, overlap_memory_estimate

    n, d = len(lee_w2v), lee_w2v.vector_size
    assert alignment_memory_estimate(lee_w2v, lee_w2v, None) == (1 << 20) + 6 * n * d * 8
    assert alignment_memory_estimate(lee_w2v, lee_w2v, 100) == (1 << 20) + 6 * 100 * d * 8
    assert overlap_memory_estimate(lee_w2v, lee_w2v, 100) < overlap_memory_estimate(
        lee_w2v, lee_w2v, None
    )
