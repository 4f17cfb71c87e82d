"""Maps of a whole vocabulary: computed once (minutes for a million words), stored with the
model, reopened instantly.

A map is a PCA, t-SNE or UMAP layout of up to the whole vocabulary, kept inside the
model's store entry::

    models/<model>/maps/<map-name>/
        map.json      what it is (:class:`MapInfo`): method, parameters, seed, sample,
                      quality, seconds, created, the model version it was made from
        coords.npy    float32 (n, 2 or 3): the coordinates, memory-mapped on open
        rows.npy      int64 (n,): each mapped word's row in the model
        words.json    the mapped words, in coordinate order
        clusters.npy, hover.npy, view.json
                      the view's k-means clusters and hover neighbours, computed by
                      the same job (see :mod:`.map_precomputed`); absent in older maps

Plain arrays and JSON, never pickles. A map is written into a hidden temporary folder
beside the others and renamed into place when whole, so a crash or a cancel leaves no
half map. Overwriting the model replaces its entry and drops its maps with the old
vectors; a map still computing from the old vectors when that happens lands in the new
entry and is *stale*: :func:`list_maps` and :func:`open_map` say so (``info.stale``).

Example
-------
>>> info = create_map(store, "crawl-300d", "all-umap", "umap", words=1_000_000)  # doctest: +SKIP
>>> m = open_map(store, "crawl-300d", "all-umap")                                 # doctest: +SKIP
>>> m.coords.shape, m.words[0]                                                    # doctest: +SKIP
((1000000, 2), ',')
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
import uuid
from pathlib import Path

import numpy as np

from ..budget import check_memory
from ..errors import EmbeddingsError, FormatError, ModelNotFoundError
from ..progress import CancelToken, Progress, ProgressCallback, check_cancel, report
from ..vectors.store_files import (
    STALE_SECONDS,
    TMP_PREFIX,
    TRASH_PREFIX,
    atomic_write_json,
    make_private,
    make_private_dir,
)
from ..vectors.store_format import map_array
from .map_info import (
    COORDS_FILE,
    INFO_FILE,
    MAPS_DIR,
    QUALITY_K,
    ROWS_FILE,
    WORDS_FILE,
    MapInfo,
    StoredMap,
    damaged_message,
    maps_folder,
    read_map_json,
    validate_map_name,
)
from .map_knn import model_graph
from .map_precomputed import compute_view_data, write_view_data
from .methods import METHODS, project
from .quality import neighbour_preservation, trustworthiness_score
from .sampling import LIST_SAMPLES, SAMPLES, list_rows, sample_rows, word_counts

__all__ = [
    "MAPS_DIR",
    "MapInfo",
    "StoredMap",
    "create_map",
    "delete_map",
    "list_maps",
    "map_memory_estimate",
    "open_map",
    "validate_map_name",
]

# Quality is measured on at most this many mapped words (neighbours within the sample):
# exact k-NN over a million points would cost more than the map itself.
QUALITY_SAMPLE = 2_000
# t-SNE and UMAP first reduce wider vectors to this many dimensions with PCA.
REDUCE_TO = 50
# Bytes per mapped word a t-SNE or UMAP run holds beyond the vectors: k-NN graph
# (about 90 neighbours for t-SNE at perplexity 30, indices + distances + affinities),
# optimiser state and the search structures. Measured peaks are below this.
_LAYOUT_BYTES_PER_WORD = 3_000
# The view data's largest part: a batch of hover neighbour scores (see map_view).
_VIEW_BYTES = 2**28


def map_memory_estimate(words: int, dim: int, method: str) -> int:
    """Bytes a map of ``words`` words of ``dim`` dimensions holds at its peak."""
    vectors = words * dim * 4 * 2  # the gathered rows and PCA's centred copy
    layout = 0 if method == "pca" else words * (REDUCE_TO * 4 + _LAYOUT_BYTES_PER_WORD)
    return int(vectors + layout + _VIEW_BYTES)


def _rounded(value: float) -> float | None:
    # None, not NaN, when too few words to measure: map.json stays strict JSON.
    return None if value != value else round(float(value), 6)


def _quality(high: np.ndarray, coords: np.ndarray, seed: int) -> tuple[float, float, int]:
    n = len(high)
    if n < 4:
        return float("nan"), float("nan"), n
    take = np.arange(n)
    if n > QUALITY_SAMPLE:
        take = np.sort(np.random.default_rng(seed).choice(n, QUALITY_SAMPLE, replace=False))
    hi, lo = np.asarray(high[take], dtype=np.float64), np.asarray(coords[take], np.float64)
    preservation = neighbour_preservation(hi, lo, k=QUALITY_K)[0]
    return preservation, trustworthiness_score(hi, lo, k=QUALITY_K), len(take)


def create_map(
    store,
    model: str,
    name: str,
    method: str,
    words: int = 100_000,
    sample: str = "top",
    seed: int = 0,
    dims: int = 2,
    params: dict | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    word_list: list[str] | None = None,
) -> MapInfo:
    """Compute a map of ``words`` words of stored model ``model`` and store it as ``name``.

    Parameters
    ----------
    store : ModelStore
    model : str
        A model in ``store``.
    name : str
        The map's name (letters, digits, ``_``, ``-``, ``.``); must be free.
    method : {"pca", "tsne", "umap"}
        t-SNE and UMAP run on the first 50 principal components of wider vectors; t-SNE
        uses FFT gradients from 10,000 words on (see :func:`.methods.project`).
    words : int
        How many words (all of them when the vocabulary is smaller).
    sample : {"top", "bands", "random", "list", "neighbours"}
        Which words (see :func:`.sampling.sample_rows`), seeded by ``seed``; ``list`` and
        ``neighbours`` (a list made of query words and their neighbours) map the words
        of ``word_list`` that the model has, at most ``words`` of them.
    dims : {2, 3}
    params : dict, optional
        Method parameters, as :func:`.methods.project` takes them.
    progress, cancel
        Progress events; the cancel token is checked between stages, between t-SNE
        iterations (a UMAP layout runs to its end, then stops) and between chunks of the
        view's clusters and hover neighbours (stages ``"clusters"``, ``"hover"``, stored
        with the map so reopening it computes nothing). A cancelled map leaves nothing
        behind.
    word_list : list of str, optional
        The words for ``sample="list"`` or ``"neighbours"`` (unknown ones are skipped).

    Raises
    ------
    ModelNotFoundError
        No such model (or it was deleted meanwhile).
    EmbeddingsError
        A bad name, method, sample or size, or the name is taken.
    ResourceLimitError
        The map would exceed the memory budget.
    Cancelled
        ``cancel`` was set.
    """
    if method not in METHODS:
        raise EmbeddingsError(f"Unknown method {method!r}; use one of {', '.join(METHODS)}.")
    if sample not in SAMPLES + LIST_SAMPLES:
        raise EmbeddingsError(
            f"Unknown sample {sample!r}; use one of {', '.join(SAMPLES + LIST_SAMPLES)}."
        )
    if (sample in LIST_SAMPLES) != (word_list is not None):
        raise EmbeddingsError(
            f"A word list goes with sample 'list' or 'neighbours' (got {sample!r})."
        )
    if dims not in (2, 3):
        raise EmbeddingsError(f"A map has 2 or 3 dimensions (got {dims}).")
    if int(words) < 4:
        raise EmbeddingsError(f"A map needs at least 4 words (got {words}).")
    name = validate_map_name(name)
    version = store.version(model)
    kv, _card = store.load(model)
    if (maps_folder(store, model) / name).exists():
        raise EmbeddingsError(
            f"Model {model!r} already has a map named {name!r}; pick another name or "
            "delete that map first."
        )
    vocab, dim = len(kv.index_to_key), int(kv.vector_size)
    listed = None if word_list is None else list_rows(kv, word_list)[: int(words)]
    n = min(int(words), vocab) if listed is None else len(listed)
    if n < 4:
        has = f"{vocab} word(s)" if listed is None else f"{n} of the listed words"
        raise EmbeddingsError(f"Model {model!r} has {has}; a map needs at least 4.")
    check_memory(map_memory_estimate(n, dim, method), f"A {method} map of {n:,} words of {model!r}")
    started = time.perf_counter()
    report(progress, Progress("sample", 0, 1, f"choosing {n:,} of {vocab:,} words ({sample})"))
    if listed is None:
        rows = sample_rows(vocab, n, sample, seed, counts=word_counts(kv))
    else:  # in the model's order, most frequent first, as every map
        rows = np.sort(np.asarray(listed, dtype=np.int64))
    vectors = np.ascontiguousarray(kv.vectors[rows], dtype=np.float32)
    knn = model_graph(kv, rows, params, progress, cancel) if method == "umap" else None
    result = project(vectors, method, dims=dims, seed=seed, params=params, progress=progress,
                     cancel=cancel, reduce_to=REDUCE_TO, knn=knn)  # fmt: skip
    check_cancel(cancel)
    coords = np.ascontiguousarray(result.coords, dtype=np.float32)
    report(progress, Progress("quality", 0, 1, f"neighbour preservation on {QUALITY_SAMPLE:,}"))
    preservation, trust, measured = _quality(vectors, coords, seed)
    check_cancel(cancel)
    view = compute_view_data(kv, rows, progress, cancel)  # reopening computes nothing
    info = MapInfo(
        name=name,
        model=model,
        method=method,
        params={**result.params, **({"neighbour_graph": "model index"} if knn is not None else {})},
        seed=int(seed),
        sample=sample,
        words=n,
        dims=dims,
        seconds=round(time.perf_counter() - started, 2),
        created=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        model_version=version,
        preservation=_rounded(preservation),
        trustworthiness=_rounded(trust),
        quality_sample=measured,
    )
    check_cancel(cancel)
    report(progress, Progress("save", 0, 1, f"writing map {name!r}"))
    words_list = [kv.index_to_key[i] for i in rows]
    _write(store, model, info, (coords, rows, words_list, view), cancel)
    report(progress, Progress("save", 1, 1, "done"))
    info.stale = _is_stale(store, model, info)
    return info


def _write(store, model, info, parts, cancel) -> None:
    coords, rows, words, view = parts
    folder = maps_folder(store, model)
    try:
        if not store.path(model).is_dir():
            raise FileNotFoundError(folder)
        make_private_dir(folder)
    except FileNotFoundError:
        raise ModelNotFoundError(
            f"Model {model!r} was deleted while its map was being made; nothing was kept."
        ) from None
    tmp = folder / f"{TMP_PREFIX}{info.name}-{uuid.uuid4().hex[:8]}"
    try:
        make_private_dir(tmp)
        np.save(tmp / COORDS_FILE, coords, allow_pickle=False)
        np.save(tmp / ROWS_FILE, np.asarray(rows, dtype=np.int64), allow_pickle=False)
        data = json.dumps(words, ensure_ascii=False).encode("utf-8")
        (tmp / WORDS_FILE).write_bytes(data)
        write_view_data(tmp, view)
        atomic_write_json(tmp / INFO_FILE, info.to_dict(), create_parent=False)
        make_private(tmp)
        check_cancel(cancel)
        try:
            os.rename(tmp, folder / info.name)  # fails when another map took the name
        except OSError:
            if (folder / info.name).exists():
                raise EmbeddingsError(
                    f"Model {model!r} got a map named {info.name!r} meanwhile (another "
                    "session?); pick another name."
                ) from None
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _is_stale(store, model: str, info: MapInfo) -> bool:
    try:
        return store.version(model) != info.model_version
    except ModelNotFoundError:
        return True


def _remove_leftovers(folder: Path) -> None:
    """Delete temporary folders of killed map writes (older than the store's limit)."""
    now = time.time()
    for child in folder.iterdir():
        if child.name.startswith(TRASH_PREFIX) or (
            child.name.startswith(TMP_PREFIX) and now - child.lstat().st_mtime > STALE_SECONDS
        ):
            shutil.rmtree(child, ignore_errors=True)


def list_maps(store, model: str, include_stale: bool = True) -> list[MapInfo]:
    """The maps of model ``model``, current ones first, then by name.

    Stale maps (made from vectors the model no longer has) come with ``stale=True``,
    or are left out with ``include_stale=False``. Damaged maps are left out.

    Raises
    ------
    ModelNotFoundError
        No such model.
    """
    store.load_card(model)
    version = store.version(model)
    folder = maps_folder(store, model)
    found = []
    with contextlib.suppress(FileNotFoundError):
        _remove_leftovers(folder)
        for child in folder.iterdir():
            if child.name.startswith(".") or not child.is_dir():
                continue
            try:
                info = MapInfo.from_dict(read_map_json(child / INFO_FILE, model, child.name))
            except (FileNotFoundError, FormatError, TypeError):
                continue
            info.model = model  # the entry's name now (a rename moves its maps along)
            info.stale = info.model_version != version
            if include_stale or not info.stale:
                found.append(info)
    return sorted(found, key=lambda m: (m.stale, m.name))


def open_map(store, model: str, name: str) -> StoredMap:
    """Open map ``name`` of model ``model``: coordinates and rows memory-mapped.

    Instant whatever the size; the words are read on first use of ``.words``. Check
    ``info.stale`` before showing it as the model's current map.

    Raises
    ------
    ModelNotFoundError
        No such model.
    EmbeddingsError
        No such map (the message lists the model's maps).
    FormatError
        The map's files are damaged.
    """
    name = validate_map_name(name)
    store.load_card(model)
    folder = maps_folder(store, model) / name
    try:
        info = MapInfo.from_dict(read_map_json(folder / INFO_FILE, model, name))
        coords = map_array(folder / COORDS_FILE)
        rows = map_array(folder / ROWS_FILE)
    except FileNotFoundError:
        raise EmbeddingsError(_no_map(store, model, name)) from None
    except (TypeError, ValueError, EOFError, OSError) as exc:
        raise FormatError(damaged_message(model, name, str(exc))) from None
    if coords.shape != (info.words, info.dims) or rows.shape != (info.words,):
        raise FormatError(damaged_message(model, name, "arrays do not match map.json"))
    info.model = model
    info.stale = _is_stale(store, model, info)
    return StoredMap(info, coords, rows, folder)


def _no_map(store, model: str, name: str) -> str:
    names = [m.name for m in list_maps(store, model)]
    listing = ", ".join(names[:10]) if names else "none yet"
    return f"Model {model!r} has no map named {name!r}; its maps: {listing}."


def delete_map(store, model: str, name: str) -> None:
    """Remove map ``name`` of model ``model`` (renamed away first, then deleted).

    Raises
    ------
    ModelNotFoundError, EmbeddingsError
        No such model, or no such map.
    """
    name = validate_map_name(name)
    store.load_card(model)
    folder = maps_folder(store, model)
    trash = folder / f"{TRASH_PREFIX}{name}-{uuid.uuid4().hex[:8]}"
    try:
        if not (folder / name).is_dir():
            raise FileNotFoundError(folder / name)
        os.rename(folder / name, trash)
    except FileNotFoundError:
        raise EmbeddingsError(_no_map(store, model, name)) from None
    shutil.rmtree(trash, ignore_errors=True)
