"""h62-11 (meter DB unreachable) and h62-12 (partner webhook replay surge)."""
from __future__ import annotations

import json

from .common import Scenario, diurnal, ramp
from .kit import (LOG_START, apigw_metrics, emit, hourly, lambda_metrics, log_plan, rds_metrics,
                  sqs_metrics)
from .runtimes import LambdaLogs, mysql


# =========================================================================== 11
def s11() -> tuple:
    T0 = -1980
    sc = Scenario(11, "meter-ingest-errors",
                  "meter-ingest Lambda errors alarm; smart-meter readings piling up in the queue.",
                  "us-east-1", 6211, "2026-09-30T19:10:00+00:00")
    fn, db, ru = "meter-ingest", "meterdb", "meter-rollup"
    host = "meterdb.c8ylx0q3nv2p.us-east-1.rds.amazonaws.com"
    sc.resource("lambda", fn, runtime="python3.11", timeout=30, memory_size=512,
                event_source="sqs:meter-readings", batch_size=10, db_host=host)
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.m6g.large",
                max_connections=1000, allocated_storage_gb=500, multi_az=False)
    sc.resource("lambda", ru, runtime="python3.11", timeout=600, memory_size=1024, schedule="cron(15 * * * ? *)")

    day = lambda t: diurnal(sc, t, peak_hour=20, amp=0.25)
    down = lambda t: t >= T0
    dn = lambda t: ramp(t, T0, T0 + 30)
    rds_metrics(sc, db, cpu=lambda t: 23 * day(t), conns=lambda t: 42.0, free_storage_gb=lambda t: 311.0,
                mask=down)
    m = lambda_metrics(sc, fn, inv=lambda t: 120 * day(t) * (1 - dn(t)) + 260 * dn(t) * ramp(t, T0, T0 + 900),
                       err_frac=lambda t: 0.001 + dn(t), dur=lambda t: 140 + 10010 * dn(t))
    sqs_metrics(sc, "meter-readings", sent=lambda t: 1200 * day(t), deleted=lambda t: 1200 * day(t) * (1 - dn(t)),
                visible=lambda t: 30 + 1150 * max(0.0, t - T0) / 60 * dn(t), age=lambda t: 3 + max(0.0, t - T0) * dn(t))
    lambda_metrics(sc, ru, inv=lambda t: 1.0 if hourly(sc, t, 15, 1, 1) and t < T0 else 0.0, dur=lambda t: 95000)

    ll = LambdaLogs(sc, fn, "python3.11", 512, 30, mem_used=(121, 6), prewarm=LOG_START + 120)

    def body(l_, s, rid, is_err, cold):
        rng = sc.rng
        if is_err and s >= T0:
            tb = (f"[ERROR] OperationalError: (2003, \"Can't connect to MySQL server on '{host}' (timed out)\")\n"
                  "Traceback (most recent call last):\n"
                  "  File \"/var/task/handler.py\", line 33, in handler\n    conn = get_conn()\n"
                  "  File \"/var/task/db.py\", line 19, in get_conn\n    _conn = pymysql.connect(host=HOST, user=USER, "
                  "password=PW, database=\"meter\", connect_timeout=10)\n"
                  "  File \"/var/lang/lib/python3.11/site-packages/pymysql/connections.py\", line 716, in connect\n"
                  "    raise exc")
            return {"dur": rng.uniform(10005, 10040), "lines": [(10.0, tb)]}
        lines = []
        if rng.random() < 0.2:
            lines.append((0.02, l_.fmt(s, rid, "WARNING", f"reading rejected: meter mt-{rng.randint(10 ** 5, 10 ** 6)} "
                                                         f"timestamp {rng.randint(2, 40)} min in the future")))
        d = rng.gauss(140, 30)
        lines.append((d / 1000, l_.fmt(s + d / 1000, rid, "INFO", f"upserted {rng.randint(80, 100)} readings into meter.readings_{sc.at(s):%Y%m}")))
        return {"dur": d, "lines": lines}
    li, le = log_plan(sc, m["inv"], m["err"], 3)
    ll.run(li, le, body)

    def err_log(t):
        rng = sc.rng
        c = rng.randint(30000, 99999)
        if rng.random() < 0.8:
            return mysql(sc, t, c, "Note", "MY-010914", f"Aborted connection {c} to db: 'meter' user: 'grafana' host: "
                                                        f"'10.0.{rng.randint(1, 9)}.{rng.randint(2, 250)}' (Got timeout reading communication packets).")
        return mysql(sc, t, 0, "Warning", "MY-010055", f"IP address '10.0.{rng.randint(1, 9)}.{rng.randint(2, 250)}' "
                                                      "could not be resolved: Name or service not known")
    emit(sc, f"/aws/rds/instance/{db}/error", LOG_START, T0 - 40, 0.8, err_log, stream=db)
    rl = LambdaLogs(sc, ru, "python3.11", 1024, 600, prewarm=LOG_START - 10, retire=[T0 - 300])
    rl.run({t: 1 for t in range(LOG_START, T0, 60) if hourly(sc, t, 15, 1, 1)}, {},
           lambda l_, s, r, e, c: {"dur": sc.rng.gauss(95000, 4000), "lines": [
               (0.05, l_.fmt(s, r, "INFO", "rolling up readings for the previous hour")),
               (90.0, l_.fmt(s + 90, r, "INFO", f"wrote {sc.rng.randint(40000, 60000)} hourly aggregates"))]})

    sc.alarm("meter-ingest-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 20,
             "GreaterThanThreshold", "Meter ingest failures")
    sc.alarm("meter-readings-oldest", "AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "meter-readings"},
             "Maximum", 300, 1, 600, "GreaterThanThreshold")
    a = sc.alarm("meterdb-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 2, 80,
                 "GreaterThanThreshold")
    a.update(state="INSUFFICIENT_DATA", state_changed=T0 - T0 % 300 + 600 + 25,
             state_reason="Insufficient Data: 2 datapoints were unknown.")
    sc.change(T0 - 300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", ru,
              "jenkins-metering")
    sc.change(-11400, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fn,
              "a.nguyen")
    sc.expect = {"alarm": "meter-ingest-errors",
                 "root_cause": {"category": "dependency_failure", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    info = dict(alarm="meter-ingest-errors", category="dependency_failure", resources=[db],
                where="front (calling Lambda)", services="Lambda, SQS, RDS MySQL",
                decoys="code deploy of meter-rollup 5 min before onset; meter-ingest concurrency rising (no "
                       "throttles); old 'Aborted connection' notes in the DB log; config change on the caller 3 h earlier",
                story=(
                    f"`{fn}` (Python) writes SQS batches of meter readings into the MySQL instance `{db}`. At "
                    "-33 min every invocation starts failing after exactly the 10 s connect timeout with "
                    "`(2003, \"Can't connect to MySQL server on 'meterdb...' (timed out)\")`. At the same "
                    f"minute `{db}` stops publishing metrics altogether and its error log goes silent; before "
                    "that it was unremarkable (23 % CPU, 42 of 1000 connections, 311 GB free). The SQS poller "
                    "scales the function up against the growing backlog, so concurrency rises without any "
                    "throttles. The `meter-rollup` deploy touches a function that last ran before the outage; the "
                    "caller's memory change was three hours earlier with clean processing after it; the "
                    "`Aborted connection` notes come from an idle Grafana and are old."),
                judgement=("Nothing on the database is exhausted and no change touched it; the caller only sees "
                           "connect timeouts. That is `dependency_failure` with the database as the origin. Its "
                           "own missing metrics are the strongest sign that the instance itself is down."))
    return sc, info


# =========================================================================== 12
def s12() -> tuple:
    T0 = -2400
    sc = Scenario(12, "partner-hooks-latency",
                  "Partner webhook endpoint latency alarm; partner reports slow acknowledgements.",
                  "ap-south-1", 6212, "2026-11-11T06:20:00+00:00")
    api, fn, adm, arc = "partner-hooks", "hook-intake", "internal-admin", "hook-archiver"
    sc.resource("apigateway", api, api_id="r7t2m9x4ka", stage="prod", integration=f"lambda:{fn}")
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=10, memory_size=256, sink="sqs:partner-events")
    sc.resource("apigateway", adm, api_id="b5c8e1w3qp", stage="prod")
    sc.resource("lambda", arc, runtime="nodejs20.x", timeout=300, memory_size=512)

    day = lambda t: diurnal(sc, t, peak_hour=8, amp=0.2)
    surge = lambda t: ramp(t, T0, T0 + 240)
    count = lambda t: 640 * day(t) + 5000 * surge(t)
    m = lambda_metrics(sc, fn, inv=count, err_frac=lambda t: 0.0004, dur=lambda t: 115 + 330 * surge(t))
    apigw_metrics(sc, api, count=count, lat=lambda t: 150 + 560 * surge(t), e4=lambda t: 19.0,
                  e5=lambda t: 0.1 + 3 * surge(t))
    sqs_metrics(sc, "partner-events", sent=count, deleted=lambda t: count(t) * (1 - 0.2 * surge(t)),
                visible=lambda t: 20 + 900 * surge(t), age=lambda t: 2 + 40 * surge(t))
    apigw_metrics(sc, adm, count=lambda t: 2.0 + 10 * ramp(t, T0 - 120, T0 - 60) * (1 - ramp(t, T0 + 300, T0 + 360)),
                  lat=lambda t: 90.0)
    lambda_metrics(sc, arc, inv=lambda t: 1.0 if hourly(sc, t, 0, 1, 1) else 0.0, dur=lambda t: 162000)

    ll = LambdaLogs(sc, fn, "nodejs20.x", 256, 10, mem_used=(88, 5), prewarm=LOG_START + 120)
    evs = ["order.updated", "order.created", "shipment.dispatched", "refund.issued"]

    def body(l_, s, rid, is_err, cold):
        rng = sc.rng
        lines = []
        replay = s >= T0 and rng.random() < 0.88
        created = s - (rng.uniform(3600, 30000) if replay else rng.uniform(0.4, 3))
        dlv = f"dlv_{sc.hexid(20)}"
        if rng.random() < 0.07:
            lines.append((0.01, l_.fmt(s, rid, "WARN", f"duplicate delivery id {dlv}, acked without enqueue")))
        d = rng.gauss(115, 20) + (rng.gauss(330, 80) if s >= T0 else 0)
        lines.append((d / 1000, l_.fmt(s + d / 1000, rid, "INFO",
                                       f"accepted delivery={dlv} event={rng.choice(evs)} attempt={rng.randint(2, 6) if replay else 1} "
                                       f"created_at={sc.iso(created, 0)} lag_s={int(s - created)}")))
        return {"dur": max(30, d), "lines": lines}
    li, le = log_plan(sc, m["inv"], m["err"], lambda t: 2 if t < T0 else 5)
    ll.run(li, le, body)

    def acc(t):
        rng = sc.rng
        o = {"requestId": sc.uuid(), "ip": f"52.66.{rng.randint(10, 40)}.{rng.randint(2, 250)}",
             "requestTime": sc.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000"), "httpMethod": "POST",
             "resourcePath": "/hooks/{partner}", "userAgent": "PartnerHub-Webhooks/3.1"}
        if rng.random() < 19 / count(t):
            o.update(status="401", responseLatency=str(rng.randint(3, 9)), errorMessage="invalid signature")
        else:
            lat = int(rng.gauss(150, 30) + (rng.gauss(560, 150) if t >= T0 + 120 else 0))
            o.update(status="202", responseLatency=str(max(20, lat)), errorMessage="-")
        return json.dumps(o)
    emit(sc, f"/aws/apigateway/{api}/access", LOG_START, 0, lambda t: 3 + 9 * surge(t), acc, stream="r7t2m9x4ka_prod")
    al = LambdaLogs(sc, arc, "nodejs20.x", 512, 300, prewarm=LOG_START - 10)
    al.run({t: 1 for t in range(LOG_START, 0, 60) if hourly(sc, t, 0, 1, 1)}, {},
           lambda l_, s, r, e, c: {"dur": sc.rng.gauss(162000, 5000), "lines": [
               (0.1, l_.fmt(s, r, "INFO", "archiving deliveries older than 72h to s3://hooks-archive/")),
               (150.0, l_.fmt(s + 150, r, "INFO", f"archived {sc.rng.randint(80000, 120000)} deliveries"))]})

    sc.alarm("partner-hooks-latency", "AWS/ApiGateway", "Latency", {"ApiName": api, "Stage": "prod"}, "Average",
             60, 3, 500, "GreaterThanThreshold", "Partner webhook ack latency")
    sc.alarm("partner-events-backlog", "AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "partner-events"},
             "Maximum", 300, 1, 5000, "GreaterThanThreshold")
    sc.alarm("hook-intake-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10, "GreaterThanThreshold")
    sc.change(T0 - 130, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", adm, "s.iyer")
    sc.change(T0 - 110, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", adm, "s.iyer")
    sc.change(-16000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gha-integrations")
    sc.expect = {"alarm": "partner-hooks-latency",
                 "root_cause": {"category": "traffic_surge", "resource": [api]},
                 "anomalies": [{"namespace": "AWS/ApiGateway", "name": "Count", "dimensions": {"ApiName": api, "Stage": "prod"}}]}
    info = dict(alarm="partner-hooks-latency", category="traffic_surge", resources=[api],
                where="origin", services="API Gateway, Lambda, SQS",
                decoys="deployment + stage update on internal-admin 2 min before onset; hourly hook-archiver; old "
                       "401 invalid-signature errors and duplicate-delivery warnings; code deploy of hook-intake 4.5 h earlier",
                story=(
                    f"`{api}` receives partner webhooks and `{fn}` enqueues them. At -40 min requests jump from "
                    "~650 to ~5 600 per minute and stay there; the function logs show deliveries with "
                    "`attempt` 2-6 and `lag_s` of one to eight hours: the partner is replaying its backlog. "
                    "Duration and API latency rise with the load but nothing breaks: no throttles, almost no "
                    "5XX, no new error signature, the queue simply absorbs the burst. The `internal-admin` "
                    "deployment two minutes earlier serves a dozen requests a minute; `hook-intake`'s own "
                    "deploy was hours earlier; the 401s and duplicate warnings are at their normal rate."),
                judgement=("The surge enters at the API, so the API is the origin; a reader could also point at "
                           "the partner, which is outside the account. The function is only carrying the load."))
    return sc, info
