"""h42-09 (Go orchestrator Lambda, logfmt, callee throttled at its reserved concurrency) and h42-10 (Node.js
Lambda with pino JSON lines, export runs into its 60 s timeout)."""
from __future__ import annotations

import json

from .common import (Rng, Stream, alarm, anchor_dt, arrivals, at, change, expect, iso_ms, lambda_invoke,
                     lambda_metrics, lambda_stream_name, ramp, scenario_doc, series, wave)


# ------------------------------------------------------------------ h42-09
def h42_09():
    rng = Rng(4209)
    anchor = anchor_dt(2026, 11, 25, 17, 50)
    region = "us-east-1"
    orch, callee = "settlement-orchestrator", "ledger-writer"
    cap_conc, dur_s = 20, 1.31
    capacity = cap_conc * 60 / dur_s  # invocations / minute the reserved concurrency can absorb
    demand = lambda t: 690 * wave(t, 14400, 0.06, 3.5) + ramp(t, -3000, -2300, 0, 430)  # noqa: E731
    q = lambda t: min(0.9, 1.2 * max(0.0, demand(t) - capacity) / demand(t))  # noqa: E731  P(attempt throttled)
    thr = lambda t: demand(t) * (q(t) + q(t) ** 2 + q(t) ** 3)  # noqa: E731
    over = lambda t: demand(t) > capacity  # noqa: E731
    batches = lambda t: demand(t) / 20  # noqa: E731
    failed = lambda t: batches(t) * (1 - (1 - q(t) ** 3) ** 20)  # noqa: E731

    oerr = series(rng, lambda t: failed(t) + 0.02, integer=True)
    metrics = lambda_metrics(orch, series(rng, batches, integer=True), oerr, series(rng, lambda t: 0, noise=0, nd=0),
                             series(rng, lambda t: 3900 + (9000 if over(t) else 0), noise=0.1, nd=2),
                             series(rng, lambda t: batches(t) * (3.9 + (9 if over(t) else 0)) / 60, noise=0.1, nd=0))
    metrics += lambda_metrics(callee, series(rng, lambda t: min(demand(t), capacity), integer=True),
                              series(rng, lambda t: 0.03, integer=True),
                              series(rng, thr, integer=True),
                              series(rng, lambda t: dur_s * 1000, noise=0.05, nd=2),
                              series(rng, lambda t: min(cap_conc, demand(t) * dur_s / 60), noise=0.03, nd=0, hi=cap_conc))
    metrics += lambda_metrics("statement-pdf", series(rng, lambda t: 11 * wave(t, 7200, 0.2), integer=True),
                              series(rng, lambda t: 0.05, integer=True), series(rng, lambda t: 0, noise=0, nd=0),
                              series(rng, lambda t: 2300 if t < -2900 else 2050, noise=0.1, nd=2),
                              series(rng, lambda t: 1, integer=True))

    og = f"/aws/lambda/{orch}"
    ostreams = [Stream(og, lambda_stream_name(anchor, rng)) for _ in range(4)]
    for t in arrivals(rng, -6000, 0, lambda t: batches(t) / 60 * 0.25):
        st = rng.choice(ostreams)
        rid = rng.uuid()
        bid = f"stl_{rng.hexs(12)}"
        merch = f"m_{rng.randint(10000, 99999)}"
        lt = lambda x: f"time={iso_ms(anchor, x)}"  # noqa: E731
        body = [(0.002, f'{lt(t + 0.002)} level=INFO msg="batch received" batch_id={bid} merchant={merch} items=20 '
                        f'currency={rng.choice(["USD", "USD", "CAD", "EUR"])} source=sqs:settlement-batches')]
        if rng.random() < 0.08:
            body.append((0.003, f'{lt(t + 0.003)} level=WARN msg="deprecated field in payload" field=legacy_merchant_ref '
                                f'batch_id={bid} source=partner-gw'))
        qq = q(t)
        off, fail = 0.01, False
        for item in range(1, 21):
            attempt = 0
            while rng.random() < qq:
                attempt += 1
                if attempt == 3:
                    req = rng.uuid()
                    body.append((off, f'{lt(t + off)} level=ERROR msg="batch failed" batch_id={bid} item={item} err="ledger '
                                      f"write: operation error Lambda: Invoke, exceeded maximum number of attempts, 3, https "
                                      f"response error StatusCode: 429, RequestID: {req}, TooManyRequestsException: Rate "
                                      f'Exceeded."'))
                    body.append((off + 0.001, json.dumps({"errorMessage": f"ledger write: operation error Lambda: Invoke, "
                                                                          f"exceeded maximum number of attempts, 3, https response "
                                                                          f"error StatusCode: 429, RequestID: {req}, "
                                                                          f"TooManyRequestsException: Rate Exceeded.",
                                                          "errorType": "wrapError"})))
                    fail = True
                    break
                back = [0.2, 0.45][attempt - 1] * rng.uniform(0.8, 1.6)
                body.append((off, f'{lt(t + off)} level=WARN msg="ledger write throttled, retrying" batch_id={bid} '
                                  f'item={item} attempt={attempt} backoff_ms={back * 1000:.0f} err="operation error Lambda: '
                                  f"Invoke, https response error StatusCode: 429, RequestID: {rng.uuid()}, "
                                  f'TooManyRequestsException: Rate Exceeded."'))
                off += back
            if fail:
                break
            off += dur_s * rng.uniform(0.15, 0.25)
        if not fail:
            body.append((off, f'{lt(t + off)} level=INFO msg="batch settled" batch_id={bid} merchant={merch} items=20 '
                              f'dur_ms={off * 1000:.0f}'))
        lambda_invoke(st, t, rid, off * 1000 + 4, 512, rng.randint(48, 61), body)
    cg = f"/aws/lambda/{callee}"
    cst = [Stream(cg, lambda_stream_name(anchor, rng)) for _ in range(5)]
    for t in arrivals(rng, -6000, 0, lambda t: min(demand(t), capacity) / 60 * 0.02):
        st = rng.choice(cst)
        rid = rng.uuid()
        d = dur_s * 1000 * rng.uniform(0.8, 1.2)
        ts = iso_ms(anchor, t + d / 1000 - 0.01)
        lambda_invoke(st, t, rid, d, 256, rng.randint(71, 78),
                      [(d / 1000 - 0.01, f"[INFO]\t{ts}\t{rid}\tposted ledger line {rng.hexs(16)} account=acct_{rng.randint(1000, 9999)} "
                                         f"amount_minor={rng.randint(100, 900000)} idempotent=false")])
    pdf = Stream("/aws/lambda/statement-pdf", lambda_stream_name(anchor, rng))
    for t in arrivals(rng, -6000, 0, lambda t: 11 / 60 * 0.1):
        rid = rng.uuid()
        lambda_invoke(pdf, t, rid, rng.uniform(1800, 2600), 1024, rng.randint(300, 360),
                      [(1.5, f"[INFO]\t{iso_ms(anchor, t + 1.5)}\t{rid}\trendered statement for merchant m_{rng.randint(10000, 99999)} pages={rng.randint(1, 9)}")])
    logs = ostreams + cst + [pdf]

    changes = [change(-2920, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "statement-pdf",
                      "codepipeline"),
               change(-2905, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "statement-pdf",
                      "codepipeline")]
    al = alarm("settlement-orchestrator-errors", "AWS/Lambda", "Errors", {"FunctionName": orch}, "Sum", 60, 3, 3,
               "GreaterThanThreshold", oerr, anchor, "Settlement batches failing")
    resources = [
        {"type": "lambda", "id": orch, "properties": {"runtime": "provided.al2023", "language": "go1.23", "timeout": 120,
                                                      "memory_size": 512, "trigger": "sqs:settlement-batches"}},
        {"type": "lambda", "id": callee, "properties": {"runtime": "python3.12", "timeout": 30, "memory_size": 256,
                                                        "reserved_concurrency": cap_conc, "invoked_by": orch}},
        {"type": "lambda", "id": "statement-pdf", "properties": {"runtime": "nodejs20.x", "timeout": 60, "memory_size": 1024}},
    ]
    doc = scenario_doc("h42-09-settlement-ledger-writer-throttled",
                       "Merchant settlement batches failing in the evening window; orchestrator Errors alarm.",
                       region, resources, metrics, logs, [al], changes,
                       expect(al["name"], "throttling", [callee],
                              [("AWS/Lambda", "Throttles", {"FunctionName": callee}),
                               ("AWS/Lambda", "Errors", {"FunctionName": orch})]))
    meta = {"region": region, "alarm": al["name"], "category": "throttling", "resources": [callee],
            "where": "front (calling Lambda)",
            "decoys": "statement-pdf deploy 48 min ago (healthy); steady 'deprecated field in payload' WARN; ledger-writer's "
                      "own log looks clean (throttled calls never reach it); demand up only ~1.6x, callee duration flat",
            "story": "settlement-orchestrator (Go, slog logfmt) calls ledger-writer synchronously for each of the 20 items in "
                     "a batch. As the evening settlement window raises the fan-out by about 60%, ledger-writer sits at its "
                     "reserved concurrency of 20 (ConcurrentExecutions flat at 20, Throttles climbing, Duration unchanged). "
                     "The orchestrator logs `ledger write throttled, retrying ... StatusCode: 429 ... TooManyRequestsException: "
                     "Rate Exceeded.` and, after the SDK's 3 attempts, `batch failed`, which is what its Errors alarm counts. "
                     "No change touches either function -> throttling, originating at ledger-writer's concurrency limit."}
    return "h42-09-settlement-ledger-writer-throttled", doc, meta


# ------------------------------------------------------------------ h42-10
def h42_10():
    rng = Rng(4210)
    anchor = anchor_dt(2026, 11, 26, 2, 10)
    region = "ap-northeast-1"
    fn = "report-export"
    onset = -2330
    big_rate = lambda t: (1.6 / 60 if t >= onset else 0)  # noqa: E731  big-tenant deliveries / s (incl. SQS redeliveries)
    small = lambda t: 6.5 * wave(t, 10800, 0.2, 0.7)  # noqa: E731  / min
    err = series(rng, lambda t: big_rate(t) * 60 + 0.01, integer=True)
    metrics = lambda_metrics(fn, series(rng, lambda t: small(t) + big_rate(t) * 60, integer=True), err,
                             series(rng, lambda t: 0, noise=0, nd=0),
                             series(rng, lambda t: (small(t) * 7400 + big_rate(t) * 60 * 60000) / (small(t) + big_rate(t) * 60),
                                    noise=0.08, nd=2, hi=60000.0),
                             series(rng, lambda t: (small(t) * 7.4 + big_rate(t) * 3600) / 60 + 0.3, integer=True))
    metrics += lambda_metrics("report-notifier", series(rng, lambda t: small(t) * 0.95, integer=True),
                              series(rng, lambda t: 0.02, integer=True), series(rng, lambda t: 0, noise=0, nd=0),
                              series(rng, lambda t: 310, noise=0.1, nd=2), series(rng, lambda t: 1, integer=True))
    epoch0 = int(anchor.timestamp() * 1000)
    g = f"/aws/lambda/{fn}"
    streams = [Stream(g, lambda_stream_name(anchor, rng)) for _ in range(5)]
    warm = set()

    def pino(t, level, rid, msg, **kw):
        rec = {"level": level, "time": epoch0 + int(t * 1000), "pid": 8, "hostname": "169.254.21.129", "reqId": rid}
        rec.update(kw)
        rec["msg"] = msg
        return json.dumps(rec, separators=(",", ":"))

    big_jobs = [f"exp_01JD{rng.hexs(10).upper()}" for _ in range(3)]
    jobs = [(t, False) for t in arrivals(rng, -7800, 0, lambda t: small(t) / 60 * 0.45)]
    jobs += [(t, True) for t in arrivals(rng, onset, 0, big_rate)]
    for t, big in sorted(jobs):
        st = rng.choice(streams)
        rid = rng.uuid()
        init = None
        body = []
        if id(st) not in warm:
            warm.add(id(st))
            st.add(t - 0.35, "INIT_START Runtime Version: nodejs:20.v44\tRuntime Version ARN: arn:aws:lambda:ap-northeast-1::runtime:"
                             "0b7e2c5f1a9d4e3b8c6f0a2d4e6b8c0f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b")
            st.add(t - 0.05, f"{iso_ms(anchor, t - 0.05)}\tundefined\tWARN\t(node:8) NOTE: The AWS SDK for JavaScript (v2) is in "
                             "maintenance mode.\n SDK releases are limited to address critical bugs and security issues only.\n\n"
                             "Please migrate your code to use AWS SDK for JavaScript (v3).\nFor more information, check the blog post "
                             "at https://a.co/cUPnyil\n(Use `node --trace-warnings ...` to show where the warning was created)")
            init = rng.uniform(410, 620)
        if big:
            exp = {"id": rng.choice(big_jobs), "tenant": "t_7731", "format": "xlsx", "range": "2024-01-01/2026-11-25"}
            total = 2412000 + rng.randint(0, 4000)
        else:
            exp = {"id": f"exp_01JD{rng.hexs(10).upper()}", "tenant": f"t_{rng.randint(1000, 9999)}",
                   "format": rng.choice(["csv", "csv", "xlsx"]), "range": "2026-11-01/2026-11-25"}
            total = rng.randint(4000, 90000)
        body.append((0.004, pino(t + 0.004, 30, rid, "export started", export=exp, rows_total=total)))
        if rng.random() < 0.05 and not big:
            body.append((0.005, pino(t + 0.005, 40, rid, "tenant locale missing, defaulting to en-US", tenant=exp["tenant"])))
        rate = rng.uniform(34000, 42000) if exp["format"] == "xlsx" else rng.uniform(90000, 120000)  # rows / s
        need = total / rate + 0.4
        parts = max(1, total // 60000)
        off = 0.01
        for p in range(min(parts, 40)):
            off += need / min(parts, 40) * 0.15 if not big else 0.25
            body.append((off, pino(t + off, 20 if not big else 30, rid, "s3 read",
                                   s3={"bucket": "acme-report-parquet", "key": f"{exp['tenant']}/part-{p:04d}.parquet",
                                       "bytes": rng.randint(2_000_000, 9_000_000), "ms": rng.randint(22, 70)})))
            if off > 8:
                break
        if big:
            done = 0
            for k in range(1, 6):
                tt = 10 * k
                done = int(rate * tt)
                body.append((tt, pino(t + tt, 30, rid, "export progress", export={"id": exp["id"], "tenant": "t_7731"},
                                      progress={"rows_done": done, "rows_total": total, "elapsed_ms": tt * 1000,
                                                "heap_used_mb": 310 + k * 31})))
            lambda_invoke(st, t, rid, 60000 + rng.uniform(20, 90), 1024, rng.randint(560, 640), body, init_ms=init,
                          status="timeout", anchor=anchor, timeout_s=60.0 + rng.uniform(0.02, 0.09))
        else:
            d = need * 1000 + rng.uniform(200, 600)
            body.append((d / 1000 - 0.01, pino(t + d / 1000 - 0.01, 30, rid, "export uploaded", export={"id": exp["id"]},
                                               s3={"bucket": "acme-report-exports", "key": f"{exp['tenant']}/{exp['id']}.{exp['format']}"},
                                               rows=total, duration_ms=round(d))))
            lambda_invoke(st, t, rid, d, 1024, rng.randint(180, 420), body, init_ms=init)
    nst = Stream("/aws/lambda/report-notifier", lambda_stream_name(anchor, rng))
    for t in arrivals(rng, -7800, 0, lambda t: small(t) / 60 * 0.3):
        rid = rng.uuid()
        lambda_invoke(nst, t, rid, rng.uniform(220, 420), 256, rng.randint(80, 92),
                      [(0.2, f"{iso_ms(anchor, t + 0.2)}\t{rid}\tINFO\tnotified {rng.randint(1, 4)} recipients for export exp_01JD{rng.hexs(10).upper()}")])
    logs = streams + [nst]

    changes = [change(-2510, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
                      "report-notifier", "k.tanaka")]
    al = alarm("report-export-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 4,
               "GreaterThanThreshold", err, anchor, "Report export failures (5 min)")
    resources = [
        {"type": "lambda", "id": fn, "properties": {"runtime": "nodejs20.x", "timeout": 60, "memory_size": 1024,
                                                    "trigger": "sqs:report-export-requests (visibility 90 s, maxReceiveCount 5)"}},
        {"type": "lambda", "id": "report-notifier", "properties": {"runtime": "nodejs20.x", "timeout": 10, "memory_size": 256}},
    ]
    doc = scenario_doc("h42-10-report-export-timeouts",
                       "Large customer's report export never arrives; report-export Errors alarm.",
                       region, resources, metrics, logs, [al], changes,
                       expect(al["name"], "function_timeout", [fn],
                              [("AWS/Lambda", "Duration", {"FunctionName": fn}), ("AWS/Lambda", "Errors", {"FunctionName": fn})]))
    meta = {"region": region, "alarm": al["name"], "category": "function_timeout", "resources": [fn],
            "where": "origin (Lambda)",
            "decoys": "report-notifier configuration change 42 min ago; AWS SDK v2 maintenance-mode NOTE at every cold start; "
                      "steady 'tenant locale missing' WARN",
            "story": "Tenant t_7731 requests a multi-year xlsx export (2.4 M rows). The Node.js function (pino JSON lines with "
                     "nested export/progress objects) streams parquet parts from S3 in tens of milliseconds each and reports "
                     "steady progress, but only ~40k rows/s, so each attempt ends with `Task timed out after 60.0x seconds` and "
                     "`Status: timeout` in REPORT; SQS redelivers the same export ids. No S3 or other dependency error, no "
                     "throttles, memory well under 1 GB, no change on the function -> function_timeout."}
    return "h42-10-report-export-timeouts", doc, meta
