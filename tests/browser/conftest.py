"""Real-browser tests: Debian's Chromium driven by Playwright against ``streamlit run``.

Each server runs on a free loopback port with its own temporary model store and is
stopped afterwards. Screenshots: pytest-playwright's ``--screenshot=only-on-failure``
(the default here, see pyproject.toml) or ``--screenshot=on`` for every journey, saved
under ``tests/screenshots/``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
BROWSER_TIMEOUT = 600  # seconds per journey, setup included (pyproject.toml: 300 s elsewhere)


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            # A journey may wait minutes for a first-start training (unless it says
            # @pytest.mark.timeout itself).
            if item.get_closest_marker("timeout") is None:
                item.add_marker(pytest.mark.timeout(BROWSER_TIMEOUT))
            if "seeded_store" in item.fixturenames:  # the session's default model
                item.add_marker(pytest.mark.slow)
            if not Path(CHROMIUM).exists():
                item.add_marker(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 1400, "height": 1000},
        "accept_downloads": True,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """``streamlit run app.py`` on a free loopback port with its own model store and
    workspaces beside it (``env``: more environment variables, e.g.
    ``EMBEDDINGS_DATA_DIRS``)."""

    def __init__(self, store: Path, script: Path | None = None, env: dict | None = None):
        self.store = store
        self.script = script or PROJECT / "app.py"
        self.env = env or {}
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = store.parent / f"streamlit-{self.port}.log"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> AppServer:
        # A server starts as in production: with its start-up warm-up, on its own store.
        env = {k: v for k, v in os.environ.items() if k != "EMBEDDINGS_NO_WARMUP"}
        env.update(
            EMBEDDINGS_HOME=str(self.store),
            # Each browser session gets a workspace (the default): beside the store, never
            # in the checkout.
            EMBEDDINGS_WORKSPACES=str(self.store.parent / "workspaces"),
            PYTHONUNBUFFERED="1",
        )
        env.update(self.env)
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(self.script),
            "--server.headless=true",
            "--server.address=127.0.0.1",
            f"--server.port={self.port}",
            "--browser.gatherUsageStats=false",
            "--server.fileWatcherType=none",
        ]
        self.proc = subprocess.Popen(
            cmd,
            cwd=PROJECT,
            env=env,
            stdout=open(self.log, "wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited early:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"streamlit did not become healthy in {timeout} s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


@pytest.fixture
def empty_server(tmp_path):
    """A server on an empty model store (a first start)."""
    server = AppServer(tmp_path / "models").start()
    yield server
    server.stop()


@pytest.fixture
def tiny_server(tmp_path):
    """A fresh server whose store already holds a tiny model named ``tiny``, so no
    first-start training runs."""
    import numpy as np
    from gensim.models import KeyedVectors

    from embeddings.vectors.store import ModelCard, ModelStore

    kv = KeyedVectors(4)
    kv.add_vectors(["cat", "dog"], np.eye(2, 4, dtype=np.float32))
    ModelStore(tmp_path / "models").save(kv, ModelCard(name="tiny", algorithm="word2vec"))
    server = AppServer(tmp_path / "models").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def seeded_store(tmp_path_factory, default_model_store):
    """A model store of its own holding the session's default Word2Vec model (a copy:
    the journeys add models to it)."""
    root = tmp_path_factory.mktemp("browser") / "models"
    shutil.copytree(default_model_store.root, root)
    return root


@pytest.fixture(scope="session")
def server(seeded_store):
    """A server shared by the journeys that start from the default model."""
    server = AppServer(seeded_store).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def sample_files(tmp_path_factory) -> dict[str, Path]:
    """Small files the journeys upload."""
    d = tmp_path_factory.mktemp("uploads")
    from embeddings.corpus.bundled import LEE_BACKGROUND, gensim_data

    corpus = d / "news.txt"
    shutil.copy(gensim_data(LEE_BACKGROUND), corpus)
    garbage = d / "vectors.txt"
    garbage.write_bytes(bytes(range(256)) * 64)
    return {"corpus": corpus, "garbage": garbage}
