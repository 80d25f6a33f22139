"""h79-09 (tenant webhook function throttled at its reserved concurrency as a second team's traffic
arrives) and h79-10 (usage roll-up cron hitting its timeout as its backlog outgrows a run)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import GRID, bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, logfmt_writer

from .kit import LOG_START, cron_grid, ecs_dims, lambda_set, meta, new, put, run_lambda, task_id, ticks

logfmt = logfmt_writer("time", quote_msg=True)


# --------------------------------------------------------------------------- h79-09
def build09():
    sc = new(9, "webhook-throttles", "Tenant webhooks delayed; outbound webhook Lambda throttles "
             "alarm.", "ca-central-1", "2026-10-13T16:20:00+00:00")
    fn, other, cl = "tenant-webhooks", "webhook-dlq-replayer", "integrations"
    sc.resource("lambda", fn, runtime="dotnet8", timeout=90, memory_size=512, reserved_concurrency=10)
    sc.resource("lambda", other, runtime="dotnet8", timeout=300, memory_size=256, schedule="rate(15 minutes)")
    sc.resource("ecs", f"{cl}/outbox-relay", launch_type="FARGATE", desired_count=2, cpu=256, memory=512,
                log_group="/ecs/integrations/outbox-relay")
    rise0, rise1 = -4200, -2400
    demand = lambda t: 7.0 * diurnal(sc, t, 16.0, 0.2) * (1 + 1.2 * ramp(t, rise0, rise1))
    dur_s = 41.0
    want = sc.series(demand, noise=0.06, integer=True)
    inv, thr, conc, back = [], [], [], 0.0
    for t, w in zip(GRID, want):
        cap = int(10 * 60 / dur_s * sc.rng.uniform(0.95, 1.03))
        w2 = w + back  # throttled records stay in the caller's outbox and come back 30 s later
        ok = min(w2, cap)
        back = (w2 - ok) * 0.85
        inv.append(float(ok))
        thr.append(float(int((w2 - ok) * sc.rng.uniform(2.5, 3.5))))  # SDK retries count too
        conc.append(float(min(10, round(ok * dur_s / 60 + sc.rng.uniform(-0.4, 0.6)))))
    err = [float(1 if sc.rng.random() < 0.04 else 0) for _ in GRID]
    lambda_set(sc, fn, inv, err, sc.series(lambda t: dur_s * 1000, noise=0.05), conc=conc, thr=thr)
    runs = cron_grid(15, 7)
    oinv = [1.0 if t in runs else None for t in GRID]
    lambda_set(sc, other, oinv, [0.0 if v else None for v in oinv],
               [sc.rng.gauss(3800, 500) if v else None for v in oinv])
    d = ecs_dims(cl, "outbox-relay")
    put(sc, "AWS/ECS", "CPUUtilization", d, "Percent", lambda t: 11 + bump(t, -7800, -7300, 46, 100), noise=0.1)
    put(sc, "AWS/ECS", "MemoryUtilization", d, "Percent", lambda t: 47.0, noise=0.02)

    subs = ["https://hooks.acme-partner.example/hr", "https://erp.tenant-204.example/webhooks/people",
            "https://api.tenant-881.example/v1/events", "https://integr.tenant-517.example/in"]

    def body(ll, t, r, is_err, cold):
        n = sc.rng.randint(12, 30)
        lines = [(0.01, ll.fmt(t, r, "INFO", f"Webhooks.Delivery[0] Delivering event evt_{sc.hexid(12)} to {n} subscribers"))]
        if is_err:
            lines.append((12.0, ll.fmt(t + 12, r, "ERROR", f"Webhooks.Delivery[0] Subscriber {subs[0]} returned 410 "
                                       "Gone; disabling after 3 consecutive failures")))
            lines.append((12.01, ll.fmt(t + 12.01, r, "ERROR", "Webhooks.Delivery[0] Unhandled exception. "
                                        "Webhooks.DeliveryException: 1 subscriber(s) failed permanently")))
            return {"dur": sc.rng.gauss(12500, 800), "lines": lines, "status": "error",
                    "error_type": "Webhooks.DeliveryException"}
        lines.append((40.0, ll.fmt(t + 40, r, "INFO", f"Webhooks.Delivery[0] Delivered {n} of {n} "
                                   f"(p95 {sc.rng.randint(1500, 2600)} ms per subscriber)")))
        return {"dur": sc.rng.gauss(dur_s * 1000, 2000), "lines": lines}

    ll = LambdaLogs(sc, fn, "dotnet8", 512, 90, mem_used=(161, 8), max_envs=10)
    run_lambda(sc, ll, inv, err, body)
    lo = LambdaLogs(sc, other, "dotnet8", 256, 300, mem_used=(98, 4), retire=(-1980,))
    run_lambda(sc, lo, oinv, [0.0 if v else None for v in oinv], lambda l, t, r, e, c: {
        "dur": sc.rng.gauss(3800, 500), "lines": [(0.02, l.fmt(t, r, "INFO", "DlqReplayer[0] 0 messages in "
                                                               "tenant-webhooks-dlq; nothing to replay"))]})
    for k in range(2):
        tid = task_id(sc)
        st = f"relay/outbox-relay/{tid}"
        for t in ticks(sc, lambda m: 0.5 * demand(m)):
            sc.log("/ecs/integrations/outbox-relay", st, t, logfmt(
                sc, t, "info", "dispatched outbox record", component="relay", target=fn,
                record=f"obx_{sc.hexid(10)}", tenant=f"t-{sc.rng.randint(100, 999)}"))
        tm = [(t, w, i) for t, w, i in zip(GRID, want, inv) if t >= LOG_START and w > i]
        for t, w, i in tm:
            for _ in range(min(4, int((w - i) / 2) + 1)):
                tt = t + sc.rng.uniform(0, 60)
                sc.log("/ecs/integrations/outbox-relay", st, tt, logfmt(
                    sc, tt, "error", "invoke failed; record stays in outbox", component="relay", target=fn,
                    error="TooManyRequestsException: An error occurred (TooManyRequestsException) when calling the "
                          "Invoke operation (reached max retries: 4): Rate Exceeded.", retry_in="30s"))

    sc.change(-1990, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              other, "s.dubois@corp-sso")
    sc.change(-12400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "integrations-deployer")
    sc.alarm("tenant-webhooks-throttles", "AWS/Lambda", "Throttles", {"FunctionName": fn}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Outbound webhooks being throttled")
    sc.alarm("tenant-webhooks-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 5,
             "GreaterThanThreshold")
    sc.alarm("outbox-relay-cpu", "AWS/ECS", "CPUUtilization", d, "Average", 300, 1, 50, "GreaterThanThreshold")
    sc.expect = {"alarm": "tenant-webhooks-throttles",
                 "root_cause": {"category": "throttling", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": {"FunctionName": fn}}]}
    meta(sc, category="throttling", resources=[fn], front="origin",
         services="Lambda (.NET), ECS (Python caller, logfmt)",
         decoys="config edit of the DLQ replayer 15 min after onset; long-standing 410-Gone subscriber errors; "
                "caller CPU spike and its alarm; webhook code deploy 3.4 h earlier",
         story="Demand on `tenant-webhooks` climbs from about 7 to about 15 invocations a minute "
               "between -70 and -40 min as a second team's tenants start sending events. Each "
               "invocation takes ~41 s, so concurrency reaches its reserved limit of 10 and stays "
               "flat there. Invocations plateau at ~14/min, and Throttles go from almost none to tens "
               "a minute, because the outbox retries each record. The caller "
               "logs `TooManyRequestsException ... Rate Exceeded` and keeps records in its outbox. "
               "Duration and errors do not change (the 410 Gone errors are old). The only nearby "
               "change is a config edit of another function after the onset.")
    return sc


# --------------------------------------------------------------------------- h79-10
def build10():
    sc = new(10, "usage-rollup-failing", "Usage roll-up cron failing every run; billing dashboards "
             "stale; Errors alarm.", "us-east-1", "2026-11-30T19:40:00+00:00")
    fn, other, db = "usage-rollup", "usage-export-csv", "metering-db"
    sc.resource("lambda", fn, runtime="java21", timeout=180, memory_size=2048, schedule="rate(5 minutes)")
    sc.resource("lambda", other, runtime="java21", timeout=60, memory_size=1024)
    sc.resource("rds", db, engine="aurora-postgresql", engine_version="15.4", instance_class="db.r6g.xlarge",
                max_connections=2000, allocated_storage_gb=0)
    tout = -2520
    runs = cron_grid(5, 0)

    def need(t):  # seconds one run needs; roll-up backlog grows once runs stop committing
        base = 88 + 80 * ramp(t, -21600, tout)
        return base if t < tout else 400
    inv = [1.0 if t in runs else None for t in GRID]
    err = [(1.0 if need(t) > 180 else 0.0) if v else None for t, v in zip(GRID, inv)]
    dur = [(min(need(t) * sc.rng.uniform(0.97, 1.03), 180.0) * 1000 + (sc.rng.uniform(1, 25) if need(t) > 180 else 0))
           if v else None for t, v in zip(GRID, inv)]
    lambda_set(sc, fn, inv, err, dur)
    oinv = put(sc, "AWS/Lambda", "Invocations", {"FunctionName": other}, "Count", lambda t: 1.2, integer=True)
    put(sc, "AWS/Lambda", "Errors", {"FunctionName": other}, "Count", lambda t: 0.0, noise=0.0)
    put(sc, "AWS/Lambda", "Duration", {"FunctionName": other}, "Milliseconds", lambda t: 3100, noise=0.1)
    dd = {"DBInstanceIdentifier": db}
    put(sc, "AWS/RDS", "CPUUtilization", dd, "Percent", lambda t: 27 + bump(t, -5700, -5100, 45, 120), noise=0.08)
    put(sc, "AWS/RDS", "DatabaseConnections", dd, "Count", lambda t: 212.0, noise=0.03, digits=0)
    put(sc, "AWS/RDS", "ReadLatency", dd, "Seconds", lambda t: 0.0009, noise=0.15, digits=5)
    put(sc, "AWS/RDS", "FreeableMemory", dd, "Bytes", lambda t: 1.21e10, noise=0.01, digits=0)

    def body(ll, t, r, is_err, cold):
        n = need(t)
        rows = int(n * 5200)
        lines = [(0.05, ll.fmt(t, r, "INFO", f"c.c.metering.Rollup - window start={sc.iso(t - 300 - (0 if n <= 180 else (t - tout)), 0)} "
                               f"pending meter rows={rows}"))]
        if sc.rng.random() < 0.3:
            lines.append((2.0, ll.fmt(t + 2, r, "WARN", "c.c.metering.SkuMapper - Skipping meter record with unknown SKU "
                                      "'legacy-seat-basic' (tenant t-4410)")))
        step = 30.0
        k = 1
        while k * step < min(n, 179):
            done = int(rows * k * step / n)
            lines.append((k * step, ll.fmt(t + k * step, r, "INFO", f"c.c.metering.Rollup - aggregated {done}/{rows} rows "
                                           f"(batch query {sc.rng.randint(380, 620)} ms)")))
            k += 1
        if n > 180:
            return {"dur": 0, "lines": lines, "status": "timeout"}
        lines.append((n - 0.5, ll.fmt(t + n - 0.5, r, "INFO", f"c.c.metering.Rollup - committed checkpoint; {rows} rows rolled up")))
        return {"dur": n * 1000, "lines": lines}

    ll = LambdaLogs(sc, fn, "java21", 2048, 180, mem_used=(690, 40))
    run_lambda(sc, ll, inv, err, body)
    lo = LambdaLogs(sc, other, "java21", 1024, 60, mem_used=(402, 20), retire=(-2290,))
    run_lambda(sc, lo, oinv, [0.0] * len(GRID), lambda l, t, r, e, c: {
        "dur": sc.rng.gauss(3100, 300), "lines": [(0.1, l.fmt(t, r, "INFO", "c.c.metering.Export - wrote "
                                                              f"usage-{sc.rng.randint(1000, 9999)}.csv to s3"))]})

    sc.change(-2290, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other,
              "billing-platform-ci")
    sc.change(-9100, "rds.amazonaws.com", "CreateDBClusterSnapshot", "AWS::RDS::DBClusterSnapshot",
              "metering-db-manual-2026-11-30", "dba-automation")
    sc.alarm("usage-rollup-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 2, 0,
             "GreaterThanThreshold", "Usage roll-up cron failing")
    sc.alarm("metering-db-cpu", "AWS/RDS", "CPUUtilization", dd, "Average", 300, 1, 60, "GreaterThanThreshold")
    sc.expect = {"alarm": "usage-rollup-errors",
                 "root_cause": {"category": "function_timeout", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": fn}}]}
    meta(sc, category="function_timeout", resources=[fn], front="origin",
         services="Lambda (Java 21 cron), Aurora Postgres metrics",
         decoys="code deploy of a sibling function 2 min after onset; database CPU bump and alarm an hour "
                "earlier; long-standing unknown-SKU warnings",
         story="Run time of the five-minute roll-up creeps up all day (~90 s -> ~168 s) as month-end "
               "usage grows. From -40 min every run logs `Task timed out after 180.00 seconds` and "
               "Duration sits at the 180 s limit. A run that times out never commits its checkpoint, "
               "so the next run starts from an older window and also times out. The progress lines "
               "show batch queries that keep taking ~0.5 s, and there are no database or HTTP errors. "
               "Aurora's CPU, latency and connections are normal apart from an unrelated bump an hour "
               "earlier. The code deploy 2 min after the onset is to `usage-export-csv`, which is healthy.")
    return sc


BUILDERS = [build09, build10]
