"""Bringing a large Spark result to the driver a slice at a time.

Never ``collect()`` a model or a matrix whole: with a master whose executors share this
machine's disk (``local[...]``, ``local-cluster[...]``) the DataFrame is written as parquet
to a temporary folder and read back with pyarrow in record batches; on a remote cluster
the rows come through ``toLocalIterator`` one partition at a time.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

from .session import is_local_master

BATCH_ROWS = 65_536


def iter_batches(engine, frame, batch_rows: int = BATCH_ROWS) -> Iterator:
    """``pyarrow.RecordBatch`` slices of a Spark DataFrame, in no particular order."""
    import pyarrow as pa

    if is_local_master(engine.master):
        import pyarrow.dataset as ds

        folder = Path(engine.scratch_dir()) / "rows.parquet"
        frame.write.mode("overwrite").parquet(folder.as_uri())
        try:
            # pyarrow skips Spark's _SUCCESS marker and hidden .crc files by their prefixes
            yield from ds.dataset(str(folder), format="parquet").to_batches(batch_size=batch_rows)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    names = frame.columns
    rows: list = []
    for row in frame.toLocalIterator(prefetchPartitions=False):
        rows.append(row)
        if len(rows) == batch_rows:
            yield pa.RecordBatch.from_pylist([dict(zip(names, r, strict=True)) for r in rows])
            rows = []
    if rows:
        yield pa.RecordBatch.from_pylist([dict(zip(names, r, strict=True)) for r in rows])
