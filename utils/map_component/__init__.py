"""The map component: a WebGL scatter of up to a million words that labels the most
frequent words in view on every zoom and pan in the browser, without asking the server.

A Streamlit custom component without a build step: ``index.html`` speaks the component
protocol by ``postMessage`` and draws with plotly.js: the partial bundle with the WebGL
scatter that ``make setup`` installs from npm (``frontend/``, 1.6 MB; every new map
iframe parses and starts it, about 0.45 s here), else the full plotly.js of the installed
``plotly`` package (4.8 MB, about 1 s). Both are copied at start into a folder of this
process that Streamlit serves (Streamlit refuses symlinks out of a component's folder;
nothing comes from the internet). plotly.js is also copied into the app's ``static/``
folder under a name holding its content's hash, which Streamlit serves with
``Last-Modified`` (``server.enableStaticServing``): a component's own files are sent
without a date or validator, so every new map iframe would fetch plotly.js again; from
``static/`` a browser keeps its copy. The component falls back to its own copy when the
static route does not give it plotly.js.
The points travel as one binary file in that folder (:func:`publish`), named by its
content hash, fetched once by the browser and kept in its cache; the component's
arguments stay small, so a rerun (search, selection) re-sends no points.

The component returns ``{"selected": [point ids], "range": ..., "nonce": ...}`` after a
box or lasso selection (``selected`` empty after a double-click clears it), and the same
with ``"lookup": point id`` when the mouse rests on a point whose true neighbours did not
travel with the map: the page answers in the next run's ``lookup`` argument.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
import threading
from pathlib import Path

import plotly
import streamlit.components.v1 as components

SOURCE = Path(__file__).resolve().parent
ROOT = SOURCE.parent.parent
FULL_PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
# The partial bundle (scatter, scattergl, splom, parcoords) from frontend/package.json.
GL2D_PLOTLY_JS = (
    ROOT / "frontend" / "node_modules" / "plotly.js-gl2d-dist-min" / "plotly-gl2d.min.js"
)
# Streamlit's app static folder: ``static/`` beside app.py, served at ``/app/static/``.
STATIC = ROOT / "static"


def _plotly_js() -> Path:
    """The plotly.js the maps load: the WebGL partial bundle if installed, else (or with
    ``EMBEDDINGS_MAP_PLOTLY=full``) the full one."""
    if os.environ.get("EMBEDDINGS_MAP_PLOTLY") == "full" or not GL2D_PLOTLY_JS.is_file():
        return FULL_PLOTLY_JS
    return GL2D_PLOTLY_JS


PLOTLY_JS = _plotly_js()
KEEP_FILES = 32  # data files kept for reruns and other sessions; older ones are removed
_LOCK = threading.Lock()


# The static copy is named by its content's hash, so it never changes under its name: an
# old Last-Modified date (2000-01-01) gives browsers a long heuristic freshness (a tenth
# of the file's age), and they reuse their copy without asking again.
IMMUTABLE_SINCE = 946_684_800


def _plotly_static_name() -> str:
    digest = hashlib.sha256(PLOTLY_JS.read_bytes()).hexdigest()[:16]
    return f"plotly-{digest}.min.js"


def _publish_plotly(name: str) -> bool:
    """Copy plotly.js into ``static/`` as ``name`` unless it is there; whether it is.

    Several servers of one checkout may start at once: each copies to a file of its own
    and renames it into place."""
    target = STATIC / name
    if target.is_file() and target.stat().st_size == PLOTLY_JS.stat().st_size:
        return True
    tmp = STATIC / f".{name}.{os.getpid()}.tmp"
    try:
        STATIC.mkdir(exist_ok=True)
        shutil.copyfile(PLOTLY_JS, tmp)
        os.utime(tmp, (IMMUTABLE_SINCE, IMMUTABLE_SINCE))
        os.replace(tmp, target)
        return True
    except OSError:  # a read-only checkout, a full disk: the component's own copy serves
        tmp.unlink(missing_ok=True)
        return False


def _serve_dir(static_plotly: str | None) -> Path:
    """The component's folder: its page (told where the static plotly.js is, if any),
    plotly.js, and ``data/`` for the points."""
    folder = Path(tempfile.mkdtemp(prefix="word-map-component-"))
    page = (SOURCE / "index.html").read_text(encoding="utf-8")
    url = f"../../app/static/{static_plotly}" if static_plotly else ""
    (folder / "index.html").write_text(page.replace("__PLOTLY_STATIC__", url), encoding="utf-8")
    shutil.copy(PLOTLY_JS, folder / "plotly.min.js")
    (folder / "data").mkdir()
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


PLOTLY_STATIC = _plotly_static_name()
SERVED = _serve_dir(PLOTLY_STATIC if _publish_plotly(PLOTLY_STATIC) else None)
_component = components.declare_component("word_map", path=str(SERVED))


def publish(blob: bytes) -> str:
    """Put ``blob`` where the component can fetch it; returns its relative URL.

    Named by its SHA-256, so the same map and colouring is one file and one download,
    and a rerun with the same data costs nothing.
    """
    name = hashlib.sha256(blob).hexdigest()[:32] + ".bin"
    target = SERVED / "data" / name
    with _LOCK:
        if not target.exists():
            tmp = target.with_suffix(f".tmp{os.getpid()}")
            tmp.write_bytes(blob)
            os.replace(tmp, target)
            files = sorted((SERVED / "data").glob("*.bin"), key=lambda p: p.stat().st_mtime)
            for old in files[:-KEEP_FILES]:
                old.unlink(missing_ok=True)
        else:
            target.touch()
    return f"data/{name}"


def word_map(data: dict, focus: dict | None, options: dict, key: str, lookup: dict | None = None):
    """Draw a map; returns the last selection (see the module's note) or None.

    Parameters
    ----------
    data : dict
        ``url`` (from :func:`publish`), ``layout`` (from
        :func:`embeddings.projection.map_view.pack_arrays`), ``n``, ``countName``,
        ``colour`` (``kind``, ``title``, ``names``), ``hover`` (how many of the first
        points have true neighbours in the blob).
    focus : dict, optional
        ``{"index": i, "neighbours": [ids]}``: ringed, and the view zooms to them.
    options : dict
        ``labels`` (at most this many labels), ``contours`` (bool), ``height`` (pixels).
    key : str
        The widget key.
    lookup : dict, optional
        ``{"index": i, "neighbours": "a, b, ..."}``: the answer to the last value's
        ``lookup`` (a hovered point beyond ``hover``), kept by the browser.
    """
    return _component(data=data, focus=focus, options=options, lookup=lookup, key=key, default=None)
