"""The watch loop: an APScheduler 3.x BackgroundScheduler job that polls incidents and hands them on.

One job, ``coalesce=True`` and ``max_instances=1`` (a slow poll never overlaps
the next), with jitter; the first run is immediate. A failing poll is logged and
skipped: it never resolves incidents it could not see.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Callable, Sequence

from apscheduler.schedulers.background import BackgroundScheduler

log = logging.getLogger(__name__)

JOB_ID = "poll-incidents"


def poll_once(poll_incidents: Callable[[], Sequence[Any]], on_incidents: Callable[[Sequence[Any]], Any]) -> bool:
    """One poll; True when it succeeded end to end."""
    try:
        incidents = poll_incidents()
    except Exception:
        log.exception("incident poll failed; skipped (nothing resolved)")
        return False
    try:
        on_incidents(incidents)
    except Exception:
        log.exception("posting %d incidents failed", len(incidents))
        return False
    return True


def build_scheduler(poll_incidents: Callable[[], Sequence[Any]], on_incidents: Callable[[Sequence[Any]], Any],
                    interval_seconds: int, jitter_seconds: int = 0, start_now: bool = True) -> BackgroundScheduler:
    """A not-yet-started scheduler with the poll job; call ``.start()`` / ``.shutdown()``."""
    scheduler = BackgroundScheduler(timezone=timezone.utc)
    first_run = {"next_run_time": datetime.now(timezone.utc)} if start_now else {}  # None would pause the job
    scheduler.add_job(poll_once, "interval", seconds=interval_seconds, jitter=jitter_seconds or None,
                      args=(poll_incidents, on_incidents), id=JOB_ID, coalesce=True, max_instances=1,
                      misfire_grace_time=interval_seconds, **first_run)
    return scheduler
