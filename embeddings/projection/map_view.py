"""What a browser needs to draw a stored map: compact arrays, colours, clusters and each
word's true neighbours in the full space.

The points of a map travel as one binary blob (:func:`pack_arrays`): float32 x and y,
the words as UTF-8 text, counts as uint32 and colour codes as uint16 — about 14 bytes
plus the word per point, some 2 MB for 100,000 words, sent once per map and colouring.
Points keep the map's order, which is the model's order (most frequent first), so the
browser labels "the most frequent words in view" by taking the first points in view.

Example
-------
>>> blob, layout = pack_arrays({"x": np.zeros(3, np.float32), "words": "a\\nb\\nc"})
>>> layout
{'x': [0, 3, 'f32'], 'words': [12, 5, 'utf8']}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np

from ..errors import EmbeddingsError
from ..progress import Progress, check_cancel, report
from ..vectors.exact_rows import nearest_rows
from ..vectors.search import vector_index
from .map_density import density_lines
from .sampling import frequency_bands, word_counts

# Exact hover neighbours cost (words x vocabulary x dimensions) multiply-adds; this bounds
# the precomputed set so opening a map stays within seconds on two cores.
HOVER_BUDGET = 1e10
HOVER_MIN, HOVER_MAX = 200, 5_000
MAX_CATEGORIES = 20  # more distinct values: the rarest are shown as "(other)"
OTHER, MISSING = "(other)", "(not in the file)"
_KINDS = {np.float32: "f32", np.uint32: "u32", np.uint16: "u16"}


def pack_arrays(parts: dict) -> tuple[bytes, dict]:
    """Concatenate arrays (float32, uint32, uint16) and strings (UTF-8) into one blob.

    Returns the blob and its layout ``{name: [byte offset, length, kind]}``: the length
    counts elements for arrays and bytes for text; every part starts 4-byte aligned, so
    the browser reads it with typed-array views without copying.
    """
    chunks, layout, offset = [], {}, 0
    for name, value in parts.items():
        if isinstance(value, str):
            data, kind = value.encode("utf-8"), "utf8"
            length = len(data)
        else:
            arr = np.ascontiguousarray(value)
            kind = _KINDS.get(arr.dtype.type)
            if kind is None:
                raise EmbeddingsError(f"Cannot pack {name!r} of type {arr.dtype}.")
            data, length = arr.astype(arr.dtype.newbyteorder("<")).tobytes(), len(arr)
        layout[name] = [offset, length, kind]
        pad = (-len(data)) % 4
        chunks.append(data + b"\0" * pad)
        offset += len(data) + pad
    return b"".join(chunks), layout


def point_ids(values, words: int) -> list[int]:
    """The point ids among ``values`` (from a browser: anything but an int from 0 to
    ``words`` less one, bools included, is left out), in their order.

    >>> point_ids([3, -1, 7, True, 2.0, "1", 0], words=5)
    [3, 0]
    """
    return [v for v in values if type(v) is int and 0 <= v < words]


def words_text(words: list[str]) -> str:
    """The words one per line (a line break inside a token becomes a space)."""
    return "\n".join(w.replace("\n", " ").replace("\r", " ") for w in words)


@dataclass
class Colouring:
    """Colours of a map's points: ``kind`` ``"category"`` (``codes`` index ``names``),
    ``"numeric"`` (``values``, NaN where unknown) or ``"none"``."""

    title: str
    kind: str = "none"
    codes: np.ndarray | None = None
    names: list[str] = field(default_factory=list)
    values: np.ndarray | None = None

    def parts(self) -> dict:
        """The arrays :func:`pack_arrays` sends for this colouring."""
        if self.kind == "category":
            return {"colour": np.asarray(self.codes, dtype=np.uint16)}
        if self.kind == "numeric":
            return {"colour": np.asarray(self.values, dtype=np.float32)}
        return {}


def categories(labels: list[str], title: str) -> Colouring:
    """A categorical colouring; past :data:`MAX_CATEGORIES` values the rarest are OTHER.

    >>> c = categories(["b", "a", "b"], "letter")
    >>> c.names, c.codes.tolist()
    (['b', 'a'], [0, 1, 0])
    """
    values, counts = np.unique(np.asarray(labels, dtype=object).astype(str), return_counts=True)
    order = [str(values[i]) for i in np.argsort(-counts, kind="stable")]
    keep = order[:MAX_CATEGORIES] if len(order) <= MAX_CATEGORIES else order[: MAX_CATEGORIES - 1]
    names = sorted(keep, key=lambda v: (v in (OTHER, MISSING), order.index(v)))
    if len(keep) < len(order):
        names.append(OTHER)
    index = {n: i for i, n in enumerate(names)}
    codes = np.array([index.get(str(v), index.get(OTHER, 0)) for v in labels], dtype=np.uint16)
    return Colouring(title, "category", codes, names)


def band_colouring(kv, rows: np.ndarray, bands: int = 8) -> Colouring:
    """Each mapped word's frequency band (from counts, else from rank; see
    :func:`.sampling.frequency_bands`): band 1 is the most frequent."""
    band = frequency_bands(len(kv.index_to_key), word_counts(kv), bands)[np.asarray(rows)]
    names = [f"band {b + 1}" for b in range(bands)]
    return Colouring("frequency band", "category", band.astype(np.uint16), names)


def map_counts(kv, rows: np.ndarray) -> tuple[np.ndarray, str]:
    """Corpus counts of the mapped rows, or their frequency ranks (1 = most frequent)
    when the model has no real counts; with the name of what it is."""
    counts = word_counts(kv)
    rows = np.asarray(rows)
    if counts is None:
        return (rows + 1).astype(np.uint32), "rank"
    return np.minimum(counts[rows], 2**32 - 1).astype(np.uint32), "count"


def map_clusters(
    kv, rows: np.ndarray, k: int = 8, seed: int = 1, fit_on: int = 20_000,
    progress=None, cancel=None,
) -> np.ndarray:  # fmt: skip
    """k-means clusters (0..k-1) of the mapped words' unit vectors.

    Up to ``fit_on`` words: scikit-learn's KMeans; beyond, MiniBatchKMeans fitted on a
    random ``fit_on`` of them and every word assigned in chunks (a million rows of 300
    dimensions never sit in memory twice). ``progress`` gets ``"clusters"`` events and
    ``cancel`` is checked between chunks.
    """
    from sklearn.cluster import MiniBatchKMeans

    from .clusters import kmeans_clusters

    rows = np.asarray(rows)
    report(progress, Progress("clusters", 0, len(rows), f"k-means, k={k}"))
    if len(rows) <= fit_on:
        return kmeans_clusters(kv.vectors[rows], k=k, seed=seed)
    unit = vector_index(kv).unit
    rng = np.random.default_rng(seed)
    fit_rows = np.sort(rng.choice(rows, fit_on, replace=False))
    km = MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=4096)
    km.fit(unit[fit_rows])
    out = np.empty(len(rows), dtype=int)
    for start in range(0, len(rows), fit_on):
        check_cancel(cancel)
        report(progress, Progress("clusters", start, len(rows), f"k-means, k={k}"))
        out[start : start + fit_on] = km.predict(unit[rows[start : start + fit_on]])
    return out


def hover_count(vocab: int, dim: int, mapped: int) -> int:
    """How many of the most frequent mapped words get precomputed hover neighbours."""
    fit = int(HOVER_BUDGET / max(1, vocab * dim))
    return min(mapped, max(HOVER_MIN, min(HOVER_MAX, fit)))


def full_space_neighbours(kv, words: list[str], k: int = 8) -> list[list[str]]:
    """Each word's ``k`` nearest words by cosine in the full space, over the whole
    vocabulary (exact; mapped or not), nearest first.

    >>> from gensim.models import KeyedVectors
    >>> kv = KeyedVectors(2)
    >>> kv.add_vectors(["a", "b", "c"], np.array([[1, 0], [1, .1], [0, 1]], np.float32))
    >>> full_space_neighbours(kv, ["a"], k=1)
    [['b']]
    """
    rows = np.array([kv.key_to_index[w] for w in words], dtype=np.int64)
    return neighbour_words(kv, full_space_neighbour_rows(kv, rows, k=k))


def neighbour_words(kv, neighbour_rows: np.ndarray) -> list[list[str]]:
    """The words of :func:`full_space_neighbour_rows` (``-1``, no neighbour, left out)."""
    keys = kv.index_to_key
    return [[keys[j] for j in row if j >= 0] for row in np.asarray(neighbour_rows).tolist()]


def full_space_neighbour_rows(
    kv, rows: np.ndarray, k: int = 8, progress=None, cancel=None
) -> np.ndarray:
    """The rows of each row's ``k`` nearest words by cosine over the whole vocabulary,
    nearest first: int64 ``(len(rows), k)`` (``k`` at most the vocabulary less one).

    ``progress`` gets ``"hover"`` events and ``cancel`` is checked between batches.
    """
    return nearest_rows(vector_index(kv).unit, rows, k, progress, cancel, stage="hover")


def pack_map(
    opened, kv, colouring: Colouring, clusters, hover: list[list[str]]
) -> tuple[bytes, dict, dict]:
    """Everything the browser draws of an opened map, packed (:func:`pack_arrays`).

    The points' x and y, words, counts, ``clusters`` and ``colouring``, the ``hover``
    neighbours (true neighbours of the first ``len(hover)`` points) and the density contour
    lines (:func:`.map_density.density_lines`). Returns the blob, its layout and the
    component's data arguments (``n``, ``countName``, ``hover``, ``colour``).
    """
    counts, count_name = map_counts(kv, opened.rows)
    coords = np.asarray(opened.coords, dtype=np.float32)
    contours = density_lines(coords[:, 0], coords[:, 1])
    parts = {
        "x": coords[:, 0].copy(),
        "y": coords[:, 1].copy(),
        "words": words_text(opened.words),
        "count": counts,
        "cluster": np.asarray(clusters, dtype=np.uint16),
        "neighbours": words_text([", ".join(words) for words in hover]),
        "contourX": contours[:, 0].copy(),
        "contourY": contours[:, 1].copy(),
        **colouring.parts(),
    }
    blob, layout = pack_arrays(parts)
    colour = {"kind": colouring.kind, "title": colouring.title, "names": colouring.names}
    data = {"n": len(opened.words), "countName": count_name, "hover": len(hover), "colour": colour}
    return blob, layout, data


def map_bookmark(
    label: str, shape: tuple[int, int], coords: np.ndarray, method: str, selected=()
) -> dict:
    """One Projector bookmark (a saved view) showing ``coords`` as the ``method``
    projection (keys ``"<method>-0"``, ``"<method>-1"``...) with ``selected`` point ids.

    ``shape`` is the exported tensor's (rows, dimensions); point ids are rows of it.
    """
    projection = method if method in ("pca", "tsne", "umap") else "custom"
    dims = coords.shape[1]
    points = [{f"{projection}-{d}": round(float(row[d]), 5) for d in range(dims)} for row in coords]
    return {
        "label": label,
        "isSelected": True,
        "selectedProjection": projection,
        "dataSetDimensions": [int(shape[0]), int(shape[1])],
        "projections": points,
        "selectedPoints": [int(i) for i in selected],
        "tSNEIteration": 0,
        "tSNEPerplexity": 0,
        "tSNELearningRate": 0,
        "tSNEis3d": dims == 3,
        "umapIs3d": dims == 3,
        "umapNeighbors": 0,
        "umapMinDist": 0.1,
        "pcaComponentDimensions": list(range(dims)),
        "selectedLabelOption": "word",
    }


def bookmarks_bytes(marks: list[dict]) -> bytes:
    """The Projector's bookmarks file (a JSON list of saved views)."""
    return json.dumps(marks, ensure_ascii=False).encode("utf-8")
