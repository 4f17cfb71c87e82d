"""Training: parameters, history, cancellation, artefacts, and no token lost."""

import numpy as np
import pytest

from embeddings.corpus.sentences import prepare_documents, write_sentence_file
from embeddings.corpus.sources import prepare_bundled_corpus
from embeddings.errors import Cancelled, TrainingError
from embeddings.progress import CancelToken
from embeddings.train.trainer import SYN1NEG_FILE, make_params, train_and_store, train_model


@pytest.fixture(scope="module")
def lee_corpus(tmp_path_factory):
    from embeddings.corpus.cache import CorpusCache

    return prepare_bundled_corpus("lee", cache=CorpusCache(tmp_path_factory.mktemp("corpora")))


def test_parameters_are_checked_with_clear_messages():
    assert make_params("fasttext", min_n=2).min_n == 2
    with pytest.raises(TrainingError, match="need 1 <= min_n <= max_n"):
        make_params("fasttext", min_n=5, max_n=3)
    with pytest.raises(TrainingError, match="Unknown word2vec parameter"):
        make_params("word2vec", bucket=10)
    with pytest.raises(TrainingError, match="negative sampling"):
        make_params("word2vec", negative=0, hs=0)
    with pytest.raises(TrainingError, match="Unknown algorithm"):
        make_params("bert")


@pytest.mark.slow
def test_word2vec_history_has_every_epoch_with_loss_and_drift(lee_corpus):
    events = []
    result = train_model(
        lee_corpus,
        "word2vec",
        {"epochs": 4, "workers": 1, "min_count": 3},
        "lee",
        progress=events.append,
        probe_words=["fire", "notaword"],
    )
    assert [row["epoch"] for row in result.history] == [1, 2, 3, 4]
    assert all(row["loss"] > 0 for row in result.history)
    assert set(result.history[-1]["drift"]) == {"fire"}  # unknown probes are skipped
    assert len(result.history[-1]["drift"]["fire"]) == 5
    epochs = [e for e in events if e.stage == "epoch"]
    assert [e.done for e in epochs] == [1, 2, 3, 4] and epochs[-1].fraction == 1.0
    card = result.card
    assert card.algorithm == "word2vec" and card.parameters["epochs"] == 4
    assert card.corpus["tokens"] == lee_corpus.stats.tokens
    assert result.syn1neg.shape == result.kv.vectors.shape


@pytest.mark.slow
def test_fasttext_reports_no_loss_instead_of_zeros(lee_corpus):
    result = train_model(
        lee_corpus, "fasttext", {"epochs": 2, "bucket": 10_000, "min_count": 3}, "ft"
    )
    assert [row["loss"] for row in result.history] == [None, None]
    assert "no loss" in result.card.notes["loss"]


@pytest.mark.slow
def test_min_count_too_high_is_a_training_error(lee_corpus):
    with pytest.raises(TrainingError, match="No word occurs at least min_count=1000000"):
        train_model(lee_corpus, "word2vec", {"min_count": 1_000_000}, "x")


@pytest.mark.slow
def test_cancelled_training_leaves_no_model(store, lee_corpus):
    token = CancelToken()

    def cancel_after_first_epoch(event):
        if event.stage == "epoch":
            token.cancel()

    with pytest.raises(Cancelled):
        train_and_store(
            store,
            lee_corpus,
            "word2vec",
            {"epochs": 5},
            "doomed",
            progress=cancel_after_first_epoch,
            cancel=token,
        )
    assert store.names() == []


@pytest.mark.slow
def test_stored_word2vec_keeps_its_output_weights(store, lee_corpus):
    result = train_and_store(store, lee_corpus, "word2vec", {"epochs": 1, "min_count": 3}, "kept")
    syn1neg = np.load(store.extra_path("kept", SYN1NEG_FILE))
    np.testing.assert_array_equal(syn1neg, result.syn1neg)
    assert store.load_card("kept").notes["effective_words"] > 0


def test_every_in_vocabulary_token_of_a_long_document_is_trained_on(tmp_path):
    """gensim truncates sentences past 10,000 words (and its corpus_file mode drops words at
    batch boundaries); our sentence files cut lines at 1,000 tokens and training streams
    them, so a 30,000-token document is trained in full."""
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(200)]
    document = " ".join(rng.choice(words, 30_000))
    prepared = prepare_documents(
        [document, "w1 w2 w3"], "long", "whitespace", out_path=tmp_path / "s.txt"
    )
    assert prepared.stats.lines == 31  # 30 lines of 1,000 tokens + the short document
    epochs = 2
    result = train_model(
        prepared, "word2vec", {"epochs": epochs, "sample": 0, "min_count": 1, "workers": 1}, "long"
    )
    in_vocab_tokens = prepared.stats.tokens  # min_count=1: every token is in the vocabulary
    assert result.card.notes["effective_words"] == in_vocab_tokens * epochs


def test_an_uncut_long_line_would_lose_tokens(tmp_path):
    """The control for the test above: the same document on one line loses words."""
    from gensim.models import Word2Vec

    rng = np.random.default_rng(0)
    tokens = list(rng.choice([f"w{i}" for i in range(200)], 30_000))
    path = tmp_path / "one-line.txt"
    write_sentence_file([" ".join(tokens)], str.split, path, max_tokens=10**9)
    model = Word2Vec(vector_size=10, min_count=1, sample=0, workers=1)
    model.build_vocab(corpus_file=str(path))
    effective, _ = model.train(
        corpus_file=str(path), total_words=model.corpus_total_words, epochs=1
    )
    assert effective < len(tokens)


def test_a_training_over_the_memory_budget_is_refused_with_its_estimate(lee_corpus, monkeypatch):
    from embeddings.budget import human_bytes
    from embeddings.errors import ResourceLimitError
    from embeddings.train.estimate import estimate_training

    monkeypatch.setenv("EMBEDDINGS_MEMORY_BUDGET", "1M")
    params = {"epochs": 1, "vector_size": 10, "bucket": 1000, "min_count": 50}
    estimate = estimate_training(lee_corpus.stats, "fasttext", params).memory
    with pytest.raises(ResourceLimitError) as exc:
        train_model(lee_corpus, "fasttext", params, "tiny")
    message = str(exc.value)
    assert f"about {human_bytes(estimate)} of memory" in message
    assert "the budget is 1.0 MiB" in message and "\n" not in message


def test_the_fasttext_memory_estimate_matches_what_training_allocates(lee_corpus):
    """tracemalloc sees numpy's buffers and Python objects: the peak of a real training."""
    import tracemalloc

    from embeddings.train.estimate import estimate_training

    params = {"epochs": 1, "vector_size": 50, "bucket": 100_000, "min_count": 3, "workers": 1}
    estimate = estimate_training(lee_corpus.stats, "fasttext", params).memory
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        result = train_model(lee_corpus, "fasttext", params, "measured")
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    ngrams = result.kv.vectors_ngrams.nbytes
    assert ngrams == 100_000 * 50 * 4  # the buckets are allocated once, not twice
    assert 0.5 * peak <= estimate <= 2 * peak, (estimate, peak)


@pytest.mark.parametrize("algorithm", ["word2vec", "fasttext", "glove"])
def test_the_disk_estimate_matches_the_stored_model(store, lee_corpus, algorithm):
    from embeddings.train.estimate import estimate_training

    params = {"epochs": 1, "vector_size": 20, "bucket": 20_000, "min_count": 3}
    if algorithm != "fasttext":
        del params["bucket"]
    estimate = estimate_training(lee_corpus.stats, algorithm, params)
    result = train_and_store(store, lee_corpus, algorithm, params, "sized")
    assert estimate.vocab_size == len(result.kv)
    stored = sum(f.stat().st_size for f in store.path("sized").rglob("*") if f.is_file())
    assert 0.9 * stored <= estimate.disk <= 1.1 * stored, (estimate.disk, stored)


def test_cooccurrence_entries_are_estimated_from_the_word_counts(lee_corpus):
    from embeddings.corpus.cooccurrence import count_cooccurrences
    from embeddings.train.estimate import estimate_cooccurrence_entries

    counts = [c for c in lee_corpus.stats.word_counts.values() if c >= 5]
    true = count_cooccurrences(lee_corpus.path, window=5, min_count=5).nnz
    estimate = estimate_cooccurrence_entries(counts, window=5)
    assert true <= estimate <= 1.5 * true, (estimate, true)
