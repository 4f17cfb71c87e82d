"""The neighbour index in the app: built from the Models page, used and bypassed on Neighbours."""

from tests.conftest import run_page
from tests.jobwait import settle


def test_models_page_builds_the_index_and_shows_its_recall(store_with_models, personal_lab):
    at = run_page("app_pages/models.py", active="lee-w2v")
    at.selectbox(key="mg_model").set_value("lee-w2v").run()
    assert any("No neighbour index" in c.value for c in at.caption)
    at.button(key="mg_index").click().run()
    settle(at, "index_job")
    assert not at.exception and not at.error
    recall = store_with_models.load_card("lee-w2v").notes["index"]["recall_at_10"]
    assert recall >= 0.95
    assert any(f"recall@10 **{recall:.3f}**" in m.value for m in at.markdown)


def test_a_shared_models_index_is_not_built_from_a_workspace(store_with_models):
    at = run_page("app_pages/models.py", active="lee-w2v")
    at.selectbox(key="mg_model").set_value("lee-w2v").run()
    assert not [b for b in at.button if b.key == "mg_index"]
    assert any("models index lee-w2v" in c.value for c in at.caption)


def test_neighbours_page_offers_exact_search_only_with_an_index(store_with_models):
    at = run_page("app_pages/neighbours.py", active="lee-w2v")
    assert not at.exception
    assert not [t for t in at.toggle if t.key == "nb_exact"]
    from embeddings.vectors.store_index import build_model_index

    build_model_index(store_with_models, "lee-w2v", recall_sample=100)
    at = run_page("app_pages/neighbours.py", active="lee-w2v")
    at.text_input(key="nb_word").set_value("fire").run()
    indexed = at.dataframe[0].value["word"].tolist()
    at.toggle(key="nb_exact").set_value(True).run()
    exact = at.dataframe[0].value["word"].tolist()
    kv, _ = store_with_models.load("lee-w2v")
    assert exact == [w for w, _ in kv.most_similar("fire", topn=len(exact))]
    assert len(set(indexed) & set(exact)) >= 0.9 * len(exact)
