"""In a real browser: upload a compressed CSV on the Corpus page, pick its text column,
prepare it (in the background), click elsewhere meanwhile, and read the statistics."""

from __future__ import annotations

import gzip
import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import expect_no_exception, fill, go_to, upload_corpus, wait_for_app
from utils.corpus_widgets import TOKENIZER_LABELS


@pytest.fixture
def corpus_server(tiny_server):
    """A server whose store already holds a (tiny) model, so no first-start training runs."""
    return tiny_server


def test_upload_csv_prepare_and_read_statistics(page, corpus_server, tmp_path):
    rows = "".join(f'{i},"great film number {i}, loved it",1\n' for i in range(5000))
    upload = tmp_path / "reviews.csv.gz"
    upload.write_bytes(gzip.compress(("id,review,label\n" + rows).encode()))

    upload_corpus(page, corpus_server.url, upload)
    expect(page.get_by_text("text column review")).to_be_visible()

    page.get_by_role("button", name="Prepare corpus").click()
    # The job has started (still running, or already done on a fast machine) ...
    started = page.get_by_text("Tokenizing").or_(page.get_by_text("It is now the active corpus"))
    expect(started.first).to_be_visible(timeout=30_000)
    # ... and a click elsewhere meanwhile (a rerun) neither kills nor loses it.
    page.get_by_text("whitespace: the text is already tokenized").click()
    expect(page.get_by_text("It is now the active corpus")).to_be_visible(timeout=60_000)
    wait_for_app(page)
    expect(page.get_by_text("5,000 documents, 25,000 tokens")).to_be_visible()
    expect(page.get_by_text("Statistics of file:reviews.csv.gz")).to_be_visible()
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(2)
    expect_no_exception(page)


def test_upload_corpus_train_fasttext_and_query_an_unknown_word(page, corpus_server, sample_files):
    upload_corpus(page, corpus_server.url, sample_files["corpus"])
    page.get_by_role("button", name="Prepare corpus").click()
    expect(page.get_by_text("It is now the active corpus")).to_be_visible(timeout=60_000)
    wait_for_app(page)

    go_to(page, "Train")
    expect(page.get_by_text("Corpus: file:news.txt")).to_be_visible()
    page.get_by_test_id("stRadio").filter(has_text="Algorithm").get_by_text(
        "fasttext", exact=True
    ).click()
    wait_for_app(page)
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_text("It is now the active model")).to_be_visible(timeout=180_000)
    wait_for_app(page)

    go_to(page, "Subwords")
    fill(page, "Word (in the vocabulary or not)", "policemanship")
    in_vocab = page.get_by_test_id("stMetric").filter(has_text="In the vocabulary")
    expect(in_vocab).to_contain_text("no")
    expect(page.get_by_text("equal up to float32 rounding")).to_be_visible()
    expect(page.get_by_text(re.compile("Word2Vec \\(tiny\\) cannot answer"))).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").nth(1)).to_be_visible()
    expect_no_exception(page)


def test_the_korean_preview_says_it_loads_the_tokenizer(page, corpus_server, tmp_path):
    upload = tmp_path / "reviews-ko.txt"
    upload.write_text("영화가 정말 재미있었어요.\n배우들의 연기도 좋았다.\n", encoding="utf-8")
    upload_corpus(page, corpus_server.url, upload)
    page.get_by_text(TOKENIZER_LABELS["korean"]).click()
    # A fresh server has not loaded kiwipiepy's model yet: the wait is named ...
    expect(page.get_by_text("Loading the Korean tokenizer")).to_be_visible(timeout=60_000)
    wait_for_app(page)
    # ... and then the preview shows the morphemes.
    expect(page.get_by_text("Loading the Korean tokenizer")).to_have_count(0)
    grid = page.get_by_test_id("stDataFrame").first.locator("[role=gridcell]")
    expect(grid.filter(has_text=re.compile("^영화 정말 재미있다$"))).to_have_count(1)
    expect_no_exception(page)
