"""Scenarios 01-02: RDS storage filled by a retained replication slot; Aurora connection slots."""
from __future__ import annotations

from .blocks import GB, alb, apigw, aurora, ecs, rds
from .core import HIST, LOGS, Scn, auto_alarm, bump, diurnal, local_t
from .logfmt import Inv, LambdaModel, every, pg, pg_background, poisson_times, py, spring

PG_FRAMES = ("\tat org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2713)\n"
             "\tat org.postgresql.core.v3.QueryExecutorImpl.processResults(QueryExecutorImpl.java:2401)\n"
             "\tat org.postgresql.core.v3.QueryExecutorImpl.execute(QueryExecutorImpl.java:368)\n"
             "\tat org.postgresql.jdbc.PgStatement.executeInternal(PgStatement.java:498)\n"
             "\tat org.postgresql.jdbc.PgPreparedStatement.executeUpdate(PgPreparedStatement.java:152)\n"
             "\tat com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeUpdate(HikariProxyPreparedStatement.java)\n"
             "\tat org.hibernate.engine.jdbc.internal.ResultSetReturnImpl.executeUpdate(ResultSetReturnImpl.java:197)\n"
             "\t... 118 common frames omitted")


def s01() -> Scn:
    sc = Scn("h45-01-ledger-5xx-wal-slot-storage", 4501, "eu-west-1", "2026-03-11T08:40:00",
             "Ledger API returning 5xx through the public ALB; payments on-call paged by the target 5xx alarm.")
    DB, LB, CL, SV, FN = "ledger-db", "app/ledger-alb/5e2a91c07d3b4f18", "payments", "ledger-api", "ledger-metrics-rollup"
    FULL = -1980
    n0, n1 = local_t(sc, 1.0), local_t(sc, 3.5)
    sc.res("rds", DB, engine="postgres", engine_version="15.5", instance_class="db.r6g.xlarge",
           allocated_storage_gb=500, storage_type="gp3", storage_autoscaling=False, max_connections=1200,
           multi_az=True, parameter_group="ledger-pg15", log_groups=[f"/aws/rds/instance/{DB}/postgresql"])
    sc.res("ecs", f"{CL}/{SV}", cluster=CL, service=SV, launch_type="FARGATE", cpu=1024, memory=2048,
           desired_count=6, load_balancer="ledger-alb", log_groups=["/ecs/ledger-api"])
    sc.res("alb", LB, name="ledger-alb", scheme="internet-facing", targets=f"{CL}/{SV}")
    sc.res("lambda", FN, runtime="python3.12", timeout=120, memory_size=256, schedule="rate(1 minute)")

    def wal(t):  # GB of WAL written per minute
        return 0.045 + 0.03 * diurnal(sc.hour(t)) + (0.12 if n0 <= t < n1 else 0.0)
    cum, c = {}, 0.0
    for t in range(HIST, 0, 60):
        c += wal(t) if t < FULL else 0.002
        cum[t] = c
    f0 = cum[FULL] + 0.21

    def free(t):
        return (f0 - cum[t]) * GB + sc.g(0.03 * GB) if t < FULL else sc.rng.uniform(0.06, 0.24) * GB
    night = lambda t: bump(t, n0, n1, 1.0, 300)  # noqa: E731
    rds(sc, DB, cpu=lambda t: 17 + 10 * diurnal(sc.hour(t)) + 41 * night(t) + sc.g(2.5) - (4 if t >= FULL else 0),
        conns=lambda t: 150 + 70 * diurnal(sc.hour(t)) + 24 * night(t) + sc.g(5),
        free_storage=free, freeable=lambda t: 9.6 * GB + sc.g(0.08 * GB),
        read_lat=lambda t: 0.0011 + 0.0006 * night(t) + abs(sc.g(0.0002)),
        write_lat=lambda t: 0.0014 + 0.0011 * night(t) + abs(sc.g(0.0003)),
        read_iops=lambda t: 420 + 300 * diurnal(sc.hour(t)) + 1900 * night(t) + sc.g(40),
        write_iops=lambda t: (380 + 260 * diurnal(sc.hour(t)) + 2600 * night(t) + sc.g(35)) * (0.35 if t >= FULL else 1),
        extra=[("TransactionLogsDiskUsage", "Bytes", lambda t: (61.4 + cum[t]) * GB),
               ("OldestReplicationSlotLag", "Bytes", lambda t: (61.2 + cum[t]) * GB + sc.g(0.05 * GB)),
               ("TransactionLogsGeneration", "Bytes/Second",
                lambda t: (wal(t) if t < FULL else 0.0005) * GB / 60 * (1 + sc.g(0.05)))])
    rmap = {t: 1400 * diurnal(sc.hour(t)) * (1 + sc.g(0.04)) for t in range(HIST, 0, 60)}
    req = rmap.__getitem__
    alb(sc, LB, req=req, rt=lambda t: 0.046 + 0.01 * night(t) + abs(sc.g(0.006)) + (0.02 if t >= FULL else 0),
        t5xx=lambda t: sc.poisson(0.3) + (req(t) * 0.37 if t >= FULL else 0),
        e5xx=lambda t: sc.poisson(0.05), healthy=lambda t: 6,
        t4xx=lambda t: sc.poisson(14 * diurnal(sc.hour(t))))
    ecs(sc, CL, SV, cpu=lambda t: 19 + 12 * diurnal(sc.hour(t)) + sc.g(2), mem=lambda t: 47 + sc.g(0.8),
        running=lambda t: 6)

    DEPLOY = -2700
    fnm = LambdaModel(sc, FN, 256, lambda t: [Inv(False, max(600.0, (2050 if t < DEPLOY else 1880) + sc.g(180)), "ok",
                                                  150 + sc.rng.randint(0, 25))])
    fnm.metrics()
    fnm.logs(lambda ts, rid, inv: [
        (0.02, py(sc, ts, "INFO", rid, f"rollup window={sc.day(ts - 60, '%Y-%m-%dT%H:%M')} source=ledger-db-ro "
                                       f"rows={sc.rng.randint(380, 2400)}" + (" schema=v2" if ts > DEPLOY else ""))),
        (inv.dur / 1000 - 0.05, py(sc, ts, "INFO", rid, f"wrote {sc.rng.randint(18, 40)} metric rows to "
                                                       f"s3://ledger-analytics-eu/rollups/"))], streams=1)

    # ledger-api application log (Spring Boot, three task streams)
    tasks = [sc.hexid() for _ in range(3)]
    streams = {k: [] for k in tasks}
    for ts in poisson_times(sc, LOGS, 0, lambda m: 9 * diurnal(sc.hour(m)) + 3):
        k = sc.rng.choice(tasks)
        thr = f"nio-8080-exec-{sc.rng.randint(1, 40)}"
        if ts >= FULL and sc.rng.random() < 0.4:
            tbl, rel = sc.rng.choice([("ledger_entries", 2458133), ("entry_postings", 2458140)])
            msg = f'ERROR: could not extend file "base/16401/{rel}": No space left on device\n  Hint: Check free disk space.'
            streams[k] += [
                (ts, spring(sc, ts, "WARN", thr, "o.h.engine.jdbc.spi.SqlExceptionHelper", "SQL Error: 0, SQLState: 53100")),
                (ts + 0.001, spring(sc, ts, "ERROR", thr, "o.h.engine.jdbc.spi.SqlExceptionHelper", msg)),
                (ts + 0.004, spring(sc, ts, "ERROR", thr, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                    "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw "
                                    "exception [Request processing failed; nested exception is org.springframework.dao."
                                    "DataAccessResourceFailureException: could not execute statement; SQL [n/a]; nested "
                                    "exception is org.hibernate.exception.GenericJDBCException: could not execute "
                                    "statement] with root cause\n\norg.postgresql.util.PSQLException: " + msg + "\n" +
                                    PG_FRAMES))]
        else:
            route = sc.rng.choice(["POST /v1/entries", "GET /v1/accounts/{id}/balance", "POST /v1/entries",
                                   "GET /v1/entries/{id}", "POST /v1/transfers"])
            code = 201 if route.startswith("POST") else 200
            streams[k].append((ts, spring(sc, ts, "INFO", thr, "c.l.ledger.web.RequestLoggingFilter",
                                          f"{route} -> {code} in {sc.rng.randint(9, 70)} ms")))
        if sc.rng.random() < 0.08:
            streams[k].append((ts + 0.2, spring(sc, ts, "WARN", thr, "c.l.ledger.web.ClientVersionInterceptor",
                                                "Deprecated header X-Client-Version used by client partner-gw-2")))
    for k, ev in streams.items():
        sc.log("/ecs/ledger-api", f"ledger-api/ledger-api/{k}", ev)

    # database log
    ev = pg_background(sc, HIST, 0, ["ledger_entries", "entry_postings", "accounts", "idempotency_keys"], "ledger",
                       lambda t: 1.0 + 5.0 * night(t) if t < FULL else 0.2)
    for t in every(sc, n0 + 400, n1 - 200, 290, 40):
        ev.append((t, pg(sc, t, "LOG", f"checkpoints are occurring too frequently ({sc.rng.randint(19, 29)} seconds apart)\n"
                                       'HINT:  Consider increasing the configuration parameter "max_wal_size".', pid=412)))
    for t in poisson_times(sc, FULL, 0, lambda m: 5.0):
        cli = f"{sc.ip('10.20')}({sc.rng.randint(40000, 61000)})"
        ev.append((t, pg(sc, t, "ERROR", 'could not extend file "base/16401/2458133": No space left on device\n'
                                         "HINT:  Check free disk space.\nSTATEMENT:  insert into ledger_entries "
                                         "(account_id, amount_minor, currency, entry_type, idempotency_key, posted_at, id) "
                                         "values ($1, $2, $3, $4, $5, $6, $7)",
                         client=cli, user="ledger_app", db="ledger")))
    for t in every(sc, FULL + 200, 0, 600, 60):
        ev.append((t, pg(sc, t, "ERROR", 'could not extend file "base/16401/2458141": No space left on device\n'
                                         "HINT:  Check free disk space.\n"
                                         'CONTEXT:  automatic vacuum of table "ledger.public.entry_postings"')))
    sc.log(f"/aws/rds/instance/{DB}/postgresql", f"{DB}.0", ev)

    sc.change(-64800, "dms.amazonaws.com", "StopReplicationTask", "AWS::DMS::ReplicationTask", "ledger-cdc-to-s3",
              "data-eng-bob")
    sc.change(-13800, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", DB, "dba-oncall")
    sc.change(DEPLOY, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", FN, "analytics-ci")
    sc.change(DEPLOY + 15, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", FN, "analytics-ci")

    sc.alarm("ledger-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": LB}, "Sum",
             60, 3, 25, "GreaterThanThreshold", -1800, "Ledger API 5xx returned by targets behind ledger-alb")
    lo = next(t for t in range(HIST, 0, 60) if (f0 - cum[t]) < 10)
    sc.alarm("ledger-db-free-storage-low", "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": DB}, "Minimum", 300,
             1, 10 * GB, "LessThanThreshold", lo - lo % 300 + 300 + 300, "ledger-db free storage below 10 GiB (email only)")
    sc.expect("ledger-alb-target-5xx", "storage_exhaustion", [DB], [
        {"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": {"DBInstanceIdentifier": DB}},
        {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": LB}}])
    sc.meta = dict(origin="front (ALB)", decoys="manual snapshot of ledger-db; analytics Lambda deploy 45 min before onset; "
                   "usual nightly settlement CPU/IO peak with checkpoint warnings; steady deprecated-header WARN")
    return sc


def s02() -> Scn:
    sc = Scn("h45-02-orders-api-errors-aurora-connections", 4502, "us-east-1", "2026-03-12T13:50:00",
             "orders-api Lambda errors climbing during the morning; on-call paged by the Errors alarm.", tz=-4)
    CLU, W, R, FN, API, CL, SV, AFN = ("orders-aurora", "orders-aurora-writer", "orders-aurora-reader-1", "orders-api",
                                       "orders-http-api", "batch", "nightly-reconcile", "orders-analytics-feed")
    START, FULL = -3110, -2790
    sc.res("rds", W, engine="aurora-mysql", engine_version="8.0.mysql_aurora.3.05.2", instance_class="db.t4g.large",
           cluster=CLU, role="writer", max_connections=135, parameter_group="orders-aurora-mysql80",
           log_groups=[f"/aws/rds/cluster/{CLU}/error"])
    sc.res("rds", R, engine="aurora-mysql", instance_class="db.t4g.large", cluster=CLU, role="reader",
           max_connections=135)
    sc.res("lambda", FN, runtime="python3.12", timeout=15, memory_size=512, api=API)
    sc.res("apigateway", API, protocol="HTTP", integration=FN)
    sc.res("ecs", f"{CL}/{SV}", cluster=CL, service=SV, launch_type="FARGATE", cpu=2048, memory=4096, desired_count=1,
           log_groups=["/ecs/nightly-reconcile"])
    sc.res("lambda", AFN, runtime="python3.12", timeout=300, memory_size=1024, schedule="rate(5 minutes)")
    d = lambda t: diurnal(sc.hour(t))  # noqa: E731
    bi0, bi1 = local_t(sc, 2.0), local_t(sc, 3.1)

    def conns_raw(t):
        base = 30 + 75 * (d(t) - 0.3) / 0.7 + sc.g(2.5)
        if t >= START:
            base += min(96, 96 * (t - START) / 300)
        return base
    raw = {t: conns_raw(t) for t in range(HIST, 0, 60)}
    cmap = {t: (v if v < 135 else 135 - sc.rng.choice([0, 0, 0, 1, 2])) for t, v in raw.items()}
    conns = cmap.__getitem__
    aurora(sc, W, cpu=lambda t: 14 + 28 * d(t) + (16 if t >= START else 0) + sc.g(2.2), conns=conns,
           freeable=lambda t: 2.1 * GB - (0.35 * GB if t >= START else 0) + sc.g(0.03 * GB),
           extra=[("Queries", "Count/Second", lambda t: 310 + 900 * d(t) + (400 if t >= START else 0) + sc.g(25)),
                  ("CommitLatency", "Milliseconds", lambda t: 2.1 + 0.8 * d(t) + abs(sc.g(0.3))),
                  ("AbortedClients", "Count", lambda t: sc.poisson(0.4))])
    aurora(sc, R, cpu=lambda t: 9 + 10 * d(t) + 58 * bump(t, bi0, bi1, 1.0, 240) + sc.g(1.8),
           conns=lambda t: 12 + 9 * d(t) + 8 * bump(t, bi0, bi1, 1.0, 120) + sc.g(1.2),
           freeable=lambda t: 3.0 * GB + sc.g(0.04 * GB),
           extra=[("AuroraReplicaLag", "Milliseconds", lambda t: 18 + abs(sc.g(6)))])

    def draw(t):
        n = sc.poisson(8 + 34 * d(t))
        pfail = 0.0 if raw[t] < 135 else 0.55
        out = []
        for _ in range(n):
            e = sc.rng.random() < pfail
            out.append(Inv(e, sc.rng.uniform(25, 60) if e else max(30.0, 140 + sc.g(45)), "e1040" if e else "ok",
                           sc.rng.randint(96, 118)))
        return out
    fm = LambdaModel(sc, FN, 512, draw)
    fm.metrics()
    rows = fm.rows
    apigw(sc, API, count=lambda t: len(rows[t]), e4=lambda t: sc.poisson(0.6),
          e5=lambda t: sum(1 for i in rows[t] if i.err), lat=lambda t: 170 + 40 * d(t) + abs(sc.g(20)),
          integ=lambda t: 150 + 40 * d(t) + abs(sc.g(20)))

    def body(ts, rid, inv):
        path = sc.rng.choice(["GET /orders/{id}", "POST /orders", "GET /orders?customer=", "PATCH /orders/{id}/status"])
        if inv.kind == "ok":
            return [(0.01, py(sc, ts, "INFO", rid, f"{path} customer=c_{sc.rng.randint(10000, 99999)} status=200 "
                                                   f"db_ms={sc.rng.randint(4, 40)}"))]
        return [(0.02, py(sc, ts, "ERROR", rid, "Failed to open DB connection to orders-aurora.cluster-c7xq2lm0ye.us-east-1."
                                                "rds.amazonaws.com:3306")),
                (0.021, f"[ERROR] OperationalError: (1040, 'Too many connections')\nTraceback (most recent call last):\n"
                        '  File "/var/task/app/handler.py", line 51, in lambda_handler\n    with db.connection() as conn:\n'
                        '  File "/var/task/app/db.py", line 33, in connection\n    conn = pymysql.connect(**self._params)\n'
                        '  File "/var/task/pymysql/connections.py", line 361, in __init__\n    self.connect()\n'
                        '  File "/var/task/pymysql/connections.py", line 669, in connect\n    self._request_authentication()\n'
                        '  File "/var/task/pymysql/err.py", line 150, in raise_mysql_exception\n'
                        "    raise errorclass(errno, errval)")]
    fm.logs(body, streams=3, start=-7200, cold_every=200)

    am = LambdaModel(sc, AFN, 1024, lambda t: [Inv(False, 21000 + sc.g(2500), "ok", 410 + sc.rng.randint(0, 60))]
                     if (t // 60) % 5 == 0 else [])
    am.metrics()
    am.logs(lambda ts, rid, inv: [(0.1, py(sc, ts, "INFO", rid, f"exported {sc.rng.randint(900, 4000)} order events from "
                                                               f"{R} to firehose orders-analytics"))],
            streams=1, start=-7200)
    ecs(sc, CL, SV, cpu=lambda t: (3 + sc.g(0.5)) if t < START else 61 + sc.g(6),
        mem=lambda t: (11 + sc.g(0.4)) if t < START else 44 + sc.g(2), running=lambda t: 1)
    ev = []
    for t in every(sc, HIST + 30, START, 300, 3):
        ev.append((t, f"{sc.logback(t).replace('.', ',')} INFO reconcile.runner: waiting for partner settlement file "
                      f"s3://orders-settlements-inbound/acme-pay/{sc.day(-86400, '%Y%m%d')}.csv.gz (not present yet)"))
    ev.append((local_t(sc, 3.0) + 2, f"{sc.logback(local_t(sc, 3.0) + 2).replace('.', ',')} WARN reconcile.runner: partner "
                                     "file past SLA (03:00 local); continuing to poll"))
    t = START - 12
    ev.append((t, f"{sc.logback(t).replace('.', ',')} INFO reconcile.runner: partner file arrived (412,883 rows); starting "
                  f"reconcile for business_date={sc.day(-86400)}"))
    ev.append((t + 3, f"{sc.logback(t + 3).replace('.', ',')} INFO reconcile.runner: workers=16 db_pool_per_worker=6 "
                      f"target={W}"))
    done = 0
    for t in every(sc, START + 60, 0, 60, 2):
        done += sc.rng.randint(2100, 3300)
        ev.append((t, f"{sc.logback(t).replace('.', ',')} INFO reconcile.runner: progress {done}/412883 matched="
                      f"{int(done * 0.987)} unmatched={done - int(done * 0.987)}"))
    sc.log("/ecs/nightly-reconcile", f"reconcile/reconcile/{sc.hexid()}", ev)
    ev = []
    for t in poisson_times(sc, HIST, 0, lambda m: 0.25):
        ev.append((t, f"{sc.iso6(t)} {sc.rng.randint(9000, 99000)} [Note] [MY-010914] [Server] Aborted connection "
                      f"{sc.rng.randint(100000, 999999)} to db: 'orders' user: 'orders_app' host: '{sc.ip()}' "
                      "(Got timeout reading communication packets)."))
    sc.log(f"/aws/rds/cluster/{CLU}/error", W, ev)

    sc.change(-14100, "rds.amazonaws.com", "CreateDBClusterSnapshot", "AWS::RDS::DBCluster", CLU, "backup-automation")
    sc.change(-3900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", AFN, "analytics-ci")
    auto_alarm(sc, "orders-api-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 60, 3, 5,
               "GreaterThanThreshold", "orders-api Lambda errors")
    sc.expect("orders-api-errors", "db_connection_exhaustion", [W, CLU], [
        {"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": W}},
        {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}])
    sc.meta = dict(origin="victim (Lambda Errors)", decoys="cluster snapshot overnight; analytics Lambda deploy 18 min "
                   "before onset; reader's usual 02:00 BI-extract CPU peak; steady Aborted-connection notes")
    return sc
