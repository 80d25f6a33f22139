"""Logs Insights queries by alarm type (analyzers.log_queries) and the scan budget in bot.engine.collect."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from analyzers.log_queries import (GENERIC_WORDS, KINDS, alarm_log_kind, filter_regex, insights_query,
                                   validate_insights_regex)
from analyzers.model import Alarm, LogRecord, ResourceRef
from bot.aws import AwsError
from bot.aws.logs import InsightsResult
from bot.config import Config
from bot.engine import collect, collect_logs

T0 = datetime(2026, 1, 10, 12, 0, tzinfo=timezone.utc)
ONSET = T0 - timedelta(minutes=30)


def _alarm(metric: str | None, namespace: str = "AWS/Lambda") -> Alarm:
    return Alarm(name="a", region="us-east-1", namespace=namespace, metric=metric)


def _regex_of(query: str) -> re.Pattern:
    body = re.search(r"like /(.*)/ \|", query).group(1)
    return re.compile(body)


# alarm kinds ---------------------------------------------------------------------------------

@pytest.mark.parametrize("namespace, metric, kind", [
    ("AWS/Lambda", "Errors", "errors"),
    ("AWS/ApiGateway", "5XXError", "errors"),
    ("AWS/ApiGateway", "4XXError", "errors"),
    ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "errors"),
    ("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "errors"),
    ("AWS/Lambda", "Throttles", "throttles"),
    ("AWS/DynamoDB", "ThrottledRequests", "throttles"),
    ("AWS/Lambda", "Duration", "latency"),
    ("AWS/ApiGateway", "Latency", "latency"),
    ("AWS/ApplicationELB", "TargetResponseTime", "latency"),
    ("AWS/RDS", "ReadLatency", "latency"),
    ("AWS/RDS", "WriteLatency", "latency"),
    ("AWS/EC2", "CPUUtilization", "saturation"),
    ("AWS/ECS", "MemoryUtilization", "saturation"),
    ("CWAgent", "mem_used_percent", "saturation"),
    ("CWAgent", "disk_used_percent", "saturation"),
    ("AWS/RDS", "DatabaseConnections", "saturation"),
    ("AWS/RDS", "FreeStorageSpace", "saturation"),
    ("AWS/RDS", "FreeableMemory", "saturation"),
    ("AWS/SQS", "NumberOfMessagesSent", "generic"),
])
def test_alarm_kind_follows_the_metric(namespace, metric, kind):
    # GIVEN an alarm on a metric WHEN its log kind is asked THEN it is the kind of question it raises
    assert alarm_log_kind(_alarm(metric, namespace)) == kind


def test_alarms_without_a_single_metric_are_generic():
    # GIVEN no alarm or a composite/metric-math alarm (no metric name) THEN the query is generic
    assert alarm_log_kind(None) == "generic"
    assert alarm_log_kind(_alarm(None)) == "generic"


# the query builder ---------------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_every_query_has_the_filter_sort_and_limit(kind):
    # GIVEN a kind and a limit WHEN the query is built
    query = insights_query(kind, 500)
    # THEN it reads the three fields, filters by a case-insensitive regex, sorts newest first, limits
    assert query.startswith("fields @timestamp, @message, @logStream | filter @message like /(?i)(")
    assert query.endswith(" | sort @timestamp desc | limit 500")
    validate_insights_regex(filter_regex(kind))  # raises if not usable inside /.../
    # AND the regex always keeps the generic problem words and stack-trace continuation lines
    regex = _regex_of(query)
    for word in GENERIC_WORDS:
        assert regex.search(f"something {word.upper()} happened"), word
    for line in ("    at com.shop.Checkout.pay(Checkout.java:42)", "\tat java.base/Thread.run",
                 '  File "/var/task/app.py", line 12, in handler', "Caused by: java.io.IOException",
                 "Traceback (most recent call last):"):
        assert regex.search(line), line
    # AND a plain info line is filtered out
    assert not regex.search("INFO order 42 accepted for customer 7")


def test_the_limit_is_capped_at_the_insights_maximum():
    # GIVEN a configured limit above what Insights returns WHEN building THEN the query asks for 10000
    assert insights_query("generic", 100000).endswith("| limit 10000")
    with pytest.raises(ValueError):
        insights_query("generic", 0)


@pytest.mark.parametrize("kind, only_this_kind, quiet", [
    ("errors", "HTTP/1.1 status=503 upstream reset", "INFO status=200 ok"),
    ("throttles", "Rate exceeded for account", "INFO request served"),
    ("throttles", "ProvisionedThroughputExceeded on table orders, backing off", "INFO put item"),
    ("latency", "slow query: took 5400 ms", "INFO cache warm"),
    ("latency", "REPORT RequestId: 1f Duration: 5999.12 ms Billed Duration: 6000 ms", "START RequestId: 1f"),
    ("saturation", "Runtime exited with signal: killed", "INFO job scheduled"),
    ("saturation", "sorry, too many connections for role app", "INFO pool ready"),
    ("saturation", "write /data/x: no space left on device", "INFO wrote /data/x"),
])
def test_each_kind_adds_its_vocabulary(kind, only_this_kind, quiet):
    # GIVEN the query for a kind and the generic query
    regex, generic = _regex_of(insights_query(kind, 10)), _regex_of(insights_query("generic", 10))
    # WHEN applied to a line of that kind that has none of the generic words, and to a quiet line
    # THEN the kind's query keeps the line, the generic one does not, and neither keeps the quiet line
    assert regex.search(only_this_kind) and not generic.search(only_this_kind)
    assert not regex.search(quiet) and not generic.search(quiet)
    # AND the kind's query still keeps the generic problem lines
    assert regex.search("Task timed out after 6.01 seconds") and regex.search("java.lang.OutOfMemoryError")


def test_lambda_report_lines_only_for_latency():
    # GIVEN a Lambda REPORT line THEN the latency query keeps it and the errors query does not
    line = "REPORT RequestId: 1f Duration: 12.1 ms Billed Duration: 13 ms Memory Size: 128 MB"
    assert _regex_of(insights_query("latency", 10)).search(line)
    assert not _regex_of(insights_query("errors", 10)).search(line)


@pytest.mark.parametrize("bad", ["(?i)(a/b)", "(?i)(a\\wb)", "(?i)(a", "(?i)(a)(?i)", "(?i)(a\nb)"])
def test_regexes_that_break_the_insights_literal_are_rejected(bad):
    # GIVEN a regex with an unescaped slash, an unusual escape, bad syntax, a late flag or a newline
    # WHEN validated THEN it is refused
    with pytest.raises(ValueError):
        validate_insights_regex(bad)
    validate_insights_regex("(?i)(a\\/b|\\s+at |5\\d\\d)")  # the allowed escapes pass
    with pytest.raises(ValueError):
        filter_regex("nonsense")


# fetch_logs and the scan budget --------------------------------------------------------------

class FakeGateway:
    """A gateway with Logs Insights: each query 'scans' ``scan_bytes`` and honours its byte cap."""

    insights_available = True
    region = "us-east-1"

    def __init__(self, groups: list[str], scan_bytes: float = 300.0, fail: AwsError | None = None) -> None:
        self.groups = groups
        self.scan_bytes = scan_bytes
        self.fail = fail
        self.insights_calls: list[dict[str, Any]] = []
        self.filter_calls: list[tuple[str, int]] = []

    def describe_log_groups(self, prefix: str | None = None) -> list[str]:
        return list(self.groups)

    def run_insights_query(self, groups, query, start, end, limit, max_bytes=None) -> InsightsResult:
        self.insights_calls.append({"groups": groups, "query": query, "limit": limit, "max_bytes": max_bytes})
        if self.fail:
            raise self.fail
        capped = max_bytes is not None and self.scan_bytes > max_bytes
        stamp = (end - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S.000")
        rows = ({"@timestamp": stamp, "@message": f"ERROR boom in {groups[0]}", "@logStream": "s1"},)
        return InsightsResult(f"q{len(self.insights_calls)}", "Running" if capped else "Complete", rows,
                              self.scan_bytes, 1.0, capped)

    def filter_log_events(self, group, start, end, limit, pattern=None):
        self.filter_calls.append((group, limit))
        return [LogRecord(group, "s1", (end - timedelta(minutes=1)).timestamp(), "ERROR read by filter")], False


def _config(max_bytes: int, limit: int = 50) -> Config:
    return Config.model_validate({"analysis": {"insights_max_bytes": max_bytes, "log_query_limit": limit}})


def _fetch(gateway: FakeGateway, config: Config, alarm: Alarm | None = None) -> collect.LogsOutput:
    resources = [ResourceRef("lambda", name, "us-east-1") for name in ("a", "b", "c")]
    kwargs = {"alarm": alarm} if alarm is not None else {}
    return collect_logs.fetch_logs(gateway, resources, config, ONSET, T0 - timedelta(hours=6), T0, **kwargs)


def test_each_query_gets_what_is_left_of_the_budget_then_filter_log_events_takes_over():
    # GIVEN three log groups, a 1000-byte budget and queries that each scan 300 bytes
    gateway = FakeGateway(["/aws/lambda/a", "/aws/lambda/b", "/aws/lambda/c"], scan_bytes=300)
    # WHEN the logs are fetched for a Lambda throttles alarm
    out = _fetch(gateway, _config(1000, limit=50), _alarm("Throttles"))
    # THEN every Insights query got the remaining budget as its cap, in order
    assert [c["max_bytes"] for c in gateway.insights_calls] == [1000, 700, 400, 100]
    assert all(c["limit"] == 50 and "throttl" in c["query"] and c["query"].endswith("| limit 50")
               for c in gateway.insights_calls)
    # AND the fourth query hit the cap: its partial rows are kept and it is marked capped
    entries = list(out.queries)
    assert [(e["log_group"], e["window"], e["api"]) for e in entries] == [
        ("/aws/lambda/a", "baseline", "StartQuery"), ("/aws/lambda/a", "incident", "StartQuery"),
        ("/aws/lambda/b", "baseline", "StartQuery"), ("/aws/lambda/b", "incident", "StartQuery"),
        ("/aws/lambda/c", "baseline", "FilterLogEvents"), ("/aws/lambda/c", "incident", "FilterLogEvents")]
    assert [e["capped"] for e in entries] == [False, False, False, True, False, False]
    assert [e.get("bytes_scanned") for e in entries[:4]] == [300, 300, 300, 300]
    # AND once spent, the last group is read with FilterLogEvents (bounded by log_query_limit), saying why
    assert gateway.filter_calls == [("/aws/lambda/c", 50), ("/aws/lambda/c", 50)]
    assert all("insights_max_bytes" in e["fallback_reason"] and e["query"] is None for e in entries[4:])
    # AND every entry records the kind, the window and a re-runnable query where Insights was used
    assert {e["kind"] for e in entries} == {"throttles"}
    assert all(e["query"].startswith("fields @timestamp") for e in entries[:4])
    assert all(e["start"] < e["end"] for e in entries)
    assert out.raw_lines == 6 and not out.errors


def test_a_zero_budget_never_starts_an_insights_query():
    # GIVEN insights_max_bytes = 0 WHEN logs are fetched THEN only FilterLogEvents is used
    gateway = FakeGateway(["/aws/lambda/a"])
    out = _fetch(gateway, _config(0))
    assert gateway.insights_calls == []
    assert [e["api"] for e in out.queries] == ["FilterLogEvents", "FilterLogEvents"]
    assert all(e["kind"] == "generic" and e["capped"] is False for e in out.queries)


def test_without_an_alarm_the_query_is_generic_and_within_budget_nothing_is_capped():
    # GIVEN a generous budget and no alarm (other callers) WHEN logs are fetched
    gateway = FakeGateway(["/aws/lambda/a", "/aws/lambda/b"], scan_bytes=10)
    out = _fetch(gateway, _config(5 * 1024**3))
    # THEN every read is an uncapped generic Insights query and the budget is charged for each
    assert [c["max_bytes"] for c in gateway.insights_calls] == [5 * 1024**3 - 10 * i for i in range(4)]
    assert all(c["query"] == insights_query("generic", 50) for c in gateway.insights_calls)
    assert [(e["api"], e["capped"], e["kind"]) for e in out.queries] == [("StartQuery", False, "generic")] * 4


def test_an_insights_failure_falls_back_and_records_why():
    # GIVEN Insights answering with an error WHEN logs are fetched
    gateway = FakeGateway(["/aws/lambda/a"], fail=AwsError("StartQuery", "AccessDeniedException", "no"))
    out = _fetch(gateway, _config(1000), _alarm("Duration"))
    # THEN each window is read with FilterLogEvents and the entry says Insights failed
    assert len(gateway.insights_calls) == 2 and len(gateway.filter_calls) == 2
    assert [e["fallback_reason"] for e in out.queries] == ["Logs Insights failed (AccessDeniedException)"] * 2
    assert {e["kind"] for e in out.queries} == {"latency"} and not out.errors
