"""AppTest: the recommender and classifier pages on real bundled documents."""

from tests.conftest import run_page


def test_recommender_lists_similar_documents_for_a_title(store_with_models):
    at = run_page("app_pages/recommender.py", active="lee-w2v")
    assert not at.exception
    at.radio(key="rec_source").set_value("lee").run()
    assert not at.exception
    results = at.dataframe[0].value
    assert len(results) == 5
    assert results["similarity"].is_monotonic_decreasing
    first_title = at.selectbox(key="rec_title").value
    assert first_title not in set(results["title"])  # a document is not its own recommendation


def test_recommender_answers_free_text(store_with_models):
    at = run_page("app_pages/recommender.py", active="lee-w2v")
    at.radio(key="rec_source").set_value("lee").run()
    at.radio(key="rec_mode").set_value("for my text").run()
    at.text_area(key="rec_text").set_value("bushfires burn homes near sydney").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 5


def test_classifier_compares_schemes_and_predicts_typed_text(store_with_models):
    at = run_page("app_pages/classifier.py", active="lee-w2v")
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 4 and table["folds"].tolist() == [5] * 4
    assert table["features"].iloc[-1] == "TF-IDF bag of words (baseline)"
    confusion = at.dataframe[1].value
    assert int(confusion.to_numpy().sum()) == 200
    at.text_input(key="clf_text").set_value("a moving and funny film").run()
    assert not at.exception
    assert any(m.value.startswith("Predicted label: **") for m in at.markdown)


def test_recommender_map_uses_the_projection_methods(store_with_models):
    at = run_page("app_pages/recommender.py", active="lee-w2v")
    at.radio(key="rec_source").set_value("lee").run()
    assert any(c.value.startswith("PCA of the 300 document vectors") for c in at.caption)
    at.radio(key="rec_map_method").set_value("tsne").run()
    assert not at.exception
    assert any(c.value.startswith("t-SNE of the 300 document vectors") for c in at.caption)


def test_classifier_bars_lie_down_so_scheme_names_read_in_full(store_with_models):
    import json

    at = run_page("app_pages/classifier.py", active="lee-w2v")
    bars = json.loads(at.get("plotly_chart")[0].proto.spec)
    trace = bars["data"][0]
    assert trace["orientation"] == "h"
    assert list(trace["y"]) == list(at.dataframe[0].value["features"])
    assert bars["layout"]["yaxis"]["automargin"] is True
