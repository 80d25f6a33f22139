"""h91-07 voice CDR writer blocked behind a metadata lock on its MySQL ledger;
h91-08 SMPP HTTP gateway, one EC2 target pinned at 100 % CPU."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import bump, ramp
from benchmarks.holdout57_gen.runtimes import nginx

from .base import LOG_FROM, LambdaLogs, S91, diurnal, java_trace


def build07() -> S91:
    sc = S91(7, "cdr-writer-errors",
             "cdr-writer Errors alarm overnight; voice CDRs are not reaching the ledger.",
             "eu-north-1", 9107, "2026-03-15T02:20:00+00:00")
    rng = sc.rng
    T_SEL, T_ALTER, T_DECOY = -3300, -3075, -3010
    load = lambda t: diurnal(sc, t, 14.0, 0.45)
    blk = lambda t: ramp(t, T_ALTER, T_ALTER + 60)
    fn = sc.lambda_fn("cdr-writer", "java17", 1024, 30, lambda t: 190 * load(t),
                      lambda t: 0.5 + 0.93 * 190 * load(t) * blk(t), lambda t: 46 + 4980 * blk(t),
                      conc=lambda t: 1 + 190 * load(t) / 60 * (0.046 + 5.0 * blk(t)))
    sc.lambda_fn("db-health-probe", "python3.12", 256, 60, lambda t: 1.0 if (t + 14400) % 300 == 0 else 0.0,
                 lambda t: 0.0, lambda t: 900.0 if (t + 14400) % 300 == 0 else None, exact=True)
    db = sc.rds("voice-ledger", "mysql", "db.r6g.xlarge", 1000, 2000,
                lambda t: 11 * load(t) - 2.5 * blk(t) + bump(t, -12600, -12000, 40),
                lambda t: 44 * load(t) + 150 * blk(t),
                write_lat=lambda t: 0.0021 - 0.0008 * blk(t))
    sc.rds("sms-analytics", "mysql", "db.r6g.2xlarge", 2000, 4000, lambda t: 23.0, lambda t: 31.0)

    ll = LambdaLogs(sc, "cdr-writer", "java17", 1024, 30, mem_used=(402, 20))

    def body(ll, t, reqid, is_err, cold):
        n = rng.randint(8, 40)
        if is_err and t >= T_ALTER + 5 and not sc.is_base(t):
            d = rng.uniform(5002, 5060)
            msg = f"c.c.cdr.LedgerWriter - batch insert of {n} CDRs into cdr_2026_03 failed after {int(d) - 1} ms"
            return {"dur": d, "lines": [
                (d / 1000 - 0.01, ll.fmt(t + d / 1000, reqid, "ERROR", msg + "\ncom.mysql.cj.jdbc.exceptions."
                 "MySQLTimeoutException: Statement cancelled due to timeout or client request\n" + java_trace([
                     "com.mysql.cj.jdbc.ClientPreparedStatement.executeBatchWithMultiValuesClause(ClientPreparedStatement.java:719)",
                     "com.mysql.cj.jdbc.ClientPreparedStatement.executeBatchInternal(ClientPreparedStatement.java:418)",
                     "com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeBatch(HikariProxyPreparedStatement.java)",
                     "com.cpaas.cdr.LedgerWriter.insert(LedgerWriter.java:93)"]))),
                (d / 1000, json.dumps({"errorMessage": "Statement cancelled due to timeout or client request",
                                       "errorType": "com.mysql.cj.jdbc.exceptions.MySQLTimeoutException"}))]}
        d = max(15.0, rng.gauss(46, 12))
        if is_err:
            cid = sc.uuid()
            return {"dur": d, "lines": [(d / 1000, ll.fmt(t + d / 1000, reqid, "ERROR",
                    f"c.c.cdr.LedgerWriter - java.sql.BatchUpdateException: Duplicate entry '{cid}' for key "
                    f"'cdr_2026_03.uniq_call_id'")), (d / 1000 + 0.001, json.dumps(
                        {"errorMessage": f"Duplicate entry '{cid}' for key 'cdr_2026_03.uniq_call_id'",
                         "errorType": "java.sql.BatchUpdateException"}))]}
        return {"dur": d, "lines": [(d / 1000, ll.fmt(t + d / 1000, reqid, "INFO",
                f"c.c.cdr.LedgerWriter - stored {n} CDRs trunk={sc.pick(['sip-tr-07', 'sip-tr-11', 'sip-tr-02'])} "
                f"in {int(d - 6)} ms"))]}
    sc.lambda_run(ll, fn["inv"], fn["err"], body, per_min=3.0, base_err=lambda m: 0.5)

    # DBA's processlist probe (python) every 5 minutes
    pl = LambdaLogs(sc, "db-health-probe", "python3.12", 256, 60, mem_used=(71, 4), life=(900, 1500))
    probe_t = [t for t in range(-14400 + 17, 0, 300)]

    def probe(ll, t, reqid, is_err, cold):
        if t < T_ALTER:
            thr = rng.randint(38, 60)
            extra = (f"; longest: SELECT (user=bi_reader) 'Sending data' {int(t - T_SEL)} s" if t >= T_SEL else "")
            msg = f"voice-ledger processlist: threads={thr} running={rng.randint(2, 6)} waiting_mdl=0{extra}"
        else:
            w = int(30 + 150 * blk(t) + rng.randint(0, 20))
            msg = (f"voice-ledger processlist: threads={w + 45} running={rng.randint(2, 5)} waiting_mdl={w}; "
                   f"longest: SELECT (user=bi_reader) 'Sending data' {int(t - T_SEL)} s; ALTER TABLE cdr_2026_03 "
                   f"ADD COLUMN carrier_cost_micros BIGINT NULL (user=migrator) 'Waiting for table metadata lock' "
                   f"{int(t - T_ALTER)} s; INSERT INTO cdr_2026_03 (user=cdr_app) 'Waiting for table metadata lock' x{w}")
        return {"dur": rng.uniform(700, 1100), "lines": [(0.6, f"[INFO]\t{sc.iso(t + 0.6)}\t{reqid}\t{msg}")]}
    for t in probe_t:
        pl.invoke(t + rng.uniform(0, 2), False, probe)

    sg, ss = "/aws/rds/instance/voice-ledger/slowquery", "voice-ledger"

    def slow(t, qt, lt, user, sql, rows=0):
        d = sc.at(t)
        sc.log(sg, ss, t, f"# Time: {d.strftime('%Y-%m-%dT%H:%M:%S')}.{d.microsecond:06d}Z\n# User@Host: {user}[{user}] "
               f"@  [{sc.ip('10.31')}]  Id: {rng.randint(100000, 999999)}\n# Query_time: {qt:.6f}  Lock_time: "
               f"{lt:.6f} Rows_sent: {rows}  Rows_examined: {rng.randint(0, 4000000) if rows else 0}\n"
               f"SET timestamp={int(d.timestamp())};\n{sql};")
    sc.events(-21600, 0, lambda m: 0.08, lambda t: slow(
        t, rng.uniform(2.1, 4.6), 0.00002, "bi_reader",
        "SELECT trunk_id, count(*), sum(billsec) FROM cdr_2026_03 WHERE started_at >= CURDATE() GROUP BY trunk_id", 40))
    def blocked(t):
        qt = rng.uniform(5.0, 5.06)
        slow(t, qt, qt - rng.uniform(0.0004, 0.003), "cdr_app",
             f"INSERT INTO cdr_2026_03 (call_id, trunk_id, started_at, billsec, ...) VALUES {rng.randint(8, 40)} rows")
    sc.events(T_ALTER + 5, 0, lambda m: 2.5 * blk(m), blocked)

    sc.change(-15100, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "cdr-writer", "jenkins-voice")
    sc.change(T_DECOY, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "sms-analytics",
              "terraform-apply")

    sc.alarm("cdr-writer-errors", "AWS/Lambda", "Errors", fn["dims"], "Sum", 60, 3, 20, "GreaterThanThreshold",
             "CDR writes failing")
    sc.alarm("cdr-writer-duration", "AWS/Lambda", "Duration", fn["dims"], "Average", 60, 3, 2000,
             "GreaterThanThreshold")
    sc.alarm("voice-ledger-connections", "AWS/RDS", "DatabaseConnections", db["dims"], "Maximum", 300, 1, 800,
             "GreaterThanThreshold")
    sc.alarm("voice-ledger-cpu", "AWS/RDS", "CPUUtilization", db["dims"], "Average", 300, 3, 80,
             "GreaterThanThreshold")
    sc.truth("cdr-writer-errors", "dependency_failure", ["voice-ledger"],
             [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": fn["dims"]},
              {"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": db["dims"]}])
    sc.card(alarm_on="front (calling Lambda)", services="Lambda, RDS MySQL", runtime="Java 17 (+ Python probe)",
            log_style="Lambda plain + MySQL slow log + probe lines",
            decoys="ModifyDBInstance on sms-analytics 1 min after onset; cdr-writer's own deploy 4 h earlier; "
                   "steady duplicate-key errors; connection count rising (far below max)",
            story="A reporting SELECT by bi_reader starts at -55 min and is still running; at -51 min a migration "
                  "(`ALTER TABLE cdr_2026_03 ADD COLUMN ...`, user migrator) queues for the table's metadata lock "
                  "behind it, and every INSERT from cdr-writer now waits behind the ALTER. The probe function "
                  "reports `waiting_mdl` going from 0 to ~180, the slow log fills with 5 s INSERTs whose Lock_time "
                  "equals their Query_time, and cdr-writer fails with `MySQLTimeoutException: Statement cancelled "
                  "due to timeout` after exactly its 5 s query timeout. voice-ledger's CPU goes down and its "
                  "connections (~175 of 1000) are nowhere near the limit. The ModifyDBInstance is on another "
                  "database.",
            judgement="The trigger is a schema migration run from inside the database (no CloudTrail event) "
                      "behind a long reporting query. From cdr-writer's side this is a downstream database "
                      "failing its statements while not exhausted, so `dependency_failure` on voice-ledger.")
    return sc


def build08() -> S91:
    sc = S91(8, "smsc-http-latency",
             "HTTP submit latency to the SMSC gateway is high; smsc-http latency alarm.",
             "ap-south-1", 9108, "2026-03-16T12:10:00+00:00")
    rng = sc.rng
    T_CPU, T_DECOY = -2640, -2520
    load = lambda t: diurnal(sc, t, 12.0, 0.25)
    hot = lambda t: ramp(t, T_CPU, T_CPU + 240)
    ia, ib = "i-0" + sc.hexid(16), "i-0" + sc.hexid(16)
    alb = sc.alb("smsc-http", lambda t: 1500 * load(t), lambda t: 0.6 + 22 * hot(t), lambda t: 0.2 + 14 * hot(t),
                 lambda t: 0.062 + 1.75 * hot(t), healthy=2, t4xx=lambda t: 11.0)
    a = sc.ec2(ia, "smsc-gw-a", "c6i.xlarge", lambda t: 36 * load(t) + 63 * hot(t),
               mem=lambda t: 57.0, log_groups=["/cpaas/smsc/access", "/cpaas/smsc/app"])
    sc.ec2(ib, "smsc-gw-b", "c6i.xlarge", lambda t: 35 * load(t) + bump(t, -9300, -8700, 50),
           mem=lambda t: 55.0, log_groups=["/cpaas/smsc/access", "/cpaas/smsc/app"])
    sc.lambda_fn("smsc-metrics-export", "java21", 512, 60, lambda t: 1.0, lambda t: 0.0, lambda t: 3100.0)

    paths = [("POST", "/api/v2/submit"), ("POST", "/api/v2/submit_multi"), ("GET", "/api/v2/query_sm")]
    cips = [sc.ip("10.60") for _ in range(6)]
    for iid, is_a in ((ia, True), (ib, False)):
        def acc(t, iid=iid, is_a=is_a):
            h = hot(t) if is_a else 0.0
            rt = max(0.004, rng.gauss(0.055, 0.02)) + h * rng.uniform(1.8, 5.5)
            st = 200
            if h > 0.5 and rng.random() < 0.03:
                st = 503
            m, p = sc.pick(paths)
            sc.log("/cpaas/smsc/access", iid, t, nginx(sc, t, sc.pick(cips), m, p, st, rng.randint(90, 400), rt,
                                                        ua="cpaas-submit-client/4.2"))
        sc.events(LOG_FROM, 0, lambda m: 3.0 * load(m), acc)

        def app(t, lvl, th, msg, iid=iid):
            d = sc.at(t)
            sc.log("/cpaas/smsc/app", iid, t, f"{d.strftime('%Y-%m-%d %H:%M:%S')},{d.microsecond // 1000:03d} "
                   f"{lvl:<5} [{th}] {msg}")

        def pool(t, is_a=is_a, app=app):
            h = hot(t) if is_a else 0.0
            busy = min(64, int(rng.randint(5, 14) + 60 * h))
            q = int(h * rng.randint(900, 2400))
            app(t, "WARN" if q > 200 else "INFO", "stats", f"c.c.smsc.http.SubmitExecutor - pool submit-exec "
                f"active={busy}/64 queue={q} completed_1m={int(1500 * load(t) / 2 * (1 - 0.2 * h))}")
        sc.every(LOG_FROM, 0, 60, pool)

        def wd(t, is_a=is_a, app=app):
            h = hot(t) if is_a else 0.0
            la = rng.uniform(0.8, 1.9) + 14 * h
            app(t, "WARN" if la > 6 else "INFO", "watchdog", f"c.c.smsc.ops.HostWatchdog - loadavg(1m)={la:.2f} "
                f"cpus=4 java_cpu={int(min(398, rng.uniform(90, 150) + 250 * h))}% heap_used={rng.randint(41, 55)}% "
                f"gc_pause_1m_ms={rng.randint(20, 90)}")
        sc.every(LOG_FROM, 0, 300, wd)
        sc.events(LOG_FROM, 0, lambda m: 0.3, lambda t, app=app: app(
            t, "WARN", f"smpp-bind-{rng.randint(1, 8)}", "c.c.smsc.smpp.BindHandler - ESME bind rejected: "
            "invalid password system_id=acme_tx (ESME_RINVPASWD)"))
        if is_a:
            sc.events(T_CPU + 120, 0, lambda m: 1.2 * hot(m), lambda t, app=app: app(
                t, "WARN", f"http-{rng.randint(1, 64)}", f"c.c.smsc.http.SubmitController - slow submit "
                f"{rng.randint(1800, 6900)} ms (queued {rng.randint(1500, 6500)} ms) msg_id={sc.hexid(12)}"))

    sc.change(-20500, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
              "AWS::ElasticLoadBalancingV2::TargetGroup", "smsc-http-tg", "terraform-apply")
    sc.change(T_DECOY, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "smsc-metrics-export", "gh-actions-release")

    sc.alarm("smsc-http-latency", "AWS/ApplicationELB", "TargetResponseTime", alb["dims"], "Average", 60, 5, 1.0,
             "GreaterThanThreshold", "SMSC HTTP submit latency")
    sc.alarm("smsc-http-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb["dims"], "Sum", 300, 1, 100,
             "GreaterThanThreshold")
    sc.alarm("smsc-gw-b-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": ib}, "Average", 300, 2, 85,
             "GreaterThanThreshold")
    sc.truth("smsc-http-latency", "cpu_saturation", [ia, "smsc-gw-a"],
             [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": a["dims"]},
              {"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime", "dimensions": alb["dims"]}])
    sc.card(alarm_on="front (ALB)", services="ALB, EC2, Lambda", runtime="Java (on EC2)",
            log_style="nginx access log + log4j-style plain",
            decoys="smsc-metrics-export deploy 2 min after CPU climb; gw-b CPU spike 2.5 h earlier (with its own "
                   "alarm, now OK); steady ESME_RINVPASWD bind rejections",
            story="Request volume is flat. From -44 min smsc-gw-a's CPU climbs to ~99 % in four minutes and stays "
                  "there; its watchdog reports loadavg ~15 on 4 vCPUs with java at ~390 %, heap and GC normal, "
                  "and its submit-exec pool sits at 64/64 with a queue of 1-2 k. Only gw-a's access-log rt grows "
                  "(2-6 s); gw-b answers in ~55 ms. The ALB average response time therefore rises to ~1.8 s with "
                  "some 503/504s. The Lambda deploy is two minutes after the CPU climb started and touches neither "
                  "instance.")
    return sc


BUILDERS = [build07, build08]
