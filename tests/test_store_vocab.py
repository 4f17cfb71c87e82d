"""The store's blob vocabulary: lazy lookups equal a list and a dict, entries with
``vocab.json`` are converted on first load with identical answers, and the command line
answers a stored model's neighbours without importing gensim."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors

from embeddings.errors import UnknownWordError
from embeddings.explore.query import neighbours
from embeddings.vectors import store_vocab
from embeddings.vectors.mapped import MappedVectors
from embeddings.vectors.store import ModelCard
from embeddings.vectors.store_vocab import WordIndex, WordList, read_words, write_words

PROJECT = Path(__file__).resolve().parents[1]
WORDS = ["the", "été", "New York", "b", "a", "ab", "", "\U0001f600", "zz", "Ä"]


def test_lazy_words_equal_a_list_and_a_dict(tmp_path):
    write_words(WORDS, tmp_path)
    words, index = read_words(tmp_path, lazy_above=0)
    assert isinstance(words, WordList) and isinstance(index, WordIndex)
    assert words == WORDS and list(words) == WORDS and len(words) == 10
    assert words[1] == "été" and words[-1] == "Ä" and words[2:5] == ["New York", "b", "a"]
    assert words[::3] == WORDS[::3]
    with pytest.raises(IndexError):
        words[10]
    assert {w: index[w] for w in WORDS} == {w: i for i, w in enumerate(WORDS)}
    for missing in ("c", "aa", "th", "thee", "New", "zzz", "é"):
        assert missing not in index and index.get(missing, -1) == -1
        with pytest.raises(KeyError):
            index[missing]
    assert 3 not in index and index.get(None, -1) == -1  # gensim asks with ints too
    assert len(index) == 10 and list(index) == WORDS and dict(index.items())["zz"] == 8
    small_words, small_index = read_words(tmp_path)  # under the threshold: plain types
    assert small_words == WORDS and type(small_index) is dict and small_index["Ä"] == 9


def test_an_empty_vocabulary_reads_back(tmp_path):
    write_words([], tmp_path)
    assert read_words(tmp_path, lazy_above=0)[0] == []


def _as_format_2(path: Path) -> list[str]:
    """Rewrite a stored entry as the store wrote it before the blob vocabulary."""
    words = list(read_words(path)[0])
    (path / "vocab.json").write_text(json.dumps(words, ensure_ascii=False), encoding="utf-8")
    for name in store_vocab.WORD_FILES:
        (path / name).unlink()
    meta = json.loads((path / "format.json").read_text())
    (path / "format.json").write_text(json.dumps({**meta, "format": 2}))
    return words


@pytest.mark.parametrize("lazy", [False, True])
def test_a_vocab_json_entry_is_converted_on_first_load(store, lee_w2v, monkeypatch, lazy):
    if lazy:
        monkeypatch.setattr(store_vocab, "LAZY_VOCAB_WORDS", 100)
    store.save(lee_w2v, ModelCard(name="m", algorithm="word2vec"))
    before, _ = store.load("m")
    expected = {w: neighbours(before, w, topn=8).neighbours for w in ("police", "fire", "the")}
    words = _as_format_2(store.path("m"))
    kv, card = store.load("m")
    files = sorted(p.name for p in store.path("m").iterdir())
    assert "vocab.json" not in files and set(store_vocab.WORD_FILES) <= set(files)
    assert json.loads((store.path("m") / "format.json").read_text())["format"] == 3
    assert kv.index_to_key == words == lee_w2v.index_to_key and card.vocab_size == len(words)
    assert isinstance(kv.key_to_index, WordIndex) is lazy
    assert all(kv.key_to_index[w] == i for i, w in enumerate(words))
    for word, result in expected.items():
        assert neighbours(kv, word, topn=8).neighbours == result
    assert kv.most_similar("police", topn=5) == lee_w2v.most_similar("police", topn=5)
    again, _ = store.load("m")  # from the blob files now
    assert again.index_to_key == words


def test_a_light_load_answers_as_gensim(store, lee_w2v):
    store.save(lee_w2v, ModelCard(name="m", algorithm="word2vec"))
    kv, _ = store.load("m")
    light, card = store.load("m", light=True)
    assert isinstance(light, MappedVectors) and isinstance(kv, KeyedVectors)
    assert len(light) == len(kv) and "police" in light and "zzqq" not in light
    np.testing.assert_array_equal(light["police"], kv["police"])
    np.testing.assert_array_equal(light.get_vector("fire", norm=True), kv.get_vector("fire", True))
    assert light.get_vecattr("police", "count") == kv.get_vecattr("police", "count")
    for word in ("police", "fire", "the"):
        assert neighbours(light, word, topn=10) == neighbours(kv, word, topn=10)
    assert neighbours(light, ["police", "fire"], ["the"]) == neighbours(
        kv, ["police", "fire"], ["the"]
    )
    messages = []
    for model in (light, kv):
        with pytest.raises(UnknownWordError) as caught:
            neighbours(model, "Polic")
        messages.append(str(caught.value))
    assert messages[0] == messages[1] and "close matches: policy, police" in messages[0]


def test_a_fasttext_entry_opens_as_gensim_even_when_light(store, lee_fasttext):
    store.save(lee_fasttext, ModelCard(name="ft", algorithm="fasttext"))
    kv, _ = store.load("ft", light=True)
    np.testing.assert_array_equal(kv.get_vector("zzqq"), lee_fasttext.get_vector("zzqq"))


def test_the_command_line_answers_without_importing_gensim(store, lee_w2v):
    from embeddings.cli.common import open_model

    store.save(lee_w2v, ModelCard(name="m", algorithm="word2vec"))
    code = (
        "import io, json, sys, contextlib\n"
        "from embeddings.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    main(['neighbours', 'm', 'police', '--json', '--topn', '5'])\n"
        "print(json.dumps({'gensim': 'gensim' in sys.modules, 'rows': json.loads(out.getvalue())}))\n"
    )
    env = {**os.environ, "EMBEDDINGS_HOME": str(store.root)}
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["gensim"] is False
    kv, _ = open_model("m", store)
    expected = [{"word": w, "similarity": s} for w, s in lee_w2v.most_similar("police", topn=5)]
    assert [r["word"] for r in result["rows"]] == [r["word"] for r in expected]
    np.testing.assert_allclose(
        [r["similarity"] for r in result["rows"]],
        [r["similarity"] for r in expected],
        rtol=1e-5,
    )


def test_light_and_gensim_loads_answer_the_same_through_the_index(store, lee_w2v, capsys):
    from embeddings.cli import main
    from embeddings.vectors.search import vector_index
    from embeddings.vectors.store_index import build_model_index

    store.save(lee_w2v, ModelCard(name="m", algorithm="word2vec"))
    build_model_index(store, "m")
    light, _ = store.load("m", light=True)
    kv, _ = store.load("m")
    assert vector_index(light).ann is not None and vector_index(kv).ann is not None
    for word in lee_w2v.index_to_key[:100]:
        assert neighbours(light, word) == neighbours(kv, word)
        assert neighbours(light, word, exact=True) == neighbours(kv, word, exact=True)
    assert main(["neighbours", "m", "police", "--json", "--store", str(store.root)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows == [{"word": n.word, "similarity": n.similarity} for n in neighbours(kv, "police")]


def test_a_lazy_vocabulary_keeps_answering_after_its_model_is_replaced_or_deleted(
    store, lee_w2v, monkeypatch
):
    from embeddings.errors import ModelNotFoundError
    from embeddings.model_cache import private_bytes

    monkeypatch.setattr(store_vocab, "LAZY_VOCAB_WORDS", 100)
    store.save(lee_w2v, ModelCard(name="m", algorithm="word2vec"))
    kv, _ = store.load("m")
    assert isinstance(kv.index_to_key, WordList)
    assert private_bytes(kv) < 10_000  # nothing of the vocabulary is held privately
    expected = neighbours(kv, "police", topn=5)
    store.save(lee_w2v, ModelCard(name="m", algorithm="glove"), overwrite=True)
    store.delete("m")
    # The mapped files stay readable (the system keeps a deleted file while it is mapped).
    assert neighbours(kv, "police", topn=5) == expected
    assert kv.key_to_index["fire"] == lee_w2v.key_to_index["fire"]
    with pytest.raises(ModelNotFoundError, match="No model named 'm'"):
        store.load("m")
