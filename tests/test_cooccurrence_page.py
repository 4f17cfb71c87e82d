"""AppTest of the Co-occurrence page: the chapter's table exactly, the corpus table,
typed words, PPMI, probability ratios and clear errors."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.chapter import CHAPTER_COOCCURRENCE, CHAPTER_ORDER
from tests.conftest import APP
from tests.jobwait import BusyServer, cancel_waiting_job, panel_text, run_again, settle
from utils.cooccurrence_widgets import COUNTS_JOB, PPMI_JOB


@pytest.fixture
def lee_app(store_with_models, tmp_path):
    """The app (not run yet) with the Lee news text (small, fast) as the active corpus."""
    from embeddings.corpus.sentences import prepare_documents
    from embeddings.corpus.sources import CorpusSource, read_documents

    docs = list(read_documents(CorpusSource.from_bundled("lee")))
    prepared = prepare_documents(docs, "lee", "simple", out_path=tmp_path / "lee.txt")
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["active_corpus"] = prepared
    return at


@pytest.fixture
def lee_page(lee_app):
    """The page on the Lee corpus, its counts done."""
    at = lee_app
    at.run()
    at.switch_page("app_pages/cooccurrence.py").run()
    settle(at, COUNTS_JOB)
    return at


POSITIONS = {"chapter_table": 0, "cooc_table": 1, "ratio_table": -1}


def _table(at, key):
    """Dataframes carry no key in AppTest: the page shows them in this order."""
    return at.dataframe[POSITIONS[key]].value


def test_chapter_table_exact(lee_page):
    at = lee_page
    assert not at.exception and not at.error
    table = _table(at, "chapter_table")
    assert list(table.index) == CHAPTER_ORDER and list(table.columns) == CHAPTER_ORDER
    assert table.values.tolist() == CHAPTER_COOCCURRENCE


def test_corpus_table_top_words_then_typed_words(lee_page):
    at = lee_page
    table = _table(at, "cooc_table")
    assert table.shape == (12, 12) and list(table.index)[0] == "the"
    assert (table.values == table.values.T).all()
    at.text_input(key="cooc_words").set_value("Police, said, fire").run()
    table = _table(at, "cooc_table")
    assert list(table.index) == ["police", "said", "fire"]
    assert table.loc["police", "said"] > 0
    at.radio(key="cooc_weighting").set_value("ppmi").run()
    settle(at, PPMI_JOB)
    ppmi = _table(at, "cooc_table")
    assert (ppmi.values >= 0).all() and ppmi.loc["police", "police"] >= 0
    assert at.download_button(key="cooc_csv").label == "Download CSV"


def test_probability_ratios_and_unknown_word(lee_page):
    at = lee_page
    at.text_input(key="ratio_i").set_value("police").run()
    at.text_input(key="ratio_j").set_value("government").run()
    at.text_input(key="ratio_probes").set_value("said, the, officers").run()
    ratios = _table(at, "ratio_table")
    assert list(ratios.index) == ["said", "the", "officers"]
    assert ratios.shape[1] == 3
    at.text_input(key="cooc_words").set_value("police, qwertyzzz").run()
    assert [w.value for w in at.warning] == ["Not in this corpus, left out: qwertyzzz"]
    assert list(_table(at, "cooc_table").index) == ["police"]
    assert not at.exception and not at.error


@pytest.mark.slow
def test_default_corpus_defaults_work(default_model_store, monkeypatch):
    # The session's default model and its prepared default corpus (read only).
    monkeypatch.setenv("EMBEDDINGS_HOME", str(default_model_store.root))
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("app_pages/cooccurrence.py").run()
    settle(at, COUNTS_JOB)
    assert not at.exception and not at.error
    ratios = _table(at, "ratio_table")
    assert list(ratios.index)[:2] == ["army", "battle"]
    assert ratios.iloc[0, 2] > 1  # army goes with war rather than music
    assert len(at.latex) == 2 and "x_{\\max}" in at.latex[1].value


def test_the_loss_and_its_weighting_each_get_a_line(lee_page):
    """Side by side in a half-width column, the weighting was cut off after "f(x) =":
    the loss now spans the page and the weighting function sits above its sliders."""
    from utils.cooccurrence_widgets import LOSS_LATEX, WEIGHTING_LATEX

    def shown(formula):
        return f"$$\n{formula}\n$$"

    at = lee_page
    assert [f.value for f in at.latex] == [shown(LOSS_LATEX), shown(WEIGHTING_LATEX)]
    assert "f(x) =" not in LOSS_LATEX and WEIGHTING_LATEX.startswith("f(x) =")
    # The loss is a direct child of the page, the weighting the first thing in a column.
    top_level = [n.value for n in at.main.children.values() if type(n).__name__ == "Latex"]
    assert top_level == [shown(LOSS_LATEX)]
    assert at.columns[-2].children[0].value == shown(WEIGHTING_LATEX)


def test_the_counts_table_shows_every_column_under_the_heatmap(lee_page):
    """Beside the heatmap in half the page, 4 of the default 12 columns and 2 rows of the
    counts hid behind a sideways scroll: the table now spans the page."""
    at = lee_page
    top_level = [n for n in at.main.children.values() if type(n).__name__ == "Dataframe"]
    assert len(top_level) == 3  # the chapter's table, the counts, the ratios
    counts = top_level[1]
    assert counts.value.shape == (12, 12)


def test_the_x_max_label_sits_clear_of_the_axis(lee_page):
    """At the bottom of its dotted line the label overlapped the x axis and the curve's
    start; half-way up, right of the line, nothing else is drawn."""
    import json

    figure = json.loads(lee_page.get("plotly_chart")[-1].proto.spec)
    (label,) = figure["layout"]["annotations"]
    assert label["text"] == "x_max"
    assert (label["y"], label["yanchor"], label["xanchor"]) == (0.5, "middle", "left")


def test_counting_is_a_job_with_progress_cancel_and_then_its_table(lee_app, monkeypatch):
    server = BusyServer(monkeypatch)  # the count waits in line: its panel stays up
    at = lee_app
    at.run()
    at.switch_page("app_pages/cooccurrence.py").run()
    assert panel_text(at) == "Waiting: next in line (the server is busy)"
    assert len(at.dataframe) == 1  # the chapter's table; no corpus table yet
    cancel_waiting_job(at, COUNTS_JOB)
    # Usable without the counts: the chapter's table and the loss still work.
    assert len(at.dataframe) == 1 and len(at.latex) == 2
    at.slider(key="loss_alpha").set_value(0.5).run()
    assert not at.exception and not at.get("progress")  # a cancel is not restarted
    run_again(at, COUNTS_JOB, server)
    job = at.session_state[COUNTS_JOB]
    assert job.state == "done" and job.last.stage == "cooccur"
    assert job.message.startswith("Counting co-occurrences: ")
    assert _table(at, "cooc_table").shape == (12, 12) and not at.warning


def test_counts_are_kept_so_a_rerun_or_going_back_counts_nothing(lee_page):
    """The counts were keyed by the file's modification time, which every count
    changes (reading marks the file as used): each rerun counted the corpus again."""
    at = lee_page
    first = at.session_state[COUNTS_JOB]
    at.run()
    assert at.session_state[COUNTS_JOB] is first
    at.slider(key="cooc_window").set_value(3).run()
    settle(at, COUNTS_JOB)
    third = at.session_state[COUNTS_JOB]
    assert third is not first and third.label == "Counting co-occurrences (window 3)"
    at.slider(key="cooc_window").set_value(2).run()  # window 2 again: kept
    assert at.session_state[COUNTS_JOB] is third
    assert _table(at, "cooc_table").shape == (12, 12)


def test_ppmi_is_a_job_of_its_own(lee_page, monkeypatch):
    at = lee_page
    server = BusyServer(monkeypatch)
    at.radio(key="cooc_weighting").set_value("ppmi").run()
    assert panel_text(at).startswith("Waiting")
    # The chapter's table and the ratios (they need the counts only); no PPMI table yet.
    assert len(at.dataframe) == 2 and _table(at, "ratio_table").shape[1] == 3
    server.release()
    settle(at, PPMI_JOB)
    job = at.session_state[PPMI_JOB]
    assert job.last.stage == "ppmi" and job.message.startswith("Computing PPMI: ")
    assert (_table(at, "cooc_table").values >= 0).all()


def test_counting_past_the_memory_budget_is_refused_with_its_estimate(lee_app, monkeypatch):
    monkeypatch.setenv("EMBEDDINGS_MEMORY_BUDGET", "1M")
    at = lee_app
    at.run()
    at.switch_page("app_pages/cooccurrence.py").run()
    assert not at.exception and COUNTS_JOB not in at.session_state
    message = at.error[0].value
    assert message.startswith("Counting co-occurrences (window 2) needs about ")
    assert "the budget is 1.0 MiB (EMBEDDINGS_MEMORY_BUDGET)" in message
    assert len(at.dataframe) == 1 and len(at.latex) == 2  # the rest of the page still works
