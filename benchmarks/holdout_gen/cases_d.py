"""Hold-out cases 07-09: Lambda out-of-memory, Postgres disk full behind ECS, DynamoDB throughput throttling."""
from __future__ import annotations

import json

from .kit import Scenario, bump, epoch_ms, iso, lambda_request, lambda_stream, pg, plain, ramp, sample_times, wave


def hold_07() -> Scenario:
    """Month-end corporate statements are huge; the renderer runs out of memory."""
    sc = Scenario("hold-07-statements-render-errors", "Month-end statements not arriving for some corporate "
                  "customers; renderer Errors alarm.", "us-east-2", seed=707)
    fn, fanout, mailer = "statements-pdf-render", "statements-fanout", "statements-mailer"
    batch, onset = -2400, -2100
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=120, memory_size=1024, reserved_concurrency=40,
                environment={"NODE_OPTIONS": "--enable-source-maps", "TEMPLATE_BUCKET": "stmt-templates-prod"})
    sc.resource("lambda", fanout, runtime="nodejs20.x", timeout=300, memory_size=512)
    sc.resource("lambda", mailer, runtime="nodejs20.x", timeout=30, memory_size=256)

    inv = lambda t: 19 + ramp(t, batch, batch + 120, 0, 27)
    big = lambda t: 0.0 if t < onset else 0.26
    d = {"FunctionName": fn}
    sc.metric("AWS/Lambda", "Invocations", d, "Count", inv, count=True)
    sc.metric("AWS/Lambda", "Errors", d, "Count", lambda t: inv(t) * big(t) + 0.03, count=True)
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", lambda t: 4100 + (5200 if t >= onset else 0), rel=0.15)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", lambda t: inv(t) * (4.1 + 5 * (t >= onset)) / 60,
              rel=0.2, digits=0)
    sc.metric("AWS/Lambda", "Throttles", d, "Count", lambda t: 0, count=True)
    sc.metric("LambdaInsights", "memory_utilization", {"function_name": fn}, "Percent",
              lambda t: 41 + (57 if t >= onset else 0) + bump(t, batch, onset, 18, 60), rel=0.04, hi=100)
    fo = {"FunctionName": fanout}
    sc.metric("AWS/Lambda", "Invocations", fo, "Count", lambda t: 0.2 + bump(t, batch - 60, batch + 900, 6, 60),
              count=True)
    sc.metric("AWS/Lambda", "Duration", fo, "Milliseconds",
              lambda t: 1900 + bump(t, batch - 60, batch + 900, 41000, 60) if bump(t, batch - 60, batch + 900, 1, 60)
              or int(t) % 600 == 0 else None, rel=0.1)
    sc.metric("AWS/Lambda", "Errors", fo, "Count", lambda t: 0, count=True)
    ml = {"FunctionName": mailer}
    sc.metric("AWS/Lambda", "Invocations", ml, "Count", lambda t: inv(t) * (1 - big(t)) * 0.95, count=True)
    sc.metric("AWS/Lambda", "Errors", ml, "Count", lambda t: 0.04, count=True)
    sc.metric("AWS/Lambda", "Duration", ml, "Milliseconds", lambda t: 420, rel=0.2)

    sc.change(-2340, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              mailer, "p.anand")
    sc.change(-6900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "release-bot")
    sc.change(-6885, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, "release-bot")

    streams = [lambda_stream("2026/11/20", sc, "12") for _ in range(5)]
    out: dict[str, list] = {s: [] for s in streams}
    for t in sample_times(sc, -5400, -60, 2.0):
        s = sc.rng.choice(streams)
        acct = f"ACC-{sc.rng.randint(100000, 999999)}"
        pages = sc.rng.randint(2, 30)
        noise = []
        if sc.rng.random() < 0.12:
            noise.append((0.2, f"{iso(t + 0.2)}\t{{rid}}\tWARN\tfont 'Noto Sans Thai' not embedded in template "
                               "corp-v7; substituting 'Noto Sans'"))
        if sc.rng.random() < 0.12:
            noise.append((0.6, f"{iso(t + 0.6)}\t{{rid}}\tERROR\tFailed to fetch partner logo "
                               "https://cdn.brand-assets.example.net/logos/1187.png: connect ETIMEDOUT 104.18.22.9:443 "
                               "(rendering without logo)"))
        if t >= onset and sc.rng.random() < 0.27:
            pages = sc.rng.randint(1800, 6400)
            body = [(0.05, f"{iso(t + 0.05)}\t{{rid}}\tINFO\trendering statement account={acct} pages={pages} "
                           f"template=corp-v7"), *noise]
            dur = sc.rng.uniform(14000, 52000)
            if sc.rng.random() < 0.3:
                body.append((dur / 1000 - 0.3, "\n<--- Last few GCs --->\n\n[8:0x6b4a020]    41288 ms: Mark-Compact "
                             "1018.4 (1042.9) -> 1011.7 (1043.6) MB, 1290.18 / 0.00 ms  (average mu = 0.112, current "
                             "mu = 0.031) allocation failure; scavenge might not succeed\n\n\n<--- JS stacktrace --->\n\n"
                             "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"))
                body.append((dur / 1000 - 0.05, "RequestId: {rid} Error: Runtime exited with error: signal: aborted "
                             "(core dumped)\nRuntime.ExitError"))
            else:
                body.append((dur / 1000 - 0.05, "RequestId: {rid} Error: Runtime exited with error: signal: killed\n"
                             "Runtime.ExitError"))
            _, ev = lambda_request(sc, t, dur, 1024, 1024, body, status="error", error_type="Runtime.OutOfMemory",
                                   version="12")
        else:
            body = [(0.05, f"{iso(t + 0.05)}\t{{rid}}\tINFO\trendering statement account={acct} pages={pages} "
                           "template=retail-v3"), *noise,
                    (2.5, f"{iso(t + 2.5)}\t{{rid}}\tINFO\tuploaded s3://stmt-out-prod/2026-11/{acct}.pdf "
                          f"({pages * 41} KB)")]
            _, ev = lambda_request(sc, t, sc.rng.uniform(2600, 6200), 1024, sc.rng.randint(290, 520), body,
                                   version="12")
        out[s].extend(ev)
    for s, ev in out.items():
        sc.log(f"/aws/lambda/{fn}", s, ev)

    sc.alarm("statements-pdf-render-errors", "AWS/Lambda", "Errors", d, statistic="Sum", period=300,
             evaluation_periods=1, threshold=10, state_changed=onset + 300)
    sc.expect("statements-pdf-render-errors", "memory_exhaustion", [fn],
              [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": d}])
    sc.notes = {"cause": "month-end corporate statements (thousands of pages) exceed 1024 MB; Runtime.OutOfMemory / "
                         "signal: killed; Max Memory Used = Memory Size",
                "decoys": "statements-mailer config change 4 min before onset; fan-out batch spike (Invocations/"
                          "Duration) on statements-fanout starting 5 min before onset; renderer code deploy ~1.9 h "
                          "earlier with no errors after it; steady font warnings and logo-fetch ETIMEDOUT errors"}
    return sc


def hold_08() -> Scenario:
    """An abandoned logical replication slot retains WAL until the Postgres volume is full."""
    sc = Scenario("hold-08-kaimono-orders-5xx", "Checkout failing for all customers; orders ALB 5XX alarm.",
                  "ap-northeast-1", seed=808)
    alb, svc, dbid = "app/kaimono-orders/2c4d6e8f0a1b3c5d", "kaimono/orders-api", "kaimono-orders-pg"
    full = -1800
    sc.resource("alb", alb, name="kaimono-orders", scheme="internet-facing")
    sc.resource("ecs", svc, launch_type="FARGATE", desired_count=6, cpu=1024, memory=2048)
    sc.resource("ecs", "kaimono/web-frontend", launch_type="FARGATE", desired_count=4)
    sc.resource("ecs", "kaimono/cdc-connector", launch_type="FARGATE", desired_count=0)
    sc.resource("rds", dbid, engine="postgres", engine_version="16.2", instance_class="db.m6g.large",
                max_connections=800, allocated_storage_gb=200, storage_autoscaling="disabled", multi_az=False)

    req = lambda t: 1120 * wave(t, 10800, 0.07, 0.5)
    down = lambda t: 0.0 if t < full else 0.86
    sc.metric("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb}, "Count", req, count=True)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Count",
              lambda t: 1.2 + req(t) * 0.41 * down(t), count=True)
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb}, "Seconds",
              lambda t: 0.071 + 0.5 * down(t), rel=0.15, digits=4)
    o = {"ClusterName": "kaimono", "ServiceName": "orders-api"}
    sc.metric("AWS/ECS", "CPUUtilization", o, "Percent", lambda t: 29 - 12 * down(t), rel=0.08)
    sc.metric("AWS/ECS", "MemoryUtilization", o, "Percent", lambda t: 36, rel=0.02)
    w = {"ClusterName": "kaimono", "ServiceName": "web-frontend"}
    sc.metric("AWS/ECS", "CPUUtilization", w, "Percent", lambda t: 18 + bump(t, -2450, -2150, 44, 60), rel=0.08)
    db = {"DBInstanceIdentifier": dbid}
    free = lambda t: max(0.0, 1.43e10 * (full - t) / (full + 10800)) if t < full else 0.0
    sc.metric("AWS/RDS", "FreeStorageSpace", db, "Bytes", lambda t: free(t) + (6.5e7 if t >= full else 0), rel=0.01,
              digits=0)
    sc.metric("AWS/RDS", "TransactionLogsDiskUsage", db, "Bytes", lambda t: 1.61e11 - free(t) * 0.97, rel=0.003,
              digits=0)
    sc.metric("AWS/RDS", "OldestReplicationSlotLag", db, "Bytes", lambda t: 1.605e11 - free(t) * 0.97, rel=0.003,
              digits=0)
    sc.metric("AWS/RDS", "CPUUtilization", db, "Percent", lambda t: 33 - 20 * down(t), rel=0.1)
    sc.metric("AWS/RDS", "DatabaseConnections", db, "Count", lambda t: 140 - 95 * down(t), sd=4, digits=0)
    sc.metric("AWS/RDS", "WriteIOPS", db, "Count/Second", lambda t: 2100 - 1700 * down(t), rel=0.08)
    sc.metric("AWS/RDS", "FreeableMemory", db, "Bytes", lambda t: 3.1e9, rel=0.01, digits=0)

    sc.change(-2460, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "web-frontend",
              "argo-deployer")
    sc.change(-2440, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "kaimono/web-frontend",
              "argo-deployer")

    def zap(t: float, level: str, caller: str, msg: str, **kv: object) -> str:
        return json.dumps({"level": level, "ts": round(epoch_ms(t) / 1000, 3), "caller": caller, "msg": msg, **kv},
                          separators=(",", ":"))

    for task in range(3):
        ev = []
        for t in sample_times(sc, -5400, -60, 2.2):
            r = sc.rng.random()
            oid = f"ord_{sc.hexid(12)}"
            n = sc.rng.random()
            if n < 0.04:
                ev.append((t + 0.01, zap(t + 0.01, "error", "payments/webhook.go:88", "payment webhook signature "
                                         "mismatch", provider="konbini", order_id=f"ord_{sc.hexid(12)}")))
            elif n < 0.1:
                ev.append((t + 0.01, zap(t + 0.01, "warn", "inventory/reserve.go:203", "inventory reservation expired",
                                         sku=f"SKU-{sc.rng.randint(1000, 9999)}")))
            if t >= full and r < 0.5:
                if sc.rng.random() < 0.6:
                    ev.append((t, zap(t, "error", "orders/repo.go:118", "create order failed", order_id=oid,
                                      error="ERROR: could not extend file \"base/16401/73512\": No space left on device "
                                            "(SQLSTATE 53100)")))
                else:
                    ev.append((t, zap(t, "error", "orders/db.go:57", "acquire conn failed", error="failed to connect to "
                                      f"`host={dbid}.c1x2y3z4w5v6.ap-northeast-1.rds.amazonaws.com user=orders "
                                      "database=orders`: server error (FATAL: the database system is in recovery mode "
                                      "(SQLSTATE 57P03))")))
            else:
                ev.append((t, zap(t, "info", "httpx/log.go:41", "request", method=sc.rng.choice(["GET", "POST"]),
                                  path=sc.rng.choice(["/v1/orders", "/v1/cart", "/v1/orders/:id"]), status=200,
                                  latency_ms=sc.rng.randint(8, 90))))
        sc.log("/ecs/kaimono/orders-api", f"orders-api/orders-api/{sc.hexid()}", ev)
    pev = []
    for t in range(-10800, -60, 300):
        if t < full:
            pev.append((t + 5, f"{pg(t + 5)}::@:[431]:LOG:  checkpoint complete: wrote {sc.rng.randint(2000, 9000)} "
                               f"buffers; 0 WAL file(s) added, 0 removed, 0 recycled"))
    for t in sample_times(sc, -10800, full, 0.2):
        pev.append((t, f"{pg(t)}:10.8.{sc.rng.randint(1, 6)}.{sc.rng.randint(2, 250)}({sc.rng.randint(30000, 60000)}):"
                       f"orders@orders:[{sc.rng.randint(1000, 30000)}]:LOG:  duration: {sc.rng.randint(1000, 3000)}."
                       f"{sc.rng.randint(100, 999)} ms  statement: SELECT * FROM order_items WHERE order_id = ANY($1)"))
    pev.append((full - 2, f"{pg(full - 2)}::@:[5123]:PANIC:  could not write to file \"pg_wal/xlogtemp.5123\": "
                          "No space left on device"))
    pev.append((full - 1, f"{pg(full - 1)}::@:[388]:LOG:  WAL writer process (PID 5123) was terminated by signal 6: "
                          "Aborted"))
    pev.append((full, f"{pg(full)}::@:[388]:LOG:  terminating any other active server processes"))
    for t in sample_times(sc, full + 5, -60, 4):
        pev.append((t, sc.rng.choice([
            f"{pg(t)}:10.8.2.{sc.rng.randint(2, 250)}(5{sc.rng.randint(1000, 9999)}):orders@orders:[{sc.rng.randint(1000, 30000)}]"
            ":FATAL:  the database system is in recovery mode",
            f"{pg(t)}:10.8.3.{sc.rng.randint(2, 250)}(4{sc.rng.randint(1000, 9999)}):orders@orders:[{sc.rng.randint(1000, 30000)}]"
            ":ERROR:  could not extend file \"base/16401/73512\": No space left on device\nHINT:  Check free disk space.",
            f"{pg(t)}::@:[388]:LOG:  database system was not properly shut down; automatic recovery in progress"])))
    sc.log(f"/aws/rds/instance/{dbid}/postgresql", f"{dbid}.0", pev)

    sc.alarm("kaimono-orders-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb},
             statistic="Sum", period=60, evaluation_periods=3, threshold=40, state_changed=full + 200)
    sc.alarm("kaimono-orders-pg-cpu", "AWS/RDS", "CPUUtilization", db, statistic="Average", period=300,
             evaluation_periods=3, threshold=80, state="OK", state_changed=-86000)
    sc.expect("kaimono-orders-5xx", "storage_exhaustion", [dbid],
              [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": db}])
    sc.notes = {"cause": "stopped CDC connector left a logical replication slot; WAL (TransactionLogsDiskUsage) fills "
                         "the 200 GB volume; PANIC on pg_wal write, recovery loops, 'No space left on device'",
                "decoys": "web-frontend ECS deploy 10 min before onset with CPU spike; steady slow-query LOG lines; "
                          "steady webhook-signature errors; OK-state CPU alarm on the DB; no storage alarm exists"}
    return sc


CASES = [hold_07, hold_08]
