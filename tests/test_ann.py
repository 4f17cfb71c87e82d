"""The approximate-neighbour index: recall against exact search, storage, cancel, damage."""

from __future__ import annotations

import numpy as np
import pytest

from embeddings.errors import Cancelled, FormatError
from embeddings.progress import CancelToken
from embeddings.vectors import ann


@pytest.fixture(scope="module")
def lee_unit(lee_w2v):
    from embeddings.vectors.search import vector_index

    return vector_index(lee_w2v).unit


def test_recall_is_perfect_when_every_word_is_a_candidate(lee_unit, monkeypatch):
    # With the whole vocabulary as candidates, exact re-ranking must equal exact search.
    index = ann.build_index(lee_unit, threads=1)
    monkeypatch.setattr(ann, "candidate_count", lambda k, size: size)
    assert ann.measure_recall(index, lee_unit, k=10, sample=200) == 1.0


def test_a_large_candidate_list_reranked_exactly_finds_nearly_everything(lee_unit, monkeypatch):
    index = ann.build_index(lee_unit, threads=1)
    monkeypatch.setattr(ann, "candidate_count", lambda k, size: 500)
    assert ann.measure_recall(index, lee_unit, k=10, sample=300) >= 0.995


def test_recall_at_default_settings_on_a_real_model(lee_unit):
    index = ann.build_index(lee_unit, threads=1)
    assert ann.measure_recall(index, lee_unit, k=10, sample=500) >= 0.95


def test_scores_are_exact_cosines_and_the_word_itself_is_excluded(lee_w2v, lee_unit):
    index = ann.build_index(lee_unit, threads=1)
    word = lee_w2v.key_to_index["fire"]
    ids, scores = ann.search(index, lee_unit, lee_unit[word], 5, exclude=(word,))
    assert word not in ids
    expected = lee_unit[ids] @ lee_unit[word]
    np.testing.assert_allclose(scores, expected, rtol=1e-6)
    assert list(scores) == sorted(scores, reverse=True)
    gensim = [w for w, _ in lee_w2v.most_similar("fire", topn=5)]
    assert [lee_w2v.index_to_key[i] for i in ids] == gensim


def test_restrict_keeps_only_frequent_words(lee_unit):
    index = ann.build_index(lee_unit, threads=1)
    ids, _ = ann.search(index, lee_unit, lee_unit[3], 10, exclude=(3,), restrict=300)
    assert len(ids) > 0 and all(i < 300 for i in ids)


def test_saved_index_maps_back_with_the_same_answers(lee_unit, tmp_path):
    index = ann.build_index(lee_unit, threads=1)
    size = ann.save_index(index, tmp_path / ann.INDEX_FILE)
    assert size == (tmp_path / ann.INDEX_FILE).stat().st_size > 0
    assert not list(tmp_path.glob(".*tmp"))
    mapped = ann.open_index(tmp_path / ann.INDEX_FILE)
    for word in (0, 17, 400):
        a, _ = ann.search(index, lee_unit, lee_unit[word], 10)
        b, _ = ann.search(mapped, lee_unit, lee_unit[word], 10)
        assert list(a) == list(b)


def test_progress_reports_every_batch_and_cancel_stops_the_build(lee_unit, monkeypatch):
    monkeypatch.setattr(ann, "BATCH", 500)
    events = []
    ann.build_index(lee_unit, progress=events.append)
    assert [e.done for e in events] == list(range(500, len(lee_unit), 500)) + [len(lee_unit)]
    assert events[-1].total == len(lee_unit)
    token = CancelToken()

    def cancel_after_first(event):
        token.cancel()

    with pytest.raises(Cancelled):
        ann.build_index(lee_unit, progress=cancel_after_first, cancel=token)


def test_a_damaged_index_file_is_a_clear_error(tmp_path):
    path = tmp_path / ann.INDEX_FILE
    path.write_bytes(b"not an index at all" * 10)
    with pytest.raises(FormatError, match="cannot be read|not a usearch index"):
        ann.open_index(path)


def test_neighbours_answer_the_same_with_and_without_the_index(lee_w2v):
    from gensim.models import KeyedVectors

    from embeddings.explore.query import neighbours
    from embeddings.vectors.search import attach_index, vector_index

    kv = KeyedVectors(lee_w2v.vector_size)
    kv.add_vectors(lee_w2v.index_to_key, lee_w2v.vectors)
    exact = {w: [n.word for n in neighbours(kv, w, topn=10)] for w in lee_w2v.index_to_key[:300]}
    unit = vector_index(kv).unit
    attach_index(kv, unit=unit, ann=ann.build_index(unit, threads=1))
    answers = {w: [n.word for n in neighbours(kv, w, topn=10)] for w in exact}
    found = sum(len(set(answers[w]) & set(expected)) for w, expected in exact.items())
    assert found >= 0.98 * 10 * len(exact)  # recall@10 over 300 words
    # Wherever the graph found the same ten words, the order is the exact one.
    for w, expected in exact.items():
        if set(answers[w]) == set(expected):
            assert answers[w] == expected
    for word in list(exact)[:50]:  # the exact switch bypasses the graph entirely
        assert [n.word for n in neighbours(kv, word, topn=10, exact=True)] == exact[word]


def test_a_stored_model_gets_its_index_from_the_command_line(store_with_models, capsys):
    import json

    from embeddings.cli import main
    from embeddings.explore.query import neighbours
    from embeddings.vectors.search import vector_index

    store = store_with_models
    kv, _ = store.load("lee-w2v")
    assert isinstance(vector_index(kv).unit, np.memmap)  # stored once, mapped, not rebuilt
    assert vector_index(kv).ann is None
    before = {w: [n.word for n in neighbours(kv, w)] for w in kv.index_to_key[:100]}
    assert main(["models", "index", "lee-w2v", "--store", str(store.root), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["words"] == len(kv) and info["recall_at_10"] >= 0.95
    assert store.load_card("lee-w2v").notes["index"]["recall_at_10"] == info["recall_at_10"]
    kv2, _ = store.load("lee-w2v")
    assert vector_index(kv2).ann is not None and len(vector_index(kv2).ann) == len(kv2)
    after = {w: [n.word for n in neighbours(kv2, w)] for w in before}
    found = sum(len(set(after[w]) & set(before[w])) for w in before)
    assert found >= 0.98 * 10 * len(before)
    assert all([n.word for n in neighbours(kv2, w, exact=True)] == before[w] for w in before)


def test_indexing_a_missing_model_is_a_clear_error(store, capsys):
    from embeddings.cli import main

    assert main(["models", "index", "nope", "--store", str(store.root)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "nope" in err[0]


def test_exact_search_over_a_big_matrix_equals_the_matrix_product():
    # From 50,000 rows the compiled one-pass kernel answers (see exact_kernel).
    from embeddings.vectors.search import KERNEL_FROM, VectorIndex

    rng = np.random.default_rng(3)
    unit = rng.standard_normal((KERNEL_FROM + 7, 32)).astype(np.float32)
    unit /= np.linalg.norm(unit, axis=1, keepdims=True)
    search = VectorIndex(None, unit=unit)
    for row in (0, 123, KERNEL_FROM + 6):
        ids, scores = search.top(unit[row], 10, exclude=(row,), exact=True)
        product = unit @ unit[row]
        product[row] = -np.inf
        expected = np.argsort(-product, kind="stable")[:10]
        assert ids.tolist() == expected.tolist()
        np.testing.assert_allclose(scores, product[expected], atol=1e-6)
    ids, _ = search.top(unit[5], 3, restrict=KERNEL_FROM - 1, exact=True)  # BLAS below
    assert ids[0] == 5 and ids.max() < KERNEL_FROM - 1


def test_exact_nearest_rows_in_small_batches_equal_a_full_sort(lee_unit):
    """The recall's ground truth (and a map's hover neighbours), whatever the batch:
    a full sort of each word's scores, the word itself left out."""
    from embeddings.vectors.exact_rows import nearest_rows

    rows = np.array([0, 5, 17, 400])
    scores = lee_unit[rows] @ lee_unit.T
    scores[np.arange(len(rows)), rows] = -np.inf
    columns = np.arange(len(lee_unit))
    expected = [np.lexsort((columns, -line))[:10].tolist() for line in scores]
    for per_batch in (1, 2 * len(lee_unit), 2**26):
        found = nearest_rows(lee_unit, rows, 10, scores_per_batch=per_batch)
        assert found.tolist() == expected


def test_recall_on_a_tiny_vocabulary_counts_the_neighbours_it_has():
    unit = np.eye(5, 3, dtype=np.float32) + 0.1
    unit /= np.linalg.norm(unit, axis=1, keepdims=True)
    index = ann.build_index(unit)
    assert ann.measure_recall(index, unit, k=10) == 1.0  # 4 neighbours a word, all found


def test_the_recall_measurement_reports_progress_and_can_be_cancelled(lee_unit):
    index = ann.build_index(lee_unit)
    events = []
    ann.measure_recall(index, lee_unit, sample=50, progress=events.append)
    assert {e.stage for e in events} == {"recall"} and events[-1].done == 50
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        ann.measure_recall(index, lee_unit, sample=50, cancel=token)
