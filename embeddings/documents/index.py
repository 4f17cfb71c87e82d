"""Exact nearest-document search over document vectors, and building it for a model.

:func:`build_document_index` tokenizes a document set, fits a
:class:`~embeddings.documents.vectors.DocumentVectorizer` on it and returns a
:class:`DocumentIndex` (cosine search) with the vectorizer (to turn a typed text into a
query), with progress and cancellation; given a model store, the document vectors are
kept beside the model and read back the next time.

Example
-------
>>> from gensim.models import KeyedVectors
>>> kv = KeyedVectors(2)
>>> kv.add_vectors(["cat", "dog"], np.array([[1, 0], [0, 1]], dtype=np.float32))
>>> docs = DocumentSet(["cat cat", "dog", "cat dog"], ["a", "b", "c"])
>>> index, vectorizer = build_document_index(kv, docs, "mean", "whitespace")
>>> [m.title for m in index.similar_to("a", 2)]
['c', 'b']
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import numpy as np

from ..errors import EmbeddingsError
from ..progress import CancelToken, Progress, ProgressCallback, report
from .sets import DocumentSet, snippet_title
from .vectors import DocumentCoverage, DocumentVectorizer, tokenize_documents, transform_documents


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

    Parameters
    ----------
    docs : DocumentSet
    vectors : ndarray
        One row per document (:meth:`DocumentVectorizer.transform`).
    coverage : DocumentCoverage
        Known tokens per document (:meth:`DocumentVectorizer.coverage`).
    """

    docs: DocumentSet
    vectors: np.ndarray
    coverage: DocumentCoverage
    _normed: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        v = np.asarray(self.vectors, dtype=np.float32).copy()
        norms = np.linalg.norm(v, axis=1, keepdims=True)
        np.divide(v, norms, out=v, where=norms > 0)
        self._normed = v

    def _top(self, scores: np.ndarray, topn: int, exclude: int | None) -> list[DocumentMatch]:
        scores = scores.copy()
        scores[self.coverage.known_tokens == 0] = -np.inf
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
        if self.coverage.known_tokens[i] == 0:
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
    store,
    model_name: str,
    vectorizer: DocumentVectorizer,
    docs: DocumentSet,
    tokenizer: str,
    tokens: list[list[str]] | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> tuple[np.ndarray, DocumentCoverage]:
    """Vectors and coverage of ``docs``, kept with the model in the store: computed once,
    then read back.

    ``vectorizer`` is fitted on ``docs`` split by ``tokenizer`` (``tokens``, when the
    caller has them already). The file name holds the document set's fingerprint, the
    method and the tokenizer, so a different set or setting never reads stale vectors.
    Only ``.npz`` arrays are read (``allow_pickle=False``).
    """
    from ..vectors.store import atomic_write_bytes

    method = vectorizer.method
    path = store.extra_path(model_name, f"docvec-{docs.fingerprint()}-{method}-{tokenizer}.npz")
    if path.exists():
        with np.load(path, allow_pickle=False) as data:
            return data["vectors"], DocumentCoverage(data["known"], data["total"])
    if tokens is None:
        tokens = tokenize_documents(docs.texts, tokenizer, progress, cancel)
    vectors = transform_documents(vectorizer, tokens, progress, cancel)
    coverage = vectorizer.coverage(tokens)
    buf = io.BytesIO()
    np.savez(buf, vectors=vectors, known=coverage.known_tokens, total=coverage.total_tokens)
    atomic_write_bytes(path, buf.getvalue())
    return vectors, coverage


def build_document_index(
    kv,
    docs: DocumentSet,
    method: str = "mean",
    tokenizer: str = "simple",
    store=None,
    model_name: str | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> tuple[DocumentIndex, DocumentVectorizer]:
    """The search index of ``docs`` for the word vectors ``kv``, and its fitted vectorizer.

    Parameters
    ----------
    kv : KeyedVectors
    docs : DocumentSet
    method, tokenizer : str
        The weighting scheme (see :data:`~embeddings.documents.vectors.METHODS`) and the
        tokenizer (the one the model's corpus used).
    store, model_name : optional
        With a :class:`~embeddings.vectors.store.ModelStore` and the stored model's name,
        the vectors are kept beside the model (see :func:`stored_document_vectors`).
    progress, cancel
        ``"tokenize"``, ``"fit"`` and ``"docvec"`` events; cancellation between blocks
        of documents.
    """
    tokens = tokenize_documents(docs.texts, tokenizer, progress, cancel)
    report(progress, Progress("fit", 0, None, f"{method} weights of {len(docs):,} documents"))
    vectorizer = DocumentVectorizer(kv, method).fit(tokens)
    if store is not None and model_name is not None:
        vectors, coverage = stored_document_vectors(
            store, model_name, vectorizer, docs, tokenizer, tokens, progress, cancel
        )
    else:
        vectors = transform_documents(vectorizer, tokens, progress, cancel)
        coverage = vectorizer.coverage_
    return DocumentIndex(docs, vectors, coverage), vectorizer
