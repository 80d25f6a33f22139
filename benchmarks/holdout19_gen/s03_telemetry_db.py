"""h19-03: the telemetry Postgres runs out of allocated storage (storage_exhaustion, RDS origin, Lambda front alarm)."""
from __future__ import annotations

from datetime import datetime

import numpy as np

from .common import START, Case, counts, diurnal, wobble, bump
from .logfmt import Inv, LambdaSim, pg_line

SLUG = "h19-03-telemetry-db-disk-full"
FULL = -1980

META = {
    "front": "front (Lambda)",
    "decoys": "telemetry-query-api memory raised 8 min before onset; events-ingest code deploy 4 h earlier; "
              "autovacuum CPU bump 3.5 h earlier; constant duplicate-key errors in the Postgres log",
    "story": (
        "`telemetry-db` (200 GB, no storage autoscaling) has been losing free space at a steady ~1.9 GB/h all "
        "afternoon; FreeStorageSpace reaches zero 33 min ago. From then on every `events-ingest` batch fails with "
        "`psycopg2.errors.DiskFull: could not extend file ...: No space left on device` and the Postgres log shows "
        "the matching `could not extend file` errors; WriteIOPS collapse and the SQS backlog ages, while the "
        "read-only `telemetry-query-api` keeps answering. The memory change on telemetry-query-api is unrelated "
        "(that function never errors) and the events-ingest deploy ran cleanly for 3.5 h. The duplicate-key errors "
        "are constant background. The alarm is on the ingest Lambda; the origin is the database's storage."),
}


def build() -> Case:
    c = Case(SLUG, 1903, "us-west-2", datetime(2026, 11, 17, 21, 10),
             "Telemetry ingest Lambda failing every batch; Errors alarm fired.")
    rng, ids, t = c.rng, c.ids, c.t
    n = len(t)
    host = "telemetry-db.cx81bq0zk4ae.us-west-2.rds.amazonaws.com"
    c.resource("rds", "telemetry-db", engine="postgres", engine_version="15.5", instance_class="db.r6g.large",
               allocated_storage_gb=200, storage_type="gp3", storage_autoscaling=False, max_connections=1700,
               multi_az=False)
    c.resource("lambda", "events-ingest", runtime="python3.11", timeout=60, memory_size=1024,
               environment={"DB_HOST": host, "DB_NAME": "telemetry", "DB_USER": "ingest", "BATCH_TABLE": "device_events"},
               event_source="sqs:telemetry-events (batch 250, window 10 s)")
    c.resource("lambda", "telemetry-query-api", runtime="python3.11", timeout=10, memory_size=1024,
               environment={"DB_HOST": host, "DB_NAME": "telemetry", "DB_USER": "reader"})

    # ---------------------------------------------------------------- storage model
    f0, floor = 10.4e9, 0.09e9
    k = (f0 - floor) / (FULL - START)
    free = f0 - k * (t - START) + wobble(rng, n, 0.05e9, 0.95)
    free = np.where(t >= FULL, floor + rng.uniform(-0.03e9, 0.03e9, n), np.maximum(free, floor + 0.05e9))
    full = t >= FULL

    # ---------------------------------------------------------------- events-ingest
    per_min = counts(rng, 9 * diurnal(t, -3000, 0.2))
    err_file = f"base/16401/4718843.{int(rng.integers(11, 19))}"

    def ingest(ts: float, rid: str) -> Inv:
        nrec = int(rng.integers(180, 251))
        lines = [(0.003, "INFO", f"Received {nrec} records from telemetry-events")]
        mem = int(rng.integers(141, 166))
        if rng.random() < 0.06:
            lines.append((0.02, "WARNING", f"Dropped {int(rng.integers(1, 5))} records with unparseable payload "
                                           f"(device firmware 3.{int(rng.integers(1, 4))}.x)"))
        if ts >= FULL:
            line = int(rng.integers(1, nrec))
            tb = (f'[ERROR] DiskFull: could not extend file "{err_file}": No space left on device\n'
                  "HINT:  Check free disk space.\n"
                  f"CONTEXT:  COPY device_events, line {line}\n"
                  "Traceback (most recent call last):\n"
                  '  File "/var/task/handler.py", line 31, in lambda_handler\n'
                  "    writer.write_batch(records)\n"
                  '  File "/var/task/ingest/writer.py", line 88, in write_batch\n'
                  "    cur.copy_expert(COPY_SQL, buf)")
            dur = float(rng.uniform(260, 900))
            lines.append((dur / 1000 - 0.005, None, tb))
            return Inv(dur, mem, lines, error=True)
        dur = float(rng.lognormal(np.log(1300), 0.25))
        lines.append((dur / 1000 - 0.01, "INFO", f"Inserted {nrec} device events in {dur - 40:.0f} ms (copy)"))
        return Inv(dur, mem, lines)

    ing = LambdaSim(c, "events-ingest", "python3.11", 1024, 60, recycle=(-6200,))
    res = ing.run(per_min, ingest)
    im = ing.metrics(res)

    # ---------------------------------------------------------------- telemetry-query-api (decoy change)
    qchange = -2460
    qpm = counts(rng, 10 * diurnal(t, -3000, 0.3))

    def query(ts: float, rid: str) -> Inv:
        dev = f"dev-{ids.hex(8)}"
        rows = int(rng.integers(20, 900))
        dur = float(rng.lognormal(np.log(95 if ts > qchange else 120), 0.35))
        mem = int(rng.integers(96, 120))
        return Inv(dur, mem, [(0.002, "INFO", f"GET /devices/{dev}/events?since=24h"),
                              (dur / 1000 - 0.004, "INFO", f"200 rows={rows} in {dur - 3:.0f} ms")])

    q = LambdaSim(c, "telemetry-query-api", "python3.11", 1024, 10, recycle=(qchange + 3,))
    q.metrics(q.run(qpm, query))

    # ---------------------------------------------------------------- RDS metrics
    d = {"DBInstanceIdentifier": "telemetry-db"}
    cpu = 22 * diurnal(t, -3000, 0.15) + 24 * bump(t, -12600, 420) + wobble(rng, n, 2.0) - 7 * full
    c.metric("AWS/RDS", "CPUUtilization", d, "Percent", np.clip(cpu, 2, 100))
    c.metric("AWS/RDS", "DatabaseConnections", d, "Count", np.round(41 + wobble(rng, n, 2.5) + 3 * full))
    c.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", free, nd=0)
    c.metric("AWS/RDS", "FreeableMemory", d, "Bytes", 5.3e9 + wobble(rng, n, 0.08e9), nd=0)
    w = 1450 * diurnal(t, -3000, 0.2) * (1 + wobble(rng, n, 0.08))
    c.metric("AWS/RDS", "WriteIOPS", d, "Count/Second", np.where(full, 35 + rng.uniform(0, 20, n), w))
    c.metric("AWS/RDS", "ReadIOPS", d, "Count/Second", 220 * (1 + wobble(rng, n, 0.12)))
    c.metric("AWS/RDS", "WriteLatency", d, "Seconds", 0.0011 * (1 + wobble(rng, n, 0.15)) + 0.0004 * full, nd=5)
    c.metric("AWS/RDS", "ReadLatency", d, "Seconds", 0.0007 * (1 + wobble(rng, n, 0.15)), nd=5)
    c.metric("AWS/RDS", "DiskQueueDepth", d, "Count", np.clip(0.9 + wobble(rng, n, 0.3), 0, None))
    age = np.where(full, 20 + (t - FULL) * 1.0, 9 + rng.uniform(0, 8, n))
    c.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "telemetry-events"}, "Seconds", age, nd=0)
    c.metric("AWS/SQS", "NumberOfMessagesSent", {"QueueName": "telemetry-events"}, "Count",
             counts(rng, 2100 * diurnal(t, -3000, 0.2)))

    # ---------------------------------------------------------------- Postgres log
    pg = c.stream("/aws/rds/instance/telemetry-db/postgresql", "telemetry-db.0")
    for ts in np.arange(START + 170, 0, 300.0):
        bufs = int(rng.integers(9000, 26000))
        pg.add(ts, pg_line(c, ts, "LOG", "checkpoint starting: time", pid=431))
        wt = rng.uniform(120, 270)
        pg.add(ts + wt, pg_line(c, ts + wt, "LOG",
               f"checkpoint complete: wrote {bufs} buffers ({bufs / 16384:.1f}%); 0 WAL file(s) added, "
               f"{int(rng.integers(0, 3))} removed, {int(rng.integers(8, 22))} recycled; write={wt - 0.3:.3f} s, "
               f"sync=0.{int(rng.integers(10, 99))} s, total={wt:.3f} s; sync files={int(rng.integers(30, 90))}, "
               f"longest=0.0{int(rng.integers(10, 99))} s, average=0.00{int(rng.integers(1, 9))} s; "
               f"distance={int(rng.integers(600000, 1400000))} kB, estimate={int(rng.integers(900000, 1300000))} kB",
               pid=431))
    for ts in np.sort(rng.uniform(START, 0, 9)):
        pg.add(ts, pg_line(c, ts, "LOG", 'automatic vacuum of table "telemetry.public.device_events": index scans: 1\n'
               f"\tpages: 0 removed, {int(rng.integers(4, 9))}812204 remain, {int(rng.integers(20000, 90000))} scanned\n"
               f"\ttuples: {int(rng.integers(200000, 900000))} removed, {int(rng.integers(40, 90))}112003 remain, 0 are dead but not yet removable",
               pid=int(rng.integers(20000, 30000))))
    for ts in np.sort(rng.uniform(START, 0, 44)):
        ip = f"10.12.{int(rng.integers(20, 24))}.{int(rng.integers(10, 250))}({int(rng.integers(32768, 60999))})"
        pid = int(rng.integers(10000, 32000))
        pg.add(ts, pg_line(c, ts, "ERROR", 'duplicate key value violates unique constraint "device_registrations_pkey"',
                           ip, "ingest", "telemetry", pid))
        pg.add(ts + 0.001, pg_line(c, ts + 0.001, "DETAIL", f"Key (device_id)=(dev-{ids.hex(8)}) already exists.",
                                   ip, "ingest", "telemetry", pid))
    for i in np.nonzero(full)[0]:
        for ts in t[i] + rng.uniform(0, 60, int(res["errors"][i])):
            ip = f"10.12.{int(rng.integers(20, 24))}.{int(rng.integers(10, 250))}({int(rng.integers(32768, 60999))})"
            pid = int(rng.integers(10000, 32000))
            pg.add(ts, pg_line(c, ts, "ERROR", f'could not extend file "{err_file}": No space left on device',
                               ip, "ingest", "telemetry", pid))
            pg.add(ts + 0.001, pg_line(c, ts + 0.001, "HINT", "Check free disk space.", ip, "ingest", "telemetry", pid))
            pg.add(ts + 0.002, pg_line(c, ts + 0.002, "CONTEXT", f"COPY device_events, line {int(rng.integers(1, 250))}",
                                       ip, "ingest", "telemetry", pid))
            pg.add(ts + 0.003, pg_line(c, ts + 0.003, "STATEMENT",
                                       "COPY device_events (device_id, ts, kind, payload) FROM STDIN WITH (FORMAT csv)",
                                       ip, "ingest", "telemetry", pid))

    c.alarm("events-ingest-errors", im["Errors"], "Sum", 60, 3, 3, "GreaterThanThreshold", FULL,
            description="Telemetry ingest Lambda errors")
    c.change(qchange, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "telemetry-query-api", "r.iyer")
    c.change(-14800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "events-ingest", "buildkite")
    c.expect = {"alarm": "events-ingest-errors",
                "root_cause": {"category": "storage_exhaustion", "resource": ["telemetry-db"]},
                "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace",
                               "dimensions": {"DBInstanceIdentifier": "telemetry-db"}}]}
    return c
