"""AppTest: the recommender and classifier pages on real bundled documents; their long
computations run as jobs (progress, Cancel, the result once they end)."""

from tests.conftest import run_page
from tests.jobwait import (
    BusyServer,
    cancel_waiting_job,
    end_then_hold,
    panel_text,
    run_again,
    settle,
)
from utils.docs_widgets import read_job
from utils.document_jobs import CURVE_JOB, CV_JOB, FIT_JOB, INDEX_JOB, MAP_JOB

REC_JOBS = (read_job("rec"), INDEX_JOB, MAP_JOB)
CLF_JOBS = (read_job("clf"), CV_JOB, CURVE_JOB, FIT_JOB)


def _page(page: str, *jobs: str):
    at = run_page(page, active="lee-w2v")
    settle(at, *jobs)
    return at


def _recommender_on_lee():
    at = run_page("app_pages/recommender.py", active="lee-w2v")
    at.radio(key="rec_source").set_value("lee").run()  # reading the wiki set stops
    settle(at, *REC_JOBS)
    return at


def test_recommender_lists_similar_documents_for_a_title(store_with_models):
    at = _recommender_on_lee()
    assert not at.exception
    results = at.dataframe[0].value
    assert len(results) == 5
    assert results["similarity"].is_monotonic_decreasing
    first_title = at.selectbox(key="rec_title").value
    assert first_title not in set(results["title"])  # a document is not its own recommendation


def test_recommender_answers_free_text(store_with_models):
    at = _recommender_on_lee()
    at.radio(key="rec_mode").set_value("for my text").run()
    at.text_area(key="rec_text").set_value("bushfires burn homes near sydney").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 5


def test_classifier_compares_schemes_and_predicts_typed_text(store_with_models):
    at = _page("app_pages/classifier.py", *CLF_JOBS)
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 4 and table["folds"].tolist() == [5] * 4
    assert table["features"].iloc[-1] == "TF-IDF bag of words (baseline)"
    confusion = at.dataframe[1].value
    assert int(confusion.to_numpy().sum()) == 200
    at.text_input(key="clf_text").set_value("a moving and funny film").run()
    settle(at, FIT_JOB)
    assert not at.exception
    assert any(m.value.startswith("Predicted label: **") for m in at.markdown)


def test_recommender_map_uses_the_projection_methods(store_with_models):
    at = _recommender_on_lee()
    assert any(c.value.startswith("PCA of the 300 document vectors") for c in at.caption)
    at.radio(key="rec_map_method").set_value("tsne").run()
    settle(at, MAP_JOB)
    assert not at.exception
    assert any(c.value.startswith("t-SNE of the 300 document vectors") for c in at.caption)


def test_classifier_bars_lie_down_so_scheme_names_read_in_full(store_with_models):
    import json

    at = _page("app_pages/classifier.py", *CLF_JOBS)
    bars = json.loads(at.get("plotly_chart")[0].proto.spec)
    trace = bars["data"][0]
    assert trace["orientation"] == "h"
    assert list(trace["y"]) == list(at.dataframe[0].value["features"])
    assert bars["layout"]["yaxis"]["automargin"] is True


def test_reading_and_document_vectors_are_jobs_with_progress_cancel_and_results(
    store_with_models, monkeypatch
):
    reading = read_job("rec")
    server = BusyServer(monkeypatch)
    at = run_page("app_pages/recommender.py", active="lee-w2v")
    assert panel_text(at).startswith("Waiting") and not at.dataframe
    cancel_waiting_job(at, reading)
    assert not at.dataframe and not at.get("plotly_chart")
    at.radio(key="rec_source").set_value("lee").run()  # other documents: a new job
    job = at.session_state[reading]
    assert panel_text(at).startswith("Waiting") and job.label == "Reading the documents (lee)"
    server = end_then_hold(at, reading, server, monkeypatch)  # the vectors wait in line
    assert job.message == "Reading: 300 documents"
    cancel_waiting_job(at, INDEX_JOB)
    assert not at.dataframe and not at.get("plotly_chart")
    run_again(at, INDEX_JOB, server, *REC_JOBS)
    index = at.session_state[INDEX_JOB]
    assert index.state == "done" and index.last.stage == "docvec"
    assert index.message == "Document vectors: 300 documents"
    assert at.session_state[MAP_JOB].last.stage == "pca"
    assert len(at.dataframe[0].value) == 5 and at.get("plotly_chart")
    # the vectors are kept with the model: another session reads them back
    kept = [p.name for p in store_with_models.extra_path("lee-w2v", "x").parent.iterdir()]
    assert any(name.startswith("docvec-") for name in kept)


def test_recommender_map_cancelled_keeps_the_recommendations(store_with_models, monkeypatch):
    at = _recommender_on_lee()
    server = BusyServer(monkeypatch)
    at.radio(key="rec_map_method").set_value("tsne").run()
    cancel_waiting_job(at, MAP_JOB)
    assert len(at.dataframe[0].value) == 5 and not at.get("plotly_chart")
    server.release()


def test_cross_validation_is_a_job_with_progress_cancel_and_then_results(
    store_with_models, monkeypatch
):
    server = BusyServer(monkeypatch)
    at = run_page("app_pages/classifier.py", active="lee-w2v")
    server = end_then_hold(at, read_job("clf"), server, monkeypatch)  # the CV waits in line
    assert panel_text(at).startswith("Waiting") and not at.dataframe
    cancel_waiting_job(at, CV_JOB)
    assert not at.dataframe and not at.get("plotly_chart")
    run_again(at, CV_JOB, server, *CLF_JOBS)
    cv = at.session_state[CV_JOB]
    assert cv.last.stage == "classify"
    assert cv.message == "Classifying: cross-validating tfidf-bow: 20 of 20 fits scored"
    curve = at.session_state[CURVE_JOB]
    assert curve.message == "Classifying: learning curve: 50 of 50 fits scored"
    assert len(at.dataframe[0].value) == 4
    server = BusyServer(monkeypatch)
    at.text_input(key="clf_text").set_value("a moving and funny film").run()
    cancel_waiting_job(at, FIT_JOB)
    assert not any(m.value.startswith("Predicted label") for m in at.markdown)
    run_again(at, FIT_JOB, server)
    assert at.session_state[FIT_JOB].last.stage == "fit"
    assert any(m.value.startswith("Predicted label: **") for m in at.markdown)
