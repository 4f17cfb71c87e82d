"""Density contours of a map (computed on the server, drawn by the browser as one line
trace) and the hover lookup that answers a browser for any mapped word."""

from __future__ import annotations

import numpy as np
import pytest

from embeddings.projection.map_density import SHARES, density_lines
from embeddings.projection.map_precomputed import HOVER_K, lookup_neighbours
from embeddings.projection.map_view import full_space_neighbours
from embeddings.projection.maps import create_map, open_map


def _lines(vertices: np.ndarray) -> list[np.ndarray]:
    breaks = np.flatnonzero(np.isnan(vertices[:, 0]))
    return [part for part in np.split(vertices, breaks) if len(part[~np.isnan(part[:, 0])])]


def test_the_lines_of_a_gaussian_crowd_hold_their_share_of_the_words():
    # An isotropic Gaussian's densest region holding a share q of its mass is the disc of
    # radius sigma * sqrt(-2 ln(1 - q)); its line is a circle of that radius.
    rng = np.random.default_rng(0)
    sigma = 2.0
    xy = rng.normal(5.0, sigma, size=(400_000, 2))
    vertices = density_lines(xy[:, 0], xy[:, 1])
    assert vertices.dtype == np.float32 and vertices.shape[1] == 2
    lines = [line[~np.isnan(line[:, 0])] for line in _lines(vertices)]
    assert len(lines) == len(SHARES)  # one closed ring per share, innermost first
    radii = [np.median(np.linalg.norm(line - 5.0, axis=1)) for line in lines]
    expected = sigma * np.sqrt(-2 * np.log(1 - np.array(sorted(SHARES, reverse=True))))
    np.testing.assert_allclose(sorted(radii, reverse=True), expected, rtol=0.05)
    for line in lines:  # closed
        np.testing.assert_allclose(line[0], line[-1], atol=1e-6)
    inside = np.linalg.norm(xy - 5.0, axis=1) < radii[-1]  # the innermost line's disc
    assert abs(inside.mean() - min(SHARES)) < 0.02


def test_a_pile_of_words_on_one_spot_does_not_pull_every_line_into_it():
    rng = np.random.default_rng(4)
    xy = np.vstack([rng.normal(0, 1, (49_000, 2)), np.full((1_000, 2), 0.5)])
    points = density_lines(xy[:, 0], xy[:, 1])
    radii = np.linalg.norm(points[~np.isnan(points[:, 0])], axis=1)
    assert radii.max() > 2.5  # the 99 % line still rounds the crowd's edge (3.03 sigma)


def test_two_crowds_get_lines_around_each_and_none_between():
    rng = np.random.default_rng(1)
    xy = np.vstack([rng.normal(0, 1, (5_000, 2)), rng.normal(20, 1, (5_000, 2))])
    vertices = density_lines(xy[:, 0], xy[:, 1])
    points = vertices[~np.isnan(vertices[:, 0])]
    near = np.minimum(np.linalg.norm(points, axis=1), np.linalg.norm(points - 20, axis=1))
    assert len(points) and near.max() < 5.0  # every vertex belongs to one of the crowds
    assert (np.linalg.norm(points, axis=1) < 5).any() and (
        np.linalg.norm(points - 20, axis=1) < 5
    ).any()


def test_a_crowd_at_the_edge_of_the_map_gets_closed_lines():
    rng = np.random.default_rng(2)
    xy = np.vstack([rng.normal(0, 0.2, (3_000, 2)), rng.uniform(0, 10, (3_000, 2))])
    for line in _lines(density_lines(xy[:, 0], xy[:, 1])):
        line = line[~np.isnan(line[:, 0])]
        np.testing.assert_allclose(line[0], line[-1], atol=1e-6)


@pytest.mark.parametrize(
    "x, y",
    [
        (np.zeros(0), np.zeros(0)),
        (np.arange(5.0), np.arange(5.0)),  # too few points
        (np.ones(100), np.arange(100.0)),  # no spread along x
        (np.full(100, np.nan), np.arange(100.0)),
    ],
)
def test_no_lines_without_a_spread_of_points(x, y):
    assert density_lines(x, y).shape == (0, 2)


def test_points_off_the_map_are_left_out():
    rng = np.random.default_rng(3)
    xy = rng.normal(0, 1, (2_000, 2))
    xy[:3] = [np.inf, 0], [np.nan, 1], [0, -np.inf]
    vertices = density_lines(xy[:, 0], xy[:, 1])
    assert len(vertices) and np.isfinite(vertices[~np.isnan(vertices[:, 0])]).all()


def test_a_hover_lookup_answers_with_the_true_neighbours(store_with_models):
    create_map(store_with_models, "lee-w2v", "top", "pca", words=300, sample="bands")
    kv, _ = store_with_models.load("lee-w2v")
    opened = open_map(store_with_models, "lee-w2v", "top")
    answer = lookup_neighbours(opened, kv, 250)
    word = opened.words[250]
    assert answer == {
        "index": 250,
        "neighbours": ", ".join(full_space_neighbours(kv, [word], k=HOVER_K)[0]),
    }
    assert answer["neighbours"].split(", ") == [w for w, _ in kv.most_similar(word, topn=HOVER_K)]
    # What a browser may send instead of a point id is ignored.
    for point in (-1, 300, 10**30, True, 2.0, "3", None, [1]):
        assert lookup_neighbours(opened, kv, point) is None


def test_the_packed_map_carries_its_contour_lines_and_hover_neighbours(store_with_models):
    from embeddings.projection.map_precomputed import clusters_for, hover_neighbours
    from embeddings.projection.map_view import band_colouring, pack_map

    create_map(store_with_models, "lee-w2v", "top", "pca", words=300)
    kv, _ = store_with_models.load("lee-w2v")
    opened = open_map(store_with_models, "lee-w2v", "top")
    hover = hover_neighbours(opened, kv)[:40]
    blob, layout, data = pack_map(
        opened, kv, band_colouring(kv, opened.rows), clusters_for(opened, kv), hover
    )
    assert data["n"] == 300 and data["hover"] == 40 and data["colour"]["kind"] == "category"

    def part(name, dtype):
        offset, length, _ = layout[name]
        return np.frombuffer(blob, dtype=dtype, count=length, offset=offset)

    coords = np.asarray(opened.coords, dtype=np.float32)
    expected = density_lines(coords[:, 0], coords[:, 1])
    assert len(expected) > 0
    np.testing.assert_array_equal(part("contourX", "<f4"), expected[:, 0])
    np.testing.assert_array_equal(part("contourY", "<f4"), expected[:, 1])
    offset, length, kind = layout["neighbours"]
    text = blob[offset : offset + length].decode("utf-8")
    assert kind == "utf8" and text.split("\n") == [", ".join(words) for words in hover]
