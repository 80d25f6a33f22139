"""End to end: build_runtime with a tiny sandbox scenario and ANTHROPIC_BASE_URL at the Messages stub."""
from __future__ import annotations

import json

import pytest

from bot.engine.investigation import InvestigationRequest
from bot.wiring import build_runtime
from tests.stubs import MessagesApiStub

pytest.importorskip("moto")


def _scenario() -> dict:
    errors = [[-5400 + 60 * i, 0.0 if i < 80 else 9.0] for i in range(90)]
    invocations = [[-5400 + 60 * i, 20.0] for i in range(90)]
    ok_lines = [[-5400 + 60 * i + 0.5, f"INFO order {i} created"] for i in range(90)]
    bad_lines = [[-600 + 20 * i + 1.0, "ERROR KeyError: 'shipping_address' contact ops@example.com "
                                        "key AKIAZ3XQ7PLM4RT2WX9Q"] for i in range(25)]
    return {
        "format": "aiops-scenario/v1", "name": "tiny-llm", "description": "tiny", "region": "us-east-1",
        "resources": [{"type": "lambda", "id": "tiny-api", "properties": {"timeout": 30, "runtime": "python3.12"}}],
        "metrics": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "tiny-api"},
                     "unit": "Count", "points": errors},
                    {"namespace": "AWS/Lambda", "name": "Invocations", "dimensions": {"FunctionName": "tiny-api"},
                     "unit": "Count", "points": invocations}],
        "logs": [{"group": "/aws/lambda/tiny-api", "stream": "2026/11/25/[$LATEST]abcd",
                  "events": sorted(ok_lines + bad_lines)}],
        "alarms": [{"name": "tiny-api-errors", "namespace": "AWS/Lambda", "metric": "Errors",
                    "dimensions": {"FunctionName": "tiny-api"}, "statistic": "Sum", "period": 60,
                    "evaluation_periods": 3, "threshold": 5, "comparison": "GreaterThanThreshold",
                    "state": "ALARM", "state_reason": "Threshold Crossed", "state_changed": -420}],
        "changes": [{"time": -700, "event_source": "lambda.amazonaws.com", "event_name": "UpdateFunctionCode20150331v2",
                     "resource_type": "AWS::Lambda::Function", "resource_name": "tiny-api", "username": "ci"}],
    }


def test_investigation_with_claude_reports_the_llm_narrative(tmp_path, monkeypatch):
    # GIVEN a tiny scenario, an API key and ANTHROPIC_BASE_URL pointing at the stub
    path = tmp_path / "tiny.yaml"
    path.write_text(json.dumps(_scenario()))
    with MessagesApiStub() as stub:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", stub.base_url)
        stub.enqueue_tool_use("report_analysis", {
            "summary": "Errors on tiny-api follow a deployment.", "ranking": [],
            "causal_chain": [{"step": "the timeline shows a change, then errors", "evidence_ids": ["timeline"]}],
            "next_checks": ["Check the deployed version"], "cited_evidence_ids": ["timeline"]})
        runtime = build_runtime(scenario=path, memory_db=True, env={"ANTHROPIC_API_KEY": "test"})
        try:
            # WHEN the alarm is investigated
            report = runtime.investigator.investigate(InvestigationRequest("tiny-api-errors", 3))
            usage = list(runtime.store.db["llm_usage"].rows)
        finally:
            runtime.close()
        calls = stub.calls()
    # THEN Claude's structured answer is in the report, and only redacted mined evidence was sent
    assert report["llm"]["status"] == "ok", report["llm"]
    assert "Errors on tiny-api follow a deployment." in report["llm"]["narrative"]
    assert report["steps"]["llm"]["status"] == "ok"
    assert len(calls) == 1 and calls[0].api_key == "test"
    assert b"AKIAZ3XQ7PLM4RT2WX9Q" not in calls[0].raw and b"ops@example.com" not in calls[0].raw
    assert [row["status"] for row in usage] == ["ok"] and usage[0]["investigation_id"] == report["id"]
