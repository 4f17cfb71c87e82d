"""AppTest: the Train page's engine choice (local / Spark), shown only with pyspark."""

import sys

import pytest

from tests.conftest import SPARK_MASTER, run_page, session_models, spark_missing
from tests.jobwait import finish_job

SPARK_MISSING = spark_missing()


def test_without_pyspark_the_page_has_no_engine_choice(store_with_models, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)  # as if it were not installed
    at = run_page("app_pages/train.py", active="lee-w2v")
    assert not [r for r in at.radio if r.key == "train_engine"]
    assert [r for r in at.radio if r.key == "train_algo"]


@pytest.mark.spark
@pytest.mark.skipif(SPARK_MISSING is not None, reason=str(SPARK_MISSING))
def test_spark_is_refused_for_glove_before_anything_starts(store_with_models):
    at = run_page("app_pages/train.py", active="lee-w2v")
    at.radio(key="train_algo").set_value("glove").run()
    at.radio(key="train_engine").set_value("Spark").run()
    assert at.text_input(key="train_spark_master").value == "local[*]"
    at.text_input(key="train_name").set_value("glove-on-spark")
    at.button(key="train_start").click().run()
    assert any("Spark trains Word2Vec only" in e.value for e in at.error)
    assert "train_job" not in at.session_state


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.skipif(SPARK_MISSING is not None, reason=str(SPARK_MISSING))
def test_training_on_spark_from_the_page_stores_the_model(store_with_models, spark_engine):
    from embeddings.corpus.sources import CorpusSource, prepare_corpus

    corpus = prepare_corpus(
        CorpusSource.from_bundled("lee"), "simple", cache=store_with_models.corpus_cache
    )
    at = run_page("app_pages/train.py", active="lee-w2v")
    at.session_state["active_corpus"] = corpus
    at.run()
    at.radio(key="train_engine").set_value("Spark").run()
    # the running test session has this master, so the job joins it
    at.text_input(key="train_spark_master").set_value(SPARK_MASTER)
    at.number_input(key="train_epochs").set_value(1)
    at.number_input(key="train_vector_size").set_value(50)
    at.text_input(key="train_name").set_value("lee-spark")
    at.button(key="train_start").click().run()
    job = finish_job(at, "train_job", 300)
    assert job.error is None, job.error
    kv, card = session_models(at).load("lee-spark")
    assert card.notes["engine"] == "spark" and card.corpus["name"] == "bundled:lee"
    assert kv.vector_size == 50 and card.parameters["epochs"] == 1
    assert at.session_state["active_model"] == "lee-spark"
    assert spark_engine.sc.parallelize(range(3)).sum() == 3  # left running for the others
