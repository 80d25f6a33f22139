"""h16-01: a one-minute Multi-AZ failover, then a reconnect/retry storm fills every connection slot."""
from __future__ import annotations

import datetime as dt

import numpy as np

from . import aws
from .kit import N, TIMES, Scenario, clip, counts, daily, jitter, ramp, window
from .logfmt import LambdaLogs, event_times, pg, pg_checkpoints, poisson_times, py_traceback

META = {
    "file": "h16-01-reconnect-storm-after-failover",
    "postmortem": "retry storm amplifying a small blip (reconnect storm after a database failover)",
    "side": "front (Lambda errors; origin is the database)",
    "decoys": "deploy of statement-export 7 min before the failover; the failover blip itself "
              "(connection refused for ~90 s); steady duplicate-key warnings; balance-api 404 trickle",
    "story": (
        "ledger-db (Multi-AZ Postgres, max_connections 400) fails over to its standby: the RDS log shows the "
        "crash-recovery sequence and ~90 s of 'Connection refused' in the clients. Once the new primary accepts "
        "connections, ledger-posting (SQS redeliveries, 5 connect attempts 200 ms apart, no backoff), balance-api "
        "and the reconciler all reconnect at once; DatabaseConnections climbs to 400 within four minutes and stays "
        "pinned, and from then on most database calls fail with 'FATAL: sorry, too many clients already' (RDS "
        "log: the same FATAL and a flood of 'connection received'). CPU and latency of the database are moderate, so the database is "
        "not failing, it is out of connection slots: db_connection_exhaustion on ledger-db. The statement-export "
        "deploy touches a function that never talks to the database and logs no errors."),
}

HOST = "ledger-db.c8xk2mfq1v0a.us-east-1.rds.amazonaws.com"
DBIP = "10.0.21.57"
TOO_MANY = (f'connection to server at "{HOST}" ({DBIP}), port 5432 failed: FATAL:  sorry, too many clients already')
REFUSED = (f'connection to server at "{HOST}" ({DBIP}), port 5432 failed: Connection refused\n'
           f'\tIs the server running on that host and accepting TCP/IP connections?')


def _fail(t: float, F: float, back: float, full: float) -> float:
    """Share of database calls that fail at relative time t."""
    if t < F:
        return 0.0
    if t < back:
        return 1.0
    if t < full - 50:
        return 0.04
    return min(0.9, 0.45 + (t - full + 50) / 400)


def _posting_body(sc: Scenario, mode: str, batch: int):
    def body(t: float, rid: str):
        lg = lambda dt_, lvl, m: (t + dt_, f"[{lvl}]\t{sc.iso(t + dt_)}\t{rid}\t{m}")  # noqa: E731
        out = [lg(0.004, "INFO", f"Processing batch of {batch} posting message(s) from ledger-postings")]
        if mode == "ok":
            for k in range(batch):
                je = f"je_{sc.hexid(10)}"
                out.append(lg(0.03 + 0.02 * k, "INFO", f"Posted journal entry {je} ({int(sc.rng.integers(2, 6))} "
                                                         f"lines) for acct_{int(sc.rng.integers(10**6, 10**7))}"))
            if sc.rng.random() < 0.06:
                out.append(lg(0.02, "WARNING", f"Duplicate idempotency key {sc.hexid(16)}, skipping message"))
            return out
        why = REFUSED if mode == "refused" else TOO_MANY
        attempts = 5
        for a in range(1, attempts + 1):
            nxt = "retrying in 200 ms" if a < attempts else "giving up"
            out.append(lg(0.01 + a * 0.46, "WARNING", f"db connect failed (attempt {a}/{attempts}), {nxt}: "
                                                       f"{why.splitlines()[0]}"))
        tb = py_traceback([
            ("/var/task/app.py", 58, "handler", "with ledger_db.connection() as conn:"),
            ("/var/lang/lib/python3.12/contextlib.py", 137, "__enter__", "return next(self.gen)"),
            ("/var/task/ledger/db.py", 41, "connection", "conn = _connect_with_retry()"),
            ("/var/task/ledger/db.py", 29, "_connect_with_retry", "return psycopg2.connect(DSN, connect_timeout=3)"),
            ("/var/task/psycopg2/__init__.py", 122, "connect",
             "conn = _connect(dsn, connection_factory=connection_factory, **kwasync)"),
        ], f"psycopg2.OperationalError: {why}")
        out.append((t + 2.45, f"[ERROR] OperationalError: {why}\n{tb}"))
        return out
    return body


def build(seed: int) -> Scenario:
    sc = Scenario("h16-01-reconnect-storm-after-failover",
                  "Ledger posting Lambda failing; on-call paged by ledger-posting-errors. Balance lookups in the "
                  "app are erroring too.", "us-east-1", seed, dt.datetime(2026, 3, 10, 15, 40))
    F = -2460.0  # failover starts
    back = F + 85  # new primary accepting connections
    full = back + 230  # all slots taken
    day = daily(sc, peak_hour=17, depth=0.35)
    sc.resource("rds", "ledger-db", engine="postgres", engine_version="15.5", instance_class="db.r6g.large",
                max_connections=400, allocated_storage_gb=500, multi_az=True, endpoint=HOST)
    sc.resource("lambda", "ledger-posting", runtime="python3.12", timeout=15, memory_size=512,
                environment={"LEDGER_DB_HOST": HOST, "LEDGER_DB_NAME": "ledger", "DB_CONNECT_ATTEMPTS": "5",
                             "DB_CONNECT_RETRY_MS": "200", "QUEUE": "ledger-postings"})
    sc.resource("lambda", "balance-api", runtime="python3.12", timeout=10, memory_size=256,
                environment={"LEDGER_DB_HOST": HOST, "LEDGER_DB_NAME": "ledger"})
    sc.resource("lambda", "statement-export", runtime="python3.12", timeout=300, memory_size=1024,
                environment={"EXPORT_BUCKET": "northwind-statements-prod"})
    sc.resource("ecs", "ledger/reconciler", desired_count=2, launch_type="FARGATE", cpu=512, memory=1024)

    down = window(F, back)
    storm = np.clip((TIMES - back) / (full - back), 0, 1)
    # --- ledger-posting ---------------------------------------------------------------------------
    inv = counts(sc, 6.5 * day * (1 + 1.9 * ramp(F, back + 300)))
    fail_frac = np.array([_fail(t, F, back, full) for t in TIMES])
    err = np.round(inv * clip(fail_frac + sc.rng.normal(0, 0.03, N), 0, 1))
    err[TIMES < F] = counts(sc, 0.02)[TIMES < F]
    dur = fail_frac * (2480 + sc.rng.normal(0, 60, N)) + (1 - fail_frac) * jitter(sc, 135, 0.12)
    aws.lambda_metrics(sc, "ledger-posting", inv, err, dur)
    # --- balance-api ----------------------------------------------------------------------------------
    binv = counts(sc, 16 * day)
    berr = np.round(binv * np.array([0.92 * _fail(t, F, back, full) for t in TIMES])) + counts(sc, 0.05)
    bdur = 0.92 * fail_frac * (2300 + sc.rng.normal(0, 60, N)) + (1 - 0.92 * fail_frac) * jitter(sc, 48, 0.15)
    aws.lambda_metrics(sc, "balance-api", binv, berr, bdur)
    # --- statement-export (decoy) -------------------------------------------------------------------
    einv = np.array([1.0 if int((t + 21600) // 60) % 5 == 0 else 0.0 for t in TIMES])
    edur = jitter(sc, 8200, 0.1) * np.where(TIMES >= F - 420, 0.93, 1.0)
    aws.lambda_metrics(sc, "statement-export", einv, np.zeros(N), edur, conc=einv)
    # --- database ---------------------------------------------------------------------------------------
    base_conns = 128 + 14 * (day - day.mean()) / (day.std() + 1e-9) / 3 + sc.rng.normal(0, 3, N)
    conns = np.where(TIMES < F, base_conns, base_conns + (400 - base_conns) * storm)
    conns = np.where(TIMES >= full, 400 - sc.rng.integers(0, 3, N), conns)
    conns = np.round(conns).astype(object)
    conns[(TIMES >= F) & (TIMES < back)] = None
    cpu = np.where(TIMES < F, jitter(sc, 21 * day + 6, 0.08), 47 + sc.rng.normal(0, 4, N)).astype(object)
    cpu[(TIMES >= F) & (TIMES < back)] = None
    mem = np.where(TIMES < F, 9.6 + sc.rng.normal(0, 0.05, N), 9.6 - 3.4 * storm + sc.rng.normal(0, 0.05, N))
    free = 301.4 - (TIMES + 21600) / 21600 * 0.6 + sc.rng.normal(0, 0.02, N)
    riops = np.where(TIMES < F, 900 * day, 380)
    wiops = np.where(TIMES < F, 520 * day, 160)
    d = {"DBInstanceIdentifier": "ledger-db"}
    sc.metric("AWS/RDS", "CPUUtilization", d, "Percent", cpu, decimals=2)
    sc.metric("AWS/RDS", "DatabaseConnections", d, "Count", conns, decimals=0)
    for name, unit, vals, dec in (("FreeableMemory", "Bytes", mem * aws.GB, 0), ("FreeStorageSpace", "Bytes",
                                                                                 free * aws.GB, 0),
                                  ("ReadIOPS", "Count/Second", jitter(sc, riops, 0.1), 2),
                                  ("WriteIOPS", "Count/Second", jitter(sc, wiops, 0.1), 2),
                                  ("ReadLatency", "Seconds", jitter(sc, 0.0009, 0.15), 6),
                                  ("WriteLatency", "Seconds", jitter(sc, 0.0016, 0.15), 6)):
        vals = np.asarray(vals, dtype=object)
        vals[(TIMES >= F) & (TIMES < back)] = None
        sc.metric("AWS/RDS", name, d, unit, vals, decimals=dec)
    # --- queue and reconciler -----------------------------------------------------------------------
    q = {"QueueName": "ledger-postings"}
    backlog = np.where(TIMES < F, counts(sc, 4), 30 + (TIMES - F) * 1.6 + sc.rng.normal(0, 25, N))
    sc.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", q, "Count", clip(backlog, 0), decimals=0)
    age = np.where(TIMES < F, jitter(sc, 3, 0.4), (TIMES - F) * 0.95 + 5)
    sc.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", q, "Seconds", clip(age, 0), decimals=0)
    aws.ecs_metrics(sc, "ledger", "reconciler", jitter(sc, 14, 0.15), jitter(sc, 41, 0.03))

    # --- logs -------------------------------------------------------------------------------------------
    start = -5400.0
    lp = LambdaLogs(sc, "ledger-posting", "python3.12", 512)
    for t in event_times(sc, inv, start):
        if t < F:
            mode = "ok"
        elif t < back:
            mode = "refused"
        else:
            mode = "ok" if sc.rng.random() > _fail(t, F, back, full) else "toomany"
        batch = int(sc.rng.integers(1, 6))
        d_ms = float(sc.rng.normal(2480, 90)) if mode != "ok" else float(sc.rng.gamma(6, 22))
        lp.invoke(t, d_ms, _posting_body(sc, mode, batch), mem_used=int(sc.rng.integers(88, 104)))
    lp.flush()
    ba = LambdaLogs(sc, "balance-api", "python3.12", 256)
    for t in event_times(sc, binv, -3600.0):
        bad = sc.rng.random() < 0.92 * _fail(t, F, back, full)
        acct = f"acct_{int(sc.rng.integers(10**6, 10**7))}"
        if bad:
            why = REFUSED if t < back else TOO_MANY
            body = [(0.003, "INFO", f"GET /balances/{acct}"),
                    (2.2, "ERROR", f"balance lookup failed for {acct}: {why.splitlines()[0]}")]
            ba.invoke(t, float(sc.rng.normal(2300, 80)), body, mem_used=int(sc.rng.integers(70, 80)))
        else:
            body = [(0.003, "INFO", f"GET /balances/{acct}")]
            if sc.rng.random() < 0.03:
                body.append((0.02, "WARNING", f"Account {acct} not found"))
            ba.invoke(t, float(sc.rng.gamma(5, 9)), body, mem_used=int(sc.rng.integers(70, 80)))
    ba.flush()
    ex = LambdaLogs(sc, "statement-export", "python3.12", 1024, idle_reclaim=400)
    for t in event_times(sc, einv, start):
        n = int(sc.rng.integers(40, 160))
        ex.invoke(t, float(sc.rng.normal(8000, 500)),
                  [(0.01, "INFO", f"Exporting {n} statements for cycle 2026-03"),
                   (7.9, "INFO", f"Wrote {n} PDFs to s3://northwind-statements-prod/2026-03/")], mem_used=412)
    ex.flush()
    _rds_logs(sc, F, back, full)
    _reconciler_logs(sc, F, back, full)
    sc.change(-15800, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "balance-api", "tf-apply")
    sc.change(F - 420, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "statement-export", "ci-deployer")
    sc.change(F - 405, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "statement-export", "ci-deployer")
    fn = {"FunctionName": "ledger-posting"}
    sc.alarm_on("ledger-posting-errors", "AWS/Lambda", "Errors", fn, err, "Sum", 60, 3, 5,
                "GreaterThanThreshold", after=F, description="Ledger posting consumer errors")
    sc.alarm("ledger-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "ledger-db"}, "Average",
             300, 3, 80, "GreaterThanThreshold", "OK", -40000)
    sc.set_expect("ledger-posting-errors", "db_connection_exhaustion", ["ledger-db"],
                  [("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": "ledger-db"}),
                   ("AWS/Lambda", "Errors", fn)])
    return sc


def _rds_logs(sc: Scenario, F: float, back: float, full: float) -> None:
    ev = [e for e in pg_checkpoints(sc, -21600, pid=412) if e[0] < F]
    ev += [e for e in pg_checkpoints(sc, back + 200, pid=9113)]
    for t in poisson_times(sc, 0.12, -21600, F):
        tbl = sc.pick(["postings", "journal_lines", "idempotency_keys", "accounts"])
        pages, scanned = int(sc.rng.integers(2000, 90000)), int(sc.rng.integers(40, 900))
        msg = (f"automatic vacuum of table \"ledger.public.{tbl}\": index scans: 1\n"
               f"\tpages: 0 removed, {pages} remain, {scanned} scanned")
        ev.append((t, pg(sc, t, "LOG", msg, pid=int(sc.rng.integers(20000, 30000)))))
    for t in poisson_times(sc, 1.2, -21600, F):
        port, ip = int(sc.rng.integers(32768, 61000)), sc.ip("10.0")
        ev.append((t, pg(sc, t, "LOG", f"connection received: host={ip} port={port}", "[unknown]", "[unknown]",
                         f"{ip}({port})")))
    seq = ["database system was interrupted; last known up at " + sc.clock(F - 9) + " UTC",
           "database system was not properly shut down; automatic recovery in progress",
           "redo starts at 1A3/5E0012C8", "invalid record length at 1A3/5F8A2B10: wanted 24, got 0",
           "redo done at 1A3/5F8A2AD8 system usage: CPU: user: 0.41 s, system: 0.20 s, elapsed: 1.02 s",
           "checkpoint starting: end-of-recovery immediate wait",
           "checkpoint complete: wrote 6139 buffers (4.7%); 0 WAL file(s) added, 0 removed, 1 recycled; "
           "write=0.212 s, sync=0.031 s, total=0.259 s",
           "database system is ready to accept connections"]
    for k, m in enumerate(seq):
        t = back - 14 + k * 1.7
        ev.append((t, pg(sc, t, "LOG", m, pid=9101 if k < 7 else 9098)))
    rate = np.where(TIMES >= back, 34 * np.clip((TIMES - back) / (full - back), 0.15, 1), 0)
    for t in event_times(sc, sc.rng.poisson(rate), back):
        ip, port = sc.ip("10.0"), int(sc.rng.integers(32768, 61000))
        ev.append((t, pg(sc, t, "LOG", f"connection received: host={ip} port={port}", "[unknown]", "[unknown]",
                         f"{ip}({port})")))
        ip = f"{ip}({port})"
        if t > full - 40 and sc.rng.random() < 0.8:
            ev.append((t + 0.002, pg(sc, t + 0.002, "FATAL", "sorry, too many clients already", "ledger_app",
                                     "ledger", ip)))
        elif t <= full - 40:
            ev.append((t + 0.004, pg(sc, t + 0.004, "LOG", "connection authorized: user=ledger_app "
                                                          "database=ledger SSL enabled (protocol=TLSv1.3, "
                                                          "cipher=TLS_AES_256_GCM_SHA384, bits=256)",
                                     "ledger_app", "ledger", ip)))
    sc.log("/aws/rds/instance/ledger-db/postgresql", "ledger-db", ev)


def _reconciler_logs(sc: Scenario, F: float, back: float, full: float) -> None:
    for task in ("5c1e0b9a7f2d4e36a8c1d2e3f4a5b6c7", "9a8b7c6d5e4f40312f1e0d9c8b7a6f5e"):
        ev = []
        for t in np.arange(-21600 + sc.rng.uniform(0, 60), -1, 60.0):
            if t < F:
                ev.append((t, f"{sc.clock(t)},{int(sc.rng.integers(100, 999))} INFO reconciler.run: matched "
                              f"{int(sc.rng.integers(40, 220))} settlements, 0 breaks"))
            elif back <= t < full or sc.rng.random() < 0.45:
                ev.append((t, f"{sc.clock(t)},{int(sc.rng.integers(100, 999))} INFO reconciler.run: matched "
                              f"{int(sc.rng.integers(40, 220))} settlements, 0 breaks"))
            else:
                why = REFUSED.splitlines()[0] if t < back else TOO_MANY
                ev.append((t, f"{sc.clock(t)},{int(sc.rng.integers(100, 999))} ERROR reconciler.run: cycle failed: "
                              f"sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) {why}\n"
                              f"(Background on this error at: https://sqlalche.me/e/20/e3q8)"))
        sc.log("/ecs/reconciler", f"reconciler/reconciler/{task}", ev)
