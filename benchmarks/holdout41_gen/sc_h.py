"""Scenarios 15-16: canary alias shift to a Go build for the wrong CPU architecture, external payment
gateway outage behind a Java 21 SnapStart function."""
from __future__ import annotations

from .common import (MINUTES, Scenario, apigw_metrics, binom, counts, hexs, jit, lambda_metrics, pois, ramp,
                     rds_metrics, wave)
from .lambdalog import FnLog, drive, java, java_trace, py, simple_fn


def _slog(sc, t, r, level, msg, **kv):
    parts = ["time=%s" % sc.iso(t), "level=%s" % level, 'msg="%s"' % msg]
    parts += ["%s=%s" % (k, v) for k, v in kv.items()]
    parts.append("request_id=%s" % r)
    return (t, " ".join(parts))


def s15() -> Scenario:
    sc = Scenario(15, "shipping-rates-canary-exec-format", "eu-west-3",
                  "shipping-rates Errors alarm during a CodeDeploy canary.", "2026-03-27T08:50:00")
    rng = sc.rng
    TA = -1500  # alias live: 90% v22 / 10% v23
    sc.res("lambda", "shipping-rates", runtime="provided.al2023", architectures=["x86_64"], handler="bootstrap",
           timeout=10, memory_size=256, aliases={"live": {"version": "22", "routing": {"23": 0.1}}},
           deployment="CodeDeploy LambdaCanary10Percent30Minutes")
    sc.res("lambda", "shipping-labels", runtime="provided.al2023", architectures=["arm64"], timeout=30, memory_size=512)
    sc.res("lambda", "address-validate", runtime="python3.12", timeout=5, memory_size=256)
    sc.res("apigateway", "checkout-api", api_id="e5r8t2y6ui", stage="prod")
    inv = counts(rng, lambda t: 255 + 30 * ramp(t, -21600, -3600) + 15 * wave(t, 5400))
    v23 = {t: (binom(rng, inv[t], 0.1 * min(1.0, max(0.0, (t + 60 - TA) / 60.0))) if t + 60 > TA else 0)
           for t in MINUTES}
    err = {t: v23[t] + pois(rng, 0.03) for t in MINUTES}
    dur = {t: (jit(rng, 86, 0.06) * (inv[t] - v23[t]) + 1.6 * v23[t]) / inv[t] for t in MINUTES}
    lambda_metrics(sc, "shipping-rates", inv, err, dur, {t: pois(rng, 3 + (4 if v23[t] else 0)) + 1 for t in MINUTES})
    for ver, inv_v, err_v in (("22", {t: inv[t] - v23[t] for t in MINUTES}, {t: err[t] - v23[t] for t in MINUTES}),
                              ("23", v23, v23)):
        dd = {"FunctionName": "shipping-rates", "Resource": "shipping-rates:live", "ExecutedVersion": ver}
        sc.metric("AWS/Lambda", "Invocations", dd, "Count", {t: inv_v[t] for t in MINUTES if ver == "22" or t + 60 > TA})
        sc.metric("AWS/Lambda", "Errors", dd, "Count", {t: err_v[t] for t in MINUTES if ver == "22" or t + 60 > TA})
    linv = counts(rng, lambda t: 40.0)
    lambda_metrics(sc, "shipping-labels", linv, {t: pois(rng, 0.05) for t in MINUTES},
                   {t: jit(rng, 690, 0.08) for t in MINUTES}, {t: pois(rng, 2) + 1 for t in MINUTES})
    ainv = counts(rng, lambda t: 140.0)
    lambda_metrics(sc, "address-validate", ainv, {t: pois(rng, 0.1) for t in MINUTES},
                   {t: jit(rng, 120, 0.08) for t in MINUTES}, {t: pois(rng, 2) + 1 for t in MINUTES})
    cnt = {t: inv[t] + linv[t] + ainv[t] for t in MINUTES}
    apigw_metrics(sc, "checkout-api", cnt, {t: pois(rng, 6) for t in MINUTES}, {t: v23[t] + pois(rng, 0.1) for t in MINUTES},
                  {t: (dur[t] * inv[t] + 690 * linv[t] + 120 * ainv[t]) / cnt[t] + 13 for t in MINUTES},
                  {t: (dur[t] * inv[t] + 690 * linv[t] + 120 * ainv[t]) / cnt[t] for t in MINUTES})

    fl = FnLog(sc, "shipping-rates", "provided.al2023", 256, init=(22, 45))
    carriers = ["chronopost", "colissimo", "dpd", "ups", "gls"]

    def make(t, r, kind):
        if kind == "err" and t >= TA:
            i1, i2 = rng.uniform(0.4, 1.1), rng.uniform(0.4, 1.1)
            pre = [(t - 0.012, "INIT_START Runtime Version: provided:al2023.v62\tRuntime Version ARN: %s" % fl.rv_arn),
                   (t - 0.011, "INIT_REPORT Init Duration: %.2f ms\tPhase: init\tStatus: error\tError Type: "
                               "Runtime.InvalidEntrypoint" % i1),
                   (t - 0.005, "INIT_START Runtime Version: provided:al2023.v62\tRuntime Version ARN: %s" % fl.rv_arn),
                   (t - 0.004, "INIT_REPORT Init Duration: %.2f ms\tPhase: invoke\tStatus: error\tError Type: "
                               "Runtime.InvalidEntrypoint" % i2)]
            d = jit(rng, 1.6, 0.2)
            return {"version": "23", "no_init": True, "pre": pre, "dur": d, "mem": 3, "status": "error",
                    "err_type": "Runtime.InvalidEntrypoint", "lines": [
                        (t + 0.0005, "RequestId: %s Error: fork/exec /var/task/bootstrap: exec format error\n"
                                     "Runtime.InvalidEntrypoint" % r)]}
        c = rng.choice(carriers)
        d = jit(rng, 86, 0.3)
        lines = [_slog(sc, t + 0.001, r, "INFO", "quote request", dest=rng.choice(["FR", "FR", "BE", "DE", "ES", "IT"]),
                       weight_g=rng.randint(200, 12000), carriers=5)]
        if rng.random() < 0.05:
            lines.append(_slog(sc, t + 0.03, r, "ERROR", "carrier quote failed, serving cached rate", carrier="colissimo",
                               status=503, cache_age="%dm" % rng.randint(5, 55)))
        lines.append(_slog(sc, t + d / 1000 - 0.001, r, "INFO", "quote computed", best=c,
                           price_eur="%.2f" % rng.uniform(4.9, 29.0), duration_ms=int(d)))
        return {"version": "22", "dur": d, "mem": rng.uniform(24, 31), "lines": lines}
    drive(sc, fl, inv, v23, 0.06, -8400, make, n_envs=lambda t: 5)
    simple_fn(sc, "shipping-labels", "provided.al2023", 512, linv, lambda t: jit(rng, 690, 0.15),
              lambda t, r, d: [_slog(sc, t + d / 1000, r, "INFO", "label created", carrier=rng.choice(carriers),
                                     format="ZPL" if t >= -1700 else "PDF")], start=-6000, frac=0.1)
    simple_fn(sc, "address-validate", "python3.12", 256, ainv, lambda t: jit(rng, 120, 0.15),
              lambda t, r, d: [py(sc, t + d / 1000, r, "INFO", "address normalised (BAN score %.2f)" %
                                  rng.uniform(0.7, 1.0))], start=-4800, frac=0.03)
    sc.lambda_change(-1700, "shipping-labels", "UpdateFunctionConfiguration20150331v2", "terraform-cloud")
    sc.lambda_change(-1545, "shipping-rates", "UpdateFunctionCode20150331v2", "codebuild-shipping")
    sc.lambda_change(-1528, "shipping-rates", "PublishVersion20150331", "codebuild-shipping")
    sc.lambda_change(TA, "shipping-rates", "UpdateAlias20150331", "codedeploy")
    sc.alarm("shipping-rates-errors", "AWS/Lambda", "Errors", {"FunctionName": "shipping-rates"}, "Sum", 60, 3, 8,
             after=TA - 60, desc="shipping-rates errors (CodeDeploy rollback alarm)")
    sc.expect = {"alarm": "shipping-rates-errors",
                 "root_cause": {"category": "bad_deployment", "resource": ["shipping-rates"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "shipping-rates"}}]}
    sc.meta = {"front": "origin", "decoys": [
        "shipping-labels env-var change (label format) 3 min before the deploy",
        "pre-existing ERROR 'carrier quote failed, serving cached rate' (colissimo 503) at ~5% before and after"],
        "story": "CodeBuild uploaded a new shipping-rates package and published version 23, and CodeDeploy shifted "
                 "10% of alias `live` to it at -1500 s (canary). Every invocation routed to version 23 fails before "
                 "the handler runs: `INIT_REPORT ... Status: error Error Type: Runtime.InvalidEntrypoint` and "
                 "`fork/exec /var/task/bootstrap: exec format error` - an arm64 binary shipped to an x86_64 function. "
                 "Errors by ExecutedVersion show all errors on 23, none on 22; overall ~10% of calls fail. The "
                 "colissimo 503 ERROR line is pre-existing and handled (cached rate), and the shipping-labels config "
                 "change is a different function. A version deployment followed by a brand-new error signature on "
                 "exactly the new version: bad_deployment on shipping-rates."}
    return sc


# =====================================================================================================
def s16() -> Scenario:
    sc = Scenario(16, "payment-capture-gateway-outage", "ap-northeast-2",
                  "Card payments failing at capture; payment-capture Errors alarm.", "2026-10-21T05:10:00")
    rng = sc.rng
    T = -1700
    sc.res("lambda", "payment-capture", runtime="java21", timeout=30, memory_size=2048, snap_start="PublishedVersions",
           aliases={"live": "58"}, environment={"PG_BASE_URL": "https://api.hanpay-gateway.example/v2",
                                                "PG_READ_TIMEOUT_MS": "8000", "PG_MAX_ATTEMPTS": "2"})
    sc.res("lambda", "payment-refund", runtime="java21", timeout=30, memory_size=1024, aliases={"live": "21"})
    sc.res("lambda", "settlement-report", runtime="python3.12", timeout=600, memory_size=1024)
    sc.res("apigateway", "pay-api", api_id="t7y1u4i8op", stage="prod")
    sc.res("rds", "payments-aurora-1", engine="aurora-mysql", engine_version="3.05.2", instance_class="db.r6g.xlarge",
           max_connections=3000)
    inv = counts(rng, lambda t: 190 + 40 * ramp(t, -21600, -7200) + 20 * wave(t, 5400))
    p = {t: (0.42 * min(1.0, max(0.0, (t + 60 - T) / 60.0)) * (0.85 + 0.3 * rng.random())) for t in MINUTES}
    err = {t: binom(rng, inv[t], p[t]) if t + 60 > T else pois(rng, 0.04) for t in MINUTES}
    dur = {t: (jit(rng, 360, 0.06) * (inv[t] - err[t]) + 9100 * err[t] * 0.55 + 30 * err[t] * 0.45) / inv[t]
           for t in MINUTES}
    lambda_metrics(sc, "payment-capture", inv, err, dur, {t: pois(rng, 3 + err[t] * 9.1 * 0.55 / 60 * 2) + 1
                                                         for t in MINUTES})
    rinv = counts(rng, lambda t: 12.0)
    lambda_metrics(sc, "payment-refund", rinv, {t: pois(rng, 0.03) for t in MINUTES},
                   {t: jit(rng, 410, 0.08) for t in MINUTES}, {t: pois(rng, 1) + 1 for t in MINUTES})
    sinv = counts(rng, lambda t: 0.2)
    lambda_metrics(sc, "settlement-report", sinv, {t: 0 for t in MINUTES},
                   {t: jit(rng, 180000, 0.1) if sinv[t] else None for t in MINUTES}, {t: min(1, sinv[t]) for t in MINUTES})
    cnt = {t: inv[t] + rinv[t] + pois(rng, 60) for t in MINUTES}
    apigw_metrics(sc, "pay-api", cnt, {t: pois(rng, 4) for t in MINUTES}, {t: err[t] + pois(rng, 0.05) for t in MINUTES},
                  {t: (dur[t] * inv[t] + 410 * rinv[t] + 40 * (cnt[t] - inv[t] - rinv[t])) / cnt[t] + 14
                   for t in MINUTES},
                  {t: (dur[t] * inv[t] + 410 * rinv[t] + 40 * (cnt[t] - inv[t] - rinv[t])) / cnt[t] for t in MINUTES})
    rds_metrics(sc, "payments-aurora-1", lambda t: jit(rng, 23, 0.1), lambda t: pois(rng, 210), None,
                lambda t: 21.5e9 + rng.gauss(0, 1e8), lambda t: jit(rng, 0.0007, 0.2), lambda t: jit(rng, 0.0013, 0.2),
                extra=[("FreeLocalStorage", "Bytes", lambda t: 61.2e9 + rng.gauss(0, 2e8))])
    ad = {"TableName": "audit-trail"}
    sc.metric("AWS/DynamoDB", "WriteThrottleEvents", ad, "Count",
              {t: (pois(rng, 40) if -3720 <= t <= -3480 else 0) for t in MINUTES}, nd=0)

    fl = FnLog(sc, "payment-capture", "java21", 2048, init=(220, 480), snapstart=True)
    cause_frames = ["java.net.http/jdk.internal.net.http.HttpClientImpl.send(HttpClientImpl.java:954)",
                    "java.net.http/jdk.internal.net.http.HttpClientFacade.send(HttpClientFacade.java:133)",
                    "com.hanpay.pay.pg.PgClient.post(PgClient.java:88)"]
    frames = ["com.hanpay.pay.pg.PgClient.capture(PgClient.java:61)",
              "io.github.resilience4j.circuitbreaker.CircuitBreaker.lambda$decorateCheckedSupplier$82a9021a$1(CircuitBreaker.java:70)",
              "com.hanpay.pay.CaptureService.capture(CaptureService.java:47)",
              "com.hanpay.pay.CaptureHandler.handleRequest(CaptureHandler.java:39)",
              "com.hanpay.pay.CaptureHandler.handleRequest(CaptureHandler.java:18)"]
    state = {"open_until": -1e9}

    def make(t, r, kind):
        oid = "PO-%s" % hexs(rng, 10).upper()
        amt = rng.choice([9900, 12500, 33000, 45000, 89000, 129000])
        lines = [java(sc, t + 0.003, r, "INFO", "c.h.pay.CaptureHandler", "capture order=%s amount=%d KRW pg=hanpay" % (
            oid, amt))]
        if rng.random() < 0.06:
            lines.append(java(sc, t + 0.01, r, "WARN", "c.h.pay.bin.BinLookup", "Card BIN lookup cache miss for %s****"
                              % rng.randint(400000, 559999)))
        if kind == "err" and t + 60 > T:
            if t < state["open_until"]:
                d = jit(rng, 30, 0.3)
                lines.append(java(sc, t + d / 1000 - 0.004, r, "ERROR", "c.h.pay.CaptureHandler", "capture rejected: "
                                  "CircuitBreaker 'hanpay' is OPEN and does not permit further calls"))
                lines.append((t + d / 1000 - 0.002, "io.github.resilience4j.circuitbreaker.CallNotPermittedException: "
                              "CircuitBreaker 'hanpay' is OPEN and does not permit further calls\n" + java_trace(
                                  "io.github.resilience4j.circuitbreaker.CallNotPermittedException",
                                  "CircuitBreaker 'hanpay' is OPEN and does not permit further calls", frames[1:])))
                return {"version": "58", "dur": d, "mem": rng.uniform(410, 450), "lines": lines}
            d = 0.0
            for a in (1, 2):
                if rng.random() < 0.6:
                    d += 8000 + rng.uniform(2, 30)
                    why = "java.net.http.HttpTimeoutException: request timed out"
                else:
                    d += rng.uniform(40, 120)
                    why = "PG responded 503 Service Unavailable body={\"code\":\"E503\",\"message\":\"acquirer link down\"}"
                lines.append(java(sc, t + d / 1000, r, "WARN", "c.h.pay.pg.PgClient", "PG call failed (attempt %d/2) "
                                  "POST https://api.hanpay-gateway.example/v2/payments/capture: %s" % (a, why)))
            if rng.random() < 0.08:
                state["open_until"] = t + 30
                lines.append(java(sc, t + d / 1000 + 0.001, r, "INFO", "i.g.r.c.i.CircuitBreakerStateMachine",
                                  "CircuitBreaker 'hanpay' changed state from CLOSED to OPEN (failure rate 63.4%)"))
            exc = java_trace("com.hanpay.pay.pg.PgGatewayException", "capture failed for order %s after 2 attempts" % oid,
                             frames, ("java.net.http.HttpTimeoutException", "request timed out", cause_frames))
            lines.append((t + d / 1000 + 0.003, "capture failed for order %s after 2 attempts: com.hanpay.pay.pg."
                                                "PgGatewayException\n%s" % (oid, exc)))
            return {"version": "58", "dur": d + 5, "mem": rng.uniform(410, 460), "lines": lines}
        d = jit(rng, 360, 0.25)
        lines.append(java(sc, t + d / 1000 - 0.004, r, "INFO", "c.h.pay.pg.PgClient", "PG capture OK tid=HP%s in %d ms" % (
            hexs(rng, 14).upper(), d - 20)))
        return {"version": "58", "dur": d, "mem": rng.uniform(400, 450), "lines": lines}
    drive(sc, fl, inv, err, 0.1, -8400, make, n_envs=lambda t: 6 if t < T else 14)
    simple_fn(sc, "payment-refund", "java21", 1024, rinv, lambda t: jit(rng, 410, 0.1),
              lambda t, r, d: [java(sc, t + d / 1000, r, "INFO", "c.h.pay.RefundHandler", "refund queued for settlement "
                                    "(mode=%s)" % ("batch" if t >= -2000 else "instant"))], start=-6000, frac=0.5,
              version_fn=lambda t: "21")
    sc.lambda_change(-2000, "payment-refund", "UpdateFunctionConfiguration20150331v2", "jiwoo.park")
    sc.lambda_change(-2010, "payment-refund", "PublishVersion20150331", "jiwoo.park")
    sc.alarm("payment-capture-errors", "AWS/Lambda", "Errors", {"FunctionName": "payment-capture"}, "Sum", 60, 3, 10,
             after=T - 60, desc="card capture failures")
    sc.alarm("audit-trail-write-throttles", "AWS/DynamoDB", "WriteThrottleEvents", ad, "Sum", 60, 2, 10,
             state="OK", state_changed=-3300)
    sc.expect = {"alarm": "payment-capture-errors",
                 "root_cause": {"category": "dependency_failure", "resource": ["payment-capture"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "payment-capture"}},
                               {"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": "payment-capture"}}]}
    sc.meta = {"front": "origin (nearest in-account resource; the gateway is external)", "decoys": [
        "payment-refund env change + publish 5 min before onset",
        "audit-trail DynamoDB write-throttle burst (own alarm, back to OK) ~30 min before",
        "steady WARN 'Card BIN lookup cache miss'; Aurora healthy"],
        "story": "From -1700 s the external card gateway (api.hanpay-gateway.example) starts timing out (8 s read "
                 "timeout) or answering `503 acquirer link down`. payment-capture (SnapStart, alias live = 58, "
                 "unchanged) makes two attempts, then throws `PgGatewayException: capture failed ... after 2 attempts` "
                 "caused by `HttpTimeoutException: request timed out`; the Resilience4j breaker opens at times and "
                 "short-circuits calls with `CallNotPermittedException`. ~40% of captures fail, duration rises towards "
                 "~9-16 s on the timed-out ones (well below the 30 s function timeout), and the Aurora database, Lambda "
                 "concurrency and traffic are normal. The payment-refund config change is unrelated. Timeouts and 5xx "
                 "from a downstream HTTP dependency that is not exhausted: dependency_failure; the gateway is outside "
                 "the account, so the origin resource is the calling function payment-capture."}
    return sc
