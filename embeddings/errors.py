"""The one exception hierarchy of the library.

Every error a user can cause (a bad file, an unknown word, a wrong name) is an
``EmbeddingsError`` whose message says what went wrong and what to do next. The
command line prints that message on one line and exits with status 2; the app shows it
with ``st.error``. Anything else is a bug.
"""

from __future__ import annotations


class EmbeddingsError(Exception):
    """Base class: a problem the user can act on."""


class CorpusError(EmbeddingsError):
    """A corpus could not be read or tokenized (empty, binary, wrong encoding, ...)."""


class FormatError(EmbeddingsError):
    """A vectors file is not in a format we can read, or its content contradicts itself."""


class UnsafeFileError(EmbeddingsError):
    """A file would need unpickling (running code) to load, and it came from outside."""


class UnknownWordError(EmbeddingsError, KeyError):
    """A word is not in the vocabulary (and the model has no subwords to compose it)."""

    def __init__(self, word: str, message: str):
        super().__init__(message)
        self.word = word

    def __str__(self) -> str:  # KeyError would quote the message otherwise
        return str(self.args[0])


class ModelNotFoundError(EmbeddingsError):
    """No model of that name in the model store."""


class InvalidNameError(EmbeddingsError):
    """A model name that cannot be used as a store entry."""


class TrainingError(EmbeddingsError):
    """Training could not start or failed (for example: no word reaches min_count)."""


class Cancelled(EmbeddingsError):
    """The user cancelled a long job; nothing partial was kept."""


class InputTooLargeError(EmbeddingsError):
    """An input goes past a size limit (a zip bomb, a huge line, too many rows)."""


class ResourceLimitError(EmbeddingsError):
    """A job would need more memory, disk or time than the server allows."""


class DataFileError(EmbeddingsError):
    """A server-side file is not a file in the data folders (or does not exist: the
    message is the same, so it never tells which paths exist elsewhere)."""


class SharedModelError(EmbeddingsError):
    """A workspace tried to change (rename, delete, overwrite) a shared, read-only model."""


class WorkspaceError(EmbeddingsError):
    """A workspace token that is not one this server hands out."""


class EngineError(EmbeddingsError):
    """A compute engine (Apache Spark) is missing, cannot start, or cannot be reached."""
