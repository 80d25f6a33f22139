"""Limits reached at onset, read from levels rather than anomaly onsets: a series can creep up to a
limit over hours without any point looking unusual. Concurrency at the reserved limit is throttling,
memory at its limit memory exhaustion, storage run out (or a disk the agent reports full) storage
exhaustion, connections at ``max_connections`` connection exhaustion, a burstable instance out of
CPU credits or a CPU that climbed to pinned over the window CPU saturation, invocations lasting their
configured timeout function timeouts, one instance pinned while the rest of its fleet is not CPU
saturation. Also the opposite reading: a database far from its connection limit."""
from __future__ import annotations

from dataclasses import dataclass
from statistics import median
from datetime import datetime
from typing import Iterator, Mapping, Sequence

from ..model import ResourceRef, Series
from ..topology import fleet_names

MEMORY_PERCENT = ("MemoryUtilization", "mem_used_percent")
MEMORY_FULL = 97.0
DISK_PERCENT = ("disk_used_percent", "used_percent")  # the CloudWatch agent's disk metrics
DISK_FULL = 97.0
CONNECTIONS_FULL = 0.97  # connections at this share of max_connections: no more can open
STORAGE_FULL = 0.02  # free storage under 2 % of the allocation
AROUND_S = 600  # "around onset": from ten minutes before it
CPU_PINNED, CPU_BUSY, CPU_BUSY_POINTS = 95.0, 90.0, 5  # a peak, and points at least this busy around onset
AT_RATE_LIMIT = 0.95  # requests at this share of an API stage's throttle: the excess is answered 429
TIMEOUT_REACHED = 0.98  # a Lambda invocation lasting this share of its timeout was cut off by it
CPU_EARLY = 75.0  # the median CPU of the window's first quarter was under this: it was not pinned all along
ROOM = 0.5  # connections peaked under this share of max_connections around onset: the database had room


@dataclass(frozen=True)
class LimitReached:
    category: str
    resource: ResourceRef
    strength: float
    line: str
    series_id: str


IO_BALANCES = ("BurstBalance", "EBSIOBalance%")  # a gp2 volume's or an instance's I/O burst credits, in %


def limits_reached(series: Sequence[Series], resources: Mapping[tuple[str, str], ResourceRef],
                   onset: datetime, alarmed: datetime | None = None) -> Iterator[LimitReached]:
    """Each limit a candidate's series shows reached around ``onset`` (``resources``: key -> resource;
    ``alarmed``: when the alarm fired, which may be long after an onset estimated from a slow climb)."""
    start = onset.timestamp()
    stop = max(start, alarmed.timestamp() if alarmed else start) + AROUND_S
    for s in series:
        ref = s.key.resource()
        full = resources.get(ref.key) if ref is not None else None
        if full is None:
            continue
        around = [v for t, v in zip(s.timestamps, s.values) if t >= start - AROUND_S]
        after = [v for t, v in zip(s.timestamps, s.values) if t >= start]
        near = [v for t, v in zip(s.timestamps, s.values) if start - AROUND_S <= t <= stop]
        found = _limit(s, full, around, after, near) if around else None
        if found is not None:
            yield LimitReached(found[0], full, found[1], f"[{s.id}] {found[2]}", s.id)
    yield from _pinned_among_peers(series, resources, start - AROUND_S, stop)


def _pinned_among_peers(series: Sequence[Series], resources: Mapping[tuple[str, str], ResourceRef],
                        start: float, stop: float) -> Iterator[LimitReached]:
    """An instance pinned around onset while the other members of its fleet are not (a job of its own,
    however long it has run, not the fleet's load): CPU saturation of that instance."""
    busy: dict[tuple[str, str], tuple[float, Series]] = {}
    for s in series:
        ref = s.key.resource()
        if s.key.name != "CPUUtilization" or ref is None or ref.type != "ec2" or ref.key not in resources:
            continue
        near = [v for t, v in zip(s.timestamps, s.values) if start <= t <= stop]
        if near:
            busy[ref.key] = (median(near), s)
    for key, (level, s) in busy.items():
        fleet = fleet_names(resources[key])
        peers = [other for k, (other, _) in busy.items() if k != key and fleet & fleet_names(resources[k])]
        if level >= CPU_BUSY and peers and max(peers) < CPU_EARLY:
            yield LimitReached("cpu_saturation", resources[key], 0.8,
                               f"[{s.id}] CPUUtilization on {resources[key].id} at {level:.0f} % around onset while "
                               f"the rest of its fleet ran at {max(peers):.0f} % or less", s.id)


def _limit(s: Series, full: ResourceRef, around: list[float], after: list[float], near: list[float]
           ) -> tuple[str, float, str] | None:
    """(category, strength, what it shows) when the series is at its resource's limit (``around``: from
    shortly before onset on, ``after``: from onset on, ``near``: from shortly before onset to shortly after
    the alarm fired)."""
    name, props = s.key.name, full.properties
    if name == "FreeStorageSpace":
        total = float(props.get("allocated_storage_gb") or 0) * 1e9
        if total and min(around) <= STORAGE_FULL * total:
            return ("storage_exhaustion", 0.9,
                    f"FreeStorageSpace on {full.id} fell to {min(around) / 1e9:.2f} GB around onset")
    elif name in DISK_PERCENT and max(around) >= DISK_FULL:
        path = s.key.dimension_map.get("path")
        where = f" ({path})" if path else ""
        return "storage_exhaustion", 0.9, f"{name}{where} on {full.id} reached {max(around):.0f} % around onset"
    elif name in MEMORY_PERCENT and max(around) >= MEMORY_FULL:
        return "memory_exhaustion", 0.8, f"{name} on {full.id} reached {max(around):.0f} % around onset"
    elif name == "DatabaseConnections" and props.get("max_connections") \
            and max(around) >= CONNECTIONS_FULL * float(props["max_connections"]):
        cap = props["max_connections"]
        return ("db_connection_exhaustion", 0.9,
                f"DatabaseConnections on {full.id} reached {max(around):.0f} of max_connections {cap}")
    elif name == "CPUUtilization" and full.type in ("rds", "ec2", "ecs") and near and _crept_to_pinned(s.values, near):
        return ("cpu_saturation", 0.8,
                f"CPUUtilization on {full.id} climbed to {max(near):.0f} % by onset (from "
                f"{median(s.values[:len(s.values) // 4]):.0f} % hours before)")
    elif name == "CPUCreditBalance" and max(s.values) >= 10 and min(around) <= 1.0:
        return ("cpu_saturation", 0.8,
                f"CPUCreditBalance on {full.id} ran out around onset: its CPU is capped at baseline")
    elif name in IO_BALANCES and max(s.values) >= 10 and min(around) <= 1.0:
        return ("throttling", 0.9,
                f"{name} on {full.id} ran out around onset: its storage I/O is capped at the baseline IOPS")
    elif name == "Duration" and after and props.get("timeout") \
            and max(after) >= TIMEOUT_REACHED * float(props["timeout"]) * 1000:
        return ("function_timeout", 0.9,
                f"Duration on {full.id} reached {max(after) / 1000:.1f} s, its configured timeout of "
                f"{props['timeout']} s")
    elif name == "Count" and full.type == "apigateway" and (rate := stage_rate_limit(props)) and around:
        peak = max(around) / _period_s(s)
        if peak >= AT_RATE_LIMIT * rate:
            return ("throttling", 0.8, f"Count on {full.id} reached {peak:.0f} requests/s around onset, at its "
                                       f"stage throttle of {rate:g}/s")
    elif name == "ConcurrentExecutions" and after:
        limit = props.get("reserved_concurrency")
        if limit and max(after) >= float(limit):
            return "throttling", 0.8, f"ConcurrentExecutions on {full.id} reached its reserved concurrency ({limit})"
    return None


def stage_rate_limit(props: Mapping[str, object]) -> float | None:
    """An API stage's steady-state throttle in requests/s: ``throttle_rate_limit`` as the inventory reads it
    from the stage's method settings, or a property a scenario names so (``stage_throttle_rate_limit_rps``)."""
    keys = ["throttle_rate_limit", *(k for k in props if "throttl" in k.lower() and "rate" in k.lower())]
    for key in keys:
        try:
            value = float(props.get(key))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if value > 0:
            return value
    return None


def _period_s(s: Series) -> float:
    """Seconds per datapoint (a Sum per minute is a count per 60 s)."""
    steps = [b - a for a, b in zip(s.timestamps, s.timestamps[1:]) if b > a]
    return median(steps) if steps else 60.0


def _crept_to_pinned(values: Sequence[float], near: list[float]) -> bool:
    """CPU pinned by the alarm (several points at >= 90 %, a peak >= 95 %) that was well below that in the
    first quarter of the window: it climbed to its limit, however slowly (not pinned all along)."""
    early = values[:len(values) // 4]
    return (len(early) >= 3 and median(early) < CPU_EARLY and max(near) >= CPU_PINNED
            and sum(v >= CPU_BUSY for v in near) >= CPU_BUSY_POINTS)


def database_has_room(db: ResourceRef, series: Sequence[Series], onset: datetime) -> str | None:
    """What shows the database ``db`` far from its connection limit around ``onset`` (None: no such
    evidence, including when its limit or its connections are unknown)."""
    cap = float(db.properties.get("max_connections") or 0)
    if db.type != "rds" or cap <= 0:
        return None
    start = onset.timestamp() - AROUND_S
    for s in series:
        ref = s.key.resource()
        if s.key.name != "DatabaseConnections" or ref is None or ref.key != db.key:
            continue
        around = [v for t, v in zip(s.timestamps, s.values) if t >= start]
        if around and max(around) < ROOM * cap:
            return f"[{s.id}] DatabaseConnections on {db.id} peaked at {max(around):.0f} of max_connections {cap:g}"
    return None
