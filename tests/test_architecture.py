"""The layout's rules, checked on the source: no import cycles between the lab's modules,
no Streamlit in the library, and modules and pages that stay small.

Imports are read with :mod:`ast` (nothing is imported), including those inside
functions, with relative imports resolved against the importing module's package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
PACKAGES = ("embeddings", "utils", "app_pages")
MODULE_LINES = 400  # embeddings/: one idea per module
PAGE_LINES = 200  # app_pages/: widgets, one library call, render

# Files over their limit today, with their line counts: they may shrink but not grow.
# Remove an entry once its file is back under the limit.
OVER_LIMIT: dict[str, int] = {}


def module_name(path: Path) -> str:
    """``embeddings/corpus/reader.py`` -> ``embeddings.corpus.reader`` (a package's
    ``__init__.py`` is the package itself)."""
    parts = list(path.relative_to(PROJECT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> dict[str, Path]:
    """Every module of the lab's packages, by dotted name."""
    files = {}
    for package in PACKAGES:
        for path in sorted((PROJECT / package).rglob("*.py")):
            files[module_name(path)] = path
    return files


def _is_type_checking(test: ast.expr) -> bool:
    """``if TYPE_CHECKING:`` or ``if typing.TYPE_CHECKING:``."""
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_names(path: Path, name: str) -> set[str]:
    """Every module name ``path`` imports anywhere in its code (top level or inside a
    function), relative ones resolved; imports under ``if TYPE_CHECKING:`` are left out.

    ``from a.b import c`` yields ``a.b.c`` as well as ``a.b``: the caller keeps whichever
    is a module of the lab.
    """
    is_package = path.name == "__init__.py"
    package = name.split(".") if is_package else name.split(".")[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and _is_type_checking(node.test)
        for statement in node.body
        for inner in ast.walk(statement)
    }
    names = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue  # never runs: annotations only, so no cycle at import time
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            names.add(target)
            names.update(f"{target}.{alias.name}" for alias in node.names)
    return names


def import_graph() -> dict[str, set[str]]:
    """Module -> the lab's modules it imports."""
    files = source_files()
    graph = {}
    for name, path in files.items():
        targets = imported_names(path, name)
        # ``from a.b import c`` names the module a.b.c if there is one, else a.b itself.
        graph[name] = {t for t in targets if t in files and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph[node]):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_the_graph_sees_relative_and_function_level_imports():
    graph = import_graph()
    # sources.py: ``from .sentences import ...`` at the top.
    assert "embeddings.corpus.sentences" in graph["embeddings.corpus.sources"]
    # default.py imports the trainer inside its functions.
    assert "embeddings.train.trainer" in graph["embeddings.train.default"]
    # reader.py names CorpusSource for annotations only (under TYPE_CHECKING).
    assert "embeddings.corpus.sources" not in graph["embeddings.corpus.reader"]
    # A page imports the library and the Streamlit glue.
    assert {"embeddings.corpus.sources", "utils.corpus_widgets"} <= graph["app_pages.corpus"]


def test_cycle_finder_finds_a_cycle_and_only_the_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycles_between_the_labs_modules():
    found = cycles(import_graph())
    assert not found, "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


def test_the_library_never_imports_streamlit_or_the_app():
    offenders = {}
    for name, path in source_files().items():
        if name.split(".")[0] != "embeddings":
            continue
        bad = {
            target
            for target in imported_names(path, name)
            if target.split(".")[0] in ("streamlit", "utils", "app_pages")
        }
        if bad:
            offenders[str(path.relative_to(PROJECT))] = sorted(bad)
    assert not offenders, offenders


def test_no_pages_folder_beside_the_entry_point():
    """Streamlit would serve ``pages/`` as a legacy multipage app until a session has run
    app.py: a bookmarked page opened first on a fresh server would skip the router."""
    assert not (PROJECT / "pages").exists(), "page files belong in app_pages/"


def test_every_page_file_is_in_the_router():
    from utils.navigation import OPERATOR_PAGE, PAGES, PAGES_DIR, page_path

    files = sorted(str(p.relative_to(PROJECT)) for p in (PROJECT / PAGES_DIR).glob("*.py"))
    # The operator page is routed only for a session with the operator token.
    assert files == sorted(page_path(stem) for _, stem, _, _ in [*PAGES, OPERATOR_PAGE])


def _limit(relative: str) -> int | None:
    if relative.startswith("embeddings/"):
        return MODULE_LINES
    if relative.startswith("app_pages/"):
        return PAGE_LINES
    return None


def test_modules_and_pages_stay_under_their_line_limits():
    over = {}
    for path in source_files().values():
        relative = str(path.relative_to(PROJECT))
        limit = _limit(relative)
        if limit is not None and relative not in OVER_LIMIT and line_count(path) > limit:
            over[relative] = f"{line_count(path)} lines (limit {limit})"
    assert not over, f"split these by idea: {over}"


@pytest.mark.parametrize("relative", sorted(OVER_LIMIT))
def test_known_long_files_do_not_grow(relative):
    path = PROJECT / relative
    if not path.exists():
        pytest.skip(f"{relative} is gone: remove it from OVER_LIMIT")
    lines, limit = line_count(path), _limit(relative)
    assert lines <= OVER_LIMIT[relative], (
        f"{relative} grew to {lines} lines (allowed {OVER_LIMIT[relative]}, limit {limit})"
    )
    if lines > limit:
        # Listed in the summary (-ra) on every run until the file is split.
        pytest.xfail(f"{relative}: {lines} lines, over the limit of {limit}")
