"""Corpus input: where text comes from (source), the one document reader (reader, with the
formats it parses and textio below it), the calls callers use (sources), tokenizers,
Hangul letters, sentence files and the corpus cache, corpus statistics, co-occurrence
counting, and where the bundled data is.

Submodules are imported where they are used, so importing the package stays cheap.
"""
