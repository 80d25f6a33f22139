"""Judgements from held-out incidents (sets 80-85): a listener rule named by its balancer's path, logfmt
messages kept apart, the one database listening on the port a caller cannot reach, the one door in front of a
timing-out function, and the exception class a Rails log line reports."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from analyzers.changes import touches
from analyzers.logs.events import parse_events
from analyzers.model import Change, LogRecord, ResourceRef
from analyzers.patterns import PatternWindow, mine_patterns
from analyzers.rca import rank_hypotheses
from analyzers.topology import Candidate
from tests.test_rca_limits import _anomaly
from tests.test_rca_rules import ONSET, REGION, alarm_on, evidence, pattern


def test_a_listener_rule_named_by_its_balancers_path_touches_the_balancer():
    alb = ResourceRef("alb", "app/referral-pub/d29e03578e3bd4a7", REGION, {"name": "referral-pub"})
    rule = Change("c1", ONSET, "elasticloadbalancing.amazonaws.com", "ModifyRule", None,
                  "referral-pub/https-443/rule-api", "terraform", REGION)
    # GIVEN a ModifyRule event naming "<balancer>/<listener>/<rule>"
    # THEN it touches that balancer, and not another one or a function of the same name
    assert touches(rule, alb)
    assert not touches(rule, ResourceRef("alb", "app/referral-int/0a1b2c3d4e5f6a7b", REGION))
    assert not touches(replace(rule, event_source="lambda.amazonaws.com"), ResourceRef("lambda", "referral-pub", REGION))


def test_logfmt_lines_with_different_messages_are_different_patterns():
    # GIVEN a Go service's logfmt errors: "push ack timeout" all along, "assign failed" only after onset,
    # with the same fields, so one template would merge them
    window = PatternWindow(ONSET - timedelta(minutes=60), ONSET, ONSET + timedelta(minutes=20))

    def line(msg: str, i: int) -> str:
        return (f'time=2026-02-19T11:{i % 60:02d}:20.574Z level=error msg="{msg}" trip_id=T{847044860 + i} '
                f'err="dial tcp 10.20.3.{i % 200}:{3306 + i % 2}: i/o timeout" attempt={i % 3}')
    records = [LogRecord("/ecs/assigner", "s", (ONSET + timedelta(minutes=m)).timestamp(), line("push ack timeout", m))
               for m in range(-60, 20)]
    records += [LogRecord("/ecs/assigner", "s", (ONSET + timedelta(seconds=20 * i + 7)).timestamp(),
                          line("assign failed", i)) for i in range(60)]
    # WHEN mined
    by_msg = {p.samples[0].split('msg="')[1].split('"')[0]: p for p in mine_patterns(records, window)}
    # THEN the new message is a new pattern, the old one is not
    assert by_msg["assign failed"].new and by_msg["assign failed"].count == 60
    assert not by_msg["push ack timeout"].new


def test_a_caller_that_cannot_reach_port_3306_points_at_the_one_mysql_database():
    svc = ResourceRef("ecs", "dispatch/assigner", REGION)
    mysql = ResourceRef("rds", "assign-my-01", REGION, {"engine": "mysql"})
    pg = ResourceRef("rds", "geo-pg", REGION, {"engine": "postgres"})
    group = "/ecs/assigner"
    # GIVEN a service failing with "dial tcp <ip>:3306: connect: connection refused" (no name), one MySQL and
    # one PostgreSQL database in the account
    refused = pattern("l1", 'msg="assign failed" err="reserve driver: dial tcp 10.20.3.41:3306: connect: connection '
                            'refused"', 0, 160, group=group)
    candidates = [Candidate(svc, "alarm", 1.0), Candidate(mysql, "context", 0.35), Candidate(pg, "context", 0.35)]
    ev = evidence(candidates, [refused], alarm=alarm_on(svc), owners={group: svc})
    # THEN the MySQL database is the failing dependency
    ranked = rank_hypotheses(ev)
    assert (ranked[0].category, ranked[0].resource.key) == ("dependency_failure", mysql.key)
    # AND with two MySQL databases the port alone names neither
    other = ResourceRef("rds", "ledger-my-02", REGION, {"engine": "mysql"})
    two = replace(ev, candidates=candidates + [Candidate(other, "context", 0.35)])
    assert rank_hypotheses(two)[0].resource.key == svc.key


def test_the_one_door_in_front_of_a_timing_out_function_relays_its_timeouts():
    fn = ResourceRef("lambda", "cart-totals", REGION, {"timeout": 6})
    api = ResourceRef("apigateway", "carrinho-api", REGION, {"api_id": "b7t3n9w2ka"})
    door_group, fn_group = "API-Gateway-Execution-Logs_b7t3n9w2ka/prod", "/aws/lambda/cart-totals"
    # GIVEN a function alarmed on errors, the account's one API (nothing lists its integration) logging
    # "Task timed out" and 502s for it, and the function's own few sampled timeouts
    relayed = pattern("l1", "Task timed out after 6.00 seconds. Lambda request id: 995b6518", 0, 82, group=door_group)
    bad_gateway = pattern("l2", "(1704f6de) Method completed with status: 502", 0, 82, group=door_group)
    own = pattern("l3", "Task timed out after 6.00 seconds", 0, 8, group=fn_group)
    ev = evidence([Candidate(fn, "alarm", 1.0), Candidate(api, "upstream", 0.6)], [relayed, bad_gateway, own],
                  alarm=alarm_on(fn), owners={door_group: api, fn_group: fn})
    # THEN the function's timeout is the cause: the door's 502s are what is behind it failing
    ranked = rank_hypotheses(ev)
    assert (ranked[0].category, ranked[0].resource.key) == ("function_timeout", fn.key)
    # AND with a second door in the account, which one fronts the function is unknown: the 502s stay the door's
    other = ResourceRef("alb", "app/other-web/0a1b2c3d4e5f6a7b", REGION)
    two = rank_hypotheses(replace(ev, candidates=ev.candidates + [Candidate(other, "upstream", 0.6)]))
    assert (two[0].category, two[0].resource.key) == ("dependency_failure", api.key)


def test_a_rails_fatal_line_reports_its_exception_class():
    head = "F, [2026-11-27T18:09:15.512838 #1] FATAL -- : [97bcfac5-0d54-441c-9194-a95fec029bda] "
    events = parse_events([(1.0, head + "NoMethodError (undefined method `cents' for nil):"),
                           (2.0, head + 'ActionController::RoutingError (No route matches [GET] "/wp-login.php"):'),
                           (3.0, "I, [2026-11-27T18:09:16.1 #1]  INFO -- : [97bc] Completed 200 OK in 12ms")])
    assert [e.exception_type for e in events] == ["NoMethodError", "ActionController::RoutingError", None]


def test_a_doors_change_after_its_backend_began_failing_explains_nothing():
    fn = ResourceRef("lambda", "lti-launch-handler", REGION, {"role": "lti-launch-exec"})
    api = ResourceRef("apigateway", "lti-launch", REGION, {"integrations": [fn.id]})
    group = "/aws/lambda/lti-launch-handler"
    # GIVEN an API alarmed on 5XXError, its function denied kms:Sign from a minute after its role was edited,
    # and the API redeployed a minute after those denials began
    failures = _anomaly("a1", api, "AWS/ApiGateway", "5XXError", {"ApiName": api.id}, 0, 78, minutes_after=0)
    alarm = replace(alarm_on(api, "5XXError"), namespace="AWS/ApiGateway", dimensions=(("ApiName", api.id),))
    denied = replace(pattern("l1", "User: arn:aws:sts::3142:assumed-role/lti-launch-exec/lti-launch-handler is not "
                                   "authorized to perform: kms:Sign", 0, 401, group=group, exception="AccessDenied"),
                     first_seen=ONSET + timedelta(minutes=1))
    role = Change("c1", ONSET, "iam.amazonaws.com", "PutRolePolicy", None, "lti-launch-exec", "terraform", REGION)
    redeploy = Change("c2", ONSET + timedelta(minutes=2), "apigateway.amazonaws.com", "CreateDeployment", None,
                      api.id, "j.tanaka", REGION)
    ev = evidence([Candidate(api, "alarm", 1.0), Candidate(fn, "dependency", 1.0, "behind it")], [denied],
                  [role, redeploy], anomalies=[failures], alarm=alarm, owners={group: fn})
    ranked = rank_hypotheses(ev)
    # THEN the function's permission is the cause, and the redeploy explains none of the failures
    assert (ranked[0].category, ranked[0].resource.key) == ("permission_denied", fn.key)
    assert ("bad_deployment", api.key) not in {(h.category, h.resource.key) for h in ranked}
