"""The document reader's values and limits: titles and labels from CSV and fastText lines,
the CSV row bound, corrupt compressed data and encrypted zip members as clear errors."""

from __future__ import annotations

import gzip
import struct
import tracemalloc
import zipfile
import zlib

import pytest

from embeddings.corpus.reader import Document, DocumentReader
from embeddings.corpus.source import CorpusSource
from embeddings.corpus.sources import list_columns, read_documents
from embeddings.errors import CorpusError


def read(path, **options) -> list[Document]:
    return list(DocumentReader(CorpusSource.from_path(path, **options)))


# -- titles and labels ---------------------------------------------------------------


def test_csv_rows_give_titles_and_labels(tmp_path):
    path = tmp_path / "films.csv"
    path.write_text(
        'name,review,stars\nAlien,"Tense, dark",5\n,Untitled one,\nCats,,1\nJaws,Big shark\n',
        encoding="utf-8",
    )
    docs = read(path, text_column="review", title_column="name", label_column="stars")
    assert docs == [
        Document("Tense, dark", "Alien", "5"),
        Document("Untitled one", None, ""),  # empty title cell: no title; empty label: ""
        Document("Big shark", "Jaws", ""),  # a short row: the missing label cell is ""
    ]
    with pytest.raises(CorpusError, match="no title column 'title'; its columns are"):
        read(path, text_column="review", title_column="title")
    # The plain-text path gives the same texts.
    assert list(read_documents(CorpusSource.from_path(path, text_column="review"))) == [
        "Tense, dark",
        "Untitled one",
        "Big shark",
    ]


def test_fasttext_lines_are_sniffed_and_labelled(tmp_path):
    path = tmp_path / "train.txt"
    path.write_text(
        "__label__pos a fine film\n__label__neg  __label__meh dull\nno label\n", encoding="utf-8"
    )
    reader = DocumentReader(CorpusSource.from_path(path))
    assert list(reader) == [
        Document("a fine film", label="pos"),
        Document("dull", label="neg"),
        Document("no label"),
    ]
    assert reader.format_ == "fasttext"
    # The trainer reads the texts without the labels.
    assert list(read_documents(CorpusSource.from_path(path))) == ["a fine film", "dull", "no label"]


def test_fasttext_needs_most_lines_labelled_or_the_format_named(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("__label__pos a fine film\nplain line\nanother plain line\n", encoding="utf-8")
    reader = DocumentReader(CorpusSource.from_path(path))
    assert [d.text for d in reader][0] == "__label__pos a fine film"
    assert reader.format_ == "text"
    assert read(path, format="fasttext")[0] == Document("a fine film", label="pos")


def test_fasttext_lines_inside_a_gzip_and_the_bundled_set(tmp_path):
    path = tmp_path / "train.txt.gz"
    path.write_bytes(gzip.compress(b"__label__a x y\n__label__b z\n"))
    assert read(path) == [Document("x y", label="a"), Document("z", label="b")]
    pang = list(DocumentReader(CorpusSource.from_bundled("pang-lee")))
    assert len(pang) == 200 and {d.label for d in pang} == {"pos", "neg"}


# -- the CSV row bound ---------------------------------------------------------------


def test_csv_row_bound_is_exact(tmp_path):
    path = tmp_path / "t.csv"
    # The bound counts a row's characters with its newline: 100 fit, 101 do not.
    path.write_text("text\n" + "a" * 99 + "\n", encoding="utf-8")
    assert [d.text for d in read(path, max_document_chars=100)] == ["a" * 99]
    path.write_text("text\n" + "a" * 100 + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"row longer than 100 characters \(at line 2\)"):
        read(path, max_document_chars=100)


def test_runaway_quote_over_many_lines_is_stopped_at_the_bound(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('id,text\n1,"never closed\n' + "short line\n" * 200, encoding="utf-8")
    with pytest.raises(CorpusError, match=r"row longer than 1,000 characters \(at line 92\)"):
        read(path, max_document_chars=1000)


def test_a_huge_single_line_csv_field_fails_early_in_bounded_memory(tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as fh:
        fh.write(b'id,text\n1,"')
        for _ in range(40):
            fh.write(b"word " * (1 << 17))  # 40 x 640 KiB = 25 MiB, one line, no newline
    tracemalloc.start()
    try:
        with pytest.raises(CorpusError, match="row longer than 1,048,576 characters"):
            read(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 12 << 20  # about the bound and the read buffers, not the 25 MiB line
    assert list_columns(CorpusSource.from_path(path)) == ["id", "text"]


# -- corrupt and encrypted input -----------------------------------------------------


def _corrupt(data: bytes, start: int = 30, length: int = 30) -> bytes:
    broken = bytearray(data)
    for i in range(start, start + length):
        broken[i] ^= 0xFF
    return bytes(broken)


def test_corrupt_gzip_data_is_a_corpus_error(tmp_path):
    data = gzip.compress(b" ".join(b"word%d" % i for i in range(20_000)))
    with pytest.raises(zlib.error):  # what the decompressor itself raises
        gzip.decompress(_corrupt(data))
    path = tmp_path / "c.txt.gz"
    path.write_bytes(_corrupt(data))
    with pytest.raises(CorpusError, match="c.txt.gz could not be decompressed.*corrupt"):
        read(path)


def test_corrupt_deflate_zip_member_is_a_corpus_error(tmp_path):
    path = tmp_path / "c.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", b" ".join(b"word%d" % i for i in range(20_000)))
    path.write_bytes(_corrupt(path.read_bytes(), start=60))
    with pytest.raises(CorpusError, match="Zip member 'a.txt' is corrupt"):
        read(path)


def _zipcrypto(data: bytes, password: bytes, crc: int) -> bytes:
    """PKWARE's traditional zip encryption of ``data`` (12-byte header first)."""
    keys = [0x12345678, 0x23456789, 0x34567890]

    def crc_byte(value: int, byte: int) -> int:
        return zlib.crc32(bytes([byte]), value ^ 0xFFFFFFFF) ^ 0xFFFFFFFF

    def update(byte: int) -> None:
        keys[0] = crc_byte(keys[0], byte)
        keys[1] = ((keys[1] + (keys[0] & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        keys[2] = crc_byte(keys[2], keys[1] >> 24)

    for byte in password:
        update(byte)
    out = bytearray()
    for byte in bytes(11) + bytes([crc >> 24]) + data:
        temp = (keys[2] | 2) & 0xFFFF
        out.append(byte ^ (((temp * (temp ^ 1)) >> 8) & 0xFF))
        update(byte)
    return bytes(out)


def make_zip(path, members: dict[str, bytes], encrypted: set[str] = frozenset(), method=0):
    """A stored zip; members named in ``encrypted`` use the password ``pw``."""
    local, central = bytearray(), bytearray()
    for name, data in members.items():
        crc = zlib.crc32(data)
        flags = 0x1 if name in encrypted else 0
        body = _zipcrypto(data, b"pw", crc) if flags else data
        sizes = (crc, len(body), len(data), len(name), 0)
        offset = len(local)
        local += struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, flags, method, 0, 33, *sizes)
        local += name.encode() + body
        central += struct.pack(
            "<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 0, 20, 0, flags, method, 0, 33, *sizes,
            0, 0, 0, 0, offset,
        )  # fmt: skip
        central += name.encode()
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(local), 0
    )
    path.write_bytes(bytes(local + central + end))
    return path


def test_encrypted_zip_member_is_skipped_and_named(tmp_path):
    path = make_zip(
        tmp_path / "mixed.zip",
        {"secret.txt": b"hidden words\n", "open.txt": b"visible words\n"},
        encrypted={"secret.txt"},
    )
    with zipfile.ZipFile(path) as zf:  # a real encrypted member: zipfile wants the password
        with pytest.raises(RuntimeError, match="password required"):
            zf.read("secret.txt")
        assert zf.read("secret.txt", pwd=b"pw") == b"hidden words\n"
    reader = DocumentReader(CorpusSource.from_path(path))
    assert [d.text for d in reader] == ["visible words"]
    assert reader.members_skipped_ == [("secret.txt", "encrypted")]
    only = make_zip(tmp_path / "only.zip", {"secret.txt": b"hidden\n"}, encrypted={"secret.txt"})
    with pytest.raises(CorpusError, match=r"every member was skipped: secret.txt \(encrypted\)"):
        read(only)


def test_unsupported_zip_compression_is_skipped_not_a_crash(tmp_path):
    # Method 9 is Deflate64, which Python's zipfile cannot read.
    path = make_zip(tmp_path / "d64.zip", {"a.txt": b"deflate64 words\n"}, method=9)
    with zipfile.ZipFile(path) as zf, pytest.raises(NotImplementedError):
        zf.read("a.txt")
    with pytest.raises(CorpusError, match=r"a.txt \(unsupported compression method\)"):
        read(path)
