"""h79-05 (HR portal 500s: a month-end cron leaks connections on the shared MySQL) and h79-06
(audit API latency: another team's export job pinned one target's CPU)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import GRID, bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, mysql, nginx, serilog

from .kit import binom, cron_grid, lambda_set, meta, new, put, run_lambda, syslog_ts, ticks


# --------------------------------------------------------------------------- h79-05
def build05():
    sc = new(5, "hr-portal-500s", "HR self-service portal showing error pages at month end; ALB "
             "target 5XX alarm.", "sa-east-1", "2026-01-30T20:05:00+00:00")
    lb, db, fn = "app/hr-selfservice/3e9d1c07a4b25f81", "platform-mysql-shared", "payroll-export-cron"
    web = [("i-0b7e2a9c4d1f63058", "web-hrss-a", "10.70.2.41"), ("i-0c8f3b0d5e2a74169", "web-hrss-b", "10.70.3.17")]
    sc.resource("alb", lb, name="hr-selfservice", scheme="internal")
    for iid, name, ip in web:
        sc.resource("ec2", iid, name=name, instance_type="c6i.large", private_ip=ip,
                    log_groups=["/hrss/nginx/access", "/hrss/laravel"])
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
                max_connections=300, allocated_storage_gb=500)
    sc.resource("lambda", fn, runtime="python3.11", timeout=300, memory_size=1024,
                schedule="rate(2 minutes)")
    leak0, full = -4320, -2160
    conns = lambda t: min(300.0, 86 + 214 * max(0.0, (t - leak0) / (full - leak0))) if t > leak0 else 86
    sat = lambda t: ramp(t, full - 60, full + 60)
    put(sc, "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}, "Count",
        lambda t: conns(t) if conns(t) >= 299 else conns(t) + sc.rng.gauss(0, 3), noise=0.0, digits=0, cap=300)
    put(sc, "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Percent",
        lambda t: 24 * diurnal(sc, t, 19.0, 0.3) + bump(t, -15000, -14100, 38, 200) + 6 * ramp(t, leak0, leak0 + 300),
        noise=0.08)
    put(sc, "AWS/RDS", "FreeableMemory", {"DBInstanceIdentifier": db}, "Bytes",
        lambda t: 6.1e9 - 0.6e9 * ramp(t, leak0, full), noise=0.01, digits=0)
    put(sc, "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db}, "Bytes",
        lambda t: 311e9 - 2e5 * (t + 21600), noise=0.0005, digits=0)
    put(sc, "AWS/RDS", "ReadLatency", {"DBInstanceIdentifier": db}, "Seconds", lambda t: 0.0011, noise=0.15, digits=5)
    req = put(sc, "AWS/ApplicationELB", "RequestCount", {"LoadBalancer": lb}, "Count",
              lambda t: 150 * diurnal(sc, t, 18.0, 0.35), integer=True)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Count",
              binom(sc, req, lambda t: 0.002 + 0.68 * sat(t)))
    put(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Count", lambda t: 0.02, integer=True)
    put(sc, "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Seconds",
        lambda t: 0.21 - 0.08 * sat(t), noise=0.1, digits=4)
    for iid, _, _ in web:
        put(sc, "AWS/EC2", "CPUUtilization", {"InstanceId": iid}, "Percent",
            lambda t: 19 * diurnal(sc, t, 18.0, 0.35) - 5 * sat(t), noise=0.1)
    runs = cron_grid(2, 1)
    inv = [1.0 if t in runs else None for t in GRID]
    ferr = [(1.0 if t >= full + 120 and sc.rng.random() < 0.7 else 0.0) if v else None for t, v in zip(GRID, inv)]
    lambda_set(sc, fn, inv, ferr, [(sc.rng.gauss(41000, 6000) if t > leak0 else sc.rng.gauss(2600, 400))
                                   if v else None for t, v in zip(GRID, inv)])

    def cron_body(ll, t, r, is_err, cold):
        if t < leak0:
            return {"dur": sc.rng.gauss(2600, 400), "lines": [
                (0.02, ll.fmt(t, r, "INFO", "export window: 0 pending payslip batches")),
                (2.4, ll.fmt(t + 2.4, r, "INFO", "nothing to export"))]}
        n = sc.rng.randint(380, 520)
        lines = [(0.02, ll.fmt(t, r, "INFO", f"export window: {n} pending payslip batches (month-end)")),
                 (0.3, ll.fmt(t + 0.3, r, "INFO", "starting 12 export workers (one MySQL session each)"))]
        if is_err:
            lines.append((0.9, "[ERROR] OperationalError: (1040, 'Too many connections')\nTraceback (most "
                          "recent call last):\n  File \"/var/task/export/workers.py\", line 63, in _open\n"
                          "    conn = pymysql.connect(**DB_ARGS)\npymysql.err.OperationalError: (1040, "
                          "'Too many connections')"))
            return {"dur": sc.rng.gauss(1200, 200), "lines": lines, "status": "error",
                    "error_type": "OperationalError"}
        lines.append((38.0, ll.fmt(t + 38, r, "WARNING", f"{sc.rng.randint(3, 9)} workers still blocked "
                                   "on payroll.ledger_lines lock; returning without join")))
        lines.append((38.2, ll.fmt(t + 38.2, r, "INFO", f"exported {sc.rng.randint(20, 60)} batches")))
        return {"dur": sc.rng.gauss(41000, 6000), "lines": lines}

    ll = LambdaLogs(sc, fn, "python3.11", 1024, 300, mem_used=(230, 20))
    run_lambda(sc, ll, inv, ferr, cron_body)
    paths = ["/profile", "/payslips", "/leave/requests", "/api/org/manager", "/assets/app.js"]
    for iid, name, ip in web:
        for t in ticks(sc, lambda m: 2.5):
            p = sc.rng.choice(paths)
            dbp = not p.startswith("/assets")
            fail = dbp and sc.rng.random() < 0.85 * sat(t)
            st = 500 if fail else 200
            sc.log("/hrss/nginx/access", iid, t, nginx(sc, t, sc.ip("10.71"), "GET", p, st,
                                                       5120 if fail else sc.rng.randint(2000, 40000),
                                                       sc.rng.uniform(0.05, 0.3)))
            if fail:
                d = sc.at(t).strftime("%Y-%m-%d %H:%M:%S")
                uid = sc.rng.randint(1000, 9000)
                sc.log("/hrss/laravel", iid, t, f"[{d}] production.ERROR: SQLSTATE[HY000] [1040] Too many "
                       f"connections (Connection: mysql, SQL: select * from `employees` where `id` = {uid} limit 1) "
                       f"{{\"userId\":{uid},\"exception\":\"[object] (Illuminate\\\\Database\\\\QueryException(code: "
                       "1040): SQLSTATE[HY000] [1040] Too many connections at /var/www/hrss/vendor/laravel/"
                       "framework/src/Illuminate/Database/Connection.php:829)\"}")
        for t in ticks(sc, lambda m: 0.5):
            d = sc.at(t).strftime("%Y-%m-%d %H:%M:%S")
            sc.log("/hrss/laravel", iid, t, f"[{d}] production.WARNING: Undefined array key \"cost_center\" in "
                   "/var/www/hrss/app/Http/Controllers/ProfileController.php on line 212")
    g = f"/aws/rds/instance/{db}/error"
    for t in ticks(sc, lambda m: 0.12):
        sc.log(g, db, t, mysql(sc, t, sc.rng.randint(40000, 90000), "Note", "MY-010914", f"Aborted connection "
               f"{sc.rng.randint(40000, 90000)} to db: 'hrss' user: 'hrss_app' host: '10.70.{sc.rng.randint(2, 3)}."
               f"{sc.rng.randint(10, 60)}' (Got an error reading communication packets)."))
    for t in ticks(sc, lambda m: 0.02):
        sc.log(g, db, t, mysql(sc, t, 0, "Note", "MY-011953", "page_cleaner: 1000ms intended loop took "
                               f"{sc.rng.randint(1100, 4800)}ms. The settings might not be optimal.", "InnoDB"))

    sc.change(-2040, "elasticloadbalancing.amazonaws.com", "ModifyRule", "AWS::ElasticLoadBalancingV2::ListenerRule",
              "hr-selfservice/https-443/rule-7", "k.santos@corp-sso")
    sc.change(-13900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "people-tech-ci")
    sc.alarm("hr-selfservice-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 20, "GreaterThanThreshold", "HR portal target 5xx")
    sc.alarm("payroll-export-cron-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 600, 1, 2,
             "GreaterThanThreshold")
    sc.alarm("platform-mysql-shared-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db},
             "Average", 300, 3, 80, "GreaterThanThreshold")
    sc.expect = {"alarm": "hr-selfservice-target-5xx",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    meta(sc, category="db_connection_exhaustion", resources=[db], front="front (ALB)",
         services="ALB, EC2 (PHP/Laravel + nginx access log), RDS MySQL (error log), Lambda (Python cron)",
         decoys="ALB listener-rule edit 2 min after onset; long-standing PHP undefined-key warnings; "
                "second alarm on the cron Lambda; old RDS CPU bump",
         story="From about -72 min the shared MySQL's connections climb from ~86 by ~12 every two "
               "minutes. Each month-end run of `payroll-export-cron` opens 12 sessions and returns "
               "without joining its blocked workers. At -36 min the count reaches `max_connections` "
               "(300) and stays there. From then on the portal's Laravel logs `SQLSTATE[HY000] [1040] "
               "Too many connections` and ~68 % of ALB requests end in 5xx. The cron's own runs then "
               "fail with the same 1040, which raises a second alarm. The listener-rule edit comes "
               "after the onset and does not explain 1040s. RDS CPU stays around 30 %.")
    return sc


# --------------------------------------------------------------------------- h79-06
def build06():
    sc = new(6, "audit-api-latency", "Audit-trail API slow for all internal consumers; ALB target "
             "response time alarm.", "ap-northeast-1", "2026-02-17T05:50:00+00:00")
    lb, db = "app/int-audit/5b2e8f1a9c7d3046", "audit-archive-db"
    a, b = ("i-0e1d4c7b2a9f58360", "audit-api-1"), ("i-03a6f9c2e5b8d1470", "audit-api-2")
    sc.resource("alb", lb, name="int-audit", scheme="internal")
    for iid, name in (a, b):
        sc.resource("ec2", iid, name=name, instance_type="c6a.xlarge", runtime="dotnet8 (Kestrel)",
                    log_groups=["/ec2/audit-api/app", "/ec2/audit-api/syslog"])
    sc.resource("rds", db, engine="postgres", engine_version="15.6", instance_class="db.m6g.large",
                max_connections=400, allocated_storage_gb=800)
    on = -2880
    hot = lambda t: ramp(t, on, on + 120)
    put(sc, "AWS/EC2", "CPUUtilization", {"InstanceId": a[0]}, "Percent",
        lambda t: min(99.6, 33 * diurnal(sc, t, 5.0, 0.3) + 70 * hot(t)), noise=0.03, cap=100.0)
    put(sc, "AWS/EC2", "CPUUtilization", {"InstanceId": b[0]}, "Percent",
        lambda t: 33 * diurnal(sc, t, 5.0, 0.3), noise=0.06)
    for iid, _ in (a, b):
        put(sc, "CWAgent", "mem_used_percent", {"InstanceId": iid}, "Percent",
            lambda t, i=iid: 52 + (9 * hot(t) if i == a[0] else 0), noise=0.02)
        put(sc, "AWS/EC2", "NetworkIn", {"InstanceId": iid}, "Bytes", lambda t: 3.4e7, noise=0.12, digits=0)
    req = put(sc, "AWS/ApplicationELB", "RequestCount", {"LoadBalancer": lb}, "Count",
              lambda t: 420 * diurnal(sc, t, 5.0, 0.3), integer=True)
    put(sc, "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Seconds",
        lambda t: 0.062 + 1.9 * hot(t), noise=0.09, digits=4)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Count",
              binom(sc, req, lambda t: 0.0015 + 0.012 * hot(t)))
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Count",
              binom(sc, req, lambda t: 0.0002 + 0.02 * hot(t)))
    put(sc, "AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": lb}, "Count", lambda t: 2.0, noise=0.0)
    dd = {"DBInstanceIdentifier": db}
    put(sc, "AWS/RDS", "CPUUtilization", dd, "Percent", lambda t: 17 + bump(t, -6300, -5700, 48, 150), noise=0.08)
    put(sc, "AWS/RDS", "DatabaseConnections", dd, "Count", lambda t: 64.0, noise=0.04, digits=0)
    put(sc, "AWS/RDS", "ReadLatency", dd, "Seconds", lambda t: 0.0016, noise=0.15, digits=5)
    put(sc, "AWS/RDS", "FreeStorageSpace", dd, "Bytes", lambda t: 4.1e11, noise=0.0005, digits=0)

    paths = ["/api/audit/events", "/api/audit/events/search", "/api/audit/export/status", "/health"]
    for iid, name in (a, b):
        slow = iid == a[0]
        for t in ticks(sc, lambda m: 3.0):
            p = sc.rng.choice(paths)
            ms = sc.rng.lognormvariate(3.7, 0.4) * (1 + (48 * hot(t) * sc.rng.uniform(0.6, 1.4) if slow else 0))
            st = 500 if sc.rng.random() < 0.004 else 200
            sc.log("/ec2/audit-api/app", iid, t, serilog(sc, t, "INF", "Serilog.AspNetCore.RequestLoggingMiddleware",
                                                         f"HTTP GET {p} responded {st} in {ms:.4f} ms"))
        for t in ticks(sc, lambda m: 0.15):
            sc.log("/ec2/audit-api/app", iid, t, serilog(sc, t, "ERR", "Audit.Api.Ingest.BatchIngestor",
                   'Rejected event batch from source "legacy-hr": schema version 1 is no longer supported'))
        if slow:
            for t in ticks(sc, lambda m: 1.4 * hot(m), on):
                d = sc.at(t - 3).strftime("%m/%d/%Y %H:%M:%S")
                sc.log("/ec2/audit-api/app", iid, t, serilog(sc, t, "WRN", "Microsoft.AspNetCore.Server.Kestrel",
                       f'Heartbeat took longer than "00:00:01" at "{d} +00:00". This might be caused by '
                       "thread pool starvation."))
        host = f"ip-10-12-{5 if slow else 6}-{88 if slow else 140}"
        for t in ticks(sc, lambda m: 0.2):
            s = syslog_ts(sc, t)
            sc.log("/ec2/audit-api/syslog", iid, t, f"{s} {host} CROND[{sc.rng.randint(20000, 30000)}]: "
                   "(root) CMD (/usr/lib64/sa/sa1 1 1)")
        if slow:
            s = syslog_ts(sc, on - 4)
            sc.log("/ec2/audit-api/syslog", iid, on - 4, f"{s} {host} CROND[22141]: (svc-reports) CMD "
                   "(/opt/reports/bin/export-quarterly --all-tenants --parallel 8 >> /var/log/reports/export.log 2>&1)")
            for t in ticks(sc, lambda m: 0.5, on):
                s = syslog_ts(sc, t)
                sc.log("/ec2/audit-api/syslog", iid, t, f"{s} {host} export-quarterly[22143]: tenant "
                       f"{sc.rng.randint(1, 212)}/212 compressed {sc.rng.randint(200, 900)}k rows (zstd -19)")

    sc.change(-2700, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", db, "dba-automation")
    sc.change(-11200, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", a[0], "h.tanaka@corp-sso")
    sc.alarm("int-audit-target-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 5, 0.5, "GreaterThanThreshold", "Audit API average target response time")
    sc.alarm("audit-archive-db-cpu", "AWS/RDS", "CPUUtilization", dd, "Average", 300, 1, 55, "GreaterThanThreshold")
    sc.alarm("int-audit-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb},
             "Sum", 300, 1, 25, "GreaterThanThreshold")
    sc.expect = {"alarm": "int-audit-target-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [a[0], a[1]]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": a[0]}}]}
    meta(sc, category="cpu_saturation", resources=[a[0], a[1]], front="front (ALB)",
         services="ALB, EC2 (.NET Kestrel/Serilog, syslog cron), RDS Postgres",
         decoys="ModifyDBInstance on the API's database 3 min after onset; long-standing schema-rejection "
                "ERR lines; DB CPU bump and alarm earlier; a tag change on the hot instance",
         story="Average target response time goes from ~60 ms to ~2 s at -48 min. Only `audit-api-1` "
               "changes: its CPU goes from ~35 % to a flat 99 % while `audit-api-2` stays at ~35 %. "
               "Its requests take seconds, and Kestrel logs `Heartbeat took longer than \"00:00:01\"` "
               "(thread-pool starvation). Syslog shows cron starting `export-quarterly --all-tenants "
               "--parallel 8` as `svc-reports` four seconds before the onset. That job belongs to "
               "another team and now shares the host. The ModifyDBInstance on the API's Postgres comes "
               "three minutes later, and the database's CPU, latency and connections stay flat. The "
               "schema-rejection ERR lines were there all along.")
    return sc


BUILDERS = [build05, build06]
