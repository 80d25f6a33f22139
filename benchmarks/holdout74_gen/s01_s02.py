"""01: dispatch API 5xx behind an ALB, Postgres out of connection slots (Go/ECS, us-east-2).
02: route-planning batch Lambda running into its timeout (Java 21, eu-west-1)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, pg, zap, logfmt_writer

from .kit import (S, alb_metrics, ecs_metrics, emit, every, lam_metrics, lambda_logs, pick,
                  rds_metrics, shift_load)

logfmt = logfmt_writer("time")


def build01() -> S:
    sc = S(1, "dispatch-board-5xx", "Dispatchers see 'assignment failed' banners on the dispatch board; "
           "the public ALB target 5xx alarm paged the logistics on-call.", "us-east-2", 7401,
           "2026-03-10T06:48:00+00:00",
           front="front (ALB)", decoys="driver-notify deploy 4 min before onset; steady pgx slow-query "
           "warnings and duplicate-key errors; connections alarm on the DB as a second alarm")
    lb, db = "app/dispatch-pub-alb/7f3c1a9e2b4d6058", "fleet-pg-main"
    onset = -2040
    sc.resource("alb", lb, name="dispatch-pub-alb", scheme="internet-facing")
    sc.resource("ecs", "logi-prod/dispatch-svc", launch_type="FARGATE", desired_count=4, cpu=1024, memory=2048,
                image="dispatch-svc:3.41.0", log_group="/ecs/dispatch-svc")
    sc.resource("ecs", "logi-prod/driver-notify", launch_type="FARGATE", desired_count=2, cpu=512, memory=1024,
                log_group="/ecs/driver-notify")
    sc.resource("rds", db, engine="postgres", engine_version="15.5", instance_class="db.r6g.large",
                max_connections=200, allocated_storage_gb=500, multi_az=True)
    load = lambda t: shift_load(sc, t, height=0.9)
    bad = lambda t: ramp(t, onset - 240, onset + 300)
    alb_metrics(sc, lb, req=lambda t: 640 * load(t), t5xx=lambda t: 0.2 + 34 * bad(t) * load(t) / 1.8,
                rt=lambda t: 0.085 * load(t) ** 0.5 + 1.9 * bad(t), healthy=lambda t: 4.0,
                t4xx=lambda t: 11 * load(t))
    ecs_metrics(sc, "logi-prod", "dispatch-svc", cpu=lambda t: 24 * load(t) - 6 * bad(t), mem=lambda t: 46.0)
    ecs_metrics(sc, "logi-prod", "driver-notify", mem=lambda t: 38.0 + 4 * ramp(t, -2250, -2100),
                cpu=lambda t: 12 * load(t) + 60 * (1 if -2250 <= t < -2040 else 0))
    conns = lambda t: min(200.0, 78 + 42 * load(t) + 140 * ramp(t, onset - 900, onset))
    rds_metrics(sc, db, cpu=lambda t: 21 * load(t) + 9 * bad(t), conns=conns, free_gb=lambda t: 318.4 - t / -21600 * 0.6,
                mem_gb=lambda t: 5.1 - 0.6 * bad(t), max_conns=200.0)
    # ---- dispatch-svc (Go, zap JSON) on three tasks
    tasks = [sc.task_id() for _ in range(4)]
    host = f"{db}.c7pz2kq1vx3m.us-east-2.rds.amazonaws.com"
    depots = ["CMH-01", "CMH-02", "DAY-01", "CLE-03", "IND-02"]

    def dispatch_line(t):
        r = sc.rng.random()
        rid = sc.hexid(16)
        if r < 0.015 * (1 + bad(t)):
            return zap(sc, t, "warn", "slow query", "store/assign.go:188", query="SelectOpenStops",
                       elapsed_ms=sc.rng.randint(820, 2400), request_id=rid)
        if bad(t) > 0.2 and r < 0.75 * bad(t):
            e = pick(sc, ["FATAL: sorry, too many clients already (SQLSTATE 53300)",
                          "FATAL: remaining connection slots are reserved for non-replication superuser "
                          "connections (SQLSTATE 53300)"])
            return [zap(sc, t, "error", "acquire connection", "store/pool.go:61", request_id=rid,
                        error=f"failed to connect to `host={host} user=dispatch_app database=fleet`: "
                              f"server error ({e})"),
                    zap(sc, t + 0.01, "error", "request failed", "httpapi/middleware.go:97", request_id=rid,
                        method="POST", path="/v1/assignments", status=500,
                        latency_ms=sc.rng.randint(1200, 5100))]
        return zap(sc, t, "info", "assignment committed", "dispatch/assign.go:244", request_id=rid,
                   depot=pick(sc, depots), route_id=f"R{sc.rng.randint(100000, 999999)}",
                   stops=sc.rng.randint(18, 64), latency_ms=sc.rng.randint(40, 140))

    for tk in tasks[:3]:
        emit(sc, "/ecs/dispatch-svc", f"dispatch/dispatch-svc/{tk}", lambda t: 1.6 * load(t), dispatch_line)
        every(sc, "/ecs/dispatch-svc", f"dispatch/dispatch-svc/{tk}", 300,
              lambda t: zap(sc, t, "info", "pool stats", "store/pool.go:140", max_conns=50,
                            acquired=min(50, int(12 * load(t) + 38 * bad(t))), idle=max(0, int(9 - 9 * bad(t)))))
    # ---- driver-notify (Go, logfmt): redeployed 4 minutes before the onset, healthy throughout
    old, new = sc.task_id(), sc.task_id()
    for tk, lo, hi, ver in ((old, -18000, -2160, "2.13.4"), (new, -2230, 0, "2.14.0")):
        st = f"notify/driver-notify/{tk}"
        sc.log("/ecs/driver-notify", st, lo + 1 if lo > -18000 else lo,
               logfmt(sc, lo + 1, "info", "starting driver-notify", version=ver, fcm_workers=8))
        emit(sc, "/ecs/driver-notify", st, lambda t: 1.2 * load(t),
             lambda t: logfmt(sc, t, "info", "push sent", driver=f"D{sc.rng.randint(1000, 9999)}",
                              kind=pick(sc, ["route_ready", "stop_added", "eta_update"]),
                              ms=sc.rng.randint(30, 160)), start=lo + 2, end=hi)
    # ---- Postgres log
    g, st = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    every(sc, g, st, 300, lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(900, 4200)} "
                                       "buffers (0.9%); 0 WAL file(s) added, 0 removed, 2 recycled", pid=571),
          start=-21600)
    emit(sc, g, st, lambda t: 0.25, lambda t: pg(sc, t, "ERROR", 'duplicate key value violates unique constraint '
                                                 '"stop_events_pkey"', client=sc.ip("10.20"), user="dispatch_app",
                                                 db="fleet"), start=-21600)
    emit(sc, g, st, lambda t: 6 * bad(t) * load(t),
         lambda t: pg(sc, t, "FATAL", "sorry, too many clients already", client=f"{sc.ip('10.20')}({sc.rng.randint(30000, 60000)})",
                      user="dispatch_app", db="fleet"), start=onset - 600)
    sc.change(-15900, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "logi-prod/dispatch-svc", "gh-actions-deploy")
    sc.change(-2262, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "driver-notify:58", "gh-actions-deploy")
    sc.change(-2250, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "logi-prod/driver-notify", "gh-actions-deploy")
    sc.alarm("dispatch-pub-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 10, "GreaterThanThreshold", "Dispatch API returning 5xx through the public ALB")
    sc.alarm("fleet-pg-main-connections", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db},
             "Maximum", 60, 3, 180, "GreaterThanOrEqualToThreshold")
    sc.alarm("driver-notify-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": "logi-prod", "ServiceName": "driver-notify"},
             "Average", 60, 3, 70, "GreaterThanThreshold")
    sc.expect_rc("dispatch-pub-alb-target-5xx", "db_connection_exhaustion", [db],
                 [("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}),
                  ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})])
    sc.meta["story"] = (
        "The 06:00 shift start lifts dispatch traffic as it does every morning, but from about 06:14 the "
        "Postgres instance `fleet-pg-main` sits at its 200-connection ceiling (DatabaseConnections flat at "
        "200, max_connections=200). The Go dispatch service logs pgx `acquire connection` failures quoting "
        "`FATAL: sorry, too many clients already (SQLSTATE 53300)`, the Postgres log shows the same FATAL "
        "for `dispatch_app`, and the ALB's target 5xx follow. The driver-notify redeploy four minutes "
        "earlier is the nearest change but its own logs and metrics stay healthy and it never touches the "
        "database; the slow-query warnings and duplicate-key errors run at the same rate all morning.")
    return sc


def build02() -> S:
    sc = S(2, "wave-planner-errors", "The morning wave plans for several depots were not published; "
           "the planner function's Errors alarm is firing.", "eu-west-1", 7402, "2026-03-10T06:42:00+00:00",
           front="origin", decoys="config update on another function 2 min before onset; code deploy on the "
           "planner 4.5 h earlier; steady geocode/address errors")
    fn, other = "vrp-wave-planner", "depot-geofence-sync"
    sc.resource("lambda", fn, runtime="java21", timeout=300, memory_size=3008, handler="com.routeco.vrp.Handler::handleRequest")
    sc.resource("lambda", other, runtime="nodejs20.x", timeout=30, memory_size=256)
    onset = -2280
    grow = lambda t: ramp(t, onset - 1500, onset + 700)
    wave = lambda t: shift_load(sc, t, height=1.2, width=0.8)
    dur = lambda t: 68000 * (1 + 0.25 * (wave(t) - 1)) * (1 + 3.4 * grow(t))
    frac = lambda t: max(0.0, min(0.9, (dur(t) - 250000) / 120000))
    v = lam_metrics(sc, fn, inv=lambda t: 5.0, err=lambda t: 5.0 * frac(t), dur=dur, dur_cap=300400.0)
    v2 = lam_metrics(sc, other, inv=lambda t: 2.0, err=lambda t: 0.0, dur=lambda t: 640.0)
    depots = ["DUB-01", "DUB-03", "ORK-02", "GWY-01", "LIM-04", "BFS-02", "SNN-01"]

    def body(ll, t, rid, is_err, cold):
        depot = pick(sc, depots)
        g = grow(t)
        stops = int(sc.rng.gauss(420 + 900 * g, 60))
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"Planning wave depot={depot} stops={stops} vehicles={stops // 26}")),
                 (0.42, ll.fmt(t + 0.4, rid, "INFO", f"Loaded distance matrix s3://rc-vrp-matrices/{depot}/"
                                                     f"current.bin ({stops * stops * 8 // 1024} KiB) in {sc.rng.randint(260, 520)} ms"))]
        if sc.rng.random() < 0.3:
            lines.append((0.6, ll.fmt(t + 0.6, rid, "WARN", f"Geocode fallback for stop S{sc.rng.randint(10 ** 6, 10 ** 7)}: "
                                                             "using postcode centroid")))
        if sc.rng.random() < 0.12:
            lines.append((0.7, ll.fmt(t + 0.7, rid, "ERROR", "AddressNormalizer: unparseable eircode 'N/A' - stop skipped")))
        if is_err:
            for k, it in enumerate((1000, 2000, 3000, 4000)):
                lines.append((60 * (k + 1), ll.fmt(t + 60 * (k + 1), rid, "INFO",
                                                   f"Solver progress iteration={it}/6000 objective={sc.rng.randint(90000, 140000)} "
                                                   f"unassigned={sc.rng.randint(0, 9)}")))
            return {"dur": 0, "status": "timeout", "lines": lines, "mem": sc.rng.randint(1900, 2400)}
        d = min(dur(t) * sc.rng.uniform(0.8, 1.1), 290000)
        lines += [(d / 1000 - 0.3, ll.fmt(t + d / 1000 - 0.3, rid, "INFO", f"Solver finished iterations=6000 "
                                          f"objective={sc.rng.randint(60000, 120000)} elapsed={int(d - 700)} ms")),
                  (d / 1000 - 0.1, ll.fmt(t + d / 1000 - 0.1, rid, "INFO", f"Published {stops // 26} routes to "
                                          f"table route-plans in {sc.rng.randint(90, 220)} ms"))]
        return {"dur": d, "lines": lines, "mem": sc.rng.randint(1100, 1900)}

    ll = LambdaLogs(sc, fn, "java21", 3008, 300, prewarm=-17400, mem_used=(1500, 200),
                    epochs=((-10 ** 9, "41"), (-16200, "42")), retire=(-16200,), life=(1800, 4000))
    lambda_logs(sc, ll, v, body, per_min=1.2)

    def body2(ll2, t, rid, is_err, cold):
        return {"dur": sc.rng.uniform(380, 900),
                "lines": [(0.02, ll2.fmt(t, rid, "INFO", f"synced {sc.rng.randint(3, 40)} geofences for depot "
                                                         f"{pick(sc, depots)} (cache={'hit' if sc.rng.random() < .7 else 'miss'})"))]}
    ll2 = LambdaLogs(sc, other, "nodejs20.x", 256, 30, prewarm=-17400, retire=(-2400,))
    lambda_logs(sc, ll2, v2, body2, per_min=1.0)
    sc.change(-16230, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "codepipeline-vrp")
    sc.change(-16200, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, "codepipeline-vrp")
    sc.change(-2400, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", other, "aoife.brennan")
    sc.alarm("vrp-wave-planner-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 2, 2,
             "GreaterThanThreshold", "Wave planner invocations failing")
    sc.alarm("depot-geofence-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": other}, "Sum", 300, 1, 1,
             "GreaterThanThreshold")
    sc.expect_rc("vrp-wave-planner-errors", "function_timeout", [fn],
                 [("AWS/Lambda", "Duration", {"FunctionName": fn}), ("AWS/Lambda", "Errors", {"FunctionName": fn})])
    sc.meta["story"] = (
        "The Java wave planner runs one vehicle-routing solve per depot. As the morning wave builds, each "
        "problem grows (the `Planning wave ... stops=` lines go from ~400 to ~1300 stops) and Duration climbs "
        "from ~70 s to the 300 s limit; failed invocations end with `Task timed out after 300.00 seconds` "
        "after solver-progress lines, with no dependency errors (the S3 matrix loads and route-plans writes "
        "keep their usual latency). The code deploy (version 42) was 4.5 hours earlier and ran cleanly for "
        "hours; the configuration update to depot-geofence-sync two minutes before onset is on an unrelated "
        "function whose errors stay at zero; the geocode-fallback warnings and eircode errors are constant.")
    sc.meta["judgement"] = ("The growth in problem size could be read as a traffic surge, but invocations are flat "
                            "(5 a minute); the failure is the function hitting its configured timeout.")
    return sc


BUILDERS = [build01, build02]
