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
ABSENT_POLLS_TO_RESOLVE = 2  # an open incident no poll mentions is resolved after this many polls


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
        self._absent: dict[str, int] = {}  # open incident key -> consecutive polls that did not mention it

    # Sync with the poller ---------------------------------------------------------------
    def sync(self, incidents: Sequence[Incident]) -> SyncResult:
        """Post, edit and resolve the channel's incident messages to match one poll's `incidents`.

        A Slack call that fails is logged and retried on the next sync (the row keeps ``slack_pending``), and
        never stops the other incidents of the poll from being brought up to date."""
        posted = updated = resolved = 0
        with self._lock:
            seen = set()
            for incident in incidents:
                seen.add(incident.key)
                try:
                    outcome = self._apply(incident)
                except Exception:  # a failed post: the next poll posts it again (no thread_ts recorded)
                    log.warning("posting incident %s failed; retrying on the next poll", incident.key, exc_info=True)
                    continue
                posted += outcome == "posted"
                updated += outcome == "updated"
                resolved += outcome == "resolved"
            for row in self.store.list_incidents(open_only=True):
                if row["key"] in seen or not row.get("thread_ts") or row.get("channel") != self.channel:
                    self._absent.pop(row["key"], None)
                    continue
                # unknown to this poll altogether (the poller reports what it resolves): a row from before a
                # restart, or of a region this poll could not read; resolved only if absent twice in a row
                self._absent[row["key"]] = self._absent.get(row["key"], 0) + 1
                if self._absent[row["key"]] >= ABSENT_POLLS_TO_RESOLVE:
                    self._absent.pop(row["key"], None)
                    self._resolve(row)
                    resolved += 1
            for row in self.store.incidents_pending_slack(self.channel):
                if row["key"] not in seen:
                    self._catch_up(row)
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
            return self._catch_up(row)
        if row.get("details") == details and row.get("state") == incident.state and not row.get("resolved_at"):
            return self._catch_up(row)
        shown = (ui.alert_text(row), ui.alert_parent(row))
        joined = _new_signals(row.get("details"), incident)
        cleared = _cleared_alarms(row.get("details"), incident)
        fields: dict[str, Any] = {"alarm_name": incident.alarm_name} if incident.alarm_name else {}
        self.store.upsert_incident(incident.key, state=incident.state, title=incident.title, details=details,
                                   resolved_at=None, **fields)  # an alarm that joined makes it investigable
        row = self.store.get_incident(incident.key) or row
        if joined:
            self._say(row, f"{len(joined)} signal(s) joined {ui.esc_line(row.get('title'))}",
                      ui.alert_details((), joined, heading="Joined the incident"))
        if cleared:
            self._say(row, f"Alarm {', '.join(cleared)} is no longer in ALARM; the incident's other signals go on.")
        if (ui.alert_text(row), ui.alert_parent(row)) == shown and not row.get("slack_pending"):
            return "unchanged"  # new scores or onsets only: no Slack edit
        self._mark_pending(row)
        return "updated" if self._catch_up(row) != "failed" else "unchanged"

    def _post(self, incident: Incident, details: str) -> str:
        now = iso(self.clock())
        fields = {"alarm_name": incident.alarm_name, "region": incident.region, "state": incident.state,
                  "title": incident.title, "details": details, "channel": self.channel, "opened_at": now,
                  "muted": 0, "announced_state": incident.state, "slack_pending": 0}
        row = {"key": incident.key, **fields}
        ts = self.poster.post(self.channel, ui.alert_text(row), ui.alert_parent(row))
        self.store.upsert_incident(incident.key, **fields, thread_ts=ts)
        try:
            signals = [s.to_dict() for s in incident.signals]
            self.poster.post(self.channel, f"Details of {ui.esc_line(incident.title)}",
                             ui.alert_details(incident.details, signals), thread_ts=ts)
        except Exception:  # the parent exists and is recorded; details are best effort
            log.warning("details post for %s failed", incident.key, exc_info=True)
        return "posted"

    def _resolve(self, row: dict[str, Any]) -> None:
        self.store.upsert_incident(row["key"], state="resolved", resolved_at=iso(self.clock()), slack_pending=1)
        self._catch_up(self.store.get_incident(row["key"]) or row)

    def _mark_pending(self, row: dict[str, Any]) -> None:
        self.store.upsert_incident(row["key"], slack_pending=1)
        row["slack_pending"] = 1

    def _catch_up(self, row: dict[str, Any]) -> str:
        """Bring the incident's Slack message and thread up to its row: edit the parent if an edit is pending,
        and announce a state the thread has not been told. "unchanged", "updated" or "failed" (kept pending)."""
        if not row.get("slack_pending"):
            return "unchanged"
        try:
            self.poster.update(row["channel"], row["thread_ts"], ui.alert_text(row), ui.alert_parent(row))
            now = "resolved" if row.get("resolved_at") else row.get("state")
            before = row.get("announced_state")
            if before and before != now and not self._silenced(row):
                self.poster.post(row["channel"], f"State changed: {before} → {now}",
                                 [ui.section(f"State changed: *{ui.esc(before)}* → *{ui.esc(now)}*")],
                                 thread_ts=row["thread_ts"])
        except Exception:
            log.warning("Slack update of incident %s failed; retrying on the next poll", row["key"], exc_info=True)
            return "failed"
        self.store.upsert_incident(row["key"], slack_pending=0, announced_state=now)
        return "updated"

    def _say(self, row: dict[str, Any], text: str, blocks: list[dict] | None = None) -> None:
        """A note in the incident's thread (best effort: the parent already shows the change), unless it is
        muted or snoozed."""
        if self._silenced(row):
            return
        try:
            self.poster.post(row["channel"], text, blocks or [ui.section(ui.esc_line(text))],
                             thread_ts=row["thread_ts"])
        except Exception:
            log.warning("thread note for %s failed", row["key"], exc_info=True)

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
        if row is not None and row.get("muted"):
            return "This incident is muted, which already silences its thread; Unmute it first to snooze it instead."
        if not self._set(key, snoozed_until=until, silenced_by=user_id):
            return "This incident is not known to the bot."
        log.info("incident %s snoozed until %s by %s", key, until, user_id)
        return f"Snoozed until {until[:16]} UTC by <@{user_id}> (thread updates silenced)."

    def mute(self, key: str, user_id: str) -> str:
        row = self.store.get_incident(key)
        if row is not None and row.get("resolved_at"):
            return "This incident is already resolved; nothing to mute."
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
                self._mark_pending(row)
                self._catch_up(row)
            return True


def _signal_id(signal: dict[str, Any]) -> tuple[Any, ...]:
    resource = signal.get("resource") or {}
    return signal.get("kind"), resource.get("type"), resource.get("id"), signal.get("metric")


def _new_signals(stored_details: str | None, incident: Incident) -> list[dict[str, Any]]:
    """The incident's signals (kind, resource, metric) that its stored row did not have yet."""
    try:
        before = {_signal_id(s) for s in json.loads(stored_details or "{}").get("signals") or []}
    except (ValueError, AttributeError):
        return []
    if not before:  # a row written before signals were stored: nothing to compare with
        return []
    return [s for s in (sig.to_dict() for sig in incident.signals) if _signal_id(s) not in before]


def _cleared_alarms(stored_details: str | None, incident: Incident) -> list[str]:
    """Names of the alarms whose signals the stored incident had and this one (still open) has not."""
    if incident.state != "open":
        return []
    try:
        before = json.loads(stored_details or "{}").get("signals") or []
    except (ValueError, AttributeError):
        return []
    now = {_signal_id(s.to_dict()) for s in incident.signals}
    gone = [s for s in before if s.get("kind") == "alarm" and _signal_id(s) not in now]
    return [str(s.get("alarm") or _alarm_in_text(s.get("text"))) for s in gone]


def _alarm_in_text(text: Any) -> str:
    """The alarm name in an alarm signal's text ("alarm NAME is ALARM: ..."), for rows stored before signals
    carried the name; the last " is " before the state, so a name with " is " in it stays whole."""
    head = str(text or "").removeprefix("alarm ").split(": ", 1)[0]
    return head.rsplit(" is ", 1)[0]


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
