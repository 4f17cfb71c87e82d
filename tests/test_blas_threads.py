"""The server's OpenBLAS threads sleep when idle: app.py sets OPENBLAS_THREAD_TIMEOUT
before anything imports numpy (OpenBLAS reads it once, when it loads). Spinning, the idle
threads took about 50 ms of a core after every matrix-vector product."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import APP, PROJECT

# Runs app.py until the first import of numpy and prints the setting OpenBLAS would read.
PROBE = r"""
import os, runpy, sys

class FirstNumpy:
    def find_spec(self, name, path=None, target=None):
        if name == "numpy":
            print("at numpy:", os.environ.get("OPENBLAS_THREAD_TIMEOUT"), flush=True)
            os._exit(0)
        return None

# What `streamlit run` imports before it runs app.py must not load numpy.
import streamlit.runtime, streamlit.web.bootstrap, streamlit.web.server  # noqa: E401,F401
if "numpy" in sys.modules:
    print("numpy was imported before app.py", flush=True)
    os._exit(0)
sys.meta_path.insert(0, FirstNumpy())
runpy.run_path(sys.argv[1], run_name="__main__")
print("numpy was never imported", flush=True)
"""


def _first_numpy_import(env: dict) -> str:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, APP],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return out.stdout.strip().splitlines()[-1]


def test_app_sets_the_blas_thread_timeout_before_numpy_loads():
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_THREAD_TIMEOUT"}
    assert _first_numpy_import(env) == "at numpy: 4"


def test_an_operators_own_setting_is_kept():
    env = {**os.environ, "OPENBLAS_THREAD_TIMEOUT": "12"}
    assert _first_numpy_import(env) == "at numpy: 12"
