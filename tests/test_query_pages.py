"""AppTest for the Neighbours, Analogies and Models pages: type words, press buttons,
read the results."""

from __future__ import annotations

import shutil
from pathlib import Path

import gensim
import pytest

from tests.conftest import pick_data_file, run_page, session_models
from tests.jobwait import finish_job

DATA = Path(gensim.__file__).parent / "test" / "test_data"


def _words(at, column="word"):
    return [list(d.value[column]) for d in at.dataframe if column in d.value.columns]


def test_neighbours_table_equals_gensim(store_with_models, lee_w2v):
    at = run_page("app_pages/neighbours.py", active="lee-w2v")
    at.text_input(key="nb_word").set_value("police").run()
    assert not at.exception
    expected = [w for w, _ in lee_w2v.most_similar("police", topn=10)]
    assert _words(at)[0] == expected
    at.text_input(key="nb_negative").set_value("fire").run()
    expected = [w for w, _ in lee_w2v.most_similar(["police"], ["fire"], topn=10)]
    assert _words(at)[0] == expected


def test_unknown_word_is_a_message_with_close_spellings(store_with_models):
    at = run_page("app_pages/neighbours.py", active="lee-w2v")
    at.text_input(key="nb_word").set_value("goverment").run()
    assert not at.exception
    assert "close matches: government" in at.error[0].value


def test_fasttext_unknown_word_is_marked(store_with_models):
    at = run_page("app_pages/neighbours.py", active="lee-ft")
    at.text_input(key="nb_word").set_value("policemanship").run()
    assert not at.exception and not at.error
    assert "Out of vocabulary" in at.info[0].value


def test_similarity_odd_one_out_and_compare(store_with_models, lee_w2v):
    at = run_page("app_pages/neighbours.py", active="lee-w2v")
    at.text_input(key="sim_a").set_value("police").run()
    at.text_input(key="sim_b").set_value("fire").run()
    assert at.metric[0].value == f"{float(lee_w2v.similarity('police', 'fire')):.4f}"
    at.text_input(key="odd_words").set_value("police officers fire water").run()
    odd = lee_w2v.doesnt_match(["police", "officers", "fire", "water"])
    assert any(f"Odd one out: **{odd}**" in m.value for m in at.markdown)
    at.text_input(key="cmp_word").set_value("police").run()
    assert not at.exception
    assert any("neighbours shared" in m.value for m in at.markdown)


def test_preset_word_from_another_page(store_with_models, lee_w2v):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import APP

    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["active_model"] = "lee-w2v"
    at.session_state["neighbours_word"] = "water"
    at.run()
    at.switch_page("app_pages/neighbours.py").run()
    assert at.text_input(key="nb_word").value == "water"


@pytest.mark.parametrize("method", ["add", "mul"])
def test_analogy_page_equals_gensim(store_with_models, lee_w2v, method):
    at = run_page("app_pages/analogies.py", active="lee-w2v")
    at.radio(key="an_method").set_value(method).run()
    at.text_input(key="an_a").set_value("police").run()
    at.text_input(key="an_b").set_value("officers").run()
    at.text_input(key="an_c").set_value("fire").run()
    assert not at.exception
    call = lee_w2v.most_similar if method == "add" else lee_w2v.most_similar_cosmul
    expected = [w for w, _ in call(positive=["officers", "fire"], negative=["police"], topn=10)]
    assert _words(at)[0] == expected
    formula = "officers - police + fire" if method == "add" else "cos(x, officers)"
    assert any(formula in m.value for m in at.markdown)
    assert f"Nearest word: **{expected[0]}**" in [m.value for m in at.markdown]


def test_analogy_with_unknown_word(store_with_models):
    at = run_page("app_pages/analogies.py", active="lee-w2v")
    for key, word in (("an_a", "police"), ("an_b", "officers"), ("an_c", "qqzzx")):
        at.text_input(key=key).set_value(word).run()
    assert not at.exception
    assert all("'qqzzx' is not in the vocabulary" in e.value for e in at.error)
    assert len(at.error) == 2  # both methods say so


def test_models_page_loads_a_server_file_and_manages_it(store_with_models, data_dir):
    shutil.copy(DATA / "test_glove.txt", data_dir)
    at = run_page("app_pages/models.py", active="lee-w2v")
    at.radio(key="ld_source").set_value("server path").run()
    pick_data_file(at, "ld", data_dir / "test_glove.txt")
    at.text_input(key="ld_name").set_value("glove-test").run()
    at.button(key="ld_go").click().run()
    job = finish_job(at, "load_job", 60)
    assert job.error is None, job.error
    models = session_models(at)  # loaded into the session's workspace
    assert models.own_names() == ["glove-test"] and not store_with_models.exists("glove-test")
    assert at.session_state["active_model"] == "glove-test"
    assert any("Loaded **glove-test** (glove-text, 76 words × 50)" in s.value for s in at.success)

    at.selectbox(key="mg_model").set_value("glove-test").run()
    at.text_input(key="mg_new_name").set_value("glove-renamed").run()
    at.button(key="mg_rename").click().run()
    assert not at.exception
    assert models.own_names() == ["glove-renamed"]

    at.selectbox(key="mg_model").set_value("glove-renamed").run()
    at.checkbox(key="mg_sure").check().run()
    at.button(key="mg_delete").click().run()
    assert not at.exception
    assert models.own_names() == []


def test_models_page_refuses_a_pickle(store_with_models, tmp_path, data_dir):
    import pickle

    marker = tmp_path / "ran"

    class Exploit:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    path = data_dir / "model.kv"
    path.write_bytes(pickle.dumps(Exploit()))
    at = run_page("app_pages/models.py", active="lee-w2v")
    at.radio(key="ld_source").set_value("server path").run()
    pick_data_file(at, "ld", path)
    at.button(key="ld_go").click().run()
    job = finish_job(at, "load_job", 60)
    assert "never unpickles" in job.error
    assert any("never unpickles" in e.value for e in at.error)
    assert not marker.exists()
    assert sorted(store_with_models.names()) == ["lee-ft", "lee-w2v"]


def test_models_page_file_gone_before_load(store_with_models, data_dir):
    path = data_dir / "vectors.vec"
    shutil.copy(DATA / "test_glove.txt", path)
    at = run_page("app_pages/models.py", active="lee-w2v")
    at.radio(key="ld_source").set_value("server path").run()
    assert all(t.key != "ld_path" for t in at.text_input)  # no free path box
    pick_data_file(at, "ld", path)
    assert not at.button(key="ld_go").disabled
    path.unlink()
    at.button(key="ld_go").click().run()
    assert not at.exception
    assert at.info[0].value.startswith("The data folders hold no files yet.")
    assert at.button(key="ld_go").disabled
    assert "load_job" not in at.session_state
