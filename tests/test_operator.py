"""The operator's readings: the token check, every job in line, memory, workspaces."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors

from embeddings.jobs import BackgroundJob, JobQueue
from embeddings.operator import (
    OPERATOR_ENV,
    job_rows,
    mapped_model_files,
    operator_allowed,
    process_memory,
    workspace_rows,
)
from embeddings.vectors.store import ModelCard, ModelStore
from embeddings.vectors.store_entry import VECTORS_FILE
from embeddings.workspaces import LAST_USED_FILE, new_token, workspace_store

WAIT = 30


def test_the_operator_token_must_be_set_and_match(monkeypatch):
    monkeypatch.delenv(OPERATOR_ENV, raising=False)
    assert not operator_allowed("") and not operator_allowed("x") and not operator_allowed(None)
    monkeypatch.setenv(OPERATOR_ENV, "   ")  # blank is not a token
    assert not operator_allowed("") and not operator_allowed("   ")
    monkeypatch.setenv(OPERATOR_ENV, "s3cret")
    assert operator_allowed("s3cret")
    assert not any(operator_allowed(t) for t in ("s3cre", "s3cret ", "S3CRET", "", None))


def test_job_rows_list_running_then_waiting_jobs_in_order():
    queue = JobQueue(max_running=1)
    gate = threading.Event()

    def hold(progress, cancel):
        while not gate.wait(0.01):
            cancel.check()

    jobs = [
        queue.submit(BackgroundJob(hold, f"Job {n}", owner=owner, estimate=estimate))
        for n, owner, estimate in ((1, "ws-a", 2 << 20), (2, None, None), (3, "ws-c", 1024))
    ]
    rows = job_rows(queue)
    assert [r.to_dict() | {"elapsed (s)": 0} for r in rows] == [
        {
            "job": "Job 1",
            "workspace": "ws-a",
            "state": "running",
            "position": None,
            "elapsed (s)": 0,
            "memory estimate": "2.0 MiB",
        },
        {
            "job": "Job 2",
            "workspace": "(server)",
            "state": "waiting",
            "position": 1,
            "elapsed (s)": 0,
            "memory estimate": "unknown",
        },
        {
            "job": "Job 3",
            "workspace": "ws-c",
            "state": "waiting",
            "position": 2,
            "elapsed (s)": 0,
            "memory estimate": "1.0 KiB",
        },
    ]
    assert [r.job for r in rows] == jobs
    rows[2].job.cancel()
    assert [r.label for r in job_rows(queue)] == ["Job 1", "Job 2"]
    gate.set()
    assert all(job.wait(WAIT) for job in jobs)
    assert job_rows(queue) == []


@pytest.mark.skipif(not os.path.exists("/proc/self/smaps"), reason="needs Linux /proc")
def test_memory_and_the_mapped_model_files(tmp_path):
    memory = process_memory()
    assert memory["rss"] > 10 << 20 and memory["pss"] > 0
    store = ModelStore(tmp_path / "models")
    kv = KeyedVectors(vector_size=64)
    kv.add_vectors([f"w{i}" for i in range(2000)], np.ones((2000, 64), dtype=np.float32))
    store.save(kv, ModelCard(name="big", algorithm="word2vec"))
    assert mapped_model_files([store.root]) == []
    loaded, _ = store.load("big")
    float(loaded.vectors.sum())  # touch every page
    mapped = mapped_model_files([store.root])
    folder = store.path("big").resolve()
    assert {Path(m["file"]).parent for m in mapped} == {folder}  # vectors, unit rows, norms
    assert str(folder / VECTORS_FILE) in {m["file"] for m in mapped}
    vectors = next(m for m in mapped if m["file"] == str(folder / VECTORS_FILE))
    assert vectors["size"] >= 2000 * 64 * 4 and vectors["resident"] > 0
    assert mapped_model_files([tmp_path / "elsewhere"]) == []


def test_workspace_rows_count_models_and_bytes_and_do_not_mark_use(tmp_path):
    root = tmp_path / "workspaces"
    busy, idle = new_token(), new_token()
    kv = KeyedVectors(vector_size=4)
    kv.add_vectors(["a", "b"], np.ones((2, 4), dtype=np.float32))
    workspace_store(busy, root).save(kv, ModelCard(name="m", algorithm="glove"))
    workspace_store(idle, root)
    (root / "not-a-workspace").mkdir()
    now = time.time()
    ten_days = now - 10 * 86400
    os.utime(root / idle / LAST_USED_FILE, (ten_days, ten_days))
    rows = workspace_rows(root, now=now)
    assert [r["workspace"] for r in rows] == [busy, idle]
    assert [r["models"] for r in rows] == [1, 0]
    assert rows[0]["bytes"] > 2 * 4 * 4 and rows[1]["idle days"] == 10.0
    assert workspace_rows(root, now=now)[1]["idle days"] == 10.0  # reading is not using
    assert workspace_rows(tmp_path / "none") == []
