"""h15-05: a MySQL instance reaches max_connections; two clients whose names share
nothing with it (a .NET ECS API with Serilog and a Python Lambda) get 'Too many
connections'. The alarm is on the Lambda."""
from __future__ import annotations

from datetime import datetime

import numpy as np

from . import aws
from .common import Ctx, Stream, alarm, bump, change, ramp, scenario
from .logfmt import LambdaEnvs, mysql_err, py_line, serilog

REGION = "ap-southeast-2"
DB, DB_HOST = "tdb-prd-a", "tdb-prd-a.c7vq2m8xk1pa.ap-southeast-2.rds.amazonaws.com"
REPORTING = "tdb-prd-reporting"
CLUSTER, SERVICE = "travel-prod", "reservations-api"
FN = "fare-cache-warmer"
LB = "app/travel-api/3f9b1d7c5e2a4068"
TG = "targetgroup/res-api-5000/8d1f3b5a7c9e2046"
MAXC = 300
ONSET = -2100.0
PROPS = ["SYD-HBR-01", "MEL-CBD-04", "BNE-RIV-02", "SYD-BON-07", "CBR-CIV-01", "ADL-NTH-03"]
ROUTES = ["SYD-MEL", "SYD-BNE", "MEL-ADL", "BNE-CNS", "SYD-OOL", "MEL-HBA", "PER-SYD"]

NET_EXC = ("MySqlConnector.MySqlException (0x80004005): Too many connections\n"
           "   at MySqlConnector.Core.ServerSession.ConnectAsync(ConnectionSettings cs, MySqlConnection connection, Int32 startTickCount, ILoadBalancer loadBalancer, Activity activity, IOBehavior ioBehavior, CancellationToken cancellationToken) in /_/src/MySqlConnector/Core/ServerSession.cs:line 548\n"
           "   at MySqlConnector.Core.ConnectionPool.ConnectSessionAsync(MySqlConnection connection, Action`4 logMessage, Int32 startTickCount, Activity activity, IOBehavior ioBehavior, CancellationToken cancellationToken) in /_/src/MySqlConnector/Core/ConnectionPool.cs:line 433\n"
           "   at MySqlConnector.Core.ConnectionPool.GetSessionAsync(MySqlConnection connection, Int32 startTickCount, Activity activity, IOBehavior ioBehavior, CancellationToken cancellationToken) in /_/src/MySqlConnector/Core/ConnectionPool.cs:line 111\n"
           "   at MySqlConnector.MySqlConnection.CreateSessionAsync(ConnectionPool pool, Int32 startTickCount, Activity activity, Nullable`1 ioBehavior, CancellationToken cancellationToken) in /_/src/MySqlConnector/MySqlConnection.cs:line 1001\n"
           "   at Reservations.Api.Data.AvailabilityRepository.GetAsync(String propertyCode, DateOnly from, DateOnly to) in /src/Reservations.Api/Data/AvailabilityRepository.cs:line 41\n"
           "   at Reservations.Api.Availability.AvailabilityService.QueryAsync(AvailabilityRequest request) in /src/Reservations.Api/Availability/AvailabilityService.cs:line 77")
CANCEL_EXC = ("System.Threading.Tasks.TaskCanceledException: The request was canceled due to the configured HttpClient.Timeout of 10 seconds elapsing.\n"
              " ---> System.TimeoutException: The operation was canceled.\n"
              "   at System.Net.Http.HttpClient.HandleFailure(Exception e, Boolean telemetryStarted, HttpResponseMessage response, CancellationTokenSource cts, CancellationToken cancellationToken, CancellationTokenSource pendingRequestsCts)\n"
              "   at Reservations.Api.Partners.ChannelManagerClient.PushRatesAsync(RatePush push) in /src/Reservations.Api/Partners/ChannelManagerClient.cs:line 58")
PY_TB = ("[ERROR] OperationalError: (1040, 'Too many connections')\nTraceback (most recent call last):\n"
         '  File "/var/task/warmer/handler.py", line 27, in handler\n    with db.connect() as conn:\n'
         '  File "/var/task/warmer/db.py", line 14, in connect\n    return pymysql.connect(host=os.environ["DB_HOST"], user=USER, password=_secret(), database="bookings", connect_timeout=5)\n'
         '  File "/var/task/pymysql/connections.py", line 361, in __init__\n    self.connect()\n'
         '  File "/var/task/pymysql/connections.py", line 669, in connect\n    self._request_authentication()\n'
         '  File "/var/task/pymysql/err.py", line 150, in raise_mysql_exception\n    raise errorclass(errno, errval)')


def build(seed: int):
    ctx = Ctx(seed, datetime(2026, 5, 14, 3, 25), utc_offset_h=10)
    rng, t = ctx.rng, ctx.t
    shape = ctx.daily(13.0, 0.35)
    climb = ramp(t, -3900, 1800)
    base = 150 * shape + ctx.ar(4)
    conns = np.where(t < ONSET, base + (MAXC - 2 - base) * climb ** 1.3, MAXC - rng.integers(0, 3, ctx.n))
    full = ramp(t, ONSET, 60)
    req = ctx.poisson(120 * shape * (1 + ctx.ar(0.05)))
    avail = np.array([rng.binomial(int(n), 0.55) for n in req], dtype=float)
    t5 = np.array([rng.binomial(int(a), 0.45 * f) for a, f in zip(avail, full)], dtype=float)
    inv = ctx.poisson(np.full(ctx.n, 7.5))
    errs = np.array([rng.binomial(int(n), 0.85 * f) for n, f in zip(inv, full)], dtype=float)
    dur = 820 * (1 + ctx.ar(0.08)) + 600 * climb - 500 * full

    metrics = aws.rds(ctx, DB, cpu=31 * shape + ctx.ar(2) + 6 * climb, conns=conns, free_gb=412 + ctx.ar(0.05),
                      freemem_gb=11.4 - 0.8 * climb + ctx.ar(0.05), rlat=0.0012 + np.abs(ctx.ar(0.0002)),
                      wlat=0.0021 + np.abs(ctx.ar(0.0003)), riops=900 * shape + ctx.ar(40),
                      wiops=310 * shape + ctx.ar(20))
    metrics += aws.rds(ctx, REPORTING, cpu=9 + ctx.ar(1.5) + 78 * bump(t, -2650, -1950, 120), conns=6 + ctx.ar(1),
                       free_gb=230 + ctx.ar(0.05), freemem_gb=3.1 + ctx.ar(0.04),
                       rlat=0.0015 + np.abs(ctx.ar(0.0002)) + 0.012 * bump(t, -2650, -1950, 120))
    metrics += aws.lam(ctx, FN, inv, errs, dur, np.ceil(inv * dur / 60000 + rng.random(ctx.n)))
    metrics += aws.alb_lb(ctx, LB, req, t5xx=t5 + (rng.random(ctx.n) < 0.02), rt=0.06 + ctx.ar(0.006) + 0.05 * full)
    metrics += aws.alb_tg(ctx, LB, TG, req, t5xx=t5, healthy=np.full(ctx.n, 6), unhealthy=np.zeros(ctx.n))
    metrics += aws.ecs(ctx, CLUSTER, SERVICE, 27 * shape + ctx.ar(2), 58 + ctx.ar(1), np.full(ctx.n, 6))

    # ---- .NET API (Serilog compact JSON) -----------------------------------------
    tasks = [Stream(f"/ecs/{SERVICE}", f"api/{SERVICE}/{ctx.hex(32)}") for _ in range(6)]
    log_from = -7200.0
    for i in range(ctx.n):
        m0 = t[i]
        if m0 < log_from:
            continue
        n_ok = rng.binomial(int(req[i] - t5[i]), 0.1)
        for ts in sorted(m0 + rng.uniform(0, 60, n_ok)):
            path = ctx.pick(["/api/availability", "/api/bookings", "/api/properties", "/api/availability"])
            tasks[int(rng.integers(6))].add(ts, serilog(
                ctx, ts, "Information", "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms",
                RequestMethod="GET", RequestPath=path, StatusCode=200, Elapsed=round(float(rng.lognormal(np.log(25), 0.4)), 4),
                SourceContext="Serilog.AspNetCore.RequestLoggingMiddleware", RequestId=f"0HN{ctx.hex(9).upper()}:{ctx.hex(8)}"))
        for ts in sorted(m0 + rng.uniform(0, 60, int(t5[i]))):
            s = tasks[int(rng.integers(6))]
            rq = f"0HN{ctx.hex(9).upper()}:{ctx.hex(8)}"
            s.add(ts, serilog(ctx, ts, "Error", "Availability query failed for {PropertyCode}", NET_EXC,
                              PropertyCode=ctx.pick(PROPS), SourceContext="Reservations.Api.Availability.AvailabilityService",
                              RequestId=rq, RequestPath="/api/availability"))
            s.add(ts + 0.002, serilog(ctx, ts + 0.002, "Error",
                                      "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms",
                                      RequestMethod="GET", RequestPath="/api/availability", StatusCode=500,
                                      Elapsed=round(float(rng.uniform(3, 12)), 4),
                                      SourceContext="Serilog.AspNetCore.RequestLoggingMiddleware", RequestId=rq))
        if rng.random() < 0.06:
            ts = m0 + float(rng.uniform(0, 60))
            tasks[int(rng.integers(6))].add(ts, serilog(ctx, ts, "Error", "Rate push to channel manager failed for {PropertyCode}",
                                                        CANCEL_EXC, PropertyCode=ctx.pick(PROPS),
                                                        SourceContext="Reservations.Api.Partners.ChannelManagerClient"))
        if rng.random() < 0.1:
            ts = m0 + float(rng.uniform(0, 60))
            tasks[int(rng.integers(6))].add(ts, serilog(ctx, ts, "Warning", "Slow availability query for {PropertyCode}: {ElapsedMs} ms",
                                                        PropertyCode=ctx.pick(PROPS), ElapsedMs=int(rng.integers(900, 2500)),
                                                        SourceContext="Reservations.Api.Data.AvailabilityRepository"))

    # ---- Python warmer Lambda ------------------------------------------------------
    envs = LambdaEnvs(ctx, FN, "python3.12", REGION, 512, (420, 900))
    for i in range(ctx.n):
        m0 = t[i]
        if m0 < log_from:
            continue
        kinds = ["err"] * int(errs[i]) + ["ok"] * int(inv[i] - errs[i])
        rng.shuffle(kinds)
        for kind, ts in zip(kinds, sorted(m0 + rng.uniform(0, 60, len(kinds)))):
            rid = ctx.uuid()
            route = ctx.pick(ROUTES)
            if kind == "ok":
                d = float(max(200.0, dur[i] * rng.uniform(0.7, 1.3)))
                body = [(0.002, py_line(ctx, ts, "INFO", rid, f"warming fares route={route} days=14")),
                        (d / 1000 - 0.01, py_line(ctx, ts + d / 1000, "INFO", rid,
                                                  f"warmed {int(rng.integers(80, 240))} fares route={route}"))]
                envs.invoke(ts, rid, body, d, int(rng.integers(88, 104)), size=6)
            else:
                d = float(rng.uniform(25, 60))
                body = [(0.002, py_line(ctx, ts, "INFO", rid, f"warming fares route={route} days=14")),
                        (d / 1000 - 0.004, PY_TB)]
                envs.invoke(ts, rid, body, d, int(rng.integers(86, 98)), size=6)

    # ---- RDS MySQL error log --------------------------------------------------------
    rdslog = Stream(f"/aws/rds/instance/{DB}/error", DB)
    thread = 880000
    for ts in sorted(rng.uniform(-10800, -60, 160)):
        thread += int(rng.integers(50, 400))
        rdslog.add(float(ts), mysql_err(ctx, float(ts), 0, "Note", "MY-010914",
                                        f"Aborted connection {thread} to db: 'bookings' user: 'res_app' host: "
                                        f"'10.1.{int(rng.integers(2, 5))}.{int(rng.integers(10, 250))}' "
                                        "(Got an error reading communication packets)."))

    resources = [
        {"type": "rds", "id": DB, "properties": {"engine": "mysql", "engine_version": "8.0.36",
                                                 "instance_class": "db.r6g.large", "max_connections": MAXC,
                                                 "allocated_storage_gb": 500, "endpoint": DB_HOST,
                                                 "parameter_group": "tdb-mysql80"}},
        {"type": "rds", "id": REPORTING, "properties": {"engine": "mysql", "engine_version": "8.0.36",
                                                        "instance_class": "db.r6g.large", "allocated_storage_gb": 300}},
        {"type": "ecs", "id": f"{CLUSTER}/{SERVICE}", "properties": {
            "launch_type": "FARGATE", "desired_count": 6, "task_definition": f"{SERVICE}:301",
            "log_groups": [f"/ecs/{SERVICE}"], "target_group": TG,
            "environment": {"ConnectionStrings__Bookings": f"Server={DB_HOST};Database=bookings;User ID=res_app;"
                                                             "Maximum Pool Size=40;Connection Timeout=5",
                            "ASPNETCORE_ENVIRONMENT": "Production"}}},
        {"type": "lambda", "id": FN, "properties": {"runtime": "python3.12", "timeout": 30, "memory_size": 512,
                                                    "environment": {"DB_HOST": DB_HOST, "DB_USER": "fare_warmer"},
                                                    "event_source": "arn:aws:sqs:ap-southeast-2:123456789012:fare-warm-requests"}},
        {"type": "lambda", "id": "loyalty-points-sync", "properties": {"runtime": "python3.12", "timeout": 60,
                                                                      "memory_size": 256}},
        {"type": "alb", "id": LB, "properties": {"name": "travel-api", "target_groups": [TG]}},
    ]
    changes = [
        change(-2460, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
               "loyalty-points-sync", "s.patel"),
        change(-15600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", FN,
               "bitbucket-pipelines"),
    ]
    le = next(m for m in metrics if m["name"] == "Errors")
    cn = next(m for m in metrics if m["name"] == "DatabaseConnections" and m["dimensions"]["DBInstanceIdentifier"] == DB)
    rc = next(m for m in metrics if m["name"] == "CPUUtilization" and m["dimensions"].get("DBInstanceIdentifier") == REPORTING)
    alarms = [
        alarm(le, "fare-cache-warmer-errors", "Sum", 60, 3, 2, "GreaterThanThreshold", to_alarm=2, rng=rng,
              description="fare-cache-warmer failing invocations"),
        alarm(rc, "tdb-prd-reporting-cpu", "Average", 300, 1, 75, "GreaterThanThreshold", rng=rng),
        alarm(cn, "tdb-prd-a-connections-high", "Maximum", 300, 3, 320, "GreaterThanThreshold", rng=rng),
    ]
    doc = scenario(
        "h15-05-mysql-max-connections", "fare-cache-warmer-errors in ALARM; the reservations team also sees "
        "500s on availability.", REGION, resources, metrics, tasks + envs.streams + [rdslog], alarms, changes,
        {"alarm": "fare-cache-warmer-errors",
         "root_cause": {"category": "db_connection_exhaustion", "resource": [DB]},
         "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": DB}}]})
    meta = {"alarm_on": "front (a client Lambda)",
            "decoys": "CPU spike on the separate reporting instance (own alarm flips) right before onset; config change on "
                      "unrelated loyalty-points-sync 6 min before; stale connections alarm with a threshold above "
                      "max_connections stays OK; constant channel-manager timeouts and aborted-connection notes",
            "story": "DatabaseConnections on tdb-prd-a climbs for half an hour and pins at 300, its "
                     "max_connections. From about -35 min both of its clients, linked only by the endpoint in "
                     "their settings, fail to connect: the .NET reservations API logs MySqlConnector "
                     "`Too many connections` (Serilog @x) and the Python warmer Lambda raises pymysql "
                     "`(1040, 'Too many connections')`. No change touches the database or its clients near "
                     "onset. The reporting instance's CPU spike, its alarm and the loyalty-points-sync "
                     "configuration change are unrelated; the connections alarm never fires because its "
                     "threshold (320) is above the limit."}
    return doc, meta
