"""bot.engine: a whole investigation on the test scenario, resume after a crash, user-facing errors."""
from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from bot.aws import ClientFactory, GatewayProvider
from bot.config import Config
from bot.engine import InvestigationError, InvestigationRequest, Investigator
from bot.sandbox import SandboxGateway
from bot.sandbox.server import SANDBOX_CREDENTIALS
from tests.conftest import ALARM, DEPLOYED, HEALTHY, NEW_ERROR, REGION, assert_valid_report

GATEWAY_METHODS = ("describe_alarms", "describe_alarm_history", "list_resources", "get_metric_data",
                   "describe_log_groups", "filter_log_events", "lookup_events", "resource_metadata_changes")


def make_investigator(sandbox, store, config: Config | None = None, factory: ClientFactory | None = None):
    provider = (GatewayProvider(factory, sandbox.scenario.regions, SandboxGateway, scenario=sandbox.scenario)
                if factory else sandbox.provider())
    return Investigator(config or Config(), provider, store)


def spy_gateway(investigator: Investigator, monkeypatch) -> Counter:
    """Count every AWS-facing call the engine makes through the region's gateway."""
    calls: Counter = Counter()
    gateway = investigator.provider.region(REGION)
    for name in GATEWAY_METHODS:
        original = getattr(gateway, name)

        def counted(*args: Any, _name=name, _original=original, **kwargs: Any):
            calls[_name] += 1
            return _original(*args, **kwargs)
        monkeypatch.setattr(gateway, name, counted)
    return calls


@pytest.fixture(scope="module")
def report(sandbox) -> dict[str, Any]:
    from bot.store import Store

    investigator = make_investigator(sandbox, Store(memory=True))
    return investigator.investigate(InvestigationRequest(ALARM, description="paged at night"))


def test_report_validates_against_the_schema(report, report_schema):
    assert_valid_report(report, report_schema)
    assert report["alarm"]["name"] == ALARM and report["alarm"]["region"] == REGION
    assert report["description"] == "paged at night"


def test_root_cause_is_the_deploy_on_the_deployed_function(report):
    root = report["root_cause"]
    assert root["category"] == "bad_deployment"
    assert (root["resource"]["type"], root["resource"]["id"]) == ("lambda", DEPLOYED)
    assert 0.5 <= root["confidence"] <= 1
    assert any("UpdateFunctionCode" in line for line in root["evidence"])
    assert report["hypotheses"][0] == root
    assert DEPLOYED in report["summary"] and "bad deployment" in report["summary"]


def test_hypotheses_are_ranked_and_never_blame_the_healthy_function(report):
    confidences = [h["confidence"] for h in report["hypotheses"]]
    assert confidences == sorted(confidences, reverse=True)
    assert len(report["hypotheses"]) >= 2
    assert not [h for h in report["hypotheses"] if h["resource"]["id"] == HEALTHY]


def test_timeline_has_change_anomaly_and_alarm(report):
    kinds = [e["kind"] for e in report["timeline"]]
    assert {"change", "anomaly_start", "alarm"} <= set(kinds)
    times = [e["time"] for e in report["timeline"]]
    assert times == sorted(times)
    deploy = next(e for e in report["timeline"] if e["kind"] == "change" and DEPLOYED in e["text"])
    anomaly = next(e for e in report["timeline"] if e["kind"] == "anomaly_start")
    assert deploy["time"] < anomaly["time"] <= next(e for e in report["timeline"] if e["kind"] == "alarm")["time"]


def test_log_patterns_include_the_new_error(report):
    new = [p for p in report["log_patterns"] if p["new"]]
    assert new, "the post-deploy error signature must be a NEW pattern"
    assert any("TypeError" in p["template"] for p in new)
    assert all(p["count_before"] == 0 for p in new)
    created = [p for p in report["log_patterns"] if "Created order" in p["template"]]
    assert created and not any(p["new"] for p in created)
    assert NEW_ERROR.split(":")[0] in " ".join(report["log_patterns"][0]["samples"])


def test_scripts_have_valid_sha256(report):
    assert report["scripts"]
    for script in report["scripts"]:
        assert script["sha256"] == hashlib.sha256(script["body"].encode("utf-8")).hexdigest()
        assert script["risk"] in ("low", "medium", "high")


def test_steps_are_all_finished(report):
    assert report["steps"]["llm"]["status"] == "skipped"
    assert {name: s["status"] for name, s in report["steps"].items() if name != "llm"} == {
        name: "ok" for name in ("alarm", "resources", "metrics", "logs", "changes", "analysis", "scripts")}
    assert {"alarm", "resources", "metrics", "logs"} <= set(report["steps"])


def test_report_is_stored(sandbox, store):
    investigator = make_investigator(sandbox, store)
    inv_id = investigator.start(InvestigationRequest(ALARM, time_window_hours=2))
    report = investigator.run(inv_id)
    row = store.get_investigation(inv_id)
    assert row["status"] == "complete" and row["report"]["id"] == inv_id == report["id"]
    assert row["root_category"] == "bad_deployment" and row["root_resource"] == DEPLOYED
    assert row["alarm_name"] == ALARM and row["alarm_region"] == REGION
    assert {s["script_id"] for s in store.db["scripts"].rows} == {s["id"] for s in report["scripts"]}
    # a completed investigation is returned from the store without touching AWS again
    assert investigator.run(inv_id[:-2]) == report


def test_resume_after_a_crash_does_not_rerun_finished_steps(sandbox, store, monkeypatch):
    # GIVEN an investigation that crashed (KeyboardInterrupt) in the logs step, after changes
    investigator = make_investigator(sandbox, store)
    inv_id = investigator.start(InvestigationRequest(ALARM))
    original = Investigator._step_logs

    def crash_once(self, ctx):
        monkeypatch.setattr(Investigator, "_step_logs", original)
        raise KeyboardInterrupt

    monkeypatch.setattr(Investigator, "_step_logs", crash_once)
    with pytest.raises(KeyboardInterrupt):
        investigator.run(inv_id)
    assert set(store.get_steps(inv_id)) == {"alarm", "resources", "metrics", "changes"}
    assert store.get_investigation(inv_id)["status"] == "running"
    # WHEN it is run again, with every gateway call counted
    calls = spy_gateway(investigator, monkeypatch)
    events: list[tuple[str, str]] = []
    report = investigator.run(inv_id, lambda step, status, _msg: events.append((step, status)))
    # THEN the earlier steps were NOT re-run: no alarm, inventory, metric or change calls
    for name in ("describe_alarms", "describe_alarm_history", "list_resources", "get_metric_data",
                 "lookup_events", "resource_metadata_changes"):
        assert calls[name] == 0, name
    assert calls["describe_log_groups"] == 1 and calls["filter_log_events"] > 0
    assert [s for s, status in events if status == "resumed"] == ["alarm", "resources", "metrics", "changes"]
    # AND the report completes, with the resumed outputs
    assert report["root_cause"]["category"] == "bad_deployment"
    assert any(p["new"] for p in report["log_patterns"])
    assert store.get_investigation(inv_id)["status"] == "complete"


def test_progress_reports_every_step(sandbox, store):
    events: list[tuple[str, str]] = []
    make_investigator(sandbox, store).investigate(InvestigationRequest(ALARM),
                                                  lambda step, status, _m: events.append((step, status)))
    started = [s for s, status in events if status == "started"]
    assert started == list(Investigator.STEPS)


def test_unknown_alarm(sandbox, store):
    investigator = make_investigator(sandbox, store)
    inv_id = investigator.start(InvestigationRequest("no-such-alarm"))
    with pytest.raises(InvestigationError, match="unknown alarm 'no-such-alarm'"):
        investigator.run(inv_id)
    row = store.get_investigation(inv_id)
    assert row["status"] == "failed" and "unknown alarm" in row["error"]


def test_a_report_step_that_cannot_write_the_report_fails_the_investigation_instead_of_leaving_it_running(
        sandbox, store):
    # GIVEN a redactor that breaks (e.g. a bad custom pattern that slipped through)
    investigator = make_investigator(sandbox, store)
    investigator.redactor_factory = lambda: 1 / 0
    inv_id = investigator.start(InvestigationRequest(ALARM))
    # WHEN the investigation runs THEN it fails with the step's error, and a resume can try the report again
    with pytest.raises(InvestigationError, match="internal error in step report"):
        investigator.run(inv_id)
    row = store.get_investigation(inv_id)
    assert row["status"] == "failed" and "step report" in row["error"]
    investigator.redactor_factory = None
    assert investigator.run(inv_id)["root_cause"]["resource"]["id"] == DEPLOYED
    assert store.get_investigation(inv_id)["status"] == "complete"


@pytest.mark.parametrize("ref", ["arn:aws:cloudwatch:us-east-1:12345:alarm:x", "arn:aws:sns:us-east-1:123456789012:t",
                                 "arn:nonsense", "   "])
def test_malformed_reference(sandbox, store, ref):
    with pytest.raises(InvestigationError, match="malformed alarm ARN|no alarm given"):
        make_investigator(sandbox, store).start(InvestigationRequest(ref))
    assert store.list_investigations() == []


def test_arn_in_a_region_that_is_not_configured(sandbox, store):
    arn = f"arn:aws:cloudwatch:eu-west-1:123456789012:alarm:{ALARM}"
    with pytest.raises(InvestigationError, match="eu-west-1.*not configured"):
        make_investigator(sandbox, store).start(InvestigationRequest(arn))


def test_arn_in_the_configured_region_works(sandbox, store):
    arn = f"arn:aws:cloudwatch:{REGION}:123456789012:alarm:{ALARM}"
    report = make_investigator(sandbox, store).investigate(InvestigationRequest(arn))
    assert report["alarm"]["name"] == ALARM
    assert report["root_cause"]["resource"]["id"] == DEPLOYED


def test_arn_of_another_account_does_not_resolve_to_the_local_namesake(sandbox, store):
    # GIVEN one account (the sandbox's 123456789012) holding the alarm, and an ARN naming another account
    arn = f"arn:aws:cloudwatch:{REGION}:999999999999:alarm:{ALARM}"
    investigator = make_investigator(sandbox, store)
    inv_id = investigator.start(InvestigationRequest(arn))
    # WHEN it is investigated THEN it fails naming both accounts, and the record says so
    with pytest.raises(InvestigationError, match="account 999999999999, but the bot reads account 123456789012"):
        investigator.run(inv_id)
    assert store.get_investigation(inv_id)["status"] == "failed"


@pytest.mark.parametrize("hours", [400, 0, -2])
def test_time_window_out_of_range(sandbox, store, hours):
    # a zero or negative window is an error, not a silent fallback to the default
    with pytest.raises(InvestigationError, match="time window"):
        make_investigator(sandbox, store).start(InvestigationRequest(ALARM, time_window_hours=hours))


def test_access_denied_on_logs_degrades_that_step_only(sandbox, store, report_schema):
    # GIVEN CloudWatch Logs answers AccessDeniedException (a real botocore error response)
    factory = ClientFactory(endpoint_url=sandbox.server.endpoint_url, static_credentials=dict(SANDBOX_CREDENTIALS))
    denied: list[str] = []

    def deny(model, **_):
        denied.append(model.name)
        response = AWSResponse("https://logs.us-east-1.amazonaws.com", 400, {}, None)
        return response, {"Error": {"Code": "AccessDeniedException",
                                    "Message": "User is not authorized to perform: logs:DescribeLogGroups"},
                          "ResponseMetadata": {"HTTPStatusCode": 400}}

    factory.client("logs", REGION).meta.events.register("before-call.cloudwatch-logs", deny)
    investigator = make_investigator(sandbox, store, factory=factory)
    # WHEN investigated
    result = investigator.investigate(InvestigationRequest(ALARM))
    # THEN a report is still produced, with the logs step degraded and named
    assert denied
    assert_valid_report(result, report_schema)
    assert result["steps"]["logs"]["status"] == "degraded"
    assert "AccessDenied" in result["steps"]["logs"]["error"]
    assert "logs" in result["degraded"]
    assert result["steps"]["metrics"]["status"] == "ok"
    assert result["log_patterns"] == []
    assert result["root_cause"]["resource"]["id"] == DEPLOYED



def test_scripts_read_the_reserved_concurrency_the_inventory_lacks(monkeypatch):
    # GIVEN a throttled function whose inventory (as on a real account) does not hold its reservation
    from types import SimpleNamespace

    from analyzers.model import Alarm, Hypothesis, ResourceRef
    from bot.engine import investigation

    asked = []

    class Gateway:
        def get_lambda_concurrency(self, function: str) -> int:
            asked.append(function)
            return 50

    monkeypatch.setattr(investigation, "gateway_of", lambda *_: Gateway())
    fn = ResourceRef("lambda", "thumbnailer", "us-east-1")
    ctx = SimpleNamespace(outputs={"analysis": SimpleNamespace(hypotheses=(Hypothesis("throttling", fn, 0.8, ()),)),
                                   "alarm": SimpleNamespace(alarm=Alarm("thumbnailer-throttles", "us-east-1"))})
    engine = Investigator.__new__(Investigator)
    engine.provider = None
    # WHEN the script facts are read THEN the live reservation is there for the concurrency templates
    assert engine._script_facts(ctx) == {fn.key: {"reserved_concurrency": 50}} and asked == ["thumbnailer"]


def test_a_misspelt_alarm_name_gets_a_suggestion(sandbox, store):
    # GIVEN the alarm's name with a letter missing and another case
    typo = ALARM[:-1].upper()
    investigator = make_investigator(sandbox, store)
    inv_id = investigator.start(InvestigationRequest(typo))
    # WHEN investigated THEN the error names the alarm that was probably meant
    with pytest.raises(InvestigationError, match=f"did you mean '{ALARM}'"):
        investigator.run(inv_id)


def test_access_denied_on_an_inventory_listing_degrades_the_resources_step(sandbox, store, report_schema):
    # GIVEN Lambda's ListFunctions answers AccessDeniedException
    factory = ClientFactory(endpoint_url=sandbox.server.endpoint_url, static_credentials=dict(SANDBOX_CREDENTIALS))

    def deny(model, **_):
        response = AWSResponse("https://lambda.us-east-1.amazonaws.com", 403, {}, None)
        return response, {"Error": {"Code": "AccessDeniedException", "Message": "not authorized: ListFunctions"},
                          "ResponseMetadata": {"HTTPStatusCode": 403}}

    factory.client("lambda", REGION).meta.events.register("before-call.lambda.ListFunctions", deny)
    # WHEN investigated
    result = make_investigator(sandbox, store, factory=factory).investigate(InvestigationRequest(ALARM))
    # THEN the report says the inventory is incomplete (not "ok" with the functions silently missing)
    assert_valid_report(result, report_schema)
    assert result["steps"]["resources"]["status"] == "degraded" and "resources" in result["degraded"]
    assert "inventory of lambda (AccessDeniedException) in us-east-1 skipped" in result["steps"]["resources"]["error"]
