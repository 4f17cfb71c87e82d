"""Full-size vectors in the store: import, a command-line query, and memory per process.

A synthetic N x 300 model (2,000,000 words; 200,000 with ``--quick``; generated here,
never committed) is written as a word2vec binary file, then:

- import: ``models import`` of that file into a fresh store, against gensim's
  ``load_word2vec_format`` of the same file (the reference);
- command-line query: ``python -m embeddings neighbours MODEL WORD`` wall time (median of
  5, index built; goal at most 2 s), against ``python -c "import numpy, usearch.index"``
  (the start-up floor: the command imports no more than these and its own modules);
- memory: private (USS), proportional (PSS) and shared memory of a process that opened
  the model and answered a query, from ``/proc/<pid>/smaps_rollup``, against the same
  process without a model (imports only); a second process opening the same model maps
  the same pages (its shared memory grows, its private memory does not), and the time
  the store takes to open the model (what the app's first visit waits for).

The synthetic files and store live in a temporary folder (``$BENCH_TMP`` or the
system's), about 4.2 x the vectors' size on disk (12 GiB at 3,000,000 x 300).

    python -m bench.bench_store [--quick]
    BENCH_STORE_WORDS=3000000 python -m bench.bench_store
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def write_word2vec_binary(path: Path, n: int, dim: int = 300, seed: int = 0) -> None:
    """A word2vec binary file of ``n`` words (``w0``, ``w1``, ...) with the embedding-like
    vectors of :func:`bench.bench_ann.synthetic_blocks`."""
    from bench.bench_ann import synthetic_blocks

    start = 0
    with open(path, "wb") as fh:
        fh.write(f"{n} {dim}\n".encode())
        for block in synthetic_blocks(n, dim, seed):
            for i, row in enumerate(block, start):
                fh.write(f"w{i} ".encode())
                fh.write(row.tobytes())
                fh.write(b"\n")
            start += len(block)


def _run(args, env=None, timeout=3600, printed: list | None = None) -> float:
    """Seconds ``args`` took; what it printed is appended to ``printed`` if given."""
    started = time.perf_counter()
    done = subprocess.run(
        args, cwd=PROJECT, env=env, check=True, timeout=timeout, capture_output=True, text=True
    )
    if printed is not None:
        printed.append(done.stdout)
    return time.perf_counter() - started


def _memory_probe(root: str, name: str, load: bool = True) -> str:
    """Code for a process that opens the model (as the app does: gensim vectors), answers
    ten queries and prints its memory (KiB: private, shared, PSS) and the open's seconds.
    With ``load=False`` it only imports what it would use (the baseline)."""
    body = (
        "t = time.perf_counter()\n"
        f"kv, _ = ModelStore({root!r}).load({name!r})\n"
        "opened = time.perf_counter() - t\n"
        "for i in range(10): neighbours(kv, f'w{i * 12345 % len(kv)}')\n"
        if load
        else "opened = 0.0\n"
    )
    return (
        "import sys, time\n"
        "import gensim.models\n"
        "from embeddings.vectors.store import ModelStore\n"
        "from embeddings.explore.query import neighbours\n"
        "import embeddings.vectors.ann, usearch.index\n" + body + "fields = {}\n"
        "for line in open('/proc/self/smaps_rollup'):\n"
        "    parts = line.split()\n"
        "    if len(parts) >= 2 and parts[1].isdigit(): fields[parts[0].rstrip(':')] = int(parts[1])\n"
        "private = fields.get('Private_Clean', 0) + fields.get('Private_Dirty', 0)\n"
        "shared = fields.get('Shared_Clean', 0) + fields.get('Shared_Dirty', 0)\n"
        "print(private, shared, fields.get('Pss', 0), fields.get('Anonymous', 0), opened)\n"
        "sys.stdout.flush()\n"
        "sys.stdin.readline()\n"  # hold the mapping while the second process measures
    )


def _start_probe(code: str) -> tuple[subprocess.Popen, tuple[int, int, int, int, float]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline()
    if not line:
        raise RuntimeError(f"the memory probe failed (exit {proc.wait(60)})")
    private, shared, pss, anonymous, opened = line.split()
    return proc, (int(private), int(shared), int(pss), int(anonymous), float(opened))


def _measure_memory(root: str, name: str) -> list[tuple[int, int, int, int, float]]:
    """(private, shared, PSS, anonymous KiB, open seconds) of a process without a model (baseline),
    a first process serving it and a second one opening it while the first holds it."""
    baseline, base = _start_probe(_memory_probe(root, name, load=False))
    baseline.stdin.write("\n")
    baseline.stdin.flush()
    baseline.wait(60)
    first, one = _start_probe(_memory_probe(root, name))
    second, two = _start_probe(_memory_probe(root, name))
    for proc in (first, second):
        proc.stdin.write("\n")
        proc.stdin.flush()
        proc.wait(60)
    return [base, one, two]


def run(quick: bool = False) -> list[dict]:
    n = int(os.environ.get("BENCH_STORE_WORDS", 200_000 if quick else 2_000_000))
    rows = []
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        tmp = Path(tmp)
        source = tmp / "vectors.bin"
        write_word2vec_binary(source, n)
        os.sync()  # the new file's dirty pages written back before either import is timed
        root = str(tmp / "store")
        env = {**os.environ, "EMBEDDINGS_HOME": root}
        cli = [sys.executable, "-m", "embeddings"]
        # with its progress bar (to a pipe), as a user runs it
        ours = _run([*cli, "models", "import", str(source), "--name", "big"], env)
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
                "ours streams the rows into the store and also writes unit vectors and "
                "vocabulary, with progress",
            }
        )
        printed: list[str] = []
        index_cmd = [*cli, "models", "index", "big", "--quiet", "--json"]
        index_s = _run(index_cmd, env, timeout=7200, printed=printed)
        index = json.loads(printed[0])
        query = [*cli, "neighbours", "big", f"w{12345 % n}", "--json"]
        _run(query, env)  # page cache warm, as for any later query
        times = [_run(query, env) for _ in range(5)]
        floor = [_run([sys.executable, "-c", "import numpy, usearch.index"]) for _ in range(5)]
        rows.append(
            {
                "benchmark": f"neighbours on the command line, {n:,} x 300 stored, index built",
                "ours": round(statistics.median(times), 2),
                "reference": round(statistics.median(floor), 2),
                "ratio": round(statistics.median(times) / statistics.median(floor), 3),
                "unit": "s",
                "notes": f"median of 5 (goal: at most 2 s); reference: python -c "
                "'import numpy, usearch.index'; "
                f"models index {index_s / 60:.1f} min on {os.cpu_count()} cores: the build "
                f"{index['build_seconds'] / 60:.1f} min, then recall@10 "
                f"{index['recall_at_10']:.3f} on {index['recall_sample']:,} words",
            }
        )
        base, one, two = _measure_memory(root, "big")
        matrix_mib = n * 300 * 4 / 2**20
        beyond = (one[3] - base[3]) / 1024
        rows.append(
            {
                "benchmark": f"memory of a process serving {n:,} x 300 (ten queries, index built)",
                "ours": round(one[3] / 1024),
                "reference": round(base[3] / 1024),
                "ratio": round(one[3] / base[3], 3),
                "unit": "MiB anonymous",
                "notes": "memory not backed by the model's files; reference: the same process "
                f"without a model (imports only); {beyond:,.0f} MiB beyond it (goal: at most "
                f"300); USS {one[0] / 1024:,.0f} MiB and PSS {one[2] / 1024:,.0f} MiB (both count "
                "mapped file pages no other process maps yet); shared "
                f"{one[1] / 1024:,.0f} MiB; the matrix is {matrix_mib:,.0f} MiB (and its unit "
                f"copy as much); opening the model took {one[4]:.2f} s",
            }
        )
        rows.append(
            {
                "benchmark": f"a second process opening the same {n:,} x 300 model",
                "ours": round(two[0] / 1024),
                "reference": round(one[0] / 1024),
                "ratio": round(two[0] / one[0], 3),
                "unit": "MiB private (USS)",
                "notes": "reference: the first process's USS, while it still runs; the second "
                f"maps the same pages: shared {two[1] / 1024:,.0f} MiB, PSS "
                f"{two[2] / 1024:,.0f} MiB (the first's PSS alone was {one[2] / 1024:,.0f} MiB), "
                f"anonymous {two[3] / 1024:,.0f} MiB; opened in {two[4]:.2f} s",
            }
        )
    return rows


if __name__ == "__main__":
    from bench.table import main

    main(run, __doc__.splitlines()[0])
