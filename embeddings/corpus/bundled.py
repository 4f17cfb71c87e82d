"""Real data that ships inside installed packages: corpora, benchmarks and model files.

Nothing here downloads anything. gensim's wheel carries a shortened English Wikipedia
dump, the Lee news corpus, the standard similarity/analogy benchmarks and a few model
files; konlpy's wheel carries Korean plain text (the constitution and a few bills),
found without importing konlpy (its import needs Java).

This module only locates files: :data:`BUNDLED_FILES` says which files, in which format,
make up each bundled key, and :class:`~embeddings.corpus.reader.DocumentReader` reads
them like any other file.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorpusError

WIKI_DUMP = "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
LEE_BACKGROUND = "lee_background.cor"
LEE_TEST = "lee.cor"
PANG_LEE_POLARITY = "pang_lee_polarity.cor"
QUESTIONS_WORDS = "questions-words.txt"
WORDSIM353 = "wordsim353.tsv"
SIMLEX999 = "simlex999.txt"


def gensim_data(name: str) -> Path:
    """Path of a file in gensim's ``test/test_data`` folder (it must exist)."""
    from gensim.test.utils import datapath

    path = Path(datapath(name))
    if not path.exists():
        raise FileNotFoundError(f"gensim's test data has no file {name!r} ({path}).")
    return path


def konlpy_data_dir() -> Path | None:
    """konlpy's ``data/corpus`` folder, or None when konlpy is not installed."""
    spec = importlib.util.find_spec("konlpy")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "corpus"
    return path if path.is_dir() else None


def korean_text_files() -> list[Path]:
    """The Korean plain-text files konlpy ships (constitution + bills), sorted."""
    root = konlpy_data_dir()
    if root is None:
        return []
    return sorted(p for sub in ("kolaw", "kobill") for p in (root / sub).glob("*.txt"))


@dataclass(frozen=True)
class BundledFile:
    """One file of a bundled corpus and the format the reader reads it in."""

    path: Path
    format: str  # a CorpusSource format: "wiki", "text" or "fasttext"


BUNDLED_CORPORA = {
    "wiki": "English Wikipedia, ~100 articles (gensim test data)",
    "lee": "Lee background corpus, 300 Australian news articles (gensim test data)",
    "wiki+lee": "Both of the above: the default model's corpus",
    "korean-law": "Korean: the constitution and bills (konlpy data)",
}

# Every bundled key the reader knows: the training corpora above plus the labelled
# movie-review sentences the document pages use. Values name (where, file, format).
BUNDLED_FILES = {
    "wiki": (("gensim", WIKI_DUMP, "wiki"),),
    "lee": (("gensim", LEE_BACKGROUND, "text"),),
    "wiki+lee": (("gensim", WIKI_DUMP, "wiki"), ("gensim", LEE_BACKGROUND, "text")),
    "korean-law": (("konlpy", "*.txt", "text"),),
    "pang-lee": (("gensim", PANG_LEE_POLARITY, "fasttext"),),
}


def bundled_files(key: str) -> list[BundledFile]:
    """The files making up the bundled corpus ``key``, in reading order.

    Raises :class:`CorpusError` for an unknown key or when the package holding the
    files is not installed.

    >>> [f.format for f in bundled_files("wiki+lee")]
    ['wiki', 'text']
    """
    if key not in BUNDLED_FILES:
        raise CorpusError(f"No bundled corpus {key!r}; choose one of {sorted(BUNDLED_FILES)}.")
    files = []
    for package, name, fmt in BUNDLED_FILES[key]:
        if package == "konlpy":
            paths = korean_text_files()
            if not paths:
                raise CorpusError(
                    "konlpy is not installed, so its Korean texts are missing; install konlpy "
                    "or choose another corpus."
                )
        else:
            try:
                paths = [gensim_data(name)]
            except FileNotFoundError as exc:
                raise CorpusError(f"{exc} Reinstall gensim, or choose another corpus.") from None
        files.extend(BundledFile(path, fmt) for path in paths)
    return files
