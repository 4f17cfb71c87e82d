"""Queries on a model: neighbours, analogies, similarity, subwords, model comparison.

Submodules are imported where they are used, so importing the package stays cheap.
"""
