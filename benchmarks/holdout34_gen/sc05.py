"""Scenarios 05-06."""
from __future__ import annotations

import datetime as dt

from . import comp
from .comp import GB
from .core import Scenario, TS, diurnal, ramp
from .fmt import LambdaLog, bucketed, every, java_trace, per_minute, pylog, spring
from .sc01 import binom

UTC = dt.timezone.utc


def gunicorn(s, t, level, msg, pid=1):
    return f"[{s.wall(t).strftime('%Y-%m-%d %H:%M:%S')} +0000] [{pid}] [{level}] {msg}"


# ====================================================================== 05
def s05():
    s = Scenario(5, "checkout-latency-fraud-scorer-cpu", "eu-central-1",
                 "Checkout is slow (several seconds per order); paged by the public ALB response-time alarm.",
                 3405, dt.datetime(2026, 3, 19, 11, 0, tzinfo=UTC))
    ON = -2100
    pub = "app/checkout-eu/7e2d4b9a0c1f3856"
    fin = "app/fraud-internal/1a9c7e5b3d2f0486"
    fdns = "internal-fraud-internal-58223019.eu-central-1.elb.amazonaws.com"
    s.res("alb", pub, name="checkout-eu", scheme="internet-facing", target_group="tg-checkout-api -> ecs checkout/checkout-api")
    s.res("ecs", "checkout/checkout-api", cluster="checkout", service="checkout-api", launch_type="FARGATE", desired_count=6,
          task_definition="checkout-api:301", runtime="java 21 / spring boot 3.2", log_groups=["/ecs/checkout-api"],
          fraud_url=f"http://{fdns}/v2/score", fraud_timeout_ms=2000)
    s.res("alb", fin, name="fraud-internal", scheme="internal", dns_name=fdns, target_group="tg-fraud-scorer -> ecs fraud/fraud-scorer")
    s.res("ecs", "fraud/fraud-scorer", cluster="fraud", service="fraud-scorer", launch_type="FARGATE", desired_count=3,
          task_cpu=2048, task_memory=4096, task_definition="fraud-scorer:77", runtime="python 3.11 / gunicorn 21 (sync workers, timeout 30)",
          log_groups=["/ecs/fraud-scorer"])
    s.res("rds", "checkout-db", engine="aurora-postgresql", engine_version="15.4", instance_class="db.r6g.xlarge", max_connections=3000)
    s.res("lambda", "checkout-receipts-pdf", runtime="java21", timeout=60, memory_size=2048)

    hot = lambda t: ramp(t, ON, ON + 180)
    creq = s.series(lambda t: s.p(420 * diurnal(t, 0.15, 6000)), integer=True)
    c5 = [binom(s, r, 0.012 * hot(t)) + s.p(0.3) for t, r in zip(TS, creq)]
    comp.alb(s, pub, creq, c5, lambda t: s.p(0.05),
             lambda t: 0.24 + 0.05 * s.rng.random() + hot(t) * (1.7 + 0.4 * s.rng.random()), lambda t: 6, lambda t: 0,
             t4=lambda t: s.p(6))
    comp.ecs(s, "checkout", "checkout-api", lambda t: 29 + s.n(0, 2) - 5 * hot(t), lambda t: 63 + s.n(0, 1), lambda t: 6)
    freq = [int(r * 0.7) + s.p(12) for r in creq]
    f5 = [binom(s, r, 0.018 * hot(t)) for t, r in zip(TS, freq)]
    comp.alb(s, fin, freq, lambda t: 0, f5, lambda t: 0.034 + 0.01 * s.rng.random() + hot(t) * (2.6 + 0.6 * s.rng.random()),
             lambda t: 3, lambda t: 0)
    comp.ecs(s, "fraud", "fraud-scorer", lambda t: (37 + s.n(0, 3)) * (1 - hot(t)) + hot(t) * (99.2 + s.n(0, 0.5)),
             lambda t: 61 + s.n(0, 1) + 5 * hot(t), lambda t: 3)
    comp.rds(s, "checkout-db", lambda t: 18 + s.n(0, 2), lambda t: 140 + s.n(0, 5), lambda t: 0,
             lambda t: 0.0007 + abs(s.n(0, 0.0001)), lambda t: 0.0012 + abs(s.n(0, 0.0002)), lambda t: 21 * GB + s.n(0, 1e8))
    s.find_metric("AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": "checkout-db"})["points"] = []
    s.metrics = [m for m in s.metrics if m["points"]]
    rc = s.series(lambda t: s.p(7), integer=True)
    comp.lambda_(s, "checkout-receipts-pdf", rc, lambda t: 0, lambda t: 0, lambda t: 1900 + s.n(0, 200), lambda t: 1 + (s.rng.random() < 0.4))

    # ---- checkout-api (Spring) logs
    app = "checkout-api"

    def co(t, _):
        th = f"http-nio-8080-exec-{s.rng.randint(1, 200)}"
        order = f"EU-{s.rng.randint(10**7, 10**8)}"
        ev = []
        if s.rng.random() < 0.05:
            ev.append((t - 0.01, spring(s, t - 0.01, "WARN", th, "c.a.checkout.api.LegacyV1Filter",
                                       "Deprecated /v1/orders called by client app-ios/5.2.1; will be removed 2026-06-30", app)))
        if t >= ON + 60 * (1 - hot(t)) and s.rng.random() < 0.93 * hot(t):
            ev.append((t, spring(s, t, "WARN", th, "c.a.checkout.fraud.FraudClient",
                                 f"fraud-scorer call timed out after 2000 ms (POST http://{fdns}/v2/score order={order}); routing order to manual review", app)))
            if s.rng.random() < 0.08:
                ev.append((t + 0.001, spring(s, t + 0.001, "ERROR", th, "c.a.checkout.fraud.FraudClient", "fraud score unavailable\n" + java_trace(
                    "java.net.http.HttpTimeoutException", "request timed out",
                    ["java.net.http/jdk.internal.net.http.HttpClientImpl.send(HttpClientImpl.java:951)",
                     "java.net.http/jdk.internal.net.http.HttpClientFacade.send(HttpClientFacade.java:133)",
                     "com.acme.checkout.fraud.FraudClient.score(FraudClient.java:88)",
                     "com.acme.checkout.order.PlaceOrderService.place(PlaceOrderService.java:142)"]), app)))
            ev.append((t + 2.3, spring(s, t + 2.3, "INFO", th, "c.a.checkout.order.PlaceOrderService",
                                       f"order {order} placed status=PENDING_REVIEW in {s.rng.randint(2150, 2600)} ms", app)))
        else:
            ev.append((t, spring(s, t, "INFO", th, "c.a.checkout.order.PlaceOrderService",
                                 f"order {order} placed status=CONFIRMED fraud_score=0.{s.rng.randint(1, 40):02d} in {s.rng.randint(140, 320)} ms", app)))
        return ev
    w, bk = bucketed(s, 2, co)
    per_minute(s, creq, None, -5400, w, scale=0.035)
    for part in bk:
        s.log("/ecs/checkout-api", f"ecs/checkout-api/{s.hexid()}", part)

    # ---- fraud-scorer (gunicorn) logs
    def fr(t, _):
        d = 0.02 + 0.03 * s.rng.random() if t < ON else 1.8 + 2.2 * s.rng.random()
        return [(t, f'10.0.{s.rng.randint(40, 47)}.{s.rng.randint(2, 250)} - - [{s.wall(t).strftime("%d/%b/%Y:%H:%M:%S")} +0000] '
                    f'"POST /v2/score HTTP/1.1" 200 {s.rng.randint(150, 220)} "-" "Java-http-client/21.0.2" {d:.3f}')]
    w, bk = bucketed(s, 3, fr)
    per_minute(s, freq, None, -5400, w, scale=0.03)
    job = -2160
    for k, part in enumerate(bk):
        part += every(s, -5400, 300, lambda t: [(t, pylog(s, t, "INFO", "fraud.model", "model fraud-gbm-2026-03-17 loaded, features=212, cache_hit_ratio=0.9" + str(s.rng.randint(1, 8))))])
        part += [(job + k * 0.3, pylog(s, job + k * 0.3, "INFO", "apscheduler.executors.default",
                                       "Running job \"rescore_open_transactions (trigger: cron[hour='10', minute='24'])\" (scheduled at 2026-03-19 10:24:00+00:00)")),
                 (job + 2 + k, pylog(s, job + 2 + k, "INFO", "fraud.batch.rescore",
                                     "re-scoring 1,840,221 open transactions with model fraud-gbm-2026-03-17 using 6 processes"))]
        part += every(s, job + 240, 240, lambda t: [(t, pylog(s, t, "INFO", "fraud.batch.rescore",
                                                              f"rescored {int((t - job) * 61)}/1840221 transactions ({(t - job) * 61 / 18402.21:.1f}%)"))])
        part += every(s, ON + 300, s.rng.randint(170, 260), lambda t: [
            (t, gunicorn(s, t, "CRITICAL", f"WORKER TIMEOUT (pid:{s.rng.randint(30, 90)})")),
            (t + 0.4, gunicorn(s, t + 0.4, "INFO", f"Worker exiting (pid: {s.rng.randint(30, 90)})")),
            (t + 1.1, gunicorn(s, t + 1.1, "INFO", f"Booting worker with pid: {s.rng.randint(91, 400)}"))])
        part += every(s, ON + 120, 60, lambda t: [(t, pylog(s, t, "WARN", "fraud.api",
                                                            f"score latency p99={s.rng.randint(2400, 4800)}ms in-flight={s.rng.randint(20, 48)} workers=8"))])
        s.log("/ecs/fraud-scorer", f"ecs/fraud-scorer/{s.hexid()}", part)

    lr = LambdaLog(s, "checkout-receipts-pdf", "java", 2048, logger="c.a.receipts.ReceiptHandler")
    s.log("/aws/lambda/checkout-receipts-pdf", lr.stream("$LATEST"),
          per_minute(s, rc, None, -5400, lambda t, b: lr.invoke(t, 1700 + s.rng.random() * 500,
                                                                 [("INFO", f"rendered receipt EU-{s.rng.randint(10**7, 10**8)}.pdf (2 pages) to s3://acme-receipts-eu")], 410)))
    s.change(-3000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "checkout-receipts-pdf", "m.schulz")
    s.change(-12600, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "checkout/checkout-api", "github-actions-deploy")
    s.alarm("checkout-eu-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": pub}, "Average", 60, 3, 1.0,
            "GreaterThanThreshold", "Checkout EU: average target response time above 1 s")
    s.expect_("checkout-eu-latency", "cpu_saturation", ["fraud/fraud-scorer", "fraud-scorer"],
              [{"namespace": "AWS/ECS", "name": "CPUUtilization", "dimensions": {"ClusterName": "fraud", "ServiceName": "fraud-scorer"}},
               {"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime", "dimensions": {"LoadBalancer": pub}}])
    s.info = dict(front="front alarm (public ALB latency), origin 2 hops down (checkout-api -> fraud-internal ALB -> fraud-scorer)",
                  decoys="checkout-receipts-pdf config change 15 min before; checkout-api deploy 3.5 h earlier; constant 'Deprecated /v1/orders' WARN in checkout-api",
                  text="At about -35 min fraud-scorer's in-process scheduler starts re-scoring 1.8 M open transactions with 6 "
                       "processes inside the same tasks that serve /v2/score; the service's CPU goes from ~37 % to 99 % and stays "
                       "pinned, gunicorn workers time out, and fraud-internal's response time jumps to ~3 s. checkout-api "
                       "(Spring) hits its 2 s fraud timeout on almost every order and falls back to manual review, so the public "
                       "ALB's latency triples and the alarm fires. Request volume is unchanged everywhere and memory is not "
                       "near its limit. The receipts Lambda config change is on an async side path. cpu_saturation on fraud-scorer.")
    return s


# ====================================================================== 06
def s06():
    s = Scenario(6, "search-api-5xx-catalog-search-oom", "us-east-2",
                 "Product search returning errors for part of the requests; paged by the search API 5XXError alarm.",
                 3406, dt.datetime(2026, 3, 21, 17, 45, tzinfo=UTC))
    ON = -2460
    lb = "app/catalog-internal/3f8b0d6e2a1c5974"
    dns = "internal-catalog-internal-1922845160.us-east-2.elb.amazonaws.com"
    s.res("apigateway", "search-api", stage="live", integration="AWS_PROXY lambda search-proxy")
    s.res("lambda", "search-proxy", runtime="provided.al2023", architecture="arm64", timeout=6, memory_size=256,
          environment={"CATALOG_URL": f"http://{dns}", "UPSTREAM_TIMEOUT": "4s"})
    s.res("alb", lb, name="catalog-internal", scheme="internal", dns_name=dns, target_group="tg-catalog-search -> ecs catalog/catalog-search")
    s.res("ecs", "catalog/catalog-search", cluster="catalog", service="catalog-search", launch_type="FARGATE", desired_count=4,
          task_cpu=2048, task_memory=4096, task_definition="catalog-search:64 (deployed 3 days ago)",
          runtime="java 17 / spring boot 3.1, JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=80 -XX:+ExitOnOutOfMemoryError",
          log_groups=["/ecs/catalog-search"])
    s.res("lambda", "catalog-feed-ingest", runtime="python3.12", timeout=300, memory_size=1024)

    def mem(t):
        if t < ON:
            return 49 + 47 * ramp(t, -21600, ON) + s.n(0, 0.6)
        return 83 + 14 * ((t - ON) % 540) / 540 + s.n(0, 1.5)
    comp.ecs(s, "catalog", "catalog-search", lambda t: 27 + 30 * ramp(t, -9000, ON) + s.n(0, 3) + (10 * s.rng.random() if t > ON else 0),
             mem, lambda t: 4 if t < ON or s.rng.random() < 0.6 else 3)
    cnt = s.series(lambda t: s.p(18 * diurnal(t, 0.2, 3000)), integer=True)
    frac = lambda t: 0.0 if t < ON else 0.3 + 0.15 * s.rng.random()
    bad = [binom(s, c, frac(t)) for t, c in zip(TS, cnt)]
    e4 = s.series(lambda t: s.p(1.1), integer=True)
    lat = [round(((c - b) * (95 + 30 * s.rng.random() + (500 if t > ON else 0)) + b * 1900) / c + 8, 2) if c else None
           for t, c, b in zip(TS, cnt, bad)]
    comp.apigw(s, "search-api", cnt, e4, bad, lat)
    comp.lambda_(s, "search-proxy", cnt, lambda t: 0, lambda t: 0, [round(v - 8, 2) if v else None for v in lat], lambda t: 1)
    other = s.series(lambda t: s.p(240 * diurnal(t, 0.2, 3000)), integer=True)
    req = [a + b for a, b in zip(cnt, other)]
    ob = [binom(s, o, frac(t)) for t, o in zip(TS, other)]
    allbad = [a + b for a, b in zip(bad, ob)]
    t5 = [binom(s, x, 0.35) for x in allbad]
    comp.alb(s, lb, req, t5, [a - b for a, b in zip(allbad, t5)],
             lambda t: 0.06 + 0.02 * s.rng.random() + 0.05 * ramp(t, -9000, ON) + (0.7 + 0.4 * s.rng.random() if t > ON else 0),
             lambda t: 4 if t < ON else s.rng.choice([2, 3, 3, 4]), lambda t: 0 if t < ON else s.rng.choice([0, 1, 1, 2]))
    fi = s.series(lambda t: 1 if s.rng.random() < 0.2 else 0, integer=True)
    comp.lambda_(s, "catalog-feed-ingest", fi, lambda t: 0, lambda t: 0, lambda t: 48000 + s.n(0, 4000), lambda t: 1)

    # ---- search-proxy (Go) logs
    lg = LambdaLog(s, "search-proxy", "go", 256)

    def px(t, b):
        q = s.pick(["running shoes", "usb-c cable", "kids jacket", "espresso", "tent 4 person", "hdmi", "yoga mat"])
        if b:
            code = s.pick([502, 502, 503, 500])
            return lg.invoke(t, 600 + s.rng.random() * 2500,
                             [("INFO", f"search q=\"{q}\" page=1"),
                              ("ERROR", f"catalog upstream returned {code}: GET http://{dns}/v3/search?q={q.replace(' ', '+')}&page=1"),
                              ("WARN", "responding 502 to client")], 41)
        return lg.invoke(t, 80 + s.rng.random() * 60 + (450 if t > ON else 0), [("INFO", f"search q=\"{q}\" page=1 hits={s.rng.randint(0, 800)}")], 39)
    w, bk = bucketed(s, 2, px)
    per_minute(s, cnt, bad, -6000, w)
    for part in bk:
        s.log("/aws/lambda/search-proxy", lg.stream(), part)

    # ---- catalog-search (Spring) logs: GC warnings, cache growth, OOM and restarts
    app = "catalog-search"

    def cs(t, b):
        th = f"http-nio-8080-exec-{s.rng.randint(1, 200)}"
        if b:
            return [(t, spring(s, t, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                               "Servlet.service() for servlet [dispatcherServlet] threw exception [Handler dispatch failed: java.lang.OutOfMemoryError: Java heap space] with root cause\n"
                               "java.lang.OutOfMemoryError: Java heap space", app))]
        return [(t, spring(s, t, "INFO", th, "c.a.catalog.search.SearchController",
                           f"q='{s.pick(['shoes', 'cable', 'jacket', 'tent', 'mat'])}' hits={s.rng.randint(0, 900)} took={s.rng.randint(20, 90)}ms cache=miss", app))]

    def stats(t):
        frac_ = min(0.99, 0.40 + 0.58 * ramp(t, -21600, ON)) if t < ON else 0.8 + 0.19 * s.rng.random()
        ev = [(t, spring(s, t, "INFO", "cache-stats", "c.a.catalog.cache.QueryResultCache",
                         f"query cache entries={int(210000 + (t + 21600) * 41)} estimatedSize={int(620 + (t + 21600) * 0.115)}MB evictions=0", app))]
        if frac_ > 0.85:
            ev.append((t + 1, spring(s, t + 1, "WARN", "Service Thread", "c.a.catalog.ops.HeapWatcher",
                                     f"heap after GC at {int(frac_ * 100)}% of max 3276M (G1 Old Gen); full GC count={s.rng.randint(3, 60)}", app)))
        return ev
    tasks_ev = [[] for _ in range(2)]
    w, bk = bucketed(s, 2, cs)
    per_minute(s, req, allbad, -6000, w, scale=0.04)
    for k in range(2):
        part = bk[k] + every(s, -6000, 120, stats)
        crash = ON + 60 + 230 * k
        life = []
        while crash < -60:
            life.append(crash)
            crash += s.rng.randint(480, 620)
        for c in life:
            part += [(c - 2, spring(s, c - 2, "ERROR", "http-nio-8080-exec-17", "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                    "Servlet.service() threw exception\n" + java_trace("java.lang.OutOfMemoryError", "Java heap space",
                                        ["java.base/java.util.Arrays.copyOf(Arrays.java:3537)",
                                         "java.base/java.util.ArrayList.grow(ArrayList.java:237)",
                                         "com.acme.catalog.cache.QueryResultCache.put(QueryResultCache.java:58)",
                                         "com.acme.catalog.search.SearchService.search(SearchService.java:121)"]), app)),
                     (c - 1, "Terminating due to java.lang.OutOfMemoryError: Java heap space")]
        s.log("/ecs/catalog-search", f"ecs/catalog-search/{s.hexid()}", [e for e in part if e[0] < (life[0] if life else 0)])
        for j, c in enumerate(life):
            nxt = life[j + 1] if j + 1 < len(life) else 0
            st = c + 40
            boot = [(st, spring(s, st, "INFO", "main", "c.a.catalog.CatalogSearchApplication",
                                "Starting CatalogSearchApplication v7.4.0 using Java 17.0.10 with PID 1", app)),
                    (st + 19, spring(s, st + 19, "INFO", "main", "c.a.catalog.CatalogSearchApplication",
                                     "Started CatalogSearchApplication in 18.7 seconds (process running for 19.5)", app))]
            s.log("/ecs/catalog-search", f"ecs/catalog-search/{s.hexid()}", boot + [e for e in part if st + 20 < e[0] < nxt])

    lf = LambdaLog(s, "catalog-feed-ingest", "python", 1024)
    s.log("/aws/lambda/catalog-feed-ingest", lf.stream(), per_minute(s, fi, None, -10800, lambda t, b: lf.invoke(
        t, 45000 + s.rng.random() * 6000, [("INFO", f"ingested supplier feed batch {s.hexid(8)}: {s.rng.randint(2000, 9000)} rows upserted")], 512)))
    s.change(-2820, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "catalog-feed-ingest", "a.patel")
    s.alarm("search-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "search-api"}, "Sum", 300, 1, 10,
            "GreaterThanThreshold", "Search API 5XX")
    s.expect_("search-api-5xx", "memory_exhaustion", ["catalog/catalog-search", "catalog-search"],
              [{"namespace": "AWS/ECS", "name": "MemoryUtilization", "dimensions": {"ClusterName": "catalog", "ServiceName": "catalog-search"}},
               {"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": "search-api"}}])
    s.info = dict(front="front alarm, origin 2 hops down (API GW -> search-proxy -> catalog-internal ALB -> catalog-search)",
                  decoys="catalog-feed-ingest config change 6 min before onset; constant API 4XX; CPU rising with GC (not pinned)",
                  text="catalog-search's MemoryUtilization has climbed steadily for six hours as its unbounded query-result cache "
                       "grows (cache-stats lines, no evictions); about 41 min ago the JVMs start failing with "
                       "'java.lang.OutOfMemoryError: Java heap space' and exit (-XX:+ExitOnOutOfMemoryError), tasks restart and "
                       "the cycle repeats every ~9 min. catalog-internal returns 500/502/503, search-proxy (Go) maps them to 502 "
                       "and search-api's 5XX alarm fires. The last catalog-search deploy is three days old; the feed-ingest config "
                       "change touches a batch Lambda outside the request path. memory_exhaustion on catalog-search.")
    return s
