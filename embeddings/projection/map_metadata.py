"""Metadata columns for a map's colours, from an uploaded CSV: one row per word, the
word in the first column (or a column named ``word``), any other columns after it.

A column whose filled cells are all numbers is numeric (a colour bar); any other is
categorical (a legend, the rarest values past 20 shown as "(other)").

Example
-------
>>> table = read_metadata_csv(b"word,pos,score\\ncat,noun,0.5\\nrun,verb,2\\n")
>>> table.columns, table.numeric
(['pos', 'score'], {'pos': False, 'score': True})
>>> colour_by_column(table, "pos", ["run", "dog"]).names
['verb', '(not in the file)']
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

from ..errors import EmbeddingsError
from .map_view import MISSING, Colouring, categories

MAX_BYTES = 200 * 1024 * 1024


@dataclass
class MetadataTable:
    """Uploaded metadata: ``values[column][word]`` as text, which columns are numeric."""

    columns: list[str]
    values: dict[str, dict[str, str]]
    numeric: dict[str, bool]
    words: int


def read_metadata_csv(data: bytes) -> MetadataTable:
    """Parse a metadata CSV (comma, tab or semicolon separated; UTF-8).

    Raises
    ------
    EmbeddingsError
        Not a table, no column besides the words, or over 200 MB.
    """
    import pandas as pd

    if len(data) > MAX_BYTES:
        raise EmbeddingsError("The metadata file is over 200 MB; keep the mapped words only.")
    header = data[: data.find(b"\n")] if b"\n" in data else data
    sep = "\t" if b"\t" in header else ";" if b";" in header and b"," not in header else ","
    try:
        frame = pd.read_csv(io.BytesIO(data), sep=sep, dtype=str, keep_default_na=False)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise EmbeddingsError(f"The metadata file is not a CSV table ({exc}).") from None
    if frame.shape[1] < 2:
        raise EmbeddingsError(
            "The metadata file needs a word column and at least one more column "
            "(e.g. 'word,part_of_speech')."
        )
    names = [str(c).strip() for c in frame.columns]
    frame.columns = names
    word_col = "word" if "word" in names else names[0]
    words = frame[word_col].str.strip()
    columns = [c for c in names if c != word_col]
    values, numeric = {}, {}
    for c in columns:
        cells = frame[c].str.strip()
        values[c] = dict(zip(words, cells, strict=True))
        filled = cells[cells != ""]
        numeric[c] = bool(len(filled)) and bool(
            pd.to_numeric(filled, errors="coerce").notna().all()
        )
    return MetadataTable(columns, values, numeric, len(frame))


def colour_by_column(table: MetadataTable, column: str, words: list[str]) -> Colouring:
    """The colouring of ``words`` by ``column``: numbers (NaN when missing) or categories
    (:data:`~.map_view.MISSING` for words the file does not have).

    Raises
    ------
    EmbeddingsError
        No such column.
    """
    if column not in table.values:
        raise EmbeddingsError(
            f"The metadata file has no column {column!r}; it has {', '.join(table.columns)}."
        )
    cells = table.values[column]
    if table.numeric[column]:
        values = np.array(
            [float(cells[w]) if cells.get(w, "") != "" else np.nan for w in words],
            dtype=np.float32,
        )
        return Colouring(column, "numeric", values=values)
    return categories([cells.get(w) or MISSING for w in words], column)
