"""h94-07 (one thumbnail target pinned on CPU behind the ALB) and h94-08 (chat gateway tasks OOM)."""
from __future__ import annotations

import math

from benchmarks.holdout57_gen.runtimes import gunicorn, nginx, pino
from .kit import (HISTORY, LOG_START, M, after, alb_set, ec2_set, ecs_set, emit, every, evening, expect,
                  new)


def build_07():
    sc = new(7, "thumbnail-latency", "Photo thumbnails loading slowly in the discovery deck; media-edge "
             "latency alarm.", "ap-southeast-1", shift_min=-8)
    rng = sc.rng
    lb = "app/media-edge/7a21c0f4d9e35b18"
    ia, ib = "i-0c4d1e8f2a7b39e51", "i-07e2b9c1d4f8a3605"
    sc.resource("alb", lb, name="media-edge", target_group="thumbs-tg")
    for iid, nm in ((ia, "thumbs-a"), (ib, "thumbs-b")):
        sc.resource("ec2", iid, name=nm, instance_type="c6i.xlarge",
                    log_groups=["/thumbs/nginx/access", "/thumbs/app"])
    onset = -2590
    ev = lambda t: evening(sc, t)  # noqa: E731
    hot = lambda t: after(t, onset, 150)  # noqa: E731
    req = lambda t: 3200 * ev(t)  # noqa: E731
    spike = lambda t: after(t, -9050, 60) - after(t, -8450, 60)  # noqa: E731
    ec2_set(sc, ia, lambda t: 31 * ev(t) + 52 * spike(t), lambda t: 95 * ev(t), mem=52.0, disk=44.0)
    ec2_set(sc, ib, lambda t: 31 * ev(t) + (99.3 - 31 * ev(t)) * hot(t), lambda t: 95 * ev(t) * (1 - 0.25 * hot(t)),
            mem=lambda t: 53 + 6 * hot(t), disk=43.0)
    alb_set(sc, lb, req, lambda t: 0.09 * ev(t) + 2.6 * hot(t), lambda t: 0.8 + 0.035 * req(t) * hot(t),
            e5xx=lambda t: 0.05 + 0.004 * req(t) * hot(t), healthy=2)
    sc.alarm("media-edge-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average",
             60, 3, 1.0, "GreaterThanThreshold", "media-edge average target response time")
    sc.alarm("thumbs-a-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": ia}, "Average", 300, 1, 80,
             "GreaterThanThreshold")
    acc, app = "/thumbs/nginx/access", "/thumbs/app"
    ua = ["Pairly/8.14.0 (iPhone; iOS 17.4; Scale/3.00)", "Pairly/8.13.2 (Android 14; SM-S918B)",
          "okhttp/4.12.0"]

    def access(inst_hot):
        def make(t):
            h = hot(t) if inst_hot else 0.0
            path = f"/t/{sc.hexid(16)}/{rng.choice(['160', '320', '640'])}.webp"
            r = rng.random()
            if h and r < 0.09 * h:
                return nginx(sc, t, sc.ip("10.60"), "GET", path, 504, 167, 10.0 + rng.uniform(0, 0.01),
                             rng.choice(ua))
            if r > 0.985:
                return nginx(sc, t, sc.ip("10.60"), "GET", path, rng.choice([404, 499]), 0,
                             rng.uniform(0.01, 0.4), rng.choice(ua))
            rt = rng.uniform(0.03, 0.16) * (1 + 40 * h * rng.random())
            return nginx(sc, t, sc.ip("10.60"), "GET", path, 200, rng.randint(4000, 42000), rt, rng.choice(ua))
        return make

    for iid, is_hot in ((ia, False), (ib, True)):
        emit(sc, acc, iid, LOG_START, 0, lambda t: 3.5 * ev(t), access(is_hot))
        emit(sc, app, iid, LOG_START, 0, 0.5, lambda t: gunicorn(
            sc, t, rng.randint(2100, 2140), "ERROR", f"thumbnail failed for {sc.hexid(16)}: "
            "PIL.UnidentifiedImageError: cannot identify image file <_io.BytesIO object>"))
        every(sc, app, iid, LOG_START, 600, lambda t: gunicorn(
            sc, t, 1, "INFO", f"pool stats: workers=9 busy={rng.randint(1, 4)} backlog=0"), t1=onset if is_hot else 0)
    every(sc, app, ib, onset + 60, 120, lambda t: gunicorn(
        sc, t, 1, "INFO", f"pool stats: workers=9 busy=9 backlog={rng.randint(40, 160)}"))
    emit(sc, app, ib, onset + 90, 0, lambda t: 1.4 * hot(t), lambda t: gunicorn(
        sc, t, 1, "CRITICAL", f"WORKER TIMEOUT (pid:{rng.randint(2100, 2400)})"))
    emit(sc, app, ib, onset + 95, 0, lambda t: 1.2 * hot(t), lambda t: gunicorn(
        sc, t, rng.randint(2100, 2400), "INFO", "Booting worker with pid: %d" % rng.randint(2400, 2800)))
    emit(sc, app, ia, -9050, -8450, 2.0, lambda t: gunicorn(
        sc, t, 1, "INFO", f"nightly cache compaction: {rng.randint(200, 900)} MB reclaimed"))
    sc.change(-2660, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
              "AWS::ElasticLoadBalancingV2::TargetGroup", "thumbs-tg", "aditya.rao")
    sc.change(-14500, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", ib, "aditya.rao")
    expect(sc, "media-edge-latency", "cpu_saturation", [ib, "thumbs-b"],
           [("AWS/EC2", "CPUUtilization", {"InstanceId": ib}),
            ("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb})])
    sc.meta.update(front="front (ALB → EC2 target)", decoys=[
        "target-group attribute change 70 s before onset",
        "thumbs-a CPU spike to ~85 % at -2.5 h (with its own alarm)",
        "PIL UnidentifiedImageError lines on both hosts all afternoon"],
        judgement=("The target-group change (deregistration delay) affects both targets; only thumbs-b "
                   "degrades, and it does so because its CPU is pinned, so cpu_saturation on the instance."),
        story=("From -43 min thumbs-b (one of two media-edge targets) sits at ~99 % CPU while thumbs-a stays "
               "at ~35 %; thumbs-b's nginx access log shows response times of seconds and 504s, gunicorn "
               "reports `busy=9 backlog=…` and `WORKER TIMEOUT`, and the ALB's average target response time "
               "crosses 1 s. The target-group attribute change a minute earlier applies to both hosts, "
               "thumbs-a's earlier CPU spike was a compaction job, and the PIL errors are old."))
    return sc


def build_08():
    sc = new(8, "chat-reconnect-502s", "Chat connections dropping and reconnect storms; rt-edge 5XX alarm.",
             "us-west-1", shift_min=4)
    rng = sc.rng
    cluster, svc, lb = "rt-usw1", "gateway-ws", "app/rt-edge/3e8f0b6c2d1a7945"
    sid = f"{cluster}/{svc}"
    sc.resource("ecs", sid, launch_type="FARGATE", desired_count=4, cpu=1024, memory=2048,
                task_definition="gateway-ws:57", node_options="--max-old-space-size=1792")
    sc.resource("ecs", f"{cluster}/presence-sync", launch_type="FARGATE", desired_count=2)
    sc.resource("alb", lb, name="rt-edge", scheme="internet-facing")
    first = -2470
    ev = lambda t: evening(sc, t)  # noqa: E731

    def mem(t):
        if t < first:
            return 50 + 44 * max(0.0, (t + 18600) / (first + 18600))
        return 88 + 7 * math.sin((t - first) / 190.0)

    storm = lambda t: after(t, first, 60)  # noqa: E731
    down = lambda t: 1.0 if t >= first and (t // 60) % 5 in (0, 1, 3) else 0.0  # noqa: E731
    ecs_set(sc, cluster, svc, lambda t: 28 * ev(t) + 22 * storm(t), mem)
    ecs_set(sc, cluster, "presence-sync", lambda t: 18 * ev(t), lambda t: 33.0)
    req = lambda t: 900 * ev(t) * (1 + 0.7 * storm(t))  # noqa: E731
    alb_set(sc, lb, req, lambda t: 0.021 + 0.05 * storm(t), lambda t: 0.4 + 6 * storm(t),
            e5xx=lambda t: 0.1 + 62 * storm(t), healthy=lambda t: 4.0 - down(t),
            unhealthy=down)
    M(sc, "ECS/ContainerInsights", "RunningTaskCount", {"ClusterName": cluster, "ServiceName": svc}, "Count",
      lambda t: 4.0 - down(t), noise=0.0, digits=0)
    sc.alarm("rt-edge-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 60,
             3, 20, "GreaterThanThreshold", "rt-edge 5XX generated by the load balancer")
    sc.alarm("gateway-ws-memory", "AWS/ECS", "MemoryUtilization", {"ClusterName": cluster, "ServiceName": svc},
             "Average", 300, 3, 97, "GreaterThanThreshold")
    g = "/ecs/gateway-ws"
    lives = []  # (stream, start, end, start_heap_mb)
    for slot in range(4):
        tid = sc.hexid(32)
        end = first + slot * rng.uniform(80, 150)
        lives.append((f"gw/gateway-ws/{tid}", -HISTORY - 3000, end, 520))
        t = end + 35
        while t < 0:
            life = rng.uniform(540, 900)
            lives.append((f"gw/gateway-ws/{sc.hexid(32)}", t, t + life, 180))
            t += life + 35
    for stream, a, b, h0 in lives:
        hn = f"ip-10-44-{rng.randint(1, 40)}-{rng.randint(2, 250)}"
        pid = 1
        if a > LOG_START:
            sc.log(g, stream, a + 1.5, pino(sc, a + 1.5, "info", "gateway listening", hn, pid, port=8080,
                                            version="4.12.3"))
        t = max(a, LOG_START) + rng.uniform(5, 60)
        while t < min(b, 0):
            frac = (t - a) / (b - a)
            heap = h0 + (1780 - h0) * frac ** (0.9 if a < LOG_START else 0.6)
            conns = int((5200 if a < LOG_START else 7400) * ev(t) * (0.8 + 0.2 * frac))
            sc.log(g, stream, t, pino(sc, t, "info", "gateway stats", hn, pid, conns=conns,
                                      heapUsedMB=int(heap), rssMB=int(heap * 1.09 + 60),
                                      presenceCacheEntries=int(heap * 2150)))
            t += 60
        if b < 0:
            gc = [f"[1:0x{rng.getrandbits(28):07x}] {int((b - a) * 1000)} ms: Mark-Compact 1788.{rng.randint(0, 9)} "
                  "(1830.4) -> 1787.6 (1831.2) MB, 1712.4 / 0.0 ms  (average mu = 0.118, current mu = 0.021) "
                  "allocation failure; scavenge might not succeed"]
            for i, line in enumerate(["<--- Last few GCs --->", *gc, "<--- JS stacktrace --->",
                                      "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
                                      " 1: 0xc98e40 node::Abort() [node]",
                                      " 2: 0xb700a9  [node]"]):
                sc.log(g, stream, b - 0.4 + i * 0.01, line)
    live = lambda t: [s for s, a, b, _ in lives if a <= t < b] or [lives[0][0]]  # noqa: E731
    emit(sc, g, live, LOG_START, 0, 2.5, lambda t: pino(
        sc, t, "warn", "ws upgrade rejected: invalid token", "ip-10-44-7-31", 1,
        reason=rng.choice(["jwt expired", "jwt malformed"]), ip=sc.ip("172.31")))
    emit(sc, g, live, LOG_START, 0, 0.6, lambda t: pino(
        sc, t, "error", "upstream presence publish failed", "ip-10-44-7-31", 1,
        err={"type": "Error", "message": "read ECONNRESET", "code": "ECONNRESET"}))
    emit(sc, g, live, first, 0, lambda t: 4 * storm(t), lambda t: pino(
        sc, t, "info", "client reconnect", "ip-10-44-7-31", 1, user=f"u_{sc.hexid(8)}",
        resumeFrom=rng.randint(1, 400)))
    sc.change(-2545, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "presence-sync:19",
              "argo-deployer")
    sc.change(-2530, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/presence-sync",
              "argo-deployer")
    expect(sc, "rt-edge-elb-5xx", "memory_exhaustion", [sid, svc],
           [("AWS/ECS", "MemoryUtilization", {"ClusterName": cluster, "ServiceName": svc}),
            ("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb})])
    sc.meta.update(front="front (ALB → ECS)", decoys=[
        "presence-sync deploy 75 s before the first OOM",
        "invalid-token warnings and ECONNRESET errors all afternoon",
        "reconnect storm / RequestCount jump that looks like a surge"],
        judgement=("The heap grows all afternoon with no deploy on gateway-ws (a cache that never evicts); "
                   "with no preceding change on the service it is memory_exhaustion, not bad_deployment. "
                   "The reconnect traffic is a consequence, not a surge."),
        story=("gateway-ws (Node, 2 GB Fargate tasks) climbs from ~50 % to ~94 % MemoryUtilization over five "
               "hours while its `gateway stats` lines show heapUsedMB approaching 1.8 GB; from -41 min each "
               "task dies with `FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of "
               "memory`, replacements refill within ~12 minutes, and rt-edge returns 502s while hosts flap. "
               "presence-sync's deploy just before the first crash, the invalid-token warnings and ECONNRESET "
               "errors are not involved."))
    return sc


BUILDERS = [build_07, build_08]
