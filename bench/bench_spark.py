"""Spark as an engine: MLlib Word2Vec vs gensim, co-occurrence counts vs the local counter.

On the bundled Wikipedia + Lee sentence file at 1x and 10x (the file repeated), with
``local[2]`` (one JVM, two task threads) and ``local-cluster[2,1,1024]`` (two executor
JVMs: a real distributed run on this machine):

- the engine's start-up cost (a usable session with the lab shipped to the executors);
- Word2Vec wall time (tokenizing, counting, fit, vectors back) and WordSim-353 against
  gensim's skip-gram with hierarchical softmax at the same settings (sg=1, hs=1,
  negative=0, sample=0: what MLlib trains), 1 epoch, 2 partitions (both cores);
- co-occurrence counting (window 10, 1/d) in tokens/s against the lab's numba counter.

The machine has two cores and is shared: read the ratios, not the absolute times.

    python -m bench.bench_spark [--quick]
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

MASTERS = ("local[2]", "local-cluster[2,1,1024]")
W2V = {"vector_size": 100, "window": 5, "min_count": 5, "epochs": 1, "seed": 1}
PARTITIONS = 2


def _corpus(repeats: int) -> tuple[Path, int]:
    from embeddings.corpus.sentences import prepare_bundled_corpus

    base = prepare_bundled_corpus("wiki+lee", "simple")
    if repeats == 1:
        return base.path, base.stats.tokens
    path = Path(tempfile.mkdtemp(prefix="bench-spark-")) / f"wiki-lee-x{repeats}.txt"
    path.write_text(base.path.read_text(encoding="utf-8") * repeats, encoding="utf-8")
    return path, base.stats.tokens * repeats


def _wordsim(kv) -> float:
    from embeddings.corpus.bundled import WORDSIM353, gensim_data
    from embeddings.evaluate.scores import evaluate_word_pairs

    return round(evaluate_word_pairs(kv, gensim_data(WORDSIM353))["spearman"], 3)


def _gensim(path: Path):
    from gensim.models import Word2Vec

    from embeddings.train.trainer import SentenceStream

    started = time.perf_counter()
    model = Word2Vec(SentenceStream(path), sg=1, hs=1, negative=0, sample=0, workers=2, **W2V)
    return time.perf_counter() - started, model.wv


def run(quick: bool = False) -> list[dict]:
    from embeddings.corpus.cooccurrence import count_cooccurrences
    from embeddings.spark.cooccurrence import spark_cooccurrences
    from embeddings.spark.session import start_spark
    from embeddings.spark.word2vec import spark_word2vec

    os.environ.setdefault("EMBEDDINGS_HOME", tempfile.mkdtemp(prefix="bench-store-"))
    scales = (1,) if quick else (1, 10)
    masters = MASTERS[:1] if quick else MASTERS
    corpora = {n: _corpus(n) for n in scales}
    reference = {n: _gensim(corpora[n][0]) for n in scales}
    local_counts = {}
    for n in scales:
        started = time.perf_counter()
        count_cooccurrences(corpora[n][0], window=10)
        local_counts[n] = time.perf_counter() - started
    rows = []
    for master in masters:
        started = time.perf_counter()
        engine = start_spark(master)
        boot = time.perf_counter() - started
        rows.append(
            {
                "benchmark": f"Spark start-up, {master}",
                "ours": round(boot, 1),
                "reference": 0,
                "ratio": None,
                "unit": "s",
                "notes": "JVM(s), executors, the lab zipped and shipped; gensim needs none",
            }
        )
        try:
            for n in scales:
                path, tokens = corpora[n]
                started = time.perf_counter()
                result = spark_word2vec(
                    engine, path, {**W2V, "partitions": PARTITIONS}, tokenizer="whitespace"
                )
                ours = time.perf_counter() - started
                ref_s, ref_kv = reference[n]
                times = result.card.notes["times"]
                rows.append(
                    {
                        "benchmark": f"Word2Vec skip-gram+HS, {tokens:,} tokens x 1 epoch, {master}",
                        "ours": round(ours, 1),
                        "reference": round(ref_s, 1),
                        "ratio": round(ours / ref_s, 2),
                        "unit": "s",
                        "notes": f"fit {times['fit_s']:.1f} s, counting {times['vocabulary_s']:.1f} s, "
                        f"vectors {times['vectors_s']:.1f} s; WordSim-353 Spark "
                        f"{_wordsim(result.kv)} / gensim {_wordsim(ref_kv)}; reference: gensim "
                        f"sg=1 hs=1 negative=0 sample=0, 2 workers; {PARTITIONS} MLlib partitions",
                    }
                )
                started = time.perf_counter()
                spark_cooccurrences(engine, path, window=10, partitions=PARTITIONS)
                spark_s = time.perf_counter() - started
                rows.append(
                    {
                        "benchmark": f"co-occurrence counts (window 10, 1/d), {tokens:,} tokens, {master}",
                        "ours": round(tokens / spark_s),
                        "reference": round(tokens / local_counts[n]),
                        "ratio": round(local_counts[n] / spark_s, 3),
                        "unit": "tokens/s",
                        "notes": f"Spark {spark_s:.1f} s vs the lab's numba counter "
                        f"{local_counts[n]:.1f} s (one thread); same matrix",
                    }
                )
        finally:
            engine.stop()
    return rows


if __name__ == "__main__":
    from bench.table import main

    main(run, "Spark (MLlib Word2Vec, co-occurrence) vs gensim and the local counter.")
