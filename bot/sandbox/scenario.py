"""Scenario files (aiops-scenario/v1): parsing, validation and relative-to-absolute time.

A scenario describes a slice of an AWS account during an incident. Times in the
file are seconds relative to load time; :class:`Scenario` keeps them relative
and :meth:`Scenario.at` converts. The ``expect`` block is for graders only and is
never read by the bot.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.yaml_files import read_yaml_file


class ScenarioError(Exception):
    """A scenario file that cannot be used, phrased for the user."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ScenarioResource(_Model):
    type: Literal["ec2", "lambda", "rds", "ecs", "apigateway", "alb"]
    id: str = Field(min_length=1)
    region: str | None = None
    properties: dict[str, Any] = Field(default_factory=dict)


class ScenarioMetric(_Model):
    namespace: str
    name: str
    dimensions: dict[str, str] = Field(default_factory=dict)
    unit: str | None = None
    region: str | None = None
    points: list[tuple[float, float]] = Field(default_factory=list)


class ScenarioLog(_Model):
    group: str
    stream: str
    region: str | None = None
    events: list[tuple[float, str]] = Field(default_factory=list)


class ScenarioAlarm(_Model):
    name: str
    namespace: str
    metric: str
    dimensions: dict[str, str] = Field(default_factory=dict)
    statistic: str = "Average"
    period: int = 60
    evaluation_periods: int = 1
    threshold: float
    comparison: str = "GreaterThanThreshold"
    state: Literal["OK", "ALARM", "INSUFFICIENT_DATA"] = "OK"
    state_reason: str = ""
    state_changed: float = 0
    description: str | None = None
    region: str | None = None


class ScenarioChange(_Model):
    time: float
    event_source: str
    event_name: str
    resource_type: str | None = None
    resource_name: str | None = None
    username: str | None = None
    region: str | None = None


class Scenario(_Model):
    """A validated scenario. ``loaded_at`` is the instant relative times are measured from."""

    format: Literal["aiops-scenario/v1"]
    name: str
    description: str = ""
    region: str = "us-east-1"
    resources: list[ScenarioResource] = Field(default_factory=list)
    metrics: list[ScenarioMetric] = Field(default_factory=list)
    logs: list[ScenarioLog] = Field(default_factory=list)
    alarms: list[ScenarioAlarm] = Field(default_factory=list)
    changes: list[ScenarioChange] = Field(default_factory=list)
    loaded_at: datetime = Field(default_factory=lambda: _minute(datetime.now(timezone.utc)))

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        if len(value.split("-")) < 3:
            raise ValueError(f"'{value}' is not an AWS region name")
        return value

    def at(self, relative_seconds: float) -> datetime:
        return self.loaded_at + timedelta(seconds=float(relative_seconds))

    def region_of(self, item: Any) -> str:
        return getattr(item, "region", None) or self.region

    @property
    def regions(self) -> list[str]:
        found = {self.region}
        for group in (self.resources, self.metrics, self.logs, self.alarms, self.changes):
            found.update(self.region_of(item) for item in group)
        return sorted(found)


def _minute(value: datetime) -> datetime:
    return value.replace(second=0, microsecond=0)


def parse_scenario(data: object, source: str = "<scenario>", loaded_at: datetime | None = None) -> Scenario:
    if not isinstance(data, dict):
        raise ScenarioError(f"{source}: not a scenario (expected a mapping with format: aiops-scenario/v1)")
    data = {k: v for k, v in data.items() if k != "expect"}
    if loaded_at is not None:
        data["loaded_at"] = loaded_at
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ScenarioError(f"{source}: '{where}': {first['msg']}") from None


def load_scenario(path: str | Path, loaded_at: datetime | None = None) -> Scenario:
    """Read and validate a scenario file (YAML or JSON). Raises ScenarioError with a clear message."""
    file = Path(path)
    data = read_yaml_file(file, "scenario", ScenarioError)
    return parse_scenario(data, str(file), loaded_at)
