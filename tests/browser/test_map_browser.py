"""In a real browser: a stored map drawn by the map component (WebGL), a box and a lasso
selection whose exported CSV holds exactly the selected words, search zooming to a word, labels
recomputed in the browser on zoom, hover neighbours (stored and looked up on demand),
and density contours."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AppServer
from tests.browser.helpers import expect_no_exception, open_page, wait_for_app

STORED = "Stored maps (up to the whole vocabulary)"


STORED_HOVER = 50  # the map keeps the hover neighbours of its 50 most frequent words


def _keep_hover_of_the_first(opened, count: int) -> None:
    """Cut a stored map's hover neighbours to its ``count`` most frequent words, as a
    map of a large vocabulary stores them (the rest are looked up on demand)."""
    import json

    from embeddings.projection.map_precomputed import HOVER_FILE, VIEW_FILE

    hover = np.load(opened.folder / HOVER_FILE)
    np.save(opened.folder / HOVER_FILE, hover[:count], allow_pickle=False)
    view = json.loads((opened.folder / VIEW_FILE).read_text(encoding="utf-8"))
    view["hover_words"] = count
    (opened.folder / VIEW_FILE).write_text(json.dumps(view), encoding="utf-8")


@pytest.fixture(params=["bundle"])
def map_server(request, tmp_path, lee_w2v):
    from embeddings.projection.maps import create_map, open_map
    from embeddings.vectors.store import ModelCard, ModelStore

    store = ModelStore(tmp_path / "models")
    store.save(lee_w2v, ModelCard(name="lee-w2v", algorithm="word2vec", source="tests"))
    create_map(store, "lee-w2v", "lee-pca", "pca", words=1000)
    _keep_hover_of_the_first(open_map(store, "lee-w2v", "lee-pca"), STORED_HOVER)
    env = {"EMBEDDINGS_MAP_PLOTLY": "full"} if request.param == "full" else {}
    server = AppServer(tmp_path / "models", env=env).start()
    yield server, store
    server.stop()


def _map_frame(page):
    page.locator("iframe[title*='word_map']").first.wait_for(timeout=60_000)
    frame = next(f for f in page.frames if "/component/" in f.url and "word_map" in f.url)
    frame.wait_for_function("() => window.mapState && window.mapState.ready", timeout=60_000)
    return frame


def _open_stored_map(page, url):
    open_page(page, url, "Projection")
    page.get_by_text(STORED).click()
    wait_for_app(page, 120_000)
    return _map_frame(page)


def _plotly_came_from_the_static_route(page, frame, url):
    """plotly.js (the WebGL partial bundle that `make setup` installs) is served from the
    app's static folder under its content's hash with an old Last-Modified date, so a
    browser keeps its copy for later maps instead of fetching it for every one."""
    from utils.map_component import GL2D_PLOTLY_JS, PLOTLY_JS, PLOTLY_STATIC

    assert PLOTLY_JS == GL2D_PLOTLY_JS, "frontend/ is not installed (make setup runs npm ci)"
    assert frame.evaluate("() => Plotly.version").startswith("3.")

    assert frame.evaluate("() => window.mapState.plotlySource").endswith(
        f"app/static/{PLOTLY_STATIC}"
    )
    first = page.request.get(f"{url}/app/static/{PLOTLY_STATIC}")
    assert first.status == 200 and first.body() == PLOTLY_JS.read_bytes()
    assert first.headers["last-modified"] == "Sat, 01 Jan 2000 00:00:00 GMT"
    assert "no-cache" not in first.headers.get("cache-control", "")
    # Nothing but static/ is served there: a path out of it gets no file of the checkout.
    import http.client
    from urllib.parse import urlsplit

    conn = http.client.HTTPConnection(urlsplit(url).netloc, timeout=30)
    for path in ("/app/static/../app.py", "/app/static/%2e%2e/app.py", "/app/static/README.md"):
        conn.request("GET", path)
        answer = conn.getresponse()
        body = answer.read().decode("utf-8", "replace")
        assert "import streamlit" not in body, path
    assert answer.status == 200 and "plotly.js here" in body  # the folder's own note
    conn.close()


def test_a_box_selection_exports_exactly_the_selected_words(page, map_server):
    server, store = map_server
    from embeddings.projection.maps import open_map

    stored = open_map(store, "lee-w2v", "lee-pca")
    frame = _open_stored_map(page, server.url)
    assert frame.evaluate("() => window.mapState.n") == 1000
    assert 0 < len(frame.evaluate("() => window.mapState.labels")) <= 60
    _plotly_came_from_the_static_route(page, frame, server.url)
    # A box over the middle of the plotting area, dragged with the mouse.
    frame.evaluate("() => Plotly.relayout(document.getElementById('plot'), {dragmode: 'select'})")
    iframe = page.locator("iframe[title*='word_map']").first
    iframe.scroll_into_view_if_needed()
    box = iframe.bounding_box()
    size = frame.evaluate("() => document.getElementById('plot')._fullLayout._size")
    x0 = box["x"] + size["l"] + size["w"] * 0.35
    y0 = box["y"] + size["t"] + size["h"] * 0.35
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x0 + size["w"] * 0.15, y0 + size["h"] * 0.1, steps=5)
    page.mouse.move(x0 + size["w"] * 0.3, y0 + size["h"] * 0.3, steps=5)
    page.mouse.up()
    wait_for_app(page)
    span = frame.evaluate("() => window.mapState.range")
    (xa, xb), (ya, yb) = sorted(span["x"]), sorted(span["y"])
    coords = np.asarray(stored.coords)
    inside = (
        (coords[:, 0] >= xa) & (coords[:, 0] <= xb) & (coords[:, 1] >= ya) & (coords[:, 1] <= yb)
    )
    expected = [stored.words[i] for i in np.flatnonzero(inside)]
    assert len(expected) >= 5
    expect(page.get_by_text(f"{len(expected):,} selected words")).to_be_visible(timeout=30_000)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Selection (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert [r["word"] for r in rows] == expected
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Selection (word list)").click()
    assert download.value.path().read_text(encoding="utf-8").split() == expected
    _a_lasso_selection_exports_exactly_the_selected_words(page, frame, stored)
    expect_no_exception(page)


def _inside(polygon: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Even-odd rule: which ``points`` lie inside the closed ``polygon``."""
    inside = np.zeros(len(points), dtype=bool)
    x, y = points[:, 0], points[:, 1]
    for (xa, ya), (xb, yb) in zip(polygon, np.roll(polygon, -1, axis=0), strict=True):
        crosses = (ya > y) != (yb > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            at = xa + (y - ya) * (xb - xa) / (yb - ya)
        inside ^= crosses & (x < at)
    return inside


def _a_lasso_selection_exports_exactly_the_selected_words(page, frame, stored):
    """A lasso (a free-hand polygon dragged with the mouse, the map's default tool): the
    exported words are exactly the map's points inside the polygon it drew."""
    frame.evaluate("() => Plotly.relayout(document.getElementById('plot'), {dragmode: 'lasso'})")
    iframe = page.locator("iframe[title*='word_map']").first
    iframe.scroll_into_view_if_needed()
    box = iframe.bounding_box()
    size = frame.evaluate("() => document.getElementById('plot')._fullLayout._size")
    corners = [(0.25, 0.3), (0.6, 0.2), (0.75, 0.55), (0.5, 0.8), (0.3, 0.6), (0.26, 0.32)]
    spots = [
        (box["x"] + size["l"] + size["w"] * fx, box["y"] + size["t"] + size["h"] * fy)
        for fx, fy in corners
    ]
    page.mouse.move(*spots[0])
    page.mouse.down()
    for spot in spots[1:]:
        page.mouse.move(*spot, steps=6)
    page.mouse.up()
    wait_for_app(page)
    frame.wait_for_function("() => window.mapState.lasso !== null", timeout=30_000)
    lasso = frame.evaluate("() => window.mapState.lasso")
    polygon = np.column_stack([lasso["x"], lasso["y"]]).astype(float)
    assert len(polygon) >= len(corners)
    coords = np.asarray(stored.coords, dtype=float)
    expected = [stored.words[i] for i in np.flatnonzero(_inside(polygon, coords))]
    assert len(expected) >= 20
    assert frame.evaluate("() => window.mapState.selected.length") == len(expected)
    expect(page.get_by_text(f"{len(expected):,} selected words")).to_be_visible(timeout=30_000)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Selection (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert [r["word"] for r in rows] == expected


# The search, zoom, hover and contour journey also runs on the full plotly.js (another
# major version), which the maps load when frontend/ is not installed.
@pytest.mark.parametrize("map_server", ["bundle", "full"], indirect=True)
def test_search_zooms_to_the_word_and_zoom_relabels(page, map_server):
    server, store = map_server
    from embeddings.projection.maps import open_map

    stored = open_map(store, "lee-w2v", "lee-pca")
    frame = _open_stored_map(page, server.url)
    # The bundle is plotly.js 3 (its last WebGL partial bundle), the plotly package's 4.
    assert frame.evaluate("() => Plotly.version")[0] == ("4" if server.env else "3")
    full = frame.evaluate("() => document.getElementById('plot')._fullLayout.xaxis.range")
    word = stored.words[0]
    x, y = (float(v) for v in stored.coords[0])
    box = page.get_by_label("Search a word (zooms to it and its true neighbours)")
    box.fill(word)
    box.press("Enter")
    wait_for_app(page)
    frame.wait_for_function(
        "() => document.getElementById('plot').data.some(t => t.name && t.name.startsWith('searched'))",
        timeout=30_000,
    )
    xr = frame.evaluate("() => document.getElementById('plot')._fullLayout.xaxis.range")
    yr = frame.evaluate("() => document.getElementById('plot')._fullLayout.yaxis.range")
    assert min(xr) <= x <= max(xr) and min(yr) <= y <= max(yr)
    assert abs(xr[1] - xr[0]) < abs(full[1] - full[0])  # zoomed in
    # A zoom relabels in the browser: the labels shown are the most frequent words in view.
    before = frame.evaluate("() => window.mapState.relabels")
    frame.evaluate(
        "() => Plotly.relayout(document.getElementById('plot'), "
        "{'xaxis.autorange': true, 'yaxis.autorange': true})"
    )
    frame.wait_for_function(f"() => window.mapState.relabels > {before}")
    labels = frame.evaluate("() => window.mapState.labels")
    ringed = set(frame.evaluate("() => Array.from(window.mapState.ringed)"))
    assert 0 in ringed and word not in labels  # the searched word has its own label
    # The most frequent word not ringed by the search is always labelled in the full view.
    assert labels[0] == next(w for i, w in enumerate(stored.words) if i not in ringed)
    # No two labels overlap on the screen (as drawn: the browser's own boxes).
    boxes = frame.evaluate(
        "() => Array.from(document.querySelectorAll('#labels span'), (el) => {"
        " const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"
    )
    assert len(boxes) == len(labels) > 10
    for j, (l1, t1, r1, b1) in enumerate(boxes):
        for l2, t2, r2, b2 in boxes[j + 1 :]:
            assert r1 <= l2 or r2 <= l1 or b1 <= t2 or b2 <= t1, (boxes[j], (l2, t2, r2, b2))
    from embeddings.projection.map_view import full_space_neighbours

    kv = store.load("lee-w2v")[0]
    assert frame.evaluate("() => window.mapState.data.hover") == STORED_HOVER
    # A stored word's neighbours travel with the map; any other word's are looked up.
    _hover_shows_true_neighbours(page, frame, stored, kv, 0)
    assert frame.evaluate("() => window.mapState.asks") == 0
    _pan_to_everything(frame)
    beyond = _isolated_point(frame, stored, first=STORED_HOVER)
    assert beyond >= STORED_HOVER
    _hover_shows_true_neighbours(page, frame, stored, kv, beyond)
    assert frame.evaluate("() => window.mapState.asks") == 1
    # A selection sent while a question is open does not drop it: every value carries it.
    other = next(i for i in range(len(stored.words) - 1, STORED_HOVER, -1) if i != beyond)
    frame.evaluate(f"() => {{ window.mapState.hoveredIndex = {other}; askNeighbours({other}); }}")
    frame.wait_for_function(f"() => window.mapState.pending === {other}", timeout=10_000)
    frame.evaluate("() => select(null)")
    frame.wait_for_function(f"() => window.mapState.lookups.has({other})", timeout=30_000)
    truth = ", ".join(full_space_neighbours(kv, [stored.words[other]], k=8)[0])
    assert frame.evaluate(f"() => window.mapState.lookups.get({other})") == truth
    assert frame.evaluate("() => window.mapState.pending") is None
    # Density contours: lines computed by the server, drawn as one WebGL line trace.
    page.get_by_text("Density contours").click()
    wait_for_app(page)
    frame.wait_for_function(
        "() => window.mapState.ready && document.getElementById('plot').data[0].name === 'density'",
        timeout=30_000,
    )
    density = frame.evaluate("() => Array.from(document.getElementById('plot').data[0].x)")
    assert len(density) > 20 and any(v is None or v != v for v in density)  # NaN breaks
    assert frame.locator("#status").inner_text().startswith("1,000 words")
    expect_no_exception(page)


def _pan_to_everything(frame):
    before = frame.evaluate("() => window.mapState.relabels")
    frame.evaluate(
        "() => Plotly.relayout(document.getElementById('plot'), "
        "{'xaxis.autorange': true, 'yaxis.autorange': true})"
    )
    frame.wait_for_function(f"() => window.mapState.relabels > {before}")


def _pixels(frame, coords):
    """Page-independent pixel positions (in the iframe) of map coordinates."""
    return np.array(
        frame.evaluate(
            "(pts) => { const fl = document.getElementById('plot')._fullLayout;"
            " return pts.map(([x, y]) => [fl._size.l + fl.xaxis.l2p(x), fl._size.t + fl.yaxis.l2p(y)]); }",
            np.asarray(coords, dtype=float).tolist(),
        )
    )


def _isolated_point(frame, stored, first: int) -> int:
    """A point at or after ``first`` with no other point near it on the screen."""
    px = _pixels(frame, stored.coords)
    gaps = np.linalg.norm(px[:, None, :] - px[None, :, :], axis=2)
    np.fill_diagonal(gaps, np.inf)
    candidates = np.arange(first, len(px))
    return int(candidates[np.argmax(gaps[candidates].min(axis=1))])


def _hover_shows_true_neighbours(page, frame, stored, kv, point: int) -> None:
    """Hovering ``point`` shows its word, cluster and true neighbours (full space)."""
    from embeddings.projection.map_view import full_space_neighbours

    iframe = page.locator("iframe[title*='word_map']").first
    iframe.scroll_into_view_if_needed()
    box = iframe.bounding_box()
    px = _pixels(frame, [stored.coords[point]])[0]
    page.mouse.move(box["x"] + px[0] - 3, box["y"] + px[1] - 3)
    page.mouse.move(box["x"] + px[0], box["y"] + px[1], steps=3)
    frame.wait_for_function(f"() => window.mapState.hoveredIndex === {point}", timeout=10_000)
    word = frame.evaluate("() => window.mapState.hovered")
    assert word == stored.words[point]
    truth = ", ".join(full_space_neighbours(kv, [word], k=8)[0])
    expect(frame.locator("#tip")).to_contain_text(f"true neighbours: {truth}", timeout=30_000)
    tip = frame.locator("#tip").inner_text()
    assert tip.startswith(word) and "cluster " in tip
