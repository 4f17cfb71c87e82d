"""The chapter's tables reproduced exactly, and negative sampling on a real model:
the noise distribution is gensim's, negatives avoid the true pairs, and scores come
from the output weights the trainer keeps."""

from __future__ import annotations

import numpy as np
import pytest

from embeddings.chapter.concepts import (
    CHAPTER_CONTEXT_SENTENCE,
    context_pairs,
    cooccurrence_table,
    dense_vectors_table,
    lookup,
    memory_table,
    one_hot_table,
    tokenize_sentence,
)
from embeddings.chapter.negative_sampling import (
    cbow_scores,
    load_output_weights,
    negative_sampling_table,
    noise_distribution,
    pair_scores,
    sample_negatives,
)
from embeddings.errors import EmbeddingsError, UnknownWordError
from tests.chapter import CHAPTER_COOCCURRENCE, CHAPTER_ORDER

# The chapter's table for "The fat cat sat on the mat", window 2: centre word and
# context words as one-hot vectors over the seven words ("The" and "the" differ).
CHAPTER_ONE_HOT_CONTEXT = [
    ("[1, 0, 0, 0, 0, 0, 0]", "[0, 1, 0, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0, 0]"),
    (
        "[0, 1, 0, 0, 0, 0, 0]",
        "[1, 0, 0, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0, 0], [0, 0, 0, 1, 0, 0, 0]",
    ),
    (
        "[0, 0, 1, 0, 0, 0, 0]",
        "[1, 0, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0, 0], [0, 0, 0, 1, 0, 0, 0], "
        "[0, 0, 0, 0, 1, 0, 0]",
    ),
    (
        "[0, 0, 0, 1, 0, 0, 0]",
        "[0, 1, 0, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 1, 0, 0], "
        "[0, 0, 0, 0, 0, 1, 0]",
    ),
    (
        "[0, 0, 0, 0, 1, 0, 0]",
        "[0, 0, 1, 0, 0, 0, 0], [0, 0, 0, 1, 0, 0, 0], [0, 0, 0, 0, 0, 1, 0], "
        "[0, 0, 0, 0, 0, 0, 1]",
    ),
    (
        "[0, 0, 0, 0, 0, 1, 0]",
        "[0, 0, 0, 1, 0, 0, 0], [0, 0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 0, 1]",
    ),
    ("[0, 0, 0, 0, 0, 0, 1]", "[0, 0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 1, 0]"),
]
CHAPTER_CBOW = [
    ("fat, cat", "The"),
    ("The, cat, sat", "fat"),
    ("The, fat, sat, on", "cat"),
    ("fat, cat, on, the", "sat"),
    ("cat, sat, the, mat", "on"),
    ("sat, on, mat", "the"),
    ("on, the", "mat"),
]


def test_one_hot_table_is_the_identity_over_the_sentence_vocabulary():
    table = one_hot_table("I love cats love".split())
    assert table.shape == (3, 3)
    assert list(table.index) == list(table.columns) == ["I", "love", "cats"]
    assert (table.to_numpy() == np.eye(3)).all()


def test_chapter_context_table_window_2_exactly():
    pairs = context_pairs(tokenize_sentence(CHAPTER_CONTEXT_SENTENCE), window=2)
    assert list(pairs.one_hot.itertuples(index=False, name=None)) == CHAPTER_ONE_HOT_CONTEXT
    assert list(pairs.cbow[["context", "centre"]].itertuples(index=False, name=None)) == (
        CHAPTER_CBOW
    )


def test_skipgram_rows_are_one_per_centre_and_context_word():
    pairs = context_pairs(CHAPTER_CONTEXT_SENTENCE.split(), window=2)
    assert len(pairs.skipgram) == 2 + 3 + 4 + 4 + 4 + 3 + 2
    cat = pairs.skipgram[pairs.skipgram.centre == "cat"]
    # The chapter's SGNS table: (cat, The), (cat, fat), (cat, sat), (cat, on).
    assert cat.context.tolist() == ["The", "fat", "sat", "on"]
    assert context_pairs(["a", "b", "c"], 1).skipgram.values.tolist() == [
        [0, "a", "b"],
        [1, "b", "a"],
        [1, "b", "c"],
        [2, "c", "b"],
    ]


def test_context_pairs_reject_bad_input():
    with pytest.raises(EmbeddingsError, match="at least 1"):
        context_pairs(["a"], 0)
    with pytest.raises(EmbeddingsError, match="no words"):
        context_pairs([], 2)


def test_chapter_cooccurrence_counts_exactly():
    table = cooccurrence_table()
    assert list(table.index) == list(table.columns) == CHAPTER_ORDER
    assert table.to_numpy().tolist() == CHAPTER_COOCCURRENCE


def test_cooccurrence_of_other_sentences_is_most_frequent_first():
    table = cooccurrence_table(["a b a", "b c"], window=1)
    assert list(table.index) == ["a", "b", "c"]
    assert table.to_numpy().tolist() == [[0, 2, 0], [2, 0, 1], [0, 1, 0]]


def test_memory_of_one_hot_and_dense_vectors():
    table = memory_table(30_000, 100)
    assert table["bytes per word"].tolist() == [120_000, 4, 400]
    assert table["whole vocabulary (bytes)"].tolist() == [3_600_000_000, 120_000, 12_000_000]


def test_noise_distribution_is_counts_to_the_075_normalised(lee_w2v):
    noise = noise_distribution(lee_w2v)
    counts = np.array([lee_w2v.get_vecattr(w, "count") for w in lee_w2v.index_to_key], float)
    assert noise.probabilities.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(noise.probabilities, counts**0.75 / (counts**0.75).sum())
    np.testing.assert_allclose(noise.unigram, counts / counts.sum())
    # Flatter than the unigram distribution: frequent words lose, rare words gain.
    assert noise.probabilities[0] < noise.unigram[0]
    assert noise.probabilities[-1] > noise.unigram[-1]


def test_noise_distribution_equals_gensims_cum_table(lee_sentences):
    from gensim.models import Word2Vec

    model = Word2Vec(lee_sentences[:100], vector_size=10, min_count=2, epochs=1, workers=1)
    domain = 2**31 - 1
    from_table = np.diff(model.cum_table.astype(np.float64), prepend=0.0) / domain
    # cum_table holds rounded integers: equal up to one step of 1/domain per entry.
    np.testing.assert_allclose(noise_distribution(model.wv).probabilities, from_table, atol=2e-9)


def test_vectors_loaded_from_a_file_have_no_noise_distribution():
    from gensim.models import KeyedVectors

    kv = KeyedVectors(2)
    kv.add_vectors(["a", "b"], [[1.0, 0.0], [0.0, 1.0]])
    kv.expandos.pop("count", None)
    with pytest.raises(EmbeddingsError, match="no word counts"):
        noise_distribution(kv)


def test_negatives_never_include_the_centre_or_its_context(lee_w2v):
    positives = ["fire", "crews", "the"]
    for seed in range(30):
        drawn = sample_negatives(lee_w2v, "police", 8, seed=seed, exclude=positives)
        assert len(drawn) == 8 and drawn.word.is_unique
        assert not {"police", *positives} & set(drawn.word)
    noise = noise_distribution(lee_w2v)
    row = drawn.iloc[0]
    assert row["P_n(w)"] == noise.probabilities[lee_w2v.key_to_index[row.word]]
    assert row["count"] == lee_w2v.get_vecattr(row.word, "count")


def test_negatives_follow_the_noise_distribution(lee_w2v):
    # Over many draws the most probable noise word ("the") is drawn far more than a rare one.
    drawn = [sample_negatives(lee_w2v, "police", 5, seed=s).word.tolist() for s in range(200)]
    flat = [w for ws in drawn for w in ws]
    assert flat.count("the") > 20
    assert sample_negatives(lee_w2v, "police", 5, seed=3).equals(
        sample_negatives(lee_w2v, "police", 5, seed=3)
    )


def test_pair_scores_without_output_weights_are_cosines(lee_w2v):
    scored = pair_scores(lee_w2v, "Police", ["fire", "notaword"])
    assert scored.source == "cosine"
    assert scored.frame.centre.tolist() == ["police", "police"]
    assert scored.frame.score[0] == pytest.approx(float(lee_w2v.similarity("police", "fire")))
    assert scored.frame.sigmoid[0] == pytest.approx(1 / (1 + np.exp(-scored.frame.score[0])))
    assert np.isnan(scored.frame.score[1])
    with pytest.raises(UnknownWordError):
        pair_scores(lee_w2v, "notaword", ["fire"])


@pytest.fixture(scope="module")
def sgns(lee_sentences):
    """Skip-gram with negative sampling on the Lee corpus, with its output weights."""
    from gensim.models import Word2Vec

    return Word2Vec(
        lee_sentences, vector_size=50, window=5, min_count=3, epochs=20, workers=1, seed=1, sg=1
    )


def test_pair_scores_with_output_weights_are_the_training_score(sgns):
    kv, out = sgns.wv, sgns.syn1neg
    scored = pair_scores(kv, "fire", ["crews", "the"], out)
    assert scored.source == "syn1neg"
    expected = kv["fire"].astype(float) @ out[kv.key_to_index["crews"]].astype(float)
    assert scored.frame.score[0] == pytest.approx(expected)


def test_true_pairs_score_higher_than_negatives(sgns, lee_sentences):
    """Over the first 10 sentences, positives' mean sigmoid beats the negatives'."""
    kv, out = sgns.wv, sgns.syn1neg
    pos, neg = [], []
    for sent in lee_sentences[:10]:
        for _, rows in context_pairs(sent, 2).skipgram.groupby("position"):
            word = rows.centre.iloc[0]
            if word not in kv.key_to_index:
                continue
            table = negative_sampling_table(kv, word, rows.context.tolist(), 5, 0, out).frame
            pos += table[table.label == 1].sigmoid.dropna().tolist()
            neg += table[table.label == 0].sigmoid.tolist()
    assert np.mean(pos) > np.mean(neg) + 0.1  # measured: 0.279 vs 0.133


def test_negative_sampling_table_rows_and_labels(sgns):
    kv, out = sgns.wv, sgns.syn1neg
    table = negative_sampling_table(kv, "fire", ["bush", "crews"], k=4, seed=1, syn1neg=out)
    frame = table.frame
    assert table.source == "syn1neg"
    assert frame.label.tolist() == [1, 1, 0, 0, 0, 0]
    assert frame["input 1"].unique().tolist() == ["fire"]
    assert frame["input 2"][:2].tolist() == ["bush", "crews"]
    noise = noise_distribution(kv)
    assert frame["P_n(w)"][0] == noise.probabilities[kv.key_to_index["bush"]]


def test_cbow_scores_use_the_mean_of_the_context(sgns):
    kv, out = sgns.wv, sgns.syn1neg
    frame = cbow_scores(kv, ["bush", "crews"], ["fire", "nope"], out)
    hidden = (kv["bush"].astype(float) + kv["crews"].astype(float)) / 2
    assert frame.score[0] == pytest.approx(hidden @ out[kv.key_to_index["fire"]])
    assert np.isnan(frame.score[1])


@pytest.mark.slow
def test_output_weights_kept_by_the_trainer_are_found(store, lee_sentences):
    from embeddings.corpus.sentences import prepare_documents
    from embeddings.train.trainer import train_and_store

    docs = [" ".join(s) for s in lee_sentences[:60]]
    corpus = prepare_documents(docs, "lee60", "simple", out_path=store.root / "lee60.txt")
    params = {"vector_size": 10, "min_count": 2, "epochs": 1, "workers": 1}
    result = train_and_store(store, corpus, "word2vec", params, "tiny")
    kv, _ = store.load("tiny")
    weights = load_output_weights(store, "tiny", kv)
    np.testing.assert_array_equal(weights, result.syn1neg)
    assert isinstance(weights, np.memmap) and weights.dtype == np.float32
    store.save(kv, result.card, overwrite=True)  # replaced vectors: no stale weights
    assert load_output_weights(store, "tiny", kv) is None


def test_output_weights_of_another_shape_are_ignored(store, lee_w2v):
    from embeddings.vectors.store import ModelCard

    wrong = np.zeros((3, lee_w2v.vector_size), dtype=np.float32)
    store.save(lee_w2v, ModelCard(name="m", algorithm="word2vec"), extras={"syn1neg": wrong})
    assert load_output_weights(store, "m", lee_w2v) is None


def test_damaged_output_weights_are_a_clear_error(store, lee_w2v):
    from embeddings.errors import FormatError
    from embeddings.vectors.store import ModelCard

    weights = np.ones_like(lee_w2v.vectors)
    store.save(lee_w2v, ModelCard(name="m", algorithm="word2vec"), extras={"syn1neg": weights})
    path = store.path("m") / "extra" / "syn1neg.npy"
    path.write_bytes(path.read_bytes()[:1000])  # a truncated copy
    with pytest.raises(FormatError, match="'syn1neg' kept with model 'm' is damaged"):
        load_output_weights(store, "m", lee_w2v)


def test_lookup_is_the_row_of_the_matrix(lee_w2v):
    found = lookup(lee_w2v, " Police ")
    assert found.key == "police"
    assert found.index == lee_w2v.key_to_index["police"]
    np.testing.assert_array_equal(found.row, lee_w2v.vectors[found.index])
    assert found.matches_one_hot_product and found.vocab_size == len(lee_w2v)
    with pytest.raises(UnknownWordError, match="close matches"):
        lookup(lee_w2v, "polise")


def test_dense_vectors_table_maps_case_and_lists_missing(lee_w2v):
    frame, missing = dense_vectors_table(lee_w2v, ["The", "police", "the", "qqqq"], dims=4)
    assert list(frame.index) == ["the", "police"]
    assert list(frame.columns) == ["d0", "d1", "d2", "d3"]
    np.testing.assert_allclose(frame.loc["police"], lee_w2v["police"][:4], rtol=1e-6)
    assert missing == ["qqqq"]
