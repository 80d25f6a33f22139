"""An investigation's progress message in its Slack thread: posted at the first step, edited as steps go,
but at most every ``EDIT_SECONDS`` (``chat.update`` is rate limited, and several investigations share the
limit), with the last state always shown before the findings. Progress is cosmetic: a failed post or edit
is logged in one line and never stops the investigation."""
from __future__ import annotations

import logging
import time
from typing import Any, Callable

from handlers import blocks as ui

log = logging.getLogger(__name__)

EDIT_SECONDS = 2.0


class ProgressMessage:
    """Feed :meth:`step` with the engine's progress callbacks; call :meth:`flush` when the run ends."""

    def __init__(self, poster: Any, channel: str, thread: str | None, inv_id: str,
                 clock: Callable[[], float] = time.monotonic, edit_seconds: float = EDIT_SECONDS,
                 quiet: Callable[[], bool] = lambda: False, ts: str | None = None,
                 on_posted: Callable[[str], None] = lambda ts: None):
        """``quiet()``: true while the bot shuts down (no Slack calls then: they could outlast the grace period);
        ``ts``: the message to edit (a resumed run's), else one is posted and given to ``on_posted``."""
        self._poster, self._channel, self._thread, self._inv_id = poster, channel, thread, inv_id
        self._clock, self._edit_seconds = clock, edit_seconds
        self._quiet, self._on_posted = quiet, on_posted
        self._steps: dict[str, tuple[str, str, str]] = {}
        self._ts: str | None = ts
        self._shown: str | None = None
        self._shown_at = float("-inf")

    def step(self, step: str, status: str, message: str) -> None:
        label = self._steps.get(step, (step, status, message))[2] if status != "started" else message
        self._steps[step] = (step, status, label)
        if self._clock() - self._shown_at >= self._edit_seconds:
            self.flush()

    def flush(self) -> None:
        """Show the latest state now, if it is not what the message already shows."""
        if not self._steps or self._quiet():
            return
        text = ui.progress_text(list(self._steps.values()))
        if text == self._shown:
            return
        try:
            if self._ts is None:
                self._ts = self._poster.post(self._channel, text, [ui.section(text)], thread_ts=self._thread)
                self._on_posted(self._ts)
            else:
                self._poster.update(self._channel, self._ts, text, [ui.section(text)])
        except Exception as exc:
            log.warning("progress message of %s not updated (%s: %s)", self._inv_id, exc.__class__.__name__,
                        str(exc)[:200])
            return
        self._shown, self._shown_at = text, self._clock()
