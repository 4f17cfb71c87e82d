"""Training: parameters, gensim Word2Vec/FastText, our GloVe and its kernels, the
built-in default model.

Submodules are imported where they are used, so importing the package stays cheap.
"""
