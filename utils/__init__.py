"""Streamlit glue: session state, caching wrappers, shared widgets, plots, downloads.

Only this package and ``pages/`` import streamlit; the domain logic is in ``embeddings``.
"""
