"""Shared fixtures: a temporary model store, small real models trained on the Lee news
corpus that gensim ships, and a helper to drive the app with Streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
APP = str(PROJECT / "app.py")


@pytest.fixture(scope="session")
def lee_sentences() -> list[list[str]]:
    """The Lee background corpus (300 news articles), tokenized with the simple tokenizer."""
    from embeddings.corpus.bundled import LEE_BACKGROUND, gensim_data, iter_lines
    from embeddings.corpus.tokenize import tokenize_simple

    return [tokenize_simple(line) for line in iter_lines(gensim_data(LEE_BACKGROUND))]


@pytest.fixture(scope="session")
def lee_w2v(lee_sentences):
    """A real Word2Vec model (50-d, CBOW) trained on the Lee corpus; deterministic."""
    from gensim.models import Word2Vec

    model = Word2Vec(
        lee_sentences, vector_size=50, window=5, min_count=3, epochs=20, workers=1, seed=1
    )
    return model.wv


@pytest.fixture(scope="session")
def lee_fasttext(lee_sentences):
    """A real FastText model (50-d, n = 3..6, 20,000 buckets) trained on the Lee corpus."""
    from gensim.models import FastText

    model = FastText(
        lee_sentences,
        vector_size=50,
        window=5,
        min_count=3,
        epochs=10,
        workers=1,
        seed=1,
        bucket=20_000,
    )
    return model.wv


@pytest.fixture
def store(tmp_path, monkeypatch):
    """An empty model store in a temporary directory, also set as $EMBEDDINGS_HOME."""
    from embeddings.vectors.store import ModelStore

    root = tmp_path / "models"
    monkeypatch.setenv("EMBEDDINGS_HOME", str(root))
    return ModelStore(root)


@pytest.fixture
def store_with_models(store, lee_w2v, lee_fasttext):
    """The temporary store holding ``lee-w2v`` (Word2Vec) and ``lee-ft`` (FastText)."""
    from embeddings.vectors.store import ModelCard

    store.save(lee_w2v, ModelCard(name="lee-w2v", algorithm="word2vec", source="tests"))
    store.save(lee_fasttext, ModelCard(name="lee-ft", algorithm="fasttext", source="tests"))
    return store


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    """AppTest instances share one session id, so caches leak between tests: clear them."""
    yield
    try:
        import streamlit as st
    except ImportError:
        return
    st.cache_data.clear()
    st.cache_resource.clear()


def run_page(page: str, active: str | None = None, timeout: float = 120):
    """Run the app on ``page`` (e.g. ``"pages/neighbours.py"``) and return the AppTest.

    ``active`` sets the active model's name in the session first.
    """
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=timeout)
    if active is not None:
        at.session_state["active_model"] = active
    at.run()
    at.switch_page(page).run()
    return at


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """An empty data folder set as $EMBEDDINGS_DATA_DIRS: the only place the pages may
    read server-side files from."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("EMBEDDINGS_DATA_DIRS", str(folder))
    return folder


def pick_data_file(at, key: str, path):
    """Choose ``path`` in the data-file picker whose keys start with ``key``; rerun."""
    at.selectbox(key=f"{key}_file").set_value(str(Path(path).resolve())).run()
    return at


# A real distributed Spark run on this machine: a driver and two executor JVMs.
SPARK_MASTER = "local-cluster[2,1,1024]"


def spark_missing() -> str | None:
    """Why the Spark tests cannot run here (pyspark or Java missing), or None."""
    import importlib.util

    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (make spark, or pip install -r requirements-spark.txt)"
    from embeddings.errors import EngineError
    from embeddings.spark.session import find_java

    try:
        find_java()
    except EngineError as exc:
        return f"no usable Java for Spark: {exc}"
    return None


@pytest.fixture(scope="session")
def spark_engine():
    """One Spark session (``SPARK_MASTER``) shared by every Spark test; started on first use."""
    reason = spark_missing()
    if reason is not None:
        pytest.skip(reason)
    from embeddings.spark.session import start_spark

    engine = start_spark(SPARK_MASTER)
    yield engine
    engine.stop()
