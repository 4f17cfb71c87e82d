"""The Korean worker process's side: load Kiwi once, then answer batches over the pipe.

Started by :mod:`embeddings.corpus.korean_worker` as ``python -m
embeddings.corpus.korean_serve FD`` (FD: its end of the pipe). Kept apart from the
client so that the tokenizer (which calls the client) and the serving loop (which calls
the tokenizer in-process) import each other in one direction only.
"""

from __future__ import annotations

import sys
from multiprocessing.connection import Connection

from .tokenize import KoreanTokenizer, load_kiwi_in_process

# Batches a worker keeps analysed ahead, unclaimed (a caller that stopped early).
AHEAD_KEPT = 4


def serve(conn: Connection) -> None:
    """The worker's loop: load Kiwi, say "ready", then answer requests until told to stop
    or until the parent's end of the pipe closes."""
    try:
        load_kiwi_in_process()
    except Exception as exc:  # e.g. kiwipiepy missing: the caller says so in one line
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send("ready")
    analysed_ahead: dict[int, tuple] = {}  # key -> the reply, analysed before it was asked

    def analyse(options, texts) -> tuple:
        try:
            return ("ok", KoreanTokenizer(options, worker=False).tokenize_many(texts))
        except Exception as exc:  # the caller raises it as a CorpusError
            return ("error", f"{type(exc).__name__}: {exc}")

    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        kind = message[0]
        if kind == "stop":
            return
        if kind == "ping":
            conn.send(("ok", None))
            continue
        _, options, texts, key, ahead, ahead_key = message
        reply = analysed_ahead.pop(key, None) if key is not None else None
        conn.send(reply or analyse(options, texts))
        if ahead:  # while the caller handles this reply, its next batch is analysed
            analysed_ahead[ahead_key] = analyse(options, ahead)
            while len(analysed_ahead) > AHEAD_KEPT:
                del analysed_ahead[next(iter(analysed_ahead))]


if __name__ == "__main__":
    serve(Connection(int(sys.argv[1])))
