"""The Korean tokenizer's worker process: same tokens as kiwipiepy in this process, the
caller never loads kiwipiepy, batches, cancel, restart once, a clear error, exit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from embeddings.corpus import korean_worker
from embeddings.corpus.sentences import write_sentence_file
from embeddings.corpus.sources import CorpusSource, read_documents
from embeddings.corpus.tokenize import (
    KOREAN_BATCH_TEXTS,
    get_tokenizer,
    korean_tokenizer_loaded,
    load_korean_tokenizer,
    make_korean_tokenizer,
)
from embeddings.errors import Cancelled, CorpusError, EmbeddingsError
from embeddings.progress import CancelToken

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def korean_lines() -> list[str]:
    lines = list(read_documents(CorpusSource.from_bundled("korean-law")))
    return lines[:600]


@pytest.mark.parametrize(
    "options", [{}, {"pos_filter": "nouns"}, {"drop_endings": False, "stopwords": []}]
)
def test_worker_gives_the_in_process_tokens_on_the_bundled_korean_corpus(korean_lines, options):
    in_process = make_korean_tokenizer(worker=False, **options)
    expected = [in_process(line) for line in korean_lines]
    in_worker = make_korean_tokenizer(worker=True, **options)
    assert in_worker.tokenize_many(korean_lines) == expected
    assert [in_worker(line) for line in korean_lines[:20]] == expected[:20]
    assert sum(map(len, expected)) > 2000  # real analyses, not empty lists
    assert korean_tokenizer_loaded()


def test_jamo_keeps_the_korean_batches(korean_lines):
    from embeddings.corpus.jamo import decompose

    tokenizer = get_tokenizer("korean", jamo=True)
    batch = tokenizer.tokenize_many(korean_lines[:50])
    korean = get_tokenizer("korean")
    assert batch == [[decompose(t) for t in korean(line)] for line in korean_lines[:50]]
    assert batch == [tokenizer(line) for line in korean_lines[:50]]
    assert decompose("법률") in {t for tokens in batch for t in tokens}


def test_the_caller_never_imports_kiwipiepy_and_the_worker_ends_at_exit():
    script = textwrap.dedent(
        """
        import sys
        from embeddings.corpus import korean_worker
        from embeddings.corpus.tokenize import get_tokenizer, load_korean_tokenizer
        load_korean_tokenizer()
        print(get_tokenizer("korean")("영화가 정말 재미있었어요"))
        print("kiwipiepy" in sys.modules)
        print(korean_worker.worker_pid())
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[0] == "['영화', '정말', '재미있다']"
    assert out[1] == "False"
    pid = int(out[2])
    assert pid != os.getpid()
    assert not Path(f"/proc/{pid}").exists()  # stopped and reaped before the caller exited


def test_a_killed_worker_is_started_again():
    load_korean_tokenizer()
    first = korean_worker.worker_pid()
    os.kill(first, signal.SIGKILL)
    assert get_tokenizer("korean")("나는 눈이 좋다.") == ["나", "눈", "좋다"]
    assert korean_worker.worker_pid() not in (None, first)


def test_a_worker_that_keeps_dying_gives_a_clear_error(monkeypatch):
    korean_worker.stop_worker()
    # a real process that exits at once, as a worker that cannot load Kiwi would
    monkeypatch.setattr(korean_worker, "WORKER_COMMAND", [sys.executable, "-c", "exit(3)"])
    with pytest.raises(EmbeddingsError, match="worker process stopped twice in a row"):
        get_tokenizer("korean")("나는 눈이 좋다.")
    assert not korean_tokenizer_loaded()
    monkeypatch.undo()
    assert get_tokenizer("korean")("나는 눈이 좋다.") == ["나", "눈", "좋다"]


def test_cancel_stops_between_batches(korean_lines, tmp_path):
    cancel = CancelToken()
    seen = []

    def progress(event):
        seen.append(event.done)
        cancel.cancel()

    with pytest.raises(Cancelled):
        write_sentence_file(
            korean_lines,
            get_tokenizer("korean"),
            tmp_path / "s.txt",
            progress=progress,
            cancel=cancel,
        )
    assert seen == [KOREAN_BATCH_TEXTS]  # one batch tokenized, then the check
    assert not list(tmp_path.iterdir())


def test_a_forked_child_starts_its_own_worker_and_leaves_the_parents_alone():
    load_korean_tokenizer()
    parent_worker = korean_worker.worker_pid()
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        try:
            tokens = get_tokenizer("korean")("나는 눈이 좋다.")
            mine = korean_worker.worker_pid()
            korean_worker.stop_worker()
            os.write(write, f"{tokens == ['나', '눈', '좋다']} {mine}".encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    ok, child_worker = os.read(read, 100).decode().split()
    os.close(read)
    assert ok == "True" and int(child_worker) != parent_worker
    assert korean_worker.worker_pid() == parent_worker
    assert get_tokenizer("korean")("나는 눈이 좋다.") == ["나", "눈", "좋다"]


def test_a_worker_without_kiwipiepy_says_so_in_one_line(monkeypatch, tmp_path):
    korean_worker.stop_worker()
    # a real worker whose Python finds no kiwipiepy (an empty package shadows it)
    (tmp_path / "kiwipiepy").mkdir()
    (tmp_path / "kiwipiepy" / "__init__.py").write_text("")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    with pytest.raises(
        CorpusError, match="could not start: ImportError: cannot import name 'Kiwi'"
    ):
        get_tokenizer("korean")("나는 눈이 좋다.")
    assert not korean_tokenizer_loaded()
    monkeypatch.undo()
    assert get_tokenizer("korean")("나는 눈이 좋다.") == ["나", "눈", "좋다"]


def test_batches_also_end_at_a_character_budget(tmp_path):
    from embeddings.corpus.tokenize import KOREAN_BATCH_CHARS

    long_document = "가나 " * (KOREAN_BATCH_CHARS // 6 + 1)  # just over half the budget
    seen = []
    write_sentence_file(
        [long_document] * 5, get_tokenizer("simple"), tmp_path / "s.txt", progress=seen.append
    )
    assert [event.done for event in seen] == [2, 4, 5, 5]  # batches of 2, 2, 1; then the end


def test_the_batch_announced_ahead_comes_back_right_even_after_a_restart(korean_lines):
    expected = make_korean_tokenizer(worker=False).tokenize_many(korean_lines[:90])
    first, second, third = korean_lines[:30], korean_lines[30:60], korean_lines[60:90]
    tokenizer = make_korean_tokenizer(worker=True)
    assert tokenizer.tokenize_many(first, ahead=second) == expected[:30]
    assert tokenizer.tokenize_many(second, ahead=third) == expected[30:60]  # analysed ahead
    os.kill(korean_worker.worker_pid(), signal.SIGKILL)  # the new worker has nothing ahead
    assert tokenizer.tokenize_many(third, ahead=first) == expected[60:90]
    # texts that were not announced (an equal copy) are analysed, not looked up
    assert tokenizer.tokenize_many(list(first)) == expected[:30]
