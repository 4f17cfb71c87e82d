"""Apache Spark as an engine: co-occurrence counts equal to the local counter, MLlib
Word2Vec stored and scored against gensim, cancellation, one-line errors, and the Train
page's engine choice (local / Spark, shown only with pyspark).

The Spark tests run a real distributed session, ``local-cluster[2,1,1024]``: a driver
and two executor JVMs with their own Python workers, which import the lab from the zip
the session ships. One session serves every test here (it takes 30-70 s to start on a
busy two-core machine). They are skipped, with the reason, only when pyspark or Java is
missing.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from tests.chapter import CHAPTER_COOCCURRENCE, CHAPTER_ORDER, CHAPTER_SENTENCES
from tests.conftest import PROJECT, SPARK_MASTER, run_page, session_models, spark_missing
from tests.jobwait import finish_job

MASTER = SPARK_MASTER
pyspark_installed = importlib.util.find_spec("pyspark") is not None
SPARK_MISSING = spark_missing()
needs_spark = pytest.mark.skipif(SPARK_MISSING is not None, reason=str(SPARK_MISSING))


def _write_lines(path, lines) -> str:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return str(path)


# ------------------------------------------------------------------ co-occurrence


@needs_spark
@pytest.mark.spark
@pytest.mark.slow
def test_chapter_table_on_spark_equals_the_chapter_and_the_local_counter(spark_engine, tmp_path):
    from embeddings.corpus.cooccurrence import count_cooccurrences
    from embeddings.spark.cooccurrence import spark_cooccurrences

    path = _write_lines(tmp_path / "chapter.txt", CHAPTER_SENTENCES)
    co = spark_cooccurrences(spark_engine, path, window=1, weighting="count", partitions=2)
    assert co.table(CHAPTER_ORDER).tolist() == CHAPTER_COOCCURRENCE
    local = count_cooccurrences(path, window=1, weighting="count")
    assert co.words == local.words  # ties ("I"/"like": 3 and 2 ...) in first-appearance order
    assert co.counts.tolist() == local.counts.tolist()
    assert (co.matrix != local.matrix).nnz == 0


@needs_spark
@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.parametrize(
    "options",
    [
        {"window": 10, "weighting": "harmonic"},
        {"window": 3, "weighting": "count", "direction": "left", "min_count": 3, "max_vocab": 700},
    ],
    ids=["harmonic-10", "count-left-min3-max700"],
)
def test_lee_counts_on_spark_equal_every_local_pair(spark_engine, options, tmp_path):
    """Raw Lee text tokenized on the executors vs the lab's sentence file counted locally."""
    from embeddings.corpus.bundled import LEE_BACKGROUND, gensim_data
    from embeddings.corpus.cache import CorpusCache
    from embeddings.corpus.cooccurrence import count_cooccurrences
    from embeddings.corpus.sources import prepare_bundled_corpus
    from embeddings.spark.cooccurrence import spark_cooccurrences

    lee = prepare_bundled_corpus("lee", "simple", cache=CorpusCache(tmp_path))
    local = count_cooccurrences(lee.path, **options)
    co = spark_cooccurrences(
        spark_engine, gensim_data(LEE_BACKGROUND), tokenizer="simple", partitions=3, **options
    )
    assert co.tokens == local.tokens == 60_302
    assert co.words == local.words
    assert np.array_equal(co.counts, local.counts)
    assert co.nnz == local.nnz > 10_000
    assert np.array_equal(co.matrix.indptr, local.matrix.indptr)
    assert np.array_equal(co.matrix.indices, local.matrix.indices)
    assert np.array_equal(co.matrix.data, local.matrix.data)  # float32, bit for bit
    assert co.matrix.dtype == np.float32 and co.matrix.indices.dtype == np.int32


@needs_spark
@pytest.mark.spark
@pytest.mark.slow
def test_cli_cooccur_on_spark_prints_the_local_table(spark_engine, tmp_path, capsys):
    from embeddings.cli import main

    path = _write_lines(tmp_path / "chapter.txt", CHAPTER_SENTENCES)
    args = ["cooccur", path, "--window", "1", "--words", ",".join(CHAPTER_ORDER), "--quiet"]
    args += ["--store", str(tmp_path / "models")]
    assert main(args) == 0
    local = capsys.readouterr().out
    # the command joins the running session (same master) and leaves it running
    assert main([*args, "--engine", "spark", "--master", MASTER]) == 0
    assert capsys.readouterr().out == local
    assert local.splitlines()[1] == "I\t0\t2\t1\t0\t0\t0\t0"
    assert spark_engine.sc.parallelize(range(4), 2).sum() == 6


@needs_spark
@pytest.mark.spark
@pytest.mark.slow
def test_cancel_stops_the_job_group_and_raises_cancelled(spark_engine, tmp_path):
    from embeddings.corpus.bundled import LEE_BACKGROUND, gensim_data
    from embeddings.errors import Cancelled
    from embeddings.progress import CancelToken
    from embeddings.spark.cooccurrence import spark_cooccurrences

    text = gensim_data(LEE_BACKGROUND).read_text(encoding="utf-8") * 20
    path = tmp_path / "lee-x20.txt"
    path.write_text(text, encoding="utf-8")
    cancel = CancelToken()
    events = []

    def on_progress(event):  # cancel as soon as Spark reports a running stage
        events.append(event)
        cancel.cancel()

    with pytest.raises(Cancelled):
        spark_cooccurrences(
            spark_engine, path, tokenizer="simple", progress=on_progress, cancel=cancel
        )
    assert events and events[0].stage == "spark" and events[0].total >= 1
    deadline = time.monotonic() + 60
    while spark_engine.sc.statusTracker().getActiveJobsIds() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert spark_engine.sc.statusTracker().getActiveJobsIds() == []
    assert spark_engine.sc.parallelize(range(3)).sum() == 3  # the session still works


@needs_spark
@pytest.mark.spark
@pytest.mark.slow
def test_korean_tokenizer_runs_on_the_executors(spark_engine, tmp_path):
    pytest.importorskip("kiwipiepy", reason="kiwipiepy is not installed")
    from embeddings.corpus.tokenize import get_tokenizer
    from embeddings.spark.corpus import read_sentences

    lines = ["영화가 정말 재미있었어요", "배우들의 연기가 좋았다"]
    path = _write_lines(tmp_path / "ko.txt", lines)
    got = read_sentences(spark_engine, path, "korean").collect()
    assert got == [get_tokenizer("korean")(line) for line in lines]
    assert "재미있다" in got[0]


@needs_spark
@pytest.mark.spark
@pytest.mark.slow
def test_a_corpus_that_is_not_utf8_is_one_clear_error(spark_engine, tmp_path):
    from embeddings.errors import CorpusError
    from embeddings.spark.cooccurrence import spark_cooccurrences

    path = tmp_path / "latin1.txt"
    path.write_bytes("caf\u00e9 cr\u00e8me br\u00fbl\u00e9e\n".encode("latin-1"))
    with pytest.raises(CorpusError, match="not UTF-8 text") as caught:
        spark_cooccurrences(spark_engine, path, tokenizer="simple")
    assert "\n" not in str(caught.value)


def test_spark_failures_become_one_line_library_errors():
    from embeddings.errors import Cancelled, CorpusError, EngineError
    from embeddings.spark.jobs import executor_error, translate_error

    task_failure = (
        "An error occurred while calling o81.collect.\n"
        ": org.apache.spark.SparkException: Job aborted due to stage failure: Task 0 failed\n"
        "Traceback (most recent call last):\n"
        '  File "worker.py", line 1, in main\n'
        "ValueError: too many tokens\n"
        "\tat org.apache.spark.api.python.BasePythonRunner.read(PythonRunner.scala:1)\n"
    )
    error = translate_error(RuntimeError(task_failure))
    assert type(error) is EngineError and str(error) == "Spark failed: ValueError: too many tokens"
    marked = str(executor_error(CorpusError, "kiwipiepy is missing on the executors"))
    error = translate_error(RuntimeError(f"Job aborted\nRuntimeError: {marked}\n\tat x"))
    assert type(error) is CorpusError and str(error) == "kiwipiepy is missing on the executors"
    missing = "Input path does not exist: hdfs://nn:8020/corpora/none.txt\n\tat x"
    error = translate_error(RuntimeError(missing))
    assert type(error) is CorpusError and "hdfs://nn:8020/corpora/none.txt" in str(error)
    assert type(translate_error(RuntimeError("boom"), cancelled=True)) is Cancelled


# ----------------------------------------------------------------------- Word2Vec


@needs_spark
@pytest.mark.spark
@pytest.mark.slow
def test_word2vec_on_spark_is_stored_and_scores_like_gensim_skipgram_hs(spark_engine, store):
    from gensim.models import Word2Vec

    from embeddings.corpus.bundled import WORDSIM353, gensim_data
    from embeddings.corpus.sentences import SentenceFile
    from embeddings.corpus.sources import prepare_bundled_corpus
    from embeddings.evaluate.scores import evaluate_word_pairs
    from embeddings.explore.query import neighbours
    from embeddings.spark.word2vec import spark_word2vec_and_store

    corpus = prepare_bundled_corpus("wiki+lee", "simple", cache=store.corpus_cache)
    settings = {"vector_size": 100, "window": 5, "min_count": 5, "epochs": 3, "seed": 1}
    spark_word2vec_and_store(
        store,
        spark_engine,
        corpus.path,
        {**settings, "partitions": 1},
        name="wiki-lee-spark",
        tokenizer="whitespace",
    )
    kv, card = store.load("wiki-lee-spark")
    assert card.notes["engine"] == "spark" and card.notes["master"] == MASTER
    assert card.notes["partitions"] == 1 and card.notes["times"]["fit_s"] > 0
    assert card.parameters["mllib"]["maxIter"] == 3 and card.parameters["sg"] == 1
    assert card.corpus["tokens"] == corpus.stats.tokens
    found = neighbours(kv, "war", topn=5)
    assert len(found.neighbours) == 5 and "war" not in [n.word for n in found.neighbours]

    gensim = Word2Vec(
        list(SentenceFile(corpus.path)),
        sg=1,
        hs=1,
        negative=0,
        sample=0,  # MLlib does not down-sample
        workers=2,
        **{k: v for k, v in settings.items()},
    ).wv
    # the vocabulary and its counts (counted on Spark) are gensim's, most frequent first
    assert sorted(kv.index_to_key) == sorted(gensim.index_to_key)
    spark_counts = [kv.get_vecattr(w, "count") for w in kv.index_to_key]
    assert spark_counts == [gensim.get_vecattr(w, "count") for w in kv.index_to_key]
    assert spark_counts == sorted(spark_counts, reverse=True)
    ws = gensim_data(WORDSIM353)
    ours = evaluate_word_pairs(kv, ws)["spearman"]
    reference = evaluate_word_pairs(gensim, ws)["spearman"]
    assert ours > 0.2 and reference > 0.2
    assert abs(ours - reference) <= 0.05, (ours, reference)


# ------------------------------------------------------------------ one-line errors


def _cli(args, env=None, timeout=120):
    """Run the command line in a fresh process; ``(exit code, stderr lines)``."""
    proc = subprocess.run(
        [sys.executable, "-m", "embeddings", *args],
        cwd=PROJECT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,  # a hang fails the test instead of blocking the suite
    )
    return proc.returncode, proc.stderr.strip().splitlines()


@needs_spark
@pytest.mark.spark
def test_missing_corpus_is_one_line_before_spark_starts(tmp_path):
    missing = str(tmp_path / "no-such-corpus.txt")
    code, lines = _cli(["cooccur", missing, "--words", "a", "--engine", "spark", "--quiet"])
    assert code == 2 and lines == [f"error: Corpus file not found: {missing}"]


@needs_spark
@pytest.mark.spark
def test_unreachable_master_is_one_line(tmp_path):
    path = _write_lines(tmp_path / "c.txt", CHAPTER_SENTENCES)
    args = ["train", "--engine", "spark", "--master", "spark://127.0.0.1:1", "--algo"]
    code, lines = _cli([*args, "word2vec", "--corpus", path, "--out", "x", "--quiet"])
    assert code == 2 and len(lines) == 1
    assert lines[0].startswith("error: The Spark master spark://127.0.0.1:1 does not answer")


@pytest.mark.spark
@pytest.mark.skipif(not pyspark_installed, reason="pyspark is not installed (make spark)")
def test_missing_java_is_one_line(tmp_path):
    path = _write_lines(tmp_path / "c.txt", CHAPTER_SENTENCES)
    nowhere = str(tmp_path / "no-java")
    args = ["train", "--engine", "spark", "--algo", "word2vec", "--corpus", path, "--out", "x"]
    code, lines = _cli([*args, "--quiet"], env={"PATH": nowhere, "JAVA_HOME": nowhere})
    assert code == 2 and len(lines) == 1
    assert lines[0].startswith(f"error: JAVA_HOME={nowhere} has no bin/java")
    env = {"PATH": nowhere, "JAVA_HOME": ""}
    code, lines = _cli([*args, "--quiet"], env=env)
    assert code == 2 and lines[0].startswith("error: Spark needs Java, and no java is on PATH")


def test_missing_pyspark_says_how_to_install(tmp_path):
    path = _write_lines(tmp_path / "c.txt", CHAPTER_SENTENCES)
    code = (
        "import sys; sys.modules['pyspark'] = None\n"  # as if it were not installed
        "from embeddings.cli import main\n"
        f"sys.exit(main(['cooccur', {path!r}, '--words', 'i', '--engine', 'spark']))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, timeout=120
    )
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1
    assert "pyspark" in lines[0] and "make spark" in lines[0]
    assert "requirements-spark.txt" in lines[0]


def test_settings_and_master_urls_are_checked():
    from embeddings.errors import EngineError, TrainingError
    from embeddings.spark.session import check_master, parse_conf
    from embeddings.spark.word2vec import spark_word2vec_params

    assert parse_conf(["a.b=1", "c = x=y"]) == {"a.b": "1", "c": "x=y"}
    with pytest.raises(EngineError, match="key=value"):
        parse_conf(["spark.executor.memory"])
    for good in ("local", "local[*]", "local[4]", "local[2,3]", "local-cluster[2,1,1024]"):
        check_master(good)
    with pytest.raises(EngineError, match="Unknown Spark master"):
        check_master("sparks://host")
    params = spark_word2vec_params(vector_size=50, window=4, min_count=2, epochs=2, alpha=0.05)
    assert params.mllib() == {
        "vectorSize": 50,
        "windowSize": 4,
        "minCount": 2,
        "maxIter": 2,
        "stepSize": 0.05,
        "seed": 1,
        "numPartitions": 1,
        "maxSentenceLength": 1000,
    }
    with pytest.raises(TrainingError, match="skip-gram with hierarchical softmax only"):
        spark_word2vec_params(negative=5)


def test_a_master_that_never_answers_times_out_with_one_line():
    """A port that accepts connections but is no Spark master: the watchdog bounds the wait."""
    if SPARK_MISSING is not None:
        pytest.skip(SPARK_MISSING)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    accepting = threading.Thread(target=server.accept, daemon=True)
    accepting.start()
    code = (
        "from embeddings.errors import EngineError\n"
        "from embeddings.spark.session import start_spark\n"
        "try:\n"
        f"    start_spark('spark://127.0.0.1:{port}', start_timeout=2)\n"
        "except EngineError as exc:\n"
        "    print(exc)\n"
    )
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, timeout=120
        )
    finally:
        server.close()
    assert proc.stdout.strip() == (
        f"Spark on spark://127.0.0.1:{port} did not start within 2 s; check that the master "
        "is running and has free cores and memory."
    )


# --------------------------------------------- the Train page's engine choice (AppTest)
# Here rather than in a file of their own: with pytest-xdist each file runs on one
# worker, and a second file would start a second Spark session beside this one.


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
