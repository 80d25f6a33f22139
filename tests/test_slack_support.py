"""Helpers for the Slack tests: signed Bolt requests, a small sandbox scenario, fakes (no tests here)."""
from __future__ import annotations

import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlencode

import pytest
import yaml

from bot.config import Config, SlackConfig
from bot.engine import InvestigationError
from bot.slack import SlackPoster, build_app, build_web_client
from bot.slack_service import SlackService
from bot.alerts import AlertService
from bot.store import Store
from tests.stubs import SlackApiStub

SECRET = "test-signing-secret-0123456789"
APPROVER, GROUP_MEMBER, STRANGER, CHANNEL = "U0APPROVER", "U0GROUPIE", "U0STRANGER", "C0INCIDENT"
GROUP = "S0ONCALL"


def signed_headers(body: str, secret: str = SECRET, timestamp: int | None = None,
                   content_type: str = "application/x-www-form-urlencoded") -> dict[str, list[str]]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"content-type": [content_type], "x-slack-request-timestamp": [ts],
            "x-slack-signature": [f"v0={digest}"]}


def command_body(text: str, response_url: str, user: str = APPROVER, channel: str = CHANNEL) -> str:
    return urlencode({"token": "legacy", "team_id": "T0STUB001", "channel_id": channel, "channel_name": "incident",
                      "user_id": user, "user_name": user.lower(), "command": "/aiops", "text": text,
                      "response_url": response_url, "trigger_id": "1.2.3", "api_app_id": "A0AIOPS"})


def action_body(action_id: str, value: str, response_url: str, user: str = APPROVER, channel: str = CHANNEL,
                message_ts: str = "1732500000.000100") -> str:
    payload = {"type": "block_actions", "team": {"id": "T0STUB001"}, "api_app_id": "A0AIOPS",
               "user": {"id": user, "username": user.lower(), "team_id": "T0STUB001"},
               "channel": {"id": channel, "name": "incident"}, "container": {"type": "message",
                                                                             "message_ts": message_ts},
               "message": {"ts": message_ts, "text": "x"}, "response_url": response_url, "trigger_id": "1.2.3",
               "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": value,
                            "action_ts": str(time.time())}]}
    return urlencode({"payload": json.dumps(payload)})


def dispatch(app: Any, body: str, headers: dict[str, list[str]] | None = None) -> Any:
    from slack_bolt import BoltRequest
    return app.dispatch(BoltRequest(body=body, headers=headers or signed_headers(body)))


def config(approvers: list[str] | None = None, regions: list[str] | None = None) -> Config:
    return Config.model_validate({"aws": {"regions": regions or ["us-east-1"]}, "llm": {"provider": "none"},
                                  "slack": SlackConfig(approvers=approvers if approvers is not None
                                                       else [APPROVER, GROUP]).model_dump()})


def make_stack(slack: Any, store: Store, investigator: Any, cfg: Config | None = None,
               channel: str = CHANNEL) -> tuple[Any, SlackService]:
    client = build_web_client("xoxb-test", slack.base_url)
    poster = SlackPoster(client)
    service = SlackService(cfg or config(), store, investigator, poster)
    service.alerts = AlertService(store, poster, channel)
    return build_app(service, client, SECRET), service


class FakeProvider:
    def __init__(self, regions: list[str]):
        self.regions = regions


class CannedInvestigator:
    """Finishes at once with a canned report (two scripts) saved in the store."""

    def __init__(self, store: Store, regions: list[str] | None = None):
        self.store = store
        self.provider = FakeProvider(regions or ["us-east-1"])
        self.counter = 0

    def start(self, request: Any) -> str:
        self.counter += 1
        inv_id = f"inv-canned-{self.counter}"
        seed_scripts(self.store, inv_id)
        self.store.update_investigation(inv_id, alarm_ref=request.alarm_ref)
        return inv_id

    def find_alarm(self, inv_id: str) -> None:
        if "missing" in (self.store.get_investigation(inv_id) or {}).get("alarm_ref", ""):
            self.store.update_investigation(inv_id, status="failed", error="no alarm named missing")
            raise InvestigationError("no CloudWatch alarm named 'missing' in us-east-1")

    def run(self, inv_id: str, progress: Any = None, should_stop: Any = None) -> dict:
        for step in ("alarm", "metrics"):
            progress and progress(step, "started", f"reading {step}")
            progress and progress(step, "ok", f"reading {step}")
        return canned_report(inv_id)


def seed_scripts(store: Store, inv_id: str) -> None:
    store.create_investigation(inv_id, "checkout-api-errors", {})
    store.save_scripts(inv_id, [{"id": f"s{i}", "language": "bash", "title": f"Script {i}",
                                 "body": f"echo fix {i} > /tmp/out && rm -rf /\n", "sha256": f"{i}" * 64,
                                 "risk": "low"} for i in (1, 2)])


def canned_report(inv_id: str) -> dict:
    res = {"type": "lambda", "id": "checkout-api", "region": "us-east-1"}
    return {"id": inv_id, "summary": "Bad deploy <!channel> & friends", "alarm": {"name": "checkout-api-errors"},
            "root_cause": {"category": "bad_deployment", "resource": res, "evidence": ["deploy at T-1m"]},
            "hypotheses": [{"category": "bad_deployment", "resource": res, "confidence": 0.8}],
            "scripts": [{"id": f"s{i}", "language": "bash", "title": f"Script {i}", "body": "echo hi",
                         "sha256": f"{i}" * 64, "risk": "low"} for i in (1, 2)], "log_patterns": [],
            "changes": [], "degraded": {}}


def write_scenario(path: Path) -> Path:
    """30 minutes, two lambdas; checkout-api deployed 12 min ago, then a new KeyError and errors climb."""
    errors = [[-1800 + 60 * i, 0.0 if i < 19 else 12.0 + i] for i in range(30)]
    invocations = [[-1800 + 60 * i, 20.0] for i in range(30)]
    ok_lines = [[-1790 + 60 * i, f"INFO order {i} placed"] for i in range(30)]
    bad_lines = [[-650 + 20 * i, f"ERROR KeyError: 'shipping_address' in handler request {i}"] for i in range(30)]
    data = {
        "format": "aiops-scenario/v1", "name": "slack-test-deploy", "description": "checkout errors",
        "region": "us-east-1",
        "resources": [{"type": "lambda", "id": "checkout-api", "properties": {"timeout": 30, "memory_size": 512}},
                      {"type": "lambda", "id": "email-digest", "properties": {"timeout": 30}}],
        "metrics": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "checkout-api"},
                     "unit": "Count", "points": errors},
                    {"namespace": "AWS/Lambda", "name": "Invocations",
                     "dimensions": {"FunctionName": "checkout-api"}, "unit": "Count", "points": invocations},
                    {"namespace": "AWS/Lambda", "name": "Invocations",
                     "dimensions": {"FunctionName": "email-digest"}, "unit": "Count", "points": invocations}],
        "logs": [{"group": "/aws/lambda/checkout-api", "stream": "2026/01/01/[$LATEST]abc",
                  "events": sorted(ok_lines + bad_lines, key=lambda e: e[0])}],
        "alarms": [{"name": "checkout-api-errors", "namespace": "AWS/Lambda", "metric": "Errors",
                    "dimensions": {"FunctionName": "checkout-api"}, "statistic": "Sum", "period": 60,
                    "evaluation_periods": 3, "threshold": 5, "comparison": "GreaterThanThreshold",
                    "state": "ALARM", "state_reason": "Threshold crossed <!here>", "state_changed": -500,
                    "description": "Checkout API errors"}],
        "changes": [{"time": -720, "event_source": "lambda.amazonaws.com",
                     "event_name": "UpdateFunctionCode20150331v2", "resource_type": "AWS::Lambda::Function",
                     "resource_name": "checkout-api", "username": "ci-deployer"}],
    }
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


# Fixtures shared by the Slack test modules ------------------------------------------------------------
@pytest.fixture
def slack() -> Iterator[SlackApiStub]:
    with SlackApiStub() as stub:
        stub.set_usergroup(GROUP, [GROUP_MEMBER])
        stub.set_user(APPROVER, name="alice")
        yield stub


@pytest.fixture
def canned(slack: SlackApiStub, tmp_path: Path):
    store = Store(tmp_path / "aiops.db")
    app, service = make_stack(slack, store, CannedInvestigator(store))
    yield app, service, store
    service.shutdown()


def blocks_text(blocks: list[dict]) -> str:
    out = []
    for b in blocks or []:
        if b.get("type") == "section":
            out.append(b["text"]["text"])
        elif b.get("type") == "context":
            out += [e["text"] for e in b["elements"]]
    return "\n".join(out)
