"""ECS incidents behind an ALB: CPU saturation and an unhandled application error."""
from __future__ import annotations

import numpy as np

from .common import LOG_FROM, N, TS, Scenario, alarm, change, counts, daily, gauss, idx, iso, lognorm, ramp, step
from .services import alb_set, ecs_set, per_minute_times


def _ecs_log(s, group, stream, per_min, line):
    rng, ev = s.rng, []
    for i in range(N):
        if TS[i] < LOG_FROM:
            continue
        n = per_min(i) if callable(per_min) else per_min
        for t in per_minute_times(rng, n, i):
            ev.append((t, line(rng, t, i)))
    s.log(group, stream, ev)


def s11_pricing_cpu() -> Scenario:
    s = Scenario("h12-11-pricing-svc-cpu", "sa-east-1",
                 "Checkout quotes slow; pricing ALB response time alarm.", 1211)
    rng = s.rng
    lb = "app/pricing-alb/5b8e2d0c7a9f1346"
    s.resource("ecs", "commerce/pricing-svc", desired_count=3, cpu=1024, memory=2048)
    s.resource("ecs", "commerce/promo-svc", desired_count=2, cpu=512, memory=1024)
    s.resource("alb", lb, name="pricing-alb")
    onset = -1980
    cpu = gauss(rng, 31, 3, 0, 100) + 68 * ramp(onset, onset + 300)
    cpu = np.clip(cpu, 0, 99.6)
    ecs_set(s, "commerce", "pricing-svc", cpu=cpu, mem_base=47, desired=3)
    ecs_set(s, "commerce", "promo-svc", cpu_base=12, mem_base=35)
    req = counts(rng, daily(rng, 700, 0.08))
    rt = lognorm(rng, 0.07, 0.1) * (1 + 30 * ramp(onset + 120, onset + 480))
    t5 = counts(rng, 0.3 + req * 0.02 * ramp(onset + 300, onset + 600))
    m = alb_set(s, lb, req, rt=rt, t5xx=t5, hosts=3)

    def line(rng, t, i):
        if TS[i] >= onset and rng.random() < 0.25:
            return (f"{iso(t)} WARN  [http-nio-8080-exec-{rng.integers(1, 200)}] c.a.pricing.RuleEngine - "
                    f"rule evaluation for cart={rng.integers(10**6, 10**7)} took {rng.integers(2500, 9000)} ms (rules=4123)")
        if rng.random() < 0.08:
            return f"{iso(t)} WARN  [scheduler-1] c.a.pricing.FxClient - FX cache stale by 61s, refreshing"
        return (f"{iso(t)} INFO  [http-nio-8080-exec-{rng.integers(1, 200)}] c.a.pricing.QuoteController - "
                f"quote cart={rng.integers(10**6, 10**7)} items={rng.integers(1, 9)} {int(rt[i] * 1000 * rng.uniform(0.6, 1.4))} ms")
    _ecs_log(s, "/ecs/pricing-svc", f"pricing-svc/pricing-svc/{rng.bytes(16).hex()}", 10, line)
    _ecs_log(s, "/ecs/promo-svc", f"promo-svc/promo-svc/{rng.bytes(16).hex()}", 3,
             lambda rng, t, i: f"{iso(t)} INFO  promo sync: {rng.integers(3800, 4200)} rules published to pricing")
    s.changes += [change(-2700, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "promo-svc:88", "github-actions"),
                  change(-2690, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "commerce/promo-svc", "github-actions")]
    s.alarms.append(alarm("pricing-alb-latency", m["TargetResponseTime"], "Average", 60, 5, 1.0))
    s.expect = {"alarm": "pricing-alb-latency", "root_cause": {"category": "cpu_saturation", "resource": ["commerce/pricing-svc", "pricing-svc"]},
                "anomalies": [{"namespace": "AWS/ECS", "name": "CPUUtilization", "dimensions": {"ClusterName": "commerce", "ServiceName": "pricing-svc"}}]}
    s.meta = dict(front=True, decoys="promo-svc deploy 12 min before onset (real change on a neighbour); constant FX cache warnings",
                  story="The promotions team loaded a large Black-Friday rule set (about 4,100 rules) through their normal "
                        "publishing job; pricing-svc evaluates every rule per cart and its tasks pin at ~99 % CPU, "
                        "so quotes take seconds and some time out. The promo-svc deploy 12 minutes earlier is unrelated "
                        "and its rule-sync log looks the same before and after; traffic is flat.")
    return s


def s18_ledger_api_app_error() -> Scenario:
    s = Scenario("h12-18-payouts-api-unhandled", "us-east-1",
                 "Payouts API 5xx rising; payouts-alb target 5XX alarm.", 1218)
    rng = s.rng
    lb = "app/payouts-alb/0f6a3c9e2b7d1854"
    s.resource("ecs", "payments/payouts-api", desired_count=2, cpu=512, memory=1024)
    s.resource("alb", lb, name="payouts-alb")
    s.resource("ecs", "payments/payouts-worker", desired_count=1)
    onset = -1740
    ecs_set(s, "payments", "payouts-api", cpu_base=22, mem_base=41)
    ecs_set(s, "payments", "payouts-worker", cpu_base=9, mem_base=30, desired=1)
    req = counts(rng, daily(rng, 320, 0.1))
    frac = 0.06 * step(onset)
    t5 = counts(rng, 0.2 + req * frac)
    m = alb_set(s, lb, req, t5xx=t5, hosts=2, rt_base=0.09)
    tb = ("Traceback (most recent call last):\n"
          '  File "/usr/local/lib/python3.11/site-packages/flask/app.py", line 1484, in full_dispatch_request\n    rv = self.dispatch_request()\n'
          '  File "/app/payouts/views.py", line 64, in create_payout\n    amount = Decimal(body["amount"]).quantize(CENTS)\n'
          "decimal.InvalidOperation: [<class 'decimal.ConversionSyntax'>]")

    def line(rng, t, i):
        ts = iso(t).replace("T", " ").replace("Z", "")
        if TS[i] >= onset and rng.random() < 0.3:
            return f"[{ts}] ERROR in app: Exception on /v1/payouts [POST]\n{tb}"
        if rng.random() < 0.1:
            return f"[{ts}] WARNING in idempotency: replayed Idempotency-Key {rng.bytes(6).hex()} returned cached response"
        return f'[{ts}] INFO in access: 10.3.{rng.integers(1, 9)}.{rng.integers(2, 250)} "POST /v1/payouts HTTP/1.1" 201 {rng.integers(200, 600)}'
    _ecs_log(s, "/ecs/payouts-api", f"payouts-api/payouts-api/{rng.bytes(16).hex()}", 8, line)
    _ecs_log(s, "/ecs/payouts-worker", f"payouts-worker/payouts-worker/{rng.bytes(16).hex()}", 1,
             lambda rng, t, i: f"{iso(t)} ERROR bank-gateway SEPA batch rejected: code=AC04 account closed; will retry tomorrow"
             if rng.random() < 0.4 else f"{iso(t)} INFO settled payout batch size={rng.integers(10, 80)}")
    s.changes += [change(-2220, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "payments/payouts-worker", "ops.dmitri"),
                  change(-16200, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "payments/payouts-api", "github-actions")]
    s.alarms.append(alarm("payouts-alb-target-5xx", m["HTTPCode_Target_5XX_Count"], "Sum", 300, 2, 40))
    s.expect = {"alarm": "payouts-alb-target-5xx", "root_cause": {"category": "application_error", "resource": ["payments/payouts-api", "payouts-api"]},
                "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": lb}}]}
    s.meta = dict(front=True, decoys="payouts-worker UpdateService (scale) 8 min before onset; worker's SEPA rejection errors at a constant rate; payouts-api deploy 4.5 h earlier",
                  story="A marketplace partner started sending payout amounts formatted with a thousands separator "
                        "(\"1,250.00\"); payouts-api's unguarded `Decimal(...)` raises decimal.InvalidOperation and Flask "
                        "returns 500. No change to payouts-api near onset; its last deploy was 4.5 h ago with clean traffic since.")
    return s


CASES = [s11_pricing_cpu, s18_ledger_api_app_error]
