"""h5-12 (traffic surge on an ECS frontend behind an ALB) and h5-17 (SSM parameter change breaks an ECS service)."""
from __future__ import annotations

import json

import numpy as np

from .common import (N, T, alarm, alb_metrics, change, ecs_metrics, expect, find, hexid, iso, level, log,
                     pois, poisson_times, scenario, window)


def _j(d):
    return json.dumps(d, separators=(",", ":"))


# ------------------------------------------------------------------ h5-12
def ecs_traffic_surge(rng):
    region, cluster, svc, other = "us-east-2", "web", "frontend", "admin-portal"
    lb = "app/web-frontend-alb/0b7d4e1c9a3f5268"
    onset = -1800
    surge = np.clip((T - onset) / 240, 0, 1) * (5.4 + 0.8 * np.exp(-np.clip(T - onset, 0, None) / 900))
    req = np.round(level(rng, 2600, 0.05, daily=0.25, phase=-15000) * (1 + surge))
    desired = np.full(N, 6.0) + (T >= onset + 300) * 3 + (T >= onset + 540) * 3
    running = desired - ((T >= onset + 300) & (T < onset + 400)) * 3 - ((T >= onset + 540) & (T < onset + 640)) * 3
    pending = desired - running
    load = req / running
    clip_cpu = np.clip(26 * (load / 337.0) ** 0.95 * rng.normal(1, 0.04, N), 3, 97)
    over = np.clip((load - 600) / 600, 0, None)
    trt = level(rng, 0.175, 0.06) * (1 + 6 * over ** 1.2)
    e5 = pois(rng, 0.1 + req * 0.0025 * np.clip(over - 0.2, 0, None))
    t5 = pois(rng, 0.7 + req * 0.0008 * over)
    metrics = alb_metrics(lb, req, trt, t5, e5, np.zeros(N), running, rng=rng)
    metrics += ecs_metrics(cluster, svc, clip_cpu, level(rng, 49, 0.02) + over * 9, running, desired, pending)
    dep = -4300
    metrics += ecs_metrics(cluster, other, level(rng, 6, 0.15), level(rng, 28, 0.03),
                           np.full(N, 2.0) + window(dep, dep + 240) * 2, np.full(N, 2.0), window(dep, dep + 60) * 2)

    logs = []
    pages = ["/", "/deals", "/deals/early-access", "/p/%d", "/cart", "/_next/data/b7Xk2/deals.json"]
    for k in range(12):
        a = -10800 if k < 6 else (onset + 360 if k < 9 else onset + 600)
        ev = []
        if a > -10800:
            ev.append((a, "  ▲ Next.js 14.2.15"))
            ev.append((a + 0.1, "  - Local:        http://localhost:3000"))
            ev.append((a + 1.9, " ✓ Ready in 1874ms"))
        for t in poisson_times(rng, 1.0, a, onset):
            ev.append((t, _acc(rng, t, pages, False)))
        for t in poisson_times(rng, 1.0 * 3.9 * 6 / 12 if k >= 6 else 3.9, max(a, onset), 0):
            ev.append((t, _acc(rng, t, pages, True)))
        for t in poisson_times(rng, 0.3, a, 0):
            ev.append((t, _j({"level": "error", "time": iso(t), "msg": "Failed to fetch recommendations",
                                      "status": 404, "url": f"http://reco.web.local/v2/for-user/{hexid(rng, 12)}"})))
        for t in poisson_times(rng, 0.5, onset + 420, 0):
            ev.append((t, _j({"level": "warn", "time": iso(t), "msg": "render slow",
                                      "route": "/deals/early-access", "ms": int(rng.uniform(1200, 4200))})))
        logs.append(log(f"/ecs/{svc}", f"{svc}/{svc}/{hexid(rng)}", ev))
    ev = [(dep + 70, _j({"level": "info", "time": iso(dep + 70), "msg": "admin-portal 3.4.1 listening on :8080"}))]
    for t in poisson_times(rng, 0.5, -10800, 0):
        ev.append((t, _j({"level": "info", "time": iso(t), "msg": "GET /admin/orders 200",
                                  "user": f"staff_{rng.integers(1, 40)}"})))
    logs.append(log(f"/ecs/{other}", f"{other}/{other}/{hexid(rng)}", ev))

    asg = "AWSServiceRoleForApplicationAutoScaling_ECSService"
    changes = [change(dep - 60, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{other}",
                      "github-actions"),
               change(onset + 290, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}", asg),
               change(onset + 530, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}", asg)]
    al = alarm("web-frontend-latency-high", find(metrics, "TargetResponseTime"), "Average", 60, 5, 0.8,
               description="Frontend ALB average target response time > 800 ms")
    resources = [
        {"type": "alb", "id": lb, "properties": {"name": "web-frontend-alb", "targets": [f"{cluster}/{svc}"]}},
        {"type": "ecs", "id": f"{cluster}/{svc}", "properties": {
            "cluster": cluster, "task_definition": f"{svc}:512", "desired_count": 12, "cpu": 1024, "memory": 2048,
            "autoscaling": {"min": 6, "max": 12, "target_cpu": 60}}},
        {"type": "ecs", "id": f"{cluster}/{other}", "properties": {
            "cluster": cluster, "task_definition": f"{other}:44", "desired_count": 2, "cpu": 256, "memory": 512}},
    ]
    scn = scenario("h5-12-ecs-traffic-surge", "Website slow for shoppers; frontend latency alarm.", region, resources, metrics, logs, [al], changes,
                   expect(al["name"], "traffic_surge", [lb, "web-frontend-alb", f"{cluster}/{svc}", svc],
                          [find(metrics, "RequestCount"), find(metrics, "TargetResponseTime")]))
    return {"file": "h5-12-ecs-traffic-surge.yaml", "scenario": scn,
            "decoys": "admin-portal deploy 40 min before onset; steady recommendation 404 errors; autoscaling "
                      "UpdateService events (a consequence)",
            "story": "An early-access sale push notification and email went out; request volume jumped about 5x "
                     "within minutes. Target tracking scaled the frontend from 6 to its maximum of 12 tasks, but "
                     "each task still carries twice its usual load: CPU sits at 80-90 % (not pinned), SSR render "
                     "times grow and average response time climbs above 1 s, with a trickle of 502/503s. Nothing "
                     "is broken; there is simply more traffic than capacity."}


def _acc(rng, t, pages, promo):
    p = pages[int(rng.choice(len(pages), p=[0.15, 0.2, 0.3, 0.2, 0.1, 0.05] if promo else
                             [0.35, 0.1, 0.0, 0.35, 0.12, 0.08]))]
    if "%d" in p:
        p = p % rng.integers(100000, 999999)
    if promo and rng.uniform() < 0.6:
        p += "?utm_source=braze&utm_medium=push&utm_campaign=bf-early-access"
    return _j({"level": "info", "time": iso(t), "msg": "request", "method": "GET", "path": p,
                       "status": 200, "ms": int(rng.gamma(2, 60 if promo else 35))})


# ------------------------------------------------------------------ h5-17
def ecs_ssm_config(rng):
    region, cluster, svc, other = "ap-northeast-2", "pricing", "quote-engine", "fx-sync"
    lb = "app/pricing-alb/6c2f9e0b1d7a4835"
    put = -2000
    onset = put + 55
    bad = window(onset, 0)
    req = np.round(level(rng, 740, 0.06, daily=0.2, phase=-40000))
    quotes = req * 0.62
    t5 = pois(rng, 0.3 + bad * quotes * rng.uniform(0.9, 0.99, N))
    trt = level(rng, 0.048, 0.07) * (1 - bad * 0.4)
    metrics = alb_metrics(lb, req, trt, t5, pois(rng, 0.02 * np.ones(N)), np.zeros(N), np.full(N, 3.0), rng=rng)
    metrics += ecs_metrics(cluster, svc, level(rng, 21, 0.07) * (1 - bad * 0.25), level(rng, 37, 0.02),
                           np.full(N, 3.0), np.full(N, 3.0), np.zeros(N))
    dep = -9000
    metrics += ecs_metrics(cluster, other, level(rng, 7, 0.12) + window(-7020, -6600) * rng.uniform(55, 70, N),
                           level(rng, 25, 0.03), np.full(N, 1.0) + window(dep, dep + 180), np.full(N, 1.0),
                           window(dep, dep + 60))

    logs = []

    def zap(t, lvl, caller, msg, **kw):
        return _j({"level": lvl, "ts": iso(t), "caller": caller, "msg": msg, **kw})

    for k in range(3):
        ev = []
        for t in np.arange(-10800 + rng.uniform(0, 60), 0, 60):
            if t < put + 20:
                ev.append((t, zap(t, "debug", "config/watch.go:61", "config unchanged", version=14)))
            elif t < put + 80:
                ev.append((t, zap(t, "info", "config/watch.go:74", "config changed, reloading",
                                  parameter="/pricing/prod/quote-engine/RATE_TABLE_VERSION", version=15)))
                ev.append((t + 0.3, zap(t + 0.3, "error", "ratetable/loader.go:118",
                                        "rate table load failed, keeping no active table",
                                        table="2026-12", error='operation error S3: GetObject, https response '
                                        'error StatusCode: 404, RequestID: ' + hexid(rng, 16).upper() +
                                        ', api error NoSuchKey: The specified key does not exist.',
                                        key="prod/rate-tables/2026-12/rates.parquet")))
            else:
                ev.append((t, zap(t, "error", "ratetable/loader.go:118", "rate table load failed",
                                  table="2026-12", error="api error NoSuchKey: The specified key does not exist.")))
        for t in poisson_times(rng, 155.0 / 3 * 0.3, -10800, 0):
            if t >= onset and rng.uniform() < 0.62:
                ev.append((t, zap(t, "error", "quote/handler.go:142", "quote failed", status=500,
                                  error='rate table "2026-12" not loaded (RATE_TABLE_VERSION)',
                                  product=["auto", "home", "travel"][rng.integers(0, 3)], request_id=hexid(rng, 20))))
            else:
                ev.append((t, zap(t, "info", "http/log.go:33", "request", method="POST",
                                  path="/v3/quotes" if rng.uniform() < 0.62 else "/v3/products", status=200,
                                  duration_ms=round(float(rng.gamma(2, 14)), 1))))
        for t in poisson_times(rng, 0.6, -10800, 0):
            ev.append((t, zap(t, "warn", "cache/lru.go:90", "cache miss ratio high", ratio=round(rng.uniform(0.3, 0.5), 2),
                              cache="territory-factors")))
        logs.append(log(f"/ecs/{svc}", f"{svc}/{svc}/{hexid(rng)}", ev))
    ev = []
    for t in np.arange(-10800, 0, 300.0):
        ev.append((t + rng.uniform(0, 5), zap(t, "info", "sync/fx.go:51", "fx rates synced", pairs=38,
                                              source="ecb")))
    for t in poisson_times(rng, 4, -7020, -6600):
        ev.append((t, zap(t, "info", "sync/backfill.go:77", "backfilling historical fx rates", day=int(rng.integers(1, 365)))))
    logs.append(log(f"/ecs/{other}", f"{other}/{other}/{hexid(rng)}", ev))

    changes = [
        change(dep - 90, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{other}:9",
               "github-actions"),
        change(dep - 40, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{other}",
               "github-actions"),
        change(put, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter",
               "/pricing/prod/quote-engine/RATE_TABLE_VERSION", "yuna.kim"),
    ]
    al = alarm("pricing-alb-5xx", find(metrics, "HTTPCode_Target_5XX_Count"), "Sum", 60, 3, 15,
               description="pricing ALB target 5xx")
    resources = [
        {"type": "alb", "id": lb, "properties": {"name": "pricing-alb", "targets": [f"{cluster}/{svc}"]}},
        {"type": "ecs", "id": f"{cluster}/{svc}", "properties": {
            "cluster": cluster, "task_definition": f"{svc}:58", "desired_count": 3, "cpu": 512, "memory": 1024}},
        {"type": "ecs", "id": f"{cluster}/{other}", "properties": {
            "cluster": cluster, "task_definition": f"{other}:9", "desired_count": 1, "cpu": 256, "memory": 512}},
    ]
    scn = scenario("h5-17-ecs-ssm-parameter", "Quote API returning errors to partners; pricing ALB 5xx alarm.",
                   region, resources, metrics, logs, [al], changes,
                   expect(al["name"], "config_change", [f"{cluster}/{svc}", svc,
                                                        "/pricing/prod/quote-engine/RATE_TABLE_VERSION"],
                          [find(metrics, "HTTPCode_Target_5XX_Count")]))
    return {"file": "h5-17-ecs-ssm-parameter.yaml", "scenario": scn,
            "decoys": "fx-sync deploy 2.5 h earlier and its backfill CPU burst; steady cache-miss warnings",
            "story": "An analyst bumped the SSM parameter RATE_TABLE_VERSION to next month's table (2026-12) a "
                     "week early. quote-engine hot-reloads its config every minute; the new table does not exist "
                     "in S3 yet (NoSuchKey), so the service drops its active rate table and every quote request "
                     "returns 500. Product listing requests still succeed."}
