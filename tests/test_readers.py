"""Corpus readers: every input kind read into exact documents, with clear errors on bad input."""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import os
import tracemalloc
import zipfile

import pytest

from embeddings.corpus.sentences import SentenceFile
from embeddings.corpus.sources import (
    CorpusSource,
    DocumentReader,
    list_columns,
    prepare_corpus,
    preview_corpus,
    read_documents,
)
from embeddings.corpus.textio import READ_CHUNK, InflateBudget, detect_encoding, wrap_decompressed
from embeddings.errors import CorpusError, InputTooLargeError
from utils.uploads import save_upload_to_temp, upload_suffix

TEXT = "The cat sat on the mat.\n\n  A dog, 2 dogs!  \nUn café très élevé\n"
DOCS = ["The cat sat on the mat.", "A dog, 2 dogs!", "Un café très élevé"]

WIKI_XML = """<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" version="0.10">
  <siteinfo><sitename>Test</sitename></siteinfo>
  <page><title>Cat</title><ns>0</ns><id>1</id>
    <revision><id>11</id><text>The '''cat''' is a [[mammal]]. Cats purr.</text></revision>
  </page>
  <page><title>Talk:Cat</title><ns>1</ns><id>2</id>
    <revision><id>12</id><text>Talk pages are skipped.</text></revision>
  </page>
  <page><title>Kitty</title><ns>0</ns><id>3</id>
    <revision><id>13</id><text>#REDIRECT [[Cat]]</text></revision>
  </page>
  <page><title>Dog</title><ns>0</ns><id>4</id>
    <revision><id>14</id><text>A [[dog|dog]] barks.</text></revision>
  </page>
</mediawiki>
"""


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def docs_of(path, **options) -> list[str]:
    return list(read_documents(CorpusSource.from_path(path, **options)))


# -- plain text and compression ------------------------------------------------------


def test_text_file_one_document_per_line_blank_lines_skipped(tmp_path):
    reader = DocumentReader(CorpusSource.from_path(write(tmp_path, "c.txt", TEXT.encode())))
    assert list(reader.texts()) == DOCS
    assert (reader.format_, reader.encoding_, reader.compression_) == ("text", "utf-8", None)


@pytest.mark.parametrize(
    ("name", "pack", "compression"),
    [("c.txt.gz", gzip.compress, "gzip"), ("c.txt.bz2", bz2.compress, "bz2")],
)
def test_compressed_text(tmp_path, name, pack, compression):
    reader = DocumentReader(CorpusSource.from_path(write(tmp_path, name, pack(TEXT.encode()))))
    assert list(reader.texts()) == DOCS
    assert reader.compression_ == compression


def test_compression_is_sniffed_from_content_not_name(tmp_path):
    assert docs_of(write(tmp_path, "misnamed.txt", gzip.compress(TEXT.encode()))) == DOCS


def test_prepare_text_file_exact_counts_and_progress_in_bytes(tmp_path, store):
    path = write(tmp_path, "c.txt", TEXT.encode())
    events = []
    prepared = prepare_corpus(
        CorpusSource.from_path(path), "simple", progress=events.append, cache=store.corpus_cache
    )
    assert prepared.path.parent == store.root / ".corpora"
    assert prepared.stats.documents == 3
    assert prepared.stats.tokens == 6 + 3 + 4  # "2" and punctuation are not tokens
    assert list(SentenceFile(prepared.path)) == [
        ["the", "cat", "sat", "on", "the", "mat"],
        ["a", "dog", "dogs"],
        ["un", "café", "très", "élevé"],
    ]
    assert prepared.name == "file:c.txt" and prepared.tokenizer == "simple"
    assert events[-1].total == path.stat().st_size and events[-1].fraction == 1.0


# -- encodings -----------------------------------------------------------------------

KOREAN = "대한민국은 민주공화국이다.\n모든 권력은 국민으로부터 나온다.\n"


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        (KOREAN, "cp949", "cp949"),
        (TEXT, "latin-1", "latin-1"),
        (TEXT, "utf-8-sig", "utf-8-sig"),
        (KOREAN, "utf-16", "utf-16"),
        (KOREAN, "utf-8", "utf-8"),
    ],
)
def test_encoding_is_detected_and_reported(tmp_path, text, codec, expected):
    reader = DocumentReader(CorpusSource.from_path(write(tmp_path, "e.txt", text.encode(codec))))
    assert list(reader.texts()) == [line.strip() for line in text.splitlines() if line.strip()]
    assert reader.encoding_ == expected


def test_encoding_override_and_unknown_encoding(tmp_path):
    path = write(tmp_path, "k.txt", KOREAN.encode("cp949"))
    assert docs_of(path, encoding="cp949")[0] == "대한민국은 민주공화국이다."
    with pytest.raises(CorpusError, match="Unknown encoding 'klingon'"):
        docs_of(path, encoding="klingon")


def test_real_korean_file_reencoded_as_cp949(tmp_path):
    from embeddings.corpus.bundled import korean_text_files

    original = korean_text_files()[0].read_text(encoding="utf-8")
    path = write(tmp_path, "law.txt", original.encode("cp949", errors="ignore"))
    reader = DocumentReader(CorpusSource.from_path(path))
    docs = list(reader.texts())
    assert reader.encoding_ == "cp949"
    assert docs == [
        line.strip()
        for line in original.encode("cp949", errors="ignore").decode("cp949").splitlines()
        if line.strip()
    ]


def test_broken_utf8_byte_is_replaced_not_fatal(tmp_path):
    data = ("a" * 70_000 + "\n").encode() + b"caf\xe9 ok\n"  # bad byte after the sample
    assert docs_of(write(tmp_path, "b.txt", data))[1] == "caf\ufffd ok"


def test_detect_encoding_always_names_a_usable_codec():
    for sample in (bytes(range(128, 256)), b"\xff\xfe\x00", b"plain ascii", b"\xe9t\xe9"):
        encoding = detect_encoding(sample)
        assert codecs.lookup(encoding) and isinstance(sample.decode(encoding, "replace"), str)


# -- CSV / TSV -----------------------------------------------------------------------


CSV = 'id,review,label\n1,"Great film, loved it",1\n2,"Two\nlines",0\n3,,1\n4,Bad,0\n'


def test_csv_chosen_column_with_quoted_commas_and_newlines(tmp_path):
    path = write(tmp_path, "r.csv", CSV.encode())
    reader = DocumentReader(CorpusSource.from_path(path, text_column="review"))
    assert list(reader.texts()) == ["Great film, loved it", "Two\nlines", "Bad"]
    assert reader.columns_ == ["id", "review", "label"]
    assert list_columns(CorpusSource.from_path(path)) == ["id", "review", "label"]


def test_csv_default_column_is_guessed_by_name(tmp_path):
    path = write(tmp_path, "r.csv", CSV.encode())
    reader = DocumentReader(CorpusSource.from_path(path))
    assert list(reader.texts())[0] == "Great film, loved it" and reader.text_column_ == "review"


def test_csv_missing_column_names_the_columns_it_has(tmp_path):
    path = write(tmp_path, "r.csv", CSV.encode())
    with pytest.raises(CorpusError, match=r"no text column 'text'.*'id', 'review', 'label'"):
        docs_of(path, text_column="text")


def test_tsv_with_stray_quote_and_gzipped_csv(tmp_path):
    tsv = 'id\tdocument\tlabel\n1\t"아 더빙 진짜 짜증나네요\t0\n2\t최고의 영화\t1\n'
    assert docs_of(write(tmp_path, "nsmc.tsv", tsv.encode())) == [
        '"아 더빙 진짜 짜증나네요',
        "최고의 영화",
    ]
    path = write(tmp_path, "r.csv.gz", gzip.compress(CSV.encode()))
    assert docs_of(path, text_column="review") == ["Great film, loved it", "Two\nlines", "Bad"]


def test_format_override_reads_a_txt_as_tsv(tmp_path):
    path = write(tmp_path, "ratings.txt", b"id\tdocument\n1\tgood\n")
    assert docs_of(path, format="tsv") == ["good"]
    assert docs_of(path) == ["id\tdocument", "1\tgood"]


def test_csv_header_only_lists_columns_but_has_no_documents(tmp_path):
    path = write(tmp_path, "h.csv", b"a,b\n")
    assert list_columns(CorpusSource.from_path(path)) == ["a", "b"]
    with pytest.raises(CorpusError, match="No documents"):
        docs_of(path)


# -- zip -----------------------------------------------------------------------------


def make_zip(path, members: dict[str, bytes], method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return path


def test_zip_of_text_files_reads_members_by_their_kind(tmp_path):
    path = make_zip(
        tmp_path / "c.zip",
        {
            "a.txt": b"first doc\nsecond doc\n",
            "sub/b.csv": b"text,n\nthird doc,1\n",
            "c.txt.gz": gzip.compress(b"gzipped member\n"),
            "inner.zip": b"PK\x05\x06" + bytes(18),
            "d.txt": "cp949 문서\n".encode("cp949"),
            "image.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "__MACOSX/._a.txt": b"junk",
            "empty.txt": b"",
        },
    )
    reader = DocumentReader(CorpusSource.from_path(path))
    assert list(reader.texts()) == [
        "first doc",
        "second doc",
        "third doc",
        "gzipped member",
        "cp949 문서",
    ]
    assert reader.members_read_ == ["a.txt", "sub/b.csv", "c.txt.gz", "d.txt"]
    assert dict(reader.members_skipped_) == {
        "inner.zip": "nested archive",
        "image.png": "binary",
        "__MACOSX/._a.txt": "system file",
        "empty.txt": "empty",
    }
    assert reader.encoding_ == "utf-8, cp949"


def test_zip_member_names_with_traversal_are_only_labels(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    path = make_zip(
        work / "evil.zip",
        {"../escaped.txt": b"outside one\n", "/abs/rooted.txt": b"outside two\n"},
    )
    before = sorted(p.name for p in tmp_path.rglob("*"))
    assert docs_of(path) == ["outside one", "outside two"]
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert not os.path.exists("/abs/rooted.txt")


def test_zip_bomb_is_refused_at_the_limit(tmp_path):
    big = b"a " * (4 << 20)  # 8 MiB that deflates to a few KiB
    path = make_zip(tmp_path / "bomb.zip", {"bomb.txt": big})
    assert path.stat().st_size < 100_000
    with pytest.raises(InputTooLargeError, match="inflates to more than 1.0 MiB"):
        docs_of(path, max_inflated_bytes=1 << 20)
    docs = docs_of(path, max_inflated_bytes=16 << 20)
    assert sum(doc.count("a") for doc in docs) == 4 << 20  # read whole under a higher limit


@pytest.mark.parametrize("pack", [gzip.compress, bz2.compress])
def test_compression_bomb_stops_streaming_at_the_limit(tmp_path, pack):
    data = pack(b"x " * (8 << 20))  # 16 MiB inflated
    with pytest.raises(InputTooLargeError):
        docs_of(write(tmp_path, "bomb.txt.gz", data), max_inflated_bytes=1 << 20)
    budget = InflateBudget(1 << 20)
    stream = wrap_decompressed(
        io.BytesIO(data), "gzip" if data[:2] == b"\x1f\x8b" else "bz2", budget
    )
    with pytest.raises(InputTooLargeError):
        while stream.read(1 << 16):
            pass
    assert budget.used <= (1 << 20) + READ_CHUNK  # stopped at the limit, not inflated


def test_zip_with_lying_sizes_is_a_clear_error(tmp_path):
    path = make_zip(tmp_path / "lie.zip", {"a.txt": b"word " * 100_000})
    raw = bytearray(path.read_bytes())
    # Declare 10 bytes in both the local header and the central directory.
    raw[22:26] = (10).to_bytes(4, "little")
    cd = raw.rfind(b"PK\x01\x02")
    raw[cd + 24 : cd + 28] = (10).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    with pytest.raises(CorpusError, match="corrupt"):
        docs_of(path)


# -- MediaWiki dumps -----------------------------------------------------------------


@pytest.mark.parametrize(("name", "pack"), [("w.xml", bytes), ("w.xml.bz2", bz2.compress)])
def test_mediawiki_dump_articles_only(tmp_path, name, pack):
    reader = DocumentReader(CorpusSource.from_path(write(tmp_path, name, pack(WIKI_XML.encode()))))
    assert list(reader.texts()) == ["The '''cat''' is a mammal. Cats purr.", "A dog barks."]
    assert reader.format_ == "wiki"


def test_xml_that_is_not_a_dump_is_refused(tmp_path):
    with pytest.raises(CorpusError, match="not a MediaWiki dump"):
        docs_of(write(tmp_path, "x.xml", b"<root><a>hi</a></root>"))


def test_real_bundled_wiki_dump_read_as_an_uploaded_file(tmp_path):
    from embeddings.corpus.bundled import WIKI_DUMP, gensim_data

    uploaded = list(DocumentReader(CorpusSource.from_path(gensim_data(WIKI_DUMP))))
    assert uploaded == list(DocumentReader(CorpusSource.from_bundled("wiki")))
    assert len(uploaded) == 106 and uploaded[0].title == "Anarchism"
    assert uploaded[0].text.startswith("'''Anarchism''' is a political philosophy")


# -- bad input -----------------------------------------------------------------------


def test_binary_file_named_txt_is_refused(tmp_path):
    path = write(tmp_path, "model.txt", b"\x00\x01\x02binary\x00" * 100)
    with pytest.raises(CorpusError, match="looks binary"):
        docs_of(path)


def test_empty_and_blank_files_are_refused(tmp_path):
    with pytest.raises(CorpusError, match="empty"):
        docs_of(write(tmp_path, "e.txt", b""))
    with pytest.raises(CorpusError, match="No documents"):
        docs_of(write(tmp_path, "b.txt", b"\n  \n\t\n"))
    with pytest.raises(CorpusError, match="empty"):
        docs_of(write(tmp_path, "e.txt.gz", gzip.compress(b"")))


def test_missing_path_folder_and_corrupt_gzip(tmp_path):
    with pytest.raises(CorpusError, match="No file at"):
        CorpusSource.from_path(tmp_path / "nope.txt")
    with pytest.raises(CorpusError, match="is a folder"):
        CorpusSource.from_path(tmp_path)
    with pytest.raises(CorpusError, match="could not be decompressed"):
        docs_of(write(tmp_path, "t.gz", gzip.compress(TEXT.encode() * 100)[:60]))


def test_unknown_bundled_corpus_and_format():
    with pytest.raises(CorpusError, match="No bundled corpus"):
        CorpusSource.from_bundled("nope")
    with pytest.raises(CorpusError, match="Unknown format"):
        CorpusSource.from_text("a", name="x").with_options(format="docx")


# -- huge lines ----------------------------------------------------------------------


def test_50mb_single_line_streams_in_bounded_memory(tmp_path):
    path = tmp_path / "one-line.txt"
    words = 10 * (1 << 20)  # "word " x 10 Mi = 50 MiB, no newline
    with open(path, "wb") as fh:
        for _ in range(10):
            fh.write(b"word " * (1 << 20))
    tracemalloc.start()
    try:
        count = pieces = 0
        longest = 0
        for doc in read_documents(CorpusSource.from_path(path)):
            pieces += 1
            count += doc.count(" ") + 1
            longest = max(longest, len(doc))
            assert doc.startswith("word") and doc.endswith("word")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == words  # no word lost or cut in two
    assert 50 <= pieces <= 51 and longest <= 1 << 20
    assert peak < 16 << 20  # a few 1 MiB pieces, never the 50 MiB line


# -- pasted text, bundled, preview ----------------------------------------------------


def test_pasted_text_and_bundled_sources():
    assert list(read_documents(CorpusSource.from_text(TEXT))) == DOCS
    with pytest.raises(CorpusError, match="No documents in pasted text"):
        list(read_documents(CorpusSource.from_text(" \n\n")))
    lee = list(read_documents(CorpusSource.from_bundled("lee")))
    assert len(lee) == 300


def test_preview_shows_first_documents_and_tokens(tmp_path):
    path = write(tmp_path, "r.csv", CSV.encode())
    preview = preview_corpus(CorpusSource.from_path(path), n=2, tokenizer_name="simple")
    assert preview.documents == ["Great film, loved it", "Two\nlines"]
    assert preview.tokens == [["great", "film", "loved", "it"], ["two", "lines"]]
    assert (preview.format, preview.columns, preview.text_column) == (
        "csv",
        ["id", "review", "label"],
        "review",
    )


# -- uploads -------------------------------------------------------------------------


def test_save_upload_to_temp_copies_bytes_and_keeps_suffixes():
    data = gzip.compress(b"hello world\n" * 1000)
    upload = io.BytesIO(data)
    upload.name = "my.corpus.txt.gz"
    path = save_upload_to_temp(upload)
    try:
        assert path.name.endswith(".txt.gz") and path.read_bytes() == data
        assert upload.tell() == 0  # the upload can still be read again
        assert docs_of(path)[0] == "hello world"
    finally:
        path.unlink()
    assert upload_suffix("../../x/evil name.$$$") == ""
    assert upload_suffix("wiki.XML.BZ2") == ".xml.bz2"
    assert upload_suffix("data") == ""


def test_office_documents_and_xml_members_in_a_zip(tmp_path):
    docx = make_zip(
        tmp_path / "report.docx",
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"},
    )
    with pytest.raises(CorpusError, match="Office document"):
        docs_of(docx)
    mixed = make_zip(tmp_path / "m.zip", {"a.xml": b"<root/>", "b.txt": b"kept\n"})
    reader = DocumentReader(CorpusSource.from_path(mixed))
    assert list(reader.texts()) == ["kept"]
    assert reader.members_skipped_ == [("a.xml", "XML, not a MediaWiki dump")]


def test_utf16_without_bom_needs_the_encoding_named(tmp_path):
    path = write(tmp_path, "u.txt", "한국어 text\n".encode("utf-16-le"))
    with pytest.raises(CorpusError, match="utf-16-le"):
        docs_of(path)
    assert docs_of(path, encoding="utf-16-le") == ["한국어 text"]


def test_gzip_member_inside_a_zip_is_limited_while_streaming(tmp_path):
    inner = gzip.compress(b"z " * (8 << 20))  # 16 MiB behind a small declared size
    path = make_zip(tmp_path / "nested.zip", {"a.txt": b"fine\n", "big.txt.gz": inner})
    assert sum(i.file_size for i in zipfile.ZipFile(path).infolist()) < 1 << 20
    reader = DocumentReader(CorpusSource.from_path(path, max_inflated_bytes=1 << 20))
    seen = []
    with pytest.raises(InputTooLargeError):
        for doc in reader.texts():
            seen.append(doc)
    assert seen[0] == "fine" and sum(len(d) for d in seen) < 1 << 20
