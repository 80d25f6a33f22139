"""Scenarios 06, 07: a Lambda burst exhausting Postgres connections; a third-party API outage."""
from __future__ import annotations

import math

import numpy as np

from .common import LOG_FROM, TS, Scn, ramp
from .infra import GB, pg_checkpoints, pg_line, rds_metrics
from .lam import Fn, Inv, py_logged_tb, py_unhandled, rest_api

PG_HOST = "analytics-pg.cx8n2kq4vbde.us-east-1.rds.amazonaws.com"
SLOTS = ("FATAL:  remaining connection slots are reserved for non-replication superuser connections")


def h06_lambda_burst_connections() -> Scn:
    s = Scn(6, "analytics-pg-connection-burst", "us-east-1",
            "dashboard-api Errors alarm; customer dashboards show 'Failed to load widget'.", seed=1006,
            anchor="2026-03-10T14:00:00")
    rng = s.rng
    T = -1560
    full = ramp(T, 9)                                  # fraction of the way to the connection limit
    sat = np.clip((full - 0.8) / 0.2, 0, 1)            # how often new connections are refused

    def p_refused(t):
        return 0.55 * float(sat[int((t + 21600) // 60)])

    # report-export: SQS consumer, one psycopg2 connection per invocation, held for the whole export
    rx = Fn(s, "report-export", "python3.12", 1024, 300, init_ms=(700, 1100), max_streams=12)

    def rx_handler(c):
        job = f"exp_{s.hexid(10)}"
        lines = [(0.003, rx.line(c.t, c.rid, "INFO", f"Export job {job}: tenant=t_{int(rng.integers(100, 999))} "
                                                      f"format=csv range=90d"))]
        if rng.random() < p_refused(c.t):
            exc = (f"psycopg2.OperationalError: connection to server at \"{PG_HOST}\" (10.20.3.41), port 5432 failed: {SLOTS}")
            lines.append((0.06, py_unhandled(exc, [("/var/task/export/handler.py", 22, "handler", "conn = db.connect()"),
                                                   ("/var/task/export/db.py", 11, "connect", "return psycopg2.connect(**params(), connect_timeout=5)"),
                                                   ("/opt/python/psycopg2/__init__.py", 122, "connect",
                                                    "conn = _connect(dsn, connection_factory=connection_factory, **kwasync)")])))
            return Inv("error", float(rng.uniform(60, 140)), int(rng.integers(88, 100)), lines, exc)
        d = float(rng.lognormal(math.log(100000), 0.25))
        rows = int(rng.integers(20000, 900000))
        lines.append((d / 1000 - 0.01, rx.line(c.t + d / 1000, c.rid, "INFO",
                      f"Export job {job}: wrote {rows} rows to s3://acme-exports-use1/{job}.csv.gz")))
        return Inv("ok", d, int(rng.integers(300, 520)), lines)

    rx_rate = 0.35 + 112 * ramp(T, 3) * (TS < -60)      # bulk export of ~40k jobs enqueued at T
    rx.run(np.where(TS >= T, np.minimum(rx_rate, 10 + (TS - T) / 60 * 20), 0.35 * s.daily(0.3)), rx_handler, log_from=-3600)
    rx_st = rx.emit()

    dash = Fn(s, "dashboard-api", "python3.12", 512, 15, init_ms=(600, 900))
    widgets = ["revenue_by_day", "active_users", "funnel_conversion", "top_products", "churn_cohorts"]

    def d_handler(c):
        w = widgets[int(rng.integers(0, 5))]
        lines = [(0.002, dash.line(c.t, c.rid, "INFO", f"GET /widgets/{w} tenant=t_{int(rng.integers(100, 999))}"))]
        if rng.random() < p_refused(c.t) * 1.2:
            exc = (f"connection to server at \"{PG_HOST}\" (10.20.3.41), port 5432 failed: {SLOTS}")
            lines.append((0.05, py_logged_tb(dash, c.t + 0.05, c.rid, f"Widget query {w} failed",
                                             "psycopg2.OperationalError: " + exc,
                                             [("/var/task/api/widgets.py", 71, "load_widget", "with pool.getconn() as conn:"),
                                              ("/opt/python/psycopg2/pool.py", 169, "getconn", "return self._getconn(key)"),
                                              ("/opt/python/psycopg2/pool.py", 93, "_getconn", "return self._connect(key)")])))
            lines.append((0.06, py_unhandled("psycopg2.OperationalError: " + exc,
                                             [("/var/task/app.py", 40, "handler", "return widgets.load_widget(event)"),
                                              ("/var/task/api/widgets.py", 71, "load_widget", "with pool.getconn() as conn:")])))
            return Inv("error", float(rng.uniform(40, 120)), int(rng.integers(120, 140)), lines, "OperationalError")
        d = float(rng.lognormal(math.log(180), 0.5))
        lines.append((d / 1000 - 0.005, dash.line(c.t + d / 1000, c.rid, "INFO", f"widget {w} rendered in {int(d)} ms")))
        return Inv("ok", d, int(rng.integers(120, 150)), lines)

    dash.run(30 * s.daily(0.35), d_handler, log_from=-3600)
    dash.emit()
    rest_api(s, dash, "dashboards-api", "m2n4b6v8c0", "prod", overhead=16, exec_logs=False)

    base_conn = s.gauge(34, 3, lo=20)
    conns = np.minimum(base_conn + (rx_st["conc"] - 1).clip(0), 197)
    conns = np.where(sat > 0, 197 - s.rng.integers(0, 3, len(TS)), conns)
    cpu = s.gauge(22, 3) + 38 * full
    rds_metrics(s, "analytics-pg", cpu, conns, s.gauge(412 * GB, 0.05 * GB), s.gauge(5.1 * GB, 0.12 * GB) - 0.9 * GB * full,
                read_iops=s.gauge(220, 40, lo=10) + 1400 * full)
    q = np.where(TS < T, s.gauge(3, 2, lo=0), np.maximum(0, 41000 - (TS - T) / 60 * 150)) + s.gauge(0, 30, lo=0) * (TS >= T)
    s.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "report-export-jobs"}, "Count", q)

    # postgres log: checkpoints, pre-existing slow queries, then refused connections
    ev = pg_checkpoints(s)
    for t in np.sort(rng.uniform(-21600, 0, 70)):
        ev.append((t, pg_line(s, t, f"10.20.{int(rng.integers(1, 9))}.{int(rng.integers(2, 250))}({int(rng.integers(40000, 60000))})",
                              "bi_reader@analytics", int(rng.integers(2000, 30000)), "LOG",
                              f"duration: {rng.uniform(2100, 9800):.3f} ms  statement: SELECT date_trunc('day', o.created_at) AS d, "
                              "sum(o.total) FROM orders o WHERE o.tenant_id = $1 AND o.created_at > now() - interval '365 days' GROUP BY 1")))
    for i in np.nonzero(sat)[0]:
        for t in np.sort(rng.uniform(TS[i], TS[i] + 60, int(rng.poisson(40 * sat[i])))):
            msg = "sorry, too many clients already" if rng.random() < 0.3 else SLOTS.replace("FATAL:  ", "")
            ev.append((t, pg_line(s, t, f"10.20.{int(rng.integers(1, 9))}.{int(rng.integers(2, 250))}({int(rng.integers(40000, 60000))})",
                                  "app@analytics", int(rng.integers(2000, 30000)), "FATAL", msg)))
    s.log("/aws/rds/instance/analytics-pg/postgresql", "analytics-pg.0", ev)

    s.res("rds", "analytics-pg", engine="postgres", engine_version="15.6", instance_class="db.r6g.large",
          max_connections=200, allocated_storage_gb=500)
    s.res("lambda", "dashboard-api", runtime="python3.12", memory_size=512, timeout=15,
          environment={"DB_HOST": PG_HOST, "DB_NAME": "analytics", "DB_POOL_MAX": "2"})
    s.res("lambda", "report-export", runtime="python3.12", memory_size=1024, timeout=300,
          event_source="sqs:report-export-jobs")
    s.res("apigateway", "dashboards-api", api_id="m2n4b6v8c0", stage="prod", protocol="REST")
    s.change(-12000, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "analytics-pg15-params",
             "dba-oncall")
    a = s.alarm("dashboard-api-errors", "AWS/Lambda", "Errors", {"FunctionName": "dashboard-api"}, "Sum", 60, 3, 4,
                description="dashboard-api Lambda errors")
    s.set_expect(a["name"], "db_connection_exhaustion", ["analytics-pg"],
                 [("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": "analytics-pg"}),
                  ("AWS/Lambda", "ConcurrentExecutions", {"FunctionName": "report-export"})])
    s.readme = dict(decoys="ModifyDBParameterGroup (log_min_duration_statement) 3.3 h earlier; pre-existing slow BI "
                           "queries in the postgres log at a constant rate",
                    story="A customer-success engineer triggered a bulk re-export for all tenants (~40k SQS messages). "
                          "report-export has no reserved concurrency or SQS maximum concurrency, scales to ~190 "
                          "concurrent executions and each holds its own Postgres connection for ~25 s. analytics-pg "
                          "(max_connections 200) sits at the limit; dashboard-api - linked to the DB only through DB_HOST "
                          "- gets `remaining connection slots are reserved` on new connections.")
    return s


def h07_vendor_outage() -> Scn:
    s = Scn(7, "shipping-vendor-503", "eu-west-2",
            "checkout-edge prod 5XX alarm; checkout shows 'shipping options unavailable'.", seed=1007,
            anchor="2026-03-13T19:00:00")
    rng = s.rng
    T = -1920
    fn = Fn(s, "shipping-rates", "python3.12", 512, 10, init_ms=(400, 650))
    vendor = "api.parcelhub.com"

    def handler(c):
        pc = f"{rng.choice(['SW1A', 'M1', 'EH1', 'BS8', 'LS6', 'CF10'])} {int(rng.integers(1, 9))}{rng.choice(list('ABDEFGHJ'))}{rng.choice(list('LNPQRSTU'))}"
        lines = [(0.002, fn.line(c.t, c.rid, "INFO", f"Rating basket b_{s.hexid(10)} to {pc} ({int(rng.integers(1, 12))} parcels)"))]
        if rng.random() < 0.04:
            lines.append((0.004, fn.line(c.t, c.rid, "WARNING", "Address normalisation: county missing, inferred from postcode")))
        if c.t >= T and rng.random() < 0.86:
            if rng.random() < 0.8:
                d = float(rng.lognormal(math.log(160), 0.3))
                exc = (f"requests.exceptions.HTTPError: 503 Server Error: Service Unavailable for url: "
                       f"https://{vendor}/v2/rates?service=all")
            else:
                d = 3000 + float(rng.uniform(5, 40))
                exc = (f"requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='{vendor}', port=443): "
                       "Read timed out. (read timeout=3)")
            lines.append((d / 1000, py_logged_tb(fn, c.t + d / 1000, c.rid, "ParcelHub rate request failed; returning 503 to client",
                                                 exc, [("/var/task/rates/client.py", 48, "quote", "resp.raise_for_status()")])))
            return Inv("ok", d + 4, int(rng.integers(92, 104)), lines, code=503)
        d = float(rng.lognormal(math.log(240), 0.3))
        lines.append((d / 1000, fn.line(c.t + d / 1000, c.rid, "INFO", f"ParcelHub returned {int(rng.integers(3, 9))} services in {int(d - 8)} ms")))
        return Inv("ok", d, int(rng.integers(92, 104)), lines)

    fn.run(30 * s.daily(0.3), handler, log_from=-5400)
    fn.emit()
    rest_api(s, fn, "checkout-edge", "h4j6k8l0p2", "prod", overhead=19)
    # handled failures: the function returns 503 itself, so execution logs carry the status only
    ev = []
    for t, rid, st, dur, msg, code, _ in fn.recs:
        if t >= LOG_FROM and code >= 500:
            ev.append((t + dur / 1000 + 0.01, f"({s.rid()}) Method completed with status: 503"))
    s.log("API-Gateway-Execution-Logs_h4j6k8l0p2/prod", s.hexid(32), ev)

    tax = Fn(s, "tax-calculator", "python3.12", 256, 10)

    def t_handler(c):
        d = float(rng.lognormal(math.log(35), 0.3))
        return Inv("ok", d, int(rng.integers(70, 80)), [(0.002, tax.line(c.t, c.rid, "INFO", f"VAT computed for basket "
                                                                                        f"b_{s.hexid(10)}: 20% standard rate"))])

    tax.run(30 * s.daily(0.3), t_handler, resets=[-2580], log_from=-5400)
    tax.emit()

    s.res("lambda", "shipping-rates", runtime="python3.12", memory_size=512, timeout=10,
          environment={"PARCELHUB_BASE_URL": f"https://{vendor}/v2", "PARCELHUB_TIMEOUT_S": "3"})
    s.res("lambda", "tax-calculator", runtime="python3.12", memory_size=256, timeout=10)
    s.res("apigateway", "checkout-edge", api_id="h4j6k8l0p2", stage="prod", protocol="REST")
    s.change(-2580, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "tax-calculator",
             "github-actions-deploy")
    a = s.alarm("checkout-edge-prod-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "checkout-edge", "Stage": "prod"},
                "Sum", 60, 3, 8, description="checkout-edge 5XX")
    s.set_expect(a["name"], "dependency_failure", ["shipping-rates", vendor],
                 [("AWS/ApiGateway", "5XXError", {"ApiName": "checkout-edge", "Stage": "prod"})])
    s.readme = dict(decoys="UpdateFunctionCode on tax-calculator 11 min before onset (healthy afterwards); constant "
                           "address-normalisation WARNING",
                    story="The shipping-rate vendor ParcelHub had a partial outage: most calls to "
                          "https://api.parcelhub.com/v2/rates return `503 Server Error: Service Unavailable`, some time "
                          "out after 3 s. shipping-rates catches the error and returns 503 itself, so its Lambda Errors "
                          "metric stays at zero while the API's 5XXError climbs.")
    return s


BUILDERS = [h06_lambda_burst_connections, h07_vendor_outage]
