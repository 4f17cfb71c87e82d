"""Word-word co-occurrence statistics: counting, PPMI and GloVe probability ratios.

:func:`count_cooccurrences` reads a sentence file (or a list of token lists), builds a
vocabulary (``min_count``, ``max_vocab``; ids are frequency ranks) and counts, for each
word, the words within ``window`` positions in the same sentence. A pair at distance
``d`` adds ``1/d`` (``weighting="harmonic"``, the GloVe reference) or 1
(``weighting="count"``, as in textbook tables). Out-of-vocabulary words are dropped
before windowing, as the GloVe reference does.

Example (the three-sentence corpus of the textbook chapter, window 1)
-------
>>> sents = [s.split() for s in ["I like deep learning", "I like NLP", "I enjoy flying"]]
>>> co = count_cooccurrences(sents, window=1, weighting="count")
>>> co.table(["I", "like", "enjoy"]).tolist()
[[0.0, 2.0, 1.0], [2.0, 0.0, 0.0], [1.0, 0.0, 0.0]]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from ..errors import CorpusError, UnknownWordError
from ..progress import CancelToken, Progress, ProgressCallback, check_cancel, report
from . import cooccurrence_kernels as kern
from .sentences import SentenceFile

WEIGHTINGS = ("count", "harmonic")
DIRECTIONS = ("both", "left", "right")
CHUNK_CHARS = 1 << 22
CHUNK_SENTENCES = 20_000
DENSE_SIZE = 1024


@dataclass
class Cooccurrence:
    """A co-occurrence matrix over a vocabulary.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix
        ``matrix[i, j]`` = weighted count of word ``j`` near word ``i`` (float32 values,
        int32 indices).
    words : list of str
        The vocabulary, most frequent first (ties in order of first appearance).
    counts : numpy.ndarray
        Corpus frequency of each word (int64).
    window, weighting, direction : int, str, str
        How it was counted.
    tokens : int
        Running tokens read (in-vocabulary or not).
    """

    matrix: sp.csr_matrix
    words: list[str]
    counts: np.ndarray
    window: int
    weighting: str
    direction: str
    tokens: int

    def __post_init__(self) -> None:
        self.index = {w: i for i, w in enumerate(self.words)}

    @property
    def nnz(self) -> int:
        """Number of distinct (word, context) entries."""
        return int(self.matrix.nnz)

    def ids(self, words: Iterable[str]) -> list[int]:
        """Vocabulary ids of ``words``; raises :class:`UnknownWordError` for a missing one."""
        out = []
        for w in words:
            if w not in self.index:
                raise UnknownWordError(
                    w,
                    f"{w!r} is not in the co-occurrence vocabulary ({len(self.words):,} words);"
                    " check the spelling and case, or lower min_count.",
                )
            out.append(self.index[w])
        return out

    def table(self, words: list[str], weighting: str = "raw") -> np.ndarray:
        """Dense ``len(words) x len(words)`` block, rows and columns in the given order.

        ``weighting="ppmi"`` returns positive pointwise mutual information computed
        with the marginals of the whole matrix; ``"raw"`` the stored values.
        """
        ids = self.ids(words)
        source = self.ppmi() if weighting == "ppmi" else self.matrix
        return source[ids][:, ids].toarray().astype(np.float64)

    def ppmi(
        self, progress: ProgressCallback | None = None, cancel: CancelToken | None = None
    ) -> sp.csr_matrix:
        """Positive PMI: ``max(0, log(X_ij * total / (X_i. * X_.j)))`` on the stored entries.

        ``progress`` hears one ``"ppmi"`` event; ``cancel`` is checked before the work.
        """
        check_cancel(cancel)
        report(progress, Progress("ppmi", 0, None, f"{self.nnz:,} entries"))
        coo = self.matrix.tocoo()
        rows = np.asarray(self.matrix.sum(axis=1)).ravel().astype(np.float64)
        cols = np.asarray(self.matrix.sum(axis=0)).ravel().astype(np.float64)
        total = rows.sum()
        pmi = np.log(coo.data * total / (rows[coo.row] * cols[coo.col]))
        keep = pmi > 0
        out = sp.csr_matrix(
            (pmi[keep].astype(np.float32), (coo.row[keep], coo.col[keep])),
            shape=self.matrix.shape,
        )
        return out

    def probability_ratios(self, word_i: str, word_j: str, probes: list[str]) -> list[dict]:
        """GloVe's table: ``P(k|i)``, ``P(k|j)`` and their ratio for each probe word ``k``.

        ``P(k|i) = X_ik / sum_m X_im``. The ratio is ``inf`` when ``P(k|j) = 0`` and
        ``P(k|i) > 0`` and ``nan`` when both are zero.
        """
        i, j = self.ids([word_i, word_j])
        ks = self.ids(probes)
        row_i = self.matrix[i].toarray().ravel().astype(np.float64)
        row_j = self.matrix[j].toarray().ravel().astype(np.float64)
        si, sj = row_i.sum(), row_j.sum()
        out = []
        for word, k in zip(probes, ks, strict=True):
            pi = row_i[k] / si if si else 0.0
            pj = row_j[k] / sj if sj else 0.0
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = float(np.float64(pi) / np.float64(pj))
            out.append({"k": word, "P(k|i)": pi, "P(k|j)": pj, "ratio": ratio})
        return out


def weighting_function(x: np.ndarray | float, x_max: float = 100.0, alpha: float = 0.75):
    """GloVe's weight ``f(x) = (x / x_max) ** alpha`` for ``x < x_max``, else 1.

    >>> weighting_function(np.array([0.0, 10.0, 100.0, 1000.0]), x_max=100, alpha=1.0).tolist()
    [0.0, 0.1, 1.0, 1.0]
    """
    x = np.asarray(x, dtype=np.float64)
    return np.where(x < x_max, (np.clip(x, 0, None) / x_max) ** alpha, 1.0)


# ----------------------------------------------------------------------------- input


def _file_chunks(path: Path, progress, cancel, first_pass: bool = False) -> Iterator[str]:
    """Blocks of whole lines of a sentence file, with progress over both passes (the
    vocabulary pass is the first half of the bar)."""
    sentences = SentenceFile(path, cancel)
    total = sentences.size
    done = 0
    for block in sentences.blocks(CHUNK_CHARS):
        done += len(block)
        yield block
        if progress is not None:
            step = min(done, total) + (0 if first_pass else total)
            label = "vocabulary" if first_pass else "counting pairs"
            report(progress, Progress("cooccur", step, 2 * total, label))


def _list_chunks(sentences: list[list[str]]) -> Iterator[list[list[str]]]:
    for start in range(0, len(sentences), CHUNK_SENTENCES):
        yield sentences[start : start + CHUNK_SENTENCES]


def _chunk_tokens(chunk, is_file: bool) -> list[str]:
    """Tokens of a chunk with ``"\\n"`` markers between sentences."""
    if is_file:
        return chunk.replace("\n", " \n ").split(" ")
    out: list[str] = []
    for sent in chunk:
        out.extend(sent)
        out.append("\n")
    return out


def _chunk_counts(chunk, is_file: bool) -> Counter:
    if is_file:
        return Counter(chunk.split())
    c: Counter = Counter()
    for sent in chunk:
        c.update(sent)
    return c


def build_vocabulary(
    source: str | Path | list[list[str]],
    min_count: int = 1,
    max_vocab: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> tuple[list[str], np.ndarray, int]:
    """Words seen at least ``min_count`` times (at most ``max_vocab``, most frequent first).

    Returns ``(words, counts, running_tokens)``.
    """
    is_file = not isinstance(source, list)
    counts: Counter = Counter()
    chunks = _file_chunks(Path(source), progress, cancel, True) if is_file else _list_chunks(source)
    for chunk in chunks:
        counts.update(_chunk_counts(chunk, is_file))
    tokens = sum(counts.values())
    kept = [(w, c) for w, c in counts.most_common() if c >= min_count]
    if max_vocab is not None:
        kept = kept[:max_vocab]
    words = [w for w, _ in kept]
    return words, np.array([c for _, c in kept], dtype=np.int64), tokens


def check_counting_options(weighting: str, direction: str, window: int) -> None:
    """Refuse an unknown weighting or direction, or a window below 1 (any engine)."""
    if weighting not in WEIGHTINGS:
        raise CorpusError(
            f"Unknown weighting {weighting!r}; choose one of {', '.join(WEIGHTINGS)}."
        )
    if direction not in DIRECTIONS:
        raise CorpusError(
            f"Unknown direction {direction!r}; choose one of {', '.join(DIRECTIONS)}."
        )
    if window < 1:
        raise CorpusError("The window must be at least 1.")


def chosen_vocabulary(words, counts, vocabulary, min_count: int):
    """``(words, counts)`` to count: the counted vocabulary, or exactly ``vocabulary`` (in
    its order, with the corpus counts); a clear error when no word is left (any engine)."""
    if vocabulary is not None:
        freq = dict(zip(words, counts.tolist(), strict=True))
        words = list(dict.fromkeys(vocabulary))
        counts = np.array([freq.get(w, 0) for w in words], dtype=np.int64)
    if not words:
        raise CorpusError(
            f"No word occurs at least {min_count} times; lower min_count or use a larger corpus."
        )
    return words, counts


def count_cooccurrences(
    source: str | Path | list[list[str]],
    window: int = 10,
    weighting: str = "harmonic",
    direction: str = "both",
    min_count: int = 1,
    max_vocab: int | None = None,
    vocabulary: list[str] | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> Cooccurrence:
    """Count word-context co-occurrences in a sentence file or a list of token lists.

    Parameters
    ----------
    source : path or list of list of str
        A sentence file (one sentence per line, tokens separated by spaces) or token lists.
    window : int
        Context words on each side (pairs never cross a sentence boundary).
    weighting : {"harmonic", "count"}
        A pair at distance d adds 1/d or 1.
    direction : {"both", "left", "right"}
        Symmetric window, or only the words before / after the centre word.
    min_count, max_vocab : int
        Vocabulary limits (ignored when ``vocabulary`` is given).
    vocabulary : list of str, optional
        Use exactly these words (in this order) instead of counting a vocabulary.
    progress, cancel
        Progress events (stage ``"cooccur"``) and cancellation, checked between chunks.

    Returns
    -------
    Cooccurrence
    """
    check_counting_options(weighting, direction, window)
    is_file = not isinstance(source, list)
    if is_file and not Path(source).is_file():
        raise CorpusError(f"No corpus file at {source}; prepare a corpus first.")
    limit = 1 if vocabulary is not None else min_count
    words, counts, tokens = build_vocabulary(source, limit, max_vocab, progress, cancel)
    words, counts = chosen_vocabulary(words, counts, vocabulary, min_count)
    vocab = {w: i for i, w in enumerate(words)}
    vocab["\n"] = kern.SENTENCE_BREAK
    get = vocab.get
    v = len(words)
    dense_size = min(DENSE_SIZE, v)
    dense = np.zeros((dense_size, dense_size), dtype=np.float64)
    cap = 1 << 16
    keys = np.full(cap, -1, dtype=np.int64)
    vals = np.zeros(cap, dtype=np.float64)
    used = 0
    harmonic = weighting == "harmonic"
    chunks = _file_chunks(Path(source), progress, cancel) if is_file else _list_chunks(source)
    for chunk in chunks:
        toks = _chunk_tokens(chunk, is_file)
        ids = np.array([get(t, -1) for t in toks], dtype=np.int32)
        ids = ids[ids != -1]
        pos = 0
        while pos < len(ids):
            shift = 64 - (cap.bit_length() - 1)
            pos, used = kern.count_pairs(
                ids,
                pos,
                window,
                harmonic,
                v,
                dense,
                dense_size,
                keys,
                vals,
                used,
                shift,
                int(cap * 0.6),
            )
            if pos < len(ids):
                cap *= 2
                new_keys = np.full(cap, -1, dtype=np.int64)
                new_vals = np.zeros(cap, dtype=np.float64)
                kern.rehash(keys, vals, new_keys, new_vals, 64 - (cap.bit_length() - 1))
                keys, vals = new_keys, new_vals
        check_cancel(cancel)
    rows, cols, data = kern.collect(keys, vals, dense, v, used)
    left = sp.coo_matrix((data, (rows, cols)), shape=(v, v)).tocsr()
    if direction == "both":
        mat = left + left.T
    elif direction == "left":
        mat = left
    else:
        mat = left.T
    mat = sp.csr_matrix(mat, dtype=np.float32)
    mat.sort_indices()
    mat.indices = mat.indices.astype(np.int32, copy=False)
    mat.indptr = mat.indptr.astype(np.int32, copy=False)
    return Cooccurrence(mat, words, counts, window, weighting, direction, tokens)


def compile_kernels() -> None:
    """Compile the counting kernels ahead of their first use, with the argument types
    :func:`count_cooccurrences` passes (numba loads them from its on-disk cache when it
    can). Later calls find them ready and never wait for numba's process-wide compiler
    lock, which another library's compilation may hold for a long time.

    >>> compile_kernels()
    >>> len(kern.rehash.signatures) >= 1
    True
    """
    count_cooccurrences([["a", "b", "a"]], window=1, weighting="count")
    # The hash table only grows on large corpora: compile its rehash with the types of
    # the table count_pairs just used (keys, values, shift).
    for sig in kern.count_pairs.signatures:
        keys, vals, shift = sig[7], sig[8], sig[10]
        kern.rehash.compile((keys, vals, keys, vals, shift))
