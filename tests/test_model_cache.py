"""The model cache: least recently used models go first once their private memory passes
the budget; a mapped model costs its vocabulary, not its vectors; a model dropped while
a session uses it keeps working there and is opened again for the next request."""

import threading

import numpy as np
import pytest

from embeddings.explore.query import neighbours
from embeddings.model_cache import ModelCache, model_cache_budget, private_bytes
from embeddings.vectors.store import ModelCard


def _blocks(*sizes):
    return {
        name: np.zeros(size, dtype=np.uint8) for name, size in zip("abcde", sizes, strict=False)
    }


def test_least_recently_used_models_are_evicted_first():
    arrays = _blocks(400, 300, 200, 250)
    opened = []
    cache = ModelCache(budget=1000)

    def get(key):
        return cache.get_or_open(key, lambda: opened.append(key) or arrays[key])

    get("a"), get("b"), get("c")  # 900 bytes: all kept
    assert cache.keys() == ["a", "b", "c"] and cache.total_bytes == 900
    get("a")  # used again: now the most recent
    assert cache.keys() == ["b", "c", "a"]
    get("d")  # 1,150 bytes: "b", the least recently used, goes
    assert cache.keys() == ["c", "a", "d"] and cache.total_bytes == 850
    assert cache.evictions == 1 and opened == ["a", "b", "c", "d"]
    get("b")  # opened again: 1,150 bytes, so "c" (now the least recently used) goes
    assert opened[-1] == "b" and cache.keys() == ["a", "d", "b"] and cache.total_bytes == 950


def test_a_model_bigger_than_the_budget_is_kept_alone():
    cache = ModelCache(budget=100)
    cache.get_or_open("small", lambda: np.zeros(50, dtype=np.uint8))
    cache.get_or_open("big", lambda: np.zeros(500, dtype=np.uint8))
    assert cache.keys() == ["big"] and cache.total_bytes == 500


def test_an_opener_that_fails_caches_nothing():
    cache = ModelCache(budget=100)

    def broken():
        raise OSError("gone")

    with pytest.raises(OSError):
        cache.get_or_open("x", broken)
    assert cache.keys() == [] and "x" not in cache


def test_two_sessions_asking_at_once_open_a_model_once():
    cache = ModelCache(budget=1 << 20)
    calls, started = [], threading.Event()

    def slow_open():
        calls.append(1)
        started.wait(2)
        return np.zeros(10)

    threads = [threading.Thread(target=cache.get_or_open, args=("m", slow_open)) for _ in range(4)]
    for t in threads:
        t.start()
    started.set()
    for t in threads:
        t.join()
    assert len(calls) == 1 and cache.keys() == ["m"]


def test_a_mapped_model_costs_its_vocabulary_not_its_vectors(store, lee_w2v):
    store.save(lee_w2v, ModelCard(name="m", algorithm="word2vec"))
    mapped, _ = store.load("m")
    cost = private_bytes(mapped)
    in_memory = private_bytes(lee_w2v)
    words = len(lee_w2v)
    assert 50 * words < cost < 300 * words  # list + dict of the words only
    assert in_memory > cost + lee_w2v.vectors.nbytes  # its vectors are its own


def test_an_evicted_model_in_use_keeps_working_and_is_reopened(store, lee_w2v, lee_fasttext):
    store.save(lee_w2v, ModelCard(name="w2v", algorithm="word2vec"))
    store.save(lee_fasttext, ModelCard(name="ft", algorithm="fasttext"))
    cache = ModelCache(budget=1)  # room for one model at a time

    def model(name):
        return cache.get_or_open((str(store.root), name), lambda: store.load(name))[0]

    in_use = model("w2v")  # a session holds it
    expected = neighbours(in_use, "police", topn=5)
    model("ft")
    assert cache.keys() == [(str(store.root), "ft")]  # w2v was dropped
    assert neighbours(in_use, "police", topn=5) == expected  # still answers
    again = model("w2v")  # the next request opens it again
    assert again is not in_use and neighbours(again, "police", topn=5) == expected


def test_the_budget_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("EMBEDDINGS_MODEL_CACHE", "3G")
    assert model_cache_budget() == 3 << 30
    monkeypatch.delenv("EMBEDDINGS_MODEL_CACHE")
    monkeypatch.setenv("EMBEDDINGS_MEMORY_BUDGET", "8G")
    assert model_cache_budget() == 4 << 30


def test_the_app_reopens_a_model_evicted_by_another_session(store_with_models, monkeypatch):
    from tests.conftest import run_page

    monkeypatch.setenv("EMBEDDINGS_MODEL_CACHE", "1")  # every model evicts the others
    at = run_page("app_pages/neighbours.py", active="lee-w2v")
    assert not at.exception
    first = [str(df.value) for df in at.dataframe]
    assert first  # the neighbours table is shown
    other = run_page("app_pages/neighbours.py", active="lee-ft")  # another session
    assert not other.exception
    from utils.state import model_cache

    assert [key[1] for key in model_cache().keys()] == ["lee-ft"]
    at.run()  # the first session's next run opens lee-w2v again
    assert not at.exception and [str(df.value) for df in at.dataframe] == first
    assert [key[1] for key in model_cache().keys()] == ["lee-w2v"]
