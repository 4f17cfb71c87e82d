"""``python -m embeddings evaluate``: the JSON contract, gensim's numbers, cards, exit 2."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from gensim.models import KeyedVectors

from embeddings.cli import main
from embeddings.corpus.bundled import QUESTIONS_WORDS, SIMLEX999, WORDSIM353, gensim_data
from embeddings.evaluate.benchmarks import standard_benchmarks, stored_results
from tests.conftest import PROJECT


def _json(capsys, *argv):
    code = main(["evaluate", *argv, "--json", "--quiet"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.out.count("\n") == 1  # one JSON document
    return json.loads(captured.out)


def _error(capsys, *argv):
    code = main(["evaluate", *argv, "--quiet"])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    return captured.err


def test_contract_one_object_per_model_in_order(store_with_models, capsys):
    rows = _json(capsys, "lee-ft", "lee-w2v")
    assert [r["model"] for r in rows] == ["lee-ft", "lee-w2v"]
    for row in rows:
        assert set(row) == {"model", "wordsim353", "simlex999", "analogies"}
        for pairs in ("wordsim353", "simlex999"):
            assert set(row[pairs]) == {"spearman", "pearson", "oov_ratio"}
        a = row["analogies"]
        assert {"accuracy", "sections", "method", "restrict_vocab"} <= set(a)
        assert (a["method"], a["restrict_vocab"]) == ("add", 30_000)
        assert len(a["sections"]) == 14 and "capital-common-countries" in a["sections"]


def test_numbers_equal_gensim(store_with_models, lee_w2v, capsys):
    (row,) = _json(capsys, "lee-w2v")
    for key, name in (("wordsim353", WORDSIM353), ("simlex999", SIMLEX999)):
        pearson, spearman, oov = lee_w2v.evaluate_word_pairs(str(gensim_data(name)))
        assert row[key] == {"spearman": spearman[0], "pearson": pearson[0], "oov_ratio": oov}
    score, sections = lee_w2v.evaluate_word_analogies(
        str(gensim_data(QUESTIONS_WORDS)), restrict_vocab=30_000
    )
    assert row["analogies"]["accuracy"] == score
    for section in sections[:-1]:
        total = len(section["correct"]) + len(section["incorrect"])
        expected = len(section["correct"]) / total if total else 0.0
        assert row["analogies"]["sections"][section["section"]] == expected


def test_cosmul_and_restrict_vocab(store_with_models, capsys):
    (row,) = _json(capsys, "lee-w2v", "--method", "mul", "--restrict-vocab", "1000")
    assert (row["analogies"]["method"], row["analogies"]["restrict_vocab"]) == ("mul", 1000)
    (wide,) = _json(capsys, "lee-w2v", "--no-save")
    assert row["analogies"]["total"] < wide["analogies"]["total"]


def test_results_are_stored_in_the_card(store_with_models, capsys):
    _json(capsys, "lee-w2v", "--method", "mul")
    card = store_with_models.load_card("lee-w2v")
    stored = stored_results(card, standard_benchmarks(), "mul", 30_000)
    assert stored is not None and stored["analogies"]["method"] == "mul"
    assert stored_results(card, standard_benchmarks(), "add", 30_000) is None
    _json(capsys, "lee-ft", "--no-save")
    assert store_with_models.load_card("lee-ft").evaluation == {}


def test_a_vectors_file_and_user_benchmarks(store, tmp_path, capsys):
    kv = KeyedVectors(2, count=0)
    kv.add_vectors(["a", "b", "c", "d"], [[1, 0], [0, 1], [1, 1], [1, -1]])
    vectors = tmp_path / "tiny.txt"
    kv.save_word2vec_format(str(vectors))
    pairs = tmp_path / "mine.tsv"
    pairs.write_text("a\tb\t2\na\tc\t5\nb\td\t1\n", encoding="utf-8")
    analogies = tmp_path / "ko.txt"
    analogies.write_text(": 한국어\na b d c\n", encoding="utf-8")
    (row,) = _json(capsys, str(vectors), "--pairs", str(pairs), "--analogies", str(analogies))
    pearson = np.corrcoef([2, 5, 1], [0, 2**-0.5, -(2**-0.5)])[0, 1]
    assert row["mine"] == {"spearman": 1.0, "pearson": pytest.approx(pearson), "oov_ratio": 0.0}
    # b - a + d points away from every word but c, the only candidate left
    assert row["ko"]["sections"] == {"한국어": 1.0} and row["ko"]["total"] == 1
    assert row["wordsim353"]["spearman"] is None and "error" in row["wordsim353"]


def test_text_output_is_a_table(store_with_models, capsys):
    assert main(["evaluate", "lee-w2v", "--quiet", "--no-save"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:4] == ["model", "WS353", "rho", "SL999"]
    assert out[1].startswith("lee-w2v") and "3CosAdd" in out[2]


def test_bad_input_exits_2_with_one_line(store_with_models, tmp_path, capsys):
    assert "neither a model in the store" in _error(capsys, "no-such-model")
    assert "--restrict-vocab must be at least 1" in _error(
        capsys, "lee-w2v", "--restrict-vocab", "0"
    )
    junk = tmp_path / "junk.tsv"
    junk.write_text("nothing useful here\n", encoding="utf-8")
    assert "No word pairs found in junk.tsv" in _error(capsys, "lee-w2v", "--pairs", str(junk))
    assert "before any ': section' header" in _error(capsys, "lee-w2v", "--analogies", str(junk))
    assert "No benchmark file" in _error(capsys, "lee-w2v", "--pairs", str(tmp_path / "nope"))


def test_bad_method_is_an_argument_error_in_a_subprocess(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "embeddings", "evaluate", "x", "--method", "sub"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env={"EMBEDDINGS_HOME": str(tmp_path), "PATH": ""},
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "invalid choice: 'sub'" in proc.stderr
