"""Limits reached at onset, read from levels rather than anomaly onsets: a series can creep up to a
limit over hours without any point looking unusual. Concurrency at the reserved limit is throttling,
memory at its limit memory exhaustion, storage run out (or a disk the agent reports full) storage
exhaustion, connections at ``max_connections`` connection exhaustion, a burstable instance out of
CPU credits CPU saturation. Also the opposite reading: a database far from its connection limit."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterator, Mapping, Sequence

from ..model import ResourceRef, Series

MEMORY_PERCENT = ("MemoryUtilization", "mem_used_percent")
MEMORY_FULL = 97.0
DISK_PERCENT = ("disk_used_percent", "used_percent")  # the CloudWatch agent's disk metrics
DISK_FULL = 97.0
CONNECTIONS_FULL = 0.97  # connections at this share of max_connections: no more can open
STORAGE_FULL = 0.02  # free storage under 2 % of the allocation
AROUND_S = 600  # "around onset": from ten minutes before it
ROOM = 0.5  # connections peaked under this share of max_connections around onset: the database had room


@dataclass(frozen=True)
class LimitReached:
    category: str
    resource: ResourceRef
    strength: float
    line: str
    series_id: str


def limits_reached(series: Sequence[Series], resources: Mapping[tuple[str, str], ResourceRef],
                   onset: datetime) -> Iterator[LimitReached]:
    """Each limit a candidate's series shows reached around ``onset`` (``resources``: key -> resource)."""
    start = onset.timestamp()
    for s in series:
        ref = s.key.resource()
        full = resources.get(ref.key) if ref is not None else None
        if full is None:
            continue
        around = [v for t, v in zip(s.timestamps, s.values) if t >= start - AROUND_S]
        after = [v for t, v in zip(s.timestamps, s.values) if t >= start]
        found = _limit(s, full, around, after) if around else None
        if found is not None:
            yield LimitReached(found[0], full, found[1], f"[{s.id}] {found[2]}", s.id)


def _limit(s: Series, full: ResourceRef, around: list[float], after: list[float]
           ) -> tuple[str, float, str] | None:
    """(category, strength, what it shows) when the series is at its resource's limit."""
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
    elif name == "CPUCreditBalance" and max(s.values) >= 10 and min(around) <= 1.0:
        return ("cpu_saturation", 0.8,
                f"CPUCreditBalance on {full.id} ran out around onset: its CPU is capped at baseline")
    elif name == "ConcurrentExecutions" and after:
        limit = props.get("reserved_concurrency")
        if limit and max(after) >= float(limit):
            return "throttling", 0.8, f"ConcurrentExecutions on {full.id} reached its reserved concurrency ({limit})"
    return None


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
