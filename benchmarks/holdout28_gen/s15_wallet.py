"""h28-15: hourly payout fan-out with a Monday backlog fills MySQL max_connections; the wallet API pays for it."""
from __future__ import annotations

import json
import random

from .common import HIST, LOGS, Clock, alarm, change, diurnal, log_stream, poisson, ramp, rid
from .logfmt import LambdaLog, Rec, mysql_err, py_tb

R = "ap-southeast-1"
DB, API_FN, DISP, WORK, FRAUD = "wallet-mysql", "wallet-api", "payout-dispatcher", "payout-worker", "fraud-score"
MAXC = 600
HOST = "wallet-mysql.c7hd2k1x0qpe.ap-southeast-1.rds.amazonaws.com"


def build():
    rng = random.Random(2815)
    clk = Clock("2026-03-23T10:24:00")
    top = clk.top_of_hour(0)
    tops = [clk.top_of_hour(k) for k in range(6)]

    def workers(t):
        if t >= top:
            if t < top + 600:
                return ramp(t, top, top + 600, 0, 250)
            if t < -420:
                return 250 + rng.uniform(-6, 6)
            return ramp(t, -420, 0, 250, 238) + rng.uniform(-4, 4)
        for tp in tops[1:]:
            if tp <= t < tp + 180:
                return 22
        return 0

    db = Rec("AWS/RDS", {"DBInstanceIdentifier": DB})
    api = Rec("AWS/Lambda", {"FunctionName": API_FN})
    wk = Rec("AWS/Lambda", {"FunctionName": WORK})
    ds = Rec("AWS/Lambda", {"FunctionName": DISP})
    fr = Rec("AWS/Lambda", {"FunctionName": FRAUD})
    al = LambdaLog(rng, clk, API_FN, "python3.12", 512, streams=4)
    wl = LambdaLog(rng, clk, WORK, "provided.al2023", 256, streams=5)
    dl = LambdaLog(rng, clk, DISP, "provided.al2023", 512, streams=1)
    state = {}
    for t in range(-HIST, 0, 60):
        w = workers(t)
        want = 128 + 2.1 * w + rng.gauss(0, 3)
        conns = min(MAXC, want)
        over = max(0.0, want - MAXC)
        pf = min(0.34, over / 260.0) if over > 0 else (0.02 if want > MAXC - 8 else 0.0)
        state[t] = (w, conns, pf)
        db.put(t, CPUUtilization=31 * diurnal(t, 0.1, 3000) + 0.11 * w + rng.gauss(0, 1.4), DatabaseConnections=conns,
               FreeableMemory=6.4e9 - conns * 4.1e6 + rng.gauss(0, 3e7), FreeStorageSpace=2.9e11 - (t + HIST) * 5e3,
               ReadIOPS=700 + 3 * w + rng.gauss(0, 40), WriteIOPS=520 + 4 * w + rng.gauss(0, 30),
               ReadLatency=0.0007, WriteLatency=0.0012 + w * 2e-6, DiskQueueDepth=0.7 + w * 0.004)
        inv = poisson(rng, 300 * diurnal(t, 0.1, 3000))
        pre = poisson(rng, 0.3)
        errs = min(inv, pre + sum(1 for _ in range(inv) if rng.random() < pf))
        api.put(t, Invocations=inv, Errors=errs, Throttles=0, Duration=rng.gauss(85, 6) + 40 * pf, ConcurrentExecutions=max(1, round(inv * 0.09 / 60 * 8 + rng.random())))
        started = poisson(rng, 25) if top <= t < top + 600 else (poisson(rng, 7) if t in tops[1:] else 0)
        wk.put(t, Invocations=started + (poisson(rng, 10 * pf * 3) if t >= top else 0), Errors=poisson(rng, w * pf * 0.25),
               Throttles=0, Duration=(rng.gauss(88, 8) if t < top else rng.gauss(95 + 300 * pf, 20)) * 1000 if w else None,
               ConcurrentExecutions=round(w))
        fr.put(t, Invocations=inv, Errors=0, Throttles=0, Duration=rng.gauss(31, 3) * (0.9 if t > -1700 else 1), ConcurrentExecutions=2)
        if t < -LOGS:
            continue
        for _ in range(poisson(rng, 12)):
            ts = t + rng.uniform(0, 59)
            user = f"u_{rng.getrandbits(32):08x}"
            op = rng.choice(["GET /wallet/balance", "POST /wallet/transfer", "GET /wallet/transactions", "POST /wallet/topup"])
            lines = [(0.003, "INFO", f"{op} user={user}")]
            if rng.random() < pf:
                msg = "(1040, 'Too many connections')"
                lines.append((0.05, "ERROR", f"OperationalError: {msg}\n" + py_tb("pymysql.err.OperationalError", msg, [
                    ("/var/task/app.py", 33, "handler", "conn = db.connect()"),
                    ("/var/task/wallet/db.py", 19, "connect", "return pymysql.connect(host=DB_HOST, user=DB_USER, password=secret(), database='wallet', connect_timeout=3)"),
                    ("/var/task/pymysql/connections.py", 361, "__init__", "self.connect()"),
                    ("/var/task/pymysql/connections.py", 716, "connect", "self._request_authentication()"),
                    ("/var/task/pymysql/err.py", 150, "raise_mysql_exception", "raise errorclass(errno, errval)")])))
                al.invoke(ts, rng.uniform(60, 120), 92, lines)
                continue
            if rng.random() < 0.3 / 300 * 12:
                lines.append((3.0, "WARNING", "fraud-score invoke slow, proceeding without score: ReadTimeoutError(\"Read timeout on endpoint "
                                              "URL: \\\"https://lambda.ap-southeast-1.amazonaws.com/2015-03-31/functions/fraud-score/invocations\\\"\")"))
            d = rng.gauss(85, 6)
            lines.append((d / 1000 - 0.002, "INFO", f"{op} -> 200 in {d:.0f} ms"))
            al.invoke(ts, d, 94, lines)
        w, conns, pf = state[t]
        for _ in range(min(int(w), poisson(rng, 3 if w else 0))):
            ts = t + rng.uniform(0, 59)
            chunk = rng.randint(1, 296 if t >= top else 22)
            body = [(0.01, "INFO", f"payout chunk {chunk} start size=50 db_max_open=4")]
            if rng.random() < pf * 0.6:
                body.append((rng.uniform(2, 30), "ERROR", f"payout chunk {chunk} attempt failed, retrying in 2s: Error 1040 (08004): "
                                                          "Too many connections"))
            dd = (rng.gauss(88, 8) if t < top else rng.gauss(95 + 300 * pf, 20)) * 1000
            body.append((dd / 1000 - 0.1, "INFO", f"payout chunk {chunk} done paid={rng.randint(46, 50)} failed_retryable={rng.randint(0, 4)}"))
            wl.invoke(ts, dd, rng.randint(60, 90), body)
    for tp in sorted(tops):
        big = tp == top
        d = (642000.0 if big else rng.uniform(38000, 52000))
        ds.put(int((tp + 1 + d / 1000) // 60 * 60), Invocations=1, Errors=0, Throttles=0, Duration=d, ConcurrentExecutions=1)
        if tp >= -LOGS:
            pend = 14812 if big else rng.randint(900, 1300)
            dl.invoke(tp + 1.1, d, 120, [(0.05, "INFO", f"pending payouts: {pend} ({'weekend settlement backlog' if big else 'normal'}), "
                                                        f"chunks={-(-pend // 50)}, invoking {WORK} async"),
                                         (d / 1000 - 0.2, "INFO", f"dispatched {-(-pend // 50)} chunks in {d / 1000:.0f}s")])
    err = [(ts, mysql_err(clk, ts, rng.randint(1000, 90000), "Warning", "MY-013360", "Server",
                          "Plugin mysql_native_password reported: ''mysql_native_password' is deprecated and will be removed in a future "
                          "release. Please use caching_sha2_password instead'")) for ts in sorted(rng.uniform(-LOGS, 0) for _ in range(40))]
    metrics = db.metrics() + api.metrics() + wk.metrics() + ds.metrics() + fr.metrics()
    alarms = [alarm(clk, "wallet-api-errors", api.get("Errors"), "Sum", 60, 3, 15, after=top,
                    description="Wallet API Lambda errors (balance/transfer failing)")]
    lag = round((alarms[0]["state_changed"] - (top)) / 60)
    changes = [change(-1700, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", FRAUD, "ci-deployer"),
               change(-1685, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", FRAUD, "ci-deployer")]
    scen = {
        "format": "aiops-scenario/v1", "name": "h28-15-wallet-mysql-payout-fanout",
        "description": "Wallet balance and transfers failing in the app; wallet-api Errors alarm.",
        "region": R,
        "resources": [
            {"type": "rds", "id": DB, "properties": {"engine": "mysql", "engine_version": "8.0.36", "instance_class": "db.r6g.large",
                                                   "max_connections": MAXC, "allocated_storage_gb": 400}},
            {"type": "lambda", "id": API_FN, "properties": {"runtime": "python3.12", "timeout": 10, "memory_size": 512}},
            {"type": "lambda", "id": DISP, "properties": {"runtime": "provided.al2023", "language": "go1.22", "timeout": 900,
                                                        "memory_size": 512, "schedule": "cron(0 * * * ? *)"}},
            {"type": "lambda", "id": WORK, "properties": {"runtime": "provided.al2023", "language": "go1.22", "timeout": 600,
                                                        "memory_size": 256}},
            {"type": "lambda", "id": FRAUD, "properties": {"runtime": "python3.12", "timeout": 3, "memory_size": 1024}},
        ],
        "metrics": metrics, "logs": al.logs() + wl.logs() + dl.logs() + [log_stream(f"/aws/rds/instance/{DB}/error", DB, err)],
        "alarms": alarms, "changes": changes,
        "expect": {"alarm": "wallet-api-errors",
                   "root_cause": {"category": "db_connection_exhaustion", "resource": [DB, WORK]},
                   "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": DB}},
                                 {"namespace": "AWS/Lambda", "name": "ConcurrentExecutions", "dimensions": {"FunctionName": WORK}}]},
    }
    meta = {"alarm_on": "front (wallet-api)",
            "decoys": "fraud-score deploy 28 min ago; hourly small payout runs in earlier hours; constant wallet-api fraud-score "
                      "ReadTimeout WARNINGs and MySQL mysql_native_password deprecation warnings",
            "story": (
                "payout-dispatcher runs at the top of every hour and fans out one async payout-worker invocation per 50 pending "
                "payouts; each worker opens up to 4 MySQL connections. Normal hours have ~1,100 pending payouts, ~22 workers and "
                "a brief bump of ~45 connections. Today (Monday 18:00 SGT) the dispatcher logs a weekend settlement backlog of "
                "14,812 payouts, so worker concurrency climbs to ~240 over ten minutes and DatabaseConnections on wallet-mysql "
                "rises from ~130 to the max_connections of 600. From ~9 minutes into the run, wallet-api's fresh connections "
                "fail with (1040, 'Too many connections') and workers retry on Error 1040, which keeps the pool full. The alarm "
                f"fired ~{lag} minutes after the run started; concurrency is slowly draining (partial recovery) but the DB is still "
                "at the limit. Category db_connection_exhaustion: the exhausted resource is wallet-mysql and the slots are held "
                "by payout-worker. The fraud-score deploy and the constant warnings are unrelated; CPU (~58 %) and storage are fine.")}
    return scen, meta
