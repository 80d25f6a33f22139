"""Shared fixtures: a small incident scenario written by the tests, an in-memory Store, a sandbox.

The scenario (``build_scenario``) is 90 one-minute points of a Lambda function
``orders-api`` that was deployed 25 minutes ago and began failing with a NEW
error signature 20 minutes ago, a healthy function ``report-builder``, an RDS
instance ``orders-db`` and one alarm in ALARM. Times are relative seconds, as in
every scenario file.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

TESTS = Path(__file__).parent
REPORT_SCHEMA = TESTS / "data" / "report-schema.json"
SHARED_SCENARIOS = Path("/work/shared/scenarios")

REGION = "us-east-1"
ALARM = "orders-api-errors"
DEPLOYED = "orders-api"
HEALTHY = "report-builder"
DATABASE = "orders-db"
START = -5400          # first point: 90 minutes ago
ONSET = -1200          # errors begin 20 minutes ago (the detector needs 64 baseline points)
DEPLOY_AT = -1500      # code deployed 5 minutes before onset
OLD_CHANGE_AT = -5000  # an unrelated change on the healthy function, long before
ALARM_AT = -1020
NEW_ERROR = "TypeError: unsupported operand type(s) for +: 'NoneType' and 'float'"

ENV_VARS = ("AIOPS_CONFIG", "AIOPS_DB", "ANTHROPIC_API_KEY", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN",
            "SLACK_SIGNING_SECRET", "AWS_PROFILE")


def minutes() -> list[int]:
    """Relative second of every one-minute point (START .. -60)."""
    return list(range(START, 0, 60))


def invocations_at(rel: int) -> float:
    """A deterministic, minute-specific value (lets tests check values land on the right minute)."""
    return float(20 + (rel // 60) % 7)


def errors_at(rel: int) -> float:
    return (1.0 if (rel // 60) % 5 == 0 else 0.0) if rel < ONSET else float(9 + (rel // 60) % 4)


def _lambda_logs(function: str, failing: bool) -> dict[str, Any]:
    events: list[list[Any]] = []
    for i, rel in enumerate(minutes()):
        for j in range(2):
            t = rel + 5 + 20 * j
            req = f"{i:04d}{j}-aaaa-bbbb-cccc-{function[:4]}"
            events.append([t, f"START RequestId: {req} Version: $LATEST"])
            if failing and rel >= ONSET:
                events.append([t + 0.1, f"[ERROR]\t{req}\t{NEW_ERROR}\nTraceback (most recent call last):\n"
                                        f"  File \"/var/task/handler.py\", line 31, in handler\n"
                                        f"    total = order['subtotal'] + shipping\n{NEW_ERROR}"])
            else:
                events.append([t + 0.1, f"[INFO]\t{req}\tCreated order ord_{1000 + i * 2 + j} total={12.5 + j} USD"])
            events.append([t + 0.2, f"END RequestId: {req}"])
            events.append([t + 0.21, f"REPORT RequestId: {req}\tDuration: {110 + j}.0 ms\t"
                                     "Billed Duration: 111 ms\tMemory Size: 512 MB\tMax Memory Used: 90 MB"])
    return {"group": f"/aws/lambda/{function}", "stream": f"2026/01/01/[$LATEST]{function}", "events": events}


def _series(namespace: str, name: str, dims: dict[str, str], unit: str, value) -> dict[str, Any]:
    return {"namespace": namespace, "name": name, "dimensions": dims, "unit": unit,
            "points": [[rel, value(rel)] for rel in minutes()]}


def build_scenario(**overrides: Any) -> dict[str, Any]:
    """The test scenario as a dict (aiops-scenario/v1); keyword arguments replace top-level keys."""
    fn, ok, db = {"FunctionName": DEPLOYED}, {"FunctionName": HEALTHY}, {"DBInstanceIdentifier": DATABASE}
    scenario: dict[str, Any] = {
        "format": "aiops-scenario/v1",
        "name": "test-orders-bad-deploy",
        "description": "Orders API errors after a deploy (written by the tests)",
        "region": REGION,
        "resources": [
            {"type": "lambda", "id": DEPLOYED, "properties": {"runtime": "python3.12", "timeout": 30,
                                                              "memory_size": 512}},
            {"type": "lambda", "id": HEALTHY, "properties": {"runtime": "python3.12", "timeout": 60}},
            {"type": "rds", "id": DATABASE, "properties": {"engine": "postgres", "max_connections": 100,
                                                           "instance_class": "db.t3.medium"}},
        ],
        "metrics": [
            _series("AWS/Lambda", "Invocations", fn, "Count", invocations_at),
            _series("AWS/Lambda", "Errors", fn, "Count", errors_at),
            _series("AWS/Lambda", "Duration", fn, "Milliseconds", lambda rel: 110.0 + (rel // 60) % 3),
            _series("AWS/Lambda", "Invocations", ok, "Count", lambda rel: 5.0),
            _series("AWS/Lambda", "Errors", ok, "Count", lambda rel: 0.0),
            _series("AWS/RDS", "DatabaseConnections", db, "Count", lambda rel: 20.0 + (rel // 60) % 2),
            _series("AWS/RDS", "CPUUtilization", db, "Percent", lambda rel: 15.0 + (rel // 60) % 3),
        ],
        "logs": [_lambda_logs(DEPLOYED, failing=True), _lambda_logs(HEALTHY, failing=False)],
        "alarms": [
            {"name": ALARM, "namespace": "AWS/Lambda", "metric": "Errors", "dimensions": fn,
             "statistic": "Sum", "period": 60, "evaluation_periods": 3, "threshold": 5,
             "comparison": "GreaterThanThreshold", "state": "ALARM",
             "state_reason": "Threshold Crossed: 3 datapoints were greater than the threshold (5.0).",
             "state_changed": ALARM_AT, "description": "Orders API errors"},
            {"name": f"{HEALTHY}-errors", "namespace": "AWS/Lambda", "metric": "Errors", "dimensions": ok,
             "statistic": "Sum", "threshold": 1, "state": "OK", "state_changed": -7200},
        ],
        "changes": [
            {"time": DEPLOY_AT, "event_source": "lambda.amazonaws.com", "event_name": "UpdateFunctionCode20150331v2",
             "resource_type": "AWS::Lambda::Function", "resource_name": DEPLOYED, "username": "ci-deployer"},
            {"time": OLD_CHANGE_AT, "event_source": "lambda.amazonaws.com",
             "event_name": "UpdateFunctionConfiguration20150331v2", "resource_type": "AWS::Lambda::Function",
             "resource_name": HEALTHY, "username": "alice"},
        ],
        "expect": {"alarm": ALARM, "root_cause": {"category": "bad_deployment", "resource": [DEPLOYED]}},
    }
    scenario.update(overrides)
    return scenario


def write_scenario(directory: Path, data: dict[str, Any] | None = None, name: str = "scenario.yaml") -> Path:
    """Write a scenario dict as YAML; returns the path."""
    path = Path(directory) / name
    path.write_text(yaml.safe_dump(data if data is not None else build_scenario(), sort_keys=False),
                    encoding="utf-8")
    return path


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    return write_scenario(tmp_path)


@pytest.fixture(scope="module")
def module_scenario_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_scenario(tmp_path_factory.mktemp("scenario"))


@pytest.fixture(scope="module")
def sandbox(module_scenario_file: Path):
    """A moto emulator on 127.0.0.1 seeded with the test scenario (one per test module)."""
    from bot.sandbox import Sandbox

    box = Sandbox.start(module_scenario_file)
    yield box
    box.stop()


@pytest.fixture
def store():
    from bot.store import Store

    return Store(memory=True)


@pytest.fixture
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No config/DB/secrets from the developer's environment; cwd is a fresh directory."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def report_schema() -> dict[str, Any]:
    return json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))


def assert_valid_report(report: dict[str, Any], schema: dict[str, Any]) -> None:
    import jsonschema

    jsonschema.validate(report, schema, cls=jsonschema.Draft202012Validator)


def copy_shared_schema() -> None:  # pragma: no cover - maintenance helper
    """Refresh tests/data/report-schema.json from /work/shared (run by hand when the contract changes)."""
    shutil.copy("/work/shared/report-schema.json", REPORT_SCHEMA)
