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
    from embeddings.corpus.sources import CorpusSource, read_documents
    from embeddings.corpus.tokenize import tokenize_simple

    return [tokenize_simple(doc) for doc in read_documents(CorpusSource.from_bundled("lee"))]


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


@pytest.fixture(scope="session", autouse=True)
def _no_writes_to_the_default_store(tmp_path_factory):
    """Point ``$EMBEDDINGS_HOME`` away from the checkout's ``models/`` for the session,
    and fail if anything lands there: every test names its own temporary store (the
    ``store`` fixture, or a ``MonkeyPatch.context()`` in a shared fixture). The app's
    workspaces (on by default: each AppTest session gets one) go to a temporary folder
    too, never to the checkout's ``workspaces/``."""
    stray = tmp_path_factory.mktemp("stray-store") / "models"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EMBEDDINGS_HOME", str(stray))
        mp.setenv("EMBEDDINGS_WORKSPACES", str(tmp_path_factory.mktemp("workspaces")))
        yield
    written = sorted(str(p.relative_to(stray)) for p in stray.rglob("*")) if stray.exists() else []
    assert not written, f"a test wrote into the default model store: {written[:10]}"


@pytest.fixture(autouse=True)
def _no_umap_warmup(monkeypatch):
    """AppTests never compile UMAP at start-up (a background thread busy for about 40 s);
    a UMAP map compiles in its own call instead."""
    monkeypatch.setenv("EMBEDDINGS_NO_WARMUP", "1")


@pytest.fixture(scope="session")
def default_model_store(tmp_path_factory):
    """A temporary store holding the default model (``wiki-w2v`` on the bundled wiki+lee
    corpus), trained once for the session; its corpus cache is in the same folder.

    Read it, never write to it: tests that change a store copy it first.
    """
    from embeddings.train.default import ensure_default_model
    from embeddings.vectors.store import ModelStore

    root = tmp_path_factory.mktemp("default-model") / "models"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EMBEDDINGS_HOME", str(root))
        ensure_default_model(ModelStore(root))
    return ModelStore(root)


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
def _no_jobs_left_running():
    """A page's job may outlive its test (nothing polls it once the test ends): cancel
    what the test left in the server's queue, so the next test's jobs do not wait in
    line behind it."""
    yield
    from embeddings import job_queue

    queue = job_queue._DEFAULT_QUEUE
    if queue is None:
        return
    left = queue.waiting + queue.active
    for job in left:
        job.cancel()
    for job in left:
        job.wait(60)


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


def run_page_alone(page: str, timeout: float = 120):
    """Run one page script by itself, without app.py (no router, no first start): for a
    page's own guards, such as an empty store, which the app fills with the default
    model before any page runs."""
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(PROJECT / page), default_timeout=timeout).run()


def run_page(
    page: str, active: str | None = None, timeout: float = 120, workspace: str | None = None
):
    """Run the app on ``page`` (e.g. ``"app_pages/neighbours.py"``) and return the AppTest.

    ``active`` sets the active model's name in the session first. The session works in
    a new workspace (the app's default), or in ``workspace`` (a token, as in the URL).
    """
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=timeout)
    if workspace is not None:
        at.query_params["workspace"] = workspace
    if active is not None:
        at.session_state["active_model"] = active
    at.run()
    at.switch_page(page).run()
    return at


def workspace_of(at) -> str:
    """The workspace token of an AppTest session of the app."""
    return at.session_state["workspace_token"]


def session_models(at):
    """What the AppTest session's pages see: its workspace's models plus the shared ones
    (a :class:`~embeddings.workspaces.Models`); its own trained and loaded models land here."""
    from embeddings.workspaces import workspace_models

    return workspace_models(workspace_of(at))


@pytest.fixture
def personal_lab(monkeypatch):
    """The app without workspaces (``EMBEDDINGS_WORKSPACES=off``): one person, the shared
    store only, every model renamable and deletable."""
    monkeypatch.setenv("EMBEDDINGS_WORKSPACES", "off")


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
    """One Spark session (``SPARK_MASTER``) shared by the Spark tests of a pytest process
    (each xdist worker that runs one starts its own); started on first use."""
    reason = spark_missing()
    if reason is not None:
        pytest.skip(reason)
    from embeddings.spark.session import start_spark

    engine = start_spark(SPARK_MASTER)
    yield engine
    engine.stop()
