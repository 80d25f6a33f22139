"""h28-11: push-campaign traffic surge on an ECS web service; autoscaling catches up only partly."""
from __future__ import annotations

import json
import random

from .common import HIST, LOGS, Clock, alarm, change, diurnal, hexid, log_stream, poisson, ramp
from .logfmt import Rec

R = "us-east-1"
CL, SVC, CHK, PG = "storefront", "promo-web", "checkout-web", "catalog-pg"
ALB = "app/promo-web-alb/4b7e9d1a2c3f6058"
ON, PEAK = -3300, -2100
SCALE = [(-2940, 9), (-2640, 13), (-2340, 16)]     # (running from, task count); max_capacity 16
CAP = 3200.0                                       # requests / min / task before queueing explodes


def demand(t):
    base = 9000 * diurnal(t, 0.12, -15000)
    if t < ON:
        return base
    if t < PEAK:
        return ramp(t, ON, PEAK, base, 52000)
    return ramp(t, PEAK, 0, 52000, 46500)


def tasks(t):
    n = 6
    for ts, k in SCALE:
        if t >= ts:
            n = k
    return n


def build():
    rng = random.Random(2811)
    clk = Clock("2026-03-20T19:42:00")
    minutes = range(-HIST, 0, 60)
    alb = Rec("AWS/ApplicationELB", {"LoadBalancer": ALB})
    ecs = Rec("AWS/ECS", {"ClusterName": CL, "ServiceName": SVC})
    ci = Rec("ECS/ContainerInsights", {"ClusterName": CL, "ServiceName": SVC})
    chk = Rec("AWS/ECS", {"ClusterName": CL, "ServiceName": CHK})
    pg = Rec("AWS/RDS", {"DBInstanceIdentifier": PG})
    state = {}
    for t in minutes:
        d = demand(t)
        n = tasks(t)
        per = d / n
        rho = per / CAP
        served = min(d, n * CAP * 1.02)
        drop = max(0.0, d - served)
        lat = 0.11 / max(0.04, 1 - min(rho, 0.96)) * rng.uniform(0.92, 1.08)
        state[t] = (per, rho, lat)
        req = poisson(rng, d)
        alb.put(t, RequestCount=req, TargetResponseTime=min(lat, 6.5),
                HTTPCode_ELB_5XX_Count=poisson(rng, drop * 0.6 + 0.2), HTTPCode_Target_5XX_Count=poisson(rng, drop * 0.05 + req * 0.0002),
                HTTPCode_Target_4XX_Count=poisson(rng, 40 + req * 0.002), TargetConnectionErrorCount=poisson(rng, drop * 0.3),
                HealthyHostCount=n, UnHealthyHostCount=0, ActiveConnectionCount=req * rng.uniform(0.35, 0.4))
        ecs.put(t, CPUUtilization=min(88.5, 42 * per / 1500) + rng.gauss(0, 1.2), MemoryUtilization=41 + 8 * min(1, rho) + rng.gauss(0, 0.5))
        ci.put(t, RunningTaskCount=n)
        chk.put(t, CPUUtilization=24 + rng.gauss(0, 1.5) + (6 if t >= ON else 0), MemoryUtilization=37 + rng.gauss(0, 0.5))
        f = d / 9000
        pg.put(t, CPUUtilization=21 * f ** 0.4 + rng.gauss(0, 1.2), DatabaseConnections=min(n * 12 + 70, 900) + rng.gauss(0, 3),
               FreeableMemory=1.3e10 + rng.gauss(0, 5e7), FreeStorageSpace=4.4e11, ReadIOPS=600 * f ** 0.3 + rng.gauss(0, 30),
               WriteIOPS=90 + rng.gauss(0, 8), ReadLatency=0.0006, WriteLatency=0.0011, DiskQueueDepth=0.4)

    # ---- promo-web logs (pino JSON, numeric levels) ----
    streams = {}
    task_ids = [hexid(rng) for _ in range(16)]
    for t in range(-LOGS, 0, 60):
        per, rho, lat = state[t]
        n = tasks(t)
        push_share = 0.0 if t < ON else min(0.85, 0.85 * (demand(t) - 9000) / 43000 + 0.05)
        for _ in range(poisson(rng, 14)):
            ts = t + rng.uniform(0, 59)
            k = rng.randrange(n)
            host = f"ip-10-30-{k % 4 + 1}-{40 + k}"
            if rng.random() < 0.012:
                url, code, rt = rng.choice(["/wp-login.php", "/.env", "/old-promo/black-friday-2024"]), 404, rng.randint(2, 6)
            elif rng.random() < push_share:
                url, code, rt = "/promo/spring-sale?utm_source=push&utm_medium=app&utm_campaign=spring26_wave2", 200, int(lat * 1000 * rng.uniform(0.6, 1.5))
            else:
                url, code = rng.choice(["/promo/spring-sale", "/promo/spring-sale/shoes", "/api/promo/tiles", "/"]), 200
                rt = int(lat * 1000 * rng.uniform(0.6, 1.5))
            streams.setdefault(k, []).append((ts, json.dumps({"level": 30, "time": clk.epoch(ts) * 1000 + rng.randint(0, 999), "pid": 1,
                                                              "hostname": host, "req": {"method": "GET", "url": url},
                                                              "res": {"statusCode": code}, "responseTime": rt, "msg": "request completed"},
                                                             separators=(",", ":"))))
            if rho > 0.8 and rng.random() < 0.12:
                streams[k].append((ts + 0.01, json.dumps({"level": 40, "time": clk.epoch(ts) * 1000 + 7, "pid": 1, "hostname": host,
                                                          "msg": f"event loop lag {int(80 + 900 * (min(rho, 1.1) - 0.8))}ms"},
                                                         separators=(",", ":"))))
        for ts0, k in SCALE:
            if ts0 - 60 <= t < ts0:
                for j in range([6, 9, 13][SCALE.index((ts0, k))], k):
                    x = ts0 - rng.uniform(10, 30)
                    streams.setdefault(j, []).append((x, json.dumps({"level": 30, "time": clk.epoch(x) * 1000, "pid": 1,
                                                                     "hostname": f"ip-10-30-{j % 4 + 1}-{40 + j}",
                                                                     "msg": "promo-web 3.44.1 listening on :3000 (node v20.11.1, NODE_ENV=production)"},
                                                                    separators=(",", ":"))))
    logs = [log_stream(f"/ecs/{SVC}", f"ecs/{SVC}/{task_ids[k]}", ev) for k, ev in sorted(streams.items())]
    metrics = alb.metrics() + ecs.metrics() + ci.metrics() + chk.metrics() + pg.metrics()
    alarms = [alarm(clk, "promo-web-alb-latency", alb.get("TargetResponseTime"), "Average", 300, 3, 1.0, after=ON,
                    description="promo-web ALB average response time above 1 s")]
    asg = "AWSServiceRoleForApplicationAutoScaling_ECSService"
    lag = round((alarms[0]["state_changed"] - (ON)) / 60)
    changes = [change(-3420, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "checkout-web:412", "github-actions"),
               change(-3400, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{CHK}", "github-actions")]
    changes += [change(ts - 90, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{SVC}", asg) for ts, _ in SCALE]
    scen = {
        "format": "aiops-scenario/v1", "name": "h28-11-promo-web-traffic-surge",
        "description": "Spring sale landing page slow and intermittently failing; promo-web latency alarm.",
        "region": R,
        "resources": [
            {"type": "alb", "id": ALB, "properties": {"name": "promo-web-alb", "scheme": "internet-facing"}},
            {"type": "ecs", "id": f"{CL}/{SVC}", "properties": {"launch_type": "FARGATE", "cpu": 1024, "memory": 2048, "desired_count": 6,
                                                              "autoscaling": "target tracking CPU 55 %, min 6, max 16",
                                                              "runtime": "nodejs20 (Next.js SSR)", "task_definition": "promo-web:97",
                                                              "log_groups": [f"/ecs/{SVC}"]}},
            {"type": "ecs", "id": f"{CL}/{CHK}", "properties": {"launch_type": "FARGATE", "desired_count": 4, "runtime": "nodejs20",
                                                              "task_definition": "checkout-web:412", "log_groups": [f"/ecs/{CHK}"]}},
            {"type": "rds", "id": PG, "properties": {"engine": "postgres", "engine_version": "15.5", "instance_class": "db.r6g.xlarge",
                                                   "max_connections": 1000, "allocated_storage_gb": 500}},
        ],
        "metrics": metrics, "logs": logs, "alarms": alarms, "changes": changes,
        "expect": {"alarm": "promo-web-alb-latency",
                   "root_cause": {"category": "traffic_surge", "resource": [ALB, "promo-web-alb", f"{CL}/{SVC}", SVC]},
                   "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": ALB}},
                                 {"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime", "dimensions": {"LoadBalancer": ALB}}]},
    }
    meta = {"alarm_on": "origin (promo-web-alb / promo-web receive the surge)",
            "decoys": "checkout-web deploy 2 min before the surge began; autoscaling UpdateService events on promo-web (reactions, "
                      "not causes); catalog-pg CPU/connection rise (benign); constant scanner 404s",
            "story": (
                "From 55 minutes ago RequestCount on promo-web-alb ramps from ~9k to ~52k per minute over twenty minutes; the "
                "application logs show the new traffic is the spring-sale push campaign (utm_source=push, wave 2). With six tasks "
                "the service overloads: CPU climbs to the high 80s, event-loop lag warnings appear, latency goes to several seconds and "
                "the ALB returns 502/503 for requests it cannot hand to a target. Target-tracking autoscaling adds tasks "
                "(UpdateService by the Application Auto Scaling role) but stops at max_capacity 16, so latency has fallen from "
                f"its peak (partial recovery) yet stays above 1 s. The latency alarm uses 5-minute periods and fired ~{lag} minutes "
                "into the surge. There is no deploy, config change or dependency fault on promo-web; CPU is high only because of "
                "the volume, so the label is traffic_surge (the ALB or the service). The checkout-web deploy is another "
                "service with normal metrics, and catalog-pg is busy but far from any limit.")}
    return scen, meta
