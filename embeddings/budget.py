"""The memory budget: every long job estimates what it needs and is refused past the budget.

The lab runs on a shared server, so a load or a training that would exhaust the
machine's memory must be refused *before* it starts, with the estimate and the budget in
the message. The budget is ``$EMBEDDINGS_MEMORY_BUDGET`` (bytes, or with a unit:
``"8G"``, ``"512M"``), else :data:`DEFAULT_FRACTION` of the machine's memory.

Example
-------
>>> parse_size("1.5G")
1610612736
>>> check_memory(10 << 20, "loading demo.vec", budget=1 << 30)  # fits: returns the estimate
10485760
>>> check_memory(3 << 30, "training demo", budget=1 << 30)
Traceback (most recent call last):
...
embeddings.errors.ResourceLimitError: training demo needs about 3.0 GiB of memory; the budget is 1.0 GiB (EMBEDDINGS_MEMORY_BUDGET). Use smaller settings or a smaller input.
"""

from __future__ import annotations

import os
import re

from .errors import EmbeddingsError, ResourceLimitError

DEFAULT_FRACTION = 0.5
_UNITS = {"": 1, "B": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def parse_size(text: str) -> int:
    """Bytes from ``"123"``, ``"512M"``, ``"1.5G"``, ``"2GiB"`` (binary units)."""
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([KMGT]?)(?:i?B)?\s*", str(text), re.I)
    if not match:
        raise EmbeddingsError(
            f"Cannot read the size {text!r}; write it as bytes or with a unit (512M, 8G)."
        )
    number, unit = match.groups()
    return int(float(number) * _UNITS[unit.upper()])


def machine_memory() -> int:
    """The machine's physical memory in bytes (8 GiB when it cannot be read)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 8 << 30


def memory_budget() -> int:
    """The largest estimate a single job may have, in bytes."""
    env = os.environ.get("EMBEDDINGS_MEMORY_BUDGET")
    if env:
        return parse_size(env)
    return int(machine_memory() * DEFAULT_FRACTION)


def human_bytes(n: float) -> str:
    """``1536`` -> ``"1.5 KiB"``; bytes below 1 KiB are written as bytes.

    >>> human_bytes(3 << 30), human_bytes(512)
    ('3.0 GiB', '512 bytes')
    """
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n} TiB"


def check_memory(estimate: int, what: str, budget: int | None = None) -> int:
    """Return ``estimate`` if it fits the budget, else raise :class:`ResourceLimitError`.

    Parameters
    ----------
    estimate : int
        Bytes the job will hold at its peak.
    what : str
        The job, as the user would name it (``"training FastText on reviews.txt"``).
    budget : int, optional
        Defaults to :func:`memory_budget`.
    """
    budget = memory_budget() if budget is None else budget
    if estimate > budget:
        raise ResourceLimitError(
            f"{what} needs about {human_bytes(estimate)} of memory; the budget is "
            f"{human_bytes(budget)} (EMBEDDINGS_MEMORY_BUDGET). Use smaller settings or a "
            "smaller input."
        )
    return int(estimate)
