"""AppTest for the Projection page's stored maps: create, list, reopen, delete, colour by
an uploaded metadata CSV, and maps keyed to the model's version."""

from __future__ import annotations

import json

import pytest

from embeddings.projection.maps import create_map, list_maps
from tests.conftest import run_page
from tests.jobwait import finish_job

PAGE = "app_pages/projection.py"


def _stored(at):
    at.radio(key="proj_view").set_value("stored").run()
    return at


def _component_args(at) -> dict:
    element = at.get("component_instance")[0]
    return json.loads(element.proto.json_args)


@pytest.fixture
def page(store_with_models, personal_lab):
    # One person's lab: the stored models are theirs to map (in a workspace, a shared
    # model's maps are read-only).
    return _stored(run_page(PAGE, active="lee-w2v"))


def test_no_map_yet_then_create_one_as_a_job(page, store_with_models):
    assert not page.exception
    assert any("has no stored map yet" in i.value for i in page.info)
    page.text_input(key="map_name").set_value("top-pca").run()
    page.selectbox(key="map_method").set_value("pca").run()
    page.number_input(key="map_n").set_value(500).run()
    page.button(key="map_create").click().run()
    job = finish_job(page, "maps_job")
    assert job.error is None
    assert not page.exception and not page.error
    assert [m.name for m in list_maps(store_with_models, "lee-w2v")] == ["top-pca"]
    assert page.selectbox(key="map_pick").value == "top-pca"
    assert page.metric[0].label == "Neighbour preservation at k=10"
    args = _component_args(page)
    assert args["data"]["n"] == 500 and args["data"]["url"].startswith("data/")
    assert page.text_input(key="map_name").value == "map-1"  # the next free name


def test_reopen_pick_and_delete(store_with_models, personal_lab):
    create_map(store_with_models, "lee-w2v", "a-pca", "pca", words=300)
    create_map(store_with_models, "lee-w2v", "b-pca", "pca", words=200, sample="bands")
    at = _stored(run_page(PAGE, active="lee-w2v"))
    assert at.selectbox(key="map_pick").options == [
        "a-pca · PCA · 300 words",
        "b-pca · PCA · 200 words",
    ]
    at.selectbox(key="map_pick").set_value("b-pca").run()
    assert _component_args(at)["data"]["n"] == 200
    at.button(key="map_delete").click().run()
    assert not at.exception
    assert [m.name for m in list_maps(store_with_models, "lee-w2v")] == ["a-pca"]
    assert at.selectbox(key="map_pick").value == "a-pca"


def test_a_retrained_model_shows_no_old_map(store_with_models, lee_w2v):
    from embeddings.vectors.store import ModelCard

    create_map(store_with_models, "lee-w2v", "old", "pca", words=300)
    other = lee_w2v.__class__(lee_w2v.vector_size)
    other.add_vectors(lee_w2v.index_to_key, lee_w2v.vectors[::-1].copy())
    store_with_models.save(other, ModelCard(name="lee-w2v", algorithm="word2vec"), overwrite=True)
    at = _stored(run_page(PAGE, active="lee-w2v"))
    assert not at.exception
    assert any("has no stored map yet" in i.value for i in at.info)
    assert not at.get("component_instance")


def test_colour_by_an_uploaded_metadata_csv(store_with_models, lee_w2v):
    create_map(store_with_models, "lee-w2v", "m", "pca", words=100)
    at = _stored(run_page(PAGE, active="lee-w2v"))
    at.selectbox(key="map_colour").set_value("metadata").run()
    words = lee_w2v.index_to_key[:100]
    rows = ["word,kind,length"] + [
        f"{w},{'long' if len(w) > 4 else 'short'},{len(w)}" for w in words[:80]
    ]
    _upload(at, "map_meta", "meta.csv", ("\n".join(rows) + "\n").encode())
    args = _component_args(at)
    colour = args["data"]["colour"]
    assert colour["kind"] == "category" and colour["title"] == "kind"
    assert set(colour["names"]) == {"long", "short", "(not in the file)"}
    at.selectbox(key="map_meta_col").set_value("length").run()
    colour = _component_args(at)["data"]["colour"]
    assert colour == {"kind": "numeric", "title": "length", "names": []}
    caption = next(c.value for c in at.caption if c.value.startswith("The zip holds"))
    assert "(word, count, cluster, band, the uploaded columns)" in caption


def _upload(at, key, name, data):
    at.file_uploader(key=key).set_value([(name, data, "text/csv")]).run()


def test_search_sends_the_word_and_its_true_neighbours_on_the_map(store_with_models, lee_w2v):
    create_map(store_with_models, "lee-w2v", "m", "pca", words=300)
    at = _stored(run_page(PAGE, active="lee-w2v"))
    at.text_input(key="map_search").set_value("police").run()
    focus = _component_args(at)["focus"]
    words = lee_w2v.index_to_key[:300]  # a top-300 map: rows 0..299 in order
    truth = [w for w, _ in lee_w2v.most_similar("police", topn=10)]
    assert focus == {
        "index": words.index("police"),
        "neighbours": [words.index(w) for w in truth if w in words],
    }
    at.text_input(key="map_search").set_value(lee_w2v.index_to_key[1000]).run()
    assert "is in the model but not on this map" in at.warning[0].value
    assert _component_args(at)["focus"] is None


def test_a_3d_map_is_drawn_in_3d(store_with_models):
    create_map(store_with_models, "lee-w2v", "cube", "pca", words=200, dims=3)
    at = _stored(run_page(PAGE, active="lee-w2v"))
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert {t["type"] for t in spec["data"]} == {"scatter3d"}
    assert sum(len(t["text"]) for t in spec["data"]) == 200  # one trace per band
    assert all("z" in t for t in spec["data"])


def test_stored_view_data_draws_the_same_bytes_as_computing_it(store_with_models):
    """A map stored with its clusters and hover neighbours sends the browser exactly the
    data a map stored without them (an older map) gets computed on open."""
    import streamlit as st

    from embeddings.projection.map_precomputed import CLUSTERS_FILE, HOVER_FILE, VIEW_FILE
    from embeddings.projection.maps import open_map

    create_map(store_with_models, "lee-w2v", "m", "pca", words=300)
    stored = _component_args(_stored(run_page(PAGE, active="lee-w2v")))["data"]
    folder = open_map(store_with_models, "lee-w2v", "m").folder
    for name in (CLUSTERS_FILE, HOVER_FILE, VIEW_FILE):
        (folder / name).unlink()
    st.cache_resource.clear()
    at = _stored(run_page(PAGE, active="lee-w2v"))
    assert not at.exception and not at.error
    computed = _component_args(at)["data"]
    assert stored["hover"] == computed["hover"] == 300
    assert stored["url"] == computed["url"]  # named by the blob's SHA-256


def test_a_shared_models_maps_are_read_only_in_a_workspace(store_with_models):
    create_map(store_with_models, "lee-w2v", "a-pca", "pca", words=300)
    at = _stored(run_page(PAGE, active="lee-w2v"))  # a workspace: lee-w2v is shared
    assert not at.exception
    assert any("shared and read-only here" in i.value for i in at.info)
    assert not [b for b in at.button if b.key == "map_create"]
    assert at.button(key="map_delete").disabled
    assert _component_args(at)["data"]["n"] == 300  # the operator's map is still shown
