"""GloVe quality parity: our trainer on the bundled Wikipedia text repeated 10 times.

The settings of the reference measurement (vector size 100, window 10, 15 epochs,
min_count 5, x_max 100; also x_max 10), evaluated with gensim-exact WordSim353 Spearman
and Google-analogy accuracy (3CosAdd, restrict 300,000 as gensim's default), next to
Word2Vec CBOW and skip-gram trained on the same file with the same window and epochs.
The reference C implementation measured on this machine reached Spearman 0.14-0.15
and 0.53-0.57% analogy accuracy (see the GloVe issue); Word2Vec 0.37-0.45.

    python -m bench.quality_glove
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path


def _corpus(repeats: int = 10) -> Path:
    from embeddings.corpus.sources import prepare_bundled_corpus
    from embeddings.vectors.store import ModelStore

    base = prepare_bundled_corpus("wiki", "simple", cache=ModelStore().corpus_cache)
    path = Path(tempfile.mkdtemp()) / f"wiki-x{repeats}.txt"
    path.write_text(base.path.read_text(encoding="utf-8") * repeats, encoding="utf-8")
    return path


def _scores(kv) -> dict:
    from embeddings.corpus.bundled import QUESTIONS_WORDS, WORDSIM353, gensim_data
    from embeddings.evaluate.scores import evaluate_analogies, evaluate_word_pairs

    pairs = evaluate_word_pairs(kv, gensim_data(WORDSIM353))
    analogies = evaluate_analogies(kv, gensim_data(QUESTIONS_WORDS), restrict_vocab=300_000)
    return {
        "spearman": pairs["spearman"],
        "oov": pairs["oov_ratio"],
        "accuracy": analogies["accuracy"],
        "covered": analogies.get("total", analogies.get("n")),
    }


def main() -> None:
    from gensim.models import Word2Vec
    from gensim.models.word2vec import LineSentence

    from embeddings.train.glove import train_glove

    path = _corpus()
    rows = []
    for x_max in (100.0, 10.0):
        t = time.perf_counter()
        kv, history = train_glove(
            path, vector_size=100, window=10, min_count=5, epochs=15, x_max=x_max, seed=1
        )
        rows.append(
            (
                f"GloVe (ours) x_max={x_max:g}",
                time.perf_counter() - t,
                len(kv),
                _scores(kv),
                history[-1]["loss"],
            )
        )
    for sg in (0, 1):
        t = time.perf_counter()
        model = Word2Vec(
            LineSentence(str(path)),
            vector_size=100,
            window=10,
            min_count=5,
            epochs=15,
            sg=sg,
            seed=1,
            workers=2,
        )
        rows.append(
            (
                f"Word2Vec {'skip-gram' if sg else 'CBOW'}",
                time.perf_counter() - t,
                len(model.wv),
                _scores(model.wv),
                None,
            )
        )
    print(
        "| model | seconds | vocabulary | WS353 Spearman | WS353 OOV % | analogy accuracy | final loss |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, seconds, vocab, s, loss in rows:
        loss_text = f"{loss:.4f}" if loss is not None else ""
        print(
            f"| {name} | {seconds:.1f} | {vocab:,} | {s['spearman']:.3f} | {s['oov']:.1f} | {s['accuracy']:.2%} | {loss_text} |"
        )


if __name__ == "__main__":
    main()
