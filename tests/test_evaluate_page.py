"""AppTest for the Evaluate page: run with progress, gensim's numbers in the table,
results kept in the model card, failed analogies, uploaded benchmarks."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats

from embeddings.corpus.bundled import QUESTIONS_WORDS, WORDSIM353, gensim_data
from embeddings.evaluate.benchmarks import standard_benchmarks, stored_results
from embeddings.evaluate.scores import evaluate_analogies
from tests.conftest import run_page, run_page_alone, session_models, workspace_of
from tests.jobwait import BusyServer, cancel_waiting_job, panel_text, run_again

PAGE = "app_pages/evaluate.py"


def _table(at):
    """The score tables (one row per model and benchmark) folded into one row per model
    with columns such as "WordSim353 Spearman" and "Google analogies accuracy %"."""
    rows: dict[str, dict] = {}
    for frame in (d.value for d in at.dataframe if "benchmark" in d.value.columns):
        for record in frame.to_dict("records"):
            row = rows.setdefault(record["model"], {"model": record["model"]})
            for column, value in record.items():
                if column not in ("model", "benchmark"):
                    row[f"{record['benchmark']} {column}"] = value
    return pd.DataFrame(list(rows.values()))


def _run_and_wait(at):
    """Press Evaluate, wait for the worker thread, rerun (run_every does not tick here)."""
    at.button(key="eval_run").click().run()
    assert not at.exception
    assert at.session_state["eval_job"].wait(120)
    at.run()
    assert not at.exception and not at.error
    return at


def _evaluated(active="lee-w2v"):
    return _run_and_wait(run_page(PAGE, active=active))


def test_first_visit_offers_to_run_then_shows_gensim_numbers(store_with_models, lee_w2v):
    at = run_page(PAGE, active="lee-w2v")
    assert not at.exception
    assert "No stored results for these settings: **lee-w2v**" in at.info[0].value
    assert at.button(key="eval_run").label == "Evaluate 1 model(s)"
    at.button(key="eval_run").click().run()
    assert not at.exception
    job = at.session_state["eval_job"]
    assert job.wait(120)
    at.run()
    assert at.success[0].value.startswith("Evaluated in")
    assert job.last.message == "1 model(s) done" and job.fraction == 1.0
    table = _table(at)
    assert list(table["model"]) == ["lee-w2v"]
    _pearson, spearman, oov = lee_w2v.evaluate_word_pairs(str(gensim_data(WORDSIM353)))
    assert table["WordSim353 Spearman"][0] == spearman[0]
    assert table["WordSim353 OOV %"][0] == oov
    score, _ = lee_w2v.evaluate_word_analogies(str(gensim_data(QUESTIONS_WORDS)), 30_000)
    assert table["Google analogies accuracy %"][0] == pytest.approx(100 * score)


def test_results_are_stored_and_shown_later_without_recomputation(store_with_models):
    first = _evaluated()
    card = session_models(first).load_card("lee-w2v")
    assert stored_results(card, standard_benchmarks(), "add", 30_000) is not None
    # lee-w2v is shared: the results stay in the workspace, not in the shared card.
    assert store_with_models.load_card("lee-w2v").evaluation == {}
    again = run_page(PAGE, active="lee-w2v", workspace=workspace_of(first))
    assert not again.exception and not again.info
    assert not again.get("progress")  # nothing ran
    # The stored results are shown as results, with when they were computed ...
    assert list(_table(again)["model"]) == ["lee-w2v"]
    stamp = card.evaluation[next(iter(card.evaluation))]["computed"]
    when = f"Computed {stamp[:10]} {stamp[11:16]} for lee-w2v; kept in the model card."
    assert when in [c.value for c in again.caption]
    assert len(again.get("plotly_chart")) == 3  # two bar charts and the section heatmap
    # ... there is nothing to evaluate, and recomputing is the secondary action.
    assert not [b for b in again.button if b.key == "eval_run"]
    recompute = again.button(key="eval_recompute")
    assert recompute.label == "Recompute" and not recompute.disabled
    assert recompute.proto.type == "secondary"
    recompute.click().run()
    assert again.session_state["eval_job"].wait(120)
    again.run()
    assert again.success[0].value.startswith("Evaluated in")
    assert list(_table(again)["model"]) == ["lee-w2v"]


def test_stored_and_missing_models_get_both_buttons(store_with_models):
    first = _evaluated()  # lee-w2v is stored, lee-ft is not
    at = run_page(PAGE, active="lee-w2v", workspace=workspace_of(first))
    at.multiselect(key="eval_models").set_value(["lee-w2v", "lee-ft"]).run()
    assert at.button(key="eval_run").label == "Evaluate 1 model(s)"
    assert at.button(key="eval_recompute").label == "Recompute"
    assert list(_table(at)["model"]) == ["lee-w2v"]


def test_scores_say_multithreaded_training_varies(store_with_models):
    from utils.evaluation_charts import SCORE_VARIATION

    at = _evaluated()
    assert SCORE_VARIATION in [c.value for c in at.caption]
    assert "not deterministic" in SCORE_VARIATION and "reproducible mode" in SCORE_VARIATION


def test_two_models_side_by_side_and_cosmul(store_with_models):
    at = run_page(PAGE, active="lee-w2v")
    at.multiselect(key="eval_models").set_value(["lee-ft", "lee-w2v"]).run()
    at.radio(key="eval_method").set_value("mul").run()
    assert at.button(key="eval_run").label == "Evaluate 2 model(s)"
    _run_and_wait(at)
    assert list(_table(at)["model"]) == ["lee-ft", "lee-w2v"]
    card = session_models(at).load_card("lee-ft")
    stored = stored_results(card, standard_benchmarks(), "mul", 30_000)
    assert stored["analogies"]["method"] == "mul"
    assert stored_results(card, standard_benchmarks(), "add", 30_000) is None


def test_failed_analogies_list_what_the_model_answered(store_with_models, lee_w2v):
    at = _evaluated()
    failed = next(d.value for d in at.dataframe if "model answered" in d.value.columns)
    expected = evaluate_analogies(lee_w2v, gensim_data(QUESTIONS_WORDS))["failed"]
    a, b, c, d, answer, section = expected[0]
    assert failed.iloc[0].tolist() == [f"{a} : {b} :: {c} : ?", d, answer, section]
    at.selectbox(key="eval_failed_section_analogies").set_value("family").run()
    failed = next(d.value for d in at.dataframe if "model answered" in d.value.columns)
    assert set(failed["section"]) == {"family"}
    assert len(failed) == sum(1 for f in expected if f[5] == "family")


def test_uploaded_pairs_file_is_scored(store_with_models, lee_w2v):
    pairs = [("police", "officers", 9.0), ("fire", "firefighters", 8.5), ("police", "fire", 3)]
    pairs += [("government", "minister", 7.0), ("water", "police", 1.0)]
    content = "".join(f"{a}\t{b}\t{s}\n" for a, b, s in pairs).encode()
    at = run_page(PAGE, active="lee-w2v")
    at.file_uploader(key="eval_upload").set_value([("my-pairs.tsv", content, "text/plain")]).run()
    assert not at.exception and not at.error
    _run_and_wait(at)
    table = _table(at)
    model = [lee_w2v.similarity(a, b) for a, b, _ in pairs]
    assert table["my-pairs Spearman"][0] == pytest.approx(
        stats.spearmanr([s for *_, s in pairs], model)[0]
    )


def test_uploaded_garbage_is_an_error_message(store_with_models):
    at = run_page(PAGE, active="lee-w2v")
    at.file_uploader(key="eval_upload").set_value(
        [("junk.txt", b"\x00\x01binary", "text/plain")]
    ).run()
    assert not at.exception
    assert "junk.txt is a binary file, not a benchmark" in at.error[0].value


def test_empty_store_says_what_to_do(store):
    at = run_page_alone(PAGE)
    assert not at.exception
    assert "No model yet" in at.info[0].value


def _scores_once(store, lee_w2v, monkeypatch):
    """The home page scores the default model in a job (waiting, cancelled, run again):
    the text it shows, the session and the job."""
    from embeddings.vectors.store import ModelCard
    from utils.evaluation_widgets import HOME_JOB, home_scores_markdown

    assert home_scores_markdown() == ""
    corpus = {"name": "bundled:wiki+lee", "tokens": 529_862}
    store.save(lee_w2v, ModelCard(name="wiki-w2v", algorithm="word2vec", corpus=corpus))
    card = store.load_card("wiki-w2v")
    assert "has not been scored yet" in home_scores_markdown(card, compute=False)
    server = BusyServer(monkeypatch)
    at = run_page("app_pages/home.py", active="wiki-w2v")
    assert panel_text(at).startswith("Waiting")
    assert not any("Benchmarks of" in m.value for m in at.markdown)
    cancel_waiting_job(at, HOME_JOB)
    assert at.metric and not any("Benchmarks of" in m.value for m in at.markdown)
    assert stored_results(store.load_card("wiki-w2v"), standard_benchmarks()) is None
    run_again(at, HOME_JOB, server)
    job = at.session_state[HOME_JOB]
    assert job.last.stage == "evaluate" and job.message == "Evaluating: done"
    text = next(m.value for m in at.markdown if "Benchmarks of wiki-w2v" in m.value)
    _pearson, spearman, _oov = lee_w2v.evaluate_word_pairs(str(gensim_data(WORDSIM353)))
    score, _ = lee_w2v.evaluate_word_analogies(str(gensim_data(QUESTIONS_WORDS)), 30_000)
    assert "trained on 529,862 tokens of `bundled:wiki+lee`" in text
    assert f"WordSim353 Spearman **{spearman[0]:.3f}**" in text
    assert f"Google analogies **{100 * score:.1f}%**" in text
    return text, at, job


def test_home_scores_the_shared_default_model_once_for_every_workspace(store, lee_w2v, monkeypatch):
    import utils.evaluation_widgets as widgets

    text, at, _job = _scores_once(store, lee_w2v, monkeypatch)
    # Written into no card: the shared model is read-only for workspaces.
    assert store.load_card("wiki-w2v").evaluation == {}
    monkeypatch.setattr(widgets, "run_benchmarks", None)  # a second scoring would fail
    other = run_page("app_pages/home.py", active="wiki-w2v")  # another session, workspace
    assert workspace_of(other) != workspace_of(at)
    assert widgets.HOME_JOB not in other.session_state and not other.exception
    assert any(m.value == text for m in other.markdown)


def test_home_scores_stay_in_a_personal_labs_card(store, lee_w2v, monkeypatch, personal_lab):
    from utils.evaluation_widgets import HOME_JOB, home_scores_markdown

    text, at, job = _scores_once(store, lee_w2v, monkeypatch)
    assert home_scores_markdown(store.load_card("wiki-w2v"), compute=False) == text
    at.run()
    assert at.session_state[HOME_JOB] is job


def test_an_uploaded_benchmark_is_deleted_once_removed_from_the_uploader(store_with_models):
    from utils.uploads import upload_dir

    content = b"police\tofficers\t9\nfire\tfirefighters\t8.5\npolice\tfire\t3\n"
    at = run_page(PAGE, active="lee-w2v")
    at.file_uploader(key="eval_upload").set_value([("mine.tsv", content, "text/plain")]).run()
    assert not at.exception and not at.error
    copies = [p for p in upload_dir().rglob("mine.tsv")]
    assert len(copies) == 1 and copies[0].read_bytes() == content
    at.file_uploader(key="eval_upload").set_value([]).run()
    assert not at.exception
    assert not copies[0].exists() and not copies[0].parent.exists()


def test_a_refused_upload_leaves_no_copy(store_with_models):
    from utils.uploads import upload_dir

    at = run_page(PAGE, active="lee-w2v")
    at.file_uploader(key="eval_upload").set_value([("bad.txt", b"\x00\x01", "text/plain")]).run()
    assert at.error and not list(upload_dir().rglob("bad.txt"))


def _figures(at) -> list[dict]:
    import json

    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_scores_fit_the_page_without_sideways_scrolling(store_with_models):
    at = _evaluated()
    frames = [d.value for d in at.dataframe if "benchmark" in d.value.columns]
    assert [list(f.columns) for f in frames] == [
        ["model", "benchmark", "Spearman", "Pearson", "OOV %"],
        ["model", "benchmark", "accuracy %", "semantic %", "syntactic %", "answered"],
    ]
    assert list(frames[0]["benchmark"]) == ["WordSim353", "SimLex-999"]
    pairs, analogies, heatmap = _figures(at)
    # Bars lie down, so benchmark names are read, not rotated into the plot.
    assert {trace["orientation"] for trace in pairs["data"] + analogies["data"]} == {"h"}
    assert list(pairs["data"][0]["y"]) == ["WordSim353 Spearman", "WordSim353 Pearson"] + [
        "SimLex-999 Spearman",
        "SimLex-999 Pearson",
    ]
    # The heatmap has one row per section (names in full, left of it), a column per model.
    card = session_models(at).load_card("lee-w2v")
    sections = list(stored_results(card, standard_benchmarks())["analogies"]["sections"])
    assert list(heatmap["data"][0]["y"]) == sections and list(heatmap["data"][0]["x"]) == [
        "lee-w2v"
    ]
    assert heatmap["layout"]["height"] >= 26 * len(sections)
