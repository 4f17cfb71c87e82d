"""Streamlit glue for the subwords page: picking a FastText model, the n-gram table and
its bar chart, the Word2Vec model to compare with, and the Korean syllables-or-letters
comparison."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from embeddings.corpus.jamo import compose, display
from embeddings.explore.query import neighbours
from embeddings.explore.subwords import Breakdown, breakdown
from embeddings.explore.vocabulary import example_words
from embeddings.explore.words import is_jamo_model
from embeddings.train.default import DEFAULT_MODELS, KOREAN_FASTTEXT, ensure_korean_fasttext
from utils.defaults import default_model_button, train_once_button
from utils.query_widgets import query_errors
from utils.state import ActiveModel, active_model, get_store, load_model, shared_store


def subword_model() -> ActiveModel | None:
    """The active model when it has subwords; otherwise a FastText model from the store
    picked here (or a button that trains the default one). None while there is none."""
    current = active_model()
    if current is not None and current.card.has_subwords:
        return current
    names = [c.name for c in get_store().cards() if c.has_subwords]
    if current is not None:
        st.info(
            f"The active model **{current.name}** ({current.card.algorithm}) has no subwords; "
            "this page uses a FastText model from the store instead."
        )
    if not names:
        name = default_model_button("fasttext", key="sw_default_ft")
        if name is None:
            return None
        names = [name]
    preferred = DEFAULT_MODELS["fasttext"]
    index = names.index(preferred) if preferred in names else 0
    return load_model(st.selectbox("FastText model", names, index=index, key="sw_model"))


def robustness_default(kv) -> str:
    """The longest of the model's 20 most frequent example words (in the model's script):
    long enough for misspellings to keep most n-grams. "" for a model without one."""
    words = example_words(kv, 20)
    return max(words, key=len) if words else ""


def word2vec_partner(ft: ActiveModel) -> ActiveModel | None:
    """A Word2Vec model to set beside ``ft``: one trained on the same corpus if the store
    has one (the default pair by default), else any, picked by the user."""
    cards = [c for c in get_store().cards() if not c.has_subwords and c.algorithm == "word2vec"]
    if not cards:
        return None
    corpus = (ft.card.corpus or {}).get("name")
    same = [c.name for c in cards if corpus and (c.corpus or {}).get("name") == corpus]
    names = same + [c.name for c in cards if c.name not in same]
    preferred = DEFAULT_MODELS["word2vec"] if DEFAULT_MODELS["word2vec"] in same else names[0]
    name = st.selectbox(
        "Word2Vec model to compare with",
        names,
        index=names.index(preferred),
        key="sw_w2v",
        help="Models trained on the same corpus as the FastText model come first.",
    )
    return load_model(name)


class Spelling:
    """How a model's words are shown: as is, or (for a model trained on Hangul letters)
    joined back into syllables. The library splits typed words itself."""

    def __init__(self, kv):
        self.jamo = is_jamo_model(kv)

    def word(self, word: str) -> str:
        return compose(word) if self.jamo else word

    def ngram(self, ngram: str) -> str:
        return display(ngram) if self.jamo else ngram


def ngram_table(result: Breakdown, spelling: Spelling) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "n-gram": spelling.ngram(p.ngram) + (" (the word's own row)" if p.is_word else ""),
                "n": None if p.is_word else len(p.ngram),
                "bucket": p.bucket,
                "trained": p.trained,
                "norm": p.norm,
                "cosine to word": p.cosine,
                "pull": p.pull,
            }
            for p in result.pieces
        ]
    )


def pull_chart(result: Breakdown, spelling: Spelling) -> go.Figure:
    """Horizontal bars: each term's share of the final vector's length, largest on top."""
    pieces = sorted(result.pieces, key=lambda p: p.pull)
    colours = ["#2a9d8f" if p.is_word else ("#457b9d" if p.trained else "#e76f51") for p in pieces]
    fig = go.Figure(
        go.Bar(
            x=[p.pull for p in pieces],
            y=[spelling.ngram(p.ngram) + (" ★" if p.is_word else "") for p in pieces],
            orientation="h",
            marker_color=colours,
            hovertemplate="%{y}: %{x:.4f}<extra></extra>",
        )
    )
    fig.update_layout(
        height=max(260, 22 * len(pieces) + 80),
        margin=dict(l=10, r=10, t=30, b=10),
        xaxis_title="pull: (row · unit final vector) / number of terms",
        yaxis=dict(type="category"),
        title="Which pieces pull the vector most (blue: trained bucket, red: never trained, ★ the word's own row)",
        title_font_size=13,
    )
    return fig


def korean_spellings() -> None:
    """The same Korean word in two FastText models trained on the bundled Korean corpus,
    one on syllables and one on letters (jamo): how many of its n-grams each has seen
    and its nearest words. Each model is trained here on first use."""
    st.markdown(
        "A Hangul syllable packs two or three letters (사 = ㅅ + ㅏ), so two forms of a word "
        "that differ in one letter share few syllable n-grams. Splitting syllables into "
        "letters before training gives FastText many more shared pieces. Both models below "
        "are trained on the bundled Korean corpus with the same settings; only the spelling "
        "differs."
    )
    store = shared_store()  # built-in models are shared by every workspace
    ready = {}
    cols = st.columns(2)
    for col, jamo in zip(cols, (False, True), strict=True):
        with col:
            name = KOREAN_FASTTEXT[jamo]
            ready[jamo] = train_once_button(
                name,
                f"Train FastText on Korean {'letters' if jamo else 'syllables'} (a few seconds)",
                lambda progress, cancel, jamo=jamo: ensure_korean_fasttext(
                    store, jamo, progress, cancel
                ),
                key=f"sw_ko_{int(jamo)}",
            )
    if all(ready.values()):
        ko_word = st.text_input("Korean word", "국회의원", key="sw_ko_word").strip()
        if ko_word:
            rows = []
            for jamo in (False, True):
                ko = load_model(ready[jamo])
                spell = Spelling(ko.kv)
                with query_errors():
                    res = breakdown(ko.kv, ko_word, ko.name)
                    near = neighbours(ko.kv, ko_word, topn=5, model_name=ko.name)
                    trained = len(res.ngrams) - res.untrained
                    rows.append(
                        {
                            "model": ko.name,
                            "spelling": "letters (jamo)" if jamo else "syllables",
                            "in vocabulary": res.in_vocab,
                            "n-grams": len(res.ngrams),
                            "n-grams seen in training": f"{trained} ({trained / max(len(res.ngrams), 1):.0%})",
                            "nearest words": ", ".join(spell.word(n.word) for n in near),
                        }
                    )
            if rows:
                st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="sw_ko")
                st.caption(
                    "An n-gram counts as seen in training when some vocabulary word has it (its "
                    "bucket was updated). Pick a word the corpus does not hold, e.g. an unusual "
                    "ending on a common noun, to see the letter model find far more known pieces."
                )
