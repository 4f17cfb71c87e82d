"""Copied uploads: a private, unpredictable folder per server process, swept of old copies."""

from __future__ import annotations

import io
import os
import stat
import tempfile
import time

from utils.uploads import save_upload_to_temp, sweep_uploads, upload_dir


def test_the_upload_folder_is_private_and_not_a_fixed_name():
    folder = upload_dir()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert folder.parent == __import__("pathlib").Path(tempfile.gettempdir())
    assert folder.name.startswith("embeddings-uploads-") and len(folder.name) > 20
    assert upload_dir() == folder  # one per process


def test_old_copies_are_swept_and_new_ones_kept():
    buffer = io.BytesIO(b"a b c\n")
    buffer.name = "corpus.txt"
    old = save_upload_to_temp(buffer)
    os.utime(old, (time.time() - 7 * 3600,) * 2)
    fresh = save_upload_to_temp(buffer)  # sweeps before copying
    assert not old.exists() and fresh.read_bytes() == b"a b c\n"
    assert sweep_uploads() == 0 and fresh.exists()
    fresh.unlink()
