"""CloudWatch Logs operations: DescribeLogGroups, DescribeLogStreams, FilterLogEvents, Logs Insights queries.

FilterLogEvents is paginated up to a line limit; Logs Insights queries are
started, polled to completion (bounded in time and, optionally, in bytes scanned)
and returned as rows. Filtering that matters for correctness is also applied
client-side, so no result depends on an emulator honouring a filter pattern.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from analyzers.model import LogRecord

from .clients import AwsError, call

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InsightsResult:
    """Rows of a finished Logs Insights query, with its statistics.

    ``capped`` marks a query stopped early because it scanned more than its byte cap: the rows are
    the partial results found until then.
    """

    query_id: str
    status: str
    rows: tuple[dict[str, str], ...]
    bytes_scanned: float = 0.0
    records_matched: float = 0.0
    capped: bool = False


def describe_log_groups(client: Any, prefix: str | None = None, limit: int = 500) -> list[str]:
    """Names of log groups (optionally with a prefix)."""
    kwargs: dict[str, Any] = {}
    if prefix:
        kwargs["logGroupNamePrefix"] = prefix
    names: list[str] = []
    while len(names) < limit:
        page = call("DescribeLogGroups", client.describe_log_groups, **kwargs)
        names.extend(g["logGroupName"] for g in page.get("logGroups", []))
        token = page.get("nextToken")
        if not token:
            break
        kwargs["nextToken"] = token
    return names[:limit]


def describe_log_streams(client: Any, group: str, prefix: str, limit: int = 5) -> list[str]:
    """Names of up to ``limit`` streams of ``group`` whose names start with ``prefix``."""
    page = call("DescribeLogStreams", client.describe_log_streams, logGroupName=group,
                logStreamNamePrefix=prefix, limit=limit)
    return [s["logStreamName"] for s in page.get("logStreams", [])][:limit]


def filter_log_events(client: Any, group: str, start: datetime, end: datetime, limit: int,
                      pattern: str | None = None) -> tuple[list[LogRecord], bool]:
    """Events of a group in [start, end), newest ``limit`` kept; returns (records, truncated)."""
    kwargs: dict[str, Any] = {"logGroupName": group, "startTime": int(start.timestamp() * 1000),
                              "endTime": int(end.timestamp() * 1000), "interleaved": True}
    if pattern:
        kwargs["filterPattern"] = pattern
    records: list[LogRecord] = []
    truncated = False
    while True:
        page = call("FilterLogEvents", client.filter_log_events, **kwargs)
        for event in page.get("events", []):
            ts = event["timestamp"] / 1000.0
            if kwargs["startTime"] <= event["timestamp"] < kwargs["endTime"]:
                records.append(LogRecord(group, event.get("logStreamName", ""), ts, event.get("message", "")))
        token = page.get("nextToken")
        if len(records) >= limit * 4:  # bound memory; keep the newest below
            truncated = True
            break
        if not token or token == kwargs.get("nextToken"):
            break
        kwargs["nextToken"] = token
    records.sort(key=lambda r: r.timestamp)
    if len(records) > limit:
        truncated = True
        records = records[-limit:]
    return records, truncated


def run_insights_query(client: Any, groups: list[str], query: str, start: datetime, end: datetime,
                       limit: int, timeout_s: float = 60.0,
                       sleep: Callable[[float], None] = time.sleep,
                       max_bytes: float | None = None) -> InsightsResult:
    """Start a Logs Insights query and poll it until it completes (or time out and stop it).

    With ``max_bytes``, a query whose ``statistics.bytesScanned`` passes the cap while it runs is
    stopped (StopQuery) and the rows it had found so far come back with ``capped=True``.
    """
    started = call("StartQuery", client.start_query, logGroupNames=groups, queryString=query,
                   startTime=int(start.timestamp()), endTime=int(end.timestamp()), limit=min(limit, 10000))
    query_id = started["queryId"]
    waited, delay = 0.0, 0.5
    while True:
        page = call("GetQueryResults", client.get_query_results, queryId=query_id)
        status = page.get("status", "Unknown")
        if status in ("Complete", "Failed", "Cancelled", "Timeout"):
            break
        scanned = float(page.get("statistics", {}).get("bytesScanned", 0.0))
        if max_bytes is not None and scanned > max_bytes:
            _stop_query(client, query_id)
            log.info("Logs Insights query %s stopped at %.0f bytes scanned (cap %.0f)", query_id, scanned, max_bytes)
            return _result(query_id, status, page, capped=True)
        if waited >= timeout_s:
            _stop_query(client, query_id)
            raise AwsError("GetQueryResults", "Timeout", f"query {query_id} did not finish in {timeout_s:.0f}s")
        sleep(delay)
        waited += delay
        delay = min(delay * 2, 5.0)
    if status != "Complete":
        raise AwsError("GetQueryResults", status, f"query {query_id} ended {status}")
    return _result(query_id, status, page)


def _stop_query(client: Any, query_id: str) -> None:
    try:
        call("StopQuery", client.stop_query, queryId=query_id)
    except AwsError as exc:  # it may have finished meanwhile; nothing else to do
        log.info("StopQuery %s: %s", query_id, exc.code)


def _result(query_id: str, status: str, page: dict[str, Any], capped: bool = False) -> InsightsResult:
    rows = tuple({f["field"]: f.get("value", "") for f in row} for row in page.get("results", []))
    stats = page.get("statistics", {})
    return InsightsResult(query_id, status, rows, float(stats.get("bytesScanned", 0.0)),
                          float(stats.get("recordsMatched", 0.0)), capped)
