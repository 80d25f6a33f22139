"""h37-11 (push campaign traffic surge loads Aurora readers) and h37-12 (EF Core maps a NULL column: data-dependent app bug)."""
from __future__ import annotations

import json

from .common import LOG_START, Scenario, ramp, sig
from .logs import LambdaLogs, every, node_invoke_error, times


def build_11() -> Scenario:
    s = Scenario(11, "rewards-api-latency-push-surge",
                 "rewards-mobile-api latency alarm; app users report slow offer pages this evening.",
                 "ap-south-1", seed=3711, anchor=(2026, 11, 25, 13, 30, 0), tz_hours=5.5)
    cluster = "rewards-aurora"
    for iid, role, cls in (("rewards-aurora-w1", "writer", "db.r6g.xlarge"), ("rewards-aurora-r1", "reader", "db.r6g.xlarge"),
                           ("rewards-aurora-r2", "reader", "db.r6g.xlarge")):
        s.resource("rds", iid, engine="aurora-postgresql", engine_version="15.4", instance_class=cls,
                   cluster_identifier=cluster, role=role, max_connections=3600)
    s.resource("apigateway", "rewards-mobile-api", stage="prod", integration="lambda-proxy:rewards-offers")
    s.resource("lambda", "rewards-offers", runtime="nodejs20.x", timeout=20, memory_size=1024, libs="pg 8.11.3 (Pool max=2)",
               env={"DB_READER_HOST": "rewards-aurora.cluster-ro-cz9y8x7w6v5u.ap-south-1.rds.amazonaws.com",
                    "SESSION_REDIS": "rewards-session.abcd12.ng.0001.aps1.cache.amazonaws.com:6379"})
    s.resource("lambda", "rewards-points-ledger", runtime="nodejs20.x", timeout=30, memory_size=512)
    s.resource("lambda", "campaign-push-dispatcher", runtime="python3.12", timeout=900, memory_size=1024)

    t_push = -2460
    surge = lambda t: sig(t, t_push + 120, 30) * (6.2 - 1.4 * ramp(t, t_push + 600, 0))
    d = lambda t: s.diurnal(t, 0.3, 20.0)
    req = lambda t: 1050 * d(t) * (1 + surge(t))
    lat = lambda t: 95 + 1700 * sig(t, t_push + 150, 40) * (1 - 0.35 * ramp(t, t_push + 500, 0))
    api = {"ApiName": "rewards-mobile-api"}
    s.series("AWS/ApiGateway", "Count", api, "Count", lambda t: s.cnt(req(t)))
    s.series("AWS/ApiGateway", "Latency", api, "Milliseconds", lambda t: s.n(lat(t) + 18, 0.08))
    s.series("AWS/ApiGateway", "IntegrationLatency", api, "Milliseconds", lambda t: s.n(lat(t), 0.08))
    s.series("AWS/ApiGateway", "5XXError", api, "Count", lambda t: s.cnt(0.4 + req(t) * 0.004 * sig(t, t_push + 150, 40)))
    s.series("AWS/ApiGateway", "4XXError", api, "Count", lambda t: s.cnt(req(t) * 0.02))
    fn = {"FunctionName": "rewards-offers"}
    s.series("AWS/Lambda", "Invocations", fn, "Count", lambda t: s.cnt(req(t) * 0.98))
    s.series("AWS/Lambda", "Duration", fn, "Milliseconds", lambda t: s.n(lat(t) - 10, 0.08))
    s.series("AWS/Lambda", "Errors", fn, "Count", lambda t: s.cnt(0.3 + req(t) * 0.0035 * sig(t, t_push + 150, 40)))
    s.series("AWS/Lambda", "Throttles", fn, "Count", lambda t: 0)
    s.series("AWS/Lambda", "ConcurrentExecutions", fn, "Count", lambda t: round(s.n(req(t) / 60 * lat(t) / 1000 + 1, 0.06)))
    for iid, share in (("rewards-aurora-r1", 0.5), ("rewards-aurora-r2", 0.5)):
        dd = {"DBInstanceIdentifier": iid}
        s.series("AWS/RDS", "CPUUtilization", dd, "Percent", lambda t: s.n(22 * d(t) + 8.0 * surge(t), 0.06))
        s.series("AWS/RDS", "DatabaseConnections", dd, "Count", lambda t: round(s.n(60 + 2 * share * req(t) / 60 * lat(t) / 1000 * 1.6, 0.05)))
        s.series("AWS/RDS", "ReadLatency", dd, "Seconds", lambda t: s.n(0.0004 + 0.00025 * surge(t), 0.1), nd=5)
        s.series("AWS/RDS", "AuroraReplicaLag", dd, "Milliseconds", lambda t: s.n(16, 0.2))
    wd = {"DBInstanceIdentifier": "rewards-aurora-w1"}
    s.series("AWS/RDS", "CPUUtilization", wd, "Percent", lambda t: s.n(17 * d(t) + 0.7 * surge(t), 0.07))
    s.series("AWS/RDS", "DatabaseConnections", wd, "Count", lambda t: round(s.n(42, 0.05)))
    ec = {"CacheClusterId": "rewards-session-0001-001"}
    s.series("AWS/ElastiCache", "CurrConnections", ec, "Count", lambda t: round(s.n(120 + 2 * req(t) / 60 * lat(t) / 1000, 0.05)))
    s.series("AWS/ElastiCache", "CPUUtilization", ec, "Percent", lambda t: s.n(9 + 4 * surge(t), 0.08))
    pl = {"FunctionName": "rewards-points-ledger"}
    s.series("AWS/Lambda", "Invocations", pl, "Count", lambda t: s.cnt(80 * d(t)))
    s.series("AWS/Lambda", "Errors", pl, "Count", lambda t: s.cnt(0.1))
    s.series("AWS/Lambda", "Duration", pl, "Milliseconds", lambda t: s.n(64, 0.1))

    ag = "/aws/apigateway/rewards-mobile-api/prod/access"
    for t in times(s, LOG_START, 0, lambda t: 8 * d(t) * (1 + surge(t))):
        campaign = s.chance(surge(t) / (1 + surge(t)) * 0.97)
        path = "/v1/offers/bf-early-access" if campaign else s.pick(["/v1/offers/home", "/v1/member/points", "/v1/offers/category/dining"])
        ua = s.pick(["RewardsApp/5.12.0 (Android 14; SM-S918B)", "RewardsApp/5.12.0 (iOS 18.1; iPhone15,2)", "RewardsApp/5.11.3 (Android 13; 2201117TI)"])
        status = "200" if not s.chance(0.02) else "401"
        s.log(ag, "access", t, json.dumps({
            "requestId": s.uid(), "ip": f"{s.pick(['49.36', '106.51', '117.99', '223.187'])}.{s.rng.randint(0, 255)}.{s.rng.randint(1, 254)}",
            "requestTime": s.dt(t).strftime("%d/%b/%Y:%H:%M:%S +0000"), "httpMethod": "GET", "path": path + ("?utm_source=push&utm_campaign=bf_early_access" if campaign else ""),
            "status": status, "responseLatency": str(int(s.n(lat(t) + 18, 0.4))), "userAgent": ua}, separators=(",", ":")))
    ol = LambdaLogs(s, "rewards-offers", "nodejs20.x", 1024)
    for t in times(s, LOG_START, 0, lambda t: 2.6 * d(t) * (1 + surge(t))):
        grow = surge(t) > 0.5 and s.chance(0.35 * (1 - ramp(t, t_push + 300, 0)) + 0.04)
        cold = grow or s.chance(0.01)
        pre = [(0.001, "INFO", "pg pool ready host=rewards-aurora.cluster-ro-cz9y8x7w6v5u.ap-south-1.rds.amazonaws.com max=2")] if cold else []
        mbr = f"MBR-{s.rng.randint(10000000, 99999999)}"
        ms = s.n(lat(t) - 10, 0.35)
        if s.chance(0.0035 * sig(t, t_push + 150, 40)):
            ol.invoke(t, 5020, pre + [(5.01, "ERROR", node_invoke_error("Error", "timeout exceeded when trying to connect",
                      ["Timeout._onTimeout (/var/task/node_modules/pg-pool/index.js:45:11)", "listOnTimeout (node:internal/timers:573:17)"]))],
                      s.rng.randint(140, 170), cold, init_ms=s.n(950, 0.2))
            continue
        camp = "bf_early_access" if s.chance(surge(t) / (1 + surge(t))) else "none"
        lines = pre + [(ms / 1000 - 0.003, "INFO", f"served offers member={mbr} campaign={camp} offers={s.rng.randint(6, 24)} db_ms={int(ms * 0.6)}")]
        if s.chance(0.03):
            lines.insert(len(pre), (0.01, "WARN", f"offer OFF-{s.rng.randint(1000, 9999)} has expired but is still featured; skipping"))
        ol.invoke(t, ms, lines, s.rng.randint(140, 175), cold, init_ms=s.n(950, 0.2))
    cl = LambdaLogs(s, "campaign-push-dispatcher", "python3.12", 1024)
    lines = [(0.5, "INFO", "campaign bf_early_access scheduled=2026-11-25T18:30+05:30 channel=push segment=all_active_mobile size=6120443"),
             (1.2, "INFO", "sending via pinpoint application=rewards-mobile batch_size=100000")]
    lines += [(2 + k * 2.1, "INFO", f"batch {k + 1}/62 accepted delivered={s.rng.randint(97000, 99900)}") for k in range(62)]
    lines.append((133.0, "INFO", "campaign bf_early_access push complete: 6,071,882 delivered, 48,561 failed (invalid token)"))
    cl.invoke(t_push - 5, 133500, lines, 402, True)

    pb = LambdaLogs(s, "rewards-points-ledger", "nodejs20.x", 512)
    for t in times(s, LOG_START, 0, lambda t: 2):
        if t > -4190 and not getattr(pb, "_dep", False):
            pb.envs.clear()
            pb._dep = True
        ms = s.n(64, 0.1)
        pb.invoke(t, ms, [(ms / 1000 - 0.002, "INFO", f"points posted member=MBR-{s.rng.randint(10000000, 99999999)} delta={s.rng.randint(-500, 900)}")], 92, s.chance(0.02))

    s.change(-4200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "rewards-points-ledger", "azure-devops-release")
    s.alarm("rewards-aurora-r1-connections", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": "rewards-aurora-r1"}, "Average",
            60, 3, 250, "GreaterThanThreshold", "reader connections high", after=-7200)
    s.alarm("rewards-mobile-api-latency", "AWS/ApiGateway", "Latency", api, "Average", 60, 3, 800, "GreaterThanThreshold",
            "rewards mobile API average latency above 800 ms", after=-7200)
    s.expect("rewards-mobile-api-latency", "traffic_surge", ["rewards-mobile-api", "rewards-offers"],
             [("AWS/ApiGateway", "Count", api), ("AWS/ApiGateway", "Latency", api)])
    return s


NULL_EXC = ("System.Data.SqlTypes.SqlNullValueException: Data is Null. This method or property cannot be called on Null values.\n"
            "   at MySqlConnector.Core.Row.GetString(Int32 ordinal) in /_/src/MySqlConnector/Core/Row.cs:line 350\n"
            "   at lambda_method187(Closure, QueryContext, DbDataReader, ResultContext, SingleQueryResultCoordinator)\n"
            "   at Microsoft.EntityFrameworkCore.Query.Internal.SingleQueryingEnumerable`1.AsyncEnumerator.MoveNextAsync()")


def build_12() -> Scenario:
    s = Scenario(12, "fulfil-api-5xx-tracking-null-carrier",
                 "fulfil-api ALB 5XX alarm; some customers get errors opening shipment tracking.",
                 "eu-west-3", seed=3712, anchor=(2026, 11, 19, 10, 10, 0), tz_hours=1)
    cl, svc, lb = "fulfil-prod", "shipment-api", "app/fulfil-api/6c2e8a4f0b1d3e57"
    s.resource("ecs", f"{cl}/{svc}", cluster=cl, service=svc, desired_count=4, cpu=1024, memory=2048,
               runtime=".NET 8 / EF Core 8.0.4 / Pomelo.EntityFrameworkCore.MySql 8.0.2 (MySqlConnector 2.3.5)",
               image="117288034567.dkr.ecr.eu-west-3.amazonaws.com/shipment-api:8.14.0", log_group="/ecs/shipment-api")
    s.resource("rds", "fulfil-mysql", engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large", max_connections=1000,
               backup_retention_days=14)
    s.resource("alb", lb, name="fulfil-api")
    s.resource("lambda", "returns-webhook", runtime="python3.12", timeout=30, memory_size=256)

    t0 = -2300
    bad = lambda t: 0.09 * ramp(t, t0, t0 + 800)         # share of tracking lookups hitting the new carrier's shipments
    d = lambda t: s.diurnal(t, 0.25, 12.0)
    req = lambda t: 3000 * d(t)
    alb = {"LoadBalancer": lb}
    s.series("AWS/ApplicationELB", "RequestCount", alb, "Count", lambda t: s.cnt(req(t)))
    s.series("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb, "Count", lambda t: s.cnt(1.5 + req(t) * 0.3 * bad(t)))
    s.series("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", alb, "Count", lambda t: s.cnt(req(t) * 0.01))
    s.series("AWS/ApplicationELB", "TargetResponseTime", alb, "Seconds", lambda t: s.n(0.046, 0.1), nd=4)
    ecs = {"ClusterName": cl, "ServiceName": svc}
    s.series("AWS/ECS", "CPUUtilization", ecs, "Percent", lambda t: s.n(29 * d(t), 0.08))
    s.series("AWS/ECS", "MemoryUtilization", ecs, "Percent", lambda t: s.n(44, 0.03))
    db = {"DBInstanceIdentifier": "fulfil-mysql"}
    s.series("AWS/RDS", "CPUUtilization", db, "Percent", lambda t: s.n(24 * d(t), 0.08))
    s.series("AWS/RDS", "DatabaseConnections", db, "Count", lambda t: round(s.n(82, 0.04)))
    s.series("AWS/RDS", "ReadLatency", db, "Seconds", lambda t: s.n(0.0006, 0.1), nd=5)
    s.series("AWS/RDS", "WriteLatency", db, "Seconds", lambda t: s.n(0.0011, 0.1), nd=5)
    s.series("AWS/RDS", "FreeStorageSpace", db, "Bytes", lambda t: 233.1e9 - (t + 21600) * 2500, nd=0)
    rw = {"FunctionName": "returns-webhook"}
    s.series("AWS/Lambda", "Invocations", rw, "Count", lambda t: s.cnt(9))
    s.series("AWS/Lambda", "Errors", rw, "Count", lambda t: s.cnt(0.03))
    s.series("AWS/Lambda", "Duration", rw, "Milliseconds", lambda t: s.n(180, 0.1))

    grp = "/ecs/shipment-api"
    tasks = [s.hexs(32) for _ in range(4)]

    def jlog(task, t, eid, level, cat, msg, exc=None, **state):
        rec = {"Timestamp": s.iso(t), "EventId": eid, "LogLevel": level, "Category": cat, "Message": msg}
        if exc:
            rec["Exception"] = exc
        if state:
            rec["State"] = state
        s.log(grp, f"ecs/shipment-api/{task}", t, json.dumps(rec, separators=(",", ":")))
    for t in times(s, LOG_START, 0, lambda t: 12 * d(t)):
        task, shp = s.pick(tasks), f"SHP-{s.rng.randint(10000000, 99999999)}"
        tracking = s.chance(0.3)
        path = f"/v1/shipments/{shp}/tracking" if tracking else s.pick([f"/v1/shipments/{shp}", "/v1/shipments?status=IN_TRANSIT&page=1",
                                                                         f"/v1/orders/ORD-{s.rng.randint(100000, 999999)}/shipments"])
        if tracking and s.chance(bad(t)):
            msg = f"An exception occurred while iterating over the results of a query for context type 'Fulfil.Shipments.Data.ShipmentsDbContext'.\n{NULL_EXC}"
            jlog(task, t + 0.008, 10100, "Error", "Microsoft.EntityFrameworkCore.Query", msg, NULL_EXC, contextType="Fulfil.Shipments.Data.ShipmentsDbContext")
            jlog(task, t + 0.009, 1, "Error", "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware",
                 "An unhandled exception has occurred while executing the request.",
                 NULL_EXC + "\n   at Fulfil.Shipments.Tracking.TrackingService.GetTrackingAsync(String shipmentId, CancellationToken ct) in /src/Fulfil.Shipments/Tracking/TrackingService.cs:line 47"
                 "\n   at Fulfil.Shipments.Api.Controllers.TrackingController.Get(String id, CancellationToken ct) in /src/Fulfil.Shipments.Api/Controllers/TrackingController.cs:line 29")
            jlog(task, t + 0.01, 2, "Information", "Microsoft.AspNetCore.Hosting.Diagnostics",
                 f"Request finished HTTP/1.1 GET http://shipment-api.internal{path} - 500 - application/problem+json {s.n(11, 0.3):.4f}ms")
        else:
            jlog(task, t + 0.01, 2, "Information", "Microsoft.AspNetCore.Hosting.Diagnostics",
                 f"Request finished HTTP/1.1 GET http://shipment-api.internal{path} - 200 {s.rng.randint(300, 9000)} application/json;+charset=utf-8 {s.n(14, 0.4):.4f}ms")
    for t in times(s, LOG_START, 0, lambda t: 1.2):
        jlog(s.pick(tasks), t, 10102, "Warning", "Microsoft.EntityFrameworkCore.Query",
             "The query uses a row limiting operator ('Skip'/'Take') without an 'OrderBy' operator. This may lead to unpredictable results. "
             "If the 'Distinct' operator is used after 'Skip'/'Take', make sure to use the 'OrderBy' operator before 'Skip'/'Take' as well.")
    for t in every(LOG_START + 30, 0, 900, 20, s):
        jlog(s.pick(tasks), t, 0, "Information", "Fulfil.Shipments.Dispatch.CutoffWorker",
             f"Dispatch cutoff processed: {s.rng.randint(900, 2400)} shipments handed to carriers (DPD, COLISSIMO, CHRONOPOST"
             f"{', COLISPRIVE' if t > t0 - 60 else ''})")
    wl = LambdaLogs(s, "returns-webhook", "python3.12", 256)
    for t in times(s, LOG_START, 0, lambda t: 2):
        if t > -3390 and not getattr(wl, "_dep", False):
            wl.envs.clear()
            wl._dep = True
        ms = s.n(180, 0.1)
        wl.invoke(t, ms, [(ms / 1000 - 0.005, "INFO", f"return RMA-{s.rng.randint(100000, 999999)} registered carrier_label=ok")], 66, s.chance(0.02))
    sl = "/aws/rds/instance/fulfil-mysql/slowquery"
    for t in times(s, LOG_START, 0, lambda t: 0.15):
        q = s.n(1.4, 0.2)
        s.log(sl, "fulfil-mysql", t, f"# Time: {s.iso(t, 6)}\n# User@Host: reporting[reporting] @  [10.77.{s.rng.randint(1, 9)}.{s.rng.randint(2, 250)}]  Id: {s.rng.randint(400000, 500000)}\n"
              f"# Query_time: {q:.6f}  Lock_time: 0.000004 Rows_sent: {s.rng.randint(1, 40)}  Rows_examined: {s.rng.randint(800000, 1200000)}\n"
              f"use fulfil;\nSET timestamp={int(s.dt(t).timestamp())};\nSELECT carrier_code, COUNT(*) FROM shipments WHERE dispatched_at >= CURDATE() GROUP BY carrier_code;")

    s.change(-9500, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "fulfil-mysql", "dba-lmartin")
    s.change(-3400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "returns-webhook", "github-actions-deploy")
    s.alarm("fulfil-api-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb, "Sum", 60, 3, 20, "GreaterThanThreshold",
            "fulfil-api target 5XX", after=-7200)
    s.expect("fulfil-api-5xx", "application_error", [f"{cl}/{svc}", svc],
             [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb)])
    return s
