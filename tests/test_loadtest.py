"""The load test's harness (``bench/loadtest.py``) on a small class, so ``make loadtest``
keeps working: the simulated students reach every page they use, the checks see what
they must (no exception, no other workspace's model, the queue's jobs), and the report
lands in its own section of the results file. No timing is asserted."""

from __future__ import annotations

import pytest

from bench.loadtest_report import SECTION, write_results


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_small_class_runs_without_errors(default_model_store):
    from bench.loadtest import run

    figures = run(
        students=3,
        queries=2,
        trainers=1,
        uploaders=1,
        cancellers=1,
        think=(0.1, 0.3),
        store=default_model_store.root,
        browser=False,
        # One job at a time: the job to cancel waits behind the training, which is
        # long enough (20 epochs) to still run when the canceller submits.
        env={"EMBEDDINGS_MAX_JOBS": "1", "EMBEDDINGS_NO_WARMUP": "1"},
        train_values={"train_epochs": 20},
    )
    assert figures["exceptions"] == []
    assert figures["failures"] == {}
    assert figures["server_tracebacks"] == 0
    assert figures["foreign_models"] == {}
    assert figures["queries"] == 3 * 2
    queue = figures["queue"]
    assert (queue["jobs"], queue["lost"], queue["in_order"]) == (2, [], True)
    assert queue["cancel"] == ["cancelled while waiting"]
    assert figures["cpu_per_neighbours_query"] > 0
    assert figures["pss_after_mb"] > 0


def test_the_report_replaces_only_its_own_section(tmp_path):
    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\n| a | b |\n\n## Notes\n\nkept\n")
    write_results("first run", results)
    write_results("second run", results)
    text = results.read_text()
    assert text == (
        f"# Benchmark results\n\n| a | b |\n\n## Notes\n\nkept\n\n{SECTION}\n\nsecond run\n"
    )
    results.write_text(f"# B\n\n{SECTION}\n\nold\n\n## Later\n\nkept\n")
    write_results("new", results)
    assert results.read_text() == f"# B\n\n{SECTION}\n\nnew\n\n## Later\n\nkept\n"
