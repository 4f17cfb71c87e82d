"""AppTest: the Train page trains in a worker thread and stores the model; the first
start trains the default model."""

import time

import pytest

from tests.conftest import APP, finish_job, run_page


@pytest.mark.slow
def test_training_on_the_page_stores_the_model_and_makes_it_active(store_with_models):
    from embeddings.corpus.sources import CorpusSource, prepare_corpus

    corpus = prepare_corpus(CorpusSource.from_bundled("lee"), "simple")
    at = run_page("app_pages/train.py", active="lee-w2v")
    at.session_state["active_corpus"] = corpus
    at.run()
    assert "bundled:lee" in at.markdown[0].value
    at.number_input(key="train_epochs").set_value(2)
    at.text_input(key="train_probes").set_value("fire, police")
    at.text_input(key="train_name").set_value("page-model")
    at.button(key="train_start").click().run()
    job = finish_job(at, "train_job")
    assert job.error is None, job.error
    assert store_with_models.exists("page-model")
    assert at.session_state["active_model"] == "page-model"
    assert any("Trained **page-model**" in s.value for s in at.success)
    assert len(job.events) == 2 and set(job.events[-1].metrics["drift"]) == {"fire", "police"}


def test_an_existing_name_is_refused_before_training(store_with_models):
    at = run_page("app_pages/train.py", active="lee-w2v")
    at.text_input(key="train_name").set_value("lee-w2v")
    at.button(key="train_start").click().run()
    assert any("already exists" in e.value for e in at.error)
    assert "train_job" not in at.session_state


@pytest.mark.slow
def test_first_start_trains_the_default_model(store):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120).run()
    assert any("First start" in i.value for i in at.info)
    deadline = time.monotonic() + 120
    while not store.exists("wiki-w2v") and time.monotonic() < deadline:
        time.sleep(0.5)
    at.run()
    assert store.names() == ["wiki-w2v"]
    assert not at.exception
    assert at.title[0].value == "Word Embedding Lab"
    assert not any("First start" in i.value for i in at.info)
