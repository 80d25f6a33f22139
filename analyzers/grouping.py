"""Grouping: signals and firing alarms on related resources become ONE incident with a stable key.

Every signal is current (the gates see to it), so two items in the same region
belong together when they concern the same resource or alarm metric, or when they
start within a short window of each other (15 minutes by default) on related
resources: a configured group, a shared significant name token
(``checkout-api`` / ``checkout-db``), or a host named in a function's environment.
Relations are transitive (union-find). Keys: ``alarm:<region>:<name>:<state changed>``
for groups holding a firing alarm, else ``anomaly:<region>:<primary>:<onset bucket>``.
Pure: no I/O; ``now`` is always passed in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Mapping, Sequence

from .catalog import DERIVED_RATES, ERROR_COUNT_METRICS
from .incidents import Incident, Signal
from .model import Alarm, ResourceRef, iso
from .redaction import clip

WINDOW = timedelta(minutes=15)
ONSET_BUCKET = timedelta(minutes=30)

_STOP_TOKENS = frozenset(
    "prod production dev develop stage staging stg test qa uat sandbox app apps api apis svc service services "
    "www lambda function func fn db rds database ec2 ecs alb elb nlb lb cluster main primary replica aws "
    "east west north south central internal public private http https default worker workers job jobs task "
    "tasks gateway backend frontend server servers instance node nodes host hosts vm machine box the and".split())
FRONT_DOORS = frozenset({"apigateway", "alb"})
_RATE_NAMES = frozenset(rate.name for rates in DERIVED_RATES.values() for rate in rates)


def name_tokens(resource: ResourceRef) -> frozenset[str]:
    """Significant lowercase words of a resource's id and name (no generic words, ids or hashes)."""
    names = [resource.id]
    if isinstance(resource.properties.get("name"), str):
        names.append(str(resource.properties["name"]))
    tokens = set()
    for name in names:
        for token in re.split(r"[^a-z0-9]+", name.lower()):
            if len(token) < 3 or token in _STOP_TOKENS or token.isdigit():
                continue
            if len(token) >= 8 and re.fullmatch(r"[0-9a-f]+", token):
                continue  # an id or hash suffix, not a name
            tokens.add(token)
    return frozenset(tokens)


@dataclass(frozen=True)
class Relations:
    """Which resources are related. ``groups`` maps a group name to resource ids or ``prefix*`` patterns."""

    groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    use_names: bool = True
    # Regions with a small inventory: there an API or load balancer fronts every other resource.
    front_door_regions: frozenset[str] = frozenset()

    def _groups_of(self, resource: ResourceRef) -> set[str]:
        found = set()
        for group, members in self.groups.items():
            for member in members:
                if member == resource.id or (member.endswith("*") and resource.id.startswith(member[:-1])):
                    found.add(group)
        return found

    def related(self, a: ResourceRef, b: ResourceRef) -> bool:
        if a.key == b.key:
            return True
        if self._groups_of(a) & self._groups_of(b):
            return True
        if a.region in self.front_door_regions and a.region == b.region and (
                a.type in FRONT_DOORS or b.type in FRONT_DOORS):
            return True
        for x, y in ((a, b), (b, a)):
            refs = set(x.properties.get("env_refs", ()) or ())
            if refs & set(y.aliases):
                return True
        return self.use_names and bool(name_tokens(a) & name_tokens(b))


def alarm_signal(alarm: Alarm, now: datetime) -> Signal:
    """The ALARM state of an alarm as a signal (score 1)."""
    reason = clip(re.split(r"\.(?:\s|$)", alarm.state_reason or "", maxsplit=1)[0], 300)  # its first sentence
    return Signal("alarm", alarm.resource, alarm.metric_key, alarm.state_changed or now, 1.0, None,
                  f"alarm {alarm.name} is {alarm.state}" + (f": {reason}" if reason else ""), alarm=alarm.name)


@dataclass(frozen=True)
class _Item:
    signal: Signal
    region: str
    alarm: Alarm | None = None


def _region(signal: Signal, default: str) -> str:
    if signal.resource is not None and signal.resource.region:
        return signal.resource.region
    if signal.metric is not None and signal.metric.region:
        return signal.metric.region
    return default


def _linked(a: _Item, b: _Item, relations: Relations, window: timedelta) -> bool:
    """Same resource or metric (both current): always one problem; related resources: onsets within window."""
    if a.region != b.region:
        return False
    if a.signal.metric is not None and b.signal.metric is not None and a.signal.metric == b.signal.metric:
        return True
    if a.signal.resource is None or b.signal.resource is None:
        return False
    if a.signal.resource.key == b.signal.resource.key:
        return True
    return abs(a.signal.onset - b.signal.onset) <= window and relations.related(a.signal.resource,
                                                                                   b.signal.resource)


def _components(items: Sequence[_Item], relations: Relations, window: timedelta) -> list[list[_Item]]:
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if find(i) != find(j) and _linked(items[i], items[j], relations, window):
                parent[find(j)] = find(i)
    groups: dict[int, list[_Item]] = {}
    for i, item in enumerate(items):
        groups.setdefault(find(i), []).append(item)
    return list(groups.values())


def bucket(moment: datetime, size: timedelta = ONSET_BUCKET) -> datetime:
    """``moment`` floored to a multiple of ``size`` (UTC epoch aligned)."""
    seconds = size.total_seconds()
    return datetime.fromtimestamp(moment.timestamp() // seconds * seconds, timezone.utc)


_KIND_RANK = {"alarm": 0, "threshold": 1, "anomaly": 2}


def _severity(signals: Sequence[Signal], resources: Sequence[ResourceRef]) -> str:
    for s in signals:
        if s.kind == "alarm":
            return "critical"
        if s.kind == "threshold" and s.metric is not None and (
                s.score >= 0.75 or s.metric.name in ERROR_COUNT_METRICS or s.metric.name in _RATE_NAMES):
            return "critical"
    return "critical" if len(resources) >= 3 else "warning"


def _shown(resource: ResourceRef) -> str:
    """A resource as a title names it: an instance with its Name tag beside its id."""
    name = resource.properties.get("name")
    return f"{resource.id} ({name})" if resource.type == "ec2" and isinstance(name, str) and name \
        and name != resource.id else resource.id


def _incident(members: list[_Item]) -> Incident:
    ordered = sorted(members, key=lambda m: (m.signal.onset, _KIND_RANK.get(m.signal.kind, 9),
                                             -m.signal.score, m.signal.metric.label if m.signal.metric else ""))
    signals = tuple(m.signal for m in ordered)
    resources: list[ResourceRef] = []
    for s in signals:
        if s.resource is not None and all(r.key != s.resource.key for r in resources):
            resources.append(s.resource)
    region = ordered[0].region
    onset = ordered[0].signal.onset
    alarms = sorted((m.alarm for m in ordered if m.alarm is not None),
                    key=lambda a: (a.state_changed or onset, a.name))
    details = tuple(f"{s.kind}: {s.text}" for s in signals)
    if alarms:
        primary_alarm = alarms[0]
        changed = iso(primary_alarm.state_changed) if primary_alarm.state_changed else "unknown"
        key = f"alarm:{region}:{primary_alarm.name}:{changed}"
        title = f"{primary_alarm.name} in ALARM"
        if primary_alarm.resource is not None:
            title += f" on {primary_alarm.resource.id}"
        alarm_name: str | None = primary_alarm.name
    else:
        primary = resources[0] if resources else None
        primary_id = primary.id if primary else (signals[0].metric.name if signals[0].metric else "unknown")
        key = f"anomaly:{region}:{primary_id}:{iso(bucket(onset))}"
        metrics = sorted({s.metric.name for s in signals if s.metric is not None})
        state = "breaching its threshold" if all(s.kind == "threshold" for s in signals) else "anomalous"
        title = f"{', '.join(metrics[:3])} {state} on {_shown(primary) if primary else primary_id}"
        alarm_name = None
    if len(resources) > 1:
        title += f" (+{len(resources) - 1} related)"
    return Incident(key=key, title=title, region=region, severity=_severity(signals, resources), state="open",
                    onset=onset, signals=signals, resources=tuple(resources), alarm_name=alarm_name,
                    details=details)


def group_signals(signals: Sequence[Signal], alarms: Sequence[Alarm] = (), *, now: datetime,
                  relations: Relations = Relations(), window: timedelta = WINDOW,
                  default_region: str = "us-east-1") -> list[Incident]:
    """Incidents from metric signals plus alarms currently in ALARM, most severe and oldest first."""
    items = [_Item(s, _region(s, default_region)) for s in signals]
    for alarm in alarms:
        if alarm.state == "ALARM":
            items.append(_Item(alarm_signal(alarm, now), alarm.region, alarm))
    incidents = [_incident(group) for group in _components(items, relations, window)]
    return sorted(incidents, key=lambda i: (i.severity != "critical", i.onset, i.key))


# Continuity between polls ----------------------------------------------------------------------

@dataclass(frozen=True)
class Changes:
    """What changed between two polls."""

    new: tuple[Incident, ...] = ()
    updated: tuple[Incident, ...] = ()
    resolved: tuple[Incident, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.new or self.updated or self.resolved)


def carry_keys(previous: Sequence[Incident], current: Sequence[Incident]) -> list[Incident]:
    """Keep an open incident's key (and onset) while the same problem goes on, so its Slack message is edited
    rather than replaced.

    A current incident with a key the last poll did not have is the same incident as an open one of the last
    poll (same account and region, at least one resource in common, its key not in use now): an anomaly whose
    onset moved by a point, an alarm that fired on an anomaly's resource, an alarm back to OK while its
    anomalies go on, an alarm whose state timestamp moved while it stayed in ALARM.
    """
    out = []
    in_use = {i.key for i in current}
    open_before = [p for p in previous if p.state == "open"]
    known = {p.key for p in open_before}
    taken: set[str] = set()
    for incident in current:
        if incident.key not in known:
            mine = {r.key for r in incident.resources}
            for prior in open_before:
                if prior.key in taken or prior.key in in_use or prior.region != incident.region \
                        or prior.account != incident.account:
                    continue
                if mine & {r.key for r in prior.resources}:
                    incident = replace(incident, key=prior.key, onset=min(prior.onset, incident.onset))
                    break
        taken.add(incident.key)
        out.append(incident)
    return out


def _fingerprint(incident: Incident) -> tuple:
    return (incident.severity, incident.state, tuple(r.key for r in incident.resources),
            tuple(sorted({(s.kind, s.metric.label if s.metric else "") for s in incident.signals})))


def diff(previous: Mapping[str, Incident], current: Sequence[Incident], resolved: Sequence[Incident]) -> Changes:
    """New, updated (severity, resources or signal set changed) and resolved incidents."""
    new = tuple(i for i in current if i.key not in previous)
    updated = tuple(i for i in current if i.key in previous and _fingerprint(previous[i.key]) != _fingerprint(i))
    return Changes(new, updated, tuple(resolved))
