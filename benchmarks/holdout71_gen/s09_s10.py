"""h71-09 nightly route job fills the planning DB; h71-10 shadow-sync hits its concurrency cap."""
from __future__ import annotations

from .common import Scenario, ramp
from .kit import (GRID, apigw_exec, apigw_metrics, device_id, ecs_metrics, fleet_load,
                  lam_metrics, lambda_logs, logfmt, rds_metrics, sprinkle, waves, zeros)
from .runtimes import mysql, spring


def _mono(sc, t, level, msg):
    return f"[{sc.at(t).strftime('%Y-%m-%dT%H:%M:%S')}.{sc.at(t).microsecond:06d}+00:00] app.{level}: {msg}"


def s09() -> Scenario:
    sc = Scenario(9, "routeplan-db-night",
                  "Planning database storage alarm during the nightly run; dispatch API also erroring.",
                  "ap-southeast-2", 7109, "2026-03-17T17:50:00")
    db = "routeplan-my"
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.xlarge",
                max_connections=3000, allocated_storage_gb=200, storage_autoscaling=False)
    sc.resource("ecs", "planning/route-optimizer", launch_type="FARGATE", runtime="java21",
                schedule="cron(0 15 * * ? *)")
    sc.resource("ecs", "dispatch/route-api", desired_count=4, runtime="php8.2-fpm")
    start, full = -10200, -1300
    job = lambda t: 1.0 if t >= start else 0.0

    def free(t):
        if t < start:
            return 33.0 - 0.6 * (t + 21600) / 3600
        g = 33.0 - 0.6 * (start + 21600) / 3600 - 1.4 * (t - start) / 3600
        if t >= -4200:
            g -= 16.0 * ((t + 4200) / (full + 4200)) ** 1.3 if t < full else 16.0
        return max(g, 0.0)

    fr = sc.series(free, noise=0.002, abs_noise=0.01)
    fr = [0.06 + abs(sc.rng.gauss(0, 0.02)) if t >= full else max(v, 0.09) for t, v in zip(GRID, fr)]
    cpu = sc.series(lambda t: 14 + 70 * job(t) * (1 - 0.08 * ramp(t, full, full + 120)), noise=0.04)
    wl = sc.series(lambda t: 0.0021 + 0.003 * job(t) + 0.09 * ramp(t, full - 60, full + 60),
                   noise=0.12, digits=5)
    rds_metrics(sc, db, cpu, sc.series(lambda t: 95 + 40 * job(t), noise=0.04, integer=True),
                fr, sc.series(lambda t: 11.5 - 3 * job(t), noise=0.02),
                sc.series(lambda t: 0.0014 + 0.002 * job(t), noise=0.1, digits=5), wl,
                extra=[("WriteIOPS", "Count/Second",
                        sc.series(lambda t: 180 + 2600 * job(t) * (1 - 0.9 * ramp(t, full, full + 60)),
                                  noise=0.08))])
    ecs_metrics(sc, "planning", "route-optimizer",
                [v if t >= start else None for t, v in
                 zip(GRID, sc.series(lambda t: 88 - 80 * ramp(t, full, full + 300), noise=0.05, cap=100))],
                [v if t >= start else None for t, v in
                 zip(GRID, sc.series(lambda t: 71, noise=0.03))])
    ecs_metrics(sc, "dispatch", "route-api", sc.series(lambda t: 19, noise=0.08),
                sc.series(lambda t: 37, noise=0.02))

    def err(t):
        d = sc.at(t)
        if t < full:
            return mysql(sc, t, 0, "Warning", "MY-010055", f"IP address '10.12.{sc.rng.randint(1, 40)}."
                         f"{sc.rng.randint(2, 250)}' could not be resolved: Name or service not known") \
                if sc.rng.random() < 0.5 else mysql(sc, t, sc.rng.randint(8000, 9900), "Note", "MY-010914",
                                                   "Aborted connection to db: 'routeplan' user: 'dispatch' "
                                                   "host: '10.12.7.31' (Got an error reading communication packets).")
        r = sc.rng.random()
        if r < 0.4:
            return mysql(sc, t, 0, "ERROR", "MY-012639", "Write to file ./routeplan/"
                         "route_leg_candidates.ibd failed at offset 41943040000, 1048576 bytes should "
                         "have been written, only 0 were written. Operating system error number 28. "
                         "Check that your OS and file system support files of this size. Check also "
                         "that the disk is not full or a disk quota exceeded.", "InnoDB")
        if r < 0.7:
            return mysql(sc, t, 0, "ERROR", "MY-012640", "Error number 28 means 'No space left on device'", "InnoDB")
        return mysql(sc, t, sc.rng.randint(12000, 13000), "Warning", "MY-010000",
                     "Disk is full writing './mysql-bin-changelog.000412' (OS errno 28 - No space "
                     "left on device). Waiting for someone to free space... Retry in 60 secs.")
    sprinkle(sc, f"/aws/rds/instance/{db}/error", db, lambda t: 0.3 if t < full else 2.5, err)

    def opt(t):
        if t < start:
            return None
        if t >= full:
            if t > full + 400:
                return None
            return spring(sc, t, "ERROR", "pool-2-thread-7", "c.f.planning.LegWriter",
                          "Batch insert failed: java.sql.SQLException: The table "
                          "'route_leg_candidates' is full", "route-optimizer")
        phase = "materialise-candidates" if t >= -4200 else "solve"
        return spring(sc, t, "INFO", "main", "c.f.planning.Optimizer",
                      f"phase={phase} depots=38 routes=4210 legs_written="
                      f"{int((t - start) * 2100)} best_cost={9.1e6 - (t - start) * 40:.0f}",
                      "route-optimizer")
    sprinkle(sc, "/ecs/route-optimizer", f"ecs/route-optimizer/{sc.hexid(32)}", lambda t: 1.0, opt,
             t0=start)

    def api(t):
        r = sc.rng.random()
        if t >= full and r < 0.5:
            return _mono(sc, t, "ERROR", 'Doctrine\\DBAL\\Exception\\DriverException: An exception '
                         'occurred while executing a query: SQLSTATE[HY000]: General error: 1114 '
                         "The table 'dispatch_events' is full {\"route\":\"POST /v1/dispatch/"
                         f"{sc.rng.randint(1000, 9999)}/events\"}}")
        if r < 0.06:
            return _mono(sc, t, "WARNING", "SQLSTATE[40001]: Serialization failure: 1213 Deadlock "
                         "found when trying to get lock; try restarting transaction (retried 1/3)")
        if r < 0.1:
            return _mono(sc, t, "ERROR", f"Geocoder timeout for address id {sc.rng.randint(10 ** 5, 10 ** 6)}; "
                         "using depot centroid")
        return _mono(sc, t, "INFO", f"Matched route \"dispatch_event_create\" driver={device_id(sc, 'DRV')} "
                     f"took_ms={sc.rng.randint(12, 90)}")
    for _ in range(2):
        sprinkle(sc, "/ecs/route-api", f"php/route-api/{sc.hexid(32)}",
                 lambda t: 0.8 + (1.5 if t >= full else 0), api)
    sc.change(start - 5, "ecs.amazonaws.com", "RunTask", "AWS::ECS::Task", "planning/route-optimizer",
              "AmazonEventBridgeSchedulerRole")
    sc.change(-1390, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "dispatch/route-api",
              "gha-dispatch")
    sc.alarm("routeplan-my-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db},
             "Average", 300, 3, 70, "GreaterThanThreshold", "Planning DB CPU")
    sc.alarm("routeplan-my-free-storage", "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db},
             "Minimum", 300, 1, 2147483648, "LessThanThreshold", "Planning DB free storage < 2 GiB")
    sc.expect = {"alarm": "routeplan-my-free-storage",
                 "root_cause": {"category": "storage_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = dict(where="alarm on origin (RDS)",
                   decoys="CPU alarm on the same DB in ALARM since the nightly job began; "
                          "route-api release 90 s before storage ran out; deadlock and geocoder "
                          "errors all night",
                   services="RDS MySQL, ECS (Java, PHP)")
    return sc


def s10() -> Scenario:
    sc = Scenario(10, "shadow-sync-reconnect",
                  "Device shadow API 5xx after a cellular outage; API 5XXError alarm in ALARM.",
                  "me-central-1", 7110, "2026-03-18T05:12:00")
    api, fn, cap = "device-shadow", "shadow-sync", 60
    arn = f"arn:aws:lambda:me-central-1:{sc.account}:function:{fn}"
    sc.resource("apigateway", api, api_id="r5t0w2n8hq", stage="prod")
    sc.resource("lambda", fn, runtime="provided.al2023", timeout=10, memory_size=256,
                reserved_concurrency=cap, architecture="arm64")
    sc.resource("apigateway", "fleet-admin", api_id="c1x7b3k9mz", stage="prod")
    sc.resource("lambda", "fleet-admin-api", runtime="provided.al2023", timeout=15, memory_size=256)
    blip = -1680
    routine = [-17200, -12400, -7600]

    def load(t):
        out = fleet_load(sc, t, 1100, amp=0.15, peak=8, batch=0.3, batch_minute=20,
                         wave_starts=routine, wave_h=0.5)
        if t >= blip - 60:
            out += 1100 * (2.6 * ramp(t, blip - 60, blip) * (0.7 + 0.3 * max(0.0, 1 - (t - blip) / 1200))
                           + waves(t, [blip + 420, blip + 900], 0.8, 300))
        return out

    cnt = sc.series(load, noise=0.03, integer=True)
    dur = sc.series(lambda t: 1480 + 250 * ramp(t, blip, blip + 60), noise=0.05)
    ok = [min(float(c), cap * 60000 / d * 0.97) for c, d in zip(cnt, dur)]
    ok = [float(round(v)) for v in ok]
    thr = [max(0.0, c - o) for c, o in zip(cnt, ok)]
    conc = [float(min(cap, round(o * d / 60000 * 1.05 + sc.rng.random()))) for o, d in zip(ok, dur)]
    errs = sc.series(lambda t: 0.3, noise=0.5, integer=True)
    lam_metrics(sc, fn, ok, errs, dur, thr=thr, conc=conc)
    apigw_metrics(sc, api, cnt, sc.series(lambda t: 9, noise=0.3, integer=True),
                  [float(v + e) for v, e in zip(thr, errs)],
                  [round(d * (o / c if c else 1) + 15 * (1 - (o / c if c else 1)) + 20, 1)
                   for d, o, c in zip(dur, ok, cnt)])
    lam_metrics(sc, "fleet-admin-api", sc.series(lambda t: 4, noise=0.3, integer=True), zeros(),
                sc.series(lambda t: 210, noise=0.1))
    apigw_metrics(sc, "fleet-admin", sc.series(lambda t: 4, noise=0.3, integer=True), zeros(), zeros(),
                  sc.series(lambda t: 240, noise=0.1))

    def body(ll, t, rid, is_err, cold):
        dev = device_id(sc, "TCU")
        d = sc.rng.uniform(900, 2200)
        lines = []
        r = sc.rng.random()
        if r < 0.07:
            lines.append((0.01, logfmt(sc, t, "ERROR", "shadow version conflict", device=dev,
                                       expected=sc.rng.randint(30, 60), got=sc.rng.randint(20, 29),
                                       request_id=rid)))
        elif r < 0.12:
            lines.append((0.01, logfmt(sc, t, "WARN", "device clock skew", device=dev,
                                       skew="1h0m2s", request_id=rid)))
        lines.append((d / 1000, logfmt(sc, t + d / 1000, "INFO", "shadow synced", device=dev,
                                       version=sc.rng.randint(30, 90), delta_keys=sc.rng.randint(0, 6),
                                       reconnect=str(t >= blip and sc.rng.random() < 0.7).lower(),
                                       dur_ms=int(d), request_id=rid)))
        return {"lines": lines, "dur": d}

    lambda_logs(sc, fn, "provided.al2023", 256, 10, ok, zeros(), body, k=3)
    group, stream = "API-Gateway-Execution-Logs_r5t0w2n8hq/prod", sc.hexid(32)
    frac = {t: (th / c if c else 0) for t, th, c in zip(GRID, thr, cnt)}

    def ex(t):
        m = (t // 60) * 60
        if sc.rng.random() < frac.get(m, 0):
            lines = apigw_exec(sc, t, "POST", "/things/{thing}/shadow/sync", arn, 500, 14,
                               (f"Lambda invocation failed with status: 429. Lambda request id: {sc.uuid()}",
                                "Execution failed due to configuration error: Rate Exceeded."))
        else:
            lines = apigw_exec(sc, t, "POST", "/things/{thing}/shadow/sync", arn, 200,
                               int(sc.rng.uniform(900, 2200)))
        for tt, txt in lines:
            sc.log(group, stream, tt, txt)
    sprinkle(sc, group, stream, lambda t: 1.5, ex)
    sc.change(-1705, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage",
              "fleet-admin/prod", "r.haddad")
    sc.change(-15000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, "codebuild-shadow")
    sc.alarm("device-shadow-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 50,
             "GreaterThanThreshold", "Device shadow API 5xx")
    sc.alarm("shadow-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "shadow-sync function errors")
    sc.expect = {"alarm": "device-shadow-5xx",
                 "root_cause": {"category": "throttling", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(where="alarm on front (API Gateway); origin Lambda behind it",
                   decoys="fleet-admin stage update 25 s before the reconnect; the reconnect "
                          "itself (about 3x) invites traffic_surge; Lambda Errors alarm stays OK; "
                          "version-conflict ERROR lines all day; routine waves peaked at 45 of 60 "
                          "concurrency",
                   services="API Gateway, Lambda (Go)")
    return sc
