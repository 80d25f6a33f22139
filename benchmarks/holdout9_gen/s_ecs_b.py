"""ECS scenarios, part 2: heap exhaustion and a traffic surge (no change at all)."""
from __future__ import annotations

from datetime import datetime

import numpy as np

from .common import LOG_START, N, T, Ctx, alb_metrics, ecs_metrics
from .logfmt import gunicorn, pino, times_in
from .s_ecs import SCENARIOS_A, _emit, _tasks


def h08_transcoder_heap():
    ctx = Ctx(908, "h9-08-transcoder-heap-oom", "eu-north-1", datetime(2026, 1, 27, 9, 20))
    onset = -3000
    lb = "app/media-alb/c0ffee1234abcd56"
    ctx.resource("alb", lb, name="media-alb")
    ctx.resource("ecs", "media/transcoder-api", cluster="media", task_definition="transcoder-api:33", desired_count=3,
                 cpu=1024, memory=2048)
    ctx.resource("ecs", "media/thumbnail-worker", cluster="media", task_definition="thumbnail-worker:12", desired_count=2,
                 cpu=512, memory=1024)
    # three tasks; after onset each leaks to its heap limit in 6-10 minutes and is replaced
    host = "ip-10-70-{}.eu-north-1.compute.internal"
    mem_tasks = np.zeros((3, N)) + 44
    crashes: list[tuple[float, int]] = []
    for k in range(3):
        t = onset + 60 * k * 3 + ctx.rng.uniform(0, 60)
        while t < 0:
            life = ctx.rng.uniform(360, 600)
            i0, i1 = int((t + 21600) // 60), int(min(0, t + life) + 21600) // 60
            ramp = np.linspace(46, 99.5, max(1, i1 - i0))
            mem_tasks[k, i0:i1] = ramp[: len(mem_tasks[k, i0:i1])]
            t += life
            if t < 0:
                crashes.append((t, k))
    crashes.sort()
    mem = mem_tasks.mean(axis=0) + ctx.rng.normal(0, 1.0, N)
    crash_min = np.zeros(N)
    for t, _ in crashes:
        crash_min[int((t + 21600) // 60)] += 1
    req = ctx.noise(ctx.drift(300, 0.15), 12)
    e5 = crash_min * ctx.rng.uniform(8, 16, N) + ctx.poisson(np.full(N, 0.05))
    running = 3 - np.minimum(crash_min, 1)
    alb_metrics(ctx, lb, req, ctx.noise(0.61, 0.06) + (T >= onset) * 0.25, ctx.poisson(np.full(N, 0.2)), np.round(e5),
                running, 3 - running)
    ecs_metrics(ctx, "media", "transcoder-api", ctx.noise(48, 4) + 14 * (T >= onset), mem, running)
    ecs_metrics(ctx, "media", "thumbnail-worker", ctx.noise(31, 3), ctx.noise(62, 1.5), 2 + 2 * ((T >= -3900) & (T < -3720)))

    # three task slots; a crash replaces only the crashed slot's task (new awslogs stream)
    slots = [[(-1e9, ctx.hexid(32))] for _ in range(3)]
    for t, k in crashes:
        slots[k].append((t + 8.0, ctx.hexid(32)))

    def task_at(k, t):
        return [x for x in slots[k] if x[0] <= t][-1][1]

    streams: dict[str, list] = {}

    def put(k, t, text):
        streams.setdefault(f"ecs/transcoder-api/{task_at(k, t)}", []).append((t, text))

    for t in times_in(ctx, np.full(N, 11.0), LOG_START):
        k = int(ctx.rng.integers(0, 3))
        put(k, t, pino(ctx, t, 30, "request completed", host.format(f"4-{11 + k}"), req={"method": "POST", "url": "/v1/jobs"},
                       res={"statusCode": 202}, responseTime=int(ctx.rng.integers(300, 1200))))
    for t in times_in(ctx, np.where(T >= onset, 1.2, 0.0), LOG_START):
        k = int(ctx.rng.integers(0, 3))
        put(k, t, pino(ctx, t, 40, "parsing manifest with many subtitle tracks", host.format(f"4-{11 + k}"),
                       tracks=int(ctx.rng.integers(40, 180)), durationSec=int(ctx.rng.integers(5400, 14000))))
    for t, k in crashes:
        if t < LOG_START:
            continue
        heap = ctx.rng.uniform(1990, 2010)
        put(k, t - 2.5, "<--- Last few GCs --->\n\n"
                        f"[1:0x5d4a7c0]  {int(ctx.rng.integers(300000, 600000))} ms: Mark-Compact {heap:.1f} ({heap + 88:.1f}) -> "
                        f"{heap - 1.4:.1f} ({heap + 88.3:.1f}) MB, {ctx.rng.uniform(1800, 2600):.1f} / 0.0 ms  (average mu = 0.121, "
                        "current mu = 0.018) allocation failure; scavenge might not succeed\n\n\n<--- JS stacktrace --->\n\n"
                        "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n"
                        " 1: 0xb9c310 node::Abort() [node]\n 2: 0xaa27ee  [node]\n"
                        " 3: 0xd73b40 v8::Utils::ReportOOMFailure(v8::internal::Isolate*, char const*, bool) [node]")
        put(k, t + 9.0, pino(ctx, t + 9.0, 30, "transcoder-api listening on :8080", host.format(f"4-{11 + k}"),
                             version="4.12.0", node="v20.11.1"))
    for name, ev in streams.items():
        ctx.log("/ecs/transcoder-api", name, ev)

    wl = [(t, pino(ctx, t, 30, "thumbnail generated", "ip-10-70-6-21.eu-north-1.compute.internal", asset=ctx.hexid(10)))
          for t in times_in(ctx, np.full(N, 5.0), LOG_START)]
    _emit(ctx, "/ecs/thumbnail-worker", "thumbnail-worker", [(-1e9, _tasks(ctx, 2)), (-3720, _tasks(ctx, 2))], wl)
    ctx.change(-3930, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "thumbnail-worker:12", "media-deployer")
    ctx.change(-3900, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "media/thumbnail-worker", "media-deployer")
    ctx.alarm("media-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 300, 2, 8,
              description="502/503 generated by media-alb")
    acc = ["media/transcoder-api", "transcoder-api"]
    data = ctx.build("Video upload jobs intermittently failing with 502; media-alb ELB 5XX alarm.",
                     {"alarm": "media-alb-elb-5xx", "root_cause": {"category": "memory_exhaustion", "resource": acc},
                      "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                     "dimensions": {"ClusterName": "media", "ServiceName": "transcoder-api"}}]})
    meta = dict(alarm="media-alb-elb-5xx", category="memory_exhaustion", resources=acc,
                decoys="thumbnail-worker deploy (RegisterTaskDefinition + UpdateService) 15 min before onset, healthy",
                story="A customer began submitting long videos with over a hundred subtitle tracks; parsing their manifests "
                      "leaks heap in transcoder-api. From 50 min ago every task climbs to its 2 GB heap limit in 6-10 "
                      "minutes, dies with 'JavaScript heap out of memory' and is replaced; in-flight requests get 502 from "
                      "the ALB. No change on the service.")
    return data, meta


def h14_flash_sale():
    ctx = Ctx(914, "h9-14-storefront-flash-sale", "ap-southeast-1", datetime(2026, 11, 11, 12, 25))
    onset = -2400
    lb = "app/storefront-alb/5e6f7a8b9c0d1e2f"
    ctx.resource("alb", lb, name="storefront-alb")
    ctx.resource("ecs", "shop/storefront-web", cluster="shop", task_definition="storefront-web:211", desired_count=6,
                 cpu=1024, memory=2048)
    surge = ctx.ramp(onset, onset + 180)
    req = ctx.noise(ctx.drift(1500, 0.1), 60) * (1 + 4.2 * surge) + ctx.rng.normal(0, 90, N) * surge
    tasks = np.where(T >= -1860, 10, np.where(T >= -2160, 8, 6)).astype(float)
    load = req / tasks
    cpu = np.clip(ctx.noise(35 + 45 * (1 - np.exp(-np.clip(load - 250, 0, None) / 500)), 2.5), 5, 100)
    over = np.clip((load - 400) / 600, 0, None)
    rt = ctx.noise(0.12, 0.01) + over * ctx.rng.uniform(0.9, 1.3, N)
    e5 = ctx.poisson(over * 45)
    t5 = ctx.poisson(over * 6 + 0.1)
    alb_metrics(ctx, lb, req, rt, t5, e5, tasks)
    ecs_metrics(ctx, "shop", "storefront-web", cpu, ctx.noise(46 + 9 * surge, 1.2), tasks)
    lines = []
    for t in times_in(ctx, req / 100, LOG_START):
        i = int((t + 21600) // 60)
        path = str(ctx.rng.choice(["/", "/sale/1111", "/p/sku-" + str(int(ctx.rng.integers(1000, 9999))), "/cart", "/api/stock"]))
        lines.append((t, gunicorn(ctx, t, int(ctx.rng.integers(8, 40)), "INFO",
                                  f"\"GET {path} HTTP/1.1\" 200 {int(ctx.rng.integers(900, 40000))} {rt[i] * ctx.rng.uniform(0.6, 1.4):.3f}s")))
    for t in times_in(ctx, over * 4, LOG_START):
        lines.append((t, gunicorn(ctx, t, 1, "CRITICAL", f"WORKER TIMEOUT (pid:{int(ctx.rng.integers(8, 40))})")))
    for t in times_in(ctx, np.full(N, 0.3), LOG_START):
        lines.append((t, gunicorn(ctx, t, int(ctx.rng.integers(8, 40)), "ERROR",
                                  "payments.webhooks: Stripe signature verification failed for event evt_" + ctx.hexid(14))))
    gens = [(-1e9, _tasks(ctx, 6)), (-2160, _tasks(ctx, 8)), (-1860, _tasks(ctx, 10))]
    _emit(ctx, "/ecs/storefront-web", "web", gens, sorted(lines))
    for t in (-2160, -1860):
        ctx.change(t, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop/storefront-web",
                   "AWSServiceRoleForApplicationAutoScaling_ECSService")
    ctx.alarm("storefront-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 5, 0.5,
              description="Storefront target response time")
    acc = [lb, "storefront-alb", "shop/storefront-web", "storefront-web"]
    data = ctx.build("Storefront slow and some shoppers getting 503/504; storefront ALB latency alarm.",
                     {"alarm": "storefront-alb-latency", "root_cause": {"category": "traffic_surge", "resource": acc},
                      "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": lb}}]})
    meta = dict(alarm="storefront-alb-latency", category="traffic_surge", resources=acc,
                decoys="auto-scaling UpdateService events after onset (effect, not cause); steady Stripe webhook ERRORs; "
                       "CPU rises but never pins",
                story="A 11.11 flash-sale push notification went out 40 min ago: requests jump ~5x within three minutes. "
                      "The six tasks queue requests (gunicorn WORKER TIMEOUTs, ELB 503/504s); application auto scaling adds "
                      "tasks twice (6 -> 8 -> 10), which helps but does not bring latency back. No deploy or configuration change.")
    return data, meta


SCENARIOS = [*SCENARIOS_A, h08_transcoder_heap, h14_flash_sale]
