"""Resources involved in an incident by timing: their own errors began with it.

Front doors rarely say what is behind them (an API without its integrations, a load
balancer without its targets), so a responder looks at what else started failing when
the alarm's metric did: a function whose new errors begin at onset, a database whose
error log surges at onset. Front doors themselves only relay errors and are never
"involved" this way. Pure.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Mapping, Sequence

from ..model import Anomaly, LogPattern, ResourceRef, Series, iso
from ..patterns import is_surging
from ..topology import FRONT_DOORS, pattern_owner
from .rules import ERROR_WORDS

ERROR_METRICS = frozenset({"Errors", "5XXError", "HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count",
                           "Throttles", "StatusCheckFailed", "StatusCheckFailed_Instance", "StatusCheckFailed_System",
                           "DeadLetterErrors"})
BEFORE = timedelta(minutes=15)
AFTER = timedelta(minutes=20)


SATURATION_METRICS = frozenset({"CPUUtilization", "MemoryUtilization", "mem_used_percent"})
SATURATION_WINDOW = timedelta(minutes=10)
TARGET_SIDE_METRICS = frozenset({"TargetResponseTime", "HTTPCode_Target_5XX_Count", "UnHealthyHostCount"})


def targets_answer_as_usual(balancer: ResourceRef, series: Sequence[Series], anomalies: Sequence[Anomaly],
                            onset: datetime) -> bool:
    """Whether a load balancer's targets, whoever they are, answered as before the incident: its
    TargetResponseTime has points after ``onset`` and neither it, its target 5xx nor its unhealthy hosts
    rose near onset. A target whose CPU is pinned answers slowly, so a host saturated then is not
    what the balancer's own 5xx are about."""
    def mine(dimensions: tuple[tuple[str, str], ...]) -> bool:
        return ("LoadBalancer", balancer.id) in dimensions
    start = onset.timestamp()
    timed = any(s.key.name == "TargetResponseTime" and mine(s.key.dimensions)
                and any(t >= start for t in s.timestamps) for s in series)
    moved = any(a.key.name in TARGET_SIDE_METRICS and mine(a.key.dimensions) and a.direction == "up"
                and onset - BEFORE <= a.onset <= onset + AFTER for a in anomalies)
    return timed and not moved


def involved_resources(patterns: Sequence[LogPattern], group_owner: Mapping[str, ResourceRef],
                       anomalies: Sequence[Anomaly], onset: datetime, alarmed: ResourceRef | None = None,
                       blind_front_door: bool = False) -> dict[tuple[str, str], str]:
    """Keys of resources (not front doors, not the alarmed one) whose errors began near onset -> why.

    ``blind_front_door``: the alarm is on a front door that names nothing behind it; when no
    resource shows errors, those whose CPU or memory rose within minutes of onset are involved
    (the caller leaves it False for a balancer whose targets answer as usual:
    :func:`targets_answer_as_usual`).
    """
    out: dict[tuple[str, str], str] = {}
    for p in patterns:
        owner = pattern_owner(p, group_owner)
        if owner is None or owner.type in FRONT_DOORS or not is_surging(p):
            continue
        if not (p.is_error or ERROR_WORDS.search(p.template)):
            continue
        if p.new and not onset - BEFORE <= p.first_seen <= onset + AFTER:
            continue
        state = f"new from {iso(p.first_seen)}" if p.new else "surging after onset"
        out.setdefault(owner.key, f"errors in its own logs ({state})")
    for a in anomalies:
        if (a.resource is None or a.resource.type in FRONT_DOORS or a.key.name not in ERROR_METRICS
                or a.direction != "up" or not onset - BEFORE <= a.onset <= onset + AFTER):
            continue
        out.setdefault(a.resource.key, f"{a.key.name} rose from {iso(a.onset)}")
    if alarmed is not None:
        out.pop(alarmed.key, None)
    if blind_front_door and not out:
        for a in anomalies:
            if (a.resource is not None and a.resource.type not in FRONT_DOORS and a.direction == "up"
                    and a.key.name in SATURATION_METRICS and abs(a.onset - onset) <= SATURATION_WINDOW):
                out.setdefault(a.resource.key, f"{a.key.name} rose from {iso(a.onset)}, with the alarm")
    return out
