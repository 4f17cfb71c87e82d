"""A new user's first hour in a real browser, from an empty model store: the first start
trains the default model with named progress; a Korean text is uploaded, tokenized and
prepared; FastText is trained on it (reproducible mode) and becomes the active model on
every page; an unseen word is composed on Subwords; the new model is mapped on
Projection and exported for the Embedding Projector."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from playwright.sync_api import Page, expect

from embeddings.corpus.bundled import korean_text_files
from tests.browser.helpers import (
    click_button,
    expect_no_exception,
    fill,
    go_to,
    upload_corpus,
    wait_for_app,
)
from utils.corpus_widgets import TOKENIZER_LABELS
from utils.navigation import PAGES

NAMED_STAGE = re.compile(r"^(Reading|Tokenizing|Building the vocabulary|Training|Saving the model)")
UNSEEN = "헌법재판소장님들께서"  # a long form the constitution never spells out


def korean_upload(tmp_path):
    """A few hundred lines of real Korean sentences: the constitution konlpy ships."""
    constitution = next(p for p in korean_text_files() if p.name == "constitution.txt")
    lines = [line.strip() for line in constitution.read_text("utf-8").splitlines()]
    lines = [line for line in lines if line]
    assert 250 <= len(lines) <= 400
    path = tmp_path / "constitution.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def shows_the_model(page: Page, title: str, name: str):
    """The element by which page ``title`` says it shows model ``name`` (None: the page
    shows a corpus, not a model)."""
    caption = page.get_by_text(re.compile(rf"^Model: {re.escape(name)} · "))
    return {
        "Home": page.get_by_role("heading", name=f"Active model: {name}"),
        "Concepts": caption,
        "Models": caption,
        "Neighbours": caption,
        "Analogies": caption,
        "Subwords": page.get_by_text(re.compile(rf"^Model {re.escape(name)}: ")),
        "Projection": caption,
        "Evaluate": page.get_by_test_id("stMultiSelect").filter(has_text=name),
        "Compare models": page.get_by_role("combobox", name="Model A"),
        "Recommender": caption,
        "Classifier": caption,
    }.get(title)


@pytest.mark.slow
def test_first_hour_from_an_empty_store(page, empty_server, tmp_path):
    # -- First start: the default model trains with its stages named. ------------------
    page.goto(empty_server.url)
    bar = page.get_by_test_id("stProgress").first
    expect(bar).to_contain_text(NAMED_STAGE, timeout=60_000)
    expect(page.get_by_text("Active model: wiki-w2v")).to_be_visible(timeout=240_000)
    wait_for_app(page)

    # -- A Korean text: the preview names the tokenizer's load, then it is prepared. ----
    upload_corpus(page, empty_server.url, korean_upload(tmp_path))
    page.get_by_text(TOKENIZER_LABELS["korean"]).click()
    expect(page.get_by_text("Loading the Korean tokenizer")).to_be_visible(timeout=60_000)
    wait_for_app(page)
    page.get_by_role("button", name="Prepare corpus").click()
    expect(page.get_by_text("It is now the active corpus")).to_be_visible(timeout=60_000)
    wait_for_app(page)

    # -- FastText on it, reproducible; the Train button stays on screen. ---------------
    go_to(page, "Train")
    expect(page.get_by_text("Corpus: file:constitution.txt")).to_be_visible()
    page.get_by_test_id("stRadio").filter(has_text="Algorithm").get_by_text(
        "fasttext", exact=True
    ).click()
    wait_for_app(page)
    expect(page.get_by_label("Model name", exact=True)).to_have_value("constitution-fasttext")
    page.get_by_text("Reproducible: one worker thread").click()
    wait_for_app(page)
    train = page.get_by_role("button", name="Train", exact=True)
    box = train.bounding_box()
    assert box is not None and box["y"] + box["height"] < 1000, box  # progress goes below it
    train.click()
    expect(page.get_by_text("It is now the active model")).to_be_visible(timeout=180_000)
    wait_for_app(page)
    name = "constitution-fasttext"

    from urllib.parse import parse_qs, urlsplit

    from embeddings.vectors.store import ModelStore
    from embeddings.workspaces import validate_token, workspace_store

    # Trained into this browser's workspace (beside the store), not the shared store.
    token = validate_token(parse_qs(urlsplit(page.url).query)["workspace"][0])
    assert not ModelStore(empty_server.store).exists(name)
    kv, card = workspace_store(token, empty_server.store.parent / "workspaces").load(name)
    assert card.algorithm == "fasttext" and "reproducible" in card.notes
    assert UNSEEN not in kv.key_to_index and len(kv) < 1000

    # -- Every page: the sidebar picker shows the new model, the page names it. --------
    picker = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Active model")
    for _section, _stem, title, _icon in PAGES:
        go_to(page, title, 120_000)
        expect(picker).to_have_value(name)
        shown = shows_the_model(page, title, name)
        if shown is None:
            expect(page.get_by_text("file:constitution.txt").first).to_be_visible()
        elif title == "Compare models":
            expect(shown).to_have_value(name)
        else:
            expect(shown.first).to_be_visible()
        expect_no_exception(page)

    # -- An unseen word on Subwords: composed from its n-grams. -------------------------
    go_to(page, "Subwords")
    fill(page, "Word (in the vocabulary or not)", UNSEEN)
    in_vocab = page.get_by_test_id("stMetric").filter(has_text="In the vocabulary")
    expect(in_vocab).to_contain_text("no")
    expect(page.get_by_text("equal up to float32 rounding")).to_be_visible()
    expect_no_exception(page)

    # -- A map of the new model (its whole vocabulary) and the Projector zip. ----------
    go_to(page, "Projection")
    expect(page.get_by_text(re.compile(rf"^Model: {name} · "))).to_be_visible()
    done = page.get_by_text(re.compile(rf"PCA of {len(kv):,} words in "))
    compute = page.get_by_role("button", name=re.compile(r"^Compute"))
    expect(done.or_(compute).first).to_be_visible(timeout=120_000)
    if not done.count():
        click_button(page, compute.first.inner_text())
    expect(done).to_be_visible(timeout=120_000)
    wait_for_app(page, 120_000)
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Download everything (zip)").click()
    with zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes())) as zf:
        names = zf.namelist()
        tensor = next(n for n in names if n.endswith("_tensor.tsv"))
        metadata = next(n for n in names if n.endswith("_metadata.tsv"))
        rows = zf.read(tensor).decode("utf-8").splitlines()
        meta = zf.read(metadata).decode("utf-8").splitlines()
        config = zf.read("projector_config.json").decode("utf-8")
    assert tensor.startswith(name) and tensor in config and metadata in config
    assert len(rows) == len(kv) and {len(r.split("\t")) for r in rows} == {kv.vector_size}
    assert len(meta) == len(kv) + 1 and meta[0].split("\t")[0] == "word"
    assert sorted(r.split("\t")[0] for r in meta[1:]) == sorted(kv.index_to_key)
    expect_no_exception(page)
