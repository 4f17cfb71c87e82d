"""Process-wide background warm-up of slow first calls (numba compilation), once per server."""


def start_background_warmup() -> None:
    """Start the warm-up thread once per process; returns at once."""
