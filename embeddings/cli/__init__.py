"""The command line: ``python -m embeddings SUBCOMMAND ...``.

Each subcommand lives in its own module here with a ``register(subparsers)`` function
that adds its parser and sets ``handler`` (returns a JSON-able result) and optionally
``render`` (turns that result into text for people). The dispatcher prints the result
as one JSON document with ``--json``, or rendered text without it. Any
:class:`~embeddings.errors.EmbeddingsError` or bad argument becomes one line on stderr
and exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys

from ..errors import EmbeddingsError

# Subcommand modules, in the order they appear in --help.
COMMAND_MODULES = (
    "train",
    "info",
    "query",
    "cooccur",
    "subwords",
    "export",
    "project",
    "evaluate",
    "docs",
    "models",
    "maps",
)


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str):  # noqa: D401 - argparse API
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="python -m embeddings",
        description="Word Embedding Lab: train, query, inspect and export word embeddings.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def _default_render(result) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = args.handler(args)
    except EmbeddingsError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        sys.stderr.write(f"error: {exc.strerror or exc}: {exc.filename}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        return 130
    if result is None:
        return 0
    if getattr(args, "json", False):
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    else:
        render = getattr(args, "render", None) or _default_render
        sys.stdout.write(render(result).rstrip("\n") + "\n")
    return 0
