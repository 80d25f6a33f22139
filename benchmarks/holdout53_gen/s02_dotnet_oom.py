"""h53-02: .NET pricing-api on ECS Fargate leaks compiled pricing rules; tasks hit the 2 GiB limit and get OOM-killed."""
from __future__ import annotations

from datetime import datetime

from . import logfmt as L
from .core import Scenario, counts, diurnal, dims_ref
from .kits import add, alb_set, ecs_set, minutes

REGION, ACCOUNT, CLUSTER = "eu-west-1", "418273645190", "retail-prod"
LB = "app/retail-public/3f9d2b7c41e6a850"
NOW_H = 12.4  # local (Europe/Dublin summer) hour at t=0
LIMIT = 2048.0
KILLS = [-4700, -3300, -2000, -520]

META = {
    "file": "h53-02-ecs-dotnet-oom-kills.yaml", "region": REGION, "alarm": "retail-public-elb-5xx",
    "category": "memory_exhaustion", "resources": [f"{CLUSTER}/pricing-api", "pricing-api"],
    "alarm_on": "front (ALB)",
    "decoys": "rolling deploy of checkout-api (same cluster, same ALB) 43 min ago with clean task replacements; "
              "steady PromoClient timeout warnings in pricing-api; hourly CPU spikes of promo-sync",
    "story": (
        "The public ALB's ELB 5XX alarm has flapped four times in 80 minutes. Each burst of 502s lines up with an "
        "ECS task state change for pricing-api: `STOPPED`, container exit code 137, reason `OutOfMemoryError: "
        "Container killed due to memory usage`, followed by a replacement task starting. pricing-api's "
        "MemoryUtilization has been above 80 % all morning and rising with traffic; the service's own runtime "
        "stats show working set approaching the 2048 MB container limit, GC pause time exploding and the compiled "
        "rule cache growing by tens of thousands of entries every ten minutes without ever shrinking. The checkout-api "
        "rolling deploy 43 minutes ago replaced its tasks with ServiceSchedulerInitiated stops (exit 0) and produced "
        "no 5XX; the PromoClient warnings are at the same rate as before. Judgement: memory exhaustion in "
        "retail-prod/pricing-api (a leak); the ALB only carries the symptom."),
}


def build() -> Scenario:
    scn = Scenario("h53-02-ecs-dotnet-oom-kills", "Intermittent 502s from the public retail API; the ELB 5XX alarm "
                   "keeps re-firing.", REGION, 5302, datetime(2026, 5, 6, 11, 24))
    rng = scn.rng
    scn.resource("ecs", f"{CLUSTER}/pricing-api", cluster=CLUSTER, service="pricing-api", launch_type="FARGATE",
                 cpu=1024, memory=2048, desired_count=4, runtime="dotnet8 (ASP.NET Core)",
                 image="418273645190.dkr.ecr.eu-west-1.amazonaws.com/pricing-api:2026.05.04-2",
                 log_group="/ecs/pricing-api")
    scn.resource("ecs", f"{CLUSTER}/checkout-api", cluster=CLUSTER, service="checkout-api", launch_type="FARGATE",
                 cpu=1024, memory=2048, desired_count=3, runtime="dotnet8", log_group="/ecs/checkout-api")
    scn.resource("ecs", f"{CLUSTER}/promo-sync", cluster=CLUSTER, service="promo-sync", launch_type="FARGATE",
                 cpu=512, memory=1024, desired_count=1)
    scn.resource("alb", LB, name="retail-public", scheme="internet-facing",
                 target_groups=["pricing-api-tg", "checkout-api-tg"])

    mult = lambda t: diurnal(t, NOW_H, peak_hour=13.5, amp=0.45)
    rate = 2.05  # MB per minute per task at multiplier 1.0
    cum, acc = {}, 0.0
    for t in minutes(-21600, 0):
        cum[t] = acc
        acc += rate * mult(t)
    C = lambda t: cum[int(t // 60 * 60)]
    # four original tasks, each killed at KILLS[i]; replacements start fresh
    tasks = []
    for i, k in enumerate(KILLS):
        start_mem = LIMIT - (C(k) - C(-21600))
        tasks.append({"id": scn.hex(32), "start": -10 ** 6, "end": k, "m0": start_mem, "t0": -21600})
        tasks.append({"id": scn.hex(32), "start": k + 80, "end": 10 ** 6, "m0": 330.0, "t0": k + 80})

    def mem_of(task, t):
        if not (task["start"] <= t < task["end"]):
            return None
        warm = 0.0 if task["t0"] == -21600 else min(1.0, (t - task["t0"]) / 600.0) * 90.0
        return min(LIMIT, task["m0"] + warm + C(t) - C(max(task["t0"], -21600)))

    def running(t):
        return [m for m in (mem_of(x, t) for x in tasks) if m is not None]

    def cpu(t):
        ms = running(t)
        base = 27.0 * mult(t)
        return sum(base + max(0.0, m / LIMIT - 0.9) * 420 for m in ms) / len(ms) + rng.gauss(0, 1.2)

    ecs_set(scn, CLUSTER, "pricing-api", cpu=cpu,
            mem=lambda t: sum(m / LIMIT * 100 for m in running(t)) / len(running(t)) + rng.gauss(0, 0.15),
            insights={"MemoryUtilized": ("Megabytes", lambda t: sum(running(t))),
                      "MemoryReserved": ("Megabytes", lambda t: LIMIT * len(running(t))),
                      "RunningTaskCount": ("Count", lambda t: len(running(t))),
                      "DesiredTaskCount": ("Count", lambda t: 4)})
    dep = -2600
    ecs_set(scn, CLUSTER, "checkout-api", cpu=lambda t: 22 * mult(t) + rng.gauss(0, 1.5) + (9 if dep <= t < dep + 240 else 0),
            mem=lambda t: (41.0 if t < dep else 37.5) + rng.gauss(0, 0.4),
            insights={"RunningTaskCount": ("Count", lambda t: 6 if dep + 60 <= t < dep + 300 else 3),
                      "DesiredTaskCount": ("Count", lambda t: 3)})
    ecs_set(scn, CLUSTER, "promo-sync", cpu=lambda t: (88 if scn.at(t).minute < 6 else 6) + rng.gauss(0, 2),
            mem=lambda t: (63 if scn.at(t).minute < 6 else 34) + rng.gauss(0, 1),
            insights={"RunningTaskCount": ("Count", lambda t: 1)})

    near_kill = lambda t: any(k <= t < k + 60 for k in KILLS)
    gap = lambda t: any(k <= t < k + 200 for k in KILLS)

    def rt(t):
        ms = running(t)
        slow = sum(min(1.4, max(0.0, m / LIMIT - 0.9) * 12) for m in ms) / 4
        return 0.034 + 0.6 * slow + abs(rng.gauss(0, 0.004))

    req = counts(lambda t: 3300 * mult(t), rng)
    alb = alb_set(scn, LB, req=req, rt=rt,
                  t5xx=lambda t: rng.choice([0, 1, 1, 2, 3]),
                  e5xx=lambda t: (rng.randint(44, 81) if near_kill(t) else rng.choice([0, 0, 0, 0, 1])),
                  healthy=lambda t: 6 if gap(t) else 7, unhealthy=lambda t: 1 if gap(t) else 0)
    scn.alarm("retail-public-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": LB}, "Sum",
              300, 1, 40, "GreaterThanThreshold", points=alb["HTTPCode_ELB_5XX_Count"],
              description="502/503/504 generated by the public ALB")
    scn.change(dep - 45, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "checkout-api:87",
               "ci-retail-deployer")
    scn.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CLUSTER}/checkout-api",
               "ci-retail-deployer")
    _logs(scn, tasks, mem_of, req, mult, dep)
    scn.set_expect("retail-public-elb-5xx", META["category"], META["resources"],
                   [dims_ref("AWS/ECS", "MemoryUtilization", {"ClusterName": CLUSTER, "ServiceName": "pricing-api"}),
                    dims_ref("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": LB})])
    return scn


SKUS = [f"SKU-{n}" for n in range(40000, 40400)]


def _logs(scn, tasks, mem_of, req, mult, dep):
    rng = scn.rng
    ev_start = -9000
    events = []
    cache_entries = 2_050_000
    for task in tasks:
        lines = []
        s = max(task["start"], ev_start)
        e = min(task["end"], -1)
        if task["start"] > ev_start:
            t0 = task["start"]
            for i, (cat, eid, msg) in enumerate([
                    ("Microsoft.Hosting.Lifetime", 14, "Now listening on: http://[::]:8080"),
                    ("Microsoft.Hosting.Lifetime", 0, "Application started. Press Ctrl+C to shut down."),
                    ("Microsoft.Hosting.Lifetime", 0, "Hosting environment: Production"),
                    ("Microsoft.Hosting.Lifetime", 0, "Content root path: /app"),
                    ("Pricing.Api.Rules.CompiledRuleCache", 1100, "compiled rule cache warmed: 18,412 entries")]):
                lines.append((t0 - 3 + i * 0.02, L.dotnet_console(scn, t0 - 3 + i * 0.02, "info", cat, eid, msg)))
            events.append((t0 - 70, "PROVISIONING", task))
            events.append((t0 - 5, "RUNNING", task))
        if task["end"] < 0:
            events.append((task["end"] + 1.5, "STOPPED", task))
        gen2 = rng.randint(300, 500)
        entries = 18412 if task["start"] > -21600 else cache_entries + rng.randint(-30000, 30000)
        for m0 in minutes(int(s // 60 * 60)):
            if m0 >= e:
                break
            mem = mem_of(task, m0) or 0.0
            pct = mem / 2048 * 100
            gen2 += 2 + int(max(0, pct - 85) * 1.6)
            pause = 90 + max(0.0, pct - 88) ** 2 * 75
            heap = mem * 0.86
            t = m0 + 17.3
            if t < e:
                msg = (f"GC heap {heap:.0f} MB, working set {mem:.0f} MB, gen2 collections {gen2}, "
                       f"GC pause time last 60s {pause:.0f} ms, thread pool queue {int(max(0, pct - 93) * 9)}")
                lines.append((t, L.dotnet_console(scn, t, "info", "Pricing.Api.Diagnostics.RuntimeStatsReporter",
                                                  1001, msg)))
                if pct > 92:
                    lines.append((t + 0.01, L.dotnet_console(
                        scn, t + 0.01, "warn", "Pricing.Api.Diagnostics.RuntimeStatsReporter", 1002,
                        f"High memory: working set {mem:.0f} MB of 2048 MB container limit ({pct:.1f}%)")))
            entries += int(2600 * mult(m0) * rng.uniform(0.85, 1.15))
            if scn.at(m0).minute % 10 == 0 and m0 + 30 < e:
                lines.append((m0 + 30, L.dotnet_console(scn, m0 + 30, "info", "Pricing.Api.Rules.CompiledRuleCache",
                              1100, f"compiled rule cache: {entries:,} entries, 0 evictions")))
            n = max(1, int(3300 * mult(m0) * 0.55 / 4 / 70))
            for _ in range(n):
                t = m0 + rng.uniform(0, 60)
                if t >= e:
                    continue
                dur = rng.uniform(3, 14) * (1 + max(0.0, pct - 90) * 6)
                sku = rng.choice(SKUS)
                lines.append((t, L.dotnet_console(scn, t, "info", "Microsoft.AspNetCore.Hosting.Diagnostics", 2,
                              f"Request finished HTTP/1.1 GET http://pricing-api.retail.internal/v2/prices/{sku}"
                              f"?currency=EUR&channel=web - 200 {rng.randint(380, 520)} application/json;+charset=utf-8 "
                              f"{dur:.4f}ms")))
            if rng.random() < 0.5:
                t = m0 + rng.uniform(0, 60)
                if t < e:
                    lines.append((t, L.dotnet_console(scn, t, "warn", "Pricing.Api.Clients.PromoClient", 2001,
                                  f"Promo service call exceeded 250 ms, serving cached promotions for "
                                  f"{rng.choice(SKUS)}")))
        scn.log("/ecs/pricing-api", f"pricing-api/pricing-api/{task['id']}", lines)
    ecs_ev = []
    for t, status, task in events:
        if t < ev_start:
            continue
        if status == "STOPPED":
            ecs_ev.append((t, L.ecs_task_event(scn, t, ACCOUNT, REGION, CLUSTER, "pricing-api", task["id"],
                          "pricing-api:212", "STOPPED", "STOPPED", "pricing-api", exit_code=137,
                          reason="OutOfMemoryError: Container killed due to memory usage",
                          stopped_reason="Essential container in task exited")))
        else:
            ecs_ev.append((t, L.ecs_task_event(scn, t, ACCOUNT, REGION, CLUSTER, "pricing-api", task["id"],
                          "pricing-api:212", status, "RUNNING", "pricing-api")))
    deploy_id = "ecs-svc/" + "".join(str(rng.randint(0, 9)) for _ in range(19))
    for i in range(3):
        new, old = scn.hex(32), scn.hex(32)
        t = dep + 40 + i * 55
        ecs_ev.append((t, L.ecs_task_event(scn, t, ACCOUNT, REGION, CLUSTER, "checkout-api", new, "checkout-api:87",
                                           "RUNNING", "RUNNING", "checkout-api")))
        ecs_ev.append((t + 95, L.ecs_task_event(scn, t + 95, ACCOUNT, REGION, CLUSTER, "checkout-api", old,
                      "checkout-api:86", "STOPPED", "STOPPED", "checkout-api", exit_code=0,
                      stopped_reason=f"Scaling activity initiated by (deployment {deploy_id})",
                      stop_code="ServiceSchedulerInitiated")))
    scn.log("/aws/events/ecs-task-state-change", "retail-prod", ecs_ev)
    # checkout-api: quiet, healthy service across its deploy
    co = []
    for m0 in minutes(ev_start):
        for _ in range(2):
            t = m0 + rng.uniform(0, 60)
            code = 201 if rng.random() < 0.3 else 200
            co.append((t, L.dotnet_console(scn, t, "info", "Microsoft.AspNetCore.Hosting.Diagnostics", 2,
                       f"Request finished HTTP/1.1 {'POST' if code == 201 else 'GET'} http://checkout-api.retail.internal"
                       f"/v1/carts/{scn.hex(12)} - {code} {rng.randint(200, 900)} application/json "
                       f"{rng.uniform(12, 60):.4f}ms")))
    for i in range(3):
        t = dep + 38 + i * 55
        co.append((t, L.dotnet_console(scn, t, "info", "Microsoft.Hosting.Lifetime", 14,
                                       "Now listening on: http://[::]:8080")))
        co.append((t + 0.1, L.dotnet_console(scn, t + 0.1, "info", "Checkout.Api.Startup", 0,
                                             "checkout-api 2026.05.06-1 (commit 8e41c7a) started")))
    scn.log("/ecs/checkout-api", "checkout-api/checkout-api/5d0b8e2f7a1c4936b8e4f0a2c6d9e173", co)
