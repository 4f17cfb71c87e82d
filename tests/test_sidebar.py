"""AppTest: the shared sidebar's model picker and the pages agree on the active model."""

from __future__ import annotations

from tests.conftest import run_page


def test_the_users_pick_in_the_sidebar_becomes_the_active_model(store_with_models):
    at = run_page("app_pages/neighbours.py", active="lee-w2v")
    picker = at.selectbox(key="sidebar_model")
    assert sorted(picker.options) == ["lee-ft", "lee-w2v"] and picker.value == "lee-w2v"
    picker.set_value("lee-ft").run()
    assert at.session_state["active_model"] == "lee-ft"
    at.run()
    assert at.session_state["active_model"] == "lee-ft"
    assert at.selectbox(key="sidebar_model").value == "lee-ft"


def test_a_model_a_page_activates_stays_active_on_later_reruns(store_with_models):
    at = run_page("app_pages/neighbours.py", active="lee-w2v")
    # As the Train, Models and Compare pages do after training, loading or a jump.
    at.session_state["active_model"] = "lee-ft"
    at.run()
    at.run()
    assert at.session_state["active_model"] == "lee-ft"
    assert at.selectbox(key="sidebar_model").value == "lee-ft"
    assert not at.exception
