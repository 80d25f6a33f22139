"""h16-09: a release ships native wheels built for the wrong CPU architecture; the function cannot start."""
from __future__ import annotations

import datetime as dt

import numpy as np

from . import aws
from .kit import N, TIMES, Scenario, counts, daily, jitter, step
from .logfmt import RUNTIME_VERSIONS, LambdaLogs, apigw_access, event_times, poisson_times, runtime_arn

META = {
    "file": "h16-09-release-ships-wrong-arch-wheels",
    "postmortem": "bad release artifact (native dependency built on a developer laptop for arm64, deployed to "
                  "x86_64) failing every cold start",
    "side": "origin (Lambda errors)",
    "decoys": "fx-cache-warmer environment change 3 min before the release; stale-rate warnings at a steady "
              "rate; quote-pdf unaffected",
    "story": (
        "gitlab-ci publishes version 14 of quote-pricing and moves the live alias to it (UpdateFunctionCode, "
        "PublishVersion, UpdateAlias). From the next invocation every init fails: 'Runtime.ImportModuleError: "
        "Unable to import module 'app': No module named 'pydantic_core._pydantic_core'' with INIT_REPORT "
        "Status: error, and every REPORT ends 'Status: error Error Type: Runtime.ImportModuleError'. Errors equal "
        "invocations, API Gateway returns 502 for /quotes. Nothing else changed on the function; a configuration "
        "change on fx-cache-warmer three minutes earlier concerns another function whose logs are clean (the "
        "config-beats-deploy rule only applies to the same fault). A code deployment with a new error signature "
        "right after it: bad_deployment of quote-pricing."),
}

API_ID = "r5tw1k8m0b"
IMPORT_ERR = ("[ERROR] Runtime.ImportModuleError: Unable to import module 'app': No module named "
              "'pydantic_core._pydantic_core'\nTraceback (most recent call last):")


def build(seed: int) -> Scenario:
    sc = Scenario("h16-09-release-ships-wrong-arch-wheels",
                  "Quote requests failing for all customers; quote-pricing errors alarm.",
                  "us-east-1", seed, dt.datetime(2026, 8, 18, 9, 20))
    D = -1260.0
    on = step(D + 15)
    day = daily(sc, peak_hour=15, depth=0.45)
    sc.resource("apigateway", "quotes-api", api_id=API_ID, stage="prod", endpoint_type="EDGE")
    sc.resource("lambda", "quote-pricing", runtime="python3.12", timeout=10, memory_size=1024,
                architectures=["x86_64"], alias="live", version="14")
    sc.resource("lambda", "quote-pdf", runtime="nodejs20.x", timeout=30, memory_size=1536)
    sc.resource("lambda", "fx-cache-warmer", runtime="python3.12", timeout=60, memory_size=256,
                environment={"CACHE_TTL_SECONDS": "600", "PAIRS": "USD,EUR,GBP,CAD,AUD,JPY"})

    inv = counts(sc, 13 * day)
    err = np.round(inv * on) + counts(sc, 0.01) * (1 - on)
    dur = np.where(on > 0, jitter(sc, 305, 0.05), jitter(sc, 96, 0.1))
    aws.lambda_metrics(sc, "quote-pricing", inv, err, dur)
    pinv = counts(sc, 3 * day)
    aws.lambda_metrics(sc, "quote-pdf", pinv, np.zeros(N), jitter(sc, 2300, 0.1))
    winv = np.array([1.0 if int((t + 21600) // 60) % 5 == 0 else 0.0 for t in TIMES])
    aws.lambda_metrics(sc, "fx-cache-warmer", winv, np.zeros(N), jitter(sc, 1200, 0.1), conc=winv)
    count = inv + pinv + counts(sc, 0.6 * day)
    e5 = err
    e4 = counts(sc, 0.5 * day)
    lat = np.where(on > 0, (inv * 330 + pinv * 2350) / np.maximum(inv + pinv, 1),
                   (inv * 120 + pinv * 2350) / np.maximum(inv + pinv, 1))
    aws.apigw_metrics(sc, "quotes-api", count, e4, e5, jitter(sc, lat, 0.05), integ=lat - 15)

    # --- quote-pricing logs: version 13 before, failing inits of version 14 after -----------------------------
    start = -5400.0
    v13 = LambdaLogs(sc, "quote-pricing", "python3.12", 1024, version="13")
    streams: list[list] = []
    for t in event_times(sc, inv, start):
        if t < D + 15:
            q = f"q_{sc.hexid(10)}"
            body = [(0.003, "INFO", f"Pricing quote {q}: {int(sc.rng.integers(1, 30))} line(s), "
                                    f"currency={sc.pick(['USD', 'USD', 'CAD', 'EUR'])}"),
                    (0.08, "INFO", f"Quote {q} priced total={sc.rng.uniform(50, 12000):.2f}")]
            if sc.rng.random() < 0.04:
                body.insert(1, (0.02, "WARNING", "FX rate for CAD older than 15 min, using cached value"))
            v13.invoke(t, float(sc.rng.gamma(8, 12)), body, mem_used=int(sc.rng.integers(118, 131)))
            continue
        if not streams or (len(streams) < 6 and sc.rng.random() < 0.15):
            streams.append([])
        ev = streams[int(sc.rng.integers(0, len(streams)))]
        rid = sc.uuid()
        arn = runtime_arn(sc, "python3.12")
        i1, i2 = sc.rng.uniform(240, 320), sc.rng.uniform(250, 330)
        ev.append((t, f"INIT_START Runtime Version: {RUNTIME_VERSIONS['python3.12']}\tRuntime Version ARN: {arn}"))
        ev.append((t + 0.2, IMPORT_ERR))
        ev.append((t + i1 / 1000, f"INIT_REPORT Init Duration: {i1:.2f} ms\tPhase: init\tStatus: error\t"
                                  f"Error Type: Runtime.ImportModuleError"))
        t2 = t + i1 / 1000 + 0.01
        ev.append((t2 + 0.2, IMPORT_ERR))
        ev.append((t2 + i2 / 1000, f"INIT_REPORT Init Duration: {i2:.2f} ms\tPhase: invoke\tStatus: error\t"
                                   f"Error Type: Runtime.ImportModuleError"))
        ev.append((t2 + 0.001, f"START RequestId: {rid} Version: 14"))
        te = t2 + i2 / 1000 + 0.005
        ev.append((te, f"END RequestId: {rid}"))
        ev.append((te + 0.001, f"REPORT RequestId: {rid}\tDuration: {i2 + 6:.2f} ms\tBilled Duration: {int(i2 + 7)} ms"
                               f"\tMemory Size: 1024 MB\tMax Memory Used: {int(sc.rng.integers(36, 41))} MB\t"
                               f"Status: error\tError Type: Runtime.ImportModuleError"))
    v13.flush()
    for ev in streams:
        sc.log("/aws/lambda/quote-pricing", f"{sc.clock(D, '%Y/%m/%d')}/[14]{sc.hexid(32)}", ev)
    pdf = LambdaLogs(sc, "quote-pdf", "nodejs20.x", 1536)
    for t in event_times(sc, pinv, start):
        pdf.invoke(t, float(sc.rng.normal(2300, 200)), [(0.01, "INFO", f"Rendering quote PDF q_{sc.hexid(10)}"),
                                                        (2.2, "INFO", "PDF uploaded to s3://quotes-pdf-prod/")],
                   mem_used=int(sc.rng.integers(300, 420)))
    pdf.flush()
    fx = LambdaLogs(sc, "fx-cache-warmer", "python3.12", 256, idle_reclaim=400)
    for t in event_times(sc, winv, start):
        ttl = 600 if t > D - 200 else 300
        fx.invoke(t, float(sc.rng.normal(1200, 100)),
                  [(0.01, "INFO", f"Refreshing 6 FX pairs (ttl={ttl}s)"), (1.1, "INFO", "FX cache refreshed")],
                  mem_used=71)
    fx.flush()
    ev = []
    for t in poisson_times(sc, 9 * day, -3600):
        pricing = sc.rng.random() < 0.8
        fail = pricing and t >= D + 15
        st = 502 if fail else 200
        lat = int(sc.rng.normal(330, 20)) if fail else int(sc.rng.gamma(6, 20) if pricing else sc.rng.normal(2350, 150))
        ev.append((t, apigw_access(sc, t, API_ID, "POST", "/quotes" if pricing else "/quotes/{id}/pdf", st, lat,
                                   lat - 15, length=int(sc.rng.integers(100, 3000)), ua="insurquote-portal/4.2",
                                   err="Internal server error" if fail else "-")))
    sc.log(f"API-Gateway-Access-Logs_{API_ID}/prod", "access", ev)
    sc.change(-90000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "quote-pricing", "gitlab-ci")
    sc.change(D - 200, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "fx-cache-warmer", "mlee")
    sc.change(D - 30, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "quote-pricing", "gitlab-ci")
    sc.change(D - 12, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "quote-pricing",
              "gitlab-ci")
    sc.change(D, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Alias", "quote-pricing:live",
              "gitlab-ci")
    fn = {"FunctionName": "quote-pricing"}
    sc.alarm_on("quote-pricing-errors", "AWS/Lambda", "Errors", fn, err, "Sum", 60, 3, 3, "GreaterThanThreshold",
                description="quote-pricing function errors")
    sc.alarm_on("quotes-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "quotes-api"}, e5, "Sum", 300, 1, 20,
                "GreaterThanThreshold", description="quotes-api 5XX")
    sc.set_expect("quote-pricing-errors", "bad_deployment", ["quote-pricing"],
                  [("AWS/Lambda", "Errors", fn), ("AWS/ApiGateway", "5XXError", {"ApiName": "quotes-api"})])
    return sc
