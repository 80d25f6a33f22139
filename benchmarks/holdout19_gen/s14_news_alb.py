"""h19-14: a breaking-news spike sends six times the usual traffic through the news ALB (traffic_surge, ALB origin alarm)."""
from __future__ import annotations

import json
from datetime import datetime

import numpy as np

from .common import LOG_START, Case, counts, diurnal, ramp, wobble
from .logfmt import ecs_stream

SLUG = "h19-14-news-alb-surge"
ONSET = -2400
LB = "app/news-web-alb/0d4f6b8a2c1e3957"
LIVE = "/news/live/storm-ciaran-live-updates"

META = {
    "front": "origin",
    "decoys": "comments-api deployed 3 min before the surge; recurring sitemap-lock warnings; constant 404s",
    "story": (
        "At -40 min a breaking-news live page takes off: `news-web-alb` RequestCount goes from ~1.5k to ~9k per "
        "minute within five minutes, and the web-frontend stats lines show one live-blog path taking most of it. "
        "`news-prod/web-frontend` scales out from 6 to its maximum of 12 tasks; CPU rises to ~75-85 % (not pinned), "
        "memory is flat, and TargetResponseTime climbs above 1 s with some ELB 504s. No deploy or config change "
        "touched the frontend, and there are no dependency errors. The comments-api deploy right before is "
        "another service whose metrics stay flat, the sitemap-lock warnings recur all day and the 404s are "
        "constant. A traffic surge at the front door; the frontend service behind it is accepted too."),
}


def build() -> Case:
    c = Case(SLUG, 1914, "eu-west-2", datetime(2026, 11, 28, 21, 10),
             "News site slow under load; ALB latency alarm paged the platform on-call.")
    rng, ids, t = c.rng, c.ids, c.t
    n = len(t)
    c.resource("alb", LB, name="news-web-alb", scheme="internet-facing")
    c.resource("ecs", "news-prod/web-frontend", launch_type="FARGATE", desired_count=12, min_count=6, max_count=12,
               cpu=1024, memory=2048, task_definition="web-frontend:305", log_groups=["/ecs/web-frontend"])
    c.resource("ecs", "news-prod/comments-api", launch_type="FARGATE", desired_count=3, cpu=512, memory=1024,
               task_definition="comments-api:58", log_groups=["/ecs/comments-api"])

    shape = diurnal(t, 3600, 0.25) * (1 + wobble(rng, n, 0.05))
    surge = ramp(t, ONSET, 300) * (1 - 0.1 * ramp(t, ONSET + 1200, 1200))
    mult = 1 + 5.2 * surge * (1 + wobble(rng, n, 0.06))
    req = counts(rng, 1480 * shape * mult)
    tasks_n = np.clip(6 + np.floor(np.clip((t - ONSET - 60) / 45, 0, None)), 6, 12)
    per_task = req / tasks_n
    base_task = 1480 * shape / 6
    cpu = np.clip(6 + per_task / base_task * 23 + wobble(rng, n, 1.5), 1, 93)
    over = surge
    rt = 0.11 * (1 + wobble(rng, n, 0.08)) + over * (1.4 + wobble(rng, n, 0.2))
    e504 = rng.binomial(req.astype(int), 0.012 * over).astype(float)
    t5 = counts(rng, 0.05 + 0.002 * req * over)

    c.metric("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": LB}, "Count", req)
    trt = c.metric("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB}, "Seconds", rt)
    c.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": LB}, "Count", e504 + counts(rng, np.full(n, 0.04)))
    c.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": LB}, "Count", t5)
    c.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", {"LoadBalancer": LB}, "Count", counts(rng, np.full(n, 14.0)))
    c.metric("AWS/ApplicationELB", "NewConnectionCount", {"LoadBalancer": LB}, "Count", counts(rng, req * 0.31))
    c.metric("AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": LB}, "Count", tasks_n + 3)
    c.metric("AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": LB}, "Count", np.zeros(n))
    dw = {"ClusterName": "news-prod", "ServiceName": "web-frontend"}
    c.metric("AWS/ECS", "CPUUtilization", dw, "Percent", cpu)
    c.metric("AWS/ECS", "MemoryUtilization", dw, "Percent", 44 + wobble(rng, n, 1) + 3 * surge)
    c.metric("ECS/ContainerInsights", "RunningTaskCount", dw, "Count", tasks_n)
    dc = {"ClusterName": "news-prod", "ServiceName": "comments-api"}
    dep = -2580
    c.metric("AWS/ECS", "CPUUtilization", dc, "Percent", np.clip(12 + wobble(rng, n, 1.5) + 2 * surge, 1, 100))
    c.metric("AWS/ECS", "MemoryUtilization", dc, "Percent", 39 + wobble(rng, n, 1) - 6 * np.exp(-np.clip(t - dep, 0, None) / 900) * (t > dep))
    c.metric("ECS/ContainerInsights", "RunningTaskCount", dc, "Count", 3 + 3 * ((t >= dep + 60) & (t < dep + 180)))

    # ---------------------------------------------------------------- logs
    wf: dict = {}
    ids_by_slot = [ids.hex(32) for _ in range(12)]
    for j, k in enumerate(ids_by_slot):
        wf[k] = c.stream("/ecs/web-frontend", ecs_stream("web-frontend", k))
    paths = ["/", "/news/uk", "/sport/football", "/news/politics", "/weather", "/news/world"]
    for i, t0 in enumerate(t):
        if t0 < LOG_START:
            continue
        live = int(tasks_n[i])
        for j in range(live):
            k = ids_by_slot[j]
            ts = t0 + 20 + j * 0.7 + rng.uniform(0, 0.5)
            share = 0.04 + 0.7 * surge[i]
            top = LIVE if surge[i] > 0.1 else ids.pick(paths)
            rec = {"level": 30, "time": int(c.epoch(ts) * 1000), "pid": 1, "hostname": f"ip-10-70-{j % 3 + 1}-{40 + j}",
                   "msg": "render stats", "rps": round(per_task[i] / 60 * rng.uniform(0.92, 1.08), 1),
                   "p95ms": int(90 + 2600 * over[i] * rng.uniform(0.8, 1.1)), "cacheHit": round(0.62 + 0.2 * surge[i], 2),
                   "topPath": top, "topShare": round(share if surge[i] > 0.1 else rng.uniform(0.08, 0.2), 2)}
            wf[k].add(ts, json.dumps(rec))
            if over[i] > 0.3 and rng.random() < 0.35:
                ts2 = t0 + rng.uniform(0, 60)
                wf[k].add(ts2, json.dumps({"level": 40, "time": int(c.epoch(ts2) * 1000), "pid": 1,
                                           "hostname": rec["hostname"], "msg": "event loop lag high",
                                           "lagMs": int(180 + 500 * over[i] * rng.uniform(0.5, 1.2))}))
        if rng.random() < 0.1:
            j = int(rng.integers(0, live))
            ts = t0 + rng.uniform(0, 60)
            wf[ids_by_slot[j]].add(ts, json.dumps({"level": 40, "time": int(c.epoch(ts) * 1000), "pid": 1,
                                                   "hostname": f"ip-10-70-{j % 3 + 1}-{40 + j}",
                                                   "msg": "sitemap regeneration skipped: lock held by another task"}))
        if tasks_n[i] > tasks_n[i - 1]:
            for j in range(int(tasks_n[i - 1]), int(tasks_n[i])):
                ts = t0 + 5
                wf[ids_by_slot[j]].add(ts, json.dumps({"level": 30, "time": int(c.epoch(ts) * 1000), "pid": 1,
                                                       "hostname": f"ip-10-70-{j % 3 + 1}-{40 + j}",
                                                       "msg": "web-frontend 9.14.2 listening on :3000"}))
    ca = [c.stream("/ecs/comments-api", ecs_stream("comments-api", ids.hex(32))) for _ in range(6)]
    for ts in np.sort(rng.uniform(LOG_START, 0, 1600)):
        s = ca[int(rng.integers(0, 3))] if ts < dep + 150 else ca[3 + int(rng.integers(0, 3))]
        s.add(ts, json.dumps({"level": "info", "ts": c.iso(ts), "msg": "comment posted", "article": f"a-{ids.digits(6)}",
                              "moderation": ids.pick(["auto-approved", "auto-approved", "queued"])}))

    c.alarm("news-web-alb-latency", trt, "Average", 60, 5, 1.0, "GreaterThanThreshold", ONSET,
            description="news-web-alb target response time")
    c.change(dep - 15, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "comments-api:58",
             "github-actions")
    c.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "news-prod/comments-api", "github-actions")
    c.expect = {"alarm": "news-web-alb-latency",
                "root_cause": {"category": "traffic_surge",
                               "resource": [LB, "news-web-alb", "news-prod/web-frontend", "web-frontend"]},
                "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": LB}}]}
    return c
