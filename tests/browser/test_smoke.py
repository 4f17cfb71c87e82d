"""The app starts and renders in a real browser."""

from playwright.sync_api import expect

from tests.browser.helpers import expect_no_exception, wait_for_app


def test_home_page_renders_the_title_and_sidebar(page, empty_server):
    server = empty_server
    page.goto(server.url)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Word Embedding Lab")).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav")).to_be_visible()
    expect_no_exception(page)
