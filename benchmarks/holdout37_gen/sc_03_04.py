"""h37-03 (MySQL max_connections reached at the evening peak) and h37-04 (statement_timeout set in a DB parameter group)."""
from __future__ import annotations

import json

from .common import LOG_START, Scenario, ramp, sig
from .logs import LambdaLogs, every, node_invoke_error, py_unhandled, times


def build_03() -> Scenario:
    s = Scenario(3, "loyalty-mysql-connections-maxed",
                 "loyalty-mysql DatabaseConnections alarm; members see errors loading points balances.",
                 "ap-southeast-1", seed=3703, anchor=(2026, 11, 21, 12, 40, 0), tz_hours=8)
    cl, svc, lb = "loyalty-prod", "points-api", "app/loyalty-public/2f8e6d4c1a3b5e79"
    s.resource("rds", "loyalty-mysql", engine="mysql", engine_version="8.0.35", instance_class="db.m6g.large",
               max_connections=300, parameter_group="loyalty-mysql80", allocated_storage_gb=400, multi_az=True)
    s.resource("ecs", f"{cl}/{svc}", cluster=cl, service=svc, desired_count=8, cpu=512, memory=1024,
               runtime="go1.22 database/sql + go-sql-driver/mysql v1.7.1", db_max_open_conns=30, db_max_idle_conns=30,
               log_group="/ecs/points-api")
    s.resource("alb", lb, name="loyalty-public")
    s.resource("lambda", "points-expiry-worker", runtime="nodejs20.x", timeout=60, memory_size=512,
               trigger="sqs:points-expiry-queue", schedule="daily 20:00 SGT fan-out")
    s.resource("lambda", "loyalty-email-digest", runtime="python3.12", timeout=120, memory_size=512)

    t_job = -2400
    job = lambda t: sig(t, t_job + 60, 40) * (1 - 0.05 * ramp(t, -600, 0))
    d = lambda t: s.diurnal(t, 0.35, 20.5)
    db = {"DBInstanceIdentifier": "loyalty-mysql"}

    def conns(t):
        api = 55 + 85 * d(t) / 1.35 + job(t) * 150
        return min(300, round(s.n(api + 12 + job(t) * 52, 0.03)))
    s.series("AWS/RDS", "DatabaseConnections", db, "Count", conns)
    s.series("AWS/RDS", "ConnectionAttempts", db, "Count", lambda t: s.cnt(40 * d(t) + job(t) * 2600))
    s.series("AWS/RDS", "CPUUtilization", db, "Percent", lambda t: s.n(21 * d(t), 0.1) + job(t) * s.n(24, 0.1))
    s.series("AWS/RDS", "WriteIOPS", db, "Count/Second", lambda t: s.n(180 * d(t), 0.1) + job(t) * s.n(900, 0.1))
    s.series("AWS/RDS", "ReadIOPS", db, "Count/Second", lambda t: s.n(240 * d(t), 0.1))
    s.series("AWS/RDS", "FreeableMemory", db, "Bytes", lambda t: s.n(2.9e9, 0.01) - job(t) * 0.3e9, nd=0)
    s.series("AWS/RDS", "FreeStorageSpace", db, "Bytes", lambda t: 161.2e9 - (t + 21600) * 2100 + s.g(0, 3e6), nd=0)
    ecs = {"ClusterName": cl, "ServiceName": svc}
    s.series("AWS/ECS", "CPUUtilization", ecs, "Percent", lambda t: s.n(31 * d(t), 0.08))
    s.series("AWS/ECS", "MemoryUtilization", ecs, "Percent", lambda t: s.n(29, 0.03))
    alb = {"LoadBalancer": lb}
    s.series("AWS/ApplicationELB", "RequestCount", alb, "Count", lambda t: s.cnt(1500 * d(t)))
    s.series("AWS/ApplicationELB", "TargetResponseTime", alb, "Seconds", lambda t: s.n(0.031, 0.1) + job(t) * s.n(0.55, 0.15), nd=4)
    s.series("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb, "Count", lambda t: s.cnt(0.4 + job(t) * 68))
    fn = {"FunctionName": "points-expiry-worker"}
    s.series("AWS/Lambda", "Invocations", fn, "Count", lambda t: s.cnt(0.5 + job(t) * 180))
    s.series("AWS/Lambda", "Errors", fn, "Count", lambda t: s.cnt(job(t) * 26))
    s.series("AWS/Lambda", "Duration", fn, "Milliseconds", lambda t: s.n(640 + job(t) * 300, 0.1))
    s.series("AWS/Lambda", "ConcurrentExecutions", fn, "Count", lambda t: round(s.n(1 + job(t) * 51, 0.04)))
    s.series("AWS/Lambda", "Throttles", fn, "Count", lambda t: 0)
    ed = {"FunctionName": "loyalty-email-digest"}
    s.series("AWS/Lambda", "Invocations", ed, "Count", lambda t: s.cnt(1))
    s.series("AWS/Lambda", "Errors", ed, "Count", lambda t: 0)
    s.series("AWS/Lambda", "Duration", ed, "Milliseconds", lambda t: s.n(2300, 0.1))

    grp = "/ecs/points-api"
    tasks = [s.hexs(32) for _ in range(8)]

    def glog(task, t, level, msg, **kw):
        rec = {"time": s.iso(t), "level": level, "msg": msg}
        rec.update(kw)
        s.log(grp, f"ecs/points-api/{task}", t, json.dumps(rec, separators=(",", ":")))

    for t in times(s, LOG_START, 0, lambda t: 10 * d(t)):
        mid, rid = f"M{s.rng.randint(1000000, 1999999)}", s.hexs(16)
        path = s.pick([f"/v1/members/{mid}/points", f"/v1/members/{mid}/points", f"/v1/members/{mid}/history", "/v1/rewards/catalog"])
        task = s.pick(tasks)
        if s.chance(job(t) * 0.034):
            glog(task, t, "ERROR", "db query failed", path=path, req_id=rid, err="Error 1040 (08004): Too many connections")
            glog(task, t + 0.001, "INFO", "request", method="GET", path=path, status=500, dur_ms=int(s.n(6, 0.4)), req_id=rid)
        else:
            glog(task, t, "INFO", "request", method="GET", path=path, status=200, dur_ms=int(s.n(24 + job(t) * 520, 0.4)), req_id=rid)
    for i, task in enumerate(tasks):
        for t in every(LOG_START + i * 7, 0, 60):
            j = job(t)
            open_ = min(30, round(s.n(9 + 9 * d(t) / 1.35, 0.12) + j * 19))
            in_use = min(open_, round(open_ * (0.45 + 0.5 * j)))
            s.log(grp, f"ecs/points-api/{task}", t, json.dumps({
                "time": s.iso(t), "level": "INFO", "msg": "db pool stats", "open": open_, "in_use": in_use,
                "idle": open_ - in_use, "max_open": 30, "wait_count": int(j * s.n(900, 0.2)),
                "wait_duration_ms": int(j * s.n(41000, 0.2))}, separators=(",", ":")))
    for t in times(s, LOG_START, 0, lambda t: 0.7):
        s.log(grp, f"ecs/points-api/{s.pick(tasks)}", t, json.dumps({
            "time": s.iso(t), "level": "WARN", "msg": "partner webhook retry", "partner": "grabrewards",
            "status": 502, "attempt": s.rng.randint(1, 3)}, separators=(",", ":")))

    wl = LambdaLogs(s, "points-expiry-worker", "nodejs20.x", 512)
    for t in times(s, LOG_START, 0, lambda t: 0.3 + job(t) * 9):
        n = s.rng.randint(150, 200)
        cold = s.chance(0.02 + 0.25 * job(t) * (1 if t < t_job + 300 else 0.1))
        pre = [(0.001, "INFO", "mysql2 connection host=loyalty-mysql.c8rwu2xj4k1n.ap-southeast-1.rds.amazonaws.com db=loyalty")] if cold else []
        if job(t) > 0.5 and s.chance(0.15):
            wl.invoke(t, s.n(180, 0.3), pre + [(0.05, "ERROR", node_invoke_error(
                "Error", "Too many connections",
                ["Packet.asError (/var/task/node_modules/mysql2/lib/packets/packet.js:728:17)",
                 "ClientHandshake.execute (/var/task/node_modules/mysql2/lib/commands/command.js:29:26)",
                 "Connection.handlePacket (/var/task/node_modules/mysql2/lib/connection.js:481:34)"],
                {"code": "ER_CON_COUNT_ERROR", "errno": 1040, "sqlState": "", "sqlMessage": "Too many connections"}))],
                s.rng.randint(88, 97), cold)
        else:
            ms = s.n(900, 0.2)
            wl.invoke(t, ms, pre + [(0.01, "INFO", f"expiring batch size={n} cutoff=2025-11-21"),
                                    (ms / 1000 - 0.01, "INFO", f"expired {n} ledgers, {s.rng.randint(0, 4)} skipped (locked)")],
                      s.rng.randint(90, 104), cold)

    el = "/aws/rds/instance/loyalty-mysql/error"
    for t in times(s, LOG_START, 0, lambda t: 0.6 + job(t) * 3):
        cid = s.rng.randint(800000, 900000)
        user = "expiry_worker" if s.chance(job(t) * 0.8) else "points_api"
        s.log(el, "loyalty-mysql", t, f"{s.iso(t, 6)} {cid} [Note] [MY-010914] [Server] Aborted connection {cid} to db: 'loyalty' "
              f"user: '{user}' host: '{s.ip('10.30')}' (Got an error reading communication packets).")
    for t in times(s, LOG_START, 0, lambda t: 0.25):
        s.log(el, "loyalty-mysql", t, f"{s.iso(t, 6)} {s.rng.randint(800000, 900000)} [Warning] [MY-010055] [Server] IP address "
              f"'{s.ip('10.30')}' could not be resolved: Name or service not known")

    dl = LambdaLogs(s, "loyalty-email-digest", "python3.12", 512)
    for t in times(s, LOG_START, 0, lambda t: 0.9):
        if t > -2990 and not getattr(dl, "_cfg", False):
            dl.envs.clear()
            dl._cfg = True
        ms = s.n(2300, 0.1)
        dl.invoke(t, ms, [(0.01, "INFO", f"digest window={s.pick(['daily', 'weekly'])} members={s.rng.randint(50, 400)}"),
                          (ms / 1000 - 0.01, "INFO", "queued emails via ses template=points-digest-v3")], 140, s.chance(0.03))

    s.change(-9600, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}", "github-actions-deploy")
    s.change(-3000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "loyalty-email-digest", "ops-ananya")
    s.alarm("loyalty-mysql-connections-high", "AWS/RDS", "DatabaseConnections", db, "Maximum", 60, 3, 285,
            "GreaterThanOrEqualToThreshold", "loyalty-mysql connections at 95% of max_connections (300)", after=-7200)
    s.expect("loyalty-mysql-connections-high", "db_connection_exhaustion", ["loyalty-mysql"],
             [("AWS/RDS", "DatabaseConnections", db), ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb)])
    return s


PY_FRAMES_POST = [
    ("/var/task/ledger/handler.py", 41, "handler", "journal = post_entry(conn, body)"),
    ("/var/task/ledger/posting.py", 118, "post_entry", "balance = recompute_balance(cur, entry.account_id, entry.period)"),
    ("/var/task/ledger/posting.py", 64, "recompute_balance", "cur.execute(RECOMPUTE_SQL, (account_id, period))"),
]
PY_FRAMES_PDF = [
    ("/var/task/statements/handler.py", 27, "handler", "rows = load_statement_rows(conn, account_id, period)"),
    ("/var/task/statements/queries.py", 52, "load_statement_rows", "cur.execute(STATEMENT_SQL, (account_id, period))"),
]


def build_04() -> Scenario:
    s = Scenario(4, "ledger-posting-errors-db-parameter",
                 "ledger-posting Lambda errors alarm; journal postings failing and the queue is backing up.",
                 "ap-southeast-2", seed=3704, anchor=(2026, 11, 20, 1, 30, 0), tz_hours=11)
    pgid = "ledger-pg16-prod"
    s.resource("rds", "ledger-pg", engine="postgres", engine_version="16.3", instance_class="db.m6g.large",
               max_connections=800, parameter_group=pgid, allocated_storage_gb=300, multi_az=True)
    s.resource("lambda", "ledger-posting", runtime="python3.12", timeout=30, memory_size=1024,
               trigger="sqs:ledger-posting-queue", libs="psycopg2-binary 2.9.9")
    s.resource("lambda", "ledger-statement-pdf", runtime="python3.12", timeout=60, memory_size=2048)
    s.resource("lambda", "fx-rates-sync", runtime="python3.12", timeout=30, memory_size=256)

    t_cfg = -2100
    on = lambda t: sig(t, t_cfg + 20, 8)
    d = lambda t: s.diurnal(t, 0.2, 12.5)
    inv = lambda t: 44 * d(t) * (1 + 0.35 * on(t))          # SQS redeliveries add invocations
    fn = {"FunctionName": "ledger-posting"}
    s.series("AWS/Lambda", "Invocations", fn, "Count", lambda t: s.cnt(inv(t)))
    s.series("AWS/Lambda", "Errors", fn, "Count", lambda t: s.cnt(0.05 + inv(t) * 0.36 * on(t)))
    s.series("AWS/Lambda", "Duration", fn, "Milliseconds", lambda t: s.n(930 - on(t) * 180, 0.1))
    s.series("AWS/Lambda", "ConcurrentExecutions", fn, "Count", lambda t: round(s.n(inv(t) / 60 * 0.93 + 1, 0.15)))
    s.series("AWS/Lambda", "Throttles", fn, "Count", lambda t: 0)
    pdf = {"FunctionName": "ledger-statement-pdf"}
    s.series("AWS/Lambda", "Invocations", pdf, "Count", lambda t: s.cnt(3 * d(t)))
    s.series("AWS/Lambda", "Errors", pdf, "Count", lambda t: s.cnt(3 * d(t) * 0.85 * on(t)))
    s.series("AWS/Lambda", "Duration", pdf, "Milliseconds", lambda t: s.n(4200 - on(t) * 2400, 0.15))
    fx = {"FunctionName": "fx-rates-sync"}
    s.series("AWS/Lambda", "Invocations", fx, "Count", lambda t: 1)
    s.series("AWS/Lambda", "Errors", fx, "Count", lambda t: 0)
    s.series("AWS/Lambda", "Duration", fx, "Milliseconds", lambda t: s.n(640, 0.12))
    q = {"QueueName": "ledger-posting-queue"}
    s.series("AWS/SQS", "ApproximateNumberOfMessagesVisible", q, "Count",
             lambda t: round(s.n(12, 0.4) + on(t) * s.n(40 + ramp(t, t_cfg, 0) * 520, 0.05)))
    s.series("AWS/SQS", "ApproximateAgeOfOldestMessage", q, "Seconds",
             lambda t: round(s.n(4, 0.4) + on(t) * max(0.0, t - t_cfg) * 0.97))
    db = {"DBInstanceIdentifier": "ledger-pg"}
    s.series("AWS/RDS", "CPUUtilization", db, "Percent", lambda t: s.n(27 * d(t), 0.08) - on(t) * 6)
    s.series("AWS/RDS", "DatabaseConnections", db, "Count", lambda t: round(s.n(56, 0.05)))
    s.series("AWS/RDS", "ReadIOPS", db, "Count/Second", lambda t: s.n(600 * d(t), 0.1) * (1 - 0.25 * on(t)))
    s.series("AWS/RDS", "WriteIOPS", db, "Count/Second", lambda t: s.n(380 * d(t), 0.1) * (1 - 0.3 * on(t)))
    s.series("AWS/RDS", "FreeableMemory", db, "Bytes", lambda t: s.n(3.1e9, 0.01), nd=0)
    s.series("AWS/RDS", "FreeStorageSpace", db, "Bytes", lambda t: 188.4e9 - (t + 21600) * 5200 + s.g(0, 3e6), nd=0)

    acct = lambda: f"ACC-{s.rng.randint(100000, 999999)}"
    pl = LambdaLogs(s, "ledger-posting", "python3.12", 1024)
    for t in times(s, LOG_START, 0, lambda t: 7 * d(t) * (1 + 0.35 * on(t))):
        a, mid = acct(), s.uid()
        rec_ms = s.n(700, 0.7)
        lines = [(0.004, "INFO", f"processing message {mid} account={a} period=2026-11 lines={s.rng.randint(2, 8)}")]
        if on(t) > 0.5 and rec_ms > 1500 - 300:
            lines.append((1.52, "RAW", py_unhandled("QueryCanceled", "canceling statement due to statement timeout\n", PY_FRAMES_POST)))
            pl.invoke(t, s.n(1580, 0.03), lines, s.rng.randint(84, 92), s.chance(0.02))
            continue
        total = rec_ms + s.n(180, 0.2)
        lines.append((total / 1000 - 0.005, "INFO", f"posted journal JRN-2026-11-{s.rng.randint(10000, 99999):07d} account={a} recompute_ms={int(rec_ms)}"))
        pl.invoke(t, total, lines, s.rng.randint(84, 92), s.chance(0.02))
    for t in times(s, LOG_START, 0, lambda t: 0.5):
        pl.invoke(t, s.n(40, 0.2), [(0.01, "WARNING", f"idempotency key replay detected key=post:{s.hexs(20)}, skipping")], 84)
    sl = LambdaLogs(s, "ledger-statement-pdf", "python3.12", 2048)
    for t in times(s, LOG_START, 0, lambda t: 1.5 * d(t)):
        a = acct()
        if on(t) > 0.5 and s.chance(0.85):
            sl.invoke(t, s.n(1560, 0.02), [(0.01, "INFO", f"building statement account={a} period=2026-10"),
                                           (1.51, "RAW", py_unhandled("QueryCanceled", "canceling statement due to statement timeout\n", PY_FRAMES_PDF))],
                      s.rng.randint(230, 260), s.chance(0.05))
        else:
            ms = s.n(4200, 0.15)
            sl.invoke(t, ms, [(0.01, "INFO", f"building statement account={a} period=2026-10"),
                              (ms / 1000 - 0.01, "INFO", f"rendered statement pages={s.rng.randint(1, 9)} -> s3://ledger-statements/2026-10/{a}.pdf")],
                      s.rng.randint(230, 290), s.chance(0.05))
    fl = LambdaLogs(s, "fx-rates-sync", "python3.12", 256)
    for t in every(LOG_START + 2, 0, 60, 1.5, s):
        if t > -2690 and not getattr(fl, "_dep", False):
            fl.envs.clear()
            fl._dep = True
        ms = s.n(640, 0.12)
        fl.invoke(t, ms, [(0.3, "INFO", f"fetched {s.rng.randint(36, 40)} rates from provider in {int(ms * 0.4)} ms"),
                          (ms / 1000 - 0.01, "INFO", "wrote rates to dynamodb table fx-rates")], 71, s.chance(0.01))

    pg, st = "/aws/rds/instance/ledger-pg/postgresql", "ledger-pg.0"
    for t in every(LOG_START, 0, 300, 2, s):
        s.log(pg, st, t, f"{s.pgts(t)}::@:[392]:LOG:  checkpoint starting: time")
        s.log(pg, st, t + 28.4, f"{s.pgts(t + 28.4)}::@:[392]:LOG:  checkpoint complete: wrote {s.rng.randint(300, 900)} buffers "
              f"({s.rng.uniform(0.2, 0.9):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled; write=28.3{s.rng.randint(10, 99)} s, sync=0.003 s, total=28.4{s.rng.randint(10, 99)} s")
    for t in times(s, LOG_START, 0, lambda t: 1.1):
        s.log(pg, st, t, f"{s.pgts(t)}:{s.ip('10.40')}({s.rng.randint(30000, 60000)}):ledger_app@ledger:[{s.rng.randint(9000, 30000)}]:LOG:  "
              "could not receive data from client: Connection reset by peer")
    s.log(pg, st, t_cfg + 14.2, f"{s.pgts(t_cfg + 14.2)}::@:[366]:LOG:  received SIGHUP, reloading configuration files")
    s.log(pg, st, t_cfg + 14.3, f"{s.pgts(t_cfg + 14.3)}::@:[366]:LOG:  parameter \"statement_timeout\" changed to \"1500\"")
    for t in times(s, t_cfg + 15, 0, lambda t: 9 * on(t)):
        pre = f"{s.pgts(t)}:{s.ip('10.40')}({s.rng.randint(30000, 60000)}):ledger_app@ledger:[{s.rng.randint(9000, 30000)}]:"
        s.log(pg, st, t, pre + "ERROR:  canceling statement due to statement timeout")
        if s.chance(0.85):
            sql = (f"SELECT coalesce(sum(amount_minor), 0) FROM journal_lines WHERE account_id = '{acct()}' AND period = '2026-11'")
        else:
            sql = (f"SELECT jl.posted_at, jl.description, jl.amount_minor, jl.currency FROM journal_lines jl WHERE "
                   f"jl.account_id = '{acct()}' AND jl.period = '2026-10' ORDER BY jl.posted_at")
        s.log(pg, st, t + 0.001, pre + f"STATEMENT:  {sql}")

    s.change(-15800, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", "ledger-pg", "aws-backup")
    s.change(-2700, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "fx-rates-sync", "github-actions-deploy")
    s.change(t_cfg, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", pgid, "dba-jlin")
    s.alarm("ledger-posting-errors", "AWS/Lambda", "Errors", fn, "Sum", 60, 3, 5, "GreaterThanThreshold",
            "ledger-posting unhandled errors", after=-7200)
    s.expect("ledger-posting-errors", "config_change", ["ledger-pg", pgid],
             [("AWS/Lambda", "Errors", fn), ("AWS/SQS", "ApproximateNumberOfMessagesVisible", q)])
    return s
