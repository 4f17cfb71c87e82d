"""Projector export: byte-identical to gensim's word2vec2tensor, metadata, config, zip, CSV."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile

import numpy as np
import pandas as pd
import pytest
from gensim.models import KeyedVectors

from embeddings.errors import EmbeddingsError
from embeddings.vectors.export import (
    PROJECTOR_ROW_WARNING,
    PROJECTOR_TSNE_SAMPLE,
    clean_token,
    coordinates_csv,
    projector_files,
    projector_rows,
    write_projector_files,
    zip_bytes,
)


def _keyed(words, vectors=None, dim=4, seed=0) -> KeyedVectors:
    """A KeyedVectors holding ``words`` with seeded float32 vectors."""
    if vectors is None:
        vectors = np.random.default_rng(seed).normal(size=(len(words), dim)).astype(np.float32)
    kv = KeyedVectors(vectors.shape[1])
    kv.add_vectors(list(words), vectors)
    return kv


def _word2vec2tensor(kv: KeyedVectors, tmp_path, name="ref") -> tuple[bytes, bytes]:
    """Run ``python -m gensim.scripts.word2vec2tensor`` on ``kv`` saved as word2vec text."""
    src = tmp_path / f"{name}.txt"
    kv.save_word2vec_format(str(src))
    subprocess.run(
        [sys.executable, "-m", "gensim.scripts.word2vec2tensor", "-i", str(src), "-o",
         str(tmp_path / name)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    tensor = (tmp_path / f"{name}_tensor.tsv").read_bytes()
    metadata = (tmp_path / f"{name}_metadata.tsv").read_bytes()
    return tensor, metadata


def _read_tsv(data: bytes, header) -> pd.DataFrame:
    return pd.read_csv(
        io.BytesIO(data),
        sep="\t",
        header=header,
        quoting=csv.QUOTE_NONE,
        keep_default_na=False,
        encoding="utf-8",
    )


def test_tensor_and_metadata_are_byte_identical_to_word2vec2tensor(lee_w2v, tmp_path):
    first = _keyed(lee_w2v.index_to_key[:200], lee_w2v.vectors[:200])
    ref_tensor, ref_metadata = _word2vec2tensor(first, tmp_path)

    rows = projector_rows(lee_w2v, limit=200)
    files = projector_files(rows, "lee")

    assert files["lee_tensor.tsv"] == ref_tensor
    assert files["lee_metadata.tsv"] == ref_metadata
    assert ref_metadata.decode("utf-8").splitlines() == lee_w2v.index_to_key[:200]
    assert len(ref_tensor.decode().splitlines()) == 200
    # Every value is the float32 the model holds, written as Python prints it.
    assert np.array_equal(_read_tsv(ref_tensor, None).to_numpy(np.float32), lee_w2v.vectors[:200])


def test_files_written_to_a_directory_match_the_in_memory_ones(lee_w2v, tmp_path):
    rows = projector_rows(lee_w2v, limit=50)
    paths = write_projector_files(rows, tmp_path / "out", "lee-w2v")
    assert sorted(p.name for p in paths) == [
        "lee-w2v_metadata.tsv",
        "lee-w2v_tensor.tsv",
        "projector_config.json",
    ]
    files = projector_files(rows, "lee-w2v")
    for path in paths:
        assert path.read_bytes() == files[path.name]


def test_korean_words_are_utf8_and_identical_to_word2vec2tensor(tmp_path):
    words = ["영화", "배우", "감독", "재미", "최고의", "연기", "movie"]
    kv = _keyed(words, dim=5, seed=3)
    ref_tensor, ref_metadata = _word2vec2tensor(kv, tmp_path)

    files = projector_files(projector_rows(kv), "한국어")

    assert files["한국어_tensor.tsv"] == ref_tensor
    assert files["한국어_metadata.tsv"] == ref_metadata
    assert files["한국어_metadata.tsv"].decode("utf-8") == "\n".join(words) + "\n"
    config = json.loads(files["projector_config.json"].decode("utf-8"))
    assert config["embeddings"][0]["metadataPath"] == "한국어_metadata.tsv"


def test_multi_column_metadata_has_a_header_and_reads_back_with_pandas(lee_w2v):
    words = lee_w2v.index_to_key[:30]
    clusters = [i % 4 for i in range(30)]
    groups = ["police" if i < 10 else "" for i in range(30)]
    rows = projector_rows(
        lee_w2v, words=words, columns={"count": None, "cluster": clusters, "group": groups}
    )
    data = projector_files(rows, "lee")["lee_metadata.tsv"]

    assert data.decode("utf-8").splitlines()[0] == "word\tcount\tcluster\tgroup"
    frame = _read_tsv(data, 0)
    assert list(frame.columns) == ["word", "count", "cluster", "group"]
    assert list(frame["word"]) == words
    assert list(frame["count"]) == [lee_w2v.get_vecattr(w, "count") for w in words]
    assert list(frame["cluster"]) == clusters
    assert list(frame["group"]) == groups
    # The tensor file keeps one row per metadata row (the header is not a point).
    assert len(projector_files(rows, "lee")["lee_tensor.tsv"].splitlines()) == 30


def test_one_column_metadata_has_no_header(lee_w2v):
    rows = projector_rows(lee_w2v, limit=5)
    data = projector_files(rows, "lee")["lee_metadata.tsv"]
    assert data.decode() == "".join(w + "\n" for w in lee_w2v.index_to_key[:5])
    assert not data.startswith(b"word")


def test_metadata_column_of_the_wrong_length_is_refused(lee_w2v):
    with pytest.raises(EmbeddingsError, match="'cluster' has 2 values for 5 words"):
        projector_rows(lee_w2v, limit=5, columns={"cluster": [0, 1]})


def test_tabs_and_newlines_are_cleaned_and_empty_tokens_dropped_keeping_rows_aligned():
    words = ["new\tyork", "", "plain", "line\nbreak", " \t\n", "carriage\r\nreturn", "\u2028"]
    vectors = np.arange(len(words) * 3, dtype=np.float32).reshape(len(words), 3)
    kv = _keyed(words, vectors)
    groups = ["a\tb", "g1", "g2", "g3", "g4", "g5", "g6"]

    rows = projector_rows(kv, columns={"group": groups})

    assert rows.words == ["new york", "plain", "line break", "carriage return"]
    assert rows.dropped == ["", " \t\n", "\u2028"]
    assert rows.cleaned == 3
    # Each kept word keeps its own vector and metadata, whatever was dropped before it.
    assert rows.vectors.tolist() == vectors[[0, 2, 3, 5]].tolist()
    assert rows.columns["group"] == ["a b", "g2", "g3", "g5"]
    assert rows.warnings() == [
        "3 token(s) had tabs or line breaks replaced by spaces.",
        "3 empty token(s) dropped.",
    ]
    files = projector_files(rows, "dirty")
    tensor = files["dirty_tensor.tsv"].decode().splitlines()
    metadata = files["dirty_metadata.tsv"].decode().split("\n")
    assert metadata == ["word\tgroup", "new york\ta b", "plain\tg2", "line break\tg3",
                        "carriage return\tg5", ""]  # fmt: skip
    assert len(tensor) == 4
    assert [float(v) for v in tensor[1].split("\t")] == [6.0, 7.0, 8.0]
    frame = _read_tsv(files["dirty_metadata.tsv"], 0)
    assert list(frame["word"]) == rows.words


def test_clean_token():
    assert clean_token("a\t\tb") == "a b"
    assert clean_token("\n x \r") == "x"
    assert clean_token("\v\f") == ""
    assert clean_token("영화\t배우") == "영화 배우"


def test_config_points_at_both_files_and_bookmarks_hold_the_query_words(lee_w2v):
    rows = projector_rows(lee_w2v, limit=100)
    queries = ["police", "government", "notaword"]
    files = projector_files(rows, "lee w2v", query_words=queries)

    assert set(files) == {
        "lee_w2v_tensor.tsv",
        "lee_w2v_metadata.tsv",
        "lee_w2v_bookmarks.json",
        "projector_config.json",
    }
    config = json.loads(files["projector_config.json"])
    (emb,) = config["embeddings"]
    assert emb == {
        "tensorName": "lee_w2v",
        "tensorShape": [100, 50],
        "tensorPath": "lee_w2v_tensor.tsv",
        "metadataPath": "lee_w2v_metadata.tsv",
        "bookmarksPath": "lee_w2v_bookmarks.json",
    }
    assert all(emb[key] in files for key in ("tensorPath", "metadataPath", "bookmarksPath"))
    marks = json.loads(files["lee_w2v_bookmarks.json"])
    assert [m["label"] for m in marks] == ["police", "government"]
    for mark in marks:
        assert mark["selectedPoints"] == [rows.words.index(mark["label"])]
        assert mark["dataSetDimensions"] == [100, 50]


def test_without_query_words_there_is_no_bookmarks_file(lee_w2v):
    files = projector_files(projector_rows(lee_w2v, limit=10), "lee")
    assert "bookmarksPath" not in json.loads(files["projector_config.json"])["embeddings"][0]
    assert set(files) == {"lee_tensor.tsv", "lee_metadata.tsv", "projector_config.json"}


def test_zip_holds_every_file_unchanged(lee_w2v):
    files = projector_files(projector_rows(lee_w2v, limit=40), "lee", query_words=["police"])
    files["lee_coordinates.csv"] = coordinates_csv(
        lee_w2v.index_to_key[:40], np.zeros((40, 2)), None
    )
    with zipfile.ZipFile(io.BytesIO(zip_bytes(files))) as zf:
        assert zf.testzip() is None
        assert zf.namelist() == list(files)
        for name, data in files.items():
            assert zf.read(name) == data


def test_coordinates_csv_round_trip(lee_w2v):
    words = [*lee_w2v.index_to_key[:20], "영화", "배우"]
    rng = np.random.default_rng(7)
    coords = rng.normal(size=(22, 3))
    preservation = rng.uniform(size=22).round(4)
    data = coordinates_csv(words, coords, {"preservation": preservation})

    assert data.decode("utf-8").splitlines()[0] == "word,x,y,z,preservation"
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8", keep_default_na=False)
    assert list(frame["word"]) == words
    assert np.array_equal(frame[["x", "y", "z"]].to_numpy(), coords)
    assert np.array_equal(frame["preservation"].to_numpy(), preservation)
    two = coordinates_csv(words, coords[:, :2])
    assert list(pd.read_csv(io.BytesIO(two)).columns) == ["word", "x", "y"]


def test_size_warnings_past_the_projector_limits():
    n = PROJECTOR_ROW_WARNING + 1
    kv = KeyedVectors(2)
    kv.add_vectors([f"w{i}" for i in range(n)], np.zeros((n, 2), dtype=np.float32))

    assert projector_rows(kv, limit=PROJECTOR_TSNE_SAMPLE).warnings() == []
    mid = projector_rows(kv, limit=PROJECTOR_TSNE_SAMPLE + 1).warnings()
    assert len(mid) == 1 and "random sample of 10,000 points" in mid[0]
    big = projector_rows(kv).warnings()
    assert len(big) == 2 and big[0].startswith("100,001 rows: the Projector becomes slow")
