"""The ways a document becomes one vector (a module of its own, cheap to import: the
command line lists them without importing scikit-learn)."""

METHODS = ("mean", "tfidf", "sif")
METHOD_LABELS = {
    "mean": "Mean of word vectors",
    "tfidf": "TF-IDF-weighted mean",
    "sif": "SIF (a/(a+p(w)) weights, first principal component removed)",
}
