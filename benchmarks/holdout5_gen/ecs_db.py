"""h5-07 (RDS storage fills up behind an ECS service) and h5-08 (RDS connection storm after ECS scale-out)."""
from __future__ import annotations

import json

import numpy as np

from .common import (N, T, alarm, alb_metrics, change, ecs_metrics, expect, find, hexid, iso, level, log, logts,
                     pgts, pois, poisson_times, rds_metrics, scenario, window)
from .ecs_deps import pg_checkpoints

GB = 1024 ** 3


# ------------------------------------------------------------------ h5-07
def rds_storage_full(rng):
    region, cluster, svc, other = "eu-west-3", "ledger", "ledger-api", "statements-worker"
    lb = "app/ledger-alb/5e0b7c21d94fa368"
    db = "ledger-db"
    full = -1500
    bad = window(full, 0)
    # WAL retained by an abandoned logical replication slot: steady fill, faster with business-hours writes
    rate = 0.58e6 * (1 + 0.35 * np.sin(2 * np.pi * (T + 8000) / 86400))  # bytes/s
    used = np.cumsum(rate * 60)
    free = 13.9e9 - used
    free = np.where(T >= full, rng.uniform(28e6, 95e6, N), np.maximum(free, 1.6e8))
    free = free + rng.normal(0, 2e7, N) * (T < full)
    req = np.round(level(rng, 880, 0.05, daily=0.3, phase=-8000))
    fail = bad * (0.55 + 0.15 * rng.uniform(0, 1, N))
    t5 = pois(rng, 0.6 + req * fail)
    trt = level(rng, 0.064, 0.07) * (1 + bad * 1.4)
    metrics = alb_metrics(lb, req, trt, t5, pois(rng, 0.02 * np.ones(N)), np.zeros(N), np.full(N, 4.0), rng=rng)
    metrics += ecs_metrics(cluster, svc, level(rng, 34, 0.06) * (1 - bad * 0.3), level(rng, 52, 0.02),
                           np.full(N, 4.0), np.full(N, 4.0), np.zeros(N))
    dep = -5400
    metrics += ecs_metrics(cluster, other, level(rng, 15, 0.1), level(rng, 40, 0.02),
                           np.full(N, 2.0) + window(dep, dep + 240) * 2, np.full(N, 2.0), window(dep, dep + 60) * 2)
    conns = level(rng, 48, 0.06) * (1 - bad * 0.45)
    wlat = level(rng, 0.0024, 0.12) * (1 + bad * 5 + np.clip((T + 4000) / 2500, 0, 1) * 0.4)
    metrics += rds_metrics(db, level(rng, 27, 0.08) * (1 - bad * 0.4), conns, free, level(rng, 0.0012, 0.15),
                           wlat, level(rng, 5.6 * GB, 0.01))

    logs = []
    for k in range(4):
        ev = []
        for t in poisson_times(rng, 12.0, -10800, 0):
            path = ["/v1/entries", "/v1/accounts/{a}/balance", "/v1/transfers"][int(rng.choice(3, p=[0.3, 0.55, 0.15]))]
            path = path.replace("{a}", f"acc_{hexid(rng, 8)}")
            method = "GET" if "balance" in path else "POST"
            rec = {"timestamp": iso(t), "level": "info", "logger": "ledger.api.access", "method": method,
                   "path": path, "status": 200 if method == "GET" else 201, "duration_ms": int(rng.gamma(2, 18))}
            if t >= full and (method == "POST" or rng.uniform() < 0.35):
                rec.update(level="error", logger="ledger.api.errors", status=500, event="unhandled exception")
                if method == "POST":
                    rec["exception"] = ('psycopg.errors.DiskFull: could not extend file "base/16402/'
                                        f'{rng.integers(90000, 99999)}.{rng.integers(1, 30)}": No space left on device\n'
                                        "HINT:  Check free disk space.")
                else:
                    rec["exception"] = ('psycopg.OperationalError: connection failed: connection to server at '
                                        '"ledger-db.c4bz2m9xq1fa.eu-west-3.rds.amazonaws.com" (10.70.21.9), port 5432 '
                                        "failed: FATAL:  the database system is in recovery mode")
            ev.append((t, json.dumps(rec, separators=(",", ":"))))
        for t in poisson_times(rng, 0.9, -10800, 0):
            ev.append((t, json.dumps({"timestamp": iso(t), "level": "warning", "logger": "ledger.api.idempotency",
                                      "event": "idempotency key replayed, returning stored response",
                                      "key": hexid(rng, 20)}, separators=(",", ":"))))
        logs.append(log(f"/ecs/{svc}", f"{svc}/{svc}/{hexid(rng)}", ev))
    ev = []
    for t in poisson_times(rng, 1.5, dep, 0):
        ev.append((t, f"{logts(t)} INFO statements_worker: rendered monthly statement for acc_{hexid(rng, 8)}"))
    ev.append((dep + 70, f"{logts(dep + 70)} INFO statements_worker: starting statements-worker 4.2.0"))
    logs.append(log(f"/ecs/{other}", f"{other}/{other}/{hexid(rng)}", ev))
    # postgres log
    ev = pg_checkpoints(rng, -21600, full - 300, pid=387)
    for t in poisson_times(rng, 0.7, -21600, full):
        ev.append((t, f"{pgts(t)}:10.70.{rng.integers(1, 20)}.{rng.integers(2, 250)}({rng.integers(30000, 60000)}):"
                      f"ledger_app@ledger:[{rng.integers(1000, 30000)}]:ERROR:  could not serialize access due to "
                      "concurrent update"))
    for t in (-9000, -5200, -2600):
        ev.append((t, f"{pgts(t)}::@:[387]:LOG:  checkpoints are occurring too frequently (19 seconds apart)"))
        ev.append((t + 0.001, f"{pgts(t)}::@:[387]:HINT:  Consider increasing the configuration parameter "
                              "\"max_wal_size\"."))
    t = full
    pid = 2211
    while t < -20:
        ev += [(t, f"{pgts(t)}::@:[{pid}]:PANIC:  could not write to file \"pg_wal/xlogtemp.{pid}\": No space left on device"),
               (t + 0.2, f"{pgts(t)}::@:[6721]:LOG:  server process (PID {pid}) was terminated by signal 6: Aborted"),
               (t + 0.3, f"{pgts(t)}::@:[6721]:LOG:  terminating any other active server processes"),
               (t + 1.1, f"{pgts(t + 1)}::@:[6721]:LOG:  all server processes terminated; reinitializing"),
               (t + 1.6, f"{pgts(t + 1)}::@:[{pid + 5}]:LOG:  database system was interrupted; last known up at "
                         f"{pgts(t - 90)}"),
               (t + 2.4, f"{pgts(t + 2)}:10.70.3.{rng.integers(2, 250)}({rng.integers(30000, 60000)}):ledger_app@"
                         f"ledger:[{pid + 9}]:FATAL:  the database system is in recovery mode"),
               (t + 6.0, f"{pgts(t + 6)}::@:[{pid + 5}]:LOG:  redo starts at {rng.integers(100, 999):X}/"
                         f"{rng.integers(10**6, 10**7):X}"),
               (t + 9.0, f"{pgts(t + 9)}::@:[6721]:LOG:  database system is ready to accept connections")]
        for u in poisson_times(rng, 12, t + 9.5, t + 60):
            ev.append((u, f"{pgts(u)}:10.70.3.{rng.integers(2, 250)}({rng.integers(30000, 60000)}):ledger_app@ledger:"
                          f"[{rng.integers(7000, 30000)}]:ERROR:  could not extend file \"base/16402/"
                          f"{rng.integers(90000, 99999)}\": No space left on device"))
        t += float(rng.uniform(60, 150))
        pid += int(rng.integers(50, 400))
    logs.append(log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0", ev))

    changes = [
        change(dep - 60, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{other}",
               "gitlab-runner"),
        change(-19800, "dms.amazonaws.com", "StopReplicationTask", "AWS::DMS::ReplicationTask",
               "ledger-to-warehouse-cdc", "data-eng-marc"),
    ]
    al = alarm("ledger-alb-5xx", find(metrics, "HTTPCode_Target_5XX_Count"), "Sum", 60, 2, 50,
               description="Ledger API 5xx rate")
    resources = [
        {"type": "alb", "id": lb, "properties": {"name": "ledger-alb", "targets": [f"{cluster}/{svc}"]}},
        {"type": "ecs", "id": f"{cluster}/{svc}", "properties": {
            "cluster": cluster, "task_definition": f"{svc}:131", "desired_count": 4, "cpu": 1024, "memory": 2048}},
        {"type": "ecs", "id": f"{cluster}/{other}", "properties": {
            "cluster": cluster, "task_definition": f"{other}:12", "desired_count": 2, "cpu": 512, "memory": 1024}},
        {"type": "rds", "id": db, "properties": {"engine": "postgres", "engine_version": "16.4",
                                                  "instance_class": "db.m6g.large", "max_connections": 800,
                                                  "allocated_storage_gb": 200}},
    ]
    scn = scenario("h5-07-rds-storage-full", "Ledger API failing writes and balance lookups; ALB 5xx alarm.",
                   region, resources, metrics, logs, [al], changes,
                   expect(al["name"], "storage_exhaustion", [db],
                          [find(metrics, "FreeStorageSpace"), find(metrics, "HTTPCode_Target_5XX_Count")]))
    return {"file": "h5-07-rds-storage-full.yaml", "scenario": scn,
            "decoys": "statements-worker deploy 1.5 h earlier; steady serialization-failure errors in the postgres "
                      "log; 'checkpoints too frequent' warnings",
            "story": "A DMS CDC task was stopped 5.5 h ago but its logical replication slot was left behind, so "
                     "ledger-db retains all WAL. FreeStorageSpace falls steadily until the 200 GB volume is full; "
                     "postgres PANICs writing WAL, restarts into recovery, and writes fail with 'No space left on "
                     "device'. ledger-api returns 500 for most requests. Storage autoscaling was off and there was no "
                     "storage alarm."}


# ------------------------------------------------------------------ h5-08
def rds_conn_storm(rng):
    region, cluster, svc, other = "us-east-1", "booking", "booking-api", "notify-worker"
    lb = "app/booking-alb/91ad3e4f07c2b8e5"
    db = "booking-db"
    s1, s2 = -2400, -2100
    desired = np.full(N, 6.0) + (T >= s1) * 4 + (T >= s2) * 4
    running = desired.copy()
    running[(T >= s1) & (T < s1 + 120)] = 6
    running[(T >= s2) & (T < s2 + 120)] = 10
    pending = desired - running
    peak = np.clip((T + 3600) / 1500, 0, 1)
    req = np.round(level(rng, 1500, 0.05) * (1 + 0.55 * peak))
    exhausted = window(s2 + 150, 0)
    t5 = pois(rng, 0.5 + exhausted * req * (0.05 + 0.04 * rng.uniform(0, 1, N)))
    trt = level(rng, 0.085, 0.07) * (1 + 0.3 * peak) + exhausted * rng.uniform(0.6, 1.1, N)
    cpu = level(rng, 38, 0.06) * (1 + 0.6 * peak) * 6 / running
    cpu = cpu + exhausted * 8
    metrics = alb_metrics(lb, req, trt, t5, pois(rng, 0.03 * np.ones(N)), np.zeros(N), running, rng=rng)
    metrics += ecs_metrics(cluster, svc, cpu, level(rng, 58, 0.02), running, desired, pending)
    nd = -12000
    metrics += ecs_metrics(cluster, other, level(rng, 9, 0.1) + window(-16000, -15400) * 50, level(rng, 31, 0.02),
                           np.full(N, 2.0) + window(nd, nd + 240) * 2, np.full(N, 2.0), window(nd, nd + 60) * 2)
    per_task = 12.4 + 1.6 * peak + rng.normal(0, 0.25, N)
    conns = running * per_task + 13 + rng.normal(0, 1.5, N)
    conns = np.where(T >= s2 + 120, np.clip(rng.normal(196, 1.8, N), 190, 197), np.minimum(conns, 197))
    conns = np.round(conns)
    metrics += rds_metrics(db, level(rng, 31, 0.07) * (1 + 0.3 * peak) + exhausted * 17, conns,
                           180 * GB + rng.normal(0, 4e7, N) - T * 900, level(rng, 0.0009, 0.15),
                           level(rng, 0.0015, 0.15), level(rng, 0.78 * GB, 0.015) - (conns - 90) * 3.2e6)

    logs = []

    def spring(t, lvl, th, logger, msg):
        return f"{logts(t).replace(',', '.')} {lvl:>5} 1 --- [booking-api] [{th}] {logger:<40} : {msg}"

    n_tasks = [(-10800, 0)] * 6 + [(s1 + 60, 0)] * 4 + [(s2 + 60, 0)] * 4
    for a, b in n_tasks:
        ev = []
        th = lambda: f"nio-8080-exec-{rng.integers(1, 200)}"  # noqa: E731
        if a > -10800:
            ev.append((a, spring(a, "INFO", "main", "c.b.booking.BookingApplication",
                                 "Starting BookingApplication v5.12.3 using Java 17.0.13 with PID 1")))
            ev.append((a + 8, spring(a + 8, "INFO", "main", "com.zaxxer.hikari.HikariDataSource",
                                     "HikariPool-1 - Starting...")))
        for t in poisson_times(rng, 9.0, a + 12 if a > -10800 else a, b):
            if t >= s2 + 150 and rng.uniform() < 0.09:
                if rng.uniform() < 0.6:
                    ev.append((t, spring(t, "WARN", th(), "o.h.engine.jdbc.spi.SqlExceptionHelper",
                                         "SQL Error: 0, SQLState: 08001")))
                    ev.append((t + 0.001, spring(t, "ERROR", th(), "o.h.engine.jdbc.spi.SqlExceptionHelper",
                              "HikariPool-1 - Connection is not available, request timed out after 30000ms "
                              f"(total={rng.integers(9, 14)}, active={rng.integers(9, 14)}, idle=0, "
                              f"waiting={rng.integers(5, 60)})")))
                else:
                    ev.append((t, spring(t, "ERROR", "HikariPool-1 connection adder", "com.zaxxer.hikari.pool.HikariPool",
                                         "HikariPool-1 - Cannot acquire connection from data source\n"
                                         "org.postgresql.util.PSQLException: FATAL: remaining connection slots are "
                                         "reserved for non-replication superuser connections\n"
                                         "\tat org.postgresql.core.v3.ConnectionFactoryImpl.doAuthentication(ConnectionFactoryImpl.java:698)\n"
                                         "\tat org.postgresql.core.v3.ConnectionFactoryImpl.tryConnect(ConnectionFactoryImpl.java:207)\n"
                                         "\tat com.zaxxer.hikari.pool.PoolBase.newConnection(PoolBase.java:364)")))
            else:
                ev.append((t, spring(t, "INFO", th(), "c.b.booking.web.ReservationController",
                                     f"reservation {hexid(rng, 10)} {['created', 'fetched', 'fetched', 'updated'][rng.integers(0, 4)]}"
                                     f" in {int(rng.gamma(2, 22))} ms")))
        for t in poisson_times(rng, 0.4, a, b):
            ev.append((t, spring(t, "WARN", th(), "c.b.booking.db.SlowQueryInterceptor",
                                 f"slow query {rng.integers(900, 2200)} ms: select ... from availability where "
                                 f"property_id=?")))
        logs.append(log(f"/ecs/{svc}", f"{svc}/{svc}/{hexid(rng)}", ev))
    ev = pg_checkpoints(rng, -21600, 0, pid=529)
    for t in poisson_times(rng, 3.0, s1 + 20, s2 + 150):
        ev.append((t, f"{pgts(t)}:10.50.{rng.integers(1, 20)}.{rng.integers(2, 250)}({rng.integers(30000, 60000)}):"
                      f"[unknown]@[unknown]:[{rng.integers(9000, 30000)}]:LOG:  connection received: "
                      f"host=10.50.{rng.integers(1, 20)}.{rng.integers(2, 250)} port={rng.integers(30000, 60000)}"))
    for t in poisson_times(rng, 22.0, s2 + 120, 0):
        msg = ("remaining connection slots are reserved for non-replication superuser connections"
               if rng.uniform() < 0.8 else "sorry, too many clients already")
        ev.append((t, f"{pgts(t)}:10.50.{rng.integers(1, 20)}.{rng.integers(2, 250)}({rng.integers(30000, 60000)}):"
                      f"booking_app@booking:[{rng.integers(9000, 30000)}]:FATAL:  {msg}"))
    logs.append(log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0", ev))

    asg = "AWSServiceRoleForApplicationAutoScaling_ECSService"
    changes = [change(s1, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}", asg),
               change(s2, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}", asg),
               change(nd - 60, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{other}",
                      "jenkins")]
    al = alarm("booking-db-connections-high", find(metrics, "DatabaseConnections"), "Maximum", 60, 3, 180,
               description="booking-db connections near max_connections (200)")
    resources = [
        {"type": "alb", "id": lb, "properties": {"name": "booking-alb", "targets": [f"{cluster}/{svc}"]}},
        {"type": "ecs", "id": f"{cluster}/{svc}", "properties": {
            "cluster": cluster, "task_definition": f"{svc}:77", "desired_count": 14, "cpu": 1024, "memory": 2048}},
        {"type": "ecs", "id": f"{cluster}/{other}", "properties": {
            "cluster": cluster, "task_definition": f"{other}:30", "desired_count": 2, "cpu": 256, "memory": 512}},
        {"type": "rds", "id": db, "properties": {"engine": "postgres", "instance_class": "db.t4g.small",
                                                  "max_connections": 200, "allocated_storage_gb": 250}},
    ]
    scn = scenario("h5-08-rds-conn-storm-ecs-scaleout", "booking-db connection count alarm; booking API errors rising.",
                   region, resources, metrics, logs, [al], changes,
                   expect(al["name"], "db_connection_exhaustion", [db], [find(metrics, "DatabaseConnections")]))
    return {"file": "h5-08-rds-conn-storm-ecs-scaleout.yaml", "scenario": scn,
            "decoys": "notify-worker deploy and CPU burst hours earlier; steady slow-query warnings",
            "story": "Morning peak pushed booking-api CPU over its target-tracking threshold and Application Auto "
                     "Scaling raised the service from 6 to 10 and then 14 tasks. Each task's Hikari pool keeps "
                     "10 idle connections and grows to 20 under load, so 14 tasks want well over 200 connections "
                     "on a db.t4g.small with max_connections=200. The DB sits at its connection limit, postgres rejects "
                     "new sessions ('remaining connection slots are reserved...'), and requests that need a new "
                     "connection time out in the pool."}
