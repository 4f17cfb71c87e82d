"""What the server's operator sees: every job in the line, memory in use, the workspaces.

The operator view exists only when the server was started with
``$EMBEDDINGS_OPERATOR_TOKEN`` and the same token is given (the app's ``?operator=``);
:func:`operator_allowed` compares them in constant time. The rest are plain readings for
the view: :func:`job_rows` (from a :class:`~embeddings.job_queue.JobQueue`),
:func:`process_memory` and :func:`mapped_model_files` (from ``/proc``; Linux), and
:func:`workspace_rows`.

Example
-------
>>> from embeddings.jobs import BackgroundJob, JobQueue
>>> queue = JobQueue(max_running=1)
>>> job = queue.submit(BackgroundJob(lambda progress, cancel: 1, "Counting", owner="abc"))
>>> job.wait(30)
True
>>> job_rows(queue)  # ended jobs leave the line
[]
"""

from __future__ import annotations

import hmac
import os
import time
from dataclasses import dataclass
from pathlib import Path

from .budget import human_bytes
from .vectors.store import ModelStore
from .workspaces import is_workspace_dir, last_used, tree_bytes, workspaces_root

OPERATOR_ENV = "EMBEDDINGS_OPERATOR_TOKEN"


def operator_allowed(given: str | None) -> bool:
    """True when ``$EMBEDDINGS_OPERATOR_TOKEN`` is set (not blank) and ``given`` equals it.

    >>> os.environ.pop(OPERATOR_ENV, None) and None
    >>> operator_allowed("anything")
    False
    """
    expected = os.environ.get(OPERATOR_ENV, "").strip()
    if not expected or not isinstance(given, str):
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


@dataclass
class JobRow:
    """One job of the server's line, as the operator sees it (``job`` to cancel it)."""

    job: object
    label: str
    owner: str
    state: str
    position: int
    seconds: float
    estimate: int | None

    def to_dict(self) -> dict:
        """The row for a table (without the job object); sizes for people."""
        return {
            "job": self.label,
            "workspace": self.owner,
            "state": self.state,
            "position": self.position or None,
            "elapsed (s)": round(self.seconds, 1),
            "memory estimate": human_bytes(self.estimate) if self.estimate else "unknown",
        }


def job_rows(queue) -> list[JobRow]:
    """The running jobs, then the waiting ones in their order (ended jobs are gone)."""
    rows = []
    for job in queue.active + queue.waiting:
        rows.append(
            JobRow(
                job=job,
                label=job.label,
                owner=job.owner or "(server)",
                state=job.state,
                position=job.position,
                seconds=job.seconds,
                estimate=job.estimate,
            )
        )
    return rows


def _proc_fields(path: str, names: tuple[str, ...]) -> dict[str, int]:
    out = {}
    try:
        with open(path, encoding="ascii", errors="replace") as lines:
            for line in lines:
                key, _, rest = line.partition(":")
                if key in names:
                    out[key] = int(rest.split()[0]) * 1024  # kB
    except OSError:
        pass
    return out


def process_memory(pid: int | str = "self") -> dict[str, int | None]:
    """``{"rss": bytes, "pss": bytes}`` of a process (None where ``/proc`` cannot tell).

    PSS counts pages shared with other processes (a memory-mapped model file) by share,
    so it is what this server adds to the machine.
    """
    rss = _proc_fields(f"/proc/{pid}/status", ("VmRSS",)).get("VmRSS")
    pss = _proc_fields(f"/proc/{pid}/smaps_rollup", ("Pss",)).get("Pss")
    return {"rss": rss, "pss": pss}


def mapped_model_files(roots: list[Path], pid: int | str = "self") -> list[dict]:
    """Files under ``roots`` (model stores) memory-mapped by the process: the model
    vectors the process holds, each with its size and the part resident in memory.

    Returns ``[{"file", "size", "resident"}, ...]``, largest first.
    """
    prefixes = [str(Path(root).resolve()) + os.sep for root in roots]
    found: dict[str, dict] = {}
    current = None
    try:
        with open(f"/proc/{pid}/smaps", encoding="utf-8", errors="replace") as lines:
            for line in lines:
                head = line.split(None, 5)
                if len(head) >= 5 and "-" in head[0] and ":" not in head[0]:
                    path = head[5].strip() if len(head) == 6 else ""
                    current = path if any(path.startswith(p) for p in prefixes) else None
                    if current is not None:
                        found.setdefault(current, {"file": current, "size": 0, "resident": 0})
                elif current is not None and head and head[0] in ("Size:", "Rss:"):
                    key = "size" if head[0] == "Size:" else "resident"
                    found[current][key] += int(head[1]) * 1024
    except OSError:
        return []
    return sorted(found.values(), key=lambda row: -row["size"])


def workspace_rows(root: str | os.PathLike | None = None, now: float | None = None) -> list[dict]:
    """Every workspace under ``root`` (default :func:`~embeddings.workspaces.workspaces_root`):
    ``{"workspace", "models", "bytes", "last used", "idle days"}``, most recently used first.
    """
    base = Path(root) if root is not None else workspaces_root()
    if not base.is_dir():
        return []
    now = time.time() if now is None else now
    rows = []
    for child in base.iterdir():
        if not is_workspace_dir(child):
            continue
        used = last_used(child)
        store = ModelStore(child)  # not workspace_store(): reading must not mark it used
        rows.append(
            {
                "workspace": child.name,
                "models": len(store.names()),
                "bytes": tree_bytes(child),
                "last used": time.strftime("%Y-%m-%d %H:%M", time.localtime(used)),
                "idle days": round((now - used) / 86400, 1),
            }
        )
    return sorted(rows, key=lambda row: row["idle days"])


__all__ = [
    "OPERATOR_ENV",
    "JobRow",
    "job_rows",
    "mapped_model_files",
    "operator_allowed",
    "process_memory",
    "workspace_rows",
]
