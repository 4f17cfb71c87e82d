"""The corpus cache: owned by a model store, capped in bytes, least recently used first
out; the command line writes only into the store it is given, and nothing on failure."""

from __future__ import annotations

import os

import numpy as np
import pytest
from gensim.models import KeyedVectors

from embeddings.cli import main
from embeddings.corpus.cache import ENV_MAX_BYTES, CorpusCache
from embeddings.corpus.sentences import SentenceFile, prepare_documents
from embeddings.corpus.source import CorpusSource
from embeddings.corpus.sources import prepare_corpus
from embeddings.errors import CorpusError
from embeddings.vectors.store import ModelCard, ModelStore


def entry(cache: CorpusCache, name: str, size: int, used: float):
    """A cache entry of exactly ``size`` bytes (sentence file 80%, side files 10% each)."""
    cache.root.mkdir(parents=True, exist_ok=True)
    path = cache.root / name
    path.write_bytes(b"w\n" * (size * 8 // 20))
    for suffix in (".counts.json", ".meta.json"):
        path.with_name(path.name + suffix).write_bytes(b"x" * (size // 10))
    os.utime(path, (used, used))
    return path


def files(root) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_eviction_keeps_the_exact_byte_cap_and_removes_least_recently_used(tmp_path):
    cache = CorpusCache(tmp_path / "c", max_bytes=300)
    a = entry(cache, "a.txt", 100, used=1000)
    b = entry(cache, "b.txt", 100, used=2000)
    c = entry(cache, "c.txt", 100, used=3000)
    assert [e.bytes for e in cache.entries()] == [100, 100, 100]
    assert cache.evict() == [] and cache.size() == 300  # exactly at the cap: nothing goes
    cache.touch(a)  # a is used now, so b is the least recently used
    d = entry(cache, "d.txt", 100, used=4000)
    assert cache.evict(keep=[d]) == [b]
    assert [e.path for e in cache.entries()] == [c, d, a] and cache.size() == 300
    assert files(cache.root) == sorted(
        f"{n}.txt{s}" for n in "acd" for s in ("", ".counts.json", ".meta.json")
    )
    big = entry(cache, "big.txt", 500, used=5000)
    assert cache.evict(keep=[big]) == [c, d, a]  # the new entry stays, even over the cap
    assert [e.path for e in cache.entries()] == [big]


def test_leftovers_of_interrupted_writes_are_removed(tmp_path):
    cache = CorpusCache(tmp_path, max_bytes=10**9)
    stale = tmp_path / ".x.txt.abc.tmp"
    stale.write_text("half a file")
    os.utime(stale, (1000, 1000))
    fresh = tmp_path / ".y.txt.def.tmp"
    fresh.write_text("being written")
    orphan = tmp_path / "gone.txt.meta.json"
    orphan.write_text("{}")
    cache.evict()
    assert files(tmp_path) == [".y.txt.def.tmp"]


def test_prepare_evicts_beyond_the_cap_and_a_pass_marks_a_file_used(tmp_path):
    cache = CorpusCache(tmp_path / "c", max_bytes=0)
    first = prepare_documents(["a b c"], "first", "whitespace", cache=cache)
    os.utime(first.path, (1000, 1000))
    assert list(SentenceFile(first.path)) == [["a", "b", "c"]]
    assert first.path.stat().st_mtime > 1000  # reading is a use
    second = prepare_documents(["d e"], "second", "whitespace", cache=cache)
    assert [e.path for e in cache.entries()] == [second.path]
    with pytest.raises(CorpusError, match="is gone .* prepare the corpus again"):
        list(SentenceFile(first.path))


def test_prepare_needs_a_cache_or_a_path():
    with pytest.raises(TypeError, match="give out_path, or a cache"):
        prepare_corpus(CorpusSource.from_text("a b"), "simple")


def test_the_store_owns_its_cache_and_the_cap_comes_from_the_environment(tmp_path, monkeypatch):
    store = ModelStore(tmp_path / "models")
    monkeypatch.delenv(ENV_MAX_BYTES, raising=False)
    assert store.corpus_cache.root == store.root / ".corpora"
    assert store.corpus_cache.max_bytes == 2 << 30
    monkeypatch.setenv(ENV_MAX_BYTES, "12345")
    assert store.corpus_cache.max_bytes == 12345
    monkeypatch.setenv(ENV_MAX_BYTES, "2GB")
    with pytest.raises(CorpusError, match="not a whole number of bytes"):
        store.corpus_cache  # noqa: B018
    monkeypatch.delenv(ENV_MAX_BYTES)
    prepared = prepare_corpus(CorpusSource.from_bundled("lee"), cache=store.corpus_cache)
    again = prepare_corpus(CorpusSource.from_bundled("lee"), cache=store.corpus_cache)
    assert prepared.path == again.path == store.root / ".corpora" / "bundled-lee-simple.txt"
    assert store.names() == []  # the cache is not a model


TRAIN = ["train", "--algo", "word2vec", "--epochs", "1", "--min-count", "3", "--quiet", "--json"]


def test_train_writes_only_into_the_store_it_is_given(store, tmp_path, capsys):
    """``store`` is also $EMBEDDINGS_HOME: it must stay empty."""
    other = ModelStore(tmp_path / "other")
    corpus = tmp_path / "news.txt"
    corpus.write_text(
        "\n".join(d for d in list_lee()[:100]),
        encoding="utf-8",
    )
    for source, name in ((str(corpus), "from-file"), ("bundled:lee", "from-bundled")):
        code = main([*TRAIN, "--corpus", source, "--out", name, "--store", str(other.root)])
        assert code == 0, capsys.readouterr().err
    capsys.readouterr()
    assert files(store.root) == []
    assert other.names() == ["from-file", "from-bundled"]
    # The bundled corpus stays cached for the next run; the file's sentence file is gone.
    assert files(other.corpus_cache.root) == [
        "bundled-lee-simple.txt",
        "bundled-lee-simple.txt.counts.json",
        "bundled-lee-simple.txt.meta.json",
    ]
    code = main(
        [
            "cooccur",
            "bundled:lee",
            "--words",
            "fire,police",
            "--quiet",
            "--json",
            "--store",
            str(other.root),
        ]
    )
    assert code == 0 and files(store.root) == []


@pytest.mark.parametrize("source", ["file", "bundled:lee"])
def test_train_with_a_taken_name_fails_before_writing_anything(store, tmp_path, capsys, source):
    kv = KeyedVectors(2)
    kv.add_vectors(["a", "b"], np.eye(2, dtype=np.float32))
    store.save(kv, ModelCard(name="taken", algorithm="word2vec"))
    before = files(store.root)
    corpus = tmp_path / "c.txt"
    corpus.write_text("a b a b\n" * 10, encoding="utf-8")
    args = [*TRAIN, "--out", "taken", "--store", str(store.root)]
    code = main([*args, "--corpus", str(corpus) if source == "file" else source])
    err = capsys.readouterr().err
    assert code == 2 and "'taken' already exists" in err and err.count("\n") == 1
    assert files(store.root) == before and not (store.root / ".corpora").exists()


def list_lee() -> list[str]:
    from embeddings.corpus.sources import read_documents

    return list(read_documents(CorpusSource.from_bundled("lee")))
