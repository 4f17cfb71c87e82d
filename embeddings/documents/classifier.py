"""Classifying documents from averaged word embeddings, measured honestly.

A logistic regression (scikit-learn) on document vectors, evaluated with stratified,
seeded k-fold cross-validation (mean and spread over folds, not one lucky split), next
to a TF-IDF bag-of-words baseline on the same folds.

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


def _classifier():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))


def cross_validate_vectors(X, labels, folds: int = 5, seed: int = 1, name: str = "") -> CVReport:
    """Stratified k-fold scores of logistic regression on fixed feature vectors ``X``."""
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score
    from sklearn.model_selection import StratifiedKFold

    y = _check_labels(labels, folds)
    classes = sorted(set(y))
    predicted = np.empty_like(y)
    acc, f1 = [], []
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(X, y):
        clf = _classifier().fit(X[train], y[train])
        pred = clf.predict(X[test])
        predicted[test] = pred
        acc.append(float(accuracy_score(y[test], pred)))
        f1.append(float(f1_score(y[test], pred, average="macro")))
    cm = confusion_matrix(y, predicted, labels=classes)
    return CVReport(name, acc, f1, classes, cm)


def cross_validate_embedding(
    kv, docs: DocumentSet, method: str, folds: int = 5, seed: int = 1, tokenizer: str = "simple"
) -> CVReport:
    """Cross-validate logistic regression on document vectors of one weighting scheme.

    The vectorizer (idf, SIF weights and component) is fitted on each training fold only,
    so nothing about the test documents leaks into the features.
    """
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score
    from sklearn.model_selection import StratifiedKFold

    y = _check_labels(docs.labels, folds)
    tokens = tokenize_documents(docs.texts, tokenizer)
    classes = sorted(set(y))
    predicted = np.empty_like(y)
    acc, f1 = [], []
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(tokens, y):
        vec = DocumentVectorizer(kv, method).fit([tokens[i] for i in train])
        X_train = vec.transform([tokens[i] for i in train]).vectors
        X_test = vec.transform([tokens[i] for i in test]).vectors
        clf = _classifier().fit(X_train, y[train])
        pred = clf.predict(X_test)
        predicted[test] = pred
        acc.append(float(accuracy_score(y[test], pred)))
        f1.append(float(f1_score(y[test], pred, average="macro")))
    return CVReport(method, acc, f1, classes, confusion_matrix(y, predicted, labels=classes))


def cross_validate_baseline(
    docs: DocumentSet, folds: int = 5, seed: int = 1, tokenizer: str = "simple"
) -> CVReport:
    """The same protocol on a TF-IDF bag of words (no embeddings): the baseline to beat."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score
    from sklearn.model_selection import StratifiedKFold

    y = _check_labels(docs.labels, folds)
    tokens = tokenize_documents(docs.texts, tokenizer)
    classes = sorted(set(y))
    predicted = np.empty_like(y)
    acc, f1 = [], []
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(tokens, y):
        tfidf = TfidfVectorizer(analyzer=lambda toks: toks)
        X_train = tfidf.fit_transform([tokens[i] for i in train])
        X_test = tfidf.transform([tokens[i] for i in test])
        clf = LogisticRegression(max_iter=2000).fit(X_train, y[train])
        pred = clf.predict(X_test)
        predicted[test] = pred
        acc.append(float(accuracy_score(y[test], pred)))
        f1.append(float(f1_score(y[test], pred, average="macro")))
    return CVReport(BASELINE, acc, f1, classes, confusion_matrix(y, predicted, labels=classes))


def compare_feature_sets(
    kv, docs: DocumentSet, folds: int = 5, seed: int = 1, tokenizer: str = "simple", progress=None
) -> list[CVReport]:
    """All three weighting schemes and the TF-IDF baseline, on the same seeded folds."""
    from ..progress import Progress, report

    reports = []
    steps = [*METHODS, BASELINE]
    for i, name in enumerate(steps):
        report(progress, Progress("classify", i, len(steps), f"cross-validating {name}"))
        if name == BASELINE:
            reports.append(cross_validate_baseline(docs, folds, seed, tokenizer))
        else:
            reports.append(cross_validate_embedding(kv, docs, name, folds, seed, tokenizer))
    report(progress, Progress("classify", len(steps), len(steps), "done"))
    return reports


@dataclass
class LearningCurve:
    train_sizes: list[int]
    train_mean: list[float]
    train_std: list[float]
    test_mean: list[float]
    test_std: list[float]


def learning_curve_vectors(
    X, labels, folds: int = 5, seed: int = 1, points: int = 5
) -> LearningCurve:
    """Accuracy against training-set size (scikit-learn's learning_curve, stratified folds)."""
    from sklearn.model_selection import StratifiedKFold, learning_curve

    y = _check_labels(labels, folds)
    sizes, train, test = learning_curve(
        _classifier(),
        X,
        y,
        train_sizes=np.linspace(0.2, 1.0, points),
        cv=StratifiedKFold(folds, shuffle=True, random_state=seed),
        scoring="accuracy",
        shuffle=True,  # training subsets drawn at random, so the small ones hold every label
        random_state=seed,
    )
    return LearningCurve(
        [int(s) for s in sizes],
        train.mean(axis=1).tolist(),
        train.std(axis=1).tolist(),
        test.mean(axis=1).tolist(),
        test.std(axis=1).tolist(),
    )


@dataclass
class TextClassifier:
    """A vectorizer + logistic regression fitted on all documents, to label typed text."""

    vectorizer: DocumentVectorizer
    model: object
    tokenizer: str = "simple"

    @classmethod
    def fit(cls, kv, docs: DocumentSet, method: str = "mean", tokenizer: str = "simple"):
        y = _check_labels(docs.labels, 2)
        tokens = tokenize_documents(docs.texts, tokenizer)
        vec = DocumentVectorizer(kv, method).fit(tokens)
        model = _classifier().fit(vec.transform(tokens).vectors, y)
        return cls(vec, model, tokenizer)

    def predict(self, text: str) -> tuple[str, dict[str, float]]:
        """The predicted label of ``text`` and the probability of each label."""
        out = self.vectorizer.transform(tokenize_documents([text], self.tokenizer))
        if out.known_tokens[0] == 0:
            raise EmbeddingsError("The text has no word the model knows, so it has no vector.")
        proba = self.model.predict_proba(out.vectors)[0]
        classes = [str(c) for c in self.model.classes_]
        return classes[int(np.argmax(proba))], dict(zip(classes, map(float, proba), strict=True))
