"""``--workspace TOKEN`` on the subcommands: reads see shared + own, writes go to the workspace."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pytest
from gensim.models import KeyedVectors

from embeddings.cli import build_parser, main
from embeddings.vectors.store import ModelCard
from embeddings.workspaces import new_token, workspace_store


def _vectors(fill: float) -> KeyedVectors:
    kv = KeyedVectors(vector_size=3)
    words = ["king", "queen", "man", "woman"]
    rows = np.array([[1, 0, 0], [0.9, 0.1, 0], [0, 1, 0], [0, 0.9, fill]], dtype=np.float32)
    kv.add_vectors(words, rows)
    return kv


@pytest.fixture
def classroom(store, tmp_path, monkeypatch):
    """The shared store with ``default``, and one workspace token (root in tmp_path)."""
    monkeypatch.setenv("EMBEDDINGS_WORKSPACES", str(tmp_path / "workspaces"))
    store.save(_vectors(0.1), ModelCard(name="default", algorithm="word2vec"))
    return store, new_token()


def _run(capsys, *argv):
    code = main([*argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _json(capsys, *argv):
    code, out, err = _run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def test_every_subcommand_with_store_takes_workspace():
    parser = build_parser()
    checked = 0

    def walk(p):
        nonlocal checked
        options = {o for action in p._actions for o in action.option_strings}
        if "--store" in options:
            assert "--workspace" in options, p.prog
            checked += 1
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for child in action.choices.values():
                    walk(child)

    walk(parser)
    assert checked >= 12  # every reader and writer of models


def test_import_writes_into_the_workspace_and_list_marks_shared(classroom, tmp_path, capsys):
    store, token = classroom
    path = tmp_path / "mine.txt"
    path.write_text("2 3\nsun 1 0 0\nmoon 0 1 0\n", encoding="utf-8")
    card = _json(capsys, "models", "import", str(path), "--name", "mine", "--workspace", token)
    assert card["name"] == "mine" and card["vocab_size"] == 2
    assert store.names() == ["default"]  # the shared store is untouched
    assert workspace_store(token).names() == ["mine"]
    rows = _json(capsys, "models", "list", "--workspace", token)
    assert [(r["name"], r["shared"]) for r in rows] == [("default", True), ("mine", False)]
    code, out, _ = _run(capsys, "models", "list", "--workspace", token)
    assert out.splitlines()[0].endswith("(shared)") and "(shared)" not in out.splitlines()[1]
    plain = _json(capsys, "models", "list")  # without a workspace: the contract as before
    assert [r["name"] for r in plain] == ["default"] and "shared" not in plain[0]
    other = _json(capsys, "models", "list", "--workspace", new_token())
    assert [r["name"] for r in other] == ["default"]  # another workspace does not see it


def test_queries_read_shared_and_own_models(classroom, capsys):
    store, token = classroom
    workspace_store(token).save(_vectors(0.0), ModelCard(name="own", algorithm="word2vec"))
    shared_rows = _json(
        capsys, "neighbours", "default", "king", "--topn", "1", "--workspace", token
    )
    own_rows = _json(capsys, "neighbours", "own", "man", "--topn", "1", "--workspace", token)
    assert shared_rows[0]["word"] == "queen" and own_rows[0]["word"] == "woman"
    code, _, err = _run(capsys, "neighbours", "own", "king")  # not in the shared store
    assert code == 2 and "'own'" in err and err.count("\n") == 1


def test_shared_models_cannot_be_renamed_or_deleted_from_a_workspace(classroom, capsys):
    store, token = classroom
    for argv in (["models", "delete", "default"], ["models", "rename", "default", "x"]):
        code, _, err = _run(capsys, *argv, "--workspace", token)
        assert code == 2 and err.count("\n") == 1
        assert "'default' is a shared model" in err
    assert store.names() == ["default"]
    workspace_store(token).save(_vectors(0.0), ModelCard(name="own", algorithm="word2vec"))
    assert _json(capsys, "models", "rename", "own", "ours", "--workspace", token)["name"] == "ours"
    assert _json(capsys, "models", "delete", "ours", "--workspace", token) == {"deleted": "ours"}
    assert workspace_store(token).names() == []


def test_train_overwrite_of_a_shared_name_is_refused_before_training(classroom, capsys):
    _store, token = classroom
    argv = ["train", "--algo", "word2vec", "--corpus", "bundled:lee", "--out", "default"]
    code, _, err = _run(capsys, *argv, "--overwrite", "--quiet", "--workspace", token)
    assert code == 2 and "'default' is a shared model" in err


def test_train_writes_into_the_workspace(classroom, capsys):
    store, token = classroom
    argv = ["train", "--algo", "word2vec", "--corpus", "bundled:lee", "--out", "lee-mine"]
    card = _json(
        capsys, *argv, "--epochs", "1", "--min-count", "5", "--quiet", "--workspace", token
    )
    assert card["name"] == "lee-mine"
    assert workspace_store(token).names() == ["lee-mine"] and store.names() == ["default"]


def test_a_malformed_token_is_one_clear_line(classroom, capsys):
    code, out, err = _run(capsys, "models", "list", "--workspace", "../../etc")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "'../../etc' is not a workspace token" in err
