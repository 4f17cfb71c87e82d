"""Approximate nearest neighbours for big vocabularies: an HNSW graph, re-ranked exactly.

Exact search reads the whole matrix for every query (memory-bandwidth bound: about
11-20 ms at 400,000 x 300 here, over 100 ms at 3,000,000 x 300). An HNSW graph
(usearch, chosen by measurement against faiss: see ``bench/bench_ann.py`` and
``bench/RESULTS.md``) visits a few thousand vectors instead. The graph stores
vectors quantised to 8 bits, so its answers are approximate twice over (graph search
and quantisation); :func:`search` therefore asks the graph for a generous candidate list
and re-ranks it with the exact float32 unit vectors, so every score it returns is the
exact cosine and the order is exact among the candidates.

The index is built once (in the background, with progress and cancel), saved beside
the model, and opened memory-mapped (``view``), so every process shares one copy.

Example
-------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> unit = rng.standard_normal((500, 16)).astype(np.float32)
>>> unit /= np.linalg.norm(unit, axis=1, keepdims=True)
>>> index = build_index(unit)
>>> ids, scores = search(index, unit, unit[7], k=3)
>>> int(ids[0]), round(float(scores[0]), 5)
(7, 1.0)
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..errors import EmbeddingsError, FormatError
from ..progress import CancelToken, Progress, ProgressCallback, check_cancel, report
from .exact_rows import nearest_rows

INDEX_FILE = "neighbours.usearch"
# Below this many words exact search takes a few milliseconds: no index is offered.
MIN_INDEX_WORDS = 50_000
# Graph parameters: measured on real and synthetic 300-d vectors (bench/bench_ann.py).
CONNECTIVITY = 16
EXPANSION_ADD = 128
EXPANSION_SEARCH = 128
QUANTISATION = "i8"
BATCH = 20_000


@dataclass
class IndexInfo:
    """What a stored index is and how good it is (kept in the model card)."""

    library: str
    quantisation: str
    connectivity: int
    expansion_add: int
    expansion_search: int
    words: int
    build_seconds: float
    recall_at_10: float | None = None
    recall_sample: int = 0
    size_bytes: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


def _usearch():
    try:
        from usearch.index import Index
    except ImportError:  # pragma: no cover - usearch is in requirements.txt
        raise EmbeddingsError(
            "Approximate search needs the usearch package: pip install -r requirements.txt."
        ) from None
    return Index


def build_index(
    unit: np.ndarray,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    threads: int | None = None,
    quantisation: str = QUANTISATION,
    connectivity: int = CONNECTIVITY,
    expansion_add: int = EXPANSION_ADD,
):
    """An HNSW graph over the rows of ``unit`` (L2-normalised float32), keys = row ids.

    Rows are added in batches of :data:`BATCH` so progress is reported and a cancel is
    honoured between batches (raising :class:`~embeddings.errors.Cancelled`).
    """
    Index = _usearch()
    n, dim = unit.shape
    index = Index(
        ndim=dim,
        metric="ip",
        dtype=quantisation,
        connectivity=connectivity,
        expansion_add=expansion_add,
        expansion_search=EXPANSION_SEARCH,
    )
    threads = threads or os.cpu_count() or 1
    started = time.monotonic()
    for start in range(0, n, BATCH):
        check_cancel(cancel)
        stop = min(n, start + BATCH)
        block = np.ascontiguousarray(unit[start:stop], dtype=np.float32)
        index.add(np.arange(start, stop, dtype=np.uint64), block, threads=threads)
        elapsed = time.monotonic() - started
        report(
            progress,
            Progress(
                "index",
                stop,
                n,
                f"{stop:,} of {n:,} words in the graph",
                {"elapsed_s": elapsed, "remaining_s": elapsed / stop * (n - stop)},
            ),
        )
    return index


def save_index(index, path: str | Path) -> int:
    """Write ``index`` to ``path`` atomically (temporary file + rename); return its size."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        index.save(tmp)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path.stat().st_size


def open_index(path: str | Path):
    """Map a saved index from disk (read-only, shared by every process)."""
    Index = _usearch()
    path = Path(path)
    try:
        index = Index.restore(str(path), view=True)
    except (RuntimeError, ValueError, OSError) as exc:
        raise FormatError(f"The neighbour index {path.name} cannot be read ({exc}).") from None
    if index is None:
        raise FormatError(f"The neighbour index {path.name} is not a usearch index.")
    index.expansion_search = EXPANSION_SEARCH
    return index


def candidate_count(k: int, size: int) -> int:
    """How many graph candidates to re-rank for a top-``k`` answer."""
    return min(size, max(64, 4 * k))


def search(
    index, unit: np.ndarray, query: np.ndarray, k: int, exclude=(), restrict: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Ids and exact cosines of the ``k`` best rows for the unit vector ``query``.

    ``exclude`` ids are dropped; ``restrict`` keeps only ids below it (the most frequent
    words), as exact search does. When the graph cannot supply enough candidates (a
    tiny ``restrict``), the caller should fall back to exact search.
    """
    excluded = {int(i) for i in exclude}
    want = candidate_count(k + len(excluded), len(index))
    if want * 2 >= len(index):
        # Half the vocabulary or more: reading every row is as cheap, and exact.
        ids = np.arange(len(unit) if restrict is None else min(restrict, len(unit)))
    else:
        matches = index.search(np.asarray(query, dtype=np.float32), want, threads=1)
        ids = np.asarray(matches.keys, dtype=np.int64)
    keep = [i for i in ids if i not in excluded and (restrict is None or i < restrict)]
    if not keep:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    ids = np.asarray(keep, dtype=np.int64)
    scores = unit[ids] @ np.asarray(query, dtype=np.float32)
    order = np.argsort(-scores, kind="stable")[:k]
    return ids[order], scores[order].astype(np.float32)


def measure_recall(
    index,
    unit: np.ndarray,
    k: int = 10,
    sample: int = 1000,
    seed: int = 0,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> float:
    """recall@k of :func:`search` against exact search on ``sample`` random words.

    Each sampled word is its own query; the word itself is excluded from both lists, so
    this is the recall a user sees when asking for a word's neighbours (``k`` at most the
    vocabulary less one). The exact search reports ``"recall"`` progress and honours
    ``cancel`` between its batches.
    """
    rng = np.random.default_rng(seed)
    n = len(unit)
    ids = rng.choice(n, size=min(sample, n), replace=False)
    truth = nearest_rows(unit, ids, k, progress, cancel, stage="recall")
    k = truth.shape[1]
    if not k:
        return 1.0
    hits = 0
    for row, word in enumerate(ids):
        got, _ = search(index, unit, unit[word], k, exclude=(word,))
        hits += len(set(truth[row].tolist()) & {int(i) for i in got})
    return hits / (len(ids) * k)
