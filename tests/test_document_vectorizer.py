"""DocumentVectorizer as a scikit-learn transformer, and the classifier as a Pipeline: the
estimator contract, and the same numbers as the vectorizer had before it followed it."""

import json
from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import Pipeline
from sklearn.utils.estimator_checks import (
    check_do_not_raise_errors_in_init_or_set_params,
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_set_params,
    check_transformers_unfitted,
)

from embeddings.documents.classifier import (
    TextClassifier,
    compare_feature_sets,
    embedding_classifier,
    folds_of,
)
from embeddings.documents.sets import bundled_document_set
from embeddings.documents.vectors import DocumentVectorizer
from embeddings.errors import EmbeddingsError

BEFORE = json.loads((Path(__file__).parent / "data" / "document_vectors_before.json").read_text())
WORDS = ["cat", "dog", "car", "bus", "the"]
CORPUS = [
    ["the", "cat", "and", "the", "dog"],
    ["car", "bus", "bus"],
    ["zebra"],
    ["the", "car", "cat"],
    ["dog", "dog", "the", "unicorn"],
    [],
]
QUERIES = [["cat", "bus", "yak"], ["the"], ["yak"]]


def _hand_kv(with_counts: bool) -> KeyedVectors:
    kv = KeyedVectors(3)
    kv.add_vectors(
        WORDS,
        np.array(
            [[1, 0, 0.5], [0.8, 0.2, 0], [0, 1, 0.1], [0.1, 0.9, -0.3], [0.3, 0.3, 0.3]],
            dtype=np.float32,
        ),
    )
    if with_counts:
        for word, count in zip(WORDS, [100, 10, 1, 1, 500], strict=True):
            kv.set_vecattr(word, "count", count)
    return kv


@pytest.mark.parametrize("counts", ["counts", "nocounts"])
@pytest.mark.parametrize("method", ["mean", "tfidf", "sif"])
def test_vectors_equal_the_previous_implementation(counts, method):
    """The vectors recorded from the vectorizer before it became an estimator, bit for bit
    in float32 (SIF with and without the model's counts, empty documents included)."""
    vec = DocumentVectorizer(_hand_kv(counts == "counts"), method, sif_a=0.01).fit(CORPUS)
    before = BEFORE[f"{counts}-{method}"]
    fitted, queried = vec.transform(CORPUS), vec.transform(QUERIES)
    assert fitted.dtype == np.float32 and fitted.shape == (6, 3)
    np.testing.assert_array_equal(fitted, np.asarray(before["fit"], dtype=np.float32))
    np.testing.assert_array_equal(queried, np.asarray(before["query"], dtype=np.float32))
    assert vec.coverage(CORPUS).known_tokens.tolist() == before["known"] == [4, 3, 0, 3, 3, 0]
    assert vec.coverage(CORPUS).total_tokens.tolist() == before["total"]


def test_estimator_checks_that_apply_to_a_token_list_transformer():
    vec = DocumentVectorizer(_hand_kv(True), "tfidf", sif_a=0.5)
    check_no_attributes_set_in_init("DocumentVectorizer", vec)
    check_get_params_invariance("DocumentVectorizer", vec)
    check_set_params("DocumentVectorizer", vec)
    check_do_not_raise_errors_in_init_or_set_params("DocumentVectorizer", vec)
    check_transformers_unfitted("DocumentVectorizer", vec)


def test_parameters_are_stored_unchanged_and_validated_in_fit():
    kv = _hand_kv(True)
    vec = DocumentVectorizer(kv, "nonsense", sif_a=-1)  # no error yet
    assert vec.get_params() == {"kv": kv, "method": "nonsense", "sif_a": -1}
    with pytest.raises(EmbeddingsError, match="Unknown method 'nonsense'; choose one of mean"):
        vec.fit(CORPUS)
    with pytest.raises(EmbeddingsError, match="sif_a must be positive, not -1"):
        vec.set_params(method="sif").fit(CORPUS)
    assert vec.set_params(sif_a=0.01).fit(CORPUS) is vec  # fit returns self
    assert DocumentVectorizer(**vec.get_params()).get_params() == vec.get_params()


def test_clone_is_unfitted_and_shares_the_word_vectors():
    kv = _hand_kv(True)
    fitted = DocumentVectorizer(kv, "sif", sif_a=0.01).fit(CORPUS)
    copy = clone(fitted)
    assert copy.get_params() == fitted.get_params()
    assert copy.kv is kv  # the model is not deep-copied for every fold
    assert not hasattr(copy, "idf_") and not hasattr(copy, "principal_component_")
    with pytest.raises(NotFittedError):
        copy.transform(CORPUS)
    np.testing.assert_array_equal(copy.fit(CORPUS).transform(QUERIES), fitted.transform(QUERIES))


def test_learned_attributes_end_with_an_underscore():
    vec = DocumentVectorizer(_hand_kv(False), "sif", sif_a=0.01).fit(CORPUS)
    learned = {k for k in vars(vec) if k.endswith("_")}
    assert learned == {"idf_", "word_prob_", "principal_component_", "coverage_", "unknown_words_"}
    assert vec.unknown_words_ == {"and": 1, "zebra": 1, "unicorn": 1}
    assert vec.coverage_.known_tokens.tolist() == [4, 3, 0, 3, 3, 0]
    assert vec.word_prob_["the"] == 4 / 16  # from the 16 corpus tokens: no model counts


def test_strings_are_refused_rather_than_split_into_letters():
    vec = DocumentVectorizer(_hand_kv(True)).fit(CORPUS)
    with pytest.raises(EmbeddingsError, match="token lists, not strings"):
        vec.transform(["the cat"])
    with pytest.raises(EmbeddingsError, match="token lists, not strings"):
        vec.fit("the cat")


def test_classifier_is_a_pipeline_of_vectorizer_scaler_and_logistic_regression():
    pipeline = embedding_classifier(_hand_kv(True), "tfidf")
    assert isinstance(pipeline, Pipeline)
    assert [name for name, _ in pipeline.steps] == ["vectors", "scale", "clf"]
    assert pipeline.get_params()["vectors__method"] == "tfidf"
    assert clone(pipeline).named_steps["vectors"].kv is pipeline.named_steps["vectors"].kv


def _hand_written_folds(pipeline_for, tokens, labels, folds=5, seed=1):
    """Accuracy per fold by an explicit loop: a fresh pipeline fitted on each training
    split and scored on its test split (what the classifier did before it used
    scikit-learn's cross_validate)."""
    from sklearn.base import clone as fresh

    scores = []
    for train, test in folds_of(folds, seed).split(tokens, labels):
        model = fresh(pipeline_for()).fit([tokens[i] for i in train], [labels[i] for i in train])
        predicted = model.predict([tokens[i] for i in test])
        scores.append(
            float(np.mean([p == labels[i] for p, i in zip(predicted, test, strict=True)]))
        )
    return scores


def test_pang_lee_scores_are_the_same_as_with_the_hand_written_folds(lee_w2v):
    from embeddings.documents.classifier import baseline_classifier
    from embeddings.documents.vectors import tokenize_documents

    docs = bundled_document_set("pang-lee")
    reports = compare_feature_sets(lee_w2v, docs, folds=5, seed=1)
    tokens = tokenize_documents(docs.texts, "simple")
    for r in reports:
        make = (
            baseline_classifier
            if r.features == "tfidf-bow"
            else (lambda m=r.features: embedding_classifier(lee_w2v, m))
        )
        assert r.accuracy == pytest.approx(_hand_written_folds(make, tokens, docs.labels))
        assert int(r.confusion.sum()) == 200 and r.labels == ["neg", "pos"]
    label, proba = TextClassifier.fit(lee_w2v, docs, "sif").predict("a moving and funny film")
    assert label in ("neg", "pos") and sum(proba.values()) == pytest.approx(1.0)
