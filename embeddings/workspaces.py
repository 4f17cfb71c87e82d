"""Workspaces: one private model store per person on a shared server, plus the shared models.

A workspace is named by a random URL-safe token (``secrets.token_urlsafe(16)``, 22
characters); whoever knows the token uses the workspace, so the token is the only key
and is validated strictly before it touches a path. Its models live in
``<workspaces root>/<token>/``, a :class:`WorkspaceStore` that refuses a save past the
workspace's limits (number of models, disk bytes). The root is
``$EMBEDDINGS_WORKSPACES``, else ``workspaces/`` in the project.

:class:`Models` is what a workspace user works with: a store that reads the shared
store (the default :class:`~embeddings.vectors.store.ModelStore`) and the workspace
together, shared models first, and writes only into the workspace. Renaming, deleting or
overwriting a shared model raises :class:`~embeddings.errors.SharedModelError`; results of
evaluating a shared model stay in the workspace (``.shared-results/<name>.json``), laid over
the shared card for this workspace only.

The app gives every browser session a workspace unless ``$EMBEDDINGS_WORKSPACES`` is
``off`` (a personal lab: one person, the shared store only; see :func:`workspaces_enabled`).

Example
-------
>>> token = new_workspace()                              # doctest: +SKIP
>>> models = workspace_models(token)                     # doctest: +SKIP
>>> models.save(kv, ModelCard(name="mine", algorithm="word2vec"))   # doctest: +SKIP
>>> [(card.name, models.is_shared(card.name)) for card in models.cards()]  # doctest: +SKIP
[('default', True), ('mine', False)]
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import time
from pathlib import Path

from .budget import human_bytes, parse_size
from .errors import ResourceLimitError, SharedModelError, WorkspaceError
from .vectors.store import ModelCard, ModelStore, atomic_write_json
from .vectors.store_cards import validate_name
from .vectors.store_entry import entry_name

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MAX_MODELS = 20
DEFAULT_MAX_BYTES = 2 << 30
LAST_USED_FILE = ".last-used"
SHARED_RESULTS_DIR = ".shared-results"
#: Values of ``$EMBEDDINGS_WORKSPACES`` that turn the app's workspaces off.
WORKSPACES_OFF = frozenset({"off", "0", "no", "false"})
_TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")


def workspaces_enabled() -> bool:
    """Whether the app gives each browser session a workspace of its own (the default).

    ``$EMBEDDINGS_WORKSPACES=off`` (or ``0``, ``no``, ``false``) turns them off for a
    personal lab: every session then works on the shared store, and may rename and
    delete any model. Any other value is the workspaces' folder (:func:`workspaces_root`).
    """
    return os.environ.get("EMBEDDINGS_WORKSPACES", "").strip().lower() not in WORKSPACES_OFF


def workspaces_root() -> Path:
    """``$EMBEDDINGS_WORKSPACES`` if it names a folder, else ``workspaces/`` in the project."""
    env = os.environ.get("EMBEDDINGS_WORKSPACES", "").strip()
    if not env or env.lower() in WORKSPACES_OFF:
        return PROJECT_ROOT / "workspaces"
    return Path(env).expanduser()


def new_token() -> str:
    """A fresh workspace token: 16 random bytes, URL-safe (22 characters), never starting
    with "-" (the command line would read ``--workspace -abc`` as an option)."""
    while True:
        token = secrets.token_urlsafe(16)
        if not token.startswith("-"):
            return token


def validate_token(token: str) -> str:
    """Return ``token`` if it has exactly the shape :func:`new_token` makes, else raise.

    >>> validate_token("../../etc")
    Traceback (most recent call last):
    ...
    embeddings.errors.WorkspaceError: '../../etc' is not a workspace token (22 letters, digits, - or _); open the lab without one to get a new workspace.
    """
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        shown = token if isinstance(token, str) and len(token) <= 40 else "the given text"
        raise WorkspaceError(
            f"{shown!r} is not a workspace token (22 letters, digits, - or _); open the "
            "lab without one to get a new workspace."
        )
    return token


def _limit(variable: str, default: int) -> int:
    env = os.environ.get(variable, "").strip()
    return parse_size(env) if env else default


def workspace_max_models() -> int:
    """Models one workspace may hold: ``$EMBEDDINGS_WORKSPACE_MAX_MODELS``, else 20."""
    return _limit("EMBEDDINGS_WORKSPACE_MAX_MODELS", DEFAULT_MAX_MODELS)


def workspace_max_bytes() -> int:
    """Disk bytes one workspace's models may take: ``$EMBEDDINGS_WORKSPACE_MAX_BYTES``
    (bytes or with a unit, ``"500M"``), else 2 GiB."""
    return _limit("EMBEDDINGS_WORKSPACE_MAX_BYTES", DEFAULT_MAX_BYTES)


def tree_bytes(path: Path) -> int:
    """Bytes of the files under ``path`` (symbolic links not followed)."""
    total = 0
    for folder, _, files in os.walk(path):
        for file in files:
            try:
                total += os.lstat(os.path.join(folder, file)).st_size
            except OSError:  # removed while we counted
                pass
    return total


def _vectors_bytes(kv) -> int:
    """What saving ``kv`` will take on disk, about: its arrays (FastText's n-grams too)."""
    arrays = (getattr(kv, "vectors", None), getattr(kv, "vectors_ngrams", None))
    return sum(array.nbytes for array in arrays if array is not None)


class WorkspaceStore(ModelStore):
    """A workspace's own model store: a :class:`ModelStore` with a model count and a disk
    limit, checked before every save.

    Parameters
    ----------
    root : path
        The workspace directory.
    max_models, max_bytes : int, optional
        Default :func:`workspace_max_models` and :func:`workspace_max_bytes` (read when
        the store opens).
    """

    def __init__(self, root, max_models: int | None = None, max_bytes: int | None = None):
        super().__init__(root)
        self.max_models = workspace_max_models() if max_models is None else max_models
        self.max_bytes = workspace_max_bytes() if max_bytes is None else max_bytes

    def used_bytes(self) -> int:
        """Disk bytes of the workspace's model entries (prepared-corpus cache excluded)."""
        return sum(
            tree_bytes(child)
            for child in self.root.iterdir()
            if entry_name(child) is not None and child.is_dir()
        )

    def check_room(self, kv, name: str, overwrite: bool = False) -> None:
        """Raise :class:`ResourceLimitError` when saving ``kv`` as ``name`` breaks a limit."""
        replacing = overwrite and super().exists(name)
        count = len(super().names())
        if not replacing and count >= self.max_models:
            raise ResourceLimitError(
                f"This workspace already holds {count} models, its limit "
                f"(EMBEDDINGS_WORKSPACE_MAX_MODELS={self.max_models}); delete one on the "
                f"Models page before saving {name!r}."
            )
        used = self.used_bytes()
        if replacing:
            used -= tree_bytes(super().path(name))
        needed = _vectors_bytes(kv)
        if used + needed > self.max_bytes:
            raise ResourceLimitError(
                f"Saving {name!r} needs about {human_bytes(needed)}; this workspace uses "
                f"{human_bytes(used)} of its {human_bytes(self.max_bytes)} "
                "(EMBEDDINGS_WORKSPACE_MAX_BYTES); delete a model first."
            )

    def save(self, kv, card: ModelCard, overwrite: bool = False, extras=None) -> ModelCard:
        """:meth:`ModelStore.save` after :meth:`check_room`."""
        self.check_room(kv, card.name, overwrite)
        return super().save(kv, card, overwrite=overwrite, extras=extras)


def workspace_store(token: str, root: str | os.PathLike | None = None) -> WorkspaceStore:
    """The workspace's own store ``<root>/<token>/`` (created on first use), marked used now.

    Raises
    ------
    WorkspaceError
        ``token`` is not a well-formed workspace token.
    """
    base = Path(root) if root is not None else workspaces_root()
    store = WorkspaceStore(base / validate_token(token))
    (store.root / LAST_USED_FILE).touch()
    return store


class Models(WorkspaceStore):
    """The shared models (read-only) and a workspace's own, as one store.

    Reading (:meth:`names`, :meth:`cards`, :meth:`exists`, :meth:`load`,
    :meth:`load_card`, :meth:`version`, extras) sees both, shared models first; a name is
    either shared or own, never both (a save or rename onto a shared name is refused as
    taken). Writing acts on the workspace only.

    Parameters
    ----------
    own : WorkspaceStore
        The workspace's store (:func:`workspace_store`).
    shared : ModelStore, optional
        The shared store; default ``ModelStore()``.
    """

    def __init__(self, own: WorkspaceStore, shared: ModelStore | None = None):
        super().__init__(own.root, own.max_models, own.max_bytes)
        self.own = own
        self.shared = shared if shared is not None else ModelStore()

    def __repr__(self) -> str:
        return f"Models(own={str(self.root)!r}, shared={str(self.shared.root)!r})"

    def is_shared(self, name: str) -> bool:
        """True when ``name`` is a shared model (read-only here)."""
        return not self.own.exists(name) and self.shared.exists(name)

    def _store_of(self, name: str) -> ModelStore:
        return self.shared if self.is_shared(name) else self.own

    def refuse_shared(self, name: str, action: str) -> None:
        """Raise :class:`SharedModelError` when ``name`` is shared; ``action`` is what
        was refused, as a past participle ("renamed", "overwritten")."""
        if self.is_shared(name):
            raise SharedModelError(
                f"{name!r} is a shared model and cannot be {action} from a workspace; "
                "save a copy under another name to change it."
            )

    # -- reading: shared first, then own --------------------------------------------
    def names(self) -> list[str]:
        """Shared model names, then the workspace's own."""
        return self.shared.names() + self.own.names()

    def cards(self) -> list[ModelCard]:
        """Cards in :meth:`names` order (shared cards with this workspace's results)."""
        return [self._with_own_results(card) for card in self.shared.cards()] + self.own.cards()

    def own_names(self) -> list[str]:
        """The workspace's own model names (the ones it may rename and delete)."""
        return self.own.names()

    def exists(self, name: str) -> bool:
        """Whether ``name`` is a shared or an own model."""
        return self.own.exists(name) or self.shared.exists(name)

    def path(self, name: str) -> Path:
        """The directory of ``name``: in the shared store for a shared model."""
        return self.shared.path(name) if self.is_shared(name) else self.own.path(name)

    def load_card(self, name: str) -> ModelCard:
        """The card of a shared or own model; a shared card carries this workspace's
        evaluation results too (see :meth:`update_card`)."""
        if self.is_shared(name):
            return self._with_own_results(self.shared.load_card(name))
        return self.own.load_card(name)

    def _results_file(self, name: str) -> Path:
        return self.own.root / SHARED_RESULTS_DIR / f"{validate_name(name)}.json"

    def _with_own_results(self, card: ModelCard) -> ModelCard:
        try:
            own = json.loads(self._results_file(card.name).read_text(encoding="utf-8"))
        except (OSError, ValueError):  # none yet, or damaged: the shared card alone
            return card
        if isinstance(own, dict):
            card.evaluation = {**(card.evaluation or {}), **own}
        return card

    def load(self, name: str, mmap: str | None = "r", light: bool = False):
        """``(kv, card)`` of a shared or own model (see :meth:`ModelStore.load`)."""
        return self._store_of(name).load(name, light=light)

    def version(self, name: str) -> str:
        """The content version of a shared or own model."""
        return self._store_of(name).version(name)

    def _taken(self, name: str) -> bool:
        return self.own._taken(name) or self.shared.exists(name)

    def _not_found_message(self, name: str) -> str:
        names = self.names()
        listing = ", ".join(names[:10]) if names else "none yet"
        return f"No model named {name!r} in this workspace or the shared models; models: {listing}."

    # -- writing: own models only ----------------------------------------------------
    def save(self, kv, card: ModelCard, overwrite: bool = False, extras=None) -> ModelCard:
        """Save into the workspace (limits checked); a shared name is taken (and with
        ``overwrite``, refused as shared)."""
        if overwrite:
            self.refuse_shared(card.name, "overwritten")
        return super().save(kv, card, overwrite=overwrite, extras=extras)

    def update_card(self, card: ModelCard) -> None:
        """Rewrite an own model's card; for a shared model, keep its new evaluation
        results in the workspace.

        The shared card is never written from a workspace: results of a benchmark file
        a user uploaded (its name, the failed rows) are that workspace's business. Any
        change to a shared card other than evaluation results raises
        :class:`SharedModelError`.
        """
        if not self.is_shared(card.name):
            super().update_card(card)
            return
        base = self.shared.load_card(card.name)
        changed = {
            key
            for key, value in card.to_dict().items()
            if key != "evaluation" and value != getattr(base, key)
        }
        if changed:
            raise SharedModelError(
                f"{card.name!r} is a shared model: its card ({', '.join(sorted(changed))}) "
                "cannot be changed from a workspace."
            )
        shared_results = base.evaluation or {}
        own = {
            key: value
            for key, value in (card.evaluation or {}).items()
            if shared_results.get(key) != value
        }
        atomic_write_json(self._results_file(card.name), own)

    def rename(self, old: str, new: str) -> ModelCard:
        """Rename an own model (``new`` may be neither an own nor a shared name)."""
        self.refuse_shared(old, "renamed")
        return super().rename(old, new)

    def delete(self, name: str) -> None:
        """Delete an own model (or broken entry)."""
        self.refuse_shared(name, "deleted")
        super().delete(name)


def workspace_models(
    token: str, shared: ModelStore | None = None, root: str | os.PathLike | None = None
) -> Models:
    """:class:`Models` for workspace ``token``: the shared store plus its own."""
    return Models(workspace_store(token, root), shared)


def last_used(path: Path) -> float:
    """When a workspace was last opened (seconds since the epoch)."""
    marker = path / LAST_USED_FILE
    return (marker if marker.exists() else path).stat().st_mtime


def is_workspace_dir(path: Path) -> bool:
    """True for a real directory named like a workspace token (never a symbolic link)."""
    return bool(_TOKEN.fullmatch(path.name)) and path.is_dir() and not path.is_symlink()


def cleanup_workspaces(
    days: float, root: str | os.PathLike | None = None, now: float | None = None
) -> list[str]:
    """Delete workspaces not opened for ``days`` days; return their tokens, sorted.

    Only directories named like a token are touched; anything else in the root stays.
    """
    base = Path(root) if root is not None else workspaces_root()
    if not base.is_dir():
        return []
    cutoff = (time.time() if now is None else now) - days * 86400
    removed = []
    for child in base.iterdir():
        if not is_workspace_dir(child):
            continue
        if last_used(child) < cutoff:
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child.name)
    return sorted(removed)


def new_workspace(root: str | os.PathLike | None = None) -> str:
    """Create a workspace and return its token."""
    token = new_token()
    workspace_store(token, root)
    return token
