"""h28-01: PostgreSQL storage filled by WAL held for an abandoned logical replication slot."""
from __future__ import annotations

import random

from .common import HIST, LOGS, Clock, alarm, change, diurnal, log_stream, poisson, rid
from .logfmt import LambdaLog, Rec, pg_line, py_tb

R = "us-east-1"
DB, FN, PDF, ROLL = "ledger-db", "ledger-writer", "statement-pdf", "ledger-rollup"
SPORADIC, FULL = -2460, -1980


def build():
    rng = random.Random(2801)
    clk = Clock("2026-03-10T15:47:00")
    tops = [clk.top_of_hour(k) for k in range(7)]
    minutes = range(-HIST, 0, 60)

    # ---------------- RDS ledger-db ----------------
    db = Rec("AWS/RDS", {"DBInstanceIdentifier": DB})
    rate = (31.4e9 - 0.35e9) / (HIST + SPORADIC)
    for t in minutes:
        if t < SPORADIC:
            free = 31.4e9 - rate * (t + HIST) + rng.gauss(0, 2.5e7)
        elif t < FULL:
            free = 0.35e9 - (0.23e9 * (t - SPORADIC) / (FULL - SPORADIC)) + rng.gauss(0, 1.5e7)
        else:
            free = 0.118e9 + rng.gauss(0, 4e6)
        wal = 58.2e9 + (31.4e9 - free)
        cpu = 24 * diurnal(t, 0.1) + rng.gauss(0, 1.6)
        for top in tops:
            if top <= t < top + 300:
                cpu += 20 + rng.gauss(0, 2)
        full = t >= FULL
        db.put(t, CPUUtilization=cpu * (0.8 if full else 1.0),
               DatabaseConnections=(118 + rng.gauss(0, 6)) if full else (88 + rng.gauss(0, 4)),
               FreeStorageSpace=free, FreeableMemory=5.21e9 + rng.gauss(0, 4e7),
               ReadIOPS=420 + rng.gauss(0, 35), WriteIOPS=(310 if full else 950) + rng.gauss(0, 50),
               ReadLatency=0.0007 + abs(rng.gauss(0, 0.0001)),
               WriteLatency=0.0014 + abs(rng.gauss(0, 0.0002)),
               DiskQueueDepth=1.1 + abs(rng.gauss(0, 0.3)), TransactionLogsDiskUsage=wal,
               OldestReplicationSlotLag=wal - 0.92e9 + rng.gauss(0, 1e7))

    # ---------------- Lambda ledger-writer ----------------
    lw = Rec("AWS/Lambda", {"FunctionName": FN})
    log = LambdaLog(rng, clk, FN, "python3.12", 512, streams=4)
    pids = [21877, 21903, 22011, 22040, 22102, 22187, 22230, 22301]
    pglog = []
    for t in minutes:
        inv = poisson(rng, 24 * diurnal(t, 0.15))
        if t < SPORADIC:
            pfail = 0.0
        elif t < FULL:
            pfail = 0.04 + 0.12 * (t - SPORADIC) / (FULL - SPORADIC)
        else:
            pfail = 0.95
        outcomes = []
        for _ in range(inv):
            u = rng.random()
            outcomes.append("disk" if u < pfail else ("valid" if rng.random() < 0.011 else "ok"))
        errs = sum(1 for o in outcomes if o != "ok")
        durs = [rng.uniform(95, 180) if o == "ok" else rng.uniform(60, 120) for o in outcomes]
        lw.put(t, Invocations=inv, Errors=errs, Throttles=0,
               Duration=(sum(durs) / len(durs)) if durs else None,
               ConcurrentExecutions=max(1, round(inv * 0.14 / 60 * 4 + rng.random() * 2)))
        if t < -LOGS:
            continue
        for o, d in zip(outcomes, durs):
            if rng.random() > 0.42 and o == "ok":
                continue
            if o != "ok" and rng.random() > 0.45:
                continue
            ts = t + rng.uniform(0, 59)
            acct = f"acct_{rng.randint(100000, 999999)}"
            je = f"je_{rng.getrandbits(40):010x}"
            lines = [(0.004, "INFO", f"Received journal entry {je} source=payments lines=2 account={acct}")]
            if o == "ok":
                if rng.random() < 0.02:
                    lines.append((0.03, "WARNING", f"SerializationFailure on insert {je} (attempt 1/3), retrying in 25ms"))
                lines.append((d / 1000 - 0.01, "INFO", f"Posted {je} amount={rng.uniform(5, 4000):.2f} USD in {d:.0f} ms"))
            elif o == "valid":
                lines.append((0.02, "ERROR", "ValidationError: 1 validation error for JournalEntry\nlines.1.amount\n"
                              "  Input should be greater than 0 [type=greater_than, input_value=Decimal('0.00'), "
                              "input_type=Decimal]\n    For further information visit "
                              "https://errors.pydantic.dev/2.6/v/greater_than\n" + py_tb(
                                  "pydantic_core._pydantic_core.ValidationError", "1 validation error for JournalEntry",
                                  [("/var/task/handler.py", 41, "lambda_handler", "entry = JournalEntry.model_validate_json(event['body'])"),
                                   ("/opt/python/pydantic/main.py", 532, "model_validate_json",
                                    "return cls.__pydantic_validator__.validate_json(json_data, strict=strict, context=context)")])))
            else:
                rel = f"base/16402/{rng.choice([3219441, 3219447, 3219452])}.{rng.randint(14, 17)}"
                lines.append((d / 1000 - 0.02, "ERROR", f"DiskFull: could not extend file \"{rel}\": No space left on device\n"
                              "HINT:  Check free disk space.\n\n" + py_tb(
                                  "psycopg2.errors.DiskFull", f"could not extend file \"{rel}\": No space left on device",
                                  [("/var/task/handler.py", 58, "lambda_handler", "entry_id = repo.insert_entry(conn, entry)"),
                                   ("/var/task/ledger/repo.py", 141, "insert_entry", "cur.execute(INSERT_ENTRY_SQL, params)")])))
                if rng.random() < 0.5:
                    pid = rng.choice(pids)
                    host = f"10.0.{rng.choice([12, 13, 14])}.{rng.randint(10, 250)}"
                    pglog.append((ts + 0.05, pg_line(clk, ts, host, "ledger_app", "ledger", pid, "ERROR",
                                                     f"could not extend file \"{rel}\": No space left on device")))
                    pglog.append((ts + 0.051, pg_line(clk, ts, host, "ledger_app", "ledger", pid, "HINT", "Check free disk space.")))
                    pglog.append((ts + 0.052, pg_line(clk, ts, host, "ledger_app", "ledger", pid, "STATEMENT",
                                                      "INSERT INTO ledger_entries (entry_id, account_id, amount_minor, currency, "
                                                      "posted_at, idem_key) VALUES ($1, $2, $3, $4, now(), $5) RETURNING id")))
            log.invoke(ts, d, rng.randint(88, 104), lines)

    # ---------------- PostgreSQL server log ----------------
    ck = -LOGS + 137
    dist = 412000
    while ck < 0:
        dist = int(dist * rng.uniform(0.93, 1.08))
        w = rng.randint(1500, 2600)
        wrote = pg_line(clk, ck, None, None, None, 412, "LOG",
                        f"checkpoint complete: wrote {w} buffers ({w / 1310.72:.1f}%); 0 WAL file(s) added, 0 removed, "
                        f"0 recycled; write=269.{rng.randint(100, 999)} s, sync=0.00{rng.randint(2, 9)} s, "
                        f"total=269.{rng.randint(100, 999)} s; sync files={rng.randint(40, 80)}, longest=0.002 s, "
                        f"average=0.001 s; distance={dist} kB, estimate={int(dist * 1.05)} kB")
        pglog.append((ck, pg_line(clk, ck, None, None, None, 412, "LOG", "checkpoint starting: time")))
        pglog.append((ck + 270, wrote))
        ck += 300
    for k, top in enumerate(tops[:3]):
        pglog.append((top + 46.2, pg_line(clk, top + 46.2, "10.0.13.77", "ledger_rollup", "ledger", 30120 + k, "LOG",
                                          f"duration: 4{rng.randint(1000, 9999)}.{rng.randint(100, 999)} ms  statement: "
                                          "INSERT INTO daily_balances SELECT account_id, date_trunc('hour', posted_at), "
                                          "sum(amount_minor) FROM ledger_entries WHERE posted_at >= $1 GROUP BY 1, 2 "
                                          "ON CONFLICT (account_id, bucket) DO UPDATE SET total = EXCLUDED.total")))
    t = -LOGS + 400
    while t < 0:
        if t > SPORADIC and rng.random() < 0.7:
            pglog.append((t, pg_line(clk, t, None, None, None, 29000 + int(t) % 900, "ERROR",
                                     "could not extend file \"base/16402/3219441.17\": No space left on device")))
            pglog.append((t + 0.001, pg_line(clk, t, None, None, None, 29000 + int(t) % 900, "CONTEXT",
                                             "automatic vacuum of table \"ledger.public.ledger_entries\"")))
        else:
            pglog.append((t, pg_line(clk, t, None, None, None, 29000 + int(t) % 900, "LOG",
                                     f"automatic vacuum of table \"ledger.public.idempotency_keys\": index scans: 1\n"
                                     f"\tpages: 0 removed, {rng.randint(8000, 9000)} remain, {rng.randint(300, 900)} scanned\n"
                                     f"\ttuples: {rng.randint(2000, 6000)} removed, {rng.randint(900000, 990000)} remain, 0 are dead but not yet removable")))
        t += rng.uniform(540, 780)

    # ---------------- statement-pdf (decoy deploy) and ledger-rollup (hourly) ----------------
    sp = Rec("AWS/Lambda", {"FunctionName": PDF})
    splog = LambdaLog(rng, clk, PDF, "python3.12", 1024, streams=2)
    for t in minutes:
        n = poisson(rng, 3.2)
        d = rng.gauss(2400, 260) * (0.93 if t > -2700 else 1.0)
        sp.put(t, Invocations=n, Errors=0, Throttles=0, Duration=d if n else None, ConcurrentExecutions=1 if n else 0)
        if t >= -LOGS and n:
            ts = t + rng.uniform(0, 50)
            splog.invoke(ts, d, rng.randint(210, 260), [(0.01, "INFO", f"Rendering statement stmt_{rng.getrandbits(32):08x} for {rng.choice(['2026-02', '2026-01'])}"),
                                                        (d / 1000 - 0.02, "INFO", f"Uploaded s3://ledger-statements-prod/2026/02/stmt_{rng.getrandbits(24):06x}.pdf pages={rng.randint(1, 6)}")])
    rl = Rec("AWS/Lambda", {"FunctionName": ROLL})
    rllog = LambdaLog(rng, clk, ROLL, "python3.12", 512, streams=1)
    for top in sorted(tops):
        if top < -HIST + 60:
            continue
        d = rng.uniform(41000, 52000)
        end = top + 60 + d / 1000
        rl.put(int(end // 60 * 60), Invocations=1, Errors=0, Throttles=0, Duration=d, ConcurrentExecutions=1)
        if top >= -LOGS:
            rllog.invoke(top + 1.2, d, 141, [(0.01, "INFO", f"Rolling up ledger entries for hour {clk.at(top - 3600).strftime('%Y-%m-%dT%H:00Z')}"),
                                             (d / 1000 - 0.05, "INFO", f"Upserted {rng.randint(16000, 21000)} daily_balances rows")])

    metrics = db.metrics() + lw.metrics() + sp.metrics() + rl.metrics()
    err_metric = lw.get("Errors")
    alarms = [alarm(clk, "ledger-writer-errors", err_metric, "Sum", 60, 3, 10, after=SPORADIC,
                    description="Ledger writer Lambda errors (journal postings failing)")]
    lag = round((alarms[0]["state_changed"] - (SPORADIC)) / 60)
    changes = [
        change(-2700, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", PDF, "ci-deployer"),
        change(-2688, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", PDF, "ci-deployer"),
        change(-9120, "rds.amazonaws.com", "AddTagsToResource", "AWS::RDS::DBInstance", DB, "finops-tagger"),
    ]
    scen = {
        "format": "aiops-scenario/v1", "name": "h28-01-ledger-db-storage-creep",
        "description": "Journal postings failing; ledger-writer Errors alarm paged the payments on-call.",
        "region": R,
        "resources": [
            {"type": "rds", "id": DB, "properties": {"engine": "postgres", "engine_version": "15.5",
                                                   "instance_class": "db.r6g.large", "max_connections": 500,
                                                   "allocated_storage_gb": 200, "storage_type": "gp3",
                                                   "storage_autoscaling": False}},
            {"type": "lambda", "id": FN, "properties": {"runtime": "python3.12", "timeout": 15, "memory_size": 512}},
            {"type": "lambda", "id": PDF, "properties": {"runtime": "python3.12", "timeout": 60, "memory_size": 1024}},
            {"type": "lambda", "id": ROLL, "properties": {"runtime": "python3.12", "timeout": 300, "memory_size": 512,
                                                        "schedule": "cron(0 * * * ? *)"}},
        ],
        "metrics": metrics,
        "logs": log.logs() + [log_stream(f"/aws/rds/instance/{DB}/postgresql", DB, pglog)] + splog.logs() + rllog.logs(),
        "alarms": alarms, "changes": changes,
        "expect": {"alarm": "ledger-writer-errors",
                   "root_cause": {"category": "storage_exhaustion", "resource": [DB]},
                   "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": {"DBInstanceIdentifier": DB}},
                                 {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}]},
    }
    meta = {"alarm_on": "front (ledger-writer Lambda)",
            "decoys": "statement-pdf deploy 45 min ago, 4 min before the first disk-full errors; hourly ledger-rollup CPU bumps on the DB; "
                      "pre-existing pydantic ValidationError at a constant low rate; tag change on ledger-db",
            "story": (
                "FreeStorageSpace on ledger-db falls in a straight line for the whole six hours (about 5.8 GB/h) "
                "while TransactionLogsDiskUsage and OldestReplicationSlotLag rise by the same amount and every "
                "checkpoint reports '0 removed, 0 recycled' WAL files: an inactive logical replication slot is pinning WAL. "
                f"About 41 minutes ago ({lag} minutes before the page) the first 'could not extend file ... No space left on device' errors appear "
                "at a low rate (relation extensions only); ~8 minutes later the volume is effectively full and nearly every "
                "posting fails with psycopg2.errors.DiskFull. The alarm is on the ledger-writer Lambda, but the fault is the "
                "database's storage, so the label is storage_exhaustion on ledger-db. The statement-pdf deploy is on an "
                "unrelated function with no errors, the pydantic ValidationError runs at the same ~0.25/min before and after, "
                "and the hourly rollup CPU bumps recur every hour without harm.")}
    return scen, meta
