"""Streamlit helpers for the co-occurrence page: counts and PPMI computed by jobs, figures,
tables."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from embeddings.corpus.cooccurrence import Cooccurrence, count_cooccurrences, weighting_function
from embeddings.explore.vocabulary import example_words
from embeddings.train.estimate import estimate_cooccurrence_memory, estimate_ppmi_memory
from utils.cache_keys import cache_key
from utils.job_results import job_result

CHAPTER_SENTENCES = ["I like deep learning", "I like NLP", "I enjoy flying"]
CHAPTER_ORDER = ["I", "like", "enjoy", "deep", "learning", "NLP", "flying"]
WEIGHTING_LABELS = {
    "count": "Raw counts",
    "harmonic": "Harmonic (1/d, as GloVe)",
    "ppmi": "PPMI (positive pointwise mutual information)",
}
# The paper contrasts ice and steam; the bundled corpus has few of them, so the default
# pair is one it knows well, with probes related to one, the other, both and neither.
RATIO_DEFAULTS = ("war", "music", ["army", "battle", "song", "album", "world", "the"])


def ratio_defaults(co: Cooccurrence) -> tuple[str, str, list[str]]:
    """Word i, word j and probe words that are all in the corpus of ``co``.

    The curated war / music example when the corpus has both words (its probes that the
    corpus lacks are left out), else the corpus's own frequent words, with its most
    frequent word of all as the probe that goes with both or neither.
    """
    word_i, word_j, probes = RATIO_DEFAULTS
    if word_i in co.index and word_j in co.index:
        return word_i, word_j, [w for w in probes if w in co.index]
    words = example_words(co.words, 6)
    if len(words) < 2:
        words = co.words[:6]
    return words[0], words[1], list(dict.fromkeys([*words[2:], co.words[0]]))


def words_placeholder(co: Cooccurrence) -> str:
    """A placeholder for the words box: frequent words of this corpus."""
    return ", ".join(example_words(co.words, 5))


# Two formulas, each on its own line: side by side they are wider than the page and
# KaTeX cuts the weighting function off after "f(x) =".
LOSS_LATEX = (
    r"J = \sum_{i,j=1}^{V} f(X_{ij})\,\bigl(w_i^\top \tilde w_j + b_i + \tilde b_j"
    r" - \log X_{ij}\bigr)^2"
)
WEIGHTING_LATEX = (
    r"f(x) = \begin{cases} (x/x_{\max})^{\alpha} & x < x_{\max} \\ 1 & \text{otherwise}"
    r"\end{cases}"
)


def chapter_table() -> pd.DataFrame:
    """The chapter's 7x7 count table (window 1), rows and columns in the chapter's order."""
    sents = [s.split() for s in CHAPTER_SENTENCES]
    co = count_cooccurrences(sents, window=1, weighting="count")
    table = co.table(CHAPTER_ORDER).astype(int)
    return pd.DataFrame(table, index=CHAPTER_ORDER, columns=CHAPTER_ORDER)


COUNTS_JOB = "cooc_counts_job"
PPMI_JOB = "cooc_ppmi_job"


def counts_key(corpus, window: int, weighting: str) -> str:
    """The key of the counts of ``corpus``, ``window`` and ``weighting``.

    The sentence file is named by its path, inode, size and token count, not its
    modification time: every pass over the file marks it as used (for the corpus cache),
    so its modification time changes with each count. PPMI is computed from raw
    counts, so it shares their key.
    """
    path = str(corpus.path)
    try:
        info = os.stat(path)
        file = (info.st_ino, info.st_size, corpus.stats.tokens)
    except OSError:  # gone: the count says so, in the library's words
        file = None
    base = "harmonic" if weighting == "harmonic" else "count"
    return cache_key(path, file=file, window=window, weighting=base)


def corpus_counts(corpus, window: int, weighting: str) -> Cooccurrence | None:
    """The counts of a prepared corpus, counted once by a job (see :func:`job_result`);
    None while they are being counted, or when counting failed or was cancelled."""
    path = str(corpus.path)
    base = "harmonic" if weighting == "harmonic" else "count"

    def count(progress, cancel):
        return count_cooccurrences(
            path, window=window, weighting=base, min_count=1, progress=progress, cancel=cancel
        )

    return job_result(
        COUNTS_JOB,
        counts_key(corpus, window, weighting),
        count,
        f"Counting co-occurrences (window {window})",
        estimate=estimate_cooccurrence_memory(corpus.stats.word_counts.values(), window),
    )


def ppmi_matrix(co: Cooccurrence, key: str):
    """PPMI of the raw counts ``co`` (kept under their ``key``), computed once by a job;
    None until it is ready."""
    return job_result(
        PPMI_JOB,
        cache_key(key, ppmi=True),
        co.ppmi,
        "Computing PPMI",
        estimate=estimate_ppmi_memory(co.nnz),
        keep=2,
    )


def word_table(source, words: list[str], co: Cooccurrence) -> pd.DataFrame:
    """The table of ``source`` (the counts' matrix, or their PPMI) for ``words``, rows
    and columns in that order."""
    ids = co.ids(words)
    values = source[ids][:, ids].toarray().astype(np.float64)
    return pd.DataFrame(values, index=words, columns=words)


def heatmap(
    frame: pd.DataFrame,
    title: str,
    colorscale: str = "Blues",
    zmid: float | None = None,
    value_format: str = ".3g",
) -> go.Figure:
    """A heatmap of a word table (rows: words, first at the top), each cell's value on
    hover; ``zmid`` centres a diverging ``colorscale`` (0 for vector components)."""
    fig = go.Figure(
        go.Heatmap(
            z=frame.values,
            x=list(frame.columns),
            y=list(frame.index),
            colorscale=colorscale,
            zmid=zmid,
            hovertemplate=f"%{{y}} / %{{x}}: %{{z:{value_format}}}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(title=title, height=max(320, 28 * len(frame) + 120), margin=dict(t=50))
    return fig


def weighting_figure(x_max: float, alpha: float) -> go.Figure:
    """GloVe's weighting function f(x) for counts up to twice ``x_max``."""
    x = np.linspace(0, 2 * x_max, 400)
    fig = go.Figure(go.Scatter(x=x, y=weighting_function(x, x_max, alpha), mode="lines"))
    fig.add_vline(
        # Half-way up, right of the line: clear of the curve (at 1 there) and of the axis.
        x=x_max,
        line_dash="dot",
        annotation_text="x_max",
        annotation_position="right",
    )
    fig.update_layout(
        title=f"f(x), x_max = {x_max:g}, α = {alpha:g}",
        xaxis_title="co-occurrence count x",
        yaxis_title="weight f(x)",
        height=320,
        margin=dict(t=50),
    )
    return fig


def ratio_frame(co: Cooccurrence, word_i: str, word_j: str, probes: list[str]) -> pd.DataFrame:
    """The probability-ratio table as a DataFrame indexed by the probe words."""
    rows = co.probability_ratios(word_i, word_j, probes)
    frame = pd.DataFrame(rows).set_index("k")
    frame.columns = [f"P(k|{word_i})", f"P(k|{word_j})", f"P(k|{word_i}) / P(k|{word_j})"]
    frame.index.name = "k"
    return frame
