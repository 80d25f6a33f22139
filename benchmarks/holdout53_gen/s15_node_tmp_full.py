"""h53-15: pdf-render (Node 20 + Puppeteer on ECS Fargate) leaves a Chromium profile directory in /tmp after every
render; the 21 GiB ephemeral storage of each task fills up and renders fail with ENOSPC."""
from __future__ import annotations

from datetime import datetime

from . import logfmt as L
from .core import Scenario, counts, diurnal, dims_ref, value_at
from .kits import apigw_set, ecs_set, minutes

REGION, CLUSTER = "ap-southeast-1", "media"
API_ID = "r7t9y1u3i5"
EPH = 21.0
FULL = [-1800, -1320, -900]
NOW_H = 15.83

META = {
    "file": "h53-15-ecs-node-ephemeral-storage-full.yaml", "region": REGION, "alarm": "docs-render-api-5xx",
    "category": "storage_exhaustion", "resources": [f"{CLUSTER}/pdf-render", "pdf-render"],
    "alarm_on": "front (API Gateway)",
    "decoys": "deploy of the thumbs service in the same cluster 12 min before the first task filled; steady "
              "`font fallback` warnings; high but flat memory of pdf-render (Chromium); steady 4XX from clients",
    "story": (
        "docs-render-api's 5XX climb in three steps over half an hour. pdf-render tasks log `render failed` with "
        "`Error: ENOSPC: no space left on device, mkdtemp '/tmp/puppeteer_dev_chrome_profile-XXXXXX'`, one task "
        "after the other. Container Insights' EphemeralStorageUtilized for the service has grown linearly with the "
        "number of renders since the tasks started (the app's own `worker stats` line counts leftover "
        "puppeteer_dev_chrome_profile directories growing by one per render) and reaches the 21 GiB-per-task "
        "reservation; each task fails once its own /tmp is full while /healthz keeps passing, so ECS never "
        "replaces it. CPU is moderate and memory high but flat, so it is not a memory problem. The thumbs deploy "
        "is a different service with clean logs; the font warnings are constant. Judgement: storage_exhaustion "
        "(ephemeral storage) in media/pdf-render."),
}


def build() -> Scenario:
    scn = Scenario("h53-15-ecs-node-ephemeral-storage-full", "Invoice and statement PDFs failing to generate; API "
                   "Gateway 5XX alarm.", REGION, 5315, datetime(2026, 4, 28, 7, 50))
    rng = scn.rng
    scn.resource("ecs", f"{CLUSTER}/pdf-render", cluster=CLUSTER, service="pdf-render", launch_type="FARGATE", cpu=2048,
                 memory=4096, ephemeral_storage_gib=21, desired_count=3, runtime="node20 (puppeteer 22, chromium)",
                 health_check="/healthz", log_group="/ecs/pdf-render")
    scn.resource("ecs", f"{CLUSTER}/thumbs", cluster=CLUSTER, service="thumbs", launch_type="FARGATE", desired_count=2)
    scn.resource("apigateway", "docs-render-api", api_id=API_ID, stage="v1", integration="VPC_LINK -> nlb/pdf-render")
    mult = lambda t: diurnal(t, NOW_H, peak_hour=15.0, amp=0.3)
    cum, acc = {}, 0.0
    for t in minutes(-21600, 0):
        cum[t] = acc
        acc += mult(t)
    C = lambda t: cum[int(t // 60 * 60)]
    per = 7.6 / (C(-1800) - C(-21600))   # GiB of leftover profiles per unit of traffic, per task
    used = lambda i, t: min(EPH, EPH - per * (C(FULL[i]) - C(t))) if t < FULL[i] else EPH * rng.uniform(0.998, 1.0)
    full_n = lambda t: sum(1 for f in FULL if t >= f)
    ecs_set(scn, CLUSTER, "pdf-render", cpu=lambda t: 44 * mult(t) * (1 - 0.3 * full_n(t)) + rng.gauss(0, 2),
            mem=lambda t: 67.5 + rng.gauss(0, 0.8),
            insights={"EphemeralStorageUtilized": ("Gigabytes", lambda t: sum(used(i, t) for i in range(3))),
                      "EphemeralStorageReserved": ("Gigabytes", lambda t: 3 * EPH),
                      "RunningTaskCount": ("Count", lambda t: 3)})
    dep = -2520
    ecs_set(scn, CLUSTER, "thumbs", cpu=lambda t: 18 + (12 if dep <= t < dep + 200 else 0) + rng.gauss(0, 1.5),
            mem=lambda t: 36 + rng.gauss(0, 0.5),
            insights={"EphemeralStorageUtilized": ("Gigabytes", lambda t: 2 * 1.9 + rng.uniform(0, 0.05)),
                      "EphemeralStorageReserved": ("Gigabytes", lambda t: 2 * EPH),
                      "RunningTaskCount": ("Count", lambda t: 4 if dep + 30 <= t < dep + 220 else 2)})
    cnt = counts(lambda t: 38 * mult(t), rng)
    e5 = [[t, float(round(v * full_n(t) / 3 * rng.uniform(0.85, 1.15)))] for t, v in cnt]
    api = apigw_set(scn, "docs-render-api", count=cnt, e4=lambda t: rng.choice([0, 0, 1, 1, 2]), e5=e5,
                    latency=lambda t: (1750 * (1 - full_n(t) / 3) + 35 * full_n(t) / 3) * rng.uniform(0.92, 1.08),
                    integ=lambda t: (1720 * (1 - full_n(t) / 3) + 20 * full_n(t) / 3) * rng.uniform(0.92, 1.08))
    scn.alarm("docs-render-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "docs-render-api"}, "Sum", 60, 3, 5,
              "GreaterThanThreshold", points=api["5XXError"], description="PDF rendering API 5XX")
    scn.change(dep - 30, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "thumbs:41",
               "ci-media")
    scn.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CLUSTER}/thumbs", "ci-media")
    _logs(scn, cnt, used, per, C)
    scn.set_expect("docs-render-api-5xx", META["category"], META["resources"],
                   [dims_ref("ECS/ContainerInsights", "EphemeralStorageUtilized",
                             {"ClusterName": CLUSTER, "ServiceName": "pdf-render"}),
                    dims_ref("AWS/ApiGateway", "5XXError", {"ApiName": "docs-render-api"})])
    return scn


def _logs(scn, cnt, used, per, C):
    rng = scn.rng
    hosts = ["ip-10-8-1-37.ap-southeast-1.compute.internal", "ip-10-8-2-114.ap-southeast-1.compute.internal",
             "ip-10-8-3-92.ap-southeast-1.compute.internal"]
    tids = [scn.hex(32) for _ in range(3)]
    streams = [[], [], []]
    for m0 in minutes(-9000):
        for k in range(int(value_at(cnt, m0))):
            i = rng.randrange(3)
            if k % 2:
                continue
            t = m0 + rng.uniform(0, 60)
            h = hosts[i]
            rid = f"req-{scn.hex(6)}"
            tpl = rng.choice(["invoice-v7", "invoice-v7", "statement-v3", "receipt-v2"])
            if rng.random() < 0.06:
                streams[i].append((t, L.pino(scn, t, 40, "font fallback: 'Noto Sans JP' not found, using default",
                                             h, reqId=rid)))
            if t >= FULL[i]:
                err = {"type": "Error", "message": "ENOSPC: no space left on device, mkdtemp "
                       "'/tmp/puppeteer_dev_chrome_profile-XXXXXX'",
                       "stack": "Error: ENOSPC: no space left on device, mkdtemp '/tmp/puppeteer_dev_chrome_profile-XXXXXX'",
                       "errno": -28, "code": "ENOSPC", "syscall": "mkdtemp",
                       "path": "/tmp/puppeteer_dev_chrome_profile-XXXXXX"}
                streams[i].append((t + 0.02, L.pino(scn, t + 0.02, 50, "render failed", h, reqId=rid, template=tpl,
                                                    err=err)))
                streams[i].append((t + 0.021, L.pino(scn, t + 0.021, 30, "request completed", h, reqId=rid,
                                                     res={"statusCode": 500}, responseTime=rng.randint(15, 45))))
                continue
            ms = rng.randint(900, 2600)
            streams[i].append((t + ms / 1000, L.pino(scn, t + ms / 1000, 30, f"rendered {tpl.split('-')[0]} pdf", h,
                                                     reqId=rid, template=tpl, pages=rng.randint(1, 9), ms=ms)))
            streams[i].append((t + ms / 1000 + 0.001, L.pino(scn, t + ms / 1000 + 0.001, 30, "request completed", h,
                                                             reqId=rid, res={"statusCode": 200}, responseTime=ms + 4)))
        if scn.at(m0).minute % 10 == 0:
            for i in range(3):
                t = m0 + 3 + i
                u = used(i, t)
                streams[i].append((t, L.pino(scn, t, 30, "worker stats", hosts[i], renders_total=int(u / 0.0042),
                                             browser_pool=4, tmp_profile_dirs=int(u / 0.0042 * 0.98),
                                             rss_mb=rng.randint(2700, 2800))))
    for i in range(3):
        scn.log("/ecs/pdf-render", f"pdf-render/pdf-render/{tids[i]}", streams[i])
