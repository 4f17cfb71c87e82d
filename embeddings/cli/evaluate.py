"""``evaluate``: WordSim353, SimLex-999 and Google analogies for one or more models.

    python -m embeddings evaluate wiki-w2v wiki-ft --method add --restrict-vocab 30000 --json

``--json`` prints a list with one object per model, in the order given:
``{"model", "wordsim353": {"spearman", "pearson", "oov_ratio"}, "simlex999": {...},
"analogies": {"accuracy", "sections", "method", "restrict_vocab", ...}}``, the numbers
gensim's ``evaluate_word_pairs`` / ``evaluate_word_analogies`` give on the same vectors
and settings. ``--pairs FILE`` / ``--analogies FILE`` add the user's own sets (same
formats), reported under the file's stem. Results of store models are also kept in
their model cards (``--no-save`` to skip).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import EmbeddingsError
from ..evaluate.benchmarks import (
    ANALOGIES,
    PAIRS,
    STANDARD_NAMES,
    Benchmark,
    run_benchmarks,
    standard_benchmarks,
    store_results,
    summary_row,
)
from ..evaluate.scores import ANALOGY_METHODS, DEFAULT_RESTRICT_VOCAB, METHOD_LABELS
from .common import (
    add_json_flag,
    add_quiet_flag,
    add_store_flag,
    open_model,
    progress_from,
    store_from,
)


def register(sub) -> None:
    p = sub.add_parser("evaluate", help="word-similarity and analogy benchmarks")
    p.add_argument("models", nargs="+", metavar="MODEL", help="store names or vectors files")
    p.add_argument(
        "--method",
        choices=ANALOGY_METHODS,
        default="add",
        help="analogy objective: add = 3CosAdd, mul = 3CosMul (default add)",
    )
    p.add_argument(
        "--restrict-vocab",
        type=int,
        default=DEFAULT_RESTRICT_VOCAB,
        help="only the N most frequent words count for analogies (default 30000)",
    )
    p.add_argument(
        "--pairs",
        action="append",
        default=[],
        metavar="FILE",
        help="also a word-pair file: 'word1<TAB>word2<TAB>score' lines (repeatable)",
    )
    p.add_argument(
        "--analogies",
        action="append",
        default=[],
        metavar="FILE",
        help="also an analogy file: ': section' headers, 'a b c d' lines (repeatable)",
    )
    p.add_argument("--no-save", action="store_true", help="do not store results in model cards")
    add_json_flag(p)
    add_store_flag(p)
    add_quiet_flag(p)
    p.set_defaults(handler=run, render=render)


def _benchmarks(args) -> list[Benchmark]:
    benchmarks = standard_benchmarks()
    taken = set(STANDARD_NAMES)
    for kind, files in ((PAIRS, args.pairs), (ANALOGIES, args.analogies)):
        for file in files:
            path = Path(file)
            if not path.is_file():
                raise EmbeddingsError(f"No benchmark file {file!r}.")
            name, n = path.stem, 2
            while name in taken:
                name, n = f"{path.stem}-{n}", n + 1
            taken.add(name)
            bench = Benchmark(name, kind, path)
            # read it now, so a bad file fails before any model is loaded
            _check_readable(bench)
            benchmarks.append(bench)
    return benchmarks


def _check_readable(bench: Benchmark) -> None:
    from ..evaluate.scores import read_analogies, read_word_pairs

    if bench.kind == PAIRS:
        read_word_pairs(bench.path, bench.delimiter)
    else:
        read_analogies(bench.path)


def run(args) -> list[dict]:
    if args.restrict_vocab < 1:
        raise EmbeddingsError("--restrict-vocab must be at least 1.")
    benchmarks = _benchmarks(args)
    store = store_from(args)
    progress = progress_from(args)
    rows = []
    try:
        for spec in args.models:
            kv, _card = open_model(spec, store, progress=progress)
            results = run_benchmarks(
                kv, benchmarks, args.method, args.restrict_vocab, progress=progress
            )
            if not args.no_save and store.exists(spec):
                store_results(store, spec, benchmarks, results, args.method, args.restrict_vocab)
            rows.append(summary_row(spec, results))
    finally:
        progress.close()
    return rows


def _fmt(value) -> str:
    return "n/a" if value is None else f"{value:.4f}"


def render(rows: list[dict]) -> str:
    """A table: Spearman for pair sets, accuracy for analogy sets, one row per model."""
    if not rows:
        return ""
    names = [k for k in rows[0] if k != "model"]
    titles = {"wordsim353": "WS353 rho", "simlex999": "SL999 rho", "analogies": "analogy acc"}
    width = max(24, *(len(r["model"]) for r in rows))
    columns = []
    for name in names:
        is_analogy = "accuracy" in rows[0][name]
        columns.append((name, "", titles.get(name, name + (" acc" if is_analogy else " rho"))))
        if name == "analogies":
            columns += [(name, "semantic", "semantic"), (name, "syntactic", "syntactic")]
    header = f"{'model':<{width}}" + "".join(f" {t:>12}" for _, _, t in columns)
    lines = [header]
    for r in rows:
        cells = []
        for name, part, _ in columns:
            value = r[name].get(part or "accuracy", r[name].get("spearman"))
            cells.append(f" {_fmt(value):>12}")
        lines.append(f"{r['model']:<{width}}" + "".join(cells))
    a = rows[0].get("analogies") or next(
        (rows[0][n] for n in names if "accuracy" in rows[0][n]), None
    )
    if a:
        lines.append(
            f"({METHOD_LABELS[a['method']]}, analogies over the {a['restrict_vocab']:,} most "
            "frequent words; pairs and questions with unknown words skipped)"
        )
    return "\n".join(lines)
