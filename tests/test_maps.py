"""Vocabulary maps stored with the model: create, reopen, list, export, delete, stale."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from embeddings.cli import main
from embeddings.errors import Cancelled, EmbeddingsError, InvalidNameError
from embeddings.progress import CancelToken
from embeddings.projection import project
from embeddings.projection.map_csv import export_map_csv, map_csv_lines
from embeddings.projection.maps import (
    MAPS_DIR,
    create_map,
    delete_map,
    list_maps,
    open_map,
)
from embeddings.projection.sampling import (
    frequency_bands,
    sample_rows,
    word_counts,
)
from embeddings.vectors.store import ModelCard

FAST_TSNE = {"n_iter": 60}


def _cli(capsys, *args):
    code = main([*args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _maps_folder(store, model="lee-w2v"):
    return store.path(model) / MAPS_DIR


def test_pca_map_reopens_identical(store_with_models):
    store = store_with_models
    info = create_map(store, "lee-w2v", "rand", "pca", words=300, sample="random", seed=3)
    kv, _ = store.load("lee-w2v")
    opened = open_map(store, "lee-w2v", "rand")
    assert isinstance(opened.coords, np.memmap) and not opened.coords.flags.writeable
    assert opened.coords.dtype == np.float32 and opened.coords.shape == (300, 2)
    assert opened.info == info and not opened.info.stale
    assert opened.words == [kv.index_to_key[r] for r in opened.rows]
    assert len(set(opened.words)) == 300 and list(opened.rows) == sorted(opened.rows)
    expected = project(kv.vectors[np.asarray(opened.rows)], "pca", seed=3).coords
    np.testing.assert_array_equal(opened.coords, expected.astype(np.float32))
    assert 0 <= info.preservation <= 1 and 0 <= info.trustworthiness <= 1
    assert info.quality_sample == 300 and info.model_version == store.version("lee-w2v")
    # Everything private to the owner, as the rest of the store.
    folder = _maps_folder(store) / "rand"
    assert folder.stat().st_mode & 0o777 == 0o700
    assert {p.name: p.stat().st_mode & 0o777 for p in folder.iterdir()} == {
        "map.json": 0o600,
        "coords.npy": 0o600,
        "rows.npy": 0o600,
        "words.json": 0o600,
        "clusters.npy": 0o600,
        "hover.npy": 0o600,
        "view.json": 0o600,
    }


def test_tsne_map_is_seeded_and_sampled_for_quality(store_with_models, monkeypatch):
    import embeddings.projection.maps as maps

    store = store_with_models
    monkeypatch.setattr(maps, "QUALITY_SAMPLE", 50)
    a = create_map(store, "lee-w2v", "a", "tsne", words=120, seed=5, params=FAST_TSNE, dims=3)
    create_map(store, "lee-w2v", "b", "tsne", words=120, seed=5, params=FAST_TSNE, dims=3)
    assert a.quality_sample == 50 and a.params["n_iter"] == 60 and a.dims == 3
    np.testing.assert_array_equal(
        open_map(store, "lee-w2v", "a").coords, open_map(store, "lee-w2v", "b").coords
    )
    assert [m.name for m in list_maps(store, "lee-w2v")] == ["a", "b"]
    # Renaming the model moves its maps along, still current.
    store.rename("lee-w2v", "lee-renamed")
    moved = open_map(store, "lee-renamed", "a")
    assert moved.info.model == "lee-renamed" and not moved.info.stale
    assert [(m.model, m.stale) for m in list_maps(store, "lee-renamed")] == [
        ("lee-renamed", False),
        ("lee-renamed", False),
    ]


@pytest.mark.parametrize("stage", ["tsne", "quality", "clusters", "hover", "save"])
def test_cancel_leaves_no_artefact(store_with_models, stage):
    store = store_with_models
    token = CancelToken()

    def progress(event):
        if event.stage == stage:
            token.cancel()

    with pytest.raises(Cancelled):
        create_map(
            store, "lee-w2v", "gone", "tsne", words=100, params=FAST_TSNE,
            progress=progress, cancel=token,
        )  # fmt: skip
    folder = _maps_folder(store)
    assert not folder.exists() or list(folder.iterdir()) == []
    assert list_maps(store, "lee-w2v") == []


def test_frequency_bands_from_counts_and_ranks():
    counts = np.array([1000, 500, 50, 40, 5, 3, 1, 1])
    assert frequency_bands(8, counts, bands=3).tolist() == [0, 0, 1, 1, 2, 2, 2, 2]
    assert frequency_bands(8, bands=3).tolist() == [0, 1, 1, 2, 2, 2, 2, 2]


def test_band_sample_has_words_from_every_band(store_with_models, lee_w2v):
    counts = word_counts(store_with_models.load("lee-w2v")[0])
    assert counts is not None and counts[0] > counts[-1]
    vocab = len(lee_w2v.index_to_key)
    bands = frequency_bands(vocab, counts)
    rows = sample_rows(vocab, 80, "bands", seed=7, counts=counts)
    assert len(rows) == 80 and len(set(rows.tolist())) == 80
    assert set(bands[rows].tolist()) == set(bands.tolist())  # every (non-empty) band
    # The most frequent 80 would all come from the upper bands.
    assert set(bands[:80].tolist()) != set(bands.tolist())
    np.testing.assert_array_equal(rows, sample_rows(vocab, 80, "bands", seed=7, counts=counts))
    assert not np.array_equal(rows, sample_rows(vocab, 80, "bands", seed=8, counts=counts))
    # The same words reach the stored map.
    info = create_map(store_with_models, "lee-w2v", "b", "pca", words=80, sample="bands", seed=7)
    assert info.sample == "bands"
    np.testing.assert_array_equal(open_map(store_with_models, "lee-w2v", "b").rows, rows)


def test_gensim_placeholder_counts_are_not_frequencies():
    from gensim.models import KeyedVectors

    kv = KeyedVectors(2)
    kv.add_vectors(["a", "b", "c"], np.eye(3, 2, dtype=np.float32))
    kv.set_vecattr("a", "count", 3)
    kv.set_vecattr("b", "count", 2)
    kv.set_vecattr("c", "count", 1)
    assert word_counts(kv) is None


def test_map_csv_is_byte_exact():
    coords = np.array([[0.1, -2, 3.25], [1e-8, 3.5, 0]], dtype=np.float32)
    data = b"".join(map_csv_lines(['say "hi"', "b,c"], coords))
    assert data == b'word,x,y,z\n"say ""hi""",0.1,-2.0,3.25\n"b,c",1e-08,3.5,0.0\n'


def test_cli_create_list_export_delete(store_with_models, capsys, tmp_path):
    store = store_with_models
    root = ["--store", str(store.root)]
    code, out, err = _cli(
        capsys, "maps", "create", "lee-w2v", "--name", "top", "--method", "pca",
        "--words", "200", "--seed", "2", "--json", *root,
    )  # fmt: skip
    assert code == 0, err
    created = json.loads(out)
    assert created["words"] == 200 and created["method"] == "pca" and created["stale"] is False
    assert "pca" in err  # progress on stderr
    code, out, _ = _cli(capsys, "maps", "list", "lee-w2v", "--json", *root)
    listed = json.loads(out)
    assert code == 0 and listed == [created]
    assert set(listed[0]) == {
        "name", "method", "words", "seconds", "preservation", "trustworthiness",
        "seed", "sample", "created", "stale",
    }  # fmt: skip

    out_file = tmp_path / "top.csv"
    code, out, err = _cli(capsys, "maps", "export", "lee-w2v", "top", "--out", str(out_file), *root)
    assert code == 0, err
    opened = open_map(store, "lee-w2v", "top")
    data = out_file.read_bytes()
    assert data == b"".join(map_csv_lines(opened.words, opened.coords))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    kv, _ = store.load("lee-w2v")
    assert rows[0] == ["word", "x", "y"] and len(rows) == 201
    assert [r[0] for r in rows[1:]] == kv.index_to_key[:200]  # --sample top
    read_back = np.array([[float(v) for v in r[1:]] for r in rows[1:]], dtype=np.float32)
    np.testing.assert_array_equal(read_back, opened.coords)

    code, out, _ = _cli(capsys, "maps", "delete", "lee-w2v", "top", *root)
    assert code == 0 and "deleted map top" in out
    assert json.loads(_cli(capsys, "maps", "list", "lee-w2v", "--json", *root)[1]) == []
    assert list(_maps_folder(store).iterdir()) == []


def test_map_made_while_model_is_overwritten_is_stale(store_with_models, lee_fasttext, capsys):
    store = store_with_models

    def overwrite_meanwhile(event):
        if event.stage == "quality":
            card = ModelCard(name="lee-w2v", algorithm="fasttext", source="retrained")
            store.save(lee_fasttext, card, overwrite=True)

    info = create_map(store, "lee-w2v", "old", "pca", words=50, progress=overwrite_meanwhile)
    assert info.stale
    create_map(store, "lee-w2v", "new", "pca", words=50)
    assert [(m.name, m.stale) for m in list_maps(store, "lee-w2v")] == [
        ("new", False),
        ("old", True),
    ]
    assert [m.name for m in list_maps(store, "lee-w2v", include_stale=False)] == ["new"]
    assert open_map(store, "lee-w2v", "old").info.stale
    code, out, _ = _cli(capsys, "maps", "list", "lee-w2v", "--store", str(store.root))
    assert code == 0 and "old:" in out and "STALE" in out.split("old:")[1]
    # Overwriting the model again replaces its entry: the maps of the old vectors go.
    store.save(lee_fasttext, ModelCard(name="lee-w2v", algorithm="fasttext"), overwrite=True)
    assert list_maps(store, "lee-w2v") == []


def test_library_errors(store_with_models, tmp_path):
    store = store_with_models
    with pytest.raises(InvalidNameError):
        create_map(store, "lee-w2v", "../up", "pca", words=10)
    with pytest.raises(EmbeddingsError, match="Unknown sample"):
        create_map(store, "lee-w2v", "x", "pca", words=10, sample="middle")
    create_map(store, "lee-w2v", "x", "pca", words=10)
    with pytest.raises(EmbeddingsError, match="already has a map named 'x'"):
        create_map(store, "lee-w2v", "x", "pca", words=10)
    with pytest.raises(EmbeddingsError, match="has no map named 'y'; its maps: x"):
        open_map(store, "lee-w2v", "y")
    with pytest.raises(EmbeddingsError, match="has no map named 'y'"):
        export_map_csv(store, "lee-w2v", "y", tmp_path / "y.csv")
    assert not (tmp_path / "y.csv").exists()
    with pytest.raises(EmbeddingsError, match="has no map named 'y'"):
        delete_map(store, "lee-w2v", "y")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", "nope", "--name", "m", "--method", "pca"], "No model named 'nope'"),
        (["create", "lee-w2v", "--name", "../m", "--method", "pca"], "Map name '../m'"),
        (["create", "lee-w2v", "--name", "m", "--method", "mds"], "invalid choice"),
        (["create", "lee-w2v", "--name", "m", "--method", "pca", "--words", "2"], "at least 4"),
        (["create", "lee-w2v", "--name", "m", "--method", "pca", "--sample", "x"], "invalid"),
        (["export", "lee-w2v", "nope", "--out", "x.csv"], "has no map named 'nope'"),
        (["delete", "lee-w2v", "nope"], "has no map named 'nope'"),
        (["list", "nope"], "No model named 'nope'"),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(store_with_models, capsys, args, message):
    try:
        code = main(["maps", *args, "--store", str(store_with_models.root)])
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1


def test_stderr_progress_draws_every_new_stage():
    from embeddings.progress import Progress, StderrProgress

    stream = io.StringIO()
    bar = StderrProgress(stream=stream, interval=3600)
    for stage in ("sample", "pca", "umap"):
        bar(Progress(stage, 0, 1, f"{stage} started"))
        bar(Progress(stage, 0.5, 1, "halfway"))  # within the interval: not drawn
    text = stream.getvalue()
    assert [s in text for s in ("sample started", "pca started", "umap started")] == [True] * 3
    assert "halfway" not in text


def test_map_over_the_memory_budget_is_refused_before_starting(store_with_models, monkeypatch):
    from embeddings.errors import ResourceLimitError

    monkeypatch.setenv("EMBEDDINGS_MEMORY_BUDGET", "64K")
    with pytest.raises(ResourceLimitError, match="A umap map of 500 words of 'lee-w2v' needs"):
        create_map(store_with_models, "lee-w2v", "big", "umap", words=500)
    assert not _maps_folder(store_with_models).exists()
