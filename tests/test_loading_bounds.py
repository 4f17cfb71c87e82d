"""Loading vectors files within bounds: the memory peak and the budget, and files that
are damaged, lying or hostile (words, lines and numbers past their bounds, broken
fastText structures, damaged archives): each a clear error, never a hang or a blow-up.
(The formats themselves, against gensim's readers: test_loading.py.)"""

from __future__ import annotations

import bz2
import gzip
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import gensim
import numpy as np
import pytest
from gensim.models import KeyedVectors

from embeddings.errors import FormatError, ResourceLimitError
from embeddings.vectors.loading import load_vectors
from embeddings.vectors.parsing import max_line_bytes
from embeddings.vectors.row_collector import MAX_WORD_BYTES, MAX_WORD_CHARS
from tests.conftest import PROJECT

DATA = Path(gensim.__file__).parent / "test" / "test_data"


@pytest.mark.parametrize("header, bound", [(True, 1.6), (False, 2.3)])
def test_peak_memory_stays_near_the_vectors_size(tmp_path, header, bound):
    """With a header, rows fill one preallocated array; without, blocks are joined once."""
    import tracemalloc

    rng = np.random.default_rng(0)
    matrix = rng.standard_normal((60_000, 200)).astype(np.float32)
    kv = KeyedVectors(200)
    kv.add_vectors([f"w{i}" for i in range(len(matrix))], matrix)
    path = tmp_path / "big.vec"
    kv.save_word2vec_format(str(path), write_header=header)
    del kv
    tracemalloc.start()
    loaded, _ = load_vectors(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert np.allclose(loaded.vectors, matrix, atol=1e-5)
    assert peak < bound * matrix.nbytes, peak / matrix.nbytes


# --------------------------------------------------------------------------- hostile bytes


def fasttext_bytes(words, dim=1, bucket=0, minn=0, maxn=0, nul=True, matrices=True) -> bytes:
    """A current-layout fastText .bin: header, dictionary, then both (zero) matrices."""
    args = struct.pack("<12id", dim, 5, 5, 1, 5, 1, 2, 1, bucket, minn, maxn, 100, 1e-4)
    head = struct.pack("<2i", 793712314, 12) + args
    head += struct.pack("<3iqq", len(words), len(words), 0, 10, -1)
    end = b"\0" if nul else b""
    body = b"".join(w + end + struct.pack("<qb", 3, 0) for w in words)
    if not matrices:  # the file ends after the dictionary (or inside a word without NUL)
        return head + (body if nul else b"".join(words))

    def matrix(rows):
        return struct.pack("<b2q", 0, rows, dim) + bytes(4 * rows * dim)

    return head + body + matrix(len(words) + bucket) + matrix(len(words))


def test_handmade_fasttext_file_loads(tmp_path):
    path = tmp_path / "tiny.bin"
    path.write_bytes(fasttext_bytes([b"abc", b"de"], dim=3, bucket=4, minn=3, maxn=6))
    kv, card = load_vectors(path)
    assert kv.index_to_key == ["abc", "de"] and kv.vector_size == 3 and card.has_subwords


@pytest.mark.parametrize(
    "data, message",
    [
        # 95 bytes: the header, then a word that never ends (gensim looped forever)
        (fasttext_bytes([b"abc"], nul=False, matrices=False), "cannot fit"),
        (fasttext_bytes([b"abc"], nul=False, matrices=False) + b"x" * 20, "has no end"),
        (fasttext_bytes([b"x" * 5000]), "longer than 4,000 bytes"),
        (fasttext_bytes([b"a", b"b"])[:-3], "cut short.*output matrix"),
        (fasttext_bytes([b"a", b"b"]) + b"\0", "1 unexpected bytes"),
        (fasttext_bytes([b"a"], dim=0), "dim=0"),
    ],
)
def test_damaged_fasttext_structure_is_a_clear_error(tmp_path, data, message):
    path = tmp_path / "damaged.bin"
    path.write_bytes(data)
    with pytest.raises(FormatError, match=message):
        load_vectors(path)


def test_fasttext_file_of_95_bytes_fails_on_the_command_line(tmp_path):
    path = tmp_path / "nonul.bin"
    path.write_bytes(fasttext_bytes([b"abc"], nul=False, matrices=False))
    assert path.stat().st_size == 95
    proc = subprocess.run(
        [sys.executable, "-m", "embeddings", "info", str(path), "--quiet"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,  # before the bounded check, gensim's reader never returned
        env={**os.environ, "PYTHONPATH": str(PROJECT), "EMBEDDINGS_HOME": str(tmp_path)},
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "nonul.bin is not a readable fastText" in proc.stderr


@pytest.mark.parametrize("header", [b"1 1\n", b""])
def test_a_word_past_the_bound_names_its_line(tmp_path, header):
    path = tmp_path / "long.vec"
    path.write_bytes(header + b"ok 0.5\n" + "é".encode() * (MAX_WORD_CHARS + 1) + b" 0.5\n")
    with pytest.raises(FormatError, match=f"line {3 if header else 2}: the word 'ééé"):
        load_vectors(path, "word2vec-text" if header else "glove-text")


def test_a_long_line_without_newline_is_refused_after_reading_little(tmp_path):
    """An 8 MB line is rejected once its word passes the bound, holding no more than a
    couple of blocks (before, the whole line was gathered, re-copied at every block)."""
    import tracemalloc

    path = tmp_path / "noline.vec"
    path.write_bytes(b"1 1\n" + b"x" * (8 << 20) + b" 0.5\n")
    tracemalloc.start()
    with pytest.raises(FormatError, match=r"line 2: the word 'xxx"):
        load_vectors(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 4 << 20, peak


def test_numbers_past_their_width_make_the_line_too_long(tmp_path):
    path = tmp_path / "wide.vec"
    path.write_bytes(b"1 2\na 0.5 1" + b"0" * max_line_bytes(2) + b"\n")
    with pytest.raises(FormatError, match=r"line 2: longer than 4,131 bytes"):
        load_vectors(path)


def test_binary_word_without_space_is_refused(tmp_path):
    path = tmp_path / "noword.bin"
    path.write_bytes(b"1 2\n" + b"\x01" * (MAX_WORD_BYTES + 10) + b" " + bytes(8))
    with pytest.raises(FormatError, match="line 2: the word"):
        load_vectors(path, "word2vec-bin")


def _many_rows_gz(tmp_path, rows=200_000):
    path = tmp_path / "rows.txt.gz"
    path.write_bytes(gzip.compress("".join(f"w{i} {i % 7}\n" for i in range(rows)).encode()))
    return path


def test_load_past_the_memory_budget_is_refused(tmp_path, monkeypatch):
    path = _many_rows_gz(tmp_path)
    monkeypatch.setenv("EMBEDDINGS_MEMORY_BUDGET", "8M")
    events = []
    with pytest.raises(ResourceLimitError, match=r"loading rows\.txt\.gz needs about .* MiB"):
        load_vectors(path, progress=events.append)
    assert events[-1].done < events[-1].total / 2  # refused early, not at the end
    monkeypatch.setenv("EMBEDDINGS_MEMORY_BUDGET", "200M")
    kv, _ = load_vectors(path)
    assert len(kv) == 200_000 and kv["w123"][0] == 123 % 7


def test_fasttext_past_the_memory_budget_is_refused(monkeypatch):
    monkeypatch.setenv("EMBEDDINGS_MEMORY_BUDGET", "100K")
    with pytest.raises(ResourceLimitError, match="loading lee_fasttext_new.bin needs"):
        load_vectors(DATA / "lee_fasttext_new.bin")


def test_rows_cost_less_than_200_bytes_at_the_peak(tmp_path, monkeypatch):
    """One dictionary serves the reader and the KeyedVectors: building a second one at
    the end raised the peak to ~216 bytes a one-dimension row (about 134 stay).

    Small blocks keep the per-block scratch (a fixed cost) from hiding the per-row one.
    """
    import tracemalloc

    from embeddings.vectors import parsing

    monkeypatch.setattr(parsing, "BLOCK_BYTES", 64 << 10)
    path = _many_rows_gz(tmp_path, 50_000)
    load_vectors(path)  # imports and caches outside the measurement
    tracemalloc.start()
    kv, _ = load_vectors(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(kv) == 50_000 and kv.key_to_index["w49999"] == 49_999
    assert peak / len(kv) < 200, peak / len(kv)


def _damaged_files(tmp_path) -> dict[str, tuple[Path, str]]:
    text = b"".join(b"w%d 0.5 0.25\n" % i for i in range(3000))
    good_gz = gzip.compress(text)
    corrupt_gz = bytearray(good_gz)
    corrupt_gz[len(good_gz) // 2 : len(good_gz) // 2 + 16] = b"\xff" * 16
    corrupt_bz2 = bytearray(bz2.compress(text))
    corrupt_bz2[40:56] = b"\x00" * 16
    binary = (DATA / "euclidean_vectors.bin").read_bytes()
    files = {
        "corrupt.vec.gz": (bytes(corrupt_gz), "damaged or truncated gzip"),
        "cut.vec.gz": (good_gz[: len(good_gz) // 2], "damaged or truncated gzip"),
        "corrupt.vec.bz2": (bytes(corrupt_bz2), "damaged or truncated bz2"),
        "cut.bin.gz": (gzip.compress(binary)[:5000], "damaged or truncated gzip"),
        "cut-model.bin": ((DATA / "lee_fasttext_new.bin").read_bytes()[:50_000], "cut short"),
    }
    paths = {}
    for name, (data, message) in files.items():
        (tmp_path / name).write_bytes(data)
        paths[name] = (tmp_path / name, message)
    plain = tmp_path / "plain.zip"
    with zipfile.ZipFile(plain, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("v.vec", text)
    raw = plain.read_bytes()
    corrupt = bytearray(raw)
    corrupt[60:70] = b"\x00" * 10  # inside the member's deflate stream
    encrypted = bytearray(raw)
    encrypted[6] |= 1  # the "encrypted" flag, in the local and the central header
    encrypted[raw.index(b"PK\x01\x02") + 8] |= 1
    for name, data, message in (
        ("corrupt.zip", corrupt, "damaged or truncated zip"),
        ("encrypted.zip", encrypted, "encrypted zip"),
    ):
        (tmp_path / name).write_bytes(bytes(data))
        paths[name] = (tmp_path / name, message)
    return paths


def test_damaged_compressed_files_are_format_errors(tmp_path):
    for name, (path, message) in _damaged_files(tmp_path).items():
        with pytest.raises(FormatError, match=message):
            load_vectors(path)
        assert name


def test_fasttext_with_nan_values_is_refused(tmp_path):
    data = bytearray(fasttext_bytes([b"abc", b"de"], dim=3, bucket=4, minn=3, maxn=6))
    at = data.index(struct.pack("<b2q", 0, 6, 3)) + 17  # the input matrix's first value
    data[at : at + 4] = struct.pack("<f", float("nan"))
    path = tmp_path / "nan.bin"
    path.write_bytes(bytes(data))
    with pytest.raises(FormatError, match="NaN or infinite"):
        load_vectors(path)
