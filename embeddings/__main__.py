"""``python -m embeddings``: the command line."""

import sys

from .cli import main
from .corpus.tokenize import use_korean_worker

if __name__ == "__main__":
    # One command, one user: kiwipiepy loads in this process (no server to keep live,
    # and it skips starting the worker, about 0.4 s).
    use_korean_worker(False)
    sys.exit(main())
