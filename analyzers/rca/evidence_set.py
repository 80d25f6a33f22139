"""What ranking looks at (`EvidenceSet`) and what it accumulates per (category, resource) (`Score`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Mapping, Sequence

from ..model import Alarm, Anomaly, Change, LogPattern, ResourceRef, Series
from ..topology import Candidate


@dataclass(frozen=True)
class EvidenceSet:
    """Everything ranking looks at."""

    alarm: Alarm
    onset: datetime
    candidates: Sequence[Candidate]
    series: Sequence[Series]
    anomalies: Sequence[Anomaly]
    patterns: Sequence[LogPattern]
    group_owner: Mapping[str, ResourceRef]
    changes: Sequence[Change]
    alarm_time: datetime | None = None  # when the alarm last went to ALARM (its history), if known


@dataclass
class Score:
    logs: float = 0.0
    metrics: float = 0.0
    change: float = 0.0
    lines: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    events: set[str] = field(default_factory=set)  # names of the changes behind ``change``
    changed_at: datetime | None = None  # the earliest of those changes

    def add(self, kind: str, strength: float, line: str, evidence_id: str | None) -> None:
        setattr(self, kind, max(getattr(self, kind), strength))
        if line not in self.lines:
            self.lines.append(line)
        if evidence_id and evidence_id not in self.ids:
            self.ids.append(evidence_id)
