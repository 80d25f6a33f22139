"""Accumulates one scenario (resources, metrics, logs, alarms, changes, expect) and renders it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .names import Namer
from .series import Series, to_points
from .timeline import END, STEP


@dataclass
class Scenario:
    """A scenario under construction; ``rng``/``namer`` make every choice reproducible."""

    name: str
    region: str
    rng: np.random.Generator
    onset: float = 0.0
    description: str = ""
    category: str = ""
    variant: str = ""
    resources: list[dict[str, Any]] = field(default_factory=list)
    metrics: list[dict[str, Any]] = field(default_factory=list)
    logs: list[dict[str, Any]] = field(default_factory=list)
    alarms: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    expect: dict[str, Any] = field(default_factory=dict)
    decoys: list[str] = field(default_factory=list)
    _values: dict[tuple, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.namer = Namer(self.rng)
        if not self.onset:
            self.onset = float(-int(self.rng.integers(15, 51)) * STEP - int(self.rng.integers(0, 60)))

    def values_of(self, ref: dict[str, Any]) -> np.ndarray:
        """The raw per-minute values of a metric added earlier (``ref`` as returned by add_metric)."""
        return self._values[_key(ref["namespace"], ref["name"], ref["dimensions"])]

    # --- helpers -----------------------------------------------------------------------------
    def uniform(self, low: float, high: float) -> float:
        return float(self.rng.uniform(low, high))

    def randint(self, low: int, high: int) -> int:
        """Integer in [low, high]."""
        return int(self.rng.integers(low, high + 1))

    def chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    def pick(self, options: list[Any]) -> Any:
        return options[int(self.rng.integers(len(options)))]

    # --- content -----------------------------------------------------------------------------
    def add_resource(self, rtype: str, rid: str, **properties: Any) -> None:
        entry: dict[str, Any] = {"type": rtype, "id": rid}
        if properties:
            entry["properties"] = properties
        self.resources.append(entry)

    def add_metric(self, namespace: str, name: str, dimensions: dict[str, str], unit: str, values: Series,
                   decimals: int = 3, keep: np.ndarray | None = None) -> dict[str, str]:
        self._values[_key(namespace, name, dimensions)] = np.asarray(values, dtype=float)
        self.metrics.append({"namespace": namespace, "name": name, "dimensions": dict(dimensions), "unit": unit,
                             "points": to_points(values, decimals, keep)})
        return {"namespace": namespace, "name": name, "dimensions": dict(dimensions)}

    def add_log(self, group: str, stream: str, events: list[tuple[float, str]]) -> None:
        if not events:
            return
        rows = sorted(((round(min(float(t), -0.5), 3), msg) for t, msg in events), key=lambda e: e[0])
        self.logs.append({"group": group, "stream": stream, "events": [list(e) for e in rows]})

    def add_change(self, time: float, source: str, event: str, rtype: str, rname: str, user: str) -> None:
        self.changes.append({"time": int(round(time)), "event_source": source, "event_name": event,
                             "resource_type": rtype, "resource_name": rname, "username": user})

    def add_alarm(self, name: str, metric: dict[str, Any], statistic: str, threshold: float,
                  comparison: str = "GreaterThanThreshold", period: int = 60, evaluation_periods: int = 3,
                  state: str = "ALARM", state_changed: float | None = None, description: str | None = None) -> str:
        if state_changed is None:
            state_changed = self.onset + evaluation_periods * period + self.randint(40, 200)
        state_changed = min(float(state_changed), float(END))
        word = {"GreaterThanThreshold": "greater than", "LessThanThreshold": "less than",
                "GreaterThanOrEqualToThreshold": "greater than or equal to",
                "LessThanOrEqualToThreshold": "less than or equal to"}[comparison]
        if state == "ALARM":
            reason = (f"Threshold Crossed: {evaluation_periods} datapoint{'s' if evaluation_periods > 1 else ''} "
                      f"{'were' if evaluation_periods > 1 else 'was'} {word} the threshold ({float(threshold)}).")
        else:
            reason = (f"Threshold Crossed: {evaluation_periods} datapoint{'s' if evaluation_periods > 1 else ''} "
                      f"{'were' if evaluation_periods > 1 else 'was'} not {word} the threshold ({float(threshold)}).")
        alarm = {"name": name, "namespace": metric["namespace"], "metric": metric["name"],
                 "dimensions": dict(metric["dimensions"]), "statistic": statistic, "period": period,
                 "evaluation_periods": evaluation_periods, "threshold": threshold, "comparison": comparison,
                 "state": state, "state_reason": reason,
                 "state_changed": int(state_changed if state == "ALARM" else -self.randint(20000, 80000))}
        if description:
            alarm["description"] = description
        self.alarms.append(alarm)
        return name

    def set_expect(self, alarm: str, category: str, resources: list[str], anomalies: list[dict[str, Any]]) -> None:
        self.category = category
        self.expect = {"alarm": alarm, "root_cause": {"category": category, "resource": list(resources)},
                       "anomalies": anomalies}

    def to_dict(self) -> dict[str, Any]:
        return {"format": "aiops-scenario/v1", "name": self.name, "description": self.description,
                "region": self.region, "resources": self.resources, "metrics": self.metrics,
                "logs": sorted(self.logs, key=lambda l: (l["group"], l["events"][0][0])),
                "alarms": self.alarms, "changes": sorted(self.changes, key=lambda c: c["time"]),
                "expect": self.expect}


def _key(namespace: str, name: str, dimensions: dict[str, str]) -> tuple:
    return namespace, name, tuple(sorted(dimensions.items()))
