"""Scenarios 13-14: ALB idle timeout lowered, Kinesis consumer stuck on pathological input (function timeouts)."""
from __future__ import annotations

from .common import (Ctx, LogBook, alarm, alb_metrics, anomaly, change, day, ec2_metrics, every, grid, lambda_deploy,
                     lambda_metrics, metric, node_line, scenario, values)
from .sim import LambdaSim, plan_from


def s13(seed: int) -> tuple[dict, dict]:
    ctx = Ctx(seed, "2026-11-20T11:20:00", "us-east-1", "845201937764")
    rng, ts, chg = ctx.rng, grid(), -1700
    alb_id = "app/exports-alb/1f2e3d4c5b6a7980"
    hosts = [("i-01a2b3c4d5e6f7081", "exports-1"), ("i-0f9e8d7c6b5a49382", "exports-2")]
    req = values(ctx, ts, lambda t: 180 * day(ctx, t, 14, 0.35), count=True)
    exp = [float(int(r * 0.12 * rng.uniform(0.8, 1.2))) for r in req]
    cut = [float(int(e * (0.76 if t >= chg + 15 else 0.0) * rng.uniform(0.85, 1.15)) + (rng.random() < 0.06)) for t, e in zip(ts, exp)]
    trt = [round(((r - e) * 0.09 + (e - c) * (19.0 if t < chg else 6.5)) / max(1.0, r - c) * rng.uniform(0.9, 1.1), 3) for t, r, e, c in zip(ts, req, exp, cut)]
    metrics = alb_metrics(alb_id, ts, req, trt, [float(rng.random() < 0.04) for _ in ts], cut, [2.0] * len(ts))
    metrics.append(metric("AWS/ApplicationELB", "HTTPCode_ELB_504_Count", {"LoadBalancer": alb_id}, "Count", ts, cut))
    for k, (iid, _) in enumerate(hosts):
        metrics += ec2_metrics(iid, ts, values(ctx, ts, lambda t: (41 + (38 if k == 0 and -9000 <= t < -8400 else 0)) * day(ctx, t, 14, 0.3), 0.08, hi=100),
                               values(ctx, ts, lambda t: 57.0, 0.02), values(ctx, ts, lambda t: 33.0, 0.003), values(ctx, ts, lambda t: 1.6e7 * day(ctx, t, 14, 0.3), 0.1, nd=0))

    book = LogBook()
    exports = [("orders", "/exports/orders.csv?from=2026-10-01&to=2026-10-31"), ("invoices", "/exports/invoices.csv?month=2026-10"),
               ("customers", "/reports/customers.xlsx"), ("ledger", "/exports/ledger.csv?year=2026")]
    uas = ["Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) Safari/605.1.15", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0", "python-requests/2.32.3"]
    for iid, name in hosts:
        for t in every(-10800, -5, 5.5, 0.7, rng):  # export requests on this host
            ip, (kind, path), ua = ctx.ip("10.0"), rng.choice(exports), rng.choice(uas)
            took = rng.lognormvariate(2.7, 0.55)
            rows = int(took * rng.uniform(7000, 9000))
            limit = 10.0 if t >= chg + 15 else 60.0  # ALB idle timeout in force when the request started
            if took > limit:
                book.add("/exports/nginx", iid, t + limit + 0.001, f'{ip} - - [{ctx.clf(t + limit)}] "GET {path} HTTP/1.1" 499 0 "-" "{ua}" rt={limit + 0.001:.3f} uct=0.000 uht=- urt={limit + 0.001:.3f}')
                book.add("/exports/laravel", iid, t + took, f'[{ctx.spaced(t + took, ms=False)}] production.INFO: Export completed {{"export":"{kind}","rows":{rows},"duration_ms":{int(took * 1000)},"user_id":{rng.randint(100, 9000)}}}')
                book.add("/exports/laravel", iid, t + took + 0.01, f'[{ctx.spaced(t + took, ms=False)}] production.WARNING: Client disconnected before export download started {{"export":"{kind}","elapsed_ms":{int(took * 1000) + 9}}}')
                continue
            book.add("/exports/laravel", iid, t + took, f'[{ctx.spaced(t + took, ms=False)}] production.INFO: Export completed {{"export":"{kind}","rows":{rows},"duration_ms":{int(took * 1000)},"user_id":{rng.randint(100, 9000)}}}')
            book.add("/exports/nginx", iid, t + took + 0.3, f'{ip} - - [{ctx.clf(t + took + 0.3)}] "GET {path} HTTP/1.1" 200 {rows * 61} "-" "{ua}" rt={took + 0.3:.3f} uct=0.000 uht={took:.3f} urt={took + 0.3:.3f}')
        for t in every(-10800, -5, 5.0, 0.8, rng):
            ip, ua = ctx.ip("10.0"), rng.choice(uas)
            path = rng.choice(["/api/exports/status/", "/api/exports/recent", "/api/me", "/favicon.ico", "/healthz"])
            path += ctx.hexid(8) if path.endswith("/") else ""
            st = 404 if path == "/favicon.ico" else 200
            rt = rng.uniform(0.01, 0.15)
            book.add("/exports/nginx", iid, t, f'{ip} - - [{ctx.clf(t)}] "GET {path} HTTP/1.1" {st} {rng.randint(200, 4000)} "-" "{ua}" rt={rt:.3f} uct=0.000 uht={rt - 0.002:.3f} urt={rt:.3f}')
            if rng.random() < 0.012:
                book.add("/exports/laravel", iid, t, f'[{ctx.spaced(t, ms=False)}] production.WARNING: Slow query detected {{"sql":"select * from `customers` where `account_id` = ? order by `created_at` desc","time_ms":{rng.randint(1000, 1600)}}}')

    resources = [{"type": "ec2", "id": iid, "properties": {"name": name, "instance_type": "c6i.2xlarge", "log_groups": ["/exports/nginx", "/exports/laravel"]}} for iid, name in hosts]
    resources.append({"type": "alb", "id": alb_id, "properties": {"name": "exports-alb", "targets": [i for i, _ in hosts], "idle_timeout_seconds": 10,
                                                                  "listeners": ["HTTPS:443"]}})
    changes = [change(chg, "elasticloadbalancing.amazonaws.com", "ModifyLoadBalancerAttributes", "AWS::ElasticLoadBalancingV2::LoadBalancer", alb_id, "terraform-ci"),
               change(-5200, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "exports-web/prod", "ci-deployer")]
    lb = {"LoadBalancer": alb_id}
    alarms = [alarm("exports-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb, "Sum", 60, 3, 5, "ALARM", chg + 240, desc="exports ALB-generated 5XX"),
              alarm("exports-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, "Sum", 60, 3, 5, "OK", -700000),
              alarm("exports-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": hosts[0][0]}, "Average", 300, 2, 85, "OK", -8300)]
    expect = {"alarm": "exports-alb-elb-5xx", "root_cause": {"category": "config_change", "resource": [alb_id, "exports-alb"]},
              "anomalies": [anomaly("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb), anomaly("AWS/ApplicationELB", "HTTPCode_ELB_504_Count", lb)]}
    doc = scenario("h22-13-exports-alb-idle-timeout", "Large CSV/XLSX exports fail with 504 Gateway Timeout; exports ALB 5XX alarm.",
                   ctx.region, resources, metrics, book, alarms, changes, expect)
    return doc, {"origin": "origin (ALB)", "decoys": [
        "CodeDeploy release of the exports app 58 min before onset", "nightly CPU spike on exports-1 (alarm OK)",
        "rare pre-existing 504s on >60 s exports", "steady slow-query WARNINGs and favicon 404s"]}


# ------------------------------------------------------------------------------------------------
def s14(seed: int) -> tuple[dict, dict]:
    ctx = Ctx(seed, "2026-11-20T17:05:00", "us-west-2", "190283746551")
    rng, ts = ctx.rng, grid()
    fn, stream = "ingest-enricher", "clickstream"
    stuck = {2: -2700.0, 1: -1900.0, 3: -1100.0}
    seqs = {k: "4962" + "".join(rng.choice("0123456789") for _ in range(52)) for k in stuck}
    def n_stuck(t):
        return sum(1 for s in stuck.values() if t >= s)
    inv = [float(int(6 * (4 - n_stuck(t)) * rng.uniform(0.85, 1.15)) + n_stuck(t)) for t in ts]
    err = [float(n_stuck(t)) for t in ts]
    dur = [round(((inv[i] - err[i]) * rng.uniform(480, 640) + err[i] * 60030) / max(1.0, inv[i]), 1) for i in range(len(ts))]
    metrics = lambda_metrics(fn, ts, inv, err, [0.0] * len(ts), dur, [4.0] * len(ts))
    age = [round(max([rng.uniform(900, 2200)] + [(t - s) * 1000.0 for s in stuck.values() if t >= s]), 0) for t in ts]
    metrics.append(metric("AWS/Lambda", "IteratorAge", {"FunctionName": fn}, "Milliseconds", ts, age))
    ks = {"StreamName": stream}
    inc = values(ctx, ts, lambda t: 4300 * day(ctx, t, 18, 0.3), 0.05, nd=0)
    metrics += [metric("AWS/Kinesis", "IncomingRecords", ks, "Count", ts, inc),
                metric("AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", ks, "Milliseconds", ts, age),
                metric("AWS/Kinesis", "WriteProvisionedThroughputExceeded", ks, "Count", ts, [0.0] * len(ts)),
                metric("AWS/Kinesis", "ReadProvisionedThroughputExceeded", ks, "Count", ts, [0.0] * len(ts)),
                metric("AWS/Firehose", "IncomingRecords", {"DeliveryStreamName": "clickstream-enriched"}, "Count", ts,
                       [round(i * (4 - n_stuck(t)) / 4.0) for t, i in zip(ts, inc)])]
    s_inv = [float(int((20 if t < -4000 else 5) * rng.uniform(0.85, 1.15))) for t in ts]
    metrics += lambda_metrics("session-aggregator", ts, s_inv, [0.0] * len(ts), [0.0] * len(ts),
                              values(ctx, ts, lambda t: 950.0 if t < -4000 else 3600.0, 0.1), [2.0] * len(ts))

    book = LogBook()
    ips = ["10.20.", "10.31.", "172.16."]

    def invoke(t0, rid, cold, kind):
        if kind == "ok":
            shard = rng.choice([k for k in range(4) if k not in stuck or t0 < stuck[k]])
            n = rng.randint(30, 200)
            lines = []
            if rng.random() < 0.03:
                lines.append(node_line(ctx, t0 + 0.05, "WARN", rid, f"geoip lookup miss for {rng.choice(ips)}{rng.randint(0, 255)}.{rng.randint(1, 254)}; leaving geo fields empty"))
            d = rng.uniform(420, 700)
            lines.append(node_line(ctx, t0 + d / 1000 - 0.01, "INFO", rid, f"batch shard=shardId-00000000000{shard} records={n} enriched={n} ua_parse_ms={rng.randint(2, 9)} "
                                                                          f"firstSeq=4962{''.join(rng.choice('0123456789') for _ in range(12))}... put=firehose:clickstream-enriched"))
            return {"lines": lines, "dur": d, "mem": rng.randint(160, 190)}
        shard = kind[1]
        lines = [node_line(ctx, t0 + 0.004, "INFO", rid, f"processing shard=shardId-00000000000{shard} records=200 firstSeq={seqs[shard]}"),
                 node_line(ctx, t0 + 0.31, "WARN", rid, f"record {seqs[shard][:24]}... user_agent length {7700 + shard * 61} exceeds 2048 chars (client=partner-embed-sdk/2.1.0); parsing anyway")]
        return {"lines": lines, "dur": 0.0, "mem": rng.randint(170, 200), "status": "timeout"}

    plan = []
    for t, i, e in zip(ts, inv, err):
        if t < -7200:
            continue
        kinds = ["ok"] * int(i - e)
        kinds += [("stuck", k) for k, s in stuck.items() if t >= s]
        plan.append((t, kinds))
    LambdaSim(ctx, 1024, 60, invoke, init_ms=(240.0, 420.0)).run(book, f"/aws/lambda/{fn}", plan)

    def agg(t0, rid, cold, kind):
        n = rng.randint(60, 100) if t0 < -4000 else rng.randint(300, 500)
        return {"lines": [node_line(ctx, t0 + 0.9, "INFO", rid, f"aggregated {n} events into {int(n / 7)} sessions")],
                "dur": rng.uniform(800, 1100) if t0 < -4000 else rng.uniform(3000, 4200), "mem": rng.randint(200, 260)}
    LambdaSim(ctx, 1024, 120, agg, version=lambda t: "22" if t < -6200 else "23").run(book, "/aws/lambda/session-aggregator", plan_from(ts, {"ok": s_inv}, -7200))

    resources = [
        {"type": "lambda", "id": fn, "properties": {"runtime": "nodejs20.x", "timeout": 60, "memory_size": 1024,
                                                    "event_source": f"kinesis:{stream} (4 shards, batch size 200, batching window 10 s, bisect on error: false, maximum retry attempts: -1)",
                                                    "environment": {"FIREHOSE_STREAM": "clickstream-enriched", "UA_MAX_LEN_WARN": "2048"}}},
        {"type": "lambda", "id": "session-aggregator", "properties": {"runtime": "nodejs20.x", "timeout": 120, "memory_size": 1024,
                                                                      "event_source": f"kinesis:{stream} (batch size 500)"}},
    ]
    changes = lambda_deploy(-6200, "session-aggregator") + [
        change(-4000, "lambda.amazonaws.com", "UpdateEventSourceMapping20150331", "AWS::Lambda::EventSourceMapping", "session-aggregator", "d.chen")]
    fd = {"FunctionName": fn}
    alarms = [alarm("ingest-enricher-iterator-age", "AWS/Lambda", "IteratorAge", fd, "Maximum", 60, 5, 300000, "ALARM", int(stuck[2]) + 600,
                    desc="clickstream enrichment falling behind"),
              alarm("session-aggregator-errors", "AWS/Lambda", "Errors", {"FunctionName": "session-aggregator"}, "Sum", 300, 1, 0, "OK", -400000)]
    expect = {"alarm": "ingest-enricher-iterator-age", "root_cause": {"category": "function_timeout", "resource": [fn]},
              "anomalies": [anomaly("AWS/Lambda", "IteratorAge", fd), anomaly("AWS/Lambda", "Duration", fd)]}
    doc = scenario("h22-14-clickstream-enricher-timeouts", "Clickstream dashboards stale; enrichment iterator-age alarm.",
                   ctx.region, resources, metrics, book, alarms, changes, expect)
    return doc, {"origin": "origin (Lambda IteratorAge)", "decoys": [
        "session-aggregator deploy (58 min) and batch-size increase via UpdateEventSourceMapping (22 min) before onset",
        "steady geoip-miss WARNs", "Kinesis throughput and incoming records normal (no surge, no read throttling)"]}
