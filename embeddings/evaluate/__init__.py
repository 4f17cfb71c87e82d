"""Standard benchmarks: word-pair similarity and analogies.

Submodules are imported where they are used, so importing the package stays cheap.
"""
