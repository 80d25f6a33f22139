"""h56-05, h56-06: a nightly batch that eats the database connections, and a cron that pins a web host."""
import datetime as dt

from . import logfmt as lf
from .core import Scenario
from .lambda_sim import LambdaFn


def s05_reconcile_connection_exhaustion():
    sc = Scenario(name="h56-05-payouts-db-connections", region="ap-southeast-2", seed=5605, tz_hours=10,
                  now_utc=dt.datetime(2026, 5, 9, 16, 55),
                  description="payouts-api returning 5xx to partners since about 02:35 AEST; 5XXError alarm.")
    rng = sc.rng
    db = "ledger-pg"
    sc.resource("rds", db, engine="postgres", engine_version="15.5", instance_class="db.r6g.large",
                max_connections=300, parameter_group="ledger-pg15", allocated_storage_gb=400)
    fn = LambdaFn(sc, "payouts-api-handler", "python3.12", 512, 10)
    sc.resource("lambda", fn.name, runtime="python3.12", timeout=10, memory_size=512, vpc=True)
    sc.resource("apigateway", "payouts-api", stage="prod", rest_api_id="p0u7x2a9qe")
    sc.resource("ecs", "batch/nightly-reconcile", launch_type="FARGATE", cpu=1024, memory=2048,
                log_groups=["/ecs/nightly-reconcile"], db_pool_size=20,
                autoscaling="step scaling on reconcile-jobs backlog, 0-12 tasks")
    fx = LambdaFn(sc, "fx-rate-refresher", "python3.12", 256, 60)
    sc.resource("lambda", fx.name, runtime="python3.12", timeout=60, memory_size=256, schedule="rate(15 minutes)")

    scale = [(-1502, 4), (-1441, 12)]
    for t, n in scale:
        sc.change(t, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "batch/nightly-reconcile",
                  "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.change(-1990, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              fx.name, "AWSReservedSSO_Developer_77aa10/tom.baker")
    fx.resets = [-1990]

    def tasks(m):
        n = 0
        for t, k in scale:
            if m >= t + 45:
                n = k
        return n

    base_conn = {m: rng.randint(61, 74) for m in sc.minutes()}
    want = {m: base_conn[m] + tasks(m) * 20 for m in sc.minutes()}
    conns = {m: min(rng.randint(297, 300), want[m]) for m in sc.minutes()}
    full = {m: want[m] >= 297 for m in sc.minutes()}

    counts, errs = {}, {}
    pg_events = []
    for m in sc.minutes():
        n = sc.poisson(sc.diurnal(m, 70, 7.5))
        counts[m], errs[m] = n, 0
        for _ in range(n):
            t = m + rng.uniform(0, 60)
            pid = f"po_{sc.hexid(12)}"
            lines = [(0.002, "INFO", f"POST /v1/payouts/{pid}/status partner={rng.choice(['wise', 'airwallex', 'payoneer'])}")]
            if full[m] and rng.random() < 0.82:
                err = {"type": "psycopg.OperationalError",
                       "message": "connection failed: connection to server at \"ledger-pg.cw1kq0vbx3ta.ap-southeast-2."
                                  "rds.amazonaws.com\" (10.20.3.117), port 5432 failed: FATAL:  remaining connection "
                                  "slots are reserved for non-replication superuser connections",
                       "trace": ['  File "/var/task/payouts/handler.py", line 38, in lambda_handler',
                                 '    with db.connect() as conn:',
                                 '  File "/var/task/payouts/db.py", line 19, in connect',
                                 '    return psycopg.connect(DSN, connect_timeout=3)',
                                 '  File "/var/task/psycopg/connection.py", line 748, in connect',
                                 '    raise last_ex.with_traceback(None)']}
                fn.add(t, rng.uniform(25, 60), "error", lines, mem=rng.randint(81, 90), err=err)
                errs[m] += 1
                pg_events.append((t + 0.01, lf.pg(sc, t + 0.01, "FATAL", "remaining connection slots are reserved "
                                  "for non-replication superuser connections", rng.randint(20000, 32000),
                                  (f"10.20.{rng.choice([11, 12])}.{rng.randint(5, 250)}", rng.randint(32768, 60999)),
                                  "payouts_app", "ledger")))
                continue
            if rng.random() < 0.06:
                lines.append((0.03, "ERROR", f"payout {pid} rejected by bank: beneficiary account closed (code AC04)"))
            dur = rng.uniform(35, 120)
            lines.append((dur / 1000 - 0.001, "INFO", "status=200"))
            fn.add(t, dur, "ok", lines, mem=rng.randint(81, 90))
    fn.emit_metrics()
    fn.emit_logs()
    a = {"ApiName": "payouts-api"}
    sc.series("AWS/ApiGateway", "Count", a, "Count", lambda m: counts[m] or None)
    sc.series("AWS/ApiGateway", "5XXError", a, "Count", lambda m: errs[m] if counts[m] else None)
    sc.series("AWS/ApiGateway", "4XXError", a, "Count", lambda m: sc.poisson(counts[m] * .02) if counts[m] else None)
    sc.series("AWS/ApiGateway", "Latency", a, "Milliseconds",
              lambda m: (rng.uniform(60, 140) if not full[m] else rng.uniform(70, 110)) if counts[m] else None)

    # reconcile workers: saturating their pools, retrying now and then with "too many clients"
    rec = []
    for k in range(12):
        task = sc.hexid(32)
        start = (scale[0][0] if k < 4 else scale[1][0]) + rng.uniform(40, 70)
        ev = [(start, f"{sc.stamp(start)},{rng.randint(100, 999)} INFO reconcile.main Starting nightly-reconcile "
                      f"worker (pool_size=20, max_overflow=0) for business date 2026-05-09")]
        t = start + rng.uniform(2, 4)
        while t < -5:
            b = rng.randint(4000, 4999)
            ev.append((t, f"{sc.stamp(t)},{rng.randint(100, 999)} INFO reconcile.worker Claimed batch {b} "
                          f"({rng.randint(480, 500)} accounts)"))
            t += rng.uniform(40, 95)
            ev.append((t, f"{sc.stamp(t)},{rng.randint(100, 999)} INFO reconcile.worker Batch {b} reconciled: "
                          f"{rng.randint(0, 3)} mismatches"))
            t += rng.uniform(0.5, 2)
        rec.append((task, ev))
    for task, ev in rec:
        sc.log("/ecs/nightly-reconcile", f"ecs/reconcile/{task}", ev)
    bd = {"ClusterName": "batch", "ServiceName": "nightly-reconcile"}
    sc.series("AWS/ECS", "CPUUtilization", bd, "Percent", lambda m: rng.uniform(38, 55) if tasks(m) else None)
    sc.series("AWS/ECS", "MemoryUtilization", bd, "Percent", lambda m: rng.uniform(41, 47) if tasks(m) else None)
    sc.series("ECS/ContainerInsights", "RunningTaskCount", bd, "Count", tasks)

    for t in range(-sc.history + 100, 0, 300):
        if t < sc.log_from:
            continue
        pg_events.append((t, lf.pg(sc, t, "LOG", "checkpoint starting: time", 411)))
        w = rng.randint(900, 4200) * (3 if tasks(t) else 1)
        pg_events.append((t + 29.8, lf.pg(sc, t + 29.8, "LOG", f"checkpoint complete: wrote {w} buffers "
                          f"({w / 1310.72:.1f}%); 0 WAL file(s) added, 0 removed, {rng.randint(1, 4)} recycled; "
                          f"write={rng.uniform(26, 29):.3f} s, sync={rng.uniform(0.002, 0.03):.3f} s, "
                          f"total={rng.uniform(29, 30):.3f} s", 411)))
    for m in sc.minutes(start=sc.log_from):
        if full[m] and rng.random() < 0.5:
            t = m + rng.uniform(0, 60)
            pg_events.append((t, lf.pg(sc, t, "FATAL", "sorry, too many clients already", rng.randint(20000, 32000),
                              (f"10.20.{rng.choice([11, 12])}.{rng.randint(5, 250)}", rng.randint(32768, 60999)),
                              "metabase_ro", "ledger")))
    sc.log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0", pg_events)

    rd = {"DBInstanceIdentifier": db}
    sc.series("AWS/RDS", "DatabaseConnections", rd, "Count", lambda m: conns[m])
    sc.series("AWS/RDS", "CPUUtilization", rd, "Percent", lambda m: rng.uniform(14, 22) + (26 if tasks(m) else 0))
    sc.series("AWS/RDS", "FreeableMemory", rd, "Bytes", lambda m: rng.uniform(5.1e9, 5.4e9) - conns[m] * 9.5e6)
    sc.series("AWS/RDS", "ReadLatency", rd, "Seconds", lambda m: rng.uniform(0.0007, 0.0013))
    sc.series("AWS/RDS", "WriteLatency", rd, "Seconds", lambda m: rng.uniform(0.0012, 0.0021))
    sc.series("AWS/RDS", "FreeStorageSpace", rd, "Bytes", lambda m: 188.2e9 - (m + 21600) * 1500)

    for t in range(-sc.history + 410, 0, 900):
        lines = [(0.01, "INFO", "Fetching AUD cross rates from provider (timeout=8s)"),
                 (0.62, "INFO", f"Stored 38 rates, as_of={sc.iso(t, 0)}")]
        fx.add(t, rng.uniform(650, 900), "ok", lines, mem=rng.randint(70, 78))
    fx.emit_metrics()
    fx.emit_logs()

    sc.alarm("payouts-api-5xx", "AWS/ApiGateway", "5XXError", a, "Sum", 300, 2, 10, "GreaterThanThreshold",
             description="Partner-facing payouts API server errors")
    sc.set_expect("payouts-api-5xx", "db_connection_exhaustion", [db],
                  [("AWS/RDS", "DatabaseConnections", rd), ("AWS/ApiGateway", "5XXError", a)])
    sc.notes = {
        "category": "db_connection_exhaustion", "origin": "front (API Gateway of a caller of the database)",
        "decoys": "fx-rate-refresher configuration change 8 min before onset (healthy); the autoscaling "
                  "UpdateService events on the batch (scale-out, not a deploy); steady 'beneficiary account "
                  "closed' ERROR lines; RDS CPU rises but stays far from saturation",
        "story": "At 02:30 AEST step scaling took batch/nightly-reconcile from 0 to 4 and then 12 tasks, each "
                 "with a fixed SQLAlchemy pool of 20 connections. DatabaseConnections on ledger-pg climbs from ~50 "
                 "to the 300 limit and stays flat there; PostgreSQL logs 'remaining connection slots are reserved' "
                 "and 'sorry, too many clients already', and payouts-api-handler, which opens a connection per "
                 "request, fails with the same FATAL so the partner API returns 5xx. The database ran out of "
                 "connections: db_connection_exhaustion on ledger-pg (the alarm is on the API in front).",
    }
    return sc


def s06_reports_cron_cpu():
    sc = Scenario(name="h56-06-reports-host-cpu", region="us-east-1", seed=5606, tz_hours=-4,
                  now_utc=dt.datetime(2026, 6, 3, 7, 35),
                  description="Reporting API slow for the European morning; ALB latency alarm.")
    rng = sc.rng
    hosts = {"i-0c3f5a7e91b2d4608": "reports-app-1", "i-05d2c8e1f7a39b264": "reports-app-2"}
    lb = "app/reports-alb/4b7e1c9d2a6f8e03"
    for iid, name in hosts.items():
        sc.resource("ec2", iid, name=name, instance_type="c6i.xlarge", vcpus=4,
                    log_groups=["/reports/nginx/access", "/reports/rails/production"]
                    + (["/reports/cron/monthly-rollup"] if name.endswith("1") else []))
    sc.resource("alb", lb, name="reports-alb", targets=list(hosts))
    sc.resource("rds", "reports-db", engine="mysql", engine_version="8.0.36", instance_class="db.r6g.xlarge",
                max_connections=2000, allocated_storage_gb=1000)
    mailer = LambdaFn(sc, "reports-pdf-mailer", "python3.12", 1024, 120)
    sc.resource("lambda", mailer.name, runtime="python3.12", timeout=120, memory_size=1024)
    sc.change(-5210, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              mailer.name, "github-actions-reports")
    mailer.resets = [-5210]
    hot, cool = list(hosts)
    onset = -2100

    req, lat, t5, e5 = {}, {}, {}, {}
    access = {iid: [] for iid in hosts}
    app = {iid: [] for iid in hosts}
    paths = ["/api/v2/reports/{}/rows", "/api/v2/dashboards/{}", "/api/v2/exports/{}/status"]
    uas = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/125.0 Safari/537.36",
           "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Version/17.4 Safari/605.1.15",
           "Tableau/2024.1 (Windows)", "python-requests/2.31.0"]
    for m in sc.minutes():
        n = sc.poisson(sc.diurnal(m, 60, 18, peak_hour=8.0))   # European users, local morning in the EU
        req[m], lat[m], t5[m], e5[m] = n, [], 0, 0
        for _ in range(n):
            t = m + rng.uniform(0, 60)
            iid = rng.choice([hot, cool])
            busy = iid == hot and t >= onset
            rt = rng.uniform(0.06, 0.35) * (rng.uniform(14, 36) if busy else 1)
            status = 200
            if busy and rng.random() < 0.05:
                rt, status = 60.0, 504
                e5[m] += 1
            lat[m].append(rt)
            path = rng.choice(paths).format(rng.randint(100, 9999))
            if t >= sc.log_from:
                ip = f"10.40.{rng.randint(1, 3)}.{rng.randint(10, 250)}"
                access[iid].append((t + rt, lf.nginx(sc, t + rt, ip, "GET", path, 499 if status == 504 else 200,
                                                     rng.randint(800, 64000), rng.choice(uas), rt,
                                                     None if status == 504 else rt - 0.002)))
                rid = sc.hexid(8)
                if status != 504:
                    app[iid].append((t + rt - 0.001, lf.rails(sc, t + rt - 0.001, "INFO", 2211 + (iid == cool),
                                     rid, f"Completed 200 OK in {rt * 1000:.0f}ms (Views: {rt * 90:.1f}ms | "
                                     f"ActiveRecord: {rt * 600:.1f}ms | Allocations: {rng.randint(4000, 90000)})")))
        for iid in hosts:                     # scanners hitting both hosts at the same steady rate
            if m >= sc.log_from and rng.random() < 0.35:
                t = m + rng.uniform(0, 60)
                rid = sc.hexid(8)
                app[iid].append((t, lf.rails(sc, t, "FATAL", 2211 + (iid == cool), rid,
                                 f"ActionController::RoutingError (No route matches [GET] \"/"
                                 f"{rng.choice(['wp-login.php', '.env', 'phpmyadmin/index.php', 'vendor/phpunit'])}\")")))
    for iid in hosts:
        sc.log("/reports/nginx/access", iid, access[iid])
        sc.log("/reports/rails/production", iid, app[iid])

    cron = [(onset + 2, f"[{sc.stamp(onset + 2)}] rollup.INFO: Monthly rollup for 2026-05 started "
                        f"(WORKERS=4, accounts=18211, source=reports-db)")]
    for w in range(4):
        for k in range(1, 40):
            t = onset + 5 + k * 29 + w * 3.1
            if t < -5:
                cron.append((t, f"[{sc.stamp(t)}] rollup.INFO: worker {w}: {k * 97000:,}/{3910000:,} fact rows "
                                f"aggregated ({rng.uniform(2.4, 3.4):.1f}k rows/s)"))
    sc.log("/reports/cron/monthly-rollup", hot, cron)

    def cpu(iid):
        def f(m):
            if iid == hot and m >= onset:
                return rng.uniform(97.2, 99.8)
            return rng.uniform(10, 19) * (0.6 + 0.4 * sc.diurnal(m, 1.3, 0.6, peak_hour=8))
        return f
    for iid in hosts:
        sc.metric("AWS/EC2", "CPUUtilization", {"InstanceId": iid}, "Percent",
                  [(t, cpu(iid)(t)) for t in range(-sc.history, 0, 300)])
        sc.metric("AWS/EC2", "NetworkIn", {"InstanceId": iid}, "Bytes",
                  [(t, rng.uniform(2.1e7, 3.0e7)) for t in range(-sc.history, 0, 300)])
        sc.series("AWS/EC2", "StatusCheckFailed", {"InstanceId": iid}, "Count", lambda m: 0)
        sc.series("CWAgent", "mem_used_percent", {"InstanceId": iid}, "Percent",
                  lambda m, i=iid: rng.uniform(58, 61) + (12 if i == hot and m >= onset else 0))
        sc.series("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": "xfs"}, "Percent",
                  lambda m: 41.2 + (m + 21600) / 21600 * 0.3)
    d = {"LoadBalancer": lb}
    sc.series("AWS/ApplicationELB", "RequestCount", d, "Count", lambda m: req[m] or None)
    sc.series("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds",
              lambda m: sum(lat[m]) / len(lat[m]) if lat[m] else None)
    sc.series("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", lambda m: 0 if req[m] else None)
    sc.series("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", lambda m: e5[m] if e5[m] else None)
    sc.series("AWS/ApplicationELB", "HealthyHostCount", d, "Count", lambda m: 2)
    sc.series("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", lambda m: 0)
    rd = {"DBInstanceIdentifier": "reports-db"}
    sc.series("AWS/RDS", "CPUUtilization", rd, "Percent",
              lambda m: rng.uniform(8, 14) + (21 if m >= onset else 0) + (6 if -7500 <= m < -6900 else 0))
    sc.series("AWS/RDS", "DatabaseConnections", rd, "Count", lambda m: rng.randint(38, 46) + (4 if m >= onset else 0))
    sc.series("AWS/RDS", "ReadLatency", rd, "Seconds", lambda m: rng.uniform(0.0008, 0.0015))
    sc.series("AWS/RDS", "FreeStorageSpace", rd, "Bytes", lambda m: 412e9 - (m + 21600) * 3000)

    for m in sc.minutes():
        for _ in range(sc.poisson(0.25)):
            t = m + rng.uniform(0, 60)
            rep = f"rpt_{sc.hexid(10)}"
            lines = [(0.01, "INFO", f"Rendering scheduled report {rep} ({rng.randint(2, 30)} pages)"),
                     (3.2, "INFO", f"Mailed {rep}.pdf to {rng.randint(1, 6)} recipients via SES")]
            mailer.add(t, rng.uniform(3300, 6200), "ok", lines, mem=rng.randint(300, 420))
    mailer.emit_metrics()
    mailer.emit_logs()

    sc.alarm("reports-alb-target-latency", "AWS/ApplicationELB", "TargetResponseTime", d, "Average", 60, 5, 1.5,
             "GreaterThanThreshold", description="Reporting API p-avg latency above 1.5 s")
    sc.set_expect("reports-alb-target-latency", "cpu_saturation", [hot, hosts[hot]],
                  [("AWS/EC2", "CPUUtilization", {"InstanceId": hot}),
                   ("AWS/ApplicationELB", "TargetResponseTime", d)])
    sc.notes = {
        "category": "cpu_saturation", "origin": "front (ALB latency; the saturated host is a target)",
        "decoys": "reports-pdf-mailer deploy 50 min before onset (healthy); reports-db CPU rises moderately "
                  "and had a snapshot bump earlier; FATAL RoutingError scanner noise on both hosts at a steady rate; "
                  "traffic growing with the European morning",
        "story": "At 03:00 EDT the monthly rollup cron started 4 workers on reports-app-1 only. Its CPU goes "
                 "from ~15 % to 97-100 % and stays pinned; requests routed to that host take 10-30x longer "
                 "(a few 504s at the ALB) while reports-app-2, at 15 % CPU, answers normally, so the ALB average "
                 "latency breaches. Request volume is the usual early-European rise, reports-db is far from "
                 "saturated. One host pinned at 100 % with the latency following it: cpu_saturation on "
                 "reports-app-1.",
    }
    return sc
