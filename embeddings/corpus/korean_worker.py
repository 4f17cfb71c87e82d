"""The Korean tokenizer's worker process: kiwipiepy runs there, never in the caller.

kiwipiepy's first analysis loads its model (about 6 s) and holds Python's GIL for
seconds at a stretch while doing so; long analyses hold it too. In a server every
session shares one process, so that stalls every user. Here one worker process, started
on first use, loads Kiwi once and answers batches of texts over a pipe; the caller only
waits on the pipe, which releases the GIL.

The worker is a plain ``python -m embeddings.corpus.korean_serve`` child (not a
``multiprocessing`` spawn: that re-runs the parent's ``__main__``, in the server
Streamlit's launcher), talking over a :func:`multiprocessing.Pipe` connection (the
normal multiprocessing serialisation between our own two processes). One lock makes
the requests of all threads take turns. A worker that dies is started again once for
the batch it was answering; if that one dies too, :class:`EmbeddingsError` says so. The
worker is stopped at interpreter exit, and stops by itself when its parent goes away.

Example
-------
>>> from embeddings.corpus.tokenize import korean_options
>>> tokenize_batch(["영화가 정말 재미있었어요"], korean_options())
[['영화', '정말', '재미있다']]
"""

from __future__ import annotations

import atexit
import itertools
import os
import subprocess
import sys
import threading
from multiprocessing import Pipe
from multiprocessing.connection import Connection
from pathlib import Path

from ..errors import CorpusError, EmbeddingsError

# The package's parent folder: the worker imports ``embeddings`` from the same place.
_PROJECT_ROOT = str(Path(__file__).resolve().parents[2])
# argv of the worker before its connection's file descriptor (tests may point it at a
# program that dies, to see the restart and the error).
WORKER_COMMAND = [sys.executable, "-m", "embeddings.corpus.korean_serve"]
STOP_TIMEOUT_S = 3.0

_lock = threading.Lock()
_ready = threading.Event()
_process: subprocess.Popen | None = None
_conn: Connection | None = None
_batch_keys = itertools.count()


def worker_ready() -> bool:
    """True while a worker is running with Kiwi's model loaded."""
    return _ready.is_set()


def worker_pid() -> int | None:
    """The running worker's process id (None when there is none)."""
    return _process.pid if _process is not None and _ready.is_set() else None


def _start() -> None:
    """Start a worker and wait until it has loaded Kiwi (the caller holds ``_lock``)."""
    global _process, _conn
    parent_conn, child_conn = Pipe()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PROJECT_ROOT, env.get("PYTHONPATH")]))
    fd = child_conn.fileno()
    try:
        _process = subprocess.Popen(
            [*WORKER_COMMAND, str(fd)], pass_fds=(fd,), env=env, stdin=subprocess.DEVNULL
        )
    finally:
        child_conn.close()  # the worker's copy stays open; ours would hide its death
    _conn = parent_conn
    reply = _conn.recv()  # waits for the model load; raises EOFError if the worker dies
    if reply != "ready":  # Kiwi did not load: starting again would not help
        raise CorpusError(f"The Korean tokenizer could not start: {reply[1]}")
    _ready.set()


def _discard() -> None:
    """Forget the current worker, ending it if it still runs (the caller holds ``_lock``)."""
    global _process, _conn
    _ready.clear()
    if _conn is not None:
        _conn.close()
    if _process is not None:
        if _process.poll() is None:
            _process.kill()
        _process.wait()
    _process = _conn = None


def _request(message: tuple):
    """Send ``message`` and return the reply, starting (or restarting once) the worker."""
    with _lock:
        for attempt in (1, 2):
            try:
                if _conn is None:
                    _start()
                _conn.send(message)
                status, value = _conn.recv()
                break
            except (EOFError, OSError) as exc:
                code = None
                if _process is not None:
                    try:  # a worker that closed its pipe is exiting
                        code = _process.wait(timeout=1.0)
                    except subprocess.TimeoutExpired:
                        pass
                _discard()
                if attempt == 2:
                    raise EmbeddingsError(
                        "The Korean tokenizer's worker process stopped twice in a row "
                        f"(exit code {code}, {type(exc).__name__}); check that kiwipiepy "
                        "is installed and that the machine has memory to spare, then try "
                        "again."
                    ) from exc
            except BaseException:
                # Interrupted between request and reply (Ctrl-C), or a worker that could
                # not load Kiwi: a late reply would reach the next request, so this
                # worker goes and the next one starts clean.
                _discard()
                raise
    if status == "error":
        raise CorpusError(f"The Korean tokenizer failed: {value}")
    return value


def start_worker() -> None:
    """Start the worker and wait until Kiwi's model is loaded (nothing if it runs)."""
    _request(("ping",))


def new_batch_key() -> int:
    """A key naming a batch sent ahead (unique in this process)."""
    return next(_batch_keys)


def tokenize_batch(
    texts: list[str],
    options,
    key: int | None = None,
    ahead: list[str] | None = None,
    ahead_key: int | None = None,
) -> list[list[str]]:
    """Tokens of every text of ``texts`` with :class:`~embeddings.corpus.tokenize.
    KoreanOptions` ``options``, analysed in the worker.

    ``ahead`` (named ``ahead_key``) is the batch the caller will ask for next: the worker
    analyses it right after this reply, while the caller handles this one, and a later
    call with ``key=ahead_key`` and the same texts gets it at once. A worker that
    restarted meanwhile simply analyses it then.
    """
    if not texts:
        return []
    return _request(("tokenize", options, texts, key, ahead or None, ahead_key))


def stop_worker() -> None:
    """Stop the worker (a later request starts a new one). Registered at exit."""
    with _lock:
        if _conn is not None and _process is not None and _process.poll() is None:
            try:
                _conn.send(("stop",))
                _process.wait(timeout=STOP_TIMEOUT_S)
            except (OSError, subprocess.TimeoutExpired):
                pass
        _discard()


atexit.register(stop_worker)


def _forget_in_forked_child() -> None:
    """A forked child does not share its parent's worker (their requests would mix on
    one pipe, and its exit would stop the parent's worker): it starts its own if asked."""
    global _lock, _process, _conn
    _lock = threading.Lock()
    _ready.clear()
    _process = _conn = None


os.register_at_fork(after_in_child=_forget_in_forked_child)
