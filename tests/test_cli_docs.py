"""The ``docs`` subcommand: similar documents and classifier scores, JSON and errors."""

import json

from embeddings.cli import main


def test_similar_documents_as_json(store_with_models, capsys):
    code = main(
        [
            "docs",
            "lee-w2v",
            "--input",
            "bundled:lee",
            "--similar-to",
            "Lee 1",
            "--json",
            "--store",
            str(store_with_models.root),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 2 and "No document titled 'Lee 1'" in err


def test_similar_documents_for_a_csv(store_with_models, tmp_path, capsys):
    path = tmp_path / "news.csv"
    path.write_text(
        "title,text\nfire,bushfire burns homes in sydney\nfire2,firefighters fight a bushfire near sydney\n"
        "cricket,australia wins the cricket test match\n",
        encoding="utf-8",
    )
    code = main(
        [
            "docs",
            "lee-w2v",
            "--input",
            str(path),
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
    out, _ = capsys.readouterr()
    result = json.loads(out)
    assert code == 0 and result["documents"] == 3
    assert [m["title"] for m in result["matches"]] == ["fire2", "cricket"]


def test_csv_without_text_column_names_the_columns(store_with_models, tmp_path, capsys):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    code = main(
        [
            "docs",
            "lee-w2v",
            "--input",
            str(path),
            "--similar-to",
            "x",
            "--store",
            str(store_with_models.root),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "columns are: a, b" in err


def test_classify_reports_all_feature_sets(store_with_models, capsys):
    code = main(
        [
            "docs",
            "lee-w2v",
            "--input",
            "bundled:pang-lee",
            "--classify",
            "--json",
            "--store",
            str(store_with_models.root),
        ]
    )
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and result["documents"] == 200 and result["labels"] == ["neg", "pos"]
    assert [r["features"] for r in result["results"]] == ["mean", "tfidf", "sif", "tfidf-bow"]
