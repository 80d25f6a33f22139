"""Bolt app construction: signature verification on, our WebClient, a global error handler with error ids."""
from __future__ import annotations

import logging
import secrets
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient

from handlers.blocks import internal_error

log = logging.getLogger(__name__)

LISTENER_THREADS = 16


def _on_error(error: Exception, body: dict, response: BoltResponse | None, respond: Any) -> BoltResponse | None:
    """Log with an error id; the user sees a short message naming that id, never a stack trace."""
    error_id = secrets.token_hex(4)
    log.error("listener error %s (%s)", error_id, error.__class__.__name__, exc_info=error)
    text = internal_error(error_id)
    is_command = isinstance(body, dict) and "command" in body
    if response is not None and is_command:
        return BoltResponse(status=200, body={"response_type": "ephemeral", "text": text})
    if isinstance(body, dict) and body.get("response_url"):
        try:
            respond(text=text, response_type="ephemeral", replace_original=False)
        except Exception:  # the error report itself must never raise
            log.warning("could not tell the user about error %s", error_id)
    if response is not None:
        return BoltResponse(status=200, body="")
    return None


class RedeliveredEvents:
    """Global middleware: an Events API delivery whose ``event_id`` was already handled (Slack retries when
    an ack is late or lost) is acknowledged and dropped, so a mention is not answered twice."""

    def __init__(self, remember: int = 2048):
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._remember = remember
        self._lock = threading.Lock()

    def __call__(self, body: dict, next: Callable[[], Any]) -> BoltResponse | None:  # noqa: A002 - Bolt's name
        event_id = body.get("event_id") if isinstance(body, dict) and body.get("type") == "event_callback" else None
        if event_id:
            with self._lock:
                if event_id in self._seen:
                    log.info("event %s delivered again; already handled", event_id)
                    return BoltResponse(status=200, body="")
                self._seen[event_id] = None
                if len(self._seen) > self._remember:
                    self._seen.popitem(last=False)
        return next()


def _drop_unused_token_warning(record: logging.LogRecord) -> bool:
    return "token` will be unused" not in record.getMessage()


def build_app(services: Any, client: WebClient, signing_secret: str | None,
              token_verification: bool = True, listener_threads: int = LISTENER_THREADS) -> App:
    """The Bolt app with every listener from :mod:`handlers` registered."""
    from handlers import register

    # the client already carries the token; Bolt also reads SLACK_BOT_TOKEN and would warn that it is unused
    logging.getLogger("slack_bolt.App").addFilter(_drop_unused_token_warning)
    app = App(client=client, signing_secret=signing_secret or "", request_verification_enabled=True,
              token_verification_enabled=token_verification, process_before_response=False,
              listener_executor=ThreadPoolExecutor(max_workers=listener_threads, thread_name_prefix="bolt"))
    app.error(_on_error)
    app.use(RedeliveredEvents())
    register(app, services)
    return app
