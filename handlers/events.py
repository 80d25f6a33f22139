"""Event listeners: an @mention answers with the usage, in a thread."""
from __future__ import annotations

from typing import Any, Callable

from .commands import usage_text


def on_mention(event: dict, say: Callable[..., Any]) -> None:
    if not event.get("channel"):  # nowhere to answer
        return
    say(text=usage_text(), thread_ts=event.get("thread_ts") or event.get("ts"))
