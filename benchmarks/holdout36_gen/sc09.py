"""h36-09 Thu 01:40 GMT, CRM integrations (-live): crm-contact-sync-live errors.

After a tenant's 2.1M-contact import, its sync jobs grind through hundreds of healthy pages and
hit the 60 s timeout; every downstream call is fast and successful.
"""
from __future__ import annotations

from . import logfmt as L
from .common import Scenario, anomaly, smooth
from .infra import GB, rds
from .lam import Lambda, Outcome

FN, HOOK, DB = "crm-contact-sync-live", "crm-webhook-receiver-live", "crm-aurora-live-instance-1"
T0 = -2400

META = {
    "region": "eu-west-1", "category": "function_timeout", "front": "origin",
    "resources": [FN],
    "decoys": "crm-webhook-receiver-live deploy 5 min before the onset (healthy); steady "
              "invalid-email WARNs for another tenant; Aurora writer a little busier but healthy",
    "story": (
        "crm-contact-sync-live (Ruby 3.3, 60 s timeout) processes one SQS sync job per tenant. "
        "From -40 min the jobs of tenant acme-holdings (pending_changes ~180k after a bulk import "
        "in the product) log page after page of successful merges with 30-60 ms DB upserts and "
        "then `Task timed out after 60.0x seconds`, REPORT `Status: timeout`; SQS redelivers them "
        "and they time out again. Other tenants' jobs finish in 1-3 s. No error from Aurora or "
        "any other dependency, no throttling, memory under half of the limit, no change to the "
        "function (the deploy nearby is the webhook receiver, which stays healthy). The function "
        "simply reaches its configured timeout: function_timeout of crm-contact-sync-live."),
}

TENANTS = ["globex", "initech", "umbrella-retail", "hooli-eu", "stark-logistics", "wayne-fin",
           "wonka-foods", "tyrell-bio", "cyberdyne", "soylent-eu"]


def build() -> Scenario:
    s = Scenario(9, "crm-sync-timeouts-big-tenant", 3609, "eu-west-1",
                 "Paged 01:40 by crm-contact-sync-live-errors; acme-holdings' account manager says "
                 "their contacts stopped syncing to the CRM.", "2026-03-12T01:40:00", 0)
    r = s.rng
    s.resource("lambda", FN, runtime="ruby3.3", timeout=60, memory_size=512,
               event_source="sqs:crm-sync-jobs-live", batch_size=1)
    s.resource("lambda", HOOK, runtime="ruby3.3", timeout=15, memory_size=256)
    s.resource("rds", DB, engine="aurora-postgresql", engine_version="15.5", instance_class="db.r6g.large",
               cluster="crm-aurora-live", max_connections=1800)

    rb = lambda t, lvl, msg: L.ruby_logger(s, t, lvl, msg, pid=8)
    rate = lambda t: 11 * s.diurnal(t, 0.45, 14) + 4.5 * smooth(t, T0, T0 + 240)

    def sync(t):
        big = t >= T0 + 30 and r.random() < 4.5 / rate(t)
        job = f"job_{s.hexid(12)}"
        if big:
            pending = r.randint(176000, 186000)
            pages = (pending + 499) // 500
            lines = [(0.01, None, rb(t, "INFO", f"sync start tenant=acme-holdings job={job} pending_changes={pending} (attempt {r.randint(1, 4)})"))]
            k, dt = 0, 0.6
            while dt < 59.5:
                k += 1
                dt += r.uniform(0.135, 0.165) * 1.0
                if k % 25 == 0:
                    lines.append((dt, None, rb(t + dt, "INFO", f"tenant=acme-holdings page {k}/{pages} merged=500 upserted=500 db_ms={r.randint(28, 64)}")))
            return Outcome("timeout", 60000.0, r.randint(205, 238), lines)
        tenant = r.choice(TENANTS)
        n = r.randint(5, 900)
        dur = 400 + n * r.uniform(2.4, 3.2)
        lines = [(0.01, None, rb(t, "INFO", f"sync start tenant={tenant} job={job} pending_changes={n}"))]
        if tenant == "initech" and r.random() < 0.5:
            lines.append((0.2, None, rb(t + 0.2, "WARN", f"tenant=initech skipping contact c_{s.hexid(10)}: invalid email \"{r.choice(['bob@@initech.com', 'n/a', 'sales@initech'])}\"")))
        lines.append((dur / 1000 - 0.01, None, rb(t + dur / 1000, "INFO", f"sync done tenant={tenant} job={job} upserted={n} pages={(n + 499) // 500} in {dur / 1000:.1f}s")))
        return Outcome("ok", dur, r.randint(120, 150), lines)

    pts = Lambda(s, FN, "ruby3.3", 512, 60, log_start=-7200, init_ms=(450, 700)).run(rate, sync)

    def hook(t):
        v = "3.7.1" if t >= -2700 else "3.7.0"
        ev = r.choice(["contact.updated", "contact.created", "deal.stage_changed"])
        return Outcome("ok", r.uniform(40, 160), r.randint(90, 110),
                       [(0.005, None, rb(t, "INFO", f"webhook-receiver {v} event={ev} source=hubspot accepted id=evt_{s.hexid(10)}"))])
    Lambda(s, HOOK, "ruby3.3", 256, 15, log_start=-7200,
           versions=[(-10 ** 9, "a", "$LATEST"), (-2695, "b", "$LATEST")]).run(
        lambda t: 5 * s.diurnal(t, 0.45, 14), hook)

    busy = lambda t: smooth(t, T0, T0 + 300)
    rds(s, DB, {"CPUUtilization": lambda t: s.noise(16 + 12 * busy(t), 0.08),
                "DatabaseConnections": lambda t: s.noise(31 + 4 * busy(t), 0.06),
                "FreeableMemory": lambda t: s.noise(6.6 * GB, 0.01),
                "ReadLatency": lambda t: s.noise(0.0008, 0.1), "WriteLatency": lambda t: s.noise(0.0012 + 0.0003 * busy(t), 0.1),
                "WriteIOPS": lambda t: s.noise(180 + 520 * busy(t), 0.1), "ReadIOPS": lambda t: s.noise(90, 0.15)})
    s.add("AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "crm-sync-jobs-live"}, "Seconds",
          lambda t: r.uniform(1, 20) if t < T0 + 120 else min(1800, (t - T0) * 0.6) * r.uniform(0.9, 1.05), integer=True)

    s.change(-2700, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", HOOK,
             "github-actions-crm")
    s.change(-20500, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             HOOK, "terraform-crm")

    dims = {"FunctionName": FN}
    s.alarm(f"{FN}-errors", "AWS/Lambda", "Errors", dims, pts["Errors"], "Sum", 300, 1, 8,
            "GreaterThanThreshold", "CRM contact sync failures")
    s.expect(f"{FN}-errors", "function_timeout", META["resources"],
             [anomaly("AWS/Lambda", "Duration", dims), anomaly("AWS/Lambda", "Errors", dims)])
    s.meta = META
    return s
