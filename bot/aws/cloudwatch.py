"""CloudWatch operations: DescribeAlarms, DescribeAlarmHistory, GetMetricData (batched).

Functions take a boto3 ``cloudwatch`` client and return domain records. Metric
queries go out in batches of at most 500 per GetMetricData call, following
NextToken, so one poll costs ceil(series / 500) calls per region (plus pages).
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, Sequence

from analyzers.model import Alarm, MetricKey, Series

from .clients import call

log = logging.getLogger(__name__)

MAX_QUERIES_PER_CALL = 500


@dataclass(frozen=True)
class MetricQuery:
    """One series to fetch: a metric key (its ``stat``) at a period in seconds."""

    key: MetricKey
    period: int = 60


@dataclass(frozen=True)
class AlarmTransition:
    """One StateUpdate item from the alarm history."""

    time: datetime
    old_state: str | None
    new_state: str | None
    summary: str


def alarm_from_api(item: dict[str, Any], region: str) -> Alarm:
    """Build an :class:`Alarm` from a DescribeAlarms ``MetricAlarms`` item."""
    dims = tuple(sorted((d["Name"], d["Value"]) for d in item.get("Dimensions", [])))
    changed = item.get("StateUpdatedTimestamp")
    return Alarm(
        name=item["AlarmName"], region=region, arn=item.get("AlarmArn"),
        state=item.get("StateValue"), state_reason=item.get("StateReason"),
        state_changed=_utc(changed) if changed else None,
        namespace=item.get("Namespace"), metric=item.get("MetricName"), dimensions=dims,
        statistic=item.get("Statistic") or item.get("ExtendedStatistic"),
        period=int(item.get("Period") or 60), evaluation_periods=int(item.get("EvaluationPeriods") or 1),
        threshold=item.get("Threshold"), comparison=item.get("ComparisonOperator"),
        description=item.get("AlarmDescription"))


def describe_alarms(client: Any, region: str, names: Sequence[str] | None = None,
                    state: str | None = None) -> list[Alarm]:
    """All metric alarms (optionally by name or state), following NextToken."""
    kwargs: dict[str, Any] = {"AlarmTypes": ["MetricAlarm"]}
    if names:
        kwargs["AlarmNames"] = list(names)
    if state:
        kwargs["StateValue"] = state
    alarms: list[Alarm] = []
    while True:
        page = call("DescribeAlarms", client.describe_alarms, **kwargs)
        alarms.extend(alarm_from_api(item, region) for item in page.get("MetricAlarms", []))
        token = page.get("NextToken")
        if not token:
            return alarms
        kwargs["NextToken"] = token


def describe_alarm_history(client: Any, name: str, start: datetime, end: datetime) -> list[AlarmTransition]:
    """StateUpdate history items of one alarm, oldest first."""
    kwargs: dict[str, Any] = {"AlarmName": name, "HistoryItemType": "StateUpdate",
                              "StartDate": start, "EndDate": end, "ScanBy": "TimestampAscending"}
    out: list[AlarmTransition] = []
    while True:
        page = call("DescribeAlarmHistory", client.describe_alarm_history, **kwargs)
        for item in page.get("AlarmHistoryItems", []):
            old = new = None
            try:
                data = json.loads(item.get("HistoryData") or "{}")
                old = data.get("oldState", {}).get("stateValue")
                new = data.get("newState", {}).get("stateValue")
            except (ValueError, AttributeError):
                pass
            out.append(AlarmTransition(_utc(item["Timestamp"]), old, new, item.get("HistorySummary", "")))
        token = page.get("NextToken")
        if not token:
            return sorted(out, key=lambda t: t.time)
        kwargs["NextToken"] = token


def metric_data_query(query_id: str, query: MetricQuery) -> dict[str, Any]:
    key = query.key
    return {"Id": query_id, "ReturnData": True, "MetricStat": {
        "Metric": {"Namespace": key.namespace, "MetricName": key.name,
                   "Dimensions": [{"Name": k, "Value": v} for k, v in key.dimensions]},
        "Period": query.period, "Stat": key.stat}}


def chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def get_metric_data(client: Any, queries: Sequence[MetricQuery], start: datetime, end: datetime,
                    units: dict[MetricKey, str] | None = None) -> list[Series]:
    """Fetch every query's series in batches of 500; result i answers queries[i] (id ``m{i+1}``)."""
    parts: dict[str, list[tuple[list[float], list[float]]]] = {}
    last_stamps: list[datetime] = []
    last_epochs: list[float] = []
    for offset, batch in _enumerate_batches(queries):
        payload = [metric_data_query(f"q{offset + j}", q) for j, q in enumerate(batch)]
        kwargs: dict[str, Any] = {"MetricDataQueries": payload, "StartTime": start, "EndTime": end,
                                  "ScanBy": "TimestampAscending"}
        while True:
            page = call("GetMetricData", client.get_metric_data, **kwargs)
            for result in page.get("MetricDataResults", []):
                stamps = result.get("Timestamps", [])
                if stamps != last_stamps:  # series of one poll share their time grid: convert it once
                    last_stamps, last_epochs = stamps, _epochs(stamps)
                parts.setdefault(result["Id"], []).append((last_epochs, result.get("Values", [])))
            token = page.get("NextToken")
            if not token:
                break
            kwargs["NextToken"] = token
    series: list[Series] = []
    for i, query in enumerate(queries):
        timestamps, values = _assemble(parts.get(f"q{i}", []))
        series.append(Series(id=f"m{i + 1}", key=query.key, timestamps=timestamps, values=values,
                             unit=(units or {}).get(query.key)))
    return series


def _assemble(parts: list[tuple[list[float], list[float]]]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """One series from its result pages: ascending, one value per timestamp."""
    if len(parts) == 1 and parts[0][0] == sorted(parts[0][0]):
        return tuple(parts[0][0]), tuple(map(float, parts[0][1]))
    points: dict[float, float] = {}
    for epochs, values in parts:
        points.update(zip(epochs, map(float, values)))
    keys = sorted(points)
    return tuple(keys), tuple(map(points.__getitem__, keys))


def _enumerate_batches(queries: Sequence[MetricQuery]) -> Iterable[tuple[int, Sequence[MetricQuery]]]:
    for i in range(0, len(queries), MAX_QUERIES_PER_CALL):
        yield i, queries[i:i + MAX_QUERIES_PER_CALL]


def list_metrics(client: Any, namespace: str, name: str | None = None) -> list[tuple[str, dict[str, str]]]:
    """(metric name, dimensions) of every metric in a namespace, following NextToken."""
    kwargs: dict[str, Any] = {"Namespace": namespace}
    if name:
        kwargs["MetricName"] = name
    out: list[tuple[str, dict[str, str]]] = []
    while True:
        page = call("ListMetrics", client.list_metrics, **kwargs)
        for metric in page.get("Metrics", []):
            out.append((metric["MetricName"], {d["Name"]: d["Value"] for d in metric.get("Dimensions", [])}))
        token = page.get("NextToken")
        if not token:
            return out
        kwargs["NextToken"] = token


def _epochs(stamps: Sequence[datetime]) -> list[float]:
    """Epoch seconds of response timestamps (naive ones are UTC); the hot loop of a large poll."""
    return [t.timestamp() if t.tzinfo is not None else _utc(t).timestamp() for t in stamps]


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)
