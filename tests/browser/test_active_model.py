"""In a real browser: a model loaded on the Models page becomes the active model on every
later page, the sidebar's picker included, and the pages name it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import gensim
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AppServer
from tests.browser.helpers import expect_no_exception, fill, go_to, open_page, wait_for_app

GLOVE = Path(gensim.__file__).parent / "test" / "test_data" / "test_glove.txt"


@pytest.fixture
def own_server(seeded_store, tmp_path):
    """A server on a copy of the default model's store: this test adds a model to it."""
    root = tmp_path / "models"
    shutil.copytree(seeded_store, root)
    server = AppServer(root).start()
    yield server
    server.stop()


def test_a_loaded_model_is_active_on_later_pages(page, own_server):
    open_page(page, own_server.url, "Models")
    picker = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Active model")
    expect(picker).to_have_value("wiki-w2v")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(GLOVE))
    wait_for_app(page)
    fill(page, "Name in the store (optional)", "tiny-glove")
    page.get_by_role("button", name="Load", exact=True).click()
    expect(page.get_by_text("Loaded tiny-glove")).to_be_visible(timeout=60_000)
    wait_for_app(page)
    expect(picker).to_have_value("tiny-glove")
    for title in ("Neighbours", "Projection"):
        go_to(page, title)
        expect(picker).to_have_value("tiny-glove")
        expect(page.get_by_text(re.compile(r"^Model: tiny-glove · "))).to_be_visible()
        expect_no_exception(page)
