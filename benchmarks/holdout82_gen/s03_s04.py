"""h82-03 (payment webhook intake) and h82-04 (stock reservation API and its ledger database)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import GRID
from benchmarks.holdout57_gen.runtimes import LambdaLogs, gunicorn, pg

from .kit import (LOG_START, S82, alb_metrics, apigw_exec, apigw_metrics, diurnal, ecs_metrics,
                  lambda_metrics, py_json, ramp, rds_metrics, ruby_unhandled, sampled, step)


# ============================================================================ h82-03
def build_03() -> S82:
    sc = S82(3, "psp-webhook-intake", "Orders stuck in 'payment pending' after checkout; the "
             "payment-events Lambda error alarm fired.", "us-west-2", "2026-11-27T22:15:00")
    fn, api, on = "psp-event-intake", "psp-callbacks", -2100
    sc.resource("apigateway", api, api_id="w8hd1x0q3c", stage="live", endpoint="REGIONAL")
    sc.resource("lambda", fn, runtime="ruby3.3", timeout=15, memory_size=512,
                environment_keys=["PSP_ENV", "PSP_WEBHOOK_SIGNING_KEY", "ORDERS_TABLE", "EVENT_BUS"])
    sc.resource("lambda", "order-confirm-mailer", runtime="python3.12", timeout=30, memory_size=256)

    fail = lambda t: step(t, on, 0.0, 1.0)
    base = lambda t: 150 * diurnal(sc, t, 22, 0.25)
    # the provider retries failed deliveries with backoff: volume climbs ~70 % after onset
    inv = sc.vals(lambda t: base(t) * (1 + 0.7 * ramp(t, on, on + 900)), integer=True)
    chronic = sc.vals(lambda t: 0.35, integer=True)
    err = [min(n, c + (n if t >= on else 0)) for t, n, c in zip(GRID, inv, chronic)]
    dur = sc.vals(lambda t: 140 - 120 * fail(t), noise=0.12)
    lambda_metrics(sc, fn, inv, err, dur)
    apd = apigw_metrics(sc, api, list(inv), sc.vals(lambda t: 0.6, integer=True), list(err),
                        [round(d + 21, 2) for d in dur], [round(d + 6, 2) for d in dur])
    minv = sc.vals(lambda t: 0.82 * base(t) * (1 - 0.93 * ramp(t, on, on + 120)), integer=True)
    lambda_metrics(sc, "order-confirm-mailer", minv, [0.0] * 360,
                   sc.vals(lambda t: 620, noise=0.15))

    ll = LambdaLogs(sc, fn, "ruby3.3", 512, 15, retire=(-9000, on), mem_used=(118, 9))
    types = ["payment_intent.succeeded"] * 6 + ["charge.refunded", "payment_intent.payment_failed"]

    def body(ll, t, rid, is_err, cold):
        evt, et = f"evt_{sc.hexid(24)}", sc.rng.choice(types)
        lines = [(0.003, ll.fmt(t, rid, "INFO", f"received {et} id={evt} livemode=true"))]
        if sc.rng.random() < 0.06:
            lines.append((0.01, ll.fmt(t, rid, "WARN", f"duplicate delivery {evt} ignored (idempotency hit)")))
        if is_err and t >= on:
            lines.append((0.012, ruby_unhandled(ll, t, rid, "KeyError",
                          'key not found: "PSP_WEBHOOK_SIGNING_KEY"',
                          ["/var/task/lib/psp/signature.rb:14:in `fetch'",
                           "/var/task/lib/psp/signature.rb:14:in `verify!'",
                           "/var/task/handler.rb:22:in `call'"])))
            return {"dur": sc.rng.uniform(9, 30), "lines": lines}
        if is_err:
            lines.append((0.08, ruby_unhandled(ll, t, rid, "Aws::DynamoDB::Errors::ConditionalCheckFailedException",
                          "The conditional request failed", ["/var/task/lib/orders/ledger.rb:41:in `mark_paid!'",
                                                             "/var/task/handler.rb:31:in `call'"])))
            return {"dur": sc.rng.uniform(80, 120), "lines": lines}
        return {"dur": max(40, sc.rng.gauss(140, 30)), "lines": lines + [
            (0.11, ll.fmt(t, rid, "INFO", f"order ord_{sc.rng.randint(10 ** 7, 10 ** 8)} marked paid, "
                          f"published OrderPaid to {'shop-events'}"))]}

    ll.run(*sampled(sc, inv, err, 4), body)
    ml = LambdaLogs(sc, "order-confirm-mailer", "python3.12", 256, 30, retire=(-2040,))
    ml.run(*sampled(sc, minv, [0] * 360, 2), lambda ll, t, rid, e, c: {
        "dur": sc.rng.gauss(620, 90), "lines": [(0.02, ll.fmt(t, rid, "INFO",
                                                  f"sent confirmation for ord_{sc.rng.randint(10 ** 7, 10 ** 8)}"))]})
    eg, es = "API-Gateway-Execution-Logs_w8hd1x0q3c/live", "w8hd1x0q3c-live"
    for t, e in zip(GRID, err):
        if t < LOG_START:
            continue
        for _ in range(int(min(e, 3))):
            s, r = t + sc.rng.uniform(0, 60), sc.uuid()
            msg = ('key not found: "PSP_WEBHOOK_SIGNING_KEY"' if t >= on else "The conditional request failed")
            sc.log(eg, es, s, apigw_exec(sc, r, f"Lambda execution failed with status 200 due to customer "
                                            f"function error: {msg}. Lambda request id: {sc.uuid()}"))
            sc.log(eg, es, s + 0.001, apigw_exec(sc, r, "Method completed with status: 502"))

    sc.change(-9000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, "ci-payments")
    sc.change(on - 6, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", fn, "r.okafor")
    sc.change(-2040, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "order-confirm-mailer", "ci-notifications")

    sc.alarm("psp-event-intake-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 2, 10,
             "GreaterThanThreshold", "payment webhook handler failing")
    sc.alarm("psp-callbacks-5xx", "AWS/ApiGateway", "5XXError", apd, "Sum", 300, 1, 50,
             "GreaterThanThreshold")
    sc.alarm("order-confirm-mailer-errors", "AWS/Lambda", "Errors", {"FunctionName": "order-confirm-mailer"},
             "Sum", 300, 1, 5, "GreaterThanThreshold")
    sc.expect_rc("psp-event-intake-errors", "config_change", [fn],
                 [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}])
    sc.meta = dict(
        front="origin (Lambda); API Gateway 5XX alarm too",
        decoys="mailer deploy 60 s after the config edit (closest change to the alarm); same "
               "function's code deploy 2 h earlier; webhook volume +70 % (provider retries); "
               "chronic ConditionalCheckFailed errors",
        services="API Gateway, Lambda (Ruby 3.3, Python 3.12)",
        story="At -35 min r.okafor updates psp-event-intake's configuration; from the next invocation "
              "every webhook fails in `Signature#verify!` with `KeyError: key not found: "
              "\"PSP_WEBHOOK_SIGNING_KEY\"`, the setting the handler needs (the function's code was "
              "last deployed two hours earlier and ran cleanly since). Errors go from ~0.3 to 100 % "
              "of invocations; the provider's retries push webhook volume up ~70 %, which looks like "
              "a surge but is a consequence. order-confirm-mailer's deploy a minute later is the "
              "change closest to the alarm, but its invocations fall because no order is marked "
              "paid, and it has no errors.",
        judgement="The function had both a code deploy (2 h before) and a configuration update "
                  "(at onset); errors name a missing setting and start with the configuration "
                  "update, and the tie-break says a config change beats a deployment.")
    return sc


# ============================================================================ h82-04
def build_04() -> S82:
    sc = S82(4, "unit-hold-api", "Add-to-cart failing with 'could not hold stock'; the hold "
             "gateway target 5XX alarm is firing.", "ap-southeast-2", "2026-11-27T09:35:00")
    lb, db = "app/hold-gw/3f6a1c9e0b7d2458", "stockledger"
    sale, scale, on = -3000, -2640, -2460
    sc.resource("alb", lb, name="hold-gw", scheme="internet-facing")
    sc.resource("ecs", "stock/reserve-api", launch_type="FARGATE", desired_count=8, cpu=1024,
                memory=2048, db_pool="SQLAlchemy pool_size=15 max_overflow=5", log_group="/ecs/reserve-api")
    sc.resource("rds", db, engine="postgres", engine_version="15.8", instance_class="db.m6g.xlarge",
                max_connections=200, allocated_storage_gb=400)
    sc.resource("lambda", "restock-notify", runtime="java17", timeout=60, memory_size=1024)

    load = lambda t: 1.0 + 0.7 * ramp(t, sale, sale + 240)
    tasks = lambda t: 8 if t < scale else 12
    exh = lambda t: ramp(t, on - 120, on + 60)
    req = sc.vals(lambda t: 640 * diurnal(sc, t, 10, 0.2) * load(t), integer=True)
    t5 = sc.vals(lambda t: 0.3 + 55 * exh(t), integer=True)
    trt = sc.vals(lambda t: 0.061 * load(t) ** 0.5 + 1.3 * exh(t), noise=0.08)
    lbd = alb_metrics(sc, lb, req, t5, [0.0] * 360, trt, [float(tasks(t)) for t in GRID], [0.0] * 360,
                      t4=sc.vals(lambda t: 9 * load(t), integer=True))
    sf = ecs_metrics(sc, "stock", "reserve-api",
                     sc.vals(lambda t: 31 * load(t) * 8 / tasks(t) + 6 * (t >= scale), noise=0.05),
                     sc.vals(lambda t: 46 + 2 * load(t), noise=0.01), running=[float(tasks(t)) for t in GRID])
    conns = sc.vals(lambda t: min(199.0, 92 + 44 * (load(t) - 1) / 0.7 + 80 * ramp(t, scale, on)),
                    noise=0.03, cap=200, integer=True)
    rds_metrics(sc, db, sc.vals(lambda t: 24 + 26 * (load(t) - 1) + 5 * exh(t), noise=0.05), conns,
                sc.vals(lambda t: 244.8, noise=0.0004),
                sc.vals(lambda t: 0.0011 + 0.0005 * (load(t) - 1), noise=0.12, digits=5),
                sc.vals(lambda t: 0.0019 + 0.0006 * (load(t) - 1), noise=0.12, digits=5),
                sc.vals(lambda t: 9100 - 700 * ramp(t, scale, on), noise=0.01))
    rinv = sc.vals(lambda t: 3, integer=True)
    lambda_metrics(sc, "restock-notify", rinv, [0.0] * 360, sc.vals(lambda t: 2300, noise=0.2))

    # ---- reserve-api (gunicorn + python-json-logger)
    g = "/ecs/reserve-api"
    old = [f"ecs/reserve/{sc.hexid(32)}" for _ in range(3)]
    new = [f"ecs/reserve/{sc.hexid(32)}" for _ in range(2)]
    pick = lambda t: (old + new)[int(t * 13) % 5] if t >= scale + 90 else old[int(t * 13) % 3]

    def ok(t):
        ms = max(4, int(sc.rng.gauss(48, 12) * load(t) ** 0.5))
        return py_json(sc, t, "INFO", "reserve.api", "hold placed", sku=f"SKU-{sc.rng.randint(10000, 99999)}",
                       qty=sc.rng.randint(1, 3), hold_ttl_s=600, duration_ms=ms, status=200)

    sc.emit(g, pick, lambda t: 2.5, ok)
    sc.emit(g, pick, lambda t: 0.5, lambda t: py_json(
        sc, t, "WARNING", "reserve.api", "slow request", path="/v1/holds/bulk",
        duration_ms=sc.rng.randint(1200, 2600), threshold_ms=1000))
    errs = ['(psycopg2.OperationalError) connection to server at "stockledger.c9xk2fq.ap-southeast-2.'
            'rds.amazonaws.com" (10.40.3.17), port 5432 failed: FATAL:  sorry, too many clients already',
            "QueuePool limit of size 15 overflow 5 reached, connection timed out, timeout 10.00 "
            "(Background on this error at: https://sqlalche.me/e/20/3o7r)",
            '(psycopg2.OperationalError) connection to server at "stockledger.c9xk2fq.ap-southeast-2.'
            'rds.amazonaws.com" (10.40.3.17), port 5432 failed: FATAL:  remaining connection slots '
            'are reserved for non-replication superuser connections']
    sc.emit(g, pick, lambda t: 4 * exh(t), lambda t: py_json(
        sc, t, "ERROR", "reserve.api", "hold failed", exc_info="sqlalchemy.exc.OperationalError: " +
        sc.rng.choice(errs), path="/v1/holds", status=503))
    for i, s in enumerate(new):
        t0 = scale + 60 + 9 * i
        for k, m in enumerate(["Starting gunicorn 22.0.0", "Listening at: http://0.0.0.0:8080 (1)",
                               "Using worker: gthread", "Booting worker with pid: 7"]):
            sc.log(g, s, t0 + 0.05 * k, gunicorn(sc, t0 + 0.05 * k, 1 if k < 3 else 7, "INFO", m))
    # ---- stockledger postgres log
    lg, ls = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    sc.emit(lg, ls, lambda t: 0.2, lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote "
            f"{sc.rng.randint(900, 4200)} buffers ({sc.rng.uniform(0.4, 2.5):.1f}%); 0 WAL file(s) added, "
            f"0 removed, {sc.rng.randint(1, 3)} recycled", pid=402))
    sc.emit(lg, ls, lambda t: 0.3, lambda t: pg(sc, t, "LOG", f"duration: {sc.rng.uniform(1000, 2500):.3f} ms  "
            "statement: SELECT sku, on_hand, held FROM stock_levels WHERE sku = ANY($1) FOR UPDATE",
            client=f"10.40.{sc.rng.randint(10, 40)}.{sc.rng.randint(2, 250)}({sc.rng.randint(30000, 60000)})",
            user="reserve_app", db="ledger"))
    sc.emit(lg, ls, lambda t: 5 * exh(t), lambda t: pg(
        sc, t, "FATAL", sc.rng.choice(["sorry, too many clients already",
                                       "remaining connection slots are reserved for non-replication "
                                       "superuser connections"]),
        client=f"10.40.{sc.rng.randint(10, 40)}.{sc.rng.randint(2, 250)}({sc.rng.randint(30000, 60000)})",
        user="reserve_app", db="ledger"))
    rl = LambdaLogs(sc, "restock-notify", "java17", 1024, 60, retire=(-2500,))
    rl.run(*sampled(sc, rinv, [0] * 360, 1), lambda ll, t, rid, e, c: {
        "dur": sc.rng.gauss(2300, 300), "lines": [(0.05, ll.fmt(t, rid, "INFO",
                                                   f"c.r.RestockHandler - queued {sc.rng.randint(0, 30)} back-in-stock emails"))]})

    sc.change(-2520, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "restock-notify", "jenkins-merch")
    sc.change(scale, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "stock/reserve-api",
              "AWSServiceRoleForApplicationAutoScaling_ECSService")

    sc.alarm("hold-gw-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lbd, "Sum", 60, 3,
             25, "GreaterThanThreshold", "reserve API returning 5xx")
    sc.alarm("stockledger-connections", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db},
             "Maximum", 300, 1, 180, "GreaterThanThreshold")
    sc.alarm("reserve-api-cpu", "AWS/ECS", "CPUUtilization", sf, "Average", 300, 2, 75, "GreaterThanThreshold")
    sc.expect_rc("hold-gw-target-5xx", "db_connection_exhaustion", [db],
                 [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": db}}])
    sc.meta = dict(
        front="front (ALB); origin = RDS",
        decoys="sale launch (+70 % traffic); autoscaler UpdateService 3 min before onset; "
               "restock-notify deploy 1 min closer; chronic slow-request warnings",
        services="ALB, ECS (Python gunicorn, JSON logs), RDS PostgreSQL logs, Lambda (Java 17)",
        story="The sale opens at -50 min and hold requests rise ~70 %. The autoscaler takes "
              "reserve-api from 8 to 12 tasks (each with a 15+5 connection pool), and over the next "
              "three minutes stockledger's DatabaseConnections climbs to its max_connections of 200. "
              "From then the database logs `FATAL: sorry, too many clients already`, the service logs "
              "psycopg2 OperationalErrors and `QueuePool limit ... reached`, and hold-gw target 5XX goes "
              "to ~55 a minute (average response time ~1.5 s; failed requests wait 10 s for a pool slot). Database CPU stays near 50 %, storage and "
              "memory are fine. The restock-notify deploy is the closest change but that function "
              "never errors; the slow-request warnings were there all afternoon.",
        judgement="The autoscaler's UpdateService is the trigger for the extra connections, but it is "
                  "an automatic capacity action, not a configuration edit (environment, parameters, "
                  "flags); the evidence the table asks for (connections at the limit, 'too many "
                  "clients') points at db_connection_exhaustion on the database. The traffic rise "
                  "is moderate (<2x) and there is another fault, so it is not traffic_surge.")
    return sc


BUILDERS = [build_03, build_04]
