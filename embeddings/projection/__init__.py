"""Projections of word vectors to 2-D/3-D: choosing words, PCA/t-SNE/UMAP, faithfulness."""

from .clusters import kmeans_clusters
from .methods import METHODS, ProjectionResult, project
from .quality import neighbour_preservation, trustworthiness_score
from .select import Selection, select_words

__all__ = [
    "METHODS",
    "ProjectionResult",
    "Selection",
    "kmeans_clusters",
    "neighbour_preservation",
    "project",
    "select_words",
    "trustworthiness_score",
]
