"""Runners: Bolt's HTTP mode at ``/slack/events`` (+ ``GET /healthz``) and Socket Mode with failure detection."""
from __future__ import annotations

import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import urlsplit

from slack_bolt import App, BoltRequest
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY = 1024 * 1024
READ_TIMEOUT_S = 10  # Slack sends a request in one go; the ack is due within 3 s anyway


class SocketModeFailure(Exception):
    """Socket Mode could not connect (bad app token, network); phrased for the user."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"
    timeout = READ_TIMEOUT_S  # a client that sends its request slowly (or not at all) loses its connection

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.debug("http %s", format % args)

    def _send(self, status: int, body: bytes, headers: dict[str, Any]) -> None:
        self.send_response(status)
        for key, value in headers.items():
            for item in value if isinstance(value, (list, tuple)) else [value]:
                self.send_header(key, str(item))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if urlsplit(self.path).path == HEALTH_PATH:
            payload = json.dumps(self.server.health()).encode()
            self._send(200, payload, {"Content-Type": "application/json"})
        else:
            self._send(404, b'{"ok": false}', {"Content-Type": "application/json"})

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if url.path != EVENTS_PATH or self.server.app is None:
            self.close_connection = True
            self._send(404, b"not found", {"Content-Type": "text/plain"})
            return
        if length < 0 or length > MAX_BODY:  # Slack's payloads are far smaller: not read at all
            self.close_connection = True
            self._send(413 if length > MAX_BODY else 400, b'{"error": "bad request"}',
                       {"Content-Type": "application/json"})
            return
        try:
            raw = self.rfile.read(length) if length else b""
        except OSError:  # the body did not arrive within READ_TIMEOUT_S (or the client went away)
            self.close_connection = True
            return
        if len(raw) < length:  # the client closed before sending what it announced
            self.close_connection = True
            return
        headers: dict[str, list[str]] = {}
        for key, value in self.headers.items():
            headers.setdefault(key.lower(), []).append(value)
        timestamp = (headers.get("x-slack-request-timestamp") or [""])[0]
        if not timestamp.isdigit() or not self.server.signed(raw, timestamp, headers):
            # unsigned senders learn nothing about what the body would have done (and fill no log)
            self._send(401, b'{"error": "invalid request"}', {"Content-Type": "application/json"})
            return
        try:  # Bolt parses the body before it checks the signature
            request = BoltRequest(body=raw.decode("utf-8"), query=url.query, headers=headers)
            problem = _malformed(request.body)
        except Exception as exc:  # not UTF-8, or a payload that is not a JSON object
            problem = exc.__class__.__name__
        if problem:
            log.warning("unreadable Slack request body refused (%s)", problem)
            self._send(400, b'{"error": "bad request"}', {"Content-Type": "application/json"})
            return
        resp = self.server.app.dispatch(request)
        out_headers = {k: v for k, v in resp.headers.items() if k.lower() != "content-length"}
        self._send(resp.status, (resp.body or "").encode("utf-8"), out_headers)


def _malformed(body: Any) -> str | None:
    """What makes a parsed body unusable by Bolt's listeners (an ``event`` or ``actions`` of the wrong shape)."""
    if not isinstance(body, dict):
        return "not an object"
    if "event" in body and not isinstance(body["event"], dict):
        return "event is not an object"
    actions = body.get("actions")
    if actions is not None and not (isinstance(actions, list) and all(isinstance(a, dict) for a in actions)):
        return "actions is not a list of objects"
    if body.get("type") == "block_actions" and not actions:
        return "block_actions without actions"
    if "view" in body and not (isinstance(body["view"], dict) and isinstance(body["view"].get("type"), str)):
        return "view is not an object with a type"
    return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # a burst of connections waits to be accepted instead of being reset (default 5)

    def __init__(self, address: tuple[str, int], app: App | None, health: Callable[[], dict],
                 signing_secret: str | None = None):
        super().__init__(address, _Handler)
        self.app = app
        self.health = health
        self._verifier = SignatureVerifier(signing_secret) if signing_secret else None

    def signed(self, raw: bytes, timestamp: str, headers: dict[str, list[str]]) -> bool:
        """Whether the request carries a valid, fresh Slack signature (checked again by Bolt); True when no
        secret was given here (Bolt alone checks)."""
        if self._verifier is None:
            return True
        signature = (headers.get("x-slack-signature") or [""])[0]
        return self._verifier.is_valid(raw, timestamp, signature)


class SlackHttpServer:
    """``POST /slack/events`` through ``app.dispatch`` (signature verified by Bolt) and ``GET /healthz``.

    With ``app=None`` it serves only the health endpoint (Socket Mode's side car)."""

    def __init__(self, app: App | None, host: str = "0.0.0.0", port: int = 3000,
                 health: Callable[[], dict] | None = None, signing_secret: str | None = None):
        started = time.time()
        mode = "http" if app is not None else "socket"
        self._server = _Server((host, port), app, health or (lambda: {"ok": True, "mode": mode,
                                                                    "uptime_s": round(time.time() - started)}),
                               signing_secret)
        self._thread: threading.Thread | None = None
        self._served = False  # serve_forever ran (or runs): only then does shutdown() return

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> "SlackHttpServer":
        self._served = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.2,), name="slack-http",
                                        daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._served = True
        self._server.serve_forever(0.5)

    def stop(self) -> None:
        """Stop serving and close the socket; a server that never served is just closed (its shutdown()
        would wait for a serve loop forever)."""
        if self._served:
            self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


def connect_socket_mode(app: App, app_token: str, wait_seconds: float = 10.0) -> SocketModeHandler:
    """Open the Socket Mode connection; raise SocketModeFailure (never silent) when it does not come up."""
    handler = SocketModeHandler(app, app_token, web_client=app.client)
    try:
        handler.connect()
    except SlackApiError as exc:
        raise SocketModeFailure(f"Socket Mode connection refused by Slack: {exc.response.get('error')} "
                                "(check SLACK_APP_TOKEN: an xapp- token with connections:write)") from None
    except Exception as exc:
        raise SocketModeFailure(f"Socket Mode connection failed: {exc.__class__.__name__}: {exc}") from None
    deadline = time.monotonic() + wait_seconds
    while not handler.client.is_connected():
        if time.monotonic() > deadline:
            handler.close()
            raise SocketModeFailure(f"Socket Mode connection not established within {wait_seconds:.0f}s")
        time.sleep(0.1)
    return handler
