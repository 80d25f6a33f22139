"""iam-policy.json grants exactly the read-only AWS operations the adapter makes (recorded, not guessed).

A botocore ``before-call.*.*`` hook on every boto3 session the adapter creates
records each operation while the test runs an investigation and a poll on a
sandbox scenario, the real (non-sandbox) gateway methods against the emulator,
a Stubber-driven Logs Insights timeout (StopQuery) and an assumed role. Calls
made while the sandbox LOADER seeds the emulator are not the adapter's and are
not recorded.
"""
from __future__ import annotations

import fnmatch
import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import boto3
import pytest
from botocore.config import Config as BotoConfig
from botocore.stub import Stubber

from tests.conftest import DEPLOYED, build_scenario, write_scenario

POLICY = Path(__file__).resolve().parents[1] / "iam-policy.json"
READ_ONLY = re.compile(r"^[a-z0-9-]+:(Describe|Get|List|Lookup|Filter)[A-Za-z0-9]*$")
ALSO_READ_ONLY = {"logs:StartQuery", "logs:StopQuery", "logs:GetQueryResults", "apigateway:GET", "sts:AssumeRole"}
# botocore service name -> IAM action prefix
IAM_PREFIX = {"elbv2": "elasticloadbalancing", "monitoring": "cloudwatch"}


class Recorder:
    """Collects ``prefix:Operation`` for every call made while active."""

    def __init__(self) -> None:
        self.active = True
        self.actions: set[str] = set()
        self.api_paths: set[str] = set()  # API Gateway request paths (its policy is per resource path)

    def __call__(self, model, **_: object) -> None:
        if not self.active:
            return
        service = model.service_model.service_name
        prefix = IAM_PREFIX.get(service, service)
        if service == "apigateway":  # API Gateway management is authorized per HTTP verb
            self.actions.add(f"apigateway:{model.http['method']}")
            self.api_paths.add(re.sub(r"\{[^}]+\}", "id", model.http["requestUri"].split("?")[0]))
        else:
            self.actions.add(f"{prefix}:{model.name}")


def policy_actions() -> set[str]:
    doc = json.loads(POLICY.read_text(encoding="utf-8"))
    actions: set[str] = set()
    for statement in doc["Statement"]:
        assert statement["Effect"] == "Allow"
        listed = statement["Action"]
        actions.update([listed] if isinstance(listed, str) else listed)
    return actions


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    """Every boto3 session created from now on records its calls; the loader's seeding is excluded."""
    import bot.sandbox as sandbox_pkg

    rec = Recorder()
    original_session = boto3.session.Session

    class RecordingSession(original_session):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self.events.register("before-call.*.*", rec)

    monkeypatch.setattr(boto3.session, "Session", RecordingSession)
    # no retries: the emulator answers 500 for the APIs it lacks, and one attempt is enough to record a call
    monkeypatch.setattr("bot.aws.clients.EMULATOR_CONFIG",
                        BotoConfig(retries={"mode": "standard", "max_attempts": 1}, connect_timeout=5, read_timeout=30))
    original_seed = sandbox_pkg.seed

    def seed_unrecorded(*args: object, **kwargs: object):
        rec.active = False
        try:
            return original_seed(*args, **kwargs)
        finally:
            rec.active = True

    monkeypatch.setattr(sandbox_pkg, "seed", seed_unrecorded)
    return rec


def _scenario() -> dict:
    data = build_scenario()
    data["resources"] = data["resources"] + [
        {"type": "ecs", "id": "shop/web", "properties": {"desired_count": 2}},
        {"type": "apigateway", "id": "orders-public", "properties": {"api_id": "abc123defg"}}]
    return data


def _exercise_real_gateway(factory, region: str) -> None:
    """The adapter paths the sandbox gateway answers from the scenario, sent to the emulator for real."""
    from analyzers.model import ResourceRef
    from bot.aws import AwsError
    from bot.aws.gateway import AwsGateway
    from bot.aws.inventory import cluster_roles, target_groups, user_max_connections

    gateway = AwsGateway(factory, region)
    now = datetime.now(timezone.utc)
    start = now - timedelta(hours=2)
    calls = [
        lambda: gateway.describe_alarm_history("orders-api-errors", start, now),
        lambda: gateway.lookup_events(start, now),
        lambda: gateway.run_insights_query([f"/aws/lambda/{DEPLOYED}"], "fields @message | limit 5", start, now, 5),
        lambda: gateway.list_resources(),
        lambda: gateway.get_lambda_concurrency(DEPLOYED),
        lambda: gateway.list_metrics("CWAgent"),
        lambda: gateway.filter_log_events(f"/aws/lambda/{DEPLOYED}", start, now, 10),
        lambda: gateway.describe_log_streams(f"/aws/lambda/{DEPLOYED}", "i-0123456789abcdef0"),
        # load balancers are not created in the emulator: ask for the target groups of a made-up one
        lambda: target_groups(factory.client("elbv2", region),
                              f"arn:aws:elasticloadbalancing:{region}:123456789012:loadbalancer/app/web/0123456789abcdef"),
        # Aurora roles and a custom parameter group's max_connections (the scenario has neither)
        lambda: cluster_roles(factory.client("rds", region)),
        lambda: user_max_connections(factory.client("rds", region), "orders-params"),
    ]
    for ref in (ResourceRef("lambda", DEPLOYED, region), ResourceRef("ecs", "shop/web", region),
                ResourceRef("rds", "orders-db", region)):
        calls.append(lambda ref=ref: gateway.resource_metadata_changes(ref, start, now))
    for fn in calls:
        try:
            fn()
        except AwsError:  # the emulator lacks some APIs; the request was still made (and recorded)
            pass


def _insights_timeout(factory, region: str) -> None:
    """StopQuery is only sent when a Logs Insights query outlives its timeout: drive that with a Stubber."""
    from bot.aws import AwsError
    from bot.aws.logs import run_insights_query

    client = factory.client("logs", region)
    now = datetime.now(timezone.utc)
    with Stubber(client) as stub:
        stub.add_response("start_query", {"queryId": "q-1"})
        stub.add_response("get_query_results", {"status": "Running", "results": []}, {"queryId": "q-1"})
        stub.add_response("stop_query", {"success": True}, {"queryId": "q-1"})
        with pytest.raises(AwsError):
            run_insights_query(client, ["/aws/lambda/x"], "fields @message", now - timedelta(minutes=5), now, 10,
                               timeout_s=0, sleep=lambda _s: None)


def test_policy_grants_exactly_the_recorded_read_only_calls(recorder: Recorder, isolated_env: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN a sandbox scenario with every kind of resource the adapter lists and a runtime on it
    from bot.aws.clients import ClientFactory
    from bot.engine import InvestigationRequest
    from bot.poller import Poller
    from bot.sandbox.server import SANDBOX_CREDENTIALS
    from bot.wiring import build_runtime

    scenario = write_scenario(isolated_env, _scenario())
    runtime = build_runtime(None, scenario, None, memory_db=True)
    try:
        region = runtime.sandbox.scenario.region
        # WHEN the adapter investigates the alarm, polls, and takes the paths the sandbox short-cuts
        inv_id = runtime.investigator.start(InvestigationRequest("orders-api-errors", None, (), None))
        report = runtime.investigator.run(inv_id, lambda *_: None)
        Poller(runtime).poll()
        _exercise_real_gateway(runtime.sandbox.factory, region)
        _insights_timeout(runtime.sandbox.factory, region)
        monkeypatch.setenv("AWS_DEFAULT_REGION", region)  # the STS client of an assumed role takes it from here
        role = ClientFactory(endpoint_url=runtime.sandbox.server.endpoint_url,
                             static_credentials=dict(SANDBOX_CREDENTIALS),
                             role_arn="arn:aws:iam::123456789012:role/aiops-bot-readonly")
        role.client("cloudwatch", region)
    finally:
        runtime.close()
    assert report["root_cause"]["resource"]["id"] == DEPLOYED
    recorded = recorder.actions
    granted = policy_actions()
    # THEN every call the adapter made is granted, nothing is granted that it does not make,
    missing = sorted(recorded - granted)
    assert not missing, f"iam-policy.json lacks {missing}"
    unused = sorted(granted - recorded)
    assert not unused, f"iam-policy.json grants calls the adapter never makes: {unused}"
    # AND every API Gateway path it read is a resource the policy's apigateway:GET statement names
    paths = [r.split("::", 1)[1] for st in json.loads(POLICY.read_text(encoding="utf-8"))["Statement"]
             if "apigateway:GET" in st["Action"] for r in st["Resource"]]
    unlisted = sorted(p for p in recorder.api_paths if not any(fnmatch.fnmatchcase(p, g) for g in paths))
    assert recorder.api_paths and not unlisted, f"iam-policy.json's apigateway:GET lacks {unlisted}"
    # AND the loader's writes were not attributed to the adapter
    assert not any(a.split(":")[1].startswith(("Put", "Create", "Register", "Set")) for a in recorded)


def test_policy_grants_no_write_action() -> None:
    # GIVEN the shipped policy WHEN its actions are read THEN each one is read-only (or AssumeRole)
    granted = policy_actions()
    assert granted, "policy has no actions"
    writes = sorted(a for a in granted if not READ_ONLY.match(a) and a not in ALSO_READ_ONLY)
    assert not writes, f"policy grants write actions: {writes}"
    assert not any("*" in a for a in granted), "no wildcard actions"


def test_assume_role_is_limited_to_the_read_only_role() -> None:
    # GIVEN the policy WHEN the sts:AssumeRole statement is read THEN it names a role, not every resource
    doc = json.loads(POLICY.read_text(encoding="utf-8"))
    sts = [s for s in doc["Statement"] if "sts:AssumeRole" in s["Action"]]
    assert len(sts) == 1 and sts[0]["Resource"] != "*"
    assert all(r.startswith("arn:aws:iam::") and ":role/" in r for r in sts[0]["Resource"])
