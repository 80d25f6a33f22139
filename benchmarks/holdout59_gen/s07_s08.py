"""h59-07 (a backfill eats the account's concurrency) and h59-08 (one tenant's export outgrows
its timeout)."""
from __future__ import annotations

from . import kit
from .common import GRID, Scenario, bump, diurnal, ramp, step
from .runtimes import LambdaLogs


# =========================================================================== h59-07
def s07() -> Scenario:
    sc = Scenario(7, "push-notify-throttles", "Push notifications delayed; the push-notify "
                  "Throttles alarm fired and the notify API returns 5xx.", "us-east-1", 5907,
                  "2026-10-05T19:40:00")
    victim, hog, thumbs, api = "push-notify", "ledger-backfill", "thumbs", "notify-api"
    b0, limit = -2700, 1000
    sc.resource("lambda", victim, runtime="nodejs20.x", timeout=10, memory_size=256)
    sc.resource("lambda", hog, runtime="python3.12", timeout=300, memory_size=1024,
                event_source="sqs:ledger-backfill-q", batch_size=10)
    sc.resource("lambda", thumbs, runtime="provided.al2023", timeout=30, memory_size=512)
    sc.resource("apigateway", api, rest_api_id="h2v8c0n5xe", stage="prod")
    hog_conc = lambda t: 985 * ramp(t, b0, b0 + 360) + bump(t, -12000, -11400, 20.0, 60)
    squeeze = lambda t: ramp(t, b0 + 200, b0 + 380)
    demand = lambda t: 600 * diurnal(sc, t, 20.0, 0.25)
    thr_v = sc.series(lambda t: demand(t) * 0.36 * squeeze(t), integer=True, noise=0.05)
    inv_v = sc.series(lambda t: demand(t) * (1 - 0.36 * squeeze(t)), integer=True, noise=0.03)
    dur_v = sc.series(lambda t: 780.0, noise=0.07)
    kit.lambda_metrics(sc, victim, inv_v, [0.0] * len(GRID), dur_v, throttles=thr_v)
    hog_inv = sc.series(lambda t: hog_conc(t) * 60 / 58.0, integer=True, noise=0.02)
    kit.lambda_metrics(sc, hog, hog_inv, [0.0] * len(GRID),
                       [58000.0 + sc.rng.gauss(0, 3000) if i else None for i in hog_inv],
                       conc=sc.series(hog_conc, integer=True, noise=0.0))
    th_d = lambda t: 90 * diurnal(sc, t, 20.0, 0.3)
    th_thr = sc.series(lambda t: th_d(t) * 0.3 * squeeze(t), integer=True)
    kit.lambda_metrics(sc, thumbs, sc.series(lambda t: th_d(t) * (1 - 0.3 * squeeze(t)),
                                             integer=True),
                       [0.0] * len(GRID), sc.series(lambda t: step(t, -2760, 640.0, 520.0),
                                                    noise=0.1), throttles=th_thr)
    other = lambda t: 14 + 4 * diurnal(sc, t, 20.0, 0.3)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", {}, "Count", sc.series(
        lambda t: min(limit, hog_conc(t) + other(t)), integer=True, cap=limit, noise=0.0))
    sc.metric("AWS/Lambda", "UnreservedConcurrentExecutions", {}, "Count", sc.series(
        lambda t: min(limit, hog_conc(t) + other(t)), integer=True, cap=limit, noise=0.0))
    sc.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "ledger-backfill-q"},
              "Count", sc.series(lambda t: 0.0 if t < b0 - 120 else max(
                  0.0, 482000 - 10 * 985 * 60 * max(0.0, t - b0) / 3600 * 0.98), noise=0.002,
                  digits=0))
    e5 = sc.series(lambda t: demand(t) * 0.36 * squeeze(t) * 0.97, integer=True)
    kit.apigw_metrics(sc, api, sc.series(demand, integer=True), sc.series(lambda t: 2.0,
                                                                          integer=True),
                      e5, sc.series(lambda t: 820.0 - 700 * 0.36 * squeeze(t), noise=0.06))

    # ---------------------------------------------------------------- logs
    vl = LambdaLogs(sc, victim, "nodejs20.x", 256, 10, mem_used=(96, 5))

    def vbody(ll, t, rid, e, cold):
        if sc.rng.random() < 0.06:
            return {"dur": sc.rng.gauss(300, 40), "lines": [(0.2, ll.fmt(
                t + 0.2, rid, "WARN", f"APNs 410 Unregistered for token {sc.hexid(16)}..., "
                "removing device"))]}
        return {"dur": sc.rng.gauss(780, 80), "lines": [(0.7, ll.fmt(
            t + 0.7, rid, "INFO", f"push sent user=u{sc.rng.randint(10 ** 6, 10 ** 7)} provider="
            f"{sc.rng.choice(['apns', 'fcm'])} template={sc.rng.choice(['order_shipped', 'otp'])}"))]}
    vi, ve = kit.sample_invocations(sc, inv_v, [0.0] * len(GRID), 0.006)
    vl.run(vi, ve, vbody)
    hl = LambdaLogs(sc, hog, "python3.12", 1024, 300, mem_used=(410, 30), max_envs=1000)
    months = ["2024-09", "2024-10", "2024-11", "2024-12"]

    def hbody(ll, t, rid, e, cold):
        d = sc.rng.gauss(58000, 3000)
        dry = t < -11000
        return {"dur": d, "lines": [
            (0.01, ll.fmt(t, rid, "INFO", f"received 10 messages from ledger-backfill-q"
                          f"{' (dry_run=true)' if dry else ''}")),
            (d / 1000 - 0.05, ll.fmt(t + d / 1000, rid, "INFO", f"backfill month="
                                     f"{sc.rng.choice(months)} shard={sc.rng.randint(0, 63)} "
                                     f"rows={0 if dry else 5000} committed"))]}
    hi, he = kit.sample_invocations(sc, hog_inv, [0.0] * len(GRID), 0.002)
    hl.run(hi, he, hbody)
    grp = "API-Gateway-Execution-Logs_h2v8c0n5xe/prod"
    kit.events(sc, grp, "h2v8c0n5xe-prod-3a1", lambda t: 4 * squeeze(t), lambda t: sc.rng.choice([
        f"({sc.uuid()}) Lambda invocation failed with status: 429. Lambda request id: {sc.uuid()}",
        f"({sc.uuid()}) Execution failed due to configuration error: Rate Exceeded."]),
        start=b0)
    kit.events(sc, grp, "h2v8c0n5xe-prod-3a1", lambda t: 1.0, lambda t: (
        f"({sc.uuid()}) Method completed with status: 200"))

    sc.alarm("push-notify-throttles", "AWS/Lambda", "Throttles", {"FunctionName": victim}, "Sum",
             60, 3, 20, "GreaterThanThreshold", "push-notify is being throttled")
    sc.alarm("notify-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 20,
             "GreaterThanThreshold")
    sc.alarm("ledger-backfill-errors", "AWS/Lambda", "Errors", {"FunctionName": hog}, "Sum", 300,
             1, 10, "GreaterThanThreshold")
    sc.change(-2760, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", thumbs, "ci-deployer")
    sc.change(-16300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", victim, "ci-deployer")
    kit.check_alarm(sc, "push-notify-throttles", latest=b0 + 600, earliest=b0)
    sc.expect = {"alarm": "push-notify-throttles",
                 "root_cause": {"category": "throttling", "resource": [hog]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "ConcurrentExecutions",
                                "dimensions": {"FunctionName": hog}}]}
    return sc


# =========================================================================== h59-08
def s08() -> Scenario:
    sc = Scenario(8, "export-builder-errors", "Export builder Errors alarm; one customer says "
                  "their daily export never arrives.", "ap-northeast-1", 5908,
                  "2026-11-12T06:15:00")
    fn, other, db = "export-builder", "label-printer", "ap-orders-db"
    t_to, timeout = -2400, 120
    sc.resource("lambda", fn, runtime="ruby3.3", timeout=timeout, memory_size=1536,
                event_source="sqs:export-requests", max_receive_count=3)
    sc.resource("lambda", other, runtime="ruby3.3", timeout=30, memory_size=512)
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
                max_connections=1000, allocated_storage_gb=500)
    kd = lambda t: 38.0 + 82.0 * (t + 21600) / (21600 + t_to)  # kobe-logistics export seconds
    k_rate = lambda t: 1.2 * (1.0 if kd(t) < timeout else 1.45)  # + SQS redeliveries
    o_rate = lambda t: 5.0 * diurnal(sc, t, 6.0, 0.3)
    k_inv = sc.series(k_rate, integer=True, noise=0.02)
    o_inv = sc.series(o_rate, integer=True, noise=0.02)
    inv = [a + b for a, b in zip(k_inv, o_inv)]
    err = [float(k) if t >= t_to else 0.0 for t, k in zip(GRID, k_inv)]
    dur = [(k * min(timeout, kd(t)) * 1000 + o * 9000) / max(1.0, k + o) if k + o else 0.0
           for t, k, o in zip(GRID, k_inv, o_inv)]
    dur = [round(d * (1 + sc.rng.gauss(0, 0.04)), 2) for d in dur]
    kit.lambda_metrics(sc, fn, inv, err, dur)
    oinv = sc.series(lambda t: 12 * diurnal(sc, t, 6.0, 0.3), integer=True)
    kit.lambda_metrics(sc, other, oinv, [0.0] * len(GRID), sc.series(
        lambda t: step(t, -2520, 1800.0, 1650.0), noise=0.1))
    kit.flat_rds(sc, db, lambda t: 21 + bump(t, -3300, -2820, 58.0, 120), lambda t: 64, 500, 212,
                 9.0)
    sc.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "export-requests"},
              "Seconds", sc.series(lambda t: 40 + 200 * ramp(t, t_to, t_to + 600), noise=0.2))

    # ---------------------------------------------------------------- logs
    ll = LambdaLogs(sc, fn, "ruby3.3", 1536, timeout, mem_used=(380, 40))
    tenants = ["osaka-retail", "hakata-foods", "sendai-parts", "nagoya-tools", "yokohama-ship"]

    def body(ll, t, rid, is_err, cold):
        kobe = is_err or (t < t_to and sc.rng.random() < k_rate(t) / (k_rate(t) + o_rate(t)))
        eid = f"exp_{sc.hexid(10)}"
        lines = []
        if kobe:
            rows = int(14800 + 320 * (kd(t) - 38) * 1.6)
            secs = kd(t) * (1 + sc.rng.gauss(0, 0.02))
            lines.append((0.02, ll.fmt(t, rid, "INFO", f"export started tenant=kobe-logistics "
                                       f"export_id={eid} rows={rows} format=xlsx")))
            for q in (0.1, 0.4, 0.7):
                lines.append((1 + q * secs, ll.fmt(t + 1 + q * secs, rid, "INFO", f"query ok "
                              f"{sc.rng.randint(30, 70)}ms; rendered {int(rows * q)}/{rows} rows")))
            if is_err or secs >= timeout:
                return {"lines": [x for x in lines if x[0] < timeout], "dur": timeout * 1000,
                        "status": "timeout"}
            lines.append((secs, ll.fmt(t + secs, rid, "INFO", f"export finished tenant="
                                       f"kobe-logistics export_id={eid} rows={rows} in "
                                       f"{secs:.1f}s")))
            return {"lines": lines, "dur": secs * 1000}
        tn, secs = sc.rng.choice(tenants), sc.rng.uniform(3, 16)
        rows = int(secs * 150)
        lines.append((0.02, ll.fmt(t, rid, "INFO", f"export started tenant={tn} export_id={eid} "
                                   f"rows={rows} format={sc.rng.choice(['csv', 'xlsx'])}")))
        if sc.rng.random() < 0.25:
            lines.append((1.0, ll.fmt(t + 1, rid, "WARN", "font 'NotoSansJP-Bold' has no glyph "
                                      "U+2460, using fallback")))
        lines.append((secs, ll.fmt(t + secs, rid, "INFO", f"export finished tenant={tn} "
                                   f"export_id={eid} rows={rows} in {secs:.1f}s")))
        return {"lines": lines, "dur": secs * 1000}
    li, le = kit.sample_invocations(sc, inv, err, 0.25)
    ll.run(li, le, body)
    ol = LambdaLogs(sc, other, "ruby3.3", 512, 30, retire=[-2520], mem_used=(150, 10))
    oi, oe = kit.sample_invocations(sc, oinv, [0.0] * len(GRID), 0.06)
    ol.run(oi, oe, lambda ll, t, rid, e, c: {"dur": sc.rng.gauss(1750, 200), "lines": [
        (1.5, ll.fmt(t + 1.5, rid, "INFO", f"label printed shipment=SHP{sc.rng.randint(10 ** 6, 10 ** 7)}"
                     f" carrier={sc.rng.choice(['yamato', 'sagawa', 'japanpost'])}"))]})

    sc.alarm("export-builder-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300,
             1, 3, "GreaterThanOrEqualToThreshold", "Export builder failures")
    sc.alarm("ap-orders-db-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db},
             "Average", 300, 1, 70, "GreaterThanThreshold")
    sc.alarm("label-printer-errors", "AWS/Lambda", "Errors", {"FunctionName": other}, "Sum", 300,
             1, 3, "GreaterThanOrEqualToThreshold")
    sc.change(-2520, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", other, "circleci-deployer")
    sc.change(-19700, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", fn, "circleci-deployer")
    kit.check_alarm(sc, "export-builder-errors", latest=t_to + 900, earliest=t_to)
    sc.expect = {"alarm": "export-builder-errors",
                 "root_cause": {"category": "function_timeout", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration",
                                "dimensions": {"FunctionName": fn}}]}
    return sc
