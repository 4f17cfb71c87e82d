"""A stored vocabulary map as CSV: ``word,x,y[,z]``, one row per mapped word, byte-exact.

>>> export_map_csv(store, "crawl-300d", "all-umap", "map.csv")   # doctest: +SKIP
1000000
"""

from __future__ import annotations

import csv
import io
import os
import uuid
from pathlib import Path

import numpy as np

from .maps import open_map


def _number(value: np.float32) -> str:
    # The shortest text that reads back as the same float32 ("0.1", "-2.0", "1e-08").
    return str(value)


def map_csv_lines(words: list[str], coords: np.ndarray, chunk: int = 50_000):
    """The CSV of a map in pieces of bytes: header ``word,x,y[,z]``, one row per word.

    Coordinates are written as the shortest decimal that reads back as the same
    float32; words are quoted only when they need it (commas, quotes, line breaks).

    >>> b"".join(map_csv_lines(["a", "b,c"], np.array([[0.1, -2], [1e-8, 3.5]], np.float32)))
    b'word,x,y\\na,0.1,-2.0\\n"b,c",1e-08,3.5\\n'
    """
    axes = ["x", "y", "z"][: coords.shape[1]]
    for start in range(0, max(len(words), 1), chunk):
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        if start == 0:
            writer.writerow(["word", *axes])
        block = np.asarray(coords[start : start + chunk], dtype=np.float32)
        for word, row in zip(words[start : start + chunk], block, strict=True):
            writer.writerow([word, *map(_number, row)])
        yield buf.getvalue().encode("utf-8")


def export_map_csv(store, model: str, name: str, out: str | os.PathLike) -> int:
    """Write map ``name`` of ``model`` as CSV (see :func:`map_csv_lines`) to ``out``.

    The file is written through a temporary file and renamed, so ``out`` is whole or
    untouched. Returns the number of rows written.
    """
    opened = open_map(store, model, name)
    out = Path(out)
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "wb") as fh:
            for piece in map_csv_lines(opened.words, opened.coords):
                fh.write(piece)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return len(opened.words)
