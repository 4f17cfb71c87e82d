"""Property-based tests of every parser of outside bytes.

For any input, each parser returns a loaded object or raises the library's own
:class:`~embeddings.errors.EmbeddingsError`: never another exception, never a hang
(hypothesis ``deadline``), never memory out of proportion to the input (tracemalloc
peak at most :data:`MEMORY_FACTOR` x the input's size, decompressed, plus
:data:`MEMORY_SLACK`).

Inputs are built with structure and then mutated (cut, bytes overwritten, bytes
inserted), so the generator reaches the deep code of each format instead of stopping
at the first check: vectors text with and without a header, word2vec binary, fastText
``.bin`` (header fields, dictionary, matrices), corpus text and CSV through the
public reader, benchmark files; each also wrapped in gzip, bzip2 or zip, sometimes
damaged after compression. Inputs hypothesis found that once broke a parser are kept
as explicit examples.
"""

from __future__ import annotations

import bz2
import gzip
import io
import os
import struct
import tempfile
import tracemalloc
import zipfile
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from embeddings.corpus.sources import CorpusSource, read_documents
from embeddings.errors import EmbeddingsError
from embeddings.evaluate.benchmarks import detect_benchmark
from embeddings.evaluate.scores import read_analogies, read_word_pairs
from embeddings.vectors.binary_scan import compile_kernel as compile_binary_scan
from embeddings.vectors.fasttext_header import read_fasttext_layout
from embeddings.vectors.loading import load_vectors
from embeddings.vectors.sniffing import sniff_format
from tests.test_loading_bounds import fasttext_bytes

MEMORY_FACTOR = 100  # fastText words cost ~600 bytes each against ~10 bytes of file
MEMORY_SLACK = 16 << 20  # block buffers, NumPy's and gensim's fixed scratch
FUZZ = settings(
    # moderate by default; FUZZ_EXAMPLES=2000 (and FUZZ_RANDOM=1) for a longer hunt
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=not os.environ.get("FUZZ_RANDOM"),  # the same examples on every run
)
WORK = Path(tempfile.mkdtemp(prefix="fuzz-"))
# The binary row scan is compiled (numba) and imported on first use: done here, so the
# first parse's peak counts the parse, not the import of numba.
compile_binary_scan()


def _write(name: str, data: bytes) -> Path:
    path = WORK / name
    path.write_bytes(data)
    return path


def _bounded(parse, path: Path, plain_size: int):
    """Run ``parse(path)``; only EmbeddingsError may escape; the peak stays bounded."""
    tracemalloc.start()
    try:
        result = parse(path)
    except EmbeddingsError:
        result = None
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    size = max(path.stat().st_size, plain_size)
    assert peak <= MEMORY_FACTOR * size + MEMORY_SLACK, (peak, size)
    return result


# --------------------------------------------------------------------------- strategies

WORDS = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
    st.sampled_from(["the", "new york", "1999", "</s>", "é", "자연어", "a\tb", " "]),
)
NUMBERS = st.one_of(
    st.floats(width=32).map(repr),
    st.integers(-(10**12), 10**12).map(str),
    st.sampled_from(["nan", "inf", "-0", "1e999", "0x10", "", "1.5.5", "--1"]),
)


@st.composite
def mutated(draw, data: bytes) -> bytes:
    """``data`` unchanged, cut, with a few bytes overwritten, or with bytes inserted."""
    kind = draw(st.sampled_from(["same", "cut", "overwrite", "insert"]))
    if kind == "same" or not data:
        return data
    at = draw(st.integers(0, len(data)))
    if kind == "cut":
        return data[:at]
    junk = draw(st.binary(min_size=1, max_size=8))
    if kind == "overwrite":
        return data[:at] + junk + data[at + len(junk) :]
    return data[:at] + junk + data[at:]


@st.composite
def wrapped(draw, data: bytes, damage: bool = True) -> tuple[bytes, str]:
    """(bytes, file-name suffix): plain, or gzip/bzip2/zip, sometimes damaged after."""
    kind = draw(st.sampled_from(["plain", "plain", "gzip", "bz2", "zip"]))
    if kind == "plain":
        return data, ""
    if kind == "gzip":
        packed, suffix = gzip.compress(data, mtime=0), ".gz"
    elif kind == "bz2":
        packed, suffix = bz2.compress(data), ".bz2"
    else:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for i in range(draw(st.integers(1, 2))):
                zf.writestr(f"member{i}.txt", data)
        packed, suffix = buf.getvalue(), ".zip"
    if damage and draw(st.booleans()):
        packed = draw(mutated(packed))
    return packed, suffix


@st.composite
def vectors_text(draw) -> bytes:
    dim = draw(st.integers(1, 4))
    rows = draw(
        st.lists(
            st.tuples(WORDS, st.lists(NUMBERS, min_size=dim - 1, max_size=dim + 1)),
            max_size=8,
        )
    )
    lines = [" ".join([w, *nums]) for w, nums in rows]
    text = "\n".join(lines) + draw(st.sampled_from(["\n", "", "\r\n"]))
    if draw(st.booleans()):
        declared = draw(st.one_of(st.just(len(rows)), st.integers(0, 10**9)))
        text = f"{declared} {draw(st.one_of(st.just(dim), st.integers(0, 200_000)))}\n{text}"
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "latin-1", "utf-16"]))
    return draw(mutated(text.encode(encoding, "replace")))


@st.composite
def word2vec_binary(draw) -> bytes:
    dim = draw(st.integers(1, 4))
    words = draw(st.lists(WORDS, max_size=6))
    rows = b"".join(
        draw(st.sampled_from([b"", b"\n"]))
        + w.encode("utf-8", "replace")
        + b" "
        + draw(st.binary(min_size=4 * dim, max_size=4 * dim))
        for w in words
    )
    declared = draw(st.one_of(st.just(len(words)), st.integers(0, 10**9)))
    return draw(mutated(f"{declared} {dim}\n".encode() + rows))


INT32 = st.one_of(st.integers(-3, 12), st.integers(-(2**31), 2**31 - 1))


@st.composite
def fasttext_bin(draw) -> bytes:
    """A well-formed model, with some header fields replaced by any int32 in half of
    the examples, and then possibly mutated."""
    hostile = draw(st.booleans())

    def field(valid):
        return draw(INT32) if hostile and draw(st.booleans()) else draw(valid)

    words = draw(
        st.lists(WORDS.map(lambda w: w.encode("utf-8", "replace")), max_size=5, unique=True)
    )
    dim, bucket = field(st.integers(1, 4)), field(st.integers(0, 6))
    minn, maxn = field(st.integers(0, 3)), field(st.integers(0, 6))
    model = field(st.sampled_from([1, 2]))
    current = draw(st.booleans())
    args = [dim, 5, 5, 1, 5, 1, 2, model, bucket, minn, maxn, 100]
    if current:
        head = struct.pack("<2i12id", 793712314, 12, *args, 1e-4)
    else:
        head = struct.pack("<2i10id", dim, 5, *args[2:], 1e-4)
    nwords = field(st.just(len(words)))
    head += struct.pack("<3iq", field(st.just(nwords)), nwords, field(st.just(0)), 7)
    if current:
        head += struct.pack(
            "<q",
            draw(st.sampled_from([-1, 0])) if not hostile else field(st.sampled_from([-1, 0, 1])),
        )
    body = b"".join(
        w + b"\0" + struct.pack("<qB", field(st.integers(1, 9)), field(st.just(0)) & 0xFF)
        for w in words
    )
    safe_dim = dim if 1 <= dim <= 4 else 1
    safe_bucket = bucket if 0 <= bucket <= 6 else 0
    matrices = b""
    for rows in (len(words) + safe_bucket, len(words)):
        flag = struct.pack("<B", field(st.just(0)) & 0xFF) if current else b""
        values = draw(st.binary(min_size=4 * rows * safe_dim, max_size=4 * rows * safe_dim))
        matrices += flag + struct.pack("<2q", rows, safe_dim) + values
    return draw(mutated(head + body + matrices))


@st.composite
def corpus_text(draw) -> bytes:
    lines = draw(st.lists(st.text(max_size=30), max_size=8))
    sep = draw(st.sampled_from(["\n", "\r\n", ",", "\t"]))
    text = sep.join(lines)
    if draw(st.booleans()):  # a CSV with a header and quoted fields
        text = "id,text\n" + "\n".join(f'{i},"{line}"' for i, line in enumerate(lines))
    encoding = draw(st.sampled_from(["utf-8", "cp949", "latin-1", "utf-16"]))
    return draw(mutated(text.encode(encoding, "replace")))


@st.composite
def benchmark_text(draw) -> bytes:
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["section", "analogy", "pair", "comment", "junk"]))
        if kind == "section":
            lines.append(": " + draw(WORDS))
        elif kind == "analogy":
            lines.append(" ".join(draw(st.lists(WORDS, min_size=3, max_size=5))))
        elif kind == "pair":
            sep = draw(st.sampled_from(["\t", ",", " "]))
            lines.append(sep.join([draw(WORDS), draw(WORDS), draw(NUMBERS)]))
        elif kind == "comment":
            lines.append("# " + draw(WORDS))
        else:
            lines.append(draw(st.text(max_size=20)))
    return draw(mutated("\n".join(lines).encode("utf-8", "replace")))


# --------------------------------------------------------------------------- properties


def _load(path: Path):
    kv, card = load_vectors(path)
    assert len(kv) == card.vocab_size >= 1 and kv.vectors.shape == (len(kv), kv.vector_size)
    assert np.isfinite(kv.vectors).all()
    return kv


@FUZZ
@given(st.data(), vectors_text())
@example(None, b"1 1\n" + b"x" * 5000 + b" 0.5\n")
@example(None, b"1003 3380\n\n\x00")  # a header of wide rows: the block is sized by bytes
def test_vectors_text(data, text):
    packed, suffix = data.draw(wrapped(text)) if data is not None else (text, "")
    _bounded(_load, _write(f"v.txt{suffix}", packed), len(text))


@FUZZ
@given(st.data(), word2vec_binary())
def test_word2vec_binary(data, raw):
    packed, suffix = data.draw(wrapped(raw))
    path = _write(f"v.bin{suffix}", packed)
    _bounded(lambda p: load_vectors(p, "word2vec-bin"), path, len(raw))
    _bounded(_load, path, len(raw))


@FUZZ
@given(fasttext_bin())
# the header, then a word that never ends: gensim's reader looped forever
@example(fasttext_bytes([b"abc"], nul=False, matrices=False))
@example(fasttext_bytes([b"abc"], nul=False, matrices=False) + b"x" * 20)
def test_fasttext_bin(raw):
    path = _write("model.bin", raw)
    _bounded(lambda p: load_vectors(p, "fasttext-bin"), path, len(raw))
    _bounded(read_fasttext_layout, path, len(raw))


@FUZZ
@given(st.data(), fasttext_bin())
def test_fasttext_bin_compressed_and_sniffed(data, raw):
    packed, suffix = data.draw(wrapped(raw))
    path = _write(f"model.bin{suffix}", packed)
    _bounded(sniff_format, path, len(raw))
    _bounded(_load, path, len(raw))


@FUZZ
@given(st.data(), corpus_text(), st.sampled_from([".txt", ".csv", ".tsv"]))
def test_corpus_reader(data, text, extension):
    packed, suffix = data.draw(wrapped(text, damage=False))
    _bounded(_read_corpus, _write(f"corpus{extension}{suffix}", packed), len(text))


def _read_corpus(path: Path) -> int:
    return sum(len(doc) for doc in read_documents(CorpusSource.from_path(path)))


DAMAGED_GZIP = b"\x1f\x8b\x08\x00" + bytes(16)  # a gzip header, then an invalid block


def test_corpus_reader_damaged_gzip():
    _bounded(_read_corpus, _write("corpus.txt.gz", DAMAGED_GZIP), len(DAMAGED_GZIP))


def test_vectors_loader_damaged_gzip():
    _bounded(_load, _write("vectors.txt.gz", DAMAGED_GZIP), len(DAMAGED_GZIP))


@FUZZ
@given(benchmark_text())
def test_benchmark_files(text):
    path = _write("bench.txt", text)
    for parse in (read_word_pairs, read_analogies, detect_benchmark):
        _bounded(parse, path, len(text))


@pytest.mark.parametrize(
    "data",
    [
        b"\x80\x04junk",  # a pickle's first bytes
        b"\x1f\x8b\x08\x00" + b"\x00" * 6,  # a gzip header and nothing after
        b"BZh9" + b"\x00" * 10,
        b"PK\x03\x04" + b"\x00" * 26,  # a zip's local header, no central directory
    ],
)
def test_wrapper_headers_alone(data):
    path = _write("alone.vec", data)
    _bounded(_load, path, len(data))
