"""Judgements from held-out incidents about limits and error signatures: a database setting named in its
client's error, a service's own limiter turning away a surge, an invocation cut off at its configured
timeout, slowness while what a function calls fails, a driver's own messages, one exception per pattern."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from analyzers.changes import change_kind, touches
from analyzers.model import Anomaly, Change, LogRecord, MetricKey, ResourceRef, Series
from analyzers.patterns import PatternWindow, mine_patterns
from analyzers.rca import rank_hypotheses
from analyzers.topology import Candidate
from tests.test_rca_rules import ONSET, REGION, alarm_on, evidence, pattern

APP = ResourceRef("ec2", "i-04c8a1f2e9d3b6701", REGION, {"name": "reports-web-1"})
APP_GROUP = "/reports/rails/production"
DB = ResourceRef("rds", "reports-db", REGION, {"parameter_group": "reports-mysql80"})


def _series(sid: str, resource: ResourceRef, namespace: str, name: str, dims: dict[str, str],
            values: list[float]) -> Series:
    stamps = tuple(ONSET.timestamp() + 60 * (i - len(values) + 20) for i in range(len(values)))
    return Series(sid, MetricKey.of(namespace, name, dims, "Maximum", REGION), stamps, tuple(values))


def test_a_database_setting_named_in_its_clients_error_is_the_databases_configuration_change():
    # GIVEN reports failing with MySQL's only_full_group_by refusal after the DB's parameter group changed
    refused = pattern("l1", "Mysql2::Error: Expression #2 of SELECT list is not in GROUP BY clause and contains "
                      "nonaggregated column; this is incompatible with sql_mode=only_full_group_by", 0, 240,
                      group=APP_GROUP)
    change = Change("c1", ONSET - timedelta(minutes=50), "rds.amazonaws.com", "ModifyDBParameterGroup",
                    "AWS::RDS::DBParameterGroup", "reports-mysql80", "dba", REGION)
    candidates = [Candidate(APP, "alarm", 1.0), Candidate(DB, "dependency", 1.0, "named in its logs")]
    ranked = rank_hypotheses(evidence(candidates, [refused], [change], alarm=alarm_on(APP),
                                      owners={APP_GROUP: APP}))
    # THEN the database's configuration is the cause, not the web host that logged the error
    assert (ranked[0].category, ranked[0].resource.key) == ("config_change", DB.key)


def test_a_services_own_limiter_turning_away_a_surge_is_the_surge():
    # GIVEN a balancer whose requests went 14x, and the service behind it answering 503 from its own
    # admission limiter
    alb = ResourceRef("alb", "app/tickets-alb/5e2c9a17b4d03f68", REGION, {"targets": ["events-prod/tickets-api"]})
    svc = ResourceRef("ecs", "events-prod/tickets-api", REGION)
    surge = Anomaly("a1", "m1", MetricKey.of("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb.id}, "Sum",
                                             REGION), alb, ONSET, 1.0, 480, 6500, "up")
    shed = pattern("l1", "admission rejected: concurrency limit 400 reached (queued=900), returning 503 "
                   "Retry-After: 5", 0, 150, group="/ecs/tickets-api", level="WARN")
    alarm = replace(alarm_on(alb, "TargetResponseTime"), namespace="AWS/ApplicationELB",
                    dimensions=(("LoadBalancer", alb.id),))
    ev = evidence([Candidate(alb, "alarm", 1.0), Candidate(svc, "dependency", 1.0, "behind it")], [shed],
                  anomalies=[surge], alarm=alarm, owners={"/ecs/tickets-api": svc})
    # THEN the surge is the cause
    assert rank_hypotheses(ev)[0].category == "traffic_surge"
    # AND a limit outside the service ("Rate exceeded" from an AWS API) stays throttling
    throttled = pattern("l1", "botocore.exceptions.ClientError: An error occurred (ThrottlingException): Rate "
                        "exceeded", 0, 150, group="/ecs/tickets-api")
    assert rank_hypotheses(replace(ev, patterns=[throttled]))[0].category == "throttling"


def test_an_invocation_lasting_its_configured_timeout_is_a_function_timeout_even_when_rare():
    # GIVEN an hourly job whose single run just lasted its 900 s timeout (one "Task timed out" line)
    fn = ResourceRef("lambda", "usage-aggregator", REGION, {"timeout": 900})
    group = "/aws/lambda/usage-aggregator"
    once = pattern("l1", "Task timed out after 900.00 seconds", 0, 1, group=group)
    duration = _series("m1", fn, "AWS/Lambda", "Duration", {"FunctionName": fn.id}, [612000.0] * 25 + [900000.0])
    ev = replace(evidence([Candidate(fn, "alarm", 1.0)], [once], alarm=alarm_on(fn), owners={group: fn}),
                 series=[duration])
    # THEN it is a function timeout
    assert (rank_hypotheses(ev)[0].category, rank_hypotheses(ev)[0].resource.key) == ("function_timeout", fn.key)


def test_a_function_slow_because_its_database_fails_is_not_timing_out_and_driver_messages_name_the_database():
    # GIVEN two clients of a MySQL database: one logs mysql2's "Query inactivity timeout" (no host in it),
    # the other "Lost connection to MySQL server" while its duration neared its 3 s timeout
    db = ResourceRef("rds", "shipments-mysql", REGION)
    api = ResourceRef("lambda", "order-status", REGION, {"timeout": 10})
    printer = ResourceRef("lambda", "label-printer", REGION, {"timeout": 3})
    groups = {"/aws/lambda/order-status": api, "/aws/lambda/label-printer": printer}
    inactivity = pattern("l1", "Error: Query inactivity timeout", 0, 40, group="/aws/lambda/order-status",
                         exception="Error")
    lost = pattern("l2", "pymysql.err.OperationalError: (2013, 'Lost connection to MySQL server during query')",
                   0, 3, group="/aws/lambda/label-printer")
    slow = Anomaly("a1", "m1", MetricKey.of("AWS/Lambda", "Duration", {"FunctionName": printer.id}, "Maximum",
                                            REGION), printer, ONSET, 1.0, 320, 2855, "up")
    candidates = [Candidate(api, "alarm", 1.0), Candidate(db, "involved", 1.0, "its log names order-status"),
                  Candidate(printer, "involved", 0.9, "errors in its own logs")]
    ranked = rank_hypotheses(evidence(candidates, [inactivity, lost], anomalies=[slow], alarm=alarm_on(api),
                                      owners=groups))
    # THEN the database is where it fails
    assert (ranked[0].category, ranked[0].resource.key) == ("dependency_failure", db.key)
    # AND seen from the slow client alone, it is not timing out on its own either
    alone = evidence([Candidate(printer, "alarm", 1.0), Candidate(db, "dependency", 1.0, "named in its logs")],
                     [lost], anomalies=[slow], alarm=alarm_on(printer), owners=groups)
    assert rank_hypotheses(alone)[0].category != "function_timeout"


def test_errors_sharing_a_headline_but_raising_different_exceptions_are_separate_patterns():
    # GIVEN Django's "Internal Server Error: <path>" headline over two different tracebacks
    def event(ts: float, path: str, exc: str) -> LogRecord:
        text = (f"ERROR 2026-03-24 14:46:42,195 log 27 140112 Internal Server Error: {path}\n"
                "Traceback (most recent call last):\n  File \"/app/views.py\", line 91, in view\n"
                f"    body = handle()\n{exc}")
        return LogRecord("/ecs/profile-api", "web/1", ts, text)
    start = ONSET.timestamp()
    old = [event(start - 600 * i, "/legacy/avatar/u1.png", "botocore.errorfactory.NoSuchKey: key missing")
           for i in range(1, 6)]
    new = [event(start + 60 * i, "/v2/profile/u9/preferences", "TypeError: Object of type Decimal is not JSON "
                                                                 "serializable") for i in range(1, 6)]
    window = PatternWindow(ONSET - timedelta(hours=1), ONSET, ONSET + timedelta(minutes=20))
    patterns = mine_patterns(old + new, window)
    # THEN the new exception is a new pattern of its own, not a rise of the old one
    by_type = {p.exception_type: p for p in patterns}
    assert by_type["TypeError"].new and by_type["TypeError"].count == 5
    assert not by_type["botocore.errorfactory.NoSuchKey"].new


@pytest.mark.parametrize("message", [
    'level=ERROR msg="post entry failed" err="settlement: no settlement account configured for '
    'currency \\"EUR\\" (check SETTLEMENT_ACCOUNTS)"',
    # Laravel without APP_KEY (the task definition dropped it)
    '[2026-12-01 14:23:30] production.ERROR: No application encryption key has been specified. {"exception":"[object] '
    '(Illuminate\\\\Encryption\\\\MissingAppKeyException(code: 0): No application encryption key has been '
    'specified. at /var/www/html/vendor/laravel/framework/src/Illuminate/Encryption/EncryptionServiceProvider.php:83)',
])
def test_an_error_pointing_at_an_environment_setting_makes_the_release_that_shipped_it_a_config_change(message):
    # GIVEN a new task definition, then errors naming a setting it lacks (an environment-style one, a key)
    svc = ResourceRef("ecs", "payments/ledger-svc", REGION, {"task_definition_family": "ledger-svc"})
    group = "/ecs/payments/ledger-svc"
    err = pattern("l1", message, 0, 900, group=group)
    release = [Change("c1", ONSET - timedelta(minutes=2), "ecs.amazonaws.com", "RegisterTaskDefinition",
                      None, "ledger-svc:87", "atlantis", REGION),
               Change("c2", ONSET - timedelta(minutes=1), "ecs.amazonaws.com", "UpdateService", None, svc.id,
                      "atlantis", REGION)]
    ranked = rank_hypotheses(evidence([Candidate(svc, "alarm", 1.0)], [err], release, alarm=alarm_on(svc),
                                      owners={group: svc}))
    # THEN the setting it shipped is the cause
    assert (ranked[0].category, ranked[0].resource.key) == ("config_change", svc.key)


def test_a_configuration_update_after_which_code_is_missing_shipped_code():
    # GIVEN UpdateFunctionConfiguration (a new layer) 5 min before "cannot open shared object file"
    fn = ResourceRef("lambda", "quote-api", REGION)
    group = "/aws/lambda/quote-api"
    missing = pattern("l1", "[ERROR] OSError: cannot load library 'libpango-1.0.so.0': libpango-1.0.so.0: cannot "
                      "open shared object file: No such file or directory", 0, 90, group=group)
    update = Change("c1", ONSET - timedelta(minutes=5), "lambda.amazonaws.com",
                    "UpdateFunctionConfiguration20150331v2", None, fn.id, "ci", REGION)
    ev = evidence([Candidate(fn, "alarm", 1.0)], [missing], [update], alarm=alarm_on(fn), owners={group: fn})
    # THEN it is a deployment: the layer shipped code
    assert (rank_hypotheses(ev)[0].category, rank_hypotheses(ev)[0].resource.key) == ("bad_deployment", fn.key)
    # AND a setting error after the same call stays a configuration change
    unset = pattern("l1", "KeyError: 'QUOTE_BUCKET'", 0, 90, group=group)
    assert rank_hypotheses(replace(ev, patterns=[unset]))[0].category == "config_change"
    # AND so does a module missing after the call switched its runtime (cold starts on a new runtime version)
    node = pattern("l1", "Runtime.ImportModuleError: Error: Cannot find module 'aws-sdk'", 0, 90, group=group)
    runtime = pattern("l2", "Lambda INIT_START runtime nodejs:20", 0, 40, group=group, level="INFO")
    assert rank_hypotheses(replace(ev, patterns=[node, runtime]))[0].category == "config_change"


def test_a_database_whose_security_group_lost_its_rule_is_unreachable_not_exhausted():
    # GIVEN an ingress rule revoked on the database's security group; the client's pool then runs dry
    # because every new connect times out, while the database has connections to spare
    db = replace(DB, properties={"max_connections": 1000, "vpc_security_groups": ["sg-0b7c1d2e (orders-db-sg)"]})
    svc = ResourceRef("ecs", "fulfillment/fulfillment-api", REGION)
    group = "/ecs/fulfillment-api"
    drained = pattern("l1", "CannotGetJdbcConnectionException: Failed to obtain JDBC Connection; HikariPool-1 - "
                      "Connection is not available, request timed out after 30000ms; CommunicationsException: "
                      "Communications link failure; SocketTimeoutException: Connect timed out", 0, 900, group=group)
    revoke = Change("c1", ONSET - timedelta(minutes=2), "ec2.amazonaws.com", "RevokeSecurityGroupIngress",
                    "AWS::EC2::SecurityGroup", "sg-0b7c1d2e", "netadmin", REGION)
    conns = _series("m1", db, "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db.id}, [120.0] * 30)
    candidates = [Candidate(svc, "alarm", 1.0), Candidate(db, "dependency", 1.0, "referenced in its configuration")]
    ev = replace(evidence(candidates, [drained], [revoke], alarm=alarm_on(svc), owners={group: svc}), series=[conns])
    # THEN the rule change on the database's group is the cause
    assert (rank_hypotheses(ev)[0].category, rank_hypotheses(ev)[0].resource.key) == ("config_change", db.key)


def test_a_function_invoked_over_its_limit_is_what_its_callers_throttles_are_about():
    # GIVEN a service logging Lambda's TooManyRequestsException without naming the function, and a function
    # at its reserved concurrency that throttles
    svc = ResourceRef("ecs", "media/upload-api", REGION)
    fn = ResourceRef("lambda", "image-thumbnailer", REGION, {"reserved_concurrency": 40})
    group = "/ecs/media/upload-api"
    refused = pattern("l1", "thumbnail generation failed: TooManyRequestsException: Rate Exceeded.", 9, 2300,
                      group=group)
    throttles = Anomaly("a1", "m1", MetricKey.of("AWS/Lambda", "Throttles", {"FunctionName": fn.id}, "Sum", REGION),
                        fn, ONSET, 1.0, 0, 600, "up")
    ev = evidence([Candidate(svc, "alarm", 1.0), Candidate(fn, "context", 0.35)], [refused], anomalies=[throttles],
                  alarm=alarm_on(svc), owners={group: svc})
    # THEN the function at its limit is the origin
    assert (rank_hypotheses(ev)[0].category, rank_hypotheses(ev)[0].resource.key) == ("throttling", fn.key)


def test_a_ruby_frame_named_render_header_is_no_mysql_error_code():
    # GIVEN a nil dereference in renderer.rb:41 `render_header' while a database's CPU is pinned by a known job
    fn = ResourceRef("lambda", "invoice-generator", REGION)
    db = ResourceRef("rds", "billing-db", REGION)
    group = "/aws/lambda/invoice-generator"
    nil = pattern("l1", "NoMethodError: undefined method `strftime' for nil\n/var/task/lib/invoice/renderer.rb:41:"
                  "in `render_header'", 0, 80, group=group, exception="NoMethodError")
    cpu = Anomaly("a1", "m1", MetricKey.of("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db.id}, "Average",
                                           REGION), db, ONSET - timedelta(minutes=3), 1.0, 20, 99, "up")
    ev = evidence([Candidate(fn, "alarm", 1.0), Candidate(db, "context", 1.0)], [nil], anomalies=[cpu],
                  alarm=alarm_on(fn), owners={group: fn})
    # THEN the function's own exception is the cause, not the busy database nobody waits on
    assert (rank_hypotheses(ev)[0].category, rank_hypotheses(ev)[0].resource.key) == ("application_error", fn.key)


def test_a_target_groups_settings_are_its_balancers_and_an_instance_refresh_deploys_the_fleet():
    alb = ResourceRef("alb", "app/pagamentos-alb/7d9f1b3d5f7b9d1f", REGION,
                      {"target_groups": ["pix-api-tg"], "autoscaling_group": "inventory-api-asg"})
    web = ResourceRef("ec2", "i-0d3e5f7a9b1c2d4e6", REGION, {"autoscaling_group": "inventory-api-asg",
                                                            "launch_template": "inventory-api-lt"})
    # GIVEN a health-check change on one of the balancer's target groups
    modify = Change("c1", ONSET - timedelta(minutes=20), "elasticloadbalancing.amazonaws.com", "ModifyTargetGroup",
                    None, "targetgroup/pix-api-tg/2e4a6c8e0a2c4e6a", "ops", REGION)
    # THEN it touches the balancer, as a configuration change
    assert touches(modify, alb) and change_kind(modify) == "config"
    # AND a launch template version rolled out by an instance refresh is a deployment of the fleet
    refresh = Change("c2", ONSET - timedelta(minutes=10), "autoscaling.amazonaws.com", "StartInstanceRefresh",
                     None, "inventory-api-asg", "packer", REGION)
    version = replace(refresh, id="c3", event_name="CreateLaunchTemplateVersion", resource_name="inventory-api-lt")
    assert change_kind(refresh) == change_kind(version) == "deployment"
    assert touches(refresh, web) and touches(version, web)
    # AND never a deployment of the balancer in front of it, which runs no code
    group = "/ec2/inventory-api/messages"
    crash = pattern("l1", "systemd[1]: inventory-api.service: Failed with result 'exit-code'.", 0, 4, group=group)
    failing = Anomaly("a1", "m1", MetricKey.of("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": alb.id},
                                               "Sum", REGION), alb, ONSET, 1.0, 0, 300, "up")
    ev = evidence([Candidate(alb, "alarm", 1.0), Candidate(web, "dependency", 1.0, "behind it")], [crash], [refresh],
                  anomalies=[failing], alarm=alarm_on(alb, "UnHealthyHostCount"), owners={group: web})
    assert (rank_hypotheses(ev)[0].category, rank_hypotheses(ev)[0].resource.key) == ("bad_deployment", web.key)


def test_a_read_only_refusal_naming_no_host_points_at_the_only_database_cluster():
    # GIVEN writes refused "in a read-only transaction" after a failover, and the two instances of one cluster
    fn = ResourceRef("lambda", "cart-writer", REGION)
    one = ResourceRef("rds", "cart-aurora-instance-1", REGION, {"cluster": "cart-aurora", "role": "reader"})
    two = ResourceRef("rds", "cart-aurora-instance-2", REGION, {"cluster": "cart-aurora", "role": "writer"})
    group = "/aws/lambda/cart-writer"
    refused = pattern("l1", "psycopg2.errors.ReadOnlySqlTransaction: cannot execute UPDATE in a read-only "
                      "transaction", 0, 340, group=group)
    ev = evidence([Candidate(fn, "alarm", 1.0), Candidate(one, "context", 0.35), Candidate(two, "context", 0.35)],
                  [refused], alarm=alarm_on(fn), owners={group: fn})
    # THEN the cluster is where it fails
    top = rank_hypotheses(ev)[0]
    assert top.category == "dependency_failure" and top.resource.key in (one.key, two.key)
