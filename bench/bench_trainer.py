"""Trainer overhead: our Word2Vec/FastText training vs calling gensim directly.

Both train on the same sentence file with the same parameters, streaming it as an
iterable (what the lab does; see embeddings/train/trainer.py for why not ``corpus_file``).
Runs are interleaved (ours, raw, ours, raw, ...) and the median wall times compared.
A ``corpus_file`` row shows gensim's other mode and how many words it really trained.

    python -m bench.bench_trainer [--quick]
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path


def _corpus(repeats: int):
    from embeddings.corpus.sentences import PreparedCorpus, load_prepared
    from embeddings.corpus.sources import prepare_bundled_corpus
    from embeddings.vectors.store import ModelStore

    base = prepare_bundled_corpus("wiki+lee", "simple", cache=ModelStore().corpus_cache)
    if repeats == 1:
        return base
    path = Path(tempfile.mkdtemp()) / f"wiki-lee-x{repeats}.txt"
    text = base.path.read_text(encoding="utf-8")
    path.write_text(text * repeats, encoding="utf-8")
    stats = load_prepared(base.path, base.name, base.tokenizer).stats
    stats.tokens *= repeats
    stats.lines *= repeats
    stats.documents *= repeats
    for word in stats.word_counts:
        stats.word_counts[word] *= repeats
    return PreparedCorpus(path, stats, f"{base.name} x{repeats}", base.tokenizer)


def _raw_gensim(corpus, algorithm: str, params: dict):
    from gensim.models import FastText, Word2Vec
    from gensim.models.word2vec import LineSentence

    kwargs = dict(params)
    epochs = kwargs.pop("epochs")
    model = (FastText if algorithm == "fasttext" else Word2Vec)(**kwargs)
    sentences = LineSentence(str(corpus.path))
    model.build_vocab(sentences)
    # The same settings as the lab's trainer, which keeps Word2Vec's loss for its curve.
    return model.train(
        sentences,
        total_examples=model.corpus_count,
        epochs=epochs,
        compute_loss=algorithm == "word2vec",
    )


def _corpus_file_gensim(corpus, params: dict):
    from gensim.models import Word2Vec

    kwargs = dict(params)
    epochs = kwargs.pop("epochs")
    model = Word2Vec(**kwargs)
    model.build_vocab(corpus_file=str(corpus.path))
    return model.train(
        corpus_file=str(corpus.path), total_words=model.corpus_total_words, epochs=epochs
    )


def run(quick: bool = False) -> list[dict]:
    from embeddings.train.trainer import train_model

    os.environ.setdefault("EMBEDDINGS_HOME", tempfile.mkdtemp(prefix="bench-store-"))
    repeats, reps = (1, 3) if quick else (4, 5)
    corpus = _corpus(repeats)
    rows = []
    configs = [
        ("word2vec", {"sg": 0}, "Word2Vec CBOW"),
        ("word2vec", {"sg": 1}, "Word2Vec skip-gram"),
        ("fasttext", {"sg": 0, "bucket": 200_000}, "FastText CBOW"),
    ]
    if quick:
        configs = configs[:1] + configs[2:]
    for algorithm, extra, label in configs:
        params = {
            "vector_size": 100,
            "window": 5,
            "min_count": 5,
            "epochs": 5,
            "sample": 1e-3,
            "negative": 5,
            "workers": os.cpu_count() or 1,
            "seed": 1,
            **extra,
        }
        ours_t, raw_t = [], []
        ours_eff = raw_eff = 0
        for _ in range(reps):
            t = time.perf_counter()
            result = train_model(corpus, algorithm, dict(params), "bench")
            ours_t.append(time.perf_counter() - t)
            ours_eff = result.card.notes["effective_words"]
            t = time.perf_counter()
            raw_eff, _ = _raw_gensim(corpus, algorithm, params)
            raw_t.append(time.perf_counter() - t)
        ours, raw = statistics.median(ours_t), statistics.median(raw_t)
        rows.append(
            {
                "benchmark": f"{label}, {corpus.stats.tokens:,} tokens x 5 epochs (wall, incl. vocab)",
                "ours": round(ours, 2),
                "reference": round(raw, 2),
                "ratio": round(ours / raw, 3),
                "unit": "s",
                "notes": f"reference: gensim on the same file (iterable, loss on for Word2Vec as ours); {reps} interleaved runs; "
                f"effective words ours {ours_eff:,} / gensim {raw_eff:,}",
            }
        )
    params = {
        "vector_size": 100,
        "window": 5,
        "min_count": 5,
        "epochs": 5,
        "workers": os.cpu_count() or 1,
        "seed": 1,
    }
    t = time.perf_counter()
    eff_file, _ = _corpus_file_gensim(corpus, params)
    t_file = time.perf_counter() - t
    t = time.perf_counter()
    eff_iter, _ = _raw_gensim(corpus, "word2vec", params)
    t_iter = time.perf_counter() - t
    rows.append(
        {
            "benchmark": "gensim corpus_file vs iterable (Word2Vec CBOW, 1 run each)",
            "ours": round(t_iter, 2),
            "reference": round(t_file, 2),
            "ratio": round(t_iter / t_file, 3),
            "unit": "s",
            "notes": f"effective words: iterable {eff_iter:,}, corpus_file {eff_file:,} (the lab uses the iterable)",
        }
    )
    return rows


if __name__ == "__main__":
    from bench.table import main

    main(run, "Trainer overhead vs raw gensim.")
