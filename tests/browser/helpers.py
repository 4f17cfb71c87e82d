"""Waiting for Streamlit in a real browser, and driving its widgets."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

APP_IDLE = (
    "[data-testid=stApp][data-test-connection-state=CONNECTED][data-test-script-state=notRunning]"
)


def wait_for_app(page: Page, timeout: float = 60_000) -> None:
    """Wait until the app is connected and no script is running (after any action)."""
    page.wait_for_timeout(250)
    page.wait_for_selector(APP_IDLE, timeout=timeout)


def open_page(page: Page, base_url: str, title: str, timeout: float = 120_000) -> None:
    """Open the app and navigate to the page whose sidebar link is ``title``."""
    page.goto(base_url)
    wait_for_app(page, timeout)
    go_to(page, title, timeout)


def go_to(page: Page, title: str, timeout: float = 60_000) -> None:
    """Click the sidebar link called exactly ``title`` and wait for the page (first
    unfolding the navigation's "View n more" when the link is folded away)."""
    nav = page.get_by_test_id("stSidebarNav")
    link = nav.get_by_role("link", name=title, exact=True)
    more = nav.get_by_text(re.compile(r"^View \d+ more$"))
    if not link.is_visible() and more.count():
        more.click()
    link.click()
    wait_for_app(page, timeout)


def upload_corpus(page: Page, base_url: str, path) -> None:
    """Open the Corpus page and upload ``path`` as the corpus file."""
    open_page(page, base_url, "Corpus")
    page.get_by_text("Upload a file").click()
    wait_for_app(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))
    wait_for_app(page)


def fill(page: Page, label: str, value: str) -> None:
    """Type into the text input labelled ``label`` and submit it."""
    box = page.get_by_label(label, exact=True)
    box.fill(value)
    box.press("Enter")
    wait_for_app(page)


def click_button(page: Page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    wait_for_app(page)


def expect_no_exception(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)
