"""Honest numbers: the four algorithms on the bundled corpus, scored on the standard sets.

Word2Vec CBOW and skip-gram, FastText and GloVe are trained with the app's default
settings (``embeddings.train.default.DEFAULT_PARAMS``: 100 dimensions, min_count 5; Word2Vec
and FastText window 5 and 10 epochs, skip-gram differing from CBOW only by ``sg=1``;
GloVe window 10, 25 epochs, x_max 10) on the default model's corpus (``wiki+lee``: the
shortened English Wikipedia dump and the Lee news corpus gensim ships, simple
tokenizer), then scored with WordSim353 and SimLex-999 Spearman and Google-analogy
accuracy (3CosAdd and 3CosMul, restrict_vocab 30,000). Each row also gives how much of
each benchmark the vocabulary covers, since a small corpus misses many benchmark words.
With ``--repeats N`` each model is trained N times with seeds 1..N and the table shows
the mean and the range, because on a corpus this small the scores move between runs.

    python -m bench.eval_models [--corpus wiki+lee|wiki|lee] [--repeats 3] [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import time

MODELS = (
    ("Word2Vec CBOW", "word2vec", {}),
    ("Word2Vec skip-gram", "word2vec", {"sg": 1}),
    ("FastText CBOW", "fasttext", {}),
    ("GloVe", "glove", {}),
)
COLUMNS = (
    ("WS353 ρ", "ws_rho"),
    ("SimLex ρ", "sl_rho"),
    ("analogy 3CosAdd", "acc_add"),
    ("semantic", "acc_sem"),
    ("syntactic", "acc_syn"),
    ("analogy 3CosMul", "acc_mul"),
)


def score(kv) -> dict:
    """The numbers of one model (benchmarks from gensim's test data)."""
    from embeddings.evaluate.benchmarks import run_benchmarks, standard_benchmarks

    add = run_benchmarks(kv, standard_benchmarks(), "add", 30_000)
    mul = run_benchmarks(kv, standard_benchmarks()[2:], "mul", 30_000)["analogies"]
    a = add["analogies"]
    return {
        "ws_rho": add["wordsim353"]["spearman"],
        "ws_oov": add["wordsim353"]["oov_ratio"],
        "sl_rho": add["simlex999"]["spearman"],
        "sl_oov": add["simlex999"]["oov_ratio"],
        "acc_add": a["accuracy"],
        "acc_sem": a["semantic"]["accuracy"],
        "acc_syn": a["syntactic"]["accuracy"],
        "acc_mul": mul["accuracy"],
        "answered": a["total"],
        "questions": a["questions"],
    }


def measure(corpus_key: str, repeats: int, quick: bool) -> list[dict]:
    from embeddings.corpus.sources import prepare_bundled_corpus
    from embeddings.train.default import DEFAULT_PARAMS
    from embeddings.train.trainer import train_model
    from embeddings.vectors.store import ModelStore

    corpus = prepare_bundled_corpus(corpus_key, "simple", cache=ModelStore().corpus_cache)
    rows = []
    for label, algorithm, overrides in MODELS:
        runs = []
        for seed in range(1, repeats + 1):
            params = {**DEFAULT_PARAMS[algorithm], **overrides, "seed": seed}
            if quick:
                params["epochs"] = 2
            started = time.perf_counter()
            result = train_model(corpus, algorithm, params, label)
            seconds = time.perf_counter() - started
            runs.append({**score(result.kv), "seconds": seconds, "vocab": len(result.kv)})
        rows.append({"model": label, "params": params, "runs": runs})
    return [{"corpus": corpus_key, "tokens": corpus.stats.tokens, "rows": rows}]


def _cell(values: list[float], percent: bool) -> str:
    fmt = (lambda v: f"{v * 100:.2f}%") if percent else (lambda v: f"{v:.3f}")
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    if len(values) == 1:
        return fmt(values[0])
    return f"{fmt(statistics.mean(values))} ({fmt(min(values))}–{fmt(max(values))})"


def table(measured: dict) -> str:
    """A Markdown table of the measurement."""
    lines = [
        f"Corpus: bundled `{measured['corpus']}`, {measured['tokens']:,} tokens; "
        "analogies restricted to the 30,000 most frequent words.",
        "",
        "| model | " + " | ".join(c for c, _ in COLUMNS) + " | vocabulary | WS353 / SimLex OOV "
        "| questions answered | train s |",
        "|---" * (len(COLUMNS) + 5) + "|",
    ]
    for row in measured["rows"]:
        runs = row["runs"]
        cells = [_cell([r[k] for r in runs], k.startswith("acc")) for _, k in COLUMNS]
        first = runs[0]
        lines.append(
            f"| {row['model']} | "
            + " | ".join(cells)
            + f" | {first['vocab']:,} | {first['ws_oov']:.1f}% / {first['sl_oov']:.1f}% "
            f"| {first['answered']:,} of {first['questions']:,} "
            f"| {statistics.mean(r['seconds'] for r in runs):.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="wiki+lee", choices=("wiki+lee", "wiki", "lee"))
    parser.add_argument("--repeats", type=int, default=1, help="seeds 1..N per model")
    parser.add_argument("--quick", action="store_true", help="2 epochs only (a smoke test)")
    args = parser.parse_args()
    for measured in measure(args.corpus, args.repeats, args.quick):
        print(table(measured))


if __name__ == "__main__":
    main()
