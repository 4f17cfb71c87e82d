"""Word Embedding Lab: train, load, query, inspect, project, evaluate and export word
embeddings. The library never imports Streamlit; ``python -m embeddings`` is its
command line.

Submodules are imported where they are used (``from embeddings.vectors.store import
ModelStore``), so importing the package stays cheap.
"""

__version__ = "0.1.0"
