"""Benchmark suites: sniffing user files, one progress bar over a suite, results kept in
model cards under keys that name the file's content and the settings."""

from __future__ import annotations

import numpy as np
import pytest
from gensim.models import KeyedVectors

from embeddings.errors import Cancelled, FormatError
from embeddings.evaluate.benchmarks import (
    ANALOGIES,
    FAILED_KEPT_PER_SECTION,
    PAIRS,
    Benchmark,
    detect_benchmark,
    result_key,
    run_benchmarks,
    standard_benchmarks,
    store_results,
    stored_results,
    summary_row,
)
from embeddings.progress import CancelToken
from embeddings.vectors.store import ModelCard


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [("a\tb\t1\nc\td\t2\n", "\t"), ("a,b,1\nc,d,2\n", ","), ("a b 1\nc  d 2.5\n", None)],
)
def test_pairs_files_with_any_common_separator(tmp_path, text, delimiter):
    path = tmp_path / "mine.csv"
    path.write_text(text, encoding="utf-8")
    bench = detect_benchmark(path)
    assert (bench.name, bench.kind, bench.delimiter) == ("mine", PAIRS, delimiter)
    assert len(bench.digest) == 12


def test_analogy_files_and_garbage(tmp_path):
    path = tmp_path / "ko.txt"
    path.write_text(": 가족\n남자 여자 왕 여왕\n", encoding="utf-8")
    assert detect_benchmark(path, "korean").kind == ANALOGIES
    junk = tmp_path / "junk.txt"
    junk.write_text("hello world\nnothing to see\n", encoding="utf-8")
    with pytest.raises(FormatError, match="neither a word-pair file"):
        detect_benchmark(junk)
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01\x02")
    with pytest.raises(FormatError, match="binary file"):
        detect_benchmark(binary)
    headerless = tmp_path / "h.txt"
    headerless.write_text("a b c d\n: section\na b c d\n", encoding="utf-8")
    with pytest.raises(FormatError, match="before any ': section' header"):
        detect_benchmark(headerless)


def test_standard_suite_and_result_keys():
    names = [(b.name, b.kind) for b in standard_benchmarks()]
    assert names == [("wordsim353", PAIRS), ("simlex999", PAIRS), ("analogies", ANALOGIES)]
    ws, _, an = standard_benchmarks()
    assert result_key(ws, "mul", 5) == f"wordsim353#{ws.digest}"
    assert result_key(an, "mul", 5) == f"analogies#{an.digest}|method=mul|restrict_vocab=5"
    with pytest.raises(FormatError):
        Benchmark("x", "ranking", ws.path)


def test_one_progress_bar_over_the_suite_and_cancel(lee_w2v):
    events = []
    results = run_benchmarks(lee_w2v, standard_benchmarks(), progress=events.append)
    assert list(results) == ["wordsim353", "simlex999", "analogies"]
    fractions = [e.fraction for e in events]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert any(e.message.startswith("Google analogies: ") for e in events)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        run_benchmarks(lee_w2v, standard_benchmarks(), cancel=token)


def test_unknown_pairs_are_a_result_not_an_exception(tmp_path):
    kv = KeyedVectors(2, count=0)
    kv.add_vectors(["x", "y"], np.eye(2, dtype=np.float32))
    res = run_benchmarks(kv, standard_benchmarks())
    assert res["wordsim353"]["spearman"] is None and "Only 0 pair(s)" in res["wordsim353"]["error"]
    assert res["analogies"]["total"] == 0 and res["analogies"]["accuracy"] == 0.0
    row = summary_row("tiny", res)
    assert row["wordsim353"]["error"] and row["analogies"]["sections"]["family"] == 0.0


def test_results_round_trip_through_the_card(store, lee_w2v, tmp_path):
    store.save(lee_w2v, ModelCard(name="m", algorithm="word2vec", corpus={"tokens": 1234}))
    pairs = tmp_path / "mine.tsv"
    pairs.write_text("police\tofficers\t9\npolice\tfire\t3\nfire\twater\t5\n", encoding="utf-8")
    suite = [*standard_benchmarks(), detect_benchmark(pairs)]
    results = run_benchmarks(lee_w2v, suite, "mul", 20_000)
    store_results(store, "m", suite, results, "mul", 20_000)
    card = store.load_card("m")
    stored = stored_results(card, suite, "mul", 20_000)
    assert stored["mine"]["spearman"] == results["mine"]["spearman"]
    assert stored["wordsim353"]["corpus_tokens"] == 1234 and stored["mine"]["file"] == "mine.tsv"
    an = stored["analogies"]
    assert an["failed_total"] == len(results["analogies"]["failed"])
    per_section = {}
    for row in an["failed"]:
        per_section[row[5]] = per_section.get(row[5], 0) + 1
    assert max(per_section.values()) == FAILED_KEPT_PER_SECTION
    assert len(per_section) == len(
        [s for s in an["sections"].values() if s["total"] > s["correct"]]
    )
    # other settings, or a changed file, are not served stale numbers
    assert stored_results(card, suite, "add", 20_000) is None
    pairs.write_text("police\tofficers\t1\npolice\tfire\t9\n", encoding="utf-8")
    assert stored_results(card, [detect_benchmark(pairs)], "mul", 20_000) is None
