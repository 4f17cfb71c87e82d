"""Plotly figures for projections: one WebGL scatter with row ids in customdata."""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go

LABEL_LIMIT = 300
PALETTE = "#1f77b4 #ff7f0e #2ca02c #d62728 #9467bd #8c564b #e377c2 #7f7f7f #bcbd22 #17becf".split()
FONT = "Noto Sans CJK KR, Noto Sans KR, Apple SD Gothic Neo, Malgun Gothic, sans-serif"


def _sizes(counts: np.ndarray | None, n: int) -> np.ndarray:
    if counts is None:
        return np.full(n, 7.0 if n <= 2000 else 4.0)
    c = np.log1p(np.asarray(counts, dtype=float))
    span = c.max() - c.min() or 1.0
    return 4 + 14 * (c - c.min()) / span


def legend_order(labels) -> list:
    """The distinct labels in reading order: numbers inside them compare as numbers
    ("cluster 2" before "cluster 10"), and "(other)" comes last.

    >>> legend_order(["cluster 6", "cluster 10", "cluster 1", "(other)", "cluster 6"])
    ['cluster 1', 'cluster 6', 'cluster 10', '(other)']
    """

    def key(label):
        text = str(label)
        parts = re.split(r"(\d+)", text)
        return (text == "(other)", [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts])

    return sorted(dict.fromkeys(labels), key=key)


def projection_figure(
    words: list[str],
    coords: np.ndarray,
    color_by: list | np.ndarray | None = None,
    color_title: str = "",
    counts: np.ndarray | None = None,
    highlight: list[int] | None = None,
    focus: int | None = None,
    title: str = "",
) -> go.Figure:
    """A 2-D (Scattergl) or 3-D scatter of the words.

    ``color_by`` holds categories (one trace each) or numbers (a colour scale);
    ``customdata`` holds row ids, because selection point indices are per trace.
    ``highlight`` rows are ringed in black (e.g. a word's true neighbours), ``focus`` in red.
    """
    n = len(words)
    dims = coords.shape[1]
    ids = np.arange(n)
    sizes = _sizes(counts, n)
    labels = n <= LABEL_LIMIT
    fig = go.Figure()
    numeric = color_by is not None and np.issubdtype(np.asarray(color_by).dtype, np.number)
    categorical = color_by is not None and not numeric
    groups = [None] if not categorical else legend_order(color_by)
    for gi, group in enumerate(groups):
        rows = ids if group is None else ids[np.asarray(color_by, dtype=object) == group]
        marker = {"size": sizes[rows], "opacity": 0.8}
        if numeric:
            marker.update(
                color=np.asarray(color_by)[rows],
                colorscale="Viridis",
                showscale=True,
                colorbar={"title": color_title},
            )
        elif group is not None:
            marker["color"] = PALETTE[gi % len(PALETTE)]
        common = {
            "customdata": rows,
            "text": [words[i] for i in rows],
            "hovertemplate": "%{text}<extra></extra>",
            "mode": "markers+text" if labels else "markers",
            "textposition": "top center",
            "marker": marker,
            "name": str(group) if group not in (None, "") else "words",
            "showlegend": group is not None,
        }
        if dims == 2:
            fig.add_trace(go.Scattergl(x=coords[rows, 0], y=coords[rows, 1], **common))
        else:
            if not labels:
                common["mode"] = "markers"
            marker["size"] = sizes[rows] / 2
            fig.add_trace(
                go.Scatter3d(x=coords[rows, 0], y=coords[rows, 1], z=coords[rows, 2], **common)
            )
    for rows, colour, name in (
        (highlight or [], "black", "true neighbours"),
        ([focus] if focus is not None else [], "red", "searched"),
    ):
        if not len(rows):
            continue
        rows = np.asarray(rows)
        extra = {
            "customdata": rows,
            "text": [words[i] for i in rows],
            "name": name,
            "mode": "markers+text",
            "textposition": "bottom center",
            "hovertemplate": "%{text}<extra>" + name + "</extra>",
            "marker": {"size": 14, "color": "rgba(0,0,0,0)", "line": {"color": colour, "width": 2}},
        }
        if dims == 2:
            fig.add_trace(go.Scattergl(x=coords[rows, 0], y=coords[rows, 1], **extra))
        else:
            fig.add_trace(
                go.Scatter3d(x=coords[rows, 0], y=coords[rows, 1], z=coords[rows, 2], **extra)
            )
    fig.update_layout(
        title=title,
        height=650,
        font={"family": FONT},
        dragmode="lasso" if dims == 2 else None,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"itemsizing": "constant"},
    )
    return fig


def figure_html(fig: go.Figure) -> bytes:
    """The figure as one standalone interactive HTML file (plotly.js inlined)."""
    return fig.to_html(full_html=True, include_plotlyjs=True).encode("utf-8")


def selected_rows(event) -> list[int]:
    """Row ids of the points selected with lasso/box (from customdata), in order, unique."""
    try:
        points = event.selection.points
    except AttributeError:
        try:
            points = event["selection"]["points"]
        except (KeyError, TypeError):
            return []
    rows = []
    for p in points:
        cd = p.get("customdata")
        if isinstance(cd, list):
            cd = cd[0] if cd else None
        if cd is not None:
            rows.append(int(cd))
    return list(dict.fromkeys(rows))
