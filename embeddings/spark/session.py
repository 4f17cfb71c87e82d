"""Starting Apache Spark for the lab: checks first, then a session with the lab shipped.

Everything a user can get wrong is checked before a JVM starts, so the answer is one line
and quick: pyspark missing, Java missing or too old, a malformed master URL, a master
that refuses connections. Starting the session itself runs under a watchdog
(``start_timeout``), because a master that accepts connections but never registers the
application would otherwise keep the driver waiting for a minute or more.

Master URLs: ``local[*]`` / ``local[N]`` (one JVM, N task threads), ``local-cluster[W,C,M]``
(W executor JVMs with C cores and M MiB each on this machine: a real distributed run),
``spark://host:7077`` (a standalone cluster), ``yarn`` (needs ``HADOOP_CONF_DIR``),
``k8s://https://host:port``.

The executors tokenize with the lab's own tokenizers: the ``embeddings`` package is
zipped to a temporary file and added with ``SparkContext.addPyFile`` (``ship_package``);
a cluster whose workers have the lab installed can pass ``ship_package=False``.

Example
-------
>>> with start_spark("local[2]") as engine:           # doctest: +SKIP
...     engine.sc.parallelize(range(10)).sum()
45
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import EmbeddingsError, EngineError

INSTALL_HINT = "install it with `make spark` or `pip install -r requirements-spark.txt`"
JAVA_HINT = (
    "install Java 17 (Debian: apt-get install openjdk-17-jre-headless, or "
    "scripts/install-system-deps.sh) or set JAVA_HOME to a Java 17+ installation"
)
MIN_JAVA = 17
DEFAULT_START_TIMEOUT = 180.0
PROBE_TIMEOUT = 5.0
LOG_CONFIG = Path(__file__).with_name("log4j2.properties")
_MASTER_PATTERNS = (
    r"local(\[(\*|\d+)(,\s*\d+)?\])?",
    r"local-cluster\[\d+,\s*\d+,\s*\d+\]",
    r"spark://[^/\s]+",
    r"yarn",
    r"k8s://\S+",
)


def pyspark_available() -> bool:
    """Whether pyspark can be imported (without importing it)."""
    return importlib.util.find_spec("pyspark") is not None


def require_pyspark() -> None:
    """Raise :class:`EngineError` with the install command when pyspark is missing."""
    if not pyspark_available():
        raise EngineError(
            f"Spark needs the pyspark package, which is not installed; {INSTALL_HINT}."
        )


def find_java() -> str:
    """The ``java`` Spark will run: ``$JAVA_HOME/bin/java`` if JAVA_HOME is set, else PATH's.

    Raises :class:`EngineError` when there is none or it is older than Java 17.
    """
    home = os.environ.get("JAVA_HOME")
    if home:
        java = Path(home) / "bin" / "java"
        if not os.access(java, os.X_OK):
            raise EngineError(f"JAVA_HOME={home} has no bin/java; {JAVA_HINT}.")
        java_path = str(java)
    else:
        found = shutil.which("java")
        if found is None:
            raise EngineError(f"Spark needs Java, and no java is on PATH; {JAVA_HINT}.")
        java_path = found
    major = java_major(java_path)
    if major is not None and major < MIN_JAVA:
        raise EngineError(
            f"Spark 4 needs Java {MIN_JAVA}+, {java_path} is Java {major}; {JAVA_HINT}."
        )
    return java_path


def java_major(java: str) -> int | None:
    """The major version of a ``java`` executable (None when it cannot be told)."""
    try:
        out = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=30, check=False
        ).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major  # "1.8.0" is Java 8


def is_local_master(master: str) -> bool:
    """True for masters whose executors share this machine's file system."""
    return master.startswith("local")


def parse_conf(items: Iterable[str] | dict[str, str] | None) -> dict[str, str]:
    """``["key=value", ...]`` as a dict (a dict passes through).

    >>> parse_conf(["spark.executor.memory=2g", "spark.ui.enabled=true"])
    {'spark.executor.memory': '2g', 'spark.ui.enabled': 'true'}
    """
    if items is None:
        return {}
    if isinstance(items, dict):
        return {str(k): str(v) for k, v in items.items()}
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise EngineError(f"Spark settings are key=value, got {item!r}.")
        out[key.strip()] = value.strip()
    return out


def check_master(master: str, timeout: float = PROBE_TIMEOUT) -> None:
    """Check a master URL's form, and that a remote master accepts connections.

    A ``spark://`` master (any of a comma-separated list) and a ``k8s://`` API server are
    probed with a TCP connection of at most ``timeout`` seconds; ``yarn`` needs
    ``HADOOP_CONF_DIR`` or ``YARN_CONF_DIR``.
    """
    if not any(re.fullmatch(p, master) for p in _MASTER_PATTERNS):
        raise EngineError(
            f"Unknown Spark master {master!r}; use local[*], local[N], local-cluster[W,C,MB], "
            "spark://host:7077, yarn or k8s://https://host:port."
        )
    if master.startswith("spark://"):
        hosts = [h.strip() for h in master[len("spark://") :].split(",")]
        addresses = [_host_port(h, 7077) for h in hosts]
        if not any(_reachable(h, p, timeout) for h, p in addresses):
            raise EngineError(
                f"The Spark master {master} does not answer (no connection within "
                f"{timeout:.0f} s); start it (sbin/start-master.sh) or check the URL."
            )
    elif master.startswith("k8s://"):
        url = urlsplit(master[len("k8s://") :])
        host, port = url.hostname, url.port or (80 if url.scheme == "http" else 443)
        if not host or not _reachable(host, port, timeout):
            raise EngineError(f"The Kubernetes API server of {master} does not answer.")
    elif master == "yarn" and not (
        os.environ.get("HADOOP_CONF_DIR") or os.environ.get("YARN_CONF_DIR")
    ):
        raise EngineError(
            "The yarn master needs HADOOP_CONF_DIR (or YARN_CONF_DIR) pointing at the "
            "cluster's configuration."
        )


def _host_port(text: str, default_port: int) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host:
        return text, default_port
    try:
        return host.strip("[]"), int(port)
    except ValueError:
        raise EngineError(f"Bad port in Spark master address {text!r}.") from None


def _reachable(host: str, port: int, timeout: float) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def package_zip(directory: str | Path) -> Path:
    """Zip the ``embeddings`` package (sources only) into ``directory``; return the path."""
    root = Path(__file__).resolve().parent.parent
    target = Path(directory) / "embeddings.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(root.rglob("*")):
            if "__pycache__" in path.parts or path.suffix in (".pyc", ".pyo") or path.is_dir():
                continue
            zf.write(path, Path("embeddings") / path.relative_to(root))
    return target


@dataclass
class SparkEngine:
    """A running Spark session and what the lab records about it.

    Attributes
    ----------
    session : pyspark.sql.SparkSession
    master : str
    owned : bool
        False when the session was already running in this process (started by someone
        else): :meth:`stop` then leaves it running.
    start_seconds : float
        Time from the call to a usable session (JVM start, executors, package shipped).
    conf : dict
        The settings it was started with.
    """

    session: object
    master: str
    start_seconds: float
    conf: dict[str, str] = field(default_factory=dict)
    owned: bool = True
    _tmpdir: str | None = None

    @property
    def sc(self):
        """The SparkContext."""
        return self.session.sparkContext

    @property
    def version(self) -> str:
        return str(self.sc.version)

    @property
    def default_parallelism(self) -> int:
        return int(self.sc.defaultParallelism)

    def describe(self) -> dict:
        """What a model card records about the engine."""
        return {
            "engine": "spark",
            "master": self.master,
            "spark_version": self.version,
            "default_parallelism": self.default_parallelism,
            "session_start_s": round(self.start_seconds, 3),
        }

    def scratch_dir(self) -> str:
        """A temporary folder for files the executors write and the driver reads."""
        if self._tmpdir is None:
            self._tmpdir = tempfile.mkdtemp(prefix="embeddings-spark-")
        return tempfile.mkdtemp(dir=self._tmpdir)

    def stop(self) -> None:
        """Stop the session (if this engine started it) and delete the temporary files."""
        try:
            if self.owned:
                self.session.stop()
        finally:
            if self._tmpdir is not None:
                shutil.rmtree(self._tmpdir, ignore_errors=True)
                self._tmpdir = None

    def __enter__(self) -> SparkEngine:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _default_conf(master: str) -> dict[str, str]:
    conf = {
        "spark.ui.showConsoleProgress": "false",
        "spark.ui.enabled": "false",
        # Quiet JVM logs: errors reach the user through the library's one-line messages.
        "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile=file:{LOG_CONFIG}",
    }
    if is_local_master(master):
        conf["spark.driver.host"] = "127.0.0.1"
        conf["spark.driver.bindAddress"] = "127.0.0.1"
    return conf


def start_spark(
    master: str = "local[*]",
    conf: Iterable[str] | dict[str, str] | None = None,
    app_name: str = "word-embedding-lab",
    start_timeout: float = DEFAULT_START_TIMEOUT,
    ship_package: bool = True,
) -> SparkEngine:
    """Start (or join) a Spark session on ``master`` with extra ``conf`` settings.

    Parameters
    ----------
    master : str
        A master URL (see the module docstring).
    conf : list of "key=value" or dict, optional
        Extra settings; they win over the lab's defaults (quiet logs, no web UI).
    app_name : str
    start_timeout : float
        Seconds to wait for a usable session before giving up with :class:`EngineError`.
    ship_package : bool
        Add the zipped ``embeddings`` package to the executors' Python path.

    Raises
    ------
    EngineError
        pyspark or Java missing, a bad or unreachable master, a session that does not
        start in time, or a session of another master already running in this process.
    """
    require_pyspark()
    find_java()
    check_master(master)
    settings = {**_default_conf(master), **parse_conf(conf)}
    if is_local_master(master) and "spark.pyspark.python" not in settings:
        # Python workers on this machine run this interpreter (and its packages); pyspark
        # reads the worker interpreter from the environment, not from the settings.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    warnings.filterwarnings(
        "ignore", message="PySpark does not yet fully support", category=FutureWarning
    )
    started = time.monotonic()
    outcome: dict = {}

    def build() -> None:
        try:
            from pyspark import SparkContext
            from pyspark.sql import SparkSession

            active = SparkContext._active_spark_context
            if active is not None and active.master != master:
                raise EngineError(
                    f"A Spark session on {active.master} is already running in this process; "
                    f"stop it before starting one on {master}."
                )
            outcome["owned"] = active is None
            builder = SparkSession.builder.master(master).appName(app_name)
            for key, value in settings.items():
                builder = builder.config(key, value)
            outcome["session"] = builder.getOrCreate()
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=build, name="spark-start", daemon=True)
    worker.start()
    worker.join(start_timeout)
    if worker.is_alive():
        raise EngineError(
            f"Spark on {master} did not start within {start_timeout:.0f} s; check that the "
            "master is running and has free cores and memory."
        )
    if "error" in outcome:
        exc = outcome["error"]
        if isinstance(exc, EmbeddingsError):
            raise exc
        raise EngineError(f"Spark on {master} could not start: {_first_line(exc)}") from None
    engine = SparkEngine(outcome["session"], master, 0.0, settings, owned=outcome["owned"])
    engine.sc.setLogLevel(settings.get("spark.log.level", "ERROR"))
    if ship_package and engine.owned:
        engine.sc.addPyFile(str(package_zip(engine.scratch_dir())))
    engine.start_seconds = time.monotonic() - started
    return engine


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]
