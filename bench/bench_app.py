"""App cold start: ``streamlit run app.py`` to the first rendered page in Chromium.

Measured from launching the server process until the home page's title is visible in a
headless Chromium, with a model store that already holds the default model (a later
start, not the first-ever one). The reference is a one-line Streamlit app
(``st.title``) started and rendered the same way in the same run, so the ratio shows
what the lab's own imports and pages add.

    python -m bench.bench_app [--quick]
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

HELLO = 'import streamlit as st\nst.title("Word Embedding Lab")\n'


def _start_and_render(script: Path, store: Path, browser) -> float:
    from tests.browser.conftest import AppServer

    server = AppServer(store, script=script)
    started = time.perf_counter()
    server.start(timeout=120)
    try:
        page = browser.new_page()
        page.goto(server.url)
        page.get_by_role("heading", name="Word Embedding Lab").wait_for(timeout=120_000)
        seconds = time.perf_counter() - started
        page.close()
    finally:
        server.stop()
    return seconds


def run(quick: bool = False) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from embeddings.train.default import ensure_default_model
    from embeddings.vectors.store import ModelStore
    from tests.browser.conftest import CHROMIUM, PROJECT

    reps = 2 if quick else 5
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "models"
        ensure_default_model(ModelStore(store))
        hello = Path(tmp) / "hello.py"
        hello.write_text(HELLO)
        ours, ref = [], []
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
            )
            for _ in range(reps):
                ours.append(_start_and_render(PROJECT / "app.py", store, browser))
                ref.append(_start_and_render(hello, store, browser))
            browser.close()
    o, r = statistics.median(ours), statistics.median(ref)
    from bench.table import row

    return [
        row(
            "app cold start to first rendered page (stored default model)",
            o,
            r,
            "s",
            f"reference: a one-line Streamlit app; median of {reps} interleaved starts",
            digits=2,
        )
    ]


if __name__ == "__main__":
    from bench.table import main

    main(run, __doc__.splitlines()[0])
