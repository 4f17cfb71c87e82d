"""The textbook chapter's worked examples, computed on a real model.

Submodules are imported where they are used, so importing the package stays cheap.
"""
