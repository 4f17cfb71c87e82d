"""What the load test measures on the server process and in a real browser.

``/proc`` gives the server's CPU seconds (``stat``) and its proportional set size
(``smaps_rollup``: each shared page counted once across the processes that map it).
:func:`browser_times` is the calibration: the same neighbours queries timed in one real
Chromium, from pressing Enter to the answer on screen.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from bench.stclient import StreamlitSession

WORDS = (
    "king queen city war music school river church army money government police film "
    "book game team party law water world president country people family house"
).split()
NEIGHBOUR_WORD = "nb_word"


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


def neighbours_cpu(
    url: str, pid: int, n: int = 30, profile: Path | None = None
) -> tuple[float, list[float]]:
    """Server CPU seconds per neighbours query, and the client's answer times, over
    ``n`` queries of one session on the otherwise idle server.

    With ``profile``, py-spy samples every thread of the server meanwhile and writes
    its raw stacks there (``py-spy`` must be installed and allowed to attach).
    """
    tab = StreamlitSession(url)
    tab.open()
    tab.go("Neighbours")
    for word in WORDS[:3]:  # the model loaded, the page's caches warm
        tab.set(NEIGHBOUR_WORD, word)
    spy = None
    if profile is not None:
        command = ["py-spy", "record", "-p", str(pid), "-o", str(profile), "-f", "raw"]
        spy = subprocess.Popen([*command, "-r", "200", "--threads"], stdout=subprocess.DEVNULL)
    time.sleep(2 if spy else 1)
    before, seconds = cpu_seconds(pid), []
    for i in range(n):
        seconds.append(tab.set(NEIGHBOUR_WORD, WORDS[i % len(WORDS)]).seconds)
    used = cpu_seconds(pid) - before
    if spy is not None:
        spy.send_signal(signal.SIGINT)  # py-spy writes its file on an interrupt
        spy.wait(30)
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
