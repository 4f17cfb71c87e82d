"""Benchmark suites: the standard sets gensim ships, user files, and results in model cards.

A :class:`Benchmark` is a file and its kind (word pairs or analogies). The standard
suite is WordSim353, SimLex-999 (pairs) and the Google analogies, from gensim's test
data; a user's file in the same format (a Korean analogy set, say) is one more
Benchmark. :func:`run_benchmarks` scores a model on several with one progress bar;
:func:`store_results` keeps the numbers in the model card, under a key that names the
benchmark (with a hash of the file's bytes) and the settings, so they show later without
recomputation and a changed file or setting never shows stale numbers.

Example
-------
>>> results = run_benchmarks(kv, standard_benchmarks(), method="add")   # doctest: +SKIP
>>> results["wordsim353"]["spearman"], results["analogies"]["accuracy"]  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import FormatError
from ..progress import CancelToken, Progress, ProgressCallback, check_cancel, report
from .scores import (
    DEFAULT_RESTRICT_VOCAB,
    SCORE_CELLS,
    evaluate_analogies,
    evaluate_word_pairs,
    read_analogies,
    read_word_pairs,
)

PAIRS = "pairs"
ANALOGIES = "analogies"
STANDARD_NAMES = ("wordsim353", "simlex999", "analogies")
STANDARD_TITLES = {
    "wordsim353": "WordSim353",
    "simlex999": "SimLex-999",
    "analogies": "Google analogies",
}
FAILED_KEPT_PER_SECTION = 50  # failed analogies kept in a model card, per section


@dataclass(frozen=True)
class Benchmark:
    """One benchmark file.

    Parameters
    ----------
    name : str
        How results are labelled (``"wordsim353"``, ``"my-korean-analogies"``).
    kind : {"pairs", "analogies"}
    path : Path
    delimiter : str or None
        Field separator of a pairs file (None: any whitespace).
    digest : str
        The first 12 hex digits of the file's SHA-256 (filled in when empty).
    """

    name: str
    kind: str
    path: Path
    delimiter: str | None = "\t"
    digest: str = field(default="")

    def __post_init__(self):
        if self.kind not in (PAIRS, ANALOGIES):
            raise FormatError(f"A benchmark is 'pairs' or 'analogies', not {self.kind!r}.")
        if not self.digest:
            object.__setattr__(self, "digest", file_digest(self.path))

    @property
    def title(self) -> str:
        return STANDARD_TITLES.get(self.name, self.name)


def file_digest(path: str | Path) -> str:
    """The first 12 hex digits of the SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:12]


@lru_cache(maxsize=1)
def _standard() -> tuple[Benchmark, ...]:
    from ..corpus.bundled import QUESTIONS_WORDS, SIMLEX999, WORDSIM353, gensim_data

    return (
        Benchmark("wordsim353", PAIRS, gensim_data(WORDSIM353)),
        Benchmark("simlex999", PAIRS, gensim_data(SIMLEX999)),
        Benchmark("analogies", ANALOGIES, gensim_data(QUESTIONS_WORDS)),
    )


def standard_benchmarks() -> list[Benchmark]:
    """WordSim353, SimLex-999 and the Google analogies, from gensim's test data."""
    return list(_standard())


def detect_benchmark(path: str | Path, name: str | None = None) -> Benchmark:
    """A Benchmark for a user's file, its kind sniffed from the content.

    A file with ``: section`` lines is an analogy set; otherwise it is a pairs file with
    tab-, comma- or whitespace-separated ``word1 word2 score`` lines (the separator that
    yields the most pairs wins).

    Raises
    ------
    FormatError
        Neither format fits.
    """
    path = Path(path)
    name = name or path.stem
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    if b"\x00" in head:
        raise FormatError(f"{path.name} is a binary file, not a benchmark (UTF-8 text).")
    if any(line.startswith(b": ") for line in head.splitlines()):
        read_analogies(path)  # raises a FormatError that says what is missing
        return Benchmark(name, ANALOGIES, path)
    best, best_count = None, 0
    for delimiter in ("\t", ",", None):
        try:
            count = len(read_word_pairs(path, delimiter))
        except FormatError:
            continue
        if count > best_count:
            best, best_count = delimiter, count
    if best_count == 0:
        raise FormatError(
            f"{path.name} is neither a word-pair file (lines 'word1<TAB>word2<TAB>score') nor "
            "an analogy file (': section' headers, then lines 'a b c d')."
        )
    return Benchmark(name, PAIRS, path, delimiter=best)


def result_key(
    benchmark: Benchmark, method: str = "add", restrict_vocab: int = DEFAULT_RESTRICT_VOCAB
) -> str:
    """The key a result is stored under in ``card.evaluation``.

    Pair results do not depend on the analogy settings, so their key has none.

    >>> from pathlib import Path
    >>> b = Benchmark("analogies", "analogies", Path("q.txt"), digest="0123456789ab")
    >>> result_key(b, "mul", 30000)
    'analogies#0123456789ab|method=mul|restrict_vocab=30000'
    """
    key = f"{benchmark.name}#{benchmark.digest}"
    if benchmark.kind == ANALOGIES:
        key += f"|method={method}|restrict_vocab={restrict_vocab}"
    return key


def evaluate_benchmark(
    kv,
    benchmark: Benchmark,
    method: str = "add",
    restrict_vocab: int = DEFAULT_RESTRICT_VOCAB,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> dict[str, Any]:
    """Score ``kv`` on one benchmark.

    A pairs file of which fewer than two pairs are known gives a result with
    ``spearman`` / ``pearson`` None and an ``error`` message, not an exception: in a
    table of models, one model that misses the benchmark should not hide the others.
    """
    if benchmark.kind == PAIRS:
        try:
            return evaluate_word_pairs(kv, benchmark.path, delimiter=benchmark.delimiter)
        except FormatError as exc:
            return {"spearman": None, "pearson": None, "oov_ratio": 100.0, "error": str(exc)}
    return evaluate_analogies(
        kv, benchmark.path, method, restrict_vocab, progress=progress, cancel=cancel
    )


def benchmark_memory_estimate(
    kv, method: str = "add", restrict_vocab: int = DEFAULT_RESTRICT_VOCAB
) -> int:
    """Bytes :func:`run_benchmarks` holds at its peak on ``kv``: the analogies' unit rows
    (the ``restrict_vocab`` most frequent words, float32, and their normalised copy) and
    one batch of scores with its negated copy and partition (float32, float32, int64;
    3CosMul keeps three more float32 score matrices). wiki-w2v (9,774 words x 100),
    3CosAdd: measured peak 91 MiB, estimate 87 MiB.
    """
    rows = min(int(restrict_vocab), len(kv.index_to_key))
    cells = min(SCORE_CELLS, 512 * rows)
    per_cell = 16 + (12 if method == "mul" else 0)
    return (4 << 20) + 2 * rows * kv.vector_size * 4 + cells * per_cell


def run_benchmarks(
    kv,
    benchmarks: list[Benchmark],
    method: str = "add",
    restrict_vocab: int = DEFAULT_RESTRICT_VOCAB,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> dict[str, dict[str, Any]]:
    """Score ``kv`` on each benchmark: ``{benchmark.name: result}``, in the given order.

    Progress events have ``done``/``total`` counted in benchmarks (fractions inside an
    analogy set), so one bar covers the whole suite.
    """
    out: dict[str, dict[str, Any]] = {}
    n = len(benchmarks)
    for i, bench in enumerate(benchmarks):
        check_cancel(cancel)
        report(progress, Progress("evaluate", i, n, f"{bench.title}…"))

        def inner(event: Progress, i=i, bench=bench) -> None:
            report(
                progress,
                Progress(
                    "evaluate", i + (event.fraction or 0.0), n, f"{bench.title}: {event.message}"
                ),
            )

        out[bench.name] = evaluate_benchmark(kv, bench, method, restrict_vocab, inner, cancel)
    report(progress, Progress("evaluate", n, n, "done"))
    return out


def evaluate_standard(
    kv,
    method: str = "add",
    restrict_vocab: int = DEFAULT_RESTRICT_VOCAB,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> dict[str, Any]:
    """``{"wordsim353": ..., "simlex999": ..., "analogies": ...}`` (see :func:`run_benchmarks`)."""
    return run_benchmarks(kv, standard_benchmarks(), method, restrict_vocab, progress, cancel)


# --------------------------------------------------------------------------- model cards


def store_results(
    store,
    name: str,
    benchmarks: list[Benchmark],
    results: dict[str, dict[str, Any]],
    method: str = "add",
    restrict_vocab: int = DEFAULT_RESTRICT_VOCAB,
) -> None:
    """Keep results of :func:`run_benchmarks` in model ``name``'s card.

    Each entry records when it was computed, the corpus size of the model (``None`` for
    loaded vectors) and the benchmark's file name; of the failed analogies, the first
    :data:`FAILED_KEPT_PER_SECTION` of each section are kept (``failed_total`` says how
    many there were).
    """
    card = store.load_card(name)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    for bench in benchmarks:
        if bench.name not in results:
            continue
        result = dict(results[bench.name])
        if "failed" in result:
            result["failed_total"] = len(result["failed"])
            result["failed"] = _first_per_section(result["failed"], FAILED_KEPT_PER_SECTION)
        result.update(
            benchmark=bench.name,
            kind=bench.kind,
            file=Path(bench.path).name,
            corpus_tokens=card.corpus.get("tokens"),
            computed=stamp,
        )
        card.evaluation[result_key(bench, method, restrict_vocab)] = result
    store.update_card(card)


def _first_per_section(failed: list[list[str]], n: int) -> list[list[str]]:
    kept: dict[str, int] = {}
    out = []
    for row in failed:
        section = row[5]
        if kept.get(section, 0) < n:
            kept[section] = kept.get(section, 0) + 1
            out.append(row)
    return out


def stored_results(
    card,
    benchmarks: list[Benchmark],
    method: str = "add",
    restrict_vocab: int = DEFAULT_RESTRICT_VOCAB,
) -> dict[str, dict[str, Any]] | None:
    """The stored results of every benchmark for these settings, or None if any is missing."""
    evaluation = card.evaluation or {}
    out = {}
    for bench in benchmarks:
        result = evaluation.get(result_key(bench, method, restrict_vocab))
        if result is None:
            return None
        out[bench.name] = result
    return out


def summary_row(model: str, results: dict[str, Any]) -> dict[str, Any]:
    """One object per model for tables and ``evaluate --json``.

    ``{"model", "<pairs benchmark>": {"spearman", "pearson", "oov_ratio"}, ...,
    "<analogy benchmark>": {"accuracy", "correct", "total", "oov_ratio", "semantic",
    "syntactic", "sections", "method", "restrict_vocab"}}``
    """
    row: dict[str, Any] = {"model": model}
    for name, r in results.items():
        if "accuracy" in r:
            row[name] = {
                "accuracy": r["accuracy"],
                "correct": r["correct"],
                "total": r["total"],
                "oov_ratio": r.get("oov_ratio"),
                "semantic": r["semantic"]["accuracy"],
                "syntactic": r["syntactic"]["accuracy"],
                "sections": {n: s["accuracy"] for n, s in r["sections"].items()},
                "method": r["method"],
                "restrict_vocab": r["restrict_vocab"],
            }
        else:
            row[name] = {k: r.get(k) for k in ("spearman", "pearson", "oov_ratio")}
            if r.get("error"):
                row[name]["error"] = r["error"]
    return row
