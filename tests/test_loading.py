"""Loading vectors files: every format against gensim's own readers, compression, and
files that are damaged or lying about their rows. (Memory bounds and hostile bytes:
test_loading_bounds.py.)"""

from __future__ import annotations

import bz2
import gzip
import os
import pickle
import zipfile
from pathlib import Path

import gensim
import numpy as np
import pytest
from gensim.models import KeyedVectors
from gensim.models.fasttext import load_facebook_vectors

from embeddings.errors import FormatError, UnsafeFileError
from embeddings.vectors.loading import load_vectors
from embeddings.vectors.sniffing import sniff_format

DATA = Path(gensim.__file__).parent / "test" / "test_data"


def _same(kv, ref):
    assert kv.index_to_key == ref.index_to_key
    np.testing.assert_allclose(kv.vectors, ref.vectors, rtol=0, atol=1e-6)


@pytest.mark.parametrize(
    "name, fmt, binary",
    [
        ("euclidean_vectors.bin", "word2vec-bin", True),
        ("high_precision.kv.bin", "word2vec-bin", True),
        ("crime-and-punishment.vec", "word2vec-text", False),
        ("lee_fasttext.vec", "word2vec-text", False),
        ("high_precision.kv.txt", "word2vec-text", False),
    ],
)
def test_word2vec_files_equal_gensims_reader(name, fmt, binary):
    kv, card = load_vectors(DATA / name)
    assert card.notes["format"] == fmt
    _same(kv, KeyedVectors.load_word2vec_format(str(DATA / name), binary=binary))
    assert card.vocab_size == len(kv) and card.vector_size == kv.vector_size


def test_glove_file_without_header():
    kv, card = load_vectors(DATA / "test_glove.txt")
    assert card.notes["format"] == "glove-text"
    ref = KeyedVectors.load_word2vec_format(str(DATA / "test_glove.txt"), no_header=True)
    _same(kv, ref)


@pytest.mark.parametrize(
    "name", ["lee_fasttext.bin", "lee_fasttext_new.bin", "crime-and-punishment.bin"]
)
def test_fasttext_bin_keeps_subwords(name):
    kv, card = load_vectors(DATA / name)
    ref = load_facebook_vectors(str(DATA / name))
    assert card.notes["format"] == "fasttext-bin" and card.has_subwords
    eos = kv.key_to_index.get("</s>")
    if eos is not None and name != "lee_fasttext.bin":
        # The current reference keeps "</s>" whole (its own row); gensim adds n-grams.
        np.testing.assert_array_equal(kv.vectors[eos], kv.vectors_vocab[eos])
        ref.vectors[eos] = ref.vectors_vocab[eos]
    _same(kv, ref)
    np.testing.assert_allclose(kv.get_vector("zzqqxy"), ref.get_vector("zzqqxy"), atol=1e-6)


def test_supervised_fasttext_model_is_a_clear_error():
    with pytest.raises(FormatError, match="classifier"):
        load_vectors(DATA / "pang_lee_polarity_fasttext.bin")


@pytest.mark.parametrize("compress", ["gzip", "bz2", "zip"])
@pytest.mark.parametrize(
    "name", ["crime-and-punishment.vec", "euclidean_vectors.bin", "test_glove.txt"]
)
def test_compressed_files_load_the_same(tmp_path, compress, name):
    raw = (DATA / name).read_bytes()
    target = tmp_path / f"{name}.{compress}"
    if compress == "gzip":
        target.write_bytes(gzip.compress(raw))
    elif compress == "bz2":
        target.write_bytes(bz2.compress(raw))
    else:
        with zipfile.ZipFile(target, "w") as zf:
            zf.writestr(name, raw)
    kv, card = load_vectors(target)
    plain, plain_card = load_vectors(DATA / name)
    assert card.notes["compression"] == compress
    assert card.notes["format"] == plain_card.notes["format"]
    _same(kv, plain)


def test_fasttext_bin_gzip(tmp_path):
    target = tmp_path / "model.bin.gz"
    target.write_bytes(gzip.compress((DATA / "lee_fasttext_new.bin").read_bytes()))
    kv, card = load_vectors(target)
    assert card.has_subwords
    _same(kv, load_vectors(DATA / "lee_fasttext_new.bin")[0])


def test_glove_tokens_with_spaces_and_numbers_keep_their_columns(tmp_path):
    path = tmp_path / "glove.txt"
    path.write_text("the 0.1 0.2 0.3\nnew york 1 2 3\n1999 4 5 6\n. . . 7 8 9\n", "utf-8")
    kv, _ = load_vectors(path)
    assert kv.index_to_key == ["the", "new york", "1999", ". . ."]
    np.testing.assert_array_equal(kv["new york"], [1, 2, 3])
    np.testing.assert_array_equal(kv[". . ."], [7, 8, 9])


def test_broken_utf8_loads_and_is_counted(tmp_path):
    path = tmp_path / "broken.vec"
    path.write_bytes(b"3 2\nok 1 2\nbad\xed\x95 3 4\n\xff\xfe 5 6\n")
    kv, card = load_vectors(path)
    assert len(kv) == 3 and card.notes["replaced_tokens"] == 2
    assert "bad\ufffd" in kv.key_to_index
    assert any("not valid utf-8" in w for w in card.notes["warnings"])


def test_a_pickle_is_refused_and_never_run(tmp_path):
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    payload = pickle.dumps(Exploit(), protocol=4)
    files = {"model.kv": payload, "vectors.vec.gz": gzip.compress(payload)}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    with zipfile.ZipFile(tmp_path / "model.zip", "w") as zf:
        zf.writestr("archive/data.pkl", payload)
    for name in [*files, "model.zip"]:
        for fmt in ("auto", "word2vec-bin", "fasttext-bin"):
            with pytest.raises(UnsafeFileError, match="pickle"):
                load_vectors(tmp_path / name, fmt)
    assert not marker.exists()


def test_gensim_native_model_file_is_refused():
    with pytest.raises(UnsafeFileError, match="never unpickles"):
        load_vectors(DATA / "ft_kv_3.6.0.model.gz")


def test_header_promising_more_rows_loads_what_is_there(tmp_path):
    kv, card = load_vectors(DATA / "pretrained.vec")
    assert len(kv) == 1
    assert "promised 3 rows but the file holds 1" in card.notes["warnings"][0]


def test_header_promising_fewer_rows_loads_all(tmp_path):
    path = tmp_path / "more.vec"
    path.write_text("1 2\na 1 2\nb 3 4\n")
    kv, card = load_vectors(path)
    assert kv.index_to_key == ["a", "b"]
    assert "promised 1 rows but the file holds 2" in card.notes["warnings"][0]


def test_truncated_binary_keeps_complete_rows(tmp_path):
    src = KeyedVectors.load_word2vec_format(str(DATA / "euclidean_vectors.bin"), binary=True)
    full = tmp_path / "full.bin"
    src.save_word2vec_format(str(full), binary=True)
    cut = tmp_path / "cut.bin"
    data = full.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    kv, card = load_vectors(cut)
    assert 0 < len(kv) < len(src)
    np.testing.assert_array_equal(kv.vectors, src.vectors[: len(kv)])
    assert "ends after" in card.notes["warnings"][0]


@pytest.mark.parametrize("rows", [3, 20_000])  # one block of rows, and several buffers
def test_binary_words_after_newlines_and_holding_one(tmp_path, rows):
    """Newlines before a word are dropped (some writers end each row with one); a newline
    inside a word stays; every row's numbers follow its own word, across buffers."""
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((rows, 4)).astype(np.float32)
    words = [b"\nfirst", b"mid\ndle", b"\n\nlast"] + [b"\nw%d" % i for i in range(rows - 3)]
    path = tmp_path / "newlines.bin"
    path.write_bytes(
        b"%d 4\n" % rows
        + b"".join(w + b" " + v.tobytes() for w, v in zip(words, vectors, strict=True))
    )
    kv, _ = load_vectors(path)
    assert kv.index_to_key[:3] == ["first", "mid\ndle", "last"] and len(kv) == rows
    np.testing.assert_array_equal(kv.vectors, vectors)


def test_nan_rows_are_refused_with_the_line(tmp_path):
    path = tmp_path / "nan.txt"
    path.write_text("a 1 2\nb nan 2\nc 3 4\n")
    with pytest.raises(FormatError, match=r"NaN or infinite.*'b' on line 2"):
        load_vectors(path)


def test_unreadable_value_names_line_and_word(tmp_path):
    path = tmp_path / "bad.vec"
    path.write_text("3 2\na 1 2\nb 3 4\nc 5 x7\n")
    with pytest.raises(FormatError, match=r"line 4 \(word 'c'\).*'x7'"):
        load_vectors(path)


def test_short_row_names_the_line(tmp_path):
    path = tmp_path / "short.vec"
    path.write_text("2 3\na 1 2 3\nb 4\n")
    with pytest.raises(FormatError, match="line 3"):
        load_vectors(path)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (os.urandom(4096), "does not look like word vectors"),
        (b"It was a bright cold day in April.\nThe clocks were striking.\n", "does not look"),
        (b"\x93NUMPY\x01\x00", "NumPy"),
    ],
)
def test_not_vectors_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "file.txt"
    path.write_bytes(content)
    with pytest.raises(FormatError, match=message):
        load_vectors(path)


def test_hostile_fasttext_header_is_refused_before_allocating(tmp_path):
    head = bytearray((DATA / "lee_fasttext_new.bin").read_bytes()[:200])
    head[8 + 32 : 8 + 36] = (2_000_000_000).to_bytes(4, "little")
    path = tmp_path / "huge.bin"
    path.write_bytes(bytes(head))
    with pytest.raises(FormatError, match="cannot hold"):
        load_vectors(path)


def test_override_and_limit(tmp_path):
    kv, card = load_vectors(DATA / "lee_fasttext.vec", "word2vec-text", limit=10)
    assert (
        kv.index_to_key
        == KeyedVectors.load_word2vec_format(str(DATA / "lee_fasttext.vec"), limit=10).index_to_key
    )
    with pytest.raises(FormatError):
        load_vectors(DATA / "test_glove.txt", "word2vec-text")


def test_duplicate_and_empty_words_are_dropped_and_counted(tmp_path):
    path = tmp_path / "dup.txt"
    path.write_bytes(b"a 1 2\nb 3 4\na 5 6\n\xc2\xa0 7 8\n")
    kv, card = load_vectors(path)
    assert kv.index_to_key == ["a", "b"]
    np.testing.assert_array_equal(kv["a"], [1, 2])
    assert card.notes["duplicates"] == 1 and card.notes["empty_tokens"] == 1


def test_progress_reaches_the_end(tmp_path):
    events = []
    load_vectors(DATA / "lee_fasttext.vec", progress=events.append)
    fractions = [e.fraction for e in events]
    assert fractions[0] == 0 and fractions[-1] == 1
    assert fractions == sorted(fractions)


def test_sniff_names_each_format():
    assert sniff_format(DATA / "euclidean_vectors.bin") == ("word2vec-bin", None)
    assert sniff_format(DATA / "lee_fasttext.bin") == ("fasttext-bin", None)
    assert sniff_format(DATA / "test_glove.txt") == ("glove-text", None)
