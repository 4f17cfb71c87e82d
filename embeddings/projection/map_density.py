"""Density contours of a 2-D map: lines around where its words crowd.

Computed on the server, once per map and colouring, and drawn by the browser as one
WebGL line trace: the points are counted on a grid, smoothed a little (a Gaussian of
:data:`SMOOTH` cells), and contourpy (matplotlib's contouring engine) traces the lines
that enclose the densest cells holding 25 %, 50 %, 75 %, 90 % and 99 % of the words
(:data:`SHARES`; for a round Gaussian crowd the 50 % line lies where the density is half
its peak). Levels by share of the words rather than by share of the peak, so a few words
piled on one spot do not pull every line into it. The size of the lines depends on the
shape of the map, not on its number of words: a grid of :data:`GRID` cells a side.

Example
-------
>>> rng = np.random.default_rng(0)
>>> xy = rng.standard_normal((5_000, 2)).astype(np.float32)
>>> lines = density_lines(xy[:, 0], xy[:, 1])
>>> lines.dtype, lines.shape[1], bool(np.isnan(lines[:, 0]).any())
(dtype('float32'), 2, True)
>>> bool(np.nanmax(np.abs(lines)) < 4.0)  # around the crowd, not at the far outliers
True
"""

from __future__ import annotations

import contourpy
import numpy as np
from scipy.ndimage import gaussian_filter

GRID = 128  # cells along each axis
SMOOTH = 1.0  # the Gaussian's standard deviation, in cells
PAD = 4  # empty cells around the points
SHARES = (0.25, 0.5, 0.75, 0.9, 0.99)  # of the words inside each line
MIN_POINTS = 10


def share_levels(density: np.ndarray, shares=SHARES) -> list[float]:
    """For each of ``shares``, the density above which the densest cells hold that share
    of the whole (the densest cells first), in the same order.

    >>> share_levels(np.array([[4.0, 3], [2, 1]]), (0.4, 0.7, 1.0))
    [4.0, 3.0, 1.0]
    """
    ranked = np.sort(density, axis=None)[::-1]
    held = np.cumsum(ranked) / ranked.sum()
    return [float(ranked[min(np.searchsorted(held, share), len(ranked) - 1)]) for share in shares]


def density_lines(x: np.ndarray, y: np.ndarray, grid: int = GRID) -> np.ndarray:
    """The contour lines of the points' density as one float32 ``(m, 2)`` array of
    vertices, the lines separated by a row of NaN (how the browser's line trace breaks
    them); empty ``(0, 2)`` for fewer than :data:`MIN_POINTS` points or no spread."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    keep = np.isfinite(x) & np.isfinite(y)
    x, y = x[keep], y[keep]
    empty = np.zeros((0, 2), dtype=np.float32)
    if len(x) < MIN_POINTS or np.ptp(x) == 0 or np.ptp(y) == 0:
        return empty
    # A margin of PAD cells, so a crowd at the edge of the map gets closed lines.
    span = [(v.min() - np.ptp(v) * PAD / grid, v.max() + np.ptp(v) * PAD / grid) for v in (x, y)]
    counts, xe, ye = np.histogram2d(x, y, bins=grid + 2 * PAD, range=span)
    density = gaussian_filter(counts, SMOOTH, mode="constant")
    # Cell centres; histogram2d's first axis is x, contourpy's z is indexed [y, x].
    xc = (xe[:-1] + xe[1:]) / 2
    yc = (ye[:-1] + ye[1:]) / 2
    lines = contourpy.contour_generator(
        xc, yc, density.T, line_type=contourpy.LineType.ChunkCombinedNan
    )
    parts = []
    for level in sorted(set(share_levels(density))):
        if level <= 0:
            continue
        (chunk,) = lines.lines(level)[0] or (None,)
        if chunk is not None and len(chunk):
            parts += [chunk, np.full((1, 2), np.nan)]
    return np.concatenate(parts).astype(np.float32) if parts else empty
