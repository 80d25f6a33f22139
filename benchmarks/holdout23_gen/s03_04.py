"""Scenarios 03-04: timeout wording whose real cause is memory (03) or a pinned CPU (04)."""
import datetime as dt

from .awsres import (alb_metrics, ecs_metrics, ecs_streams, emit, lambda_fn, pg_line,
                     rds_metrics, spring)
from .lib import Scn, anomaly, poisson_times, ramp, spread, step, values

GB = 1e9


def s03():
    s = Scn("h23-03-invoice-renderer-oom", "invoice-renderer errors during the month-end invoicing run; "
            "billing-db CPU alarm also firing.", "us-west-2", dt.datetime(2026, 11, 30, 23, 20), 2303)
    onset, run_start = -1800, -5400
    fn, api = "invoice-renderer", "billing-api"
    s.resource("lambda", fn, runtime="nodejs20.x", timeout=30, memory_size=1024,
               invoked_by="billing-api (synchronous Invoke)",
               environment={"OUTPUT_BUCKET": "acme-invoices-prod", "NODE_OPTIONS": "--enable-source-maps"})
    s.resource("lambda", api, runtime="python3.12", timeout=120, memory_size=512,
               trigger="SQS month-end-invoicing",
               environment={"DB_HOST": "billing-db.cq2w7z1ab9xy.us-west-2.rds.amazonaws.com",
                            "RENDERER_FUNCTION": fn})
    s.resource("rds", "billing-db", engine="postgres", engine_version="14.10", instance_class="db.m6g.large",
               max_connections=800, allocated_storage_gb=500, log_groups=["/aws/rds/instance/billing-db/postgresql"])

    rate = lambda t: 3.0 + 8.5 * ramp(t, run_start, run_start + 300)
    inv = s.counts(rate)
    frac_big = lambda t: 0.44 if t >= onset else (0.03 if t >= run_start else 0.0)
    err = [[t, float(min(n, s.poisson(n * frac_big(t)) if t >= onset else 0))] for t, n in inv]
    kinds = ["oom", "oom", "oom", "abort", "abort", "timeout", "timeout"]

    def render(t, rid, kind):
        inv_id = "inv_2026_11_%06d" % s.rng.randint(1, 250000)
        cus = "cus_%s" % s.hexid(10)
        if not kind:
            lines = s.rng.randint(3, 900) if s.rng.random() > frac_big(t) / 3 else s.rng.randint(2000, 6000)
            ms = 900 + lines * 0.9 + s.rng.random() * 700
            mem = 180 + lines * 0.05 + s.rng.random() * 60
            return {"dur": ms, "mem": mem, "lines": [
                (0.01, "INFO", "Rendering invoice %s customer=%s lines=%d pages=%d" % (inv_id, cus, lines,
                                                                                      max(1, lines // 30))),
                (ms / 1000 - 0.05, "INFO", "Uploaded s3://acme-invoices-prod/2026/11/%s.pdf (%d KB) in %d ms"
                 % (inv_id, 40 + lines // 4, ms))]}
        lines = s.rng.randint(18000, 61000)
        out = [(0.01, "INFO", "Rendering invoice %s customer=%s lines=%d pages=%d" % (inv_id, cus, lines,
                                                                                     lines // 30)),
               (0.4, "WARN", "large invoice: buffering %d line items before layout" % lines),
               (3.1, "INFO", "memory checkpoint rows=10000 rss=%dMB heapUsed=%dMB" % (s.rng.randint(610, 700),
                                                                                    s.rng.randint(520, 600)))]
        if kind == "timeout":
            out.append((17.5, "INFO", "memory checkpoint rows=20000 rss=%dMB heapUsed=%dMB"
                        % (s.rng.randint(1005, 1016), s.rng.randint(900, 930))))
            return {"dur": 30000 + s.rng.random() * 40, "mem": 1017 + s.rng.randint(0, 7), "lines": out,
                    "end": "timeout"}
        ms = 6000 + s.rng.random() * 8000
        if kind == "abort":
            out.append((ms / 1000 - 0.01, None, "\n<--- Last few GCs --->\n\n[8:0x5e1b2c0]    %d ms: Mark-Compact "
                        "%.1f (%.1f) -> %.1f (%.1f) MB, %.2f / 0.00 ms  (average mu = 0.112, current mu = 0.021) "
                        "allocation failure; scavenge might not succeed\n\n\n<--- JS stacktrace --->\n\nFATAL ERROR: "
                        "Reached heap limit Allocation failed - JavaScript heap out of memory"
                        % (ms, 868.1, 901.2, 866.9, 902.5, 900 + s.rng.random() * 500)))
            return {"dur": ms, "mem": 1004 + s.rng.randint(0, 12), "lines": out, "end": "abort"}
        return {"dur": ms, "mem": 1024, "lines": out, "end": "oom"}

    lambda_fn(s, fn, "nodejs20.x", 1024, 30, inv, err, render, lambda t: 1500 + s.noise(200),
              kind_fn=lambda t: s.pick(kinds), log_from=-7200, nstreams=4)
    iv, ev = values(inv), values(err)
    s.metric("LambdaInsights", "memory_utilization", {"function_name": fn}, "Percent",
             s.series(lambda t: 100.0 if ev.get(t, 0) else (24 + 14 * step(t, run_start) + s.noise(3))))

    # billing-api: catches renderer failures and re-queues the invoice, so its own Errors stay at 0
    bi = [[t, float(n)] for t, n in inv]

    def bill(t, rid, kind):
        inv_id = "inv_2026_11_%06d" % s.rng.randint(1, 250000)
        rows = s.rng.randint(3, 900)
        q = 12 + s.rng.random() * 30
        m = t - t % 60
        lines = [(0.02, "INFO", "Loaded %d line items for %s in %d ms" % (rows, inv_id, q))]
        if t >= onset and s.rng.random() < ev.get(m, 0) / max(1.0, iv.get(m, 1)):
            if s.rng.random() < 0.3:
                payload = '{"errorMessage":"%s %s Task timed out after 30.03 seconds"}' % (s.iso(t + 30), s.uuid())
                d = 30400
            else:
                payload = ('{"errorType":"Runtime.OutOfMemory","errorMessage":"RequestId: %s Error: Runtime exited '
                           'with error: signal: killed"}' % s.uuid())
                d = 9000 + s.rng.random() * 5000
            lines += [(d / 1000, "ERROR", "Renderer failed for %s: FunctionError=Unhandled payload=%s" % (inv_id,
                                                                                                     payload)),
                      (d / 1000 + 0.01, "WARNING", "Re-queued %s (attempt %d/5)" % (inv_id, s.rng.randint(1, 4)))]
            return {"dur": d + 60, "mem": 140, "lines": lines}
        d = 1800 + s.rng.random() * 1500
        lines.append((d / 1000, "INFO", "Invoice %s rendered and stored" % inv_id))
        return {"dur": d + q, "mem": 131 + s.rng.randint(0, 8), "lines": lines}

    lambda_fn(s, api, "python3.12", 512, 120, bi, [[t, 0.0] for t, _ in bi], bill,
              lambda t: 2400 + s.noise(200), log_from=-4500, nstreams=3)

    # billing-db: month-end materialised-view refresh pins its CPU (its own alarm), queries stay fast
    hot = lambda t: ramp(t, -2200, -2050)
    bcpu = s.series(lambda t: 31 + 61 * hot(t) + s.noise(2.5), hi=100)
    rds_metrics(s, "billing-db", bcpu,
                s.series(lambda t: 42 + 8 * step(t, run_start) + s.noise(3), nd=0),
                s.series(lambda t: 212 * GB + s.noise(0.2 * GB), nd=0),
                s.series(lambda t: 3.4 * GB - 0.6 * GB * hot(t) + s.noise(0.05 * GB), nd=0),
                s.series(lambda t: 0.0011 + 0.0009 * hot(t) + abs(s.noise(0.0002)), nd=5))
    pg = []
    for t in range(-21600 + 60, -60, 300):
        pg.append((t, pg_line(s, t, "@", 388, "LOG", "checkpoint starting: time")))
    pid = 30412
    pg.append((-2195, pg_line(s, -2195, "10.30.2.19(51022):reporting@billing", pid, "LOG",
                              "statement: REFRESH MATERIALIZED VIEW CONCURRENTLY reporting.revenue_by_plan_month")))
    for t in range(-2100, -60, 240):
        pg.append((t, pg_line(s, t, "10.30.2.19(51022):reporting@billing", pid, "LOG",
                              "temporary file: path \"base/pgsql_tmp/pgsql_tmp%d.%d\", size %d"
                              % (pid, s.rng.randint(1, 90), s.rng.randint(200, 900) * 1048576))))
    s.log("/aws/rds/instance/billing-db/postgresql", "billing-db.0", pg)

    s.alarm("invoice-renderer-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 3,
            "GreaterThanThreshold", "ALARM", "auto", err, "invoice-renderer failures", after=onset)
    s.alarm("billing-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "billing-db"},
            "Average", 300, 2, 85, "GreaterThanThreshold", "ALARM", "auto", bcpu, after=-2200)
    s.alarm("billing-api-errors", "AWS/Lambda", "Errors", {"FunctionName": api}, "Sum", 60, 3, 5,
            "GreaterThanThreshold", "OK", -400000)
    s.set_expect("invoice-renderer-errors", "memory_exhaustion", [fn],
                 [anomaly("AWS/Lambda", "Errors", FunctionName=fn),
                  anomaly("LambdaInsights", "memory_utilization", function_name=fn)])
    s.meta = dict(category="memory_exhaustion", resources=[fn], alarm_on="origin (busy neighbours)",
                  decoys="billing-db CPU alarm in ALARM (month-end materialised-view refresh); 'Task timed out' "
                         "lines; billing-api re-queue errors",
                  story="During the month-end run invoice-renderer began failing on very large invoices "
                        "(18k-61k line items). Failures end in one of three ways: `Runtime exited with error: signal: "
                        "killed` with REPORT `Max Memory Used: 1024 MB ... Error Type: Runtime.OutOfMemory`, a V8 "
                        "`JavaScript heap out of memory` abort, or (about 30 %) `Task timed out after 30 seconds`. "
                        "The timed-out runs also show Max Memory Used at 1017-1024 MB and an rss "
                        "checkpoint over 1 GB, so they are GC thrash at the memory ceiling, not slow downstream "
                        "calls. The renderer gets its data in the payload and never connects to billing-db. "
                        "billing-db's CPU alarm comes from a reporting materialised-view refresh; billing-api still "
                        "loads line items in tens of ms. Label: memory_exhaustion on invoice-renderer, the alarmed "
                        "function itself.")
    return s


def s04():
    s = Scn("h23-04-catalog-latency-search-cpu", "Catalog search slow and intermittently failing; ALB "
            "latency alarm.", "ap-southeast-2", dt.datetime(2026, 11, 24, 2, 15), 2304)
    onset = -2100
    lb = "app/catalog-alb/3b9d0e7f21a4c5d6"
    s.resource("alb", lb, name="catalog-alb", scheme="internet-facing",
               target_groups=[{"name": "search-api-tg", "target": "ecs:catalog/search-api", "port": 8080}])
    s.resource("ecs", "catalog/search-api", cluster="catalog", service="search-api", launch_type="FARGATE",
               desired_count=3, cpu=1024, memory=4096, autoscaling="none",
               image="730335182204.dkr.ecr.ap-southeast-2.amazonaws.com/search-api:5.8.2",
               environment={"SPRING_DATASOURCE_URL": "jdbc:postgresql://catalog-db.c1lq8x2m9n0p.ap-southeast-2.rds."
                                                     "amazonaws.com:5432/catalog", "REINDEX_CRON": "0 40 1 * * *",
                            "REINDEX_THREADS": "8", "SEARCH_DEADLINE_MS": "5000"},
               log_groups=["/ecs/search-api"])
    s.resource("rds", "catalog-db", engine="postgres", engine_version="16.2", instance_class="db.r6g.large",
               max_connections=1700, allocated_storage_gb=250)
    s.resource("lambda", "catalog-feed-exporter", runtime="python3.12", timeout=300, memory_size=1024,
               trigger="EventBridge schedule rate(15 minutes)",
               environment={"SOURCE_BUCKET": "catalog-snapshots", "FEED_BUCKET": "catalog-feeds"})

    req = s.counts(lambda t: 520 * s.diurnal(t, 0.2, 3))
    rv = values(req)
    slow = lambda t: ramp(t, onset, onset + 240)
    t5 = [[t, float(s.poisson(rv[t] * 0.075 * slow(t) + 0.3))] for t, _ in req]
    trt = s.series(lambda t: 0.085 + abs(s.noise(0.01)) + slow(t) * max(2.1, 3.4 + s.noise(0.5)), nd=4)
    alb_metrics(s, lb, req, trt, t5, s.counts(lambda t: 0.05 + 0.4 * slow(t)),
                s.series(lambda t: 3, nd=0))
    ecs_metrics(s, "catalog", "search-api", s.series(lambda t: (33 + s.noise(1.5)) * (1 - slow(t)) + slow(t) * (98.4 + s.noise(0.8)), hi=100),
                s.series(lambda t: 63 + 3 * slow(t) + s.noise(0.5)), s.series(lambda t: 3, nd=0))
    rds_metrics(s, "catalog-db", s.series(lambda t: 22 + 9 * slow(t) + s.noise(2)),
                s.series(lambda t: 36 + 3 * slow(t) + s.noise(1.5), nd=0),
                s.series(lambda t: 171 * GB + s.noise(0.1 * GB), nd=0),
                s.series(lambda t: 7.2 * GB + s.noise(0.05 * GB), nd=0),
                s.series(lambda t: 0.0008 + abs(s.noise(0.0002)), nd=5),
                s.series(lambda t: 0.0014 + abs(s.noise(0.0003)), nd=5))

    # decoy: feed exporter deployed one minute before onset; runs every 15 min, reads and writes S3 only
    fi = [[t, 1.0 if (t // 60) % 15 == 0 else 0.0] for t in s.grid()]

    def feed(t, rid, kind):
        n = s.rng.randint(18000, 18400)
        return {"dur": 38000 + s.rng.random() * 6000, "mem": 310 + s.rng.randint(0, 30), "lines": [
            (0.2, "INFO", "Loaded snapshot s3://catalog-snapshots/latest/products.parquet (%d rows)" % n),
            (36.0, "INFO", "Exported %d products to s3://catalog-feeds/google/products.xml.gz" % n)]}

    lambda_fn(s, "catalog-feed-exporter", "python3.12", 1024, 300, fi, [[t, 0.0] for t in s.grid()], feed,
              lambda t: 40000 + s.noise(2000), rotate=(onset - 60,), nstreams=1)
    s.change(onset - 60, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "catalog-feed-exporter", "github-actions-deploy")

    st = ecs_streams(s, "search-api", 3)
    queries = ["running shoes", "usb-c hub", "4k monitor", "kettle", "yoga mat", "air fryer", "desk lamp"]

    def line(t, _st):
        thr = "http-nio-8080-exec-%d" % s.rng.randint(1, 200)
        q = s.pick(queries)
        r = s.rng.random()
        if r < 0.07:
            return spring(s, t, "WARN", thr, "c.a.catalog.web.QueryParser",
                          "Rejected malformed query q=%r: unbalanced quote at position %d" % ('"' + q, len(q)))
        sl = slow(t)
        if sl and r < 0.2 * sl:
            return spring(s, t, "ERROR", thr, "c.a.catalog.web.SearchController",
                          "Search failed for q=\"%s\"\njava.util.concurrent.TimeoutException: Did not observe any "
                          "item or terminal signal within 5000ms in 'source(MonoCallable)' (and no fallback has been "
                          "configured)\n\tat reactor.core.publisher.FluxTimeout$TimeoutMainSubscriber.handleTimeout("
                          "FluxTimeout.java:296)\n\tat com.acme.catalog.search.SearchService.search(SearchService."
                          "java:71)" % q)
        if sl and r < 0.55 * sl:
            return spring(s, t, "WARN", thr, "c.a.catalog.web.RequestTimingFilter",
                          "Slow request GET /v1/search?q=%s took %d ms (queue wait %d ms)"
                          % (q.replace(" ", "+"), 2500 + s.rng.randint(0, 2400), 2300 + s.rng.randint(0, 2300)))
        return spring(s, t, "INFO", thr, "c.a.catalog.web.RequestTimingFilter",
                      "GET /v1/search?q=%s 200 %dms" % (q.replace(" ", "+"), s.rng.randint(18, 70)))

    b = spread(s, poisson_times(s, lambda m: 24), st, line)
    for i, name in enumerate(st):
        t0 = onset + 0.3 * i
        b[name].append((t0, spring(s, t0, "INFO", "scheduling-1", "c.a.catalog.index.ReindexScheduler",
                                   "Starting scheduled full reindex (cron 0 40 1 * * *) threads=8 source=catalog-db")))
        k = 0
        for t in range(onset + 60, -60, 110):
            k += 1
            t1 = t + i * 7 + s.rng.random() * 5
            b[name].append((t1, spring(s, t1, "INFO", "reindex-%d" % s.rng.randint(1, 8),
                                       "c.a.catalog.index.ReindexWorker",
                                       "Fetched products batch %d (5000 rows) from catalog-db in %d ms; segment "
                                       "%d/48, %d docs/s" % (k * 3, s.rng.randint(40, 95), min(48, k), 390 +
                                                            s.rng.randint(0, 60)))))
        for t in range(onset + 100, -60, 95):
            t1 = t + s.rng.random() * 20
            b[name].append((t1, spring(s, t1, "WARN", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool",
                                       "HikariPool-1 - Thread starvation or clock leap detected (housekeeper "
                                       "delta=%ds%dms)." % (s.rng.randint(41, 75), s.rng.randint(0, 999)))))
    emit(s, "/ecs/search-api", b)

    s.alarm("catalog-alb-latency-high", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
            "Average", 60, 5, 1.5, "GreaterThanThreshold", "ALARM", "auto",
            trt, "Catalog ALB average target response time", after=onset)
    s.alarm("catalog-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "catalog-db"},
            "Average", 300, 3, 80, "GreaterThanThreshold", "OK", -250000)
    s.set_expect("catalog-alb-latency-high", "cpu_saturation", ["catalog/search-api", "search-api"],
                 [anomaly("AWS/ECS", "CPUUtilization", ClusterName="catalog", ServiceName="search-api"),
                  anomaly("AWS/ApplicationELB", "TargetResponseTime", LoadBalancer=lb)])
    s.meta = dict(category="cpu_saturation", resources=["catalog/search-api", "search-api"],
                  alarm_on="front (ALB → search-api)",
                  decoys="catalog-feed-exporter deployed 1 min before onset (S3-only, off path); TimeoutException / "
                         "'Slow request' wording; steady malformed-query WARN",
                  story="At 01:40 UTC each search-api task starts the cron full reindex (REINDEX_CRON 0 40 1 * * *, "
                        "8 threads on a 1-vCPU task). Service CPU goes from ~33 % to ~99 % and stays there. ALB "
                        "latency rises from 85 ms to ~3.5 s, and the app logs 5 s deadline TimeoutExceptions, 'Slow "
                        "request ... (queue wait ...)' and HikariCP 'Thread starvation or clock leap detected'. All "
                        "three are symptoms of a starved CPU. catalog-db is healthy: low CPU, normal connections, "
                        "sub-ms latency, and the reindex's own batches come back in <100 ms. The feed exporter "
                        "deployed a minute before only reads and writes S3 and its runs look the same. Label: "
                        "cpu_saturation on catalog/search-api.")
    return s
