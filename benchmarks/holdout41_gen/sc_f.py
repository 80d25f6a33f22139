"""Scenarios 11-13: month-range exports running into a .NET function's 180 s timeout, a Node
function's timeout lowered from 15 s to 3 s by Terraform, a ticket on-sale traffic surge."""
from __future__ import annotations

import math

from .common import (MINUTES, Scenario, alb_metrics, apigw_metrics, binom, counts, hexs, jit, lambda_metrics, pois,
                     ramp, rds_metrics, sqs_metrics, wave)
from .lambdalog import FnLog, dotnet, drive, node, py, simple_fn


def s11() -> Scenario:
    sc = Scenario(11, "ledger-export-timeouts-month-range", "ca-central-1",
                  "Ledger exports failing; ledger-export Errors alarm.", "2026-12-01T15:20:00")
    rng = sc.rng
    TM = -3000
    sc.res("lambda", "ledger-export", runtime="dotnet8", handler="LedgerExport::LedgerExport.Function::Handle",
           timeout=180, memory_size=512, event_source="SQS export-jobs (batch 1, visibility 1080 s, maxReceiveCount 3)")
    sc.res("lambda", "ledger-import", runtime="dotnet8", timeout=300, memory_size=1024)
    sc.res("lambda", "fx-poller", runtime="python3.12", timeout=30, memory_size=128, reserved_concurrency=1)
    sc.res("rds", "ledger-replica-1", engine="aurora-postgresql", engine_version="15.5", instance_class="db.r6g.large",
           role="reader", max_connections=1600)
    day = counts(rng, lambda t: 7.5 + 1.5 * wave(t, 9000))
    month = {t: (pois(rng, 2.6) if t >= TM else 0) for t in MINUTES}
    retr = {t: month.get(t - 1080, 0) + month.get(t - 2160, 0) for t in MINUTES}
    inv = {t: day[t] + month[t] + retr[t] for t in MINUTES}
    err = {t: month[t] + retr[t] for t in MINUTES}
    dur = {t: (jit(rng, 28500, 0.06) * day[t] + 180000 * err[t]) / max(1, inv[t]) for t in MINUTES}
    conc = {t: max(1, int(round(sum(inv.get(t - k * 60, 0) * dur.get(t - k * 60, 0) for k in range(3)) / 180000.0
                                 + rng.uniform(0, 2)))) for t in MINUTES}
    lambda_metrics(sc, "ledger-export", inv, err, dur, conc)
    sent = {t: day[t] + month[t] for t in MINUTES}
    sqs_metrics(sc, "export-jobs", {t: pois(rng, 3 + 30 * ramp(t, TM, TM + 2400)) for t in MINUTES},
                {t: (jit(rng, 30, 0.4) if t < TM + 240 else min(2200.0, t - TM + rng.uniform(-40, 40))) for t in MINUTES},
                sent, {t: day[t] for t in MINUTES})
    iinv = counts(rng, lambda t: 3.0)
    lambda_metrics(sc, "ledger-import", iinv, {t: 0 for t in MINUTES}, {t: jit(rng, 14000, 0.1) for t in MINUTES},
                   {t: pois(rng, 1) + 1 for t in MINUTES})
    pinv = counts(rng, lambda t: 4.0)
    lambda_metrics(sc, "fx-poller", pinv, {t: 0 for t in MINUTES}, {t: jit(rng, 21000, 0.1) for t in MINUTES},
                   {t: 1 for t in MINUTES}, {t: pois(rng, 1.4) for t in MINUTES})
    rds_metrics(sc, "ledger-replica-1", {t: jit(rng, 31 + 6 * ramp(t, TM, TM + 300), 0.08) for t in MINUTES},
                lambda t: pois(rng, 42), None, lambda t: 6.1e9 + rng.gauss(0, 5e7),
                lambda t: jit(rng, 0.0012, 0.15), lambda t: jit(rng, 0.0004, 0.2),
                extra=[("AuroraReplicaLag", "Milliseconds", lambda t: jit(rng, 18, 0.3)),
                       ("FreeLocalStorage", "Bytes", lambda t: 30.6e9 + rng.gauss(0, 1e8))])

    fl = FnLog(sc, "ledger-export", "dotnet8", 512, init=(900, 1400))

    def make(t, r, kind):
        ten = "ten_%04d" % rng.randint(1, 3000)
        job = "ej_" + hexs(rng, 10)
        big = kind == "err" and t >= TM
        rows = rng.randint(3_100_000, 4_400_000) if big else rng.randint(120_000, 520_000)
        rng_s = "2026-11-01/2026-11-30" if big else "2026-11-30/2026-11-30"
        out = [dotnet(sc, t + 0.004, r, "info", "LedgerExport.Function[0] Export job %s tenant=%s range=%s format=csv "
                      "rows_estimate=%d" % (job, ten, rng_s, rows))]
        rate = rng.uniform(11500, 14500)
        if rng.random() < 0.08:
            out.append(dotnet(sc, t + 2.1, r, "warn", "LedgerExport.CsvWriter[0] Column 'memo' truncated to 512 chars "
                              "for txn tx_%s" % hexs(rng, 12)))
        if big:
            for k in range(1, 9):
                el = k * 20.0 + rng.uniform(-1, 1)
                out.append(dotnet(sc, t + el, r, "info", "LedgerExport.Function[0] Exported %d/%d rows (%.1f%%) "
                                  "elapsed=%.1fs" % (int(el * rate), rows, 100.0 * el * rate / rows, el)))
            return {"dur": 180000.0, "mem": rng.uniform(300, 420), "lines": out, "status": "timeout"}
        d = rows / rate * 1000 + rng.uniform(900, 1500)
        if d > 20000:
            out.append(dotnet(sc, t + 20.0, r, "info", "LedgerExport.Function[0] Exported %d/%d rows (%.1f%%) "
                              "elapsed=20.0s" % (int(20 * rate), rows, 2000.0 * rate / rows)))
        out.append(dotnet(sc, t + d / 1000 - 0.01, r, "info", "LedgerExport.Function[0] Export complete: %d rows, %.1f MB "
                          "-> s3://ledger-exports-cac1/%s/%s.csv in %.1f s" % (rows, rows * 92 / 1e6, ten,
                                                                           rng_s.split("/")[0], d / 1000)))
        return {"dur": d, "mem": rng.uniform(260, 360), "lines": out}
    drive(sc, fl, inv, err, 1.0, -8400, make, n_envs=lambda t: 6)
    simple_fn(sc, "ledger-import", "dotnet8", 1024, iinv, lambda t: jit(rng, 14000, 0.1),
              lambda t, r, d: [dotnet(sc, t + d / 1000, r, "info", "LedgerImport.Function[0] imported bank file "
                                      "batch_size=%s rows=%d" % ("2000" if t >= -3300 else "1000", rng.randint(800, 5000)))],
              start=-6000, frac=0.6)
    simple_fn(sc, "fx-poller", "python3.12", 128, pinv, lambda t: jit(rng, 21000, 0.1),
              lambda t, r, d: [py(sc, t + d / 1000, r, "INFO", "BoC rates refreshed (CAD base, 26 pairs)")],
              start=-4800, frac=0.5)
    sc.lambda_change(-3300, "ledger-import", "UpdateFunctionConfiguration20150331v2", "terraform-cloud")
    sc.alarm("ledger-export-errors", "AWS/Lambda", "Errors", {"FunctionName": "ledger-export"}, "Sum", 300, 1, 5,
             after=TM - 300, desc="ledger export failures")
    sc.alarm("fx-poller-throttles", "AWS/Lambda", "Throttles", {"FunctionName": "fx-poller"}, "Sum", 300, 1, 20,
             state="OK", state_changed=-50000)
    sc.expect = {"alarm": "ledger-export-errors",
                 "root_cause": {"category": "function_timeout", "resource": ["ledger-export"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": "ledger-export"}},
                               {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "ledger-export"}}]}
    sc.meta = {"front": "origin", "decoys": [
        "ledger-import env-var change (batch size) 5 min before onset",
        "fx-poller steady throttles at reserved concurrency 1",
        "steady warn 'Column memo truncated' in ledger-export"],
        "story": "On the first of the month tenants start requesting whole-month exports (range 2026-11-01/2026-11-30, "
                 "3-4.4 M rows) on top of the usual daily ones. ledger-export streams rows at ~13k rows/s on 512 MB, so "
                 "those jobs need 250-340 s while the function timeout is 180 s: their progress lines stop at ~60% and "
                 "each ends with `Task timed out after 180.00 seconds` / `Status: timeout`; SQS redelivers them every "
                 "18 minutes and they time out again. The reader database is healthy (CPU ~35%, normal read latency, "
                 "no errors in the logs) and ledger-export itself was not changed; the ledger-import config change is "
                 "unrelated. Reaching the configured timeout with no dependency errors: function_timeout on "
                 "ledger-export."}
    return sc


# =====================================================================================================
def _lognorm(rng, median_ms, sigma):
    return median_ms * math.exp(rng.gauss(0, sigma))


def s12() -> Scenario:
    sc = Scenario(12, "edge-alb-5xx-geo-lookup-timeout-lowered", "ap-south-1",
                  "edge ALB returning 502s on /geo; ELB 5xx alarm.", "2026-01-22T06:45:00")
    rng = sc.rng
    TC = -2000
    lb = "app/edge-alb/3c9d71e0a4b2f615"
    sc.res("lambda", "geo-lookup", runtime="nodejs18.x", handler="index.handler", timeout=3, memory_size=256,
           environment={"GEOCODER_URL": "https://geo.mapvendor.example/v3/geocode", "HTTP_TIMEOUT_MS": "12000"})
    sc.res("lambda", "geo-tiles", runtime="nodejs18.x", timeout=10, memory_size=1024)
    sc.res("lambda", "batch-geocode", runtime="python3.12", timeout=900, memory_size=512, reserved_concurrency=5)
    sc.res("alb", lb, name="edge-alb", target_groups=["geo-lookup-tg (lambda)", "geo-tiles-tg (lambda)"])
    inv = counts(rng, lambda t: 300 + 40 * wave(t, 10800, 2))
    durs = {}
    for t in MINUTES:
        durs[t] = [_lognorm(rng, 1100, 0.62) for _ in range(60)]
    frac_slow = {t: sum(1 for d in durs[t] if d > 3000) / 60.0 for t in MINUTES}
    after = {t: t >= TC for t in MINUTES}
    err = {t: (binom(rng, inv[t], frac_slow[t]) if after[t] else pois(rng, 0.02)) for t in MINUTES}
    dur = {t: sum(min(d, 3000) if after[t] else d for d in durs[t]) / 60.0 for t in MINUTES}
    lambda_metrics(sc, "geo-lookup", inv, err, dur, {t: pois(rng, inv[t] * dur[t] / 60000.0 * 1.6) + 1 for t in MINUTES})
    tinv = counts(rng, lambda t: 900 + 90 * wave(t, 10800, 2))
    lambda_metrics(sc, "geo-tiles", tinv, {t: pois(rng, 0.1) for t in MINUTES},
                   {t: jit(rng, 38 if t < -2300 else 35, 0.06) for t in MINUTES}, {t: pois(rng, 3) + 1 for t in MINUTES})
    binv = counts(rng, lambda t: 5.0)
    lambda_metrics(sc, "batch-geocode", binv, {t: 0 for t in MINUTES}, {t: jit(rng, 58000, 0.1) for t in MINUTES},
                   {t: 5 for t in MINUTES}, {t: pois(rng, 2.2) for t in MINUTES})
    req = {t: inv[t] + tinv[t] for t in MINUTES}
    alb_metrics(sc, lb, req, {t: err[t] + pois(rng, 0.03) for t in MINUTES}, {t: pois(rng, 0.05) for t in MINUTES},
                {t: (dur[t] * inv[t] + 37 * tinv[t]) / req[t] / 1000 + 0.003 for t in MINUTES},
                extra=[("LambdaUserError", "Count", {t: err[t] for t in MINUTES}),
                       ("LambdaInternalError", "Count", {t: 0 for t in MINUTES})])
    fl = FnLog(sc, "geo-lookup", "nodejs18.x", 256, init=(180, 300))

    def make(t, r, kind):
        q = rng.choice(["MG Road Bengaluru", "Bandra West Mumbai", "Sector 62 Noida", "Salt Lake Kolkata",
                        "Banjara Hills Hyderabad", "Koregaon Park Pune", "Anna Nagar Chennai"])
        d = _lognorm(rng, 1100, 0.62)
        if kind == "err":
            d = max(d, 3000.5)
        elif t >= TC:
            while d > 3000:
                d = _lognorm(rng, 1100, 0.62)
        pool = "post" if t >= TC else "pre"
        lines = [node(sc, t + 0.002, r, "INFO", "GET /geo?q=%s" % q.replace(" ", "+"))]
        if t >= TC and d > 3000:
            return {"dur": 3000.0 + rng.uniform(0.3, 12), "mem": rng.uniform(78, 86), "lines": lines,
                    "status": "timeout", "pool": pool}
        if rng.random() < 0.04:
            lines.append(node(sc, t + d / 1000 - 0.003, r, "ERROR", "geocoder returned ZERO_RESULTS for query \"%s\" "
                              "(responding 404)" % q))
        else:
            lines.append(node(sc, t + d / 1000 - 0.004, r, "INFO", "geocoder responded in %d ms (status=OK, "
                              "candidates=%d)" % (d - 9, rng.randint(1, 5))))
        lines.append(node(sc, t + d / 1000 - 0.002, r, "INFO", "200 GET /geo %d ms" % d))
        return {"dur": d, "mem": rng.uniform(78, 88), "lines": lines, "pool": pool}
    drive(sc, fl, inv, err, 0.07, -8400, make, n_envs=lambda t: 6)
    simple_fn(sc, "geo-tiles", "nodejs18.x", 1024, tinv, lambda t: jit(rng, 36, 0.2),
              lambda t, r, d: [node(sc, t + d / 1000, r, "INFO", "tile z=%d served from cache (%s)" % (
                  rng.randint(8, 16), "gt-77" if t >= -2300 else "gt-76"))], start=-5400, frac=0.01)
    sc.lambda_change(-2300, "geo-tiles", "UpdateFunctionCode20150331v2", "jenkins")
    sc.lambda_change(TC, "geo-lookup", "UpdateFunctionConfiguration20150331v2", "terraform-cloud")
    sc.alarm("edge-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 10,
             after=TC - 120, desc="edge-alb 5xx generated by the load balancer")
    sc.alarm("batch-geocode-throttles", "AWS/Lambda", "Throttles", {"FunctionName": "batch-geocode"}, "Sum", 300, 1, 20,
             state="OK", state_changed=-40000)
    sc.expect = {"alarm": "edge-alb-elb-5xx",
                 "root_cause": {"category": "config_change", "resource": ["geo-lookup"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "geo-lookup"}},
                               {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = {"front": "front (ALB)", "decoys": [
        "geo-tiles code deploy 5 min before (same ALB, flat errors)",
        "pre-existing ERROR 'geocoder returned ZERO_RESULTS' at ~4%",
        "batch-geocode steady throttles"],
        "story": "terraform-cloud updated geo-lookup's configuration at -2000 s; the function now has `timeout: 3` "
                 "(its HTTP client still allows 12 s). The geocoder's latency did not change - the same log-normal "
                 "spread with a median around 1.1 s and a tail beyond 3 s that used to complete (REPORT durations of "
                 "4-6 s before the change). From the change on, the ~11% of calls slower than 3 s end in "
                 "`Task timed out after 3.00 seconds`, the ALB turns them into 502s (LambdaUserError), and the ELB "
                 "5xx alarm fires. Timeouts exist, but they start with a configuration change that lowered the "
                 "timeout: per the tie-break a config change beats the symptom, so config_change on geo-lookup "
                 "(not function_timeout, not the geocoder)."}
    return sc


# =====================================================================================================
def s13() -> Scenario:
    sc = Scenario(13, "events-api-latency-onsale-surge", "us-west-1",
                  "events-api latency alarm during a concert on-sale; fans report a slow seat picker.",
                  "2026-05-15T17:05:00")
    rng = sc.rng
    T = -1800
    sc.res("lambda", "ticket-reserve", runtime="python3.12", handler="app.handler", timeout=10, memory_size=1024,
           reserved_concurrency=None, note="account concurrency limit 3000 in us-west-1")
    sc.res("lambda", "events-admin", runtime="python3.12", timeout=30, memory_size=512)
    sc.res("lambda", "email-sender", runtime="nodejs20.x", timeout=20, memory_size=256)
    sc.res("apigateway", "events-api", api_id="m1n4b7v0cz", stage="prod", stage_throttle_rps=5000, burst=10000)
    surge = lambda t: 0.0 if t < T else min(1.0, (t - T + 60) / 120.0) * (1.0 - 0.28 * ramp(t, T + 300, 0))  # noqa
    lam = lambda t: 280 + 25 * wave(t, 9000) + 9300 * surge(t)  # noqa: E731
    inv = counts(rng, lam)
    contention = {t: surge(t) for t in MINUTES}
    dur = {t: jit(rng, 140 + 1150 * contention[t], 0.05) for t in MINUTES}
    conc = {t: int(inv[t] * dur[t] / 60000.0 * 2.4 + pois(rng, 2) + 1) for t in MINUTES}
    lambda_metrics(sc, "ticket-reserve", inv, {t: pois(rng, 0.05 + 0.6 * contention[t]) for t in MINUTES}, dur, conc)
    cold_ms = {t: (1900 * max(0, conc[t] - conc.get(t - 60, conc[t])) / max(1, inv[t]) if t >= T else 2) for t in MINUTES}
    e4 = {t: pois(rng, 3) + binom(rng, inv[t], 0.11 * contention[t]) for t in MINUTES}
    apigw_metrics(sc, "events-api", inv, e4, {t: pois(rng, 0.05 + 0.4 * contention[t]) for t in MINUTES},
                  {t: dur[t] + cold_ms[t] + jit(rng, 16, 0.2) for t in MINUTES},
                  {t: dur[t] + cold_ms[t] for t in MINUTES})
    hd = {"TableName": "seat-holds"}
    sc.metric("AWS/DynamoDB", "ConsumedWriteCapacityUnits", hd, "Count", {t: inv[t] * 2.6 for t in MINUTES}, nd=0)
    sc.metric("AWS/DynamoDB", "ConditionalCheckFailedRequests", hd, "Count",
              {t: int(inv[t] * (0.03 + 1.9 * contention[t])) for t in MINUTES}, nd=0)
    sc.metric("AWS/DynamoDB", "WriteThrottleEvents", hd, "Count", {t: 0 for t in MINUTES}, nd=0)
    sc.metric("AWS/DynamoDB", "SuccessfulRequestLatency", {"TableName": "seat-holds", "Operation": "UpdateItem"},
              "Milliseconds", lambda t: jit(rng, 5.8, 0.1), nd=2)
    ainv = counts(rng, lambda t: 4.0)
    lambda_metrics(sc, "events-admin", ainv, {t: 0 for t in MINUTES}, {t: jit(rng, 300, 0.1) for t in MINUTES},
                   {t: pois(rng, 0.5) + 1 for t in MINUTES})
    minv = counts(rng, lambda t: 30.0)
    merr = {t: pois(rng, 1.2) for t in MINUTES}
    lambda_metrics(sc, "email-sender", minv, merr, {t: jit(rng, 180, 0.1) for t in MINUTES},
                   {t: pois(rng, 1) + 1 for t in MINUTES})

    fl = FnLog(sc, "ticket-reserve", "python3.12", 1024, init=(1700, 2300))

    def make(t, r, kind):
        tm = t - t % 60
        c = contention.get(tm, 0)
        ev = "EVT-2026-LA-0515" if t >= T else rng.choice(["EVT-2026-SF-0602", "EVT-2026-SD-0530", "EVT-2026-LA-0701"])
        sec = rng.choice(["FLOOR-A", "FLOOR-B", "100", "104", "112", "204", "310"])
        attempts = 1 + (int(rng.expovariate(1 / (6.0 * c))) if c > 0 else 0)
        d = jit(rng, 120 + 150 * (attempts - 1), 0.2)
        lines = [py(sc, t + 0.002, r, "INFO", "POST /events/%s/holds section=%s qty=%d" % (ev, sec, rng.randint(1, 4)))]
        for a in range(1, min(attempts, 4)):
            lines.append(py(sc, t + a * 0.15, r, "WARNING", "seat block %s-%d already held, trying next best "
                            "(attempt %d)" % (sec, rng.randint(1, 40), a + 1)))
        if c > 0 and rng.random() < 0.11:
            lines.append(py(sc, t + d / 1000 - 0.003, r, "INFO", "no contiguous seats left in section %s -> 409" % sec))
        else:
            lines.append(py(sc, t + d / 1000 - 0.003, r, "INFO", "hold hold_%s created after %d attempt(s), expires in "
                            "600s" % (hexs(rng, 10), attempts)))
        return {"dur": d, "mem": rng.uniform(180, 230), "lines": lines}
    drive(sc, fl, inv, {}, lambda t: 0.06 if t < T else 0.0035, -7800,
          make, n_envs=lambda t: 4 if t < T else 40)
    simple_fn(sc, "events-admin", "python3.12", 512, ainv, lambda t: jit(rng, 300, 0.1),
              lambda t, r, d: [py(sc, t + d / 1000, r, "INFO", "GET /admin/events page=%d (ea-%s)" % (
                  rng.randint(1, 9), "2026.05.15" if t >= -2100 else "2026.05.12"))], start=-6000, frac=0.5)

    def merr_fn(t, r):
        return {"dur": jit(rng, 160, 0.1), "mem": 70, "lines": [node(sc, t + 0.1, r, "ERROR", "SES MessageRejected: "
                "Email address is not verified. The following identities failed the check in region US-WEST-1: "
                "noreply@tix-partner.example")]}
    simple_fn(sc, "email-sender", "nodejs20.x", 256, minv, lambda t: jit(rng, 180, 0.1),
              lambda t, r, d: [node(sc, t + d / 1000, r, "INFO", "sent order confirmation via SES")],
              start=-6000, frac=0.25, err=merr, make_err=merr_fn)
    sc.lambda_change(-2100, "events-admin", "UpdateFunctionCode20150331v2", "github-actions")
    sc.alarm("events-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": "events-api"}, "Average", 60, 3, 1000,
             after=T - 60, desc="events-api average latency > 1 s")
    sc.alarm("email-sender-errors", "AWS/Lambda", "Errors", {"FunctionName": "email-sender"}, "Sum", 300, 1, 10,
             state="OK", state_changed=-30000)
    sc.expect = {"alarm": "events-api-latency",
                 "root_cause": {"category": "traffic_surge", "resource": ["events-api", "ticket-reserve"]},
                 "anomalies": [{"namespace": "AWS/ApiGateway", "name": "Count", "dimensions": {"ApiName": "events-api"}}]}
    sc.meta = {"front": "origin (the API receiving the surge)", "decoys": [
        "events-admin deploy 5 min before the on-sale",
        "email-sender pre-existing SES 'Email address is not verified' errors at the same rate all day",
        "DynamoDB ConditionalCheckFailedRequests rises (seat contention, not a fault)"],
        "story": "A concert on-sale opens at -1800 s: events-api goes from ~280 to ~9,500 requests a minute (34x) "
                 "within two minutes. ticket-reserve scales from a handful to several hundred concurrent executions "
                 "(hundreds of fresh INIT_STARTs with ~2 s init), and because thousands of fans chase the same "
                 "sections each hold needs several attempts (`seat block ... already held, trying next best`), so "
                 "Duration climbs from ~140 ms to ~1.3 s and API Gateway latency crosses 1 s; sold-out sections return "
                 "409s. There are no throttles anywhere (stage limit 5000 rps, account 3000 concurrency, table on "
                 "demand with zero WriteThrottleEvents), no dependency errors, no resource at a limit, no relevant "
                 "change. Volume far above its usual level with no other fault: traffic_surge, entering through "
                 "events-api (ticket-reserve accepted as the same path)."}
    return sc
