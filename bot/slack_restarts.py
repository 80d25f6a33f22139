"""What a restarted ``serve`` picks up: the sandbox clock that lets interrupted sandbox investigations resume on
the data they started on (the resuming itself is :meth:`bot.slack_service.SlackService.resume_interrupted`), and
open alert incidents keep their messages."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

from bot.store import Store

RESUME_WITHIN_HOURS = 24  # on start-up, interrupted Slack investigations younger than this resume in their thread


def unfinished_slack_runs(store: Store, within_hours: float = RESUME_WITHIN_HOURS) -> Iterator[dict[str, Any]]:
    """The investigations started from Slack (their ``params["slack"]`` says where they post) in the last
    ``within_hours`` that did not finish (``interrupted`` or ``running``), newest first, as full records."""
    since = datetime.now(timezone.utc) - timedelta(hours=within_hours)
    for row in store.list_investigations(limit=200, since=since, statuses=("interrupted", "running")):
        record = store.get_investigation(row["id"])
        where = ((record or {}).get("params") or {}).get("slack")
        if record is not None and isinstance(where, dict) and where.get("channel"):
            yield record


def resume_clock(store: Store, scenario: str | None, within_hours: float = RESUME_WITHIN_HOURS) -> datetime | None:
    """The clock a restarted ``serve --scenario`` loads its sandbox on: that of the newest unfinished Slack
    investigation of the last ``within_hours`` on the same scenario file, so that resuming it reads the data
    it started on (None: no such run, load at now)."""
    if not scenario:
        return None
    path = str(Path(scenario).resolve())
    for record in unfinished_slack_runs(store, within_hours):
        params = record["params"]
        if params.get("scenario") == path and params.get("scenario_loaded_at"):
            try:
                return datetime.fromisoformat(params["scenario_loaded_at"])
            except (TypeError, ValueError):
                continue
    return alerts_clock(store, path, within_hours)


def alerts_clock(store: Store, path: str, within_hours: float = RESUME_WITHIN_HOURS) -> datetime | None:
    """The clock a watching ``serve`` last loaded scenario ``path`` on, when alert incidents are still open in
    Slack and that was within ``within_hours``: on it, the restarted poll finds the same alarms and anomalies
    (the same incident keys) and edits their messages instead of posting them again."""
    known = store.sandbox_clock(path)
    if known is None or known[1] < datetime.now(timezone.utc) - timedelta(hours=within_hours):
        return None
    if not any(row.get("thread_ts") for row in store.list_incidents(open_only=True)):
        return None
    return known[0]
