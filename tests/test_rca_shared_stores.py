"""Shared stores and their tenants, from held-out incidents: a cache at its memory limit refusing every
tenant, a tenant whose fresh change floods the cache its neighbours wait on, an internal service reached by
its bare host name, callers named in a dependency's log, a balancer's per-target-group metrics."""
from __future__ import annotations

from datetime import timedelta

from analyzers.catalog import target_group_keys
from analyzers.model import Anomaly, Change, MetricKey, ResourceRef
from analyzers.rca import rank_hypotheses
from analyzers.topology import Candidate, by_target_group, mentioned_resources, target_group_owner
from tests.test_rca_rules import ONSET, REGION, alarm_on, evidence, pattern

CACHE = ResourceRef("ec2", "i-0f3a9c1d2e4b56789", REGION, {"name": "cache-shared-01", "redis_version": "7.2.4"})
CACHE_GROUP = "/platform/redis/cache-shared-01"
CART = ResourceRef("lambda", "cart-api", REGION)
LIMITER = ResourceRef("lambda", "rate-limiter", REGION)
BOARD = ResourceRef("lambda", "leaderboard-svc", REGION)
GROUPS = {"/aws/lambda/cart-api": CART, "/aws/lambda/rate-limiter": LIMITER, "/aws/lambda/leaderboard-svc": BOARD,
          CACHE_GROUP: CACHE}


def test_a_cache_refusing_writes_at_its_memory_limit_is_the_cache_not_its_clients():
    # GIVEN two tenants whose writes fail with Redis's maxmemory refusal, and the cache host in the account
    oom = [pattern("l1", "ReplyError: OOM command not allowed when used memory > 'maxmemory'.", 0, 400,
                   group="/aws/lambda/cart-api"),
           pattern("l2", "redis.exceptions.OutOfMemoryError: command not allowed when used memory > 'maxmemory'.",
                   0, 160, group="/aws/lambda/rate-limiter")]
    candidates = [Candidate(CART, "alarm", 1.0), Candidate(LIMITER, "involved", 0.9, "errors in its own logs"),
                  Candidate(CACHE, "context", 0.35)]
    ranked = rank_hypotheses(evidence(candidates, oom, alarm=alarm_on(CART), owners=GROUPS))
    # THEN the cache is out of memory, not the function that logged it
    assert (ranked[0].category, ranked[0].resource.key) == ("memory_exhaustion", CACHE.key)


def _timeouts_and_slowlog(change_minutes_before: float | None):
    timeouts = pattern("l1", "redis.exceptions.TimeoutError: Timeout reading from socket", 0, 290,
                       group="/aws/lambda/cart-api")
    slowlog = pattern("l2", "slowlog id=88 duration_us=912003 client=10.1.4.7:51234 name=leaderboard-svc "
                      "cmd=SCAN 0 MATCH lb:* COUNT 1000", 0, 700, group=CACHE_GROUP, level=None)
    changes = [] if change_minutes_before is None else [
        Change("c1", ONSET - timedelta(minutes=change_minutes_before), "lambda.amazonaws.com",
               "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", BOARD.id, "m.schulz", REGION)]
    candidates = [Candidate(CART, "alarm", 1.0), Candidate(BOARD, "context", 0.35), Candidate(CACHE, "context", 0.35)]
    return rank_hypotheses(evidence(candidates, [timeouts, slowlog], changes, alarm=alarm_on(CART), owners=GROUPS))


def test_a_tenant_whose_fresh_change_floods_the_shared_cache_is_the_cause_of_its_neighbours_timeouts():
    # GIVEN cart-api timing out on Redis, whose slow log fills with a neighbour's scans right after that
    # neighbour's configuration changed
    ranked = _timeouts_and_slowlog(change_minutes_before=1)
    # THEN the neighbour's change is the cause
    assert (ranked[0].category, ranked[0].resource.key) == ("config_change", BOARD.key)
    assert any("newly names leaderboard-svc" in line for line in ranked[0].evidence)
    # AND without a change on the neighbour, the cache the timeouts are about is where it fails
    plain = _timeouts_and_slowlog(change_minutes_before=None)
    assert (plain[0].category, plain[0].resource.key) == ("dependency_failure", CACHE.key)


def test_an_internal_host_names_its_service_and_a_client_field_names_no_dependency():
    identity = ResourceRef("ecs", "platform/identity-api", REGION)
    profile = ResourceRef("lambda", "profile-api", REGION)
    inventory = [identity, profile]
    # GIVEN a caller's 503 from http://identity.platform.internal, and the identity service's own line
    # naming the client that called it
    failed = "HTTPError: 503 Server Error: Service Unavailable for url: http://identity.platform.internal/v1/x"
    relayed = 'level=warn msg="introspect failed" client=profile-api kid=k7 status=503'
    # THEN the host names the identity service; the client field names nobody as a dependency
    assert set(mentioned_resources([failed], inventory)) == {identity.key}
    assert mentioned_resources([relayed], inventory) == {}
    assert set(mentioned_resources([relayed], inventory, callers=True)) == {profile.key}
    # AND a public host's first label names nothing
    assert mentioned_resources(["GET https://identity.example.com/x failed"], inventory) == {}


def test_a_balancers_per_target_group_metrics_belong_to_the_service_behind_the_group():
    alb = ResourceRef("alb", "app/retail-alb/9e8d7c6b5a493827", REGION)
    checkout = ResourceRef("ecs", "retail/checkout-web", REGION)
    landing = ResourceRef("ecs", "retail/landing-web", REGION)
    inventory = [alb, checkout, landing]
    group = "targetgroup/checkout-web-tg/4a5b6c7d8e9f0a1b"
    key = MetricKey.of("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb.id, "TargetGroup": group},
                       "Sum", REGION)
    total = MetricKey.of("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb.id}, "Sum", REGION)
    surge = [Anomaly("a1", "m1", key, alb, ONSET, 1.0, 800, 5000, "up"),
             Anomaly("a2", "m2", total, alb, ONSET, 1.0, 5000, 12000, "up")]
    # WHEN attributed by target group
    attributed = by_target_group(surge, inventory)
    # THEN the group's requests are the checkout service's, the balancer's total stays the balancer's
    assert [a.resource.key for a in attributed] == [checkout.key, alb.key]
    assert target_group_owner("targetgroup/unknown-tg/1", inventory) is None
    # AND a per-target-group alarm fetches that group's catalog metrics
    names = {k.name for k in target_group_keys(key)}
    assert {"RequestCount", "TargetResponseTime", "HTTPCode_Target_5XX_Count"} <= names
    assert all(k.dimension_map["TargetGroup"] == group for k in target_group_keys(key))
    assert target_group_keys(total) == []


def test_an_aurora_reader_endpoint_names_the_readers_and_the_cluster_endpoint_the_writer():
    # GIVEN a cluster's writer and reader, and lines naming its reader endpoint (full or short) or its endpoint
    from analyzers.topology import mentioned_resources

    writer = ResourceRef("rds", "atlas-aurora-1", REGION, {"cluster": "atlas-aurora", "role": "writer"})
    reader = ResourceRef("rds", "atlas-aurora-2", REGION, {"cluster": "atlas-aurora", "role": "reader"})
    lines = ["Query inactivity timeout host=atlas-aurora.cluster-ro",
             "connect ETIMEDOUT atlas-aurora.cluster-ro-cq7x2mbw1k4e.eu-north-1.rds.amazonaws.com:3306",
             "Deadlock found on atlas-aurora.cluster-cq7x2mbw1k4e.eu-north-1.rds.amazonaws.com"]
    # THEN the reader endpoint's lines are the reader's, the cluster endpoint's the writer's
    assert mentioned_resources(lines, [writer, reader]) == {reader.key: 2, writer.key: 1}
