"""The row format every benchmark returns, printed as a Markdown table."""

from __future__ import annotations

import argparse
from collections.abc import Callable

HEADER = "| benchmark | ours | reference | ratio | unit | notes |\n|---|---|---|---|---|---|"


def row(benchmark: str, ours: float, reference: float, unit: str, notes: str, digits: int = 3):
    """One row: ``ours`` and ``reference`` rounded to ``digits``, their ratio to three."""
    return {
        "benchmark": benchmark,
        "ours": round(ours, digits),
        "reference": round(reference, digits),
        "ratio": round(ours / reference, 3),
        "unit": unit,
        "notes": notes,
    }


def format_rows(rows: list[dict]) -> str:
    lines = [HEADER]
    for r in rows:
        lines.append(
            f"| {r['benchmark']} | {r['ours']} | {r['reference']} | {r['ratio']} | {r['unit']} | {r['notes']} |"
        )
    return "\n".join(lines)


def main(run: Callable[[bool], list[dict]], description: str) -> None:
    """``python -m bench.bench_x [--quick]``: run and print the table."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    print(format_rows(run(parser.parse_args().quick)))
