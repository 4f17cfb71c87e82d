"""The ``train`` subcommand: the contract scripts rely on."""

import json

import pytest

from embeddings.cli import main
from embeddings.corpus.bundled import LEE_BACKGROUND, gensim_data


def test_train_word2vec_prints_the_card_as_json(store, capsys):
    code = main(
        [
            "train",
            "--algo",
            "word2vec",
            "--corpus",
            str(gensim_data(LEE_BACKGROUND)),
            "--out",
            "lee-cli",
            "--epochs",
            "2",
            "--sg",
            "--min-count",
            "3",
            "--quiet",
            "--json",
            "--store",
            str(store.root),
        ]
    )
    card = json.loads(capsys.readouterr().out)
    assert code == 0 and card["name"] == "lee-cli" and card["algorithm"] == "word2vec"
    assert card["parameters"]["sg"] == 1 and card["parameters"]["epochs"] == 2
    assert store.exists("lee-cli")


def test_train_fasttext_with_subword_options(store, capsys):
    code = main(
        [
            "train",
            "--algo",
            "fasttext",
            "--corpus",
            "bundled:lee",
            "--out",
            "ft",
            "--epochs",
            "1",
            "--min-n",
            "2",
            "--max-n",
            "4",
            "--bucket",
            "5000",
            "--quiet",
            "--json",
            "--store",
            str(store.root),
        ]
    )
    card = json.loads(capsys.readouterr().out)
    assert code == 0 and card["has_subwords"] and card["parameters"]["bucket"] == 5000


@pytest.mark.parametrize(
    "args, message",
    [
        (["--corpus", "/no/such/file.txt", "--out", "x"], "Corpus file not found"),
        (["--corpus", "bundled:lee", "--out", "../evil"], "may not contain"),
        (["--corpus", "bundled:lee", "--out", "x", "--min-count", "10000000"], "No word occurs"),
        (["--corpus", "bundled:lee", "--out", "x", "--window", "0"], "window must be at least 1"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(store, capsys, args, message):
    code = main(["train", "--algo", "word2vec", "--quiet", "--store", str(store.root), *args])
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1
    assert store.names() == []


def test_unknown_algorithm_is_an_argument_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["train", "--algo", "bert", "--corpus", "x", "--out", "y"])
    assert exc.value.code == 2 and capsys.readouterr().err.count("\n") == 1
