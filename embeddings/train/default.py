"""The built-in default models: trained once on real text that ships with gensim.

The corpus is the shortened English Wikipedia dump plus the Lee news corpus from
gensim's test data (about 530,000 tokens, 406 documents), tokenized with the simple
tokenizer. The first start trains ``wiki-w2v`` and stores it; later starts load it.
Every default model is trained in reproducible mode (one worker, fixed seed, see
:mod:`embeddings.train.reproducible`): two first starts give the same vectors and scores.
FastText and GloVe defaults on the same corpus are one call (or click) away.
"""

from __future__ import annotations

from ..corpus.sources import prepare_bundled_corpus
from ..progress import CancelToken, ProgressCallback
from ..vectors.store import ModelCard, ModelStore

DEFAULT_CORPUS = "wiki+lee"
DEFAULT_MODELS = {"word2vec": "wiki-w2v", "fasttext": "wiki-ft", "glove": "wiki-glove"}
DEFAULT_PARAMS = {
    "word2vec": {"vector_size": 100, "window": 5, "min_count": 5, "epochs": 10, "sg": 0, "seed": 1},
    "fasttext": {
        "vector_size": 100,
        "window": 5,
        "min_count": 5,
        "epochs": 10,
        "sg": 0,
        "seed": 1,
        "min_n": 3,
        "max_n": 6,
        "bucket": 200_000,
    },
    "glove": {
        "vector_size": 100,
        "window": 10,
        "min_count": 5,
        "epochs": 25,
        "x_max": 10.0,
        "seed": 1,
    },
}


def default_model_name(algorithm: str = "word2vec") -> str:
    return DEFAULT_MODELS[algorithm]


def ensure_default_model(
    store: ModelStore,
    algorithm: str = "word2vec",
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> ModelCard:
    """The default model of ``algorithm``: loaded from the store, or trained, scored on
    the standard benchmarks (kept in its card, so no page has to score the shared model)
    and stored."""
    from ..evaluate.benchmarks import run_benchmarks, standard_benchmarks, store_results
    from .trainer import train_and_store

    name = DEFAULT_MODELS[algorithm]
    if store.exists(name):
        return store.load_card(name)
    corpus = prepare_bundled_corpus(
        DEFAULT_CORPUS, "simple", progress, cancel, cache=store.corpus_cache
    )
    result = train_and_store(
        store,
        corpus,
        algorithm,
        dict(DEFAULT_PARAMS[algorithm]),
        name,
        progress,
        cancel,
        reproducible=True,
    )
    benchmarks = standard_benchmarks()
    scores = run_benchmarks(result.kv, benchmarks, progress=progress, cancel=cancel)
    store_results(store, name, benchmarks, scores)
    return store.load_card(name)


# FastText on the bundled Korean corpus, once on whole syllables and once on letters
# (jamo): the subwords page compares how each builds a Korean word it never saw.
KOREAN_FASTTEXT = {False: "ko-law-ft", True: "ko-law-ft-jamo"}
KOREAN_FASTTEXT_PARAMS = {
    "vector_size": 100,
    "window": 5,
    "min_count": 3,
    "epochs": 20,
    "sg": 0,
    "seed": 1,
    "min_n": 3,
    "max_n": 6,
    "bucket": 200_000,
}


def ensure_korean_fasttext(
    store: ModelStore,
    jamo: bool,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> ModelCard:
    """FastText on the bundled Korean corpus (simple tokenizer: whole eojeol, so particles
    and endings stay on the word), on syllables or, with ``jamo``, on letters."""
    from ..corpus.sources import CorpusSource, prepare_corpus
    from .trainer import train_and_store

    name = KOREAN_FASTTEXT[jamo]
    if store.exists(name):
        return store.load_card(name)
    # ``jamo`` is passed either way, so the syllable model also gets the simple tokenizer
    # (the cached bundled Korean corpus is morphemes from the Korean tokenizer).
    corpus = prepare_corpus(
        CorpusSource.from_bundled("korean-law"),
        "simple",
        progress,
        cancel,
        cache=store.corpus_cache,
        jamo=jamo,
    )
    result = train_and_store(
        store,
        corpus,
        "fasttext",
        dict(KOREAN_FASTTEXT_PARAMS),
        name,
        progress,
        cancel,
        reproducible=True,
    )
    return result.card
