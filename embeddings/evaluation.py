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
  the best candidate that is not a question word (compared case-insensitively), looking
  at the top 5 as gensim does.

Example
-------
>>> from embeddings.bundled import QUESTIONS_WORDS, gensim_data   # doctest: +SKIP
>>> res = evaluate_analogies(kv, gensim_data(QUESTIONS_WORDS))     # doctest: +SKIP
>>> res["accuracy"], res["sections"]["capital-common-countries"]   # doctest: +SKIP
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
from gensim import matutils
from scipy import stats

from .errors import FormatError
from .progress import CancelToken, Progress, ProgressCallback, check_cancel, report

ANALOGY_METHODS = ("add", "mul")
DEFAULT_RESTRICT_VOCAB = 30_000
PAIRS_RESTRICT_VOCAB = 300_000
TOP_CANDIDATES = 5  # gensim looks at the top 5 answers for one not among the question words
COSMUL_EPS = 1e-6


# --------------------------------------------------------------------------- reading


def read_word_pairs(path: str | Path, delimiter: str = "\t") -> list[tuple[str, str, float]]:
    """Read a word-pair file: ``word1<TAB>word2<TAB>score`` per line, ``#`` comments.

    Lines that do not have exactly three fields with a numeric score are skipped (as
    gensim does: the header line of ``wordsim353.tsv`` starts with ``#``, the one of
    ``simlex999.txt`` has a non-numeric score).
    """
    pairs = []
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{Path(path).name} is not UTF-8 text; save it as UTF-8.") from exc
    for line in text.splitlines(keepends=True):
        if not line or line.startswith("#"):
            continue
        parts = line.split(delimiter)
        if len(parts) != 3:
            continue
        try:
            score = float(parts[2])
        except ValueError:
            continue
        pairs.append((parts[0], parts[1], score))
    if not pairs:
        raise FormatError(
            f"No word pairs found in {Path(path).name}: expected lines 'word1<TAB>word2<TAB>score'."
        )
    return pairs


def read_analogies(path: str | Path) -> list[tuple[str, list[tuple[str, str, str, str]]]]:
    """Read an analogy file: ``: section`` headers, then ``a b c d`` lines.

    Returns ``[(section, [(a, b, c, d), ...]), ...]`` in file order. Lines without four
    words are skipped; a question before the first header is an error.
    """
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{Path(path).name} is not UTF-8 text; save it as UTF-8.") from exc
    sections: list[tuple[str, list]] = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        if line.startswith(": "):
            sections.append((line.lstrip(": ").strip(), []))
            continue
        words = line.split()
        if not words:
            continue
        if not sections:
            raise FormatError(
                f"Line {line_no} of {Path(path).name} comes before any ': section' header; "
                "start the file with a line like ': capital-common-countries'."
            )
        if len(words) == 4:
            sections[-1][1].append(tuple(words))
    if not any(qs for _, qs in sections):
        raise FormatError(
            f"No analogy questions found in {Path(path).name}: expected ': section' "
            "headers followed by lines 'a b c d'."
        )
    return sections


def _ok_vocab(kv, restrict_vocab: int, case_insensitive: bool) -> dict[str, int]:
    """Known words (first ``restrict_vocab``) -> row, first (most frequent) variant wins."""
    keys = kv.index_to_key[:restrict_vocab]
    vocab: dict[str, int] = {}
    for i in range(len(keys) - 1, -1, -1):
        vocab[keys[i].upper() if case_insensitive else keys[i]] = i
    return vocab


# --------------------------------------------------------------------------- word pairs


def evaluate_word_pairs(
    kv,
    path: str | Path,
    restrict_vocab: int = PAIRS_RESTRICT_VOCAB,
    case_insensitive: bool = True,
    dummy4unknown: bool = False,
    delimiter: str = "\t",
) -> dict[str, Any]:
    """Correlation of the model's cosine similarities with human scores.

    Returns
    -------
    dict
        ``spearman``, ``pearson`` (coefficients), ``oov_ratio`` (percent, as gensim),
        ``pairs`` (pairs scored), ``oov`` (pairs with an unknown word),
        ``oov_pairs`` (the first 50 of them).
    """
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
    if len(gold) < 2:
        raise FormatError(
            f"Only {len(gold)} pair(s) of {Path(path).name} are in the model's vocabulary; "
            "a correlation needs at least two."
        )
    oov = len(oov_pairs)
    denominator = len(gold) if dummy4unknown else len(gold) + oov
    return {
        "spearman": float(stats.spearmanr(gold, model)[0]),
        "pearson": float(stats.pearsonr(gold, model)[0]),
        "oov_ratio": float(oov) / denominator * 100,
        "pairs": len(gold) - (oov if dummy4unknown else 0),
        "oov": oov,
        "oov_pairs": oov_pairs[:50],
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
        mean /= np.linalg.norm(mean, axis=1, keepdims=True)
        return mean @ unit.T
    sb = (1.0 + vb @ unit.T) / 2.0
    sc = (1.0 + vc @ unit.T) / 2.0
    sa = (1.0 + va @ unit.T) / 2.0
    return sb * sc / (sa + COSMUL_EPS)


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
        ``accuracy``, ``correct``, ``total``, ``oov`` (questions skipped or counted
        wrong), ``questions``, ``sections`` {name: {accuracy, correct, total}},
        ``semantic`` / ``syntactic`` (same keys; sections named ``gram*`` are syntactic),
        ``failed`` [[a, b, c, expected, answered], ...], ``method``, ``restrict_vocab``.
    """
    if method not in ANALOGY_METHODS:
        raise ValueError(f"method must be one of {ANALOGY_METHODS}, not {method!r}")
    sections = read_analogies(path)
    vocab = _ok_vocab(kv, restrict_vocab, case_insensitive)
    n_rows = min(restrict_vocab, len(kv.index_to_key))
    unit = _unit_rows(np.asarray(kv.vectors[:n_rows], dtype=np.float32))
    keys = kv.index_to_key

    def norm(word: str) -> str:
        return word.upper() if case_insensitive else word

    # questions in vocabulary, as rows; the others are skipped (or wrong with dummy4unknown)
    known, known_section = [], []
    per_section = {name: {"correct": 0, "total": 0} for name, _ in sections}
    failed: list[list[str]] = []
    oov = 0
    for name, questions in sections:
        for q in questions:
            words = [norm(w) for w in q]
            if all(w in vocab for w in words):
                known.append(words)
                known_section.append(name)
            else:
                oov += 1
                if dummy4unknown:
                    per_section[name]["total"] += 1
    total_known = len(known)
    started = time.perf_counter()
    for start in range(0, total_known, batch_size):
        check_cancel(cancel)
        batch = known[start : start + batch_size]
        idx = np.array([[vocab[w] for w in words[:3]] for words in batch], dtype=np.int64)
        scores = _score_batch(unit, idx, method)
        top = _top_candidates(scores, TOP_CANDIDATES + 3)
        for row, words in enumerate(batch):
            a, b, c, expected = words
            ignore = {a, b, c}
            excluded = set(idx[row].tolist())
            candidates = [j for j in top[row].tolist() if j not in excluded][:TOP_CANDIDATES]
            predicted = None
            for j in candidates:
                predicted = norm(keys[j])
                if predicted not in ignore:
                    break
            section = per_section[known_section[start + row]]
            section["total"] += 1
            if predicted == expected:
                section["correct"] += 1
            else:
                failed.append([a, b, c, expected, predicted or ""])
        done = min(start + batch_size, total_known)
        report(
            progress,
            Progress(
                "evaluate",
                done,
                total_known,
                f"{done:,}/{total_known:,} analogies ({method})",
                {"elapsed_s": time.perf_counter() - started},
            ),
        )

    def summary(names) -> dict[str, Any]:
        correct = sum(per_section[n]["correct"] for n in names)
        total = sum(per_section[n]["total"] for n in names)
        return {"accuracy": correct / total if total else 0.0, "correct": correct, "total": total}

    names = [name for name, _ in sections]
    overall = summary(names)
    return {
        **overall,
        "questions": sum(len(qs) for _, qs in sections),
        "oov": oov,
        "sections": {n: summary([n]) for n in names},
        "semantic": summary([n for n in names if not n.startswith("gram")]),
        "syntactic": summary([n for n in names if n.startswith("gram")]),
        "failed": failed,
        "method": method,
        "restrict_vocab": restrict_vocab,
    }


# --------------------------------------------------------------------------- model cards


def evaluation_key(benchmark: str, **settings: Any) -> str:
    """The key results are stored under in ``card.evaluation``: benchmark + settings.

    >>> evaluation_key("analogies", method="add", restrict_vocab=30000)
    'analogies|method=add|restrict_vocab=30000'
    """
    return "|".join([benchmark] + [f"{k}={settings[k]}" for k in sorted(settings)])


def evaluate_standard(
    kv,
    method: str = "add",
    restrict_vocab: int = DEFAULT_RESTRICT_VOCAB,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> dict[str, Any]:
    """WordSim353, SimLex-999 and the Google analogies (gensim's bundled copies).

    Returns ``{"wordsim353": {...}, "simlex999": {...}, "analogies": {...}}`` with the
    dictionaries of :func:`evaluate_word_pairs` and :func:`evaluate_analogies`.
    """
    from .bundled import QUESTIONS_WORDS, SIMLEX999, WORDSIM353, gensim_data

    out: dict[str, Any] = {}
    for key, name in (("wordsim353", WORDSIM353), ("simlex999", SIMLEX999)):
        check_cancel(cancel)
        report(progress, Progress("evaluate", 0, None, f"{key} similarity"))
        try:
            out[key] = evaluate_word_pairs(kv, gensim_data(name))
        except FormatError as exc:  # too few pairs known: report, not fail
            out[key] = {"spearman": None, "pearson": None, "oov_ratio": 100.0, "error": str(exc)}
    out["analogies"] = evaluate_analogies(
        kv,
        gensim_data(QUESTIONS_WORDS),
        method=method,
        restrict_vocab=restrict_vocab,
        progress=progress,
        cancel=cancel,
    )
    return out


def store_standard_results(store, name: str, results: dict[str, Any]) -> None:
    """Keep :func:`evaluate_standard` results in the model's card (failed lists trimmed)."""
    card = store.load_card(name)
    analogies = results["analogies"]
    settings = {"method": analogies["method"], "restrict_vocab": analogies["restrict_vocab"]}
    kept = {
        "wordsim353": results["wordsim353"],
        "simlex999": results["simlex999"],
        "analogies": {**analogies, "failed": analogies["failed"][:200]},
        "corpus_tokens": card.corpus.get("tokens"),
        "computed": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    card.evaluation[evaluation_key("standard", **settings)] = kept
    store.update_card(card)


def stored_standard_results(
    card, method: str = "add", restrict_vocab: int = DEFAULT_RESTRICT_VOCAB
) -> dict[str, Any] | None:
    """The results :func:`store_standard_results` kept for these settings, or None."""
    key = evaluation_key("standard", method=method, restrict_vocab=restrict_vocab)
    return (card.evaluation or {}).get(key)


def summary_row(model: str, results: dict[str, Any]) -> dict[str, Any]:
    """One flat row (for tables and the command line) from :func:`evaluate_standard`."""
    a = results["analogies"]
    return {
        "model": model,
        "wordsim353": {
            k: results["wordsim353"].get(k) for k in ("spearman", "pearson", "oov_ratio")
        },
        "simlex999": {k: results["simlex999"].get(k) for k in ("spearman", "pearson", "oov_ratio")},
        "analogies": {
            "accuracy": a["accuracy"],
            "correct": a["correct"],
            "total": a["total"],
            "semantic": a["semantic"]["accuracy"],
            "syntactic": a["syntactic"]["accuracy"],
            "sections": {n: s["accuracy"] for n, s in a["sections"].items()},
            "method": a["method"],
            "restrict_vocab": a["restrict_vocab"],
        },
    }
