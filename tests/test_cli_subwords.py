"""The subwords subcommand: the JSON contract, the reference's vector, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import gensim
import numpy as np
import pytest

from embeddings.cli import main

DATA = Path(gensim.__file__).parent / "test" / "test_data"


def _json(capsys, *argv):
    code = main([*argv, "--json", "--quiet"])
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)


def test_contract_on_a_stored_model(store_with_models, lee_fasttext, capsys):
    result = _json(capsys, "subwords", "lee-ft", "policemanship", "--topn", "5")
    assert set(result) == {"word", "in_vocab", "ngrams", "vector", "neighbours"}
    assert result["word"] == "policemanship" and result["in_vocab"] is False
    assert set(result["ngrams"][0]) == {"ngram", "bucket", "norm", "cosine"}
    assert [r["ngram"] for r in result["ngrams"]][:4] == ["<po", "<pol", "<poli", "<polic"]
    np.testing.assert_allclose(
        result["vector"], lee_fasttext.get_vector("policemanship"), atol=1e-6
    )
    expected = [w for w, _ in lee_fasttext.most_similar("policemanship", topn=5)]
    assert [n["word"] for n in result["neighbours"]] == expected


def test_vocabulary_word_lists_ngrams_without_its_own_row(store_with_models, lee_fasttext, capsys):
    result = _json(capsys, "subwords", "lee-ft", "police", "--topn", "0")
    assert result["in_vocab"] is True and result["neighbours"] == []
    assert len(result["ngrams"]) == sum(len("<police>") - n + 1 for n in range(3, 7))
    np.testing.assert_allclose(result["vector"], lee_fasttext["police"], atol=1e-6)


def test_facebook_bin_file_equals_the_reference(capsys, store):
    fasttext = pytest.importorskip("fasttext")
    path = DATA / "crime-and-punishment.bin"
    reference = fasttext.load_model(str(path))
    for word in ("сказал", "birthplace", "사과"):
        result = _json(capsys, "subwords", str(path), word, "--topn", "3")
        np.testing.assert_allclose(result["vector"], reference.get_word_vector(word), atol=1e-5)
        grams, _ = reference.get_subwords(word)
        if not result["in_vocab"]:
            assert [r["ngram"] for r in result["ngrams"]] == list(grams)


def test_word2vec_model_is_exit_2(store_with_models, capsys):
    assert main(["subwords", "lee-w2v", "police"]) == 2
    assert "not a FastText model" in capsys.readouterr().err


def test_text_output_lists_buckets(store_with_models, capsys):
    assert main(["subwords", "lee-ft", "apple", "--topn", "2", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("apple: ")
    assert "<ap" in out and "bucket" in out and "neighbours:" in out
