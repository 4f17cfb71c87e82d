"""Documents as vectors: document sets, vectorisers, the recommender and classifier.

Submodules are imported where they are used, so importing the package stays cheap.
"""
