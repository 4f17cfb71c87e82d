"""Reproducible training: the same corpus and parameters give the same vectors, in this
process and in another one with a different string-hash salt."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from embeddings.train.reproducible import REPRODUCIBLE_NOTE, stable_hash
from tests.conftest import PROJECT

PARAMS = {
    "word2vec": {"vector_size": 32, "epochs": 2, "min_count": 3, "workers": 2},
    "fasttext": {"vector_size": 32, "epochs": 2, "min_count": 3, "workers": 2, "bucket": 20_000},
}

# Trains like the test below and writes the vectors to argv[2] (argv[1]: the algorithm).
CHILD = """
import sys
import numpy as np
from embeddings.corpus.cache import CorpusCache
from embeddings.corpus.sources import CorpusSource, prepare_corpus
from embeddings.train.trainer import train_model
params = {params!r}[sys.argv[1]]
cache = CorpusCache(sys.argv[3])
corpus = prepare_corpus(CorpusSource.from_bundled("lee"), "simple", cache=cache)
result = train_model(corpus, sys.argv[1], dict(params), "child", reproducible=True)
np.save(sys.argv[2], np.asarray(result.kv.vectors))
"""


@pytest.fixture(scope="module")
def lee_corpus(tmp_path_factory):
    from embeddings.corpus.cache import CorpusCache
    from embeddings.corpus.sources import CorpusSource, prepare_corpus

    cache = CorpusCache(tmp_path_factory.mktemp("corpora"))
    return prepare_corpus(CorpusSource.from_bundled("lee"), "simple", cache=cache)


def _train(corpus, algorithm):
    from embeddings.train.trainer import train_model

    return train_model(corpus, algorithm, dict(PARAMS[algorithm]), "repro", reproducible=True)


@pytest.mark.parametrize("algorithm", ["word2vec", "fasttext"])
def test_two_reproducible_trainings_give_identical_vectors(lee_corpus, algorithm, tmp_path):
    first, second = _train(lee_corpus, algorithm), _train(lee_corpus, algorithm)
    assert first.kv.index_to_key == second.kv.index_to_key
    assert np.array_equal(first.kv.vectors, second.kv.vectors)
    # ... and in another process whose str hashes are salted differently.
    out = tmp_path / "child.npy"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run(
        [sys.executable, "-c", CHILD.format(params=PARAMS), algorithm, str(out), str(tmp_path)],
        cwd=PROJECT,
        env=env,
        check=True,
        capture_output=True,
    )
    assert np.array_equal(np.load(out), first.kv.vectors)


def test_reproducible_mode_uses_one_worker_and_says_so(lee_corpus):

    result = _train(lee_corpus, "word2vec")
    assert result.card.parameters["workers"] == 1 and result.card.parameters["seed"] == 1
    assert result.card.notes["reproducible"] == REPRODUCIBLE_NOTE


def test_glove_in_reproducible_mode_is_reproducible_too(lee_corpus):
    from embeddings.train.trainer import train_model

    params = {"vector_size": 16, "epochs": 3, "min_count": 3, "workers": 2}
    first = train_model(lee_corpus, "glove", dict(params), "g", reproducible=True)
    second = train_model(lee_corpus, "glove", dict(params), "g", reproducible=True)
    assert first.card.parameters["workers"] == 1
    assert np.array_equal(first.kv.vectors, second.kv.vectors)


def test_stable_hash_is_the_same_in_another_process():
    code = "from embeddings.train.reproducible import stable_hash; print(stable_hash('1france'))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env={**os.environ, "PYTHONHASHSEED": "999"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert int(out) == stable_hash("1france") == 2082272655


def test_the_train_page_trains_in_reproducible_mode(store_with_models, lee_corpus):
    from tests.conftest import run_page, session_models
    from tests.jobwait import finish_job

    at = run_page("app_pages/train.py", active="lee-w2v")
    at.session_state["active_corpus"] = lee_corpus
    at.number_input(key="train_epochs").set_value(1)
    at.checkbox(key="train_reproducible").check()
    at.text_input(key="train_name").set_value("repro-page").run()
    at.button(key="train_start").click().run()
    job = finish_job(at, "train_job", 300)
    assert job.error is None, job.error
    card = session_models(at).load_card("repro-page")
    assert card.parameters["workers"] == 1
    assert card.notes["reproducible"] == REPRODUCIBLE_NOTE


def test_home_says_why_scores_vary(store, lee_w2v):
    from streamlit.testing.v1 import AppTest

    from embeddings.vectors.store import ModelCard
    from tests.conftest import APP
    from utils.evaluation_charts import SCORE_VARIATION

    store.save(lee_w2v, ModelCard(name="wiki-w2v", algorithm="word2vec", source="tests"))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert any("**Benchmarks of wiki-w2v**" in m.value for m in at.markdown)
    assert SCORE_VARIATION in [c.value for c in at.caption]
