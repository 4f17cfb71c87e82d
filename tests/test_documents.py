"""Document vectors, nearest documents and the classifier (reading document sets:
tests/test_document_sets.py)."""

import numpy as np
import pytest
from gensim.models import KeyedVectors

from embeddings.documents.classifier import (
    TextClassifier,
    compare_feature_sets,
    cross_validate_vectors,
    learning_curve_vectors,
)
from embeddings.documents.index import DocumentIndex, stored_document_vectors
from embeddings.documents.sets import DocumentSet
from embeddings.documents.vectors import DocumentVectorizer
from embeddings.errors import EmbeddingsError
from embeddings.vectors.store import ModelCard


@pytest.fixture
def toy_kv():
    kv = KeyedVectors(2)
    kv.add_vectors(
        ["cat", "dog", "car", "bus"],
        np.array([[1, 0], [0.8, 0.2], [0, 1], [0.1, 0.9]], dtype=np.float32),
    )
    for word, count in zip(["cat", "dog", "car", "bus"], [100, 10, 1, 1], strict=True):
        kv.set_vecattr(word, "count", count)
    return kv


def test_mean_vector_is_the_average_of_known_words_and_unknown_words_are_counted(toy_kv):
    docs = [["cat", "car", "zebra"], ["zebra"]]
    vec = DocumentVectorizer(toy_kv, "mean")
    out = vec.fit_transform(docs)
    np.testing.assert_allclose(out[0], [0.5, 0.5])
    assert out[1].tolist() == [0.0, 0.0]
    coverage = vec.coverage(docs)
    assert coverage.known_tokens.tolist() == [2, 0] and coverage.total_tokens.tolist() == [3, 1]
    assert coverage.empty.tolist() == [1]
    assert coverage.share == pytest.approx(2 / 4)
    assert vec.coverage_.known_tokens.tolist() == [2, 0]
    assert vec.unknown_words_ == {"zebra": 2}


def test_tfidf_weights_each_occurrence_by_smooth_idf(toy_kv):
    docs = [["cat", "car"], ["cat", "dog"], ["cat"]]
    vec = DocumentVectorizer(toy_kv, "tfidf").fit(docs)
    # idf = ln((1+n)/(1+df)) + 1 with n = 3: cat df=3 -> 1, car df=1 -> ln 2 + 1
    assert vec.idf_["cat"] == pytest.approx(1.0)
    assert vec.idf_["car"] == pytest.approx(np.log(2) + 1)
    w_cat, w_car = 1.0, np.log(2) + 1
    expected = (w_cat * np.array([1, 0]) + w_car * np.array([0, 1])) / (w_cat + w_car)
    np.testing.assert_allclose(vec.transform([["cat", "car"]])[0], expected, rtol=1e-6)


def test_sif_uses_model_counts_and_removes_the_first_component(toy_kv):
    docs = [["cat", "car"], ["dog", "bus"], ["cat", "bus"]]
    vec = DocumentVectorizer(toy_kv, "sif", sif_a=0.01).fit(docs)
    assert vec.word_prob_["cat"] == pytest.approx(100 / 112)
    pc = vec.principal_component_
    assert np.linalg.norm(pc) == pytest.approx(1.0, abs=1e-6)
    out = vec.transform(docs)
    # Nothing is left along the removed component.
    np.testing.assert_allclose(out @ pc, 0, atol=1e-6)


def test_nearest_documents_rank_the_known_answer_first():
    kv = KeyedVectors(3)
    kv.add_vectors(
        ["apple", "pear", "plum", "goal", "match", "score"],
        np.array(
            [[1, 0, 0], [0.9, 0.1, 0], [0.95, 0, 0.05], [0, 1, 0], [0, 0.9, 0.1], [0.05, 1, 0]],
            dtype=np.float32,
        ),
    )
    docs = DocumentSet(
        ["apple pear", "goal match", "plum apple", "score goal", "nothing known"],
        ["fruit-1", "sport-1", "fruit-2", "sport-2", "empty"],
    )
    tokens = [t.split() for t in docs.texts]
    vec = DocumentVectorizer(kv, "mean").fit(tokens)
    index = DocumentIndex(docs, vec.transform(tokens), vec.coverage(tokens))
    assert [m.title for m in index.similar_to("fruit-1", 2)] == ["fruit-2", "sport-2"]
    assert index.similar_to("sport-1", 1)[0].title == "sport-2"
    assert index.query(np.array([0, 1, 0], dtype=np.float32), 1)[0].title in ("sport-1", "sport-2")
    with pytest.raises(EmbeddingsError, match="no word the model knows"):
        index.similar_to("empty")
    with pytest.raises(
        EmbeddingsError, match="No document titled 'fruit'; titles containing it: fruit-1, fruit-2"
    ):
        index.similar_to("fruit")


def test_document_vectors_are_stored_with_the_model_and_read_back(store, toy_kv):
    store.save(toy_kv, ModelCard(name="toy", algorithm="word2vec"))
    docs = DocumentSet(["cat dog", "car bus"], ["a", "b"])
    vec = DocumentVectorizer(toy_kv, "mean").fit([["cat", "dog"], ["car", "bus"]])
    first, first_coverage = stored_document_vectors(store, "toy", vec, docs, "whitespace")
    files = list((store.path("toy") / "extra").glob("docvec-*.npz"))
    assert len(files) == 1 and "-mean-whitespace" in files[0].name
    second, second_coverage = stored_document_vectors(store, "toy", vec, docs, "whitespace")
    np.testing.assert_array_equal(first, second)
    np.testing.assert_allclose(second, [[0.9, 0.1], [0.05, 0.95]])
    assert second_coverage.known_tokens.tolist() == [2, 2] == first_coverage.known_tokens.tolist()


def test_classifier_is_perfect_on_a_separable_set_and_reports_every_fold():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 0.1, (20, 5)) + 1, rng.normal(0, 0.1, (20, 5)) - 1])
    y = ["pos"] * 20 + ["neg"] * 20
    report = cross_validate_vectors(X, y, folds=5)
    assert report.accuracy == [1.0] * 5 and report.macro_f1_mean == 1.0
    assert report.confusion.tolist() == [[20, 0], [0, 20]]
    curve = learning_curve_vectors(X, y, folds=5, points=3)
    assert curve.test_mean[-1] == 1.0 and len(curve.train_sizes) == 3


def test_too_few_labels_per_class_is_a_clear_error():
    X = np.zeros((4, 2))
    with pytest.raises(EmbeddingsError, match="only 1 documents"):
        cross_validate_vectors(X, ["a", "a", "a", "b"], folds=2)


def test_schemes_and_baseline_beat_chance_on_a_topic_corpus():
    """Two topics whose words have separate vectors: every scheme should separate them."""
    rng = np.random.default_rng(1)
    words_a = [f"fruit{i}" for i in range(30)]
    words_b = [f"sport{i}" for i in range(30)]
    kv = KeyedVectors(8)
    base_a, base_b = rng.normal(size=8), rng.normal(size=8)
    kv.add_vectors(
        words_a + words_b,
        np.vstack(
            [base_a + rng.normal(0, 0.3, (30, 8)), base_b + rng.normal(0, 0.3, (30, 8))]
        ).astype(np.float32),
    )
    texts, labels = [], []
    for i in range(40):
        pool, label = (words_a, "a") if i % 2 else (words_b, "b")
        texts.append(" ".join(rng.choice(pool, 6)))
        labels.append(label)
    docs = DocumentSet(texts, [str(i) for i in range(40)], labels)
    reports = compare_feature_sets(kv, docs, folds=4, tokenizer="whitespace")
    assert [r.features for r in reports] == ["mean", "tfidf", "sif", "tfidf-bow"]
    for r in reports:
        assert r.accuracy_mean > 0.8, r.row()
    label, proba = TextClassifier.fit(kv, docs, "mean", "whitespace").predict(
        "fruit1 fruit2 fruit3"
    )
    assert label == "a" and proba["a"] > 0.5


def test_document_index_built_with_progress_equals_the_parts(toy_kv):
    from embeddings.documents.index import build_document_index
    from embeddings.documents.vectors import REPORT_EVERY, transform_documents

    texts = [["cat car", "dog bus", "cat bus zebra", "zebra"][i % 4] for i in range(450)]
    docs = DocumentSet(texts, [f"d{i}" for i in range(450)])
    events = []
    index, vectorizer = build_document_index(
        toy_kv, docs, "sif", "whitespace", progress=events.append
    )
    tokens = [t.split() for t in texts]
    expected = DocumentVectorizer(toy_kv, "sif").fit(tokens).transform(tokens)
    # blocks give the same rows (to float32 rounding: BLAS sums blocks in another order)
    np.testing.assert_allclose(index.vectors, expected, rtol=1e-5, atol=1e-7)
    assert index.coverage.empty.tolist() == list(range(3, 450, 4))
    stages = [(e.stage, e.done) for e in events]
    assert stages[:3] == [("tokenize", 0), ("tokenize", REPORT_EVERY), ("tokenize", 400)]
    assert ("fit", 0) in stages and stages[-1] == ("docvec", 450)
    np.testing.assert_allclose(transform_documents(vectorizer, tokens[:3]), expected[:3], atol=1e-7)


def test_document_jobs_stop_when_cancelled(toy_kv):
    from embeddings.documents.index import build_document_index
    from embeddings.errors import Cancelled
    from embeddings.progress import CancelToken

    cancel = CancelToken()
    cancel.cancel()
    docs = DocumentSet(["cat car", "dog bus"] * 5, [f"d{i}" for i in range(10)], ["a", "b"] * 5)
    with pytest.raises(Cancelled):
        build_document_index(toy_kv, docs, "mean", "whitespace", cancel=cancel)
    with pytest.raises(Cancelled):
        compare_feature_sets(toy_kv, docs, folds=2, tokenizer="whitespace", cancel=cancel)


def test_cross_validation_reports_every_fold_and_scores_as_before(toy_kv):
    docs = DocumentSet(
        ["cat dog", "dog cat cat", "car bus", "bus car car"] * 5,
        [f"d{i}" for i in range(20)],
        ["pets", "pets", "cars", "cars"] * 5,
    )
    events = []
    reports = compare_feature_sets(
        toy_kv, docs, folds=5, tokenizer="whitespace", progress=events.append
    )
    classify = [e for e in events if e.stage == "classify"]
    assert [e.done for e in classify] == list(range(1, 21)) and classify[-1].total == 20
    assert classify[-1].message == "cross-validating tfidf-bow: 20 of 20 fits scored"
    # the fold scorer gives scikit-learn's own accuracy and macro-F1
    assert [r.accuracy_mean for r in reports] == [1.0] * 4
    assert [r.macro_f1_mean for r in reports] == [1.0] * 4
