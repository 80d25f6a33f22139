"""Scenario files (aiops-scenario/v1): parsing, validation and relative-to-absolute time.

A scenario describes a slice of an AWS account during an incident. Times in the
file are seconds relative to load time; :class:`Scenario` keeps them relative
and :meth:`Scenario.at` converts. The ``expect`` block is for graders only and is
never read by the bot.
"""
from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import botocore.session
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.yaml_files import read_yaml_file

logger = logging.getLogger(__name__)

class ScenarioError(Exception):
    """A scenario file that cannot be used, phrased for the user."""


DAY = 86400
# Times are seconds relative to load time: CloudWatch takes data points and log events of the last two weeks,
# CloudTrail keeps 90 days of events, and an alarm may have been in its state for long; a few days ahead is allowed
RelativeTime = Annotated[float, Field(ge=-14 * DAY, le=7 * DAY, allow_inf_nan=False)]
ChangeTime = Annotated[float, Field(ge=-90 * DAY, le=7 * DAY, allow_inf_nan=False)]
StateTime = Annotated[float, Field(ge=-366 * DAY, le=7 * DAY, allow_inf_nan=False)]


def _finite_value(value: float) -> float:
    if not math.isfinite(value) or abs(value) > 1e300:
        raise ValueError("must be a finite number (magnitude at most 1e300)")
    return value


Value = Annotated[float, AfterValidator(_finite_value)]
_COUNT_PROPERTIES = {  # resource properties the emulator needs as whole numbers: name -> smallest value
    "timeout": 1, "memory_size": 128, "reserved_concurrency": 0, "allocated_storage_gb": 0, "desired_count": 0}


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)  # unknown keys: ignored, with a warning (unknown_keys)


@lru_cache(maxsize=1)
def known_regions() -> frozenset[str]:
    """The regions botocore (and so the emulator) knows, in every partition."""
    session = botocore.session.get_session()
    return frozenset(region for partition in session.get_available_partitions()
                     for region in session.get_available_regions("cloudwatch", partition_name=partition))


def _known_region(value: str | None) -> str | None:
    if value is not None and value not in known_regions():
        raise ValueError(f"'{value}' is not an AWS region (like us-east-1)")
    return value


class _Regional(_Model):
    """An item that may live in another region than the scenario's."""

    region: str | None = None

    @field_validator("region")
    @classmethod
    def _region(cls, value: str | None) -> str | None:
        return _known_region(value)


class ScenarioResource(_Regional):
    type: Literal["ec2", "lambda", "rds", "ecs", "apigateway", "alb"]
    id: str = Field(min_length=1)
    properties: dict[str, Any] = Field(default_factory=dict)

    @field_validator("properties")
    @classmethod
    def _counts(cls, properties: dict[str, Any]) -> dict[str, Any]:
        for name, least in _COUNT_PROPERTIES.items():
            value = properties.get(name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                    or value != int(value) or value < least:
                raise ValueError(f"'{name}' must be a whole number of at least {least}, not {value!r}")
        return properties


class ScenarioMetric(_Regional):
    namespace: str
    name: str
    dimensions: dict[str, str] = Field(default_factory=dict)
    unit: str | None = None
    points: list[tuple[RelativeTime, Value]] = Field(default_factory=list)


class ScenarioLog(_Regional):
    group: str
    stream: str
    events: list[tuple[RelativeTime, str]] = Field(default_factory=list)


class ScenarioAlarm(_Regional):
    name: str
    namespace: str
    metric: str
    dimensions: dict[str, str] = Field(default_factory=dict)
    statistic: str = "Average"
    period: int = Field(default=60, ge=10, le=DAY)
    evaluation_periods: int = Field(default=1, ge=1, le=10_080)
    threshold: Value
    comparison: str = "GreaterThanThreshold"
    state: Literal["OK", "ALARM", "INSUFFICIENT_DATA"] = "OK"
    state_reason: str = ""
    state_changed: StateTime = 0
    description: str | None = None


class ScenarioChange(_Regional):
    time: ChangeTime
    event_source: str
    event_name: str
    resource_type: str | None = None
    resource_name: str | None = None
    username: str | None = None


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
        return str(_known_region(value))

    @field_validator("loaded_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("needs a timezone, like 2026-01-01T12:00:00Z")
        if abs(value - datetime.now(timezone.utc)) > timedelta(days=7):  # its data would be outside CloudWatch's
            raise ValueError("must be within 7 days of now (the data would be too old or too new for CloudWatch)")
        return value

    @model_validator(mode="after")
    def _unique(self) -> "Scenario":
        seen: set[tuple[str, str, str]] = set()
        for resource in self.resources:
            key = (resource.type, resource.id, self.region_of(resource))
            if key in seen:
                raise ValueError(f"{resource.type} '{resource.id}' is listed twice in {key[2]}")
            seen.add(key)
        names: set[tuple[str, str]] = set()
        for alarm in self.alarms:
            if (alarm.name, self.region_of(alarm)) in names:
                raise ValueError(f"alarm '{alarm.name}' is listed twice in {self.region_of(alarm)}")
            names.add((alarm.name, self.region_of(alarm)))
        return self

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
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise ScenarioError(f"{source}: '{where}': {message}" if where else f"{source}: {message}") from None
    unknown = unknown_keys(scenario)
    if unknown:  # a typo (state_change for state_changed) would otherwise fall back to a default unseen
        logger.warning("%s: unknown key(s) ignored: %s", source, ", ".join(unknown[:8])
                       + (f" and {len(unknown) - 8} more" if len(unknown) > 8 else ""))
    return scenario


def unknown_keys(model: BaseModel, where: str = "") -> list[str]:
    """Dotted paths of the keys a scenario has that its format does not define (``alarms.0.colour``)."""
    found = [f"{where}{key}" for key in (model.model_extra or {})]
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = value if isinstance(value, (list, tuple)) else [value]
        for i, item in enumerate(items):
            if isinstance(item, BaseModel):
                index = f"{i}." if isinstance(value, (list, tuple)) else ""
                found += unknown_keys(item, f"{where}{name}.{index}")
    return found


def load_scenario(path: str | Path, loaded_at: datetime | None = None) -> Scenario:
    """Read and validate a scenario file (YAML or JSON). Raises ScenarioError with a clear message."""
    file = Path(path)
    data = read_yaml_file(file, "scenario", ScenarioError)
    return parse_scenario(data, str(file), loaded_at)
