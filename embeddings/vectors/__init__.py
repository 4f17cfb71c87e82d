"""Vectors on disk: the model store, loading pretrained files and their row parsers,
saving, and the Projector export.

Submodules are imported where they are used, so importing the package stays cheap.
"""
