"""Real data that ships inside installed packages: corpora, benchmarks and model files.

Nothing here downloads anything. gensim's wheel carries a shortened English Wikipedia
dump, the Lee news corpus, the standard similarity/analogy benchmarks and a few model
files; konlpy's wheel carries Korean plain text (the constitution and a few bills),
found without importing konlpy (its import needs Java).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

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


def iter_wiki_articles(path: str | Path | None = None) -> Iterator[tuple[str, str]]:
    """Yield ``(title, plain_text)`` for each article of a MediaWiki XML dump (.xml/.bz2).

    Markup is stripped with gensim's ``filter_wiki``; redirects and pages outside the
    article namespace are skipped. Defaults to the shortened English dump gensim ships.
    """
    import bz2

    from gensim.corpora.wikicorpus import extract_pages, filter_wiki

    path = Path(path) if path is not None else gensim_data(WIKI_DUMP)
    opener = bz2.open if path.suffix == ".bz2" else open
    with opener(path, "rb") as fh:
        for title, text, _pageid in extract_pages(fh, filter_namespaces=("0",)):
            if not text or text.lstrip().lower().startswith("#redirect"):
                continue
            yield title, filter_wiki(text)


def iter_lines(path: str | Path, encoding: str = "utf-8") -> Iterator[str]:
    """Yield the non-empty lines of a bundled text file (one document per line)."""
    with open(path, encoding=encoding, errors="replace") as fh:
        for line in fh:
            line = line.strip()
            if line:
                yield line


BUNDLED_CORPORA = {
    "wiki": "English Wikipedia, ~100 articles (gensim test data)",
    "lee": "Lee background corpus, 300 Australian news articles (gensim test data)",
    "wiki+lee": "Both of the above: the default model's corpus",
    "korean-law": "Korean: the constitution and bills (konlpy data)",
}


def iter_bundled_documents(name: str) -> Iterator[str]:
    """Yield the documents of a bundled corpus by its key in :data:`BUNDLED_CORPORA`."""
    if name == "wiki":
        for _title, text in iter_wiki_articles():
            yield text
    elif name == "lee":
        yield from iter_lines(gensim_data(LEE_BACKGROUND))
    elif name == "wiki+lee":
        yield from iter_bundled_documents("wiki")
        yield from iter_bundled_documents("lee")
    elif name == "korean-law":
        files = korean_text_files()
        if not files:
            raise FileNotFoundError("konlpy is not installed, so its Korean texts are missing.")
        for path in files:
            yield from iter_lines(path)
    else:
        raise KeyError(f"No bundled corpus {name!r}; choose one of {sorted(BUNDLED_CORPORA)}.")
