"""Load test: a class of students on one server (``make loadtest``).

Starts the real server (``streamlit run app.py``, production settings, its own model
store holding the default model, every session in a workspace of its own) and drives it
with simulated students. Each student opens the app in a new workspace, asks neighbour
and analogy queries with think time between them, and opens the Projection page once;
some train a small model at the same time, one uploads a corpus and prepares it, one
starts a training and cancels it while it waits in the job queue.

Why the websocket protocol and not 30 browsers: the server has two cores, and thirty
headless Chromium contexts on the same machine would take most of them (layout,
JavaScript, rendering), so the server's CPU per query and the answer times would
measure the browsers. The students here speak the browser's own protocol instead
(``bench/stclient.py``: the same ``BackMsg`` protobufs the frontend sends, captured from
Chromium: ``rerun_script`` with the query string, page script hash and every widget's
state; fragment auto-reruns on their interval; uploads by ``file_urls_request`` and an
HTTP PUT to ``/_stcore/upload_file/...``), so the server does exactly the work a class
of browsers causes. Calibration: the same neighbours queries are timed in one real
Chromium (input to the answer's text on screen) and by the protocol client on the same
idle server, both reported: the client's times end when the last message of the answer
has arrived, the browser's when it has drawn it (the difference is the browser's own
rendering, on the student's computer in a class; here it shares the server's two cores).

Figures (printed, and written to ``bench/RESULTS.md`` under "## Load test", replacing
that section): query time p50/p95 from the input sent to the whole answer received and
the app idle again (all queries, by kind, and those asked while a training ran), server CPU per neighbours query (the server process's
CPU time from ``/proc`` over 30 queries of one session on the otherwise idle server),
exceptions seen by any student, models of another workspace seen in a sidebar, server
memory (PSS), and the job queue (order, none lost, cancel while waiting).

    python -m bench.loadtest [--students 30] [--queries 20] [--no-browser] [--store DIR]

About 6 minutes with the defaults (training the default model into a temporary store
first takes one or two more unless ``--store`` names a store that holds it).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.loadtest_measure import (
    NEIGHBOUR_WORD,
    WORDS,
    browser_times,
    default_model_store,
    neighbours_cpu,
    pss_bytes,
    wait_quiet,
)
from bench.loadtest_report import RESULTS, figures, table, write_results
from bench.stclient import StreamlitSession

ANALOGIES = [
    ("man", "king", "woman"),
    ("france", "paris", "germany"),
    ("good", "better", "bad"),
    ("city", "cities", "country"),
    ("he", "his", "she"),
]


# -- one student ------------------------------------------------------------------------


@dataclass
class Student:
    """What one simulated student did and saw."""

    index: int
    role: str  # "query", "train", "upload" or "cancel"
    queries: list[tuple[str, float, float]] = field(default_factory=list)  # kind, start, s
    exceptions: list[str] = field(default_factory=list)
    foreign: set[str] = field(default_factory=set)  # models of another workspace seen
    workspaces: set[str] = field(default_factory=set)
    job: dict = field(default_factory=dict)  # submitted, started, ended, outcome
    failure: str = ""
    # Jobs are submitted in turn (trainings, the one to cancel, the upload), so the
    # queue's order can be checked: wait for ``after``, set ``turn`` once submitted.
    after: threading.Event | None = None
    turn: threading.Event = field(default_factory=threading.Event)

    @property
    def model(self) -> str:
        return f"student{self.index}-{self.role}"


def _check(student: Student, tab: StreamlitSession, shared: set[str], run) -> None:
    student.exceptions += run.exceptions
    token = tab.query_string.partition("workspace=")[2].split("&")[0]
    if token:
        student.workspaces.add(token)
    if tab.widget("sidebar_model") is not None:
        own = {student.model} if student.role in ("train", "cancel") else set()
        student.foreign |= set(tab.options("sidebar_model")) - shared - own


def _job(student: Student, tab: StreamlitSession, shared: set[str], start, cancel=False):
    """Start a job with ``start()`` and watch its panel (the page polls) until it ends."""
    if student.after is not None:
        student.after.wait(300)
    now = time.monotonic()
    student.job = {"submitted": now, "waiting_until": now, "started": None, "ended": None}
    try:
        _check(student, tab, shared, start())
    finally:
        student.turn.set()
    waited, quiet = False, 0
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        bars = tab.progress()  # none while the page is between two runs
        waiting = any(t.startswith("Waiting") for t in bars)
        waited |= waiting
        if waiting:
            student.job["waiting_until"] = time.monotonic()
        if cancel and waiting:
            _check(student, tab, shared, tab.click("cancel_training"))
            student.job.update(ended=time.monotonic(), outcome="cancelled while waiting")
            # The fragment's rerun asks for a whole run, which shows the outcome.
            if not tab.wait_until(lambda t: any("cancelled" in x for x in t.texts()), 30):
                student.failure = "no 'cancelled' message after Cancel"
            return
        if bars and not waiting and student.job["started"] is None:
            student.job["started"] = time.monotonic()
        # Ended: the panel stopped polling (seen twice: its request to poll follows
        # the run that drew it).
        quiet = 0 if tab.polling else quiet + 1
        if quiet >= 2:
            break
        time.sleep(0.5)
    student.job["ended"] = time.monotonic()
    student.job["waited"] = waited
    if cancel:
        student.job["outcome"] = "never waited (queue not full)"
        return

    def finished(t: StreamlitSession) -> bool:
        return any("Prepared" in x for x in t.texts()) or student.model in t.options(
            "sidebar_model"
        )

    # The panel's end reruns the app twice (the result taken, then shown): under load
    # the outcome may be drawn a moment after the polling stopped.
    if tab.wait_until(finished, 60):
        student.job["outcome"] = "done"
    else:
        student.job["outcome"] = "lost or failed: " + " ".join(tab.texts())[:300]


def _wait_for_widget(tab: StreamlitSession, key: str, timeout: float = 180) -> None:
    """Wait until the page shows the widget ``key``: a first visit may still be drawing
    (the bundled corpus is tokenized on the Train page's first visit). On a timeout the
    error names what the page showed instead."""
    if not tab.wait_until(lambda t: t.widget(key) is not None, timeout):
        shown = " | ".join(tab.texts())[:400]
        raise KeyError(f"no widget {key!r} on the page after {timeout:.0f} s; it shows: {shown}")


def arrival(student: Student, rng: random.Random) -> float:
    """Seconds after the start when ``student`` opens the app: the class arrives over ten
    seconds, those who start jobs first."""
    return 0.4 * student.index if student.role != "query" else rng.uniform(0, 10)


def run_student(
    student: Student,
    url: str,
    queries: int,
    think,
    shared,
    done: threading.Barrier,
    train_values: dict | None = None,
) -> None:
    """One student's session, from opening the app to the Projection page; the tab
    stays open until the whole class is ``done`` (the memory is measured then)."""
    rng = random.Random(student.index)
    time.sleep(arrival(student, rng))
    tab = StreamlitSession(url)
    try:
        _check(student, tab, shared, tab.open())
        if student.role in ("train", "cancel"):
            _check(student, tab, shared, tab.go("Train"))
            _wait_for_widget(tab, "train_name")
            tab.fill({"train_name": student.model, "train_vector_size": 50, **(train_values or {})})
            _job(student, tab, shared, lambda: tab.click("train_start"), student.role == "cancel")
        elif student.role == "upload":
            from embeddings.corpus.bundled import LEE_BACKGROUND, gensim_data

            _check(student, tab, shared, tab.go("Corpus"))
            _check(student, tab, shared, tab.set("corpus_source", "Upload a file"))
            data = gensim_data(LEE_BACKGROUND).read_bytes()
            _check(student, tab, shared, tab.upload("corpus_upload", "news.txt", data))
            _job(student, tab, shared, lambda: tab.click("corpus_prepare"))
        _check(student, tab, shared, tab.go("Neighbours"))
        for i in range(queries):
            if i == queries // 2:
                _check(student, tab, shared, tab.go("Analogies"))
            time.sleep(rng.uniform(*think))
            started = time.monotonic()
            if i < queries // 2:
                run = tab.set(NEIGHBOUR_WORD, rng.choice(WORDS))
                kind = "neighbours"
            else:
                a, b, c = rng.choice(ANALOGIES)
                tab.fill({"an_a": a, "an_b": b})  # typed; the third box sends the query
                run = tab.set("an_c", c)
                kind = "analogy"
            _check(student, tab, shared, run)
            student.queries.append((kind, started, run.seconds))
        _check(student, tab, shared, tab.go("Projection"))
    except Exception as exc:  # noqa: BLE001 - reported as this student's failure
        student.failure = f"{type(exc).__name__}: {exc}"
    finally:
        student.turn.set()
        with contextlib.suppress(threading.BrokenBarrierError):
            done.wait(900)
        tab.close()


# -- the run --------------------------------------------------------------------------


def run(
    students: int = 30,
    queries: int = 20,
    trainers: int = 3,
    uploaders: int = 1,
    cancellers: int = 1,
    think: tuple[float, float] = (2.0, 6.0),
    store: Path | None = None,
    browser: bool = True,
    env: dict | None = None,
    profile: Path | None = None,
    train_values: dict | None = None,
) -> dict:
    """Run the load test against a fresh server; returns the figures (see the module)."""
    from tests.browser.conftest import AppServer

    load_before = os.getloadavg()[0]

    with tempfile.TemporaryDirectory(prefix="loadtest-") as tmp:
        tmp = Path(tmp)
        if store is None:
            store = default_model_store(tmp)
        else:
            store = Path(shutil.copytree(store, tmp / "models"))
        server = AppServer(store, env={"EMBEDDINGS_WORKSPACES": str(tmp / "ws"), **(env or {})})
        server.start(timeout=180)
        pid = server.proc.pid
        try:
            first = StreamlitSession(server.url)
            first.open()  # the first page starts the warm-up; let it finish
            shared = set(first.options("sidebar_model"))
            first.close()
            wait_quiet(pid)
            cpu, client_seconds = neighbours_cpu(server.url, pid, profile=profile)
            chromium = browser_times(server.url) if browser else []
            pss_before = pss_bytes(pid)
            roles = (["train"] * trainers + ["cancel"] * cancellers + ["upload"] * uploaders) + [
                "query"
            ] * max(0, students - trainers - cancellers - uploaders)
            crowd = [Student(i, role) for i, role in enumerate(roles)]
            jobs = [s for s in crowd if s.role != "query"]
            for before, student in zip(jobs, jobs[1:], strict=False):
                student.after = before.turn
            peak = [pss_before]
            stop = threading.Event()

            def sample() -> None:
                while not stop.wait(1):
                    peak[0] = max(peak[0], pss_bytes(pid))

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            t0 = time.monotonic()
            done = threading.Barrier(len(crowd) + 1)
            threads = [
                threading.Thread(
                    target=run_student,
                    args=(s, server.url, queries, think, shared, done, train_values),
                )
                for s in crowd
            ]
            for thread in threads:
                thread.start()
            with contextlib.suppress(threading.BrokenBarrierError):
                done.wait(1800)  # every tab still open
            seconds = time.monotonic() - t0
            stop.set()
            pss_after = pss_bytes(pid)
            for thread in threads:
                thread.join()
        finally:
            server.stop()
            log = server.log.read_text(errors="replace") if server.log.exists() else ""
    return figures(
        crowd, cpu, client_seconds, chromium, pss_before, peak[0], pss_after, seconds, log
    ) | {"load_before": load_before}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--trainers", type=int, default=3)
    parser.add_argument("--store", type=Path, help="a model store holding the default model")
    parser.add_argument("--no-browser", action="store_true", help="skip the calibration")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--profile", type=Path, help="py-spy's raw stacks of the server during the CPU figure"
    )
    args = parser.parse_args(argv)
    f = run(
        args.students,
        args.queries,
        args.trainers,
        store=args.store,
        browser=not args.no_browser,
        profile=args.profile,
    )
    text = table(f)
    details = [
        f"- {k}: {v}"
        for k, v in (
            ("exceptions", f["exceptions"][:5]),
            ("failures", f["failures"]),
            ("foreign models", f["foreign_models"]),
            ("lost jobs", f["queue"]["lost"]),
            ("slowest queries (s, kind, s after the first query, student)", f["slowest"]),
            (
                "jobs (model, submitted, last seen waiting, seen running, ended; s)",
                f["queue"]["timeline"],
            ),
        )
        if v
    ]
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    body = (
        f"`make loadtest` ({stamp}, {os.cpu_count()} cores, load average "
        f"{f['load_before']:.1f} before the run): {f['students']} students "
        f"in their own workspaces through Streamlit's websocket protocol "
        f"(`bench/loadtest.py` says why), {args.queries} queries each with 2-6 s of think "
        f"time, {args.trainers} trainings, 1 corpus upload, 1 training cancelled while "
        "waiting. Timings are meaningful on an otherwise idle machine only.\n\n"
        + text
        + ("\n\n" + "\n".join(details) if details else "")
    )
    print(body)
    write_results(body, args.out)
    return f


if __name__ == "__main__":
    main()
