"""h44-16: quote-builder (us-west-2) times out calling the us-east-1 pricing API; pricing-db storage I/O stalled."""
from __future__ import annotations

from .common import TIMES, Rng, Scenario, diurnal, epoch, iso_us, ramp, spread
from .kit import apigw_metrics, py_info, py_unhandled, py_warn, rds_set, sim_lambda

REGION = "us-west-2"
EAST = "us-east-1"
T0 = -2000
HTTP_TAIL = [("/var/task/requests/sessions.py", 637, "post", 'return self.request("POST", url, data=data, json=json, **kwargs)'),
             ("/var/task/requests/sessions.py", 703, "send", "r = adapter.send(request, **kwargs)"),
             ("/var/task/requests/adapters.py", 713, "send", "raise ReadTimeout(e, request=request)")]
PYMYSQL_TAIL = [("/var/task/pymysql/cursors.py", 153, "execute", "result = self._query(query)"),
                ("/var/task/pymysql/connections.py", 575, "query", "self._affected_rows = self._read_query_result(unbuffered=unbuffered)"),
                ("/var/task/pymysql/connections.py", 752, "_read_packet",
                 'raise err.OperationalError(CR.CR_SERVER_LOST, "Lost connection to MySQL server during query (%s)" % (e,))')]


def build() -> dict:
    rng = Rng(4416)
    sc = Scenario("h44-16-quote-builder-cross-region-pricing-db", REGION,
                  "Online insurance quotes failing in the West region; quote-builder Errors alarm (us-west-2).")
    sc.res("lambda", "quote-builder", runtime="python3.12", timeout=20, memory_size=512,
           environment={"PRICING_API_URL": "https://pricing.api.acme-ins.com/v3", "PRICING_TIMEOUT": "3.05,10",
                        "ADDRESS_API_URL": "https://addr.acme-ins.com/v1"},
           vpc_config={"security_group_ids": ["sg-0a9b8c7d6e5f41230 (quote-builder-sg)"], "egress": "NAT nat-0c2e4a6b8d0f13570"})
    sc.res("lambda", "quote-pdf", runtime="python3.12", timeout=60, memory_size=1024,
           environment={"BUCKET": "acme-ins-quotes-west"})
    sc.res("apigateway", "pricing-api", region=EAST, api_id="p2r7c4m9vx", stage="prod", custom_domain="pricing.api.acme-ins.com",
           endpoint_type="REGIONAL", routes={"POST /v3/rate": "lambda pricing-engine (proxy, integration timeout 29 s)"})
    sc.res("lambda", "pricing-engine", region=EAST, runtime="python3.12", timeout=28, memory_size=1024,
           environment={"DB_HOST": "pricing-db.c5n1x8k3w0qa.us-east-1.rds.amazonaws.com", "DB_READ_TIMEOUT": "20",
                        "DB_NAME": "pricing"})
    sc.res("rds", "pricing-db", region=EAST, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.2xlarge",
           max_connections=2000, allocated_storage_gb=1000, storage_type="io1", provisioned_iops=12000, multi_az=True,
           parameters={"slow_query_log": "1", "long_query_time": "2"})

    f = lambda t: ramp(t, T0, 120)
    slow = lambda: rng.lognormvariate(2.4, 0.6)          # seconds spent waiting on the stalled volume

    # pricing-engine (us-east-1)
    slowq = []

    def pe_body(t, rid, is_err, d):
        pid = rng.choice(["AUTO-STD", "AUTO-PLUS", "HOME-HO3", "RENT-HO4"])
        terr = f"{rng.choice(['CA', 'WA', 'OR', 'NV', 'TX'])}-{rng.randint(10, 99)}"
        L = [(0.003, py_info(t, rid, f"rate request product={pid} territory={terr} drivers={rng.randint(1, 4)}"))]
        if is_err:
            L.append((d / 1000 - 0.004, py_unhandled("OperationalError", "(2013, 'Lost connection to MySQL server during query (timed out)')",
                      [("/var/task/handler.py", 51, "lambda_handler", "factors = repo.rate_factors(conn, product, territory, as_of)"),
                       ("/var/task/pricing/repo.py", 88, "rate_factors", "cur.execute(RATE_FACTORS_SQL, (product, territory, as_of))")]
                      + PYMYSQL_TAIL)))
        else:
            L.append((d / 1000 - 0.004, py_info(t, rid, f"rated {pid} premium={rng.randint(400, 2600)}.{rng.randint(10, 99)} USD "
                                                        f"db_ms={int(d - 40)}")))
        if d > 2000 and rng.random() < 0.5:
            slowq.append((t + d / 1000, min(d / 1000, 20.0), pid, terr))
        return L, None
    pe = sim_lambda(sc, rng, "pricing-engine", region=EAST, rate=lambda t: 40 * diurnal(t, 0.15, -6000),
                    err=lambda t: 0.55 * f(t), dur=lambda t, e: 20000 + rng.uniform(5, 60) if e else
                    (min(19500.0, 40 + 1000 * slow()) if rng.random() < f(t) else rng.gauss(85, 15)),
                    body=pe_body, memory=1024, mem_used=(140, 160), log_from=-2250, streams=3)

    cnt, e4, e5, lat, ilat = {}, {}, {}, {}, {}
    for t in TIMES:
        n, e = pe["inv"][t], pe["err"][t]
        cnt[t], e5[t], e4[t] = n, e, rng.poisson(0.4)
        if t in pe["dur"]:
            ilat[t] = pe["dur"][t] + rng.uniform(10, 20)
            lat[t] = ilat[t] + rng.uniform(4, 8)
    apigw_metrics(sc, "pricing-api", cnt, e4, e5, lat, ilat, region=EAST)
    rds_set(sc, rng, "pricing-db", region=EAST, cpu=lambda t: 34 * diurnal(t, 0.1, -6000) - 22 * f(t),
            conns=lambda t: 182 + 430 * f(t), free_gb=lambda t: 604.0, freeable_gb=lambda t: 24.0,
            read_lat=lambda t: 0.0011 + 0.19 * f(t), write_lat=lambda t: 0.0019 + 0.36 * f(t), queue=lambda t: 0.9 + 64 * f(t),
            extra={"ReadIOPS": ("Count/Second", lambda t: 2900 - 2350 * f(t), {"rel": 0.08}),
                   "WriteIOPS": ("Count/Second", lambda t: 1400 - 1150 * f(t), {"rel": 0.08}),
                   "ReadThroughput": ("Bytes/Second", lambda t: 4.6e7 - 3.7e7 * f(t), {"rel": 0.08})})

    # MySQL logs: error log page-cleaner stalls and slow query log
    errlog = []
    for m in range(-10800, 0, 60):
        if m >= T0 and rng.random() < 0.8:
            tt = m + rng.uniform(0, 59)
            errlog.append((tt, f"{iso_us(tt)} 0 [Note] [MY-011953] [InnoDB] Page cleaner took {rng.randint(4200, 14800)}ms to flush "
                               f"{rng.randint(3, 40)} and evict 0 pages"))
        if rng.random() < 0.05:
            tt = m + rng.uniform(0, 59)
            errlog.append((tt, f"{iso_us(tt)} {rng.randint(80000, 99000)} [Warning] [MY-010055] [Server] IP address "
                               f"'10.10.{rng.randint(20, 23)}.{rng.randint(5, 250)}' could not be resolved: Name or service not known"))
    sc.log("/aws/rds/instance/pricing-db/error", "pricing-db", errlog, region=EAST)
    sl = []
    for te, qt, pid, terr in slowq:
        sl.append((te, f"# Time: {iso_us(te)}\n# User@Host: pricing_app[pricing_app] @  [10.10.{rng.randint(20, 23)}.{rng.randint(5, 250)}]  "
                       f"Id: {rng.randint(80000, 99000)}\n# Query_time: {qt:.6f}  Lock_time: 0.00000{rng.randint(2, 9)} Rows_sent: 1  "
                       f"Rows_examined: 1\nSET timestamp={epoch(te)};\nSELECT base_rate, territory_factor, deductible_curve FROM "
                       f"rate_factors WHERE product_id = '{pid}' AND territory = '{terr}' AND effective_date <= '2026-03-17' ORDER BY "
                       "effective_date DESC LIMIT 1;"))
    for m in range(-10800, 0, 900):
        tt = m + rng.uniform(0, 800)
        sl.append((tt, f"# Time: {iso_us(tt)}\n# User@Host: bi_reader[bi_reader] @  [10.10.40.17]  Id: {rng.randint(70000, 79999)}\n"
                       f"# Query_time: {rng.uniform(2.1, 3.4):.6f}  Lock_time: 0.000011 Rows_sent: 52  Rows_examined: 1184220\n"
                       f"SET timestamp={epoch(tt)};\nSELECT territory, COUNT(*), AVG(premium) FROM quotes WHERE created_at >= "
                       "CURDATE() GROUP BY territory;"))
    sc.log("/aws/rds/instance/pricing-db/slowquery", "pricing-db", sl, region=EAST)

    # quote-builder (us-west-2): the alarmed caller
    def qb_body(t, rid, is_err, d):
        q = f"Q-{rng.randint(10**6, 10**7)}"
        L = [(0.004, py_info(t, rid, f"building quote {q} product=AUTO-STD zip={rng.randint(90001, 99400)}"))]
        if rng.random() < 0.04:
            L.append((0.3, py_warn(t + 0.3, rid, f"address verification slow: {rng.uniform(2.0, 2.8):.1f}s (addr.acme-ins.com)")))
        if is_err:
            L.append((d / 1000 - 0.004, py_unhandled("ReadTimeout", "HTTPSConnectionPool(host='pricing.api.acme-ins.com', port=443): "
                      "Read timed out. (read timeout=10)",
                      [("/var/task/handler.py", 62, "lambda_handler", "rate = pricing.rate(quote)"),
                       ("/var/task/quotes/pricing_client.py", 29, "rate",
                        "resp = self.session.post(f\"{self.base}/rate\", json=payload, timeout=(3.05, 10))")] + HTTP_TAIL)))
        else:
            L.append((d / 1000 - 0.004, py_info(t, rid, f"quote {q} priced premium={rng.randint(400, 2600)} USD pricing_ms="
                                                        f"{int(d - 180)}")))
        return L, None
    sim_lambda(sc, rng, "quote-builder", rate=lambda t: 30 * diurnal(t, 0.15, -6000), err=lambda t: 0.78 * f(t),
               dur=lambda t, e: 10000 + rng.uniform(200, 400) if e else (rng.gauss(380, 60) if f(t) < 0.5 else
                                                                                     rng.uniform(2000, 9800)),
               body=qb_body, mem_used=(102, 115), log_from=-2700, streams=2)

    def pdf_body(t, rid, is_err, d):
        return [(0.01, py_info(t, rid, f"rendered quote pdf Q-{rng.randint(10**6, 10**7)} pages=3"))], None
    sim_lambda(sc, rng, "quote-pdf", rate=lambda t: 3.0 * (1 - 0.7 * f(t)), dur=lambda t, e: rng.gauss(1800, 250), body=pdf_body,
               memory=1024, mem_used=(210, 240), log_from=-5400, streams=1)

    sc.change(-2600, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "quote-pdf", "tf-quotes-west")
    sc.change(-2300, "ec2.amazonaws.com", "AuthorizeSecurityGroupEgress", "AWS::EC2::SecurityGroup", "sg-0a9b8c7d6e5f41230", "tf-quotes-west")
    sc.alarm("quote-builder-errors", "AWS/Lambda", "Errors", {"FunctionName": "quote-builder"}, "Sum", 60, 3, 5, "GreaterThanThreshold",
             "ALARM", T0 + 240, description="quote-builder failures (us-west-2)")
    sc.alarm("pricing-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "pricing-db"}, "Average", 300, 2, 85,
             "GreaterThanThreshold", "OK", -400000, region=EAST)
    sc.expect("quote-builder-errors", "dependency_failure", ["pricing-db"],
              [{"namespace": "AWS/RDS", "name": "WriteLatency", "dimensions": {"DBInstanceIdentifier": "pricing-db"}},
               {"namespace": "AWS/RDS", "name": "DiskQueueDepth", "dimensions": {"DBInstanceIdentifier": "pricing-db"}},
               {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "quote-builder"}}])
    return sc.done()
