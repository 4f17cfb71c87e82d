"""Korean tokenizer: analysing in the worker process (ours) vs in the calling process.

- the longest GIL stall the calling process sees while the tokenizer loads: a thread
  sleeps 10 ms in a loop and records the largest gap between wake-ups (each side in a
  fresh process, since the model loads once per process);
- the first call's wait (starting the worker / loading the model);
- throughput in tokens/s on the bundled Korean corpus (konlpy's constitution and bills),
  batch tokenizing and writing a sentence file, both sides in the same run, interleaved.

    python -m bench.bench_korean [--quick]
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]

STALL_PROBE = """
import json, sys, threading, time
from embeddings.corpus.tokenize import load_korean_tokenizer, use_korean_worker

use_korean_worker({worker})
gaps, done = [], threading.Event()

def sampler():
    last = time.perf_counter()
    while not done.is_set():
        time.sleep(0.01)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now

thread = threading.Thread(target=sampler)
thread.start()
time.sleep(0.1)
started = time.perf_counter()
load_korean_tokenizer()
load_s = time.perf_counter() - started
time.sleep(0.1)
done.set()
thread.join()
print(json.dumps({{"stall_s": max(gaps), "load_s": load_s,
                  "kiwipiepy_here": "kiwipiepy" in sys.modules}}))
"""


def _probe(worker: bool) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", STALL_PROBE.format(worker=worker)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _per_second(ours, reference, repeats: int) -> tuple[float, float, int]:
    """Median tokens/s of two callables returning token counts, interleaved."""
    ours_rates, ref_rates = [], []
    count = 0
    for _ in range(repeats):
        for fn, rates in ((ours, ours_rates), (reference, ref_rates)):
            t = time.perf_counter()
            count = fn()
            rates.append(count / (time.perf_counter() - t))
    return statistics.median(ours_rates), statistics.median(ref_rates), count


def run(quick: bool = False) -> list[dict]:
    from bench.table import row
    from embeddings.corpus.sentences import write_sentence_file
    from embeddings.corpus.sources import CorpusSource, read_documents
    from embeddings.corpus.tokenize import make_korean_tokenizer, tokenize_batches

    probes = 1 if quick else 3
    worker_probes = [_probe(True) for _ in range(probes)]
    inline_probes = [_probe(False) for _ in range(probes)]
    assert not any(p["kiwipiepy_here"] for p in worker_probes)

    def median(probes_, key):
        return statistics.median(p[key] for p in probes_)

    rows = [
        row(
            "longest GIL stall in the caller while the Korean tokenizer loads",
            median(worker_probes, "stall_s") * 1e3,
            median(inline_probes, "stall_s") * 1e3,
            "ms",
            "a thread sleeping 10 ms records its largest gap; reference: kiwipiepy loads in "
            f"the calling process; median of {probes} fresh processes each",
            digits=1,
        ),
        row(
            "first Korean call's wait (load)",
            median(worker_probes, "load_s"),
            median(inline_probes, "load_s"),
            "s",
            "ours: start the worker process, which loads the model; reference: load in-process",
        ),
    ]

    lines = list(read_documents(CorpusSource.from_bundled("korean-law")))
    lines = lines * (1 if quick else 3)
    chars = sum(map(len, lines))
    in_worker = make_korean_tokenizer(worker=True)
    in_process = make_korean_tokenizer(worker=False)
    assert in_worker.tokenize_many(lines[:300]) == [in_process(line) for line in lines[:300]]
    repeats = 2 if quick else 3

    def batch(tokenizer):
        return lambda: sum(len(t) for tokens in tokenize_batches(tokenizer, lines) for t in tokens)

    def one_by_one():  # what every caller did before batches
        return sum(len(in_process(line)) for line in lines)

    o, r, tokens = _per_second(batch(in_worker), one_by_one, repeats)
    rows.append(
        row(
            f"tokenize the bundled Korean corpus ({len(lines):,} lines, {chars:,} chars)",
            o,
            r,
            "tokens/s",
            f"{tokens:,} tokens; ours: batches of 200 lines in the worker; reference: one "
            "call per line in the calling process (higher is better)",
            digits=0,
        )
    )
    tmp = Path(tempfile.mkdtemp(prefix="bench-korean-"))

    def write(tokenizer):
        return lambda: write_sentence_file(lines, tokenizer, tmp / "sentences.txt").tokens

    def per_document(text):  # no tokenize_many: one call per document, as before batches
        return in_process(text)

    o, r, tokens = _per_second(write(in_worker), write(per_document), repeats)
    rows.append(
        row(
            "write a sentence file of the bundled Korean corpus (tokenize + count + write)",
            o,
            r,
            "tokens/s",
            "ours: batches in the worker, which analyses the next while this one is written; "
            "reference: one call per document in the calling process (the path before the "
            "worker); higher is better",
            digits=0,
        )
    )
    o, r, tokens = _per_second(write(in_worker), write(in_process), repeats)
    rows.append(
        row(
            "the same, worker vs in-process batches (the command line's choice)",
            o,
            r,
            "tokens/s",
            "reference: make_korean_tokenizer(worker=False), batches analysed in the calling "
            "process; higher is better",
            digits=0,
        )
    )
    return rows


if __name__ == "__main__":
    from bench.table import main

    main(run, __doc__.splitlines()[0])
