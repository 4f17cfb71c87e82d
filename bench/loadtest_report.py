"""The load test's figures: from what the students saw to a table in bench/RESULTS.md."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTION = "## Load test"


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def queue_report(students: list) -> dict:
    """Order of the jobs that waited, jobs lost, and the cancel of a waiting job."""
    jobs = [s for s in students if s.job and s.role != "cancel"]
    lost = [f"{s.model}: {s.job.get('outcome')}" for s in jobs if s.job.get("outcome") != "done"]
    by_submit = sorted(jobs, key=lambda s: s.job["submitted"])
    first = by_submit[0].job["submitted"] if by_submit else 0
    # Started in the order submitted: no job was still seen waiting after a job
    # submitted later was seen running (the panels poll twice a second).
    in_order = all(
        a.job["waiting_until"] <= (b.job["started"] or float("inf"))
        for i, a in enumerate(by_submit)
        for b in by_submit[i + 1 :]
    )
    cancels = [s.job.get("outcome", "") for s in students if s.role == "cancel"]
    return {
        "jobs": len(jobs),
        "waited": sum(bool(s.job.get("waited")) for s in jobs),
        "lost": lost,
        "in_order": in_order,
        "cancel": cancels,
        "timeline": [  # seconds from the first submission: submitted, last seen waiting, seen running
            (
                s.model,
                *(
                    round(s.job[k] - first, 1) if s.job[k] else None
                    for k in ("submitted", "waiting_until", "started", "ended")
                ),
            )
            for s in by_submit
        ],
    }


def figures(
    crowd, cpu, client_seconds, chromium, pss_before, peak, pss_after, seconds, log
) -> dict:
    """The load test's figures from what the students saw and the server measures."""
    training = [(s.job["submitted"], s.job["ended"]) for s in crowd if s.role == "train" and s.job]
    times = [sec for s in crowd for _, _, sec in s.queries]
    during = [
        sec
        for s in crowd
        for _, start, sec in s.queries
        if any(a <= start <= (b or a) for a, b in training)
    ]
    t0 = min((start for s in crowd for _, start, _ in s.queries), default=0)
    by_kind = {
        kind: [sec for s in crowd for k, _, sec in s.queries if k == kind]
        for kind in ("neighbours", "analogy")
    }
    slowest = sorted(
        (
            (round(sec, 2), kind, round(start - t0, 1), s.index)
            for s in crowd
            for kind, start, sec in s.queries
        ),
        reverse=True,
    )[:8]
    return {
        "students": len(crowd),
        "queries": len(times),
        "by_kind": {k: (percentile(v, 0.5), percentile(v, 0.95)) for k, v in by_kind.items()},
        "slowest": slowest,
        "seconds": round(seconds, 1),
        "query_p50": percentile(times, 0.5),
        "query_p95": percentile(times, 0.95),
        "during_training": len(during),
        "during_p50": percentile(during, 0.5),
        "during_p95": percentile(during, 0.95),
        "cpu_per_neighbours_query": cpu,
        "client_p50_idle": percentile(client_seconds, 0.5),
        "chromium_p50_idle": percentile(chromium, 0.5) if chromium else None,
        "exceptions": [e for s in crowd for e in s.exceptions],
        "server_tracebacks": log.count("Traceback (most recent call last)"),
        "failures": {s.index: s.failure for s in crowd if s.failure},
        "foreign_models": {s.index: sorted(s.foreign) for s in crowd if s.foreign},
        "workspace_changes": sum(max(0, len(s.workspaces) - 1) for s in crowd),
        "pss_before_mb": pss_before / 2**20,
        "pss_peak_mb": peak / 2**20,
        "pss_after_mb": pss_after / 2**20,
        "mb_per_session": (pss_after - pss_before) / 2**20 / max(1, len(crowd)),
        "queue": queue_report(crowd),
    }


def table(f: dict) -> str:
    """The figures as a Markdown table, each beside its goal."""
    q = f["queue"]
    chromium = (
        f"; one Chromium, to the answer drawn: {f['chromium_p50_idle']:.3f} s"
        if f["chromium_p50_idle"] is not None
        else ""
    )
    rows = [
        (
            "students / queries / wall time",
            f"{f['students']} / {f['queries']} / {f['seconds']:.0f} s",
            "",
        ),
        (
            "query (neighbours/analogy), input to answer, p50 / p95",
            f"{f['query_p50']:.2f} s / {f['query_p95']:.2f} s",
            "",
        ),
        *(
            (f"{kind} queries, p50 / p95", f"{p50:.2f} s / {p95:.2f} s", "")
            for kind, (p50, p95) in f["by_kind"].items()
        ),
        (
            f"the same while a training ran ({f['during_training']} queries), p50 / p95",
            f"{f['during_p50']:.2f} s / {f['during_p95']:.2f} s",
            "p95 at most 2 s",
        ),
        (
            "server CPU per neighbours query (one session, idle server)",
            f"{f['cpu_per_neighbours_query']:.3f} s",
            "at most 0.05 s",
        ),
        (
            "calibration, idle server, p50: protocol client to the answer received",
            f"{f['client_p50_idle']:.3f} s{chromium}",
            "calibration",
        ),
        (
            "exceptions seen by students / tracebacks in the server log / failed students",
            f"{len(f['exceptions'])} / {f['server_tracebacks']} / {len(f['failures'])}",
            "0",
        ),
        ("students who saw another workspace's model", str(len(f["foreign_models"])), "never"),
        ("workspace changes within a session", str(f["workspace_changes"]), "0"),
        (
            "server memory (PSS): before the class / peak / after",
            f"{f['pss_before_mb']:.0f} / {f['pss_peak_mb']:.0f} / {f['pss_after_mb']:.0f} MB",
            "",
        ),
        (
            "memory per session ((after - before) / students)",
            f"{f['mb_per_session']:.1f} MB",
            "at most 100 MB",
        ),
        (
            "jobs: run / waited in line / lost / in order",
            f"{q['jobs']} / {q['waited']} / {len(q['lost'])} / {'yes' if q['in_order'] else 'NO'}",
            "none lost, in order",
        ),
        ("cancel of a waiting job", "; ".join(q["cancel"]) or "not tried", "works"),
    ]
    lines = ["| figure | measured | goal |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def write_results(text: str, path: Path = RESULTS) -> None:
    """Put ``text`` under the "## Load test" heading of ``path``, replacing that section
    (up to the next "## " heading) and keeping everything else."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    section = f"{SECTION}\n\n{text.strip()}\n"
    start = old.find(f"\n{SECTION}\n")
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + section
    else:
        end = old.find("\n## ", start + 1)
        new = old[: start + 1] + section + (old[end:] if end >= 0 else "")
    path.write_text(new, encoding="utf-8")
