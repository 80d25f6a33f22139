"""Recording stub of the Slack Web API (plus response_url and file-upload targets).

Runs a stdlib ThreadingHTTPServer on 127.0.0.1 in a background thread. Point the
real ``slack_sdk.WebClient(base_url=stub.base_url)`` at it, then assert on
``stub.calls(...)``. Faults (429/5xx/slow/``ok: false``) are injected per method.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any, Callable, TypeVar
from urllib.parse import parse_qs, unquote, urlsplit

from . import _BackgroundServer, _BaseHandler, wait_for

T = TypeVar("T")

# Form fields that slack_sdk JSON-encodes into strings; decoded when recorded.
JSON_FIELDS = frozenset(
    {"blocks", "attachments", "files", "metadata", "view", "unfurls", "user_auth_blocks", "channels_data"}
)
UPLOAD_METHOD = "file_upload"


@dataclass(frozen=True)
class SlackCall:
    """One recorded HTTP call. ``headers`` keys are lower-case; ``status``/``response`` is what the stub sent."""

    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    time: float
    status: int = 200
    response: Any = None

    @property
    def ok(self) -> bool:
        return self.status == 200 and isinstance(self.response, dict) and self.response.get("ok") is True


@dataclass
class _Fault:
    status: int | None
    retry_after: float | None
    delay: float
    error: str | None
    remaining: int


def _parse_multipart(body: bytes, content_type: str) -> dict[str, Any]:
    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            fields[name] = {"filename": filename, "length": len(payload)}
        else:
            fields[name] = payload.decode("utf-8", "replace")
    return fields


def _parse_params(query: str, body: bytes, content_type: str) -> dict[str, Any]:
    params: dict[str, Any] = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
    if body:
        if content_type.startswith("application/json"):
            decoded = json.loads(body)
            params.update(decoded if isinstance(decoded, dict) else {"_json": decoded})
        elif content_type.startswith("multipart/form-data"):
            params.update(_parse_multipart(body, content_type))
        else:
            params.update({k: v[-1] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()})
    for key in JSON_FIELDS & params.keys():
        if isinstance(params[key], str):
            try:
                params[key] = json.loads(params[key])
            except ValueError:
                pass
    return params


class _SlackHandler(_BaseHandler):
    def do_GET(self) -> None:
        self._dispatch(b"")

    def do_POST(self) -> None:
        self._dispatch(self.read_body())

    def _dispatch(self, body: bytes) -> None:
        stub: SlackApiStub = self.server.owner
        url = urlsplit(self.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        path = unquote(url.path)
        if path.startswith("/api/"):
            method = path[len("/api/"):]
            params = _parse_params(url.query, body, headers.get("content-type", ""))
        elif path.startswith("/response/"):
            method = "response_url:" + path[len("/response/"):]
            params = _parse_params(url.query, body, headers.get("content-type", ""))
        elif path.startswith("/upload/"):
            method = UPLOAD_METHOD
            params = stub._record_upload(path[len("/upload/"):], body)
        else:
            self.reply_json(404, {"ok": False, "error": "unknown_path"})
            return
        status, payload, extra = stub._respond(method, params)
        stub._record(SlackCall(method, params, headers, time.time(), status, payload))
        if isinstance(payload, str):
            self.reply(status, payload.encode(), "text/plain; charset=utf-8", extra)
        else:
            self.reply_json(status, payload, extra)


class SlackApiStub(_BackgroundServer):
    """Recording Slack Web API server. Use as ``with SlackApiStub() as slack: ...``."""

    handler = _SlackHandler

    def __init__(
        self,
        *,
        team_id: str = "T0STUB001",
        team: str = "Stub Workspace",
        bot_user_id: str = "U0BOT0001",
        bot_id: str = "B0BOT0001",
        bot_name: str = "aiops-bot",
    ) -> None:
        super().__init__()
        self.team_id, self.team, self.bot_user_id, self.bot_id, self.bot_name = (
            team_id, team, bot_user_id, bot_id, bot_name)
        self._calls: list[SlackCall] = []
        self._faults: dict[str, list[_Fault]] = {}
        self._usergroups: dict[str, list[str]] = {}
        self._users: dict[str, dict[str, Any]] = {}
        self._channels: dict[str, dict[str, Any]] = {}
        self._pending_files: dict[str, dict[str, Any]] = {}
        self.uploads: dict[str, bytes] = {}  # file_id -> uploaded bytes
        self._counter = 0

    # ----------------------------------------------------------------- public API
    @property
    def base_url(self) -> str:
        """Web API base for ``WebClient(base_url=...)`` (ends with ``/api/``)."""
        return f"{self.root_url}/api/"

    def __enter__(self) -> "SlackApiStub":
        self.start()
        return self

    def calls(self, method: str | None = None, *, ok: bool | None = None) -> list[SlackCall]:
        """Recorded calls in arrival order, optionally filtered by method and by success."""
        with self._lock:
            found = [c for c in self._calls if method is None or c.method == method]
        return [c for c in found if ok is None or c.ok == ok]

    def reset(self) -> None:
        """Forget recorded calls, pending faults and uploads (configured users/groups stay)."""
        with self._lock:
            self._calls.clear()
            self._faults.clear()
            self.uploads.clear()
            self._pending_files.clear()

    def wait_for(self, predicate: Callable[[list[SlackCall]], T], timeout: float = 5.0) -> T:
        """Poll ``predicate(all_calls)`` until truthy; returns its value."""
        return wait_for(lambda: predicate(self.calls()), timeout)

    def wait_for_call(self, method: str, count: int = 1, timeout: float = 5.0) -> list[SlackCall]:
        """Wait until at least ``count`` calls of ``method`` were recorded; returns them."""
        def enough() -> list[SlackCall]:
            found = self.calls(method)
            return found if len(found) >= count else []

        return wait_for(enough, timeout)

    def fail_next(
        self,
        method: str,
        status: int | None = None,
        retry_after: float | None = 1,
        times: int = 1,
        *,
        delay: float = 0.0,
        error: str | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` ("*" = any) misbehave.

        - ``error="channel_not_found"``: HTTP 200 ``{"ok": false, "error": ...}``;
        - ``status=429`` (the default when neither error nor delay is given): ``Retry-After`` header;
        - ``status=500/503``: server error;
        - ``delay=s``: sleep before answering (normally, unless status/error is also given).
        """
        if status is None and error is None and not delay:
            status = 429
        with self._lock:
            self._faults.setdefault(method, []).append(_Fault(status, retry_after, delay, error, times))

    def set_usergroup(self, usergroup_id: str, user_ids: list[str]) -> None:
        with self._lock:
            self._usergroups[usergroup_id] = list(user_ids)

    def set_user(self, user_id: str, *, name: str | None = None, real_name: str | None = None,
                 display_name: str | None = None, **extra: Any) -> None:
        with self._lock:
            self._users[user_id] = {"name": name, "real_name": real_name, "display_name": display_name, **extra}

    def set_channel(self, channel_id: str, *, name: str | None = None, **extra: Any) -> None:
        with self._lock:
            self._channels[channel_id] = {"name": name or f"chan-{channel_id.lower()}", **extra}

    def response_url(self, name: str) -> str:
        """A URL on the stub usable as a Slack ``response_url``; calls are recorded as ``response_url:<name>``."""
        return f"{self.root_url}/response/{name}"

    def messages(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Params of successful chat.postMessage calls (optionally for one channel)."""
        return [c.params for c in self.calls("chat.postMessage", ok=True)
                if channel is None or c.params.get("channel") == channel]

    # ------------------------------------------------------------------ internals
    def _record(self, call: SlackCall) -> None:
        with self._lock:
            self._calls.append(call)

    def _next_ts(self) -> str:
        with self._lock:
            self._counter += 1
            n = self._counter
        return f"{1732500000 + n // 10000}.{(n % 10000) * 100:06d}"

    def _take_fault(self, method: str) -> _Fault | None:
        with self._lock:
            for key in (method, "*"):
                queue = self._faults.get(key)
                if queue:
                    fault = queue[0]
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        queue.pop(0)
                    return fault
        return None

    def _respond(self, method: str, params: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        fault = self._take_fault(method)
        if fault is not None:
            self.sleep(fault.delay)
            if fault.error is not None:
                return fault.status or 200, {"ok": False, "error": fault.error}, {}
            if fault.status == 429:
                headers = {} if fault.retry_after is None else {"Retry-After": str(int(fault.retry_after))}
                return 429, {"ok": False, "error": "ratelimited"}, headers
            if fault.status is not None:
                return fault.status, {"ok": False, "error": "fatal_error"}, {}
        if method.startswith("response_url:"):
            return 200, {"ok": True}, {}
        if method == UPLOAD_METHOD:
            return 200, f"OK - {params.get('length', 0)}", {}
        builder = getattr(self, "_m_" + method.replace(".", "_"), None)
        return 200, builder(params) if builder else {"ok": True}, {}

    def _record_upload(self, file_id: str, body: bytes) -> dict[str, Any]:
        with self._lock:
            self.uploads[file_id] = body
            pending = self._pending_files.get(file_id, {})
        return {"file_id": file_id, "filename": pending.get("filename"), "length": len(body),
                "declared_length": pending.get("length")}

    def _user(self, user_id: str) -> dict[str, Any]:
        with self._lock:
            conf = dict(self._users.get(user_id, {}))
        name = conf.pop("name", None) or f"user-{user_id.lower()}"
        real_name = conf.pop("real_name", None) or name.replace("-", " ").title()
        display = conf.pop("display_name", None) or name
        profile = {"real_name": real_name, "display_name": display, "email": f"{name}@example.com"}
        return {"id": user_id, "team_id": self.team_id, "name": name, "real_name": real_name, "deleted": False,
                "is_bot": False, "tz": "UTC", "profile": profile, **conf}

    # Method builders: `_m_<method with dots as underscores>(params) -> response dict`.
    def _m_auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": f"https://{self.team_id.lower()}.slack.com/", "team": self.team,
                "user": self.bot_name, "team_id": self.team_id, "user_id": self.bot_user_id,
                "bot_id": self.bot_id, "is_enterprise_install": False}

    def _message(self, params: dict[str, Any], ts: str) -> dict[str, Any]:
        message = {"type": "message", "subtype": "bot_message", "user": self.bot_user_id, "bot_id": self.bot_id,
                   "team": self.team_id, "text": params.get("text", ""), "ts": ts}
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if key in params:
                message[key] = params[key]
        return message

    def _m_chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        ts = self._next_ts()
        return {"ok": True, "channel": params.get("channel"), "ts": ts, "message": self._message(params, ts)}

    def _m_chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        ts = params.get("ts")
        return {"ok": True, "channel": params.get("channel"), "ts": ts, "text": params.get("text", ""),
                "message": self._message(params, str(ts))}

    def _m_chat_postEphemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "message_ts": self._next_ts()}

    def _m_chat_getPermalink(self, params: dict[str, Any]) -> dict[str, Any]:
        channel, ts = params.get("channel", ""), str(params.get("message_ts", ""))
        return {"ok": True, "channel": channel,
                "permalink": f"https://{self.team_id.lower()}.slack.com/archives/{channel}/p{ts.replace('.', '')}"}

    def _m_users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "user": self._user(str(params.get("user", "")))}

    def _m_usergroups_users_list(self, params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            users = self._usergroups.get(str(params.get("usergroup")))
        if users is None:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": list(users)}

    def _m_conversations_info(self, params: dict[str, Any]) -> dict[str, Any]:
        channel_id = str(params.get("channel", ""))
        with self._lock:
            conf = dict(self._channels.get(channel_id) or {"name": f"chan-{channel_id.lower()}"})
        channel = {"id": channel_id, "name": conf.pop("name"), "is_channel": True, "is_private": False,
                   "is_archived": False, "is_member": True, "created": 1732400000,
                   "topic": {"value": "", "creator": "", "last_set": 0},
                   "purpose": {"value": "", "creator": "", "last_set": 0}, **conf}
        return {"ok": True, "channel": channel}

    def _m_files_getUploadURLExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self._counter += 1
            file_id = f"F0STUB{self._counter:05d}"
            self._pending_files[file_id] = {"filename": params.get("filename"), "length": params.get("length")}
        return {"ok": True, "upload_url": f"{self.root_url}/upload/{file_id}", "file_id": file_id}

    def _m_files_completeUploadExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        files = []
        for item in params.get("files") or []:
            file_id = item.get("id")
            with self._lock:
                name = self._pending_files.get(file_id, {}).get("filename") or file_id
                size = len(self.uploads.get(file_id, b""))
            files.append({"id": file_id, "name": name, "title": item.get("title") or name, "size": size,
                          "mimetype": "text/plain", "user": self.bot_user_id,
                          "permalink": f"https://{self.team_id.lower()}.slack.com/files/{self.bot_user_id}/{file_id}"})
        return {"ok": True, "files": files}
