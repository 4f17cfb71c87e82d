"""In a real browser: a model trained on the bundled Korean corpus, projected with its
Hangul words as labels; the screenshot (always kept) shows whether they render."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AppServer
from tests.browser.helpers import expect_no_exception, open_page, wait_for_app

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.fixture
def korean_server(tmp_path):
    from embeddings.train.default import ensure_korean_fasttext
    from embeddings.vectors.store import ModelStore

    store = ModelStore(tmp_path / "models")
    ensure_korean_fasttext(store, jamo=False)
    server = AppServer(tmp_path / "models").start()
    yield server
    server.stop()


def test_a_cjk_font_is_installed():
    if shutil.which("fc-list") is None:
        pytest.skip("no fontconfig here")
    fonts = subprocess.run(["fc-list", ":lang=ko"], capture_output=True, text=True).stdout
    assert fonts.strip(), "no Korean font: run scripts/install-system-deps.sh"


def test_korean_words_label_the_projection(page, korean_server):
    open_page(page, korean_server.url, "Projection")
    top = page.get_by_label(re.compile("Top-N"))
    top.fill("40")
    top.press("Enter")
    wait_for_app(page, 120_000)
    # "PCA of 40 words in N s" is the finished map; "PCA of 40 words…" only the running job
    expect(page.get_by_text(re.compile(r"PCA of 40 words in "))).to_be_visible(timeout=60_000)
    wait_for_app(page, 120_000)  # the map is drawn by the run after the job's end
    plot = page.locator(".js-plotly-plot").first
    expect(plot).to_be_visible()
    labels = plot.evaluate("el => el.data.flatMap(t => t.text || [])")
    assert len(labels) == 40 and sum(bool(HANGUL.search(w)) for w in labels) >= 30
    assert all(t["mode"] == "markers+text" for t in plot.evaluate("el => el.data"))
    SCREENSHOTS.mkdir(exist_ok=True)
    plot.screenshot(path=str(SCREENSHOTS / "korean-projection.png"))
    expect_no_exception(page)
