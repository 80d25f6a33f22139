"""h18-15: reports API 5xx; queries to the MySQL instance stall on degraded storage I/O (not exhausted)."""
from __future__ import annotations

import json

import numpy as np

from .common import N, T, Scn
from .logfmt import LambdaLog, TaskLog, mysql_err, poisson_times, py_frames
from . import svc

DB = "analytics-mysql"
API_ID = "z5x9c3v7b1"
HOST = "analytics-mysql.ch3p9w2n5r8t.us-east-1.rds.amazonaws.com"


def build():
    s = Scn("h18-15-reports-5xx-mysql-io-stall", 1815, "us-east-1", "2026-03-27T14:10:00", -4.0)
    s.res("apigateway", "reports-api", api_id=API_ID, stage="prod", endpoint_type="REGIONAL")
    s.res("lambda", "report-query", runtime="python3.11", timeout=30, memory_size=1024,
          environment={"MYSQL_HOST": HOST, "MYSQL_DB": "analytics", "MYSQL_READ_TIMEOUT": "10"})
    s.res("lambda", "report-scheduler", runtime="python3.11", timeout=60, memory_size=256,
          schedule="rate(15 minutes)", environment={"QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/"
                                                                 "report-jobs"})
    s.res("ecs", "reports/exporter", desired_count=2, launch_type="FARGATE", awslogs_groups=["/ecs/exporter"],
          environment={"MYSQL_DSN": f"exporter@tcp({HOST}:3306)/analytics?readTimeout=15s"})
    s.res("rds", DB, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.2xlarge",
          allocated_storage_gb=1500, storage_type="gp3", max_connections=1000)

    onset = -2050.0
    shape = s.diurnal(peak=13.5, depth=0.7)
    stall = s.win(onset, rise=90)
    q = s.pois(16 * shape * (1 + s.ar(0.05)))
    felt = s.win(onset + 60, rise=90)                   # clients hit their 10 s read timeout a little later
    q_err = np.array([s.rng.binomial(int(n), 0.66 * w) for n, w in zip(q, felt)], dtype=float)
    q_err += np.where(stall > 0, 0, s.pois(np.full(N, 0.01)))
    dur = s.gauge(1350 + 200 * shape, 90, lo=300) * (1 - felt) + felt * s.gauge(np.full(N, 9300.0), 300, lo=6000)
    svc.lam(s, "report-query", q, q_err, dur)
    other = s.pois(30 * shape)
    count = q + other
    svc.apigw(s, "reports-api", count, e4=s.pois(count * 0.01), e5=q_err + s.pois(np.full(N, 0.02)),
              lat=(dur * q + 90 * other) / np.maximum(count, 1) + 20)
    sched = np.where(((T + 21600) % 900) == 0, 1.0, 0.0)
    chg = onset - 240
    svc.lam(s, "report-scheduler", sched, np.zeros(N), s.gauge(np.full(N, 640.0), 40, lo=200), conc=sched)
    svc.ecs(s, "reports", "exporter", s.gauge(12 * shape + 4, 1.2, lo=1) - 6 * stall, s.gauge(np.full(N, 39.0), 0.4))
    svc.rds(s, DB, s.gauge(14 + 18 * shape, 1.6, lo=3) * (1 - 0.6 * stall), s.gauge(38 + 10 * shape, 2, lo=10)
            + 68 * stall, s.gauge(np.full(N, 612.0), 0.1), 21.0,
            rlat=s.gauge(np.full(N, 0.0021), 0.0003, lo=0.0005) + stall * s.gauge(np.full(N, 1.05), 0.18, lo=0.4),
            wlat=s.gauge(np.full(N, 0.0017), 0.0002, lo=0.0005) + stall * s.gauge(np.full(N, 0.46), 0.08, lo=0.15),
            riops=s.gauge(1800 * shape + 300, 90, lo=40) * (1 - 0.86 * stall),
            wiops=s.gauge(420 * shape + 100, 30, lo=20) * (1 - 0.7 * stall),
            dqd=s.gauge(np.full(N, 1.3), 0.3, lo=0.1) + stall * s.gauge(np.full(N, 74.0), 9, lo=30))

    # ---- MySQL error log -------------------------------------------------------------
    ev = []
    for t in poisson_times(s, 0.05):
        ev.append((t, mysql_err(s, t, "Warning", "010055", "Server", f"IP address '{s.ip('10.12')}' could not be "
                                                                     "resolved: Name or service not known")))
    for t in np.arange(onset + 40, 0, 37.0):
        ev.append((t, mysql_err(s, t, "Note", "011953", "InnoDB", f"Page cleaner took {int(s.rng.integers(4000, 14000))}"
                                                                  f"ms to flush {int(s.rng.integers(40, 300))} and "
                                                                  "evict 0 pages")))
    for k, t in enumerate(np.arange(onset + 600, 0, 120.0)):
        waited = 241 + 120 * k
        ev.append((t, mysql_err(s, t, "Warning", "012985", "InnoDB", "A long semaphore wait:\n--Thread "
                                f"{int(s.rng.integers(10 ** 14, 10 ** 15))} has waited at buf0flu.cc line 1437 for "
                                f"{waited} seconds the semaphore:\nSX-lock on RW-latch at 0x7f{s.hexs(10)} created in file "
                                "buf0buf.cc line 1234\na writer (thread id 140412) has reserved it in mode  SX")))
    s.stream(f"/aws/rds/instance/{DB}/error", DB, ev)

    # ---- report-query ----------------------------------------------------------------
    ll = LambdaLog(s, "report-query", "python3.11", 1024, mem_used=(140, 230))
    frames = py_frames([("/var/task/reports/handler.py", 58, "handler", "rows = repo.run(report_id, params)"),
                        ("/var/task/reports/repo.py", 41, "run", "cur.execute(sql, params)"),
                        ("/var/task/pymysql/cursors.py", 153, "execute", "result = self._query(query)"),
                        ("/var/task/pymysql/connections.py", 759, "_read_bytes",
                         "raise err.OperationalError(CR.CR_SERVER_LOST, \"Lost connection to MySQL server during "
                         "query (%s)\" % (e,))")])

    def ok(t, rid):
        rep = s.pick(["sales_by_region", "inventory_turnover", "top_customers", "returns_weekly"])
        return [(0.02, ll.line(t, rid, "INFO", f"running report {rep} tenant=t{int(s.rng.integers(100, 999))}")),
                (60, ll.line(t, rid, "INFO", f"report {rep} returned {int(s.rng.integers(20, 5000))} rows"))]

    def bad(t, rid, k):
        rep = s.pick(["sales_by_region", "inventory_turnover", "top_customers", "returns_weekly"])
        return ([(0.02, ll.line(t, rid, "INFO", f"running report {rep} tenant=t{int(s.rng.integers(100, 999))}")),
                 (10.05, ll.unhandled(t, rid, "OperationalError",
                                      "(2013, 'Lost connection to MySQL server during query (timed out)')", frames))],
                10080.0 + float(s.rng.uniform(0, 40)), None)
    ll.minutes(-5400, q, q_err, dur, ok, bad)
    ll.flush()

    sl = LambdaLog(s, "report-scheduler", "python3.11", 256, mem_used=(60, 80))
    moved = False
    for i in np.nonzero((sched > 0) & (T >= -14400))[0]:
        st = T[i] + float(s.rng.uniform(0.1, 1.0))
        if T[i] >= chg and not moved:
            sl.set_version("$LATEST")
            moved = True
        rid = s.uuid()
        sl.invoke(st, float(s.rng.uniform(450, 800)),
                  [(0.1, sl.line(st, rid, "INFO", f"enqueued {int(s.rng.integers(5, 40))} scheduled report jobs"))],
                  rid=rid)
    sl.flush()

    # ---- exporter (Go) ---------------------------------------------------------------
    el = TaskLog(s, "/ecs/exporter", "exporter", "exporter", 2)
    for t in np.arange(-21600 + 30, 0, 120.0):
        for task in el.live(t):
            tt = t + float(s.rng.uniform(0, 20))
            if tt >= onset + 75:
                el.add(tt, json.dumps({"time": s.iso(tt), "level": "ERROR", "msg": "export chunk failed",
                                       "err": "invalid connection: Error 2013: Lost connection to MySQL server during "
                                              "query", "table": s.pick(["orders_fact", "inventory_daily"]),
                                       "elapsed_ms": int(s.rng.integers(15000, 15100))}), task)
            else:
                el.add(tt, json.dumps({"time": s.iso(tt), "level": "INFO", "msg": "export chunk written",
                                       "rows": int(s.rng.integers(5000, 20000)),
                                       "elapsed_ms": int(s.rng.integers(400, 1400))}), task)
    el.flush()

    s.change(chg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "report-scheduler", "t.ibrahim")
    s.change(-12600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "report-query",
             "jenkins-analytics")
    first = float(T[int(np.argmax((q_err > 0) & (T >= onset)))])
    s.alarm("reports-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "reports-api"}, "Sum", 300, 1, 15,
            desc="Reports API 5xx", after=first, before=first + 900)
    s.alarm("reports-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": "reports-api"}, "Average", 300, 1, 2500,
            after=first)
    s.alarm("analytics-mysql-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": DB}, "Average", 300, 3, 80,
            want="OK")
    s.alarm("analytics-mysql-connections", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": DB},
            "Maximum", 300, 1, 800, want="OK")
    doc = s.doc("Customer report pages time out or error; reports API 5xx alarm.",
                "reports-api-5xx", "dependency_failure", [DB],
                [{"namespace": "AWS/RDS", "name": "ReadLatency", "dimensions": {"DBInstanceIdentifier": DB}}])
    meta = {"alarm_on": "front (API Gateway -> report-query Lambda -> RDS MySQL)",
            "decoys": "report-scheduler config change 4 min before onset; report-query deploy 2.9 h earlier; "
                      "constant MySQL name-resolution warnings",
            "story": (
                "analytics-mysql's storage degrades: ReadLatency jumps from ~2 ms to ~1 s, DiskQueueDepth to ~70, "
                "IOPS collapse, while CPU drops and connections stay far below max_connections and storage is "
                "plentiful. InnoDB logs slow page-cleaner flushes and long semaphore waits. report-query fails with "
                "`(2013, 'Lost connection to MySQL server during query (timed out)')` after its 10 s read timeout and "
                "API Gateway returns 5xx; the exporter service fails the same way. Deciding evidence: the DB-side "
                "I/O metrics move first and two independent clients fail identically; nothing is exhausted, so the "
                "database is a failing dependency; the scheduler change only enqueues jobs.")}
    return doc, meta
