"""Metric evidence: anomalies read by the category their metric points at (CPU pinned, memory or storage
at the limit, connections near ``max_connections``, throttles, a request surge, invocations at their
timeout), limits reached by slow climbs (:mod:`.levels`), and the function that took the account's shared
concurrency (:mod:`.pools`). A base of the evidence collector, which adds logs and changes."""
from __future__ import annotations

from datetime import timedelta

from ..model import Anomaly, ResourceRef, iso
from ..topology import RELATION_WEIGHTS
from .evidence_set import Score
from .levels import limits_reached
from .pools import pool_takers
from .queries import LONG_BEFORE, ScoreQueries
from .rules import FAILURE_METRICS, METRIC_CATEGORIES

LATE_ANOMALY = timedelta(minutes=10)
SURGE_LEAD = timedelta(minutes=45)  # a surge that began earlier than this without failing is not the cause
REPLICA_BEHIND_S = 60.0  # a read replica this far behind serves stale reads its clients may refuse
STALL = 0.6  # a store's storage latency jumping: it fails its clients (a supporting sign, not proof on its own)
FAILURES_ONLY = 0.6  # weight of a resource's own failure metric rising when no log line says why
LIMITS = ("cpu_saturation", "memory_exhaustion", "db_connection_exhaustion", "storage_exhaustion")
AROUND_ONSET = timedelta(minutes=10)  # a limit must still be near it this close to onset to explain it


def fmt_anomaly(a: Anomaly, unit: str | None) -> str:
    who = a.resource.id if a.resource else a.key.label
    return (f"[{a.id}] {a.key.name} on {who} went {a.direction} from {a.baseline:g} to {a.peak:g}"
            f"{' ' + unit if unit else ''} from {iso(a.onset)}")


class MetricEvidence(ScoreQueries):
    """Adds what the metrics say to the collector's scores (``score``, ``failures``, ``starved``)."""

    units: dict
    weights: dict[tuple[str, str], float]
    starved: set[tuple[str, str]]

    def score(self, category: str, resource: ResourceRef) -> Score:
        return self.scores[(category, resource.key)]

    def collect_metrics(self) -> None:
        latest = self.ev.onset + LATE_ANOMALY
        for a in self.ev.anomalies:
            if a.resource is None or a.resource.key not in self.by_key or a.onset > latest:
                continue
            if a.key.name in FAILURE_METRICS and a.direction == "up":
                self.failures[a.resource.key].add("metrics", FAILURES_ONLY, fmt_anomaly(a, self.units.get(a.key)),
                                                  a.id)
            rule = METRIC_CATEGORIES.get(a.key.name)
            if not rule or rule[1] != a.direction:
                continue
            category = rule[0]
            if category == "traffic_surge" and a.onset < self.ev.onset - SURGE_LEAD:
                continue
            if category in LIMITS and self._over_before_onset(a):
                continue
            resource = self.by_key[a.resource.key].resource
            strength = self._metric_strength(category, a, resource)
            if strength > 0:
                self.score(category, resource).add("metrics", strength, fmt_anomaly(a, self.units.get(a.key)), a.id)

    def _over_before_onset(self, a: Anomaly) -> bool:
        """A spike that began long before onset and had ebbed by then (a report run two hours earlier): the
        limit it touched was not what failed now."""
        series = next((s for s in self.ev.series if s.id == a.series_id), None)
        if series is None or a.onset >= self.ev.onset - LONG_BEFORE:
            return False
        lo, hi = (self.ev.onset - AROUND_ONSET).timestamp(), (self.ev.onset + AROUND_ONSET).timestamp()
        near = [v for t, v in zip(series.timestamps, series.values) if lo <= t <= hi]
        half = a.baseline + 0.5 * (a.peak - a.baseline)
        return bool(near) and all((v < half) if a.direction == "up" else (v > half) for v in near)

    def _metric_strength(self, category: str, a: Anomaly, resource: ResourceRef) -> float:
        props = resource.properties
        rel = abs(a.peak - a.baseline) / max(abs(a.baseline), 1e-9)
        if category == "cpu_saturation":  # pinned near 100 % is the fault; 85 % may be a symptom (GC, retries)
            return 1.0 if a.peak >= 95 else (0.7 if a.peak >= 85 else (0.4 if a.peak >= 70 else 0.0))
        if category == "memory_exhaustion":
            if a.key.name == "FreeableMemory":
                return 0.8 if a.peak <= 0.1 * max(a.baseline, 1) else 0.0
            return 1.0 if a.peak >= 90 else 0.0
        if category == "storage_exhaustion":
            if a.key.name == "FreeStorageSpace":
                total = float(props.get("allocated_storage_gb") or 0) * 1e9
                limit = 0.1 * total if total else 0.1 * max(a.baseline, 1)
                return 1.0 if a.peak <= limit else 0.3
            return 1.0 if a.peak >= 90 else 0.0
        if category == "db_connection_exhaustion":
            cap = props.get("max_connections")
            if cap:
                return 1.0 if a.peak >= 0.85 * float(cap) else 0.3
            return 0.6 if rel >= 1.0 else 0.3
        if category == "throttling":
            return 1.0 if a.peak > 0 else 0.0
        if category == "traffic_surge":
            return 1.0 if rel >= 2.0 else (0.5 if rel >= 0.8 else 0.0)
        if category == "function_timeout":
            timeout = props.get("timeout")
            if timeout and a.peak >= 0.9 * float(timeout) * 1000:
                return 1.0
            return 0.0
        if category == "dependency_failure" and a.key.name == "ReplicaLag":  # minutes behind, from seconds
            return STALL if a.peak >= REPLICA_BEHIND_S and a.peak >= 10 * max(a.baseline, 1.0) else 0.0
        if category == "dependency_failure":  # a store's disk stalled: reads and writes wait 20x longer, >= 100 ms
            return STALL if resource.type == "rds" and a.peak >= 0.1 and rel >= 20 else 0.0
        return 0.0

    def collect_saturation_levels(self) -> None:
        """Limits reached even when the series crept up to them (see :mod:`.levels`)."""
        for level in limits_reached(self.ev.series, {k: c.resource for k, c in self.by_key.items()}, self.ev.onset,
                                    self.ev.alarm_time):
            self.score(level.category, level.resource).add("metrics", level.strength, level.line, level.series_id)

    def collect_pool_takers(self) -> None:
        """A function that took the account's shared concurrency is where the others' throttling starts."""
        throttled = [self.by_key[k].resource for (c, k), s in self.scores.items() if c == "throttling" and s.metrics]
        for a in pool_takers(self.ev.anomalies, self.ev.series, throttled, self.by_key, self.ev.onset, SURGE_LEAD,
                             LATE_ANOMALY):
            taker = self.by_key[a.resource.key].resource
            victims = [r for r in throttled if r.key != taker.key]
            line = (f"[{a.id}] {a.key.name} of {taker.id} rose from {a.baseline:g} to {a.peak:g} from {iso(a.onset)}: "
                    f"it took the account's shared concurrency while {', '.join(r.id for r in victims)} throttled")
            self.score("throttling", taker).add("metrics", 1.0, line, a.id)
            self.weights[taker.key] = max(self.weights[taker.key], RELATION_WEIGHTS["dependency"])
            self.starved.update(r.key for r in victims)
