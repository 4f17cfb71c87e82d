"""The data folders: a browser user reads only regular files inside them, and a missing
file and a forbidden one get the same answer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from embeddings.datadirs import (
    DEFAULT_DATA_DIR,
    ENV_VAR,
    MAX_DEPTH,
    data_dirs,
    list_data_files,
    resolve_data_file,
)
from embeddings.errors import DataFileError, EmbeddingsError


@pytest.fixture
def data(tmp_path, monkeypatch):
    """A data folder (set as $EMBEDDINGS_DATA_DIRS) next to a secret outside it."""
    folder = tmp_path / "data"
    (folder / "corpora").mkdir(parents=True)
    (folder / "news.txt").write_text("the cat sat\n", encoding="utf-8")
    (folder / "corpora" / "reviews.csv").write_text("id,text\n1,good\n", encoding="utf-8")
    (folder / ".hidden.txt").write_text("hidden\n", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0\n", encoding="utf-8")
    (folder / "link-out.txt").symlink_to(secret)
    (folder / "dir-out").symlink_to(tmp_path)
    (folder / "link-in.txt").symlink_to(folder / "news.txt")
    monkeypatch.setenv(ENV_VAR, str(folder))
    return folder, secret


def _message(text: str) -> str:
    with pytest.raises(DataFileError) as info:
        resolve_data_file(text)
    return str(info.value)


def test_a_file_inside_resolves_by_absolute_path_and_by_relative_name(data):
    folder, _ = data
    assert resolve_data_file(str(folder / "news.txt")) == (folder / "news.txt").resolve()
    assert resolve_data_file("news.txt") == (folder / "news.txt").resolve()
    assert resolve_data_file(" corpora/reviews.csv ") == (folder / "corpora/reviews.csv").resolve()
    # A symlink that stays inside the folder is fine; the real file is returned.
    assert resolve_data_file("link-in.txt") == (folder / "news.txt").resolve()
    # `..` that comes back inside is fine too: it is where the path lands that counts.
    assert resolve_data_file("corpora/../news.txt") == (folder / "news.txt").resolve()


@pytest.mark.parametrize(
    "text",
    [
        "/etc/passwd",
        "../secret.txt",
        "corpora/../../secret.txt",
        "{folder}/../secret.txt",
        "{folder}/corpora/../../secret.txt",
        "{secret}",
        "link-out.txt",  # a symlink out of the data folder
        "dir-out/secret.txt",  # through a symlinked folder
        "{folder}/dir-out/secret.txt",
        "corpora",  # a directory
        "{folder}",
        "/",
        "/dev/zero",
        "no-such-file.txt",  # missing
        "/no/such/file.txt",
        "",
        "news.txt\x00",
        "x" * 5000,
    ],
)
def test_outside_symlinks_dotdot_directories_and_missing_files_get_the_same_message(data, text):
    folder, secret = data
    text = text.format(folder=folder, secret=secret)
    message = _message(text)
    assert isinstance(DataFileError(message), EmbeddingsError)
    # The same sentence for every case, only the echoed name differs.
    shown = text.strip() if len(text.strip()) <= 200 else text.strip()[:200] + "..."
    assert message == (
        f"No file {shown!r} in the data folders; choose one from the list "
        "(the operator of the server sets the folders with EMBEDDINGS_DATA_DIRS)."
    )


def test_missing_and_forbidden_messages_are_identical_for_the_same_text(tmp_path, monkeypatch):
    """The same text answers the same whether or not the file exists outside."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv(ENV_VAR, str(folder))
    target = tmp_path / "maybe.txt"
    missing = _message(str(target))
    target.write_text("secret\n", encoding="utf-8")
    assert _message(str(target)) == missing


def test_several_folders_and_relative_names_try_each_in_order(tmp_path, monkeypatch):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (second / "only-b.txt").write_text("b\n", encoding="utf-8")
    (first / "both.txt").write_text("a\n", encoding="utf-8")
    (second / "both.txt").write_text("b\n", encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, f"{first}{os.pathsep}{os.pathsep}{second}")
    assert data_dirs() == [first.resolve(), second.resolve()]
    assert resolve_data_file("only-b.txt") == (second / "only-b.txt").resolve()
    assert resolve_data_file("both.txt") == (first / "both.txt").resolve()
    assert resolve_data_file(str(second / "both.txt")) == (second / "both.txt").resolve()
    assert [f.name for f in list_data_files()] == ["both.txt", "both.txt", "only-b.txt"]


def test_the_default_folder_is_data_in_the_project(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert data_dirs() == [DEFAULT_DATA_DIR.resolve()]
    assert DEFAULT_DATA_DIR.is_dir()  # created on first use
    assert DEFAULT_DATA_DIR == Path(__file__).resolve().parent.parent / "data"


def test_listing_shows_regular_files_inside_only(data):
    folder, _ = data
    files = list_data_files()
    assert [f.name for f in files] == ["corpora/reviews.csv", "link-in.txt", "news.txt"]
    news = files[2]
    assert news.path == (folder / "news.txt").resolve()
    assert news.size == len("the cat sat\n")
    assert news.modified.timestamp() == pytest.approx((folder / "news.txt").stat().st_mtime)
    # Every listed path is accepted by resolve_data_file.
    assert [resolve_data_file(str(f.path)) for f in files] == [f.path for f in files]


def test_listing_filter_is_a_substring_or_a_glob_never_a_regex(data):
    assert [f.name for f in list_data_files("NEWS")] == ["news.txt"]
    assert [f.name for f in list_data_files("*.csv")] == ["corpora/reviews.csv"]
    assert [f.name for f in list_data_files("corpora/*")] == ["corpora/reviews.csv"]
    assert [f.name for f in list_data_files("?ews.txt")] == ["news.txt"]
    assert list_data_files("n.ws") == []  # a dot is a dot
    assert list_data_files("(a|b)*!") == []
    assert list_data_files("passwd") == []
    assert list_data_files("../secret") == []
    with pytest.raises(DataFileError, match="at most 200"):
        list_data_files("x" * 201)


def test_listing_is_bounded_in_count_and_depth(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    folder.mkdir()
    for i in range(30):
        (folder / f"f{i:02d}.txt").write_text("x\n", encoding="utf-8")
    deep = folder
    for level in range(MAX_DEPTH + 2):
        deep = deep / f"d{level}"
        deep.mkdir()
        (deep / "deep.txt").write_text("x\n", encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, str(folder))
    assert [f.name for f in list_data_files("f", limit=5)] == [f"f{i:02d}.txt" for i in range(5)]
    assert len(list_data_files(limit=12)) == 12
    assert len(list_data_files()) == 30 + MAX_DEPTH - 1
    depths = [f.name.count("/") for f in list_data_files("deep.txt")]
    assert sorted(depths) == list(range(1, MAX_DEPTH))
    # A deeper file is not listed but, being inside, can still be named.
    deepest = deep / "deep.txt"
    assert resolve_data_file(str(deepest)) == deepest.resolve()


def test_a_missing_data_folder_lists_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "not-there"))
    assert list_data_files() == []
    assert not (tmp_path / "not-there").exists()  # named folders are never created
    with pytest.raises(DataFileError):
        resolve_data_file("x.txt")
