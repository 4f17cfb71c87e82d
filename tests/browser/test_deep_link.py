"""A bookmarked address opened first on a freshly started server runs through the app's
router: the sectioned navigation, the shared sidebar and the page itself.

(Streamlit treats a folder called ``pages/`` beside the entry point as a legacy
multipage app until some session has run the entry point, so the page folder must not
have that name.)
"""

from playwright.sync_api import expect

from tests.browser.helpers import expect_no_exception, wait_for_app


def test_a_deep_link_opened_first_runs_the_router(page, tiny_server):
    page.goto(f"{tiny_server.url}/neighbours")  # nobody has opened the root address yet
    wait_for_app(page)
    nav = page.get_by_test_id("stSidebarNav")
    headers = nav.get_by_test_id("stNavSectionHeader")
    expect(headers.first).to_be_visible()
    assert headers.all_inner_texts()[:3] == ["Lab", "Models", "Explore"]
    # The router's titles, not names made from the file names.
    expect(nav.get_by_role("link", name="Co-occurrence", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="cooccurrence", exact=True)).to_have_count(0)
    # app.py ran: the shared sidebar with the model picker, then the page.
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("heading", name="Active model")).to_be_visible()
    expect(sidebar.get_by_role("combobox", name="Active model")).to_have_value("tiny")
    expect(page.get_by_role("heading", name="Neighbours").first).to_be_visible()
    expect_no_exception(page)
