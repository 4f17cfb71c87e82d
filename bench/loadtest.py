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
idle server, both reported, so the client's times can be read as browser times.

Figures (printed, and written to ``bench/RESULTS.md`` under "## Load test", replacing
that section): query time p50/p95 from input to the rendered answer (all queries, and
those asked while a training ran), server CPU per neighbours query (the server process's
CPU time from ``/proc`` over 30 queries of one session on the otherwise idle server),
exceptions seen by any student, models of another workspace seen in a sidebar, server
memory (PSS), and the job queue (order, none lost, cancel while waiting).

    python -m bench.loadtest [--students 30] [--queries 20] [--no-browser]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.stclient import StreamlitSession

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
SECTION = "## Load test"
WORDS = (
    "king queen city war music school river church army money government police film "
    "book game team party law water world president country people family house"
).split()
ANALOGIES = [
    ("man", "king", "woman"),
    ("france", "paris", "germany"),
    ("good", "better", "bad"),
    ("city", "cities", "country"),
    ("he", "his", "she"),
]
NEIGHBOUR_WORD = "nb_word"


# -- the server -------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pss_bytes(pid: int) -> int:
    """Proportional set size of process ``pid``: its share of every page it maps."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return 0


def wait_quiet(pid: int, timeout: float = 180, share: float = 0.05) -> None:
    """Wait until the server uses under ``share`` of a core for two seconds in a row
    (the start-up warm-up has finished)."""
    deadline = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < deadline and quiet < 2:
        before = cpu_seconds(pid)
        time.sleep(1)
        quiet = quiet + 1 if cpu_seconds(pid) - before < share else 0


def default_model_store(root: Path) -> Path:
    """A model store under ``root`` holding the default model (trained there once)."""
    from embeddings.train.default import ensure_default_model
    from embeddings.vectors.store import ModelStore

    store = root / "models"
    old = os.environ.get("EMBEDDINGS_HOME")
    os.environ["EMBEDDINGS_HOME"] = str(store)
    try:
        ensure_default_model(ModelStore(store))
    finally:
        os.environ.pop("EMBEDDINGS_HOME") if old is None else os.environ.update(EMBEDDINGS_HOME=old)
    return store


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

    @property
    def model(self) -> str:
        return f"student{self.index}-{self.role}"


def _check(student: Student, tab: StreamlitSession, shared: set[str], run) -> None:
    student.exceptions += run.exceptions
    token = tab.query_string.partition("workspace=")[2].split("&")[0]
    if token:
        student.workspaces.add(token)
    if tab.has("sidebar_model"):
        own = {student.model} if student.role in ("train",) else set()
        student.foreign |= set(tab.options("sidebar_model")) - shared - own


def _job(student: Student, tab: StreamlitSession, shared: set[str], start, cancel=False):
    """Start a job with ``start()`` and watch its panel (the page polls) until it ends."""
    student.job = {"submitted": time.monotonic(), "started": None, "ended": None}
    _check(student, tab, shared, start())
    waited, quiet = False, 0
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        texts = tab.texts()
        waiting = any(t.startswith("Waiting") for t in texts)
        waited |= waiting
        if cancel and waiting:
            _check(student, tab, shared, tab.click("cancel_training"))
            student.job.update(ended=time.monotonic(), outcome="cancelled while waiting")
            # The fragment's rerun asks for a whole run, which shows the outcome.
            if not tab.wait_until(lambda t: any("cancelled" in x for x in t.texts()), 30):
                student.failure = "no 'cancelled' message after Cancel"
            return
        if not waiting and student.job["started"] is None:
            student.job["started"] = time.monotonic()
        # Ended: the panel stopped polling (seen twice: its request to poll follows
        # the run that drew it).
        quiet = 0 if tab.polling else quiet + 1
        if quiet >= 2:
            break
        time.sleep(0.5)
    student.job["ended"] = time.monotonic()
    student.job["waited"] = waited
    texts = " ".join(tab.texts())
    if cancel:
        student.job["outcome"] = "never waited (queue not full)"
    elif "Prepared" in texts or student.model in tab.options("sidebar_model"):
        student.job["outcome"] = "done"
    else:
        student.job["outcome"] = "lost or failed: " + texts[:300]


def arrival(student: Student, rng: random.Random) -> float:
    """Seconds after the start when ``student`` opens the app: the class arrives over ten
    seconds; the jobs are started first, in a known order (trainings, the one to
    cancel, the upload), so the queue's order can be checked."""
    order = {"train": 0.0, "cancel": 1.0, "upload": 1.5}
    if student.role in order:
        return order[student.role] + 0.4 * student.index
    return rng.uniform(0, 10)


def run_student(student: Student, url: str, queries: int, think, shared) -> None:
    """One student's session, from opening the app to the Projection page."""
    rng = random.Random(student.index)
    time.sleep(arrival(student, rng))
    tab = StreamlitSession(url)
    try:
        _check(student, tab, shared, tab.open())
        if student.role in ("train", "cancel"):
            _check(student, tab, shared, tab.go("Train"))
            tab.fill({"train_name": student.model, "train_vector_size": 50})
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
        tab.close()


# -- the run --------------------------------------------------------------------------


def neighbours_cpu(url: str, pid: int, n: int = 30) -> tuple[float, list[float]]:
    """Server CPU seconds per neighbours query, and the client's answer times, over
    ``n`` queries of one session on the otherwise idle server."""
    tab = StreamlitSession(url)
    tab.open()
    tab.go("Neighbours")
    for word in WORDS[:3]:  # the model loaded, the page's caches warm
        tab.set(NEIGHBOUR_WORD, word)
    time.sleep(1)
    before, seconds = cpu_seconds(pid), []
    for i in range(n):
        seconds.append(tab.set(NEIGHBOUR_WORD, WORDS[i % len(WORDS)]).seconds)
    used = cpu_seconds(pid) - before
    tab.close()
    return used / n, seconds


def browser_times(url: str, n: int = 10) -> list[float]:
    """Seconds from pressing Enter in the word box to the answer on screen, in one real
    Chromium (the calibration of the protocol client's times)."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM
    from tests.browser.helpers import go_to, wait_for_app

    seconds = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        wait_for_app(page, 120_000)
        go_to(page, "Neighbours")
        box = page.get_by_label("Word (several words are added together)", exact=True)
        for i in range(n + 2):
            word = WORDS[(i + 7) % len(WORDS)]
            box.fill(word)
            started = time.perf_counter()
            box.press("Enter")
            page.get_by_text(f"Nearest to {word}", exact=True).wait_for(timeout=60_000)
            if i >= 2:  # the first two warm the page
                seconds.append(time.perf_counter() - started)
            wait_for_app(page)
        browser.close()
    return seconds


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def queue_report(students: list[Student]) -> dict:
    """Order of the jobs that waited, jobs lost, and the cancel of a waiting job."""
    jobs = [s for s in students if s.job and s.role != "cancel"]
    lost = [s.model for s in jobs if s.job.get("outcome") != "done"]
    by_submit = sorted(jobs, key=lambda s: s.job["submitted"])
    # Started in the order submitted (within the panel's half-second polling).
    in_order = all(
        (a.job["started"] or 0) <= (b.job["started"] or 0) + 0.75
        for a, b in zip(by_submit, by_submit[1:], strict=False)
    )
    cancels = [s.job.get("outcome", "") for s in students if s.role == "cancel"]
    return {
        "jobs": len(jobs),
        "waited": sum(bool(s.job.get("waited")) for s in jobs),
        "lost": lost,
        "in_order": in_order,
        "cancel": cancels,
    }


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
) -> dict:
    """Run the load test against a fresh server; returns the figures (see the module)."""
    from tests.browser.conftest import AppServer

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
            cpu, client_seconds = neighbours_cpu(server.url, pid)
            chromium = browser_times(server.url) if browser else []
            pss_before = pss_bytes(pid)
            roles = (["train"] * trainers + ["cancel"] * cancellers + ["upload"] * uploaders) + [
                "query"
            ] * max(0, students - trainers - cancellers - uploaders)
            crowd = [Student(i, role) for i, role in enumerate(roles)]
            peak = [pss_before]
            stop = threading.Event()

            def sample() -> None:
                while not stop.wait(1):
                    peak[0] = max(peak[0], pss_bytes(pid))

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            t0 = time.monotonic()
            threads = [
                threading.Thread(target=run_student, args=(s, server.url, queries, think, shared))
                for s in crowd
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            stop.set()
            pss_after = pss_bytes(pid)
            seconds = time.monotonic() - t0
        finally:
            server.stop()
            log = server.log.read_text(errors="replace") if server.log.exists() else ""
    return figures(
        crowd, cpu, client_seconds, chromium, pss_before, peak[0], pss_after, seconds, log
    )


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
    return {
        "students": len(crowd),
        "queries": len(times),
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


# -- the report -----------------------------------------------------------------------


def table(f: dict) -> str:
    """The figures as a Markdown table, each beside its goal."""
    q = f["queue"]
    chromium = (
        f"; one Chromium on the same idle server: {f['chromium_p50_idle']:.3f} s"
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
            "answer time on the idle server, p50 (protocol client)",
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


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--trainers", type=int, default=3)
    parser.add_argument("--store", type=Path, help="a model store holding the default model")
    parser.add_argument("--no-browser", action="store_true", help="skip the calibration")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    f = run(
        args.students, args.queries, args.trainers, store=args.store, browser=not args.no_browser
    )
    text = table(f)
    details = [
        f"- {k}: {v}"
        for k, v in (
            ("exceptions", f["exceptions"][:5]),
            ("failures", f["failures"]),
            ("foreign models", f["foreign_models"]),
            ("lost jobs", f["queue"]["lost"]),
        )
        if v
    ]
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    body = (
        f"`make loadtest` ({stamp}, {os.cpu_count()} cores): {f['students']} students "
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
