"""Documents as vectors built from word vectors: three weighting schemes (mean,
TF-IDF-weighted mean, SIF) and exact nearest-document search. Reading document sets
is :mod:`embeddings.documents.sets`.

The chapter's book recommender averages the word vectors of each document and ranks
documents by cosine similarity; its classifier averages embeddings too. This module does
both on real data, and says which documents had no known word instead of dropping them.

Example
-------
>>> from gensim.models import KeyedVectors
>>> import numpy as np
>>> kv = KeyedVectors(2)
>>> kv.add_vectors(["cat", "dog"], np.array([[1, 0], [0, 1]], dtype=np.float32))
>>> dv = DocumentVectorizer(kv, method="mean").fit([["cat", "dog"], ["cat"]])
>>> dv.transform([["cat", "dog", "unicorn"], ["unicorn"]]).vectors.tolist()
[[0.5, 0.5], [0.0, 0.0]]
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..errors import EmbeddingsError
from .sets import DocumentSet, snippet_title

METHODS = ("mean", "tfidf", "sif")
METHOD_LABELS = {
    "mean": "Mean of word vectors",
    "tfidf": "TF-IDF-weighted mean",
    "sif": "SIF (a/(a+p(w)) weights, first principal component removed)",
}


# ----------------------------------------------------------------------- vectorising
@dataclass
class DocumentVectors:
    """Document vectors plus how many tokens of each document the model knew."""

    vectors: np.ndarray  # (n_documents, dim) float32; all-zero rows for empty documents
    known_tokens: np.ndarray  # (n_documents,) int
    total_tokens: np.ndarray  # (n_documents,) int
    method: str = "mean"

    @property
    def empty(self) -> np.ndarray:
        """Indices of documents with no known word (their vector is all zeros)."""
        return np.flatnonzero(self.known_tokens == 0)

    @property
    def coverage(self) -> float:
        """Share of all tokens the model knew."""
        total = int(self.total_tokens.sum())
        return float(self.known_tokens.sum()) / total if total else 0.0


class DocumentVectorizer:
    """Turn token lists into document vectors from a word-vector model.

    Parameters
    ----------
    kv : gensim KeyedVectors
        The word vectors. Only in-vocabulary words are used (a FastText model's
        subword vectors for unknown words are not, so all three methods see the same words).
    method : {"mean", "tfidf", "sif"}
        ``mean``: the average of the known words' vectors (the chapter's method).
        ``tfidf``: the average weighted by tf x idf, idf learned in :meth:`fit`
        (smooth idf, ``ln((1+n)/(1+df)) + 1``, as scikit-learn).
        ``sif``: smooth inverse frequency, weight ``a / (a + p(w))`` with ``p(w)`` the
        word's relative frequency (from the model's counts when it has them, else from
        the documents given to :meth:`fit`), then the projection on the first principal
        component of the fitted documents' vectors is removed (Arora et al., 2017).
    sif_a : float
        The SIF smoothing constant ``a``.

    Attributes
    ----------
    idf_ : dict[str, float]
        Learned inverse document frequencies (tfidf).
    word_prob_ : dict[str, float] | None
        Word probabilities used by SIF.
    principal_component_ : ndarray | None
        The unit vector removed by SIF.
    """

    def __init__(self, kv, method: str = "mean", sif_a: float = 1e-3):
        if method not in METHODS:
            raise EmbeddingsError(f"Unknown method {method!r}; choose one of {', '.join(METHODS)}.")
        self.kv = kv
        self.method = method
        self.sif_a = sif_a

    def fit(self, token_lists: Sequence[Sequence[str]]) -> DocumentVectorizer:
        """Learn what the method needs from the documents (idf, SIF weights, component)."""
        n = len(token_lists)
        df: Counter = Counter()
        tf_all: Counter = Counter()
        for tokens in token_lists:
            df.update(set(tokens))
            tf_all.update(tokens)
        self.idf_ = {w: float(np.log((1 + n) / (1 + c)) + 1.0) for w, c in df.items()}
        self.word_prob_ = None
        self.principal_component_ = None
        if self.method == "sif":
            self.word_prob_ = self._word_probabilities(tf_all)
            raw = self._weighted_means(token_lists).vectors
            nonzero = raw[np.any(raw != 0, axis=1)]
            if len(nonzero) >= 2:
                # First right-singular vector of the (uncentred) document matrix, as SIF does.
                _, _, vt = np.linalg.svd(nonzero.astype(np.float64), full_matrices=False)
                self.principal_component_ = vt[0].astype(np.float32)
        return self

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

    def _weighted_means(self, token_lists: Sequence[Sequence[str]]) -> DocumentVectors:
        vectors = np.zeros((len(token_lists), self.kv.vector_size), dtype=np.float32)
        known = np.zeros(len(token_lists), dtype=np.int64)
        total = np.zeros(len(token_lists), dtype=np.int64)
        matrix = self.kv.vectors
        for i, tokens in enumerate(token_lists):
            total[i] = len(tokens)
            idx, weights = self._weights(tokens)
            known[i] = len(idx)
            if idx and weights.sum() > 0:
                vectors[i] = weights @ matrix[idx] / weights.sum()
        return DocumentVectors(vectors, known, total, self.method)

    def transform(self, token_lists: Sequence[Sequence[str]]) -> DocumentVectors:
        """Vectors for the documents (call :meth:`fit` first)."""
        if not hasattr(self, "idf_"):
            raise EmbeddingsError("DocumentVectorizer.transform called before fit.")
        out = self._weighted_means(token_lists)
        pc = self.principal_component_
        if self.method == "sif" and pc is not None:
            out.vectors -= np.outer(out.vectors @ pc, pc)
            out.vectors[out.known_tokens == 0] = 0.0
        return out

    def fit_transform(self, token_lists: Sequence[Sequence[str]]) -> DocumentVectors:
        return self.fit(token_lists).transform(token_lists)


def tokenize_documents(texts: Iterable[str], tokenizer: str = "simple") -> list[list[str]]:
    """Tokenize texts with one of the lab's tokenizers."""
    from ..corpus.tokenize import get_tokenizer

    tok = get_tokenizer(tokenizer)
    return [tok(t) for t in texts]


# -------------------------------------------------------------------------- searching
@dataclass
class DocumentMatch:
    index: int
    title: str
    similarity: float
    snippet: str
    label: str | None = None


@dataclass
class DocumentIndex:
    """Exact cosine search over document vectors; the normalised matrix is built once.

    Documents with no known word have a zero vector and never match.
    """

    docs: DocumentSet
    vectors: DocumentVectors
    _normed: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        v = self.vectors.vectors.astype(np.float32, copy=True)
        norms = np.linalg.norm(v, axis=1, keepdims=True)
        np.divide(v, norms, out=v, where=norms > 0)
        self._normed = v

    def _top(self, scores: np.ndarray, topn: int, exclude: int | None) -> list[DocumentMatch]:
        scores = scores.copy()
        scores[self.vectors.known_tokens == 0] = -np.inf
        if exclude is not None:
            scores[exclude] = -np.inf
        k = min(topn, int(np.isfinite(scores).sum()))
        if k <= 0:
            return []
        part = np.argpartition(-scores, k - 1)[:k]
        order = part[np.argsort(-scores[part], kind="stable")]
        labels = self.docs.labels
        return [
            DocumentMatch(
                int(i),
                self.docs.titles[i],
                float(scores[i]),
                snippet_title(self.docs.texts[i], 30),
                labels[i] if labels else None,
            )
            for i in order
        ]

    def similar_to(self, title_or_index: str | int, topn: int = 5) -> list[DocumentMatch]:
        """The ``topn`` documents closest to one of the set (itself excluded)."""
        if isinstance(title_or_index, str):
            try:
                i = self.docs.titles.index(title_or_index)
            except ValueError:
                close = [t for t in self.docs.titles if title_or_index.lower() in t.lower()][:5]
                hint = f"; titles containing it: {', '.join(close)}" if close else ""
                raise EmbeddingsError(f"No document titled {title_or_index!r}{hint}.") from None
        else:
            i = int(title_or_index)
        if self.vectors.known_tokens[i] == 0:
            raise EmbeddingsError(
                f"Document {self.docs.titles[i]!r} has no word the model knows, so it has no vector."
            )
        return self._top(self._normed @ self._normed[i], topn, exclude=i)

    def query(self, vector: np.ndarray, topn: int = 5) -> list[DocumentMatch]:
        """The ``topn`` documents closest to a vector (e.g. a typed text's vector)."""
        norm = float(np.linalg.norm(vector))
        if norm == 0:
            raise EmbeddingsError("The text has no word the model knows; try other words.")
        return self._top(self._normed @ (vector / norm).astype(np.float32), topn, exclude=None)


def stored_document_vectors(
    store, model_name: str, kv, docs: DocumentSet, method: str, tokenizer: str = "simple"
) -> DocumentVectors:
    """Document vectors kept with the model in the store: computed once, then read back.

    The file name holds the document set's fingerprint, the method and the tokenizer, so a
    different set or setting never reads stale vectors. Only ``.npz`` arrays are read
    (``allow_pickle=False``).
    """
    from ..vectors.store import atomic_write_bytes

    path = store.extra_path(model_name, f"docvec-{docs.fingerprint()}-{method}-{tokenizer}.npz")
    if path.exists():
        with np.load(path, allow_pickle=False) as data:
            return DocumentVectors(data["vectors"], data["known"], data["total"], method)
    tokens = tokenize_documents(docs.texts, tokenizer)
    out = DocumentVectorizer(kv, method).fit_transform(tokens)
    buf = io.BytesIO()
    np.savez(buf, vectors=out.vectors, known=out.known_tokens, total=out.total_tokens)
    atomic_write_bytes(path, buf.getvalue())
    return out
