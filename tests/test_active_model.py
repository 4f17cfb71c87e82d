"""AppTest: a model trained, loaded or picked becomes the active model on every later
page, the sidebar picker included, and each page that shows a model names it."""

from __future__ import annotations

import shutil
from pathlib import Path

import gensim
import pytest

from tests.conftest import pick_data_file, run_page
from tests.jobwait import finish_job

DATA = Path(gensim.__file__).parent / "test" / "test_data"
PICKER = "sidebar_model"


def _model_caption(at) -> str:
    return next(c.value for c in at.caption if c.value.startswith("Model: "))


def _assert_active_everywhere(
    at, name: str, pages=("app_pages/projection.py", "app_pages/neighbours.py")
):
    for page in pages:
        at.switch_page(page).run()
        assert not at.exception, page
        assert at.session_state["active_model"] == name, page
        assert at.selectbox(key=PICKER).value == name, page
        assert _model_caption(at).startswith(f"Model: **{name}**"), page


def test_a_trained_model_is_active_on_later_pages(store_with_models):
    from embeddings.corpus.sources import CorpusSource, prepare_corpus

    corpus = prepare_corpus(
        CorpusSource.from_bundled("lee"), "simple", cache=store_with_models.corpus_cache
    )
    at = run_page("app_pages/train.py", active="lee-w2v")
    assert at.selectbox(key=PICKER).value == "lee-w2v"
    at.session_state["active_corpus"] = corpus
    at.radio(key="train_algo").set_value("fasttext").run()
    at.number_input(key="train_epochs").set_value(1).run()
    at.text_input(key="train_name").set_value("lee-ft-new").run()
    at.button(key="train_start").click().run()
    job = finish_job(at, "train_job")
    assert job.error is None, job.error
    # The page that trained it already shows it in the sidebar ...
    assert at.selectbox(key=PICKER).value == "lee-ft-new"
    assert any("Trained **lee-ft-new**" in s.value for s in at.success)
    # ... and so does every page after it.
    _assert_active_everywhere(at, "lee-ft-new")


def test_a_loaded_model_is_active_on_later_pages(store_with_models, data_dir):
    shutil.copy(DATA / "test_glove.txt", data_dir)
    at = run_page("app_pages/models.py", active="lee-w2v")
    at.radio(key="ld_source").set_value("server path").run()
    pick_data_file(at, "ld", data_dir / "test_glove.txt")
    at.text_input(key="ld_name").set_value("glove-test").run()
    at.button(key="ld_go").click().run()
    job = finish_job(at, "load_job")
    assert job.error is None, job.error
    assert at.selectbox(key=PICKER).value == "glove-test"
    _assert_active_everywhere(at, "glove-test")


def test_make_it_active_on_the_models_page(store_with_models):
    at = run_page("app_pages/models.py", active="lee-w2v")
    at.selectbox(key="mg_model").set_value("lee-ft").run()
    at.button(key="mg_activate").click().run()
    assert at.selectbox(key=PICKER).value == "lee-ft"
    _assert_active_everywhere(at, "lee-ft", pages=("app_pages/analogies.py",))


def test_the_sidebar_pick_reaches_the_page_in_the_same_run(store_with_models):
    at = run_page("app_pages/neighbours.py", active="lee-w2v")
    assert _model_caption(at).startswith("Model: **lee-w2v** · word2vec")
    at.selectbox(key=PICKER).set_value("lee-ft").run()
    assert at.session_state["active_model"] == "lee-ft"
    assert _model_caption(at).startswith("Model: **lee-ft** · fasttext")
    _assert_active_everywhere(at, "lee-ft", pages=("app_pages/concepts.py",))


@pytest.mark.parametrize(
    "page",
    [
        "app_pages/neighbours.py",
        "app_pages/analogies.py",
        "app_pages/projection.py",
        "app_pages/concepts.py",
        "app_pages/recommender.py",
        "app_pages/classifier.py",
        "app_pages/models.py",
    ],
)
def test_pages_on_the_active_model_name_it(store_with_models, page):
    at = run_page(page, active="lee-ft")
    assert not at.exception
    assert _model_caption(at) == (
        "Model: **lee-ft** · fasttext · "
        f"{store_with_models.load_card('lee-ft').vocab_size:,} words × 50 dimensions "
        "(change it in the sidebar)"
    )


def test_the_models_page_starts_on_the_active_model(store_with_models):
    """The Manage tab's model box opened on the store's first model, whichever was active."""
    names = store_with_models.names()
    active = next(n for n in names if n != names[0])
    at = run_page("app_pages/models.py", active=active)
    assert not at.exception
    assert at.selectbox(key="mg_model").value == active
