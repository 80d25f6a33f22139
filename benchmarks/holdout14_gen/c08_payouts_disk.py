"""h14-08: WAL retained by an abandoned logical replication slot fills payouts-pg's 100 GB of
storage; inserts fail with DiskFull and the consumer Lambda's Errors alarm fires."""
from __future__ import annotations

import datetime as dt

import numpy as np

from .common import N, T, Ctx, alarm, change, metric, ok_alarm, scenario, spread, stream
from .logfmt import LAMBDA_WARNING, LambdaLog, pg, py, py_unhandled

META = {
    "file": "h14-08-payouts-pg-storage-full.yaml", "region": "ap-south-1", "alarm": "payout-writer-errors",
    "category": "storage_exhaustion", "resources": ["payouts-pg"],
    "position": "consumer (Lambda writing to the DB)",
    "decoys": "payout-notifier configuration change 4 min before onset; constant duplicate-request warnings in "
              "payout-writer; payout-report keeps succeeding (reads)",
    "story": "payouts-pg (100 GB, no storage autoscaling) has been losing free space all day: FreeStorageSpace falls "
             "linearly from ~11.8 GB to ~0.1 GB while ReplicationSlotDiskUsage and TransactionLogsDiskUsage grow by the "
             "same amount (WAL held for an inactive replication slot; checkpoints report '0 removed'). About 25 minutes "
             "ago it ran out: postgres logs 'could not extend file ...: No space left on device' and payout-writer's "
             "inserts fail with psycopg2 DiskFull, so its Errors alarm fires. Reads (payout-report) still work. The "
             "payout-notifier config change a few minutes earlier is on a function that does not write to the DB.",
}

REGION = "ap-south-1"
DB = "payouts-pg"
HOST = "payouts-pg.c7hx2kq9w1mb.ap-south-1.rds.amazonaws.com"
FULL_AT = -1500.0
NOTIFIER_CHANGE = -1740.0
LOG_START = -7200.0


def build(seed: int) -> dict:
    ctx = Ctx(seed, dt.datetime(2026, 3, 20, 9, 40, tzinfo=dt.timezone.utc), 5.5, REGION)
    rng = ctx.rng
    shape = ctx.diurnal(peak=14.0, amp=0.35)
    full = T >= FULL_AT
    # storage: linear WAL growth until full
    free = 11.8e9 - (T + 21600) * (11.65e9 / (21600 + FULL_AT)) + ctx.ar1(0.04e9, 0.6)
    free = np.where(full, 0.09e9 + ctx.rng.uniform(0, 0.05e9, N), np.maximum(free, 0.15e9))
    slot = 40.1e9 + (11.8e9 - free)
    txlog = slot + 1.1e9 + ctx.ar1(0.02e9)

    base_inv = ctx.poisson(13 * shape)
    inv = base_inv + np.where(full, ctx.poisson(4), 0)  # SQS redeliveries
    wl = LambdaLog(ctx, "payout-writer", "python3.11", 512, envs=3, start=LOG_START)
    err = np.zeros(N)
    dur = np.zeros(N)
    pglog = []
    for i in range(N):
        ds = []
        for rel in spread(ctx, i, inv[i]):
            rid = ctx.uuid()
            n = ctx.randint(1, 10)
            body = [(0.01, py(ctx, rel + 0.01, "INFO", rid, f"Received {n} payout events from payout-events"))]
            if rng.random() < 0.05:
                body.append((0.03, py(ctx, rel + 0.03, "WARNING", rid,
                                      f"Duplicate payout request po_{ctx.hexs(12)} skipped (idempotency key already recorded)")))
            if full[i] and rel >= FULL_AT + 3:
                d = ctx.uni(38, 95)
                rel_file = f"base/16404/{ctx.pick(['2619834', '2619834', '2619841', '2620017'])}"
                msg = f'could not extend file "{rel_file}": No space left on device\nHINT:  Check free disk space.\n'
                body.append((d / 1000 - 0.006, LAMBDA_WARNING))
                body.append((d / 1000 - 0.005, py_unhandled("DiskFull", msg, [
                    ("/var/task/handler.py", 47, "handler", "repo.insert_payout_events(batch)"),
                    ("/var/task/payouts/repository.py", 88, "insert_payout_events", "cur.executemany(INSERT_EVENT_SQL, rows)")])))
                err[i] += 1
                if rel >= -10800:
                    pid = ctx.randint(20000, 32000)
                    cl = f"10.20.{ctx.randint(4, 7)}.{ctx.randint(10, 250)}({ctx.randint(40000, 65000)})"
                    pglog.append((rel + d / 1000 - 0.01, pg(ctx, rel, f'ERROR:  could not extend file "{rel_file}": No space left on device',
                                                            cl, "payouts_app@payouts", pid)))
                    pglog.append((rel + d / 1000 - 0.009, pg(ctx, rel, "HINT:  Check free disk space.", cl, "payouts_app@payouts", pid)))
                    pglog.append((rel + d / 1000 - 0.008, pg(ctx, rel, "STATEMENT:  INSERT INTO payout_events (payout_id, event_type, "
                                                                       "amount_paise, beneficiary_ref, created_at) VALUES ($1, $2, $3, $4, now())",
                                                             cl, "payouts_app@payouts", pid)))
            else:
                d = float(np.clip(rng.lognormal(np.log(170 + 14 * n), 0.3), 60, 2500))
                body.append((d / 1000 - 0.01, py(ctx, rel + d / 1000 - 0.01, "INFO", rid,
                                                  f"Inserted {n} payout events (max amount {rng.lognormal(9, 1.2):.0f} INR)")))
            ds.append(d)
            if rel >= LOG_START:
                wl.invoke(rel, body, d, ctx.randint(96, 124), rid=rid)
        dur[i] = np.mean(ds) if ds else np.nan

    # payout-report: read-only, every 5 minutes
    rl = LambdaLog(ctx, "payout-report", "python3.11", 1024, envs=1, start=LOG_START)
    r_inv = np.zeros(N)
    r_dur = np.full(N, np.nan)
    for i in range(N):
        if int(T[i]) % 300 == 0:
            rel = float(T[i]) + ctx.uni(0.1, 1.0)
            d = ctx.uni(2100, 3400)
            r_inv[i], r_dur[i] = 1, d
            if rel >= LOG_START:
                rid = ctx.uuid()
                rl.invoke(rel, [(d / 1000 - 0.05, py(ctx, rel + d / 1000 - 0.05, "INFO", rid,
                                                     f"Settlement summary refreshed: {ctx.randint(1800, 2600)} payouts in window, "
                                                     f"{ctx.randint(0, 4)} pending review"))], d, ctx.randint(180, 230), rid=rid)
    # payout-notifier: SNS fan-out, config changed just before onset
    nl = LambdaLog(ctx, "payout-notifier", "python3.11", 256, envs=2, start=LOG_START)
    n_inv = ctx.poisson(9 * shape)
    n_dur = np.zeros(N)
    switched = False
    for i in range(N):
        if T[i] >= NOTIFIER_CHANGE and not switched:
            nl.redeploy(NOTIFIER_CHANGE + 3)
            switched = True
        ds = []
        for rel in spread(ctx, i, n_inv[i]):
            d = ctx.uni(40, 140)
            ds.append(d)
            if rel >= LOG_START:
                rid = ctx.uuid()
                nl.invoke(rel, [(d / 1000 - 0.005, py(ctx, rel + d / 1000 - 0.005, "INFO", rid,
                                                      f"SMS queued for beneficiary ****{ctx.randint(1000, 9999)} via {ctx.pick(['kaleyra', 'kaleyra', 'gupshup'])}"))],
                          d, ctx.randint(70, 82), rid=rid)
        n_dur[i] = np.mean(ds) if ds else np.nan

    # postgres background: checkpoints every 5 min, some autovacuum
    for rel in np.arange(-10800, 0, 300.0) + 17:
        w = ctx.randint(1400, 3200)
        pglog.append((rel, pg(ctx, rel, "LOG:  checkpoint starting: time", "", "@", 412)))
        if rel + 270 < 0:
            pglog.append((rel + 270, pg(ctx, rel + 270,
                                        f"LOG:  checkpoint complete: wrote {w} buffers ({w / 1310.72:.1f}%); 0 WAL file(s) added, 0 removed, "
                                        f"0 recycled; write=269.{ctx.randint(100, 999)} s, sync=0.00{ctx.randint(1, 9)} s, "
                                        f"total=269.{ctx.randint(100, 999)} s; sync files={ctx.randint(40, 90)}, longest=0.002 s, "
                                        f"average=0.001 s; distance={ctx.randint(30000, 42000)} kB, estimate={ctx.randint(36000, 41000)} kB",
                                        "", "@", 412)))
    for rel in ctx.sparse_events(0.08, -10800, FULL_AT):
        pglog.append((rel, pg(ctx, rel, f'LOG:  automatic vacuum of table "payouts.public.{ctx.pick(["payout_events", "payouts", "beneficiaries"])}": '
                                        f"index scans: 1\n\tpages: 0 removed, {ctx.randint(20000, 90000)} remain, {ctx.randint(100, 900)} scanned",
                              "", "@", ctx.randint(30000, 33000))))
    logs = wl.logs() + rl.logs() + nl.logs() + [stream(f"/aws/rds/instance/{DB}/postgresql", f"{DB}.0", pglog)]

    db = {"DBInstanceIdentifier": DB}
    w = {"FunctionName": "payout-writer"}
    r = {"FunctionName": "payout-report"}
    nn = {"FunctionName": "payout-notifier"}
    metrics = [
        metric("AWS/RDS", "FreeStorageSpace", db, "Bytes", free, decimals=0),
        metric("AWS/RDS", "ReplicationSlotDiskUsage", db, "Bytes", slot, decimals=0),
        metric("AWS/RDS", "TransactionLogsDiskUsage", db, "Bytes", txlog, decimals=0),
        metric("AWS/RDS", "CPUUtilization", db, "Percent", ctx.gauge(19 * shape, 0.07, lo=3)),
        metric("AWS/RDS", "DatabaseConnections", db, "Count", np.round(ctx.gauge(58, 0.04))),
        metric("AWS/RDS", "FreeableMemory", db, "Bytes", ctx.gauge(3.6e9, 0.01), decimals=0),
        metric("AWS/RDS", "WriteIOPS", db, "Count/Second", ctx.gauge(310 * shape, 0.08) * np.where(full, 0.35, 1.0)),
        metric("AWS/RDS", "WriteLatency", db, "Seconds", ctx.gauge(0.0016, 0.1, lo=0.0005), decimals=5),
        metric("AWS/Lambda", "Invocations", w, "Count", inv),
        metric("AWS/Lambda", "Errors", w, "Count", err),
        metric("AWS/Lambda", "Throttles", w, "Count", np.zeros(N)),
        metric("AWS/Lambda", "Duration", w, "Milliseconds", dur),
        metric("AWS/Lambda", "Invocations", r, "Count", r_inv),
        metric("AWS/Lambda", "Errors", r, "Count", np.zeros(N)),
        metric("AWS/Lambda", "Duration", r, "Milliseconds", r_dur),
        metric("AWS/Lambda", "Invocations", nn, "Count", n_inv),
        metric("AWS/Lambda", "Errors", nn, "Count", np.zeros(N)),
        metric("AWS/Lambda", "Duration", nn, "Milliseconds", n_dur),
    ]
    alarms = [
        alarm(ctx, "payout-writer-errors", "AWS/Lambda", "Errors", w, err, "Sum", 60, 3, 5.0,
              description="payout-writer failing to record payout events"),
        ok_alarm("payouts-pg-cpu", "AWS/RDS", "CPUUtilization", db, "Average", 300, 3, 80.0),
        ok_alarm("payout-notifier-errors", "AWS/Lambda", "Errors", nn, "Sum", 60, 3, 5.0),
    ]
    changes = [
        change(NOTIFIER_CHANGE, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
               "payout-notifier", "r.iyer"),
    ]
    resources = [
        {"type": "rds", "id": DB, "properties": {"engine": "postgres", "engine_version": "15.5", "instance_class": "db.m6g.large",
                                                  "allocated_storage_gb": 100, "storage_autoscaling": False,
                                                  "max_connections": 800, "endpoint": HOST}},
        {"type": "lambda", "id": "payout-writer", "properties": {"runtime": "python3.11", "timeout": 30, "memory_size": 512,
                                                                 "event_source": "sqs:payout-events",
                                                                 "environment": {"DB_HOST": HOST, "DB_NAME": "payouts"}}},
        {"type": "lambda", "id": "payout-report", "properties": {"runtime": "python3.11", "timeout": 60, "memory_size": 1024,
                                                                 "environment": {"DB_HOST": HOST, "DB_NAME": "payouts", "READ_ONLY": "true"}}},
        {"type": "lambda", "id": "payout-notifier", "properties": {"runtime": "python3.11", "timeout": 10, "memory_size": 256,
                                                                   "environment": {"SMS_PROVIDER": "kaleyra", "FALLBACK_PROVIDER": "gupshup"}}},
    ]
    return scenario("h14-08-payouts-pg-storage-full",
                    "Payout events not being recorded; payout-writer Errors alarm paging the payments on-call.",
                    REGION, resources, metrics, logs, alarms, changes,
                    {"alarm": META["alarm"], "root_cause": {"category": META["category"], "resource": META["resources"]},
                     "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": db}]})
