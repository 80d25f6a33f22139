"""Shared building blocks for the holdout67 scenario set (multi-region): set 57's
(:mod:`benchmarks.holdout57_gen.common`), naming its files ``h67-NN-<slug>``, with an optional
``region`` on resources, metrics, logs, alarms and changes."""
from __future__ import annotations

import contextlib

from benchmarks.holdout57_gen import common as _set57
from benchmarks.holdout57_gen.common import GRID, HISTORY, _Flow, bump, counts_per_minute, diurnal, ramp, step

__all__ = ["GRID", "HISTORY", "Scenario", "bump", "counts_per_minute", "diurnal", "ramp", "step"]


class Scenario(_set57.Scenario):
    """Set 57's scenario whose resources, metrics, logs, alarms and changes may each be in another
    region than the scenario's own (``region=``); those are tagged with it in the output. Metric
    series and log streams are kept per region, so an alarm reads its own region's series."""

    prefix = "h67"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._regional_series = {self.region: self._series}

    def _reg(self, region: str | None) -> str:
        return region or self.region

    def _tag(self, d: dict, region: str | None, before: str | None = None) -> dict:
        """Add ``region`` to `d` unless it is the scenario's own, ahead of the key `before`."""
        if region and region != self.region:
            tail = {before: d.pop(before)} if before in d else {}
            d["region"] = region
            d.update(tail)
        return d

    @contextlib.contextmanager
    def _series_of(self, region: str | None):
        """Let set 57's methods read and write `region`'s metric series."""
        home = self._series
        self._series = self._regional_series.setdefault(self._reg(region), {})
        try:
            yield
        finally:
            self._series = home

    def metric(self, namespace: str, name: str, dims: dict, unit: str, values: list,
               times=None, region: str | None = None) -> list:
        with self._series_of(region):
            super().metric(namespace, name, dims, unit, values, times)
        self._tag(self.metrics[-1], region, before="points")
        return values

    def value_at(self, namespace: str, name: str, dims: dict, region: str | None = None) -> dict:
        with self._series_of(region):
            return super().value_at(namespace, name, dims)

    def resource(self, rtype: str, rid: str, region: str | None = None, **props) -> None:
        super().resource(rtype, rid, **props)
        self._tag(self.resources[-1], region, before="properties")

    def log(self, group: str, stream: str, t: float, text: str, region: str | None = None) -> None:
        if t <= -0.002:  # nothing is logged after "now"
            self.logs.setdefault((group, stream, self._reg(region)), []).append((round(t, 3), text))

    def change(self, t: float, source: str, event: str, rtype: str, rname: str, user: str,
               region: str | None = None) -> None:
        super().change(t, source, event, rtype, rname, user)
        self._tag(self.changes[-1], region)

    def alarm(self, name: str, namespace: str, metric: str, dims: dict, statistic: str,
              period: int, evals: int, threshold: float, comparison: str,
              description: str | None = None, region: str | None = None) -> dict:
        with self._series_of(region):
            a = super().alarm(name, namespace, metric, dims, statistic, period, evals, threshold,
                              comparison, description)
        return self._tag(a, region, before="description")

    def to_dict(self) -> dict:
        regional, self.logs = self.logs, {}  # set 57's to_dict knows (group, stream) keys only
        try:
            out = super().to_dict()
        finally:
            self.logs = regional
        for (group, stream, region), events in regional.items():
            events.sort(key=lambda e: e[0])
            out["logs"].append(self._tag({"group": group, "stream": stream,
                                          "events": [_Flow(e) for e in events]}, region, before="events"))
        return out
