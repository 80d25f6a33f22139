"""Incidents: anomaly signals and alarms grouped per related resources, with a stable dedup key.

One incident per alarm episode (key ``alarm:<region>:<name>:<episode start>``)
or per group of anomalies on related resources within a short window
(key ``anomaly:<region>:<resource>:<bucketed onset>``). The Slack app posts one
parent message per key and edits it as the incident evolves and resolves.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .model import MetricKey, ResourceRef, iso


@dataclass(frozen=True)
class Signal:
    """One reason an incident exists: an alarm state, a static threshold breach, or an anomaly score."""

    kind: str  # alarm | threshold | anomaly
    resource: ResourceRef | None
    metric: MetricKey | None
    onset: datetime
    score: float  # [0, 1]
    value: float | None = None
    text: str = ""
    alarm: str = ""  # the alarm's name, for an alarm signal

    def to_dict(self) -> dict:
        out = {"kind": self.kind, "resource": self.resource.to_dict() if self.resource else None,
               "metric": self.metric.label if self.metric else None, "onset": iso(self.onset),
               "score": round(self.score, 4), "value": self.value, "text": self.text}
        if self.metric is not None:  # the metric's parts, for machines (``metric`` is its one-line label)
            out["metric_key"] = {"namespace": self.metric.namespace, "name": self.metric.name,
                                 "dimensions": dict(self.metric.dimensions), "statistic": self.metric.stat}
        if self.alarm:
            out["alarm"] = self.alarm
        return out


@dataclass(frozen=True)
class Incident:
    """A group of signals that a responder handles as one problem."""

    key: str
    title: str
    region: str
    severity: str  # critical | warning
    state: str  # open | resolved
    onset: datetime
    signals: tuple[Signal, ...] = ()
    resources: tuple[ResourceRef, ...] = ()
    alarm_name: str | None = None
    details: tuple[str, ...] = field(default_factory=tuple)
    account: str | None = None  # the configured account name (aws.accounts); None with a single account

    def to_dict(self) -> dict:
        out = {"key": self.key, "title": self.title, "region": self.region, "severity": self.severity,
               "state": self.state, "onset": iso(self.onset), "alarm_name": self.alarm_name,
               "resources": [r.to_dict() for r in self.resources],
               "signals": [s.to_dict() for s in self.signals], "details": list(self.details)}
        if self.account:
            out["account"] = self.account
        return out
