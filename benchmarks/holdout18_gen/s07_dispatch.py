"""h18-07: dispatch ALB latency; dispatch-svc backs off on a route Lambda capped by its reserved concurrency."""
from __future__ import annotations

import numpy as np

from .common import N, T, Scn, solve_amp
from .logfmt import LambdaLog, TaskLog, java_trace, pg, pg_background, poisson_times, spring
from . import svc

LB = "app/dispatch-alb/6a1d3f5e7c9b2048"
LIMIT = 40


def build():
    s = Scn("h18-07-dispatch-latency-route-concurrency", 1807, "ap-southeast-2", "2026-03-18T01:35:00", 11.0)
    s.res("alb", LB, name="dispatch-alb", scheme="internet-facing", target_groups=["dispatch-svc-tg"])
    s.res("ecs", "logistics/dispatch-svc", desired_count=4, launch_type="FARGATE",
          awslogs_groups=["/ecs/dispatch-svc"], environment={"ROUTE_FUNCTION": "route-optimizer",
                                                             "ROUTE_MAX_ATTEMPTS": "4"})
    s.res("lambda", "route-optimizer", runtime="python3.12", timeout=60, memory_size=2048,
          reserved_concurrency=LIMIT, log_format="JSON", application_log_level="WARN", system_log_level="WARN")
    s.res("lambda", "eta-notifier", runtime="nodejs20.x", timeout=15, memory_size=256)
    s.res("rds", "dispatch-db", engine="postgres", engine_version="16.2", instance_class="db.r6g.large",
          allocated_storage_gb=200, max_connections=600)

    shape = s.diurnal(peak=13.0, depth=0.85) * (1 + 0.3 * s.ramp(-3300, -900))    # late-morning dispatch wave
    dur = s.gauge(np.full(N, 4750.0), 110, lo=3500)
    wob = 1 + s.ar(0.02)

    def peak_of(a):
        m = a * shape * wob / 60 * dur / 1000
        return m + 1.6 * np.sqrt(m)
    demand = solve_amp(peak_of, -2400, LIMIT) * shape * wob        # plan requests per minute
    mean = demand / 60 * dur / 1000
    peak = mean + 1.6 * np.sqrt(mean)
    capped = peak > LIMIT
    onset = float(T[int(np.argmax(capped))])
    assert -3600 < onset < -1200, onset
    over = np.clip((peak - LIMIT) / peak, 0, None)
    first_fail = over * 1.0
    served = s.pois(demand * (1 - first_fail * 0.55))
    thr = s.pois(demand * first_fail * 1.9)                       # includes the dispatch-svc retries
    conc = np.where(capped, LIMIT - s.rng.integers(0, 2, N), np.minimum(np.ceil(peak + s.rng.uniform(0, 1, N)), LIMIT))
    svc.lam(s, "route-optimizer", served, s.pois(np.full(N, 0.02)), dur, conc=conc, thr=thr)
    gave_up = s.pois(demand * first_fail * 0.12)
    plan_lat = 4.9 + first_fail * 30.0
    req = s.pois(demand / 0.36)
    trt = (0.36 * plan_lat + 0.64 * 0.06) * s.gauge(np.ones(N), 0.03, lo=0.8)
    svc.alb(s, LB, req, trt, t5=gave_up + s.pois(np.full(N, 0.1)), healthy=np.full(N, 4.0))
    svc.ecs(s, "logistics", "dispatch-svc", s.gauge(20 * shape + 5, 1.5, lo=2), s.gauge(np.full(N, 63.0), 0.6))

    chg = onset - 320
    eta_inv = s.pois(3.5 * shape + 0.5)
    eta_dur = s.gauge(np.full(N, 420.0), 40, lo=100)
    svc.lam(s, "eta-notifier", eta_inv, np.zeros(N), eta_dur)
    load = shape
    svc.rds(s, "dispatch-db", s.gauge(15 + 20 * load, 2, lo=3), s.gauge(60 + 40 * load, 3, lo=20),
            s.gauge(np.full(N, 141.0), 0.05), 9.0, load=load)

    # ---- route-optimizer (JSON, WARN+) -----------------------------------------------
    rl = LambdaLog(s, "route-optimizer", "python3.12", 2048, fmt="json", logger="optimizer")
    for i in np.nonzero(T >= -9000)[0]:
        for _ in range(int(s.rng.poisson(served[i] * 0.011))):
            t = T[i] + float(s.rng.uniform(0, 60))
            rl.record(t, rl.line(t, s.uuid(), "WARN", f"solver hit iteration cap (20000) for depot "
                                                      f"{s.pick(['SYD-02', 'SYD-05', 'PAR-01', 'WOL-01'])}, "
                                                      f"returning best feasible plan ({int(s.rng.integers(12, 48))} "
                                                      "stops)"), int(conc[i]))
    rl.flush()

    # ---- dispatch-svc (Spring Boot) --------------------------------------------------
    app = "dispatch-svc"
    tl = TaskLog(s, "/ecs/dispatch-svc", app, app, 4)
    for t in np.arange(-21600, 0, 60.0):
        i = int((t + 21600) // 60)
        for task in tl.live(t):
            tt = t + float(s.rng.uniform(0, 10))
            tl.add(tt, spring(s, tt, "INFO", app, "scheduling-1", "c.f.dispatch.metrics.PlanMetrics",
                              f"plans={int(demand[i] / 4)} p95={(plan_lat[i] + s.rng.uniform(0.8, 2.0)):.1f}s "
                              f"routeCalls={int((served[i] + thr[i]) / 4)}"), task)
    for t in poisson_times(s, 0.25):
        tl.add(t, spring(s, t, "WARN", app, f"http-nio-8080-exec-{int(s.rng.integers(1, 50))}",
                         "c.f.dispatch.geo.GpsFixValidator",
                         f"Stale GPS fix for vehicle VH-{int(s.rng.integers(100, 999))} "
                         f"({int(s.rng.integers(130, 900))} s old), using last known depot"))
    exc = ("software.amazon.awssdk.services.lambda.model.TooManyRequestsException: Rate Exceeded. (Service: Lambda, "
           "Status Code: 429, Request ID: {rid})")
    for i in np.nonzero(thr > 0)[0]:
        for _ in range(int(thr[i] * 0.5)):
            t = T[i] + float(s.rng.uniform(0, 60))
            a = int(s.rng.integers(1, 4))
            tl.add(t, spring(s, t, "WARN", app, f"http-nio-8080-exec-{int(s.rng.integers(1, 50))}",
                             "c.f.dispatch.route.RouteOptimizerClient",
                             f"route-optimizer invoke throttled (TooManyRequestsException: Rate Exceeded., "
                             f"Reason: ReservedFunctionConcurrentInvocationLimitExceeded); attempt {a}/4, backing off "
                             f"{1000 * 2 ** (a - 1)} ms"))
        for _ in range(int(gave_up[i])):
            t = T[i] + float(s.rng.uniform(0, 60))
            tl.add(t, spring(s, t, "ERROR", app, f"http-nio-8080-exec-{int(s.rng.integers(1, 50))}",
                             "c.f.dispatch.api.PlanController",
                             f"Plan request for depot {s.pick(['SYD-02', 'SYD-05', 'PAR-01'])} failed after 4 attempts, "
                             "returning 503\n" + java_trace(exc.format(rid=s.uuid()), [
                                 "software.amazon.awssdk.core.internal.http.CombinedResponseHandler.handleErrorResponse"
                                 "(CombinedResponseHandler.java:125)",
                                 "software.amazon.awssdk.services.lambda.DefaultLambdaClient.invoke(DefaultLambdaClient"
                                 ".java:3386)",
                                 "com.fleetline.dispatch.route.RouteOptimizerClient.optimise(RouteOptimizerClient.java:88)",
                                 "com.fleetline.dispatch.api.PlanController.plan(PlanController.java:54)"])))
    tl.flush()

    el = LambdaLog(s, "eta-notifier", "nodejs20.x", 256, mem_used=(70, 95))
    el.minutes(-9000, eta_inv, np.zeros(N), eta_dur,
               lambda t, rid: [(0.2, el.line(t, rid, "INFO", f"ETA update sent for job JB-{int(s.rng.integers(10**5, 10**6))}"
                                                             f" via sms ({int(s.rng.integers(5, 45))} min)"))],
               None, t_to=chg)
    el.set_version("$LATEST")
    el.minutes(chg, eta_inv, np.zeros(N), eta_dur,
               lambda t, rid: [(0.2, el.line(t, rid, "INFO", f"ETA update sent for job JB-{int(s.rng.integers(10**5, 10**6))}"
                                                             f" via sms ({int(s.rng.integers(5, 45))} min)"))], None)
    el.flush()

    db = pg_background(s, t_from=-10800, tables=("jobs", "vehicle_positions", "plans"), dbname="dispatch")
    for t in poisson_times(s, 0.07, -10800):
        c, pid = f"{s.ip('10.70')}({int(s.rng.integers(32768, 60999))})", int(s.rng.integers(2000, 32000))
        db.append((t, pg(s, t, "ERROR", "deadlock detected", c, "dispatch", "dispatch", pid)))
        db.append((t + 0.001, pg(s, t, "DETAIL", f"Process {pid} waits for ShareLock on transaction "
                                                 f"{int(s.rng.integers(10**7, 10**8))}; blocked by process "
                                                 f"{int(s.rng.integers(2000, 32000))}.", c, "dispatch", "dispatch", pid)))
        db.append((t + 0.002, pg(s, t, "STATEMENT", "UPDATE vehicle_positions SET lat=$1, lon=$2, seen_at=now() "
                                                    "WHERE vehicle_id=$3", c, "dispatch", "dispatch", pid)))
    s.stream("/aws/rds/instance/dispatch-db/postgresql", "dispatch-db.0", db)

    s.change(-16020, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "logistics/dispatch-svc",
             "bitbucket-pipelines")
    s.change(chg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "eta-notifier", "r.nguyen")
    s.alarm("dispatch-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB}, "Average", 60,
            3, 2.6, desc="Dispatch API average response time", after=onset, before=onset + 1500)
    s.alarm("route-optimizer-throttles", "AWS/Lambda", "Throttles", {"FunctionName": "route-optimizer"}, "Sum", 60,
            3, 10, after=onset)
    s.alarm("dispatch-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": LB}, "Sum", 60, 3,
            25, want="OK")
    doc = s.doc("Drivers' app slow to produce route plans; dispatch ALB latency alarm in ALARM.",
                "dispatch-alb-latency", "throttling", ["route-optimizer"],
                [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": {"FunctionName": "route-optimizer"}}])
    meta = {"alarm_on": "front (ALB of dispatch-svc; origin is the Lambda it invokes)",
            "decoys": "eta-notifier timeout change 5 min before onset; dispatch-svc deploy 3.8 h before onset; "
                      "dispatch-db's constant deadlock errors; stale-GPS warnings",
            "story": (
                "The morning ramp of route-plan requests pushes route-optimizer's concurrency to its reserved limit "
                "of 40; ConcurrentExecutions flattens at 40 and Throttles start. dispatch-svc gets "
                "`TooManyRequestsException: Rate Exceeded` (ReservedFunctionConcurrentInvocationLimitExceeded), backs "
                "off 1-4 s per attempt, plan requests take much longer and a few give up with 503; the ALB latency "
                "alarm fires. Deciding evidence: concurrency pinned exactly at the reserved value when throttles "
                "begin, the function's duration unchanged and its own log free of errors (throttled calls never run); "
                "traffic follows the normal morning curve.")}
    return doc, meta
