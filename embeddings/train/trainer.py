"""Training Word2Vec, FastText (gensim) and GloVe (our own trainer) from a sentence file.

One entry point for all three algorithms: :func:`train_model` takes a
:class:`~embeddings.corpus.sentences.PreparedCorpus`, an algorithm name and its parameters, and
returns gensim KeyedVectors with a model card and a per-epoch history.

gensim streams the sentence file line by line (an iterable re-read every epoch, so
corpora larger than memory work), and its lines are at most 1,000 tokens, so every token
is trained on. gensim's ``corpus_file=`` mode is not used: measured with gensim 4.4.0 on
a 30,003-token file with sample=0, one epoch trained 28,003 words with 1 worker (whole
lines dropped at batch boundaries) and 35,003 with 2 workers (the workers' byte ranges
overlap), while the iterable trains exactly 30,003 either way; with 2 cores its speed
advantage is at most about 10% (see bench/bench_trainer.py).

What each epoch reports (``Progress(stage="epoch", metrics=...)`` and the history):
``elapsed_s``, ``epoch_s``, ``remaining_s`` (from the mean epoch time), ``words_per_s``
(corpus tokens / epoch time; gensim does not expose per-epoch effective words),
``loss`` (see below) and ``drift`` (the current neighbours of the probe words).

Loss, honestly: gensim accumulates a running loss over the whole ``train()`` call and
reports it through ``get_latest_training_loss()``. We report the per-epoch difference of
that counter, which is the sum of the negative-sampling / softmax losses of the epoch's
sampled pairs, in float32 (it saturates on large corpora). FastText reports no loss in
gensim 4.4 (always 0), so FastText histories carry ``loss=None`` rather than zeros.

Example
-------
>>> from embeddings.corpus.sources import prepare_bundled_corpus   # doctest: +SKIP
>>> corpus = prepare_bundled_corpus("lee", cache=store.corpus_cache)   # doctest: +SKIP
>>> result = train_model(corpus, "word2vec", {"epochs": 5}, "lee")  # doctest: +SKIP
>>> result.kv.most_similar("fire", topn=3)                     # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..budget import check_memory
from ..corpus.sentences import PreparedCorpus, SentenceFile
from ..errors import Cancelled, EmbeddingsError, TrainingError
from ..progress import CancelToken, Progress, ProgressCallback, report
from ..vectors.store import ModelCard, ModelStore, NameTakenError, validate_name
from .estimate import estimate_training
from .params import (  # noqa: F401 - the params API stays importable from here
    ALGORITHMS,
    PARAMS,
    FastTextParams,
    GloVeParams,
    Word2VecParams,
    make_params,
)
from .reproducible import REPRODUCIBLE_NOTE, reproducible_params, stable_hash

# Word2Vec's output weights are kept as the store extra "syn1neg" (ModelStore.load_extra).
SYN1NEG = "syn1neg"
SYN1NEG_FILE = f"{SYN1NEG}.npy"  # its file in the entry's extra/ directory


@dataclass
class TrainResult:
    """What training produced: vectors, their card, the per-epoch history."""

    kv: Any
    card: ModelCard
    history: list[dict] = field(default_factory=list)
    syn1neg: np.ndarray | None = None  # Word2Vec output weights (negative sampling)


def _probe_neighbours(kv, probe_words: Sequence[str], topn: int = 5) -> dict[str, list]:
    out = {}
    if not probe_words:
        return out
    kv.fill_norms(force=True)  # vectors changed since the last epoch
    for word in probe_words:
        if word in kv.key_to_index:
            out[word] = [(w, round(float(s), 4)) for w, s in kv.most_similar(word, topn=topn)]
    return out


class _EpochReporter:
    """gensim callback: per-epoch timing, loss delta, drift, progress, cancellation."""

    def __init__(self, epochs, corpus_tokens, progress, cancel, probe_words, has_loss):
        self.epochs = epochs
        self.corpus_tokens = corpus_tokens
        self.progress = progress
        self.cancel = cancel
        self.probe_words = list(probe_words)
        self.has_loss = has_loss
        self.history: list[dict] = []
        self.epoch = 0
        self.started = time.monotonic()
        self._epoch_started = self.started
        self._last_loss = 0.0

    # gensim calls these by name (CallbackAny2Vec's protocol)
    def on_train_begin(self, model):
        self.started = time.monotonic()

    def on_train_end(self, model):
        pass

    def on_epoch_begin(self, model):
        self._epoch_started = time.monotonic()
        if self.cancel is not None and self.cancel.cancelled:
            raise Cancelled("Training cancelled by the user; no model was saved.")

    # Batch callbacks run in gensim's worker threads: raising there would hang training,
    # so cancellation is handled by the sentence file's iteration (see SentenceFile).
    def on_batch_begin(self, model):
        pass

    def on_batch_end(self, model):
        pass

    def on_epoch_end(self, model):
        now = time.monotonic()
        self.epoch += 1
        epoch_s = now - self._epoch_started
        elapsed = now - self.started
        loss = None
        if self.has_loss:
            total = float(model.get_latest_training_loss())
            loss = total - self._last_loss
            self._last_loss = total
        row = {
            "epoch": self.epoch,
            "epoch_s": round(epoch_s, 3),
            "elapsed_s": round(elapsed, 3),
            "remaining_s": round(elapsed / self.epoch * (self.epochs - self.epoch), 3),
            "words_per_s": round(self.corpus_tokens / epoch_s) if epoch_s > 0 else None,
            "loss": loss,
            "drift": _probe_neighbours(model.wv, self.probe_words),
        }
        self.history.append(row)
        report(
            self.progress,
            Progress(
                "epoch",
                self.epoch,
                self.epochs,
                f"epoch {self.epoch}/{self.epochs}, {row['words_per_s'] or 0:,} words/s",
                row,
            ),
        )
        if self.cancel is not None and self.cancel.cancelled:
            raise Cancelled("Training cancelled by the user; no model was saved.")


def _train_gensim(
    corpus: PreparedCorpus,
    algorithm: str,
    params,
    progress,
    cancel,
    probe_words,
    reproducible=False,
):
    from gensim.models import FastText, Word2Vec

    kwargs = dataclasses.asdict(params)
    if reproducible:
        kwargs["hashfxn"] = stable_hash
    epochs = kwargs.pop("epochs")
    if algorithm == "fasttext":
        model = FastText(**kwargs)
    else:
        model = Word2Vec(**kwargs)
    report(progress, Progress("vocab", 0, None, "building the vocabulary"))
    # Re-read every epoch; a set cancel token ends the pass early (see SentenceFile).
    sentences = SentenceFile(corpus.path, cancel)
    model.build_vocab(sentences)
    if not model.wv.index_to_key:
        raise TrainingError(
            f"No word occurs at least min_count={params.min_count} times in the corpus "
            f"({corpus.stats.tokens:,} tokens); lower min_count or use a larger corpus."
        )
    reporter = _EpochReporter(
        epochs, corpus.stats.tokens, progress, cancel, probe_words, has_loss=algorithm == "word2vec"
    )
    effective, raw = model.train(
        sentences,
        total_examples=model.corpus_count,
        epochs=epochs,
        callbacks=[reporter],
        compute_loss=algorithm == "word2vec",
    )
    syn1neg = None
    if algorithm == "word2vec" and params.negative > 0:
        syn1neg = np.asarray(model.syn1neg, dtype=np.float32).copy()
    stats = {"effective_words": int(effective), "raw_words": int(raw)}
    return model.wv, reporter.history, syn1neg, stats


def _train_glove(corpus: PreparedCorpus, params: GloVeParams, progress, cancel, probe_words):
    try:
        from .glove import train_glove
    except ImportError:
        raise TrainingError("The GloVe trainer is not available in this installation.") from None
    kv, history = train_glove(
        corpus.path, **dataclasses.asdict(params), progress=progress, cancel=cancel
    )
    if probe_words and history:
        history[-1]["drift"] = _probe_neighbours(kv, probe_words)
    return kv, history, None, {}


def train_model(
    corpus: PreparedCorpus,
    algorithm: str,
    params: dict | Word2VecParams | GloVeParams | None = None,
    name: str = "model",
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    probe_words: Sequence[str] = (),
    *,
    reproducible: bool = False,
) -> TrainResult:
    """Train ``algorithm`` on ``corpus`` and return vectors, card and history.

    Parameters
    ----------
    corpus : PreparedCorpus
        A sentence file with its statistics.
    algorithm : {"word2vec", "fasttext", "glove"}
    params : dict or a params dataclass, optional
        Hyper-parameters; missing ones take the defaults of :data:`PARAMS`.
    name : str
        The name written into the card.
    progress, cancel :
        Progress callback and cancellation token (checked at epoch boundaries).
    probe_words : sequence of str
        Words whose nearest neighbours are recorded after every epoch (drift).
    reproducible : bool
        One worker thread, the parameters' seed and a process-independent string hash:
        the same corpus and parameters give the same vectors every time (see
        :mod:`embeddings.train.reproducible`). Slower on several cores.

    Raises
    ------
    TrainingError
        Bad parameters, or no word reaches min_count.
    ResourceLimitError
        The memory estimate (:func:`~embeddings.train.estimate.estimate_training`) exceeds
        the memory budget; nothing was allocated.
    Cancelled
        ``cancel`` was set; nothing is returned.
    """
    if isinstance(params, dict) or params is None:
        params = make_params(algorithm, **(params or {}))
    else:
        params.validate()
    if reproducible:
        params = reproducible_params(params)
    # Refuse before gensim or the co-occurrence counter allocate anything.
    estimate = estimate_training(corpus.stats, algorithm, params)
    check_memory(estimate.memory, f"Training {algorithm} on {corpus.name}")
    started = time.monotonic()
    if algorithm == "glove":
        kv, history, syn1neg, stats = _train_glove(corpus, params, progress, cancel, probe_words)
    elif algorithm in ("word2vec", "fasttext"):
        kv, history, syn1neg, stats = _train_gensim(
            corpus, algorithm, params, progress, cancel, probe_words, reproducible
        )
    else:
        raise TrainingError(
            f"Unknown algorithm {algorithm!r}; choose one of {', '.join(ALGORITHMS)}."
        )
    seconds = time.monotonic() - started
    min_count = params.min_count
    card = ModelCard(
        name=name,
        algorithm=algorithm,
        parameters=dataclasses.asdict(params),
        corpus=corpus.card_info(min_count),
        training_seconds=round(seconds, 3),
        source="trained",
        notes={
            **stats,
            "loss": (
                "per-epoch difference of gensim's running loss (sum over sampled pairs)"
                if algorithm == "word2vec"
                else "mean weighted squared error per co-occurrence entry"
                if algorithm == "glove"
                else "gensim reports no loss for FastText"
            ),
            "history": [{k: v for k, v in row.items() if k != "drift"} for row in history],
        },
    )
    if reproducible:
        card.notes["reproducible"] = REPRODUCIBLE_NOTE
    return TrainResult(kv, card, history, syn1neg)


def train_and_store(
    store: ModelStore,
    corpus: PreparedCorpus,
    algorithm: str,
    params: dict | None = None,
    name: str = "model",
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    probe_words: Sequence[str] = (),
    overwrite: bool = False,
    *,
    reproducible: bool = False,
) -> TrainResult:
    """Train, then save atomically into ``store`` under ``name`` (checked before training).

    ``reproducible`` is :func:`train_model`'s.

    Word2Vec's output weights (negative sampling) are kept with the vectors as the store
    extra ``"syn1neg"`` (inside the same atomic save): the concepts page scores word
    pairs with them.
    """
    name = validate_name(name)
    if store.exists(name) and not overwrite:
        raise EmbeddingsError(f"A model named {name!r} already exists; pick another name.")
    result = train_model(
        corpus, algorithm, params, name, progress, cancel, probe_words, reproducible=reproducible
    )
    if cancel is not None and cancel.cancelled:
        raise Cancelled("Training cancelled by the user; no model was saved.")
    report(progress, Progress("save", 0, None, f"{len(result.kv):,} words as {name}"))
    return store_result(store, result, overwrite=overwrite)


def store_result(
    store: ModelStore, result: TrainResult, name: str | None = None, overwrite: bool = False
) -> TrainResult:
    """Save a trained ``result`` (vectors, card, output weights) atomically into ``store``.

    ``name`` renames it first (default: the card's name). When the name was taken
    meanwhile (another session saved a model under it), the :class:`NameTakenError`
    raised carries the unsaved ``result`` and a free ``suggestion``, so a finished
    training is never lost: ``store_result(store, exc.result, exc.suggestion)`` keeps it.
    """
    if name is not None:
        result.card.name = validate_name(name)
    extras = {SYN1NEG: result.syn1neg} if result.syn1neg is not None else None
    try:
        result.card = store.save(result.kv, result.card, overwrite=overwrite, extras=extras)
    except NameTakenError as exc:
        exc.result = result  # nothing trained is lost: the caller can save it as exc.suggestion
        raise
    return result
