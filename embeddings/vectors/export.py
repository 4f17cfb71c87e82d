"""Files for the TensorFlow Embedding Projector, coordinates CSV, and a zip of everything.

The tensor and metadata TSVs are byte-identical to what
``python -m gensim.scripts.word2vec2tensor`` writes for the same vectors when the only
metadata column is the word: one vector per line, values joined by tabs as Python
prints each float32 (``str(np.float32(x))``), UTF-8, ``\\n`` line ends, no header.
With several metadata columns the metadata file starts with a header row, as the
Projector expects.

>>> import tempfile
>>> import numpy as np
>>> from gensim.models import KeyedVectors
>>> kv = KeyedVectors(2)
>>> kv.add_vectors(["cat", "dog", "car"], np.eye(3, 2, dtype=np.float32))
>>> rows = projector_rows(kv, limit=2)
>>> rows.words
['cat', 'dog']
>>> [p.name for p in write_projector_files(rows, tempfile.mkdtemp(), prefix="pets")]
['pets_tensor.tsv', 'pets_metadata.tsv', 'projector_config.json']
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import EmbeddingsError

PROJECTOR_ROW_WARNING = 100_000
PROJECTOR_TSNE_SAMPLE = 10_000
METADATA_COLUMNS = ("word", "count", "cluster", "group")
_BAD_WHITESPACE = re.compile(r"[\t\r\n\v\f\x85\u2028\u2029]+")
_PLAIN_NAME = re.compile(r"[\w.+-]{1,200}")


def clean_token(token: str) -> str:
    """A token safe for one TSV cell: tabs and line breaks become spaces, ends stripped."""
    return _BAD_WHITESPACE.sub(" ", str(token)).strip()


@dataclass
class ProjectorRows:
    """Words, their vectors and extra metadata columns, cleaned and ready to write.

    Attributes
    ----------
    words : list of str
        Cleaned tokens (no empty ones).
    vectors : ndarray of shape (n, d)
        The vectors, in the same order (float32, as the model stores them).
    columns : dict of str to list
        Extra metadata columns (``count``, ``cluster``, ``group``, ...), each of length n.
    dropped : list of str
        Tokens dropped because they were empty after cleaning.
    cleaned : int
        How many tokens had tabs or line breaks replaced.
    """

    words: list[str]
    vectors: np.ndarray
    columns: dict[str, list] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    cleaned: int = 0

    def warnings(self) -> list[str]:
        """Messages about sizes the Projector handles badly and tokens that were changed."""
        out = []
        n = len(self.words)
        if n > PROJECTOR_ROW_WARNING:
            out.append(
                f"{n:,} rows: the Projector becomes slow past {PROJECTOR_ROW_WARNING:,} points;"
                " export fewer words (top-N)."
            )
        if n > PROJECTOR_TSNE_SAMPLE:
            out.append(
                f"{n:,} rows: the Projector's t-SNE and UMAP use a random sample of "
                f"{PROJECTOR_TSNE_SAMPLE:,} points; PCA uses all of them."
            )
        if self.cleaned:
            out.append(f"{self.cleaned} token(s) had tabs or line breaks replaced by spaces.")
        if self.dropped:
            out.append(f"{len(self.dropped)} empty token(s) dropped.")
        return out


def projector_rows(
    kv,
    words: list[str] | None = None,
    limit: int | None = None,
    columns: dict[str, list] | None = None,
) -> ProjectorRows:
    """Collect cleaned rows from a KeyedVectors.

    Parameters
    ----------
    kv : gensim KeyedVectors
    words : list of str, optional
        Words to export, in this order; default the model's order.
    limit : int, optional
        Keep only the first ``limit`` words (the most frequent, in the model's order).
    columns : dict, optional
        Extra metadata columns, each aligned with ``words``. ``"count"`` may be given as
        ``None`` to read the counts from the model.
    """
    if words is None:
        words = list(kv.index_to_key)
    if limit is not None:
        words = words[: int(limit)]
    columns = dict(columns or {})
    if "count" in columns and columns["count"] is None:
        columns["count"] = [_count(kv, w) for w in words]
    for name, values in columns.items():
        if len(values) != len(words):
            raise EmbeddingsError(
                f"Metadata column {name!r} has {len(values)} values for {len(words)} words."
            )
    keep, clean, dropped, cleaned = [], [], [], 0
    for i, w in enumerate(words):
        c = clean_token(w)
        if not c:
            dropped.append(w)
            continue
        cleaned += c != w
        keep.append(i)
        clean.append(c)
    index = [kv.key_to_index[words[i]] for i in keep]
    vectors = np.asarray(kv.vectors[index])
    cols = {
        name: [clean_token(values[i]) if isinstance(values[i], str) else values[i] for i in keep]
        for name, values in columns.items()
    }
    return ProjectorRows(clean, vectors, cols, dropped, cleaned)


def _count(kv, word: str) -> int:
    try:
        return int(kv.get_vecattr(word, "count"))
    except (KeyError, AttributeError):
        return 0


def tensor_tsv(vectors: np.ndarray) -> bytes:
    """The tensor file: one vector a line, each float32 written as ``str`` prints it."""
    vectors = np.asarray(vectors, dtype=np.float32)
    return "".join("\t".join(str(x) for x in row) + "\n" for row in vectors).encode("utf-8")


def metadata_tsv(rows: ProjectorRows) -> bytes:
    """The metadata file: words only (no header), or a header row plus several columns."""
    if not rows.columns:
        return "".join(w + "\n" for w in rows.words).encode("utf-8")
    names = ["word", *rows.columns]
    lines = ["\t".join(names)]
    for i, w in enumerate(rows.words):
        cells = [w, *(_cell(rows.columns[n][i]) for n in rows.columns)]
        lines.append("\t".join(cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _cell(value) -> str:
    if value is None:
        return ""
    return clean_token(value) if isinstance(value, str) else str(value)


def projector_config(
    prefix: str, shape: tuple[int, int], bookmarks_path: str | None = None
) -> dict:
    """The ``projector_config.json`` content pointing at the two TSV files."""
    emb = {
        "tensorName": prefix,
        "tensorShape": [int(shape[0]), int(shape[1])],
        "tensorPath": f"{prefix}_tensor.tsv",
        "metadataPath": f"{prefix}_metadata.tsv",
    }
    if bookmarks_path:
        emb["bookmarksPath"] = bookmarks_path
    return {"embeddings": [emb]}


def bookmarks_json(rows: ProjectorRows, query_words: list[str]) -> bytes:
    """Projector bookmarks: one saved view per query word, selecting that word's point."""
    index = {w: i for i, w in enumerate(rows.words)}
    marks = []
    for q in query_words:
        q = clean_token(q)
        if q in index:
            marks.append(
                {
                    "label": q,
                    "selectedPoints": [index[q]],
                    "selectedProjection": "pca",
                    "dataSetDimensions": list(rows.vectors.shape),
                }
            )
    return json.dumps(marks, ensure_ascii=False, indent=2).encode("utf-8")


def check_prefix(prefix: str) -> str:
    """``prefix`` if it is a plain file-name part, else :class:`EmbeddingsError`.

    Letters (any script), digits, ``.``, ``-``, ``_`` and ``+``; no folder separators,
    so every file lands in the output folder (and in a zip, at its top level).

    >>> check_prefix("lee-w2v")
    'lee-w2v'
    >>> check_prefix("../escaped")
    Traceback (most recent call last):
    ...
    embeddings.errors.EmbeddingsError: The file name prefix '../escaped' must be a plain name: letters, digits, '.', '-', '_' or '+' (no folders).
    """
    if not _PLAIN_NAME.fullmatch(prefix) or set(prefix) == {"."}:
        raise EmbeddingsError(
            f"The file name prefix {prefix!r} must be a plain name: letters, digits, "
            "'.', '-', '_' or '+' (no folders)."
        )
    return prefix


def projector_files(
    rows: ProjectorRows, prefix: str, query_words: list[str] | None = None
) -> dict[str, bytes]:
    """All Projector files by name: tensor, metadata, config (and bookmarks when asked).

    ``prefix`` has tabs and spaces turned into ``_`` and must then be a plain name
    (:func:`check_prefix`).
    """
    prefix = check_prefix(clean_token(prefix).replace(" ", "_") or "embeddings")
    files = {
        f"{prefix}_tensor.tsv": tensor_tsv(rows.vectors),
        f"{prefix}_metadata.tsv": metadata_tsv(rows),
    }
    bm = None
    if query_words:
        bm = f"{prefix}_bookmarks.json"
        files[bm] = bookmarks_json(rows, query_words)
    config = projector_config(prefix, rows.vectors.shape, bm)
    files["projector_config.json"] = json.dumps(config, indent=2).encode("utf-8")
    return files


def write_projector_files(
    rows: ProjectorRows, out_dir: str | Path, prefix: str, query_words: list[str] | None = None
) -> list[Path]:
    """Write the Projector files into ``out_dir``; returns their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in projector_files(rows, prefix, query_words).items():
        (out / name).write_bytes(data)
        paths.append(out / name)
    return paths


def coordinates_csv(words: list[str], coords: np.ndarray, extra: dict | None = None) -> bytes:
    """Projected coordinates as CSV (word, x, y[, z], extra columns), UTF-8."""
    import pandas as pd

    axes = ["x", "y", "z"][: coords.shape[1]]
    frame = pd.DataFrame(np.asarray(coords), columns=axes)
    frame.insert(0, "word", words)
    for name, values in (extra or {}).items():
        frame[name] = values
    return frame.to_csv(index=False).encode("utf-8")


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """Several files as one zip archive in memory."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()
