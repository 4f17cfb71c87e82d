"""``models``: list, import, rename and delete models in the store.

python -m embeddings models list --json
python -m embeddings models import FILE [--name NAME] [--format auto|...] [--limit N]
python -m embeddings models rename OLD NEW
python -m embeddings models delete NAME
python -m embeddings models index NAME        # neighbour index for a big vocabulary

Every action takes ``--workspace TOKEN``: the list then shows the shared models (marked)
and the workspace's own; import, rename and delete act on the workspace only.
"""

from __future__ import annotations

from ..errors import EmbeddingsError
from .common import (
    add_format_flag,
    add_json_flag,
    add_quiet_flag,
    add_store_flag,
    progress_from,
    store_from,
)


def register(sub) -> None:
    p = sub.add_parser("models", help="list, import, rename, delete stored models")
    actions = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    actions.required = True

    a = actions.add_parser("list", help="the stored models")
    add_json_flag(a)
    add_store_flag(a)
    a.set_defaults(handler=run_list, render=render_list)

    a = actions.add_parser("import", help="load a vectors file into the store")
    a.add_argument("file", metavar="FILE")
    a.add_argument("--name", default=None, help="name in the store (default: from the file)")
    a.add_argument("--limit", type=int, default=None, help="keep the first N rows")
    a.add_argument("--overwrite", action="store_true")
    add_format_flag(a)
    add_json_flag(a)
    add_store_flag(a)
    add_quiet_flag(a)
    a.set_defaults(handler=run_import, render=render_card)

    a = actions.add_parser("rename", help="rename a stored model")
    a.add_argument("old", metavar="OLD")
    a.add_argument("new", metavar="NEW")
    add_json_flag(a)
    add_store_flag(a)
    a.set_defaults(handler=run_rename, render=render_card)

    a = actions.add_parser("delete", help="delete a stored model")
    a.add_argument("name", metavar="NAME")
    add_json_flag(a)
    add_store_flag(a)
    a.set_defaults(handler=run_delete, render=lambda r: f"deleted {r['deleted']}")

    a = actions.add_parser(
        "index", help="build the approximate-neighbour index of a stored model (big vocabularies)"
    )
    a.add_argument("name", metavar="NAME")
    add_json_flag(a)
    add_store_flag(a)
    add_quiet_flag(a)
    a.set_defaults(handler=run_index, render=render_index)


def _summary(card) -> dict:
    return {
        "name": card.name,
        "algorithm": card.algorithm,
        "vocab_size": card.vocab_size,
        "vector_size": card.vector_size,
        "has_subwords": card.has_subwords,
        "created": card.created,
        "source": card.source,
    }


def run_list(args):
    store = store_from(args)
    if getattr(args, "workspace", None) is None:
        return [_summary(c) for c in store.cards()]
    # In a workspace, each model says whether it is shared (read-only) or the workspace's.
    return [{**_summary(c), "shared": store.is_shared(c.name)} for c in store.cards()]


def run_import(args):
    from pathlib import Path

    from ..vectors.importing import import_vectors

    if args.limit is not None and args.limit < 1:
        raise EmbeddingsError("--limit must be at least 1.")
    store = store_from(args)
    path = Path(args.file)
    if not path.is_file():
        raise EmbeddingsError(f"{args.file} is not a file.")
    progress = progress_from(args)
    try:
        card = import_vectors(
            path,
            store,
            args.format,
            name=args.name,
            limit=args.limit,
            overwrite=args.overwrite,
            progress=progress,
        )
    finally:
        progress.close()
    return {**_summary(card), "notes": card.notes}


def run_rename(args):
    return _summary(store_from(args).rename(args.old, args.new))


def run_delete(args):
    store_from(args).delete(args.name)  # a broken entry too; a clear error when absent
    return {"deleted": args.name}


def run_index(args):
    from ..vectors.store_index import build_model_index

    progress = progress_from(args)
    try:
        info = build_model_index(store_from(args), args.name, progress=progress)
    finally:
        progress.close()
    return {"name": args.name, **info.to_dict()}


def render_index(r) -> str:
    return (
        f"{r['name']}: index of {r['words']:,} words built in {r['build_seconds']:.1f} s, "
        f"{r['size_bytes'] / 2**20:,.1f} MiB, recall@10 {r['recall_at_10']:.3f} against exact "
        f"search on {r['recall_sample']:,} random words"
    )


def render_list(rows) -> str:
    if not rows:
        return "no models yet"
    return "\n".join(
        f"{r['name']:<24} {r['algorithm']:<10} {r['vocab_size']:>9,} × {r['vector_size']:<4}"
        f"{' subwords' if r['has_subwords'] else ''}"
        f"{' (shared)' if r.get('shared') else ''}"
        for r in rows
    )


def render_card(r) -> str:
    text = f"{r['name']}: {r['algorithm']}, {r['vocab_size']:,} words × {r['vector_size']}"
    for warning in (r.get("notes") or {}).get("warnings", []):
        text += f"\nwarning: {warning}"
    return text
