"""h62-03 (telemetry intake throttled at reserved concurrency) and h62-04 (partition rollup timeouts)."""
from __future__ import annotations

import json

from .common import GRID, Scenario, ramp
from .kit import (LOG_START, apigw_metrics, ec2_metrics, emit, hourly, lambda_metrics, log_plan,
                  sqs_metrics)
from .runtimes import LambdaLogs


# =========================================================================== 03
def s03() -> tuple:
    sc = Scenario(3, "telemetry-intake-5xx",
                  "Device telemetry intake returning 5xx during the morning check-in wave.",
                  "ap-northeast-1", 6203, "2026-02-03T00:48:00+00:00")
    api, fn, adm = "telemetry-ingest", "tlm-accept", "fleet-admin"
    api_id = "k3v9qz7a1m"
    sc.resource("apigateway", api, api_id=api_id, stage="prod", integration=f"lambda:{fn}")
    sc.resource("lambda", fn, runtime="java21", timeout=15, memory_size=1024, reserved_concurrency=60,
                sink="kinesis:device-telemetry")
    sc.resource("apigateway", adm, api_id="p0d7rx2c4e", stage="prod")
    sc.resource("lambda", "firmware-catalog-sync", runtime="java21", timeout=600, memory_size=2048)

    dur_ms, cap = 560.0, 60
    capacity = cap * 60000 / dur_ms / 1.35
    demand = lambda t: 4300 + 1700 * ramp(t, -4500, -1200)
    T0 = next(t for t in GRID if demand(t) > capacity * 1.03)
    thr = lambda t: max(0.0, demand(t) - capacity)
    m = lambda_metrics(sc, fn, inv=lambda t: min(demand(t), capacity), dur=lambda t: dur_ms,
                       thr=thr, conc_cap=cap)
    apigw_metrics(sc, api, count=demand, lat=lambda t: 610 + 30 * ramp(t, T0, T0 + 300),
                  e4=lambda t: 88.0, e5=lambda t: thr(t) + 0.2)
    apigw_metrics(sc, adm, count=lambda t: 3.0, lat=lambda t: 140.0)
    lambda_metrics(sc, "firmware-catalog-sync", inv=lambda t: 1.0 if hourly(sc, t, 30, 1, 1) else 0.0,
                   dur=lambda t: 212000)

    # ---------------------------------------------------------------- logs
    ll = LambdaLogs(sc, fn, "java21", 1024, 15, mem_used=(388, 20), prewarm=LOG_START + 120, max_envs=cap)

    def body(l_, s, r, e, c):
        rng = sc.rng
        dev = f"dv-{rng.randint(10 ** 6, 10 ** 7)}"
        lines = [(0.01, l_.fmt(s, r, "INFO", f"c.t.i.AcceptHandler - accepted batch device={dev} records={rng.randint(4, 30)} fw=5.{rng.randint(1, 4)}.{rng.randint(0, 9)}"))]
        if rng.random() < 0.15:
            lines.append((0.3, l_.fmt(s + 0.3, r, "WARN", f"c.t.i.KinesisSink - PutRecords slow: {rng.randint(900, 1600)} ms "
                                                           f"({rng.randint(1, 3)} records retried, stream=device-telemetry)")))
        return {"dur": rng.gauss(dur_ms, 80), "lines": lines}
    li, le = log_plan(sc, m["inv"], m["err"], 3)
    ll.run(li, le, body)

    grp = f"API-Gateway-Execution-Logs_{api_id}/prod"
    streams = [sc.hexid(32) for _ in range(4)]

    def exe(t):
        rid, lid = sc.uuid(), sc.uuid()
        st = sc.rng.choice(streams)
        if thr(t) > 0 and sc.rng.random() < thr(t) / (thr(t) + 180):
            return [(st, f"({rid}) Lambda invocation failed with status: 429. Lambda request id: {lid}"),
                    (st, f"({rid}) Execution failed due to configuration error: Rate Exceeded."),
                    (st, f"({rid}) Method completed with status: 500")]
        if sc.rng.random() < 0.5:
            return [(st, f"({rid}) The client is not authorized to perform this operation. "
                         f"User is not authorized to access this resource with an explicit deny"),
                    (st, f"({rid}) Method completed with status: 403")]
        return [(st, f"({rid}) Method completed with status: 202")]

    def exe_emit(t):
        for i, (st, txt) in enumerate(exe(t)):
            sc.log(grp, st, t + i * 0.001, txt)
    emit(sc, grp, LOG_START, 0, 4, lambda t: exe_emit(t))

    def acc(t):
        rng = sc.rng
        ip = f"{rng.choice(['126', '153', '219', '60'])}.{rng.randint(1, 254)}.{rng.randint(1, 254)}.{rng.randint(1, 254)}"
        o = {"requestId": sc.uuid(), "ip": ip, "requestTime": sc.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000"),
             "httpMethod": "POST", "resourcePath": "/v1/telemetry", "protocol": "HTTP/1.1"}
        if thr(t) > 0 and rng.random() < thr(t) / demand(t):
            o.update(status="500", responseLength="36", integrationStatus="429", integrationLatency="-",
                     errorMessage="Internal server error")
        elif rng.random() < 88 / demand(t) * 25:
            o.update(status="403", responseLength="82", integrationStatus="-", integrationLatency="-",
                     errorMessage="User is not authorized to access this resource with an explicit deny")
        else:
            o.update(status="202", responseLength="17", integrationStatus="200",
                     integrationLatency=str(int(rng.gauss(560, 90))), errorMessage="-")
        return json.dumps(o)
    emit(sc, f"/aws/apigateway/{api}/access", LOG_START, 0, 6, acc, stream=f"{api_id}_prod")
    emit(sc, f"API-Gateway-Execution-Logs_p0d7rx2c4e/prod", LOG_START, 0, 0.5,
         lambda t: f"({sc.uuid()}) Method completed with status: 200", stream=sc.hexid(32))

    sc.alarm("telemetry-ingest-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api, "Stage": "prod"},
             "Sum", 60, 3, 25, "GreaterThanThreshold", "Telemetry intake server errors")
    sc.alarm("tlm-accept-throttles", "AWS/Lambda", "Throttles", {"FunctionName": fn},
             "Sum", 60, 3, 0, "GreaterThanThreshold")
    sc.alarm("telemetry-ingest-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api, "Stage": "prod"},
             "Sum", 300, 1, 250, "GreaterThanThreshold", "Device auth failures (expired certs)")
    sc.change(T0 - 200, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment",
              adm, "k.tanaka")
    sc.change(T0 - 170, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", adm, "k.tanaka")
    sc.change(-20400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "firmware-catalog-sync", "codepipeline-fleet")
    sc.expect = {"alarm": "telemetry-ingest-5xx",
                 "root_cause": {"category": "throttling", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles",
                                "dimensions": {"FunctionName": fn}}]}
    info = dict(alarm="telemetry-ingest-5xx", category="throttling", resources=[fn],
                where="front (API Gateway)", services="API Gateway, Lambda",
                decoys="deployment + stage update on fleet-admin 3 min before onset; long-standing 403 "
                       "'not authorized' errors and their 4XX alarm; hourly firmware-catalog-sync job",
                story=(
                    f"`{api}` forwards device batches to the Java function `{fn}` (reserved concurrency 60). "
                    "As the morning check-in wave raises requests about 40 % over three hours, "
                    "ConcurrentExecutions flattens at exactly 60 and Throttles appear; the API's 5XXError "
                    "equals the throttle count, and the execution log shows `Lambda invocation failed with "
                    "status: 429` / `Rate Exceeded`. Duration and the function's own logs are unchanged and "
                    "it has no errors. The 403 'explicit deny' responses (and the 4XX alarm that has been in "
                    "ALARM for hours) are expired device certificates at a constant rate; the deployment to "
                    "`fleet-admin` minutes before onset is a different API whose traffic is tiny."),
                judgement=("Load grew ~40 %, which is the normal morning ramp, not a surge 'far above its usual "
                           "level'; the fault is the concurrency limit, so `throttling` on the function, not "
                           "`traffic_surge` on the API."))
    return sc, info


# =========================================================================== 04
def s04() -> tuple:
    T0 = -3000
    sc = Scenario(4, "rollup-errors",
                  "Partition rollup function errors; curated hourly tables are late.",
                  "us-west-2", 6204, "2026-08-22T05:14:00+00:00")
    fn, notif, iid = "partition-rollup", "rollup-notifier", "i-0c3e5a91d27f4b8e6"
    sc.resource("lambda", fn, runtime="ruby3.3", timeout=120, memory_size=2048,
                event_source="sqs:rollup-requests", batch_size=1)
    sc.resource("lambda", notif, runtime="ruby3.3", timeout=30, memory_size=256)
    sc.resource("ec2", iid, name="etl-batch-01", instance_type="m6i.2xlarge")

    bad = lambda t: 0.42 * ramp(t, T0, T0 + 120)
    m = lambda_metrics(sc, fn, inv=lambda t: 6.2 + 1.2 * ramp(t, T0 + 600, T0 + 1200), err_frac=bad,
                       dur=lambda t: 38500 * (1 - bad(t)) + 120000 * bad(t))
    sqs_metrics(sc, "rollup-requests", sent=lambda t: 6.0, deleted=lambda t: 6.0 * (1 - bad(t)),
                visible=lambda t: 2 + 0.9 * max(0.0, t - T0) / 60 * ramp(t, T0, T0 + 300),
                age=lambda t: 45 + (max(0.0, t - T0) * ramp(t, T0, T0 + 720)))
    lambda_metrics(sc, notif, inv=lambda t: 3.5 * (1 - bad(t)), dur=lambda t: 180)
    job = lambda t: hourly(sc, t, 20, 12, 1.0)
    ec2_metrics(sc, iid, cpu=lambda t: 14 + 72 * job(t), mem=lambda t: 36 + 30 * job(t))

    # ---------------------------------------------------------------- logs
    ll = LambdaLogs(sc, fn, "ruby3.3", 2048, 120, mem_used=(640, 80), prewarm=LOG_START + 120)
    tenants = ["t-1032", "t-2231", "t-3307", "t-5120", "t-6044", "t-7781", "t-8815"]

    def body(l_, s, r, is_err, c):
        rng = sc.rng
        hr = sc.at(s - 3600 * rng.randint(1, 3))
        part = f"dt={hr:%Y-%m-%d}/hour={hr:%H}"
        if is_err:
            n = rng.randint(10800, 12600)
            lines = [(0.01, l_.fmt(s, r, "INFO", f"rollup start tenant=t-4410 partition={part} receive_count={rng.randint(1, 4)}")),
                     (rng.uniform(12, 16), l_.fmt(s + 14, r, "INFO", f"listed {n} objects ({n * 5.4 / 1000:.1f} MB) under s3://lake-raw/events/tenant=t-4410/{part}/")),
                     (60.0, l_.fmt(s + 60, r, "INFO", f"merged {rng.randint(3800, 4600)}/{n} objects")),
                     (110.0, l_.fmt(s + 110, r, "INFO", f"merged {rng.randint(7900, 8800)}/{n} objects"))]
            return {"dur": 0, "status": "timeout", "lines": lines, "mem": rng.randint(700, 900)}
        n = rng.randint(180, 420)
        d = rng.gauss(38500, 7000)
        lines = [(0.01, l_.fmt(s, r, "INFO", f"rollup start tenant={rng.choice(tenants)} partition={part} receive_count=1")),
                 (0.9, l_.fmt(s + 0.9, r, "INFO", f"listed {n} objects ({n * 0.16:.1f} MB)"))]
        if rng.random() < 0.12:
            lines.append((3.0, l_.fmt(s + 3, r, "WARN", "Aws::S3::Errors::SlowDown: Please reduce your request rate. (retry 1/10)")))
        lines.append((d / 1000 - 0.05, l_.fmt(s + d / 1000, r, "INFO",
                      f"wrote s3://lake-curated/rollups/{part}/part-0000.parquet rows={rng.randint(60000, 240000)} in {d / 1000 - 1:.1f}s")))
        return {"dur": d, "lines": lines}
    li, le = log_plan(sc, m["inv"], m["err"], 2.5)
    ll.run(li, le, body)

    nl = LambdaLogs(sc, notif, "ruby3.3", 256, 30, prewarm=LOG_START + 120, retire=[T0 - 300])
    nl.run({t: 1 for t in range(LOG_START, 0, 180)}, {},
           lambda l_, s, r, e, c: {"dur": sc.rng.gauss(180, 30), "lines": [
               (0.02, l_.fmt(s, r, "INFO", f"posted rollup-complete to #data-freshness ({sc.rng.choice(tenants)})"))]})

    def cron(t):
        if job(t) and sc.rng.random() < 0.5:
            return f"{sc.at(t):%b %d %H:%M:%S} etl-batch-01 dedupe-sweep[{sc.rng.randint(20000, 30000)}]: swept {sc.rng.randint(1, 9)}00k keys"
        return f"{sc.at(t):%b %d %H:%M:%S} etl-batch-01 CRON[{sc.rng.randint(20000, 30000)}]: (etl) CMD (/opt/etl/bin/heartbeat)"
    emit(sc, "/etl/etl-batch-01/syslog", LOG_START, 0, lambda t: 0.4 + 2 * job(t), cron, stream=iid)

    sc.alarm("partition-rollup-errors", "AWS/Lambda", "Errors", {"FunctionName": fn},
             "Sum", 300, 2, 5, "GreaterThanThreshold", "Rollup function failures")
    sc.alarm("rollup-requests-oldest", "AWS/SQS", "ApproximateAgeOfOldestMessage",
             {"QueueName": "rollup-requests"}, "Maximum", 300, 1, 900, "GreaterThanThreshold")
    sc.alarm("etl-batch-01-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": iid},
             "Average", 300, 1, 70, "GreaterThanThreshold")
    sc.change(T0 - 300, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", notif, "j.alvarez")
    sc.change(-15000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, "codebuild-lake-rollups")
    sc.expect = {"alarm": "partition-rollup-errors",
                 "root_cause": {"category": "function_timeout", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration",
                                "dimensions": {"FunctionName": fn}}]}
    info = dict(alarm="partition-rollup-errors", category="function_timeout", resources=[fn],
                where="origin", services="Lambda, SQS, EC2",
                decoys="config change on rollup-notifier 5 min before onset; hourly dedupe sweep pinning "
                       "etl-batch-01 (CPU alarm flapping) 4 min before onset; old S3 SlowDown retry warnings; "
                       "code deploy 4 h earlier",
                story=(
                    f"The Ruby function `{fn}` (timeout 120 s) rolls up one tenant-hour partition per SQS "
                    "message. From about -50 min roughly 40 % of invocations end with `Task timed out after "
                    "120.00 seconds`; each of them is for tenant `t-4410`, lists ~11 000 small objects instead "
                    "of a few hundred, and is still merging when the timeout hits. Nothing else errors: the "
                    "S3 `SlowDown` retry warnings occur at the same ~12 % rate all morning and are retried "
                    "successfully; the code deploy was four hours earlier with clean runs after it. The "
                    "`rollup-notifier` configuration change and the hourly sweep on `etl-batch-01` are on "
                    "other resources, and the sweep repeats every hour."),
                judgement=("The trigger is unusual input (a small-file partition), but no exception and no "
                           "dependency error is involved; the function hits its configured timeout, which the "
                           "table calls `function_timeout`."))
    return sc, info
