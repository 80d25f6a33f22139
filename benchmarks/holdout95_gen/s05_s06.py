"""h95-05 payment acquirer stops answering (dependency failure, .NET on ECS behind an ALB);
h95-06 store-opening sync scales out past the database's connection limit (db connection
exhaustion, Python on ECS behind an ALB, PostgreSQL)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import gunicorn, logfmt_writer, pg

from .kit import (CAN, EAST, alb_metrics, bump, clef, diurnal, ecs_metrics, new, ramp, rds_metric,
                  times)

logfmt = logfmt_writer("ts", quote_msg=True)


def build_05():
    sc = new(5, "tender-auth-5xx", "Card payments declining or hanging at lanes; "
             "pos-tender target 5XX alarm fired.", EAST, "2026-11-21T18:12:00+00:00")
    T0 = -1800
    lb = "app/pos-tender/8e21c4b0d9f3a7c2"
    db = "tender-ledger"
    sc.resource("alb", lb, name="pos-tender", scheme="internal")
    sc.resource("ecs", "pos-prod/tender-auth", launch_type="FARGATE", cpu=1024, memory=2048,
                desired_count=3, image="tender-auth:5.2.7")
    sc.resource("rds", db, engine="postgres", engine_version="15.8", instance_class="db.r6g.large",
                max_connections=1000, allocated_storage_gb=400)
    out = lambda t: ramp(t, T0, T0 + 90)
    alb_metrics(sc, lb, lambda t: 1450 * diurnal(sc, t, 18, 0.25),
                t5_p=lambda t: 0.0009 + 0.55 * out(t), e5_p=lambda t: 0.0002 + 0.004 * out(t),
                trt=lambda t: 0.42 + 5.6 * out(t), healthy=3.0)
    ecs_metrics(sc, "pos-prod", "tender-auth", cpu=lambda t: 34 * diurnal(sc, t, 18, 0.25) - 11 * out(t),
                mem=lambda t: 52 + 7 * out(t), tasks=lambda t: 3)
    rds_metric(sc, db, "CPUUtilization", "Percent", lambda t: 17 + bump(t, -7300, -6700, 38, 120) -
               4 * out(t), noise=0.08, digits=2)
    rds_metric(sc, db, "DatabaseConnections", "Count", lambda t: 64, noise=0.03, integer=True)
    rds_metric(sc, db, "FreeStorageSpace", "Bytes", lambda t: 2.61e11 - 1.1e6 * (t + 21600), noise=0.0005,
               digits=0)
    rds_metric(sc, db, "WriteLatency", "Seconds", lambda t: 0.0011 + bump(t, -7300, -6700, 0.004, 120),
               noise=0.1, digits=5)
    dims = {"LoadBalancer": lb}
    sc.alarm("pos-tender-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Sum", 60, 3,
             50.0, "GreaterThanThreshold", "Tender service 5xx behind pos-tender")
    sc.alarm("pos-tender-latency", "AWS/ApplicationELB", "TargetResponseTime", dims, "Average", 60, 5, 3.0,
             "GreaterThanThreshold", "Tender authorisation latency")
    sc.alarm("tender-ledger-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300,
             1, 45.0, "GreaterThanThreshold", "tender-ledger CPU")
    rng = sc.rng
    g = "/ecs/tender-auth"
    streams = [f"tender/tender-auth/{sc.hexid(32)}" for _ in range(3)]
    host = "auth.northlane-acq.example.net"
    term = lambda: f"T{rng.randint(101, 498):03d}-{rng.randint(1, 14):02d}"
    src = {"SourceContext": "Tender.Auth.AuthorizationService"}
    for t in times(sc, lambda t: 7 * diurnal(sc, t, 18, 0.25) * (1 - 0.55 * out(t))):
        sc.log(g, rng.choice(streams), t, clef(sc, t, "Information", "Authorization {AuthId} for terminal "
               "{TerminalId} store {StoreId} approved in {Elapsed} ms (ledger {LedgerMs} ms)",
               AuthId=sc.hexid(12), TerminalId=term(), StoreId=rng.randint(101, 498),
               Elapsed=rng.randint(280, 640), LedgerMs=rng.randint(2, 9), **src))
    for t in times(sc, lambda t: 1.1):
        sc.log(g, rng.choice(streams), t, clef(sc, t, "Warning", "Terminal {TerminalId} firmware {Firmware} "
               "below recommended {Recommended}", TerminalId=term(), Firmware="4.2.1", Recommended="4.3.0",
               SourceContext="Tender.Auth.TerminalRegistry"))
    for t in times(sc, lambda t: 5 * out(t), start=T0):
        sc.log(g, rng.choice(streams), t, clef(sc, t, "Error", "Acquirer call failed for {TerminalId} after "
               "{Elapsed} ms", exc=("System.Threading.Tasks.TaskCanceledException: The request was canceled "
               "due to the configured HttpClient.Timeout of 15 seconds elapsing.\n ---> System.TimeoutException:"
               " A task was canceled.\n   at System.Net.Http.HttpClient.HandleFailure(Exception e, Boolean "
               "telemetryStarted, HttpResponseMessage response, CancellationTokenSource cts)\n   at Tender.Auth."
               "Acquirer.NorthlaneClient.AuthorizeAsync(AuthRequest req) in /src/Tender.Auth/Acquirer/"
               "NorthlaneClient.cs:line 88"), TerminalId=term(), Elapsed=15000 + rng.randint(1, 40),
               Host=host, **src))
    for t in times(sc, lambda t: 1.5 * out(t), start=T0 + 60):
        sc.log(g, rng.choice(streams), t, clef(sc, t, "Warning", "Circuit for {Acquirer} opened for {Break}",
               Acquirer=host, Break="00:00:30", SourceContext="Tender.Auth.Resilience"))
        sc.log(g, rng.choice(streams), t + rng.uniform(1, 20), clef(
            sc, t, "Error", "Authorization rejected for {TerminalId}: acquirer unavailable", exc=(
                "Polly.CircuitBreaker.BrokenCircuitException: The circuit is now open and is not allowing "
                "calls.\n   at Tender.Auth.AuthorizationService.AuthorizeAsync(AuthRequest req) in "
                "/src/Tender.Auth/AuthorizationService.cs:line 131"), TerminalId=term(), **src))
    for t in times(sc, lambda t: 0.25 * out(t), start=T0 + 120):
        sc.log(g, rng.choice(streams), t, clef(sc, t, "Error", "Acquirer call failed for {TerminalId} after "
               "{Elapsed} ms", exc=f"System.Net.Http.HttpRequestException: Connection refused ({host}:443)\n"
               " ---> System.Net.Sockets.SocketException (111): Connection refused", TerminalId=term(),
               Elapsed=rng.randint(30, 90), Host=host, **src))
    pgg = f"/aws/rds/instance/{db}/postgresql"
    for t in range(-21600 + 17, 0, 300):
        sc.log(pgg, f"{db}.0", t, pg(sc, t, "LOG", f"checkpoint complete: wrote {rng.randint(900, 4000)} "
               f"buffers ({rng.uniform(0.5, 3):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled", pid=588))
    sc.log(pgg, f"{db}.0", -7290, pg(sc, -7290, "LOG", "automatic vacuum of table \"tender.public.auth_ledger\": "
           "index scans: 1", pid=30122))
    sc.change(-9000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "pos-prod/tender-auth",
              "ci-tender-release")
    sc.change(T0 - 140, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", db, "dba-cgagnon")
    sc.expect = {"alarm": "pos-tender-target-5xx",
                 "root_cause": {"category": "dependency_failure",
                                "resource": ["pos-prod/tender-auth", "tender-auth"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": dims}]}
    sc.meta = {"front": "front (ALB); the failing dependency is outside the account",
               "services": ["alb", "ecs", "rds"], "runtime": ".NET 8 on ECS (Serilog compact JSON)",
               "decoys": "ModifyDBInstance on tender-ledger 2 min before onset; DB CPU/latency spike 1.5 h "
                         "earlier with its own (recovered) alarm; steady firmware WARNs",
               "story": "At 17:42 UTC calls from tender-auth to the external acquirer start failing: "
                        "HttpClient's 15 s timeout, then Polly opens the circuit and later some connection "
                        "refusals, all naming auth.northlane-acq.example.net. pos-tender's target 5xx and "
                        "response time jump while tender-auth's CPU falls and memory rises slightly (requests "
                        "waiting). The DBA's ModifyDBInstance on tender-ledger two minutes earlier is the "
                        "closest change, but the database's CPU, connections and write latency stay flat and "
                        "approved authorisations still log 2-9 ms ledger writes."}
    return sc


# =========================================================================== 06
def build_06():
    sc = new(6, "store-opening-sync-5xx", "Stores can't complete opening sync at 07:00; "
             "storeops-edge 5XX alarm.", CAN, "2026-11-23T12:24:00+00:00")
    lb = "app/storeops-edge/5b7e90c1a4d2f368"
    db = "storeops-pg"
    sc.resource("alb", lb, name="storeops-edge", scheme="internet-facing")
    sc.resource("ecs", "storeops/sync-api", launch_type="FARGATE", cpu=512, memory=1024, desired_count=4,
                autoscaling_max=12, gunicorn_workers=4, db_pool="size=5 overflow=0")
    sc.resource("ecs", "storeops/label-print", launch_type="FARGATE", cpu=256, memory=512, desired_count=2)
    sc.resource("rds", db, engine="postgres", engine_version="16.4", instance_class="db.m6g.large",
                max_connections=200, allocated_storage_gb=500)
    scale = [(-1560, 6), (-1320, 9), (-1080, 12)]
    tasks = lambda t: max([4] + [n for ts, n in scale if t >= ts + 60])
    opening = lambda t: ramp(t, -2100, -300)
    demand = lambda t: 14 + tasks(t) * (7 + 13 * opening(t))
    short = lambda t: max(0.0, demand(t) - 197) / demand(t)
    alb_metrics(sc, lb, lambda t: 310 + 1250 * opening(t), t5_p=lambda t: 0.0008 + 1.7 * short(t),
                e5_p=lambda t: 0.0002, trt=lambda t: 0.11 + 0.25 * opening(t) + 6 * short(t), healthy=
                [float(min(tasks(t), 12)) for t in range(-21600, 0, 60)])
    ecs_metrics(sc, "storeops", "sync-api", cpu=lambda t: 22 + 50 * opening(t) * 4 / tasks(t) + 8 * opening(t),
                mem=lambda t: 38 + 6 * opening(t), tasks=tasks)
    ecs_metrics(sc, "storeops", "label-print", cpu=lambda t: 9 + bump(t, -1500, -1380, 14, 60), mem=lambda t: 27)
    rds_metric(sc, db, "DatabaseConnections", "Count", lambda t: min(197.0, demand(t)), noise=0.01,
               integer=True, cap=200)
    rds_metric(sc, db, "CPUUtilization", "Percent", lambda t: 16 + 38 * opening(t), noise=0.07, digits=2)
    rds_metric(sc, db, "FreeableMemory", "Bytes", lambda t: 3.1e9 - 0.6e9 * opening(t), noise=0.01, digits=0)
    rds_metric(sc, db, "FreeStorageSpace", "Bytes", lambda t: 3.32e11, noise=0.0004, digits=0)
    dims = {"LoadBalancer": lb}
    sc.alarm("storeops-edge-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Sum", 60,
             3, 25.0, "GreaterThanThreshold", "Store sync API 5xx")
    sc.alarm("storeops-edge-requests-high", "AWS/ApplicationELB", "RequestCount", dims, "Sum", 300, 1, 4500.0,
             "GreaterThanThreshold", "Unusual store-sync request volume")
    rng = sc.rng
    g = "/ecs/sync-api"
    starts = [-40000] * 4 + [-1500] * 2 + [-1260] * 3 + [-1020] * 3
    streams = [f"sync/sync-api/{sc.hexid(32)}" for _ in starts]
    for s, ts in zip(streams, starts):
        if ts > -21600:
            for w in range(4):
                sc.log(g, s, ts + 1 + w * 0.2, gunicorn(sc, ts + 1 + w * 0.2, 7 + w, "INFO",
                                                        f"Booting worker with pid: {8 + w}"))
    live = lambda t: [s for s, ts in zip(streams, starts) if ts + 5 <= t]
    store = lambda: f"{rng.randint(2001, 2412):04d}"
    for t in times(sc, lambda t: 3 + 14 * opening(t)):
        if rng.random() < short(t) * 1.7:
            continue
        sc.log(g, rng.choice(live(t)), t, logfmt(sc, t, "info", "sync batch applied", store=store(),
               batch=sc.hexid(8), rows=rng.randint(20, 900), took_ms=rng.randint(40, 400)))
    for t in times(sc, lambda t: 0.6):
        sc.log(g, rng.choice(live(t)), t, logfmt(sc, t, "warning", "price override expired before store "
               "acknowledged", store=store(), sku=rng.randint(10 ** 6, 10 ** 7)))
    dsn = f'connection to server at \\"{db}.c8lq2xw4f1ab.{CAN}.rds.amazonaws.com\\" (10.60.3.14), port 5432 failed'
    for t in times(sc, lambda t: 40 * short(t), start=-1800):
        msg = rng.choice(["sorry, too many clients already",
                          "remaining connection slots are reserved for non-replication superuser connections"])
        sc.log(g, rng.choice(live(t)), t, logfmt(sc, t, "error", "sync batch failed", store=store(),
               err=f"(psycopg2.OperationalError) {dsn}: FATAL:  {msg}"))
    pgg = f"/aws/rds/instance/{db}/postgresql"
    for t in range(-21600 + 41, 0, 300):
        sc.log(pgg, f"{db}.0", t, pg(sc, t, "LOG", f"checkpoint complete: wrote {rng.randint(300, 2600)} "
               f"buffers ({rng.uniform(0.2, 2):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled", pid=402))
    for t in times(sc, lambda t: 0.5):
        sc.log(pgg, f"{db}.0", t, pg(sc, t, "ERROR", 'duplicate key value violates unique constraint '
               '"store_sync_batch_pkey"', client=f"10.60.{rng.randint(8, 11)}.{rng.randint(2, 250)}({rng.randint(30000, 60000)})",
               user="sync_app", db="storeops"))
    for t in times(sc, lambda t: 45 * short(t), start=-1800):
        msg = rng.choice(["sorry, too many clients already",
                          "remaining connection slots are reserved for non-replication superuser connections"])
        sc.log(pgg, f"{db}.0", t, pg(sc, t, "FATAL", msg, client=f"10.60.{rng.randint(8, 11)}."
               f"{rng.randint(2, 250)}({rng.randint(30000, 60000)})", user="sync_app", db="storeops"))
    for ts, n in scale:
        sc.change(ts, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "storeops/sync-api",
                  "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.change(-1500, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "storeops/label-print",
              "gitlab-ci")
    sc.change(-1510, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "label-print:19", "gitlab-ci")
    sc.expect = {"alarm": "storeops-edge-target-5xx",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = {"front": "front (ALB) / origin database", "services": ["alb", "ecs", "rds"],
               "runtime": "Python on ECS (gunicorn, logfmt); PostgreSQL log",
               "decoys": "opening-hour request ramp with its own volume alarm; autoscaling UpdateService "
                         "events; label-print deploy 2 min before the 5xx; steady duplicate-key errors",
               "story": "Stores open at 07:00 Eastern and sync-api traffic climbs fourfold, as it does every "
                        "morning; autoscaling takes sync-api from 4 to 12 tasks, each holding up to 20 "
                        "PostgreSQL connections. storeops-pg (max_connections 200) pins at 197 client "
                        "connections, its log fills with FATAL 'sorry, too many clients already' / 'remaining "
                        "connection slots are reserved', and the sync batches failing with those errors are "
                        "the ALB's 5xx. DB CPU peaks near 55 %, so the database is not otherwise saturated; "
                        "the label-print deploy and duplicate-key errors are unrelated."}
    return sc


BUILDERS = [build_05, build_06]
