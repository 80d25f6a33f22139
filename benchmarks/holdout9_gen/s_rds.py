"""Scenarios where an RDS instance is the origin (or the alarmed resource)."""
from __future__ import annotations

from datetime import datetime

import numpy as np

from .common import LOG_START, N, START, T, Ctx, alb_metrics, ec2_metrics, lambda_metrics, rds_metrics
from .logfmt import lambda_log, mysql_err, nginx, plan_counts, py, py_unhandled, spring, times_in


def _rds(ctx, db, cpu, conns, storage_free=120e9, read=0.0011, write=0.0019, mem=4.2e9, dq=None, rl=None, wl=None):
    rds_metrics(ctx, db, cpu, conns, ctx.noise(storage_free, 3e7),
                ctx.noise(read, read * 0.15) if rl is None else rl, ctx.noise(write, write * 0.15) if wl is None else wl,
                ctx.noise(mem, 5e7), disk_queue=dq)


def _slow(ctx, t, secs, rows_exam, sql, host, thread):
    w = ctx.wall(t)
    return (f"# Time: {w.strftime('%Y-%m-%dT%H:%M:%S')}.{w.microsecond:06d}Z\n# User@Host: app[app] @  [{host}]  Id: {thread}\n"
            f"# Query_time: {secs:.6f}  Lock_time: 0.000{int(ctx.rng.integers(100, 999))} Rows_sent: 1  Rows_examined: {rows_exam}\n"
            f"SET timestamp={int(w.timestamp())};\n{sql}")


def h05_members_io_stall():
    ctx = Ctx(905, "h9-05-member-profile-db-io", "ap-northeast-1", datetime(2026, 8, 3, 1, 15))
    onset = -2160
    ctx.resource("lambda", "member-profile", runtime="python3.12")
    ctx.resource("rds", "members-db")
    ctx.resource("rds", "analytics-db")
    host = "members-db.cq8zk1v2m4xe.ap-northeast-1.rds.amazonaws.com"
    r = ctx.ramp(onset, onset + 180)
    base = ctx.drift(16, 0.15)
    plan = plan_counts(ctx, ok=base * (1 - 0.45 * r), slow_ok=base * 0.2 * r, lost=base * 0.18 * r, conn=base * 0.07 * r)

    def render(kind, rid, t):
        mid = int(ctx.rng.integers(100000, 999999))
        lines = [(0.01, py("INFO", ctx, t, rid, f"GET /members/{mid} (source=mobile)"))]
        if kind == "lost":
            d = 5000 + ctx.rng.uniform(10, 200)
            lines.append((5.0, py_unhandled("pymysql.err.OperationalError", "(2013, 'Lost connection to MySQL server during query (timed out)')",
                                            [("/var/task/app.py", 37, "handler", "row = repo.get_member(mid)"),
                                             ("/var/task/members/repo.py", 22, "get_member", "cur.execute(SQL_GET_MEMBER, (mid,))"),
                                             ("/var/task/pymysql/connections.py", 756, "_read_bytes",
                                              "raise err.OperationalError(CR.CR_SERVER_LOST, \"Lost connection to MySQL server during query\")")])))
            return {"lines": lines, "dur": d, "mem": 92, "error": True}
        if kind == "conn":
            d = 5000 + ctx.rng.uniform(10, 100)
            lines.append((5.0, py_unhandled("pymysql.err.OperationalError", f"(2003, \"Can't connect to MySQL server on '{host}' (timed out)\")",
                                            [("/var/task/app.py", 31, "handler", "conn = db.connect()"),
                                             ("/var/task/pymysql/connections.py", 664, "connect", "raise exc")])))
            return {"lines": lines, "dur": d, "mem": 90, "error": True}
        d = ctx.rng.uniform(40, 120) if kind == "ok" else ctx.rng.uniform(1500, 4800)
        lines.append((d / 1000 - 0.005, py("INFO", ctx, t, rid, f"member {mid} loaded in {int(d - 12)} ms")))
        return {"lines": lines, "dur": d, "mem": int(ctx.rng.integers(84, 96))}

    inv, err, dur = lambda_log(ctx, "member-profile", "python3.12", 256, plan, render, 15)
    lambda_metrics(ctx, "member-profile", inv, err, dur)

    lat = ctx.noise(0.0009, 0.00015) + r * np.abs(ctx.rng.normal(0.28, 0.09, N))
    wlat = ctx.noise(0.0017, 0.0003) + r * np.abs(ctx.rng.normal(0.35, 0.1, N))
    _rds(ctx, "members-db", ctx.noise(21 - 7 * r, 2), ctx.noise(38 + 26 * r, 3), storage_free=310e9, rl=lat, wl=wlat,
         dq=np.abs(ctx.noise(0.5 + 55 * r, 0.3 + 9 * r)))
    errlog = [(t, mysql_err(ctx, t, int(ctx.rng.integers(9000, 99999)), "Note", "MY-010914", "Server",
                            f"Aborted connection {int(ctx.rng.integers(9000, 99999))} to db: 'members' user: 'app' host: '{ctx.ip('10.8')}' "
                            "(Got an error reading communication packets)."))
              for t in times_in(ctx, np.full(N, 0.6), START)]
    for t in times_in(ctx, 2.5 * r, START):
        errlog.append((t, mysql_err(ctx, t, 0, "Note", "MY-011953", "InnoDB",
                                    f"Page cleaner took {int(ctx.rng.integers(4000, 19000))}ms to flush {int(ctx.rng.integers(30, 400))} "
                                    "and evict 0 pages")))
    ctx.log("/aws/rds/instance/members-db/error", "members-db", errlog)
    slow = []
    for t in times_in(ctx, np.full(N, 0.12), START):
        slow.append((t, _slow(ctx, t, ctx.rng.uniform(1.1, 2.4), int(ctx.rng.integers(200000, 900000)),
                              "SELECT tier, COUNT(*) FROM members GROUP BY tier;", ctx.ip("10.8"), int(ctx.rng.integers(9000, 99999)))))
    for t in times_in(ctx, 6 * r, START):
        slow.append((t, _slow(ctx, t, ctx.rng.uniform(2.0, 9.5), 1, f"SELECT * FROM members WHERE member_id = {int(ctx.rng.integers(100000, 999999))};",
                              ctx.ip("10.8"), int(ctx.rng.integers(9000, 99999)))))
    ctx.log("/aws/rds/instance/members-db/slowquery", "members-db", slow)

    # analytics-db: hot all night from ETL, param group changed 50 min ago
    _rds(ctx, "analytics-db", ctx.noise(np.clip(ctx.drift(82, 0.08), 0, 97), 3), ctx.noise(64, 4), storage_free=95e9,
         read=0.006, write=0.004, dq=np.abs(ctx.noise(6, 1.5)))
    aslow = [(t, _slow(ctx, t, ctx.rng.uniform(12, 140), int(ctx.rng.integers(5e6, 9e7)),
                       "INSERT INTO agg_daily_members SELECT ... FROM members_snapshot ms JOIN events e USING (member_id) GROUP BY 1,2;",
                       "10.8.4.12", int(ctx.rng.integers(9000, 99999)))) for t in times_in(ctx, np.full(N, 0.25), START)]
    ctx.log("/aws/rds/instance/analytics-db/slowquery", "analytics-db", aslow)
    ctx.change(-3000, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "analytics-mysql80-params", "dba.kenji")
    ctx.alarm("member-profile-errors", "AWS/Lambda", "Errors", {"FunctionName": "member-profile"}, "Sum", 300, 1, 10)
    data = ctx.build("Member profile screen failing in the mobile app; member-profile errors alarm.",
                     {"alarm": "member-profile-errors", "root_cause": {"category": "dependency_failure", "resource": ["members-db"]},
                      "anomalies": [{"namespace": "AWS/RDS", "name": "ReadLatency", "dimensions": {"DBInstanceIdentifier": "members-db"}}]})
    meta = dict(alarm="member-profile-errors", category="dependency_failure", resources=["members-db"],
                decoys="analytics-db: CPU ~80% for hours, long slow queries, ModifyDBParameterGroup 50 min before onset; "
                       "steady 'Aborted connection' notes on members-db; occasional slow GROUP BY queries before onset",
                story="The storage volume behind members-db degraded: read/write latency went from ~1 ms to hundreds of ms and "
                      "the disk queue to ~50 while CPU fell and connections stayed far from any limit. Primary-key lookups take "
                      "2-9 s in the slow query log and member-profile hits its 5 s read timeout (pymysql 2013 'Lost "
                      "connection' / 2003 'Can't connect'). The function and the database are linked only by the host name "
                      "in the error messages.")
    return data, meta


def h06_core_mysql_connections():
    ctx = Ctx(906, "h9-06-core-api-mysql-connections", "eu-west-2", datetime(2026, 9, 15, 8, 50))
    onset = -1860
    lb = "app/core-api-alb/7d1e2f3a4b5c6d7e"
    iid = "i-0c4f2a9e7b1d3a586"
    ctx.resource("alb", lb, name="core-api-alb", targets=[iid])
    ctx.resource("ec2", iid, name="core-api-1", instance_type="m6i.xlarge", log_groups=["/core-api/app", "/core-api/nginx/access"])
    ctx.resource("rds", "core-mysql", engine="mysql", instance_class="db.r6g.large", max_connections=600, allocated_storage_gb=500)
    ctx.resource("rds", "reporting-mysql", engine="mysql", instance_class="db.t4g.large", max_connections=300,
                 allocated_storage_gb=200)
    fill = ctx.ramp(onset - 600, onset)
    conns = np.minimum(ctx.noise(185, 6) + fill * 430, 600)
    conns = np.where(T >= onset, 600 - np.abs(ctx.rng.normal(0, 0.6, N)).round(), conns)
    _rds(ctx, "core-mysql", ctx.noise(31 + 9 * fill, 3), conns, storage_free=280e9, mem=9.8e9)
    _rds(ctx, "reporting-mysql", ctx.noise(44, 5), ctx.noise(272, 5), storage_free=61e9, mem=2.1e9)
    a = ctx.after(onset)
    req = ctx.noise(ctx.drift(620, 0.18), 25)
    fail_frac = np.where(a, np.clip(ctx.rng.normal(0.09, 0.02, N), 0.04, 0.2), 0)
    t5 = np.round(req * fail_frac) + ctx.poisson(np.full(N, 0.15))
    rt = ctx.noise(0.085, 0.008) + a * np.abs(ctx.rng.normal(2.9, 0.4, N))
    alb_metrics(ctx, lb, req, rt, t5, ctx.poisson(np.full(N, 0.05)), 1)
    ec2_metrics(ctx, iid, ctx.noise(38, 4) - 8 * a, ctx.noise(req * 5200, 2e5), ctx.noise(61, 1.2), ctx.noise(47.2, 0.15))

    app = []
    for t in np.arange(START, 0, 60.0) + 7:
        i = int((t - START) // 60)
        active = int(min(40, conns[i] / 15 + ctx.rng.integers(0, 5))) if t < onset else 40
        waiting = 0 if t < onset else int(ctx.rng.integers(20, 180))
        app.append((t, spring(ctx, t, "DEBUG" if False else "INFO", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool",
                              f"HikariPool-1 - Pool stats (total=40, active={active}, idle={40 - active}, waiting={waiting})", "core-api")))
    for t in times_in(ctx, np.full(N, 14.0), LOG_START):
        app.append((t, spring(ctx, t, "INFO", f"nio-8080-exec-{int(ctx.rng.integers(1, 200))}", "c.a.core.web.AccountController",
                              f"GET /v2/accounts/{int(ctx.rng.integers(10000, 99999))} 200 in {int(ctx.rng.integers(12, 90))} ms", "core-api")))
    for t in times_in(ctx, np.full(N, 0.4), LOG_START):
        app.append((t, spring(ctx, t, "WARN", f"nio-8080-exec-{int(ctx.rng.integers(1, 200))}", "c.a.core.web.ErrorHandler",
                              "Request rejected: JWT expired at 2026-09-15T0" + str(int(ctx.rng.integers(1, 8))) + ":00:00Z", "core-api")))
    for t in times_in(ctx, np.where(a, 7.0, 0.0), LOG_START):
        th = f"nio-8080-exec-{int(ctx.rng.integers(1, 200))}"
        if ctx.rng.random() < 0.6:
            app.append((t, spring(ctx, t, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                  "Servlet.service() for servlet [dispatcherServlet] threw exception\n"
                                  "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.\n"
                                  "\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)\n"
                                  "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:197)", "core-api")))
        else:
            app.append((t, spring(ctx, t, "ERROR", "HikariPool-1 connection adder", "com.zaxxer.hikari.pool.HikariPool",
                                  "HikariPool-1 - Exception during pool initialization.\n"
                                  "java.sql.SQLNonTransientConnectionException: Data source rejected establishment of connection,  "
                                  "message from server: \"Too many connections\"\n"
                                  "\tat com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:111)\n"
                                  "\tat com.mysql.cj.jdbc.ConnectionImpl.createNewIO(ConnectionImpl.java:828)", "core-api")))
    ctx.log("/core-api/app", iid, app)
    acc = []
    for t in np.arange(LOG_START, 0, 10.0) + ctx.rng.uniform(0, 1):
        for src in ("10.40.1.23", "10.40.2.87"):
            acc.append((t + ctx.rng.uniform(0, 0.2), nginx(ctx, t, src, "GET", "/actuator/health", 200, 49, 0.002, ua="ELB-HealthChecker/2.0")))
    for t in times_in(ctx, np.full(N, 6.0), LOG_START):
        bad = t >= onset and ctx.rng.random() < 0.09
        acc.append((t, nginx(ctx, t, ctx.ip("10.40"), str(ctx.rng.choice(["GET", "GET", "POST"])),
                             f"/v2/accounts/{int(ctx.rng.integers(10000, 99999))}", 500 if bad else 200,
                             181 if bad else int(ctx.rng.integers(400, 3000)),
                             30.01 if bad else (ctx.rng.uniform(0.02, 0.12) if t < onset else ctx.rng.uniform(0.5, 4.0)))))
    ctx.log("/core-api/nginx/access", iid, acc)
    rep = [(t, mysql_err(ctx, t, int(ctx.rng.integers(9000, 99999)), "Note", "MY-010914", "Server",
                         f"Aborted connection {int(ctx.rng.integers(9000, 99999))} to db: 'reporting' user: 'bi' host: '10.40.6.{int(ctx.rng.integers(2, 250))}' "
                         "(Got timeout reading communication packets).")) for t in times_in(ctx, np.full(N, 0.5), START)]
    ctx.log("/aws/rds/instance/reporting-mysql/error", "reporting-mysql", rep)
    ctx.change(-3300, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/core-api/prod/feature.recommendations_v2", "a.singh")
    ctx.alarm("core-api-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 10,
              description="core-api 5xx from targets")
    data = ctx.build("core-api returning 500s and timing out; ALB target 5XX alarm.",
                     {"alarm": "core-api-alb-target-5xx", "root_cause": {"category": "db_connection_exhaustion", "resource": ["core-mysql"]},
                      "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": "core-mysql"}}]})
    meta = dict(alarm="core-api-alb-target-5xx", category="db_connection_exhaustion", resources=["core-mysql"],
                decoys="reporting-mysql at ~90% of its max_connections (272/300) all 6 h; unrelated PutParameter 24 min before "
                       "onset; steady JWT-expired WARNs; ELB health-check noise in the access log",
                story="Connections on core-mysql climbed from ~185 to its max_connections of 600 over ten minutes (sessions "
                      "held by a stuck consumer elsewhere) and stayed pinned. core-api's Hikari pool can no longer open "
                      "connections ('Too many connections'), requests wait 30 s for a connection and the ALB counts target "
                      "5XX. The second database is busy but steady.")
    return data, meta


SCENARIOS_A = [h05_members_io_stall, h06_core_mysql_connections]
