"""In a real browser: a user tries to read /etc/passwd, a symlink out of the data folder
and ``../`` tricks on the Corpus and Models pages, and sees no file content; a file in
the data folder is listed and read."""

from __future__ import annotations

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import AppServer
from tests.browser.helpers import expect_no_exception, fill, go_to, open_page, wait_for_app

SECRET = "top-secret-outside-the-data-folder"
TRICKS = ["/etc/passwd", "passwd", "../secret.txt", "../../../../etc/passwd", "link", "up/"]


@pytest.fixture
def data_server(tmp_path):
    """A server with a tiny model and its own data folder holding one corpus, a symlink to
    /etc/passwd, one to a secret next to the folder, and one to the folder's parent."""
    from gensim.models import KeyedVectors

    from embeddings.vectors.store import ModelCard, ModelStore

    kv = KeyedVectors(4)
    kv.add_vectors(["cat", "dog"], np.eye(2, 4, dtype=np.float32))
    ModelStore(tmp_path / "models").save(kv, ModelCard(name="tiny", algorithm="word2vec"))
    data = tmp_path / "data"
    data.mkdir()
    (data / "notes.txt").write_text("alpha beta gamma\ndelta epsilon\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    (data / "link-passwd.txt").symlink_to("/etc/passwd")
    (data / "link-secret.txt").symlink_to(tmp_path / "secret.txt")
    (data / "up").symlink_to(tmp_path)
    server = AppServer(tmp_path / "models", env={"EMBEDDINGS_DATA_DIRS": str(data)}).start()
    yield server
    server.stop()


def _no_secrets(page: Page) -> None:
    for text in (page.locator("body").inner_text(), page.content()):
        assert "root:x:0:0" not in text
        assert SECRET not in text
    expect_no_exception(page)


def _file_list(page: Page, label: str):
    return page.get_by_test_id("stSelectbox").filter(has_text=label)


def _listed(page: Page, label: str) -> list[str]:
    """The options of the file list labelled ``label``, read by opening it."""
    _file_list(page, label).click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    names = [text.split(" · ")[0] for text in options.all_inner_texts()]
    page.keyboard.press("Escape")
    return names


def _try_tricks(page: Page, label: str) -> None:
    for trick in TRICKS:
        fill(page, "Filter", trick)
        expect(page.get_by_text("No file in the data folders matches")).to_be_visible()
        _no_secrets(page)
    fill(page, "Filter", "")
    assert _listed(page, label) == ["notes.txt"]
    # The list's own search box takes typing too, but only ever narrows the list.
    _file_list(page, label).click()
    page.keyboard.type("/etc/passwd")
    expect(page.get_by_role("option")).to_have_text(["No results"])
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    wait_for_app(page)
    _no_secrets(page)


def test_no_file_outside_the_data_folder_through_the_ui(page, data_server):
    open_page(page, data_server.url, "Corpus")
    page.get_by_text("A file on the server").click()
    wait_for_app(page)
    expect(page.get_by_text("Path on the server")).to_have_count(0)
    _try_tricks(page, "Corpus file")

    _file_list(page, "Corpus file").click()
    page.get_by_role("option", name="notes.txt").click()
    wait_for_app(page)
    expect(page.get_by_text("Read as")).to_be_visible()
    expect(page.locator("td", has_text="alpha beta gamma").first).to_be_attached()
    _no_secrets(page)

    go_to(page, "Models")
    page.get_by_text("server path").click()
    wait_for_app(page)
    _try_tricks(page, "Vectors file")
