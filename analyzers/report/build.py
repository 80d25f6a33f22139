"""The investigation report as a JSON-ready dict (honours shared/report-schema.json, plus more fields)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Mapping, Sequence

from ..model import (Alarm, Anomaly, Change, Hypothesis, LogPattern, ResourceRef, Script, TimelineEvent, iso)

MAX_PATTERNS = 25


@dataclass(frozen=True)
class ReportInput:
    """Everything a report is made of (all already computed)."""

    investigation_id: str
    created_at: datetime
    alarm: Alarm
    window_start: datetime
    window_end: datetime
    onset: datetime | None
    resources: Sequence[ResourceRef]
    hypotheses: Sequence[Hypothesis]
    timeline: Sequence[TimelineEvent]
    patterns: Sequence[LogPattern]
    anomalies: Sequence[Anomaly]
    changes: Sequence[Change]
    scripts: Sequence[Script]
    description: str | None = None
    evidence_bundle: Mapping[str, Any] = field(default_factory=dict)
    steps: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    llm: Mapping[str, Any] | None = None
    redaction: Mapping[str, int] = field(default_factory=dict)
    metrics_summary: Sequence[Mapping[str, Any]] = ()


def summarize(root: Hypothesis, onset: datetime | None, alarm: Alarm, reranked: bool = False) -> str:
    """One paragraph a responder reads first (`reranked`: Claude put `root` first, not the engine's score)."""
    if root.category == "unknown":
        return (f"Alarm {alarm.name} is {alarm.state}; the evidence gathered does not point at a specific cause "
                f"(confidence {root.confidence:.0%}). See the timeline and log patterns below.")
    what = root.category.replace("_", " ")
    since = f" since {iso(onset)}" if onset else ""
    lead = root.evidence[0].split("] ", 1)[-1] if root.evidence else ""
    confidence = (f"ranked first by Claude; engine confidence {root.confidence:.0%}" if reranked
                  else f"confidence {root.confidence:.0%}")
    return (f"Most likely root cause: {what} on {root.resource.type} {root.resource.id} "
            f"({confidence}){since}. {lead}").strip()


def report_warnings(data: ReportInput) -> list[str]:
    """What a reader must know to trust the report: an onset at the very start of the window (the incident
    began earlier, so its start and trigger may be outside what was read)."""
    out = []
    period = timedelta(seconds=max(int(data.alarm.period or 60), 60))
    if data.onset is not None and data.onset <= data.window_start + period:
        hours = (data.window_end - data.window_start).total_seconds() / 3600
        out.append(f"The incident was already under way at the start of the {hours:g} h window that was read "
                   f"({iso(data.window_start)}); its start and trigger may be earlier. Investigate again with a "
                   "longer time window.")
    return out


def build_report(data: ReportInput) -> dict[str, Any]:
    root = data.hypotheses[0]
    degraded = {name: step.get("error") for name, step in data.steps.items()
                if step.get("status") in ("degraded", "failed")}
    return {
        "id": data.investigation_id,
        "created_at": iso(data.created_at),
        "alarm": data.alarm.to_dict(),
        "summary": summarize(root, data.onset, data.alarm, bool((data.llm or {}).get("reranked"))),
        "description": data.description,
        "window": {"start": iso(data.window_start), "end": iso(data.window_end),
                   "onset": iso(data.onset) if data.onset else None},
        "affected_resources": [r.to_dict() for r in data.resources],
        "root_cause": root.to_dict(),
        "hypotheses": [h.to_dict() for h in data.hypotheses],
        "timeline": [e.to_dict() for e in data.timeline],
        "log_patterns": [p.to_dict() for p in list(data.patterns)[:MAX_PATTERNS]],
        "anomalies": [a.to_dict() for a in data.anomalies],
        "changes": [c.to_dict() for c in data.changes],
        "metrics": list(data.metrics_summary),
        "scripts": [s.to_dict() for s in data.scripts],
        "evidence_bundle": dict(data.evidence_bundle),
        "steps": {name: {"status": step.get("status"), "error": step.get("error")}
                  for name, step in data.steps.items()},
        "degraded": degraded,
        "warnings": report_warnings(data),
        "llm": dict(data.llm) if data.llm else {"status": "offline",
                                                "note": "no LLM configured; deterministic analysis only"},
        "redaction": dict(data.redaction),
    }
