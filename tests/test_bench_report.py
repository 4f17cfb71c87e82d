"""The benchmark report: a partial run replaces only its own modules' rows."""

from __future__ import annotations

from bench.__main__ import write_report


def _row(name: str, value: float) -> dict:
    return {
        "benchmark": name,
        "ours": value,
        "reference": 1.0,
        "ratio": value,
        "unit": "s",
        "notes": "n",
    }


def test_a_partial_run_keeps_other_modules_and_later_sections(tmp_path):
    out = tmp_path / "RESULTS.md"
    write_report(
        out, [("bench_a", [_row("a", 2.0)], 5.0, ""), ("bench_b", [_row("b", 3.0)], 7.0, "")], False
    )
    out.write_text(
        out.read_text(encoding="utf-8") + "\n## Load test\n\np95 1.2 s\n", encoding="utf-8"
    )

    text = write_report(out, [("bench_b", [_row("b2", 4.0)], 9.0, "")], False, keep_others=True)

    assert "| bench_a | a | 2.0 |" in text
    assert "| bench_b | b |" not in text and "| bench_b | b2 | 4.0 |" in text
    assert "bench_a 5 s" in text and "bench_b 9 s" in text
    assert text.endswith("## Load test\n\np95 1.2 s\n")
    assert out.read_text(encoding="utf-8") == text


def test_a_full_run_writes_only_what_it_ran(tmp_path):
    out = tmp_path / "RESULTS.md"
    write_report(out, [("bench_a", [_row("a", 2.0)], 5.0, "")], False)
    text = write_report(out, [("bench_b", [_row("b", 3.0)], 7.0, "")], False)
    assert "bench_a" not in text and "| bench_b | b | 3.0 |" in text
