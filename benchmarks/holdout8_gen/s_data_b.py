"""Database incidents, part B: DynamoDB provisioned throughput ceiling; a batch job saturating a shared Postgres."""
from __future__ import annotations

import numpy as np

from .common import N, T, Scenario, counts, noisy, ramp, sigmoid, wall, wave
from .stacks import alb, apigateway, ec2, ecs, lambda_function, pg_checkpoints, pg_line, py, rds

# =========================================================================== h8-10 DynamoDB throughput


def gunicorn(t: float, level: str, logger: str, msg: str, pid: int) -> str:
    w = wall(t)
    return f"[{w.strftime('%Y-%m-%d %H:%M:%S')},{w.microsecond // 1000:03d}] [{pid}] [{level}] {logger}: {msg}"


def dynamodb_ceiling(seed: int) -> Scenario:
    sc = Scenario("h8-10-sessions-dynamodb-throttled", "ap-south-1",
                  "auth-alb 5XX alarm: some users are logged out or cannot sign in during the evening peak.", seed)
    r = sc.rng
    lb = "app/auth-alb/1c2d3e4f5a6b7c8d"
    table = "user-sessions"
    sc.resource("ecs", "identity/session-svc", cluster="identity", task_definition="session-svc:77",
                desired_count=6, cpu=512, memory=1024, launch_type="FARGATE",
                environment={"SESSIONS_TABLE": table, "AWS_MAX_ATTEMPTS": "3"})
    sc.resource("ecs", "identity/profile-svc", cluster="identity", task_definition="profile-svc:112",
                desired_count=3, cpu=512, memory=1024, launch_type="FARGATE")
    sc.resource("alb", lb, name="auth-alb", targets=["identity/session-svc", "identity/profile-svc"])
    # evening peak in India (19:30 IST at "now"): demand rises steadily through the window
    demand_wcu = 180 + 300 * ramp(-21600, -900) ** 1.6 + 8 * np.sin(T / 900.0)
    prov = np.minimum(400.0, np.maximum(200.0, np.ceil(demand_wcu / 0.7 / 25) * 25))  # autoscaling, max 400
    consumed = np.minimum(demand_wcu * (1 + r.g.normal(0, 0.02, N)), prov * r.g.uniform(0.96, 1.02, N))
    over = np.clip((demand_wcu - prov) / demand_wcu, 0, None)
    put_req = demand_wcu * 60 / 2.0  # ~2 WCU per PutItem (1.6 KB items)
    thr_req = np.round(put_req * over * r.g.uniform(0.9, 1.1, N))
    d = {"TableName": table}
    sc.metric("AWS/DynamoDB", "ProvisionedWriteCapacityUnits", d, "Count", prov)
    sc.metric("AWS/DynamoDB", "ConsumedWriteCapacityUnits", d, "Count", np.round(consumed * 60, 1))
    sc.metric("AWS/DynamoDB", "ProvisionedReadCapacityUnits", d, "Count", np.full(N, 1200.0))
    sc.metric("AWS/DynamoDB", "ConsumedReadCapacityUnits", d, "Count", np.round(noisy(r, 420 * 60, 0.05), 1))
    sc.metric("AWS/DynamoDB", "WriteThrottleEvents", d, "Count", thr_req)
    sc.metric("AWS/DynamoDB", "ThrottledRequests", {"TableName": table, "Operation": "PutItem"}, "Count", thr_req)
    sc.metric("AWS/DynamoDB", "SuccessfulRequestLatency", {"TableName": table, "Operation": "PutItem"},
              "Milliseconds", noisy(r, 4.1 + 2 * (over > 0), 0.1), 2)
    # SDK retries absorb most throttles; a fraction of logins exhaust 3 attempts
    req = counts(r, put_req / 1.0 * 0.9)
    fail_rate = np.clip(over ** 2 * 0.12, 0, 1)
    t5 = counts(r, 0.2 + req * fail_rate)
    alb(sc, lb, requests=req + counts(r, 900), rt=noisy(r, 0.035 + 0.5 * (over > 0) * over * 4, 0.1), t5xx=t5,
        e5xx=counts(r, 0.05), healthy=np.full(N, 9.0), unhealthy=np.zeros(N), t4xx=counts(r, 35.0))
    ecs(sc, "identity", "session-svc", cpu=noisy(r, 22 + 20 * ramp(-21600, -900), 0.07, 0, 100),
        mem=noisy(r, 41, 0.02), running=np.full(N, 6.0))
    deploy = -2640
    ecs(sc, "identity", "profile-svc", cpu=noisy(r, 18 + 14 * ((T > deploy) & (T < deploy + 240)), 0.08, 0, 100),
        mem=noisy(r, 36, 0.02), running=np.where((T > deploy) & (T < deploy + 240), 6.0, 3.0))
    for n in range(6):
        tid, pid = r.hex(32), r.i(8, 40)
        ev = []
        for t in np.arange(-21600 + r.u(0, 30), 0, 30.0):
            i = int((t + 21600) // 60)
            ev.append((t, gunicorn(t, "INFO", "session_svc.api", f"POST /v1/sessions 201 user={r.i(10 ** 8, 10 ** 9)} "
                                                                   f"device={r.choice(['android', 'ios', 'web'])} "
                                                                   f"{r.i(8, 35)}ms", pid)))
            if r.u() < 0.04:
                ev.append((t + 1, gunicorn(t + 1, "WARNING", "flask_limiter",
                                           f"ratelimit 10 per 1 minute (203.0.113.{r.i(2, 250)}) exceeded at "
                                           "endpoint: api.otp_verify", pid)))
            k = r.g.poisson(t5[i] / 6 / 2)
            for _ in range(int(k)):
                tt = t + r.u(0, 30)
                ev.append((tt, gunicorn(tt, "ERROR", "session_svc.api", "Exception on /v1/sessions [POST]\n"
                                        "Traceback (most recent call last):\n"
                                        '  File "/usr/local/lib/python3.12/site-packages/flask/app.py", line 1473, in wsgi_app\n'
                                        "    response = self.full_dispatch_request()\n"
                                        '  File "/app/session_svc/store.py", line 58, in put_session\n'
                                        "    self.table.put_item(Item=item)\n"
                                        '  File "/usr/local/lib/python3.12/site-packages/botocore/client.py", line 1021, in _make_api_call\n'
                                        "    raise error_class(parsed_response, operation_name)\n"
                                        "botocore.errorfactory.ProvisionedThroughputExceededException: An error occurred "
                                        "(ProvisionedThroughputExceededException) when calling the PutItem operation "
                                        "(reached max retries: 2): The level of configured provisioned throughput for "
                                        "the table was exceeded. Consider increasing your provisioning level with the "
                                        "UpdateTable API.", pid)))
        sc.log("/ecs/session-svc", f"ecs/session-svc/{tid}", ev)
    sc.change(deploy - 30, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "profile-svc",
              "gitlab-ci")
    sc.change(deploy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "identity/profile-svc", "gitlab-ci")
    for t in np.arange(-21000, 0, 2400):
        if prov[int((t + 21600) // 60)] != prov[max(0, int((t + 21600) // 60) - 40)]:
            sc.change(t, "dynamodb.amazonaws.com", "UpdateTable", "AWS::DynamoDB::Table", table,
                      "AWSServiceRoleForApplicationAutoScaling_DynamoDBTable")
    onset = float(T[np.argmax(req * fail_rate > 15)])
    sc.alarm("auth-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             stat="Sum", period=60, evals=3, threshold=20, onset=onset)
    sc.expect = {"alarm": "auth-alb-target-5xx",
                 "root_cause": {"category": "throttling",
                                "resource": [table, "identity/session-svc", "session-svc"]},
                 "anomalies": [{"namespace": "AWS/DynamoDB", "name": "WriteThrottleEvents", "dimensions": d}]}
    sc.readme = dict(
        category="throttling", accepted=f"{table} (DynamoDB) / identity/session-svc",
        decoys="profile-svc deploy (RegisterTaskDefinition+UpdateService) shortly before onset; autoscaling "
               "UpdateTable events during the ramp; constant flask_limiter WARNING",
        story="Evening login traffic grew all afternoon; table auto scaling raised provisioned WCU until it hit "
              "its configured maximum of 400. Demand kept rising, so PutItem calls are throttled "
              "(ProvisionedThroughputExceededException after 3 SDK attempts) and session-svc (Python on ECS) "
              "returns 500s. An unrelated profile-svc deploy landed minutes before.")
    return sc


# =========================================================================== h8-12 noisy neighbour


def noisy_neighbour(seed: int) -> Scenario:
    sc = Scenario("h8-12-catalog-pg-etl-neighbour", "eu-west-3",
                  "catalog-api 5XX alarm: product pages intermittently fail to load.", seed)
    r = sc.rng
    etl_iid = "i-05e7a9c1b3d5f7092"
    host = "catalog-pg.ch4r8k2w1p0z.eu-west-3.rds.amazonaws.com"
    onset = -2460
    sc.resource("apigateway", "catalog-api", api_id="q8w7e6r5t4", stage="prod")
    sc.resource("lambda", "catalog-read", runtime="python3.12", timeout=10, memory_size=512,
                environment={"PGHOST": host, "PGDATABASE": "catalog", "STATEMENT_TIMEOUT_MS": "3000"})
    sc.resource("rds", "catalog-pg", engine="postgres", engine_version="16.2", instance_class="db.m6g.large",
                max_connections=800, allocated_storage_gb=500)
    sc.resource("ec2", etl_iid, name="etl-worker-1", instance_type="r6i.large", log_groups=["/etl/cron"])
    job = sigmoid(onset, 60)
    rds(sc, "catalog-pg", cpu=np.clip(noisy(r, 27 * wave(r, 9000, 0.1) * (1 - job) + 98.7 * job, 0.02), 0, 100),
        conns=np.round(noisy(r, 64 + 40 * job, 0.05)), free_storage=np.round(noisy(r, 212e9 - 3e9 * job, 0.0003), -6),
        read_lat=noisy(r, 0.0011 + 0.019 * job, 0.15), write_lat=noisy(r, 0.0018 + 0.006 * job, 0.15),
        freeable_mem=np.round(noisy(r, 3.4e9 - 1.1e9 * job, 0.02), -6),
        read_iops=noisy(r, 310 + 2900 * job, 0.08), write_iops=noisy(r, 95 + 600 * job, 0.08))
    ec2(sc, etl_iid, cpu=noisy(r, 3 + 9 * job, 0.2, 0, 100), mem=noisy(r, 22 + 6 * job, 0.02),
        disk=noisy(r, 31, 0.002), net_in=noisy(r, 2e5 + 9e6 * job, 0.2))
    inv = counts(r, 34 * wave(r, 10800, 0.1) * (1 + 0.15 * job))
    err = np.array([r.g.binomial(int(n), 0.36 * j) for n, j in zip(inv, job)], dtype=float)
    dur = 140 + 1900 * job

    def ok(rng, rid, t, i):
        sku = f"SKU-{rng.i(100000, 999999)}"
        lines = [(0.01, py("INFO", rid, t, f"GET /products/{sku}"))]
        if rng.u() < 0.09:
            lines.append((0.02, py("WARNING", rid, t, f"image CDN fallback for {sku}: variant 'webp-2x' missing")))
        return lines, (rng.u(90, 220) if job[i] < 0.5 else rng.u(600, 2900)), None

    def fail(rng, rid, t, i):
        sku = f"SKU-{rng.i(100000, 999999)}"
        tb = ("[ERROR] QueryCanceled: canceling statement due to statement timeout\n"
              "Traceback (most recent call last):\n"
              '  File "/var/task/handler.py", line 44, in handler\n    product = repo.get_product(sku)\n'
              '  File "/var/task/catalog/repo.py", line 71, in get_product\n    cur.execute(PRODUCT_SQL, (sku,))\n'
              "psycopg2.errors.QueryCanceled: canceling statement due to statement timeout")
        return [(0.01, py("INFO", rid, t, f"GET /products/{sku}")),
                (3.02, py("ERROR", rid, t + 3.02, f"product lookup failed sku={sku}: canceling statement due to "
                                                  f"statement timeout")),
                (3.03, tb)], 3000 + rng.u(15, 60), None

    lambda_function(sc, "catalog-read", inv=inv, err=err, dur_ms=dur, ok=ok, fail=fail, memory_size=512,
                    mem_used=(95, 120), log_from=-9000, streams=3)
    lat = noisy(r, 165 + 1950 * job, 0.08)
    apigateway(sc, "catalog-api", count=inv + counts(r, 1.0), e4=counts(r, 1.0), e5=err.copy(), latency=lat)
    pg = pg_checkpoints(sc)
    pg.append((onset + 4, pg_line(onset + 4, "LOG:  connection authorized: user=etl database=catalog "
                                             "application_name=rebuild_facets SSL enabled (protocol=TLSv1.3)",
                                  "10.0.44.10(51234)", "etl", "catalog", 30112)))
    for t in np.arange(onset + 200, 0, r.u(140, 220)):
        d = r.u(120000, 240000)
        pg.append((t, pg_line(t, f"LOG:  duration: {d:.3f} ms  statement: INSERT INTO facet_counts_new (category_id, "
                                 "attr_key, attr_value, n) SELECT p.category_id, pa.attr_key, pa.attr_value, count(*) "
                                 "FROM product_attributes pa JOIN products p ON p.id = pa.product_id GROUP BY 1, 2, 3",
                              f"10.0.44.10({r.i(50000, 60000)})", "etl", "catalog", r.i(30000, 31000))))
    for i in range(N):
        for _ in range(int(err[i])):
            t = T[i] + r.u(0, 60)
            cl = f"10.0.{r.i(60, 70)}.{r.i(2, 250)}({r.i(30000, 65000)})"
            pid = r.i(20000, 30000)
            pg.append((t, pg_line(t, "ERROR:  canceling statement due to statement timeout", cl, "catalog_ro",
                                  "catalog", pid)))
            pg.append((t + 0.0004, pg_line(t, "STATEMENT:  SELECT p.*, array_agg(pa.*) FROM products p LEFT JOIN "
                                              "product_attributes pa ON pa.product_id = p.id WHERE p.sku = $1 "
                                              "GROUP BY p.id", cl, "catalog_ro", "catalog", pid)))
    sc.log("/aws/rds/instance/catalog-pg/postgresql", "catalog-pg.0", pg)
    cron = []
    for t in np.arange(-21600 + 300, 0, 3600.0):
        cron.append((t, f"{wall(t).strftime('%b %d %H:%M:%S')} etl-worker-1 CRON[{r.i(2000, 9000)}]: (etl) CMD "
                        "(/opt/etl/bin/sync_prices.sh >> /var/log/etl/cron.log 2>&1)"))
    cron.append((onset - 2, f"{wall(onset - 2).strftime('%b %d %H:%M:%S')} etl-worker-1 CRON[8812]: (etl) CMD "
                            "(/opt/etl/bin/rebuild_facets.sh --full >> /var/log/etl/cron.log 2>&1)"))
    cron.append((onset, f"{wall(onset).strftime('%b %d %H:%M:%S')} etl-worker-1 rebuild_facets[8813]: starting full "
                        "facet rebuild (categories=1840, mode=full, parallel=8)"))
    sc.log("/etl/cron", etl_iid, cron)
    sc.change(-14500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "catalog-read", "github-actions")
    sc.alarm("catalog-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "catalog-api"}, stat="Sum", period=60,
             evals=3, threshold=5, onset=onset)
    sc.expect = {"alarm": "catalog-api-5xx",
                 "root_cause": {"category": "cpu_saturation", "resource": ["catalog-pg", etl_iid, "etl-worker-1"]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "CPUUtilization",
                                "dimensions": {"DBInstanceIdentifier": "catalog-pg"}}]}
    sc.readme = dict(
        category="cpu_saturation", accepted=f"catalog-pg (job from {etl_iid} / etl-worker-1)",
        decoys="catalog-read deploy 4 h earlier; constant image-CDN WARNING; hourly sync_prices cron",
        story="A full facet rebuild was started from cron on etl-worker-1 against the shared catalog-pg "
              "database; its parallel GROUP BY inserts pin the DB CPU at ~99 % and read IOPS/latency jump. The "
              "innocent catalog-read Lambda behind catalog-api now hits its 3 s statement_timeout on a third of "
              "requests (QueryCanceled) and API Gateway returns 502s.")
    return sc
