"""Classifying documents from averaged word embeddings, measured honestly.

A scikit-learn ``Pipeline`` (document vectors -> standard scaling -> logistic regression)
evaluated with ``cross_validate`` on stratified, seeded k folds (mean and spread over
folds, not one lucky split), next to a TF-IDF bag-of-words baseline on the same folds.
Every step, the document vectorizer included, is fitted on the training folds only.

Example
-------
>>> import numpy as np
>>> X = np.array([[0, 1], [0, 2], [1, 0], [2, 0]] * 5, dtype=float)
>>> y = ["a", "a", "b", "b"] * 5
>>> cross_validate_vectors(X, y, folds=5).accuracy_mean
1.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..errors import EmbeddingsError
from ..progress import CancelToken, Progress, ProgressCallback, check_cancel, report
from .sets import DocumentSet
from .vectors import METHODS, DocumentVectorizer, tokenize_documents

BASELINE = "tfidf-bow"


@dataclass
class CVReport:
    """Cross-validated scores of one feature set."""

    features: str
    accuracy: list[float]
    macro_f1: list[float]
    labels: list[str] = field(default_factory=list)
    confusion: np.ndarray | None = None  # rows: true label, columns: predicted (out-of-fold)

    @property
    def accuracy_mean(self) -> float:
        return float(np.mean(self.accuracy))

    @property
    def accuracy_std(self) -> float:
        return float(np.std(self.accuracy))

    @property
    def macro_f1_mean(self) -> float:
        return float(np.mean(self.macro_f1))

    @property
    def macro_f1_std(self) -> float:
        return float(np.std(self.macro_f1))

    def row(self) -> dict:
        return {
            "features": self.features,
            "accuracy_mean": round(self.accuracy_mean, 4),
            "accuracy_std": round(self.accuracy_std, 4),
            "macro_f1_mean": round(self.macro_f1_mean, 4),
            "macro_f1_std": round(self.macro_f1_std, 4),
            "folds": len(self.accuracy),
        }


def _check_labels(labels: Sequence[str] | None, folds: int) -> np.ndarray:
    if labels is None:
        raise EmbeddingsError("These documents have no labels; choose a label column.")
    y = np.asarray([str(v) for v in labels])
    classes, counts = np.unique(y, return_counts=True)
    if len(classes) < 2:
        raise EmbeddingsError("Classification needs at least two different labels.")
    if counts.min() < folds:
        small = classes[counts.argmin()]
        raise EmbeddingsError(
            f"Label {small!r} has only {counts.min()} documents; {folds}-fold cross-validation "
            f"needs at least {folds} per label (use fewer folds or more data)."
        )
    return y


def _tokens_as_given(tokens):
    """The analyzer of the baseline: documents arrive already tokenized."""
    return tokens


def _rows(X, indices):
    """The rows ``indices`` of a matrix or of a list of token lists."""
    return [X[i] for i in indices] if isinstance(X, list) else X[indices]


def vector_classifier():
    """Standard scaling and logistic regression, for documents that are already vectors."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    return Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression(max_iter=2000))])


def embedding_classifier(kv, method: str = "mean"):
    """The pipeline from token lists to labels: document vectors, scaling, logistic regression.

    Example
    -------
    >>> embedding_classifier(None, "sif").named_steps["vectors"].method
    'sif'
    """
    from sklearn.pipeline import Pipeline

    return Pipeline([("vectors", DocumentVectorizer(kv, method)), *vector_classifier().steps])


def baseline_classifier():
    """The pipeline of the baseline: TF-IDF bag of words and logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline(
        [
            ("tfidf", TfidfVectorizer(analyzer=_tokens_as_given)),
            ("clf", LogisticRegression(max_iter=2000)),
        ]
    )


class FoldScorer:
    """Accuracy and macro-F1 of one fitted fold, reported as progress.

    Scikit-learn calls the scorer after fitting each fold, so this is where a long
    cross-validation says how far it got and stops when cancelled (it is run with
    ``error_score="raise"``, so :class:`~embeddings.errors.Cancelled` ends it).

    Parameters
    ----------
    progress, cancel
        The job's progress callback (``"classify"`` events) and cancel token.
    total : int
        Scorer calls in the whole job (folds x pipelines, or more).
    single : bool
        Return the accuracy alone (for ``learning_curve``) instead of both scores.
    """

    def __init__(self, progress=None, cancel=None, total: int = 0, single: bool = False):
        self.progress, self.cancel, self.total, self.single = progress, cancel, total, single
        self.done = 0
        self.what = ""

    def __call__(self, estimator, X, y):
        from sklearn.metrics import accuracy_score, f1_score

        check_cancel(self.cancel)
        predicted = estimator.predict(X)
        self.done += 1
        message = f"{self.what}: {self.done:,} of {self.total:,} fits scored"
        report(self.progress, Progress("classify", self.done, self.total or None, message))
        accuracy = accuracy_score(y, predicted)
        if self.single:
            return accuracy
        return {"accuracy": accuracy, "macro_f1": f1_score(y, predicted, average="macro")}


def folds_of(folds: int, seed: int):
    """The stratified, shuffled, seeded folds every report uses."""
    from sklearn.model_selection import StratifiedKFold

    return StratifiedKFold(folds, shuffle=True, random_state=seed)


def cross_validate_pipeline(
    pipeline,
    X,
    labels,
    folds: int = 5,
    seed: int = 1,
    name: str = "",
    scorer: FoldScorer | None = None,
) -> CVReport:
    """Accuracy and macro-F1 of ``pipeline`` on each fold, and the out-of-fold confusion matrix.

    ``X`` is whatever the pipeline's first step takes (vectors, token lists). A
    ``scorer`` reports each fold and stops the run when its job is cancelled.
    """
    from sklearn.metrics import confusion_matrix
    from sklearn.model_selection import cross_validate

    y = _check_labels(labels, folds)
    scorer = scorer or FoldScorer(total=folds)
    scorer.what = f"cross-validating {name}" if name else "cross-validating"
    result = cross_validate(
        pipeline,
        X,
        y,
        cv=folds_of(folds, seed),
        scoring=scorer,
        return_estimator=True,
        return_indices=True,
        error_score="raise",
    )
    # Each document is predicted by the one model that did not see it in training.
    predicted = np.empty_like(y)
    for model, test in zip(result["estimator"], result["indices"]["test"], strict=True):
        predicted[test] = model.predict(_rows(X, test))
    classes = sorted(set(y))
    return CVReport(
        name,
        [float(v) for v in result["test_accuracy"]],
        [float(v) for v in result["test_macro_f1"]],
        classes,
        confusion_matrix(y, predicted, labels=classes),
    )


def cross_validate_vectors(X, labels, folds: int = 5, seed: int = 1, name: str = "") -> CVReport:
    """Stratified k-fold scores of logistic regression on fixed feature vectors ``X``."""
    return cross_validate_pipeline(vector_classifier(), np.asarray(X), labels, folds, seed, name)


def cross_validate_embedding(
    kv, docs: DocumentSet, method: str, folds: int = 5, seed: int = 1, tokenizer: str = "simple"
) -> CVReport:
    """Cross-validate logistic regression on document vectors of one weighting scheme.

    The vectorizer (idf, SIF weights and component) is fitted on each training fold only,
    so nothing about the test documents leaks into the features.
    """
    tokens = tokenize_documents(docs.texts, tokenizer)
    pipeline = embedding_classifier(kv, method)
    return cross_validate_pipeline(pipeline, tokens, docs.labels, folds, seed, method)


def cross_validate_baseline(
    docs: DocumentSet, folds: int = 5, seed: int = 1, tokenizer: str = "simple"
) -> CVReport:
    """The same protocol on a TF-IDF bag of words (no embeddings): the baseline to beat."""
    tokens = tokenize_documents(docs.texts, tokenizer)
    return cross_validate_pipeline(
        baseline_classifier(), tokens, docs.labels, folds, seed, BASELINE
    )


def compare_feature_sets(
    kv,
    docs: DocumentSet,
    folds: int = 5,
    seed: int = 1,
    tokenizer: str = "simple",
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> list[CVReport]:
    """All three weighting schemes and the TF-IDF baseline, on the same seeded folds.

    ``progress`` hears ``"tokenize"`` events, then a ``"classify"`` event per fold
    scored; ``cancel`` is checked between documents and folds.
    """
    _check_labels(docs.labels, folds)
    tokens = tokenize_documents(docs.texts, tokenizer, progress, cancel)
    steps = [*METHODS, BASELINE]
    scorer = FoldScorer(progress, cancel, total=len(steps) * folds)
    reports = []
    for name in steps:
        check_cancel(cancel)
        pipeline = baseline_classifier() if name == BASELINE else embedding_classifier(kv, name)
        reports.append(
            cross_validate_pipeline(pipeline, tokens, docs.labels, folds, seed, name, scorer)
        )
    return reports


@dataclass
class LearningCurve:
    """Mean and spread of accuracy over folds, for each training-set size."""

    train_sizes: list[int]
    train_mean: list[float]
    train_std: list[float]
    test_mean: list[float]
    test_std: list[float]


def learning_curve_pipeline(
    pipeline,
    X,
    labels,
    folds: int = 5,
    seed: int = 1,
    points: int = 5,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> LearningCurve:
    """Accuracy against training-set size (scikit-learn's learning_curve, stratified folds).

    Every step of ``pipeline`` is fitted on each training subset only. ``progress``
    hears a ``"classify"`` event per score (training and test, each size and fold);
    ``cancel`` is checked as often.
    """
    from sklearn.model_selection import learning_curve

    y = _check_labels(labels, folds)
    scorer = FoldScorer(progress, cancel, total=2 * points * folds, single=True)
    scorer.what = "learning curve"
    sizes, train, test = learning_curve(
        pipeline,
        X,
        y,
        train_sizes=np.linspace(0.2, 1.0, points),
        cv=folds_of(folds, seed),
        scoring=scorer,
        shuffle=True,  # training subsets drawn at random, so the small ones hold every label
        random_state=seed,
        error_score="raise",
    )
    return LearningCurve(
        [int(s) for s in sizes],
        train.mean(axis=1).tolist(),
        train.std(axis=1).tolist(),
        test.mean(axis=1).tolist(),
        test.std(axis=1).tolist(),
    )


def learning_curve_vectors(
    X, labels, folds: int = 5, seed: int = 1, points: int = 5
) -> LearningCurve:
    """The learning curve of logistic regression on fixed feature vectors ``X``."""
    return learning_curve_pipeline(vector_classifier(), np.asarray(X), labels, folds, seed, points)


def learning_curve_embedding(
    kv,
    docs: DocumentSet,
    method: str,
    folds: int = 5,
    seed: int = 1,
    tokenizer: str = "simple",
    points: int = 5,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> LearningCurve:
    """The learning curve of the embedding pipeline; the document vectorizer is fitted on
    each training subset, as in :func:`cross_validate_embedding`."""
    tokens = tokenize_documents(docs.texts, tokenizer, progress, cancel)
    pipeline = embedding_classifier(kv, method)
    return learning_curve_pipeline(
        pipeline, tokens, docs.labels, folds, seed, points, progress, cancel
    )


@dataclass
class TextClassifier:
    """The embedding pipeline fitted on all documents, to label typed text."""

    pipeline: object
    tokenizer: str = "simple"

    @classmethod
    def fit(
        cls,
        kv,
        docs: DocumentSet,
        method: str = "mean",
        tokenizer: str = "simple",
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ):
        """Fit :func:`embedding_classifier` on every document of ``docs`` (``"tokenize"``
        then one ``"fit"`` progress event; cancellable until the fit starts)."""
        y = _check_labels(docs.labels, 2)
        tokens = tokenize_documents(docs.texts, tokenizer, progress, cancel)
        check_cancel(cancel)
        report(progress, Progress("fit", 0, None, f"{method} pipeline on {len(docs):,} documents"))
        return cls(embedding_classifier(kv, method).fit(tokens, y), tokenizer)

    def predict(self, text: str) -> tuple[str, dict[str, float]]:
        """The predicted label of ``text`` and the probability of each label."""
        tokens = tokenize_documents([text], self.tokenizer)
        if self.pipeline.named_steps["vectors"].coverage(tokens).known_tokens[0] == 0:
            raise EmbeddingsError("The text has no word the model knows, so it has no vector.")
        proba = self.pipeline.predict_proba(tokens)[0]
        classes = [str(c) for c in self.pipeline.classes_]
        return classes[int(np.argmax(proba))], dict(zip(classes, map(float, proba), strict=True))
