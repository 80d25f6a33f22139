"""Ranking rules learnt from container and VM fleets: framework binding errors, burstable CPU credits,
timeouts under a batch surge, alarms on things outside the inventory, AWS service events in log groups."""
from __future__ import annotations

from datetime import timedelta

from analyzers.model import Alarm, Change, LogRecord, MetricKey, ResourceRef, Series
from analyzers.rca import log_categories, rank_hypotheses
from analyzers.topology import Candidate, select_candidates
from tests.test_rca_rules import API, ONSET, REGION, alarm_on, evidence, pattern

WEB = ResourceRef("ec2", "i-0d3f5b7a9c1e24680", REGION, {"name": "crm-app-1", "instance_type": "t3.large"})


def test_a_framework_that_cannot_bind_a_setting_names_a_config_error():
    # GIVEN Spring Boot's start-up failure for an environment value it cannot convert
    line = ("Failed to bind properties under 'orders.payment.capture-timeout' to java.time.Duration: "
            "Origin: System Environment Property \"ORDERS_PAYMENT_CAPTURE_TIMEOUT\" Reason: '45sec' is not a valid "
            "duration")
    # THEN it reads as a configuration error, while a socket bind failure does not
    assert "config_change" in log_categories(line)
    assert "config_change" not in log_categories("java.net.BindException: Address already in use")


def test_a_burstable_instance_out_of_cpu_credits_is_cpu_saturation():
    # GIVEN a t3 instance whose credit balance drained over hours to 0 at onset (its CPU then capped, not pinned)
    key = MetricKey.of("AWS/EC2", "CPUCreditBalance", {"InstanceId": WEB.id}, "Minimum", REGION)
    stamps = tuple(ONSET.timestamp() + 60 * i for i in range(-300, 20))
    values = tuple(max(0.0, 150.0 - 0.5 * (i + 300)) for i in range(-300, 20))
    alb = ResourceRef("alb", "app/crm-alb/9d0e", REGION, {"targets": [WEB.id]})
    from analyzers.model import Anomaly
    slow = Anomaly("a1", "m2", MetricKey.of("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb.id},
                                             "Average", REGION), alb, ONSET, 0.9, 0.24, 3.3, "up")
    ev = evidence([Candidate(alb, "alarm", 1.0), Candidate(WEB, "dependency", 1.0, "behind it")],
                  anomalies=[slow], alarm=alarm_on(alb, "TargetResponseTime"), owners={})
    ev = type(ev)(**{**ev.__dict__, "series": [Series("m1", key, stamps, values, "Count")]})
    # WHEN ranked THEN the instance's CPU is the cause
    ranked = rank_hypotheses(ev)
    assert (ranked[0].category, ranked[0].resource.key) == ("cpu_saturation", WEB.key)


def test_a_function_timing_out_under_more_invocations_is_a_timeout_not_a_surge():
    # GIVEN a month-end batch: invocations x3.5 and every long invocation hitting the 30 s timeout
    from tests.test_rca_triggers import _surge
    timeouts = pattern("l1", "Task timed out after 30.03 seconds", 0, 201)
    ranked = rank_hypotheses(evidence([Candidate(API, "alarm", 1.0)], [timeouts],
                                      anomalies=[_surge(API, "Invocations", "a1")]))
    # THEN the function's timeout is the fault
    assert (ranked[0].category, ranked[0].resource.key) == ("function_timeout", API.key)


def test_an_alarm_on_a_queue_outside_the_inventory_still_gets_the_involved_workers():
    # GIVEN an SQS age-of-oldest-message alarm (no inventory resource) and two workers whose AccessDenied
    # errors began with it, after their instance profile's role lost a policy
    role = "ingest-worker-instance-role"
    workers = [ResourceRef("ec2", f"i-0a7c3e5b9d1f2468{n}", REGION, {"name": f"ingest-worker-{n}",
                                                                    "iam_instance_profile": role}) for n in (1, 2)]
    involved = {w.key: "errors in its own logs" for w in workers}
    candidates = select_candidates(None, workers, [], involved=involved)
    # THEN the workers are involved candidates, not context
    assert {c.relation for c in candidates} == {"involved"}
    alarm = Alarm("ingest-events-oldest", REGION, state="ALARM", namespace="AWS/SQS",
                  metric="ApproximateAgeOfOldestMessage", dimensions=(("QueueName", "ingest-events"),),
                  statistic="Maximum", threshold=300, comparison="GreaterThanThreshold")
    denied = pattern("l1", "receive failed: SQS ReceiveMessage AccessDenied: not authorized to perform "
                           "sqs:receivemessage", 3, 755, group="/ingest/app")
    detach = Change("c1", ONSET - timedelta(minutes=1), "iam.amazonaws.com", "DetachRolePolicy", "AWS::IAM::Role",
                    role, "terraform", REGION)
    ranked = rank_hypotheses(evidence(candidates, [denied], [detach], alarm=alarm, owners={"/ingest/app": workers[0]}))
    # AND the role change on their instance profile makes it permission_denied on a worker
    assert ranked[0].category == "permission_denied" and ranked[0].resource.key == workers[0].key
    assert "c:c1" in ranked[0].evidence_ids


def test_service_events_in_an_event_log_group_belong_to_the_resource_they_name():
    from bot.engine.collect_logs import _events_by_resource

    # GIVEN EventBridge-forwarded ECS task-state events in one group, and an ordinary app group
    gateway = ResourceRef("ecs", "platform/ws-gateway", REGION)
    sessions = ResourceRef("ecs", "platform/session-api", REGION)
    stop = ('{"detail-type":"ECS Task State Change","detail":{"group":"service:ws-gateway","containers":[{"exitCode":'
            '137,"reason":"OutOfMemoryError: Container killed due to memory usage"}]}}')
    records = [LogRecord("/aws/events/ecs-task-state", "s1", ONSET.timestamp(), stop),
               LogRecord("/aws/events/ecs-task-state", "s1", ONSET.timestamp(), '{"detail-type":"Heartbeat"}'),
               LogRecord("/ecs/session-api", "s2", ONSET.timestamp(), "session refreshed")]
    # WHEN split by resource
    out, sources = _events_by_resource(records, [gateway, sessions])
    # THEN the task stop is ws-gateway's, the unnamed event and the app line are left as they were
    assert sources == {("/aws/events/ecs-task-state", "s1#platform/ws-gateway"): gateway.id}
    assert [r.stream for r in out] == ["s1#platform/ws-gateway", "s1", "s2"]


def test_a_codedeploy_deployment_touches_the_fleet_it_rolls_onto():
    from analyzers.changes import touches

    # GIVEN two fleets behind one balancer and CodeDeploy deployments named "<application>/<group>"
    api = ResourceRef("ec2", "i-0c41e7a9b3d5f2068", REGION, {"name": "storefront-api-1",
                                                             "autoscaling_group": "storefront-api-asg"})
    web = ResourceRef("ec2", "i-0f2b6d8a4c0e1e357", REGION, {"name": "storefront-web-1"})

    def deploy(name: str) -> Change:
        return Change("c", ONSET, "codedeploy.amazonaws.com", "CreateDeployment", "", name, "ci", REGION)
    # THEN each touches its own fleet only
    assert touches(deploy("storefront-api/api-prod"), api) and not touches(deploy("storefront-api/api-prod"), web)
    assert touches(deploy("storefront-web/web-prod"), web) and not touches(deploy("storefront-web/web-prod"), api)


def test_a_security_group_rule_change_is_a_config_change_of_the_instances_in_that_group():
    from analyzers.changes import change_kind, touches

    # GIVEN instances listing their security groups (id and name, as DescribeInstances gives them)
    member = ResourceRef("ec2", "i-0c9e1a3b5d7f24680", REGION, {"security_groups": ["sg-0b7d9f1a3c5e7246",
                                                                                   "partner-gw-instances"]})
    other = ResourceRef("ec2", "i-07b9d1f3a5c7e2468", REGION, {"security_groups": ["sg-0aaa"]})
    revoke = Change("c", ONSET, "ec2.amazonaws.com", "RevokeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
                    "sg-0b7d9f1a3c5e7246", "terraform", REGION)
    # THEN the rule change is a configuration change touching only the member instance
    assert change_kind(revoke) == "config"
    assert touches(revoke, member) and not touches(revoke, other)


def test_a_database_that_failed_over_is_the_failing_dependency():
    # GIVEN the writer's own log after a cross-AZ failover: writes now reach a read-only instance
    db = ResourceRef("rds", "billing-aurora-instance-1", REGION, {"engine": "aurora-postgresql"})
    group = "/aws/rds/instance/billing-aurora-instance-1/postgresql"
    readonly = pattern("l1", "ERROR:  cannot execute UPDATE in a read-only transaction", 0, 175, group=group)
    service_errors = pattern("l2", "Request processing failed: CannotCreateTransactionException", 0, 96)
    alb = ResourceRef("alb", "app/billing-alb/5e7a", REGION)
    candidates = [Candidate(alb, "alarm", 1.0), Candidate(db, "involved", 0.9, "errors in its own logs"),
                  Candidate(API, "involved", 0.9, "errors in its own logs")]
    ranked = rank_hypotheses(evidence(candidates, [readonly, service_errors], alarm=alarm_on(alb, "Target5XX"),
                                      owners={group: db, "/aws/lambda/orders-api": API}))
    # THEN the database is the origin, as a dependency failure
    assert (ranked[0].category, ranked[0].resource.key) == ("dependency_failure", db.key)


def test_a_database_logging_its_parameters_change_gets_the_modified_parameter_group():
    from analyzers.changes import touches, with_parameter_groups_applied

    # GIVEN a ModifyDBParameterGroup on a group the database's properties do not list, then the
    # database's own log reporting a parameter change (and an unrelated database that logs nothing)
    db = ResourceRef("rds", "ledger-db", REGION, {"engine": "postgres"})
    other = ResourceRef("rds", "billing-db", REGION, {"engine": "postgres"})
    group = "/aws/rds/instance/ledger-db/postgresql"
    modify = Change("c1", ONSET - timedelta(minutes=4), "rds.amazonaws.com", "ModifyDBParameterGroup",
                    "AWS::RDS::DBParameterGroup", "ledger-pg15", "dba", REGION)
    applied = pattern("l1", 'LOG:  parameter "statement_timeout" changed to "1000"', 0, 1, group=group, level="INFO")
    # WHEN linked
    linked = with_parameter_groups_applied([db, other], [modify], [applied], {group: db})
    # THEN the change touches the database that applied it, not the other one
    assert touches(modify, linked[0]) and not touches(modify, linked[1])


def test_a_cpu_blip_with_nothing_following_is_unknown():
    # GIVEN an instance's CPU alarm: CPU 18 % -> 95 % for a few minutes, no latency, no errors, no logs
    key = MetricKey.of("AWS/EC2", "CPUUtilization", {"InstanceId": WEB.id}, "Average", REGION)
    from analyzers.model import Anomaly
    cpu = Anomaly("a1", "m1", key, WEB, ONSET, 0.9, 18.0, 95.0, "up")
    alarm = Alarm("reporting-cpu-high", REGION, state="ALARM", namespace="AWS/EC2", metric="CPUUtilization",
                  dimensions=(("InstanceId", WEB.id),), statistic="Average", threshold=90,
                  comparison="GreaterThanThreshold")
    calm = rank_hypotheses(evidence([Candidate(WEB, "alarm", 1.0)], anomalies=[cpu], alarm=alarm, owners={}))
    # THEN the honest answer is unknown; with latency following it, it is CPU saturation
    assert calm[0].category == "unknown"
    latency_key = MetricKey.of("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": "app/x/1"}, "Average",
                               REGION)
    slow = Anomaly("a2", "m2", latency_key, None, ONSET, 0.9, 0.2, 3.1, "up")
    hurt = rank_hypotheses(evidence([Candidate(WEB, "alarm", 1.0)], anomalies=[cpu, slow], alarm=alarm, owners={}))
    assert (hurt[0].category, hurt[0].resource.key) == ("cpu_saturation", WEB.key)


def test_a_service_whose_slow_lines_name_a_container_hosts_default_host_name_has_that_host_behind_it():
    # GIVEN an ALB's ECS service whose new slow-request lines carry the EC2 default host name of the
    # container instance they run on (ip-10-20-2-41.<region>.compute.internal), and that host's neighbour
    alb = ResourceRef("alb", "app/shop-public/9f7e", REGION, {"targets": ["catalog-api"]})
    api = ResourceRef("ecs", "shop/catalog-api", REGION, {"cluster": "shop"})
    host = ResourceRef("ec2", "i-0f2b9e4d6a8c13572", REGION, {"name": "ecs-shop-2", "private_ip": "10.20.2.41"})
    other = ResourceRef("ec2", "i-0d4a7c2e9f1b38560", REGION, {"name": "ecs-shop-1", "private_ip": "10.20.2.4"})
    slow = "slow request\n(host ip-10-20-2-41.ap-southeast-2.compute.internal)"
    found = {c.resource.key: c for c in select_candidates(alb, [alb, api, host, other], [slow], context_limit=0)}
    # THEN that host is a dependency named in the logs, and the one whose address is a prefix of it is not
    assert found[host.key].relation == "dependency" and found[host.key].via == "named in its logs"
    assert other.key not in found


def test_the_503s_a_server_writes_in_its_own_access_log_are_its_answers_not_a_dependency_failing():
    # GIVEN an instance behind a balancer whose SDK is refused "Rate exceeded" by Parameter Store, and whose
    # access log (surging 503s) records what it answered
    alb = ResourceRef("alb", "app/pricing-alb/4f8a", REGION, {"targets": ["i-0154f914a7c416b5c"]})
    web = ResourceRef("ec2", "i-0154f914a7c416b5c", REGION, {"name": "pricing-api"})
    refused = pattern("l1", "WARN RetryableStage : Request attempt <*> failure: Rate exceeded (Service: Ssm, Status "
                            "Code: 400)", 0, 60, group="/pricing/app", level="WARN")
    answered = pattern("l2", '10.36.4.98 - - [21/Nov/2026:17:13:38 +0000] "GET /v2/price?sku=611041 HTTP/1.1" 503 '
                             '164 407', 0, 180, group="/pricing/access", level=None)
    owners = {"/pricing/app": web, "/pricing/access": web}
    ranked = rank_hypotheses(evidence([Candidate(alb, "alarm", 1.0), Candidate(web, "dependency", 1.0, "behind it")],
                                      [refused, answered], alarm=alarm_on(alb, "HTTPCode_Target_5XX_Count"),
                                      owners=owners))
    # THEN the instance is throttled; its access log's status is no dependency's failure
    assert (ranked[0].category, ranked[0].resource.key) == ("throttling", web.key)
    assert log_categories(answered.samples[0]) == []
    assert log_categories("proxy error: upstream answered 503 Service Unavailable") == ["dependency_failure"]
