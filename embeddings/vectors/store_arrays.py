"""Reading the store's ``.npy`` arrays: memory-mapped, read-only, never unpickled."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def map_array(path: Path) -> np.ndarray:
    """The ``.npy`` array at ``path``, memory-mapped read-only, never unpickled.

    An empty array cannot be mapped and is read instead. Raises ValueError or EOFError
    for a damaged file and FileNotFoundError for a missing one.
    """
    try:
        return np.load(path, mmap_mode="r", allow_pickle=False)
    except ValueError:
        with open(path, "rb") as fh:  # read only the header: the data may be huge
            major, _ = np.lib.format.read_magic(fh)
            read = np.lib.format.read_array_header_1_0 if major == 1 else None
            shape, _, dtype = (read or np.lib.format.read_array_header_2_0)(fh)
        if int(np.prod(shape)) != 0:
            raise
        return np.zeros(shape, dtype=dtype)
