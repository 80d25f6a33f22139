"""Deep chains, from held-out incidents: a front door reaches an origin two or three hops away through an
internal balancer, which only carries the calls; a service whose own logs say why it fails; a target
group's settings changed on its balancer."""
from __future__ import annotations

from datetime import timedelta

from analyzers.changes import touches
from analyzers.model import Change, ResourceRef
from analyzers.rca import rank_hypotheses
from analyzers.topology import Candidate, downstream_ids
from tests.test_rca_rules import ONSET, REGION, alarm_on, evidence, pattern

EDGE = ResourceRef("lambda", "shipping-edge", REGION)
INTERNAL = ResourceRef("alb", "app/rates-internal/6e8a0c2b4d1f3579", REGION, {
    "name": "rates-internal", "scheme": "internal",
    "dns_name": "internal-rates-internal-1922845160.us-east-1.elb.amazonaws.com",
    "target_group": "tg-rates-engine (ip, port 8080) -> ecs rates/rates-engine"})
ENGINE = ResourceRef("ecs", "rates/rates-engine", REGION)
GROUPS = {"/aws/lambda/shipping-edge": EDGE, "/ecs/rates-engine": ENGINE}
CHAIN = [Candidate(EDGE, "alarm", 1.0), Candidate(INTERNAL, "dependency", 1.0, "named in its logs"),
         Candidate(ENGINE, "dependency", 1.0, "named in its logs")]
CALLER_5XX = ("rates upstream returned 502: POST "
              "http://internal-rates-internal-1922845160.us-east-1.elb.amazonaws.com/v2/quote")


def test_a_target_group_written_with_what_it_routes_to_names_the_service_behind_the_balancer():
    # GIVEN a balancer whose target group is written "tg-rates-engine (ip, port 8080) -> ecs rates/rates-engine"
    # THEN the service is behind it (by the arrow, and by the group's name without its "tg-" prefix)
    assert downstream_ids(INTERNAL, [INTERNAL, ENGINE, EDGE]) == [ENGINE.key]
    bare = ResourceRef("alb", "app/rates-internal/6e8a0c2b4d1f3579", REGION, {"target_group": "tg-rates-engine"})
    assert downstream_ids(bare, [bare, ENGINE, EDGE]) == [ENGINE.key]


def test_an_internal_balancer_named_in_a_callers_errors_only_carried_the_calls():
    # GIVEN the edge function's 502s from an internal balancer's DNS name, and the service behind that
    # balancer killing its own timed-out workers
    relayed = pattern("l1", CALLER_5XX, 0, 300, group="/aws/lambda/shipping-edge")
    own = pattern("l2", "[CRITICAL] WORKER TIMEOUT (pid:4512)", 0, 40, group="/ecs/rates-engine")
    ranked = rank_hypotheses(evidence(CHAIN, [relayed, own], alarm=alarm_on(EDGE), owners=GROUPS))
    # THEN the fault is placed in the service behind the balancer, not in the balancer
    assert ranked[0].resource.key == ENGINE.key
    assert all(h.resource.key != INTERNAL.key for h in ranked if h.category == "dependency_failure")


def test_a_service_out_of_memory_by_its_own_logs_is_not_a_dependency_failure_of_its_callers():
    # GIVEN callers' 502s about the service, and its own logs throwing OutOfMemoryError
    relayed = pattern("l1", CALLER_5XX, 0, 300, group="/aws/lambda/shipping-edge")
    oom = pattern("l2", "java.lang.OutOfMemoryError: Java heap space ERROR Servlet.service() threw exception",
                  0, 120, group="/ecs/rates-engine", exception="java.lang.OutOfMemoryError")
    ranked = rank_hypotheses(evidence(CHAIN, [relayed, oom], alarm=alarm_on(EDGE), owners=GROUPS))
    # THEN its own logs say why: it is out of memory
    assert (ranked[0].category, ranked[0].resource.key) == ("memory_exhaustion", ENGINE.key)


def test_a_target_group_change_named_by_its_type_is_its_balancers():
    public = ResourceRef("alb", "app/members-public/4a8c2e6f10b3d597", REGION,
                         {"name": "members-public",
                          "target_group": "tg-members-web (ip, port 3000) -> ecs members/web"})
    change = Change("c1", ONSET - timedelta(minutes=1), "elasticloadbalancing.amazonaws.com", "ModifyTargetGroup",
                    "AWS::ElasticLoadBalancingV2::TargetGroup", "tg-members-web", "k.lindqvist", REGION)
    # GIVEN ModifyTargetGroup on "tg-members-web" (no ARN) THEN it touches the balancer routing to that group
    assert touches(change, public)
    assert not touches(change, INTERNAL)


def test_a_balancers_own_domain_names_it_and_its_expired_certificate_stays_with_it():
    pricing = ResourceRef("alb", "app/internal-pricing/5a7c1e3b9d2f4068", REGION,
                          {"scheme": "internal", "dns": "pricing.internal.acme-corp.net",
                           "target_groups": ["pricing-svc-tg"]})
    svc = ResourceRef("ecs", "storefront/pricing-svc", REGION)
    checkout = ResourceRef("ecs", "storefront/checkout-web", REGION)
    # GIVEN callers failing the TLS handshake with the balancer's own domain (its listener certificate expired)
    expired = pattern("l1", "pricing lookup failed: GET https://pricing.internal.acme-corp.net/v2/price?sku=1: "
                      "Error: certificate has expired", 0, 300, group="/ecs/checkout-web")
    candidates = [Candidate(checkout, "alarm", 1.0), Candidate(pricing, "dependency", 1.0, "named in its logs"),
                  Candidate(svc, "context", 0.35)]
    ranked = rank_hypotheses(evidence(candidates, [expired], alarm=alarm_on(checkout),
                                      owners={"/ecs/checkout-web": checkout}))
    # THEN the balancer, named by its domain, is where it fails: nothing behind it terminates that TLS
    assert (ranked[0].category, ranked[0].resource.key) == ("dependency_failure", pricing.key)


def test_a_balancer_settings_change_does_not_explain_its_5xx_when_a_target_is_out_of_memory():
    from tests.test_rca_limits import _anomaly
    alb = ResourceRef("alb", "app/render-alb/c81f2e9a5b3d7046", REGION, {"target_groups": ["render-tg"]})
    host = ResourceRef("ec2", "i-05d2c8e17a4f39b60", REGION, {"name": "render-svc-1"})
    # GIVEN a deregistration-delay change on the balancer's target group 2 min before its 5xx rose, and the
    # instance behind it at 98 % memory, its renders failing
    change = Change("c1", ONSET - timedelta(minutes=2), "elasticloadbalancing.amazonaws.com",
                    "ModifyTargetGroupAttributes", "AWS::ElasticLoadBalancingV2::TargetGroup", "render-tg", "ops", REGION)
    errors = _anomaly("a1", alb, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb.id}, 0, 90)
    memory = _anomaly("a2", host, "CWAgent", "mem_used_percent", {"InstanceId": host.id}, 62, 98)
    oom = pattern("l1", "render failed: Error: Protocol error (Target.createTarget): Target closed.", 0, 30,
                  group="/ec2/render/syslog")
    candidates = [Candidate(alb, "alarm", 1.0), Candidate(host, "involved", 0.9, "errors in its own logs")]
    ranked = rank_hypotheses(evidence(candidates, [oom], [change], anomalies=[errors, memory],
                                      alarm=alarm_on(alb, "HTTPCode_Target_5XX_Count"),
                                      owners={"/ec2/render/syslog": host}))
    # THEN the instance's memory is the cause, not the balancer's settings
    assert (ranked[0].category, ranked[0].resource.key) == ("memory_exhaustion", host.key)


def test_a_listener_certificate_swap_that_clients_refuse_is_the_balancers_config_change():
    from tests.test_rca_limits import _anomaly
    # GIVEN a balancer reached as api.koalapay.io (one of its hostnames) whose listener got another certificate
    # a minute before onset; since then clients refuse the handshake and a caller logs the altname mismatch
    alb = ResourceRef("alb", "app/public-api-alb/9c1d4e7a", REGION, {"hostnames": ["api.koalapay.io"]})
    notifier = ResourceRef("lambda", "settlement-notifier", REGION)
    change = Change("c1", ONSET - timedelta(minutes=1), "elasticloadbalancing.amazonaws.com", "ModifyListener",
                    "AWS::ElasticLoadBalancingV2::Listener", "arn:aws:elasticloadbalancing:ap-southeast-2:1:listener/"
                    "app/public-api-alb/9c1d4e7a/4e7a", "gha-infra-deploy", REGION)
    refused = _anomaly("a1", alb, "AWS/ApplicationELB", "ClientTLSNegotiationErrorCount", {"LoadBalancer": alb.id},
                       1, 1610)
    mismatch = pattern("l1", "Error: Hostname/IP does not match certificate's altnames: Host: api.koalapay.io. is not "
                       "in the cert's altnames: DNS:*.stg.koalapay.io", 0, 180, group="/aws/lambda/settlement-notifier")
    candidates = [Candidate(alb, "alarm", 1.0), Candidate(notifier, "involved", 0.9, "errors in its own logs")]
    # WHEN ranked
    ranked = rank_hypotheses(evidence(candidates, [mismatch], [change], anomalies=[refused],
                                      alarm=alarm_on(alb, "ClientTLSNegotiationErrorCount"),
                                      owners={"/aws/lambda/settlement-notifier": notifier}))
    # THEN the balancer's listener change is the cause, and the balancer is named by each of its hostnames
    assert (ranked[0].category, ranked[0].resource.key) == ("config_change", alb.key)
    assert "api.koalapay.io" in alb.aliases
