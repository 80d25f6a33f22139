"""Database-origin incidents: a parameter-group change two hops behind an ALB, MySQL connection exhaustion
two hops behind API Gateway, Postgres connection exhaustion (alarm on the DB), Postgres CPU saturation."""
from __future__ import annotations

import numpy as np

from .common import N, T, Gen, after, alarm, anomaly, between, build, change, find_metric, iso_ms, log, py_ts, ramp
from .services import (alb_set, apigw_set, ec2_set, ecs_set, lambda_duration, lambda_logs, lambda_set,
                       mysql_line, nginx_access, pg_checkpoints, pg_line, rds_set)


def h04_reports_statement_timeout():
    g = Gen(604)
    region, lb, db, pg = "eu-central-1", "app/reports-alb/8f2c1d9e0a7b3c45", "reports-db", "reports-pg15-custom"
    iid, name = "i-0c4e7a91b2d3f5a60", "reports-app-1"
    chg, onset = -2460.0, -2400.0
    req = g.counts(g.daily(210, 40, 6, phase=0.8))
    exports = g.counts(np.full(N, 9.0))            # heavy export requests per minute
    fail = np.where(after(onset), g.r.binomial(exports.astype(int), 0.7), 0).astype(float)
    t5 = g.counts(req * 0.0008) + fail
    trt = g.level(0.21, 0.03, 0.05)
    trt[after(onset)] = g.level(0.15, 0.02, 0.05)[after(onset)]   # failing exports return faster
    metrics = alb_set(g, lb, req, t5xx=t5, trt=trt, hosts=1)
    metrics += ec2_set(g, iid, cpu=g.level(31, 4, 1, 100), net=g.level(5.1e6, 6e5, 1e5))
    rcpu = g.level(38, 5, 1, 100)
    rcpu[after(onset)] = g.level(24, 4, 1, 100)[after(onset)]
    metrics += rds_set(g, db, storage_gb=500, mem_gb=16, cpu=rcpu, conn=np.round(g.level(32, 3, 0)))
    # logs -----------------------------------------------------------------------------------
    app, acc, pgl = [], [], pg_checkpoints(g)
    for i in range(N):
        t0 = float(T[i])
        if t0 < -10800:
            continue
        for _ in range(int(fail[i])):
            t = t0 + g.uniform(0, 60)
            rid = g.int(100000, 999999)
            app.append((t, f"{py_ts(t)} ERROR [reports.export] request_id={rid} export failed for account "
                           f"{g.int(1000, 9999)}: psycopg2.errors.QueryCanceled: canceling statement due to "
                           f"statement timeout"))
            acc.append((t + 0.01, nginx_access(g, t, f"/api/reports/export?range=90d&fmt=csv", 500, g.uniform(3.0, 3.1))))
            pid = g.int(2000, 32000)
            pgl.append((t - 0.02, pg_line(t - 0.02, "ERROR:  canceling statement due to statement timeout",
                                          "reports_app@reports", pid, f"10.20.1.{g.int(10, 60)}({g.int(40000, 60000)})")))
            pgl.append((t - 0.019, pg_line(t - 0.019, "STATEMENT:  SELECT a.account_id, date_trunc('day', e.ts) AS d, "
                                                      "count(*) FROM events e JOIN accounts a USING (account_id) WHERE "
                                                      "e.ts >= now() - interval '90 days' GROUP BY 1, 2 ORDER BY 1, 2",
                                           "reports_app@reports", pid, f"10.20.1.{g.int(10, 60)}({g.int(40000, 60000)})")))
        for _ in range(int(exports[i] - fail[i])):
            t = t0 + g.uniform(0, 60)
            acc.append((t, nginx_access(g, t, "/api/reports/export?range=90d&fmt=csv", 200, g.uniform(4.5, 12.0))))
        for _ in range(4):
            t = t0 + g.uniform(0, 60)
            path = g.choice(["/api/reports/list", "/api/reports/summary", "/healthz", "/api/dashboards/12"])
            acc.append((t, nginx_access(g, t, path, 200, g.uniform(0.01, 0.3))))
        if g.chance(0.25):  # old, constant noise
            t = t0 + g.uniform(0, 60)
            app.append((t, f"{py_ts(t)} ERROR [reports.mail] Failed to send scheduled report e-mail: "
                           f"smtplib.SMTPServerDisconnected: Connection unexpectedly closed"))
        if g.chance(0.5):
            t = t0 + g.uniform(0, 60)
            app.append((t, f"{py_ts(t)} INFO [reports.jobs] scheduled report {g.int(100, 999)} queued"))
    pgl.append((chg + 38, pg_line(chg + 38, "LOG:  received SIGHUP, reloading configuration files", pid=412)))
    pgl.append((chg + 38.01, pg_line(chg + 38.01, "LOG:  parameter \"statement_timeout\" changed to \"3000\"", pid=412)))
    logs = [log("/reports/app", iid, app), log("/reports/nginx/access", iid, acc),
            log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0", pgl)]
    al = alarm("reports-alb-target-5xx", find_metric(metrics, "HTTPCode_Target_5XX_Count", LoadBalancer=lb),
               "Sum", 300, 1, 10, description="Reports ALB target 5XX")
    changes = [change(chg, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", pg,
                      "marc.weber"),
               change(-15800, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", iid, "marc.weber")]
    resources = [{"type": "alb", "id": lb, "properties": {"name": "reports-alb"}},
                 {"type": "ec2", "id": iid, "properties": {"name": name, "instance_type": "m6i.large",
                                                           "log_groups": ["/reports/app", "/reports/nginx/access"]}},
                 {"type": "rds", "id": db, "properties": {"engine": "postgres", "instance_class": "db.r6g.large",
                                                          "allocated_storage_gb": 500, "parameter_group": pg}}]
    return build("h6-04-reports-statement-timeout", "Report exports failing with 500s; reports ALB 5XX alarm.",
                 region, resources, metrics, logs, [al], changes,
                 alarm_name=al["name"], category="config_change", accepted=[db, pg],
                 anomalies=[anomaly(find_metric(metrics, "HTTPCode_Target_5XX_Count", LoadBalancer=lb))],
                 decoys="SMTPServerDisconnected ERROR lines at a constant rate on the app host; RDS CPU drops (looks "
                        "like an improvement); a harmless CreateTags on the instance",
                 story="A DBA lowered statement_timeout to 3 s in the custom parameter group of reports-db "
                       "(ModifyDBParameterGroup; postgres logs the SIGHUP reload and the new value). The 90-day CSV "
                       "export query takes 5-12 s, so most exports are now cancelled (`canceling statement due to "
                       "statement timeout`) and reports-app-1 returns 500s through the ALB. The app host is only a "
                       "victim; the origin is two hops from the alarm.")


def h06_accounts_mysql_connections():
    g = Gen(606)
    region, api, api_id, fn, db = "us-east-1", "accounts-api", "k3j9x0p2m4", "accounts-handler", "accounts-db"
    onset = -2220.0
    host = "accounts-db.cbq2xk8hzv1p.us-east-1.rds.amazonaws.com"
    req = g.counts(g.daily(19, 3, 0.8, phase=1.2))
    conn = np.round(g.level(46, 4, 0))
    conn = np.round(ramp(conn, onset - 300, onset + 60, 150))
    conn[after(onset + 60)] = np.minimum(150, 148 + g.r.integers(0, 3, int(after(onset + 60).sum())))
    p_err = np.where(after(onset), 0.5, 0.0)
    inv = req.copy()
    err = g.r.binomial(inv.astype(int), p_err).astype(float)
    to_frac = 0.25  # of the failures: timed out while retrying the connect
    slow = np.where(after(onset), 0.5 * 10000 * to_frac + 0.5 * 1100 + 0.5 * 180, 160.0)
    dur = lambda_duration(g, inv, 160, 50, slow=slow)
    conc = np.where(after(onset), g.level(24, 4, 1), g.level(2, 1, 0))

    def body(g, t, rid, failing):
        acct = f"acc_{g.hexid(8)}"
        lines = [(0.003, "INFO", f"GET /accounts/{acct}")]
        if failing and g.chance(to_frac):
            return lines + [(0.01, "WARNING", f"DB connect attempt 1 to {host} failed, retrying in 2s")], 10000.0, "timeout"
        if failing:
            tb = ("Unhandled exception\nTraceback (most recent call last):\n"
                  "  File \"/var/task/app.py\", line 31, in handler\n"
                  "    conn = pymysql.connect(host=DB_HOST, user=DB_USER, password=pw, database=\"accounts\", connect_timeout=3)\n"
                  "  File \"/var/task/pymysql/connections.py\", line 361, in __init__\n"
                  "    self.connect()\n"
                  "pymysql.err.OperationalError: (1040, 'Too many connections')")
            return lines + [(1.05, "ERROR", tb)], g.uniform(900, 1300), "error"
        d = max(40.0, g.r.normal(170, 50))
        return lines + [(d / 1000 - 0.004, "INFO", f"200 {acct} in {int(d)} ms")], d, "ok"

    logs = lambda_logs(g, fn, inv, err, body, mem=512, timeout=10, base_mem=88)
    ml = []
    for t in np.sort(g.r.uniform(-21600, 0, 150)):   # steady background noise on the DB log
        ml.append((t, mysql_line(t, "Note", "MY-010914", f"Aborted connection {g.int(100000, 999999)} to db: "
                                 f"'accounts' user: 'accounts_app' host: '10.0.{g.int(1, 4)}.{g.int(10, 250)}' "
                                 "(Got timeout reading communication packets).", g.int(100000, 999999))))
    logs.append(log(f"/aws/rds/instance/{db}/error", f"{db}", ml))
    c4 = g.counts(req * 0.03)
    c5 = g.counts(req * 0.0005) + err
    lat = np.where(after(onset), g.level(2900, 500, 100), g.level(210, 30, 50))
    metrics = apigw_set(g, api, req, c4=c4, c5=c5, lat=lat) + lambda_set(g, fn, inv, err, dur, conc=conc)
    rcpu = g.level(21, 3, 1, 100)
    rcpu[after(onset)] += 9
    metrics += rds_set(g, db, storage_gb=200, mem_gb=2, cpu=rcpu, conn=conn)
    al = alarm("accounts-api-5xx", find_metric(metrics, "5XXError", ApiName=api), "Sum", 60, 3, 3,
               description="accounts-api 5XX")
    changes = [change(-12600, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", db, "dba-oncall")]
    resources = [{"type": "apigateway", "id": api},
                 {"type": "lambda", "id": fn, "properties": {"runtime": "python3.12", "timeout": 10, "memory_size": 512}},
                 {"type": "rds", "id": db, "properties": {"engine": "mysql", "max_connections": 150}}]
    return build("h6-06-accounts-mysql-connections", "Account pages erroring for customers; accounts-api 5XX alarm.",
                 region, resources, metrics, logs, [al], changes,
                 alarm_name=al["name"], category="db_connection_exhaustion", accepted=[db],
                 anomalies=[anomaly(find_metric(metrics, "DatabaseConnections", DBInstanceIdentifier=db)),
                            anomaly(find_metric(metrics, "5XXError", ApiName=api))],
                 decoys="accounts-handler itself times out (victim); steady 401/4XX rate; 'Aborted connection' notes "
                        "in the MySQL error log all day; ModifyDBInstance 3.5 h earlier",
                 story="accounts-db (MySQL, max_connections 150) runs out of connections: DatabaseConnections ramps "
                       "from ~46 to 150 and stays pinned. accounts-handler gets `(1040, 'Too many connections')` on "
                       "half its requests and some invocations time out while retrying the connect, so API Gateway "
                       "returns 5XX. The function is linked to the DB only by the host name in its log lines. The "
                       "alarm is two hops from the origin.")


def h07_cart_pg_connections():
    g = Gen(607)
    region, db, svc, lb = "eu-west-2", "cart-db", "shop/cart-svc", "app/cart-alb/2b7e15a9c4d30f81"
    onset = -1680.0
    conn = np.round(g.level(58, 5, 0))
    conn = np.round(ramp(conn, -3900, onset, 197))
    conn[after(onset)] = np.minimum(200, 196 + g.r.integers(0, 5, int(after(onset).sum())))
    req = g.counts(g.daily(640, 90, 20, phase=0.5))
    fail = np.where(after(onset), g.r.binomial(req.astype(int), 0.06), 0).astype(float)
    t5 = g.counts(req * 0.0007) + fail
    trt = g.level(0.07, 0.01, 0.02)
    trt[after(onset)] = g.level(0.55, 0.08, 0.05)[after(onset)]
    rcpu = g.level(22, 3, 1, 100)
    rcpu[between(-15300, -14100)] += 35     # nightly VACUUM ANALYZE window (benign)
    metrics = rds_set(g, db, storage_gb=200, mem_gb=8, cpu=rcpu, conn=conn)
    metrics += ecs_set(g, svc, 6, cpu=g.level(34, 4, 1, 100)) + alb_set(g, lb, req, t5xx=t5, trt=trt, hosts=6)
    pgl = pg_checkpoints(g)
    for t in np.sort(g.r.uniform(-15300, -14100, 14)):
        pgl.append((t, pg_line(t, f"LOG:  automatic vacuum of table \"cart.public.cart_items\": index scans: 1",
                               pid=g.int(20000, 30000))))
    ecs = []
    for i in range(N):
        t0 = float(T[i])
        if t0 < -10800:
            continue
        task = g.choice(["3f9c1a7e0b2d4e6f8a1b2c3d4e5f6071", "9a8b7c6d5e4f30211a2b3c4d5e6f7081",
                         "c1d2e3f4a5b60718293a4b5c6d7e8f90"])
        if g.chance(0.35):  # constant background warning
            t = t0 + g.uniform(0, 60)
            ecs.append((t, f"{iso_ms(t)} WARN [cart-svc] redis GET cart:session slow ({g.int(120, 400)}ms)"))
        for _ in range(2):
            t = t0 + g.uniform(0, 60)
            ecs.append((t, f"{iso_ms(t)} INFO [cart-svc] {g.choice(['GET', 'POST'])} /cart/items 200 {g.int(8, 90)}ms"))
        if t0 >= onset:
            for _ in range(g.int(3, 7)):
                t = t0 + g.uniform(0, 60)
                ip = f"10.40.{g.int(1, 3)}.{g.int(10, 250)}({g.int(30000, 60000)})"
                which = g.choice(["sorry, too many clients already",
                                  "remaining connection slots are reserved for non-replication superuser connections"])
                ecs.append((t, f"{iso_ms(t)} ERROR [cart-svc] POST /cart/items 500 - SequelizeConnectionError: {which}"))
                pgl.append((t - 0.01, pg_line(t - 0.01, f"FATAL:  {which}", "cart_app@cart", g.int(2000, 32000), ip)))
        elif t0 >= -3900 and g.chance((t0 + 3900) / 2220 * 0.6):
            t = t0 + g.uniform(0, 60)
            ecs.append((t, f"{iso_ms(t)} WARN [cart-svc] pg pool: waiting for idle client (pool size 30, "
                           f"waiting {g.int(1, 9)})"))
    logs = [log("/ecs/cart-svc", f"ecs/cart-svc/{task}", ecs), log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0", pgl)]
    al = alarm("cart-db-connections-high", find_metric(metrics, "DatabaseConnections", DBInstanceIdentifier=db),
               "Maximum", 60, 3, 190, description="cart-db connections near max_connections (200)")
    changes = [change(-18900, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "spinnaker")]
    resources = [{"type": "rds", "id": db, "properties": {"engine": "postgres", "instance_class": "db.m6g.large",
                                                          "max_connections": 200}},
                 {"type": "ecs", "id": svc, "properties": {"cluster": "shop", "desired_count": 6}},
                 {"type": "alb", "id": lb, "properties": {"name": "cart-alb"}}]
    return build("h6-07-cart-pg-connections", "cart-db connection count alarm; basket updates intermittently failing.",
                 region, resources, metrics, logs, [al], changes,
                 alarm_name=al["name"], category="db_connection_exhaustion", accepted=[db],
                 anomalies=[anomaly(find_metric(metrics, "DatabaseConnections", DBInstanceIdentifier=db))],
                 decoys="nightly VACUUM CPU spike on cart-db 4 h earlier; constant slow-redis WARN in cart-svc; a "
                        "cart-svc UpdateService 5 h earlier; cart-svc 500s are a symptom",
                 story="Connections on cart-db (max_connections 200) creep up over an hour as sessions are left "
                       "idle in cart-svc's pools, then pin at the limit. Postgres logs `sorry, too many clients "
                       "already` / reserved-slots FATALs and cart-svc returns 500s through the ALB. The alarm is on "
                       "the origin itself.")


def h12_analytics_cpu():
    g = Gen(612)
    region, db, fn, other = "ca-central-1", "analytics-db", "dashboards-api", "nightly-export"
    onset = -2040.0
    host = "analytics-db.c7xw2nq4lmrd.ca-central-1.rds.amazonaws.com"
    cpu = g.level(27, 4, 1, 100)
    cpu = ramp(cpu, onset, onset + 240, 97.5)
    cpu[after(onset + 240)] = np.clip(g.r.normal(97.5, 1.6, int(after(onset + 240).sum())), 88, 100)
    rlat = g.level(0.0012, 0.0002, 0.0003)
    rlat[after(onset)] = g.level(0.0085, 0.002, 0.001)[after(onset)]
    metrics = rds_set(g, db, storage_gb=1000, mem_gb=32, cpu=cpu, rlat=rlat, conn=np.round(g.level(38, 4, 0)))
    inv = g.counts(g.daily(8, 2, 0.4, phase=0.6))
    slow = np.where(after(onset + 120), 7400.0, 650.0)
    p_to = np.where(after(onset + 120), 0.18, 0.0)
    err = g.r.binomial(inv.astype(int), p_to).astype(float)
    dur = lambda_duration(g, inv, 650, 180, slow=slow)

    def body(g, t, rid, failing):
        dash = g.int(1, 60)
        if failing:
            return [(0.003, "INFO", f"Rendering dashboard {dash}")], 15000.0, "timeout"
        hot = T[min(N - 1, int((t + 21600) // 60))] >= onset + 120
        d = max(150.0, g.r.normal(6200 if hot else 650, 2200 if hot else 180))
        return [(0.003, "INFO", f"Rendering dashboard {dash}"),
                (d / 1000 - 0.01, "INFO", f"Dashboard {dash}: 6 widgets, queries took {int(d - 40)} ms")], d, "ok"

    logs = lambda_logs(g, fn, inv, err, body, mem=512, timeout=15, base_mem=110)
    inv2 = g.counts(np.full(N, 1.0))
    err2 = inv2 * (g.r.random(N) < 0.5)
    dur2 = lambda_duration(g, inv2, 2100, 300)

    def body2(g, t, rid, failing):
        if failing:
            return [(0.01, "ERROR", "Export partner=northwind failed: botocore.exceptions.ClientError: An error "
                                    "occurred (NoSuchBucket) when calling the PutObject operation: The specified "
                                    "bucket does not exist")], g.uniform(1800, 2400), "error"
        return [(0.01, "INFO", f"Exported {g.int(1000, 90000)} rows for partner=contoso")], \
            max(500.0, g.r.normal(2100, 300)), "ok"

    logs += lambda_logs(g, other, inv2, err2, body2, mem=1024, timeout=300, base_mem=210)
    metrics += lambda_set(g, fn, inv, err, dur) + lambda_set(g, other, inv2, err2, dur2)
    pgl = pg_checkpoints(g)
    for t in np.sort(np.concatenate([g.r.uniform(-21600, onset, 12), g.r.uniform(onset, 0, 160)])):
        ms = g.uniform(1100, 3000) if t < onset else g.uniform(9000, 42000)
        stmt = ("SELECT s.tenant_id, count(DISTINCT s.user_id), percentile_cont(0.95) WITHIN GROUP (ORDER BY "
                "e.latency_ms) FROM sessions s JOIN events e ON e.session_id = s.id WHERE e.ts > now() - interval "
                "'30 days' GROUP BY s.tenant_id") if t >= onset else \
            "SELECT tenant_id, sum(events) FROM daily_rollup WHERE day > current_date - 7 GROUP BY 1"
        pgl.append((t, pg_line(t, f"LOG:  duration: {ms:.3f} ms  statement: {stmt}", "dash_ro@analytics",
                               g.int(2000, 32000), f"10.60.2.{g.int(10, 200)}({g.int(30000, 60000)})")))
    logs.append(log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0", pgl))
    al = alarm("analytics-db-cpu-high", find_metric(metrics, "CPUUtilization", DBInstanceIdentifier=db), "Average",
               300, 2, 90, description="analytics-db CPU > 90%")
    changes = [change(-20100, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
                      "AWS::Lambda::Function", other, "data-eng")]
    resources = [{"type": "rds", "id": db, "properties": {"engine": "postgres", "instance_class": "db.r6g.xlarge"}},
                 {"type": "lambda", "id": fn, "properties": {"runtime": "python3.12", "timeout": 15, "memory_size": 512,
                                                             "environment": {"DB_HOST": host}}},
                 {"type": "lambda", "id": other, "properties": {"runtime": "python3.12", "timeout": 300}}]
    return build("h6-12-analytics-cpu", "analytics-db CPU alarm; customer dashboards very slow.",
                 region, resources, metrics, logs, [al], changes,
                 alarm_name=al["name"], category="cpu_saturation", accepted=[db],
                 anomalies=[anomaly(find_metric(metrics, "CPUUtilization", DBInstanceIdentifier=db))],
                 decoys="nightly-export fails every other run with NoSuchBucket all day; dashboards-api timeouts "
                        "are a symptom; an old config change on nightly-export",
                 story="A new tenant-wide 30-day percentile query from the dashboards starts running against "
                       "analytics-db; postgres logs 9-42 s executions and CPU pins at ~97 %. ReadLatency rises and "
                       "dashboards-api (linked through DB_HOST) slows to seconds with some 15 s timeouts. "
                       "nightly-export's NoSuchBucket error is old and unrelated.")
