"""h15-04: Go storefront BFF on ECS (zap JSON) keeps its sessions in Redis on an EC2
instance that is linked to it only by an IP address in an environment variable. The
instance's host fails its system status check; the BFF's latency alarm fires."""
from __future__ import annotations

from datetime import datetime

import numpy as np

from . import aws
from .common import Ctx, Stream, alarm, change, ramp, scenario
from .logfmt import zap

REGION = "us-east-1"
CLUSTER, SERVICE = "shop", "storefront-bff"
LB = "app/shop-edge/9a1c3e5f7b2d4068"
TG = "targetgroup/sf-bff-http/4c8e2a6f0b1d3957"
KV, KV_NAME, KV_IP = "i-0c4e8a21f9b7d3605", "kv-sess-1a", "10.0.14.37"
RL, RL_NAME, RL_IP = "i-05b7f3e9a1c2d4086", "kv-rate-1b", "10.0.22.19"
ONSET = -2400.0
PATHS = [("GET", "/api/catalog/{p}", False, 0.36), ("GET", "/api/cart", True, 0.18),
         ("POST", "/api/cart/items", True, 0.12), ("GET", "/api/account", True, 0.1),
         ("GET", "/api/search", False, 0.16), ("POST", "/api/checkout", True, 0.08)]


def build(seed: int):
    ctx = Ctx(seed, datetime(2026, 4, 2, 20, 10), utc_offset_h=-4)
    rng, t = ctx.rng, ctx.t
    shape = ctx.daily(15.0, 0.35)
    down = ramp(t, ONSET, 60)
    req = ctx.poisson(340 * shape * (1 + ctx.ar(0.05)))
    sess_share = sum(p[3] for p in PATHS if p[2])
    t5 = ctx.poisson(req * sess_share * 0.55 * down) + (rng.random(ctx.n) < 0.04)
    rt = 0.075 * (1 + ctx.ar(0.08)) + down * (sess_share * (0.55 * 4.0 + 0.45 * 0.35) + ctx.ar(0.04))
    dead = t >= ONSET + 30

    metrics = aws.alb_lb(ctx, LB, req, t5xx=t5, rt=rt)
    metrics += aws.alb_tg(ctx, LB, TG, req, t5xx=t5, healthy=np.full(ctx.n, 8), unhealthy=np.zeros(ctx.n), rt=rt)
    metrics += aws.ecs(ctx, CLUSTER, SERVICE, 34 * shape + ctx.ar(2.5) - 9 * down, 41 + ctx.ar(1) + 5 * down,
                       np.full(ctx.n, 8))
    metrics += aws.ecs(ctx, CLUSTER, "search-indexer", 12 + ctx.ar(2) + 25 * ((t > -2640) & (t < -2300)),
                       48 + ctx.ar(1.5), 2 + ((t > -2700) & (t < -2600)))
    metrics += aws.ec2(ctx, KV, cpu=9 * shape + ctx.ar(1), net_in=3.1e7 * shape * (1 + ctx.ar(0.05)),
                       net_out=5.4e7 * shape * (1 + ctx.ar(0.05)), status=dead.astype(float),
                       sys_status=dead.astype(float), absent=dead)
    metrics.append(aws.cwagent_mem(ctx, KV, 61 + 0.0002 * (t + 21600) + ctx.ar(0.3), gaps=0.0))
    metrics[-1]["points"] = [p for p in metrics[-1]["points"] if p[0] < ONSET]
    metrics += aws.ec2(ctx, RL, cpu=6 * shape + ctx.ar(0.8), net_in=1.2e7 * shape * (1 + ctx.ar(0.05)),
                       net_out=1.9e7 * shape * (1 + ctx.ar(0.05)), sys_status=np.zeros(ctx.n))
    metrics.append(aws.cwagent_mem(ctx, RL, 22 + ctx.ar(0.3)))

    tasks = [Stream(f"/ecs/{SERVICE}", f"{SERVICE}/{SERVICE}/{ctx.hex(32)}") for _ in range(8)]
    log_from = -7200.0
    for i in range(ctx.n):
        m0 = t[i]
        if m0 < log_from:
            continue
        for ts in sorted(m0 + rng.uniform(0, 60, rng.binomial(int(req[i]), 0.02))):
            meth, path, needs, _ = PATHS[int(rng.choice(len(PATHS), p=[p[3] for p in PATHS]))]
            if needs and ts >= ONSET + 20:
                continue                          # those are the failing ones, logged below
            s = tasks[int(rng.integers(8))]
            s.add(ts, zap(ctx, ts, "info", "httpx/middleware.go:64", "request",
                          method=meth, path=path.format(p=f"sku-{int(rng.integers(10000, 99999))}"),
                          status=200, duration=round(float(rng.lognormal(np.log(0.03), 0.5)), 4),
                          trace_id=ctx.hex(32)))
        for ts in sorted(m0 + rng.uniform(0, 60, int(t5[i]))):
            s = tasks[int(rng.integers(8))]
            if ts < ONSET + 20:
                s.add(ts, zap(ctx, ts, "error", "httpx/respond.go:40", "request failed", status=502,
                              path="/api/search", error="catalog: upstream returned 502 Bad Gateway",
                              trace_id=ctx.hex(32)))
                continue
            sid = ctx.hex(24)
            err = (f"dial tcp {KV_IP}:6379: i/o timeout" if rng.random() < 0.8
                   else f"dial tcp {KV_IP}:6379: connect: no route to host")
            meth, path = ctx.pick([("GET", "/api/cart"), ("POST", "/api/cart/items"), ("GET", "/api/account"),
                                   ("POST", "/api/checkout")])
            if rng.random() < 0.2:   # zap sampling keeps a fraction of repeated messages
                s.add(ts + 4.0, zap(ctx, ts + 4.0, "warn", "session/store.go:142", "session lookup failed",
                                    sid=sid, error=err, attempts=2, elapsed=round(4.0 + float(rng.uniform(0, 0.01)), 4)))
            s.add(ts + 4.001, zap(ctx, ts + 4.001, "error", "httpx/respond.go:40", "request failed", status=503,
                                  method=meth, path=path, error=f"session store unavailable: {err}",
                                  trace_id=ctx.hex(32)))
        if rng.random() < 0.25:
            ts = m0 + float(rng.uniform(0, 60))
            tasks[int(rng.integers(8))].add(ts, zap(ctx, ts, "warn", "httpx/middleware.go:81", "client went away",
                                                    error="context canceled", path="/api/search"))
        if rng.random() < 0.08:
            ts = m0 + float(rng.uniform(0, 60))
            tasks[int(rng.integers(8))].add(ts, zap(ctx, ts, "info", "ratelimit/redis.go:58", "rate limit window rolled",
                                                    addr=f"{RL_IP}:6379", keys=int(rng.integers(1800, 4000))))

    redis = Stream("/ec2/redis/redis-server", KV)
    for ts in np.arange(-10800, ONSET, 60.0) + rng.uniform(0, 2):
        if rng.random() < 0.5:
            ts2 = float(ts)
            stamp = ctx.at(ts2).strftime("%d %b %Y %H:%M:%S.") + f"{ctx.at(ts2).microsecond // 1000:03d}"
            redis.add(ts2, f"1186:M {stamp} * 10000 changes in 60 seconds. Saving...")
            redis.add(ts2 + 0.01, f"1186:M {stamp} * Background saving started by pid {int(rng.integers(20000, 60000))}")
            stamp2 = ctx.at(ts2 + 1.4).strftime("%d %b %Y %H:%M:%S.") + "412"
            redis.add(ts2 + 1.4, f"1186:M {stamp2} * Background saving terminated with success")
    idx = Stream("/ecs/search-indexer", f"search-indexer/search-indexer/{ctx.hex(32)}")
    for ts in np.arange(-2660, -60, 45.0):
        idx.add(float(ts), zap(ctx, float(ts), "info", "indexer/run.go:77", "batch indexed",
                               docs=int(rng.integers(200, 2000)), version="1.44.0"))

    resources = [
        {"type": "ecs", "id": f"{CLUSTER}/{SERVICE}", "properties": {
            "launch_type": "FARGATE", "desired_count": 8, "task_definition": f"{SERVICE}:212",
            "log_groups": [f"/ecs/{SERVICE}"], "target_group": TG, "container_port": 8080,
            "environment": {"SESSION_REDIS_ADDR": f"{KV_IP}:6379", "RATELIMIT_REDIS_ADDR": f"{RL_IP}:6379",
                            "CATALOG_URL": "http://catalog.shop.internal", "REDIS_DIAL_TIMEOUT": "2s"}}},
        {"type": "ecs", "id": f"{CLUSTER}/search-indexer", "properties": {
            "launch_type": "FARGATE", "desired_count": 2, "task_definition": "search-indexer:88"}},
        {"type": "alb", "id": LB, "properties": {"name": "shop-edge", "scheme": "internet-facing",
                                                 "target_groups": [TG]}},
        {"type": "ec2", "id": KV, "properties": {"name": KV_NAME, "instance_type": "r6g.large",
                                                 "private_ip": KV_IP, "availability_zone": "us-east-1a",
                                                 "monitoring": "basic",
                                                 "log_groups": ["/ec2/redis/redis-server"]}},
        {"type": "ec2", "id": RL, "properties": {"name": RL_NAME, "instance_type": "r6g.medium",
                                                 "private_ip": RL_IP, "availability_zone": "us-east-1b",
                                                 "monitoring": "basic"}},
    ]
    changes = [
        change(-2705, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CLUSTER}/search-indexer",
               "argo-deployer"),
        change(-16000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CLUSTER}/{SERVICE}",
               "argo-deployer"),
    ]
    lat = next(m for m in metrics if m["name"] == "TargetResponseTime" and "TargetGroup" not in m["dimensions"])
    st = next(m for m in metrics if m["name"] == "StatusCheckFailed_System" and m["dimensions"]["InstanceId"] == KV)
    cpu = next(m for m in metrics if m["name"] == "CPUUtilization" and m["dimensions"].get("ServiceName") == "search-indexer")
    alarms = [
        alarm(lat, "shop-edge-p99-latency", "p99", 60, 5, 1.0, "GreaterThanThreshold", rng=rng,
              description="Storefront p99 latency above 1 s"),
        alarm(st, f"awsec2-{KV}-High-Status-Check-Failed-System-", "Maximum", 60, 2, 0.99,
              "GreaterThanOrEqualToThreshold", rng=rng),
        alarm(cpu, "search-indexer-cpu", "Average", 300, 2, 85, "GreaterThanThreshold", rng=rng),
    ]
    doc = scenario(
        "h15-04-session-redis-host", "Storefront very slow, carts failing to load; shop-edge-p99-latency paged.",
        REGION, resources, metrics, tasks + [redis, idx], alarms, changes,
        {"alarm": "shop-edge-p99-latency",
         "root_cause": {"category": "dependency_failure", "resource": [KV, KV_NAME]},
         "anomalies": [{"namespace": "AWS/EC2", "name": "StatusCheckFailed_System", "dimensions": {"InstanceId": KV}}]})
    meta = {"alarm_on": "front (ALB p99)",
            "decoys": "search-indexer deploy 5 min before with a CPU bump; second Redis host kv-rate-1b "
                      "healthy; constant context-canceled warnings and catalog 502s; storefront deploy 4.4 h ago",
            "story": "At -40 min the EC2 instance kv-sess-1a (10.0.14.37, linked to storefront-bff only by "
                     "SESSION_REDIS_ADDR) fails its system status check: its 5-minute CPU and network "
                     "metrics stop, StatusCheckFailed_System goes to 1 and its Redis log stops. Every BFF "
                     "request that needs a session and misses the in-process cache waits two 2 s dial attempts and fails with `dial tcp "
                     "10.0.14.37:6379: i/o timeout` / `no route to host`, so p99 latency and 5xx rise while "
                     "catalog and search requests stay fast. The host is down, not exhausted. The search-"
                     "indexer deploy and the healthy rate-limit Redis are unrelated."}
    return doc, meta
