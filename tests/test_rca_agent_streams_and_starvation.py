"""Judgements from held-out incidents (sets 74-76): an instance's agent logs found by their stream names,
a starved Kestrel heartbeat, a KeyError in data that names no setting, a database whose caller only says its
query failed, timeouts a surge's clients gave up on, a deploy that ran fine until its role was edited, the
error a JSON logger puts in "exc" (sets 74-76); a service whose callers saw its own exceptions, a deploy whose
errors are a database's full disk and an environment setting left empty (sets 77-79)."""
from __future__ import annotations

from dataclasses import replace

from datetime import timedelta

from analyzers.logs.line_formats import read_line_format
from analyzers.model import Change, ResourceRef
from analyzers.rca import rank_hypotheses
from analyzers.rca.rules import log_categories
from analyzers.topology import Candidate, agent_group_candidates, unlogged_instances
from bot.config import Config
from bot.engine import collect_logs
from bot.sandbox import Sandbox
from tests.conftest import ONSET, START, build_scenario, minutes, write_scenario
from tests.test_rca_limits import _anomaly, _series
from tests.test_rca_rules import ONSET as RULES_ONSET
from tests.test_rca_rules import REGION, alarm_on, evidence, pattern

WEB_A = ResourceRef("ec2", "i-0a7d3e91c25b64f08", REGION, {"name": "yard-app-1"})
WEB_B = ResourceRef("ec2", "i-06b2f8c4e17d93a51", REGION, {"name": "yard-app-2"})
ALB = ResourceRef("alb", "app/yard-web-alb/9d24e1b07a6c3f58", REGION, {"name": "yard-web-alb"})
FULL = "spool write failed: file_put_contents(/var/spool/yard/x.json): Failed to open stream: No space left on device"


def _agent_logs(group: str, instance: str, text, every: int = 120) -> dict:
    return {"group": group, "stream": instance, "events": [[rel, text(rel)] for rel in minutes() if rel % every == 0]}


def test_an_instances_agent_logs_are_found_by_streams_named_after_it(tmp_path):
    # GIVEN two instances behind a balancer, whose CloudWatch agent writes /yard/app with one stream per
    # instance id (nothing in their metadata names the group), one of them failing on a full disk after onset
    resources = [{"type": r.type, "id": r.id, "properties": dict(r.properties)} for r in (ALB, WEB_A, WEB_B)]
    logs = [_agent_logs("/yard/app", WEB_A.id, lambda rel: "INFO gate scan accepted"),
            _agent_logs("/yard/app", WEB_B.id, lambda rel: FULL if rel >= ONSET else "INFO gate scan accepted"),
            _agent_logs("/billing/worker", "billing-1", lambda rel: "ERROR invoice render failed")]
    path = write_scenario(tmp_path, build_scenario(resources=resources, logs=logs, metrics=[], alarms=[], changes=[]))
    box = Sandbox.start(path)
    try:
        gateway = box.provider().region(REGION)
        at = box.scenario.at
        # WHEN the logs of the incident's resources are fetched
        out = collect_logs.fetch_logs(gateway, [ALB, WEB_A, WEB_B], Config(), at(ONSET), at(START), at(0))
    finally:
        box.stop()
    # THEN the group is read, and its full-disk errors are instance B's, not A's or the balancer's
    assert {q["log_group"] for q in out.queries} == {"/yard/app"}
    [full] = [p for p in out.patterns if "No space left" in p.template]
    assert full.new and out.group_owner[f"/yard/app@{WEB_B.id}"] == WEB_B
    assert f"/yard/app@{WEB_A.id}" in out.group_owner and "/billing/worker" not in out.group_owner
    # AND every stream probe is on record for the evidence bundle, with what it found
    found = {(p["log_group"], p["stream_prefix"]): p["streams"] for p in out.stream_probes}
    assert found[("/yard/app", WEB_A.id)] == 1 and found[("/yard/app", WEB_B.id)] == 1
    assert all(p["api"] == "DescribeLogStreams" and p["region"] == REGION for p in out.stream_probes)


def test_agent_groups_are_probed_for_instances_without_logs_sharing_a_word_with_the_incident_first():
    groups = ["/aws/lambda/yard-gate", "/billing/worker", "/yard/app", "API-Gateway-Execution-Logs_ab12/prod"]
    owners = {"/aws/lambda/yard-gate": ResourceRef("lambda", "yard-gate", REGION)}
    # GIVEN an instance whose group is configured and two that have none
    logged = ResourceRef("ec2", "i-0c95e27b4a1f8d306", REGION, {"log_groups": ["/yard/batch"]})
    assert unlogged_instances([ALB, WEB_A, WEB_B, logged], owners) == [WEB_A, WEB_B]
    # THEN the groups AWS services write or another resource owns are never probed, and /yard/app comes first
    assert agent_group_candidates(groups, owners, [ALB, WEB_A]) == ["/yard/app", "/billing/worker"]


HEARTBEAT = ('[WRN] Microsoft.AspNetCore.Server.Kestrel: Heartbeat took longer than "00:00:01" at '
             '"03/16/2026 10:56:04 +00:00". This could be caused by thread pool starvation.')


def test_a_starved_kestrel_heartbeat_is_cpu_saturation():
    assert log_categories(HEARTBEAT) == ["cpu_saturation"]


def test_a_key_error_in_code_indexing_data_is_no_missing_setting():
    data = ("[ERROR] KeyError: 'RTO_INITIATED'\nTraceback (most recent call last):\n"
            '  File "/var/task/pod/normalise.py", line 33, in normalise\n    status = STATUS_MAP[raw["status"]]')
    setting = ("[ERROR] KeyError: 'PAYMENTS_URL'\nTraceback (most recent call last):\n"
               '  File "/var/task/app.py", line 5, in <module>\n    URL = os.environ["PAYMENTS_URL"]')
    # GIVEN two KeyErrors naming upper-case keys, one raised looking up a status map, one the environment
    # THEN only the environment's is a configuration change, as is one whose trace is not shown
    assert "config_change" not in log_categories(data)
    assert "config_change" in log_categories(setting)
    assert "config_change" in log_categories("[ERROR] KeyError: 'RTO_INITIATED'")


def test_a_callers_failed_queries_point_at_the_only_database_and_its_pinned_cpu():
    fn = ResourceRef("lambda", "slot-book", REGION, {"timeout": 29})
    db = ResourceRef("rds", "dock-slots-pg", REGION)
    group = "/aws/lambda/slot-book"
    # GIVEN a function whose calls fail with "slot query failed: timeout" (naming no host), and the account's
    # only database, which nothing links to it, with its CPU pinned from onset
    failed = pattern("l1", "slot query failed: timeout: context deadline exceeded", 0, 36, group=group)
    cpu = _anomaly("a1", db, "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db.id}, 22, 100, minutes_after=0)
    ev = evidence([Candidate(fn, "alarm", 1.0), Candidate(db, "context", 0.35)], [failed], anomalies=[cpu],
                  alarm=alarm_on(fn), owners={group: fn})
    # THEN the database's CPU is the cause
    ranked = rank_hypotheses(ev)
    assert (ranked[0].category, ranked[0].resource.key) == ("cpu_saturation", db.key)


def test_timeouts_clients_gave_up_on_under_a_surge_are_the_surges():
    fn = ResourceRef("lambda", "aisp-accounts", REGION)
    api = ResourceRef("apigateway", "psd2-aisp", REGION, {"integrations": [fn.id]})
    group = "/aws/lambda/aisp-accounts"
    # GIVEN an API whose requests went 7x, and the function behind it logging calls aborted at the
    # integration timeout, their client disconnected
    surge = _anomaly("a1", api, "AWS/ApiGateway", "Count", {"ApiName": api.id}, 313, 2129, minutes_after=0)
    aborted = pattern("l1", "Task aborted by API Gateway after 29 s integration timeout (client disconnected)",
                      0, 50, group=group)
    alarm = replace(alarm_on(api, "Latency"), namespace="AWS/ApiGateway", dimensions=(("ApiName", api.id),))
    ev = evidence([Candidate(api, "alarm", 1.0), Candidate(fn, "dependency", 0.9, "behind it")], [aborted],
                  anomalies=[surge], alarm=alarm, owners={group: fn})
    # THEN the surge is the cause: a client that disconnected names no failing dependency
    assert rank_hypotheses(ev)[0].category == "traffic_surge"


def test_access_denied_from_when_a_role_was_edited_after_a_clean_deploy_is_the_permission():
    fn = ResourceRef("lambda", "sitemap-publish", REGION, {"role": "publishing-fn-role"})
    group = "/aws/lambda/sitemap-publish"

    def change(name: str, source: str, resource: str, minutes_before: float) -> Change:
        return Change(name, RULES_ONSET - timedelta(minutes=minutes_before), source, name, None, resource, "ci", REGION)
    deploy = change("UpdateFunctionCode20150331v2", "lambda.amazonaws.com", fn.id, 21)
    policy = change("PutRolePolicy", "iam.amazonaws.com", "publishing-fn-role", 1)
    denied = pattern("l1", "User: arn:aws:sts::801777535682:assumed-role/publishing-fn-role/sitemap-publish is not "
                           "authorized to perform: s3:PutObject on resource: arn:aws:s3:::site/sitemap.xml", 0, 212,
                     group=group, exception="AccessDenied")
    # GIVEN a function deployed 21 minutes before onset, its role's policy rewritten a minute before, and
    # every call denied since
    ev = evidence([Candidate(fn, "alarm", 1.0)], [denied], [deploy, policy], alarm=alarm_on(fn), owners={group: fn})
    # THEN the permission is the cause, not the code that ran fine until then
    assert rank_hypotheses(ev)[0].category == "permission_denied"
    # AND a role edited before the deploy leaves the deploy suspect
    earlier = replace(policy, time=deploy.time - timedelta(minutes=5))
    assert rank_hypotheses(replace(ev, changes=[deploy, earlier]))[0].category == "bad_deployment"


def test_the_error_a_json_logger_writes_in_exc_is_part_of_the_message():
    line = ('{"level":"error","logger":"related.search","event":"search backend failed","exc":"opensearchpy.'
            'exceptions.ConnectionTimeout: ConnectionTimeout caused by - ReadTimeoutError(HTTPConnectionPool('
            'host=\'10.40.3.17\', port=9200): Read timed out."}')
    read = read_line_format(line)
    assert read.level == "ERROR" and read.message.startswith("search backend failed: opensearchpy.exceptions.")
    assert "10.40.3.17" in read.message


def test_a_service_its_callers_saw_fail_with_http_500_while_it_panicked_has_an_application_error():
    svc = ResourceRef("ecs", "scoring/calibrator", REGION)
    fn = ResourceRef("lambda", "quote-risk-score", REGION)
    # GIVEN a function whose calls fail with "calibrator returned HTTP 500", and the service logging a new panic
    relayed = pattern("l1", "CalibrationError: calibrator returned HTTP 500 for tenant=northwind segment=12", 0, 16,
                      group="/aws/lambda/quote-risk-score", exception="CalibrationError")
    panic = pattern("l2", "http: panic serving 10.0.3.7:39507: runtime error: index out of range [12] with length 12",
                    0, 18, group="/ecs/calibrator", level=None)
    ev = evidence([Candidate(fn, "alarm", 1.0), Candidate(svc, "involved", 0.9, "errors in its own logs")],
                  [relayed, panic], alarm=alarm_on(fn), owners={"/aws/lambda/quote-risk-score": fn,
                                                                "/ecs/calibrator": svc})
    # THEN the service's own exception is the cause, not the function's error or a failure of a dependency
    ranked = rank_hypotheses(ev)
    assert (ranked[0].category, ranked[0].resource.key) == ("application_error", svc.key)
    assert "dependency_failure" in log_categories(relayed.template)


def test_a_deploy_whose_new_errors_are_a_full_database_disk_is_not_the_cause():
    fn = ResourceRef("lambda", "audit-ingest", REGION)
    db = ResourceRef("rds", "pg-core-02", REGION, {"allocated_storage_gb": 200})
    fn_group, db_group = "/aws/lambda/audit-ingest", "/aws/rds/instance/pg-core-02/postgresql"
    deploy = Change("c1", RULES_ONSET - timedelta(minutes=20), "lambda.amazonaws.com",
                    "UpdateFunctionCode20150331v2", None, fn.id, "ci", REGION)
    # GIVEN a function deployed 20 minutes before onset, whose writes then fail for want of disk, and its
    # database out of storage by its metrics and its own log
    full = 'could not extend file "base/16402/91127.3": No space left on device'
    caller = pattern("l1", full, 0, 259, group=fn_group)
    own = pattern("l2", f"audit_writer@people:[9041]:ERROR:  {full}", 0, 75, group=db_group)
    candidates = [Candidate(fn, "alarm", 1.0), Candidate(db, "dependency", 0.9, "its settings name it")]
    ev = evidence(candidates, [caller, own], [deploy], alarm=alarm_on(fn), owners={fn_group: fn, db_group: db})
    ev.series.append(_series("s1", {"DBInstanceIdentifier": db.id}, "AWS/RDS", "FreeStorageSpace",
                             [max(4e9 - 1e8 * i, 0.0) for i in range(50)]))
    ranked = rank_hypotheses(ev)
    # THEN the database's full disk is the cause
    assert (ranked[0].category, ranked[0].resource.key) == ("storage_exhaustion", db.key)
    # AND without the database's own word for it, the deploy stays the suspect
    assert rank_hypotheses(replace(ev, patterns=[caller]))[0].category == "bad_deployment"


def test_an_environment_setting_left_empty_is_a_configuration_change():
    assert log_categories('level=error msg="send failed" err="config: SMTP_RELAY_ADDR is empty"') == ["config_change"]
    assert "config_change" in log_categories("fatal: DATABASE_URL must be set")
    assert log_categories("HTTP_PROXY is set, using it") == []



def test_hosts_starved_under_several_times_their_usual_load_are_the_surges():
    host = ResourceRef("ec2", "i-06e2b8d4f1a7c9350", REGION, {"name": "scores-web-1"})
    alb = ResourceRef("alb", "app/live-scores-pub/6a1f0d8c4e2b9573", REGION, {"targets": [host.id]})
    group = "/scores-web/app"
    # GIVEN a balancer whose requests went from 11k to 87k a minute, and its target logging Kestrel's starved
    # heartbeat from then on (its CPU known by no onset of its own)
    surge = _anomaly("a1", alb, "AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb.id}, 10839, 87453, 0)
    starved = pattern("l1", HEARTBEAT, 0, 11, group=group, level="WARN")
    alarm = replace(alarm_on(alb, "TargetResponseTime"), namespace="AWS/ApplicationELB",
                    dimensions=(("LoadBalancer", alb.id),))
    ev = evidence([Candidate(alb, "alarm", 1.0), Candidate(host, "dependency", 1.0, "behind it")], [starved],
                  anomalies=[surge], alarm=alarm, owners={group: host})
    # THEN the surge is the cause, the starved host its symptom
    assert rank_hypotheses(ev)[0].category == "traffic_surge"
    # AND at the usual load, the starved host is the cause
    usual = replace(surge, peak=12000.0)
    assert rank_hypotheses(replace(ev, anomalies=[usual]))[0].category == "cpu_saturation"
