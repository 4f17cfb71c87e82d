"""The document pages' long computations, each run once by a job (see
:func:`utils.job_results.job_result`): the Recommender's document index and map, the
Classifier's cross-validation, learning curve and final fit.

Each returns None while its job runs (the page shows the job's progress and Cancel
where the result goes), after a failure or a Cancel; a result is kept for the model's
content version, the document set's fingerprint and every option, so reruns and other
sessions reuse it.
"""

from __future__ import annotations

from embeddings.documents.classifier import (
    TextClassifier,
    compare_feature_sets,
    learning_curve_embedding,
)
from embeddings.documents.index import build_document_index
from embeddings.documents.vectors import document_memory_estimate
from embeddings.progress import Progress, check_cancel, report
from embeddings.projection.maps import map_memory_estimate
from embeddings.projection.methods import project
from utils.cache_keys import cache_key
from utils.job_results import job_result
from utils.state import get_store
from utils.warmup import wait_for_warmup, warmup_status

INDEX_JOB = "rec_index_job"
MAP_JOB = "rec_map_job"
CV_JOB = "clf_cv_job"
CURVE_JOB = "clf_curve_job"
FIT_JOB = "clf_fit_job"


def _docs_key(model, docs, **options) -> str:
    return cache_key(model, documents=docs.fingerprint(), **options)


def document_index(model, docs, method: str, tokenizer: str):
    """``(DocumentIndex, fitted DocumentVectorizer)`` of ``docs`` for the active model;
    the vectors are also kept beside the model in the store."""
    store = get_store()

    def build(progress, cancel):
        return build_document_index(
            model.kv, docs, method, tokenizer, store, model.name, progress, cancel
        )

    return job_result(
        INDEX_JOB,
        _docs_key(model, docs, method=method, tokenizer=tokenizer),
        build,
        f"Computing {len(docs):,} document vectors",
        estimate=document_memory_estimate(docs, model.kv.vector_size),
    )


def _wait_for_umap(progress, cancel) -> None:
    # The server's start-up compiles UMAP once; a map waits for it rather than compiling
    # it a second time in parallel.
    if warmup_status()["status"] != "running":
        return
    report(progress, Progress("umap", 0, None, "waiting for UMAP's one-time compilation"))
    while not wait_for_warmup(0.5):
        check_cancel(cancel)


def document_map(model, docs, method: str, tokenizer: str, how: str, vectors):
    """``(coordinates, seconds)``: a 2-D map (``how``: pca, tsne, umap) of the document
    ``vectors`` (those of :func:`document_index` for the same options)."""

    def draw(progress, cancel):
        if how == "umap":
            _wait_for_umap(progress, cancel)
        result = project(vectors, how, dims=2, seed=1, progress=progress, cancel=cancel)
        return result.coords, result.seconds

    return job_result(
        MAP_JOB,
        _docs_key(model, docs, method=method, tokenizer=tokenizer, map=how),
        draw,
        f"Mapping {len(docs):,} documents",
        estimate=map_memory_estimate(len(vectors), vectors.shape[1], how),
        keep=8,
    )


def cross_validation(model, docs, folds: int, seed: int, tokenizer: str):
    """``[(row, labels, confusion)]`` for the three schemes and the TF-IDF baseline."""

    def validate(progress, cancel):
        reports = compare_feature_sets(
            model.kv, docs, folds, seed, tokenizer, progress=progress, cancel=cancel
        )
        return [(r.row(), r.labels, r.confusion) for r in reports]

    return job_result(
        CV_JOB,
        _docs_key(model, docs, folds=folds, seed=seed, tokenizer=tokenizer),
        validate,
        "Cross-validating the three schemes and the baseline",
        # the token lists, and each fold's document vectors for the pipelines
        estimate=document_memory_estimate(docs, model.kv.vector_size, copies=2 * folds),
    )


def learning_curve(model, docs, method: str, folds: int, seed: int, tokenizer: str):
    """The learning curve of one scheme (see :func:`learning_curve_embedding`)."""

    def curve(progress, cancel):
        return learning_curve_embedding(
            model.kv, docs, method, folds, seed, tokenizer, progress=progress, cancel=cancel
        )

    return job_result(
        CURVE_JOB,
        _docs_key(model, docs, method=method, folds=folds, seed=seed, tokenizer=tokenizer),
        curve,
        "Computing the learning curve",
        estimate=document_memory_estimate(docs, model.kv.vector_size, copies=2 * folds),
    )


def fitted_classifier(model, docs, method: str, tokenizer: str):
    """The classifier of one scheme fitted on every document, to label typed text."""

    def fit(progress, cancel):
        return TextClassifier.fit(model.kv, docs, method, tokenizer, progress, cancel)

    return job_result(
        FIT_JOB,
        _docs_key(model, docs, method=method, tokenizer=tokenizer),
        fit,
        "Fitting on all documents",
        estimate=document_memory_estimate(docs, model.kv.vector_size),
        keep=6,
    )
