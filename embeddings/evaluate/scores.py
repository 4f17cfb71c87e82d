"""Standard benchmarks: word-pair similarity (Spearman/Pearson) and analogies (accuracy).

The numbers are the ones gensim's ``KeyedVectors.evaluate_word_pairs`` and
``evaluate_word_analogies`` give on the same vectors and settings, computed without
touching the model (gensim swaps ``kv.key_to_index`` while it evaluates, which is unsafe
on a model shared between users) and, for analogies, in batches of matrix products.

Settings, as gensim's defaults unless said otherwise:

- ``case_insensitive=True``: words of the benchmark and of the model are compared in
  upper case; when a model has several case variants, the most frequent (first) wins.
- ``dummy4unknown=False``: pairs/questions with a word outside the (restricted)
  vocabulary are skipped and counted in ``oov_ratio``; with True, a pair gets
  similarity 0 and a question counts as wrong, as in gensim.
- ``restrict_vocab``: only the first N words of the model (the most frequent) are known;
  30,000 for analogies (as in the literature), 300,000 for word pairs (gensim's default).
- Analogies ``a : b :: c : ?``: 3CosAdd ranks ``cos(w, b) + cos(w, c) - cos(w, a)`` (via
  the normalised mean vector, as gensim's ``most_similar``); 3CosMul ranks
  ``s(w,b) s(w,c) / (s(w,a) + 1e-6)`` with ``s = (1 + cos) / 2`` (gensim's
  ``most_similar_cosmul``), both over the first ``restrict_vocab`` words. The answer is
  the best candidate other than a, b and c themselves; when that candidate is a case
  variant of a question word, the next one is taken, looking at the top 5 as gensim
  does. (gensim's ``evaluate_word_analogies`` always uses 3CosAdd; our 3CosMul equals
  its loop with ``most_similar_cosmul`` over the same first ``restrict_vocab`` words.)

Example
-------
>>> from embeddings.corpus.bundled import QUESTIONS_WORDS, gensim_data   # doctest: +SKIP
>>> res = evaluate_analogies(kv, gensim_data(QUESTIONS_WORDS))     # doctest: +SKIP
>>> res["accuracy"], res["sections"]["capital-common-countries"]   # doctest: +SKIP
"""

from __future__ import annotations

import math
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import EmbeddingsError, FormatError, InputTooLargeError
from ..progress import CancelToken, Progress, ProgressCallback, check_cancel, report

ANALOGY_METHODS = ("add", "mul")
METHOD_LABELS = {"add": "3CosAdd", "mul": "3CosMul"}
DEFAULT_RESTRICT_VOCAB = 30_000
PAIRS_RESTRICT_VOCAB = 300_000
TOP_CANDIDATES = 5  # gensim looks at the top 5 answers for one not among the question words
COSMUL_EPS = 1e-6
MAX_OOV_LISTED = 50
SCORE_CELLS = 8_000_000  # scores held at once per batch (x4 bytes, x3 for 3CosMul)
MAX_BENCHMARK_BYTES = 64 << 20  # the largest standard set is 0.6 MB


# --------------------------------------------------------------------------- reading


def _lines(path: str | Path):
    """The file's lines as gensim reads them (universal newlines, line ends kept)."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_BENCHMARK_BYTES:
        raise InputTooLargeError(
            f"{path.name} is {size / 2**20:,.0f} MB; a benchmark file may be at most "
            f"{MAX_BENCHMARK_BYTES >> 20} MB (the standard sets are under 1 MB)."
        )
    try:
        with open(path, encoding="utf-8") as fh:
            return list(fh)
    except UnicodeDecodeError as exc:
        raise FormatError(f"{path.name} is not UTF-8 text; save it as UTF-8.") from exc


def read_word_pairs(path: str | Path, delimiter: str | None = "\t") -> list[tuple[str, str, float]]:
    """Read a word-pair file: ``word1<TAB>word2<TAB>score`` per line, ``#`` comments.

    Lines that do not have exactly three fields with a numeric score are skipped (as
    gensim does: the header line of ``wordsim353.tsv`` starts with ``#``, the one of
    ``simlex999.txt`` has a non-numeric score). ``delimiter=None`` splits on any
    whitespace.
    """
    pairs = []
    for line in _lines(path):
        if not line or line.startswith("#"):
            continue
        parts = line.split(delimiter)
        if len(parts) != 3:
            continue
        try:
            score = float(parts[2])
        except ValueError:
            continue
        if not math.isfinite(score):
            continue
        pairs.append((parts[0], parts[1], score))
    if not pairs:
        raise FormatError(
            f"No word pairs found in {Path(path).name}: expected lines 'word1<TAB>word2<TAB>score'."
        )
    return pairs


def read_analogies(path: str | Path) -> list[tuple[str, list[tuple[str, str, str, str]]]]:
    """Read an analogy file: ``: section`` headers, then ``a b c d`` lines.

    Returns ``[(section, [(a, b, c, d), ...]), ...]`` in file order (sections of the same
    name are merged). Lines without four words are skipped; a question before the first
    header is an error.
    """
    order: list[str] = []
    sections: dict[str, list] = {}
    current = None
    for line_no, line in enumerate(_lines(path), start=1):
        if line.startswith(": "):
            current = line.lstrip(": ").strip()
            if current not in sections:
                order.append(current)
                sections[current] = []
            continue
        words = line.split()
        if not words:
            continue
        if current is None:
            raise FormatError(
                f"Line {line_no} of {Path(path).name} comes before any ': section' header; "
                "start the file with a line like ': capital-common-countries'."
            )
        if len(words) == 4:
            sections[current].append(tuple(words))
    if not any(sections.values()):
        raise FormatError(
            f"No analogy questions found in {Path(path).name}: expected ': section' "
            "headers followed by lines 'a b c d'."
        )
    return [(name, sections[name]) for name in order]


def _ok_vocab(kv, restrict_vocab: int, case_insensitive: bool) -> dict[str, int]:
    """Known words (first ``restrict_vocab``) -> row, first (most frequent) variant wins."""
    if restrict_vocab < 1:
        raise EmbeddingsError(f"restrict_vocab must be at least 1, not {restrict_vocab}.")
    keys = kv.index_to_key[:restrict_vocab]
    vocab: dict[str, int] = {}
    for i in range(len(keys) - 1, -1, -1):
        vocab[keys[i].upper() if case_insensitive else keys[i]] = i
    return vocab


def _finite(value: float) -> float | None:
    """A correlation as a float, or None when undefined (constant scores give NaN)."""
    value = float(value)
    return value if math.isfinite(value) else None


# --------------------------------------------------------------------------- word pairs


def evaluate_word_pairs(
    kv,
    path: str | Path,
    restrict_vocab: int = PAIRS_RESTRICT_VOCAB,
    case_insensitive: bool = True,
    dummy4unknown: bool = False,
    delimiter: str | None = "\t",
) -> dict[str, Any]:
    """Correlation of the model's cosine similarities with human scores.

    Returns
    -------
    dict
        ``spearman``, ``pearson`` (coefficients; None when undefined), ``oov_ratio``
        (percent, as gensim), ``pairs`` (pairs scored with both words known), ``oov``
        (pairs with an unknown word), ``oov_pairs`` (the first 50 of them).

    Raises
    ------
    FormatError
        No pair could be read, or fewer than two are in the vocabulary.
    """
    # gensim and scipy take seconds to import: only when a benchmark runs, not with
    # every command-line start
    from gensim import matutils
    from scipy import stats

    pairs = read_word_pairs(path, delimiter)
    vocab = _ok_vocab(kv, restrict_vocab, case_insensitive)
    gold, model, oov_pairs = [], [], []
    for a, b, score in pairs:
        ka, kb = (a.upper(), b.upper()) if case_insensitive else (a, b)
        if ka not in vocab or kb not in vocab:
            oov_pairs.append((a, b))
            if dummy4unknown:
                gold.append(score)
                model.append(0.0)
            continue
        va = kv.vectors[vocab[ka]]
        vb = kv.vectors[vocab[kb]]
        # the same arithmetic (and float32 type) as gensim's similarity()
        model.append(np.dot(matutils.unitvec(va), matutils.unitvec(vb)))
        gold.append(score)
    oov = len(oov_pairs)
    known = len(gold) - (oov if dummy4unknown else 0)
    if known < 2:
        raise FormatError(
            f"Only {known} pair(s) of {Path(path).name} are in the model's vocabulary; "
            "a correlation needs at least two."
        )
    denominator = len(gold) if dummy4unknown else len(gold) + oov
    with warnings.catch_warnings():  # constant similarities: NaN, reported as None
        warnings.simplefilter("ignore")
        spearman = stats.spearmanr(gold, model)[0]
        pearson = stats.pearsonr(gold, model)[0]
    return {
        "spearman": _finite(spearman),
        "pearson": _finite(pearson),
        "oov_ratio": float(oov) / denominator * 100,
        "pairs": known,
        "oov": oov,
        "oov_pairs": [list(p) for p in oov_pairs[:MAX_OOV_LISTED]],
    }


# --------------------------------------------------------------------------- analogies


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def _top_candidates(scores: np.ndarray, k: int) -> np.ndarray:
    """Row-wise indices of the ``k`` largest scores, best first."""
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)


def _score_batch(unit: np.ndarray, idx: np.ndarray, method: str) -> np.ndarray:
    """Scores of every candidate row for questions ``idx`` (n, 3: rows of a, b, c)."""
    va, vb, vc = unit[idx[:, 0]], unit[idx[:, 1]], unit[idx[:, 2]]
    if method == "add":
        mean = vb + vc - va
        norms = np.linalg.norm(mean, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return (mean / norms) @ unit.T
    sb = (1.0 + vb @ unit.T) / 2.0
    sc = (1.0 + vc @ unit.T) / 2.0
    sa = (1.0 + va @ unit.T) / 2.0
    return sb * sc / (sa + COSMUL_EPS)


def _summary(per_section: dict[str, dict], names: list[str]) -> dict[str, Any]:
    correct = sum(per_section[n]["correct"] for n in names)
    total = sum(per_section[n]["total"] for n in names)
    return {"accuracy": correct / total if total else 0.0, "correct": correct, "total": total}


def is_syntactic(section: str) -> bool:
    """Google's syntactic sections are named ``gram1-...`` to ``gram9-...``."""
    return section.startswith("gram")


def evaluate_analogies(
    kv,
    path: str | Path,
    method: str = "add",
    restrict_vocab: int = DEFAULT_RESTRICT_VOCAB,
    case_insensitive: bool = True,
    dummy4unknown: bool = False,
    batch_size: int = 512,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> dict[str, Any]:
    """Accuracy on an analogy file, overall, per section and semantic vs syntactic.

    Parameters
    ----------
    kv : KeyedVectors
        The model (not modified).
    path : path
        An analogy file in the ``questions-words.txt`` format (UTF-8; any script).
    method : {"add", "mul"}
        3CosAdd (gensim's ``most_similar``) or 3CosMul (``most_similar_cosmul``).
    restrict_vocab : int
        Only the first N words count as known and as candidate answers.

    Returns
    -------
    dict
        ``accuracy``, ``correct``, ``total`` (questions scored), ``questions`` (in the
        file), ``oov`` (questions with an unknown word: skipped, or counted wrong with
        ``dummy4unknown``), ``oov_ratio`` (percent of the questions, as gensim),
        ``sections`` {name: {accuracy, correct, total}}, ``semantic`` / ``syntactic``
        (same keys; sections named ``gram*`` are syntactic), ``failed``
        [[a, b, c, expected, answered, section], ...] (words as the file spells them,
        the answer as the model does), ``method``, ``restrict_vocab``.
    """
    if method not in ANALOGY_METHODS:
        raise EmbeddingsError(
            f"method must be one of {', '.join(ANALOGY_METHODS)}, not {method!r}."
        )
    sections = read_analogies(path)
    vocab = _ok_vocab(kv, restrict_vocab, case_insensitive)
    n_rows = min(restrict_vocab, len(kv.index_to_key))
    unit = _unit_rows(np.asarray(kv.vectors[:n_rows], dtype=np.float32))
    keys = kv.index_to_key

    def norm(word: str) -> str:
        return word.upper() if case_insensitive else word

    # questions in vocabulary, as rows; the others are skipped (or wrong with dummy4unknown)
    known: list[tuple[str, tuple]] = []
    per_section = {name: {"correct": 0, "total": 0} for name, _ in sections}
    oov = 0
    for name, questions in sections:
        for q in questions:
            if all(norm(w) in vocab for w in q):
                known.append((name, q))
            else:
                oov += 1
                if dummy4unknown:
                    per_section[name]["total"] += 1
    failed: list[list[str]] = []
    total_known = len(known)
    # a batch scores every candidate row: bound the memory for large vocabularies
    batch_size = max(1, min(batch_size, SCORE_CELLS // max(1, n_rows)))
    started = time.perf_counter()
    for start in range(0, total_known, batch_size):
        check_cancel(cancel)
        batch = known[start : start + batch_size]
        idx = np.array([[vocab[norm(w)] for w in q[:3]] for _, q in batch], dtype=np.int64)
        top = _top_candidates(_score_batch(unit, idx, method), TOP_CANDIDATES + 3)
        for row, (name, q) in enumerate(batch):
            ignore = {norm(w) for w in q[:3]}
            excluded = set(idx[row].tolist())
            candidates = [j for j in top[row].tolist() if j not in excluded][:TOP_CANDIDATES]
            answer = None
            for j in candidates:  # as gensim: the last candidate if all are question words
                answer = keys[j]
                if norm(answer) not in ignore:
                    break
            per_section[name]["total"] += 1
            if answer is not None and norm(answer) == norm(q[3]):
                per_section[name]["correct"] += 1
            else:
                failed.append([*q, answer or "", name])
        done = min(start + batch_size, total_known)
        report(
            progress,
            Progress(
                "evaluate",
                done,
                total_known,
                f"{done:,}/{total_known:,} analogies ({METHOD_LABELS[method]})",
                {"elapsed_s": time.perf_counter() - started},
            ),
        )
    names = [name for name, _ in sections]
    questions = sum(len(qs) for _, qs in sections)
    return {
        **_summary(per_section, names),
        "questions": questions,
        "oov": oov,
        "oov_ratio": oov / questions * 100,
        "sections": {n: _summary(per_section, [n]) for n in names},
        "semantic": _summary(per_section, [n for n in names if not is_syntactic(n)]),
        "syntactic": _summary(per_section, [n for n in names if is_syntactic(n)]),
        "failed": failed,
        "method": method,
        "restrict_vocab": restrict_vocab,
    }
