"""h18-03: SQS backlog alarm; the consumer Lambda fails because its PostgreSQL instance ran out of storage."""
from __future__ import annotations

import numpy as np

from .common import N, T, Scn
from .logfmt import LambdaLog, pg, pg_background, poisson_times, py_frames
from . import svc

DB = "clickstream-db"
HOST = "clickstream-db.cq7n2xw4ha1e.us-west-2.rds.amazonaws.com"


def build():
    s = Scn("h18-03-clickstream-backlog-db-storage", 1803, "us-west-2", "2026-03-12T17:20:00", -7.0)
    s.res("lambda", "clickstream-loader", runtime="python3.11", timeout=60, memory_size=1024,
          reserved_concurrency=10, event_source="sqs:clickstream-events (batch 200)",
          environment={"PGHOST": HOST, "PGDATABASE": "clickstream", "TARGET_TABLE": "events_raw"})
    s.res("lambda", "sessionizer", runtime="python3.11", timeout=300, memory_size=1024,
          schedule="rate(5 minutes)", environment={"SESSIONS_TABLE": "web-sessions", "SOURCE_BUCKET": "cs-archive"})
    s.res("rds", DB, engine="postgres", engine_version="15.4", instance_class="db.m6g.xlarge",
          allocated_storage_gb=400, max_allocated_storage_gb=None, storage_type="gp3", max_connections=800)

    onset = -2400.0
    shape = s.diurnal(peak=14.0, depth=0.6)
    sent = s.pois(2350 * shape * (1 + s.ar(0.05)))
    fail = T >= onset
    # storage: ingest eats the last 42 GB, then the volume is full
    use = np.cumsum(np.where(fail, 0, sent))
    free = 42.0 - 41.75 * use / use[int(np.argmax(fail)) - 1]
    free = np.where(fail, s.gauge(np.full(N, 0.21), 0.03, lo=0.05), s.gauge(free, 0.05, phi=0.3))
    batches = np.ceil(sent / 200)
    inv = np.where(fail, s.pois(np.full(N, 1.0) * batches * 1.05), s.pois(batches))
    err_load = np.where(fail, inv, 0)
    err = err_load + np.where(fail, 0, s.pois(np.full(N, 0.01)))
    dur = np.where(fail, s.gauge(np.full(N, 620.0), 60, lo=200), s.gauge(1500 + 300 * shape, 90, lo=600))
    svc.lam(s, "clickstream-loader", inv, err, dur)
    received = np.where(fail, inv * 200, sent * 1.0)
    deleted = np.where(fail, 0, sent)
    backlog_new = np.cumsum(np.where(fail, sent, 0))
    visible = np.where(fail, backlog_new * 0.55, s.gauge(120 * shape, 30, lo=0)) + s.pois(np.full(N, 20))
    age = np.where(fail, (T - onset) + s.gauge(np.full(N, 40.0), 6, lo=5), s.gauge(np.full(N, 38.0), 9, lo=4))
    svc.sqs(s, "clickstream-events", sent, received, visible, age, deleted)
    dlq = np.where(T >= onset + 5 * 360, np.cumsum(np.where(T >= onset + 5 * 360, sent * 0.9, 0)), 0)
    svc.sqs(s, "clickstream-events-dlq", dlq * 0 + np.diff(np.concatenate([[0], dlq])), np.zeros(N), dlq,
            np.where(dlq > 0, np.maximum(T - (onset + 1800), 60), 0))

    chg = onset - 560
    ses_inv = np.where(((T + 21600) % 300) == 0, 1.0, 0.0)
    ses_dur = np.where(T >= chg, s.gauge(np.full(N, 21000.0), 1500, lo=9000), s.gauge(np.full(N, 38000.0), 2500))
    svc.lam(s, "sessionizer", ses_inv, np.zeros(N), ses_dur, conc=ses_inv)

    load = sent / sent.max()
    cpu = s.gauge(18 + 22 * load, 2.0, lo=3) + 30 * s.win(-12600, -11900, rise=120, fall=240)
    cpu = np.where(fail, s.gauge(np.full(N, 9.0), 1.5, lo=2), cpu)
    wiops = np.where(fail, s.gauge(np.full(N, 60.0), 10, lo=5), s.gauge(900 * load + 100, 40, lo=20))
    conns = s.gauge(np.full(N, 34.0), 2, lo=20) + 6 * fail
    svc.rds(s, DB, cpu, conns, free, 11.0, wiops=wiops, load=load)

    # ---- logs ------------------------------------------------------------------------
    ll = LambdaLog(s, "clickstream-loader", "python3.11", 1024, mem_used=(210, 290))
    frames = py_frames([("/var/task/loader/handler.py", 39, "handler", "written = sink.write_batch(rows)"),
                        ("/var/task/loader/sink.py", 72, "write_batch",
                         "psycopg2.extras.execute_values(cur, INSERT_SQL, rows, page_size=200)"),
                        ("/var/task/psycopg2/extras.py", 1299, "execute_values", "cur.execute(b''.join(parts))")])

    def ok(t, rid):
        n = int(s.rng.integers(180, 201))
        lines = [(0.01, ll.line(t, rid, "INFO", f"received {n} messages from clickstream-events"))]
        if s.rng.random() < 0.12:
            lines.append((0.02, ll.line(t, rid, "WARNING", f"dropping {int(s.rng.integers(1, 5))} records with "
                                                             "unknown schema 'clickstream.v0'")))
        lines.append((1.2, ll.line(t, rid, "INFO", f"inserted {n} rows into events_raw_"
                                                    f"{s.clock(t, '%Y_%m_%d')} in {s.rng.uniform(0.9, 1.9):.2f}s")))
        return lines

    def bad(t, rid, k):
        rel = int(s.rng.integers(10, 60))
        return ([(0.01, ll.line(t, rid, "INFO", "received 200 messages from clickstream-events")),
                 (0.5, ll.unhandled(t, rid, "DiskFull", f'could not extend file "base/16402/2619311.{rel}": No '
                                    "space left on device\nHINT:  Check free disk space.\n", frames))], None, None)
    ll.minutes(-4200, inv, err_load, dur, ok, bad)
    ll.flush()

    sl = LambdaLog(s, "sessionizer", "python3.11", 1024, mem_used=(400, 700))
    moved = False
    for i in np.nonzero((ses_inv > 0) & (T >= -14400))[0]:
        st = T[i] + float(s.rng.uniform(0.1, 2))
        if T[i] >= chg and not moved:
            sl.set_version("$LATEST")
            moved = True
        n, rid = int(s.rng.integers(3000, 9000)), s.uuid()
        sl.invoke(st, float(ses_dur[i]), [
            (0.05, sl.line(st, rid, "INFO", f"scanning s3://cs-archive/{s.clock(st, '%Y/%m/%d/%H')}/ "
                                            f"({int(s.rng.integers(40, 90))} objects)")),
            (ses_dur[i] / 1000 - 0.3, sl.line(st, rid, "INFO", f"wrote {n} session summaries to web-sessions"))],
                  rid=rid)
    sl.flush()

    db = pg_background(s, tables=("events_raw_2026_03_12", "sessions_daily", "pageviews"), dbname="clickstream")
    db.append((-12590, pg(s, -12590, "LOG", 'automatic analyze of table "clickstream.public.events_raw_2026_03_11" '
                          "system usage: CPU: user: 41.20 s, system: 3.10 s, elapsed: 388.41 s")))
    for t in poisson_times(s, 0.04):
        db.append((t, pg(s, t, "LOG", "could not receive data from client: Connection reset by peer",
                         f"{s.ip('10.40')}({int(s.rng.integers(32768, 60999))})", "loader", "clickstream")))
    for i in np.nonzero(fail)[0]:
        for _ in range(int(err_load[i])):
            t = T[i] + float(s.rng.uniform(0, 60))
            c, pid = f"{s.ip('10.40')}({int(s.rng.integers(32768, 60999))})", int(s.rng.integers(2000, 32000))
            rel = int(s.rng.integers(10, 60))
            db.append((t, pg(s, t, "ERROR", f'could not extend file "base/16402/2619311.{rel}": No space left on '
                                            "device", c, "loader", "clickstream", pid)))
            db.append((t + 0.0005, pg(s, t, "HINT", "Check free disk space.", c, "loader", "clickstream", pid)))
            db.append((t + 0.001, pg(s, t, "STATEMENT", "INSERT INTO events_raw (event_id, session_id, ts, kind, "
                                                        "url, payload) VALUES ($1,$2,$3,$4,$5,$6),...", c, "loader",
                                     "clickstream", pid)))
    for t in np.arange(onset + 200, 0, 420.0):
        db.append((t, pg(s, t, "LOG", "could not write to file \"pg_wal/xlogtemp.402\": No space left on device",
                         pid=402)))
    s.stream(f"/aws/rds/instance/{DB}/postgresql", f"{DB}.0", db)

    s.change(chg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "sessionizer", "m.osei")
    s.change(-16800, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", DB, "backup-automation")
    s.change(-9800, "sqs.amazonaws.com", "SetQueueAttributes", "AWS::SQS::Queue", "marketing-webhooks",
             "m.osei")

    s.alarm("clickstream-events-backlog-age", "AWS/SQS", "ApproximateAgeOfOldestMessage",
            {"QueueName": "clickstream-events"}, "Maximum", 300, 1, 900,
            desc="Clickstream ingestion is falling behind", after=onset, before=onset + 1500)
    s.alarm("clickstream-loader-errors", "AWS/Lambda", "Errors", {"FunctionName": "clickstream-loader"}, "Sum", 60, 5,
            3, after=onset)
    s.alarm("clickstream-events-dlq-visible", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
            {"QueueName": "clickstream-events-dlq"}, "Maximum", 60, 1, 0, after=onset)
    s.alarm("clickstream-db-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": DB}, "Average", 300, 3, 85,
            want="OK")
    doc = s.doc("Analytics dashboards stale; the clickstream queue age alarm is firing.",
                "clickstream-events-backlog-age", "storage_exhaustion", [DB],
                [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": {"DBInstanceIdentifier": DB}}])
    meta = {"alarm_on": "front (SQS queue feeding the consumer; origin two hops away)",
            "decoys": "sessionizer memory change 9 min before onset (its duration improves); automated DB snapshot "
                      "4 h before onset; analyze CPU bump 2.8 h before onset; constant unknown-schema warnings",
            "story": (
                "Normal ingest steadily eats the last 42 GB of clickstream-db's 400 GB (storage autoscaling off). "
                "When FreeStorageSpace reaches ~0, every INSERT fails with `could not extend file ...: No space left on "
                "device`; clickstream-loader raises DiskFull for every batch, SQS redelivers, deletes stop, the backlog "
                "and the oldest-message age climb until the age alarm fires, and later the DLQ fills. Deciding "
                "evidence: the free-storage curve hits zero at the same minute the loader errors start, the RDS log "
                "and the Lambda tracebacks both say No space left on device; the sessionizer change is unrelated "
                "(different store, healthy).")}
    return doc, meta
