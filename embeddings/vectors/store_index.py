"""A stored model's neighbour index: built in the background, kept in the model's entry.

:func:`build_model_index` builds the HNSW graph (:mod:`embeddings.vectors.ann`) over the
model's stored unit vectors, measures its recall@10 against exact search on 1,000 random
words, writes the index into the entry atomically and records what it is in the card
(``card.notes["index"]``). Every later load opens it memory-mapped and neighbour queries
use it (re-ranked exactly; ``exact=True`` bypasses it). Rewriting the model's vectors
replaces the whole entry, so an index never outlives the vectors it was built for.

Example
-------
>>> info = build_model_index(store, "crawl-300d-2M", progress=bar)   # doctest: +SKIP
>>> info.recall_at_10                                                 # doctest: +SKIP
0.97
"""

from __future__ import annotations

import time

from ..budget import check_memory
from ..errors import EmbeddingsError
from ..progress import CancelToken, Progress, ProgressCallback, report
from . import ann
from .search import vector_index

# Bytes of graph per word beyond its 8-bit vector (M=16 links on the base layer and above).
_GRAPH_BYTES_PER_WORD = 200


def index_memory_estimate(words: int, dim: int) -> int:
    """Bytes an index build holds: the 8-bit vectors plus the graph's links."""
    return words * (dim + _GRAPH_BYTES_PER_WORD)


def build_model_index(
    store,
    name: str,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    recall_sample: int = 1000,
) -> ann.IndexInfo:
    """Build, measure and store the neighbour index of model ``name``; return its info.

    Raises
    ------
    ResourceLimitError
        The build would exceed the memory budget.
    SharedModelError
        ``store`` is a workspace's view and ``name`` a shared model (its folder is not
        the workspace's to write into).
    Cancelled
        ``cancel`` was set; nothing was written.
    """
    refuse_shared = getattr(store, "refuse_shared", None)
    if refuse_shared is not None:
        refuse_shared(name, "indexed")
    kv, card = store.load(name)
    unit = vector_index(kv).unit
    words, dim = unit.shape
    if words < 2:
        raise EmbeddingsError(f"{name!r} has {words} word(s): there is nothing to index.")
    check_memory(index_memory_estimate(words, dim), f"Indexing {name!r} ({words:,} words)")
    started = time.monotonic()
    index = ann.build_index(unit, progress=progress, cancel=cancel)
    seconds = time.monotonic() - started
    report(progress, Progress("recall", 0, None, f"recall@10 on {recall_sample:,} random words"))
    recall = ann.measure_recall(
        index, unit, k=10, sample=recall_sample, progress=progress, cancel=cancel
    )
    if cancel is not None:
        cancel.check()
    size = ann.save_index(index, store.path(name) / ann.INDEX_FILE)
    info = ann.IndexInfo(
        library="usearch",
        quantisation=ann.QUANTISATION,
        connectivity=ann.CONNECTIVITY,
        expansion_add=ann.EXPANSION_ADD,
        expansion_search=ann.EXPANSION_SEARCH,
        words=words,
        build_seconds=round(seconds, 1),
        recall_at_10=round(recall, 4),
        recall_sample=min(recall_sample, words),
        size_bytes=size,
    )
    card = store.load_card(name)
    card.notes = {**(card.notes or {}), "index": info.to_dict()}
    store.update_card(card)
    return info
