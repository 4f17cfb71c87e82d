"""Corpus input: our readers and tokenizer against the plain Python loops they replace.

The corpus is gensim's Lee news corpus, repeated to a few tens of MB. Each row compares,
in the same run and on the same file, our code with the simplest loop a person would
write without our safety checks (encoding detection, inflate limit, bounded line
length, CSV column lookup):

- reading a gzip text file: ``read_documents`` vs ``gzip.open(..., "rt")`` line loop;
- reading a CSV text column: ``read_documents`` vs ``csv.reader`` on the same file;
- tokenizing: ``tokenize_simple`` vs gensim's ``simple_preprocess`` (which, unlike
  ours, drops one-letter words and non-Latin scripts);
- preparing (read + tokenize + count + write the sentence file): ``prepare_corpus`` vs
  a loop of gzip read + ``tokenize_simple`` + ``Counter.update`` + write.

    python -m bench.bench_corpus [--quick]
"""

from __future__ import annotations

import csv
import gzip
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path


def _median_pair(ours, reference, repeats: int) -> tuple[float, float]:
    ours_t, ref_t = [], []
    for _ in range(repeats):  # interleaved, so both see the same machine state
        t = time.perf_counter()
        ours()
        ours_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        reference()
        ref_t.append(time.perf_counter() - t)
    return statistics.median(ours_t), statistics.median(ref_t)


def _row(name: str, ours: float, ref: float, unit_scale: float, unit: str, notes: str) -> dict:
    return {
        "benchmark": name,
        "ours": round(ours * unit_scale, 3),
        "reference": round(ref * unit_scale, 3),
        "ratio": round(ours / ref, 3),
        "unit": unit,
        "notes": notes,
    }


def run(quick: bool = False) -> list[dict]:
    from gensim.utils import simple_preprocess

    from embeddings.corpus.sources import CorpusSource, prepare_corpus, read_documents
    from embeddings.corpus.tokenize import tokenize_simple

    lines = list(read_documents(CorpusSource.from_bundled("lee")))
    copies = 10 if quick else 40
    repeats = 3 if quick else 5
    tmp = Path(tempfile.mkdtemp(prefix="bench-corpus-"))
    text = ("\n".join(lines) + "\n") * copies
    mb = len(text.encode()) / 1e6
    gz = tmp / "lee.txt.gz"
    gz.write_bytes(gzip.compress(text.encode(), compresslevel=6))
    csv_path = tmp / "lee.csv"
    with open(csv_path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "text"])
        for i, line in enumerate(lines * copies):
            writer.writerow([i, line])
    rows = []

    def ours_gz():
        return sum(1 for _ in read_documents(CorpusSource.from_path(gz)))

    def ref_gz():
        with gzip.open(gz, "rt", encoding="utf-8") as fh:
            return sum(1 for line in fh if line.strip())

    assert ours_gz() == ref_gz() == len(lines) * copies
    o, r = _median_pair(ours_gz, ref_gz, repeats)
    rows.append(
        _row(
            f"read {mb:.0f} MB gzip text",
            o,
            r,
            1e3,
            "ms",
            "reference: gzip.open(rt) line loop, no checks",
        )
    )

    def ours_csv():
        return sum(1 for _ in read_documents(CorpusSource.from_path(csv_path, text_column="text")))

    def ref_csv():
        with open(csv_path, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            index = next(reader).index("text")
            return sum(1 for row in reader if row[index].strip())

    assert ours_csv() == ref_csv()
    o, r = _median_pair(ours_csv, ref_csv, repeats)
    rows.append(_row("read CSV text column", o, r, 1e3, "ms", "reference: csv.reader loop"))

    sample = lines * (2 if quick else 5)
    ours_tokens = sum(len(tokenize_simple(d)) for d in sample)
    ref_tokens = sum(len(simple_preprocess(d)) for d in sample)
    o, r = _median_pair(
        lambda: [tokenize_simple(d) for d in sample],
        lambda: [simple_preprocess(d) for d in sample],
        repeats,
    )
    rows.append(
        _row(
            f"tokenize {len(sample):,} documents (simple)",
            o,
            r,
            1e3,
            "ms",
            f"reference: gensim simple_preprocess; tokens {ours_tokens:,} (ours) vs "
            f"{ref_tokens:,} (gensim drops one-letter words)",
        )
    )

    out_ref = tmp / "ref-sentences.txt"

    def ours_prepare():
        return prepare_corpus(CorpusSource.from_path(gz), "simple", out_path=tmp / "ours.txt")

    def ref_prepare():
        counts = Counter()
        with gzip.open(gz, "rt", encoding="utf-8") as fh, open(out_ref, "w") as out:
            for line in fh:
                tokens = tokenize_simple(line)
                if tokens:
                    counts.update(tokens)
                    out.write(" ".join(tokens) + "\n")
        return counts

    o, r = _median_pair(ours_prepare, ref_prepare, max(2, repeats - 2))
    rows.append(
        _row(
            f"prepare {mb:.0f} MB gzip text (read + tokenize + write)",
            o,
            r,
            1,
            "s",
            "reference: gzip read + tokenize_simple + Counter + write loop; most of the gap is "
            "the per-character white-space check in sentences.write_sentence_file",
        )
    )
    return rows


if __name__ == "__main__":
    from bench.table import main

    main(run, __doc__.splitlines()[0])
