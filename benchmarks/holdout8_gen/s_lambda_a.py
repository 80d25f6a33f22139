"""Lambda-centred incidents, part A: retry storm, canary version, env var auth break, IAM detach."""
from __future__ import annotations

import json

import numpy as np

from .common import N, T, Scenario, after, counts, iso, noisy, sigmoid, wave
from .stacks import apigateway, java, lambda_function, node, pg_checkpoints, pg_line, rds, ruby

# =========================================================================== h8-03 retry storm


def retry_storm(seed: int) -> Scenario:
    sc = Scenario("h8-03-carrier-retry-storm", "us-east-1",
                  "shipping-api 5XX alarm: checkout shows 'shipping options unavailable' for many customers.", seed)
    r = sc.rng
    onset = -2700
    sc.resource("apigateway", "shipping-api", api_id="k3v9q2x7ma", stage="prod")
    sc.resource("lambda", "rate-shopper", runtime="nodejs20.x", timeout=10, memory_size=1024,
                environment={"CARRIER_API_URL": "https://api.parcelhub.example/v2", "HTTP_TIMEOUT_MS": "3000",
                             "MAX_RETRIES": "3", "NODE_OPTIONS": "--enable-source-maps"})
    sc.resource("lambda", "label-printer", runtime="nodejs20.x", timeout=30, memory_size=512)
    bad = sigmoid(onset, 90)
    # clients retry on 502/504, so front-door volume more than doubles
    demand = 15.0 * wave(r, 10800, 0.1)
    inv = counts(r, demand * (1 + 1.5 * bad))
    fail_p = 0.56 * bad
    err = np.array([r.g.binomial(int(n), p) for n, p in zip(inv, fail_p)], dtype=float)
    dur = 420 + 2300 * bad

    stack = ["AxiosError: timeout of 3000ms exceeded",
             "    at RedirectableRequest.handleRequestTimeout (/var/task/node_modules/axios/dist/node/axios.cjs:3256:16)",
             "    at RedirectableRequest.emit (node:events:519:28)",
             "    at Timeout.<anonymous> (/var/task/node_modules/follow-redirects/index.js:221:12)",
             "    at listOnTimeout (node:internal/timers:581:17)",
             "    at process.processTimers (node:internal/timers:519:7)",
             "    at Axios.request (/var/task/node_modules/axios/dist/node/axios.cjs:4325:41)",
             "    at async fetchRates (/var/task/src/carriers/parcelhub.js:48:22)",
             "    at async withRetry (/var/task/src/lib/retry.js:17:14)",
             "    at async Runtime.handler (/var/task/src/index.js:31:19)"]
    lanes = ["DE-10115>FR-75001", "NL-1011>DE-80331", "US-10001>US-94105", "GB-EC1A>IE-D02", "US-60601>CA-M5V"]

    def common(rng, rid, t):
        lines = [(0.01, node("INFO", rid, t, "quote request " + json.dumps(
            {"lane": rng.choice(lanes), "parcels": rng.i(1, 4), "service": rng.choice(["std", "express"])})))]
        if rng.u() < 0.08:  # long-standing client bug, same rate all day
            lines.append((0.02, node("WARN", rid, t, 'deprecated field "service_level" in request payload; '
                                                     'use "serviceLevel" (client=ios-4.18.2)')))
        return lines

    def ok(rng, rid, t, i):
        lat = rng.u(180, 520) if not bad[i] > 0.5 else rng.u(1400, 2950)
        lines = common(rng, rid, t)
        lines.append((lat / 1000, node("INFO", rid, t + lat / 1000,
                                       f"carrier rates ok carrier=parcelhub status=200 latency_ms={lat:.0f} "
                                       f"options={rng.i(2, 6)}")))
        return lines, lat + rng.u(25, 90), None

    def fail(rng, rid, t, i):
        lines = common(rng, rid, t)
        off = 0.03
        for attempt in (1, 2, 3):
            off += 3.0
            if off > 9.9:
                break
            lines.append((off, node("WARN", rid, t + off, "carrier request failed " + json.dumps(
                {"carrier": "parcelhub", "attempt": attempt, "max": 3, "code": "ECONNABORTED",
                 "elapsed_ms": 3000 + rng.i(0, 9), "host": "api.parcelhub.example"}))))
            off += 0.2 * attempt
        if rng.u() < 0.55:
            msg = json.dumps({"errorType": "AxiosError", "errorMessage": "timeout of 3000ms exceeded",
                              "code": "ECONNABORTED", "name": "AxiosError", "stack": stack})
            lines.append((off, node("ERROR", rid, t + off, "Invoke Error \t" + msg)))
            return lines, off * 1000 + rng.u(5, 40), None
        lines.append((10.0, f"{iso(t + 10.0)} {rid} Task timed out after 10.01 seconds"))
        return lines, 10008.0 + rng.u(0, 6), "timeout"

    lambda_function(sc, "rate-shopper", inv=inv, err=err, dur_ms=dur, ok=ok, fail=fail, memory_size=1024,
                    mem_used=(140, 210), log_from=-7200, streams=4,
                    concurrency=np.round(noisy(r, 0.3 + 38 * bad, 0.12)))
    count = inv + counts(r, 0.4)
    e4 = counts(r, 0.4)
    e5 = np.minimum(count, err + counts(r, 0.05 + 0.0 * bad))
    lat = noisy(r, 470 + 5600 * bad, 0.1)
    apigateway(sc, "shipping-api", count=count, e4=e4, e5=e5, latency=lat)
    # execution logs: errors with their request ids (sampled ok lines)
    ev = []
    for i in range(N):
        if T[i] < -7200:
            continue
        for _ in range(int(e5[i])):
            t = T[i] + r.u(0, 60)
            rq = r.uuid()
            ev.append((t, f"({rq}) Lambda execution failed with status 200 due to customer function error: "
                          f"timeout of 3000ms exceeded. Lambda request id: {r.uuid()}"))
            ev.append((t + 0.001, f"({rq}) Method completed with status: 502"))
        if r.u() < 0.5:
            rq = r.uuid()
            t = T[i] + r.u(0, 60)
            ev.append((t, f"({rq}) Method completed with status: 200"))
    sc.log("API-Gateway-Execution-Logs_k3v9q2x7ma/prod", "5f0b2c9e1d7a4b8c3e6f1a2b3c4d5e6f", ev)
    # decoy function: deployed hours ago, quiet and healthy
    li = counts(r, 2.0 * wave(r, 5400, 0.2))
    lambda_function(sc, "label-printer", inv=li, err=np.zeros(N), dur_ms=1350,
                    ok=lambda rng, rid, t, i: ([(0.4, node("INFO", rid, t + 0.4,
                                                            f"label rendered format=ZPL shipment=SH{rng.i(100000, 999999)}"))],
                                               None, None), log_from=-7200)
    sc.change(-11040, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "label-printer", "github-actions")
    sc.change(-11020, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "label-printer", "github-actions")
    sc.alarm("shipping-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "shipping-api"}, stat="Sum",
             period=60, evals=3, threshold=10, description="shipping-api prod 5XX responses", onset=onset)
    sc.expect = {"alarm": "shipping-api-5xx",
                 "root_cause": {"category": "dependency_failure",
                                "resource": ["rate-shopper", "api.parcelhub.example"]},
                 "anomalies": [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": "shipping-api"}},
                               {"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": "rate-shopper"}}]}
    sc.readme = dict(
        category="dependency_failure", accepted="rate-shopper (external host api.parcelhub.example)",
        decoys="label-printer deploy 3 h earlier; constant deprecated-field WARN; client retries double volume",
        story="The external carrier-rates API (api.parcelhub.example) became slow ~45 min ago. rate-shopper "
              "(Node 20) uses a 3 s axios timeout with 3 retries inside a 10 s Lambda timeout, so each call now "
              "burns ~9-10 s and either fails with ECONNABORTED or hits the Lambda timeout. Storefront clients "
              "retry 502s, so API and Lambda volume rise 2.5x and concurrency 10x: a retry storm whose origin "
              "is the dependency, not the volume.")
    return sc


# =========================================================================== h8-05 canary version


def canary_version(seed: int) -> Scenario:
    sc = Scenario("h8-05-fare-canary-npe", "ap-northeast-1",
                  "fare-calculator Errors alarm; a few fare quotes failing on the booking site.", seed)
    r = sc.rng
    deploy, onset = -2040, -1880
    sc.resource("lambda", "fare-calculator", runtime="java21", timeout=15, memory_size=1536,
                alias="live", environment={"FARE_RULES_TABLE": "fare-rules", "JAVA_TOOL_OPTIONS": "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"})
    sc.resource("lambda", "fare-cache-warmer", runtime="java21", timeout=120, memory_size=1024)
    demand = 24 * wave(r, 9000, 0.12)
    inv = counts(r, demand)
    canary = after(onset)  # 10 % of traffic on version 58 once its cold starts rolled in

    def plan(rng, i):
        if canary[i] and rng.u() < 0.10:
            return "58", rng.u() < 0.85
        return "57", False

    routes = ["NRT-ITM", "HND-CTS", "HND-FUK", "KIX-OKA", "NRT-ICN", "HND-TPE"]

    def ok(rng, rid, t, i):
        lines = [(0.05, java("INFO", rid, t, "c.s.f.h.FareHandler",
                             f"quote route={rng.choice(routes)} pax={rng.i(1, 4)} fareClass={rng.choice('YBMHK')} "
                             f"total=JPY {rng.i(90, 900) * 100}"))]
        if rng.u() < 0.05:
            lines.insert(0, (0.02, java("WARN", rid, t, "c.s.f.r.FareRuleCache",
                                        "fare rule cache miss, loading from DynamoDB table fare-rules")))
        return lines, None, None

    npe = ('Cannot invoke "java.math.BigDecimal.multiply(java.math.BigDecimal)" because the return value of '
           '"com.skyline.fares.model.FareRule.getSeasonalMultiplier()" is null')
    trace = ["com.skyline.fares.pricing.SeasonalAdjuster.apply(SeasonalAdjuster.java:41)",
             "com.skyline.fares.pricing.FareCalculator.calculate(FareCalculator.java:88)",
             "com.skyline.fares.handler.FareHandler.handleRequest(FareHandler.java:52)",
             "com.skyline.fares.handler.FareHandler.handleRequest(FareHandler.java:21)"]

    def fail(rng, rid, t, i):
        body = json.dumps({"errorMessage": npe, "errorType": "java.lang.NullPointerException", "stackTrace": trace})
        lines = [(0.04, java("ERROR", rid, t, "c.s.f.h.FareHandler", f"quote failed route={rng.choice(routes)}")),
                 (0.05, f"{npe}: java.lang.NullPointerException\njava.lang.NullPointerException: {npe}\n\tat "
                        + "\n\tat ".join(trace) + "\n"),
                 (0.06, body)]
        return lines, rng.u(60, 140), None

    versions = lambda_function(sc, "fare-calculator", inv=inv, dur_ms=180, ok=ok, fail=fail, plan=plan,
                               memory_size=1536, mem_used=(210, 260), log_from=-7200, streams=3,
                               init_ms=(2800, 3900), cold_rate=0.004)
    for v in ("57", "58"):
        dims = {"FunctionName": "fare-calculator", "Resource": "fare-calculator:live", "ExecutedVersion": v}
        rec = versions.get(v, {"inv": np.zeros(N), "err": np.zeros(N)})
        sc.metric("AWS/Lambda", "Invocations", dims, "Count", rec["inv"])
        sc.metric("AWS/Lambda", "Errors", dims, "Count", rec["err"])
    wi = counts(r, 0.2)
    lambda_function(sc, "fare-cache-warmer", inv=wi, err=np.zeros(N), dur_ms=41000, memory_size=1024,
                    ok=lambda rng, rid, t, i: ([(40.0, java("INFO", rid, t + 40, "c.s.f.w.Warmer",
                                                             f"warmed {rng.i(1800, 2100)} fare rules"))], None, None),
                    mem_used=(610, 700), log_from=-7200)
    sc.change(-9300, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "fare-cache-warmer", "k.tanaka")
    sc.change(deploy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "fare-calculator", "codepipeline-fares")
    sc.change(deploy + 25, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "fare-calculator", "codepipeline-fares")
    sc.change(deploy + 140, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function",
              "fare-calculator", "AWSCodeDeploy")
    sc.alarm("fare-calculator-errors", "AWS/Lambda", "Errors", {"FunctionName": "fare-calculator"}, stat="Sum",
             period=300, evals=2, threshold=4, description="fare-calculator function errors (all versions)",
             onset=onset)
    sc.expect = {"alarm": "fare-calculator-errors",
                 "root_cause": {"category": "bad_deployment", "resource": ["fare-calculator", "fare-calculator:58"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": "fare-calculator"}}]}
    sc.readme = dict(
        category="bad_deployment", accepted="fare-calculator (version 58)",
        decoys="fare-cache-warmer config change 2.5 h earlier; constant cache-miss WARN; only ~9 % of requests fail",
        story="CodeDeploy published version 58 of fare-calculator (Java 21) and shifted 10 % of the `live` alias "
              "to it. Once the canary's cold starts came in (~2-3 min after the alias update) requests routed to "
              "v58 began failing with a NullPointerException in SeasonalAdjuster; v57 is healthy. A partial "
              "outage: only one function version is bad, visible in the ExecutedVersion metrics and the [58] streams.")
    return sc


# =========================================================================== h8-06 env var breaks DB auth


def env_db_user(seed: int) -> Scenario:
    sc = Scenario("h8-06-ledger-sync-db-user", "us-east-1",
                  "ledger-sync Errors alarm; finance reports the ledger view stopped updating.", seed)
    r = sc.rng
    change_t, onset = -1500, -1480
    host = "ledger-db.cx3k9m2p1qzr.us-east-1.rds.amazonaws.com"
    sc.resource("lambda", "ledger-sync", runtime="ruby3.3", timeout=60, memory_size=512,
                environment={"DATABASE_HOST": host, "DATABASE_NAME": "ledger", "DATABASE_USER": "ledger_app",
                             "DATABASE_PASSWORD_PARAM": "/prod/ledger/db_password", "BATCH_SIZE": "50"})
    sc.resource("rds", "ledger-db", engine="postgres", engine_version="15.5", instance_class="db.r6g.large",
                max_connections=1600, allocated_storage_gb=200)
    bad = after(onset)
    inv = counts(r, 9 * wave(r, 7200, 0.15) * (1 + 0.3 * bad))  # SQS redrives add volume
    err = np.where(bad > 0, inv, 0)

    def ok(rng, rid, t, i):
        n = rng.i(8, 50)
        lines = [(0.02, ruby("INFO", t, f"[{rid}] received {n} ledger events from queue ledger-events"))]
        if rng.u() < 0.1:
            lines.append((0.03, ruby("WARN", t, "/var/task/vendor/bundle/ruby/3.3.0/gems/money-6.16.0/lib/money/"
                                                "money.rb:283: warning: rounding mode :banker is deprecated")))
        lines.append((0.35, ruby("INFO", t + 0.35, f"[{rid}] upserted {n} rows into ledger_entries in {rng.i(90, 260)}ms")))
        return lines, rng.u(300, 700), None

    msg = ('connection to server at "10.0.21.37", port 5432 failed: FATAL:  password authentication failed for '
           'user "ledger_app"\n')
    stack = ["/var/task/vendor/bundle/ruby/3.3.0/gems/pg-1.5.6/lib/pg/connection.rb:701:in `async_connect_or_reset'",
             "/var/task/vendor/bundle/ruby/3.3.0/gems/pg-1.5.6/lib/pg/connection.rb:820:in `connect_to_hosts'",
             "/var/task/vendor/bundle/ruby/3.3.0/gems/pg-1.5.6/lib/pg/connection.rb:759:in `new'",
             "/var/task/lib/ledger/db.rb:14:in `connection'", "/var/task/lib/ledger/sync.rb:31:in `call'",
             "/var/task/handler.rb:22:in `handler'"]

    def fail(rng, rid, t, i):
        lines = [(0.02, ruby("INFO", t, f"[{rid}] received {rng.i(8, 50)} ledger events from queue ledger-events")),
                 (0.09, ruby("ERROR", t + 0.09, f"[{rid}] ledger sync failed: PG::ConnectionBad: {msg.strip()}")),
                 (0.1, json.dumps({"errorMessage": msg, "errorType": "Function<PG::ConnectionBad>",
                                   "stackTrace": stack}))]
        return lines, rng.u(80, 140), None

    lambda_function(sc, "ledger-sync", inv=inv, err=err, dur_ms=450, ok=ok, fail=fail, memory_size=512,
                    mem_used=(88, 120), log_from=-10800, streams=2)
    base_c = 22 * wave(r, 7200, 0.1)
    rds(sc, "ledger-db", cpu=noisy(r, 24 - 9 * bad, 0.12), conns=np.round(noisy(r, base_c - 12 * bad, 0.08)),
        free_storage=np.round(noisy(r, 131e9, 0.0005), -6), read_lat=noisy(r, 0.0011, 0.2),
        write_lat=noisy(r, 0.0019, 0.2), freeable_mem=np.round(noisy(r, 5.4e9, 0.02), -6))
    ev = pg_checkpoints(sc)
    for i in range(N):
        if T[i] < onset:
            continue
        for _ in range(int(err[i])):
            t = T[i] + r.u(0, 60)
            pid = r.i(20000, 40000)
            cl = f"10.0.{r.i(16, 31)}.{r.i(2, 250)}({r.i(30000, 65000)})"
            ev.append((t, pg_line(t, 'FATAL:  password authentication failed for user "ledger_app"', cl,
                                  "ledger_app", "ledger", pid)))
            ev.append((t + 0.0005, pg_line(t, 'DETAIL:  Role "ledger_app" does not exist.\n\tConnection matched '
                                              'pg_hba.conf line 13: "host\tall\tall\t0.0.0.0/0\tmd5"', cl,
                                          "ledger_app", "ledger", pid)))
    for _ in range(14):  # an analytics user with a stale password, all day long
        t = r.u(-21600, -60)
        ev.append((t, pg_line(t, 'FATAL:  password authentication failed for user "metabase_ro"',
                              f"10.0.40.12({r.i(30000, 65000)})", "metabase_ro", "ledger", r.i(20000, 40000))))
    sc.log("/aws/rds/instance/ledger-db/postgresql", "ledger-db.0", ev)
    sc.change(-14100, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup",
              "ledger-pg15", "dba-oncall")
    sc.change(change_t, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "ledger-sync", "m.okafor")
    sc.alarm("ledger-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": "ledger-sync"}, stat="Sum",
             period=60, evals=3, threshold=3, description="ledger-sync consumer errors", onset=onset)
    sc.expect = {"alarm": "ledger-sync-errors",
                 "root_cause": {"category": "config_change", "resource": ["ledger-sync"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "ledger-sync"}}]}
    sc.readme = dict(
        category="config_change", accepted="ledger-sync",
        decoys="ModifyDBParameterGroup on the DB's parameter group 4 h earlier; metabase_ro auth failures all day; "
               "ledger-db connections drop (a symptom)",
        story="An engineer changed ledger-sync's DATABASE_USER environment variable to a new role (ledger_app) "
              "that had not been created yet (UpdateFunctionConfiguration). Every invocation since fails with "
              "PG::ConnectionBad password authentication failed; the postgres log says the role does not exist. "
              "The database itself is healthy.")
    return sc
