"""The app with a damaged store: broken entries are shown and can be deleted."""

from tests.conftest import run_page


def test_models_page_lists_a_broken_entry_and_deletes_it(store_with_models, personal_lab):
    # The shared store's entries are the operator's (a workspace lists its own only).
    (store_with_models.root / "ghost").mkdir()
    (store_with_models.path("lee-ft") / "card.json").write_text("{", encoding="utf-8")
    at = run_page("app_pages/models.py", active="lee-w2v")
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("**ghost** cannot be opened: no card.json" in w for w in warnings)
    assert any("**lee-ft** cannot be opened: card.json is not valid JSON" in w for w in warnings)
    assert at.selectbox(key="mg_model").options == ["lee-w2v"]
    at.button(key="mg_broken_ghost").click().run()
    assert not at.exception
    assert [name for name, _ in store_with_models.broken()] == ["lee-ft"]
    assert not (store_with_models.root / "ghost").exists()


def test_a_model_deleted_by_another_session_is_a_message_not_a_traceback(store_with_models):
    at = run_page("app_pages/neighbours.py", active="lee-ft")
    assert not at.exception
    store_with_models.delete("lee-ft")
    at.run()
    assert not at.exception
