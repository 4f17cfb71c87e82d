"""Document sets for the recommender and the classifier, read through the corpus reader:
CSV/TSV columns, fastText labels, compressed and zipped files, bundled sets, clear errors."""

from __future__ import annotations

import gzip
import json
import zipfile

import pytest

from embeddings.cli import main
from embeddings.documents.sets import (
    bundled_document_set,
    read_document_set,
    table_columns,
)
from embeddings.errors import CorpusError

NEWS_CSV = (
    "title,text,topic\n"
    "fire,bushfire burns homes in sydney,disaster\n"
    "fire2,firefighters fight a bushfire near sydney,disaster\n"
    "cricket,australia wins the cricket test match,sport\n"
)


def test_fasttext_lines_give_labels_and_snippet_titles(tmp_path):
    path = tmp_path / "reviews.txt"
    path.write_text(
        "__label__pos a fine film\n\n__label__neg __label__x dull\nno label here\n__label__pos\n",
        encoding="utf-8",
    )
    docs = read_document_set(path)
    # The label-only last line has no text, so it is no document.
    assert docs.texts == ["a fine film", "dull", "no label here"]
    assert docs.labels == ["pos", "neg", ""]
    assert docs.titles == ["a fine film", "dull", "no label here"]


def test_csv_with_title_and_label_columns_and_a_missing_column(tmp_path):
    path = tmp_path / "books.csv"
    path.write_text("title,plot,genre\nA,a cat story,pets\nA,a bus story,cars\n", encoding="utf-8")
    docs = read_document_set(path, "plot", "title", "genre")
    assert docs.texts == ["a cat story", "a bus story"]
    assert docs.titles == ["A", "A (2)"] and docs.labels == ["pets", "cars"]
    assert docs.source == "books.csv"
    with pytest.raises(
        CorpusError, match="no text column 'text'; its columns are: 'title', 'plot', 'genre'"
    ):
        read_document_set(path, "text")
    with pytest.raises(CorpusError, match="no label column 'stars'"):
        read_document_set(path, "plot", label_column="stars")


def test_gzipped_csv_for_the_recommender_named_by_its_upload(store_with_models, tmp_path, capsys):
    """An upload saved under a temporary name: its original name guides the reader."""
    path = tmp_path / "upload-1234.gz"
    path.write_bytes(gzip.compress(NEWS_CSV.encode("utf-8")))
    assert table_columns(path, name="news.csv.gz") == ["title", "text", "topic"]
    docs = read_document_set(path, "text", "title", "topic", name="news.csv.gz")
    assert docs.titles == ["fire", "fire2", "cricket"] and docs.labels[0] == "disaster"
    csv_gz = tmp_path / "news.csv.gz"
    csv_gz.write_bytes(path.read_bytes())
    code = main(
        [
            "docs",
            "lee-w2v",
            "--input",
            str(csv_gz),
            "--text-column",
            "text",
            "--title-column",
            "title",
            "--similar-to",
            "fire",
            "--topn",
            "2",
            "--json",
            "--store",
            str(store_with_models.root),
        ]
    )
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and result["documents"] == 3
    assert [m["title"] for m in result["matches"]] == ["fire2", "cricket"]


def test_zip_of_text_files_for_the_recommender(store_with_models, tmp_path, capsys):
    path = tmp_path / "news.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", "bushfire burns homes in sydney\n")
        zf.writestr("b.txt", "firefighters fight a bushfire near sydney\n")
        zf.writestr("c.txt", "australia wins the cricket test match\n".encode("cp949"))
    docs = read_document_set(path)
    assert len(docs) == 3 and docs.labels is None
    code = main(
        [
            "docs",
            "lee-w2v",
            "--input",
            str(path),
            "--query",
            "bushfire in sydney",
            "--topn",
            "2",
            "--json",
            "--store",
            str(store_with_models.root),
        ]
    )
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and result["documents"] == 3
    assert {m["title"] for m in result["matches"]} == set(docs.titles[:2])


def test_table_columns_reads_only_the_header(tmp_path):
    path = tmp_path / "broken.csv"
    # The header is fine; the row after it opens a quote that never closes.
    path.write_text('id,text\n1,"' + "word " * 400_000, encoding="utf-8")
    assert table_columns(path) == ["id", "text"]
    with pytest.raises(CorpusError, match="row longer than"):
        read_document_set(path, "text")
    text = tmp_path / "lines.txt"
    text.write_text("one document\n", encoding="utf-8")
    assert table_columns(text) == []


def test_bundled_sets_are_real_data():
    pang = bundled_document_set("pang-lee")
    assert len(pang) == 200 and sorted(set(pang.labels)) == ["neg", "pos"]
    assert pang.labels.count("pos") == 100
    # Read in the encoding the reader detects (cp1252), not with replacement characters.
    assert "the action clichés just pile up ." in pang.texts
    assert len(bundled_document_set("lee")) == 300
    wiki = bundled_document_set("wiki")
    assert "Anarchism" in wiki.titles and len(set(wiki.titles)) == len(wiki)
    assert wiki.texts[wiki.titles.index("Anarchism")].startswith("'''Anarchism''' is")
    with pytest.raises(CorpusError, match="No bundled document set 'nope'"):
        bundled_document_set("nope")


def test_binary_and_empty_files_are_refused(tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02garbage\x00")
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(CorpusError, match="binary"):
        read_document_set(tmp_path / "bin.txt")
    with pytest.raises(CorpusError, match="empty"):
        read_document_set(tmp_path / "empty.txt")


def test_cp949_text_file_is_read(tmp_path):
    path = tmp_path / "ko.txt"
    path.write_bytes("영화가 재미있다\n배우가 좋다\n".encode("cp949"))
    assert read_document_set(path).texts == ["영화가 재미있다", "배우가 좋다"]
