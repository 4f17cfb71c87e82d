"""The browser data of stored maps: packed arrays, colours, clusters, true neighbours,
metadata CSVs, selection and Projector exports, and maps made from a word list."""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pytest

from embeddings.errors import EmbeddingsError, FormatError
from embeddings.projection.map_export import (
    map_projector_files,
    selection_bookmark,
    selection_csv,
    word_list_text,
)
from embeddings.projection.map_metadata import colour_by_column, read_metadata_csv
from embeddings.projection.map_precomputed import (
    CLUSTER_SEED,
    CLUSTERS_FILE,
    DEFAULT_K,
    HOVER_FILE,
    HOVER_K,
    VIEW_FILE,
    clusters_for,
    hover_neighbours,
    read_view_data,
)
from embeddings.projection.map_view import (
    MAX_CATEGORIES,
    OTHER,
    band_colouring,
    categories,
    full_space_neighbours,
    hover_count,
    map_clusters,
    pack_arrays,
    words_text,
)
from embeddings.projection.maps import create_map, open_map
from embeddings.vectors.export import zip_bytes


def test_packed_arrays_read_back_byte_exact():
    x = np.array([1.5, -2.0, 3.25], dtype=np.float32)
    counts = np.array([7, 8, 9], dtype=np.uint32)
    codes = np.array([0, 2, 1], dtype=np.uint16)
    blob, layout = pack_arrays(
        {"x": x, "words": words_text(["a", "bé", "c\nd"]), "c": counts, "k": codes}
    )
    assert layout == {
        "x": [0, 3, "f32"],
        "words": [12, 9, "utf8"],
        "c": [24, 3, "u32"],
        "k": [36, 3, "u16"],
    }
    assert len(blob) == 44  # text and the u16 part padded to 4 bytes
    assert np.frombuffer(blob, np.float32, 3, 0).tolist() == x.tolist()
    assert blob[12:21].decode("utf-8").split("\n") == ["a", "bé", "c d"]
    assert np.frombuffer(blob, "<u4", 3, 24).tolist() == [7, 8, 9]
    assert np.frombuffer(blob, "<u2", 3, 36).tolist() == [0, 2, 1]
    with pytest.raises(EmbeddingsError, match="Cannot pack"):
        pack_arrays({"bad": np.zeros(2, dtype=np.int8)})


def test_many_categories_keep_the_commonest_and_other():
    labels = [f"v{i}" for i in range(25) for _ in range(30 - i)]
    c = categories(labels, "t")
    assert len(c.names) == MAX_CATEGORIES and c.names[-1] == OTHER
    assert c.names[:3] == ["v0", "v1", "v2"]
    assert c.names[c.codes[labels.index("v24")]] == OTHER
    assert [c.names[k] for k in c.codes[:3]] == ["v0"] * 3


def test_true_neighbours_are_the_full_space_neighbours(lee_w2v):
    got = full_space_neighbours(lee_w2v, ["government", "police"], k=5)
    assert got == [
        [w for w, _ in lee_w2v.most_similar(q, topn=5)] for q in ("government", "police")
    ]


def test_true_neighbours_of_a_large_vocabulary_match_a_full_sort():
    from gensim.models import KeyedVectors

    rng = np.random.default_rng(3)
    kv = KeyedVectors(16)
    kv.add_vectors(
        [f"w{i}" for i in range(20_000)], rng.normal(size=(20_000, 16)).astype(np.float32)
    )
    words = [f"w{i}" for i in (0, 17, 19_999)]
    unit = kv.vectors / np.linalg.norm(kv.vectors, axis=1, keepdims=True)
    expected = []
    for w in words:
        scores = unit @ unit[kv.key_to_index[w]]
        scores[kv.key_to_index[w]] = -np.inf
        expected.append([f"w{j}" for j in np.argsort(-scores, kind="stable")[:12]])
    assert full_space_neighbours(kv, words, k=12) == expected


def test_hover_count_is_bounded():
    assert hover_count(1_000, 50, 300) == 300  # every mapped word of a small model
    assert hover_count(1_000_000, 300, 1_000_000) == 200
    assert hover_count(10_000, 100, 100_000) == 5_000


def test_clusters_of_a_big_map_use_minibatch_on_a_sample(lee_w2v):
    rows = np.arange(1_000)
    labels = map_clusters(lee_w2v, rows, k=5, fit_on=300)
    assert labels.shape == (1_000,) and set(labels.tolist()) == set(range(5))


def test_metadata_csv_numeric_and_categorical_columns():
    table = read_metadata_csv(b"word\tpos\tscore\ncat\tnoun\t0.5\nrun\tverb\t\nsun\tnoun\t2\n")
    assert table.columns == ["pos", "score"] and table.numeric == {"pos": False, "score": True}
    numeric = colour_by_column(table, "score", ["sun", "run", "moon", "cat"])
    assert numeric.kind == "numeric"
    np.testing.assert_array_equal(numeric.values, np.array([2, np.nan, np.nan, 0.5], np.float32))
    pos = colour_by_column(table, "pos", ["sun", "run", "moon"])
    assert [pos.names[c] for c in pos.codes] == ["noun", "verb", "(not in the file)"]
    with pytest.raises(EmbeddingsError, match="no column 'size'"):
        colour_by_column(table, "size", ["cat"])
    with pytest.raises(EmbeddingsError, match="needs a word column and at least one more"):
        read_metadata_csv(b"word\ncat\n")


def test_a_map_from_a_word_list(store_with_models, lee_w2v):
    words = ["police", "zzz-unknown", "government", "water", "fire", "police", "said"]
    info = create_map(store_with_models, "lee-w2v", "listed", "pca", sample="list", word_list=words)
    opened = open_map(store_with_models, "lee-w2v", "listed")
    expected = sorted(
        {"police", "government", "water", "fire", "said"}, key=lee_w2v.key_to_index.get
    )
    assert info.sample == "list" and info.words == 5 and opened.words == expected
    with pytest.raises(EmbeddingsError, match="goes with sample 'list' or 'neighbours'"):
        create_map(store_with_models, "lee-w2v", "x", "pca", word_list=words)
    with pytest.raises(EmbeddingsError, match="has 2 of the listed words"):
        create_map(
            store_with_models, "lee-w2v", "y", "pca", sample="list", word_list=["police", "fire"]
        )


def test_frequency_bands_of_a_banded_map_cover_every_band(store_with_models, lee_w2v):
    create_map(store_with_models, "lee-w2v", "b", "pca", words=400, sample="bands")
    opened = open_map(store_with_models, "lee-w2v", "b")
    bands = band_colouring(lee_w2v, opened.rows)
    assert bands.kind == "category" and set(bands.codes.tolist()) == set(range(8))


def test_projector_zip_of_a_map_carries_its_coordinates(store_with_models, lee_w2v):
    create_map(store_with_models, "lee-w2v", "m", "pca", words=50)
    opened = open_map(store_with_models, "lee-w2v", "m")
    clusters = list(range(50))
    files = map_projector_files(lee_w2v, opened, "lee m", {"cluster": clusters}, selected=[3, 7])
    assert sorted(files) == [
        "lee_m_bookmarks.json",
        "lee_m_coordinates.csv",
        "lee_m_metadata.tsv",
        "lee_m_tensor.tsv",
        "projector_config.json",
    ]
    config = json.loads(files["projector_config.json"])["embeddings"][0]
    assert config["bookmarksPath"] == "lee_m_bookmarks.json" and config["tensorShape"] == [50, 50]
    marks = json.loads(files["lee_m_bookmarks.json"])
    assert [m["selectedPoints"] for m in marks] == [[], [3, 7]]
    assert marks[0]["selectedProjection"] == "pca" and len(marks[0]["projections"]) == 50
    x0, y0 = (round(float(v), 5) for v in opened.coords[0])
    assert marks[0]["projections"][0] == {"pca-0": x0, "pca-1": y0}
    meta = files["lee_m_metadata.tsv"].decode().splitlines()
    assert meta[0] == "word\tcount\tcluster" and meta[4].split("\t")[0] == opened.words[3]
    with zipfile.ZipFile(io.BytesIO(zip_bytes(files))) as zf:
        assert len(zf.read("lee_m_tensor.tsv").decode().splitlines()) == 50


def test_selection_exports(store_with_models):
    create_map(store_with_models, "lee-w2v", "m", "pca", words=20)
    opened = open_map(store_with_models, "lee-w2v", "m")
    words, coords = opened.words, opened.coords
    data = selection_csv(
        words, coords, [2, 5], {"cluster": [i % 3 for i in range(20)], "nb": {2: "a, b"}}
    )
    lines = data.decode().splitlines()
    assert lines[0] == "word,x,y,cluster,nb"
    assert lines[1] == f'{words[2]},{coords[2, 0]:.6g},{coords[2, 1]:.6g},2,"a, b"'
    assert lines[2] == f"{words[5]},{coords[5, 0]:.6g},{coords[5, 1]:.6g},2,"
    mark = json.loads(selection_bookmark(opened, [2, 5], 50))[0]
    assert mark["selectedPoints"] == [2, 5] and mark["dataSetDimensions"] == [20, 50]
    assert word_list_text([words[2], words[5]]).decode() == f"{words[2]}\n{words[5]}\n"


def _view_files(opened):
    return [opened.folder / name for name in (CLUSTERS_FILE, HOVER_FILE, VIEW_FILE)]


def test_stored_clusters_and_hover_equal_computing_them_fresh(store_with_models):
    create_map(store_with_models, "lee-w2v", "top", "pca", words=400)
    kv, _ = store_with_models.load("lee-w2v")
    opened = open_map(store_with_models, "lee-w2v", "top")
    stored = read_view_data(opened)
    assert isinstance(stored.clusters, np.memmap) and isinstance(stored.hover, np.memmap)
    shown = hover_count(len(kv.index_to_key), kv.vector_size, 400)
    assert stored.clusters_k == DEFAULT_K and stored.hover.shape == (shown, HOVER_K)
    fresh = map_clusters(kv, opened.rows, k=DEFAULT_K, seed=CLUSTER_SEED)
    np.testing.assert_array_equal(clusters_for(opened, kv, DEFAULT_K), fresh)
    assert set(fresh.tolist()) == set(range(DEFAULT_K))
    assert hover_neighbours(opened, kv) == full_space_neighbours(
        kv, opened.words[:shown], k=HOVER_K
    )
    assert hover_neighbours(opened, kv)[0] == [
        w for w, _ in kv.most_similar(opened.words[0], topn=HOVER_K)
    ]
    # Another k is computed on demand, with the same seed.
    other = clusters_for(opened, kv, 5)
    assert not isinstance(other, np.memmap) and set(other.tolist()) == set(range(5))
    np.testing.assert_array_equal(other, map_clusters(kv, opened.rows, k=5, seed=CLUSTER_SEED))


def test_a_map_stored_without_view_data_still_opens(store_with_models):
    create_map(store_with_models, "lee-w2v", "old", "pca", words=300, sample="bands")
    kv, _ = store_with_models.load("lee-w2v")
    opened = open_map(store_with_models, "lee-w2v", "old")
    clusters = np.array(clusters_for(opened, kv))
    hover = hover_neighbours(opened, kv)
    for path in _view_files(opened):
        path.unlink()
    old = open_map(store_with_models, "lee-w2v", "old")
    assert read_view_data(old) is None
    np.testing.assert_array_equal(clusters_for(old, kv), clusters)
    assert hover_neighbours(old, kv) == hover and len(hover) == 300


def test_damaged_view_data_is_a_clear_error(store_with_models):
    create_map(store_with_models, "lee-w2v", "bad", "pca", words=300)
    opened = open_map(store_with_models, "lee-w2v", "bad")
    np.save(opened.folder / CLUSTERS_FILE, np.zeros(7, np.uint16))
    with pytest.raises(FormatError, match="Map 'bad' of model 'lee-w2v' is damaged"):
        clusters_for(opened, None)
