"""AppTest: the data-file picker lists only the files in the data folders, filters them
as plain text, and ignores any value a client sends that is not one of them."""

from __future__ import annotations

import os

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Selectbox

from tests.conftest import pick_data_file, run_page


def _picker_script():
    import streamlit as st

    from utils.datafile_widgets import data_file_picker

    path = data_file_picker("x", "File")
    st.write(f"chosen: {path}")
    if path is not None:
        st.code(path.read_text(encoding="utf-8"))


class _HostileSelectbox(Selectbox):
    """A client that sends its own text as the selectbox's value (the browser protocol
    carries the chosen option as a string, so nothing stops a crafted client)."""

    sent = "/etc/passwd"

    @property
    def _widget_state(self) -> WidgetState:
        state = WidgetState()
        state.id = self.id
        state.string_value = self.sent
        return state


@pytest.fixture
def picker(data_dir, tmp_path):
    (data_dir / "corpora").mkdir()
    (data_dir / "news.txt").write_text("the cat sat\n", encoding="utf-8")
    (data_dir / "corpora" / "reviews.csv").write_text("id,text\n", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:secret\n", encoding="utf-8")
    (data_dir / "link-out.txt").symlink_to(secret)
    (data_dir / "passwd.txt").symlink_to("/etc/passwd")
    (data_dir / "up").symlink_to(tmp_path)
    at = AppTest.from_function(_picker_script, default_timeout=30).run()
    assert not at.exception
    return at


def _names(at) -> list[str]:
    return [option.split(" · ")[0] for option in at.selectbox(key="x_file").options]


def _text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.code]
    return "\n".join(parts + [e.value for e in at.error] + [i.value for i in at.info])


def test_lists_name_size_and_date_of_files_inside_only(picker, data_dir):
    at = picker
    assert _names(at) == ["corpora/reviews.csv", "news.txt"]
    option = at.selectbox(key="x_file").options[1]
    stamp = (data_dir / "news.txt").stat().st_mtime
    from datetime import datetime

    assert option == f"news.txt · 12 bytes · {datetime.fromtimestamp(stamp):%Y-%m-%d %H:%M}"
    assert at.selectbox(key="x_file").value is None  # nothing chosen until the user picks
    assert "chosen: None" in _text(at)


def test_choosing_a_file_returns_it(picker, data_dir):
    at = pick_data_file(picker, "x", data_dir / "news.txt")
    assert not at.exception
    assert f"chosen: {(data_dir / 'news.txt').resolve()}" in _text(at)
    assert at.code[0].value.strip() == "the cat sat"


@pytest.mark.parametrize(
    ("pattern", "names"),
    [
        ("NEWS", ["news.txt"]),
        ("*.csv", ["corpora/reviews.csv"]),
        ("corpora/", ["corpora/reviews.csv"]),
        ("n?ws.*", ["news.txt"]),
    ],
)
def test_filter_is_plain_text_or_glob(picker, pattern, names):
    at = picker
    at.text_input(key="x_filter").set_value(pattern).run()
    assert _names(at) == names


@pytest.mark.parametrize("pattern", ["/etc/passwd", "passwd", "../secret", "link-out", "up/"])
def test_filter_never_reaches_outside(picker, pattern):
    at = picker
    at.text_input(key="x_filter").set_value(pattern).run()
    assert not at.exception
    assert not at.selectbox
    assert at.info[0].value == f"No file in the data folders matches {pattern!r}."
    assert "root:" not in _text(at)


def test_a_long_filter_is_cut_to_the_limit(picker):
    at = picker
    at.text_input(key="x_filter").set_value("x" * 5000).run()
    assert not at.exception
    assert at.info[0].value == f"No file in the data folders matches {'x' * 200!r}."


@pytest.mark.parametrize(
    "sent", ["/etc/passwd", "{data}/../secret.txt", "{data}/link-out.txt", "{data}/up/secret.txt"]
)
def test_a_crafted_value_outside_the_list_is_ignored(picker, data_dir, sent):
    at = picker
    box = at.selectbox(key="x_file")
    box.__class__ = type("Hostile", (_HostileSelectbox,), {"sent": sent.format(data=data_dir)})
    at.run()
    assert not at.exception
    assert "chosen: None" in _text(at)
    assert "root:" not in _text(at) and not at.code


def test_empty_data_folders_say_where_files_go(data_dir):
    at = AppTest.from_function(_picker_script, default_timeout=30).run()
    assert not at.selectbox
    assert at.info[0].value == (
        "The data folders hold no files yet. Put files in `data/` in the project, or the "
        "folders named in `EMBEDDINGS_DATA_DIRS`, or upload one."
    )


def test_several_data_folders_name_the_folder(tmp_path, monkeypatch):
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        folder.mkdir()
        (folder / "same.txt").write_text("x\n", encoding="utf-8")
    monkeypatch.setenv("EMBEDDINGS_DATA_DIRS", f"{first}{os.pathsep}{second}")
    at = AppTest.from_function(_picker_script, default_timeout=30).run()
    assert [o.split(" · ")[0] for o in at.selectbox(key="x_file").options] == [
        "same.txt (in first)",
        "same.txt (in second)",
    ]


def test_models_and_corpus_pages_have_no_free_path_box(store_with_models, data_dir):
    (data_dir / "vectors.vec").write_text("1 2\na 0.1 0.2\n", encoding="utf-8")
    at = run_page("app_pages/models.py", active="lee-w2v")
    at.radio(key="ld_source").set_value("server path").run()
    assert not [t.label for t in at.text_input if "path" in t.label.lower()]
    assert "ld_filter" in [t.key for t in at.text_input]
    assert _first_names(at, "ld") == ["vectors.vec"]
    at.switch_page("app_pages/corpus.py").run()
    at.radio(key="corpus_source").set_value("path").run()
    assert not [t.label for t in at.text_input if "path" in t.label.lower()]
    assert "corpus_filter" in [t.key for t in at.text_input]
    assert _first_names(at, "corpus") == ["vectors.vec"]


def _first_names(at, key):
    return [o.split(" · ")[0] for o in at.selectbox(key=f"{key}_file").options]
