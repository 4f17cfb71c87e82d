"""``evaluate``: WordSim353, SimLex-999 and Google analogies for one or more models.

    python -m embeddings evaluate wiki-w2v wiki-ft --method add --restrict-vocab 30000 --json

``--json`` prints a list with one object per model, in the order given:
``{"model", "wordsim353": {"spearman", "pearson", "oov_ratio"}, "simlex999": {...},
"analogies": {"accuracy", "sections", "method", "restrict_vocab", ...}}``. Results of
store models are also kept in their model cards (``--no-save`` to skip).
"""

from __future__ import annotations

from ..evaluation import (
    ANALOGY_METHODS,
    DEFAULT_RESTRICT_VOCAB,
    evaluate_standard,
    store_standard_results,
    summary_row,
)
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
    p.add_argument("--no-save", action="store_true", help="do not store results in model cards")
    add_json_flag(p)
    add_store_flag(p)
    add_quiet_flag(p)
    p.set_defaults(handler=run, render=render)


def run(args) -> list[dict]:
    from ..errors import EmbeddingsError

    if args.restrict_vocab < 1:
        raise EmbeddingsError("--restrict-vocab must be at least 1.")
    store = store_from(args)
    progress = progress_from(args)
    rows = []
    for spec in args.models:
        kv, _card = open_model(spec, store, progress=progress)
        results = evaluate_standard(
            kv, method=args.method, restrict_vocab=args.restrict_vocab, progress=progress
        )
        if not args.no_save and store.exists(spec):
            store_standard_results(store, spec, results)
        rows.append(summary_row(spec, results))
    progress.close()
    return rows


def _fmt(value) -> str:
    return "n/a" if value is None else f"{value:.4f}"


def render(rows: list[dict]) -> str:
    lines = [
        f"{'model':<24} {'WS353 rho':>10} {'SL999 rho':>10} {'analogy acc':>12} "
        f"{'semantic':>9} {'syntactic':>9}"
    ]
    for r in rows:
        a = r["analogies"]
        lines.append(
            f"{r['model']:<24} {_fmt(r['wordsim353']['spearman']):>10} "
            f"{_fmt(r['simlex999']['spearman']):>10} {a['accuracy']:>12.4f} "
            f"{a['semantic']:>9.4f} {a['syntactic']:>9.4f}"
        )
    if rows:
        a = rows[0]["analogies"]
        lines.append(
            f"(3Cos{a['method'].capitalize()}, analogies over the {a['restrict_vocab']:,} most "
            "frequent words; OOV pairs/questions skipped)"
        )
    return "\n".join(lines)
