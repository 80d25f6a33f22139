"""Proactive alerts: one parent message per incident key, edited (never re-posted) as the incident evolves.

The incident row (SQLite ``incidents``) keeps channel + thread ts, so a restart
does not post again. Snooze and mute only silence thread replies; the parent is
still edited so it stays accurate. ``alarm_poller`` is the fallback poller used
until :mod:`bot.poller` exists.
"""
from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Sequence

from analyzers.incidents import Incident
from analyzers.model import iso
from bot.store import Store
from handlers import blocks as ui

log = logging.getLogger(__name__)

SNOOZE = timedelta(hours=1)


@dataclass(frozen=True)
class SyncResult:
    posted: int = 0
    updated: int = 0
    resolved: int = 0


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class AlertService:
    """Posts and edits incident messages in one channel."""

    def __init__(self, store: Store, poster: Any, channel: str, clock: Callable[[], datetime] = _utcnow):
        self.store = store
        self.poster = poster
        self.channel = channel
        self.clock = clock
        self._lock = threading.RLock()

    # Sync with the poller ---------------------------------------------------------------
    def sync(self, incidents: Sequence[Incident]) -> SyncResult:
        posted = updated = resolved = 0
        with self._lock:
            seen = set()
            for incident in incidents:
                seen.add(incident.key)
                outcome = self._apply(incident)
                posted += outcome == "posted"
                updated += outcome == "updated"
                resolved += outcome == "resolved"
            for row in self.store.list_incidents(open_only=True):
                if row["key"] not in seen and row.get("thread_ts") and row.get("channel") == self.channel:
                    self._resolve(row)
                    resolved += 1
        return SyncResult(posted, updated, resolved)

    def _apply(self, incident: Incident) -> str:
        row = self.store.get_incident(incident.key)
        details = incident_details(incident)
        if row is None or not row.get("thread_ts"):
            if incident.state == "resolved":
                return "skipped"
            return self._post(incident, details)
        if incident.state == "resolved":
            if not row.get("resolved_at"):
                self._resolve(row)
                return "resolved"
            return "unchanged"
        if row.get("details") == details and row.get("state") == incident.state and not row.get("resolved_at"):
            return "unchanged"
        previous_state = "resolved" if row.get("resolved_at") else row.get("state")
        shown = (ui.alert_text(row), ui.alert_parent(row))
        fields: dict[str, Any] = {"alarm_name": incident.alarm_name} if incident.alarm_name else {}
        self.store.upsert_incident(incident.key, state=incident.state, title=incident.title, details=details,
                                   resolved_at=None, **fields)  # an alarm that joined makes it investigable
        row = self.store.get_incident(incident.key) or row
        if (ui.alert_text(row), ui.alert_parent(row)) == shown:  # new scores or onsets only: no Slack edit
            return "unchanged"
        self.poster.update(row["channel"], row["thread_ts"], ui.alert_text(row), ui.alert_parent(row))
        if previous_state != incident.state:
            self._say_state_change(row, previous_state, incident.state)
        return "updated"

    def _post(self, incident: Incident, details: str) -> str:
        now = iso(self.clock())
        fields = {"alarm_name": incident.alarm_name, "region": incident.region, "state": incident.state,
                  "title": incident.title, "details": details, "channel": self.channel, "opened_at": now,
                  "muted": 0}
        row = {"key": incident.key, **fields}
        ts = self.poster.post(self.channel, ui.alert_text(row), ui.alert_parent(row))
        self.store.upsert_incident(incident.key, **fields, thread_ts=ts)
        try:
            signals = [s.to_dict() for s in incident.signals]
            self.poster.post(self.channel, f"Details of {ui.esc(incident.title)}",
                             ui.alert_details(incident.details, signals), thread_ts=ts)
        except Exception:  # the parent exists and is recorded; details are best effort
            log.warning("details post for %s failed", incident.key, exc_info=True)
        return "posted"

    def _resolve(self, row: dict[str, Any]) -> None:
        previous_state = row.get("state")
        self.store.upsert_incident(row["key"], state="resolved", resolved_at=iso(self.clock()))
        row = self.store.get_incident(row["key"]) or row
        self.poster.update(row["channel"], row["thread_ts"], ui.alert_text(row), ui.alert_parent(row))
        self._say_state_change(row, previous_state, "resolved")

    def _say_state_change(self, row: dict[str, Any], before: str | None, after: str) -> None:
        """A reply in the incident's thread, unless it is muted or snoozed."""
        if not self._silenced(row):
            self.poster.post(row["channel"], f"State changed: {before} → {after}",
                             [ui.section(f"State changed: *{ui.esc(before)}* → *{ui.esc(after)}*")],
                             thread_ts=row["thread_ts"])

    def _silenced(self, row: dict[str, Any]) -> bool:
        if row.get("muted"):
            return True
        until = row.get("snoozed_until")
        return bool(until) and datetime.fromisoformat(until.replace("Z", "+00:00")) > self.clock()

    # Buttons ----------------------------------------------------------------------------------
    def snooze(self, key: str, user_id: str) -> str:
        until = iso(self.clock() + SNOOZE)
        row = self.store.get_incident(key)
        if row is not None and row.get("resolved_at"):
            return "This incident is already resolved; nothing to snooze."
        if not self._set(key, snoozed_until=until, silenced_by=user_id):
            return "This incident is not known to the bot."
        log.info("incident %s snoozed until %s by %s", key, until, user_id)
        return f"Snoozed until {until[:16]} UTC by <@{user_id}> (thread updates silenced)."

    def mute(self, key: str, user_id: str) -> str:
        if not self._set(key, muted=1, silenced_by=user_id):
            return "This incident is not known to the bot."
        log.info("incident %s muted by %s", key, user_id)
        return f"Muted by <@{user_id}>: no more thread updates for this incident (Unmute brings them back)."

    def unmute(self, key: str, user_id: str) -> str:
        """Undo a mute or a snooze: thread updates resume."""
        if not self._set(key, muted=0, snoozed_until=None, silenced_by=None):
            return "This incident is not known to the bot."
        log.info("incident %s unmuted by %s", key, user_id)
        return f"Unmuted by <@{user_id}>: thread updates for this incident resume."

    def attach_investigation(self, key: str, inv_id: str) -> None:
        self._set(key, investigation_id=inv_id)

    def incident(self, key: str) -> dict[str, Any] | None:
        return self.store.get_incident(key)

    def _set(self, key: str, **fields: Any) -> bool:
        with self._lock:
            row = self.store.get_incident(key)
            if row is None:
                return False
            self.store.upsert_incident(key, **fields)
            row = self.store.get_incident(key) or row
            if row.get("thread_ts") and row.get("channel"):
                self.poster.update(row["channel"], row["thread_ts"], ui.alert_text(row), ui.alert_parent(row))
            return True


def incident_details(incident: Incident) -> str:
    """The incident as stored in its row (JSON, keys sorted so that an unchanged incident compares equal)."""
    return json.dumps(incident.to_dict(), sort_keys=True, default=str)


def record_changes(store: Store, changes: Any, now: datetime) -> None:
    """Keep what one poll changed (``Poller.last_changes``) in the incidents table without Slack (``watch``),
    so ``aiops-bot summary`` and ``history`` see the incidents a terminal watch found."""
    for incident in changes.new:
        store.upsert_incident(incident.key, alarm_name=incident.alarm_name, region=incident.region,
                              state=incident.state, title=incident.title, opened_at=iso(now), muted=0,
                              details=incident_details(incident))
    for incident in changes.updated:
        store.upsert_incident(incident.key, state=incident.state, title=incident.title, resolved_at=None,
                              details=incident_details(incident))
    for incident in changes.resolved:
        store.upsert_incident(incident.key, state="resolved", resolved_at=iso(now))


def default_poller(runtime: Any) -> Callable[[], list[Incident]]:
    """The scheduler's poll job: :meth:`bot.poller.Poller.poll` over every account x region."""
    from bot.poller import Poller
    return Poller(runtime).poll
