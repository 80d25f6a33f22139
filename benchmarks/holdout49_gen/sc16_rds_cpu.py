"""h49-16: a BI dashboard (Metabase) auto-refreshing heavy 90-day aggregations pins the
CPU of analytics-db (2 vCPU); the reports API behind it slows to seconds and its Lambda
hits the 20 s statement_timeout. Nobody alarms on the DB itself; Performance Insights and
Enhanced Monitoring are off; the Postgres log only has statements over 5 s. An alarm on
a removed provisioned-concurrency alias is INSUFFICIENT_DATA."""
from __future__ import annotations

from .common import Clock, Rng, alarm, change, expect, log_stream, metric, pts, ramp, scenario
from .lambda_sim import Inv, lambda_logs, lambda_metrics, py_line, simulate

NOW = "2026-03-14T12:50:00"
REGION = "us-east-2"
DB = "analytics-db"
FN = "reports-query"
ONSET = -2400
ETL = (-14400, -13200)
LOG_FROM = -7200
MB_SQL = ('SELECT "source"."customer_region" AS "customer_region", count(distinct "source"."session_id") AS "count" '
          'FROM (SELECT e.*, s.customer_region FROM "public"."events" e LEFT JOIN "public"."sessions" s ON e.session_id = s.id '
          "WHERE e.created_at >= now() - interval '90 days') \"source\" GROUP BY 1 ORDER BY 1 ASC")
APP_SQL = ("SELECT date_trunc('day', o.created_at) AS day, sum(o.total) FROM orders o WHERE o.account_id = $1 "
           "AND o.created_at >= $2 GROUP BY 1 ORDER BY 1")


def build():
    rng = Rng(4916)
    clock = Clock(NOW)
    hot = lambda t: t >= ONSET + 60
    pg_t = lambda t: clock.fmt(t, "%Y-%m-%d %H:%M:%S UTC")

    def query(t, rid):
        rep = rng.choice(["daily-revenue", "top-products", "cohort-retention", "refunds"])
        acct = rng.randint(1000, 9999)
        lines = [(0.003, py_line(clock, t + 0.003, rid, "INFO", "report=%s account=%d range=30d" % (rep, acct)))]
        if hot(t):
            need = rng.uniform(3500, 26000)
            if need > 20000:
                dur = 20000 + rng.uniform(15, 60)
                lines.append((dur / 1000 - 0.002, "[ERROR] QueryCanceled: canceling statement due to statement timeout\n"
                              "Traceback (most recent call last):\n  File \"/var/task/app.py\", line 57, in handler\n"
                              "    rows = run_report(conn, rep, acct)\n  File \"/var/task/reports/queries.py\", line 112, in run_report\n"
                              "    cur.execute(SQL[name], params)\n"
                              "psycopg2.errors.QueryCanceled: canceling statement due to statement timeout"))
                return Inv(t, rid, dur, "error", lines, rng.randint(120, 140))
            dur = need
        else:
            dur = max(150.0, rng.gauss(520, 160))
        lines.append((dur / 1000 - 0.003, py_line(clock, t + dur / 1000 - 0.003, rid, "INFO",
                                                  "report=%s rows=%d query_ms=%d" % (rep, rng.randint(7, 400), int(dur - 40)))))
        return Inv(t, rid, dur, "ok", lines, rng.randint(118, 139))

    invs = simulate(rng, clock, lambda t: 24.0, query, init_ms=(600.0, 950.0))
    lm = lambda_metrics(FN, invs)
    logs = [log_stream("/aws/lambda/" + FN, s, ev) for s, ev in lambda_logs(clock, invs, LOG_FROM, 512).items()]

    per = {}
    for i in invs:
        m = int(i.t // 60) * 60
        c = per.setdefault(m, [0, 0, 0.0])
        c[0] += 1
        c[1] += i.status != "ok"
        c[2] += i.dur
    api = {"ApiName": "reports-api"}
    m_cnt = metric("AWS/ApiGateway", "Count", api, "Count", pts(lambda t: per.get(t, [0])[0], integer=True))
    m_5 = metric("AWS/ApiGateway", "5XXError", api, "Count", pts(lambda t: per.get(t, [0, 0])[1], integer=True))
    m_lat = metric("AWS/ApiGateway", "Latency", api, "Milliseconds",
                   pts(lambda t: per[t][2] / per[t][0] + rng.uniform(12, 20) if per.get(t) else None, nd=2))
    m_il = metric("AWS/ApiGateway", "IntegrationLatency", api, "Milliseconds",
                  pts(lambda t: per[t][2] / per[t][0] + rng.uniform(2, 6) if per.get(t) else None, nd=2))

    d = {"DBInstanceIdentifier": DB}
    in_etl = lambda t: ETL[0] <= t < ETL[1]
    m_cpu = metric("AWS/RDS", "CPUUtilization", d, "Percent",
                   pts(lambda t: rng.uniform(96.5, 99.9) if hot(t) else (rng.noise(88, 4) if in_etl(t) else rng.noise(24, 3)), hi=100))
    m_conn = metric("AWS/RDS", "DatabaseConnections", d, "Count",
                    pts(lambda t: rng.noise(ramp(t, ONSET, ONSET + 900, 38, 64), 2), integer=True))
    m_riops = metric("AWS/RDS", "ReadIOPS", d, "Count/Second",
                     pts(lambda t: rng.noise(1900, 150) if hot(t) else rng.noise(340, 40)))
    m_rl = metric("AWS/RDS", "ReadLatency", d, "Seconds",
                  pts(lambda t: rng.noise(0.0025 if hot(t) else 0.0008, 0.0002), nd=5, lo=0.0002))
    m_dq = metric("AWS/RDS", "DiskQueueDepth", d, "Count", pts(lambda t: rng.noise(5.8 if hot(t) else 0.9, 0.4)))
    m_mem = metric("AWS/RDS", "FreeableMemory", d, "Bytes", pts(lambda t: rng.noise(2.9e9, 3e7), nd=0))
    m_fs = metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", pts(lambda t: rng.noise(311.5e9, 5e7), nd=0))
    etl = {"FunctionName": "etl-loader"}
    m_etl = [metric("AWS/Lambda", "Invocations", etl, "Count", pts(lambda t: 1.0 if t == ETL[0] else 0.0)),
             metric("AWS/Lambda", "Errors", etl, "Count", pts(lambda t: 0.0))]
    pdf = {"FunctionName": "reports-pdf"}
    m_pdf = [metric("AWS/Lambda", "Invocations", pdf, "Count", pts(lambda t: rng.pois(3), integer=True)),
             metric("AWS/Lambda", "Errors", pdf, "Count", pts(lambda t: 0.0))]

    pg = []
    for t in range(LOG_FROM + 11, 0, 300):
        pg.append([t, "%s::@:[402]:LOG:  checkpoint starting: time" % pg_t(t)])
        w = rng.randint(300, 1900)
        pg.append([t + 240.2, "%s::@:[402]:LOG:  checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, "
                   "0 recycled; write=240.1%02d s, sync=0.0%02d s, total=240.2%02d s; sync files=%d, longest=0.003 s, average=0.001 s; "
                   "distance=%d kB, estimate=%d kB" % (pg_t(t + 240.2), w, w / 1310.72, rng.randint(0, 99), rng.randint(1, 20),
                                                        rng.randint(0, 99), rng.randint(10, 50), rng.randint(2000, 9000),
                                                        rng.randint(5000, 9000))])
    t = LOG_FROM
    while t < 0:  # steady noise from idle clients killed by NAT timeouts
        t += rng.expovariate(1 / 200.0)
        pg.append([t, "%s:10.0.%d.%d(%d):reports_app@analytics:[%d]:LOG:  could not receive data from client: Connection reset by peer"
                   % (pg_t(t), rng.randint(1, 4), rng.randint(10, 250), rng.randint(32768, 60999), rng.randint(9000, 30000))])
    for t in range(ONSET, 0, 60):  # dashboard auto-refresh: 6 cards per minute, only those over 5 s are logged
        for k in range(6):
            dur = rng.uniform(21000, 71000) * (0.35 if t < ONSET + 120 else 1)
            end = t + 5 + k * 2 + dur / 1000
            if end < 0 and dur > 5000:
                pg.append([end, "%s:10.0.50.12(%d):metabase@analytics:[%d]:LOG:  duration: %.3f ms  execute <unnamed>: %s"
                           % (pg_t(end), rng.randint(32768, 60999), rng.randint(17000, 19999), dur, MB_SQL)])
    for i in invs:
        if i.t < ONSET or i.t < LOG_FROM:
            continue
        end = i.t + i.dur / 1000
        pid = rng.randint(20000, 29999)
        pre = "%s:10.0.%d.%d(%d):reports_app@analytics:[%d]:" % (pg_t(end), rng.randint(1, 4), rng.randint(10, 250),
                                                                  rng.randint(32768, 60999), pid)
        if i.status != "ok":
            pg.append([end - 0.004, pre + "ERROR:  canceling statement due to statement timeout"])
            pg.append([end - 0.003, pre + "STATEMENT:  " + APP_SQL])
        elif i.dur > 5000:
            pg.append([end - 0.004, pre + "LOG:  duration: %.3f ms  execute <unnamed>: %s" % (i.dur - 45, APP_SQL)])
            pg.append([end - 0.003, pre + "DETAIL:  parameters: $1 = '%d', $2 = '2026-02-12'" % rng.randint(1000, 9999)])
    logs.append(log_stream("/aws/rds/instance/%s/postgresql" % DB, DB + ".0", pg))

    metrics = [m_cnt, m_5, m_lat, m_il] + list(lm.values()) + [m_cpu, m_conn, m_riops, m_rl, m_dq, m_mem, m_fs] + m_etl + m_pdf
    alarms = [
        alarm("reports-api-latency", m_lat, "Average", 60, 3, 5000.0, "GreaterThanThreshold", clock, "ALARM",
              "reports API average latency above 5 s"),
        alarm("reports-api-5xx", m_5, "Sum", 300, 1, 5.0, "GreaterThanThreshold", clock, "ALARM"),
        alarm("reports-query-pc-spillover", None, "Sum", 300, 1, 0.0, "GreaterThanThreshold", clock,
              "INSUFFICIENT_DATA", "provisioned concurrency spillover on the live alias", namespace="AWS/Lambda",
              metric_name="ProvisionedConcurrencySpilloverInvocations",
              dims={"FunctionName": FN, "Resource": FN + ":live"}, insufficient_since=-5184000),
        alarm("reports-query-throttles", lm["Throttles"], "Sum", 300, 1, 0.0, "GreaterThanThreshold", clock, "OK"),
    ]
    changes = [
        change(-4000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "reports-pdf", "gh-actions-analytics"),
        change(-17800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "etl-loader", "gh-actions-analytics"),
    ]
    resources = [
        {"type": "rds", "id": DB, "properties": {
            "engine": "postgres", "engine_version": "16.2", "instance_class": "db.m6g.large", "vcpus": 2,
            "max_connections": 860, "allocated_storage_gb": 500, "performance_insights": "disabled",
            "enhanced_monitoring": "disabled", "log_min_duration_statement_ms": 5000, "exported_logs": ["postgresql"]}},
        {"type": "lambda", "id": FN, "properties": {"runtime": "python3.12", "timeout": 29, "memory_size": 512,
                                                    "db_statement_timeout_ms": 20000}},
        {"type": "apigateway", "id": "reports-api", "properties": {"stage": "prod", "integrations": {"GET /reports/{name}": FN}}},
        {"type": "lambda", "id": "etl-loader", "properties": {"runtime": "python3.12", "timeout": 900, "memory_size": 2048}},
        {"type": "lambda", "id": "reports-pdf", "properties": {"runtime": "nodejs20.x", "timeout": 60, "memory_size": 1024}},
    ]
    data = scenario("h49-16-rds-postgres-cpu-pinned-by-dashboards",
                    "reports-api latency alarm; customers' report pages spin or fail.",
                    REGION, resources, metrics, logs, alarms, changes,
                    expect("reports-api-latency", "cpu_saturation", [DB], [m_cpu, m_lat]))
    meta = {
        "slug": "rds-postgres-cpu-pinned-by-dashboards", "region": REGION, "alarm": "reports-api-latency",
        "category": "cpu_saturation", "resources": [DB], "alarm_on": "front (API Gateway)",
        "decoys": "reports-pdf deploy 67 min earlier; the nightly etl-loader CPU spike on the same DB 4 h earlier "
                  "(resolved); steady 'Connection reset by peer'; spill-over alarm INSUFFICIENT_DATA",
        "paragraph": (
            "40 minutes ago a Metabase dashboard started auto-refreshing six 90-day aggregations against "
            "analytics-db (2 vCPU). Its CPUUtilization goes from ~24 % to 97-100 % and stays there, with read "
            "IOPS and disk queue up; connections rise only from 38 to ~64 of 860 and memory and storage are "
            "fine. No one alarms on the DB, Performance Insights and Enhanced Monitoring are off, and the "
            "Postgres log has only statements over 5 s: first the `metabase@analytics` 20-70 s aggregations, "
            "then the app's own normally sub-second queries taking 5-20 s and being cancelled by the 20 s "
            "statement_timeout. reports-query (Lambda) therefore takes seconds or fails with `QueryCanceled`, "
            "and the reports API latency alarm fires. The database is itself saturated, so this is not a "
            "dependency failure of a healthy dependency; the earlier ETL spike resolved hours ago and the "
            "deploy is on another function. CPU pinned with latency and errors following: cpu_saturation of "
            "analytics-db; the alarm is on the API in front."),
    }
    return data, meta
