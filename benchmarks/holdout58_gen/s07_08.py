"""h58-07 (legacy-history backfill fills the MySQL volume) and h58-08 (new-region reserved concurrency)."""
from __future__ import annotations

from . import blocks as B
from .common import GRID, Scenario, bump, diurnal, ramp
from .runtimes import LambdaLogs, mysql


# =========================================================================== 07
def s07() -> Scenario:
    sc = Scenario(7, "orders-backfill-volume", "Order writes failing; Errors alarm on the order "
                  "writer function.", "ap-northeast-1", 5807, "2026-10-08T05:30:00+00:00")
    BF = -9000           # backfill starts copying legacy history
    S = -1500            # volume full
    R = -6000            # order-writer runtime ruby3.2 -> ruby3.3
    db, fw, fc = "orders-mysql", "order-writer", "history-copier"
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.m6g.large",
                max_connections=1365, allocated_storage_gb=200, storage_autoscaling=False)
    sc.resource("lambda", fw, runtime="ruby3.3", timeout=15, memory_size=512)
    sc.resource("lambda", fc, runtime="python3.12", timeout=900, memory_size=2048)

    def free(t):
        base = 30.4 - 0.3 * (t + 21600) / 3600
        if t >= BF:
            base -= 14.2 * (t - BF) / 3600
        return max(0.06, base)
    freev = sc.series(free, noise=0.002)
    full = lambda t: t >= S  # noqa: E731
    B.rds_metrics(sc, db, sc.series(lambda t: 18 * diurnal(sc, t, 3) + 22 * ramp(t, BF, BF + 120) - 15 * ramp(t, S, S + 120), noise=0.08),
                  sc.series(lambda t: 64 + 3 * (t >= BF), integer=True), freev,
                  sc.series(lambda t: 0.0009 + 0.0012 * ramp(t, BF, BF + 120), noise=0.12, digits=5),
                  sc.series(lambda t: 3.4, noise=0.01),
                  write_iops=sc.series(lambda t: 140 + 1650 * ramp(t, BF, BF + 120) * (t < S) + 20 * (t >= S), noise=0.08))
    inv = sc.series(lambda t: 38 * diurnal(sc, t, 3), integer=True)
    err = [v if full(t) else float(sc.rng.random() < 0.02) for t, v in zip(GRID, inv)]
    B.lambda_metrics(sc, fw, inv, err, sc.series(lambda t: 48 if not full(t) else 31, noise=0.12),
                     conc=sc.series(lambda t: 1.5, noise=0.3, digits=0))
    cinv = [1.0 if t >= BF else 0.0 for t in GRID]
    B.lambda_metrics(sc, fc, cinv, [1.0 if t >= S else 0.0 for t in GRID],
                     [None if t < BF else (41000 * (1 + 0.1 * sc.rng.random()) if t < S else 2200.0) for t in GRID])

    def fw_body(l, t, rid, is_err, cold):
        oid = f"JP{sc.rng.randint(10 ** 8, 10 ** 9 - 1)}"
        lines = [(0.003, l.fmt(t + 0.003, rid, "INFO", f"writing order {oid} ({sc.rng.randint(1, 9)} lines)"))]
        if is_err:
            msg = sc.rng.choice([("The table 'orders' is full", "Mysql2::Error"),
                                 ("Error writing file './orders/order_lines.ibd' (OS errno 28 - No space left on device)",
                                  "Mysql2::Error")])
            lines += [(0.02, l.fmt(t + 0.02, rid, "ERROR", "Error raised from handler method")),
                      (0.021, '{"errorMessage":"' + msg[0].replace("'", "\\u0027") + '","errorType":"Function<' + msg[1] +
                       '>","stackTrace":["/var/task/vendor/bundle/ruby/3.3.0/gems/mysql2-0.5.6/lib/mysql2/client.rb:151:in '
                       '`_query\'","/var/task/vendor/bundle/ruby/3.3.0/gems/mysql2-0.5.6/lib/mysql2/client.rb:151:in `block in query\'",'
                       '"/var/task/lib/orders/repository.rb:44:in `insert_order\'","/var/task/handler.rb:19:in `call\'"]}')]
            return {"dur": sc.rng.gauss(30, 6), "lines": lines}
        if sc.rng.random() < 0.03:
            lines.append((0.02, l.fmt(t + 0.02, rid, "WARN", "Mysql2::Error: Deadlock found when trying to get lock; "
                                      "try restarting transaction (retry 1/3)")))
        lines.append((0.04, l.fmt(t + 0.04, rid, "INFO", f"order {oid} committed")))
        return {"dur": sc.rng.gauss(47, 9), "lines": lines}
    old = LambdaLogs(sc, fw, "ruby3.2", 512, 15, mem_used=(118, 6))
    old.run(B.sample(inv, 4, t1=R), {k: v for k, v in B.scaled(inv, err, 4).items() if k < R}, fw_body)
    new = LambdaLogs(sc, fw, "ruby3.3", 512, 15, mem_used=(121, 6), prewarm=R - 1)
    new.run(B.sample(inv, 4, t0=R), B.scaled(inv, err, 4, t0=R), fw_body)

    cl = LambdaLogs(sc, fc, "python3.12", 2048, 900, mem_used=(690, 30), prewarm=BF - 1)
    batch = [88000]

    def fc_body(l, t, rid, is_err, cold):
        batch[0] += 1
        if is_err:
            return {"dur": 2100, "lines": [(1.9, "[ERROR] OperationalError: (1114, \"The table 'order_events' is full\")\n"
                                            "Traceback (most recent call last):\n  File \"/var/task/copier.py\", line 73, in handler\n"
                                            "    cur.executemany(INSERT_SQL, rows)\n")]}
        return {"dur": 41000, "lines": [(40.5, l.fmt(t + 40.5, rid, "INFO", f"copied batch {batch[0]}: 50000 rows "
                                                  f"order_history_legacy -> order_events ({sc.rng.randint(225, 245)} MB)"))]}
    cl.run(B.sample(cinv, 1, t0=BF), B.sample([1.0 if t >= S else 0.0 for t in GRID], 1, t0=BF), fc_body)

    eg, es = f"/aws/rds/instance/{db}/error", db
    B.emit(sc, eg, es, lambda t: 0.4, lambda t: mysql(sc, t, 0, "Warning", "MY-010055", f"IP address '{sc.ip('10.60')}' "
                                                       "could not be resolved: Name or service not known"))
    B.emit(sc, eg, es, lambda t: 0.3, lambda t: mysql(sc, t, sc.rng.randint(4000, 90000), "Note", "MY-010914",
                                                       f"Aborted connection {sc.rng.randint(4000, 90000)} to db: 'orders' user: "
                                                       f"'app_writer' host: '{sc.ip('10.60')}' (Got an error reading communication packets)."))
    B.emit(sc, eg, es, lambda t: 3, lambda t: mysql(sc, t, 0, "ERROR", "MY-012640", "[InnoDB] Error number 28 means "
                                                     "'No space left on device'"), t0=S)
    B.every(sc, eg, es, 60, lambda t: mysql(sc, t, 13, "ERROR", "MY-000035", "Disk is full writing "
                                             "'/rdsdbdata/log/binlog/mysql-bin-changelog.081233' (OS errno 28 - No space left "
                                             "on device). Waiting for someone to free space... Retry in 60 secs. Write of "
                                             "binlog events will be retried."), t0=S + 5)

    sc.change(BF - 240, "lambda.amazonaws.com", "CreateFunction20150331", "AWS::Lambda::Function", fc, "data-migration-ci")
    sc.change(BF - 60, "states.amazonaws.com", "CreateStateMachine", "AWS::StepFunctions::StateMachine",
              "order-history-backfill", "data-migration-ci")
    sc.change(R, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fw,
              "terraform-orders")
    sc.change(-1800, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", db, "secops-certbot")
    sc.alarm("order-writer-errors", "AWS/Lambda", "Errors", {"FunctionName": fw}, "Sum", 60, 3, 5, "GreaterThanThreshold",
             "Order writer failing")
    sc.alarm("history-copier-errors", "AWS/Lambda", "Errors", {"FunctionName": fc}, "Sum", 300, 1, 0,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "order-writer-errors",
                 "root_cause": {"category": "storage_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    return sc


# =========================================================================== 08
def s08() -> Scenario:
    sc = Scenario(8, "loja-api-new-region", "Checkout pricing errors in the new Sao Paulo region; "
                  "API Gateway 5XX alarm.", "sa-east-1", 5808, "2026-11-17T14:20:00+00:00")
    api, fn, fb = "loja-api", "cart-pricing", "catalog-read"
    RES, DUR = 40, 0.82
    A = -2400            # catalog-read arm64 migration
    sc.resource("apigateway", api, api_id="p7n2r4t6v8", stage="prod", endpoint_type="REGIONAL")
    sc.resource("lambda", fn, runtime="dotnet8", timeout=10, memory_size=1024, reserved_concurrency=RES,
                architectures=["x86_64"])
    sc.resource("lambda", fb, runtime="dotnet8", timeout=10, memory_size=1024, architectures=["arm64"])
    demand = sc.series(lambda t: 300 + 2200 * ramp(t, -18000, -3000) + 1200 * ramp(t, -3600, 0), noise=0.03, digits=0)
    cap = RES * 60 / DUR
    served = [min(d, cap * (1 - 0.03 * sc.rng.random())) for d in demand]
    thr = [float(round(max(0.0, d - s))) for d, s in zip(demand, served)]
    inv = [float(round(s)) for s in served]
    conc = [float(min(RES, round(s * DUR / 60 + sc.rng.uniform(-1, 1)))) for s in served]
    B.lambda_metrics(sc, fn, inv, B.flat(0), sc.series(lambda t: DUR * 1000, noise=0.06), thr, conc)
    e4 = sc.series(lambda t: 9 + 0.004 * 0, integer=True)
    B.apigw_metrics(sc, api, [d + b for d, b in zip(demand, sc.series(lambda t: 600 + 500 * ramp(t, -18000, -3000), integer=True))],
                    e4, [x + float(sc.rng.random() < 0.03) for x in thr],
                    sc.series(lambda t: 870, noise=0.08), sc.series(lambda t: 840, noise=0.08))
    binv = sc.series(lambda t: 600 + 500 * ramp(t, -18000, -3000), integer=True)
    B.lambda_metrics(sc, fb, binv, sc.series(lambda t: 0.2, integer=True),
                     sc.series(lambda t: 210 - 25 * ramp(t, A, A + 60) + bump(t, A, A + 120, 300, 20), noise=0.08),
                     conc=sc.series(lambda t: 3 + 1.5 * ramp(t, -18000, -3000), noise=0.2, digits=0))

    ll = LambdaLogs(sc, fn, "dotnet8", 1024, 10, mem_used=(182, 8), prewarm=-19700)

    def body(l, t, rid, is_err, cold):
        cart = f"cart-{sc.hexid(10)}"
        lines = [(0.004, l.fmt(t + 0.004, rid, "INFO", f"Pricing {cart} items={sc.rng.randint(1, 7)} uf="
                                 f"{sc.rng.choice(['SP', 'RJ', 'MG', 'PR', 'RS'])}"))]
        if sc.rng.random() < 0.08:
            lines.append((0.3, l.fmt(t + 0.3, rid, "WARN", f"Promotion engine returned no rules for sku "
                                     f"{sc.rng.randint(10 ** 6, 10 ** 7)}; using list price")))
        lines.append((0.78, l.fmt(t + 0.78, rid, "INFO", f"Priced {cart} total=R${sc.rng.uniform(19, 900):.2f} "
                                  f"icms={sc.rng.uniform(1, 90):.2f}")))
        return {"dur": sc.rng.gauss(DUR * 1000, 60), "lines": lines}
    ll.run(B.sample(inv, 5, t0=B.LOG_START), {}, body)
    eg, es = "API-Gateway-Execution-Logs_p7n2r4t6v8/prod", sc.hexid(32)

    def thr_line(t):
        rid = sc.uuid()
        return [(0, f"({rid}) Lambda invocation failed with status: 429. Lambda request id: {sc.uuid()}"),
                (0.001, f"({rid}) Execution failed due to configuration error: Rate Exceeded."),
                (0.002, f"({rid}) Method completed with status: 500")]
    tmap = dict(zip(GRID, thr))
    B.emit(sc, eg, es, lambda t: min(5.0, tmap.get(t, 0)), thr_line)
    B.emit(sc, eg, es, lambda t: 0.03, lambda t: f"({sc.uuid()}) Execution failed due to a timeout error")
    bl = LambdaLogs(sc, fb, "dotnet8", 1024, 10, mem_used=(150, 8), epochs=((-10 ** 9, "3"), (A + 30, "4")),
                    retire=(A + 30,), prewarm=-19700)
    bl.run(B.sample(binv, 3), {}, lambda l, t, rid, e, c: {"dur": sc.rng.gauss(200, 30), "lines": [
        (0.1, l.fmt(t + 0.1, rid, "INFO", f"GET /produtos/{sc.rng.randint(10 ** 6, 10 ** 7)} 200"))]})

    u = "cfn-sa-east-1-launch"
    sc.change(-19900, "lambda.amazonaws.com", "CreateFunction20150331", "AWS::Lambda::Function", fn, u)
    sc.change(-19890, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function", fn, u)
    sc.change(-19880, "lambda.amazonaws.com", "CreateFunction20150331", "AWS::Lambda::Function", fb, u)
    sc.change(-19800, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", api, u)
    sc.change(-19600, "route53.amazonaws.com", "ChangeResourceRecordSets", "AWS::Route53::RecordSet",
              "api.loja.example.com.br", "dns-ops")
    sc.change(A, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fb, "infra-terraform")
    sc.change(A + 20, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fb, "infra-terraform")
    sc.change(-2050, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", f"{api}/prod", "infra-terraform")
    sc.alarm("loja-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 50, "GreaterThanThreshold",
             "Loja API server errors (sa-east-1)")
    sc.alarm("cart-pricing-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5, "GreaterThanThreshold")
    sc.expect = {"alarm": "loja-api-5xx",
                 "root_cause": {"category": "throttling", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": {"FunctionName": fn}}]}
    return sc
