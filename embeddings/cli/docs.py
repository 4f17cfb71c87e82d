"""``docs``: document vectors, the recommender and the classifier on the command line.

    python -m embeddings docs MODEL --input FILE --text-column C [--title-column T] --similar-to TITLE
    python -m embeddings docs MODEL --input FILE --text-column C --classify --label-column L

FILE is a CSV/TSV (with the column options), a text file with one document per line, a
file of fastText ``__label__X text`` lines, a MediaWiki dump, a zip of these, any of them
as .gz/.bz2 (read by the corpus reader), or a bundled set: ``bundled:pang-lee``,
``bundled:lee``, ``bundled:wiki``.
"""

from __future__ import annotations

from ..documents.methods import METHODS
from ..errors import EmbeddingsError
from .common import add_json_flag, add_store_flag, open_model, store_from


def register(sub) -> None:
    p = sub.add_parser("docs", help="document vectors: similar documents, or a classifier")
    p.add_argument("model", metavar="MODEL", help="model-store name or vectors file")
    p.add_argument("--input", required=True, help="CSV/TSV, text, fastText lines, or bundled:KEY")
    p.add_argument("--text-column", help="text column of a CSV/TSV")
    p.add_argument("--title-column", help="title column of a CSV/TSV")
    p.add_argument("--label-column", help="label column of a CSV/TSV")
    p.add_argument(
        "--method", choices=METHODS, default="mean", help="document vector (default mean)"
    )
    p.add_argument("--tokenizer", choices=("simple", "whitespace", "korean"), default="simple")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--similar-to", metavar="TITLE", help="documents most similar to this one")
    what.add_argument("--query", metavar="TEXT", help="documents closest to a text")
    what.add_argument("--classify", action="store_true", help="cross-validated classifier scores")
    p.add_argument("--topn", type=int, default=5)
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    add_store_flag(p)
    add_json_flag(p)
    p.set_defaults(handler=run, render=render)


def _read(args):
    from ..documents.sets import bundled_document_set, read_document_set, table_columns

    source = args.input
    if source.startswith("bundled:"):
        return bundled_document_set(source.split(":", 1)[1])
    columns = table_columns(source)
    if columns and not args.text_column:
        raise EmbeddingsError(
            "--text-column is required for a CSV/TSV; its columns are: " + ", ".join(columns)
        )
    return read_document_set(source, args.text_column, args.title_column, args.label_column)


def run(args):
    # scikit-learn takes a second to import: only for this command
    from ..documents.index import build_document_index
    from ..documents.vectors import tokenize_documents

    kv, _card = open_model(args.model, store_from(args))
    docs = _read(args)
    if args.classify:
        from ..documents.classifier import compare_feature_sets

        reports = compare_feature_sets(
            kv, docs, folds=args.folds, seed=args.seed, tokenizer=args.tokenizer
        )
        return {
            "documents": len(docs),
            "labels": sorted(set(docs.labels or [])),
            "results": [r.row() for r in reports],
        }
    index, vectorizer = build_document_index(kv, docs, args.method, args.tokenizer)
    if args.similar_to is not None:
        matches = index.similar_to(args.similar_to, args.topn)
    else:
        query = vectorizer.transform(tokenize_documents([args.query], args.tokenizer))
        matches = index.query(query[0], args.topn)
    return {
        "documents": len(docs),
        "method": args.method,
        "empty_documents": [docs.titles[i] for i in index.coverage.empty],
        "matches": [
            {"title": m.title, "similarity": round(m.similarity, 6), "snippet": m.snippet}
            for m in matches
        ],
    }


def render(result) -> str:
    if "results" in result:
        lines = [f"{result['documents']} documents, labels {', '.join(result['labels'])}"]
        lines += [
            f"{r['features']:<10} accuracy {r['accuracy_mean']:.3f} ± {r['accuracy_std']:.3f}   "
            f"macro-F1 {r['macro_f1_mean']:.3f} ± {r['macro_f1_std']:.3f}"
            for r in result["results"]
        ]
        return "\n".join(lines)
    lines = [f"{m['similarity']:.4f}  {m['title']}" for m in result["matches"]]
    if result["empty_documents"]:
        lines.append(f"({len(result['empty_documents'])} documents had no known word)")
    return "\n".join(lines)
