"""Recording stub of the Anthropic Messages API (``POST /v1/messages`` and ``/v1/messages/count_tokens``).

Point the real client at it: ``anthropic.Anthropic(api_key="test", base_url=stub.base_url)``.
Responses are scripted through a FIFO queue (tool_use, text, HTTP errors, delays); when
the queue is empty a default text answer is returned. ``"stream": true`` is answered as SSE.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from . import _BackgroundServer, _BaseHandler, wait_for

ERROR_TYPES: dict[int, str] = {
    400: "invalid_request_error", 401: "authentication_error", 402: "billing_error", 403: "permission_error",
    404: "not_found_error", 413: "request_too_large", 429: "rate_limit_error", 500: "api_error",
    504: "timeout_error", 529: "overloaded_error",
}


def error_body(status: int, message: str | None = None, error_type: str | None = None) -> dict[str, Any]:
    """An error payload in the API's documented shape."""
    kind = error_type or ERROR_TYPES.get(status, "api_error")
    return {"type": "error", "error": {"type": kind, "message": message or kind.replace("_", " ").capitalize()},
            "request_id": f"req_stub_{status}"}


@dataclass(frozen=True)
class MessagesCall:
    """One recorded request: parsed JSON ``body``, lower-cased ``headers`` and the ``raw`` bytes."""

    body: dict[str, Any]
    headers: dict[str, str]
    raw: bytes
    path: str = "/v1/messages"
    status: int = 200
    time: float = field(default_factory=time.time)

    @property
    def api_key(self) -> str | None:
        """The key sent as ``x-api-key`` or ``Authorization: Bearer`` (SDK versions differ)."""
        bearer = self.headers.get("authorization", "")
        return self.headers.get("x-api-key") or (bearer[7:] if bearer.lower().startswith("bearer ") else None)


@dataclass(frozen=True)
class _Scripted:
    """A queued answer: a message ``content`` list, or an HTTP error, possibly after a delay."""

    content: list[dict[str, Any]] | None = None
    stop_reason: str = "end_turn"
    usage: tuple[int, int] | None = None
    status: int = 200
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class _MessagesHandler(_BaseHandler):
    def do_POST(self) -> None:
        stub: MessagesApiStub = self.server.owner
        raw = self.read_body()
        headers = {k.lower(): v for k, v in self.headers.items()}
        path = self.path.split("?", 1)[0]
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = {}
        status, payload, extra = stub._answer(path, body, headers, raw)
        stub._record(MessagesCall(body, headers, raw, path, status))
        extra = {"request-id": f"req_stub_{int(time.time() * 1000)}", **extra}
        if isinstance(payload, bytes):
            self.reply(status, payload, "text/event-stream; charset=utf-8", extra)
        else:
            self.reply_json(status, payload, extra)


class MessagesApiStub(_BackgroundServer):
    """Scriptable Messages API server. Use as ``with MessagesApiStub() as llm: ...``."""

    handler = _MessagesHandler

    def __init__(self, *, default_text: str = "Stub answer: nothing to report.") -> None:
        super().__init__()
        self.default_text = default_text
        self._queue: list[_Scripted] = []
        self._calls: list[MessagesCall] = []
        self._ids = 0

    @property
    def base_url(self) -> str:
        """Root URL for ``anthropic.Anthropic(base_url=...)`` (no trailing ``/v1``)."""
        return self.root_url

    def __enter__(self) -> "MessagesApiStub":
        self.start()
        return self

    # ------------------------------------------------------------------ scripting
    def enqueue_message(self, content: list[dict[str, Any]], stop_reason: str = "end_turn",
                        usage: tuple[int, int] | None = None, *, delay: float = 0.0) -> None:
        """Queue a 200 answer with arbitrary content blocks. ``usage`` = (input_tokens, output_tokens)."""
        self._push(_Scripted(content=content, stop_reason=stop_reason, usage=usage, delay=delay))

    def enqueue_text(self, text: str, usage: tuple[int, int] | None = None, *, delay: float = 0.0) -> None:
        self.enqueue_message([{"type": "text", "text": text}], "end_turn", usage, delay=delay)

    def enqueue_tool_use(self, name: str, input: dict[str, Any], usage: tuple[int, int] = (120, 40), *,
                         text: str | None = None, tool_id: str | None = None, delay: float = 0.0) -> str:
        """Queue a ``stop_reason="tool_use"`` answer (optionally preceded by a text block); returns the tool id."""
        tool_id = tool_id or self._new_id("toolu_01")
        block = {"type": "tool_use", "id": tool_id, "name": name, "input": input}
        content = ([{"type": "text", "text": text}] if text else []) + [block]
        self.enqueue_message(content, "tool_use", usage, delay=delay)
        return tool_id

    def enqueue_status(self, status: int, body: dict[str, Any] | None = None, *, retry_after: float | None = None,
                       headers: dict[str, str] | None = None, delay: float = 0.0) -> None:
        """Queue an HTTP error (default body by status, e.g. 529 -> overloaded_error).

        ``retry_after`` sets ``retry-after`` and ``retry-after-ms``; the SDK treats 0 as "unset" and backs
        off >= 0.5 s, so 0 is sent as 1 ms to keep retries instant.
        """
        extra = dict(headers or {})
        if retry_after is not None:
            extra.setdefault("retry-after", str(int(retry_after)))
            extra.setdefault("retry-after-ms", str(max(1, int(retry_after * 1000))))
        self._push(_Scripted(status=status, body=body or error_body(status), headers=extra, delay=delay))

    def enqueue_delay(self, seconds: float) -> None:
        """The next request sleeps ``seconds`` then gets the default answer (use to trigger client timeouts)."""
        self._push(_Scripted(content=None, delay=seconds))

    def pending(self) -> int:
        """Number of scripted answers not consumed yet."""
        with self._lock:
            return len(self._queue)

    # ------------------------------------------------------------------ inspection
    def calls(self, path: str | None = "/v1/messages") -> list[MessagesCall]:
        """Recorded requests for ``path`` (default: message creation; ``None`` = every path)."""
        with self._lock:
            return [c for c in self._calls if path is None or c.path == path]

    def reset(self) -> None:
        with self._lock:
            self._calls.clear()
            self._queue.clear()

    def wait_for_calls(self, count: int = 1, timeout: float = 5.0) -> list[MessagesCall]:
        def enough() -> list[MessagesCall]:
            found = self.calls()
            return found if len(found) >= count else []

        return wait_for(enough, timeout)

    # ------------------------------------------------------------------ internals
    def _push(self, item: _Scripted) -> None:
        with self._lock:
            self._queue.append(item)

    def _record(self, call: MessagesCall) -> None:
        with self._lock:
            self._calls.append(call)

    def _new_id(self, prefix: str) -> str:
        with self._lock:
            self._ids += 1
            return f"{prefix}stub{self._ids:018d}"

    def _answer(self, path: str, body: dict[str, Any], headers: dict[str, str],
                raw: bytes) -> tuple[int, Any, dict[str, str]]:
        if path not in ("/v1/messages", "/v1/messages/count_tokens"):
            return 404, error_body(404, f"Unknown path {path}"), {}
        if not (headers.get("x-api-key") or headers.get("authorization")):
            return 401, error_body(401, "x-api-key header is required"), {}
        if not isinstance(body, dict) or not body.get("messages") or not body.get("model"):
            return 400, error_body(400, "model and messages are required"), {}
        if path.endswith("/count_tokens"):
            return 200, {"input_tokens": len(json.dumps(body)) // 4}, {}
        if "max_tokens" not in body:
            return 400, error_body(400, "max_tokens: Field required"), {}
        with self._lock:
            item = self._queue.pop(0) if self._queue else _Scripted()
        self.sleep(item.delay)
        if item.status != 200:
            return item.status, item.body, dict(item.headers)
        content = item.content or [{"type": "text", "text": self.default_text}]
        in_tokens, out_tokens = item.usage or (max(1, len(raw) // 4), max(1, len(json.dumps(content)) // 4))
        message = {"id": self._new_id("msg_01"), "type": "message", "role": "assistant",
                   "model": body.get("model"), "content": content, "stop_reason": item.stop_reason,
                   "stop_sequence": None, "usage": {"input_tokens": in_tokens, "output_tokens": out_tokens}}
        if body.get("stream"):
            return 200, _sse(message), {}
        return 200, message, {}


def _sse(message: dict[str, Any]) -> bytes:
    """Render a complete message as the Messages streaming event sequence."""
    events: list[tuple[str, dict[str, Any]]] = []
    usage = message["usage"]
    start = {**message, "content": [], "stop_reason": None,
             "usage": {"input_tokens": usage["input_tokens"], "output_tokens": 1}}
    events.append(("message_start", {"type": "message_start", "message": start}))
    for index, block in enumerate(message["content"]):
        if block["type"] == "text":
            opened, delta = {"type": "text", "text": ""}, {"type": "text_delta", "text": block["text"]}
        elif block["type"] == "tool_use":
            opened = {**block, "input": {}}
            delta = {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}
        else:
            opened, delta = block, None
        events.append(("content_block_start", {"type": "content_block_start", "index": index,
                                                "content_block": opened}))
        if delta is not None:
            events.append(("content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta}))
        events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
    events.append(("message_delta", {"type": "message_delta",
                                      "delta": {"stop_reason": message["stop_reason"], "stop_sequence": None},
                                      "usage": {"output_tokens": usage["output_tokens"]}}))
    events.append(("message_stop", {"type": "message_stop"}))
    return "".join(f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events).encode()
