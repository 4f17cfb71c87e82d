"""GloVe: co-occurrence counting and training speed against in-run references.

Input: the bundled Wikipedia text (simple tokenizer) repeated ``copies`` times (10 in
the full run, as in the reference C measurements: about 4.7M tokens, 34.6k words at
min_count 5, window 10).

- counting: :func:`count_cooccurrences` (numba, hash table + dense block) against a
  vectorised numpy/scipy count of the same pairs (one array slice per distance, then
  ``coo_matrix(...).tocsr()`` to sum duplicates; it holds every pair in memory, ours
  only the distinct ones). Both read and tokenize the file. Rows: tokens/s and distinct
  pairs/s (ratio = ours / reference, higher is better).
- training: :class:`GloVe` with 2 workers against a straightforward serial numba loop
  with the same AdaGrad arithmetic (float32, entries visited through a shuffled index).
  Rows: entries/s and seconds per epoch.

    python -m bench.bench_glove [--quick]
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

import numba
import numpy as np
import scipy.sparse as sp


def _corpus(copies: int) -> Path:
    from embeddings.corpus.sources import prepare_bundled_corpus
    from embeddings.vectors.store import ModelStore

    source = prepare_bundled_corpus("wiki", cache=ModelStore().corpus_cache).path
    text = Path(source).read_text("utf-8")
    out = Path(tempfile.mkdtemp(prefix="bench-glove-")) / f"wiki{copies}.txt"
    out.write_text(text * copies, "utf-8")
    return out


def reference_count(path: Path, window: int, min_count: int) -> sp.csr_matrix:
    """Plain numpy/scipy count with 1/d weights, symmetric window (memory ~ all pairs)."""
    lines = Path(path).read_text("utf-8").splitlines()
    counts = Counter(t for line in lines for t in line.split())
    words = [w for w, c in counts.most_common() if c >= min_count]
    index = {w: i for i, w in enumerate(words)}
    ids, sent = [], []
    for n, line in enumerate(lines):
        kept = [index[t] for t in line.split() if t in index]
        ids.extend(kept)
        sent.extend([n] * len(kept))
    ids_a, sent_a = np.array(ids, dtype=np.int64), np.array(sent, dtype=np.int64)
    rows, cols, vals = [], [], []
    for d in range(1, window + 1):
        same = sent_a[d:] == sent_a[:-d]
        a, b = ids_a[d:][same], ids_a[:-d][same]
        w = np.full(len(a), 1.0 / d)
        rows += [a, b]
        cols += [b, a]
        vals += [w, w]
    v = len(words)
    mat = sp.coo_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(v, v)
    )
    return mat.tocsr()


@numba.njit(cache=True)
def _reference_epoch(rows, cols, logx, weight, order, w, c, bw, bc, gw, gc, gbw, gbc, eta):
    cost = 0.0
    dim = w.shape[1]
    for t in range(order.shape[0]):
        e = order[t]
        i, j = rows[e], cols[e]
        diff = bw[i] + bc[j] - logx[e]
        for k in range(dim):
            diff += w[i, k] * c[j, k]
        fdiff = weight[e] * diff
        cost += 0.5 * fdiff * diff
        fdiff *= eta
        for k in range(dim):
            t1 = fdiff * c[j, k]
            t2 = fdiff * w[i, k]
            w[i, k] -= t1 / np.sqrt(gw[i, k])
            c[j, k] -= t2 / np.sqrt(gc[j, k])
            gw[i, k] += t1 * t1
            gc[j, k] += t2 * t2
        bw[i] -= fdiff / np.sqrt(gbw[i])
        bc[j] -= fdiff / np.sqrt(gbc[j])
        gbw[i] += fdiff * fdiff
        gbc[j] += fdiff * fdiff
    return cost


def reference_epochs(matrix: sp.csr_matrix, dim: int, epochs: int) -> list[float]:
    """Seconds per epoch of the serial reference loop (first call also compiles)."""
    from embeddings.corpus.cooccurrence import weighting_function

    coo = matrix.tocoo()
    rows, cols = coo.row.astype(np.int32), coo.col.astype(np.int32)
    logx = np.log(coo.data.astype(np.float64)).astype(np.float32)
    weight = weighting_function(coo.data).astype(np.float32)
    v = matrix.shape[0]
    rng = np.random.default_rng(1)
    w = ((rng.random((v, dim)) - 0.5) / dim).astype(np.float32)
    c = ((rng.random((v, dim)) - 0.5) / dim).astype(np.float32)
    bw, bc = np.zeros(v, np.float32), np.zeros(v, np.float32)
    gw, gc = np.ones((v, dim), np.float32), np.ones((v, dim), np.float32)
    gbw, gbc = np.ones(v, np.float32), np.ones(v, np.float32)
    small = np.arange(10, dtype=np.int32)
    _reference_epoch(rows, cols, logx, weight, small, w, c, bw, bc, gw, gc, gbw, gbc, 0.05)
    times = []
    for _ in range(epochs):
        order = rng.permutation(len(rows)).astype(np.int32)
        t = time.perf_counter()
        _reference_epoch(rows, cols, logx, weight, order, w, c, bw, bc, gw, gc, gbw, gbc, 0.05)
        times.append(time.perf_counter() - t)
    return times


def _row(name, ours, ref, unit, notes, higher_is_better=True) -> dict:
    ratio = ours / ref if higher_is_better else ref / ours
    return {
        "benchmark": name,
        "ours": round(ours, 3),
        "reference": round(ref, 3),
        "ratio": round(ratio, 2),
        "unit": unit,
        "notes": notes,
    }


def run(quick: bool = False) -> list[dict]:
    from embeddings.corpus.cooccurrence import count_cooccurrences
    from embeddings.train.glove import GloVe

    copies, repeats, epochs, dim = (2, 3, 2, 50) if quick else (10, 3, 3, 100)
    window, min_count = 10, 5
    path = _corpus(copies)
    count_cooccurrences(path, window=2, min_count=min_count)  # compile outside the timing
    ours_t, ref_t = [], []
    for _ in range(repeats):  # interleaved, so both see the same machine state
        t = time.perf_counter()
        co = count_cooccurrences(path, window=window, min_count=min_count)
        ours_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        ref = reference_count(path, window, min_count)
        ref_t.append(time.perf_counter() - t)
    assert ref.nnz == co.nnz and abs(ref - co.matrix).max() <= 1e-6 * ref.max() + 1e-4
    o, r = statistics.median(ours_t), statistics.median(ref_t)
    size = f"wiki x{copies}: {co.tokens / 1e6:.2f}M tokens, {len(co.words):,} words, window 10"
    rows = [
        _row(
            "co-occurrence tokens/s",
            co.tokens / o / 1e6,
            co.tokens / r / 1e6,
            "M tokens/s",
            f"{size}; reference: numpy slices + scipy coo->csr",
        ),
        _row(
            "co-occurrence distinct pairs/s",
            co.nnz / o / 1e6,
            co.nnz / r / 1e6,
            "M pairs/s",
            f"{co.nnz / 1e6:.2f}M distinct pairs; same runs",
        ),
    ]
    ref_epochs = reference_epochs(co.matrix, dim, epochs)
    model = GloVe(vector_size=dim, epochs=epochs, workers=2, seed=1)
    model.fit(co)
    ours_epochs = [h["seconds"] for h in model.history_]
    serial = GloVe(vector_size=dim, epochs=epochs, workers=1, seed=1).fit(co)
    serial_epochs = [h["seconds"] for h in serial.history_]
    o, r, s = (statistics.median(x) for x in (ours_epochs, ref_epochs, serial_epochs))
    notes = f"{co.nnz / 1e6:.2f}M entries, {dim} dims, median of {epochs} epochs"
    rows += [
        _row(
            "GloVe entries/s (2 workers)",
            co.nnz / o / 1e6,
            co.nnz / r / 1e6,
            "M entries/s",
            f"{notes}; reference: serial numba loop, same arithmetic",
        ),
        _row(
            "GloVe entries/s (1 worker)",
            co.nnz / s / 1e6,
            co.nnz / r / 1e6,
            "M entries/s",
            "shuffled copies + padded rows vs shuffled index",
        ),
        _row(
            "GloVe seconds per epoch (2 workers)",
            o,
            r,
            "s",
            "ratio = reference / ours",
            higher_is_better=False,
        ),
    ]
    return rows


if __name__ == "__main__":
    from bench.table import main

    main(run, __doc__.splitlines()[0])
