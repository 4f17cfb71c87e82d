"""User journeys in a real browser: first start, neighbours, analogies, projection,
Projector export, the chapter's co-occurrence table, and a garbage upload."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import expect_no_exception, fill, go_to, open_page, wait_for_app


def grid_cell(page: Page, text: str, table: int = 0):
    """The cells reading exactly ``text`` in the ``table``-th data frame (its DOM copy)."""
    grid = page.get_by_test_id("stDataFrame").nth(table)
    return grid.locator("[role=gridcell]").filter(has_text=re.compile(f"^{re.escape(text)}$"))


@pytest.mark.slow
def test_first_start_trains_the_default_model_then_neighbours(page, empty_server):
    page.goto(empty_server.url)
    # The first start trains the default model with a visible progress bar ...
    expect(page.get_by_test_id("stProgress").first).to_be_visible(timeout=60_000)
    # ... and ends on a working model.
    expect(page.get_by_text("Active model: wiki-w2v")).to_be_visible(timeout=240_000)
    wait_for_app(page)
    go_to(page, "Neighbours")
    fill(page, "Word (several words are added together)", "france")
    expect(page.get_by_text("Nearest to france")).to_be_visible()
    expect(grid_cell(page, "spain")).to_have_count(1, timeout=20_000)
    expect_no_exception(page)


def test_analogy_query(page, server, seeded_store):
    from embeddings.explore.query import analogy
    from embeddings.vectors.store import ModelStore

    # Training on two workers is not bit-reproducible across machines, so the page is
    # checked against the library's answers on the very model the server holds.
    kv, _ = ModelStore(seeded_store).load("wiki-w2v")
    answers = {
        m: analogy(kv, "spain", "spanish", "russia", m).candidates[0].word for m in ("add", "mul")
    }
    open_page(page, server.url, "Analogies")
    fill(page, "a", "spain")
    fill(page, "b (is to a as ? is to c)", "spanish")
    fill(page, "c", "russia")
    expect(page.get_by_text("spanish - spain + russia")).to_be_visible()
    # The answers are shown neutrally ("Nearest word: ..."), not as a success.
    expect(page.get_by_text(re.compile(r"^Nearest word: "))).to_have_count(2)
    for word in set(answers.values()):
        count = list(answers.values()).count(word)
        expect(page.get_by_text(f"Nearest word: {word}", exact=True)).to_have_count(count)
    # The default model gets this one right with at least one of the methods.
    assert "russian" in answers.values(), answers
    expect_no_exception(page)


def test_tsne_projection_renders_a_plot_and_exports_a_zip(page, server):
    open_page(page, server.url, "Projection")
    top = page.get_by_label(re.compile("Top-N"))
    top.fill("300")
    top.press("Enter")
    wait_for_app(page)
    page.get_by_test_id("stSelectbox").filter(has_text="Method").click()
    page.get_by_role("option", name="TSNE").click()
    wait_for_app(page, 120_000)
    expect(page.get_by_text(re.compile(r"TSNE of 300 words in [\d.]+ s"))).to_be_visible(
        timeout=120_000
    )
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    expect(page.get_by_text("Neighbour preservation at k=10")).to_be_visible()

    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Download everything (zip)").click()
    data = download.value.path().read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        tensor = next(n for n in names if n.endswith("_tensor.tsv"))
        metadata = next(n for n in names if n.endswith("_metadata.tsv"))
        rows = zf.read(tensor).decode("utf-8").splitlines()
        meta = zf.read(metadata).decode("utf-8").splitlines()
        config = zf.read("projector_config.json").decode("utf-8")
    assert len(rows) == 300 and all(len(r.split("\t")) == 100 for r in rows)
    assert len(meta) == 301 and meta[0].split("\t")[0] == "word"  # header + one row per word
    assert tensor in config and metadata in config
    expect_no_exception(page)


def test_cooccurrence_page_shows_the_chapters_table(page, server):
    open_page(page, server.url, "Co-occurrence")
    expect(page.get_by_text("The chapter's example: window 1, raw counts")).to_be_visible()
    cells = page.get_by_test_id("stDataFrame").first.locator("[role=gridcell]")
    expect(cells).to_have_count(7 * 8, timeout=20_000)  # 7 rows: the word and 7 counts
    texts = cells.all_inner_texts()
    table = [texts[i : i + 8] for i in range(0, len(texts), 8)]
    assert table[0] == ["I", "0", "2", "1", "0", "0", "0", "0"]
    assert table[1] == ["like", "2", "0", "0", "1", "0", "1", "0"]
    assert table[6] == ["flying", "0", "0", "1", "0", "0", "0", "0"]
    expect_no_exception(page)


def test_garbage_upload_is_an_error_and_the_active_model_still_works(page, server, sample_files):
    open_page(page, server.url, "Models")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(sample_files["garbage"]))
    wait_for_app(page)
    page.get_by_role("button", name="Load", exact=True).click()
    expect(page.get_by_text("does not look like word vectors")).to_be_visible(timeout=30_000)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text(re.compile(r"^word2vec · [\d,]+ words"))).to_be_visible()
    go_to(page, "Neighbours")
    fill(page, "Word (several words are added together)", "germany")
    expect(page.get_by_text("Nearest to germany")).to_be_visible()
    expect_no_exception(page)
