"""h53-03: an abandoned logical replication slot retains WAL on ledger-pg until the volume is full."""
from __future__ import annotations

import json
from datetime import datetime

from . import logfmt as L
from .core import Scenario, counts, diurnal, dims_ref, value_at
from .kits import lambda_set, minutes, rds_set

REGION = "us-west-2"
ONSET = -1680
PANIC = ONSET + 410
READY = PANIC + 95
NOW_H = 10.6
GB = 1024 ** 3

META = {
    "file": "h53-03-rds-pg-wal-storage-full.yaml", "region": REGION, "alarm": "ledger-posting-errors",
    "category": "storage_exhaustion", "resources": ["ledger-pg"], "alarm_on": "front (calling Lambda)",
    "decoys": "deploy of ledger-statements 48 min before onset; parameter-group change and a benign CPU spike "
              "on reporting-pg; steady handled `duplicate posting ignored` ERROR lines in ledger-posting",
    "story": (
        "ledger-posting (Node.js Lambda) starts failing every write with `could not extend file ...: No space left "
        "on device` (SQLSTATE 53100), then briefly with `the database system is in recovery mode` after the "
        "database PANICs on a WAL write and restarts, then again with 53100. ledger-pg's FreeStorageSpace has been "
        "falling all morning (24 GB to zero) while TransactionLogsDiskUsage and OldestReplicationSlotLag grow by "
        "the same amount: WAL is being retained by a replication slot nobody consumes (checkpoints report WAL "
        "files added, none removed or recycled). CPU, connections and latency are normal until the disk is full. "
        "The ledger-statements deploy and the reporting-pg parameter change touch other resources and change "
        "nothing on the write path; the duplicate-posting ERROR lines are handled and as frequent as before. "
        "Judgement: storage exhaustion on ledger-pg, which is the origin even though the alarm is on the Lambda."),
}


def build() -> Scenario:
    scn = Scenario("h53-03-rds-pg-wal-storage-full", "Ledger postings failing; journal entries are piling up in "
                   "the SQS queue and the Lambda Errors alarm is firing.", REGION, 5303, datetime(2026, 6, 9, 17, 36))
    scn.runtime_version = "nodejs:20.v31"
    rng = scn.rng
    scn.resource("rds", "ledger-pg", engine="postgres", engine_version="15.5", instance_class="db.r6g.large",
                 allocated_storage_gb=200, storage_type="gp3", storage_autoscaling=False, max_connections=1600,
                 multi_az=True)
    scn.resource("rds", "reporting-pg", engine="postgres", engine_version="15.5", instance_class="db.r6g.xlarge",
                 allocated_storage_gb=500, storage_type="gp3", max_connections=3200)
    scn.resource("lambda", "ledger-posting", runtime="nodejs20.x", timeout=30, memory_size=512,
                 event_source="sqs:ledger-postings", reserved_concurrency=40)
    scn.resource("lambda", "ledger-statements", runtime="nodejs20.x", timeout=300, memory_size=1024)

    mult = lambda t: diurnal(t, NOW_H, peak_hour=13.0, amp=0.4)
    cum, acc = {}, 0.0
    for t in minutes(-21600, 0):
        cum[t] = acc
        acc += mult(t)
    C = lambda t: cum[int(t // 60 * 60)]
    per = 24.1 * GB / (C(ONSET) - C(-21600))
    free = lambda t: (max(0.0, 24.1 * GB - per * (C(t) - C(-21600))) + rng.uniform(-8e6, 8e6)) if t < ONSET \
        else rng.uniform(2.0e7, 9.0e7)
    wal = lambda t: 151.7 * GB + per * (C(min(t, ONSET)) - C(-21600)) + rng.uniform(-3e6, 3e6)
    down = lambda t: PANIC <= t < READY
    rds_set(scn, "ledger-pg",
            CPUUtilization=lambda t: (2 if down(t) else 16 + 9 * mult(t)) + rng.gauss(0, 1.2),
            DatabaseConnections=lambda t: 0 if down(t) else (34 + 10 * mult(t) + (18 if t >= ONSET else 0)
                                                           + rng.gauss(0, 2)),
            FreeStorageSpace=free, TransactionLogsDiskUsage=wal,
            OldestReplicationSlotLag=lambda t: wal(t) - 2.1e8 + rng.uniform(-1e6, 1e6),
            FreeableMemory=lambda t: 5.9 * GB + rng.uniform(-6e7, 6e7),
            WriteIOPS=lambda t: (40 if t >= ONSET else 620 * mult(t)) + rng.gauss(0, 25),
            ReadIOPS=lambda t: 180 * mult(t) + rng.gauss(0, 15),
            WriteLatency=lambda t: 0.0011 + abs(rng.gauss(0, 0.0002)),
            ReadLatency=lambda t: 0.0006 + abs(rng.gauss(0, 0.0001)))
    spike = lambda t: -7500 <= t < -6300
    rds_set(scn, "reporting-pg", CPUUtilization=lambda t: (71 if spike(t) else 12) + rng.gauss(0, 3),
            DatabaseConnections=lambda t: (24 if spike(t) else 9) + rng.gauss(0, 1.5),
            FreeStorageSpace=lambda t: 212 * GB + rng.uniform(-2e7, 2e7),
            ReadIOPS=lambda t: (2400 if spike(t) else 90) + rng.gauss(0, 20),
            WriteIOPS=lambda t: 60 + rng.gauss(0, 8))

    inv = counts(lambda t: 38 * mult(t), rng)
    fail_frac = lambda t: 0.0 if t < ONSET else 1.0
    errs = [[t, float(round(v * fail_frac(t) * (1.0 if t >= ONSET else 0)))] for t, v in inv]
    lambda_set(scn, "ledger-posting", inv=inv, err=errs, thr=lambda t: 0,
               dur=lambda t: (45 if t >= ONSET else 190) * rng.uniform(0.85, 1.2),
               conc=lambda t: max(1, round(value_at(inv, t) * (0.05 if t >= ONSET else 0.2) / 60 * 4
                                           + rng.uniform(0, 1.4))))
    st = lambda t: 1 if scn.at(t).minute == 0 else None
    lambda_set(scn, "ledger-statements", inv=st, err=lambda t: 0 if st(t) else None, thr=lambda t: 0 if st(t) else None,
               dur=lambda t: rng.uniform(80000, 110000) if st(t) else None, conc=lambda t: 1 if st(t) else None)

    scn.alarm("ledger-posting-errors", "AWS/Lambda", "Errors", {"FunctionName": "ledger-posting"}, "Sum", 60, 3, 5,
              "GreaterThanThreshold", points=errs, description="ledger-posting failed invocations")
    scn.change(-4580, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "ledger-statements", "ci-ledger")
    scn.change(-4560, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "ledger-statements",
               "ci-ledger")
    scn.change(-3400, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "reporting-pg-params",
               "dba-maria")
    _logs(scn, inv)
    scn.set_expect("ledger-posting-errors", META["category"], META["resources"],
                   [dims_ref("AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": "ledger-pg"}),
                    dims_ref("AWS/Lambda", "Errors", {"FunctionName": "ledger-posting"})])
    return scn


def _pg_err(code, msg, routine, extra=None):
    rec = {"errorType": "error", "errorMessage": msg, "code": code, "length": 120 + len(msg), "name": "error",
           "severity": "FATAL" if code.startswith("57") else "ERROR"}
    rec.update(extra or {})
    rec["routine"] = routine
    rec["stack"] = [f"error: {msg}", "    at /var/task/node_modules/pg-pool/index.js:45:11",
                    "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
                    "    at async postJournalEntry (/var/task/src/posting.js:88:5)",
                    "    at async Promise.all (index 0)", "    at async Runtime.handler (/var/task/src/index.js:21:7)"]
    return "Invoke Error \t" + json.dumps(rec, separators=(",", ":"))


def _logs(scn, inv):
    rng = scn.rng
    ev = []
    cold = True
    for m0 in minutes(-9000):
        n = int(value_at(inv, m0))
        for _ in range(max(1, n // 3)):
            t = m0 + rng.uniform(0, 60)
            je = "je_" + scn.hex(10)
            body = []
            if t < ONSET:
                dur = rng.uniform(120, 320)
                if rng.random() < 0.05:
                    body.append((0.03, L.node_lambda(scn, t + 0.03, "ERROR", f"duplicate posting ignored: idempotency "
                                 f"key ik_{scn.hex(16)} already applied (unique_violation 23505)")))
                body.append((dur / 1000 - 0.005, L.node_lambda(scn, t + dur / 1000, "INFO",
                             f"posted journal entry {je} lines={rng.choice([2, 2, 4, 4, 6])} "
                             f"amount={rng.uniform(5, 4000):.2f} {rng.choice(['USD', 'USD', 'CAD', 'EUR'])}")))
                ev += L.lambda_invocation(scn, t, dur, 512, rng.randint(118, 131), body,
                                          init_ms=rng.uniform(380, 460) if cold else None)
                cold = False
                continue
            dur = rng.uniform(25, 70)
            if PANIC <= t < READY:
                msg = _pg_err("57P03", "the database system is in recovery mode", "ProcessStartupPacket")
            elif PANIC - 1 <= t < PANIC + 3:
                msg = _pg_err("57P02", "terminating connection because of crash of another server process",
                              "quickdie", {"detail": "The postmaster has commanded this server process to roll back "
                                           "the current transaction and exit, because another server process exited "
                                           "abnormally and possibly corrupted shared memory."})
            else:
                rel = f"base/16402/{rng.choice(['24619.7', '24619.7', '24633', '24641.2'])}"
                msg = _pg_err("53100", f'could not extend file "{rel}": No space left on device', "mdextend",
                              {"hint": "Check free disk space.", "file": "md.c", "line": "461"})
            body.append((dur / 1000 - 0.002, L.node_lambda(scn, t + dur / 1000, "ERROR", msg)))
            ev += L.lambda_invocation(scn, t, dur, 512, rng.randint(118, 131), body)
    scn.log("/aws/lambda/ledger-posting", "2026/06/09/[$LATEST]3e9c0f7a5b2d4816a0c4e1f9d7b3a562", ev)

    pg = []
    for m0 in minutes(-9000):
        if scn.at(m0).minute % 5 == 0:
            t = m0 + 1.0
            pg.append((t, L.pg(scn, t, "", "@", 397, "LOG", "checkpoint starting: time")))
            if t + 269.9 < ONSET:
                w = rng.randint(1900, 2600)
                pg.append((t + 269.9, L.pg(scn, t + 269.9, "", "@", 397, "LOG",
                           f"checkpoint complete: wrote {w} buffers ({w / 1310.7:.1f}%); {rng.randint(28, 41)} WAL "
                           f"file(s) added, 0 removed, 0 recycled; write=269.811 s, sync=0.004 s, total=269.862 s; "
                           f"sync files={rng.randint(40, 60)}, longest=0.002 s, average=0.001 s; "
                           f"distance={rng.randint(520000, 690000)} kB, estimate={rng.randint(560000, 640000)} kB")))
        if rng.random() < 0.06 and m0 < ONSET:
            t = m0 + rng.uniform(0, 60)
            pg.append((t, L.pg(scn, t, "", "@", rng.randint(20000, 30000), "LOG",
                       f'automatic vacuum of table "ledger.public.{rng.choice(["journal_lines", "idempotency_keys", "accounts"])}"'
                       f": index scans: 1\n\tpages: 0 removed, {rng.randint(40000, 90000)} remain, "
                       f"{rng.randint(300, 900)} scanned (1.02% of total)\n\ttuples: {rng.randint(200, 2000)} removed, "
                       f"{rng.randint(1000000, 9000000)} remain, 0 are dead but not yet removable")))
    for i in range(55):
        t = ONSET + i * (PANIC - ONSET) / 55 + rng.uniform(0, 4)
        ip = f"10.20.{rng.randint(32, 47)}.{rng.randint(2, 250)}({rng.randint(40000, 65000)})"
        pid = rng.randint(9000, 20000)
        rel = rng.choice(["24619.7", "24619.7", "24633", "24641.2"])
        pg.append((t, L.pg(scn, t, ip, "ledger_app@ledger", pid, "ERROR",
                   f'could not extend file "base/16402/{rel}": No space left on device')))
        pg.append((t, L.pg(scn, t, ip, "ledger_app@ledger", pid, "HINT", "Check free disk space.")))
        pg.append((t, L.pg(scn, t, ip, "ledger_app@ledger", pid, "STATEMENT",
                   "INSERT INTO journal_lines (entry_id, account_id, direction, amount_minor, currency) VALUES "
                   "($1, $2, $3, $4, $5)")))
    seq = [(0.0, 8841, "PANIC", 'could not write to file "pg_wal/xlogtemp.8841": No space left on device'),
           (0.2, 397, "LOG", "server process (PID 8841) was terminated by signal 6: Aborted"),
           (0.21, 397, "LOG", "terminating any other active server processes"),
           (0.9, 397, "LOG", "all server processes terminated; reinitializing"),
           (1.4, 9102, "LOG", f"database system was interrupted; last known up at {scn.at(PANIC - 300).strftime('%Y-%m-%d %H:%M:%S')} UTC"),
           (1.5, 9102, "LOG", "database system was not properly shut down; automatic recovery in progress"),
           (1.6, 9102, "LOG", "redo starts at 1A3/5E0012A8"),
           (58.0, 9102, "LOG", "redo done at 1A3/9C41F2D0 system usage: CPU: user: 4.91 s, system: 2.03 s, elapsed: 56.39 s"),
           (58.1, 9104, "LOG", "checkpoint starting: end-of-recovery immediate wait"),
           (93.0, 9104, "LOG", "checkpoint complete: wrote 61204 buffers (46.7%); 0 WAL file(s) added, 0 removed, 0 recycled; write=33.102 s, sync=1.211 s, total=34.901 s; sync files=211, longest=0.410 s, average=0.006 s; distance=1007528 kB, estimate=1007528 kB"),
           (95.0, 397, "LOG", "database system is ready to accept connections")]
    for off, pid, lvl, msg in seq:
        pg.append((PANIC + off, L.pg(scn, PANIC + off, "", "@", pid, lvl, msg)))
    for i in range(30):
        t = PANIC + 2 + i * 3
        pg.append((t, L.pg(scn, t, f"10.20.{rng.randint(32, 47)}.{rng.randint(2, 250)}({rng.randint(40000, 65000)})",
                           "ledger_app@ledger", rng.randint(9110, 9400), "FATAL", "the database system is in recovery mode")))
    for i in range(110):
        t = READY + 5 + i * (-READY - 10) / 110
        ip = f"10.20.{rng.randint(32, 47)}.{rng.randint(2, 250)}({rng.randint(40000, 65000)})"
        pid = rng.randint(9400, 30000)
        pg.append((t, L.pg(scn, t, ip, "ledger_app@ledger", pid, "ERROR",
                   f'could not extend file "base/16402/{rng.choice(["24619.7", "24633"])}": No space left on device')))
        pg.append((t, L.pg(scn, t, ip, "ledger_app@ledger", pid, "HINT", "Check free disk space.")))
    scn.log("/aws/rds/instance/ledger-pg/postgresql", "ledger-pg.0", pg)

    stm = []
    for m0 in minutes(-9000):
        if scn.at(m0).minute != 0:
            continue
        t = m0 + 0.5
        dur = rng.uniform(80000, 110000)
        ver = "$LATEST"
        body = [(0.02, L.node_lambda(scn, t, "INFO", f"statement run {scn.at(t).strftime('%Y-%m-%dT%H')} started "
                                     f"(build {'2026.06.09-2' if t > -4580 else '2026.06.02-1'})")),
                (dur / 1000 - 0.1, L.node_lambda(scn, t + dur / 1000, "INFO",
                 f"rendered {rng.randint(1800, 2400)} statements to s3://ledger-statements-prod/"))]
        stm += L.lambda_invocation(scn, t, dur, 1024, rng.randint(400, 470), body, version=ver)
    scn.log("/aws/lambda/ledger-statements", "2026/06/09/[$LATEST]a8d1c5e27f3b4906b1e2c8d4f60a9e13", stm)
