"""A caller whose errors relay those of a service it calls: when that service was itself just deployed and
its own new errors began first, a change on the caller made just before does not explain them (held-out
set 93)."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from analyzers.model import Anomaly, Change, MetricKey, ResourceRef
from analyzers.rca import rank_hypotheses
from analyzers.topology import Candidate
from tests.test_rca_rules import ONSET, REGION, alarm_on, evidence, pattern

CALLER = ResourceRef("lambda", "portal-usage-chart", REGION)
CALLEE = ResourceRef("ecs", "mdm/usage-query", REGION)
CALLER_LOGS, CALLEE_LOGS = "/aws/lambda/portal-usage-chart", "/ecs/usage-query"


def _change(cid: str, name: str, source: str, resource: str, seconds_before: int) -> Change:
    return Change(cid, ONSET - timedelta(seconds=seconds_before), source, name, None, resource, "ops", REGION)


def _ranked(callee_lead_seconds: int):
    memory = _change("c1", "UpdateFunctionConfiguration20150331v2", "lambda.amazonaws.com", CALLER.id, 60)
    registered = _change("c2", "RegisterTaskDefinition", "ecs.amazonaws.com", "usage-query:58", 140)
    rollout = _change("c3", "UpdateService", "ecs.amazonaws.com", CALLEE.id, 130)
    panic = replace(pattern("l1", "panic recovered: runtime error: index out of range [96] with length 96", 0, 120,
                            group=CALLEE_LOGS), first_seen=ONSET - timedelta(seconds=callee_lead_seconds))
    relayed = replace(pattern("l2", 'usage-query body: {"error":"internal","detail":"runtime error: index out of '
                                    'range [96] with length 96"}', 0, 70, group=CALLER_LOGS), first_seen=ONSET)
    http = replace(pattern("l3", "[ERROR] HTTPError: 500 Server Error: Internal Server Error for url: "
                                 "http://internal-mdm-internal-1188432906.eu-west-3.elb.amazonaws.com/v3/usage", 0, 70,
                           group=CALLER_LOGS), first_seen=ONSET)
    errors = Anomaly("a1", "m1", MetricKey.of("AWS/Lambda", "Errors", {"FunctionName": CALLER.id}, "Sum", REGION),
                     CALLER, ONSET, 0.9, 0.0, 12.0, "up")
    candidates = [Candidate(CALLER, "alarm", 1.0), Candidate(CALLEE, "dependency", 1.0, "named in its logs")]
    return rank_hypotheses(evidence(candidates, [panic, relayed, http], [memory, registered, rollout], [errors],
                                    alarm=alarm_on(CALLER), owners={CALLER_LOGS: CALLER, CALLEE_LOGS: CALLEE}))


def test_errors_relaying_a_just_deployed_callee_that_failed_first_are_the_callees_deployment():
    # GIVEN a function whose memory was changed a minute before onset, whose new errors quote the panics of
    # the service it calls, which was rolled out two minutes before onset and began panicking 30 s earlier
    # WHEN ranked
    ranked = _ranked(callee_lead_seconds=30)
    # THEN the service's deployment is the cause, not the function's configuration change
    assert (ranked[0].category, ranked[0].resource.key) == ("bad_deployment", CALLEE.key)


def test_a_callee_that_began_failing_only_after_its_caller_does_not_take_the_callers_change():
    # GIVEN the same, but the service's panics began after the function's errors
    ranked = _ranked(callee_lead_seconds=-30)
    # THEN the change on the function itself stays first
    assert (ranked[0].category, ranked[0].resource.key) == ("config_change", CALLER.key)
