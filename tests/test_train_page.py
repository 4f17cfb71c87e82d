"""AppTest: the Train page trains in a worker thread and stores the model; the first
start trains the default model."""

import time

import pytest

from tests.conftest import APP, run_page, session_models
from tests.jobwait import finish_job


@pytest.mark.slow
def test_training_on_the_page_stores_the_model_and_makes_it_active(store_with_models):
    from embeddings.corpus.sources import CorpusSource, prepare_corpus

    corpus = prepare_corpus(
        CorpusSource.from_bundled("lee"), "simple", cache=store_with_models.corpus_cache
    )
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
    models = session_models(at)  # trained into the session's workspace
    assert models.own_names() == ["page-model"] and not store_with_models.exists("page-model")
    assert at.session_state["active_model"] == "page-model"
    assert any("Trained **page-model**" in s.value for s in at.success)
    assert len(job.events) == 2 and set(job.events[-1].metrics["drift"]) == {"fire", "police"}
    words = f"{models.load_card('page-model').vocab_size:,}"
    assert job.message == f"Saving the model: {words} words as page-model"  # the last stage


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


def _hand_made_corpus(tmp_path, frequent: int, rare: int, name="file:constitution.txt"):
    """``frequent`` words seen 5 times and ``rare`` words seen twice: exact vocabularies."""
    from embeddings.corpus.sentences import prepare_documents

    frequent_words = " ".join(f"f{i}" for i in range(frequent))
    rare_words = " ".join(f"r{i}" for i in range(rare))
    documents = [frequent_words] * 3 + [frequent_words + " " + rare_words] * 2
    return prepare_documents(documents, name, "whitespace", out_path=tmp_path / "c.txt")


def _page_with(corpus):
    at = run_page("app_pages/train.py", active="lee-w2v")
    at.session_state["active_corpus"] = corpus
    return at.run()


def test_fasttext_buckets_follow_the_words_kept_until_edited(store_with_models, tmp_path):
    at = _page_with(_hand_made_corpus(tmp_path, frequent=6_000, rare=3_000))
    at.radio(key="train_algo").set_value("fasttext").run()
    assert at.number_input(key="train_bucket").value == 60_000  # 6,000 words at min_count 5
    at.number_input(key="train_min_count").set_value(2).run()
    assert at.number_input(key="train_bucket").value == 90_000  # 9,000 words at min_count 2
    at.number_input(key="train_bucket").set_value(50_000).run()
    at.number_input(key="train_min_count").set_value(5).run()
    assert at.number_input(key="train_bucket").value == 50_000  # the user's value stays


def test_the_estimates_are_shown_before_training(store_with_models, tmp_path, monkeypatch):
    from embeddings.train.estimate import estimate_training
    from embeddings.train.params import make_params

    corpus = _hand_made_corpus(tmp_path, frequent=6_000, rare=0)
    at = _page_with(corpus)
    at.radio(key="train_algo").set_value("fasttext").run()
    expected = estimate_training(corpus.stats, "fasttext", make_params("fasttext", bucket=60_000))
    captions = [c.value for c in at.caption]
    assert expected.summary() in captions
    assert "6,000 words" in expected.summary() and "on disk" in expected.summary()
    monkeypatch.setenv("EMBEDDINGS_MEMORY_BUDGET", "1M")
    at.run()
    assert any("needs about" in w.value and "budget is 1.0 MiB" in w.value for w in at.warning)


def test_the_model_name_follows_the_algorithm_until_edited(store_with_models, tmp_path):
    at = _page_with(_hand_made_corpus(tmp_path, frequent=3_000, rare=0))
    assert at.text_input(key="train_name").value == "constitution-word2vec"
    at.radio(key="train_algo").set_value("fasttext").run()
    assert at.text_input(key="train_name").value == "constitution-fasttext"
    at.text_input(key="train_name").set_value("my-model").run()
    at.radio(key="train_algo").set_value("glove").run()
    assert at.text_input(key="train_name").value == "my-model"


def test_a_small_vocabulary_gets_a_lower_min_count(store_with_models, tmp_path):
    at = _page_with(_hand_made_corpus(tmp_path, frequent=2_000, rare=1_500))
    warnings = [w.value for w in at.warning]
    assert any(
        "At min_count=5 the corpus keeps only 2,000 words" in w
        and "min_count=2 would keep 3,500 words" in w
        for w in warnings
    ), warnings
    at.number_input(key="train_min_count").set_value(2).run()
    assert not any("min_count=" in w.value for w in at.warning)


def test_window_and_epochs_follow_the_algorithm_default(store_with_models, tmp_path):
    at = _page_with(_hand_made_corpus(tmp_path, frequent=3_000, rare=0))
    assert at.number_input(key="train_window").value == 5
    at.radio(key="train_algo").set_value("glove").run()
    assert at.number_input(key="train_window").value == 10
    assert at.number_input(key="train_epochs").value == 15
    assert at.number_input(key="train_vector_size").max == 2000
    assert not at.exception


def test_a_name_taken_meanwhile_is_saved_under_the_suggested_name(
    store_with_models, tmp_path, personal_lab
):
    """Another session saved the same name while this training ran: the page offers the
    free name and saves the finished vectors there (nothing trained is lost). One store
    for both sessions: a personal lab (two tabs of one workspace are the same case)."""
    from embeddings.jobs import BackgroundJob
    from embeddings.train.trainer import train_and_store
    from embeddings.vectors.store import ModelCard

    corpus = _hand_made_corpus(tmp_path, frequent=50, rare=0)
    params = {"vector_size": 8, "epochs": 1, "workers": 1, "min_count": 1}

    def other_session_saves(event):
        if event.stage == "save" and not store_with_models.exists("mine"):
            store_with_models.save(
                store_with_models.load("lee-w2v")[0], ModelCard(name="mine", algorithm="word2vec")
            )

    def training(progress, cancel):
        def both(event):
            other_session_saves(event)
            progress(event)

        return train_and_store(store_with_models, corpus, "word2vec", params, "mine", both, cancel)

    at = _page_with(corpus)
    job = BackgroundJob(training, "Training mine").start()
    assert job.wait(120) and job.exception is not None
    at.session_state["train_job"] = job
    at.run()
    assert not at.exception
    at.button(key="train_save_as").click().run()
    assert not at.exception
    assert store_with_models.exists("mine-2")
    assert store_with_models.load_card("mine-2").vocab_size == 50
    assert at.session_state["active_model"] == "mine-2"
    assert any("Saved as **mine-2**" in s.value for s in at.success)
