"""Judgements from held-out incidents (sets 66-69): errors that were a stray line before a change broke every
call, a backend's own fresh change behind a front door, parameters that wait for a reboot, SQL Server and
HTTP API failures, task definitions named after their service, namesakes in other regions, queues filled by
a surge, code namespaces that look like host names, and pools that run dry on a pinned database."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from analyzers.changes import relevant_changes, ships_no_task_definition, touches, with_pending_parameters_applied
from analyzers.mentions import host_label_names, mentioned_resources
from analyzers.model import Change, ResourceRef
from analyzers.rca import rank_hypotheses
from analyzers.rca.rules import log_categories
from analyzers.topology import Candidate
from tests.test_rca_limits import _anomaly, _series
from tests.test_rca_rules import ONSET, REGION, alarm_on, evidence, pattern

FN = ResourceRef("lambda", "slot-finder", REGION)
FN_GROUP = "/aws/lambda/slot-finder"


def _config(resource_name: str, minutes_before: float, name: str = "UpdateFunctionConfiguration20150331v2",
            source: str = "lambda.amazonaws.com", region: str = REGION, cid: str = "c1") -> Change:
    return Change(cid, ONSET - timedelta(minutes=minutes_before), source, name, None, resource_name, "ops", region)


def _trickle(text: str, group: str = FN_GROUP):
    """A pattern seen twice in the hour before onset and 400 times in the 20 minutes after."""
    return pattern("l1", text, 2, 400, group=group)


BAD_URI = ("System.InvalidOperationException: Configuration value 'Scheduling:ProviderCalendarBaseUrl' is not a "
           "valid absolute URI: 'calendar-svc.clinic.internal/api/v2'")


def test_errors_that_were_a_stray_line_before_a_change_and_then_every_call_are_the_changes():
    # GIVEN a function whose error was logged twice in the hour before onset, then 400 times once its
    # configuration was updated a minute before onset
    ev = evidence([Candidate(FN, "alarm", 1.0)], [_trickle(BAD_URI)], [_config(FN.id, 1)], alarm=alarm_on(FN),
                  owners={FN_GROUP: FN})
    ranked = rank_hypotheses(ev)
    # THEN the configuration change is the cause
    assert (ranked[0].category, ranked[0].resource.key) == ("config_change", FN.key)
    # AND errors that were as frequent before are still not the change's doing
    steady = replace(ev, patterns=[pattern("l1", BAD_URI, 300, 100, group=FN_GROUP)])
    assert rank_hypotheses(steady)[0].category != "config_change"


def test_a_backend_changed_at_onset_that_logs_why_explains_the_front_doors_5xx_not_the_doors_own_change():
    # GIVEN an API whose stage was updated a minute before onset, and the function behind it whose
    # configuration was updated at onset and which logs an invalid setting from then on
    api = ResourceRef("apigateway", "patient-access", REGION, {"integrations": [FN.id]})
    stage = _config("patient-access/prod", 1, "UpdateStage", "apigateway.amazonaws.com", cid="c2")
    failures = _anomaly("a1", api, "AWS/ApiGateway", "5XXError", {"ApiName": api.id}, 0, 17, minutes_after=0)
    alarm = replace(alarm_on(api, "5XXError"), namespace="AWS/ApiGateway", dimensions=(("ApiName", api.id),))
    ev = evidence([Candidate(api, "alarm", 1.0), Candidate(FN, "dependency", 0.9, "behind it")],
                  [_trickle(BAD_URI)], [stage, _config(FN.id, 0)], anomalies=[failures], alarm=alarm,
                  owners={FN_GROUP: FN})
    ranked = rank_hypotheses(ev)
    # THEN the function's configuration change is the cause
    assert (ranked[0].category, ranked[0].resource.key) == ("config_change", FN.key)


DB = ResourceRef("rds", "pg-meds-01", REGION, {"parameter_groups": ["meds-pg16-params"]})


def test_a_parameter_change_waiting_for_a_reboot_takes_effect_at_the_reboot():
    # GIVEN a parameter group modified four hours before onset and the database using it rebooted an hour before
    modified = _config("meds-pg16-params", 240, "ModifyDBParameterGroup", "rds.amazonaws.com")
    reboot = _config(DB.id, 62, "RebootDBInstance", "rds.amazonaws.com", cid="c2")
    dated = with_pending_parameters_applied([modified, reboot], [DB], ONSET)
    # THEN the change counts from the reboot, and says when it was made and what applied it
    assert dated[0].time == reboot.time and dated[0].id == modified.id
    assert "RebootDBInstance" in dated[0].event_name and dated[0].event_name.startswith("ModifyDBParameterGroup")
    # AND a reboot of another database, or one after the incident began, changes nothing
    other = replace(reboot, resource_name="pg-reports-01")
    assert with_pending_parameters_applied([modified, other], [DB], ONSET)[0] == modified
    late = replace(reboot, time=ONSET + timedelta(minutes=10))
    assert with_pending_parameters_applied([modified, late], [DB], ONSET)[0] == modified
    # AND dated at its reboot, the lowered connection limit is the configuration change, not the exhaustion
    full = pattern("l1", "FATAL:  sorry, too many clients already", 0, 120, group="/aws/rds/instance/pg-meds-01/postgresql")
    candidates = [Candidate(DB, "alarm", 1.0)]
    ev = evidence(candidates, [full], [c for c, _ in relevant_changes(dated, [DB], ONSET, timedelta(hours=6))],
                  alarm=alarm_on(DB, "DatabaseConnections"), owners={"/aws/rds/instance/pg-meds-01/postgresql": DB})
    assert rank_hypotheses(ev)[0].category == "config_change"


def test_sql_server_unreachable_or_recovering_and_an_http_apis_5xx_are_dependency_failures():
    lines = ["A network-related or instance-specific error occurred while establishing a connection to SQL Server. "
             "(provider: TCP Provider, error: 40 - Could not open a connection to SQL Server)",
             "SQL Server is terminating in response to a 'stop' request from Service Control Manager.",
             "Recovery of database 'cpoe' (5) is 11% complete (approximately 514 seconds remain). Phase 2 of 3.",
             "token fetch failed for t_4728: 500 Internal Server Error from http://int-tokens.internal/v1/tokens"]
    # THEN each is a dependency's failure
    assert all("dependency_failure" in log_categories(line) for line in lines)
    # AND a service's own 500 in its access log is not
    assert "dependency_failure" not in log_categories('"GET /v1/tokens HTTP/1.1" 500 312')


def test_a_task_definition_registered_under_its_services_cluster_dash_service_family_touches_it():
    # GIVEN a service whose task definition family the inventory reads as "web"
    svc = ResourceRef("ecs", "console/web", REGION, {"task_definition_family": "web"})
    register = _config("console-web:311", 2, "RegisterTaskDefinition", "ecs.amazonaws.com")
    register = replace(register, resource_type="AWS::ECS::TaskDefinition")
    update = _config("console/web", 1, "UpdateService", "ecs.amazonaws.com", cid="c2")
    # THEN "console-web:311" touches it, so its UpdateService shipped something
    assert touches(register, svc)
    assert not ships_no_task_definition(update, [register, update], svc)
    # AND another service's family does not
    assert not touches(replace(register, resource_name="console-worker:12"), svc)


def test_a_change_to_a_namesake_in_another_region_does_not_touch_the_resource():
    # GIVEN a function deployed in us-east-1 and its namesake in ap-southeast-1
    here = ResourceRef("lambda", "search-suggest", "ap-southeast-1", {"role": "search-suggest-role"})
    deploy = _config(here.id, 1, "UpdateFunctionCode20150331v2", region="us-east-1")
    # THEN the deployment does not touch the ap-southeast-1 function; the same deployment there does
    assert not touches(deploy, here)
    assert touches(replace(deploy, region="ap-southeast-1"), here)
    # AND an IAM change, recorded in us-east-1 for every region, still touches it through its role
    iam = _config("search-suggest-role", 1, "DetachRolePolicy", "iam.amazonaws.com", region="us-east-1")
    assert touches(iam, here)


def test_a_queue_filling_under_a_surge_is_the_surge():
    # GIVEN a balancer whose requests went 2.6x and the service behind it failing with a full queue
    web = ResourceRef("ecs", "web/storefront", REGION)
    alb = ResourceRef("alb", "app/storefront-alb/c77fb1579fee884d", REGION, {"targets": [web.id]})
    surge = _anomaly("a1", alb, "AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb.id}, 1091, 2796, 0)
    full = pattern("l1", "request failed: upstream render queue full", 0, 8, group="/ecs/storefront")
    alarm = replace(alarm_on(alb, "TargetResponseTime"), namespace="AWS/ApplicationELB",
                    dimensions=(("LoadBalancer", alb.id),))
    ev = evidence([Candidate(alb, "alarm", 1.0), Candidate(web, "involved", 0.9, "errors in its own logs")], [full],
                  anomalies=[surge], alarm=alarm, owners={"/ecs/storefront": web})
    # THEN the surge is the cause
    assert rank_hypotheses(ev)[0].category == "traffic_surge"


def test_a_mixed_case_dotted_name_is_code_not_a_host():
    alb = ResourceRef("alb", "app/ranked-web/9b1d4e7c2a6f3805", REGION, {"name": "ranked-web"})
    line = "[ERR] Ranked.Web.Standings.StandingsController: Request GET /api/standings timed out after 4000 ms"
    # GIVEN a .NET namespace in a log line
    # THEN it names no host, so not the balancer whose name its first labels spell
    assert host_label_names(line) == set()
    assert alb.key not in mentioned_resources([line], [alb])
    # AND lower- or upper-case DNS names still do
    assert "ranked-web" in host_label_names("GET http://ranked.web.example.com/x failed")
    assert "db01-corp" in host_label_names("connect to DB01.CORP.EXAMPLE.COM failed")


def test_a_pool_that_runs_dry_waiting_on_a_pinned_database_is_the_databases_cpu():
    db = ResourceRef("rds", "rank-core", REGION, {"max_connections": 800})
    svc = ResourceRef("ecs", "ladder-prod/rank-query", REGION, {"database": db.id})
    group = "/ecs/rank-query"
    # GIVEN a service's Hikari pool timing out while its database has room, and that database's CPU pinned
    dry = pattern("l1", "HikariPool-1 - Connection is not available, request timed out after 30000ms on rank-core",
                  0, 60, group=group)
    cpu = _anomaly("a1", db, "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db.id}, 33, 100)
    ev = evidence([Candidate(svc, "dependency", 1.0, "behind it"),
                   Candidate(db, "dependency", 0.9, "named in its logs")], [dry], anomalies=[cpu],
                  alarm=alarm_on(svc, "TargetResponseTime"), owners={group: svc})
    ev.series.append(_series("c1", {"DBInstanceIdentifier": db.id}, "AWS/RDS", "DatabaseConnections", [240.0] * 40))
    ranked = rank_hypotheses(ev)
    # THEN the database's pinned CPU is the cause, the pool its symptom
    assert (ranked[0].category, ranked[0].resource.key) == ("cpu_saturation", db.key)


def test_requests_at_an_api_stages_throttle_are_throttling():
    # GIVEN an API throttled at 100 requests/s whose Count reached 109/s while its access log answered 429
    api = ResourceRef("apigateway", "partner-api", REGION, {"throttle_rate_limit": 100})
    group = "/aws/apigateway/partner-api/access"
    limited = pattern("l1", "Too Many Requests", 19, 19, group=group)
    alarm = replace(alarm_on(api, "4XXError"), namespace="AWS/ApiGateway", dimensions=(("ApiName", api.id),))
    ev = evidence([Candidate(api, "alarm", 1.0)], [limited], alarm=alarm, owners={group: api})

    def ranked(per_minute: float):
        count = _series("m1", {"ApiName": api.id}, "AWS/ApiGateway", "Count", [5300.0] * 30 + [per_minute] * 10)
        return rank_hypotheses(replace(ev, series=[count]))
    # THEN it is throttling on the API, the count at its stage's limit the evidence
    top = ranked(6540)[0]
    assert (top.category, top.resource.key) == ("throttling", api.key)
    assert any("stage throttle of 100/s" in line for line in top.evidence)
    # AND well under the limit the count is no such evidence
    assert not any("stage throttle" in line for h in ranked(3000) for line in h.evidence)


def test_a_templates_error_lines_are_a_pattern_apart_from_its_other_lines():
    # GIVEN logfmt lines whose level and message differ but whose shape is the same: requests served for
    # hours, then the same proxy failing to reach its upstream
    from analyzers.model import LogRecord
    from analyzers.patterns import PatternWindow, mine_patterns

    def line(level: str, msg: str, status: int) -> str:
        return f'ts=2026-03-16T14:56:08Z level={level} msg="{msg}" upstream=10.0.7.41:8081 path=/r/a.jar status={status}'
    records = [LogRecord("/ecs/gw", "s", (ONSET - timedelta(minutes=m)).timestamp(), line("info", "served", 200))
               for m in range(1, 120)]
    records += [LogRecord("/ecs/gw", "s", (ONSET + timedelta(minutes=m)).timestamp(),
                          line("error", "upstream request failed", 502)) for m in range(1, 15)]
    window = PatternWindow(ONSET - timedelta(hours=2), ONSET, ONSET + timedelta(minutes=20))
    patterns = mine_patterns(records, window)
    # THEN the failures are a new error pattern of their own, not a few more lines of a busy template
    errors = [p for p in patterns if p.is_error]
    assert len(errors) == 1 and errors[0].new and errors[0].count == 14


def test_a_bucket_its_new_settings_name_that_does_not_exist_is_a_configuration_change():
    # GIVEN a service whose new task definition (same image) is followed by NoSuchBucket on every request
    svc = ResourceRef("ecs", "build/gradle-cache", REGION)
    group = "/ecs/gradle-cache"
    missing = pattern("l1", "GET /cache/062c failed: software.amazon.awssdk.services.s3.model.NoSuchBucketException: "
                      "The specified bucket does not exist (Service: S3, Status Code: 404)", 0, 460, group=group)
    register = replace(_config("gradle-cache:58", 3, "RegisterTaskDefinition", "ecs.amazonaws.com"),
                       resource_type="AWS::ECS::TaskDefinition")
    update = _config(svc.id, 2, "UpdateService", "ecs.amazonaws.com", cid="c2")
    ev = evidence([Candidate(svc, "alarm", 1.0)], [missing], [register, update], alarm=alarm_on(svc),
                  owners={group: svc})
    # THEN the configuration the deployment shipped is the cause
    assert (rank_hypotheses(ev)[0].category, rank_hypotheses(ev)[0].resource.key) == ("config_change", svc.key)


def test_a_rotated_secret_does_not_explain_rate_limits_that_follow_it():
    # GIVEN a function whose app key was rotated two minutes before every call began to fail with a rate limit
    fn = ResourceRef("lambda", "pr-checks-reporter", REGION, {"config_refs": ["ci/github-app-private-key"]})
    group = "/aws/lambda/pr-checks-reporter"
    limited = pattern("l1", "[ERROR] RateLimitExceeded: 403 API rate limit exceeded for installation ID 31877121",
                      0, 380, group=group)
    rotate = _config("ci/github-app-private-key", 2, "RotateSecret", "secretsmanager.amazonaws.com")
    ev = evidence([Candidate(fn, "alarm", 1.0)], [limited], [rotate], alarm=alarm_on(fn), owners={group: fn})
    # THEN the rate limit is the cause
    assert (rank_hypotheses(ev)[0].category, rank_hypotheses(ev)[0].resource.key) == ("throttling", fn.key)
    # AND a change that sets a concurrency limit still explains the throttles it causes
    cap = _config(fn.id, 2, "PutFunctionConcurrency20171031", cid="c2")
    capped = replace(ev, changes=[cap], patterns=[pattern("l1", "Rate Exceeded. TooManyRequestsException", 0, 380,
                                                          group=group)])
    assert rank_hypotheses(capped)[0].category == "config_change"


def test_a_name_a_service_shares_with_its_balancer_is_its_own_in_its_lines():
    svc = ResourceRef("ecs", "mirrors/pypi-cache", REGION)
    alb = ResourceRef("alb", "app/pypi-cache/d6d7c36249dbf9c9", REGION, {"name": "pypi-cache"})
    line = ("ERROR pypi_cache.upstream: fetch failed for /simple/numpy/: requests.exceptions.ReadTimeout: "
            "HTTPSConnectionPool(host='files.pythonhosted.org', port=443)")
    # GIVEN the service's own logger name in its line, which spells its balancer's name too
    # THEN the line names neither when the service wrote it, and the balancer when another resource did
    assert mentioned_resources([line], [svc, alb], exclude=svc) == {}
    assert alb.key in mentioned_resources([line], [svc, alb], exclude=None)


def test_a_function_timing_out_on_queries_to_a_pinned_database_is_the_databases_cpu():
    fn = ResourceRef("lambda", "usage-summary", REGION, {"timeout": 10})
    db = ResourceRef("rds", "selfserve-pg", REGION)
    group = "/aws/lambda/usage-summary"
    # GIVEN a function cut off at its timeout while logging that it was still waiting on a slow query, and a
    # database in the account whose CPU went from 35 % to 100 % just before
    timed_out = pattern("l1", "Task timed out after 10.00 seconds", 0, 73, group=group)
    waiting = pattern("l2", "slow query usage_interval 2.7s, still waiting account=6247499", 0, 73, group=group,
                      level="WARN")
    cpu = _anomaly("a1", db, "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db.id}, 35, 100, minutes_after=0)
    slow = _anomaly("a2", fn, "AWS/Lambda", "Duration", {"FunctionName": fn.id}, 417, 9900)
    candidates = [Candidate(fn, "alarm", 1.0), Candidate(db, "context", 0.35)]
    ev = evidence(candidates, [timed_out, waiting], anomalies=[cpu, slow], alarm=alarm_on(fn), owners={group: fn})
    ranked = rank_hypotheses(ev)
    # THEN the database's CPU is the cause
    assert (ranked[0].category, ranked[0].resource.key) == ("cpu_saturation", db.key)
    # AND without the waits on queries the timeout stays the function's own
    alone = rank_hypotheses(replace(ev, patterns=[timed_out]))
    assert alone[0].category == "function_timeout"
