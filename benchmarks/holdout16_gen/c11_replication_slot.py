"""h16-11: an abandoned logical replication slot retains WAL until the database volume is full."""
from __future__ import annotations

import datetime as dt

import numpy as np

from . import aws
from .kit import N, TIMES, Scenario, counts, daily, jitter, step
from .logfmt import LambdaLogs, event_times, pg, pg_checkpoints, poisson_times, py_traceback

META = {
    "file": "h16-11-abandoned-replication-slot-fills-disk",
    "postmortem": "database disk filled by WAL retained for an abandoned logical replication slot (a CDC "
                  "connector stopped days earlier)",
    "side": "origin (RDS FreeStorageSpace)",
    "decoys": "events-ingest deploy 45 min before writes failed; routine backup snapshot; the connector scale-down "
              "three days ago (context, not a recent change)",
    "story": (
        "events-db (Postgres, 400 GB, no storage autoscaling) loses about 10 GB of free space an hour for the whole "
        "window while CPU, connections and write IOPS stay normal: TransactionLogsDiskUsage and "
        "OldestReplicationSlotLag grow in lockstep, i.e. WAL is kept for a replication slot nobody consumes (the "
        "Debezium connector service was scaled to zero three days ago; its last log lines are the shutdown). The "
        "free-storage alarm fires below 2 GiB; minutes later Postgres logs 'could not extend file ...: No space "
        "left on device' and a PANIC on a WAL write, and events-ingest fails every batch with "
        "psycopg2.errors.DiskFull. storage_exhaustion on events-db. The events-ingest deploy 45 minutes before "
        "ran cleanly until the disk filled."),
}

HOST = "events-db.c0kq8s2rvz1m.ap-southeast-1.rds.amazonaws.com"
GB = aws.GB


def build(seed: int) -> Scenario:
    sc = Scenario("h16-11-abandoned-replication-slot-fills-disk",
                  "events-db free storage alarm; event ingestion failing.",
                  "ap-southeast-1", seed, dt.datetime(2026, 10, 20, 3, 30))
    X = -1500.0  # writes start failing
    day = daily(sc, peak_hour=6, depth=0.3)
    sc.resource("rds", "events-db", engine="postgres", engine_version="16.1", instance_class="db.m6g.large",
                allocated_storage_gb=400, storage_autoscaling=False, storage_type="gp3", max_connections=800)
    sc.resource("lambda", "events-ingest", runtime="python3.12", timeout=60, memory_size=512,
                environment={"DB_HOST": HOST, "DB_NAME": "events", "BATCH_SIZE": "100"})
    sc.resource("lambda", "events-api", runtime="python3.12", timeout=10, memory_size=256,
                environment={"DB_HOST": HOST, "DB_NAME": "events"})
    sc.resource("ecs", "analytics/cdc-connector", desired_count=0, launch_type="FARGATE", cpu=1024, memory=2048,
                image="debezium/server:2.5", log_groups=["/ecs/cdc-connector"])

    full = step(X)
    slope = (58.4 - 0.7) / (X + 21600)  # GB per second
    free = np.where(TIMES < X, 58.4 - slope * (TIMES + 21600), 0.55) + sc.rng.normal(0, 0.05, N) * (1 - full)
    free = np.clip(free + sc.rng.normal(0, 0.01, N) * full, 0.3, None)
    wal = 121.0 + (58.4 - free) * 0.985
    lag = wal - 1.6 + sc.rng.normal(0, 0.05, N)
    iops_w = np.where(TIMES < X, 640 * day, 45)
    aws.rds_metrics(sc, "events-db", jitter(sc, 16 + 8 * day, 0.08), 41 + sc.rng.normal(0, 2, N), free,
                    jitter(sc, 3.4, 0.01), write_lat_ms=np.where(TIMES < X, 1.8, 0.9), read_iops=220 * day,
                    write_iops=iops_w,
                    extra={"TransactionLogsDiskUsage": ("Bytes", wal * GB),
                           "OldestReplicationSlotLag": ("Bytes", lag * GB),
                           "TransactionLogsGeneration": ("Bytes/Second",
                                                         np.where(TIMES < X, jitter(sc, 2.9e6 * day, 0.05), 4e4))})
    inv = counts(sc, 14 * day)
    err = np.round(inv * full) + counts(sc, 0.01) * (1 - full)
    dur = np.where(TIMES < X, jitter(sc, 820, 0.08), jitter(sc, 95, 0.1))
    aws.lambda_metrics(sc, "events-ingest", inv, err, dur)
    ainv = counts(sc, 22 * day)
    aws.lambda_metrics(sc, "events-api", ainv, counts(sc, 0.02), jitter(sc, 38, 0.1))

    # --- logs -----------------------------------------------------------------------------------------------
    lg = LambdaLogs(sc, "events-ingest", "python3.12", 512)
    rel = f"base/16401/{int(sc.rng.integers(24000, 25000))}.{int(sc.rng.integers(2, 9))}"
    for t in event_times(sc, inv, -4800):
        shard = f"shardId-00000000000{int(sc.rng.integers(0, 4))}"
        n = int(sc.rng.integers(40, 101))
        if t >= X:
            tb = py_traceback([
                ("/var/task/ingest/handler.py", 52, "handler", "writer.insert_batch(records)"),
                ("/var/task/ingest/writer.py", 77, "insert_batch", "execute_values(cur, INSERT_SQL, rows, page_size=500)"),
                ("/var/task/psycopg2/extras.py", 1299, "execute_values", "cur.execute(b''.join(parts))"),
            ], f"psycopg2.errors.DiskFull: could not extend file \"{rel}\": No space left on device\n"
               f"HINT:  Check free disk space.")
            body = [(0.004, "INFO", f"Received {n} records from {shard}")]
            lg.invoke(t, float(sc.rng.normal(95, 10)), lambda t0, rid, body=body, tb=tb: [
                (t0 + 0.004, f"[INFO]\t{sc.iso(t0 + 0.004)}\t{rid}\t{body[0][2]}"),
                (t0 + 0.09, f"[ERROR] DiskFull: could not extend file \"{rel}\": No space left on device\n"
                            f"HINT:  Check free disk space.\n{tb}")],
                mem_used=int(sc.rng.integers(96, 110)), error_type="Runtime.Unhandled")
            continue
        body = [(0.004, "INFO", f"Received {n} records from {shard}"),
                (0.8, "INFO", f"Inserted {n} events into events.raw_events")]
        if sc.rng.random() < 0.03:
            body.insert(1, (0.01, "WARNING", f"Dropped 1 record with unknown schema_version=0 from {shard}"))
        lg.invoke(t, float(sc.rng.normal(820, 60)), body, mem_used=int(sc.rng.integers(120, 150)))
    lg.flush()
    ap = LambdaLogs(sc, "events-api", "python3.12", 256)
    for t in event_times(sc, ainv, -2700):
        ap.invoke(t, float(sc.rng.gamma(5, 8)), [(0.003, "INFO", f"GET /events?account={sc.hexid(8)}&limit=50")],
                  mem_used=int(sc.rng.integers(70, 80)))
    ap.flush()
    ev = pg_checkpoints(sc, -21600, pid=541, buffers=(3000, 9000))
    ev = [e for e in ev if e[0] < X + 30]
    for t in poisson_times(sc, 0.1, -21600, X):
        ev.append((t, pg(sc, t, "LOG", f"automatic vacuum of table \"events.public.raw_events\": index scans: 0\n"
                                       f"\tpages: 0 removed, {int(sc.rng.integers(900000, 990000))} remain",
                         pid=int(sc.rng.integers(20000, 30000)))))
    for t in poisson_times(sc, np.where(TIMES >= X, 9, 0), X):
        ip = f"{sc.ip('10.12')}({int(sc.rng.integers(32768, 61000))})"
        pid = int(sc.rng.integers(20000, 31000))
        ev.append((t, pg(sc, t, "ERROR", f"could not extend file \"{rel}\": No space left on device", "ingest",
                         "events", ip, pid)))
        ev.append((t + 0.0001, pg(sc, t, "HINT", "Check free disk space.", "ingest", "events", ip, pid)))
        ev.append((t + 0.0002, pg(sc, t, "STATEMENT", "INSERT INTO raw_events (id, account_id, kind, payload, "
                                                      "received_at) VALUES ($1, $2, $3, $4, $5), ...",
                                  "ingest", "events", ip, pid)))
    P = X + 41
    crash = [("PANIC", "could not write to file \"pg_wal/xlogtemp.29571\": No space left on device", 29571),
             ("LOG", "server process (PID 29571) was terminated by signal 6: Aborted", 411),
             ("LOG", "terminating any other active server processes", 411),
             ("LOG", "all server processes terminated; reinitializing", 411),
             ("LOG", "database system was interrupted; last known up at " + sc.clock(P - 200) + " UTC", 30112),
             ("LOG", "database system was not properly shut down; automatic recovery in progress", 30112),
             ("LOG", "redo done at 2F1/9C000F28 system usage: CPU: user: 0.92 s, system: 0.61 s, elapsed: 2.80 s",
              30112),
             ("LOG", "database system is ready to accept connections", 411)]
    for k, (lvl, msg, pid) in enumerate(crash):
        ev.append((P + k * 1.1, pg(sc, P + k * 1.1, lvl, msg, pid=pid)))
    sc.log("/aws/rds/instance/events-db/postgresql", "events-db", ev)
    cdc = []
    t0 = -259230.0
    for k, msg in enumerate([
            "INFO  [io.deb.ser.DebeziumServer] (main) Received request to stop the engine",
            "INFO  [io.deb.emb.EmbeddedEngine] (main) Stopping the embedded engine",
            "INFO  [io.deb.con.com.BaseSourceTask] (pool-7-thread-1) Stopping down connector",
            "INFO  [io.deb.con.pos.con.PostgresConnection] (pool-7-thread-1) Connection gracefully closed",
            "INFO  [io.deb.jdb.JdbcConnection] (pool-9-thread-1) Connection gracefully closed",
            "INFO  [io.deb.pip.ChangeEventSourceCoordinator] (debezium-postgresconnector-events-change-event-"
            "source-coordinator) Finished streaming",
            "INFO  [io.deb.ser.DebeziumServer] (main) Debezium Server stopped"]):
        cdc.append((t0 + k * 0.4, f"{sc.clock(t0 + k * 0.4)},{int(sc.rng.integers(100, 999))} {msg}"))
    sc.log("/ecs/cdc-connector", "cdc-connector/debezium/7c1d2e3f4a5b46c7d8e9f0a1b2c3d4e5", cdc)
    sc.change(-259260, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "analytics/cdc-connector", "dkim")
    sc.change(-9000, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBSnapshot", "events-db", "AWSBackup")
    sc.change(X - 2700, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "events-ingest", "ci-deployer")
    db = {"DBInstanceIdentifier": "events-db"}
    sc.alarm_on("events-db-free-storage-low", "AWS/RDS", "FreeStorageSpace", db, free * GB, "Minimum", 300, 1,
                2 * GB, "LessThanThreshold", description="events-db free storage below 2 GiB")
    sc.alarm_on("events-ingest-errors", "AWS/Lambda", "Errors", {"FunctionName": "events-ingest"}, err, "Sum", 60, 3,
                5, "GreaterThanThreshold", description="events-ingest errors")
    sc.set_expect("events-db-free-storage-low", "storage_exhaustion", ["events-db"],
                  [("AWS/RDS", "FreeStorageSpace", db), ("AWS/RDS", "TransactionLogsDiskUsage", db)])
    return sc
