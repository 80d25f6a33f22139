"""h16-10: a slow memory leak grows every JVM task of a service for hours until the heaps are full."""
from __future__ import annotations

import datetime as dt
import json

import numpy as np

from . import aws
from .kit import N, TIMES, Scenario, counts, daily, jitter
from .logfmt import alb_line, periodic, poisson_times

META = {
    "file": "h16-10-pricing-engine-memory-leak",
    "postmortem": "memory leak over hours (an unbounded in-process cache) until the heap is full and the "
                  "service spends its time in full GCs throwing OutOfMemoryError",
    "side": "origin (ECS service memory)",
    "decoys": "catalog-api deploy 7 min before the first heap filled; pricing-engine's own deploy two days "
              "earlier; unknown-sku promo warnings at a steady rate",
    "story": (
        "Every pricing-engine task's memory climbs in a straight line for the whole six-hour window (about 10 % of "
        "the 2 GiB reservation per hour) while the price-rule cache reports ever more entries and zero evictions. "
        "One task after another fills its 1536 MB heap: the GC log switches from young pauses to back-to-back "
        "'Pause Full (G1 Compaction Pause) 1534M->1529M(1536M)' of 1-2.6 s, requests fail with "
        "'java.lang.OutOfMemoryError: Java heap space' from RuleCache.remember, CPU rises with the GC work (not "
        "pinned), and the service MemoryUtilization alarm (94 %) fires and stays. catalog-api, which calls "
        "pricing-engine, logs 500s from it and was deployed shortly before, but its own memory and CPU are flat and "
        "its errors name the upstream. memory_exhaustion on catalog/pricing-engine; the last pricing-engine deploy "
        "was two days ago, long before the leak's visible start."),
}

ALB = "app/catalog-api/6d7e8f9a0b1c2d3e"
ACCOUNT = "267104988512"
LIMIT_MB = 2048


def _pino(sc: Scenario, t: float, level: int, host: str, msg: str, **kw) -> str:
    rec = {"level": level, "time": int(sc.wall(t).timestamp() * 1000), "pid": 1, "hostname": host, "msg": msg}
    rec.update(kw)
    return json.dumps(rec, separators=(",", ":"))


def build(seed: int) -> Scenario:
    sc = Scenario("h16-10-pricing-engine-memory-leak",
                  "pricing-engine memory alarm; catalog pages intermittently missing prices.",
                  "eu-west-3", seed, dt.datetime(2026, 9, 29, 8, 40))
    day = daily(sc, peak_hour=10, depth=0.5)
    sc.resource("ecs", "catalog/pricing-engine", desired_count=3, launch_type="FARGATE", cpu=1024, memory=LIMIT_MB,
                image=f"{ACCOUNT}.dkr.ecr.eu-west-3.amazonaws.com/pricing-engine:5.8.1", log_groups=["/ecs/pricing-engine"])
    sc.resource("ecs", "catalog/catalog-api", desired_count=4, launch_type="FARGATE", cpu=512, memory=1024,
                image=f"{ACCOUNT}.dkr.ecr.eu-west-3.amazonaws.com/catalog-api:2026.09.29.1", log_groups=["/ecs/catalog-api"])
    sc.resource("alb", ALB, name="catalog-api", scheme="internet-facing", target_groups=["catalog-api"])

    # three tasks of one deploy leak at slightly different rates; each heap fills and stays full
    rate = [10.6, 10.2, 9.9]
    fill_at = [-2350.0, -1950.0, -1600.0]
    tasks = [{"id": sc.hexid(32), "rate": rate[k], "fill": fill_at[k],
              "host": f"ip-10-80-{k + 1}-{int(sc.rng.integers(10, 250))}.eu-west-3.compute.internal"}
             for k in range(3)]

    def mem_at(task: dict, t: float) -> float:
        return min(95.2, 95.2 - task["rate"] * (task["fill"] - t) / 3600)

    per_task = np.array([[mem_at(tk, t) for t in TIMES] for tk in tasks]) + sc.rng.normal(0, 0.3, (3, N))
    mem = per_task.mean(axis=0)
    full = np.array([[t >= tk["fill"] for t in TIMES] for tk in tasks]).sum(axis=0) / 3.0
    cpu = jitter(sc, 14 + 18 * day, 0.07) + np.clip((per_task.max(axis=0) - 80) / 15, 0, 1) * 10 + full * 24
    d = {"ClusterName": "catalog", "ServiceName": "pricing-engine"}
    aws.ecs_metrics(sc, "catalog", "pricing-engine", cpu, mem, 3.0, 3.0)
    sc.metric("ECS/ContainerInsights", "MemoryUtilized", d, "Megabytes", mem / 100 * LIMIT_MB * 3, decimals=0)
    aws.ecs_metrics(sc, "catalog", "catalog-api", jitter(sc, 11 + 14 * day, 0.07), jitter(sc, 47, 0.02), 4, 4)
    req = counts(sc, 950 * day)
    t5 = counts(sc, 0.3) + np.round(req * 0.3 * full * jitter(sc, 1, 0.1))
    aws.alb_metrics(sc, ALB, req, t5, jitter(sc, 0.064, 0.07) + full * 1.4, healthy=4, t4xx=counts(sc, 9 * day))

    # --- pricing-engine logs: GC log and application log per task ------------------------------------------------
    for tk in tasks:
        ev = []
        gc_n = int(sc.rng.integers(3000, 6000))
        for t in periodic(-10800, 20, offset=sc.rng.uniform(0, 20)):
            m = mem_at(tk, t)
            heap = int(min(1536, (m - 20) / 75.2 * 1536 + 180))
            gc_n += 1
            if t < tk["fill"] - 900:
                after = int(heap * sc.rng.uniform(0.55, 0.7))
                ev.append((t, f"[{sc.iso(t)[:-1]}+0000][info][gc] GC({gc_n}) Pause Young (Normal) (G1 Evacuation "
                              f"Pause) {heap}M->{after}M(1536M) {sc.rng.uniform(6, 19):.3f}ms"))
            else:
                after = min(1536, heap - int(sc.rng.integers(2, 14)))
                ev.append((t, f"[{sc.iso(t)[:-1]}+0000][info][gc] GC({gc_n}) Pause Full (G1 Compaction Pause) "
                              f"{heap}M->{after}M(1536M) {sc.rng.uniform(900, 2600):.3f}ms"))
        for t in periodic(-10800, 300, offset=sc.rng.uniform(0, 300)):
            entries = int(1.2e6 + (t + 21600) * 61 * tk["rate"] / 10)
            ev.append((t, f"{sc.iso(t)} INFO  [scheduling-1] c.m.pricing.cache.RuleCacheStats - price-rule cache: "
                          f"entries={entries} hitRatio={sc.rng.uniform(0.62, 0.7):.3f} evictions=0"))
        for t in poisson_times(sc, np.where(TIMES >= tk["fill"], 4.0, 0.0), tk["fill"]):
            thr = f"http-nio-8080-exec-{int(sc.rng.integers(1, 200))}"
            ev.append((t, f"{sc.iso(t)} ERROR [{thr}] o.a.c.c.C.[.[.[/].[dispatcherServlet] - Servlet.service() for "
                          f"servlet [dispatcherServlet] threw exception [Handler dispatch failed: "
                          f"java.lang.OutOfMemoryError: Java heap space]\n"
                          f"java.lang.OutOfMemoryError: Java heap space\n"
                          f"\tat java.base/java.util.HashMap.resize(HashMap.java:702)\n"
                          f"\tat java.base/java.util.HashMap.putVal(HashMap.java:661)\n"
                          f"\tat com.maisonlumen.pricing.cache.RuleCache.remember(RuleCache.java:88)\n"
                          f"\tat com.maisonlumen.pricing.PriceService.price(PriceService.java:141)"))
        for t in poisson_times(sc, 0.05, -10800):
            ev.append((t, f"{sc.iso(t)} WARN  [scheduling-1] c.m.pricing.promo.PromoLoader - promo rule "
                          f"PR-{int(sc.rng.integers(1000, 9999))} references unknown sku, skipped"))
        sc.log("/ecs/pricing-engine", f"pricing-engine/pricing-engine/{tk['id']}", ev)
    # --- catalog-api ------------------------------------------------------------------------------------------------
    dep = -2320.0 - 420.0
    ev = []
    for t in poisson_times(sc, 6 * day, -7200):
        ev.append((t, _pino(sc, t, 30, "catalog-api", "request completed", method="GET",
                            url=f"/v1/products/{int(sc.rng.integers(100000, 999999))}", statusCode=200,
                            responseTime=int(sc.rng.gamma(4, 12)))))
    for t in poisson_times(sc, 14 * full, fill_at[0]):
        ev.append((t, _pino(sc, t, 50, "catalog-api", "pricing lookup failed",
                            err={"type": "HTTPError", "message": "Response code 500 (Internal Server Error)",
                                 "code": "ERR_NON_2XX_3XX_RESPONSE"},
                            upstream="http://pricing-engine.catalog.local:8080/v2/prices")))
    ev.append((dep + 60, _pino(sc, dep + 60, 30, "catalog-api", "server listening", port=3000,
                               version="2026.09.29.1")))
    sc.log_split("/ecs/catalog-api", sc.task_streams("catalog-api", 4), ev)
    tg = f"arn:aws:elasticloadbalancing:eu-west-3:{ACCOUNT}:targetgroup/catalog-api/3a2b1c0d9e8f7a6b"
    alb_ev = []
    for t in poisson_times(sc, 4 * day, -5400):
        i = int((t + 21600) // 60)
        bad = sc.rng.random() < 0.3 * full[i]
        st = 502 if bad else 200
        alb_ev.append((t, alb_line(sc, t, ALB, f"10.80.{int(sc.rng.integers(1, 4))}.{int(sc.rng.integers(9, 250))}:3000",
                                   "GET", f"https://api.maisonlumen.fr:443/v1/products/{int(sc.rng.integers(100000, 999999))}",
                                   st, st, 0.001, sc.rng.gamma(3, 0.02), 0.0, tg, "MaisonLumen/3.9 (iPhone)",
                                   int(sc.rng.integers(200, 900)), int(sc.rng.integers(900, 9000)))))
    sc.log("/alb/catalog-api/access", "catalog-api", alb_ev)
    sc.change(-171000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "catalog/pricing-engine",
              "jenkins-deploy")
    sc.change(dep - 15, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "catalog-api:203",
              "jenkins-deploy")
    sc.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "catalog/catalog-api",
              "jenkins-deploy")
    sc.alarm_on("pricing-engine-memory-high", "AWS/ECS", "MemoryUtilization", d, mem, "Average", 60, 3, 94,
                "GreaterThanThreshold", description="pricing-engine memory above 94 % of reservation")
    sc.set_expect("pricing-engine-memory-high", "memory_exhaustion", ["catalog/pricing-engine", "pricing-engine"],
                  [("AWS/ECS", "MemoryUtilization", d)])
    return sc
