"""analyzers.report: the JSON document (schema contract) and its Markdown rendering, from hand-built input."""
from __future__ import annotations

import copy
import dataclasses
import hashlib
from datetime import datetime, timedelta, timezone

import jsonschema
import pytest

from analyzers.model import (Alarm, Anomaly, Change, Hypothesis, LogPattern, MetricKey, ResourceRef, Script,
                             TimelineEvent)
from analyzers.report import ReportInput, build_report, render_markdown
from tests.conftest import assert_valid_report

T0 = datetime(2026, 1, 10, 12, 0, tzinfo=timezone.utc)
FN = ResourceRef("lambda", "checkout-api", "us-east-1")
KEY = MetricKey.of("AWS/Lambda", "Errors", {"FunctionName": "checkout-api"}, "Sum", "us-east-1")


def _script(script_id: str, language: str = "bash") -> Script:
    body = "#!/usr/bin/env bash\naws lambda update-alias --function-name checkout-api --name live\n"
    return Script(script_id, language, "Roll back checkout-api", body, hashlib.sha256(body.encode()).hexdigest(),
                  "medium", "bad_deployment", "Points the alias back.", "Run it yourself after review.")


def make_input(**overrides) -> ReportInput:
    alarm = Alarm("checkout-errors", "us-east-1", arn="arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-errors",
                  state="ALARM", namespace="AWS/Lambda", metric="Errors", dimensions=KEY.dimensions,
                  statistic="Sum", threshold=5, comparison="GreaterThanThreshold")
    change = Change("c1", T0 - timedelta(minutes=25), "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
                    "AWS::Lambda::Function", "checkout-api", "ci-deployer", "us-east-1")
    pattern = LogPattern("l1", "KeyError: <*> | pipe", 40, "/aws/lambda/checkout-api", T0 - timedelta(minutes=20),
                         T0, ("KeyError: 'shipping_address'",), 0, 40, 0.0, 2.0, True, "ERROR", "exception", "KeyError")
    anomaly = Anomaly("a1", "m1", KEY, FN, T0 - timedelta(minutes=20), 0.9, 0.0, 12.0, "up")
    hypotheses = (Hypothesis("bad_deployment", FN, 0.8, ("[c1] UpdateFunctionCode on checkout-api",), "deploy"),
                  Hypothesis("application_error", FN, 0.3, ("[l1] KeyError",)))
    timeline = (TimelineEvent(change.time, "change", "UpdateFunctionCode on checkout-api", "c:c1"),
                TimelineEvent(anomaly.onset, "anomaly_start", "Errors up", "a1"),
                TimelineEvent(T0 - timedelta(minutes=15), "alarm", "alarm checkout-errors -> ALARM"))
    data = dict(investigation_id="inv-20260110-120000-abcdef", created_at=T0, alarm=alarm,
                window_start=T0 - timedelta(hours=6), window_end=T0, onset=anomaly.onset, resources=[FN],
                hypotheses=hypotheses, timeline=timeline, patterns=[pattern], anomalies=[anomaly], changes=[change],
                scripts=[_script("rollback"), _script("inspect", "python")], description="users report 500s",
                evidence_bundle={"log_queries": [{"log_group": "/aws/lambda/checkout-api", "start": "s", "end": "e",
                                                  "api": "StartQuery", "query": "fields @message"}],
                                 "metric_window": {"start": "s", "end": "e", "series": 4}},
                steps={"alarm": {"status": "ok"}, "logs": {"status": "degraded", "error": "AccessDenied on g"}},
                redaction={"emails": 2})
    data.update(overrides)
    return ReportInput(**data)


def test_report_validates_and_root_cause_is_first_hypothesis(report_schema):
    report = build_report(make_input())
    assert_valid_report(report, report_schema)
    assert report["root_cause"] == report["hypotheses"][0]
    assert report["root_cause"]["category"] == "bad_deployment"
    assert report["degraded"] == {"logs": "AccessDenied on g"}
    assert report["created_at"] == "2026-01-10T12:00:00Z"
    assert report["summary"].startswith("Most likely root cause: bad deployment on lambda checkout-api")


def test_summary_says_when_claude_chose_the_root_cause():
    # GIVEN Claude re-ranked the hypotheses WHEN the report is built
    report = build_report(make_input(llm={"status": "ok", "reranked": True}))
    # THEN the summary does not pass the engine's confidence off as the reason for the choice
    assert "(ranked first by Claude; engine confidence " in report["summary"]
    assert "ranked first by Claude" not in build_report(make_input(llm={"status": "ok", "reranked": False}))["summary"]


def test_schema_rejects_a_bad_script_hash(report_schema):
    # the schema fixture really checks: a truncated sha256 is refused
    report = build_report(make_input())
    broken = copy.deepcopy(report)
    broken["scripts"][0]["sha256"] = "abc"
    with pytest.raises(jsonschema.ValidationError):
        assert_valid_report(broken, report_schema)
    del broken["root_cause"]
    with pytest.raises(jsonschema.ValidationError):
        assert_valid_report(broken, report_schema)


def test_unknown_root_cause_summary(report_schema):
    unknown = Hypothesis("unknown", FN, 0.1, ("no evidence strong enough to name a cause",))
    report = build_report(make_input(hypotheses=(unknown,), scripts=[]))
    assert_valid_report(report, report_schema)
    assert "does not point at a specific cause" in report["summary"]


def test_markdown_renders_every_section():
    report = build_report(make_input())
    md = render_markdown(report)
    assert md.startswith("# Investigation inv-20260110-120000-abcdef: checkout-errors")
    for section in ("## Summary", "## Root cause", "## Hypotheses", "## Timeline", "## Log patterns",
                    "## Changes", "## Remediation scripts", "## Evidence bundle (re-run these)",
                    "## Degraded steps"):
        assert section in md, section
    assert "**bad_deployment** on lambda `checkout-api` (confidence 80%)" in md
    assert "| 1 | bad_deployment | lambda checkout-api | 80% |" in md
    assert "never runs them" in md
    assert "```bash" in md and "```python" in md
    assert f"sha256 `{report['scripts'][0]['sha256']}`" in md
    assert "KeyError: <*> \\| pipe" in md  # table cells are escaped
    assert "UpdateFunctionCode20150331v2 on `checkout-api` by ci-deployer" in md
    assert "- logs: AccessDenied on g" in md
    assert "_redacted: 2 emails_" in md


def test_markdown_shows_recorded_approval():
    report = build_report(make_input())
    report["scripts"][0]["approval"] = {"decision": "approved", "user_name": "ana"}
    assert "(bash, risk: medium) - approved by ana" in render_markdown(report)


def test_markdown_lists_the_log_stream_probes_of_the_evidence_bundle():
    # GIVEN a bundle that records two DescribeLogStreams probes, one of them refused
    probes = [{"api": "DescribeLogStreams", "log_group": "/yard/app", "stream_prefix": "i-0a7d", "streams": 1},
              {"api": "DescribeLogStreams", "log_group": "/ops/app", "stream_prefix": "i-0a7d", "error": "AccessDenied"}]
    report = build_report(make_input(evidence_bundle={"log_queries": [], "log_stream_probes": probes}))
    # WHEN it is rendered
    md = render_markdown(report)
    # THEN both are listed to re-run, with what each found
    assert "- log streams `/yard/app` prefix `i-0a7d` via DescribeLogStreams: 1 stream(s)" in md
    assert "- log streams `/ops/app` prefix `i-0a7d` via DescribeLogStreams: error AccessDenied" in md


def test_markdown_without_optional_sections():
    report = build_report(make_input(changes=[], steps={"alarm": {"status": "ok"}}, redaction={},
                                     evidence_bundle={}))
    md = render_markdown(report)
    assert "## Changes" not in md and "## Degraded steps" not in md and "## Evidence bundle" not in md
    assert "## Timeline" in md


def test_markdown_links_name_the_alarms_account():
    # GIVEN a report whose alarm is prod's (account in the ARN) and which has console links
    prod = dataclasses.replace(make_input().alarm, arn="arn:aws:cloudwatch:us-east-1:111111111111:alarm:x",
                               account="prod")
    report = build_report(make_input(alarm=prod))
    report["links"] = {"alarm": "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1"}
    # WHEN rendered THEN the links section says which account to sign in to
    assert "Sign in to account prod (111111111111) first" in render_markdown(report)
    # AND without an ARN or account name it says nothing about accounts
    report = build_report(make_input(alarm=dataclasses.replace(prod, arn=None, account=None)))
    report["links"] = {"alarm": "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1"}
    assert "Sign in to account" not in render_markdown(report)


def test_markdown_says_degraded_steps_up_front_and_shows_evidence_ids_as_code():
    md = render_markdown(build_report(make_input()))
    assert md.index("> Some steps ran degraded (logs)") < md.index("## Root cause")
    assert "- `c1` UpdateFunctionCode on checkout-api" in md
