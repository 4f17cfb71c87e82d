"""The query, info and models subcommands: the JSON contract, gensim's answers, exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import gensim
import pytest

from embeddings.cli import main

DATA = Path(gensim.__file__).parent / "test" / "test_data"


def _json(capsys, *argv):
    code = main([*argv, "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.count("\n") == 1  # one JSON document
    return json.loads(out)


def test_neighbours_contract_equals_most_similar(store_with_models, lee_w2v, capsys):
    rows = _json(capsys, "neighbours", "lee-w2v", "police", "--topn", "5")
    assert [r["word"] for r in rows] == [w for w, _ in lee_w2v.most_similar("police", topn=5)]
    assert set(rows[0]) == {"word", "similarity"}


def test_similarity_and_analogy_contract(store_with_models, lee_w2v, capsys):
    result = _json(capsys, "similarity", "lee-w2v", "police", "fire")
    assert result["similarity"] == pytest.approx(
        float(lee_w2v.similarity("police", "fire")), abs=1e-6
    )
    rows = _json(capsys, "analogy", "lee-w2v", "police", "officers", "fire", "--topn", "3")
    expected = lee_w2v.most_similar(positive=["officers", "fire"], negative=["police"], topn=3)
    assert [r["word"] for r in rows] == [w for w, _ in expected]
    assert set(rows[0]) == {"word", "score"}
    rows = _json(capsys, "analogy", "lee-w2v", "police", "officers", "fire", "--method", "mul")
    expected = lee_w2v.most_similar_cosmul(positive=["officers", "fire"], negative=["police"])
    assert [r["word"] for r in rows] == [w for w, _ in expected]


def test_model_may_be_a_file_in_any_format(store, capsys):
    from gensim.models import KeyedVectors

    ref = KeyedVectors.load_word2vec_format(str(DATA / "euclidean_vectors.bin"), binary=True)
    word = ref.index_to_key[3]
    rows = _json(capsys, "neighbours", str(DATA / "euclidean_vectors.bin"), word, "--quiet")
    assert [r["word"] for r in rows] == [w for w, _ in ref.most_similar(word)]


def test_info_contract(store_with_models, capsys):
    info = _json(capsys, "info", "lee-ft")
    assert info["name"] == "lee-ft" and info["algorithm"] == "fasttext"
    assert info["has_subwords"] is True and info["vector_size"] == 50
    assert info["vocab_size"] > 1000 and info["subwords"]["min_n"] == 3
    assert _json(capsys, "info", "lee-w2v")["has_subwords"] is False


def test_fasttext_unknown_word_is_answered_and_noted(store_with_models, capsys):
    code = main(["neighbours", "lee-ft", "policemanship", "--json"])
    captured = capsys.readouterr()
    assert code == 0 and len(json.loads(captured.out)) == 10
    assert "out of vocabulary" in captured.err


def test_odd_one_out_and_compare(store_with_models, lee_w2v, capsys):
    words = ["police", "officers", "fire", "water"]
    assert _json(capsys, "odd-one-out", "lee-w2v", *words)["odd_one_out"] == lee_w2v.doesnt_match(
        words
    )
    result = _json(capsys, "compare", "lee-w2v", "lee-ft", "police", "--topn", "5")
    assert result["models"] == ["lee-w2v", "lee-ft"] and len(result["left"]) == 5
    assert 0 <= result["jaccard"] <= 1


def test_models_import_list_rename_delete(store, capsys):
    card = _json(
        capsys, "models", "import", str(DATA / "test_glove.txt"), "--name", "glove-small", "--quiet"
    )
    assert card["vocab_size"] == 76 and card["notes"]["format"] == "glove-text"
    assert [m["name"] for m in _json(capsys, "models", "list")] == ["glove-small"]
    _json(capsys, "models", "rename", "glove-small", "glove-tiny")
    assert _json(capsys, "models", "delete", "glove-tiny") == {"deleted": "glove-tiny"}
    assert _json(capsys, "models", "list") == []


@pytest.mark.parametrize(
    "argv, message",
    [
        (["neighbours", "lee-w2v", "goverment"], "close matches: government"),
        (["neighbours", "no-such-model", "police"], "neither a model in the store"),
        (["neighbours", "lee-w2v", "police", "--topn", "0"], "must be at least 1"),
        (["similarity", "lee-w2v", "police"], "required"),
        (["analogy", "lee-w2v", "a", "b", "c", "--method", "sub"], "invalid choice"),
        (["odd-one-out", "lee-w2v", "police", "fire"], "at least three"),
        (["models", "delete", "nope"], "No model named 'nope'"),
        (["models", "import", "/nonexistent.vec"], "not a file"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(store_with_models, capsys, argv, message):
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse errors
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_pickle_given_as_model_is_refused_in_a_subprocess(store, tmp_path):
    import pickle

    marker = tmp_path / "ran"

    class Exploit:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    path = tmp_path / "model.kv"
    path.write_bytes(pickle.dumps(Exploit()))
    proc = subprocess.run(
        [sys.executable, "-m", "embeddings", "info", str(path), "--json"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
        check=False,
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert "never unpickles" in proc.stderr and "Traceback" not in proc.stderr
    assert not marker.exists()
