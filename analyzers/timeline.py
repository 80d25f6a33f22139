"""The incident timeline: changes, anomaly onsets, first appearances of new log patterns, the alarm."""
from __future__ import annotations

from datetime import datetime
from typing import Sequence

from .model import Alarm, Anomaly, Change, LogPattern, TimelineEvent
from .patterns import is_surging
from .redaction import clip

MAX_PATTERN_EVENTS = 8


def build_timeline(alarm: Alarm, alarm_time: datetime | None, anomalies: Sequence[Anomaly],
                   patterns: Sequence[LogPattern], changes: Sequence[Change]) -> list[TimelineEvent]:
    """All notable moments, oldest first."""
    events: list[TimelineEvent] = []
    for c in changes:
        who = f" by {c.username}" if c.username else ""
        events.append(TimelineEvent(c.time, "change", f"{c.event_name} on {c.resource_name}{who}", f"c:{c.id}"))
    for a in anomalies:
        who = a.resource.id if a.resource else a.key.label
        events.append(TimelineEvent(a.onset, "anomaly_start",
                                    f"{a.key.name} on {who} goes {a.direction} ({a.baseline:g} -> {a.peak:g})", a.id))
    shown = [p for p in patterns if p.new and is_surging(p)][:MAX_PATTERN_EVENTS]
    for p in shown:
        text = clip((p.samples[0] if p.samples else p.template).split("\n", 1)[0], 160)
        events.append(TimelineEvent(p.first_seen, "log_pattern_start",
                                    f"new log pattern in {p.log_group} ({p.count}x): {text}", p.id))
    if alarm_time is not None:
        events.append(TimelineEvent(alarm_time, "alarm", f"alarm {alarm.name} -> {alarm.state}", None))
    return sorted(events, key=lambda e: (e.time, e.kind != "change"))
