"""AppTest for the Projection page: metrics, tables, neighbours, t-SNE with progress."""

import pytest

from tests.conftest import run_page
from tests.jobwait import finish_job, settle

PAGE = "app_pages/projection.py"


@pytest.fixture
def page(store_with_models):
    at = run_page(PAGE, active="lee-w2v")
    settle(at, "proj_job")
    return at


def _metric(at, label_start):
    return next(m for m in at.metric if m.label.startswith(label_start)).value


def test_pca_page_shows_faithfulness_and_explained_variance(page):
    assert not page.exception
    assert not page.error
    assert _metric(page, "Neighbour preservation").endswith("%")
    assert 0 <= float(_metric(page, "Trustworthiness")) <= 1
    assert _metric(page, "Explained variance").endswith("%")
    assert page.status[0].label.startswith("PCA of 1,000 words")


def test_search_lists_true_neighbours(page, lee_w2v):
    page.text_input(key="proj_search").set_value("government").run()
    table = next(d.value for d in page.dataframe if "also near on the map" in d.value.columns)
    expected = [w for w, _ in lee_w2v.most_similar("government", topn=40)]
    # True neighbours among the 1,000 projected words, in the full space's order.
    on_map = [w for w in expected if w in lee_w2v.index_to_key[:1000]][:10]
    assert list(table["word"]) == on_map


def test_neighbour_mode_colours_by_group(page):
    page.radio(key="proj_mode").set_value("neighbours").run()
    page.text_input(key="proj_queries").set_value("police, water, zzzunknown").run()
    settle(page, "proj_job")
    assert not page.exception
    assert "zzzunknown" in page.warning[0].value
    assert page.status[0].label.startswith("PCA of 32 words")


def test_tsne_runs_as_a_job_and_is_cached(page):
    page.number_input(key="proj_n").set_value(200).run()
    page.selectbox(key="proj_method").set_value("tsne").run()
    assert not page.exception
    job = finish_job(page, "proj_job")
    assert job.error is None and job.message == "t-SNE: done"
    assert page.status[0].label.startswith("TSNE of 200 words")
    first = _metric(page, "Neighbour preservation")
    page.run()
    assert page.session_state["proj_job"] is job  # no second computation
    assert _metric(page, "Neighbour preservation") == first


def test_a_long_tsne_shows_progress_and_can_be_cancelled(page):
    page.number_input(key="proj_n").set_value(2000).run()
    page.selectbox(key="proj_method").set_value("tsne").run()
    assert page.session_state["proj_job"].running  # still iterating after the first second
    bar = page.get("progress")[0].proto.text
    assert bar.startswith("t-SNE: 2,000 words") or bar.startswith("t-SNE: iteration")
    page.button(key="proj_job_cancel").click().run()
    finish_job(page, "proj_job")
    assert page.warning[0].value == "Cancelled by the user; nothing was changed."
    assert not page.metric  # no map without coordinates
    assert page.button(key="proj_again").label == "Compute the map again"


def test_bad_regex_is_an_error_message(page):
    page.text_input(key="proj_regex").set_value("([").run()
    assert "Invalid regular expression" in page.error[0].value


def _map_legend(at) -> list[str]:
    import json

    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return [t["name"] for t in spec["data"] if t.get("showlegend")]


def test_cluster_legend_is_in_numeric_order(page):
    page.selectbox(key="proj_colour").set_value("cluster").run()
    page.number_input(key="proj_k_clusters").set_value(12).run()
    assert _map_legend(page) == [f"cluster {c}" for c in range(12)]


def test_the_export_caption_names_the_columns_the_zip_holds(page):
    caption = next(c.value for c in page.caption if c.value.startswith("The zip holds"))
    assert "metadata TSVs (word, count, cluster)," in caption  # no query groups: no group
    page.radio(key="proj_mode").set_value("neighbours").run()
    page.text_input(key="proj_queries").set_value("police, water").run()
    caption = next(c.value for c in page.caption if c.value.startswith("The zip holds"))
    assert "metadata TSVs (word, count, cluster, group)," in caption
    page.selectbox(key="proj_colour").set_value("group").run()
    assert _map_legend(page) == ["police", "water"]
