"""The ``cooccur`` subcommand: the chapter's table exactly, JSON, CSV, clear errors."""

from __future__ import annotations

import csv
import json

import pytest

from embeddings.cli import main

ORDER = "I,like,enjoy,deep,learning,NLP,flying"
CHAPTER_TEXT = """count	I	like	enjoy	deep	learning	NLP	flying
I	0	2	1	0	0	0	0
like	2	0	0	1	0	1	0
enjoy	1	0	0	0	0	0	1
deep	0	1	0	0	1	0	0
learning	0	0	0	1	0	0	0
NLP	0	1	0	0	0	0	0
flying	0	0	1	0	0	0	0
"""


@pytest.fixture
def chapter(tmp_path, store):
    path = tmp_path / "chapter.txt"
    path.write_text("I like deep learning\nI like NLP\nI enjoy flying\n", "utf-8")
    return path


@pytest.mark.parametrize("tokenizer", ["simple", "whitespace"])
def test_prints_the_chapter_table(chapter, capsys, tokenizer):
    args = ["cooccur", str(chapter), "--window", "1", "--words", ORDER, "--weighting", "count"]
    code = main([*args, "--tokenizer", tokenizer, "--quiet"])
    assert code == 0
    assert capsys.readouterr().out == CHAPTER_TEXT


def test_json_and_csv(chapter, capsys, tmp_path):
    out = tmp_path / "table.csv"
    code = main(
        [
            "cooccur",
            str(chapter),
            "--window",
            "1",
            "--words",
            "I,like,NLP",
            "--json",
            "--quiet",
            "--csv",
            str(out),
        ]
    )
    result = json.loads(capsys.readouterr().out)
    assert code == 0
    assert result["words"] == ["I", "like", "NLP"]
    assert result["matrix"] == [[0, 2, 0], [2, 0, 1], [0, 1, 0]]
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows == [
        ["count", "I", "like", "NLP"],
        ["I", "0", "2", "0"],
        ["like", "2", "0", "1"],
        ["NLP", "0", "1", "0"],
    ]


def test_harmonic_and_ppmi(chapter, capsys):
    main(
        [
            "cooccur",
            str(chapter),
            "--window",
            "2",
            "--words",
            "I,deep",
            "--weighting",
            "harmonic",
            "--json",
            "--quiet",
        ]
    )
    assert json.loads(capsys.readouterr().out)["matrix"] == [[0, 0.5], [0.5, 0]]
    main(
        [
            "cooccur",
            str(chapter),
            "--window",
            "1",
            "--words",
            "I,like,NLP",
            "--weighting",
            "ppmi",
            "--json",
            "--quiet",
        ]
    )
    matrix = json.loads(capsys.readouterr().out)["matrix"]
    assert matrix[0][1] == pytest.approx(0.847298) and matrix[0][2] == 0


def test_unknown_word_is_one_line_exit_2(chapter, capsys):
    code = main(["cooccur", str(chapter), "--window", "1", "--words", "I,zebra", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "zebra" in err and err.count("\n") == 1


def test_missing_file_and_bad_window(tmp_path, capsys, store):
    code = main(["cooccur", str(tmp_path / "none.txt"), "--words", "a", "--quiet"])
    assert code == 2 and "not found" in capsys.readouterr().err
    code = main(["cooccur", str(tmp_path / "none.txt"), "--words", "a", "--window", "0"])
    assert code == 2 and "window" in capsys.readouterr().err
