"""Hold-out cases 09-11: DynamoDB throughput throttling, Lambda timeouts behind API Gateway, on-sale traffic surge."""
from __future__ import annotations

from .kit import Scenario, bump, iso, lambda_request, lambda_stream, plain, ramp, sample_times, wave


def hold_09() -> Scenario:
    """Kinesis consumer writes to a provisioned table; morning fleet wake-up exceeds WCU; iterator age alarm."""
    sc = Scenario("hold-09-telemetry-iterator-age", "Device dashboards lagging behind by many minutes; iterator "
                  "age alarm on the telemetry consumer.", "eu-north-1", seed=909)
    fn, ev_fn, table = "telemetry-ingest-prod", "alerts-evaluator", "device-readings"
    onset = -2000
    sc.resource("lambda", fn, runtime="python3.11", timeout=60, memory_size=512,
                environment={"TABLE_NAME": table, "BATCH_SIZE": "25"}, event_source="kinesis:device-telemetry")
    sc.resource("lambda", ev_fn, runtime="python3.11", timeout=30, memory_size=256)
    sc.resource("ec2", "i-0b7e5d3c1a9f8e642", name="mqtt-bridge-1", instance_type="c6g.large")

    writes = lambda t: 24000 * ramp(t, -4200, -1200, 1.0, 1.55) * wave(t, 5400, 0.03)
    cap = 30000.0  # 500 WCU * 60 s
    over = lambda t: max(0.0, writes(t) - cap)
    tbl = {"TableName": table}
    sc.metric("AWS/DynamoDB", "ConsumedWriteCapacityUnits", tbl, "Count", lambda t: min(writes(t), cap * 1.02),
              rel=0.015, digits=0)
    sc.metric("AWS/DynamoDB", "ProvisionedWriteCapacityUnits", tbl, "Count", lambda t: 500, digits=0)
    sc.metric("AWS/DynamoDB", "WriteThrottleEvents", tbl, "Count", lambda t: over(t) * 0.35, count=True)
    sc.metric("AWS/DynamoDB", "ThrottledRequests", {"TableName": table, "Operation": "BatchWriteItem"}, "Count",
              lambda t: over(t) * 0.02, count=True)
    sc.metric("AWS/DynamoDB", "ConsumedReadCapacityUnits", tbl, "Count", lambda t: 5200, rel=0.05, digits=0)
    d = {"FunctionName": fn}
    thr = lambda t: over(t) > 0
    sc.metric("AWS/Lambda", "Invocations", d, "Count", lambda t: 240 * (0.8 if thr(t) else 1.0), count=True)
    sc.metric("AWS/Lambda", "Errors", d, "Count", lambda t: 0.1 + (22 * min(1, over(t) / 4000) if thr(t) else 0),
              count=True)
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", lambda t: 380 + (7400 if thr(t) else 0), rel=0.15)
    sc.metric("AWS/Lambda", "IteratorAge", d, "Milliseconds",
              lambda t: 900 + (ramp(t, onset, -60, 0, 1.9e6) if t >= onset else 0), rel=0.08)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", lambda t: 4, digits=0)
    sc.metric("AWS/Lambda", "Throttles", d, "Count", lambda t: 0, count=True)
    e = {"FunctionName": ev_fn}
    sc.metric("AWS/Lambda", "Invocations", e, "Count", lambda t: 60, count=True)
    sc.metric("AWS/Lambda", "Duration", e, "Milliseconds", lambda t: 140 + bump(t, -2400, -1900, 2600, 60), rel=0.12)
    sc.metric("AWS/Lambda", "Errors", e, "Count", lambda t: 0.02, count=True)
    sc.metric("AWS/EC2", "CPUUtilization", {"InstanceId": "i-0b7e5d3c1a9f8e642"}, "Percent",
              lambda t: 22 * ramp(t, -4200, -1200, 1.0, 1.5), rel=0.06)

    sc.change(-2420, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              ev_fn, "l.eriksson")
    sc.change(-8800, "dynamodb.amazonaws.com", "UpdateTable", "AWS::DynamoDB::Table", table, "l.eriksson")

    tb = ("Traceback (most recent call last):\n"
          "  File \"/var/task/ingest/handler.py\", line 88, in handler\n    _flush(batch)\n"
          "  File \"/var/task/ingest/handler.py\", line 52, in _flush\n"
          "    resp = _ddb.batch_write_item(RequestItems={TABLE: chunk})\n"
          "  File \"/var/lang/lib/python3.11/site-packages/botocore/client.py\", line 565, in _api_call\n"
          "    return self._make_api_call(operation_name, kwargs)\n"
          "  File \"/var/lang/lib/python3.11/site-packages/botocore/client.py\", line 1021, in _make_api_call\n"
          "    raise error_class(parsed_response, operation_name)")
    msg = ("botocore.errorfactory.ProvisionedThroughputExceededException: An error occurred "
           "(ProvisionedThroughputExceededException) when calling the BatchWriteItem operation (reached max retries: "
           "9): The level of configured provisioned throughput for the table was exceeded. Consider increasing your "
           "provisioning level with the UpdateTable API.")
    streams = [lambda_stream("2026/11/20", sc) for _ in range(4)]
    out: dict[str, list] = {s: [] for s in streams}
    for t in sample_times(sc, -5400, -60, 2.5):
        s = sc.rng.choice(streams)
        n = sc.rng.randint(80, 100)
        body = []
        if sc.rng.random() < 0.1:
            body.append((0.01, f"[WARNING]\t{iso(t + 0.01)}\t{{rid}}\tdropping reading with clock skew > 300s "
                               f"device=dv-{sc.hexid(8)} skew={sc.rng.randint(301, 4000)}s"))
        if sc.rng.random() < 0.12:
            body.append((0.02, f"[ERROR]\t{iso(t + 0.02)}\t{{rid}}\tschema validation failed for record from "
                               f"dv-{sc.hexid(8)}: 'fw' is a required property (record skipped)"))
        if thr(t) and sc.rng.random() < min(0.35, over(t) / 9000):
            body.append((3.0, f"[WARNING]\t{iso(t + 3)}\t{{rid}}\tBatchWriteItem returned "
                              f"{sc.rng.randint(5, 25)} UnprocessedItems, backing off"))
            body.append((7.9, f"[ERROR] {msg}\n{tb}"))
            _, ev = lambda_request(sc, t, sc.rng.uniform(7500, 9800), 512, sc.rng.randint(120, 140), body)
        else:
            slow = thr(t) and sc.rng.random() < 0.5
            if slow:
                body.append((1.2, f"[WARNING]\t{iso(t + 1.2)}\t{{rid}}\tBatchWriteItem returned "
                                  f"{sc.rng.randint(1, 12)} UnprocessedItems, backing off"))
            body.append((0.3, f"[INFO]\t{iso(t + 0.3)}\t{{rid}}\twrote {n} readings shard=shardId-00000000000"
                              f"{sc.rng.randint(0, 7)}"))
            _, ev = lambda_request(sc, t, sc.rng.uniform(2500, 6000) if slow else sc.rng.uniform(250, 520), 512,
                                   sc.rng.randint(110, 135), body)
        out[s].extend(ev)
    for s, ev in out.items():
        sc.log(f"/aws/lambda/{fn}", s, ev)

    sc.alarm("telemetry-ingest-iterator-age", "AWS/Lambda", "IteratorAge", d, statistic="Maximum", period=60,
             evaluation_periods=5, threshold=120000, state_changed=onset + 480,
             description="Kinesis consumer falling behind (> 2 min)")
    sc.expect("telemetry-ingest-iterator-age", "throttling", [fn, table],
              [{"namespace": "AWS/Lambda", "name": "IteratorAge", "dimensions": d}])
    sc.notes = {"cause": "morning device wake-up pushes writes past device-readings' 500 provisioned WCU; "
                         "ProvisionedThroughputExceededException after retries; consumer falls behind",
                "decoys": "alerts-evaluator config change 7 min before onset with a Duration spike; UpdateTable on "
                          "the same table 2.4 h earlier; steady clock-skew warnings and schema-validation errors; "
                          "no Lambda Throttles (the throttling is DynamoDB's)"}
    return sc


def hold_10() -> Scenario:
    """A bigger route graph makes long itineraries exceed the 6 s function timeout; API 5XX alarm."""
    sc = Scenario("hold-10-fares-api-5xx", "Fare search failing for long itineraries; fares-api 5XX alarm.",
                  "us-east-1", seed=1010)
    api, fn, warm = "fares-api", "fare-calc", "fare-cache-warmer"
    onset = -2280
    sc.resource("apigateway", api, api_id="f7q2r9t4y1", stage="v1")
    sc.resource("lambda", fn, runtime="python3.12", timeout=6, memory_size=768,
                environment={"GRAPH_URI": "s3://fares-graph-prod/graph/current/"})
    sc.resource("lambda", warm, runtime="python3.12", timeout=900, memory_size=512)

    req = lambda t: 130 * wave(t, 10800, 0.1, 3.0)
    slow_share = lambda t: ramp(t, onset - 300, onset + 300, 0.0, 0.17)
    d = {"FunctionName": fn}
    sc.metric("AWS/Lambda", "Invocations", d, "Count", req, count=True)
    sc.metric("AWS/Lambda", "Errors", d, "Count", lambda t: req(t) * slow_share(t), count=True)
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", lambda t: 1750 + 12000 * slow_share(t), rel=0.1)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", lambda t: req(t) * (1.75 + 12 * slow_share(t)) / 60,
              rel=0.15, digits=0)
    sc.metric("AWS/Lambda", "Throttles", d, "Count", lambda t: 0, count=True)
    a = {"ApiName": api}
    sc.metric("AWS/ApiGateway", "Count", a, "Count", req, count=True)
    sc.metric("AWS/ApiGateway", "5XXError", a, "Count", lambda t: req(t) * slow_share(t), count=True)
    sc.metric("AWS/ApiGateway", "4XXError", a, "Count", lambda t: req(t) * 0.025, count=True)
    sc.metric("AWS/ApiGateway", "Latency", a, "Milliseconds", lambda t: 1800 + 12000 * slow_share(t), rel=0.1)
    w = {"FunctionName": warm}
    sc.metric("AWS/Lambda", "Invocations", w, "Count", lambda t: (1 if int(t) % 600 == 0 else 0) +
              bump(t, -2900, -2500, 20, 60), count=True)
    sc.metric("AWS/Lambda", "Errors", w, "Count", lambda t: 0, count=True)

    sc.change(-2920, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", warm,
              "ci-fares")
    sc.change(-2905, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", warm, "ci-fares")

    streams = [lambda_stream("2026/11/20", sc) for _ in range(4)]
    out: dict[str, list] = {s: [] for s in streams}
    for t in sample_times(sc, -5400, -60, 2.4):
        s = sc.rng.choice(streams)
        o, dst = sc.rng.sample(["BOS", "NYP", "WAS", "PHL", "CHI", "NOL", "LAX", "SEA", "DEN", "SLC"], 2)
        hops = sc.rng.randint(1, 9)
        body = [(0.01, f"[INFO]\t{iso(t + 0.01)}\t{{rid}}\tsearch {o}->{dst} date=2026-12-0{sc.rng.randint(1, 9)} "
                       f"pax={sc.rng.randint(1, 4)}")]
        if sc.rng.random() < 0.2:
            body.append((0.4, f"[WARNING]\t{iso(t + 0.4)}\t{{rid}}\tS3 GetObject retry 1/3 for s3://fares-graph-prod/"
                              "graph/current/edges-07.parquet: Read timeout on endpoint URL: \"https://fares-graph-prod"
                              ".s3.amazonaws.com/graph/current/edges-07.parquet\""))
        if sc.rng.random() < 0.025:
            body.append((0.02, f"[ERROR]\t{iso(t + 0.02)}\t{{rid}}\tInvalidStationCode: 'XQZ' is not a known station "
                               "(returning 400)"))
            _, ev = lambda_request(sc, t, sc.rng.uniform(20, 40), 768, sc.rng.randint(300, 340), body)
        elif sc.rng.random() < slow_share(t):
            body.append((2.0, f"[INFO]\t{iso(t + 2)}\t{{rid}}\texpanding itineraries hops<={hops + 6} "
                              f"frontier={sc.rng.randint(180000, 650000)}"))
            body.append((6.01, f"{iso(t + 6.01)} {{rid}} Task timed out after 6.01 seconds"))
            _, ev = lambda_request(sc, t, 6006 + sc.rng.uniform(0, 9), 768, sc.rng.randint(520, 700), body,
                                   status="timeout")
        else:
            dur = sc.rng.uniform(600, 3200)
            body.append((dur / 1000 - 0.01, f"[INFO]\t{iso(t + dur / 1000)}\t{{rid}}\treturned "
                                             f"{sc.rng.randint(3, 40)} fares hops<={hops}"))
            _, ev = lambda_request(sc, t, dur, 768, sc.rng.randint(330, 520), body)
        out[s].extend(ev)
    for s, ev in out.items():
        sc.log(f"/aws/lambda/{fn}", s, ev)
    gw = [(t, f"({sc.uuid()}) Endpoint response body before transformations: {{\"errorMessage\":\"{sc.uuid()} "
              "Task timed out after 6.01 seconds\"}") for t in sample_times(sc, onset, -60, 1.2)]
    sc.log("API-Gateway-Execution-Logs_f7q2r9t4y1/v1", sc.hexid(), gw)

    sc.alarm("fares-api-5xx", "AWS/ApiGateway", "5XXError", a, statistic="Sum", period=60, evaluation_periods=3,
             threshold=10, state_changed=onset + 320)
    sc.expect("fares-api-5xx", "function_timeout", [fn],
              [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": d}])
    sc.notes = {"cause": "graph data grew (S3 content, not in CloudTrail); long itineraries exceed fare-calc's 6 s "
                         "timeout ('Task timed out', Status: timeout); no dependency errors beyond the usual",
                "decoys": "fare-cache-warmer deploy 11 min before onset with an invocation burst; steady S3 read-"
                          "timeout retry warnings (dependency-looking); steady 400 InvalidStationCode errors"}
    return sc


def hold_11() -> Scenario:
    """Concert on-sale: 6x traffic on the ticketing ALB; latency and some 5XX, CPU high but not pinned."""
    sc = Scenario("hold-11-ingressos-latency", "Ticket site slow and some users see errors; ALB latency alarm.",
                  "sa-east-1", seed=1111)
    alb = "app/ingressos-web/5e6f7a8b9c0d1e2f"
    web = {f"i-0{c}1f2e3d4c5b6a7{n}8": f"ingressos-web-{n}" for n, c in zip(range(1, 5), "a3c7")}
    batch, db, mail = "i-04c3b2a1f0e9d8c76", "ingressos-db", "ingressos-email-receipts"
    onset = -1500
    sc.resource("alb", alb, name="ingressos-web", scheme="internet-facing")
    for iid, name in web.items():
        sc.resource("ec2", iid, name=name, instance_type="c6i.xlarge", autoscaling_group="ingressos-web-asg")
    sc.resource("ec2", batch, name="ingressos-batch", instance_type="m6i.large")
    sc.resource("rds", db, engine="postgres", instance_class="db.r6g.2xlarge", max_connections=5000,
                allocated_storage_gb=400)
    sc.resource("lambda", mail, runtime="nodejs20.x", timeout=30, memory_size=256)

    mult = lambda t: 1.0 + ramp(t, onset - 60, onset + 120, 0, 5.3) - ramp(t, -600, -60, 0, 0.9)
    req = lambda t: 3100 * wave(t, 10800, 0.05) * mult(t)
    sat = lambda t: ramp(mult(t), 1.5, 5.5, 0, 1)
    sc.metric("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb}, "Count", req, count=True)
    sc.metric("AWS/ApplicationELB", "NewConnectionCount", {"LoadBalancer": alb}, "Count", lambda t: req(t) * 0.3,
              count=True)
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb}, "Seconds",
              lambda t: 0.09 + 1.7 * sat(t), rel=0.12, digits=4)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Count",
              lambda t: 1.5 + req(t) * 0.018 * sat(t), count=True)
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": alb}, "Count",
              lambda t: 0.2 + req(t) * 0.006 * sat(t), count=True, sparse=True)
    sc.metric("AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": alb,
              "TargetGroup": "targetgroup/ingressos-web/6f5e4d3c2b1a0f9e"}, "Count", lambda t: 4, digits=0)
    for iid in web:
        sc.metric("AWS/EC2", "CPUUtilization", {"InstanceId": iid}, "Percent", lambda t: 31 + 49 * sat(t), rel=0.06,
                  hi=100)
        sc.metric("AWS/EC2", "NetworkIn", {"InstanceId": iid}, "Bytes", lambda t: req(t) / 4 * 2100, rel=0.05,
                  digits=0)
    sc.metric("AWS/EC2", "CPUUtilization", {"InstanceId": batch}, "Percent", lambda t: 5 + bump(t, -2200, -1350, 88),
              sd=2, hi=100)
    dbd = {"DBInstanceIdentifier": db}
    sc.metric("AWS/RDS", "CPUUtilization", dbd, "Percent", lambda t: 18 + 34 * sat(t), rel=0.08)
    sc.metric("AWS/RDS", "DatabaseConnections", dbd, "Count", lambda t: 210 + 260 * sat(t), sd=5, digits=0)
    m = {"FunctionName": mail}
    sc.metric("AWS/Lambda", "Invocations", m, "Count", lambda t: 9 + 40 * sat(t), count=True)
    sc.metric("AWS/Lambda", "Errors", m, "Count", lambda t: 0.03, count=True)

    sc.change(-1800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", mail,
              "deploy-ingressos")
    sc.change(-1790, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", mail,
              "deploy-ingressos")
    sc.change(-2260, "autoscaling.amazonaws.com", "UpdateAutoScalingGroup", "AWS::AutoScaling::AutoScalingGroup",
              "ingressos-batch-asg", "r.souza")

    pages = ["/eventos/rock-sp-2027/setores", "/eventos/rock-sp-2027", "/", "/api/fila/status",
             "/checkout/pagamento", "/static/app.9c1e.js"]
    for iid, name in web.items():
        acc, app = [], []
        for t in sample_times(sc, -5400, -60, 1.5 * 6.3):
            if sc.rng.random() > mult(t) / 6.3:  # thin to follow the real request rate
                continue
            busy = sat(t)
            rt = sc.rng.uniform(0.01, 0.2) + busy * sc.rng.uniform(0.8, 3.0)
            status = 503 if sc.rng.random() < 0.018 * busy else 200
            ua = sc.rng.choice(["Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)", "Mozilla/5.0 (Linux; "
                                "Android 14; SM-A546E)", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"])
            stamp = plain(t).replace(",", ".")
            acc.append((t, f"{sc.ip('177.' + str(sc.rng.randint(16, 200)))} - - [{stamp} +0000] \"GET "
                           f"{sc.rng.choice(pages)} HTTP/1.1\" {status} {sc.rng.randint(400, 9000)} \"-\" \"{ua}\" "
                           f"rt={rt:.3f} urt={max(0.0, rt - 0.001):.3f}"))
            r = sc.rng.random()
            if busy > 0.5 and r < 0.06:
                app.append((t, f"{stamp} WARN  [fila] virtual queue depth {sc.rng.randint(2000, 40000)} > 1500 "
                               "(waiting room engaged)"))
            if busy > 0.5 and r > 0.985:
                app.append((t, f"{stamp} ERROR [pool] puma thread pool saturated (32/32 busy, backlog "
                               f"{sc.rng.randint(60, 400)}); returning 503"))
        for t in sample_times(sc, -5400, -60, 0.5):
            stamp = plain(t).replace(",", ".")
            app.append((t, f"{stamp} ERROR [pagamento] 3DS callback for order P{sc.rng.randint(10**6, 10**7)} "
                           "timed out after 15000ms (gateway=cielo) - customer asked to retry"))
        sc.log("/ingressos/nginx/access", iid, acc)
        sc.log("/ingressos/app", iid, app)

    sc.alarm("ingressos-web-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb},
             statistic="Average", period=60, evaluation_periods=3, threshold=1.0, state_changed=onset + 240)
    sc.expect("ingressos-web-latency", "traffic_surge", [alb, "ingressos-web"],
              [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": alb}}])
    sc.notes = {"cause": "ticket on-sale: ~6x requests; web CPU ~80% (not pinned), latency and ~2% 503s",
                "decoys": "email-receipts Lambda deploy 5 min before onset (its invocations rise with orders); "
                          "settlement batch CPU spike on ingressos-batch spanning onset + ASG change on its group; "
                          "steady 3DS callback timeout errors"}
    return sc


CASES = [hold_09, hold_10, hold_11]
