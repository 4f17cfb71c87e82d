"""In a real browser, two people on one server: each works in a workspace of their own.

A loads a model into A's workspace; B (another browser context, so another session and
another workspace) does not see it, and cannot delete the shared default model; A's
reload returns to A's workspace and model.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from embeddings.vectors.store import ModelCard, ModelStore
from embeddings.workspaces import validate_token
from tests.browser.conftest import AppServer
from tests.browser.helpers import expect_no_exception, fill, go_to, wait_for_app


@pytest.fixture
def classroom_server(tmp_path):
    """A fresh server whose shared store holds a tiny model under the default's name."""
    from gensim.models import KeyedVectors

    kv = KeyedVectors(4)
    kv.add_vectors(["cat", "dog", "sun"], np.eye(3, 4, dtype=np.float32))
    ModelStore(tmp_path / "models").save(kv, ModelCard(name="wiki-w2v", algorithm="word2vec"))
    server = AppServer(tmp_path / "models").start()
    yield server
    server.stop()


@pytest.fixture
def vectors_file(tmp_path):
    path = tmp_path / "mine.txt"
    path.write_text("3 3\nsun 1 0 0\nmoon 0 1 0\nstar 0 0 1\n", encoding="utf-8")
    return path


def _token(page: Page) -> str:
    return validate_token(parse_qs(urlsplit(page.url).query)["workspace"][0])


def _picker(page: Page):
    return page.get_by_test_id("stSidebar").get_by_role("combobox", name="Active model")


def _options(page: Page, combobox) -> list[str]:
    """The choices of a selectbox, read from its open list (then closed again)."""
    combobox.click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    texts = [text.strip() for text in options.all_inner_texts()]
    page.keyboard.press("Escape")
    return texts


def _open(page: Page, url: str) -> str:
    page.goto(url)
    wait_for_app(page, 120_000)
    expect(page).to_have_url(re.compile(r"[?&]workspace="))
    return _token(page)


def test_two_people_work_in_their_own_workspaces(browser, classroom_server, vectors_file):
    alice = browser.new_context(viewport={"width": 1400, "height": 1000})
    bob = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        a, b = alice.new_page(), bob.new_page()
        token_a = _open(a, classroom_server.url)  # the token is in the URL at once
        go_to(a, "Models")
        a.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(vectors_file))
        wait_for_app(a)
        fill(a, "Name in the store (optional)", "alice-model")
        a.get_by_role("button", name="Load", exact=True).click()
        expect(a.get_by_text("Loaded alice-model")).to_be_visible(timeout=60_000)
        wait_for_app(a)
        expect(_picker(a)).to_have_value("alice-model")
        assert _token(a) == token_a  # changing page kept the workspace

        token_b = _open(b, classroom_server.url)
        assert token_b != token_a
        assert _options(b, _picker(b)) == ["wiki-w2v"]
        go_to(b, "Models")
        b.get_by_role("tab", name="Manage").click()
        wait_for_app(b)
        manage = b.get_by_role("tabpanel", name="Manage")
        assert _options(b, manage.get_by_role("combobox", name="Model")) == ["wiki-w2v"]
        expect(b.get_by_text("wiki-w2v is a shared model")).to_be_visible()
        b.get_by_text("Yes, delete wiki-w2v").click()
        wait_for_app(b)
        expect(manage.get_by_role("button", name="Delete", exact=True)).to_be_disabled()
        expect(manage.get_by_role("button", name="Rename", exact=True)).to_be_disabled()
        expect_no_exception(b)

        a.reload()
        wait_for_app(a, 120_000)
        assert _token(a) == token_a
        expect(_picker(a)).to_have_value("alice-model")
        assert _options(a, _picker(a)) == ["wiki-w2v", "alice-model"]
        expect_no_exception(a)
    finally:
        alice.close()
        bob.close()
    shared = ModelStore(classroom_server.store)
    assert shared.names() == ["wiki-w2v"]
    assert ModelStore(classroom_server.store.parent / "workspaces" / token_a).names() == [
        "alice-model"
    ]
