"""The lab's pages in one place: the router in ``app.py`` builds its sectioned navigation
from :data:`PAGES`, and links between pages name their file with :func:`page_path`.

The page files live in ``app_pages/``, not ``pages/``: Streamlit serves a folder called
``pages/`` beside the entry point as a legacy multipage app until some session has run
the entry point, so on a fresh server the first visitor of a page's own address (a
bookmark) got a navigation made from file names and the page without ``app.py``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

# The page files, relative to app.py.
PAGES_DIR = "app_pages"
HOME = "home"

# (section, file stem, title, icon), in the order of the sidebar.
PAGES = [
    ("Lab", "home", "Home", "🏠"),
    ("Lab", "concepts", "Concepts", "📖"),
    ("Models", "corpus", "Corpus", "📚"),
    ("Models", "train", "Train", "🏋️"),
    ("Models", "models", "Models", "🗂️"),
    ("Explore", "neighbours", "Neighbours", "🔎"),
    ("Explore", "analogies", "Analogies", "➗"),
    ("Explore", "subwords", "Subwords", "🧩"),
    ("Explore", "cooccurrence", "Co-occurrence", "🔢"),
    ("Explore", "projection", "Projection", "🗺️"),
    ("Evaluate", "evaluate", "Evaluate", "📏"),
    ("Evaluate", "compare", "Compare models", "⚖️"),
    ("Documents", "recommender", "Recommender", "📑"),
    ("Documents", "classifier", "Classifier", "🏷️"),
]

# The operator's page: in the router only for a session holding the operator token.
OPERATOR_PAGE = ("Server", "operator", "Operator", "🛠️")


def page_path(stem: str) -> str:
    """The file of page ``stem`` as ``st.switch_page`` and ``st.page_link`` take it.

    >>> page_path("neighbours")  # doctest: +ELLIPSIS
    '...neighbours.py'
    """
    if stem not in {page[1] for page in [*PAGES, OPERATOR_PAGE]}:
        raise KeyError(f"no page called {stem!r}")
    return f"{PAGES_DIR}/{stem}.py"


def navigation_sections(app_dir: Path, operator: bool = False) -> dict[str, list[st.Page]]:
    """``{section: [st.Page, ...]}`` for ``st.navigation``; a page appears once its file
    exists under ``app_dir``. The operator page is registered only with ``operator``:
    without it, neither the navigation nor its address knows the page."""
    sections: dict[str, list[st.Page]] = {}
    for section, stem, title, icon in PAGES + ([OPERATOR_PAGE] if operator else []):
        path = page_path(stem)
        if (app_dir / path).exists():
            sections.setdefault(section, []).append(
                st.Page(path, title=title, icon=icon, default=stem == HOME)
            )
    return sections
