"""Documents as vectors built from word vectors: three weighting schemes (mean,
TF-IDF-weighted mean, SIF). Reading document sets is :mod:`embeddings.documents.sets`;
searching them by these vectors is :mod:`embeddings.documents.index`.

The chapter's book recommender averages the word vectors of each document and ranks
documents by cosine similarity; its classifier averages embeddings too. This module does
both on real data, and says which documents had no known word instead of dropping them.
:class:`DocumentVectorizer` is a scikit-learn transformer, so it goes into a
``Pipeline`` and through ``cross_validate`` like any other.

Example
-------
>>> from gensim.models import KeyedVectors
>>> import numpy as np
>>> kv = KeyedVectors(2)
>>> kv.add_vectors(["cat", "dog"], np.array([[1, 0], [0, 1]], dtype=np.float32))
>>> dv = DocumentVectorizer(kv, method="mean").fit([["cat", "dog"], ["cat"]])
>>> dv.transform([["cat", "dog", "unicorn"], ["unicorn"]]).tolist()
[[0.5, 0.5], [0.0, 0.0]]
>>> dv.coverage([["cat", "dog", "unicorn"], ["unicorn"]]).known_tokens.tolist()
[2, 0]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ..errors import EmbeddingsError
from ..progress import CancelToken, Progress, ProgressCallback, check_cancel, report
from .methods import METHOD_LABELS, METHODS  # noqa: F401 - METHOD_LABELS for callers
from .sets import DocumentSet

REPORT_EVERY = 200  # documents between progress events (and cancellation checks)
DOCUMENT_CHAR_BYTES = 14


# ----------------------------------------------------------------------- vectorising
@dataclass
class DocumentCoverage:
    """How many tokens of each document the model knew.

    Example
    -------
    >>> c = DocumentCoverage(np.array([2, 0]), np.array([3, 1]))
    >>> c.empty.tolist(), c.share
    ([1], 0.5)
    """

    known_tokens: np.ndarray  # (n_documents,) int
    total_tokens: np.ndarray  # (n_documents,) int

    @property
    def empty(self) -> np.ndarray:
        """Indices of documents with no known word (their vector is all zeros)."""
        return np.flatnonzero(self.known_tokens == 0)

    @property
    def share(self) -> float:
        """Share of all tokens the model knew."""
        total = int(self.total_tokens.sum())
        return float(self.known_tokens.sum()) / total if total else 0.0


class DocumentVectorizer(TransformerMixin, BaseEstimator):
    """Turn token lists into document vectors from a word-vector model (a scikit-learn
    transformer: ``fit`` learns the weights, ``transform`` returns a float32 matrix).

    Parameters
    ----------
    kv : gensim KeyedVectors
        The word vectors. Only in-vocabulary words are used (a FastText model's
        subword vectors for unknown words are not, so all three methods see the same words).
        :func:`sklearn.base.clone` shares them instead of copying them (they are read,
        never written, and can take hundreds of megabytes).
    method : {"mean", "tfidf", "sif"}
        ``mean``: the average of the known words' vectors (the chapter's method).
        ``tfidf``: the average weighted by tf x idf, idf learned in :meth:`fit`
        (smooth idf, ``ln((1+n)/(1+df)) + 1``, as scikit-learn).
        ``sif``: smooth inverse frequency, weight ``a / (a + p(w))`` with ``p(w)`` the
        word's relative frequency (from the model's counts when it has them, else from
        the documents given to :meth:`fit`), then the projection on the first principal
        component of the fitted documents' vectors is removed (Arora et al., 2017).
    sif_a : float
        The SIF smoothing constant ``a`` (positive).

    Attributes
    ----------
    idf_ : dict[str, float]
        Learned inverse document frequencies (every method learns them; tfidf uses them).
    word_prob_ : dict[str, float] | None
        Word probabilities used by SIF (None for the other methods).
    principal_component_ : ndarray | None
        The unit vector removed by SIF (None when fewer than two fitted documents had a
        known word, or for the other methods).
    coverage_ : DocumentCoverage
        Known and total tokens of each document given to :meth:`fit`.
    unknown_words_ : collections.Counter
        Tokens of the fitted documents that the model does not know, with their counts.

    Notes
    -----
    ``X`` is a sequence of token lists (see :func:`tokenize_documents`), not raw strings,
    so texts are tokenized once however many folds or methods use them.
    """

    def __init__(self, kv, method: str = "mean", sif_a: float = 1e-3):
        self.kv = kv
        self.method = method
        self.sif_a = sif_a

    def __sklearn_clone__(self):
        from sklearn.base import clone

        # BaseEstimator's clone deep-copies every parameter, the whole model included.
        params = self.get_params(deep=False)
        kv = params.pop("kv")
        return type(self)(kv=kv, **{k: clone(v, safe=False) for k, v in params.items()})

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags

    def _check_params(self) -> None:
        if self.method not in METHODS:
            raise EmbeddingsError(
                f"Unknown method {self.method!r}; choose one of {', '.join(METHODS)}."
            )
        if not self.sif_a > 0:
            raise EmbeddingsError(f"sif_a must be positive, not {self.sif_a!r}.")
        if not hasattr(self.kv, "key_to_index") or not hasattr(self.kv, "vectors"):
            raise EmbeddingsError("DocumentVectorizer needs word vectors (a KeyedVectors) as kv.")

    def fit(self, X: Sequence[Sequence[str]], y=None) -> DocumentVectorizer:
        """Learn what the method needs from the documents (idf, SIF weights, component).

        Parameters
        ----------
        X : sequence of token lists
        y : ignored

        Returns
        -------
        self
        """
        self._check_params()
        token_lists = _token_lists(X)
        n = len(token_lists)
        df: Counter = Counter()
        tf_all: Counter = Counter()
        for tokens in token_lists:
            df.update(set(tokens))
            tf_all.update(tokens)
        self.idf_ = {w: float(np.log((1 + n) / (1 + c)) + 1.0) for w, c in df.items()}
        key_to_index = self.kv.key_to_index
        self.unknown_words_ = Counter({w: c for w, c in tf_all.items() if w not in key_to_index})
        self.coverage_ = self.coverage(token_lists)
        self.word_prob_ = None
        self.principal_component_ = None
        if self.method == "sif":
            self.word_prob_ = self._word_probabilities(tf_all)
            raw = self._weighted_means(token_lists)
            nonzero = raw[np.any(raw != 0, axis=1)]
            if len(nonzero) >= 2:
                # First right-singular vector of the (uncentred) document matrix, as SIF does.
                _, _, vt = np.linalg.svd(nonzero.astype(np.float64), full_matrices=False)
                self.principal_component_ = vt[0].astype(np.float32)
        return self

    def coverage(self, X: Sequence[Sequence[str]]) -> DocumentCoverage:
        """Known and total tokens of each document (needs no fitting).

        A document with no known token gets an all-zero vector from :meth:`transform`.
        """
        key_to_index = self.kv.key_to_index
        token_lists = _token_lists(X)
        known = [sum(t in key_to_index for t in tokens) for tokens in token_lists]
        total = [len(tokens) for tokens in token_lists]
        return DocumentCoverage(
            np.asarray(known, dtype=np.int64), np.asarray(total, dtype=np.int64)
        )

    def _word_probabilities(self, corpus_counts: Counter) -> dict[str, float]:
        kv = self.kv
        counts = {}
        if "count" in getattr(kv, "expandos", {}):
            counts = {w: int(kv.get_vecattr(w, "count")) for w in kv.index_to_key}
        if not counts or sum(counts.values()) <= 0:
            counts = dict(corpus_counts)
        total = float(sum(counts.values())) or 1.0
        return {w: c / total for w, c in counts.items()}

    def _weights(self, tokens: Sequence[str]) -> tuple[list[int], np.ndarray]:
        key_to_index = self.kv.key_to_index
        idx = [key_to_index[t] for t in tokens if t in key_to_index]
        if not idx:
            return idx, np.zeros(0, dtype=np.float32)
        if self.method == "mean":
            return idx, np.ones(len(idx), dtype=np.float32)
        known = [t for t in tokens if t in key_to_index]
        if self.method == "tfidf":
            # Each occurrence carries its word's idf, so a word's total weight is tf x idf.
            return idx, np.asarray([self.idf_.get(t, 1.0) for t in known], dtype=np.float32)
        a = self.sif_a
        probs = self.word_prob_ or {}
        return idx, np.asarray([a / (a + probs.get(t, 0.0)) for t in known], dtype=np.float32)

    def _weighted_means(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        vectors = np.zeros((len(token_lists), self.kv.vector_size), dtype=np.float32)
        matrix = self.kv.vectors
        for i, tokens in enumerate(token_lists):
            idx, weights = self._weights(tokens)
            if idx and weights.sum() > 0:
                vectors[i] = weights @ matrix[idx] / weights.sum()
        return vectors

    def transform(self, X: Sequence[Sequence[str]]) -> np.ndarray:
        """Vectors for the documents, shape ``(n_documents, kv.vector_size)``, float32.

        Documents with no known word get an all-zero row (see :meth:`coverage`).
        """
        check_is_fitted(self)
        token_lists = _token_lists(X)
        vectors = self._weighted_means(token_lists)
        pc = self.principal_component_
        if self.method == "sif" and pc is not None:
            vectors -= np.outer(vectors @ pc, pc)
            # Keep empty documents at exactly zero, so they stay recognisably empty.
            vectors[self.coverage(token_lists).known_tokens == 0] = 0.0
        return vectors


def _token_lists(X) -> list:
    """``X`` as a list of token lists; a bare string is refused rather than split into letters."""
    docs = None if isinstance(X, str) else list(X)
    if docs is None or any(isinstance(doc, str) for doc in docs):
        raise EmbeddingsError(
            "DocumentVectorizer takes token lists, not strings: split the texts with "
            "tokenize_documents first."
        )
    return docs


def tokenize_documents(
    texts: Iterable[str],
    tokenizer: str = "simple",
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> list[list[str]]:
    """Tokenize texts with one of the lab's tokenizers.

    ``progress`` hears a ``"tokenize"`` event every :data:`REPORT_EVERY` documents, and
    ``cancel`` is checked as often.
    """
    from ..corpus.tokenize import get_tokenizer, tokenize_batches

    tok = get_tokenizer(tokenizer)
    texts = list(texts)
    out: list[list[str]] = []
    # Batches (the Korean tokenizer's trips to its worker) end on report boundaries, so
    # cancel is checked and progress heard every REPORT_EVERY documents as before.
    for start in range(0, len(texts), REPORT_EVERY):
        check_cancel(cancel)
        if progress is not None:
            report(
                progress,
                Progress("tokenize", start, len(texts), f"{start:,} of {len(texts):,} documents"),
            )
        for tokens in tokenize_batches(tok, texts[start : start + REPORT_EVERY]):
            out.extend(tokens)
    if progress is not None:
        report(progress, Progress("tokenize", len(texts), len(texts), f"{len(texts):,} documents"))
    return out


def transform_documents(
    vectorizer: DocumentVectorizer,
    tokens: Sequence[Sequence[str]],
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> np.ndarray:
    """``vectorizer.transform(tokens)``, :data:`REPORT_EVERY` documents at a time, with
    ``"docvec"`` progress events and cancellation between the blocks (every document's
    vector depends on the fitted weights only, so blocks give the same rows, up to
    float32 rounding)."""
    n = len(tokens)
    blocks = []
    for start in range(0, n, REPORT_EVERY):
        check_cancel(cancel)
        report(progress, Progress("docvec", start, n, f"{start:,} of {n:,} documents"))
        blocks.append(vectorizer.transform(tokens[start : start + REPORT_EVERY]))
    report(progress, Progress("docvec", n, n, f"{n:,} documents"))
    if not blocks:
        return np.zeros((0, vectorizer.kv.vector_size), dtype=np.float32)
    return np.vstack(blocks)


def document_memory_estimate(docs: DocumentSet, dim: int, copies: int = 3) -> int:
    """Bytes that tokenizing ``docs`` and turning them into ``dim``-dimensional vectors
    hold at the peak: about 14 bytes a character of text for the token lists (measured
    on the bundled wiki and Lee sets: 12.8 and 14.5) and ``copies`` float32 matrices of
    document vectors.

    >>> document_memory_estimate(DocumentSet(["a b c"], ["t"]), dim=100)
    1049846
    """
    chars = sum(len(text) for text in docs.texts)
    return (1 << 20) + DOCUMENT_CHAR_BYTES * chars + copies * len(docs) * dim * 4
