"""Corpus input: sources, the one document reader, tokenizers, Hangul letters,
sentence files, corpus statistics, co-occurrence counting and the bundled data.

Submodules are imported where they are used, so importing the package stays cheap.
"""
