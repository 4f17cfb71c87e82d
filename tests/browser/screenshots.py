"""Screenshots of every page at 1400x1000, for looking at layouts.

Run from the project root::

    python -m tests.browser.screenshots [--store DIR] [--out DIR] [--pages Home,Evaluate]
        [--words france,spain,spanish,russia]

The store (``--store``, or a temporary one) gets the default Word2Vec model if it lacks
it (trained once, in reproducible mode). The pages show the store's newest model; for
another one (e.g. a Korean FastText model added after the default) give ``--words``, four
words it knows. The PNGs (full pages) go to ``tests/screenshots/pages/``, which git
ignores. Each page is opened from the sidebar, given the input its first view needs
(a word on Neighbours, a computed map on Projection), and shot when the app is idle.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from tests.browser.conftest import CHROMIUM, PROJECT, AppServer
from tests.browser.helpers import fill, go_to, wait_for_app

PAGES = [
    "Home",
    "Concepts",
    "Corpus",
    "Train",
    "Models",
    "Neighbours",
    "Analogies",
    "Subwords",
    "Co-occurrence",
    "Projection",
    "Evaluate",
    "Compare models",
    "Recommender",
    "Classifier",
]


# The word Neighbours looks up, then the analogy's a, b and c (words the default model knows).
DEFAULT_WORDS = ("france", "spain", "spanish", "russia")


def _prepare(page, title: str, words=DEFAULT_WORDS) -> None:
    """What a user does first on the page, so the shot shows its results."""
    if title == "Neighbours":
        fill(page, "Word (several words are added together)", words[0])
    elif title == "Analogies":
        fill(page, "a", words[1])
        fill(page, "b (is to a as ? is to c)", words[2])
        fill(page, "c", words[3])
    elif title in ("Projection", "Recommender", "Classifier", "Co-occurrence"):
        page.wait_for_timeout(3_000)  # background work (maps, document vectors)
        wait_for_app(page, 240_000)


def _shoot_whole(page, path: Path) -> None:
    """The whole page: Streamlit scrolls its main block, not the document, so the window
    is made as tall as the content for the shot (and set back afterwards)."""
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll("
        "'[data-testid=stMain], [data-testid=stSidebarContent]')].map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": 1400, "height": max(1000, int(height))})
    # Every chart drawn (on a busy machine a fixed pause shot an empty frame).
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]"
        ".every(e => e.querySelector('.main-svg'))",
        timeout=60_000,
    )
    page.wait_for_timeout(1_000)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})


def default_store(root: Path | None = None) -> Path:
    """``root`` (default: a new temporary folder) holding the default Word2Vec model."""
    from embeddings.train.default import ensure_default_model
    from embeddings.vectors.store import ModelStore

    root = root or Path(tempfile.mkdtemp(prefix="screens-")) / "models"
    ensure_default_model(ModelStore(root))
    return root


def shoot(store: Path, out: Path, titles: list[str], words=DEFAULT_WORDS) -> list[Path]:
    """Screenshot each page in ``titles`` on the store's newest model (the one a new
    session starts on); return the PNG paths. ``words``: see :data:`DEFAULT_WORDS`."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    server = AppServer(store).start()
    shots = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(server.url)
            wait_for_app(page, 240_000)
            for title in titles:
                go_to(page, title, 240_000)
                _prepare(page, title, words)
                page.wait_for_timeout(1_500)  # charts finish drawing
                path = out / f"{PAGES.index(title):02d}-{title.lower().replace(' ', '-')}.png"
                _shoot_whole(page, path)
                shots.append(path)
                print(path)
            browser.close()
    finally:
        server.stop()
    return shots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a model store (default: a new one)")
    parser.add_argument("--out", type=Path, default=PROJECT / "tests" / "screenshots" / "pages")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated titles")
    parser.add_argument(
        "--words",
        default=",".join(DEFAULT_WORDS),
        help="four comma-separated words the newest model knows: the Neighbours word, "
        "then the analogy's a, b, c",
    )
    args = parser.parse_args()
    store = default_store(args.store)
    os.environ.setdefault("EMBEDDINGS_HOME", str(store))
    titles = [t.strip() for t in args.pages.split(",") if t.strip()]
    words = tuple(w.strip() for w in args.words.split(","))
    if len(words) != 4:
        parser.error("--words takes four words")
    shoot(store, args.out, titles, words)


if __name__ == "__main__":
    main()
