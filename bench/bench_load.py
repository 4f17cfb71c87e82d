"""Loading a text vectors file: our loader vs gensim's ``load_word2vec_format``.

A word2vec text file of random vectors (400,000 x 300; 100,000 x 300 with ``--quick``)
is written once, then each loader runs in a fresh process so its peak resident memory
(VmHWM, reset just before loading) can be read; the table gives seconds and peak memory as a multiple of
the vectors' own size.

    python -m bench.bench_load [--quick]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

CHILD = """
import json, sys, time
path, which = sys.argv[1], sys.argv[2]
import numpy, gensim
from gensim.models import KeyedVectors
from embeddings.vectors.loading import load_vectors

def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1])

with open("/proc/self/clear_refs", "w") as fh:
    fh.write("5")  # reset the peak (VmHWM) to the current resident size
before = status("VmRSS:")
t = time.perf_counter()
if which == "ours":
    kv, _ = load_vectors(path)
else:
    kv = KeyedVectors.load_word2vec_format(path, binary=sys.argv[3] == "bin")
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "extra_kib": status("VmHWM:") - before, "rows": len(kv)}))
"""


def _write(path: Path, n: int, dim: int, binary: bool) -> None:
    from gensim.models import KeyedVectors

    rng = np.random.default_rng(0)
    kv = KeyedVectors(dim, count=0)
    kv.add_vectors([f"w{i}" for i in range(n)], rng.standard_normal((n, dim), dtype=np.float32))
    kv.save_word2vec_format(str(path), binary=binary)


def _child(path: Path, which: str, binary: bool) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), which, "bin" if binary else "txt"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run(quick: bool = False) -> list[dict]:
    n, dim = (100_000, 300) if quick else (400_000, 300)
    size_mib = n * dim * 4 / 2**20
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for binary in (False, True):
            path = Path(tmp) / ("vectors.bin" if binary else "vectors.txt")
            _write(path, n, dim, binary)
            ours = _child(path, "ours", binary)
            ref = _child(path, "gensim", binary)
            kind = "binary" if binary else "text"
            rows.append(
                {
                    "benchmark": f"load word2vec {kind}, {n:,} x {dim} ({path.stat().st_size / 2**20:,.0f} MiB file)",
                    "ours": round(ours["seconds"], 2),
                    "reference": round(ref["seconds"], 2),
                    "ratio": round(ours["seconds"] / ref["seconds"], 3),
                    "unit": "s",
                    "notes": "reference: gensim load_word2vec_format; peak memory over the "
                    f"vectors' {size_mib:,.0f} MiB: ours {ours['extra_kib'] / 1024 / size_mib:.2f}x, "
                    f"gensim {ref['extra_kib'] / 1024 / size_mib:.2f}x",
                }
            )
            path.unlink()
    return rows


if __name__ == "__main__":
    from bench.table import main

    main(run, __doc__.splitlines()[0])
