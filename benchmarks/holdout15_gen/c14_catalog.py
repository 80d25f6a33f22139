"""h15-14: a DBA lowers max_connections in a MySQL parameter group (dynamic, applied at
once). Existing pooled connections survive, so the connection count drains to the new
limit and plateaus; new Lambda environments (Java, log4j2 ECS JSON layout) cannot open
their pools. The alarm is on the REST API in front of the Lambda."""
from __future__ import annotations

from datetime import datetime

import numpy as np

from . import aws
from .common import ACCOUNT, Ctx, Stream, alarm, bump, change, ramp, scenario
from .logfmt import LambdaEnvs, j, mysql_err

REGION = "us-east-2"
API, API_ID, STAGE = "catalog-public-api", "r7t2w9x4kd", "v1"
FN = "product-lookup"
DB, PG = "mdb-catalog-prd", "catalog-mysql80-tuned"
HOST = "mdb-catalog-prd.c1q7x3m9zk2e.us-east-2.rds.amazonaws.com"
REVIEWS = "mdb-reviews-prd"
CHANGE_AT = -2280.0
NEW_MAX = 120

HIKARI = ("java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after "
          "{ms}ms (total=0, active=0, idle=0, waiting=0)\n"
          "\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)\n"
          "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)\n"
          "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:144)\n"
          "\tat com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:127)\n"
          "\tat com.brightcart.catalog.ProductRepository.findBySku(ProductRepository.java:58)\n"
          "\tat com.brightcart.catalog.LookupHandler.handleRequest(LookupHandler.java:41)\n"
          "Caused by: java.sql.SQLNonTransientConnectionException: Too many connections\n"
          "\tat com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:111)\n"
          "\tat com.mysql.cj.jdbc.exceptions.SQLExceptionsMapping.translateException(SQLExceptionsMapping.java:122)\n"
          "\tat com.mysql.cj.jdbc.ConnectionImpl.createNewIO(ConnectionImpl.java:815)\n"
          "\tat com.mysql.cj.jdbc.ConnectionImpl.<init>(ConnectionImpl.java:438)\n"
          "\tat com.zaxxer.hikari.pool.PoolBase.newConnection(PoolBase.java:359)\n"
          "\tat com.zaxxer.hikari.pool.HikariPool.createPoolEntry(HikariPool.java:477)\n"
          "\t... 3 more\n"
          "Caused by: com.mysql.cj.exceptions.CJException: Too many connections\n"
          "\tat com.mysql.cj.protocol.a.NativeProtocol.checkErrorMessage(NativeProtocol.java:763)\n"
          "\tat com.mysql.cj.protocol.a.NativeAuthenticationProvider.connect(NativeAuthenticationProvider.java:205)\n"
          "\t... 14 more")


def ecs_json(ctx: Ctx, rel: float, level: str, logger: str, msg: str, rid: str | None = None, **extra) -> str:
    d = {"@timestamp": ctx.iso(rel, 3, "Z"), "log.level": level, "message": msg, "ecs.version": "1.2.0",
         "service.name": FN, "event.dataset": f"{FN}.log", "process.thread.name": "main", "log.logger": logger}
    if rid:
        d["aws.lambda.request_id"] = rid
    d.update(extra)
    return j(d)


def build(seed: int):
    ctx = Ctx(seed, datetime(2026, 5, 28, 15, 10), utc_offset_h=-5)
    rng, t = ctx.rng, ctx.t
    shape = ctx.daily(14.0, 0.3)
    count = ctx.poisson(300 * shape * (1 + ctx.ar(0.05)))
    after = ramp(t, CHANGE_AT, 60)
    before_conns = 188 * (0.85 + 0.15 * shape) + ctx.ar(4)
    drain = np.exp(-np.clip(t - CHANGE_AT, 0, None) / 420.0)
    conns = np.where(t < CHANGE_AT, before_conns, NEW_MAX + (before_conns - NEW_MAX) * drain)
    conns = np.minimum(conns, np.where(t < CHANGE_AT, 1e9, NEW_MAX + (before_conns - NEW_MAX) * drain + 0.4))
    conns = np.where((t >= CHANGE_AT) & (conns < NEW_MAX + 1), NEW_MAX - rng.integers(0, 3, ctx.n), conns)
    fail_share = after * np.clip(0.08 + 0.45 * (1 - drain), 0, 0.5)
    fails = np.array([rng.binomial(int(n), p) for n, p in zip(count, fail_share)], dtype=float)
    dur = 48 + ctx.ar(5)
    spike = bump(t, -2520, -1860, 90)

    metrics = aws.apigw(ctx, API, count, ctx.poisson(count * 0.02), fails + (rng.random(ctx.n) < 0.01),
                        dur + 14 + 20 * after, dur + 6 + 20 * after, stage=STAGE)
    metrics += aws.lam(ctx, FN, count, fails, dur + 2000 * fail_share, np.ceil(count * 0.06 / 60 * 3 + rng.random(ctx.n) * 3))
    metrics += aws.rds(ctx, DB, cpu=27 * shape + ctx.ar(2) - 4 * after, conns=conns, free_gb=820 + ctx.ar(0.05),
                       freemem_gb=21.3 + ctx.ar(0.1), rlat=0.0008 + np.abs(ctx.ar(0.0002)),
                       wlat=0.0017 + np.abs(ctx.ar(0.0002)))
    metrics += aws.rds(ctx, REVIEWS, cpu=14 + ctx.ar(2) + 71 * spike, conns=31 + ctx.ar(2), free_gb=240 + ctx.ar(0.05),
                       freemem_gb=6.1 + ctx.ar(0.05), rlat=0.001 + np.abs(ctx.ar(0.0002)) + 0.01 * spike)

    envs = LambdaEnvs(ctx, FN, "java21", REGION, 2048, (3800, 5200))        # environments with a pool
    fresh = LambdaEnvs(ctx, FN, "java21", REGION, 2048, (3800, 5200))       # started after the change
    log_from = -4200.0
    for i in range(ctx.n):
        m0 = t[i]
        if m0 < log_from:
            continue
        n_log = rng.binomial(int(count[i]), 0.07)
        n_fail = rng.binomial(int(fails[i]), 0.07) if m0 >= CHANGE_AT else 0
        kinds = ["fail"] * n_fail + ["ok"] * max(n_log - n_fail, 0)
        rng.shuffle(kinds)
        for kind, ts in zip(kinds, sorted(m0 + rng.uniform(0, 60, len(kinds)))):
            rid = ctx.uuid()
            sku = f"SKU-{int(rng.integers(100000, 999999))}"
            if kind == "ok":
                s, init = envs.env(ts, 8, grow=ts < CHANGE_AT)
                d = float(rng.lognormal(np.log(40), 0.35))
                body = [(d / 1000 - 0.002, ecs_json(ctx, ts, "INFO", "com.brightcart.catalog.LookupHandler",
                                                    f"lookup sku={sku} hit=true", rid, **{"event.duration": int(d * 1e6)}))]
                if rng.random() < 0.02:
                    body.append((0.001, ecs_json(ctx, ts, "WARN", "com.zaxxer.hikari.pool.PoolBase",
                                                 "HikariPool-1 - Failed to validate connection com.mysql.cj.jdbc."
                                                 f"ConnectionImpl@{ctx.hex(7)} (No operations allowed after connection "
                                                 "closed.). Possibly consider using a shorter maxLifetime value.", rid)))
                envs.write(s, init, ts, rid, body, d, int(rng.integers(190, 230)))
            else:
                s, init = fresh.env(ts, 2 + int((m0 - CHANGE_AT) // 300))
                wait = int(rng.integers(5000, 5012))
                body = [(wait / 1000, ecs_json(ctx, ts + wait / 1000, "ERROR", "com.brightcart.catalog.LookupHandler",
                                               f"lookup failed sku={sku}", rid,
                                               **{"error.type": "java.sql.SQLTransientConnectionException",
                                                  "error.message": HIKARI.split("\n")[0].format(ms=wait),
                                                  "error.stack_trace": HIKARI.format(ms=wait)}))]
                fresh.write(s, init, ts, rid, body, wait + float(rng.uniform(5, 15)), int(rng.integers(180, 200)),
                            tail=[(-0.003, j({"errorMessage": HIKARI.split("\n")[0].format(ms=wait),
                                              "errorType": "java.sql.SQLTransientConnectionException",
                                              "stackTrace": [ln.strip()[3:] for ln in HIKARI.split("\n")[1:6]]}))])

    errlog = Stream(f"/aws/rds/instance/{DB}/error", DB)
    thread = 3312000
    for ts in sorted(rng.uniform(-10800, -60, 120)):
        thread += int(rng.integers(40, 300))
        errlog.add(float(ts), mysql_err(ctx, float(ts), 0, "Note", "MY-010914",
                                        f"Aborted connection {thread} to db: 'catalog' user: 'catalog_ro' host: "
                                        f"'10.12.{int(rng.integers(8, 12))}.{int(rng.integers(10, 250))}' "
                                        "(Got timeout reading communication packets)."))

    resources = [
        {"type": "apigateway", "id": API, "properties": {
            "api_id": API_ID, "stage": STAGE,
            "integrations": {"GET /products/{sku}": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{FN}"}}},
        {"type": "lambda", "id": FN, "properties": {
            "runtime": "java21", "timeout": 15, "memory_size": 2048,
            "environment": {"JDBC_URL": f"jdbc:mysql://{HOST}:3306/catalog", "DB_USER": "catalog_ro",
                            "HIKARI_MAX_POOL_SIZE": "5", "HIKARI_CONNECTION_TIMEOUT_MS": "5000"}}},
        {"type": "rds", "id": DB, "properties": {"engine": "mysql", "engine_version": "8.0.36",
                                                 "instance_class": "db.r6g.xlarge", "parameter_group": PG,
                                                 "max_connections": NEW_MAX, "allocated_storage_gb": 1000,
                                                 "endpoint": HOST}},
        {"type": "rds", "id": REVIEWS, "properties": {"engine": "mysql", "engine_version": "8.0.36",
                                                      "instance_class": "db.r6g.large", "parameter_group": "reviews-mysql80",
                                                      "allocated_storage_gb": 300}},
    ]
    changes = [
        change(-16300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", FN, "jenkins-catalog"),
        change(CHANGE_AT, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", PG, "dba.rkowalski"),
        change(-2560, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", REVIEWS, "reviews-ops"),
    ]
    a5 = next(m for m in metrics if m["name"] == "5XXError")
    rc = next(m for m in metrics if m["name"] == "CPUUtilization" and m["dimensions"]["DBInstanceIdentifier"] == REVIEWS)
    alarms = [
        alarm(a5, "catalog-public-api-v1-5xx", "Sum", 60, 3, 10, "GreaterThanThreshold", rng=rng,
              description="Catalog API 5XX on stage v1"),
        alarm(rc, "mdb-reviews-prd-cpu", "Average", 300, 1, 80, "GreaterThanThreshold", rng=rng),
    ]
    doc = scenario(
        "h15-14-mysql-maxconn-param", "Product pages failing intermittently; catalog-public-api-v1-5xx paged.",
        REGION, resources, metrics, envs.streams + fresh.streams + [errlog], alarms, changes,
        {"alarm": "catalog-public-api-v1-5xx",
         "root_cause": {"category": "config_change", "resource": [DB, PG]},
         "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": DB}}]})
    meta = {"alarm_on": "front (API Gateway)",
            "decoys": "reviews database CPU spike with its own alarm flipping, plus a snapshot of it, just before "
                      "onset; product-lookup deploy 4.5 h ago; constant Hikari validate-connection WARNs",
            "story": "At -38 min dba.rkowalski modified parameter group catalog-mysql80-tuned, the group of "
                     "mdb-catalog-prd, whose max_connections now reads 120 while it had been serving about 190 "
                     "connections all afternoon. The connection count drains to 120 and flattens; new Java "
                     "Lambda environments time out acquiring a Hikari connection with `Caused by: "
                     "java.sql.SQLNonTransientConnectionException: Too many connections` (log4j2 ECS JSON "
                     "error.stack_trace), and the API's 5XXError rises. The exhaustion is real, but the "
                     "configuration change is the trigger (the format's tie-break: a change beats the symptom). "
                     "The reviews database's CPU spike and snapshot are another instance."}
    return doc, meta
