"""Every training hyper-parameter, defined once: defaults, bounds, help, CLI flag.

:data:`SPECS` is the one table. The params dataclasses (:class:`Word2VecParams`,
:class:`FastTextParams`, :class:`GloVeParams`) are generated from it, their ``validate()``
checks its bounds, :func:`make_params` builds them, the ``train`` subcommand generates
its flags from it and the Train page builds its widgets from it, so a default or a bound
changes in one place.

Two parameters share the name ``alpha``: Word2Vec's learning rate and GloVe's weighting
exponent (each algorithm keeps the name its reference implementation uses).

Example
-------
>>> make_params("glove").window, make_params("word2vec").window
(10, 5)
>>> make_params("word2vec", window=500)
Traceback (most recent call last):
...
embeddings.errors.TrainingError: Invalid parameter: window must be at most 50 (got 500).
>>> suggest_bucket(222), suggest_bucket(9_774), suggest_bucket(10**7)
(20000, 100000, 2000000)
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import TrainingError

ALGORITHMS = ("word2vec", "fasttext", "glove")
GENSIM = ("word2vec", "fasttext")


def cores() -> int:
    """The machine's core count: the default and the upper bound of ``workers``."""
    return os.cpu_count() or 1


@dataclass(frozen=True)
class ParamSpec:
    """One hyper-parameter: its type, default, bounds, help and where it appears.

    Attributes
    ----------
    name : str
        The keyword the trainers take (gensim's or the GloVe reference's name).
    type : type
        ``int`` or ``float``.
    default : number, mapping or callable
        The default; a ``{algorithm: value}`` mapping when it differs by algorithm, a
        callable when it depends on the machine (``workers``).
    min, max : number, callable or None
        Inclusive bounds (None: unbounded); a callable is evaluated when checked.
    help : str
        One sentence for ``--help`` and the widget's tooltip.
    algorithms : tuple of str
        The algorithms that take it.
    flag : str or None
        The ``train`` subcommand's flag (None: library only).
    label : str
        The widget's label.
    step, format : optional
        Widget step and number format.
    choices : mapping or None
        ``{value: label}`` for a two-way switch (a radio on the page, a boolean flag in
        the CLI that selects the non-default value).
    max_note : str
        What the upper bound is, when it is not a plain number (``workers``).
    """

    name: str
    type: type
    default: Any
    min: Any
    max: Any
    help: str
    algorithms: tuple[str, ...]
    flag: str | None = None
    label: str = ""
    step: Any = None
    format: str | None = None
    choices: Mapping[int, str] | None = None
    max_note: str = ""

    def default_for(self, algorithm: str) -> Any:
        """The default value for ``algorithm`` (machine-dependent ones evaluated)."""
        value = self.default
        if isinstance(value, Mapping):
            value = value.get(algorithm, value["*"])
        return value() if callable(value) else value

    @property
    def lower(self) -> Any:
        return self.min() if callable(self.min) else self.min

    @property
    def upper(self) -> Any:
        return self.max() if callable(self.max) else self.max

    def check(self, value: Any) -> Any:
        """``value`` converted to this parameter's type and checked against its bounds.

        Raises
        ------
        TrainingError
            A value of the wrong type or outside the bounds; the message names the bound.
        """
        what = "a whole number" if self.type is int else "a number"
        if isinstance(value, bool) or value is None:
            raise TrainingError(f"Invalid parameter: {self.name} must be {what} (got {value!r}).")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise TrainingError(
                f"Invalid parameter: {self.name} must be {what} (got {value!r})."
            ) from None
        if math.isnan(number) or (self.type is int and not number.is_integer()):
            raise TrainingError(f"Invalid parameter: {self.name} must be {what} (got {value!r}).")
        value = int(number) if self.type is int else number
        if self.choices is not None and value not in self.choices:
            options = " or ".join(f"{k} ({v})" for k, v in self.choices.items())
            raise TrainingError(f"Invalid parameter: {self.name} must be {options}.")
        lo, hi = self.lower, self.upper
        if lo is not None and value < lo:
            raise TrainingError(
                f"Invalid parameter: {self.name} must be at least {_show(lo)} (got {_show(value)})."
            )
        if hi is not None and value > hi:
            note = f", {self.max_note}" if self.max_note else ""
            raise TrainingError(
                f"Invalid parameter: {self.name} must be at most {_show(hi)}{note} "
                f"(got {_show(value)})."
            )
        return value


def _show(x) -> str:
    return f"{x:,}" if isinstance(x, int) else f"{x:g}"


BUCKET_DEFAULT = 2_000_000
BUCKET_MAX = 20_000_000

# The one table. Its order is the order of the dataclasses' fields, the model card's
# parameters and the page's widgets.
SPECS: tuple[ParamSpec, ...] = (
    ParamSpec("vector_size", int, 100, 1, 2000, "Dimensions of each word vector.",
              ALGORITHMS, "--vector-size", "Vector size"),
    ParamSpec("window", int, {"*": 5, "glove": 10}, 1, 50,
              "Context words on each side of the centre word.", ALGORITHMS, "--window", "Window"),
    ParamSpec("min_count", int, 5, 1, None, "Ignore words rarer than this.",
              ALGORITHMS, "--min-count", "min_count"),
    ParamSpec("sg", int, 0, 0, 1, "CBOW predicts the centre word from its context; skip-gram "
              "predicts each context word from the centre word.", GENSIM, "--sg",
              "Architecture", choices={0: "CBOW", 1: "skip-gram"}),
    ParamSpec("hs", int, 0, 0, 1, "Hierarchical softmax instead of negative sampling.",
              GENSIM, "--hs", "Objective",
              choices={0: "negative sampling", 1: "hierarchical softmax"}),
    ParamSpec("negative", int, 5, 0, 50, "Noise words drawn per positive pair, from unigram "
              "counts^0.75 (0 = none; default 0 with --hs).", GENSIM, "--negative",
              "Negative samples (k)"),
    ParamSpec("sample", float, 1e-3, 0.0, 0.1,
              "Down-sampling threshold for frequent words (0 = off).", GENSIM, "--sample",
              "sample", step=1e-4, format="%.5f"),
    ParamSpec("epochs", int, {"*": 5, "glove": 15}, 1, 1000, "Passes over the corpus.",
              ALGORITHMS, "--epochs", "Epochs"),
    ParamSpec("alpha", float, 0.025, 1e-4, 1.0, "Initial learning rate.", GENSIM),
    ParamSpec("min_alpha", float, 1e-4, 0.0, 1.0, "Final learning rate.", GENSIM),
    ParamSpec("x_max", float, 100.0, 1.0, 10_000.0,
              "GloVe: co-occurrence count at which the weight f(x) reaches 1.", ("glove",),
              "--x-max", "x_max"),
    ParamSpec("alpha", float, 0.75, 0.05, 2.0, "GloVe: exponent of the weighting function.",
              ("glove",), "--alpha", "alpha"),
    ParamSpec("learning_rate", float, 0.05, 0.001, 1.0, "GloVe: initial AdaGrad step.",
              ("glove",), "--learning-rate", "Learning rate", format="%.3f"),
    ParamSpec("workers", int, cores, 1, cores, "Threads (default: all cores).",
              ALGORITHMS, "--workers", "Workers", max_note="the machine's core count"),
    ParamSpec("seed", int, 1, 0, 2**31 - 1,
              "Random seed (exactly reproducible only with 1 worker).", ALGORITHMS, "--seed",
              "Seed"),
    ParamSpec("min_n", int, 3, 1, 20, "FastText: shortest character n-gram.", ("fasttext",),
              "--min-n", "min_n"),
    ParamSpec("max_n", int, 6, 1, 20, "FastText: longest character n-gram.", ("fasttext",),
              "--max-n", "max_n"),
    ParamSpec("bucket", int, BUCKET_DEFAULT, 1_000, BUCKET_MAX,
              "FastText: hash buckets for n-grams (memory: bucket x vector size x 4 bytes).",
              ("fasttext",), "--bucket", "bucket", step=10_000),
)  # fmt: skip


def specs_for(algorithm: str) -> list[ParamSpec]:
    """The specs ``algorithm`` takes, in table order."""
    if algorithm not in ALGORITHMS:
        raise TrainingError(
            f"Unknown algorithm {algorithm!r}; choose one of {', '.join(ALGORITHMS)}."
        )
    return [s for s in SPECS if algorithm in s.algorithms]


def spec(algorithm: str, name: str) -> ParamSpec:
    """The spec of parameter ``name`` for ``algorithm``."""
    for s in specs_for(algorithm):
        if s.name == name:
            return s
    raise TrainingError(f"Unknown {algorithm} parameter: {name}.")


def defaults(algorithm: str) -> dict[str, Any]:
    """``{name: default}`` for ``algorithm``.

    >>> defaults("glove")["epochs"], defaults("fasttext")["bucket"]
    (15, 2000000)
    """
    return {s.name: s.default_for(algorithm) for s in specs_for(algorithm)}


def check_params(algorithm: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` converted and checked against the specs and the cross-parameter rules.

    Only the given names are checked (so the GloVe estimator can check its own subset).

    Raises
    ------
    TrainingError
        The first value out of its bounds, or an inconsistent combination.
    """
    out = {name: spec(algorithm, name).check(value) for name, value in values.items()}
    if algorithm in GENSIM and out.get("hs", 1) == 0 and out.get("negative", 1) == 0:
        raise TrainingError("Invalid parameter: use negative sampling (negative > 0) or hs=1.")
    if "min_n" in out and "max_n" in out and out["min_n"] > out["max_n"]:
        raise TrainingError("Invalid parameter: need 1 <= min_n <= max_n <= 20.")
    return out


def _validate(self) -> None:
    """Check every value against its spec; raises TrainingError naming the bound."""
    checked = check_params(self.ALGORITHM, dataclasses.asdict(self))
    for name, value in checked.items():
        object.__setattr__(self, name, value)


def _params_class(algorithm: str, cls_name: str, doc: str, base: type | None = None) -> type:
    inherited = {f.name for f in dataclasses.fields(base)} if base else set()
    fields = []
    for s in specs_for(algorithm):
        if s.name in inherited:
            continue
        if callable(s.default) and not isinstance(s.default, Mapping):
            default = dataclasses.field(default_factory=s.default)
        else:
            default = dataclasses.field(default=s.default_for(algorithm))
        fields.append((s.name, s.type, default))
    namespace = {"validate": _validate, "ALGORITHM": algorithm, "__doc__": doc}
    cls = dataclasses.make_dataclass(cls_name, fields, bases=(base,) if base else (),
                                     namespace=namespace)  # fmt: skip
    cls.__module__ = __name__
    return cls


Word2VecParams = _params_class(
    "word2vec",
    "Word2VecParams",
    "Word2Vec hyper-parameters (gensim's names and defaults, workers = all cores).",
)
FastTextParams = _params_class(
    "fasttext",
    "FastTextParams",
    "FastText = Word2Vec + character n-grams of length min_n..max_n hashed into buckets.",
    base=Word2VecParams,
)
GloVeParams = _params_class(
    "glove", "GloVeParams", "GloVe hyper-parameters (the reference implementation's defaults)."
)
PARAMS: dict[str, type] = {
    "word2vec": Word2VecParams,
    "fasttext": FastTextParams,
    "glove": GloVeParams,
}


def make_params(algorithm: str, **overrides):
    """Parameters for ``algorithm`` with ``overrides`` applied and checked.

    ``None`` values mean "the default".

    >>> make_params("word2vec", sg=1, epochs=3).sg
    1
    >>> make_params("glove", foo=1)
    Traceback (most recent call last):
    ...
    embeddings.errors.TrainingError: Unknown glove parameter(s): foo. Known: vector_size, window, min_count, epochs, x_max, alpha, learning_rate, workers, seed.
    """
    known = [s.name for s in specs_for(algorithm)]
    unknown = sorted(set(overrides) - set(known))
    if unknown:
        raise TrainingError(
            f"Unknown {algorithm} parameter(s): {', '.join(unknown)}. Known: {', '.join(known)}."
        )
    values = {k: v for k, v in overrides.items() if v is not None}
    params = PARAMS[algorithm](**check_params(algorithm, values))
    params.validate()
    return params


def suggest_bucket(vocab_size: int) -> int:
    """FastText buckets for a vocabulary: about 10 per word, between 20,000 and 2,000,000.

    gensim's default of 2,000,000 buckets costs 800 MB at 100 dimensions whatever the
    corpus; a 222-word model stored 764 MB. Ten buckets per word leave room for the
    distinct n-grams of the vocabulary (a word of length L has at most about 4L of
    lengths 3..6) with few collisions. Rounded up to 10,000.

    >>> suggest_bucket(0), suggest_bucket(12_345), suggest_bucket(1_000_000)
    (20000, 130000, 2000000)
    """
    scaled = math.ceil(10 * max(int(vocab_size), 0) / 10_000) * 10_000
    return int(min(max(scaled, 20_000), BUCKET_DEFAULT))


def suggest_min_count(
    word_counts: Mapping[str, int] | Iterable[int], min_count: int, target: int = 3000
) -> tuple[int, int] | None:
    """A lower ``min_count`` that keeps at least ``target`` words, and how many it keeps.

    Returns None when ``min_count`` already keeps ``target`` words. When even
    ``min_count=1`` keeps fewer, returns ``(1, words at min_count 1)``, or None when
    ``min_count`` is already 1.

    >>> suggest_min_count({"a": 5, "b": 2, "c": 1}, min_count=5, target=2)
    (2, 2)
    >>> suggest_min_count({"a": 5, "b": 2}, min_count=2, target=2) is None
    True
    """
    counts = sorted(word_counts.values() if isinstance(word_counts, Mapping) else word_counts,
                    reverse=True)  # fmt: skip
    kept = sum(1 for c in counts if c >= min_count)
    if kept >= target or min_count <= 1:
        return None
    if len(counts) < target:
        return 1, len(counts)
    best = min(counts[target - 1], min_count - 1)  # the target-th most frequent word's count
    return best, sum(1 for c in counts if c >= best)


def suggest_model_name(corpus_name: str, algorithm: str) -> str:
    """A model name from the corpus and the algorithm.

    >>> suggest_model_name("file:constitution.txt", "fasttext")
    'constitution-fasttext'
    >>> suggest_model_name("bundled:wiki+lee", "word2vec")
    'wiki-lee-word2vec'
    """
    from ..vectors.store import suggest_name

    stem = suggest_name(corpus_name.split(":", 1)[-1])
    return suggest_name(f"{stem}-{algorithm}")


def flag_defaults_help(s: ParamSpec) -> str:
    """The help text of a CLI flag: the spec's help with its default(s) and bounds."""
    per_algo = {a: s.default_for(a) for a in s.algorithms}
    if callable(s.default) and not isinstance(s.default, Mapping):
        default = ""
    elif len(set(per_algo.values())) == 1:
        default = f"default {_show(next(iter(per_algo.values())))}"
    else:
        common = s.default_for("word2vec")
        others = ", ".join(f"{a}: {_show(v)}" for a, v in per_algo.items() if v != common)
        default = f"default {_show(common)} ({others})"
    lo, hi = s.lower, s.upper
    bounds = f"{_show(lo)}..{_show(hi)}" if hi is not None else f">= {_show(lo)}"
    extra = "; ".join(x for x in (default, bounds) if x)
    return f"{s.help} [{extra}]"


def param_names(algorithm: str) -> list[str]:
    """The parameter names of ``algorithm`` in table order."""
    return [s.name for s in specs_for(algorithm)]
