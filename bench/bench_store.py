"""Full-size vectors in the store: import, a command-line query, and memory per process.

A synthetic N x 300 model (2,000,000 words; 200,000 with ``--quick``; generated here,
never committed) is written as a word2vec binary file, then:

- import: ``models import`` of that file into a fresh store, against gensim's
  ``load_word2vec_format`` of the same file (the reference);
- command-line query: ``python -m embeddings neighbours MODEL WORD`` wall time (median of
  5, index built), against ``python -c "import gensim, numpy"`` (the start-up floor);
- memory: private (USS) and shared memory of a process that opened the model and
  answered a query, from ``/proc/<pid>/smaps_rollup``; a second process opening the same
  model maps the same pages (its shared memory grows, its private memory does not).

    python -m bench.bench_store [--quick]
    BENCH_STORE_WORDS=3000000 python -m bench.bench_store
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parent.parent


def write_word2vec_binary(path: Path, n: int, dim: int = 300, seed: int = 0) -> None:
    """A word2vec binary file of ``n`` random words (``w0``, ``w1``, ...), in blocks."""
    rng = np.random.default_rng(seed)
    with open(path, "wb") as fh:
        fh.write(f"{n} {dim}\n".encode())
        for start in range(0, n, 100_000):
            stop = min(n, start + 100_000)
            block = rng.standard_normal((stop - start, dim), dtype=np.float32)
            for i, row in zip(range(start, stop), block, strict=True):
                fh.write(f"w{i} ".encode())
                fh.write(row.tobytes())
                fh.write(b"\n")


def _run(args, env=None, timeout=3600) -> float:
    started = time.perf_counter()
    subprocess.run(
        args, cwd=PROJECT, env=env, check=True, timeout=timeout, capture_output=True, text=True
    )
    return time.perf_counter() - started


def _memory_probe(root: str, name: str) -> str:
    """Code for a process that opens the model, answers a query and prints its memory."""
    return (
        "import sys\n"
        "from embeddings.vectors.store import ModelStore\n"
        "from embeddings.explore.query import neighbours\n"
        f"kv, _ = ModelStore({root!r}).load({name!r})\n"
        "neighbours(kv, 'w12345')\n"
        "fields = {}\n"
        "for line in open('/proc/self/smaps_rollup'):\n"
        "    parts = line.split()\n"
        "    if len(parts) >= 2 and parts[1].isdigit(): fields[parts[0].rstrip(':')] = int(parts[1])\n"
        "private = fields.get('Private_Clean', 0) + fields.get('Private_Dirty', 0)\n"
        "shared = fields.get('Shared_Clean', 0) + fields.get('Shared_Dirty', 0)\n"
        "print(private, shared, fields.get('Rss', 0))\n"
        "sys.stdout.flush()\n"
        "sys.stdin.readline()\n"  # hold the mapping while the second process measures
    )


def _measure_memory(root: str, name: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """(private, shared) KiB of a first process and of a second one holding it open."""
    code = _memory_probe(root, name)
    procs, sizes = [], []
    for _ in range(2):  # the second starts while the first holds the model open
        proc = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=PROJECT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        private, shared, _ = map(int, proc.stdout.readline().split())
        procs.append(proc)
        sizes.append((private, shared))
    for proc in procs:
        proc.stdin.write("\n")
        proc.stdin.flush()
        proc.wait(60)
    return sizes[0], sizes[1]


def run(quick: bool = False) -> list[dict]:
    n = int(os.environ.get("BENCH_STORE_WORDS", 200_000 if quick else 2_000_000))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        source = tmp / "vectors.bin"
        write_word2vec_binary(source, n)
        root = str(tmp / "store")
        env = {**os.environ, "EMBEDDINGS_HOME": root}
        cli = [sys.executable, "-m", "embeddings"]
        ours = _run([*cli, "models", "import", str(source), "--name", "big", "--quiet"], env)
        ref = _run(
            [
                sys.executable,
                "-c",
                "from gensim.models import KeyedVectors as K; "
                f"K.load_word2vec_format({str(source)!r}, binary=True)",
            ]
        )
        rows.append(
            {
                "benchmark": f"import {n:,} x 300 word2vec binary into the store",
                "ours": round(ours, 1),
                "reference": round(ref, 1),
                "ratio": round(ours / ref, 3),
                "unit": "s",
                "notes": "reference: gensim load_word2vec_format (which keeps nothing on disk); "
                "ours also writes vectors, unit vectors and vocabulary",
            }
        )
        started = time.perf_counter()
        _run([*cli, "models", "index", "big", "--quiet"], env, timeout=7200)
        index_s = time.perf_counter() - started
        query = [*cli, "neighbours", "big", "w12345", "--json"]
        _run(query, env)  # page cache warm, as for any later query
        times = [_run(query, env) for _ in range(5)]
        floor = [_run([sys.executable, "-c", "import gensim, numpy"]) for _ in range(5)]
        rows.append(
            {
                "benchmark": f"neighbours on the command line, {n:,} x 300 stored, index built",
                "ours": round(statistics.median(times), 2),
                "reference": round(statistics.median(floor), 2),
                "ratio": round(statistics.median(times) / statistics.median(floor), 3),
                "unit": "s",
                "notes": f"median of 5; reference: python -c 'import gensim, numpy'; "
                f"index build {index_s / 60:.1f} min on {os.cpu_count()} cores",
            }
        )
        (p1, s1), (p2, s2) = _measure_memory(root, "big")
        rows.append(
            {
                "benchmark": f"memory of a process serving {n:,} x 300 (one query)",
                "ours": round(p1 / 1024),
                "reference": round(n * 300 * 4 / 2**20),
                "ratio": round(p1 * 1024 / (n * 300 * 4), 3),
                "unit": "MiB private (USS)",
                "notes": f"reference: the float32 matrix; shared (mapped) {s1 / 1024:,.0f} MiB; "
                f"a second process: private {p2 / 1024:,.0f} MiB, shared {s2 / 1024:,.0f} MiB",
            }
        )
    return rows


if __name__ == "__main__":
    from bench.table import main

    main(run, __doc__.splitlines()[0])
