"""Local HTTP stubs of the Slack Web API and the Anthropic Messages API for tests (stdlib only).

This module also holds the small HTTP plumbing both stubs share (background server, handler base).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, TypeVar

T = TypeVar("T")


def wait_for(predicate: Callable[[], T], timeout: float = 5.0, interval: float = 0.01) -> T:
    """Poll ``predicate()`` until it returns a truthy value (returned); AssertionError on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"condition not met within {timeout:.1f}s (last value: {result!r})")
        time.sleep(interval)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # a burst of connections waits to be accepted instead of being reset (default 5)

    def __init__(self, handler: type[BaseHTTPRequestHandler], owner: Any) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.owner = owner

    def handle_error(self, request: Any, client_address: Any) -> None:  # quiet on client disconnects
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class _BaseHandler(BaseHTTPRequestHandler):
    """Shared plumbing: HTTP/1.1 keep-alive, body reading, JSON replies, silence."""

    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def reply(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)
        except (ConnectionError, TimeoutError):
            self.close_connection = True

    def reply_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        self.reply(status, json.dumps(payload).encode(), "application/json; charset=utf-8", headers)


class _BackgroundServer:
    """Start/stop a `_Server` in a daemon thread; subclasses set ``handler``."""

    handler: type[_BaseHandler]

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.root_url = ""

    def start(self) -> "_BackgroundServer":
        if self._server is None:
            self._stopping.clear()
            self._server = _Server(self.handler, self)
            self.root_url = f"http://127.0.0.1:{self._server.server_address[1]}"
            self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                            name=type(self).__name__, daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._stopping.set()  # wakes handlers sleeping on injected delays
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._server = self._thread = None

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# Re-exported after the plumbing above is defined: the submodules import it from here.
from .messages_api import MessagesApiStub, MessagesCall, error_body  # noqa: E402
from .slack_api import SlackApiStub, SlackCall  # noqa: E402

__all__ = ["MessagesApiStub", "MessagesCall", "SlackApiStub", "SlackCall", "error_body", "wait_for"]
