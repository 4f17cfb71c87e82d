"""AppTest for the Compare page: overlap@k, the most different words, the jump into
Neighbours, and the Procrustes cosine."""

from __future__ import annotations

import pytest

from embeddings.explore.compare import ProcrustesAlignment, neighbour_overlap
from tests.conftest import run_page
from tests.jobwait import BusyServer, cancel_waiting_job, end_then_hold, panel_text, settle
from utils.compare_widgets import ALIGN_JOB, OVERLAP_JOB

PAGE = "app_pages/compare.py"


def _metric(at, label):
    return next(m for m in at.metric if m.label.startswith(label)).value


@pytest.fixture
def page(store_with_models):
    at = run_page(PAGE, active="lee-w2v")
    settle(at, OVERLAP_JOB, ALIGN_JOB)
    assert not at.exception and not at.error
    return at


def test_overlap_metric_and_ranked_words_equal_the_library(page, lee_w2v, lee_fasttext):
    ov = neighbour_overlap(lee_w2v, lee_fasttext, k=10, sample=1000)
    assert _metric(page, "Mean overlap@10") == f"{ov.mean_:.3f}"
    assert _metric(page, "Shared words") == f"{ov.shared:,}"
    table = next(d.value for d in page.dataframe if "rank" in d.value.columns)
    assert list(table["word"]) == ov.most_different(50)
    assert page.selectbox(key="mc_word").value == ov.most_different(1)[0]


def test_k_changes_the_overlap(page, lee_w2v, lee_fasttext):
    page.number_input(key="mc_k").set_value(5).run()
    settle(page, OVERLAP_JOB)
    ov = neighbour_overlap(lee_w2v, lee_fasttext, k=5, sample=1000)
    assert _metric(page, "Mean overlap@5") == f"{ov.mean_:.3f}"


def test_open_in_neighbours_presets_the_word_and_models(page, lee_w2v):
    word = page.selectbox(key="mc_word").value
    page.button(key="mc_open").click().run()
    assert not page.exception
    assert page.text_input(key="nb_word").value == word
    table = next(d.value for d in page.dataframe if "word" in d.value.columns)
    assert list(table["word"]) == [w for w, _ in lee_w2v.most_similar(word, topn=10)]
    # the Neighbours page's two-model section is set to the same pair
    assert page.selectbox(key="cmp_model").value == "lee-ft"
    assert page.text_input(key="cmp_word").value == word


def test_open_in_neighbours_makes_model_a_active(page, lee_fasttext):
    page.selectbox(key="mc_a").set_value("lee-ft").run()
    settle(page, OVERLAP_JOB, ALIGN_JOB)
    word = page.selectbox(key="mc_word").value
    page.button(key="mc_open").click().run()
    assert not page.exception
    assert page.session_state["active_model"] == "lee-ft"
    table = next(d.value for d in page.dataframe if "word" in d.value.columns)
    assert list(table["word"]) == [w for w, _ in lee_fasttext.most_similar(word, topn=10)]


def test_procrustes_cosine_of_a_word(page, lee_w2v, lee_fasttext):
    page.text_input(key="mc_probe").set_value("police").run()
    assert not page.exception
    al = ProcrustesAlignment().fit(lee_w2v, lee_fasttext)
    assert _metric(page, "cos(police in lee-w2v") == f"{al.cosine('police'):.4f}"
    page.text_input(key="mc_probe").set_value("zzznotaword").run()
    assert "not in the vocabulary of model A and B" in page.error[0].value


def test_one_model_offers_a_default_to_compare_with(store, lee_w2v):
    from embeddings.vectors.store import ModelCard

    store.save(lee_w2v, ModelCard(name="lee-w2v", algorithm="word2vec"))
    at = run_page(PAGE, active="lee-w2v")
    assert not at.exception
    assert "Comparing needs two models" in at.info[0].value
    assert at.button(key="mc_default_ft").label.startswith("Train the default FastText")


def test_overlap_and_alignment_are_jobs_with_progress_cancel_and_results(
    store_with_models, monkeypatch, lee_w2v, lee_fasttext
):
    server = BusyServer(monkeypatch)
    at = run_page(PAGE, active="lee-w2v")
    assert panel_text(at).startswith("Waiting") and not at.metric
    cancel_waiting_job(at, OVERLAP_JOB)
    assert not at.metric and not at.dataframe  # nothing half-drawn
    at.number_input(key="mc_k").set_value(5).run()  # other options: a new job
    assert panel_text(at).startswith("Waiting")
    server.release()
    settle(at, OVERLAP_JOB, ALIGN_JOB)
    overlap, aligned = at.session_state[OVERLAP_JOB], at.session_state[ALIGN_JOB]
    assert overlap.last.stage == "compare" and overlap.message.startswith(
        "Comparing neighbourhoods: "
    )
    assert aligned.last.stage == "align" and aligned.message == "Aligning the models: done"
    ov = neighbour_overlap(lee_w2v, lee_fasttext, k=5, sample=1000)
    assert _metric(at, "Mean overlap@5") == f"{ov.mean_:.3f}"
    assert any("B rotated onto A over" in c.value for c in at.caption)


def test_cancelling_the_alignment_keeps_the_overlap(store_with_models, monkeypatch):
    server = BusyServer(monkeypatch)
    at = run_page(PAGE, active="lee-w2v")
    server = end_then_hold(at, OVERLAP_JOB, server, monkeypatch)  # the alignment waits
    assert _metric(at, "Mean overlap@10")
    cancel_waiting_job(at, ALIGN_JOB)
    assert _metric(at, "Mean overlap@10") and at.dataframe
    assert not any("B rotated onto A" in c.value for c in at.caption)
    server.release()
