"""Helpers shared by the subcommands: common flags, opening MODEL, progress."""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path

from ..errors import ModelNotFoundError
from ..progress import StderrProgress
from ..vectors.store import ModelStore


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON document on stdout")


def add_store_flag(parser: argparse.ArgumentParser) -> None:
    """``--store DIR`` (the shared store) and ``--workspace TOKEN`` (a private workspace)."""
    parser.add_argument(
        "--store",
        default=None,
        help="model store directory (default: $EMBEDDINGS_HOME or ./models)",
    )
    parser.add_argument(
        "--workspace",
        default=None,
        metavar="TOKEN",
        help="a workspace token: read its models and the shared ones, write into it "
        "(workspaces live in $EMBEDDINGS_WORKSPACES or ./workspaces)",
    )


def add_quiet_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")


def at_least(minimum: int):
    """An argparse ``type`` for integers no smaller than ``minimum``."""

    def parse(value: str) -> int:
        n = int(value)
        if n < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}")
        return n

    return parse


def store_from(args) -> ModelStore:
    """The store the subcommand works on.

    With ``--workspace TOKEN``: a :class:`~embeddings.workspaces.Models` that reads the
    shared store (``--store``) and the workspace, and writes into the workspace only.
    """
    shared = ModelStore(getattr(args, "store", None))
    token = getattr(args, "workspace", None)
    if token is None:
        return shared
    from ..workspaces import workspace_models

    return workspace_models(token, shared)


def progress_from(args) -> StderrProgress:
    return StderrProgress(enabled=not getattr(args, "quiet", False))


def add_format_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        default="auto",
        choices=("auto", "word2vec-bin", "word2vec-text", "glove-text", "fasttext-bin"),
        help="format of a MODEL file (default: detect from the content)",
    )


def model_from(args, light: bool = False):
    """``(kv, card)`` for ``args.model`` (with ``--store`` and ``--format`` if present),
    with a progress bar on stderr while a file loads (none with ``--quiet``).

    ``light``: a stored word-vectors model opens without gensim (a one-shot query
    answers in about Python's start-up time; see :class:`~..vectors.mapped.MappedVectors`).
    """
    progress = progress_from(args)
    try:
        return open_model(
            args.model,
            store_from(args),
            progress=progress,
            format=getattr(args, "format", "auto"),
            light=light,
        )
    finally:
        progress.close()


def open_model(
    spec: str, store: ModelStore, progress=None, format: str = "auto", light: bool = False
):
    """Open MODEL: a model-store name, or a path to a vectors file in any supported format.

    Returns ``(kv, card)``. A path is read by the safe loaders (format sniffed from the
    content); a store name is loaded from the store (``light``: see :func:`model_from`).
    """
    if store.exists(spec):
        return store.load(spec, light=light)
    path = Path(spec)
    if path.exists():
        from ..vectors.loading import load_vectors

        return load_vectors(path, format, progress=progress)
    names = store.names()
    listing = ", ".join(names[:10]) if names else "none yet"
    raise ModelNotFoundError(
        f"{spec!r} is neither a model in the store ({store.root}) nor an existing file; "
        f"stored models: {listing}."
    )


@contextlib.contextmanager
def prepared_corpus(args, cache, progress):
    """The ``--corpus`` argument tokenized with ``--tokenizer``, as a PreparedCorpus.

    ``bundled:KEY`` is tokenized once per store and kept in its corpus cache; a file is
    tokenized for this run only, beside the cache, and its sentence file is removed when
    the ``with`` block ends (whatever happened in it).
    """
    from ..corpus.sources import CorpusSource, prepare_corpus
    from ..errors import CorpusError

    if args.corpus.startswith("bundled:"):
        source = CorpusSource.from_bundled(args.corpus.split(":", 1)[1])
    else:
        path = Path(args.corpus)
        if not path.is_file():
            raise CorpusError(f"Corpus file not found: {args.corpus}")
        source = CorpusSource.from_path(path)
    scratch = (
        contextlib.nullcontext(None) if source.origin == "bundled" else cache.scratch(source.label)
    )
    with scratch as out_path:
        yield prepare_corpus(
            source, args.tokenizer, progress=progress, out_path=out_path, cache=cache
        )
