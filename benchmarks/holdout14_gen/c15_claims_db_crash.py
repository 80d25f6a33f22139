"""h14-15: the host under claims-db fails; the database is unreachable for 14 minutes, then sits
in crash recovery. claims-handler cannot connect and claims-api's 5xx alarm fires."""
from __future__ import annotations

import datetime as dt

import numpy as np

from .common import N, T, Ctx, alarm, between, change, metric, ok_alarm, scenario, spread, stream
from .logfmt import LAMBDA_WARNING, LambdaLog, apigw_access, pg, py, py_unhandled

META = {
    "file": "h14-15-claims-db-host-failure.yaml", "region": "af-south-1", "alarm": "claims-api-5xx",
    "category": "dependency_failure", "resources": ["claims-db"],
    "position": "front (API Gateway -> Lambda -> RDS)",
    "decoys": "claims-ocr Lambda code deploy 4 min before the failure; claims-handler LOG_LEVEL change 5 h earlier; "
              "constant 'no policy attached' warnings",
    "story": "21 minutes ago claims-db (single-AZ postgres) stopped mid-stream: its log ends without any shutdown "
             "message and all of its CloudWatch metrics have no datapoints for the next 14 minutes (host failure and "
             "replacement). claims-handler's connections time out ('timeout expired' after its 5 s connect timeout) "
             "and claims-api returns 502. Seven minutes ago postgres came back and is replaying WAL ('database system "
             "was not properly shut down; automatic recovery in progress', 'redo in progress ...'), so connections "
             "are now refused with 'the database system is starting up'. Before the failure the DB had ~40 of 1000 "
             "connections, ~20 % CPU and plenty of memory and storage: the database is unavailable, not exhausted. "
             "The claims-ocr deploy does not use the database.",
}

REGION = "af-south-1"
API, API_ID, STAGE = "claims-api", "cl41m5ap1x", "prod"
DB = "claims-db"
HOST = "claims-db.cq8xk2m1v0ab.af-south-1.rds.amazonaws.com"
DB_IP = "10.60.21.14"
FAIL = -1260.0
BACK = -420.0
OCR_DEPLOY = -1500.0
OLD_CONFIG = -18000.0
LOG_START = -5400.0


def _pg_frames():
    return [("/var/task/handler.py", 38, "lambda_handler", "conn = db.connect()"),
            ("/var/task/claims/db.py", 21, "connect", "return psycopg2.connect(**_params(), connect_timeout=5)"),
            ("/var/task/psycopg2/__init__.py", 122, "connect", "conn = _connect(dsn, connection_factory=connection_factory, **kwasync)")]


def build(seed: int) -> dict:
    ctx = Ctx(seed, dt.datetime(2026, 3, 31, 11, 35, tzinfo=dt.timezone.utc), 2.0, REGION)
    rng = ctx.rng
    shape = ctx.diurnal(peak=12.0, amp=0.35)
    inv = ctx.poisson(24 * shape)
    hl = LambdaLog(ctx, "claims-handler", "python3.12", 1024, envs=3, start=LOG_START)
    err = np.zeros(N)
    dur = np.zeros(N)
    four = np.zeros(N)
    lat = np.zeros(N)
    access = []
    pglog = []
    for i in range(N):
        ds, ls = [], []
        for rel in spread(ctx, i, inv[i]):
            rid = ctx.uuid()
            claim = f"CLM-{ctx.digits(7)}"
            method, path, res = ctx.pick([("GET", f"/{STAGE}/claims/{claim}", "/claims/{id}"),
                                          ("GET", f"/{STAGE}/claims/{claim}", "/claims/{id}"),
                                          ("POST", f"/{STAGE}/claims", "/claims"),
                                          ("POST", f"/{STAGE}/claims/{claim}/documents", "/claims/{id}/documents")])
            body = [(0.002, py(ctx, rel + 0.002, "INFO", rid, f"{method} {res} claim={claim if method == 'GET' or 'documents' in path else 'new'}"))]
            status = 200 if method == "GET" else 201
            if FAIL + 1 <= rel < BACK + 5:
                d = 5000 + ctx.uni(2, 40)
                msg = f'connection to server at "{HOST}" ({DB_IP}), port 5432 failed: timeout expired\n'
                body += [(d / 1000 - 0.006, LAMBDA_WARNING), (d / 1000 - 0.005, py_unhandled("OperationalError", msg, _pg_frames()))]
                err[i] += 1
                status = 502
            elif rel >= BACK + 5:
                d = ctx.uni(14, 40)
                msg = f'connection to server at "{HOST}" ({DB_IP}), port 5432 failed: FATAL:  the database system is starting up\n'
                body += [(d / 1000 - 0.006, LAMBDA_WARNING), (d / 1000 - 0.005, py_unhandled("OperationalError", msg, _pg_frames()))]
                err[i] += 1
                status = 502
                if rel >= -10800:
                    pglog.append((rel + d / 1000 - 0.01, pg(ctx, rel, "FATAL:  the database system is starting up",
                                                            f"10.60.{ctx.randint(8, 11)}.{ctx.randint(10, 250)}({ctx.randint(40000, 65000)})",
                                                            "claims_app@claims", ctx.randint(900, 2000))))
            else:
                d = float(np.clip(rng.lognormal(np.log(95 if method == "GET" else 210), 0.4), 20, 4000))
                if rng.random() < 0.04:
                    body.append((d / 1000 - 0.03, py(ctx, rel + d / 1000 - 0.03, "WARNING", rid,
                                                     f"Claim {claim} has no policy attached, skipping fraud score")))
                if rng.random() < 0.015:
                    status = 404
                    four[i] += 1
                body.append((d / 1000 - 0.01, py(ctx, rel + d / 1000 - 0.01, "INFO", rid, f"{status} in {d:.0f} ms")))
            ds.append(d)
            lt = d + ctx.uni(15, 35)
            ls.append(lt)
            if rel >= LOG_START:
                hl.invoke(rel, body, d, ctx.randint(140, 175), rid=rid)
                access.append((rel + lt / 1000, apigw_access(ctx, rel, ctx.uuid(), ctx.public_ip(), method, path, res, status,
                                                             36 if status == 502 else ctx.randint(200, 3000), int(lt), int(d + 6),
                                                             error="Internal server error" if status == 502 else None)))
        dur[i] = np.mean(ds) if ds else np.nan
        lat[i] = np.mean(ls) if ls else np.nan

    # postgres log: ordinary background until the host dies, then crash recovery after the replacement
    for rel in np.arange(-10800, FAIL, 300.0) + 23:
        pglog.append((rel, pg(ctx, rel, "LOG:  checkpoint starting: time", "", "@", 561)))
        if rel + 240 < FAIL:
            pglog.append((rel + 240, pg(ctx, rel + 240, f"LOG:  checkpoint complete: wrote {ctx.randint(4000, 9000)} buffers "
                                                        f"({ctx.uni(0.5, 1.5):.1f}%); 0 WAL file(s) added, 0 removed, "
                                                        f"{ctx.randint(2, 6)} recycled; write=239.{ctx.randint(100, 999)} s", "", "@", 561)))
    for rel in ctx.sparse_events(0.25, -10800, FAIL):
        dur_ms = ctx.uni(1000, 4200)
        pglog.append((rel, pg(ctx, rel, f"LOG:  duration: {dur_ms:.3f} ms  statement: SELECT c.* FROM claims c JOIN claim_documents d "
                                        f"ON d.claim_id = c.id WHERE c.status = 'IN_REVIEW' ORDER BY c.updated_at DESC LIMIT 500",
                              f"10.60.{ctx.randint(8, 11)}.{ctx.randint(10, 250)}({ctx.randint(40000, 65000)})", "claims_app@claims",
                              ctx.randint(20000, 31000))))
    boot = [("LOG:  starting PostgreSQL 15.5 on aarch64-unknown-linux-gnu, compiled by gcc (GCC) 7.3.1 20180712 (Red Hat 7.3.1-6), 64-bit", 0.0),
            ('LOG:  listening on IPv4 address "0.0.0.0", port 5432', 0.02),
            ('LOG:  listening on Unix socket "/tmp/.s.PGSQL.5432"', 0.03),
            (f"LOG:  database system was interrupted; last known up at {ctx.at(FAIL - 137).strftime('%Y-%m-%d %H:%M:%S UTC')}", 0.2),
            ("LOG:  database system was not properly shut down; automatic recovery in progress", 0.5),
            ("LOG:  redo starts at 3A/1F0021B8", 0.9)]
    for msg, off in boot:
        pglog.append((BACK + off, pg(ctx, BACK + off, msg, "", "@", 398 if "starting" in msg or "listening" in msg else 404)))
    lsn = 0x2C8E1F40
    for k, rel in enumerate(np.arange(BACK + 10.9, 0, 10.0)):
        lsn += ctx.randint(0x2800000, 0x3600000)
        pglog.append((rel, pg(ctx, rel, f"LOG:  redo in progress, elapsed time: {10.0 * (k + 1) + ctx.uni(0, 0.05):.2f} s, current LSN: "
                                        f"{0x3A + (lsn >> 32):X}/{lsn & 0xFFFFFFFF:08X}", "", "@", 404)))
    logs = hl.logs() + [stream(f"/aws/apigateway/{API}/{STAGE}", f"{API_ID}-{STAGE}", access),
                        stream(f"/aws/rds/instance/{DB}/postgresql", f"{DB}.0", pglog)]

    # claims-ocr: Textract-based, deployed just before, unaffected
    ol = LambdaLog(ctx, "claims-ocr", "python3.12", 2048, envs=2, start=LOG_START)
    o_inv = ctx.poisson(5 * shape)
    done = False
    for i in range(N):
        if T[i] >= OCR_DEPLOY and not done:
            ol.redeploy(OCR_DEPLOY + 9)
            done = True
        for rel in spread(ctx, i, o_inv[i]):
            if rel >= LOG_START:
                rid = ctx.uuid()
                d = ctx.uni(1800, 4200)
                ol.invoke(rel, [(d / 1000 - 0.02, py(ctx, rel + d / 1000 - 0.02, "INFO", rid,
                                                     f"Extracted {ctx.randint(2, 40)} fields from s3://claims-docs-za/{ctx.hexs(12)}.pdf via Textract"))],
                          d, ctx.randint(300, 420), rid=rid)
    logs += ol.logs()

    api = {"ApiName": API}
    h = {"FunctionName": "claims-handler"}
    o = {"FunctionName": "claims-ocr"}
    db = {"DBInstanceIdentifier": DB}
    gone = between(FAIL, BACK)
    recovering = T >= BACK
    def dbm(v):
        return np.where(gone, np.nan, v)
    metrics = [
        metric("AWS/ApiGateway", "Count", api, "Count", inv),
        metric("AWS/ApiGateway", "5XXError", api, "Count", err),
        metric("AWS/ApiGateway", "4XXError", api, "Count", four),
        metric("AWS/ApiGateway", "Latency", api, "Milliseconds", lat),
        metric("AWS/Lambda", "Invocations", h, "Count", inv),
        metric("AWS/Lambda", "Errors", h, "Count", err),
        metric("AWS/Lambda", "Throttles", h, "Count", np.zeros(N)),
        metric("AWS/Lambda", "Duration", h, "Milliseconds", dur),
        metric("AWS/Lambda", "Invocations", o, "Count", o_inv),
        metric("AWS/Lambda", "Errors", o, "Count", np.zeros(N)),
        metric("AWS/RDS", "CPUUtilization", db, "Percent", dbm(np.where(recovering, ctx.gauge(31, 0.05), ctx.gauge(19 * shape, 0.08, lo=3)))),
        metric("AWS/RDS", "DatabaseConnections", db, "Count", dbm(np.where(recovering, 0.0, np.round(ctx.gauge(41, 0.04))))),
        metric("AWS/RDS", "FreeableMemory", db, "Bytes", dbm(np.where(recovering, 29.1e9, ctx.gauge(21.4e9, 0.01))), decimals=0),
        metric("AWS/RDS", "FreeStorageSpace", db, "Bytes", dbm(ctx.gauge(318e9, 0.0003, jitter=0.0)), decimals=0),
        metric("AWS/RDS", "ReadIOPS", db, "Count/Second", dbm(np.where(recovering, ctx.gauge(5200, 0.08), ctx.gauge(640 * shape, 0.1)))),
        metric("AWS/RDS", "WriteIOPS", db, "Count/Second", dbm(np.where(recovering, ctx.gauge(2100, 0.1), ctx.gauge(410 * shape, 0.1)))),
        metric("AWS/RDS", "ReadLatency", db, "Seconds", dbm(ctx.gauge(0.0011, 0.1, lo=0.0004)), decimals=5),
    ]
    alarms = [
        alarm(ctx, "claims-api-5xx", "AWS/ApiGateway", "5XXError", api, err, "Sum", 60, 3, 5.0,
              description="claims-api returning 5xx to brokers and the claims portal"),
        ok_alarm("claims-db-cpu", "AWS/RDS", "CPUUtilization", db, "Average", 300, 3, 85.0),
        ok_alarm("claims-ocr-errors", "AWS/Lambda", "Errors", o, "Sum", 300, 1, 5.0),
    ]
    changes = [
        change(OLD_CONFIG, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "claims-handler", "t.mokoena"),
        change(OCR_DEPLOY, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "claims-ocr", "azure-devops"),
    ]
    resources = [
        {"type": "apigateway", "id": API, "properties": {"api_id": API_ID, "stage": STAGE,
                                                          "routes": {"ANY /claims/{proxy+}": "claims-handler", "POST /claims": "claims-handler"}}},
        {"type": "lambda", "id": "claims-handler", "properties": {"runtime": "python3.12", "timeout": 20, "memory_size": 1024,
                                                                  "environment": {"DB_HOST": HOST, "DB_NAME": "claims", "LOG_LEVEL": "INFO"}}},
        {"type": "lambda", "id": "claims-ocr", "properties": {"runtime": "python3.12", "timeout": 60, "memory_size": 2048}},
        {"type": "rds", "id": DB, "properties": {"engine": "postgres", "engine_version": "15.5", "instance_class": "db.r6g.xlarge",
                                                  "multi_az": False, "max_connections": 1000, "allocated_storage_gb": 500,
                                                  "endpoint": HOST}},
    ]
    return scenario("h14-15-claims-db-host-failure",
                    "Claims portal down for brokers (502s); claims-api 5xx alarm in ALARM.",
                    REGION, resources, metrics, logs, alarms, changes,
                    {"alarm": META["alarm"], "root_cause": {"category": META["category"], "resource": META["resources"]},
                     "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": h}]})
