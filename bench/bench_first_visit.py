"""A page's first visit while the start-up warm-up runs: the Co-occurrence page opened
10 s after the server's first page, against the same visit with the warm-up off.

The warm-up compiles UMAP (numba) in a background thread for about 40 s after the first
page of a fresh server. Any other numba code waits for numba's process-wide compiler
lock, even to load a kernel from the on-disk cache, so the lab's own kernels are readied
first (``utils/warmup.py``). The reference is a server started with
``EMBEDDINGS_NO_WARMUP=1``: a ratio near 1 means the page does not wait for the warm-up.
Each visit is timed from the click on the sidebar link until the counts are shown, on
the bundled corpus (prepared beforehand), with numba's on-disk cache warm.

    python -m bench.bench_first_visit [--quick]
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

CLICK_DELAY = 10.0  # seconds after the first page: UMAP is on its long pynndescent path


def _first_visit(store: Path, browser, warmup: bool) -> float:
    from tests.browser.conftest import AppServer
    from tests.browser.helpers import go_to, wait_for_app

    server = AppServer(store, env={} if warmup else {"EMBEDDINGS_NO_WARMUP": "1"})
    server.start(timeout=120)
    try:
        page = browser.new_page()
        page.goto(server.url)
        wait_for_app(page, 180_000)  # the first run of app.py starts the warm-up
        time.sleep(CLICK_DELAY)
        started = time.perf_counter()
        go_to(page, "Co-occurrence", 300_000)
        page.get_by_text("distinct (word, context) pairs").first.wait_for(timeout=300_000)
        seconds = time.perf_counter() - started
        page.close()
    finally:
        server.stop()
    return seconds


def run(quick: bool = False) -> list[dict]:
    import numpy as np
    from gensim.models import KeyedVectors
    from playwright.sync_api import sync_playwright

    from embeddings.corpus.cooccurrence import compile_kernels
    from embeddings.corpus.sentences import prepare_bundled_corpus
    from embeddings.vectors.store import ModelCard, ModelStore
    from tests.browser.conftest import CHROMIUM

    reps = 1 if quick else 3
    compile_kernels()  # numba's on-disk cache warm, as on any later start
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "models"
        kv = KeyedVectors(4)
        kv.add_vectors(["cat", "dog"], np.eye(2, 4, dtype=np.float32))
        ModelStore(store).save(kv, ModelCard(name="tiny", algorithm="word2vec"))
        old = os.environ.get("EMBEDDINGS_HOME")
        os.environ["EMBEDDINGS_HOME"] = str(store)  # the corpus cache the server reads
        try:
            prepare_bundled_corpus("wiki+lee", "simple")
        finally:
            if old is None:
                os.environ.pop("EMBEDDINGS_HOME")
            else:
                os.environ["EMBEDDINGS_HOME"] = old
        ours, ref = [], []
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
            )
            for _ in range(reps):
                ours.append(_first_visit(store, browser, warmup=True))
                ref.append(_first_visit(store, browser, warmup=False))
            browser.close()
    o, r = statistics.median(ours), statistics.median(ref)
    return [
        {
            "benchmark": "Co-occurrence first visit during the start-up warm-up",
            "ours": round(o, 2),
            "reference": round(r, 2),
            "ratio": round(o / r, 3),
            "unit": "s",
            "notes": f"reference: warm-up off; click {CLICK_DELAY:.0f} s after the first page; "
            f"median of {reps} interleaved starts",
        }
    ]


if __name__ == "__main__":
    from bench.table import main

    main(run, __doc__.splitlines()[0])
