"""h26-03 report-exporter S3 AccessDenied after IAM policy change (API Gateway alarm) and
h26-04 storefront 5XX because the Redis session host failed (ALB alarm)."""
from __future__ import annotations

import datetime as dt
import json

from .common import (MINUTES, Scenario, alb_metrics, apigw_metrics, diurnal, ec2_metrics,
                     ecs_metrics, gauss, lambda_metrics, poisson, simple_lambda_model)
from .logfmt import LambdaLogs, log_minutes, py, py_unhandled, spread

ACCT = "733194025861"


# =========================================================================== 03
def build_03():
    sc = Scenario("h26-03-reports-api-5xx-export-access-denied", 2603, "eu-central-1",
                  "reports-api 5XX alarm; customers say 'Export to CSV' spins and then fails.",
                  dt.datetime(2026, 11, 19, 9, 15, 0))
    rng = sc.rng
    fn, api, api_id = "report-exporter", "reports-api", "k7q2m9x1ab"
    sc.resource("apigateway", api, api_id=api_id, stage="prod", endpoint_type="REGIONAL",
                routes=["POST /reports/export -> report-exporter", "GET /reports/{id} -> report-status"])
    sc.resource("lambda", fn, runtime="python3.11", timeout=60, memory_size=1024,
                role="report-exporter-role", env_keys=["EXPORT_BUCKET", "DB_SECRET_ARN"])
    sc.resource("lambda", "report-status", runtime="python3.11", timeout=10, memory_size=256)
    sc.resource("lambda", "report-scheduler", runtime="python3.11", timeout=120, memory_size=512)

    iam = -2200
    bad = lambda t: t >= iam + 30
    inv, err, thr, dur, conc = {}, {}, {}, {}, {}
    for t in MINUTES:
        n = poisson(rng, 8 * diurnal(t, 0.35, phase_h=-3))
        inv[t], thr[t] = n, 0
        err[t] = n if bad(t) else 0
        dur[t] = gauss(rng, 2900, 300, 1500) if bad(t) else gauss(rng, 3600, 400, 1800)
        conc[t] = max(1, round(n * dur[t] / 60000 + rng.random()))
    lambda_metrics(sc, fn, inv, err, thr, dur, conc)
    st = simple_lambda_model(rng, lambda t: 12 * diurnal(t, 0.35, phase_h=-3), lambda t: gauss(rng, 48, 8, 20))
    lambda_metrics(sc, "report-status", *st)
    sched = {t: (1 if t % 300 == 0 else 0) for t in MINUTES}
    sd = simple_lambda_model(rng, lambda t: 0, lambda t: 1)
    sd = (sched, {t: 0 for t in MINUTES}, {t: 0 for t in MINUTES},
          {t: (gauss(rng, 8200, 900, 4000) if sched[t] else None) for t in MINUTES},
          {t: sched[t] for t in MINUTES})
    lambda_metrics(sc, "report-scheduler", *sd)

    cnt, e4, e5, lat, ilat = {}, {}, {}, {}, {}
    for t in MINUTES:
        c = inv[t] + st[0][t]
        cnt[t] = c
        e4[t] = poisson(rng, 0.6)
        e5[t] = err[t]
        w = (inv[t] * dur[t] + st[0][t] * (st[3][t] or 48)) / max(1, c)
        ilat[t] = w
        lat[t] = w + gauss(rng, 14, 3, 5)
    apigw_metrics(sc, api, cnt, e4, e5, lat, ilat)

    # ---- logs
    role_arn = "arn:aws:sts::%s:assumed-role/report-exporter-role/report-exporter" % ACCT
    ll = LambdaLogs(sc, fn, 1024, init_ms=(900, 1600))
    exec_log = []
    tenants = ["t_%04d" % rng.randint(1000, 9999) for _ in range(40)]
    for t in log_minutes():
        for tt in spread(rng, t, inv[t]):
            ten, exp = rng.choice(tenants), "exp_" + sc.hexid(10)
            rows = rng.randint(300, 180000)
            key = "exports/%s/%s.csv" % (ten, exp)
            q = rng.uniform(600, 2400)
            lines = [(0.01, py("INFO", "Export %s requested by tenant %s report=%s range=%s" % (exp, ten, rng.choice(["invoices", "usage", "payouts", "customers"]), rng.choice(["30d", "90d", "ytd"]))))]
            if rng.random() < 0.18:
                lines.append((q / 1000, py("WARNING", "Slow query for tenant %s took %.1fs (rows=%d); consider narrowing date range" % (ten, q / 1000 + 1.2, rows))))
            if bad(t):
                msg = ("An error occurred (AccessDenied) when calling the PutObject operation: User: %s is not authorized to perform: "
                       "s3:PutObject on resource: \"arn:aws:s3:::acme-report-exports-eu/%s\" because no identity-based policy allows the s3:PutObject action" % (role_arn, key))
                d = gauss(rng, 2900, 300, 1500)
                lines.append((d / 1000 - 0.2, py("ERROR", "Upload of %s failed for tenant %s" % (key, ten))))
                lines.append((d / 1000 - 0.15, py_unhandled("ClientError", msg, [
                    ("/var/task/handler.py", 61, "handler", "url = storage.upload(csv_bytes, key)"),
                    ("/var/task/exporter/storage.py", 22, "upload", "s3.put_object(Bucket=BUCKET, Key=key, Body=body, ServerSideEncryption=\"aws:kms\")"),
                    ("/var/lang/lib/python3.11/site-packages/botocore/client.py", 565, "_api_call", "return self._make_api_call(operation_name, kwargs)"),
                    ("/var/lang/lib/python3.11/site-packages/botocore/client.py", 1021, "_make_api_call", "raise error_class(parsed_response, operation_name)")])))
                rid = ll.invoke(tt, lines, d, rng.randint(210, 340))
                gid = sc.uuid()
                exec_log.append((tt + d / 1000 + 0.03, "(%s) Lambda execution failed with status 200 due to customer function error: %s. Lambda request id: %s" % (gid, msg, rid)))
                exec_log.append((tt + d / 1000 + 0.031, "(%s) Method completed with status: 502" % gid))
            else:
                d = gauss(rng, 3600, 400, 1800)
                lines.append((d / 1000 - 0.05, py("INFO", "Export %s uploaded to s3://acme-report-exports-eu/%s (%d rows, %.1f MB)" % (exp, key, rows, rows * 0.00021))))
                ll.invoke(tt, lines, d, rng.randint(210, 340))
    ll.emit()
    sl = LambdaLogs(sc, "report-status", 256)
    for t in log_minutes():
        for tt in spread(rng, t, st[0][t]):
            sl.invoke(tt, [(0.005, py("INFO", "status exp_%s -> %s" % (sc.hexid(10), rng.choice(["RUNNING", "DONE", "DONE", "FAILED" if t > iam else "DONE"]))))], gauss(rng, 48, 8, 20), rng.randint(70, 80))
    sl.emit()
    sch = LambdaLogs(sc, "report-scheduler", 512)
    for t in log_minutes():
        if sched[t]:
            sch.invoke(t + 0.4, [(0.02, py("INFO", "Scheduled exports due: %d" % rng.randint(0, 6))),
                                 (7.5, py("INFO", "Queued scheduled exports to sqs://report-jobs"))], gauss(rng, 8200, 900, 4000), rng.randint(120, 150))
    sch.emit()
    sc.log("API-Gateway-Execution-Logs_%s/prod" % api_id, sc.hexid(32), exec_log)

    sc.change(-2620, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "report-scheduler", "gitlab-ci-deployer")
    sc.change(-2600, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "report-scheduler", "gitlab-ci-deployer")
    sc.change(iam, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "report-exporter-role", "terraform-ci")
    sc.alarm("reports-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 10,
             "GreaterThanThreshold", "ALARM", -1920, "reports-api returning 5XX")
    sc.expect = {"alarm": "reports-api-5xx",
                 "root_cause": {"category": "permission_denied", "resource": [fn, "report-exporter-role"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}},
                               {"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": api}}]}
    sc.meta = dict(front="front (API Gateway)", decoys="report-scheduler routine code deploy 7 min before; pre-existing 'Slow query' WARNING at constant rate; report-status route healthy",
                   story="terraform-ci rewrote the inline policy on report-exporter-role (PutRolePolicy) at -37 min. From then on every export fails at the upload step with AccessDenied: report-exporter-role is not authorized to perform s3:PutObject on the export bucket; API Gateway logs the customer function error and answers 502, so reports-api 5XXError pages. Queries still run (the slow-query warning is as common as before) and report-status is fine. The report-scheduler deploy just before is a different function that only queues jobs. Judgement: AccessDenied right after an IAM change: permission_denied, originating at report-exporter (and its role), not at API Gateway.")
    return sc


# =========================================================================== 04
def build_04():
    sc = Scenario("h26-04-storefront-5xx-redis-host-failure", 2604, "us-west-2",
                  "Storefront ALB 5XX alarm; logged-in shoppers get error pages, anonymous browsing works.",
                  dt.datetime(2026, 11, 20, 18, 5, 0))
    rng = sc.rng
    lb = "app/storefront-alb/8d2e4f6a1b3c5d70"
    redis, redis_ip = "i-0c4e7a91b2d3f5068", "10.0.2.47"
    etl = "i-09a8b7c6d5e4f3a21"
    sc.resource("alb", lb, name="storefront-alb", scheme="internet-facing", target_groups=["storefront-web-tg"])
    sc.resource("ecs", "shop/storefront", cluster="shop", service_name="storefront", launch_type="FARGATE",
                task_cpu=1024, task_memory=2048, desired_count=6, runtime="node20",
                session_store="redis://%s:6379 (sessions-redis-1)" % redis_ip, log_groups=["/ecs/storefront"])
    sc.resource("ecs", "shop/checkout-api", cluster="shop", service_name="checkout-api", launch_type="FARGATE", desired_count=3)
    sc.resource("ec2", redis, name="sessions-redis-1", instance_type="r6g.large", private_ip=redis_ip, role="redis 7.2 session store (single node)")
    sc.resource("ec2", etl, name="catalog-etl-1", instance_type="c6i.2xlarge", role="daily catalog import 16:30 UTC")

    down = -1680
    req, t5, e5, rt, hh, uh = {}, {}, {}, {}, {}, {}
    for t in MINUTES:
        n = poisson(rng, 360 * diurnal(t, 0.3, phase_h=-12))
        req[t] = n
        fail = t >= down
        t5[t] = poisson(rng, 0.36 * n) if fail else poisson(rng, 0.4)
        e5[t] = poisson(rng, 0.1)
        rt[t] = gauss(rng, 0.43, 0.04, 0.2) if fail else gauss(rng, 0.092, 0.01, 0.05)
        hh[t], uh[t] = 6, 0
    alb_metrics(sc, lb, req, t5, e5, rt, hh, uh)
    ecs_metrics(sc, "shop", "storefront", lambda t: gauss(rng, 31, 3, 10) - (6 if t >= down else 0), lambda t: gauss(rng, 48, 1.5))
    ecs_metrics(sc, "shop", "checkout-api", lambda t: gauss(rng, 22, 3, 5) + (20 if -4200 <= t <= -4020 else 0), lambda t: gauss(rng, 52, 1.5))
    gone = lambda t: t >= down
    ec2_metrics(sc, redis, lambda t: gauss(rng, 7.5, 1.2, 2), lambda t: gauss(rng, 41.5, 0.4),
                lambda t: gauss(rng, 23.1, 0.05), lambda t: gauss(rng, 9.5e6, 1.2e6, 1e6),
                status_fn=lambda t: 1 if t >= down else 0, sys_fn=lambda t: 1 if t >= down else 0, missing=gone)
    ec2_metrics(sc, etl, lambda t: gauss(rng, 96, 2.5, 80, 100) if -5700 <= t <= -3900 else gauss(rng, 3, 1, 0.5),
                lambda t: gauss(rng, 62 if -5700 <= t <= -3900 else 18, 2), lambda t: gauss(rng, 54, 0.2),
                lambda t: gauss(rng, 4e7 if -5700 <= t <= -3900 else 2e5, 5e6 if -5700 <= t <= -3900 else 5e4, 1e4))

    # ---- storefront logs (pino JSON), one stream per task
    tasks = ["ecs/storefront/" + sc.hexid() for _ in range(6)]
    ev = {s: [] for s in tasks}
    hosts = {s: "ip-10-0-%d-%d.us-west-2.compute.internal" % (rng.randint(3, 5), rng.randint(10, 250)) for s in tasks}
    def pino(s, tt, level, msg, **kv):
        d = {"level": level, "time": int(sc.wall(tt).timestamp() * 1000), "pid": 1, "hostname": hosts[s]}
        d.update(kv)
        d["msg"] = msg
        return (tt, json.dumps(d, separators=(",", ":")))
    for t in log_minutes():
        for s in tasks:
            share = req[t] / 6.0
            ev[s].append(pino(s, t + rng.uniform(0, 3), 30, "http stats", window="60s", requests=int(share),
                              p50_ms=int(gauss(rng, 38, 6, 15)) if t < down else int(gauss(rng, 41, 6, 15)),
                              p99_ms=int(gauss(rng, 240, 40, 90)) if t < down else int(gauss(rng, 1090, 30, 1000)),
                              status_5xx=int(t5[t] / 6)))
        for tt in spread(rng, t, poisson(rng, 2)):
            s = rng.choice(tasks)
            ev[s].append(pino(s, tt, 40, "slow upstream response", upstream="catalog-search", path="/v2/search", duration_ms=rng.randint(1000, 1900)))
        if t >= down:
            for s in tasks:
                for k in range(6):
                    tt = t + k * 10 + rng.uniform(0, 0.4)
                    ev[s].append(pino(s, tt, 50, "[ioredis] Unhandled error event: Error: connect ETIMEDOUT",
                                      err={"type": "Error", "message": "connect ETIMEDOUT", "errorno": "ETIMEDOUT", "code": "ETIMEDOUT", "syscall": "connect",
                                           "stack": "Error: connect ETIMEDOUT\n    at Socket.<anonymous> (/app/node_modules/ioredis/built/Redis.js:170:41)\n    at Object.onceWrapper (node:events:634:28)\n    at Socket.emit (node:events:520:28)\n    at Socket._onTimeout (node:net:590:8)\n    at listOnTimeout (node:internal/timers:573:17)\n    at process.processTimers (node:internal/timers:514:7)"}))
            for tt in spread(rng, t, t5[t]):
                s = rng.choice(tasks)
                ev[s].append(pino(s, tt, 50, "request errored", req={"method": "GET", "url": rng.choice(["/account", "/cart", "/account/orders", "/wishlist", "/checkout"])},
                                  res={"statusCode": 500}, responseTime=rng.randint(1000, 1030),
                                  err={"type": "Error", "message": "Connection is closed.", "stack": "Error: Connection is closed.\n    at close (/app/node_modules/ioredis/built/redis/event_handler.js:189:25)\n    at RedisStore.get (/app/node_modules/connect-redis/dist/cjs/index.js:48:31)\n    at session (/app/node_modules/express-session/index.js:485:11)"}))
    for s in tasks:
        sc.log("/ecs/storefront", s, ev[s])
    sc.log("/ecs/checkout-api", "ecs/checkout-api/" + sc.hexid(),
           [(t + 9, '{"level":"info","ts":"%s","msg":"checkout-api 3.8.1 ready","port":8080}' % sc.iso(t + 9)) for t in (-4140,)] +
           [(t + 20, '{"level":"info","ts":"%s","msg":"orders placed","window":"60s","count":%d}' % (sc.iso(t + 20), rng.randint(4, 30))) for t in log_minutes()])
    redis_log = []
    for t in range(-10800, down, 300):
        redis_log.append((t + 1, "1:M %s.%03d * 100 changes in 300 seconds. Saving..." % (sc.wall(t + 1).strftime("%d %b %Y %H:%M:%S"), rng.randint(0, 999))))
        redis_log.append((t + 1.02, "1:M %s.%03d * Background saving started by pid %d" % (sc.wall(t + 1).strftime("%d %b %Y %H:%M:%S"), rng.randint(0, 999), rng.randint(20000, 40000))))
        redis_log.append((t + 2.4, "%d:C %s.%03d * DB saved on disk" % (rng.randint(20000, 40000), sc.wall(t + 2).strftime("%d %b %Y %H:%M:%S"), rng.randint(0, 999))))
    sc.log("/ec2/sessions-redis-1/redis", redis, redis_log)

    sc.change(-4230, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "checkout-api", "argo-deployer")
    sc.change(-4200, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop/checkout-api", "argo-deployer")
    sc.alarm("storefront-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 25, "GreaterThanThreshold", "ALARM", -1560, "Storefront targets returning 5XX")
    sc.alarm("sessions-redis-1-system-status", "AWS/EC2", "StatusCheckFailed_System", {"InstanceId": redis},
             "Maximum", 60, 2, 1, "GreaterThanOrEqualToThreshold", "ALARM", -1560)
    sc.alarm("catalog-etl-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": etl},
             "Average", 300, 3, 90, "GreaterThanThreshold", "OK", -3840)
    sc.expect = {"alarm": "storefront-alb-target-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [redis, "sessions-redis-1"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "StatusCheckFailed_System", "dimensions": {"InstanceId": redis}},
                               {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = dict(front="front (ALB)", decoys="checkout-api routine ECS deploy 42 min before onset; catalog-etl-1 daily import pinning its own CPU (alarm fired and cleared); pre-existing 'slow upstream catalog-search' WARN at constant rate",
                   story="At -28 min the EC2 host under sessions-redis-1 failed its system status check; its CPU and agent metrics stop and its Redis log goes silent. Every storefront task starts logging ioredis 'connect ETIMEDOUT' to 10.0.2.47:6379, and requests that need a session fail with 'Connection is closed.' after ~1 s, so the ALB target 5XX count and response time rise while anonymous pages keep working. Before it went dark the Redis box was idle (7 % CPU, 41 % memory), so it was unreachable, not exhausted. The checkout-api deploy was 42 minutes before any of this and its logs are clean; the catalog-etl CPU spike is the daily import on another instance. Judgement: dependency_failure on the Redis instance sessions-redis-1.")
    return sc
