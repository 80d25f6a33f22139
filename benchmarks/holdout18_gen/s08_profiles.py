"""h18-08: mobile API 5xx; the BFF Lambda gets 502s/timeouts from profile-svc tasks dying of heap exhaustion."""
from __future__ import annotations

import json

import numpy as np

from .common import N, T, Scn
from .logfmt import LambdaLog, TaskLog, pg, pg_background, poisson_times, spring
from . import svc

ILB = "app/profile-internal-alb/4b8d2f6a1c3e5079"
ILB_DNS = "internal-profile-internal-alb-902114733.us-east-1.elb.amazonaws.com"


def build():
    s = Scn("h18-08-mobile-5xx-profile-heap", 1808, "us-east-1", "2026-03-19T22:10:00", -4.0)
    s.res("apigateway", "mobile-api", api_id="p7w2m4x9c1", stage="v1", endpoint_type="REGIONAL")
    s.res("lambda", "mobile-bff", runtime="nodejs20.x", timeout=10, memory_size=512, log_format="JSON",
          application_log_level="WARN", system_log_level="WARN",
          environment={"PROFILE_URL": f"http://{ILB_DNS}", "UPSTREAM_TIMEOUT_MS": "3000"})
    s.res("alb", ILB, name="profile-internal-alb", scheme="internal", dns_name=ILB_DNS,
          target_groups=["profile-svc-tg"])
    s.res("ecs", "core/profile-svc", desired_count=4, launch_type="FARGATE", awslogs_groups=["/ecs/profile-svc"],
          task_memory_mb=2048, environment={"JAVA_OPTS": "-Xmx1536m -XX:+ExitOnOutOfMemoryError -Xlog:gc:stdout"})
    s.res("lambda", "push-notifier", runtime="nodejs20.x", timeout=30, memory_size=256,
          environment={"PLATFORM_APP_ARN": "arn:aws:sns:us-east-1:123456789012:app/APNS/mobile-prod"})
    s.res("rds", "profile-db", engine="postgres", engine_version="15.6", instance_class="db.r6g.xlarge",
          allocated_storage_gb=300, max_connections=1200)

    grow = -3000.0
    shape = s.diurnal(peak=20.0, depth=0.6)
    count = s.pois(2900 * shape * (1 + s.ar(0.04)))
    pcalls = count * 0.41
    # four tasks, each climbs to the heap limit and is killed; a replacement starts ~70 s later
    kills: list[tuple[float, int]] = []
    mem_task = np.zeros((4, N))
    for k in range(4):
        t_k = grow + 200 * k + float(s.rng.uniform(0, 120))
        base = s.gauge(np.full(N, 61.0), 0.8)
        m = base.copy()
        while t_k < 0:
            cycle = float(s.rng.uniform(330, 480))
            seg = (T >= t_k) & (T < t_k + cycle)
            m[seg] = base[seg] + (97.0 - base[seg]) * np.clip((T[seg] - t_k) / (cycle - 60), 0, 1)
            if t_k + cycle < 0:
                kills.append((t_k + cycle, k))
            t_k += cycle + 70
        mem_task[k] = m
    kills.sort()
    onset = kills[0][0]
    down = np.zeros(N)
    for tk, _k in kills:
        down += ((T >= tk - 59) & (T < tk + 70)).astype(float)
    mem = mem_task.max(axis=0)                                  # the busiest task (Maximum statistic)
    pressure = np.clip((mem_task.mean(axis=0) - 61) / 30, 0, 1)
    fail_frac = np.clip(0.012 * down + 0.03 * pressure * (T >= onset - 60), 0, 0.2)
    perr = s.pois(pcalls * fail_frac)
    svc.ecs(s, "core", "profile-svc", s.gauge(28 * shape + 6, 1.8, lo=2) + 38 * pressure, mem,
            running=4 - np.minimum(down, 2))
    svc.alb(s, ILB, s.pois(pcalls), s.gauge(np.full(N, 0.045), 0.004, lo=0.01) + 0.9 * pressure,
            t5=s.pois(perr * 0.35), e5=s.pois(perr * 0.4), healthy=4 - np.minimum(down, 2),
            unhealthy=np.minimum(down, 2))
    dur = s.gauge(np.full(N, 95.0), 6, lo=30) + 420 * pressure
    svc.lam(s, "mobile-bff", count, s.pois(np.full(N, 0.03)), dur)
    e5 = perr + s.pois(np.full(N, 0.4))
    svc.apigw(s, "mobile-api", count, e4=s.pois(count * 0.02), e5=e5, lat=dur + s.gauge(np.full(N, 18.0), 2))

    dep = grow - 330
    pn_inv = s.pois(np.full(N, 4.0) * shape)
    pn_dur = s.gauge(np.full(N, 260.0), 25, lo=60)
    svc.lam(s, "push-notifier", pn_inv, np.zeros(N), pn_dur)
    spike = s.win(-9100, -8500, rise=120, fall=300)
    svc.rds(s, "profile-db", s.gauge(12 + 16 * shape, 1.8, lo=2) + 55 * spike, s.gauge(80 + 20 * shape, 3),
            s.gauge(np.full(N, 204.0), 0.05), 22.0, load=shape)

    # ---- profile-svc -----------------------------------------------------------------
    app = "profile-svc"
    tl = TaskLog(s, "/ecs/profile-svc", app, app, 4)
    slots = list(tl.tasks)
    feed_rate = np.where(T >= grow - 60, 2.2, 0.0)
    for t in poisson_times(s, feed_rate):
        tl.add(t, spring(s, t, "WARN", app, f"http-nio-8080-exec-{int(s.rng.integers(1, 200))}",
                         "c.h.profile.activity.ActivityFeedService",
                         f"Loaded activity feed for profile p_{int(s.rng.integers(10 ** 6, 10 ** 7))} with "
                         f"{int(s.rng.integers(150000, 480000))} entries (no limit param, client=ios/7.4.0)"))
    for t in np.arange(-21600, 0, 60.0):
        i = int((t + 21600) // 60)
        for task in tl.live(t):
            tt = t + float(s.rng.uniform(0, 10))
            tl.add(tt, spring(s, tt, "INFO", app, "scheduling-1", "c.h.profile.metrics.RequestMetrics",
                              f"requests={int(pcalls[i] / 4)} p99={int(40 + 1500 * pressure[i])}ms "
                              f"heapUsed={int(1536 * (mem_task.mean(axis=0)[i] - 20) / 80)}M"), task)
    gc = 4000
    for tk, k in kills:
        task = slots[k]
        for j in range(6):
            tg = tk - 200 + j * 33 + float(s.rng.uniform(0, 5))
            gc += int(s.rng.integers(30, 90))
            before = 1480 + 8 * j
            tl.add(tg, f"[{s.iso(tg)[:-1]}+0000][info][gc] GC({gc}) Pause Full (G1 Compaction Pause) {before}M->"
                       f"{before - int(s.rng.integers(3, 15))}M(1536M) {s.rng.uniform(1200, 3400):.3f}ms", task)
        tl.add(tk - 1.5, spring(s, tk - 1.5, "ERROR", app, f"http-nio-8080-exec-{int(s.rng.integers(1, 200))}",
                                "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                "Servlet.service() for servlet [dispatcherServlet] threw exception\n"
                                "java.lang.OutOfMemoryError: Java heap space\n\tat java.base/java.util.Arrays.copyOf"
                                "(Arrays.java:3541)\n\tat java.base/java.util.ArrayList.grow(ArrayList.java:237)\n\tat "
                                "com.harbor.profile.activity.ActivityFeedService.load(ActivityFeedService.java:92)"),
               task)
        tl.add(tk, "Terminating due to java.lang.OutOfMemoryError: Java heap space", task)
        tl.stop_task(task, tk + 0.5)
        new = tl.start_task(tk + 70)
        slots[k] = new
        tl.add(tk + 71, spring(s, tk + 71, "INFO", app, "main", "c.h.profile.ProfileServiceApplication",
                               "Starting ProfileServiceApplication v5.2.3 using Java 17.0.10 with PID 1"), new)
        tl.add(tk + 84, spring(s, tk + 84, "INFO", app, "main", "c.h.profile.ProfileServiceApplication",
                               f"Started ProfileServiceApplication in {s.rng.uniform(11, 14):.3f} seconds"), new)
    tl.flush()

    # ---- mobile-bff (JSON WARN+) -----------------------------------------------------
    bl = LambdaLog(s, "mobile-bff", "nodejs20.x", 512, fmt="json")
    for t in poisson_times(s, 0.8 * shape, -9000):
        bl.record(t, bl.line(t, s.uuid(), "WARN", f"deprecated client version android/6.{int(s.rng.integers(0, 9))}"
                                                  ".0, sending upgrade hint"), 30)
    for i in np.nonzero(perr > 0)[0]:
        for _ in range(int(perr[i])):
            t = T[i] + float(s.rng.uniform(0, 60))
            kind = s.rng.random()
            detail = ("timeout of 3000ms exceeded" if kind < 0.35 else
                      "Request failed with status code 502" if kind < 0.75 else
                      "Request failed with status code 503")
            bl.record(t, json.dumps({"timestamp": s.iso(t), "level": "ERROR", "requestId": s.uuid(),
                                     "message": {"msg": "profile upstream failed", "error": detail,
                                                 "upstream": f"http://{ILB_DNS}/v1/profiles/me",
                                                 "respondedWith": 502}}), 40)
    bl.flush()

    pl = LambdaLog(s, "push-notifier", "nodejs20.x", 256)
    okp = (lambda t, rid: [(0.1, pl.line(t, rid, "INFO", f"delivered {int(s.rng.integers(1, 40))} notifications "
                                                          f"(campaign none, topic order-updates)"))])
    pl.minutes(-9000, pn_inv, np.zeros(N), pn_dur, okp, None, t_to=dep)
    pl.set_version("$LATEST")
    pl.minutes(dep, pn_inv, np.zeros(N), pn_dur, okp, None)
    pl.flush()

    db = pg_background(s, t_from=-10800, tables=("profiles", "activity_events", "devices"), dbname="profiles")
    db.append((-8520, pg(s, -8520, "LOG", 'automatic analyze of table "profiles.public.activity_events" system '
                         "usage: CPU: user: 212.4 s, system: 9.8 s, elapsed: 598.1 s")))
    s.stream("/aws/rds/instance/profile-db/postgresql", "profile-db.0", db)

    s.change(dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "push-notifier",
             "circleci")
    s.change(-12400, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", "mobile-api",
             "circleci")
    s.alarm("mobile-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "mobile-api"}, "Sum", 60, 3, 15,
            desc="Mobile API 5xx", after=onset - 60, before=onset + 900)
    s.alarm("profile-internal-alb-unhealthy", "AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": ILB},
            "Maximum", 60, 1, 0, want="ANY")
    s.alarm("profile-db-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "profile-db"}, "Average", 300, 2,
            60, want="OK")
    doc = s.doc("Mobile app shows 'could not load your profile'; mobile-api 5xx alarm paged.",
                "mobile-api-5xx", "memory_exhaustion", ["core/profile-svc", "profile-svc"],
                [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                  "dimensions": {"ClusterName": "core", "ServiceName": "profile-svc"}}])
    meta = {"alarm_on": "front (API Gateway -> BFF Lambda -> internal ALB -> ECS; origin two hops away)",
            "decoys": "push-notifier deploy 5.5 min before memory starts climbing; profile-db analyze CPU spike 1.8 h "
                      "earlier (alarm back to OK); mobile-api deployment 2.7 h earlier; deprecated-client warnings",
            "story": (
                "Requests for unbounded activity feeds (client ios/7.4.0, no limit param) make profile-svc load "
                "hundreds of thousands of entries. Each task's heap climbs, Full GC pauses of 1-3 s appear, then "
                "`java.lang.OutOfMemoryError: Java heap space` and `Terminating due to java.lang.OutOfMemoryError`; "
                "tasks restart in a sawtooth. The internal ALB shows unhealthy hosts and 502/503, mobile-bff logs "
                "'profile upstream failed' and answers 502, tripping mobile-api's 5xx alarm. Deciding evidence: ECS "
                "MemoryUtilization climbing before the first 5xx, the OOM/terminating lines, task restarts; the "
                "push-notifier deploy does not touch profile-svc and its metrics are clean.")}
    return doc, meta
