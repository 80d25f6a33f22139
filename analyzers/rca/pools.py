"""Shared pools: Lambda functions without reserved concurrency draw on the account's one pool of
concurrent executions, so a function whose concurrency surges throttles the others. The throttling
then originates in the function that took the pool, not in those that report the throttles."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Mapping, Sequence

from ..model import Anomaly, ResourceRef, Series

POOL_METRIC = "ConcurrentExecutions"
MIN_TAKEN = 100.0  # concurrent executions a function must reach to starve the others
TAKEN_FACTOR = 5.0  # ... and this many times what any throttled function ran at


def pool_takers(anomalies: Sequence[Anomaly], series: Sequence[Series], throttled: Sequence[ResourceRef],
                candidates: Mapping[tuple[str, str], ResourceRef], onset: datetime,
                lead: timedelta, late: timedelta) -> list[Anomaly]:
    """Concurrency surges of functions that began within ``lead`` before to ``late`` after onset and dwarf
    what the other throttled functions (none of them with a reservation) ran at. The taker may throttle
    too, once it has drained the pool itself."""
    victim_keys = {r.key for r in unreserved(throttled)}
    peaks = {key: max((max(s.values, default=0.0) for s in series if s.key.name == POOL_METRIC
                       and (ref := s.key.resource()) is not None and ref.key == key), default=0.0)
             for key in victim_keys}
    out = []
    for a in anomalies:
        if a.key.name != POOL_METRIC or a.direction != "up" or a.resource is None or a.resource.type != "lambda" \
                or a.resource.key not in candidates or not onset - lead <= a.onset <= onset + late:
            continue
        if _dwarfs(a.peak, a.resource.key, peaks):
            out.append(a)
    taken = {a.resource.key for a in out if a.resource is not None}
    for s in series:  # Lambda publishes nothing for a function that is not invoked: a series that only
        ref = s.key.resource()  # begins with the incident is a function that came up from zero with it
        if s.key.name != POOL_METRIC or ref is None or ref.type != "lambda" or ref.key not in candidates \
                or ref.key in taken or not s.values or not onset - lead <= _at(s.timestamps[0]) <= onset + late:
            continue
        if _dwarfs(max(s.values), ref.key, peaks):
            out.append(Anomaly(s.id, s.id, s.key, ref, _at(s.timestamps[0]), 1.0, 0.0, max(s.values), "up"))
    return out


def _dwarfs(peak: float, key: tuple[str, str], peaks: Mapping[tuple[str, str], float]) -> bool:
    """A concurrency of ``peak`` starves the throttled functions other than ``key`` (their ``peaks``)."""
    others = [p for k, p in peaks.items() if k != key]
    return bool(others) and peak >= max(MIN_TAKEN, TAKEN_FACTOR * max(others))


def _at(stamp: float) -> datetime:
    return datetime.fromtimestamp(stamp, tz=timezone.utc)


def unreserved(resources: Sequence[ResourceRef]) -> list[ResourceRef]:
    """The functions among ``resources`` that have no reserved concurrency (they draw on the shared pool)."""
    return [r for r in resources if r.type == "lambda" and not r.properties.get("reserved_concurrency")]
