"""Which metric series a report charts, and exactly the data each chart draws (pure, JSON-ready).

A chart is the alarm's own metric (with the alarm threshold) or an anomalous
series of a candidate resource, shaded from its onset to the end of the data,
with markers at the changes (deployments, config edits) on that resource.
Series are subsampled to at most ``MAX_POINTS`` points keeping each bucket's
extreme value, so a short spike is never averaged away.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping, Sequence

from .catalog import CATALOG
from .model import Alarm, Anomaly, Change, ResourceRef, Series, iso

MAX_CHARTS = 6
MAX_POINTS = 720
MAX_MARKERS = 4
_API_VERSION = re.compile(r"\d{8}(?:v\d+)?$")
_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")
_LESS_THAN = ("LessThanThreshold", "LessThanOrEqualToThreshold", "LessThanLowerThreshold")


@dataclass(frozen=True)
class ChangeMarker:
    time: float  # epoch seconds
    label: str

    def to_dict(self) -> dict[str, Any]:
        return {"time": int(self.time), "label": self.label}


@dataclass(frozen=True)
class ChartSpec:
    """Everything one chart draws; ``id`` is the series id (``m1``), used in the PNG file name."""

    id: str
    title: str
    metric: str  # label: namespace name [dimensions] stat
    unit: str | None
    timestamps: tuple[float, ...]  # epoch seconds, UTC
    values: tuple[float, ...]
    threshold: float | None = None
    window_start: float | None = None  # shaded anomaly window (onset -> end of data)
    window_end: float | None = None
    onset: float | None = None
    markers: tuple[ChangeMarker, ...] = ()
    kind: str = "anomaly"  # alarm | anomaly
    namespace: str = ""
    name: str = ""
    dimensions: tuple[tuple[str, str], ...] = ()
    stat: str = ""
    region: str | None = None
    resource: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "metric": self.metric, "unit": self.unit, "kind": self.kind,
                "namespace": self.namespace, "name": self.name, "dimensions": dict(self.dimensions),
                "stat": self.stat, "region": self.region, "resource": self.resource,
                "timestamps": [int(t) for t in self.timestamps], "values": [_round(v) for v in self.values],
                "threshold": self.threshold, "window_start": _int_or_none(self.window_start),
                "window_end": _int_or_none(self.window_end), "onset": _int_or_none(self.onset),
                "onset_iso": _iso_or_none(self.onset), "markers": [m.to_dict() for m in self.markers]}

    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> "ChartSpec":
        """Back from a stored report (the renderer draws stored reports too)."""
        return ChartSpec(
            id=str(data["id"]), title=str(data.get("title", data["id"])), metric=str(data.get("metric", "")),
            unit=data.get("unit"), timestamps=tuple(float(t) for t in data.get("timestamps") or ()),
            values=tuple(float(v) for v in data.get("values") or ()), threshold=data.get("threshold"),
            window_start=data.get("window_start"), window_end=data.get("window_end"), onset=data.get("onset"),
            markers=tuple(ChangeMarker(float(m["time"]), str(m.get("label", ""))) for m in data.get("markers") or ()),
            kind=str(data.get("kind", "anomaly")), namespace=str(data.get("namespace", "")),
            name=str(data.get("name", "")), dimensions=tuple(sorted((data.get("dimensions") or {}).items())),
            stat=str(data.get("stat", "")), region=data.get("region"), resource=data.get("resource"))


def chart_specs(alarm: Alarm, series: Sequence[Series], anomalies: Sequence[Anomaly], onset: datetime | None,
                window_end: datetime, changes: Sequence[Change] = (),
                candidates: Sequence[ResourceRef] | None = None, max_charts: int = MAX_CHARTS,
                max_points: int = MAX_POINTS) -> list[ChartSpec]:
    """The alarm's metric first, then the strongest anomalous series of candidate resources (one chart each)."""
    by_id = {s.id: s for s in series}
    end = window_end.timestamp()
    specs: list[ChartSpec] = []
    own = _alarm_series(alarm, series)
    if own is not None:
        specs.append(_spec(own, "alarm", alarm, onset.timestamp() if onset else None, end, changes, None,
                           max_points))
    wanted = {r.key for r in candidates} if candidates is not None else None
    first_onset: dict[str, float] = {}
    for anomaly in anomalies:
        if wanted is not None and anomaly.resource is not None and anomaly.resource.key not in wanted:
            continue
        t = anomaly.onset.timestamp()
        first_onset[anomaly.series_id] = min(t, first_onset.get(anomaly.series_id, t))
    ranked = sorted(anomalies, key=lambda a: (-a.score, a.onset, a.series_id))
    for anomaly in ranked:
        if len(specs) >= max_charts:
            break
        s = by_id.get(anomaly.series_id)
        if s is None or anomaly.series_id not in first_onset or any(sp.id == s.id for sp in specs):
            continue
        specs.append(_spec(s, "anomaly", alarm, first_onset[s.id], end, changes, anomaly.resource, max_points))
    return specs[:max_charts]


def _alarm_series(alarm: Alarm, series: Sequence[Series]) -> Series | None:
    key = alarm.metric_key
    if key is None:
        return None
    return next((s for s in series if s.key.namespace == key.namespace and s.key.name == key.name
                 and s.key.dimensions == key.dimensions), None)


def _spec(s: Series, kind: str, alarm: Alarm, onset: float | None, end: float, changes: Sequence[Change],
          resource: ResourceRef | None, max_points: int) -> ChartSpec:
    resource = resource or s.key.resource()
    prefer_min = (kind == "alarm" and (alarm.comparison or "") in _LESS_THAN)
    stamps, values = subsample(s.timestamps, s.values, max_points, prefer_min=prefer_min)
    unit = s.unit or catalog_unit(s.key.namespace, s.key.name)
    who = f"{resource.type} {resource.id}" if resource else ", ".join(f"{k}={v}" for k, v in s.key.dimensions)
    title = f"{s.key.name} ({s.key.stat}) - {who}" + (f" - alarm {alarm.name}" if kind == "alarm" else "")
    first, last = (stamps[0], stamps[-1]) if stamps else (None, None)
    markers = _markers(changes, resource, kind == "alarm", first, last)
    shaded = onset is not None and first is not None and onset <= max(end, last or end)
    return ChartSpec(
        id=s.id, title=title, metric=s.key.label, unit=unit, timestamps=stamps, values=values,
        threshold=alarm.threshold if kind == "alarm" else None,
        window_start=onset if shaded else None, window_end=max(end, last or end) if shaded else None,
        onset=onset, markers=markers, kind=kind, namespace=s.key.namespace, name=s.key.name,
        dimensions=s.key.dimensions, stat=s.key.stat, region=s.key.region or alarm.region,
        resource=resource.id if resource else None)


def _markers(changes: Sequence[Change], resource: ResourceRef | None, every_change: bool, first: float | None,
             last: float | None) -> tuple[ChangeMarker, ...]:
    if first is None or last is None:
        return ()
    names = resource.aliases if resource else frozenset()
    out = []
    for c in sorted(changes, key=lambda c: c.time):
        t = c.time.timestamp()
        if not first <= t <= last:
            continue
        if every_change or (c.resource_name and c.resource_name in names):
            out.append(ChangeMarker(t, change_label(c)))
    return tuple(out[-MAX_MARKERS:])


def change_label(change: Change) -> str:
    """``UpdateFunctionCode on checkout-api`` (API version suffixes such as 20150331v2 dropped)."""
    name = _API_VERSION.sub("", change.event_name) or change.event_name
    return f"{name} on {change.resource_name}" if change.resource_name else name


def chart_file_name(report_id: str, chart_id: str) -> str:
    """``<report id>-<chart id>.png`` with anything but [A-Za-z0-9_.-] replaced by ``_``."""
    return f"{_SAFE.sub('_', report_id)}-{_SAFE.sub('_', chart_id)}.png"


def catalog_unit(namespace: str, name: str) -> str | None:
    for specs in CATALOG.values():
        for spec in specs:
            if spec.namespace == namespace and spec.name == name:
                return spec.unit
    return None


def subsample(timestamps: Sequence[float], values: Sequence[float], max_points: int = MAX_POINTS,
              prefer_min: bool = False) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """At most ``max_points`` points: equal buckets in order, each keeping its extreme value (and its time).

    Non-finite values are dropped first; the output is sorted by time.
    """
    pairs = sorted((float(t), float(v)) for t, v in zip(timestamps, values) if math.isfinite(float(v)))
    if len(pairs) <= max_points:
        return tuple(t for t, _ in pairs), tuple(v for _, v in pairs)
    size = math.ceil(len(pairs) / max_points)
    out_t, out_v = [], []
    for i in range(0, len(pairs), size):
        bucket = pairs[i:i + size]
        pick = min(bucket, key=lambda p: p[1]) if prefer_min else max(bucket, key=lambda p: p[1])
        out_t.append(pick[0])
        out_v.append(pick[1])
    return tuple(out_t), tuple(out_v)


def _round(value: float) -> float:
    return float(f"{value:.6g}")


def _int_or_none(value: float | None) -> int | None:
    return int(value) if value is not None else None


def _iso_or_none(value: float | None) -> str | None:
    return iso(datetime.fromtimestamp(value, timezone.utc)) if value is not None else None


__all__ = ["ChartSpec", "ChangeMarker", "chart_specs", "subsample", "catalog_unit", "change_label", "chart_file_name",
           "MAX_CHARTS", "MAX_POINTS"]
