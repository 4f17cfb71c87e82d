"""The map component: a WebGL scatter of up to a million words that labels the most
frequent words in view on every zoom and pan in the browser, without asking the server.

A Streamlit custom component without a build step: ``index.html`` speaks the component
protocol by ``postMessage`` and draws with the plotly.js of the installed ``plotly``
package. Both are copied at start into a folder of this process that Streamlit serves
(Streamlit refuses symlinks out of a component's folder; nothing comes from the
internet). plotly.js (4.8 MB) is also copied into the app's ``static/`` folder, which
Streamlit serves with ``Last-Modified`` and ``ETag`` (``server.enableStaticServing``):
a component's own files are sent without validators, so every new map iframe would
fetch and compile plotly.js again; from ``static/`` a browser revalidates its copy (304)
and reuses its compiled code. The component falls back to its own copy when the static
route does not answer. The points travel as one binary file in that folder (:func:`publish`), named
by its content hash, fetched once by the browser and kept in its cache; the component's
arguments stay small, so a rerun (search, selection) re-sends no points.

The component returns ``{"selected": [point ids], "range": ..., "nonce": ...}`` after a
box or lasso selection (``selected`` empty after a double-click clears it).
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
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
# Streamlit's app static folder: ``static/`` beside app.py, served at ``/app/static/``.
STATIC = SOURCE.parent.parent / "static"
KEEP_FILES = 32  # data files kept for reruns and other sessions; older ones are removed
_LOCK = threading.Lock()


def _serve_dir() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="word-map-component-"))
    shutil.copy(SOURCE / "index.html", folder / "index.html")
    shutil.copy(PLOTLY_JS, folder / "plotly.min.js")
    (folder / "data").mkdir()
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _publish_plotly() -> None:
    """Copy plotly.js into ``static/`` unless the same file is there (several servers of
    one checkout may start at once: the copy is renamed into place)."""
    target = STATIC / PLOTLY_JS.name
    source = PLOTLY_JS.stat()
    try:
        there = target.stat()
        if there.st_size == source.st_size and there.st_mtime_ns == source.st_mtime_ns:
            return
    except FileNotFoundError:
        pass
    try:
        STATIC.mkdir(exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        shutil.copy2(PLOTLY_JS, tmp)
        os.replace(tmp, target)
    except OSError:
        pass  # a read-only checkout: the component loads its own copy


SERVED = _serve_dir()
_publish_plotly()
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


def word_map(data: dict, focus: dict | None, options: dict, key: str):
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
    """
    return _component(data=data, focus=focus, options=options, key=key, default=None)
