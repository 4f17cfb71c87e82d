"""AppTest: the Corpus page, from a source to a prepared active corpus and its statistics."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from tests.conftest import pick_data_file, run_page
from tests.jobwait import finish_job, settle

PASTED = "the cat sat on the mat\nthe dog sat on the log\nthe cat and the dog"
CSV = b'id,review,label\n1,"Great film, great cast",1\n2,Dull film,0\n3,great fun,1\n'


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.fixture
def corpus_page(store_with_models):
    at = run_page("app_pages/corpus.py")
    assert not at.exception
    return at


def test_paste_prepare_and_read_the_statistics(corpus_page):
    at = corpus_page
    at.radio(key="corpus_source").set_value("paste").run()
    at.text_area(key="corpus_text").set_value(PASTED).run()
    assert not at.exception and not at.error
    preview = at.dataframe[0].value
    assert preview["tokens"].tolist() == [
        "the cat sat on the mat",
        "the dog sat on the log",
        "the cat and the dog",
    ]
    at.button(key="corpus_prepare").click().run()
    settle(at, "corpus_job")
    assert not at.exception and not at.error
    assert re.match(
        r"Prepared \*\*pasted text\*\* in [\d.]+ s: 3 documents, 17 tokens", at.success[0].value
    )
    shown = metrics(at)
    assert shown["Documents"] == "3" and shown["Tokens"] == "17"
    assert shown["Vocabulary"] == "8" and shown["Words kept"] == "1"
    assert shown["Tokens kept"] == "35.3%"  # "the": 6 of 17 tokens
    active = at.session_state["active_corpus"]
    assert active.name == "pasted text" and active.stats.tokens == 17
    at.number_input(key="corpus_stats_min_count").set_value(2).run()
    assert metrics(at)["Words kept"] == "5"  # the, cat, sat, on, dog


def test_upload_csv_pick_the_text_column_and_prepare(corpus_page):
    at = corpus_page
    at.radio(key="corpus_source").set_value("upload").run()
    at.file_uploader(key="corpus_upload").set_value(
        ("reviews.csv.gz", gzip.compress(CSV), "application/gzip")
    ).run()
    assert not at.exception and not at.error
    column = at.selectbox(key="corpus_column")
    assert column.options == ["id", "review", "label"] and column.value == "review"
    assert at.dataframe[0].value["document"].tolist() == [
        "Great film, great cast",
        "Dull film",
        "great fun",
    ]
    assert any("compression **gzip**" in m.value for m in at.markdown)
    column.set_value("label").run()
    assert at.dataframe[0].value["document"].tolist() == ["1", "0", "1"]
    at.selectbox(key="corpus_column").set_value("review").run()
    at.button(key="corpus_prepare").click().run()
    settle(at, "corpus_job")
    assert not at.exception and not at.error
    assert metrics(at)["Documents"] == "3" and metrics(at)["Tokens"] == "8"
    assert at.session_state["active_corpus"].name == "file:reviews.csv.gz"


def test_bad_upload_is_an_error_and_the_active_corpus_stays(corpus_page):
    at = corpus_page
    at.radio(key="corpus_source").set_value("paste").run()
    at.text_area(key="corpus_text").set_value(PASTED).run()
    at.button(key="corpus_prepare").click().run()
    settle(at, "corpus_job")
    at.radio(key="corpus_source").set_value("upload").run()
    at.file_uploader(key="corpus_upload").set_value(
        ("notes.txt", b"\x00\x01\x02\x03binary\x00" * 50, "text/plain")
    ).run()
    assert not at.exception
    assert "looks binary" in at.error[0].value
    assert at.session_state["active_corpus"].name == "pasted text"
    assert "Active corpus: **pasted text**" in at.info[0].value


def test_server_files_come_only_from_the_data_folders(corpus_page, data_dir):
    at = corpus_page
    (data_dir / "notes.txt").write_text("one two\n", encoding="utf-8")
    at.radio(key="corpus_source").set_value("path").run()
    assert not at.exception
    assert not at.get("text_input") or all(t.key != "corpus_path" for t in at.text_input)
    assert at.selectbox(key="corpus_file").options[0].startswith("notes.txt · 8 bytes · ")
    at.text_input(key="corpus_filter").set_value("/etc/passwd").run()
    assert at.info[0].value == "No file in the data folders matches '/etc/passwd'."
    assert not at.dataframe


def test_korean_tokenizer_options_in_the_preview(corpus_page):
    at = corpus_page
    at.radio(key="corpus_source").set_value("paste").run()
    at.text_area(key="corpus_text").set_value(
        "영화가 정말 재미있었어요. 배우들의 연기도 좋았다."
    ).run()
    at.radio(key="corpus_tokenizer").set_value("korean").run()
    assert not at.exception
    assert at.dataframe[0].value["tokens"].tolist() == ["영화 정말 재미있다 배우 연기 좋다"]
    at.selectbox(key="corpus_pos").set_value("nouns").run()
    assert at.dataframe[0].value["tokens"].tolist() == ["영화 배우 연기"]
    at.text_input(key="corpus_stopwords").set_value("").run()
    at.selectbox(key="corpus_pos").set_value("all").run()
    assert at.dataframe[0].value["tokens"].tolist()[0].startswith("영화 가 정말")


def test_prepare_job_runs_in_a_thread_and_can_be_cancelled(store, tmp_path):
    from functools import partial

    from embeddings.corpus.sources import CorpusSource, prepare_corpus
    from embeddings.jobs import BackgroundJob

    path = tmp_path / "c.txt"
    path.write_text("one two three\n" * 1000, encoding="utf-8")
    prepare = partial(
        prepare_corpus, CorpusSource.from_path(path), "simple", cache=store.corpus_cache
    )
    done = BackgroundJob(prepare, "Preparing c.txt").start()
    assert done.wait(60) and done.error is None
    assert done.result.stats.tokens == 3000 and done.fraction == 1.0
    assert done.message == "Tokenizing: 3,000 tokens"
    cancelled = BackgroundJob(prepare, "Preparing c.txt")
    cancelled.cancel()
    assert cancelled.start().wait(60)
    assert cancelled.result is None and cancelled.error.startswith("Cancelled")
    assert not list((store.root / ".corpora").glob("*.tmp"))  # nothing partial left


def test_bundled_corpus_and_server_path(corpus_page, data_dir):
    at = corpus_page
    at.selectbox(key="corpus_bundled").set_value("lee").run()
    at.button(key="corpus_prepare").click().run()
    settle(at, "corpus_job")
    assert not at.exception and not at.error
    assert metrics(at)["Documents"] == "300"
    assert at.session_state["active_corpus"].name == "bundled:lee"
    path = data_dir / "notes.txt"
    path.write_bytes("Le café est très bon\nun thé\n".encode("latin-1"))
    at.radio(key="corpus_source").set_value("path").run()
    pick_data_file(at, "corpus", path)
    assert any("encoding **latin-1**" in m.value for m in at.markdown)
    at.button(key="corpus_prepare").click().run()
    settle(at, "corpus_job")
    assert metrics(at)["Documents"] == "2" and metrics(at)["Tokens"] == "7"
    assert at.session_state["active_corpus"].name == "file:notes.txt"


def test_failed_prepare_keeps_the_previous_corpus(corpus_page):
    at = corpus_page
    at.radio(key="corpus_source").set_value("paste").run()
    at.text_area(key="corpus_text").set_value(PASTED).run()
    at.button(key="corpus_prepare").click().run()
    settle(at, "corpus_job")
    at.text_area(key="corpus_text").set_value("123 456\n!!! ???").run()
    assert at.dataframe[0].value["tokens"].tolist() == ["", ""]
    assert at.warning[0].value.startswith("The tokenizer finds no words")  # warned early
    at.button(key="corpus_prepare").click().run()
    settle(at, "corpus_job")
    assert not at.exception
    assert at.error[0].value.startswith("No tokens found in 2 documents")
    assert at.session_state["active_corpus"].stats.tokens == 17
    assert metrics(at)["Tokens"] == "17"


def test_long_prepare_shows_progress_and_can_be_cancelled(corpus_page, data_dir):
    at = corpus_page
    path = data_dir / "reviews.txt"
    path.write_text("영화가 정말 재미있었어요 배우들의 연기도 좋았다\n" * 200_000, encoding="utf-8")
    at.radio(key="corpus_source").set_value("path").run()
    pick_data_file(at, "corpus", path)
    at.radio(key="corpus_tokenizer").set_value("korean").run()
    at.button(key="corpus_prepare").click().run()
    assert at.session_state["corpus_job"].running  # still tokenizing after the first second
    assert at.button(key="corpus_prepare").disabled
    assert at.get("progress") and at.get("progress")[0].proto.text.startswith("Tokenizing")
    at.button(key="corpus_job_cancel").click().run()
    finish_job(at, "corpus_job", timeout=20)
    assert at.warning[0].value == "Cancelled by the user; nothing was changed."
    assert "active_corpus" not in at.session_state


def test_the_korean_preview_never_loads_kiwipiepy_in_the_server_process(store_with_models):
    """The page's process (the server's, where every session lives) only talks to the
    Korean tokenizer's worker: a fresh process shows the preview without kiwipiepy."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        """
        import sys
        from tests.conftest import run_page
        at = run_page("app_pages/corpus.py")
        at.radio(key="corpus_source").set_value("paste").run()
        at.text_area(key="corpus_text").set_value("영화가 정말 재미있었어요.").run()
        at.radio(key="corpus_tokenizer").set_value("korean").run()
        print(at.dataframe[0].value["tokens"].tolist(), "kiwipiepy" in sys.modules)
        """
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "['영화 정말 재미있다'] False"
