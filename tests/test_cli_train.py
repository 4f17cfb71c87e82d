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


def _train(store, *args):
    return main(["train", "--quiet", "--store", str(store.root), "--out", "m", *args])


@pytest.mark.parametrize(
    "args, message",
    [
        (["--bucket", "1000000000"], "bucket must be at most 20,000,000 (got 1,000,000,000)"),
        (["--vector-size", "100000"], "vector_size must be at most 2,000"),
        (["--window", "1000"], "window must be at most 50"),
        (["--epochs", "5000"], "epochs must be at most 1,000"),
        (["--workers", "999"], "the machine's core count"),
    ],
)
def test_out_of_range_values_are_one_line_and_exit_2(store, capsys, args, message):
    for algo in ("fasttext", "glove") if "--bucket" not in args else ("fasttext",):
        code = _train(store, "--algo", algo, "--corpus", "bundled:lee", *args)
        err = capsys.readouterr().err
        assert code == 2 and message in err and err.count("\n") == 1, err
    assert store.names() == []


def test_a_training_past_the_memory_budget_is_refused_before_allocating(store, capsys, monkeypatch):
    """10M buckets x 1,000 dimensions would need 40 GB: refused with the estimate."""
    monkeypatch.setenv("EMBEDDINGS_MEMORY_BUDGET", "8G")
    args = ["--algo", "fasttext", "--corpus", "bundled:lee", "--bucket", "10000000"]
    code = _train(store, *args, "--vector-size", "1000")
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "needs about 37.3 GiB of memory; the budget is 8.0 GiB" in err
    assert store.names() == []


def test_fasttext_buckets_follow_the_corpus_unless_given(store, capsys):
    from embeddings.corpus.sources import prepare_bundled_corpus
    from embeddings.train.params import suggest_bucket

    common = ["--algo", "fasttext", "--corpus", "bundled:lee", "--epochs", "1", "--json"]
    assert _train(store, *common, "--min-count", "2") == 0
    card = json.loads(capsys.readouterr().out)
    words = prepare_bundled_corpus("lee", cache=store.corpus_cache).stats.vocab_size(2)
    assert card["vocab_size"] == words
    assert card["parameters"]["bucket"] == suggest_bucket(words) == 40_000
