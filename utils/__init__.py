"""Streamlit glue: session state, caching wrappers, shared widgets, plots, downloads.

Only this package and ``app_pages/`` import streamlit; the domain logic is in ``embeddings``.
"""
