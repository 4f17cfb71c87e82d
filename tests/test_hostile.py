"""Hostile input through the UI: each case gets a clear message and leaves the model
store and the active model intact. (The library-level cases live beside each module:
test_readers, test_loading_bounds, test_store, test_concurrency.)"""

from __future__ import annotations

import bz2
import gzip
import pickle
import zipfile

import numpy as np
import pytest

from tests.conftest import pick_data_file, run_page, session_models
from tests.jobwait import finish_job


class Exploit:
    """Unpickling this writes a file: proof that nothing was unpickled if it is absent."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _files(tmp_path):
    marker = tmp_path / "unpickled"
    good_row = " ".join(["0.1"] * 50)
    files = {
        "empty.vec": (b"", "empty"),
        "binary.txt": (bytes(range(256)) * 40, "does not look like word vectors"),
        "model.model": (pickle.dumps(Exploit(marker)), "never unpickles"),
        "model.kv.gz": (gzip.compress(pickle.dumps(Exploit(marker))), "never unpickles"),
        "lying-dim.vec": (f"2 300\na {good_row}\nb {good_row}\n".encode(), "values instead of 300"),
        "nan.txt": (f"a {good_row}\nb nan {good_row[4:]}\n".encode(), "NaN or infinite"),
        "inf.vec.bz2": (
            bz2.compress(f"2 50\na {good_row}\nb inf {good_row[4:]}\n".encode()),
            "NaN or infinite",
        ),
        "prose.txt": ("Il était une fois.\nÉté, café.\n".encode("latin-1"), "does not look"),
        "huge-dim.vec": (b"1 1000000000\na 0.1\n", "not plausible"),
    }
    traversal = tmp_path / "traversal.zip"
    with zipfile.ZipFile(traversal, "w") as zf:
        zf.writestr("../../x.vec", f"1 50\na {good_row}\n")
        zf.writestr("../../../etc/y.vec", f"1 50\nb {good_row}\n")
    paths = {}
    for name, (data, message) in files.items():
        (tmp_path / name).write_bytes(data)
        paths[name] = (tmp_path / name, message)
    paths["traversal.zip"] = (traversal, "must hold exactly one")
    return paths, marker


def _load_on_models_page(at, path):
    at.radio(key="ld_source").set_value("server path").run()
    pick_data_file(at, "ld", path)
    at.button(key="ld_go").click().run()
    return finish_job(at, "load_job", 60)


def test_hostile_vectors_files_are_messages_and_change_nothing(store_with_models, data_dir):
    paths, marker = _files(data_dir)
    before = sorted(store_with_models.names())
    at = run_page("app_pages/models.py", active="lee-w2v")
    for name, (path, message) in paths.items():
        job = _load_on_models_page(at, path)
        assert not at.exception, name
        assert job.error and message in job.error, (name, job.error)
        assert any(message in e.value for e in at.error), name
        assert "Traceback" not in job.error
        assert sorted(store_with_models.names()) == before, name
        assert at.session_state["active_model"] == "lee-w2v", name
    assert not marker.exists()
    assert not (data_dir.parent.parent / "x.vec").exists()
    # The active model still answers.
    at.switch_page("app_pages/neighbours.py").run()
    at.text_input(key="nb_word").set_value("police").run()
    assert not at.exception and not at.error
    assert len(at.dataframe[0].value) == 10


@pytest.mark.parametrize("bad", ["a/b", "..", "x" * 300, "../escape", ""])
def test_hostile_model_names_on_rename(store_with_models, personal_lab, bad):
    # In a personal lab the shared models may be renamed: the names are what is tested.
    at = run_page("app_pages/models.py", active="lee-w2v")
    at.selectbox(key="mg_model").set_value("lee-w2v").run()
    at.text_input(key="mg_new_name").set_value(bad).run()
    if bad:
        at.button(key="mg_rename").click().run()
        assert at.error, bad
    assert not at.exception
    assert sorted(store_with_models.names()) == ["lee-ft", "lee-w2v"]
    assert not any(p.name.startswith(".tmp") for p in store_with_models.root.iterdir())


@pytest.mark.parametrize("bad", ["a/b", "..", "y" * 300])
def test_hostile_model_names_on_import(store_with_models, data_dir, bad):
    import shutil
    from pathlib import Path

    import gensim

    glove = data_dir / "test_glove.txt"
    shutil.copy(Path(gensim.__file__).parent / "test" / "test_data" / "test_glove.txt", glove)
    at = run_page("app_pages/models.py", active="lee-w2v")
    at.text_input(key="ld_name").set_value(bad).run()
    job = _load_on_models_page(at, glove)
    assert job.error and "name" in job.error.lower()
    assert sorted(store_with_models.names()) == ["lee-ft", "lee-w2v"]


def test_legacy_encodings_on_the_corpus_page(store_with_models):
    """Latin-1 and CP949 uploads are detected and read, never a crash."""
    korean = "자연어 처리는 재미있다\n단어 임베딩을 배운다\n".encode("cp949")
    french = "Le café est très chaud et délicieux\nÉté à Paris, où il fait beau\n".encode("latin-1")
    at = run_page("app_pages/corpus.py", active="lee-w2v")
    at.radio(key="corpus_source").set_value("upload").run()
    for name, data, encoding, word in (
        ("korean.txt", korean, "cp949", "자연어"),
        ("french.txt", french, "latin-1", "café"),
    ):
        at.file_uploader(key="corpus_upload").set_value((name, data, "text/plain")).run()
        assert not at.exception and not at.error, name
        assert any(f"encoding **{encoding}**" in m.value for m in at.markdown), name
        tokens = " ".join(at.dataframe[0].value["tokens"]).split()
        assert word in tokens, (name, tokens)


@pytest.mark.slow
def test_two_sessions_training_at_once_both_land(store_with_models, tmp_path):
    """Two browser sessions start trainings with different names at the same moment."""
    from embeddings.corpus.sources import CorpusSource, prepare_corpus

    corpus = prepare_corpus(
        CorpusSource.from_bundled("lee"), "simple", cache=store_with_models.corpus_cache
    )
    sessions = []
    for name in ("first", "second"):
        at = run_page("app_pages/train.py", active="lee-w2v")
        at.session_state["active_corpus"] = corpus
        at.run()
        at.number_input(key="train_epochs").set_value(1)
        at.text_input(key="train_name").set_value(name)
        sessions.append(at)
    for at in sessions:
        at.button(key="train_start").click().run()
    for at in sessions:
        job = finish_job(at, "train_job")
        assert job.error is None, job.error
    for at, name in zip(sessions, ("first", "second"), strict=True):  # own workspaces
        models = session_models(at)
        assert models.own_names() == [name]
        kv, card = models.load(name)
        assert len(kv) > 100 and np.isfinite(kv.vectors).all()
    assert store_with_models.names() == ["lee-w2v", "lee-ft"]


def _one_line_error(capsys, argv) -> str:
    from embeddings.cli import main

    code = main(argv)
    captured = capsys.readouterr()
    assert code == 2, (argv, captured.err)
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err, captured.err
    return captured.err


def test_damaged_files_on_the_command_line_are_one_line(store, tmp_path, capsys):
    """Corrupt or truncated gzip/bzip2, a damaged or encrypted zip, a cut fastText model:
    ``info`` and ``models import`` print one line and exit 2 (they were tracebacks);
    the same bytes as benchmark files are refused the same way by ``evaluate``."""
    from embeddings.corpus.bundled import gensim_data
    from tests.test_loading_bounds import _damaged_files

    vectors = str(gensim_data("euclidean_vectors.bin"))
    for name, (path, message) in _damaged_files(tmp_path).items():
        assert message in _one_line_error(capsys, ["info", str(path), "--quiet"]), name
        err = _one_line_error(capsys, ["models", "import", str(path), "--quiet"])
        assert message in err, name
        for flag in ("--pairs", "--analogies"):
            err = _one_line_error(capsys, ["evaluate", vectors, flag, str(path), "--quiet"])
            assert path.name in err, (name, flag)
    assert store.names() == []
