"""The hyper-parameter table: one source for the dataclasses, the CLI flags, the Train
page's widgets and the GloVe class; its bounds; the bucket and min_count suggestions."""

import dataclasses
import inspect
import os
from collections import Counter

import pytest

from embeddings.cli import build_parser
from embeddings.cli.train import params_from
from embeddings.errors import TrainingError
from embeddings.train.glove import GloVe, train_glove
from embeddings.train.params import (
    ALGORITHMS,
    PARAMS,
    SPECS,
    defaults,
    make_params,
    specs_for,
    suggest_bucket,
    suggest_min_count,
)


def _train_parser():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sub.choices["train"]


def _parse(*flags, algo="word2vec"):
    return build_parser().parse_args(
        ["train", "--algo", algo, "--corpus", "c.txt", "--out", "m", *flags]
    )


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_dataclass_fields_and_defaults_are_the_table(algorithm):
    fields = dataclasses.fields(PARAMS[algorithm])
    assert [f.name for f in fields] == [s.name for s in specs_for(algorithm)]
    built = dataclasses.asdict(PARAMS[algorithm]())
    assert built == defaults(algorithm)
    assert built["workers"] == (os.cpu_count() or 1)
    assert defaults("glove")["window"] == 10 and defaults("word2vec")["window"] == 5


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_cli_without_flags_gives_the_table_defaults(algorithm):
    given = params_from(_parse(algo=algorithm))
    assert make_params(algorithm, **given) == PARAMS[algorithm]()


def test_every_flagged_spec_is_a_cli_flag_with_its_type_and_bounds_in_the_help():
    options = {a.option_strings[0]: a for a in _train_parser()._actions if a.option_strings}
    for spec in SPECS:
        if spec.flag is None:
            continue
        action = options[spec.flag]
        if spec.choices is not None:
            assert action.const is True and action.default is False  # store_true switch
            continue
        assert action.type is spec.type and action.default is None
        if spec.upper is not None:
            assert f"{spec.upper:,}" in action.help or f"{spec.upper:g}" in action.help
    flags = {s.flag for s in SPECS if s.flag}
    assert {"--vector-size", "--window", "--min-count", "--sg", "--hs", "--negative"} <= flags
    assert {"--sample", "--epochs", "--workers", "--seed", "--min-n", "--max-n"} <= flags
    assert {"--bucket", "--x-max", "--alpha", "--learning-rate"} <= flags


def test_cli_flags_reach_the_parameters():
    args = _parse("--sg", "--window", "7", "--bucket", "5000", "--min-n", "2", algo="fasttext")
    params = make_params("fasttext", **params_from(args))
    assert (params.sg, params.window, params.bucket, params.min_n) == (1, 7, 5000, 2)
    assert params_from(_parse("--hs"))["negative"] == 0  # --hs alone: no negative sampling
    assert params_from(_parse("--hs", "--negative", "3"))["negative"] == 3
    glove = params_from(_parse("--alpha", "0.5", algo="glove"))
    assert glove["alpha"] == 0.5 and "sg" not in glove


def test_glove_class_and_function_defaults_are_the_table():
    glove = defaults("glove")
    init = inspect.signature(GloVe).parameters
    for name in ("vector_size", "epochs", "x_max", "alpha", "learning_rate", "seed"):
        assert init[name].default == glove[name], name
    fn = inspect.signature(train_glove).parameters
    for name in ("vector_size", "window", "min_count", "epochs", "x_max", "alpha", "seed"):
        assert fn[name].default == glove[name], name


@pytest.mark.parametrize(
    "algorithm, values, message",
    [
        ("word2vec", {"vector_size": 2001}, "vector_size must be at most 2,000 (got 2,001)"),
        ("glove", {"vector_size": 100_000}, "vector_size must be at most 2,000"),
        ("fasttext", {"bucket": 1_000_000_000}, "bucket must be at most 20,000,000"),
        ("word2vec", {"window": 51}, "window must be at most 50"),
        ("glove", {"epochs": 1001}, "epochs must be at most 1,000"),
        ("word2vec", {"workers": (os.cpu_count() or 1) + 1}, "the machine's core count"),
        ("word2vec", {"workers": 0}, "workers must be at least 1"),
        ("word2vec", {"window": 0}, "window must be at least 1 (got 0)"),
        ("fasttext", {"min_n": 21, "max_n": 21}, "min_n must be at most 20"),
        ("fasttext", {"min_n": 5, "max_n": 3}, "need 1 <= min_n <= max_n"),
        ("word2vec", {"epochs": 2.5}, "epochs must be a whole number"),
        ("word2vec", {"sg": 2}, "sg must be 0 (CBOW) or 1 (skip-gram)"),
        ("glove", {"learning_rate": 0}, "learning_rate must be at least 0.001"),
    ],
)
def test_out_of_range_values_name_their_bound(algorithm, values, message):
    with pytest.raises(TrainingError, match=message.replace("(", r"\(").replace(")", r"\)")):
        make_params(algorithm, **values)


def test_validate_checks_a_dataclass_changed_after_construction():
    params = make_params("glove")
    params.vector_size = 5000
    with pytest.raises(TrainingError, match="vector_size must be at most 2,000"):
        params.validate()


def test_the_glove_estimator_refuses_what_the_table_refuses(tmp_path):
    with pytest.raises(TrainingError, match="vector_size must be at most 2,000"):
        GloVe(vector_size=100_000).fit(None)
    corpus = tmp_path / "s.txt"
    corpus.write_text("a b c\n", encoding="utf-8")
    with pytest.raises(TrainingError, match="window must be at most 50"):
        train_glove(corpus, window=1000)


def test_values_arrive_with_the_table_types():
    params = make_params("glove", vector_size=50.0, x_max=10)
    assert type(params.vector_size) is int and type(params.x_max) is float


@pytest.mark.parametrize(
    "vocab, bucket",
    [(0, 20_000), (222, 20_000), (2_000, 20_000), (2_001, 30_000), (9_774, 100_000),
     (123_456, 1_240_000), (200_000, 2_000_000), (5_000_000, 2_000_000)],
)  # fmt: skip
def test_suggested_buckets_scale_with_the_vocabulary(vocab, bucket):
    assert suggest_bucket(vocab) == bucket


def test_suggested_min_count_keeps_enough_words():
    counts = Counter({f"a{i}": 5 for i in range(2000)})
    counts.update({f"b{i}": 2 for i in range(1500)})
    counts.update({f"c{i}": 1 for i in range(700)})
    assert suggest_min_count(counts, 5) == (2, 3500)
    assert suggest_min_count(counts, 2) is None  # 3,500 words already
    assert suggest_min_count(counts, 5, target=4000) == (1, 4200)
    assert suggest_min_count(counts, 5, target=10_000) == (1, 4200)  # the best there is
    assert suggest_min_count(counts, 1, target=10_000) is None
