"""Ranking judgements from held-out incidents: a service's timeouts under its own pinned CPU, a client's
own pool running dry, retries mistaken for a surge, V8's fatal out-of-memory report, feature flags and
DNS records as settings, auto scaling's capacity changes, stage and CodeDeploy names, Aurora endpoints."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from analyzers.changes import change_kind, touches
from analyzers.logs.events import parse_event
from analyzers.model import Anomaly, Change, MetricKey, ResourceRef, Series
from analyzers.rca import rank_hypotheses
from analyzers.topology import Candidate, referenced_ids
from bot.aws.inventory import config_refs
from tests.test_rca_rules import ONSET, REGION, alarm_on, evidence, pattern

SVC = ResourceRef("ecs", "shop/search-api", REGION, {"env_refs": ["catalog-db"],
                                                     "env_names": ["DB_URL", "DB_POOL_MAX_SIZE"]})
SVC_GROUP = "/ecs/search-api"
DB = ResourceRef("rds", "catalog-db", REGION, {"max_connections": 800})


def _anomaly(aid: str, resource: ResourceRef, namespace: str, metric: str, dims: dict[str, str], baseline: float,
             peak: float, minutes_after: float = 0) -> Anomaly:
    key = MetricKey.of(namespace, metric, dims, "Average", REGION)
    return Anomaly(aid, f"m{aid}", key, resource, ONSET + timedelta(minutes=minutes_after), 1.0, baseline, peak, "up")


def _change(name: str, resource_name: str, source: str, minutes_before: float = 5, user: str = "ops",
            cid: str = "c1") -> Change:
    return Change(cid, ONSET - timedelta(minutes=minutes_before), source, name, None, resource_name, user, REGION)


def _ecs_cpu(peak: float) -> Anomaly:
    return _anomaly("a1", SVC, "AWS/ECS", "CPUUtilization", {"ClusterName": "shop", "ServiceName": "search-api"},
                    30, peak)


def test_timeouts_of_a_service_pinned_at_its_own_cpu_are_its_cpu_not_its_database():
    # GIVEN a service whose CPU went from 30 % to 100 % and which now logs bare timeouts; its database is idle
    timeouts = pattern("l1", "java.util.concurrent.TimeoutException: Search failed for q=tv", 0, 200,
                       group=SVC_GROUP, exception="java.util.concurrent.TimeoutException")
    candidates = [Candidate(SVC, "alarm", 1.0), Candidate(DB, "dependency", 1.0, "referenced in its configuration")]
    ranked = rank_hypotheses(evidence(candidates, [timeouts], anomalies=[_ecs_cpu(100.0)],
                                      alarm=alarm_on(SVC, "CPUUtilization"), owners={SVC_GROUP: SVC}))
    # THEN its own CPU is the cause, not the database it calls
    assert (ranked[0].category, ranked[0].resource.key) == ("cpu_saturation", SVC.key)
    assert DB.key not in [h.resource.key for h in ranked if h.category == "dependency_failure"]


def _connections(peak: float) -> Series:
    key = MetricKey.of("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": DB.id}, "Maximum", REGION)
    stamps = tuple(ONSET.timestamp() + 60 * (i - 20) for i in range(30))
    return Series("m9", key, stamps, tuple([112.0] * 20 + [peak] * 10), "Count")


def test_a_client_pool_running_dry_beside_an_idle_database_is_the_setting_its_release_shipped():
    # GIVEN a new task definition 3 min before the service logs "Connection is not available" (its pool),
    # while the database it names has 32 of 800 connections in use
    dry = pattern("l1", "Connection is not available, request timed out after 3000ms (total=2, active=2) "
                  "on catalog-db", 0, 300, group=SVC_GROUP)
    release = [_change("RegisterTaskDefinition", "search-api:88", "ecs.amazonaws.com", 3),
               _change("UpdateService", SVC.id, "ecs.amazonaws.com", 3, cid="c2")]
    client = replace(SVC, properties={**SVC.properties, "task_definition_family": "search-api"})
    candidates = [Candidate(client, "alarm", 1.0), Candidate(DB, "dependency", 1.0, "referenced in its configuration")]
    ev = replace(evidence(candidates, [dry], release, alarm=alarm_on(client), owners={SVC_GROUP: client}),
                 series=[_connections(32.0)])
    ranked = rank_hypotheses(ev)
    # THEN the pool setting the release shipped is the cause, on the client
    assert (ranked[0].category, ranked[0].resource.key) == ("config_change", SVC.key)
    assert any("DB_POOL_MAX_SIZE" in line for line in ranked[0].evidence)
    # AND with the database at its limit instead, the database's exhaustion stays the answer
    full = replace(ev, series=[_connections(800.0)])
    assert rank_hypotheses(full)[0].resource.key != SVC.key or rank_hypotheses(full)[0].category != "config_change"


def test_more_invocations_after_the_errors_began_are_retries_not_a_surge():
    # GIVEN a function failing from onset, whose invocations tripled one minute later (async retries)
    fn = ResourceRef("lambda", "subscription-renewer", REGION)
    group = "/aws/lambda/subscription-renewer"
    errors = pattern("l1", "ValueError: day is out of range for month", 0, 300, group=group, exception="ValueError")
    errors = replace(errors, first_seen=ONSET)
    retries = _anomaly("a1", fn, "AWS/Lambda", "Invocations", {"FunctionName": fn.id}, 1, 3, minutes_after=1)
    ranked = rank_hypotheses(evidence([Candidate(fn, "alarm", 1.0)], [errors], anomalies=[retries],
                                      alarm=alarm_on(fn), owners={group: fn}))
    # THEN the unhandled error is the cause
    assert (ranked[0].category, ranked[0].resource.key) == ("application_error", fn.key)


V8_OOM = ("<--- Last few GCs --->\n\n[1:0x6b3c2a0] 106100000 ms: Mark-Compact 1521.1 (1545.8) -> 1519.1 (1546.1) MB\n\n"
          "<--- JS stacktrace --->\n\nFATAL ERROR: Ineffective mark-compacts near heap limit Allocation failed - "
          "JavaScript heap out of memory\n 1: 0xb8d0a3 node::Abort() [node]")


def test_v8_fatal_out_of_memory_report_is_one_error_event_and_a_few_of_them_are_memory_exhaustion():
    # GIVEN V8's multi-line fatal report
    event = parse_event(0.0, V8_OOM)
    # THEN it is one error event named by its fatal line
    assert event.level == "ERROR" and event.exception_type == "FATAL ERROR: JavaScript heap out of memory"
    # AND three of them (three tasks died) are enough to name memory exhaustion of the service
    group = "/ecs/ws-gateway"
    svc = ResourceRef("ecs", "realtime/ws-gateway", REGION)
    crash = pattern("l1", f"{event.exception_type}: <--- Last few GCs --->", 0, 3, group=group,
                    exception=event.exception_type)
    ranked = rank_hypotheses(evidence([Candidate(svc, "alarm", 1.0)], [crash], alarm=alarm_on(svc, "MemoryUtilization"),
                                      owners={group: svc}))
    assert (ranked[0].category, ranked[0].resource.key) == ("memory_exhaustion", svc.key)


def test_an_appconfig_deployment_of_the_profile_a_service_reads_is_its_configuration_change():
    # GIVEN a service whose environment names its AppConfig application and profile
    env = {"APPCONFIG_APPLICATION": "storefront", "APPCONFIG_ENVIRONMENT": "prod", "APPCONFIG_PROFILE": "feature-flags"}
    svc = ResourceRef("ecs", "web/cart-svc", REGION, {"config_refs": config_refs(env)})
    flag = _change("StartDeployment", "storefront/feature-flags", "appconfig.amazonaws.com")
    # THEN a deployment of that profile touches the service and is a configuration change, not a release
    assert touches(flag, svc) and change_kind(flag) == "config"
    assert not touches(_change("StartDeployment", "storefront/other-profile", "appconfig.amazonaws.com"), svc)


def test_capacity_set_by_auto_scaling_is_a_reaction_not_a_configuration_change():
    scaled = _change("UpdateTable", "inventory-reservations", "dynamodb.amazonaws.com",
                     user="AWSServiceRoleForApplicationAutoScaling_DynamoDBTable")
    assert change_kind(scaled) == "scaling"
    assert change_kind(replace(scaled, username="j.doe")) == "config"


def test_a_dns_record_change_before_clients_find_their_endpoint_refused_is_the_cause():
    # GIVEN two instances whose calls to a host are refused from onset, and a hosted-zone change 1 min before
    a = ResourceRef("ec2", "i-0a4f1c2b3d5e6f708", REGION, {"name": "search-api-1"})
    group = "/app/search-api"
    refused = pattern("l1", 'search failed: Post "http://es.search.internal.example.net:9200": dial tcp '
                      '10.0.40.17:9200: connect: connection refused', 0, 200, group=group)
    dns = _change("ChangeResourceRecordSets", "Z0871234ABCDEF1GHIJKL", "route53.amazonaws.com", 1)
    ranked = rank_hypotheses(evidence([Candidate(a, "alarm", 1.0)], [refused], [dns], alarm=alarm_on(a),
                                      owners={group: a}))
    # THEN the DNS change is the cause, on the hosted zone, citing the change and the refusals
    assert (ranked[0].category, ranked[0].resource.id) == ("config_change", "Z0871234ABCDEF1GHIJKL")
    assert {"c:c1", "l1"} <= set(ranked[0].evidence_ids)
    # AND a DNS change hours earlier is not
    old = replace(dns, time=ONSET - timedelta(hours=3))
    ranked = rank_hypotheses(evidence([Candidate(a, "alarm", 1.0)], [refused], [old], alarm=alarm_on(a),
                                      owners={group: a}))
    assert ranked[0].resource.id != "Z0871234ABCDEF1GHIJKL"


def test_writes_refused_read_only_right_after_a_record_change_are_the_records_doing():
    # GIVEN a function writing to the primary's DNS name, its writes refused "in a read-only transaction" by the
    # replica (whose log shows them too) from onset, and a hosted-zone change a minute before
    fn = ResourceRef("lambda", "payment-capture", REGION, {"env_refs": ["payments-db"]})
    primary = ResourceRef("rds", "payments-db", REGION)
    replica = ResourceRef("rds", "payments-db-replica-1", REGION, {"replication_source": "payments-db"})
    refused = pattern("l1", "[ERROR] ReadOnlySqlTransaction: cannot execute INSERT in a read-only transaction", 0, 600,
                      group="/aws/lambda/payment-capture")
    logged = pattern("l2", "UTC:10.0.1.5(5123):payments_app@payments:[811]:ERROR: cannot execute INSERT in a "
                     "read-only transaction", 0, 700, group="/aws/rds/instance/payments-db-replica-1/postgresql")
    dns = _change("ChangeResourceRecordSets", "Z08123472K3JQ5R1PX2MB", "route53.amazonaws.com", 1)
    candidates = [Candidate(fn, "alarm", 1.0), Candidate(primary, "dependency", 1.0, "referenced in its configuration"),
                  Candidate(replica, "involved", 0.9, "errors in its own logs")]
    owners = {"/aws/lambda/payment-capture": fn, "/aws/rds/instance/payments-db-replica-1/postgresql": replica}
    ranked = rank_hypotheses(evidence(candidates, [refused, logged], [dns], alarm=alarm_on(fn), owners=owners))
    # THEN the record change is the cause, on the hosted zone
    assert (ranked[0].category, ranked[0].resource.id) == ("config_change", "Z08123472K3JQ5R1PX2MB")
    # AND without it, writes refused read-only are the database's failure (a failover)
    ranked = rank_hypotheses(evidence(candidates, [refused, logged], [], alarm=alarm_on(fn), owners=owners))
    assert ranked[0].category == "dependency_failure" and ranked[0].resource.type == "rds"


def test_names_a_stage_a_codedeploy_group_and_an_aurora_cluster_endpoint_use():
    api = ResourceRef("apigateway", "fleet-api", REGION, {"api_id": "q7r2mz4k1d"})
    assert touches(_change("UpdateStage", "fleet-api/prod", "apigateway.amazonaws.com"), api)
    web = ResourceRef("ec2", "i-0d4c3b2a1f0e9d8c7", REGION, {"codedeploy_group": "booking-web-prod"})
    assert touches(_change("CreateDeployment", "booking-web-prod", "codedeploy.amazonaws.com"), web)
    writer = ResourceRef("rds", "catalog-aurora-instance-1", REGION, {"cluster": "catalog-aurora", "role": "writer"})
    reader = ResourceRef("rds", "catalog-aurora-instance-2", REGION, {"cluster": "catalog-aurora", "role": "reader"})
    fn = ResourceRef("lambda", "product-search", REGION, {"env_refs": ["catalog-aurora"]})
    assert referenced_ids(fn, [fn, writer, reader]) == [writer.key]
    aurora = ResourceRef("rds", "fleet-aurora-writer-1", REGION,
                         {"cluster_identifier": "fleet-aurora", "role": "writer"})
    assert "fleet-aurora" in aurora.aliases  # as scenario authors write the cluster


def test_access_denied_right_after_the_callers_own_role_changed_is_the_callers_fault():
    # GIVEN a function whose role policy was rewritten 5 min before its PutItem calls on a table it names are denied
    fn = ResourceRef("lambda", "ledger-writer", REGION, {"role": "arn:aws:iam::123456789012:role/ledger-writer-role"})
    table = ResourceRef("other", "platform-ledger", REGION)
    group = "/aws/lambda/ledger-writer"
    denied = pattern("l1", "An error occurred (AccessDeniedException) when calling the PutItem operation: User: "
                     "arn:aws:sts::123456789012:assumed-role/ledger-writer-role/ledger-writer is not authorized to "
                     "perform: dynamodb:PutItem on resource: platform-ledger", 0, 300, group=group)
    policy = _change("PutRolePolicy", "ledger-writer-role", "iam.amazonaws.com")
    candidates = [Candidate(fn, "alarm", 1.0), Candidate(table, "dependency", 1.0, "named in its logs")]
    ranked = rank_hypotheses(evidence(candidates, [denied], [policy], alarm=alarm_on(fn), owners={group: fn}))
    # THEN the caller whose permissions changed is the origin, not the table it was refused
    assert (ranked[0].category, ranked[0].resource.key) == ("permission_denied", fn.key)


def test_concurrency_just_reserved_for_one_function_starves_the_unreserved_one_that_throttles():
    # GIVEN a function without a reservation that starts to throttle 1 min after another one reserved 900
    victim = ResourceRef("lambda", "notifications-sender", REGION)
    taker = ResourceRef("lambda", "ml-batch-scorer", REGION)
    throttles = _anomaly("a1", victim, "AWS/Lambda", "Throttles", {"FunctionName": victim.id}, 0, 68)
    reserve = _change("PutFunctionConcurrency20171031", taker.id, "lambda.amazonaws.com", 1)
    candidates = [Candidate(victim, "alarm", 1.0), Candidate(taker, "context", 0.35)]
    ranked = rank_hypotheses(evidence(candidates, [], [reserve], anomalies=[throttles],
                                      alarm=alarm_on(victim, "Throttles"), owners={}))
    # THEN the reservation is the cause
    assert (ranked[0].category, ranked[0].resource.key) == ("config_change", taker.key)
    # AND a victim with a reservation of its own throttles at its own limit
    reserved = replace(victim, properties={"reserved_concurrency": 50})
    candidates = [Candidate(reserved, "alarm", 1.0), Candidate(taker, "context", 0.35)]
    ranked = rank_hypotheses(evidence(candidates, [], [reserve], anomalies=[replace(throttles, resource=reserved)],
                                      alarm=alarm_on(reserved, "Throttles"), owners={}))
    assert (ranked[0].category, ranked[0].resource.key) == ("throttling", reserved.key)


def test_a_command_run_through_ssm_is_not_a_setting_change():
    # GIVEN Patch Manager running a command on an instance, and a parameter written through the same service
    patch = _change("SendCommand", "i-09a2d7e4c1b6f3058", "ssm.amazonaws.com", user="patch-manager")
    param = _change("PutParameter", "/tariff/prod/RATE_TABLE", "ssm.amazonaws.com")
    # THEN only the parameter write is a configuration change
    assert change_kind(patch) != "config" and change_kind(param) == "config"


def test_a_database_cpu_that_crept_to_pinned_over_hours_is_the_cause_of_its_clients_slow_queries():
    # GIVEN a database whose CPU climbed from 34 % to 98 % over six hours (no single point looks unusual)
    # and the service in front logging slow queries; nothing else is wrong
    stamps = tuple(ONSET.timestamp() + 60 * (i - 350) for i in range(360))
    cpu = Series("m9", MetricKey.of("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": DB.id}, "Average", REGION),
                 stamps, tuple(34.0 + 64.0 * i / 359 for i in range(360)), "Percent")
    slow = pattern("l1", "[WARNING] catalog.db: slow query 2.4s: SELECT id, sku FROM catalog_variant WHERE sku = %s",
                   0, 300, group=SVC_GROUP, level="WARN")
    candidates = [Candidate(SVC, "alarm", 1.0), Candidate(DB, "context", 0.35)]
    ev = replace(evidence(candidates, [slow], alarm=alarm_on(SVC, "Duration"), owners={SVC_GROUP: SVC}),
                 series=[cpu])
    # THEN the database's CPU is the cause
    ranked = rank_hypotheses(ev)
    assert (ranked[0].category, ranked[0].resource.key) == ("cpu_saturation", DB.key)
    # AND a CPU that was that busy all along is not read as having just reached its limit
    flat = replace(ev, series=[replace(cpu, values=tuple([96.0] * 360))])
    assert rank_hypotheses(flat)[0].category != "cpu_saturation"


def test_when_nothing_surged_errors_whose_rate_clearly_rose_are_what_the_flapping_alarm_counts():
    # GIVEN a function whose timeouts were already there (1/min) and doubled after onset (2/min):
    # the alarm flapped before and the errors never surged threefold
    fn = ResourceRef("lambda", "invoice-pdf-render", REGION, {"timeout": 10})
    group = "/aws/lambda/invoice-pdf-render"
    doubled = pattern("l1", "Task timed out after 10.01 seconds", 60, 40, group=group)
    ev = evidence([Candidate(fn, "alarm", 1.0)], [doubled], alarm=alarm_on(fn), owners={group: fn})
    # THEN the timeouts are the cause
    ranked = rank_hypotheses(ev)
    assert (ranked[0].category, ranked[0].resource.key) == ("function_timeout", fn.key)
    # AND the same errors at an unchanged rate explain nothing
    steady = pattern("l1", "Task timed out after 10.01 seconds", 60, 20, group=group)
    assert rank_hypotheses(replace(ev, patterns=[steady]))[0].category == "unknown"


def test_a_security_group_rule_revoked_just_before_the_targets_went_unhealthy_is_the_cause():
    # GIVEN a balancer whose two healthy targets dropped to none, 2 min after a rule was revoked on a
    # security group the inventory knows only by name (and a rule added to another group an hour earlier)
    alb = ResourceRef("alb", "app/partner-gw-alb/41c7e9a3b5d2f806", REGION)
    dims = {"LoadBalancer": alb.id}
    lost = [replace(_anomaly("a1", alb, "AWS/ApplicationELB", "HealthyHostCount", dims, 2, 0), direction="down"),
            _anomaly("a2", alb, "AWS/ApplicationELB", "UnHealthyHostCount", dims, 0, 2)]
    revoke = _change("RevokeSecurityGroupIngress", "sg-0b7d9f1a3c5e72468", "ec2.amazonaws.com", 2)
    opened = _change("AuthorizeSecurityGroupIngress", "sg-0f1e2d3c4b5a69788", "ec2.amazonaws.com", 60, cid="c2")
    alarm = replace(alarm_on(alb, "HealthyHostCount"), namespace="AWS/ApplicationELB",
                    dimensions=(("LoadBalancer", alb.id),))
    ev = evidence([Candidate(alb, "alarm", 1.0)], [], [revoke, opened], anomalies=lost, alarm=alarm, owners={})
    # THEN the revoked rule's group is where it starts
    ranked = rank_hypotheses(ev)
    assert (ranked[0].category, ranked[0].resource.id) == ("config_change", "sg-0b7d9f1a3c5e72468")
    # AND opening a rule, or a revoke hours earlier, explains nothing
    assert rank_hypotheses(replace(ev, changes=[opened]))[0].category == "unknown"
    old = _change("RevokeSecurityGroupIngress", "sg-0b7d9f1a3c5e72468", "ec2.amazonaws.com", 180)
    assert rank_hypotheses(replace(ev, changes=[old]))[0].category == "unknown"


def test_calls_refused_by_a_vpc_endpoint_policy_just_edited_are_the_endpoints_fault():
    # GIVEN a function whose S3 writes are refused "because no VPC endpoint policy allows" them from onset, a
    # ModifyVpcEndpoint 5 min before, and another role's policy edited harmlessly 10 min before
    fn = ResourceRef("lambda", "invoice-archiver", REGION)
    group = "/aws/lambda/invoice-archiver"
    denied = pattern("l1", "[ERROR] ClientError: An error occurred (AccessDenied) when calling the PutObject operation: "
                     "User: arn:aws:sts::1:assumed-role/invoice-archiver-role/invoice-archiver is not authorized to "
                     "perform: s3:PutObject because no VPC endpoint policy allows the s3:PutObject action", 0, 300,
                     group=group)
    endpoint = _change("ModifyVpcEndpoint", "vpce-0f3a5c7e9b1d24680", "ec2.amazonaws.com", 5)
    other = _change("PutRolePolicy", "ledger-export-role", "iam.amazonaws.com", 10, cid="c2")
    ranked = rank_hypotheses(evidence([Candidate(fn, "alarm", 1.0)], [denied], [endpoint, other], alarm=alarm_on(fn),
                                      owners={group: fn}))
    # THEN the endpoint is the origin of the permission fault, citing its change and the refusals
    assert (ranked[0].category, ranked[0].resource.id) == ("permission_denied", "vpce-0f3a5c7e9b1d24680")
    assert {"l1", f"c:{endpoint.id}"} <= set(ranked[0].evidence_ids)
