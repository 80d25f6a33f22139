"""h26-09 quote-generator hits its reserved concurrency (API Gateway 5XX alarm) and
h26-10 sitemap-builder runs past its 300 s timeout (own Errors alarm)."""
from __future__ import annotations

import datetime as dt

from .common import (MINUTES, Scenario, alarm_transition, apigw_metrics, gauss, lambda_metrics,
                     poisson, rds_metrics, simple_lambda_model)
from .logfmt import LambdaLogs, log_minutes, pg, py, spread


# =========================================================================== 09
def build_09():
    sc = Scenario("h26-09-quotes-api-5xx-lambda-concurrency", 2609, "us-west-2",
                  "quotes-api 5XX alarm during the Monday morning ramp; sales reps see 'Internal server error' when generating quotes.",
                  dt.datetime(2026, 11, 23, 16, 45, 0))
    rng = sc.rng
    fn, api, api_id = "quote-generator", "quotes-api", "r3n8v0c6te"
    RC, DUR = 6, 8900.0
    sc.resource("apigateway", api, api_id=api_id, stage="prod", integration="Lambda proxy -> quote-generator",
                stage_throttling_rate_limit=500, stage_throttling_burst_limit=1000)
    sc.resource("lambda", fn, runtime="python3.12", timeout=29, memory_size=1536, reserved_concurrency=RC)
    sc.resource("lambda", "rates-cache-warmer", runtime="python3.12", timeout=120, memory_size=512)

    def demand(t):
        f = (t + 21600) / 21600.0
        return 17 + 40 * f ** 2.4
    inv, err, thr, dur, conc, want = {}, {}, {}, {}, {}, {}
    cap = RC * 60000.0 / DUR
    for t in MINUTES:
        w = poisson(rng, demand(t))
        d = gauss(rng, DUR, 600, 5000)
        c = RC * 60000.0 / d
        ran = min(w, int(c + rng.uniform(-1, 1)))
        want[t], inv[t], thr[t] = w, ran, max(0, w - ran)
        err[t], dur[t] = 0, d
        conc[t] = RC if (thr[t] or w * d / 60000.0 >= RC - 0.3) else max(1, round(w * d / 60000.0 + rng.uniform(-0.5, 0.5)))
    lambda_metrics(sc, fn, inv, err, thr, dur, conc)
    z = {t: 0 for t in MINUTES}
    cwi = {t: (1 if t % 900 == 0 else 0) for t in MINUTES}
    cw = (cwi, z, z, {t: (gauss(rng, 21000, 2000, 9000) if cwi[t] else None) for t in MINUTES}, cwi)
    lambda_metrics(sc, "rates-cache-warmer", *cw)
    cnt, e4, e5, lat, ilat = {}, {}, {}, {}, {}
    for t in MINUTES:
        cnt[t] = want[t] + poisson(rng, 0.5)
        e4[t] = poisson(rng, 0.4)
        e5[t] = thr[t]
        ok = inv[t] / max(1, want[t])
        ilat[t] = dur[t] * ok + 25 * (1 - ok)
        lat[t] = ilat[t] + gauss(rng, 12, 2, 4)
    apigw_metrics(sc, api, cnt, e4, e5, lat, ilat)

    ll = LambdaLogs(sc, fn, 1536, init_ms=(1100, 1900))
    exec_log = []
    reps = ["rep_%03d" % i for i in range(1, 90)]
    for t in log_minutes(-7200):
        for tt in spread(rng, t, inv[t]):
            q = "Q-%06d" % rng.randint(200000, 299999)
            lines = [(0.01, py("INFO", "Generating quote %s for %s (%d line items)" % (q, rng.choice(reps), rng.randint(1, 40))))]
            if rng.random() < 0.12:
                lines.append((0.3, py("WARNING", "Carrier 'ups' rate card is 26h old; using cached rates")))
            d = gauss(rng, DUR, 600, 5000)
            lines.append((d / 1000 - 0.05, py("INFO", "Quote %s rendered (%d pages) and stored in s3://acme-quotes/%s.pdf" % (q, rng.randint(1, 6), q))))
            ll.invoke(tt, lines, d, rng.randint(610, 840))
        for tt in spread(rng, t, thr[t]):
            gid = sc.uuid()
            exec_log.append((tt, "(%s) Lambda invocation failed with status: 429. Lambda request id: %s" % (gid, sc.uuid())))
            exec_log.append((tt + 0.001, "(%s) Execution failed due to configuration error: Rate Exceeded." % gid))
            exec_log.append((tt + 0.002, "(%s) Method completed with status: 500" % gid))
    ll.emit()
    sc.log("API-Gateway-Execution-Logs_%s/prod" % api_id, sc.hexid(32), exec_log)
    wl = LambdaLogs(sc, "rates-cache-warmer", 512)
    for t in log_minutes():
        if cw[0][t]:
            wl.invoke(t + 0.2, [(0.02, py("INFO", "Refreshing carrier rate cards: fedex, dhl, usps")),
                                (18.0, py("INFO", "Rate cards refreshed (ups skipped: upstream maintenance window)"))], gauss(rng, 21000, 2000, 9000), 190)
    wl.emit()

    sc.change(-3300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "rates-cache-warmer", "ci-deployer")
    sc.change(-3290, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "rates-cache-warmer", "ci-deployer")
    ch = alarm_transition(e5, 300, 1, 20, "GreaterThanThreshold")
    sc.alarm("quotes-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 20,
             "GreaterThanThreshold", "ALARM", ch or -900, "quotes-api server errors")
    sc.expect = {"alarm": "quotes-api-5xx",
                 "root_cause": {"category": "throttling", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": {"FunctionName": fn}},
                               {"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": api}}]}
    sc.meta = dict(front="front (API Gateway)", decoys="rates-cache-warmer routine deploy 55 min ago (sporadic throttles had already started before it); pre-existing 'rate card is 26h old' WARNING; no errors inside the function",
                   story="quote-generator has reserved concurrency 6 and takes ~9 s per quote, so it can serve ~40 quotes a minute. As the ordinary Monday-morning ramp pushes demand past that (sporadically from about two hours ago, steadily in the last ~40 minutes), ConcurrentExecutions sits flat at 6, the Throttles metric grows, and API Gateway logs 'Lambda invocation failed with status: 429 ... Rate Exceeded' and returns 500 for the rejected calls, which is what the 5XX alarm counts. The invocations that run are normal (same duration, no errors). Traffic rises smoothly with the time of day rather than jumping, so it is not a surge. The rates-cache-warmer deploy is another function. Judgement: throttling at the quote-generator concurrency limit, not an API Gateway fault.")
    return sc


# =========================================================================== 10
def build_10():
    sc = Scenario("h26-10-sitemap-builder-timeout", 2610, "us-west-2",
                  "sitemap-builder Errors alarm; SEO team says sitemap.xml has not been refreshed for an hour.",
                  dt.datetime(2026, 11, 25, 21, 5, 0))
    rng = sc.rng
    fn, db = "sitemap-builder", "catalog-pg"
    sc.resource("lambda", fn, runtime="python3.12", timeout=300, memory_size=1024, schedule="rate(10 minutes)",
                maximum_retry_attempts=0)
    sc.resource("lambda", "catalog-import", runtime="python3.12", timeout=900, memory_size=2048)
    sc.resource("lambda", "search-indexer", runtime="python3.12", timeout=120, memory_size=1024)
    sc.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.r6g.large",
                max_connections=800, allocated_storage_gb=300)

    grow = -3840
    def pages(t):
        return 505 + (t + 21600) // 1800 if t < grow else 870 + (t - grow) // 3000
    runs = {}
    inv, err, thr, dur, conc = {}, {}, {}, {}, {}
    for t in MINUTES:
        run = (t % 600 == 0)
        inv[t], thr[t] = (1 if run else 0), 0
        if run:
            p = pages(t)
            need = p * gauss(rng, 0.405, 0.01, 0.37) + 3.5
            runs[t] = (p, need)
            err[t] = 1 if need > 300 else 0
            dur[t] = min(need, 300.0) * 1000
        else:
            err[t], dur[t] = 0, None
        conc[t] = 1 if run or (t - 60) % 600 in (0,) or (t - 120) % 600 in (0,) or (t - 180) % 600 == 0 else 0
    lambda_metrics(sc, fn, inv, err, thr, dur, conc)
    ci = {t: (1 if t == grow - 240 else 0) for t in MINUTES}
    lambda_metrics(sc, "catalog-import", ci, {t: 0 for t in MINUTES}, {t: 0 for t in MINUTES},
                   {t: (612000.0 if ci[t] else None) for t in MINUTES}, {t: 1 if grow - 240 <= t <= grow + 360 else 0 for t in MINUTES})
    si = simple_lambda_model(rng, lambda t: 3, lambda t: gauss(rng, 2400, 300, 900))
    lambda_metrics(sc, "search-indexer", *si)
    vac = lambda t: -15000 <= t <= -13800
    rds_metrics(sc, db, lambda t: gauss(rng, 64 if vac(t) else (31 if grow - 240 <= t <= grow + 400 else 17), 3, 5),
                lambda t: round(gauss(rng, 34, 2)), lambda t: 188.0 - (t + 21600) / 21600 * 0.9 - (1.4 if t >= grow else 0),
                lambda t: gauss(rng, 0.0010, 0.0002, 0.0004), lambda t: gauss(rng, 0.0013, 0.0002, 0.0005),
                lambda t: gauss(rng, 7.3, 0.05), lambda t: gauss(rng, 300, 40, 50), lambda t: gauss(rng, 90 if t < grow else 95, 12, 10))

    ll = LambdaLogs(sc, fn, 1024, init_ms=(700, 1100))
    for t, (p, need) in sorted(runs.items()):
        if t < -10800:
            continue
        lines = [(0.01, py("INFO", "Building sitemap index: %d catalog pages of 500 products, 12 locales" % p))]
        per = (min(need, 300) - 3.5) / p
        for k in range(50, p + 1, 50):
            off = 1.0 + k * per
            if off >= 299.9:
                break
            lines.append((off, py("INFO", "Fetched catalog page %d/%d (500 rows) in %d ms" % (k, p, rng.randint(360, 450)))))
            if rng.random() < 0.25:
                lines.append((off + 0.01, py("WARNING", "Skipping product sku=%s with empty slug" % ("SKU-%07d" % rng.randint(1, 9999999)))))
        timed_out = need > 300
        if not timed_out:
            lines.append((need - 1.5, py("INFO", "Wrote s3://acme-www/sitemaps/sitemap-index.xml (%d files, %d URLs)" % (p // 100 + 1, p * 500 * 12))))
        ll.invoke(t + 0.3, lines, 300000.0 if timed_out else need * 1000, rng.randint(380, 460) if not timed_out else rng.randint(520, 610),
                  timeout_s=300.0 if timed_out else None)
    ll.emit()
    cl = LambdaLogs(sc, "catalog-import", 2048)
    cl.invoke(grow - 240 + 0.5, [(0.02, py("INFO", "Bulk import imp_5521 for tenant t_5521 (homewares-direct): 182,340 rows")),
                                 (300.0, py("INFO", "Upserted 100000/182340 products")),
                                 (610.0, py("INFO", "Import imp_5521 complete: 182,340 products upserted, 0 rejected"))], 612000.0, 1410)
    cl.emit()
    sl = LambdaLogs(sc, "search-indexer", 1024)
    for t in log_minutes():
        for tt in spread(rng, t, si[0][t]):
            sl.invoke(tt, [(0.01, py("INFO", "Indexed %d product updates into opensearch" % rng.randint(5, 400)))], gauss(rng, 2400, 300, 900), 240)
    sl.emit()
    pl = []
    for t in range(-10800, 0, 300):
        pl.append((t + 23, pg(sc, t + 23, "", "@", 517, "LOG", "checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, 1 recycled" % (rng.randint(700, 1900), rng.uniform(0.3, 1.2)))))
    pl.append((grow + 320, pg(sc, grow + 320, "", "@", 30211, "LOG", "automatic analyze of table \"catalog.public.products\"")))
    sc.log("/aws/rds/instance/catalog-pg/postgresql", "catalog-pg.0", pl)

    sc.change(-2520, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "search-indexer", "ci-deployer")
    ch = alarm_transition(err, 600, 2, 1, "GreaterThanOrEqualToThreshold")
    sc.alarm("sitemap-builder-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 600, 2, 1,
             "GreaterThanOrEqualToThreshold", "ALARM", ch or -1200, "sitemap-builder failed runs")
    sc.expect = {"alarm": "sitemap-builder-errors",
                 "root_cause": {"category": "function_timeout", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": fn}},
                               {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(front="origin (Lambda)", decoys="search-indexer routine deploy; catalog-pg nightly autovacuum CPU bump hours earlier; pre-existing 'Skipping product with empty slug' WARNING on every run",
                   story="A tenant's bulk import at -75 min added ~180k products, so the sitemap needs ~870 catalog pages instead of ~510. Each page still takes ~0.4 s (the per-page timings and catalog-pg latency are unchanged, no dependency errors), but the run now needs ~6 minutes, and every scheduled run since -60 min ends with 'Task timed out after 300.00 seconds' at Duration 300000 ms. The search-indexer deploy and the autovacuum bump are unrelated, and the slug warning appears on every run before and after. Judgement: function_timeout on sitemap-builder. The import is ordinary data growth, not a change to the function.")
    return sc
