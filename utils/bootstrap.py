"""First start: make sure the store holds a working model before any page runs."""


def ensure_default_model_ui() -> None:
    """Train and store the default model on a first start (with visible progress)."""
