"""Importing a vectors file into the store, streamed: rows go straight to ``vectors.npy``.

:func:`~.loading.load_vectors` builds the whole matrix in memory (gensim
``KeyedVectors``), and saving it writes it again. An import does not need the matrix in
memory at all: each parsed block of rows is appended to the new entry's ``vectors.npy``
(whose header is written once the row count is known), normalised to ``unit.npy`` and
measured into ``norms.npy`` in the same pass, and the vocabulary is written as the
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

from ..progress import CancelToken, Progress, ProgressCallback, report
from .loading import load_vectors, parse_rows, prepare_load
from .search import norms_and_unit
from .store import ModelCard, ModelStore, _now_iso
from .store_format import NORMS_FILE, UNIT_FILE, VECTORS_NPY, write_format
from .store_vocab import write_words

HEADER_BYTES = 128  # a 2-d float32 .npy header, whatever the row count (numpy pads it)


def _npy_header(rows: int, dim: int) -> bytes:
    buffer = io.BytesIO()
    header = {"descr": "<f4", "fortran_order": False, "shape": (rows, dim)}
    np.lib.format.write_array_header_1_0(buffer, header)
    return buffer.getvalue()


class _NpyRows:
    """Rows appended to a float32 ``.npy`` file whose header is written at :meth:`close`."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._file = open(self.path, "wb")  # noqa: SIM115 - closed in close()/discard()
        self._file.write(b"\0" * HEADER_BYTES)

    def write(self, block: np.ndarray) -> None:
        self._file.write(memoryview(np.ascontiguousarray(block, dtype="<f4")).cast("B"))

    def close(self, rows: int, dim: int) -> None:
        header = _npy_header(rows, dim)
        if len(header) != HEADER_BYTES:
            raise ValueError(f"unexpected .npy header length {len(header)}")
        self._file.seek(0)
        self._file.write(header)
        self._file.close()

    def discard(self) -> None:
        if not self._file.closed:
            self._file.close()


class EntrySink:
    """A store entry's matrices written as the rows come: each block goes to
    ``vectors.npy`` and, normalised, to ``unit.npy``, its lengths to ``norms.npy``.

    One pass: the rows are never read back (an import used to write the vectors, then
    map them to compute the unit copy, reading 3.4 GiB again at 3,000,000 x 300).
    """

    def __init__(self, directory: Path):
        directory = Path(directory)
        self.rows = 0
        self._vectors = _NpyRows(directory / VECTORS_NPY)
        try:
            self._unit = _NpyRows(directory / UNIT_FILE)
        except BaseException:
            self._vectors.discard()
            raise
        self._norms_path = directory / NORMS_FILE
        self._norms: list[np.ndarray] = []

    def write(self, block: np.ndarray) -> None:
        """Append ``block`` (rows, dim)."""
        if not len(block):
            return
        block = np.asarray(block, dtype=np.float32)
        norms, unit = norms_and_unit(block)
        self._vectors.write(block)
        self._unit.write(unit)
        self._norms.append(norms)
        self.rows += len(block)

    def close(self, dim: int) -> None:
        """Write the headers and the lengths."""
        for rows in (self._vectors, self._unit):
            rows.close(self.rows, dim)
        norms = np.concatenate(self._norms) if self._norms else np.zeros(0, np.float32)
        np.save(self._norms_path, norms.astype(np.float32, copy=False))

    def discard(self) -> None:
        for rows in (self._vectors, self._unit):
            rows.discard()


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
        sink = EntrySink(tmp)
        try:
            collector = parse_rows(path, fmt, budget, limit, encoding, progress, cancel, sink)
            _, words = collector.finish()
            sink.close(collector.dim)
        except BaseException:
            sink.discard()  # the temporary folder itself goes with the failed entry
            raise
        rows = len(words)
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
