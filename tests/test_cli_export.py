"""The export-tsv and project subcommands: word2vec2tensor's bytes, coordinates, exit 2."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from gensim.models import KeyedVectors

from embeddings.cli import main
from embeddings.errors import EmbeddingsError
from embeddings.projection import kmeans_clusters, neighbour_preservation
from tests.conftest import PROJECT


@pytest.fixture
def lee_store(store, lee_w2v):
    """The temporary store (also $EMBEDDINGS_HOME) holding ``lee-w2v``."""
    from embeddings.vectors.store import ModelCard

    store.save(lee_w2v, ModelCard(name="lee-w2v", algorithm="word2vec", source="tests"))
    return store


def _cli(*argv) -> subprocess.CompletedProcess:
    """``python -m embeddings ...`` in a fresh process (``$EMBEDDINGS_HOME`` inherited)."""
    return subprocess.run(
        [sys.executable, "-m", "embeddings", *argv],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
    )


def _word2vec2tensor(kv: KeyedVectors, words: list[str], tmp_path) -> tuple[bytes, bytes]:
    """word2vec2tensor's two files for ``words`` of ``kv``, saved as word2vec text first."""
    part = KeyedVectors(kv.vector_size)
    part.add_vectors(words, kv.vectors[[kv.key_to_index[w] for w in words]])
    src = tmp_path / "ref.txt"
    part.save_word2vec_format(str(src))
    prefix = tmp_path / "ref"
    subprocess.run(
        [sys.executable, "-m", "gensim.scripts.word2vec2tensor", "-i", str(src), "-o", str(prefix)],
        check=True,
        capture_output=True,
    )
    return (tmp_path / "ref_tensor.tsv").read_bytes(), (tmp_path / "ref_metadata.tsv").read_bytes()


# --- export-tsv ---------------------------------------------------------------------------


def test_export_tsv_is_byte_identical_to_word2vec2tensor(lee_store, lee_w2v, tmp_path):
    out = tmp_path / "out"
    proc = _cli("export-tsv", "lee-w2v", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    n = len(lee_w2v)
    assert proc.stdout.startswith(f"{n:,} rows × 50 dimensions\n")
    assert sorted(p.name for p in out.iterdir()) == [
        "lee-w2v_metadata.tsv",
        "lee-w2v_tensor.tsv",
        "projector_config.json",
    ]
    ref_tensor, ref_metadata = _word2vec2tensor(lee_w2v, lee_w2v.index_to_key, tmp_path)
    assert (out / "lee-w2v_tensor.tsv").read_bytes() == ref_tensor
    assert (out / "lee-w2v_metadata.tsv").read_bytes() == ref_metadata
    config = json.loads((out / "projector_config.json").read_text("utf-8"))
    assert config["embeddings"][0]["tensorPath"] == "lee-w2v_tensor.tsv"
    assert config["embeddings"][0]["metadataPath"] == "lee-w2v_metadata.tsv"
    assert config["embeddings"][0]["tensorShape"] == [n, 50]


def test_limit_keeps_the_most_frequent_words_in_model_order(lee_store, lee_w2v, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["export-tsv", "lee-w2v", "--out", str(out), "--limit", "150", "--prefix", "top"])
    assert code == 0
    assert "150 rows × 50 dimensions" in capsys.readouterr().out
    ref_tensor, ref_metadata = _word2vec2tensor(lee_w2v, lee_w2v.index_to_key[:150], tmp_path)
    assert (out / "top_tensor.tsv").read_bytes() == ref_tensor
    assert (out / "top_metadata.tsv").read_bytes() == ref_metadata
    counts = [lee_w2v.get_vecattr(w, "count") for w in lee_w2v.index_to_key[:150]]
    assert counts == sorted(counts, reverse=True)
    assert max(lee_w2v.get_vecattr(w, "count") for w in lee_w2v.index_to_key[150:]) <= counts[-1]


def test_count_and_cluster_metadata_get_a_header(lee_store, lee_w2v, tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["export-tsv", "lee-w2v", "--out", str(out), "--limit", "300"]
    code = main([*argv, "--metadata", "word,count,cluster", "--clusters", "5", "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and result["rows"] == 300 and result["dimensions"] == 50
    assert result["warnings"] == []

    frame = pd.read_csv(out / "lee-w2v_metadata.tsv", sep="\t", keep_default_na=False)
    words = lee_w2v.index_to_key[:300]
    assert list(frame.columns) == ["word", "count", "cluster"]
    assert list(frame["word"]) == words
    assert list(frame["count"]) == [lee_w2v.get_vecattr(w, "count") for w in words]
    assert list(frame["cluster"]) == list(kmeans_clusters(lee_w2v.vectors[:300], 5))
    assert set(frame["cluster"]) == set(range(5))
    # The tensor file does not change with the metadata columns.
    ref_tensor, _ = _word2vec2tensor(lee_w2v, words, tmp_path)
    assert (out / "lee-w2v_tensor.tsv").read_bytes() == ref_tensor


@pytest.mark.parametrize(
    "args, message",
    [
        (["no-such-model"], "'no-such-model' is neither a model in the store"),
        (["lee-w2v", "--metadata", "count,word"], "--metadata must start with word"),
        (["lee-w2v", "--metadata", "word,colour"], "--metadata must start with word"),
        (["lee-w2v", "--limit", "0"], "--limit must be at least 1"),
        (["lee-w2v", "--prefix", "../escaped"], "--prefix must be a plain name"),
        (["lee-w2v", "--prefix", "sub/name"], "--prefix must be a plain name"),
        (["lee-w2v", "--prefix", ".."], "--prefix must be a plain name"),
        (["lee-w2v", "--prefix", "/tmp/abs"], "--prefix must be a plain name"),
        (["lee-w2v", "--prefix", ""], "--prefix must be a plain name"),
    ],
)
def test_export_errors_are_one_line_and_exit_2(lee_store, tmp_path, capsys, args, message):
    out = tmp_path / "out"
    code = main(["export-tsv", *args, "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1
    assert not out.exists()


def test_export_prefix_never_leaves_the_output_folder(lee_store, tmp_path, capsys):
    out = tmp_path / "deep" / "out"
    code = main(["export-tsv", "lee-w2v", "--out", str(out), "--prefix", "../escaped"])
    assert code == 2
    assert capsys.readouterr().err == (
        "error: --prefix must be a plain name: letters, digits, '.', '-', '_' or '+' "
        "(no folders; got '../escaped').\n"
    )
    assert not list(tmp_path.rglob("*escaped*"))
    code = main(
        ["export-tsv", "lee-w2v", "--out", str(out), "--prefix", "모델-v1.2", "--limit", "5"]
    )
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "projector_config.json",
        "모델-v1.2_metadata.tsv",
        "모델-v1.2_tensor.tsv",
    ]


def test_projector_files_refuse_a_prefix_with_folders(lee_w2v):
    from embeddings.vectors.export import projector_files, projector_rows

    rows = projector_rows(lee_w2v, limit=5)
    assert "my_model_tensor.tsv" in projector_files(rows, "my model")
    for bad in ("../x", "a/b", "a\\b", ".."):
        with pytest.raises(EmbeddingsError, match="must be a plain name"):
            projector_files(rows, bad)


# --- project ------------------------------------------------------------------------------


def _project(tmp_path, capsys, *args, name="coords.csv") -> tuple[dict, bytes]:
    out = tmp_path / name
    code = main(["project", "lee-w2v", *args, "--out", str(out), "--quiet", "--json"])
    assert code == 0
    return json.loads(capsys.readouterr().out), out.read_bytes()


def test_project_prints_the_preservation_score_and_writes_the_csv(lee_store, lee_w2v, tmp_path):
    out = tmp_path / "coords.csv"
    proc = _cli("project", "lee-w2v", "--method", "pca", "--limit", "300", "--dims", "2",
                "--seed", "1", "--out", str(out))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    printed = re.search(r"neighbour preservation at k=10: (\d\.\d{3})", proc.stdout)
    assert printed, proc.stdout
    assert "PCA of 300 words to 2-D" in proc.stdout
    assert re.search(r"explained variance: \d+\.\d%, \d+\.\d%", proc.stdout)

    frame = pd.read_csv(out, keep_default_na=False)
    assert list(frame.columns) == ["word", "x", "y", "preservation"]
    assert list(frame["word"]) == lee_w2v.index_to_key[:300]
    overall, per = neighbour_preservation(lee_w2v.vectors[:300], frame[["x", "y"]].to_numpy())
    assert printed.group(1) == f"{overall:.3f}"
    assert np.array_equal(frame["preservation"].to_numpy(), per.round(4))


def test_pca_and_tsne_same_seed_give_the_same_bytes(lee_store, tmp_path, capsys):
    for method in ("pca", "tsne"):
        args = ["--method", method, "--limit", "250", "--seed", "1"]
        first, a = _project(tmp_path, capsys, *args, name="a.csv")
        second, b = _project(tmp_path, capsys, *args, name="b.csv")
        assert a == b
        assert first["neighbour_preservation"] == second["neighbour_preservation"]
        assert 0 < first["neighbour_preservation"] <= 1
        assert 0 < first["trustworthiness"] <= 1


def test_project_three_dimensions_and_json(lee_store, tmp_path, capsys):
    result, data = _project(tmp_path, capsys, "--method", "pca", "--limit", "100", "--dims", "3")
    frame = pd.read_csv(io.BytesIO(data))
    assert list(frame.columns) == ["word", "x", "y", "z", "preservation"]
    assert len(frame) == 100
    assert result["dims"] == 3 and result["words"] == 100 and result["k"] == 10
    assert result["warnings"] == []
    assert len(result["explained_variance"]) == 3
    assert result["explained_variance"] == sorted(result["explained_variance"], reverse=True)


def test_project_umap(lee_store, tmp_path, capsys):
    result, data = _project(tmp_path, capsys, "--method", "umap", "--limit", "200", "--seed", "1")
    frame = pd.read_csv(io.BytesIO(data))
    assert len(frame) == 200 and list(frame.columns) == ["word", "x", "y", "preservation"]
    assert result["method"] == "umap" and result["explained_variance"] == []
    assert result["neighbour_preservation"] == pytest.approx(frame["preservation"].mean(), 1e-3)


@pytest.mark.parametrize("k", ["0", "-1", "x"])
def test_project_k_below_one_is_an_argument_error(lee_store, tmp_path, capsys, k):
    out = tmp_path / "coords.csv"
    with pytest.raises(SystemExit) as info:
        main(["project", "lee-w2v", "--k", k, "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert err.count("\n") == 1 and "argument --k: " in err
    assert not out.exists()


def test_project_limit_past_the_cap_is_a_warning(lee_store, tmp_path, capsys):
    out = tmp_path / "coords.csv"
    code = main(
        ["project", "lee-w2v", "--limit", "1000000", "--out", str(out), "--quiet", "--json"]
    )
    captured = capsys.readouterr()
    assert code == 0
    warning = (
        "--limit 1,000,000 is more than the 20,000 words a projection takes; projecting the "
        "20,000 most frequent."
    )
    assert captured.err == f"warning: {warning}\n"
    result = json.loads(captured.out)
    assert result["warnings"] == [warning]
    assert result["words"] == len(lee_store.load("lee-w2v")[0])  # the whole (small) vocabulary


@pytest.mark.parametrize(
    "args, message",
    [
        (["no-such-model", "--method", "pca"], "'no-such-model' is neither a model in the store"),
        (["lee-w2v", "--limit", "3"], "--limit must be at least 4"),
    ],
)
def test_project_errors_are_one_line_and_exit_2(lee_store, tmp_path, capsys, args, message):
    out = tmp_path / "coords.csv"
    code = main(["project", *args, "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1
    assert not out.exists()


def test_unknown_method_is_an_argument_error(lee_store, tmp_path):
    proc = _cli("project", "lee-w2v", "--method", "mds", "--out", str(tmp_path / "c.csv"))
    assert proc.returncode == 2
    assert "invalid choice: 'mds'" in proc.stderr and proc.stderr.count("\n") == 1
    assert not (tmp_path / "c.csv").exists()
