"""h97-09 (badge API -> DynamoDB counters, Node) and h97-10 (README-to-HTML renderer Lambda, Python)."""
from __future__ import annotations

import json

from .base import (LambdaLogs, apigw_metrics, bump, diurnal, emit, lam_metrics, lambda_run, meta,
                   new, put, ramp, step)

PKGS = ["kiln-core", "tslab-utils", "vendo-cli", "fastq", "yaml-lite", "graphy-schema",
        "acme-button", "semver-tools", "uuid-mini", "deep-merge2", "tiny-router"]


def build_09():
    sc = new(9, "badges-broken", "README badges are intermittently broken images; the badge "
             "API's 5xx alarm fired.", "us-west-2", "2026-03-22T20:30:00")
    rng = sc.rng
    api, api_id, fn, table = "badge-gw", "b4dg3x91kz", "badge-svg", "badge-counters"
    sc.resource("apigateway", api, api_id=api_id, stage="live", integration="lambda-proxy:badge-svg")
    sc.resource("lambda", fn, runtime="nodejs22.x", timeout=5, memory_size=256,
                environment_keys=["COUNTER_TABLE", "CACHE_TTL"])
    sc.resource("apigateway", "docs-gw", api_id="d0c5gw7m2p", stage="prod")
    sc.resource("lambda", "readme-html", runtime="nodejs20.x", timeout=30, memory_size=512)
    onset = -1900
    hot = lambda t: ramp(t, onset - 120, onset + 240)
    cnt = lambda t: 2200 * diurnal(sc, t, 19, 0.2) * (1 + 0.12 * hot(t))
    frac = lambda t: 0.002 + 0.11 * hot(t)
    apigw_metrics(sc, api, cnt, lambda t: 0.015 * cnt(t), lambda t: frac(t) * cnt(t),
                  lambda t: 38 + 120 * hot(t))
    lam_metrics(sc, fn, cnt, lambda t: frac(t) * cnt(t), lambda t: 24 + 110 * hot(t))
    apigw_metrics(sc, "docs-gw", lambda t: 300 * diurnal(sc, t, 19, 0.2), lambda t: 3.0, lambda t: 0.1,
                  lambda t: 95.0)
    lam_metrics(sc, "readme-html", lambda t: 40.0, lambda t: 0.1, lambda t: 300.0)
    d = {"TableName": table}
    put(sc, "AWS/DynamoDB", "ProvisionedWriteCapacityUnits", d, "Count", lambda t: 500.0, noise=0.0)
    put(sc, "AWS/DynamoDB", "ConsumedWriteCapacityUnits", d, "Count",
        lambda t: 60 * 270 * diurnal(sc, t, 19, 0.2) * (1 + 0.1 * hot(t)), noise=0.04, digits=0)
    put(sc, "AWS/DynamoDB", "WriteThrottleEvents", d, "Count", lambda t: 0.6 * frac(t) * cnt(t) * 3,
        integer=True)
    put(sc, "AWS/DynamoDB", "ThrottledRequests", {**d, "Operation": "UpdateItem"}, "Count",
        lambda t: frac(t) * cnt(t) * 3, integer=True)
    put(sc, "AWS/DynamoDB", "SuccessfulRequestLatency", {**d, "Operation": "UpdateItem"},
        "Milliseconds", lambda t: 4.1 + 0.6 * hot(t), noise=0.08, digits=2)
    hotpkg = "vendo-cli"

    def body(ll, t, rid, is_err, cold):
        pkg = hotpkg if (hot(t) > 0.5 and rng.random() < 0.5) or is_err else rng.choice(PKGS)
        style = rng.choice(["flat", "flat-square", "for-the-badge"])
        lines = []
        if rng.random() < 0.03:
            lines.append((0.002, ll.fmt(t, rid, "WARN", "unknown badge style \"flat-squareish\", "
                                        "falling back to flat")))
        if is_err:
            err = {"errorType": "ProvisionedThroughputExceededException",
                   "errorMessage": "The level of configured provisioned throughput for the table was "
                   "exceeded. Consider increasing your provisioning level with the UpdateTable API.",
                   "name": "ProvisionedThroughputExceededException", "$fault": "client",
                   "$metadata": {"httpStatusCode": 400, "attempts": 3, "totalRetryDelay": 412},
                   "key": {"pk": f"pkg#{pkg}", "sk": "downloads#week"},
                   "stack": ["ProvisionedThroughputExceededException: The level of configured "
                             "provisioned throughput for the table was exceeded.",
                             "    at de_ProvisionedThroughputExceededExceptionRes (/var/runtime/"
                             "node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js:2612:21)",
                             "    at async bumpCounter (/var/task/src/counter.mjs:18:3)",
                             "    at async Runtime.handler (/var/task/index.mjs:27:5)"]}
            lines.append((0.41, ll.fmt(t + 0.41, rid, "ERROR", "Invoke Error \t" +
                                       json.dumps(err, separators=(",", ":")))))
            return {"lines": lines, "dur": rng.uniform(400, 520)}
        if rng.random() < 0.015:
            lines.append((0.004, ll.fmt(t, rid, "INFO", f"404 unknown package \"{pkg}-x\"")))
            return {"lines": lines, "dur": 6.0}
        dd = rng.uniform(12, 40) + (rng.uniform(40, 160) if pkg == hotpkg and hot(t) > 0.5 else 0)
        lines.append((dd / 1000, ll.fmt(t, rid, "INFO", f"badge pkg={pkg} kind=downloads style={style} "
                                        f"ms={dd:.0f}")))
        return {"lines": lines, "dur": dd + 2}

    ll = LambdaLogs(sc, fn, "nodejs22.x", 256, 5, mem_used=(88, 6))
    lambda_run(ll, lambda t: 6.0, frac, body)
    eg, es = f"API-Gateway-Execution-Logs_{api_id}/live", sc.hexid(32)
    emit(sc, eg, es, lambda t: 2.0, lambda ts: (
        f"({sc.uuid()}) Method completed with status: "
        f"{502 if rng.random() < frac(ts) else (404 if rng.random() < 0.015 else 200)}"), start=-3 * 3600)
    sc.change(-7000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "readme-html", "m.lindqvist")
    sc.change(-1985, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage",
              "docs-gw/prod", "terraform-ci")
    sc.change(-1980, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment",
              "docs-gw", "terraform-ci")
    sc.alarm("badge-gw-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 20,
             "GreaterThanThreshold", "Badge API server errors")
    sc.alarm("docs-gw-latency", "AWS/ApiGateway", "Latency", {"ApiName": "docs-gw"}, "Average", 300, 2,
             1000, "GreaterThanThreshold")
    sc.expect = {"alarm": "badge-gw-5xx",
                 "root_cause": {"category": "throttling", "resource": [fn, table]}}
    meta(sc, front="front (API Gateway; origin is the Lambda's DynamoDB counter table / the Lambda)",
         decoys="docs-gw stage update and deployment 85 s before onset; unknown-style warnings and "
         "404s for hours; request volume up only ~12 %",
         services="API Gateway, Lambda, DynamoDB (metrics only)", runtime="Node.js 22",
         logfmt="Lambda Node text + JSON",
         story="From -32 min badge-svg fails ~11 % of invocations with `ProvisionedThroughputExceeded"
         "Exception` after three SDK attempts, almost all on the key `pkg#vendo-cli`; the counter "
         "table's ThrottledRequests/WriteThrottleEvents rise from zero although consumed WCU stay near "
         "55 % of the 500 provisioned (one hot partition). Traffic is only ~12 % above its trend, so this "
         "is throttling rather than a surge. The docs-gw stage deployment just before is on another "
         "API whose metrics do not move.")
    return sc


def build_10():
    sc = new(10, "readme-render-failures", "README HTML for new package versions is missing; the "
             "renderer's error alarm fired.", "eu-west-1", "2026-03-23T04:20:00")
    rng = sc.rng
    fn = "md-to-html"
    sc.resource("lambda", fn, runtime="python3.12", timeout=20, memory_size=1024, trigger="sqs:render-jobs")
    sc.resource("lambda", "og-card", runtime="nodejs20.x", timeout=10, memory_size=512)
    onset = -1900
    spike = lambda t: bump(t, -12300, -11400, 60, 120)
    inv = lambda t: 38 + spike(t)
    tfrac = lambda t: 0.28 * step(t, onset, 0, 1, 120)
    lam_metrics(sc, fn, inv, lambda t: tfrac(t) * inv(t),
                lambda t: 950 * (1 - tfrac(t)) + 20000 * tfrac(t) + 200 * spike(t) / 60)
    lam_metrics(sc, "og-card", lambda t: 25.0, lambda t: 0.1, lambda t: 640.0)
    mono = ["@kiln/api-" + w for w in ("core", "http", "cli", "schema", "auth", "store", "events")]

    def body(ll, t, rid, is_err, cold):
        s3ms = rng.randint(18, 60)
        if is_err:
            pkg = rng.choice(mono)
            size = rng.randint(7_800_000, 9_900_000)
            return {"lines": [(0.003, ll.fmt(t, rid, "INFO", f"render job pkg={pkg}@3.0.0 source=s3")),
                              (s3ms / 1000, ll.fmt(t + s3ms / 1000, rid, "INFO",
                                                   f"fetched README {size} bytes in {s3ms} ms")),
                              (0.09, ll.fmt(t + 0.09, rid, "INFO", "markdown: 1 tables, 48211 rows, "
                                            "extensions=[tables, autolink, toc, codehilite]"))],
                    "dur": 0, "status": "timeout", "mem": rng.randint(610, 780)}
        pkg = rng.choice(PKGS)
        ver = f"{rng.randint(0, 6)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}"
        lines = [(0.003, ll.fmt(t, rid, "INFO", f"render job pkg={pkg}@{ver} source=s3"))]
        r = rng.random()
        if r < 0.03:
            lines.append((0.05, ll.fmt(t + 0.05, rid, "ERROR", f"README not found for {pkg}@{ver} "
                                       "(NoSuchKey), skipping")))
            return {"lines": lines, "dur": rng.uniform(50, 90)}
        size = rng.randint(800, 60_000) if r < 0.95 else rng.randint(300_000, 1_500_000)
        lines.append((s3ms / 1000, ll.fmt(t + s3ms / 1000, rid, "INFO",
                                          f"fetched README {size} bytes in {s3ms} ms")))
        if rng.random() < 0.05:
            lines.append((0.2, ll.fmt(t + 0.2, rid, "WARNING", "unknown code fence language "
                                      "'mermaid', rendering as plain text")))
        d = 300 + size / 400 + rng.uniform(0, 500)
        lines.append((d / 1000 - 0.01, ll.fmt(t + d / 1000, rid, "INFO", f"wrote html/{pkg}/{ver}/"
                                              f"readme.html ({int(size * 1.3)} bytes)")))
        return {"lines": lines, "dur": d}

    ll = LambdaLogs(sc, fn, "python3.12", 1024, 20, mem_used=(210, 30))
    lambda_run(ll, lambda t: 4.0 + spike(t) / 12, tfrac, body, start=-5 * 3600)
    og = LambdaLogs(sc, "og-card", "nodejs20.x", 512, 10, retire=[-1950], mem_used=(190, 12))
    lambda_run(og, lambda t: 1.5, lambda t: 0.0, lambda ll, t, rid, e, c: {
        "lines": [(0.6, ll.fmt(t + 0.6, rid, "INFO", f"og card rendered for {rng.choice(PKGS)}"))],
        "dur": rng.uniform(500, 800)}, start=-3 * 3600)
    sc.change(-1950, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "og-card", "r.haddad")
    sc.alarm("md-to-html-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 20,
             "GreaterThanThreshold", "README renderer failures")
    sc.alarm("og-card-errors", "AWS/Lambda", "Errors", {"FunctionName": "og-card"}, "Sum", 300, 1, 10,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "md-to-html-errors",
                 "root_cause": {"category": "function_timeout", "resource": [fn]}}
    meta(sc, front="origin (the Lambda)",
         decoys="og-card configuration update 50 s before onset; README-not-found errors and mermaid "
         "warnings for hours; a nightly reindex invocation spike 3.4 h earlier without a single timeout",
         services="Lambda", runtime="Python 3.12", logfmt="Lambda Python text",
         story="From -32 min about 28 % of md-to-html invocations end in `Task timed out after 20.00 "
         "seconds` (REPORT `Status: timeout`, Duration ~20000 ms). Every one of them is a @kiln/api-* "
         "3.0.0 README of 8-10 MB with a 48k-row table; the S3 fetch completes in tens of "
         "milliseconds, so no dependency is slow, and memory stays well below 1024 MB. Nothing about "
         "md-to-html changed; og-card's config update just before is a different function, and the "
         "earlier reindex spike shows volume alone does not cause timeouts.")
    return sc


BUILDERS = [build_09, build_10]
