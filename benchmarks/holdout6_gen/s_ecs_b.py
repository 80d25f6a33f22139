"""ECS incidents: a JVM heap leak that gets tasks killed, and a marketing-campaign traffic surge."""
from __future__ import annotations

import numpy as np

from .common import N, T, Gen, after, alarm, anomaly, between, build, change, find_metric, iso_ms, log, ramp
from .s_ecs import SPRING, sample_lines
from .services import alb_set, ecs_set


def h13_recommender_oom():
    g = Gen(613)
    region, svc, other, lb = "eu-west-3", "ml/recommender", "ml/feature-store", "app/reco-alb/3d5f7b9a1c2e4086"
    leak0, onset = -5400.0, -1980.0
    mem = g.level(52, 1.2, 0, 100)
    mem = ramp(mem, leak0, onset, 96)
    kills = [-1950.0, -1500.0, -1110.0, -720.0, -360.0]
    hot = after(onset)
    mem[hot] = np.clip(g.r.normal(95.5, 1.6, int(hot.sum())), 85, 100)
    tasks = np.full(N, 4.0)
    for k in kills:
        i = (T >= k) & (T < k + 120)
        tasks[i] = 3.0
        mem[(T >= k) & (T < k + 60)] -= 20
    req = g.counts(g.daily(380, 60, 12, phase=0.7))
    e5 = g.counts(req * 0.0001)
    unhealthy = np.zeros(N)
    for k in kills:
        i = (T >= k) & (T < k + 120)
        e5[i] += g.counts(np.full(N, 45.0))[i]
        unhealthy[i] = 1.0
    gc_slow = after(leak0 + 1800)
    trt = g.level(0.11, 0.015, 0.02)
    trt[hot] = g.level(0.9, 0.25, 0.1)[hot]
    metrics = ecs_set(g, svc, 4, cpu=np.clip(g.level(38, 4, 1, 100) + np.where(hot, 30, 0) + np.where(gc_slow & ~hot, 10, 0), 0, 100),
                      mem=mem, tasks=tasks)
    metrics += ecs_set(g, other, 2, cpu=g.level(17, 3, 0.5, 100), mem=g.level(44, 1, 0, 100))
    metrics += alb_set(g, lb, req, e5xx=e5, trt=trt, unhealthy=unhealthy, healthy=4 - unhealthy, hosts=4)

    def sp(t, lvl, thr, logger, msg):
        return SPRING.format(ts=iso_ms(t), lvl=lvl, app="recommender", thr=thr, logger=logger, msg=msg)

    ev = sample_lines(g, -10800, 2.0, lambda t: sp(t, "INFO", f"nio-8080-exec-{g.int(1, 60)}", "c.a.reco.api.RecoController",
                                                  f"recs user={g.int(100000, 999999)} n=20 in {g.int(9, 60)} ms"))
    ev += sample_lines(g, -10800, 0.2, lambda t: sp(t, "WARN", "scheduling-1", "c.a.reco.model.ModelRefresher",
                                                    "Model manifest unchanged (etag \"9f1c2a\"), skipping refresh"))
    for i in range(N):
        t0 = float(T[i])
        if t0 < leak0 + 1800 or g.r.random() > (0.4 if t0 < onset else 0.9):
            continue
        t = t0 + g.uniform(0, 60)
        heap = min(3060, int(1900 + (t0 - leak0) / (onset - leak0) * 1150)) if t0 < onset else g.int(2990, 3068)
        pause = g.uniform(300, 900) if t0 < onset else g.uniform(2500, 6200)
        ev.append((t, f"[{(t + 21600):.3f}s][info][gc] GC({g.int(3000, 9000)}) Pause Full (G1 Compaction Pause) "
                      f"{heap}M->{heap - g.int(2, 25)}M(3072M) {pause:.3f}ms"))
    for k in kills:
        t = k - g.uniform(20, 40)
        ev.append((t, sp(t, "ERROR", f"nio-8080-exec-{g.int(1, 60)}", "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                         "Servlet.service() for servlet [dispatcherServlet] threw exception\n"
                         "java.lang.OutOfMemoryError: Java heap space\n"
                         "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3541)\n"
                         "\tat java.base/java.util.ArrayList.grow(ArrayList.java:237)\n"
                         "\tat com.acme.reco.cache.UserVectorCache.put(UserVectorCache.java:77)\n"
                         "\tat com.acme.reco.api.RecoController.recommend(RecoController.java:44)")))
        ev.append((t + 3, f"Exception in thread \"scheduling-1\" java.lang.OutOfMemoryError: Java heap space"))
        ev.append((k + 48, sp(k + 48, "INFO", "main", "com.acme.reco.RecommenderApplication",
                              f"Started RecommenderApplication in {g.uniform(24, 31):.3f} seconds (process running for "
                              f"{g.uniform(26, 33):.1f})")))
    fs = sample_lines(g, -10800, 1.0, lambda t: f"{iso_ms(t)} INFO feature-store: served {g.int(400, 900)} lookups, "
                                                f"p99 {g.int(4, 12)} ms")
    logs = [log("/ecs/recommender", f"ecs/recommender/{g.hexid(32)}", ev),
            log("/ecs/feature-store", f"ecs/feature-store/{g.hexid(32)}", fs)]
    al = alarm("recommender-memory-high", find_metric(metrics, "MemoryUtilization", ServiceName="recommender"),
               "Average", 300, 2, 90, description="recommender service memory > 90%")
    changes = [
        change(onset - 660, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "feature-store:88",
               "ml-platform-ci"),
        change(onset - 640, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", other, "ml-platform-ci"),
    ]
    resources = [{"type": "ecs", "id": svc, "properties": {"cluster": "ml", "cpu": 1024, "memory": 4096,
                                                           "desired_count": 4}},
                 {"type": "ecs", "id": other, "properties": {"cluster": "ml", "desired_count": 2}},
                 {"type": "alb", "id": lb, "properties": {"name": "reco-alb"}}]
    return build("h6-13-recommender-oom", "Recommendations slow / missing on the home page; recommender memory alarm.",
                 region, resources, metrics, logs, [al], changes,
                 alarm_name=al["name"], category="memory_exhaustion", accepted=[svc, "recommender"],
                 anomalies=[anomaly(find_metric(metrics, "MemoryUtilization", ServiceName="recommender"))],
                 decoys="feature-store deployed 11 min before the alarm (healthy); constant model-refresh WARN; ALB "
                        "502s and unhealthy hosts are symptoms",
                 story="An unbounded per-user vector cache in recommender grows for ~1 h; GC pauses lengthen, heap "
                       "pins at 3 GB and tasks die with `java.lang.OutOfMemoryError: Java heap space`, restart, and "
                       "fill again. MemoryUtilization sits at 95 %+, RunningTaskCount dips with each kill and the ALB "
                       "returns 502s while targets are unhealthy. No change precedes it; the feature-store deploy is "
                       "coincidental.")


def h16_promo_surge():
    g = Gen(616)
    region, lb, svc = "eu-west-1", "app/promo-alb/9b2d4f6a8c1e3057", "shop/promo-svc"
    onset = -2400.0
    base = g.daily(450, 70, 15, phase=0.5)
    req = g.counts(np.where(after(onset), base * 5.2 + g.r.normal(0, 120, N), base))
    trt = g.level(0.09, 0.012, 0.02)
    trt = ramp(trt, onset, onset + 300, 1.65)
    trt[after(onset + 300)] = g.level(1.65, 0.15, 0.6)[after(onset + 300)]
    trt[after(-1500)] -= 0.25   # autoscaling adds tasks, latency eases a bit but stays high
    t5 = g.counts(req * 0.0004)
    e5 = g.counts(np.where(after(onset), req * 0.004, req * 0.0001))
    tasks = np.full(N, 4.0)
    tasks[after(-2280)] = 6.0
    tasks[after(-2100)] = 8.0
    cpu = g.level(33, 4, 1, 100)
    cpu = ramp(cpu, onset, onset + 180, 84)
    cpu[after(-2280)] = np.clip(g.r.normal(78, 4, int(after(-2280).sum())), 60, 92)
    cpu[after(-2100)] = np.clip(g.r.normal(71, 4, int(after(-2100).sum())), 55, 88)
    metrics = alb_set(g, lb, req, trt=trt, t5xx=t5, e5xx=e5, healthy=tasks, hosts=4)
    metrics += ecs_set(g, svc, 4, cpu=cpu, mem=g.level(48, 1.5, 0, 100), tasks=tasks)
    ev = []
    for i in range(N):
        t0 = float(T[i])
        if t0 < -10800:
            continue
        surge = t0 >= onset
        for _ in range(g.int(10, 16) if surge else g.int(2, 4)):
            t = t0 + g.uniform(0, 60)
            path = "/api/v1/promo/black-friday/claim" if surge and g.chance(0.85) else \
                g.choice(["/api/v1/promo/list", "/api/v1/promo/banner", "/healthz"])
            ms = int(g.uniform(900, 2600)) if surge else int(g.uniform(20, 140))
            ev.append((t, f"{iso_ms(t)} info: {g.choice(['GET', 'POST'])} {path} 200 {ms}ms"))
        if surge and g.chance(0.5):
            t = t0 + g.uniform(0, 60)
            ev.append((t, f"{iso_ms(t)} warn: event loop lag {g.int(180, 900)}ms, in-flight requests {g.int(300, 900)}"))
        if g.chance(0.3):
            t = t0 + g.uniform(0, 60)
            ev.append((t, f"{iso_ms(t)} warn: feature flag service slow to respond (512ms), using cached flags"))
    logs = [log("/ecs/promo-svc", f"ecs/promo-svc/{g.hexid(32)}", ev)]
    al = alarm("promo-alb-latency", find_metric(metrics, "TargetResponseTime", LoadBalancer=lb), "Average", 60, 3, 1.0,
               description="promo ALB target response time > 1 s")
    changes = [
        change(-2280, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "ecs-application-autoscaling"),
        change(-2100, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "ecs-application-autoscaling"),
        change(-12000, "elasticloadbalancing.amazonaws.com", "ModifyListener", "AWS::ElasticLoadBalancingV2::Listener",
               "promo-alb", "olga.nilsen"),
    ]
    resources = [{"type": "alb", "id": lb, "properties": {"name": "promo-alb"}},
                 {"type": "ecs", "id": svc, "properties": {"cluster": "shop", "desired_count": 4}}]
    return build("h6-16-promo-surge", "Promo pages slow; promo ALB latency alarm.",
                 region, resources, metrics, logs, [al], changes,
                 alarm_name=al["name"], category="traffic_surge", accepted=[lb, "promo-alb", svc],
                 anomalies=[anomaly(find_metric(metrics, "RequestCount", LoadBalancer=lb)),
                            anomaly(find_metric(metrics, "TargetResponseTime", LoadBalancer=lb))],
                 decoys="autoscaling UpdateService events right after the onset (a reaction, not a cause); an old "
                        "ModifyListener; constant feature-flag slowness WARN; CPU high but not pinned",
                 story="A newsletter sends customers to the Black Friday claim endpoint: ALB RequestCount jumps about "
                       "five-fold within a minute. promo-svc's event loop lags, latency goes from ~90 ms to ~1.6 s "
                       "and a few ELB 5XXs appear; autoscaling doubles the task count a few minutes later. No error "
                       "signature, no deploy, no saturated dependency: the load itself is the cause.")
