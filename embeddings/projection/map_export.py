"""Files made from a stored map: the Projector's files with the map's own coordinates as
a bookmark, and a selection of its words (CSV, bookmark, word list).

Example
-------
>>> files = map_projector_files(kv, opened, "lee", {"cluster": clusters})  # doctest: +SKIP
>>> sorted(files)                                                           # doctest: +SKIP
['lee_bookmarks.json', 'lee_coordinates.csv', 'lee_metadata.tsv', 'lee_tensor.tsv', ...]
"""

from __future__ import annotations

import csv
import io
import json

import numpy as np

from ..vectors.export import (
    check_prefix,
    clean_token,
    coordinates_csv,
    metadata_tsv,
    projector_config,
    projector_rows,
    tensor_tsv,
)
from .map_view import bookmarks_bytes, map_bookmark


def map_projector_files(
    kv, stored, prefix: str, columns: dict | None = None, selected=None
) -> dict[str, bytes]:
    """The Projector files of map ``stored`` (a :class:`.map_info.StoredMap`) by name.

    Tensor and metadata TSVs (word, count and ``columns``, each aligned with the map's
    words), a bookmarks file whose first view shows the map's coordinates as its
    method's projection (and a second the ``selected`` point ids, when given), the
    config pointing at all three, and the coordinates CSV. Words empty once cleaned
    for a TSV cell are left out of every file alike.
    """
    prefix = check_prefix(clean_token(prefix).replace(" ", "_") or "embeddings")
    words = stored.words
    keep = [i for i, w in enumerate(words) if clean_token(w)]
    cols = {"count": None}
    for name, values in (columns or {}).items():
        cols[name] = [values[i] for i in keep]
    rows = projector_rows(kv, words=[words[i] for i in keep], columns=cols)
    coords = np.asarray(stored.coords)[keep]
    shape = rows.vectors.shape
    marks = [
        map_bookmark(
            f"{stored.info.method} map {stored.info.name}", shape, coords, stored.info.method
        )
    ]
    if selected is not None and len(selected):
        position = {old: new for new, old in enumerate(keep)}
        ids = [position[i] for i in selected if i in position]
        marks.append(
            map_bookmark(f"selection of {len(ids)} words", shape, coords, stored.info.method, ids)
        )
    bookmarks = f"{prefix}_bookmarks.json"
    config = projector_config(prefix, shape, bookmarks)
    return {
        f"{prefix}_tensor.tsv": tensor_tsv(rows.vectors),
        f"{prefix}_metadata.tsv": metadata_tsv(rows),
        bookmarks: bookmarks_bytes(marks),
        "projector_config.json": json.dumps(config, indent=2).encode("utf-8"),
        f"{prefix}_coordinates.csv": coordinates_csv(rows.words, coords),
    }


def selection_csv(words, coords, selected, columns: dict | None = None) -> bytes:
    """CSV of the selected point ids: word, x, y[, z] and ``columns`` (aligned with the
    map's words; a column may be a dict of point id to value, for the ones it has)."""
    coords = np.asarray(coords)
    axes = ["x", "y", "z"][: coords.shape[1]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["word", *axes, *(columns or {})])
    for i in selected:
        extra = [
            values.get(i, "") if isinstance(values, dict) else values[i]
            for values in (columns or {}).values()
        ]
        writer.writerow([words[i], *(f"{float(v):.6g}" for v in coords[i]), *extra])
    return out.getvalue().encode("utf-8")


def selection_bookmark(stored, selected, dim: int) -> bytes:
    """A Projector bookmarks file selecting ``selected`` on map ``stored``'s coordinates;
    point ids are rows of the map's Projector export (:func:`map_projector_files`)."""
    coords = np.asarray(stored.coords)
    mark = map_bookmark(
        f"selection of {len(selected)} words",
        (len(coords), dim),
        coords,
        stored.info.method,
        selected,
    )
    return bookmarks_bytes([mark])


def word_list_text(words) -> bytes:
    """The words one per line: the Projection page's word list reads it (upload or
    paste); the Neighbours page's word boxes take the same words comma-separated."""
    return ("\n".join(words) + "\n").encode("utf-8")
