"""WebClient construction (retry handlers, base URL override) and the Poster implementation."""
from __future__ import annotations

import logging
import threading
import time
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (ConnectionErrorRetryHandler, RateLimitErrorRetryHandler,
                                                   ServerErrorRetryHandler)

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://slack.com/api/"
GROUP_CACHE_SECONDS = 60.0


def build_web_client(token: str | None, base_url: str | None = None, max_retries: int = 3,
                     timeout: int = 10) -> WebClient:
    """A WebClient that retries 429 (honouring Retry-After), 5xx and connection errors."""
    base = base_url or DEFAULT_BASE_URL
    if not base.endswith("/"):
        base += "/"
    handlers = [RateLimitErrorRetryHandler(max_retry_count=max_retries),
                ServerErrorRetryHandler(max_retry_count=max_retries),
                ConnectionErrorRetryHandler(max_retry_count=max_retries)]
    return WebClient(token=token, base_url=base, timeout=timeout, retry_handlers=handlers)


class SlackPoster:
    """Implements :class:`bot.slack_service.Poster` on a WebClient. Errors are logged, never raised to callers
    for best-effort calls (ephemeral, permalink); posts and updates raise so the caller can report them."""

    def __init__(self, client: WebClient):
        self.client = client
        self._groups: dict[str, tuple[float, list[str]]] = {}
        self._names: dict[str, str] = {}
        self._lock = threading.Lock()

    def post(self, channel: str, text: str, blocks: list[dict] | None = None,
             thread_ts: str | None = None) -> str:
        resp = self.client.chat_postMessage(channel=channel, text=text, blocks=blocks, thread_ts=thread_ts,
                                            unfurl_links=False, unfurl_media=False)
        return str(resp["ts"])

    def update(self, channel: str, ts: str, text: str, blocks: list[dict] | None = None) -> None:
        self.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks or [])

    def ephemeral(self, channel: str, user: str, text: str, blocks: list[dict] | None = None,
                  thread_ts: str | None = None) -> None:
        try:
            self.client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=blocks,
                                           thread_ts=thread_ts)
        except SlackApiError as exc:
            log.warning("chat.postEphemeral failed: %s", exc.response.get("error"))

    def permalink(self, channel: str, ts: str) -> str | None:
        try:
            return str(self.client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])
        except SlackApiError as exc:
            log.warning("chat.getPermalink failed: %s", exc.response.get("error"))
            return None

    def usergroup_members(self, group_id: str) -> list[str]:
        with self._lock:
            cached = self._groups.get(group_id)
        if cached and time.monotonic() - cached[0] < GROUP_CACHE_SECONDS:
            return cached[1]
        try:
            users = list(self.client.usergroups_users_list(usergroup=group_id)["users"])
        except SlackApiError as exc:
            log.warning("usergroups.users.list %s failed: %s", group_id, exc.response.get("error"))
            return []
        with self._lock:
            self._groups[group_id] = (time.monotonic(), users)
        return users

    def user_name(self, user_id: str) -> str:
        with self._lock:
            if user_id in self._names:
                return self._names[user_id]
        try:
            user: dict[str, Any] = self.client.users_info(user=user_id)["user"]
            profile = user.get("profile") or {}
            name = profile.get("display_name") or user.get("name") or user_id
        except SlackApiError as exc:
            log.warning("users.info failed: %s", exc.response.get("error"))
            return user_id
        with self._lock:
            self._names[user_id] = name
        return name
