"""Workspaces: private stores by token, the shared store read-only, limits, cleanup."""

import os
import secrets
import time

import numpy as np
import pytest
from gensim.models import KeyedVectors

from embeddings.errors import (
    InvalidNameError,
    ModelNotFoundError,
    ResourceLimitError,
    SharedModelError,
    WorkspaceError,
)
from embeddings.vectors.store import ModelCard, ModelStore
from embeddings.workspaces import (
    LAST_USED_FILE,
    Models,
    cleanup_workspaces,
    new_token,
    new_workspace,
    validate_token,
    workspace_models,
    workspace_store,
    workspaces_root,
)


def tiny(words=("king", "queen", "man"), size=4, fill=1.0) -> KeyedVectors:
    """Hand-made vectors: ``len(words) * size * 4`` bytes of float32."""
    kv = KeyedVectors(vector_size=size)
    kv.add_vectors(list(words), np.full((len(words), size), fill, dtype=np.float32))
    return kv


def card(name: str) -> ModelCard:
    return ModelCard(name=name, algorithm="word2vec")


@pytest.fixture
def shared(store):
    store.save(tiny(fill=2.0), card("default"))
    return store


@pytest.fixture
def root(tmp_path, monkeypatch):
    path = tmp_path / "workspaces"
    monkeypatch.setenv("EMBEDDINGS_WORKSPACES", str(path))
    return path


def test_tokens_are_random_url_safe_and_validated_strictly():
    token = new_token()
    assert len(token) == 22 and validate_token(token) == token
    assert new_token() != token
    for bad in [
        "",
        "../../etc/passwd",
        "a" * 21,
        "a" * 23,
        "abc/def" + "x" * 15,
        token + "\n",
        "." * 22,
        "ä" * 22,
        None,
    ]:
        with pytest.raises(WorkspaceError, match="not a workspace token"):
            validate_token(bad)


def test_a_workspace_store_lives_under_the_root_named_by_its_token(root):
    token = secrets.token_urlsafe(16)
    store = workspace_store(token)
    assert workspaces_root() == root
    assert store.root == root / token and store.root.is_dir()
    assert (store.root / LAST_USED_FILE).is_file() and store.names() == []
    assert workspace_store(new_workspace()).root.parent == root


def test_the_default_root_is_git_ignored_in_the_project(monkeypatch):
    monkeypatch.delenv("EMBEDDINGS_WORKSPACES", raising=False)
    project = workspaces_root().parent
    assert workspaces_root().name == "workspaces"
    assert "workspaces/" in (project / ".gitignore").read_text().split()


def test_two_workspaces_do_not_see_each_other_and_both_see_the_shared_model(shared, root):
    alice, bob = workspace_models(new_token()), workspace_models(new_token())
    alice.save(tiny(), card("alice-model"))
    bob.save(tiny(), card("bob-model"))
    assert alice.names() == ["default", "alice-model"]
    assert bob.names() == ["default", "bob-model"]
    assert [c.name for c in alice.cards()] == ["default", "alice-model"]
    assert alice.is_shared("default") and not alice.is_shared("alice-model")
    assert not alice.is_shared("bob-model") and not alice.exists("bob-model")
    assert alice.own_names() == ["alice-model"]
    assert shared.names() == ["default"]  # nothing written into the shared store
    kv, loaded = alice.load("default")
    assert loaded.name == "default" and float(kv["king"][0]) == 2.0
    assert alice.version("default") == shared.version("default")
    with pytest.raises(ModelNotFoundError, match="bob-model"):
        alice.load("bob-model")


def test_the_shared_model_cannot_be_renamed_deleted_or_overwritten(shared, root):
    models = workspace_models(new_token())
    with pytest.raises(SharedModelError, match="'default' is a shared model"):
        models.delete("default")
    with pytest.raises(SharedModelError, match="'default' is a shared model"):
        models.rename("default", "mine")
    with pytest.raises(SharedModelError, match="'default' is a shared model"):
        models.save(tiny(), card("default"), overwrite=True)
    with pytest.raises(InvalidNameError, match="already exists.*'default-2'"):
        models.save(tiny(), card("default"))  # a shared name is taken
    assert shared.names() == ["default"] and models.own_names() == []


def test_results_on_a_shared_model_stay_in_the_workspace(shared, root):
    alice, bob = workspace_models(new_token()), workspace_models(new_token())
    version = alice.version("default")
    updated = alice.load_card("default")
    updated.evaluation = {"mine.txt": {"file": "mine.txt", "failed": [["a", "b"]]}}
    alice.update_card(updated)
    assert alice.load_card("default").evaluation == updated.evaluation
    assert [c.evaluation for c in alice.cards()] == [updated.evaluation]
    # Neither the shared card nor another workspace sees them.
    assert shared.load_card("default").evaluation == {}
    assert bob.load_card("default").evaluation == {}
    assert shared.version("default") == version and alice.own_names() == []


def test_a_workspace_keeps_only_results_the_shared_card_lacks(shared, root):
    base = shared.load_card("default")
    base.evaluation = {"wordsim353": {"spearman": 0.5}}
    shared.update_card(base)
    models = workspace_models(new_token())
    card_seen = models.load_card("default")
    card_seen.evaluation["upload.txt"] = {"spearman": 0.1}
    models.update_card(card_seen)
    assert models.load_card("default").evaluation == {
        "wordsim353": {"spearman": 0.5},
        "upload.txt": {"spearman": 0.1},
    }
    assert shared.load_card("default").evaluation == {"wordsim353": {"spearman": 0.5}}


def test_other_changes_to_a_shared_card_are_refused(shared, root):
    models = workspace_models(new_token())
    changed = models.load_card("default")
    changed.notes = {"index": {"words": 3}}
    with pytest.raises(SharedModelError, match="'default' is a shared model: its card \\(notes\\)"):
        models.update_card(changed)
    assert shared.load_card("default").notes == {}


def test_a_shared_model_is_not_indexed_from_a_workspace(shared, root):
    from embeddings.vectors.ann import INDEX_FILE
    from embeddings.vectors.store_index import build_model_index

    models = workspace_models(new_token())
    with pytest.raises(SharedModelError, match="cannot be indexed from a workspace"):
        build_model_index(models, "default")
    assert not (shared.path("default") / INDEX_FILE).exists()


def test_workspaces_are_on_unless_switched_off(monkeypatch, tmp_path):
    from embeddings.workspaces import PROJECT_ROOT, workspaces_enabled

    monkeypatch.delenv("EMBEDDINGS_WORKSPACES", raising=False)
    assert workspaces_enabled() and workspaces_root() == PROJECT_ROOT / "workspaces"
    monkeypatch.setenv("EMBEDDINGS_WORKSPACES", str(tmp_path))
    assert workspaces_enabled() and workspaces_root() == tmp_path
    for off in ("off", "OFF", "0", "no", "false"):
        monkeypatch.setenv("EMBEDDINGS_WORKSPACES", off)
        assert not workspaces_enabled() and workspaces_root() == PROJECT_ROOT / "workspaces"


def test_own_models_are_renamed_and_deleted_in_the_workspace_only(shared, root):
    models = workspace_models(new_token())
    models.save(tiny(), card("mine"))
    with pytest.raises(InvalidNameError, match="already exists"):
        models.rename("mine", "default")  # may not hide the shared model
    assert models.rename("mine", "ours").name == "ours"
    assert models.names() == ["default", "ours"]
    models.save(tiny(fill=3.0), card("ours"), overwrite=True)
    assert float(models.load("ours")[0]["man"][1]) == 3.0
    models.delete("ours")
    assert models.names() == ["default"] and shared.names() == ["default"]


def test_the_model_count_limit_is_checked_before_a_save(shared, root, monkeypatch):
    monkeypatch.setenv("EMBEDDINGS_WORKSPACE_MAX_MODELS", "2")
    models = workspace_models(new_token())
    assert models.max_models == 2
    models.save(tiny(), card("one"))
    models.save(tiny(), card("two"))  # the shared model does not count
    with pytest.raises(ResourceLimitError, match="already holds 2 models.*'three'"):
        models.save(tiny(), card("three"))
    models.save(tiny(fill=5.0), card("two"), overwrite=True)  # replacing adds none
    assert models.own_names() == ["one", "two"]
    assert not (models.root / "three").exists()


def test_the_disk_limit_is_checked_before_a_save(shared, root, monkeypatch):
    monkeypatch.setenv("EMBEDDINGS_WORKSPACE_MAX_BYTES", "20K")
    models = workspace_models(new_token())
    assert models.max_bytes == 20 * 1024
    small = tiny(size=100)  # 3 x 100 float32: 1,200 bytes of vectors
    models.save(small, card("small"))
    used = models.used_bytes()
    assert used > 1200
    big = tiny(words=[f"w{i}" for i in range(100)], size=100)  # 40,000 bytes
    with pytest.raises(ResourceLimitError, match="needs about 39.1 KiB.*of its 20.0 KiB"):
        models.save(big, card("big"))
    assert models.own_names() == ["small"] and models.used_bytes() == used


def test_a_bare_workspace_store_keeps_its_limits_too(root):
    store = workspace_store(new_token())
    store.max_models = 1
    store.save(tiny(), card("a"))
    with pytest.raises(ResourceLimitError):
        store.save(tiny(), card("b"))


def test_workspaces_unused_for_days_are_cleaned_up(root):
    old, fresh = new_workspace(), new_workspace()
    workspace_store(old).save(tiny(), card("m"))
    week_ago = time.time() - 8 * 86400
    os.utime(root / old / LAST_USED_FILE, (week_ago, week_ago))
    (root / "notes").mkdir()  # not a token: never touched
    os.utime(root / "notes", (week_ago, week_ago))
    assert cleanup_workspaces(7) == [old]
    assert sorted(p.name for p in root.iterdir()) == sorted([fresh, "notes"])
    assert cleanup_workspaces(7) == []
    assert cleanup_workspaces(0, now=time.time() + 60) == [fresh]
    assert cleanup_workspaces(1, root=root / "missing") == []


def test_models_view_takes_any_shared_store(tmp_path, root):
    shared = ModelStore(tmp_path / "elsewhere")
    shared.save(tiny(), card("class-model"))
    models = Models(workspace_store(new_token()), shared)
    assert models.names() == ["class-model"] and models.is_shared("class-model")


def test_new_tokens_never_start_with_a_dash():
    from embeddings.workspaces import new_token, validate_token

    tokens = [new_token() for _ in range(2000)]
    assert not any(t.startswith("-") for t in tokens)
    assert all(validate_token(t) == t for t in tokens[:50])
