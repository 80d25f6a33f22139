"""h15-11: a push campaign sends five times the usual traffic to a Go feed API on ECS
(log/slog JSON). Service auto scaling reaches its maximum; CPU rises but is not pinned;
latency climbs and the service sheds some load. Auto scaling's UpdateService calls
right after onset are a reaction, not a cause."""
from __future__ import annotations

from datetime import datetime

import numpy as np

from . import aws
from .common import Ctx, Stream, alarm, change, ramp, scenario
from .logfmt import LambdaEnvs, j

REGION = "us-west-2"
CLUSTER, SERVICE = "mobile", "feed-api"
LB = "app/mob-edge/4a6c8e0b2d1f3579"
TG = "targetgroup/feed-api-8080/c3e5a7b9d1f20468"
ONSET = -1500.0
AS_ROLE = "AWSServiceRoleForApplicationAutoScaling_ECSService"


def slog(ctx, rel, level, msg, **kv):
    d = {"time": ctx.iso(rel, 6, "Z"), "level": level, "msg": msg}
    d.update(kv)
    return j(d)


def build(seed: int):
    ctx = Ctx(seed, datetime(2026, 9, 18, 1, 50), utc_offset_h=-7)
    rng, t = ctx.rng, ctx.t
    shape = ctx.daily(19.0, 0.25)
    surge = ramp(t, ONSET, 150) * np.interp(t, [ONSET, ONSET + 300, 0], [6.6, 6.6, 5.9])
    req = ctx.poisson(3000 * shape * (1 + ctx.ar(0.04)) * np.maximum(1, surge))
    tasks_n = np.minimum(12, 4 + np.floor(np.clip((t - ONSET - 60) / 110, 0, 8)))
    load = req / (tasks_n * 900)                        # share of a task's comfortable request rate
    cpu = 10 + 33 * np.minimum(load, 2.2) + ctx.ar(2.0)
    rt = 0.055 + 0.5 * np.clip(load - 0.95, 0, None) ** 1.5 + ctx.ar(0.004)
    shed = ctx.poisson(req * 0.008 * np.clip(load - 1.1, 0, None))
    t5 = shed + (rng.random(ctx.n) < 0.03)
    avatar = ctx.poisson(np.full(ctx.n, 18.0))

    metrics = aws.alb_lb(ctx, LB, req, t5xx=t5, rt=rt, t4xx=ctx.poisson(req * 0.004))
    metrics += aws.alb_tg(ctx, LB, TG, req, t5xx=t5, healthy=tasks_n, unhealthy=np.zeros(ctx.n), rt=rt)
    metrics += aws.ecs(ctx, CLUSTER, SERVICE, cpu, 46 + ctx.ar(1) + 4 * ramp(t, ONSET, 300), tasks_n)
    metrics += aws.lam(ctx, "avatar-resizer", avatar, np.zeros(ctx.n), 420 + ctx.ar(30) - 60 * (t > -1680),
                       np.ceil(avatar * 0.42 / 60 + rng.random(ctx.n)))

    streams = [Stream(f"/ecs/{SERVICE}", f"ecs/{SERVICE}/{ctx.hex(32)}") for _ in range(4)]
    for s in streams:
        s.t0 = -30000.0
    started = 4
    log_from = -5400.0
    for i in range(ctx.n):
        m0 = t[i]
        while started < tasks_n[i]:
            s = Stream(f"/ecs/{SERVICE}", f"ecs/{SERVICE}/{ctx.hex(32)}")
            s.t0 = m0 + float(rng.uniform(0, 30))
            s.add(s.t0, slog(ctx, s.t0, "INFO", "starting feed-api", version="3.12.1", go="go1.22.6", addr=":8080"))
            s.add(s.t0 + 1.1, slog(ctx, s.t0 + 1.1, "INFO", "ranking model loaded", model="feed-ranker-v14", mb=212))
            streams.append(s)
            started += 1
        if m0 < log_from:
            continue
        live = [s for s in streams if s.t0 < m0]
        for ts in sorted(m0 + rng.uniform(0, 60, rng.binomial(int(req[i]), 0.0045))):
            s = live[int(rng.integers(len(live)))]
            push = ts >= ONSET and rng.random() < 0.8
            kv = {"path": "/v2/feed", "status": 200,
                  "dur_ms": round(float(rng.lognormal(np.log(max(rt[i], 0.03) * 1000), 0.5)), 1),
                  "ua": ctx.pick(["FeedApp/6.4.1 (iPhone; iOS 17.6)", "FeedApp/6.4.1 (Android 14; Pixel 7)",
                                  "FeedApp/6.3.9 (iPhone; iOS 17.5)"])}
            if push:
                kv.update(src="push", campaign="fall-drop-0918")
            s.add(ts, slog(ctx, ts, "INFO", "feed served", **kv))
        for ts in sorted(m0 + rng.uniform(0, 60, min(int(shed[i]), 60))):
            s = live[int(rng.integers(len(live)))]
            s.add(ts, slog(ctx, ts, "WARN", "shedding load", inflight=512, limit=512, path="/v2/feed", status=503))
        if rng.random() < 0.2:
            ts = m0 + float(rng.uniform(0, 60))
            live[int(rng.integers(len(live)))].add(ts, slog(ctx, ts, "ERROR", "push token rejected",
                                                            provider="apns", reason="BadDeviceToken",
                                                            user=f"u_{ctx.hex(10)}"))

    av = LambdaEnvs(ctx, "avatar-resizer", "python3.12", REGION, 1024, (600, 900))
    for ts in sorted(rng.uniform(-3000, -60, 320)):
        rid = ctx.uuid()
        d = float(rng.lognormal(np.log(400), 0.2))
        av.invoke(float(ts), rid, [(0.05, f"[INFO]\t{ctx.iso(float(ts) + 0.05)}\t{rid}\tresized avatar "
                                          f"{ctx.hex(12)}.jpg to 3 sizes")], d, 188, size=2)

    resources = [
        {"type": "ecs", "id": f"{CLUSTER}/{SERVICE}", "properties": {
            "launch_type": "FARGATE", "desired_count": 12, "task_definition": f"{SERVICE}:77",
            "log_groups": [f"/ecs/{SERVICE}"], "target_group": TG,
            "autoscaling": {"min_capacity": 4, "max_capacity": 12, "target_cpu": 60}}},
        {"type": "alb", "id": LB, "properties": {"name": "mob-edge", "target_groups": [TG]}},
        {"type": "lambda", "id": "avatar-resizer", "properties": {"runtime": "python3.12", "timeout": 30,
                                                                 "memory_size": 1024}},
    ]
    changes = [
        change(-17300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CLUSTER}/{SERVICE}", "gh-actions"),
        change(-1700, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "avatar-resizer",
               "gh-actions"),
        change(-1690, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "avatar-resizer",
               "gh-actions"),
    ]
    prev = 4
    for i in range(ctx.n):
        if tasks_n[i] != prev and (int(tasks_n[i]) - 4) % 3 == 0:
            changes.append(change(float(t[i]) - 25, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
                                  f"{CLUSTER}/{SERVICE}", AS_ROLE))
            prev = tasks_n[i]
    lat = next(m for m in metrics if m["name"] == "TargetResponseTime" and "TargetGroup" not in m["dimensions"])
    cpu_m = next(m for m in metrics if m["name"] == "CPUUtilization")
    alarms = [
        alarm(lat, "mob-edge-latency-high", "Average", 60, 3, 0.4, "GreaterThanThreshold", rng=rng,
              description="Mobile edge average target response time above 400 ms"),
        alarm(cpu_m, "TargetTracking-service/mobile/feed-api-AlarmHigh-7c1e", "Average", 60, 3, 60,
              "GreaterThanThreshold", rng=rng),
    ]
    doc = scenario(
        "h15-11-feed-push-surge", "App feed slow to load this evening; mob-edge-latency-high paged.",
        REGION, resources, metrics, streams + av.streams, alarms, changes,
        {"alarm": "mob-edge-latency-high",
         "root_cause": {"category": "traffic_surge", "resource": [f"{CLUSTER}/{SERVICE}", SERVICE, LB, "mob-edge"]},
         "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": LB}}]})
    meta = {"alarm_on": "origin (the ALB in front of the surging service)",
            "decoys": "avatar-resizer deploy 3 min before onset; auto-scaling UpdateService calls on feed-api right "
                      "after onset (a reaction); auto-scaling CPU alarm in ALARM; constant APNs token errors",
            "story": "At -25 min ALB RequestCount jumps from about 3,000 to 20,000 a minute and stays about "
                     "six times normal; most sampled requests carry src=push, campaign=fall-drop-0918. "
                     "Service auto scaling adds tasks up to its maximum of 12 (UpdateService by the "
                     "application-auto-scaling role after onset), CPU rises to about 80 % but is not pinned, "
                     "latency climbs and the service sheds some load with 503s. There is no deploy or config "
                     "change on feed-api near onset and no dependency error; the avatar-resizer deploy is "
                     "unrelated."}
    return doc, meta
