"""``maps``: maps of a whole vocabulary, computed once and kept with the model.

    python -m embeddings maps create MODEL --name NAME --method umap|tsne|pca
        [--words N] [--sample top|bands|random] [--seed S] [--dims 2|3]
    python -m embeddings maps list MODEL [--json]
    python -m embeddings maps export MODEL NAME --out FILE.csv
    python -m embeddings maps delete MODEL NAME

``create`` shows its progress on stderr (none with ``--quiet``). ``list --json`` prints a
list of ``{"name", "method", "words", "seconds", "preservation", "trustworthiness",
"seed", "sample", "created", "stale"}``; a stale map was made from vectors the model no
longer has. ``export`` writes ``word,x,y[,z]``, one row per mapped word.
"""

from __future__ import annotations

from .common import (
    add_json_flag,
    add_quiet_flag,
    add_store_flag,
    at_least,
    progress_from,
    store_from,
)


def register(sub) -> None:
    p = sub.add_parser("maps", help="maps of the whole vocabulary, stored with the model")
    actions = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    actions.required = True

    a = actions.add_parser("create", help="compute a map and store it with the model")
    a.add_argument("model", metavar="MODEL", help="a model in the store")
    a.add_argument("--name", required=True, help="the map's name")
    a.add_argument("--method", choices=("umap", "tsne", "pca"), required=True)
    a.add_argument("--words", type=at_least(4), default=100_000, help="how many words")
    a.add_argument(
        "--sample",
        choices=("top", "bands", "random"),
        default="top",
        help="the most frequent words, a sample from every frequency band, or at random",
    )
    a.add_argument("--seed", type=int, default=0)
    a.add_argument("--dims", type=int, choices=(2, 3), default=2)
    add_json_flag(a)
    add_quiet_flag(a)
    add_store_flag(a)
    a.set_defaults(handler=run_create, render=render_create)

    a = actions.add_parser("list", help="the model's maps")
    a.add_argument("model", metavar="MODEL")
    add_json_flag(a)
    add_store_flag(a)
    a.set_defaults(handler=run_list, render=render_list)

    a = actions.add_parser("export", help="write a map as CSV (word,x,y[,z])")
    a.add_argument("model", metavar="MODEL")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--out", required=True, help="output CSV file")
    add_json_flag(a)
    add_store_flag(a)
    a.set_defaults(handler=run_export, render=lambda r: f"{r['rows']:,} rows -> {r['out']}")

    a = actions.add_parser("delete", help="delete a map")
    a.add_argument("model", metavar="MODEL")
    a.add_argument("name", metavar="NAME")
    add_json_flag(a)
    add_store_flag(a)
    a.set_defaults(handler=run_delete, render=lambda r: f"deleted map {r['deleted']}")


def _summary(info) -> dict:
    return {
        "name": info.name,
        "method": info.method,
        "words": info.words,
        "seconds": info.seconds,
        "preservation": info.preservation,
        "trustworthiness": info.trustworthiness,
        "seed": info.seed,
        "sample": info.sample,
        "created": info.created,
        "stale": info.stale,
    }


def run_create(args):
    from ..projection.maps import create_map

    bar = progress_from(args)
    try:
        info = create_map(
            store_from(args),
            args.model,
            args.name,
            args.method,
            words=args.words,
            sample=args.sample,
            seed=args.seed,
            dims=args.dims,
            progress=bar,
        )
    finally:
        bar.close()
    return _summary(info)


def _quality(result) -> str:
    def show(value):
        return "n/a" if value is None else f"{value:.3f}"

    return (
        f"preservation@10 {show(result['preservation'])}, "
        f"trustworthiness {show(result['trustworthiness'])}"
    )


def render_create(result) -> str:
    return (
        f"map {result['name']!r}: {result['method']} of {result['words']:,} words "
        f"({result['sample']}, seed {result['seed']}) in {result['seconds']:.1f} s; "
        + _quality(result)
    )


def run_list(args):
    from ..projection.maps import list_maps

    return [_summary(info) for info in list_maps(store_from(args), args.model)]


def render_list(result) -> str:
    if not result:
        return "no maps yet (create one with `python -m embeddings maps create`)"
    lines = []
    for m in result:
        stale = "  STALE (made from older vectors)" if m["stale"] else ""
        lines.append(
            f"{m['name']}: {m['method']}, {m['words']:,} words ({m['sample']}), "
            f"{_quality(m)}, {m['created']}{stale}"
        )
    return "\n".join(lines)


def run_export(args):
    from ..projection.map_csv import export_map_csv

    rows = export_map_csv(store_from(args), args.model, args.name, args.out)
    return {"rows": rows, "out": str(args.out)}


def run_delete(args):
    from ..projection.maps import delete_map

    delete_map(store_from(args), args.model, args.name)
    return {"deleted": args.name}
