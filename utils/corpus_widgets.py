"""Streamlit widgets for corpus input: choosing a source, reading options, tokenizer
options, and the statistics of a prepared corpus (shared by the Corpus page and others)."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from embeddings.corpus.bundled import BUNDLED_CORPORA
from embeddings.corpus.source import FORMATS, CorpusSource
from embeddings.corpus.sources import CorpusPreview, preview_corpus
from embeddings.corpus.stats import (
    coverage,
    fit_zipf,
    rank_frequency,
    top_words_table,
    vocabulary_table,
)
from embeddings.corpus.tokenize import (
    KOREAN_POS_PRESETS,
    KOREAN_STOPWORDS,
    TOKENIZERS,
    korean_tokenizer_loaded,
    load_korean_tokenizer,
)
from utils.datafile_widgets import data_file_picker

UPLOAD_TYPES = ["txt", "cor", "csv", "tsv", "tab", "zip", "gz", "bz2", "xml"]
ENCODINGS = [
    "auto",
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "cp949",
    "euc-kr",
    "latin-1",
    "cp1252",
]
SOURCE_LABELS = {
    "bundled": "A bundled corpus",
    "upload": "Upload a file",
    "path": "A file on the server",
    "paste": "Paste text",
}
TOKENIZER_LABELS = {
    "simple": "simple: lowercase letters of any script (keeps one-letter words)",
    "whitespace": "whitespace: the text is already tokenized",
    "korean": "korean: morphemes (kiwipiepy), part-of-speech filter, stopwords",
}


def saved_upload(upload, key: str) -> Path:
    """The upload copied to disk once per uploaded file (not on every rerun)."""
    from utils.uploads import save_upload_to_temp

    state_key = f"{key}_saved_upload"
    saved = st.session_state.get(state_key)
    if saved and saved[0] == upload.file_id and Path(saved[1]).exists():
        return Path(saved[1])
    if saved:
        Path(saved[1]).unlink(missing_ok=True)
    path = save_upload_to_temp(upload)
    st.session_state[state_key] = (upload.file_id, str(path))
    return path


def source_picker(key: str = "corpus") -> CorpusSource | None:
    """Radio + input for the corpus source; None until the user has given one.

    Raises :class:`~embeddings.errors.CorpusError` for a bad server path.
    """
    choice = st.radio(
        "Source",
        list(SOURCE_LABELS),
        format_func=SOURCE_LABELS.get,
        key=f"{key}_source",
        horizontal=True,
    )
    if choice == "bundled":
        bundled = st.selectbox(
            "Corpus",
            list(BUNDLED_CORPORA),
            format_func=lambda k: f"{k}: {BUNDLED_CORPORA[k]}",
            key=f"{key}_bundled",
        )
        return CorpusSource.from_bundled(bundled)
    if choice == "paste":
        text = st.text_area(
            "Text (one document per line)",
            key=f"{key}_text",
            height=160,
            placeholder="The cat sat on the mat.\nThe dog chased the cat.",
        )
        return CorpusSource.from_text(text) if text.strip() else None
    if choice == "path":
        path = data_file_picker(
            key,
            "Corpus file",
            help="A text, CSV/TSV, zip, .gz/.bz2 or MediaWiki XML file in the data folders.",
        )
        return CorpusSource.from_path(path) if path else None
    upload = st.file_uploader(
        "Corpus file",
        type=UPLOAD_TYPES,
        key=f"{key}_upload",
        help="Text (one document per line), CSV/TSV, a zip of text files, any of these as "
        ".gz/.bz2, or a MediaWiki XML dump (.xml/.xml.bz2).",
    )
    if upload is None:
        return None
    return CorpusSource.from_path(saved_upload(upload, key), name=upload.name)


def reading_options(source: CorpusSource, key: str = "corpus") -> CorpusSource:
    """Format and encoding overrides for a file source."""
    if source.origin != "file":
        return source
    cols = st.columns(2)
    fmt = cols[0].selectbox("Format", FORMATS, key=f"{key}_format", help="auto: sniffed")
    encoding = cols[1].selectbox(
        "Encoding", ENCODINGS, key=f"{key}_encoding", help="auto: detected from the bytes"
    )
    return source.with_options(format=fmt, encoding=None if encoding == "auto" else encoding)


def column_picker(source: CorpusSource, columns: list[str], guessed: str | None, key: str):
    """A text-column selectbox populated from the CSV/TSV header."""
    if not columns:
        return source
    index = columns.index(guessed) if guessed in columns else 0
    column = st.selectbox("Text column", columns, index=index, key=f"{key}_column")
    return source.with_options(text_column=column)


def tokenizer_options(key: str = "corpus", default: str = "simple") -> tuple[str, dict]:
    """The tokenizer name and its options (Korean: POS preset, endings, stopwords)."""
    name = st.radio(
        "Tokenizer",
        TOKENIZERS,
        index=TOKENIZERS.index(default),
        format_func=TOKENIZER_LABELS.get,
        key=f"{key}_tokenizer",
    )
    jamo = st.checkbox(
        "Split Hangul syllables into letters (jamo)",
        key=f"{key}_jamo",
        help="사과 → ㅅㅏㄱㅘ before training. FastText then shares many more n-grams "
        "between forms of a Korean word; the Subwords page joins letters back for display.",
    )
    if name != "korean":
        return name, ({"jamo": True} if jamo else {})
    cols = st.columns([1, 1, 3])
    preset = cols[0].selectbox(
        "Parts of speech",
        list(KOREAN_POS_PRESETS),
        key=f"{key}_pos",
        help="all: every morpheme; content: nouns, verbs, adjectives, adverbs; nouns: nouns only",
    )
    drop_endings = cols[1].checkbox("Drop verb endings", value=True, key=f"{key}_endings")
    stopwords = cols[2].text_input(
        "Stopwords (space-separated)", " ".join(KOREAN_STOPWORDS), key=f"{key}_stopwords"
    )
    # Only what differs from the defaults, so the bundled Korean corpus stays cached.
    options: dict = {}
    if stopwords.split() != KOREAN_STOPWORDS:
        options["stopwords"] = stopwords.split()
    if not drop_endings:
        options["drop_endings"] = False
    if preset != "all":
        options["pos_filter"] = preset
    if jamo:
        options["jamo"] = True
    return name, options


KOREAN_LOADING = (
    "Loading the Korean tokenizer (kiwipiepy's model, about 7 s once after the server "
    "starts); the preview follows."
)


def preview_documents(source: CorpusSource, tokenizer: str, options: dict) -> CorpusPreview:
    """The first five documents of ``source`` and their tokens; the Korean tokenizer's
    one-time model load runs first under a note that says what it waits for."""
    if tokenizer == "korean" and not korean_tokenizer_loaded():
        # The note is queued now and the pause lets the server send it before the wait
        # starts (kiwipiepy loads in its own worker process, so the server stays live).
        note = st.empty()
        note.info(KOREAN_LOADING, icon="⏳")
        time.sleep(0.3)
        load_korean_tokenizer()
        note.empty()
    return preview_corpus(source, 5, tokenizer, **options)


def show_preview(preview: CorpusPreview, source: CorpusSource, tokenizer: str) -> None:
    """What the reader found, and the first documents next to their tokens."""
    found = [f"format **{preview.format}**"]
    if preview.compression:
        found.append(f"compression **{preview.compression}**")
    if preview.encoding:
        found.append(f"encoding **{preview.encoding}**")
    if preview.text_column:
        found.append(f"text column **{preview.text_column}**")
    st.markdown("Read as " + " · ".join(found))
    if preview.members_skipped:
        st.caption(
            "Skipped zip members: "
            + ", ".join(f"{name} ({why})" for name, why in preview.members_skipped[:10])
        )
    if source.origin == "bundled" and source.bundled_key == "korean-law" and tokenizer != "korean":
        st.caption("The Korean corpus is always tokenized with the Korean tokenizer.")
    tokens = preview.tokens or [[] for _ in preview.documents]
    st.dataframe(
        pd.DataFrame({"document": preview.documents, "tokens": [" ".join(t) for t in tokens]}),
        hide_index=True,
    )
    if preview.tokens is not None and not any(preview.tokens):
        st.warning(
            "The tokenizer finds no words in these first documents: check the tokenizer, "
            "the text column or the encoding before preparing."
        )


def _human(n: float) -> str:
    return f"{n:,.0f}"


def corpus_statistics(prepared, key: str = "corpus_stats") -> None:
    """Headline numbers, the top-words bar chart and the rank/frequency log-log plot."""
    stats = prepared.stats
    min_count = st.number_input("min_count", 1, 1000, 5, key=f"{key}_min_count")
    cols = st.columns(5)
    cols[0].metric("Documents", _human(stats.documents))
    cols[1].metric("Tokens", _human(stats.tokens))
    cols[2].metric("Vocabulary", _human(stats.vocab_size(1)))
    cols[3].metric(
        "Words kept",
        _human(stats.vocab_size(min_count)),
        help=f"Vocabulary at min_count {min_count}: words seen at least {min_count} times",
    )
    cols[4].metric(
        "Tokens kept",
        f"{coverage(stats, min_count):.1%}",
        help=f"Share of all tokens whose word is seen at least {min_count} times",
    )
    left, right = st.columns(2)
    with left:
        n = st.slider("Top words", 5, 100, 20, key=f"{key}_topn")
        table = top_words_table(stats, n)
        fig = go.Figure(go.Bar(x=table["count"], y=table["word"], orientation="h"))
        fig.update_layout(
            title=f"The {len(table)} most frequent words",
            yaxis={"autorange": "reversed"},
            xaxis_title="count",
            height=max(300, 18 * len(table) + 80),
            margin={"l": 10, "r": 10, "t": 40, "b": 10},
        )
        st.plotly_chart(fig, key=f"{key}_top_chart")
    with right:
        ranks, counts = rank_frequency(stats)
        fig = go.Figure(go.Scatter(x=ranks, y=counts, mode="markers", name="words"))
        fit = fit_zipf(stats)
        if fit is not None:
            fig.add_trace(
                go.Scatter(
                    x=ranks,
                    y=fit.predict(ranks),
                    mode="lines",
                    name=f"Zipf fit, exponent {fit.exponent:.2f} (R² {fit.r2:.2f})",
                )
            )
        fig.update_layout(
            title="Rank / frequency (log-log)",
            xaxis={"type": "log", "title": "rank"},
            yaxis={"type": "log", "title": "count"},
            height=420,
            legend={"orientation": "h", "y": -0.2},
            margin={"l": 10, "r": 10, "t": 40, "b": 10},
        )
        st.plotly_chart(fig, key=f"{key}_zipf_chart")
        if fit is not None:
            st.caption(
                f"Least-squares line through the {fit.ranks_used:,} words seen at least twice "
                "(ranks sampled evenly on the log scale); Zipf's law predicts an exponent near 1."
            )
    with st.expander("Vocabulary size and tokens kept at each min_count"):
        st.dataframe(vocabulary_table(stats), hide_index=True)
    with st.expander("Top words as a table"):
        st.dataframe(table, hide_index=True)
