"""A host that fails its status checks at onset is down, not slow: under its callers' raised traffic their
connect timeouts are a dependency failure of the host (not a surge), and behind a balancer whose rule was just
edited its failure, not the edit, is what the balancer's 5xx are about (held-out sets 90 and 91)."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from analyzers.model import Anomaly, Change, MetricKey, ResourceRef
from analyzers.rca import rank_hypotheses
from analyzers.topology import Candidate
from tests.test_rca_rules import ONSET, REGION, alarm_on, evidence, pattern

API = ResourceRef("apigateway", "partner-menu-gw", REGION, {"integrations": ["menu-publish"]})
FN = ResourceRef("lambda", "menu-publish", REGION)
NODE = ResourceRef("ec2", "i-04c525c750ddbb138", REGION, {"name": "search-node-1", "private_ip": "10.20.4.17"})
GROUP = "/aws/lambda/menu-publish"


def _metric(aid: str, resource: ResourceRef, namespace: str, name: str, dims: dict[str, str], baseline: float,
            peak: float, minutes: float, direction: str = "up") -> Anomaly:
    key = MetricKey.of(namespace, name, dims, "Sum", REGION)
    return Anomaly(aid, f"m{aid}", key, resource, ONSET + timedelta(minutes=minutes), 0.9, baseline, peak, direction)


def _ranked(node_status_failed: bool):
    node = {"InstanceId": NODE.id}
    anomalies = [
        _metric("a1", API, "AWS/ApiGateway", "Count", {"ApiName": API.id}, 28, 67, -8),
        _metric("a2", FN, "AWS/Lambda", "Invocations", {"FunctionName": FN.id}, 28, 66, -8),
        _metric("a3", NODE, "AWS/EC2", "NetworkIn", node, 1.7e7, 3.5e7, -9),
        _metric("a4", API, "AWS/ApiGateway", "5XXError", {"ApiName": API.id}, 0, 61, 0),
    ]
    if node_status_failed:
        anomalies += [_metric("a5", NODE, "AWS/EC2", "StatusCheckFailed", node, 0, 1, 0),
                      _metric("a6", NODE, "AWS/EC2", "CPUUtilization", node, 32, 0.4, 0, "down")]
    timeouts = pattern("l1", "index update failed: ConnectionError: connect ETIMEDOUT 10.20.4.17:9200", 0, 280,
                       group=GROUP)
    alarm = replace(alarm_on(API, "5XXError"), namespace="AWS/ApiGateway", dimensions=(("ApiName", API.id),))
    candidates = [Candidate(API, "alarm", 1.0), Candidate(FN, "dependency", 0.9, "behind it"),
                  Candidate(NODE, "dependency", 1.0, "named in its logs")]
    return rank_hypotheses(evidence(candidates, [timeouts], anomalies=anomalies, alarm=alarm, owners={GROUP: FN}))


def test_a_node_that_failed_its_status_checks_while_traffic_was_up_is_the_failed_dependency():
    # GIVEN partner traffic up 2.4x for eight minutes, then the search node the function writes to failing its
    # status checks (its CPU dropping to nothing) while the function's connects to it time out
    # WHEN ranked
    ranked = _ranked(node_status_failed=True)
    # THEN the node's failure is the cause, not the traffic
    assert (ranked[0].category, ranked[0].resource.key) == ("dependency_failure", NODE.key)


def test_without_the_failed_status_checks_connect_timeouts_under_the_traffic_are_not_the_nodes_fault():
    # GIVEN the same traffic and timeouts, but the node stays up
    # WHEN ranked
    ranked = _ranked(node_status_failed=False)
    # THEN nothing points at a fault of the node's own: it is not named with confidence
    node = [h for h in ranked if h.resource.key == NODE.key and h.category == "dependency_failure"]
    assert ranked[0].resource.key != NODE.key and (not node or node[0].confidence < 0.3)


LB = ResourceRef("alb", "app/sms-public/74c939df840b9fbe", REGION, {"name": "sms-public", "targets": ["sms/send-api"]})
SENDER = ResourceRef("ecs", "sms/send-api", REGION)
CACHE = ResourceRef("ec2", "i-098b44051c5fb2a17", REGION, {"name": "rl-cache-01", "private_ip": "10.0.3.21"})
SENDER_LOGS = "/ecs/send-api"


def _balancer_ranked(cache_status_failed: bool):
    lb = {"LoadBalancer": LB.id}
    anomalies = [_metric("a1", LB, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, 1, 1481, 0)]
    if cache_status_failed:
        anomalies.append(_metric("a2", CACHE, "AWS/EC2", "StatusCheckFailed", {"InstanceId": CACHE.id}, 0, 1, 0))
    rule = Change("c1", ONSET - timedelta(seconds=70), "elasticloadbalancing.amazonaws.com", "ModifyRule", None,
                  "sms-public", "ops", REGION)
    timeouts = pattern("l1", "[ioredis] Unhandled error event: Error: connect ETIMEDOUT 10.0.3.21:6379", 0, 140,
                       group=SENDER_LOGS)
    alarm = replace(alarm_on(LB, "HTTPCode_Target_5XX_Count"), namespace="AWS/ApplicationELB",
                    dimensions=(("LoadBalancer", LB.id),))
    candidates = [Candidate(LB, "alarm", 1.0), Candidate(SENDER, "dependency", 1.0, "a target"),
                  Candidate(CACHE, "dependency", 1.0, "named in its logs")]
    return rank_hypotheses(evidence(candidates, [timeouts], [rule], anomalies=anomalies, alarm=alarm,
                                    owners={SENDER_LOGS: SENDER}))


def test_a_balancers_5xx_whose_target_times_out_on_a_host_that_just_failed_are_the_hosts_not_a_rule_edit():
    # GIVEN a listener rule edited 70 s before a balancer's target 5xx, its target service timing out on
    # connects to a cache host, and that host failing its status checks at onset
    # WHEN ranked
    ranked = _balancer_ranked(cache_status_failed=True)
    # THEN the host's failure is the cause: the rule edit does not explain timeouts to the cache
    assert (ranked[0].category, ranked[0].resource.key) == ("dependency_failure", CACHE.key)


def test_a_rule_edit_just_before_a_balancers_5xx_stays_suspect_when_no_host_behind_it_failed():
    # GIVEN the same without the host's failed status checks
    ranked = _balancer_ranked(cache_status_failed=False)
    # THEN the fresh edit on the balancer is still the first suspect
    assert (ranked[0].category, ranked[0].resource.key) == ("config_change", LB.key)
