"""A Streamlit client that speaks the browser's websocket protocol, for the load test.

One :class:`StreamlitSession` is one browser tab: it opens ``/_stcore/stream`` the way
Streamlit's frontend does (the ``streamlit`` subprotocol followed by the XSRF token from
the page's cookie), sends the same ``BackMsg`` protobufs (``rerun_script`` with the
query string, the page's script hash and the state of every widget on the page;
``file_urls_request`` before an upload) and reads the ``ForwardMsg`` stream: the
elements of each run (kept by their delta path, so the sidebar and the page can be read
like a rendered page), the message cache (``ref_hash``), ``auto_rerun`` requests of
polling fragments (answered on their interval like the browser's timer), the query
string the app sets (``page_info_changed``) and exceptions shown to the user.

A widget is named by its user key (the part after the hash in ``$$ID-<hash>-<key>``)
or, without a key, by its label. Only the widget kinds the lab's pages use are
tracked (text and number inputs, select boxes, radios, checkboxes and toggles,
buttons, file uploaders).

    >>> tab = StreamlitSession("http://127.0.0.1:8501")      # doctest: +SKIP
    >>> tab.open()                                           # doctest: +SKIP
    >>> tab.go("Neighbours")                                 # doctest: +SKIP
    >>> tab.set("nb_word", "king").seconds                   # doctest: +SKIP
    0.031
"""

from __future__ import annotations

import threading
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.NumberInput_pb2 import NumberInput
from websockets.sync.client import connect

MAIN, SIDEBAR = 0, 1  # the first index of an element's delta path
_WIDGETS = (
    "text_input",
    "text_area",
    "number_input",
    "selectbox",
    "radio",
    "checkbox",
    "button",
    "file_uploader",
)


@dataclass
class Run:
    """What one interaction cost the user: seconds from sending it until the app is idle
    again, and what went wrong on the way."""

    seconds: float
    exceptions: list[str] = field(default_factory=list)
    runs: int = 0  # script runs it took (a button's st.rerun() adds one)


def widget_key(widget_id: str) -> str:
    """The user key in a widget id ``$$ID-<hash>-<key>`` ('None' when it has none)."""
    return widget_id.split("-", 2)[2] if widget_id.startswith("$$ID-") else widget_id


class StreamlitSession:
    """One browser tab on a Streamlit server, driven through its websocket protocol.

    Parameters
    ----------
    base_url : str
        ``http://host:port`` of ``streamlit run``.
    query_string : str
        The query string of the URL the tab opens (``workspace=TOKEN``).
    timeout : float
        Seconds to wait for the app to become idle after an interaction.
    """

    def __init__(self, base_url: str, query_string: str = "", timeout: float = 300):
        self.base_url = base_url.rstrip("/")
        self.query_string = query_string
        self.timeout = timeout
        self.session_id = ""
        self.pages: dict[str, str] = {}  # page name -> page script hash
        self.page_hash = ""
        self.elements: dict[tuple, object] = {}  # delta path -> Element (this run's)
        self.exceptions: list[str] = []  # every exception shown, in order
        self.bytes_received = 0
        self._values: dict[str, object] = {}  # widget id -> WidgetState the tab holds
        self._cache: dict[str, ForwardMsg] = {}
        self._fragments: dict[str, float] = {}  # fragment id -> auto-rerun interval
        self._idle = threading.Event()
        self._lock = threading.Lock()  # one rerun request at a time, like the browser
        self._closed = threading.Event()
        self._file_urls: dict[str, object] = {}
        self._xsrf = ""
        self._ws = None
        self._touched: set[tuple] = set()  # paths the current full run has drawn
        self._fragment_of: dict[str, str] = {}  # widget id -> the fragment that drew it
        self._fresh_fragments: dict[str, float] = {}  # asked for by the current full run
        self._runs = 0
        # Whether the run asked for has started: until then a "script stopped" is the
        # end of the run it interrupted, and after a run that ends early for a rerun
        # (st.rerun, a changed query string) the next one follows: neither is idle.
        self._started = threading.Event()
        self._rerun_follows = False

    # -- connection ------------------------------------------------------------------

    def open(self) -> Run:
        """Load the page as the browser does, connect, and run the app once."""
        cookies = SimpleCookie()
        # What the frontend fetches before it connects; the health check sets the
        # XSRF cookie that uploads must echo.
        for route in ("/", "/_stcore/health", "/_stcore/host-config"):
            with urllib.request.urlopen(f"{self.base_url}{route}", timeout=30) as response:
                response.read()
                for header in response.headers.get_all("Set-Cookie") or []:
                    cookies.load(header)
        self._xsrf = cookies["_streamlit_xsrf"].value if "_streamlit_xsrf" in cookies else ""
        host = urllib.parse.urlsplit(self.base_url).netloc
        self._ws = connect(
            f"ws://{host}/_stcore/stream",
            subprotocols=["streamlit", self._xsrf] if self._xsrf else ["streamlit"],
            additional_headers={
                "Origin": self.base_url,
                "Cookie": f"_streamlit_xsrf={self._xsrf}" if self._xsrf else "",
            },
            max_size=None,
            open_timeout=30,
        )
        threading.Thread(target=self._receive, daemon=True).start()
        threading.Thread(target=self._auto_rerun, daemon=True).start()
        return self._rerun()

    def close(self) -> None:
        """Close the tab (its session ends on the server)."""
        self._closed.set()
        if self._ws is not None:
            self._ws.close()

    # -- what the user does ----------------------------------------------------------

    def go(self, page: str) -> Run:
        """Click the sidebar link of ``page`` (its title)."""
        self.page_hash = self.pages[page]
        # Like the frontend: a page change sends the sidebar's widgets only, and the URL
        # of the new page has no query string (the app must put back what it needs).
        self.query_string = ""
        sidebar = {_wid(e) for p, e in self.elements.copy().items() if p[0] == SIDEBAR}
        return self._rerun(keep=sidebar)

    def set(self, key: str, value) -> Run:
        """Type ``value`` into the widget ``key`` (or pick it) and submit it."""
        widget_id = self.widget_id(key)
        _assign(self._values[widget_id], value)
        return self._rerun(self._fragment_of.get(widget_id, ""), auto=False)

    def fill(self, values: dict) -> None:
        """Set several widgets without running the app (typed, not yet submitted)."""
        for key, value in values.items():
            _assign(self._values[self.widget_id(key)], value)

    def click(self, key: str) -> Run:
        """Press the button ``key`` (its user key, or its label)."""
        widget_id = self.widget_id(key)
        state = self._values[widget_id]
        state.trigger_value = True
        try:
            # A widget drawn by a fragment reruns that fragment only, as in the browser.
            return self._rerun(self._fragment_of.get(widget_id, ""), auto=False)
        finally:
            state.trigger_value = False

    def upload(self, key: str, name: str, data: bytes) -> Run:
        """Drop a file on the uploader ``key``: ask for its URL, PUT it, then rerun."""
        widget_id = self.widget_id(key)
        request_id = uuid.uuid4().hex
        msg = BackMsg()
        msg.file_urls_request.request_id = request_id
        msg.file_urls_request.file_names.append(name)
        msg.file_urls_request.session_id = self.session_id
        self._ws.send(msg.SerializeToString())
        deadline = time.monotonic() + 30
        while request_id not in self._file_urls:
            if time.monotonic() > deadline:
                raise TimeoutError("no upload URL from the server")
            time.sleep(0.02)
        urls = self._file_urls.pop(request_id).file_urls[0]
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{name}"\r\nContent-Type: text/plain\r\n\r\n'
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        request = urllib.request.Request(
            f"{self.base_url}{urls.upload_url}"
            if urls.upload_url.startswith("/")
            else urls.upload_url,
            data=body,
            method="PUT",
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "X-Xsrftoken": self._xsrf,
                "Cookie": f"_streamlit_xsrf={self._xsrf}",
            },
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
        state = self._values[widget_id]
        info = state.file_uploader_state_value.uploaded_file_info.add()
        info.name, info.size, info.file_id = name, len(data), urls.file_id
        info.file_urls.CopyFrom(urls)
        return self._rerun()

    # -- reading the page --------------------------------------------------------------

    def widget(self, key: str):
        """The widget proto whose user key or label is ``key`` on the page, or None."""
        for element in self._widgets():
            widget = getattr(element, element.WhichOneof("type"))
            if widget_key(widget.id) == key or getattr(widget, "label", None) == key:
                return widget
        return None

    def widget_id(self, key: str) -> str:
        """The id of the widget ``key`` (KeyError when the page has none)."""
        widget = self.widget(key)
        if widget is None:
            raise KeyError(f"no widget {key!r} on the page")
        return widget.id

    def options(self, key: str) -> list[str]:
        """The options of the select box or radio ``key`` ([] when the page has none)."""
        widget = self.widget(key)
        return list(widget.options) if widget is not None else []

    def texts(self, root: int = MAIN) -> list[str]:
        """Markdown, alert, caption and progress texts under ``root``, in page order."""
        out = []
        # A copy: the receiving thread changes the page meanwhile (dict.copy is atomic).
        elements = self.elements.copy()
        for path in sorted(p for p in elements if p[0] == root):
            element = elements[path]
            kind = element.WhichOneof("type")
            if kind == "markdown":
                out.append(element.markdown.body)
            elif kind == "alert":
                out.append(element.alert.body)
            elif kind == "progress":
                out.append(element.progress.text)
            elif kind == "heading":
                out.append(element.heading.body)
        return out

    def progress(self) -> list[str]:
        """The texts of the page's progress bars (a job panel's)."""
        elements = self.elements.copy()
        return [e.progress.text for e in elements.values() if e.WhichOneof("type") == "progress"]

    @property
    def polling(self) -> bool:
        """True while a fragment of the page asks to be rerun on an interval."""
        return bool(self._fragments)

    def wait_until(self, predicate, timeout: float = 600, step: float = 0.5) -> bool:
        """Wait (while the page's fragments poll) until ``predicate(self)``; True if so."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self):
                return True
            time.sleep(step)
        return predicate(self)

    # -- protocol ----------------------------------------------------------------------

    def _widgets(self):
        elements = self.elements.copy()
        for path in sorted(elements):
            element = elements[path]
            if element.WhichOneof("type") in _WIDGETS:
                yield element

    def _rerun(self, fragment_id: str = "", keep: set | None = None, auto: bool = True) -> Run:
        with self._lock:
            msg = BackMsg()
            state = msg.rerun_script
            state.query_string = self.query_string
            state.page_script_hash = self.page_hash
            ids = {_wid(e) for e in self._widgets()}
            for widget_id in sorted(ids if keep is None else ids & keep):
                value = self._values.get(widget_id)
                if value is not None and value.WhichOneof("value") is not None:
                    state.widget_states.widgets.append(value)
            state.cached_message_hashes.extend(self._cache)
            state.context_info.timezone = "UTC"
            state.context_info.locale = "en-US"
            state.context_info.url = f"{self.base_url}/"
            if fragment_id:
                state.fragment_id = fragment_id
                state.is_auto_rerun = auto
            seen = len(self.exceptions)
            self._runs = 0
            self._started.clear()
            self._idle.clear()
            started = time.perf_counter()
            self._ws.send(msg.SerializeToString())
            if not self._idle.wait(self.timeout):
                raise TimeoutError(f"the app did not finish within {self.timeout} s")
            return Run(time.perf_counter() - started, self.exceptions[seen:], self._runs)

    def _auto_rerun(self) -> None:
        # The browser's timer for st.fragment(run_every=...): a fragment rerun on its
        # interval while the app is idle.
        last: dict[str, float] = {}
        while not self._closed.wait(0.05):
            for fragment_id, interval in list(self._fragments.items()):
                now = time.monotonic()
                if now - last.get(fragment_id, now - interval) < interval:
                    continue
                last[fragment_id] = now
                if self._idle.is_set() and not self._lock.locked():
                    try:
                        self._rerun(fragment_id)
                    except Exception:  # noqa: BLE001 - a closed tab stops polling
                        return

    def _receive(self) -> None:
        try:
            for frame in self._ws:
                self.bytes_received += len(frame)
                msg = ForwardMsg()
                msg.ParseFromString(frame)
                self._handle(msg)
        except Exception:  # noqa: BLE001 - the connection closed
            self._idle.set()

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":
            cached = self._cache[msg.ref_hash]
            cached.metadata.CopyFrom(msg.metadata)
            msg, kind = cached, cached.WhichOneof("type")
        elif msg.hash and msg.metadata.cacheable:
            self._cache[msg.hash] = msg
        if kind == "new_session":
            new = msg.new_session
            if new.initialize.session_id:
                self.session_id = new.initialize.session_id
            self.page_hash = new.page_script_hash
            if not msg.metadata.run.fragment_ids:
                self._touched = set()  # a full run: the page is drawn anew
                self._fresh_fragments = {}
            self._runs += 1
            self._rerun_follows = False
            self._started.set()
        elif kind == "navigation":
            self.pages = {p.page_name: p.page_script_hash for p in msg.navigation.app_pages}
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "delta":
            self._delta(msg)
        elif kind == "script_finished":
            self._rerun_follows = msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN
            if msg.script_finished != ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                self._prune()
        elif kind == "auto_rerun":
            self._fragments[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
            self._fresh_fragments[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
        elif kind == "stop_auto_rerun" or (kind == "session_event"):
            pass
        elif kind == "file_urls_response":
            self._file_urls[msg.file_urls_response.response_id] = msg.file_urls_response
        elif kind == "session_status_changed":
            running = msg.session_status_changed.script_is_running
            if not running and self._started.is_set() and not self._rerun_follows:
                self._idle.set()

    def _delta(self, msg: ForwardMsg) -> None:
        delta = msg.delta
        path = tuple(msg.metadata.delta_path)
        if delta.WhichOneof("type") != "new_element":
            self.elements.pop(path, None)  # a block now stands where an element was
            self._touched.add(path)
            return
        element = delta.new_element
        self.elements[path] = element
        if delta.fragment_id and element.WhichOneof("type") in _WIDGETS:
            self._fragment_of[_wid(element)] = delta.fragment_id
        self._touched.add(path)
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        if kind in _WIDGETS:
            self._track(element, kind)

    def _prune(self) -> None:
        # A full run ends: what it did not draw is gone from the page, and the
        # fragments it did not start stop polling.
        self.elements = {p: e for p, e in self.elements.copy().items() if p in self._touched}
        self._touched = set()
        self._fragments = dict(self._fresh_fragments)
        alive = {getattr(e, e.WhichOneof("type")).id for e in self._widgets()}
        self._values = {k: v for k, v in self._values.items() if k in alive}

    def _track(self, element, kind: str) -> None:
        widget = getattr(element, kind)
        value = self._values.get(widget.id)
        if value is not None and not getattr(widget, "set_value", False):
            return  # the tab keeps what the user entered
        state = BackMsg().rerun_script.widget_states.widgets.add()
        state.id = widget.id
        if kind in ("text_input", "text_area"):
            state.string_value = widget.value if widget.set_value else widget.default
        elif kind == "number_input":
            number = widget.value if widget.set_value else widget.default
            if widget.data_type == NumberInput.INT:
                state.int_value = int(number)
            else:
                state.double_value = number
        elif kind in ("selectbox", "radio"):
            if widget.set_value:
                state.string_value = widget.raw_value
            elif widget.HasField("default") and widget.options:
                state.string_value = widget.options[widget.default]
        elif kind == "checkbox":
            state.bool_value = widget.value if widget.set_value else widget.default
        elif kind == "button":
            state.trigger_value = False
        elif kind == "file_uploader":
            state.file_uploader_state_value.SetInParent()
        self._values[widget.id] = state


def _wid(element) -> str:
    kind = element.WhichOneof("type")
    return getattr(getattr(element, kind), "id", "") if kind in _WIDGETS else ""


def _assign(state, value) -> None:
    kind = state.WhichOneof("value")
    if kind == "int_value":
        state.int_value = int(value)
    elif kind == "double_value":
        state.double_value = float(value)
    elif kind == "bool_value":
        state.bool_value = bool(value)
    else:
        state.string_value = str(value)
