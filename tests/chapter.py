"""The chapter's co-occurrence example, pinned once for every test that checks it:
"I like deep learning", "I like NLP", "I enjoy flying", window 1, plain counts."""

CHAPTER_SENTENCES = ["I like deep learning", "I like NLP", "I enjoy flying"]
CHAPTER_ORDER = ["I", "like", "enjoy", "deep", "learning", "NLP", "flying"]
CHAPTER_COOCCURRENCE = [
    [0, 2, 1, 0, 0, 0, 0],
    [2, 0, 0, 1, 0, 1, 0],
    [1, 0, 0, 0, 0, 0, 1],
    [0, 1, 0, 0, 1, 0, 0],
    [0, 0, 0, 1, 0, 0, 0],
    [0, 1, 0, 0, 0, 0, 0],
    [0, 0, 1, 0, 0, 0, 0],
]
