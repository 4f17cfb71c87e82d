"""Importing a vectors file into the store, streamed: rows go straight to ``vectors.npy``.

:func:`~.loading.load_vectors` builds the whole matrix in memory (gensim
``KeyedVectors``), and saving it writes it again. An import does not need the matrix in
memory at all: each parsed block of rows is appended to the new entry's ``vectors.npy``
(whose header is written once the row count is known), the norms and unit vectors are
computed from the mapped file a block at a time, and the vocabulary is written as the
store's blob files. Memory stays near the vocabulary's own size (a few hundred bytes a
word, checked against the memory budget as rows come in) whatever the dimension, and
the file is read once.

FastText ``.bin`` models (their n-gram matrix comes from gensim's reader) and stores
that check room before saving (workspaces) take the in-memory path and are saved as
usual; the resulting entry is the same.

Example
-------
>>> import tempfile, os
>>> from embeddings.vectors.store import ModelStore
>>> folder = tempfile.mkdtemp()
>>> path = os.path.join(folder, "tiny.txt")
>>> _ = open(path, "w").write("2 2\\nthe 0.1 0.2\\ncat 0.3 0.4\\n")
>>> card = import_vectors(path, ModelStore(os.path.join(folder, "models")), name="tiny")
>>> card.name, card.vocab_size, card.vector_size
('tiny', 2, 2)
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np

from ..progress import CancelToken, Progress, ProgressCallback, check_cancel, report
from .loading import load_vectors, parse_rows, prepare_load
from .store import ModelCard, ModelStore, _now_iso
from .store_arrays import map_array
from .store_format import VECTORS_NPY, write_format, write_norms_and_unit
from .store_vocab import write_words

HEADER_BYTES = 128  # a 2-d float32 .npy header, whatever the row count (numpy pads it)


def _npy_header(rows: int, dim: int) -> bytes:
    buffer = io.BytesIO()
    header = {"descr": "<f4", "fortran_order": False, "shape": (rows, dim)}
    np.lib.format.write_array_header_1_0(buffer, header)
    return buffer.getvalue()


class NpyRowSink:
    """Rows appended to a float32 ``.npy`` file whose header is written at :meth:`close`."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.rows, self.dim = 0, None
        self._file = open(self.path, "wb")  # noqa: SIM115 - closed in close()
        self._file.write(b"\0" * HEADER_BYTES)

    def write(self, block: np.ndarray) -> None:
        """Append ``block`` (rows, dim): float32, little-endian."""
        if not len(block):
            return
        block = np.ascontiguousarray(block, dtype="<f4")
        if self.dim is None:
            self.dim = int(block.shape[1])
        self._file.write(memoryview(block).cast("B"))
        self.rows += len(block)

    def close(self, dim: int) -> np.ndarray:
        """Write the header; return the file mapped read-only as a (rows, dim) array."""
        header = _npy_header(self.rows, dim)
        if len(header) != HEADER_BYTES:
            raise ValueError(f"unexpected .npy header length {len(header)}")
        self._file.seek(0)
        self._file.write(header)
        self._file.close()
        return map_array(self.path)

    def discard(self) -> None:
        if not self._file.closed:
            self._file.close()


def _streams(store) -> bool:
    """Whether ``store`` takes a streamed entry: a plain store, not one that checks room
    (a workspace) or combines stores before saving."""
    return isinstance(store, ModelStore) and type(store).save is ModelStore.save


def import_vectors(
    path: str | os.PathLike,
    store: ModelStore,
    format: str = "auto",
    *,
    name: str | None = None,
    limit: int | None = None,
    overwrite: bool = False,
    source: str | None = None,
    encoding: str = "utf-8",
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    max_inflated_bytes: int | None = None,
) -> ModelCard:
    """Import the vectors file ``path`` into ``store``; return the stored model's card.

    The same formats, checks, notes and warnings as :func:`~.loading.load_vectors`
    (``limit`` keeps the first N words), and the same entry as loading then
    :meth:`ModelStore.save`; see the module docstring for how the rows are streamed.
    ``source`` names the file in the card (an upload's original name).

    Raises
    ------
    NameTakenError
        Before anything is read, when ``name`` is taken and ``overwrite`` is False.
    """
    path = Path(path)
    fmt, compression, card, budget = prepare_load(path, format, name, max_inflated_bytes)
    if source is not None:
        card.source = source
    if fmt == "fasttext-bin" or not _streams(store):
        kv, loaded = load_vectors(
            path,
            fmt,
            name=card.name,
            limit=limit,
            encoding=encoding,
            progress=progress,
            cancel=cancel,
            max_inflated_bytes=max_inflated_bytes,
        )
        loaded.source = card.source
        return store.save(kv, loaded, overwrite=overwrite)

    def write(tmp: Path) -> None:
        size = path.stat().st_size
        report(progress, Progress("load", 0, size, f"reading {path.name} ({fmt})"))
        sink = NpyRowSink(tmp / VECTORS_NPY)
        try:
            collector = parse_rows(path, fmt, budget, limit, encoding, progress, cancel, sink)
            _, words = collector.finish()
        except BaseException:
            sink.discard()
            raise
        vectors = sink.close(collector.dim)
        rows = len(words)
        report(progress, Progress("unit", 0, rows, "computing unit vectors"))

        def tick(done: int, total: int) -> None:
            check_cancel(cancel)
            report(progress, Progress("unit", done, total, f"unit vectors: {done:,} of {total:,}"))

        write_norms_and_unit(vectors, tmp, tick)
        del vectors
        write_words(words, tmp)
        write_format(
            tmp, {"kind": "keyedvectors", "count": rows, "dim": collector.dim, "attrs": []}
        )
        card.notes = {
            "format": fmt,
            "compression": compression,
            **collector.notes(),
            "warnings": collector.warnings,
        }
        card.vector_size, card.vocab_size, card.has_subwords = collector.dim, rows, False

    card.created = card.created or _now_iso()
    card = store.write_entry(card, write, overwrite)
    size = path.stat().st_size
    report(
        progress, Progress("load", size, size, f"stored {card.vocab_size:,} × {card.vector_size}")
    )
    return card
