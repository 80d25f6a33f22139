"""h55-09 (.NET Lambda at its reserved concurrency behind a REST API) and h55-10 (Python Lambda reaching its timeout)."""
from __future__ import annotations

from . import blocks, fmt, lam, svc
from .kit import LOG_START, T, Scenario, hexid, morning, rid, series, sig, window

GIB = 1024 ** 3


# ------------------------------------------------------------------ h55-09
def s09():
    region = "ap-northeast-1"
    scn = Scenario("payouts-api-5xx", region, 5509, "Merchants' payout submissions failing with HTTP 500; payouts-api 5XX alarm.")
    rng = scn.rng
    run = -2100                           # the 20th-of-the-month payout run ramps up
    limit, mean = 8, 11500.0
    demand = lambda t: 19 * morning(t) * (1 + 2.0 * sig(t, run + 150, 90))   # noqa: E731
    cfg = -2400
    scn.resource("apigateway", "payouts-api", rest_api_id="k3v9q2xw1m", stage="prod", integration="lambda-proxy:payout-writer")
    scn.resource("lambda", "payout-writer", runtime="dotnet8", timeout=30, memory_size=1024, reserved_concurrency=limit,
                 handler="Payouts.Writer::Payouts.Writer.Function::Handler",
                 environment={"LEDGER_DB_HOST": "payouts-db.c5n2k8w3vq1r.ap-northeast-1.rds.amazonaws.com"})
    scn.resource("lambda", "payout-notifier", runtime="dotnet8", timeout=15, memory_size=512, handler="Payouts.Notifier::Payouts.Notifier.Function::Handler",
                 event_source="sns:payout-events")
    scn.resource("rds", "payouts-db", engine="postgres", engine_version="15.6", instance_class="db.r6g.large", max_connections=800,
                 allocated_storage_gb=300)

    def writer(rng_, t, r):
        po, m = f"po_{rng_.randint(10**7, 10**8)}", f"m_{rng_.randint(1000, 9999)}"
        d = rng_.gauss(mean, 1800)
        lines = [(6, fmt.dotnet("info", t + 0.006, r, f"Received payout request {po} merchant={m} items={rng_.randint(1, 60)}"))]
        if rng_.random() < 0.05:
            lines.append((30, fmt.dotnet("warn", t + 0.03, r, f"FX quote cache miss for {rng_.choice(['JPY/USD', 'JPY/EUR', 'JPY/KRW'])}, fetching from treasury service")))
        pages = rng_.randint(1, 9)
        lines.append((d * 0.7, fmt.dotnet("info", t + d * 0.0007, r, f"Remittance advice rendered for {po} ({pages} page{'s' if pages > 1 else ''}), signing")))
        lines.append((d - 3, fmt.dotnet("info", t + d / 1000 - 0.003, r, f"Payout {po} written to ledger (seq {rng_.randint(10**6, 10**7)}) amount={rng_.randint(1000, 900000):,} JPY")))
        return d, rng_.randint(210, 260), "ok", lines
    res = lam.simulate(scn, "payout-writer", memory=1024, timeout_s=30, rate=demand, handler=writer, streams=4, limit=limit,
                       mean_dur=lambda t: mean, log_from=-7800, init_ms=(650.0, 1150.0))

    def notifier(rng_, t, r):
        return rng_.uniform(80, 260), rng_.randint(120, 140), "ok", [
            (5, fmt.dotnet("info", t + 0.005, r, f"Notified merchant m_{rng_.randint(1000, 9999)} of payout po_{rng_.randint(10**7, 10**8)} via {rng_.choice(['email', 'webhook'])}"))]
    lam.simulate(scn, "payout-notifier", memory=512, timeout_s=15, rate=lambda t: 10 * morning(t), handler=notifier, streams=2,
                 recycle=(cfg,), log_from=-7800)

    inv, thr = res["inv"], res["thr"]
    count = [i + th for i, th in zip(inv, thr)]
    e4 = [float(round(c * 0.02 * rng.uniform(0.3, 1.7))) for c in count]
    e5 = [th + float(rng.random() < 0.05) for th in thr]
    lat = [round((d or mean) * (i / max(1, c)) + 35 * (th / max(1, c)) + rng.uniform(20, 40), 2) for d, i, th, c in zip(res["dur"], inv, thr, count)]
    blocks.apigw(scn, "payouts-api", count=count, e4xx=e4, e5xx=e5, latency=lat,
                 integ=[round(max(0.0, v - rng.uniform(15, 30)), 2) for v in lat])
    blocks.rds(scn, "payouts-db", cpu=series(rng, lambda t: 16 * morning(t) + 48 * window(t, -7400, -6900, 60), 0.08),
               conns=series(rng, lambda t: 20 + 10 * morning(t), 0.08, integer=True),
               free_storage=series(rng, lambda t: 188 * GIB, 0.0005), freeable_mem=series(rng, lambda t: 6.8 * GIB, 0.01))

    ev = []
    for t, n in zip(T, thr):
        if t < -7800 or not n:
            continue
        for _ in range(int(n)):
            tt = rng.uniform(t, t + 60)
            req = rid(rng)
            ev.append((tt, fmt.apigw(req, f"Lambda invocation failed with status: 429. Lambda request id: {rid(rng)}")))
            ev.append((tt + 0.002, fmt.apigw(req, "Execution failed due to configuration error: Rate Exceeded.")))
            ev.append((tt + 0.003, fmt.apigw(req, "Method completed with status: 500")))
    for t, _ in svc.sampled(rng, -7800, -1, 0.45, lambda t: None):
        req = rid(rng)
        ev.append((t, fmt.apigw(req, "Request body does not match model schema for content type application/json: [object has missing required properties ([\"currency\"])]")))
        ev.append((t + 0.001, fmt.apigw(req, "Method completed with status: 400")))
    scn.log("API-Gateway-Execution-Logs_k3v9q2xw1m/prod", hexid(rng, 32), [e for e in ev if e[0] < -0.05])

    scn.change(cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "payout-notifier", "kenji.sato")
    scn.change(-14500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "payout-writer", "ci-deployer")

    d = {"ApiName": "payouts-api"}
    scn.alarm("payouts-api-5xx", "AWS/ApiGateway", "5XXError", d, "Sum", 300, 2, 20, state="ALARM", description="payouts-api 5XX responses")
    scn.alarm("payout-writer-errors", "AWS/Lambda", "Errors", {"FunctionName": "payout-writer"}, "Sum", 60, 3, 3, state="OK")
    expect = {"alarm": "payouts-api-5xx",
              "root_cause": {"category": "throttling", "resource": ["payout-writer"]},
              "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": {"FunctionName": "payout-writer"}},
                            {"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": d}]}
    meta = {"slug": "payouts-api-5xx", "alarm": "payouts-api-5xx", "where": "front (API Gateway)",
            "decoys": ["payout-notifier environment change 40 min ago, just before the ramp (another function, clean)",
                       "payouts-db CPU bump two hours earlier (nightly vacuum) that cleared",
                       "constant 400 'does not match model schema' in the API execution log and FX cache-miss warnings"],
            "story": ("It is the 20th, payout day: from 08:35 the demand on payout-writer (.NET 8, about 11.5 s per payout) rises to "
                      "about three times the morning level, as on every payout day, but the function has reserved concurrency 8 (set long ago). "
                      "ConcurrentExecutions sits at 8, the Throttles metric rises to 15-25 a minute, and the REST API's "
                      "execution log shows 'Lambda invocation failed with status: 429' / 'Rate Exceeded' / 'Method completed "
                      "with status: 500' - API Gateway maps Lambda throttles to 500, so the 5XX alarm fires on the API. The "
                      "function itself has no errors, its duration is unchanged, and the database is quiet. Judgement: "
                      "throttling of payout-writer.")}
    return scn, expect, meta


# ------------------------------------------------------------------ h55-10
def s10():
    region = "eu-west-3"
    scn = Scenario("statement-pdf-builder-errors", region, 5510, "Month-end statements not generated for enterprise customers; Errors alarm.")
    rng = scn.rng
    big = -2450                           # enterprise-tier statement batch starts (huge accounts)
    timeout = 120
    mailer_dep = -1500
    scn.resource("lambda", "statement-pdf-builder", runtime="python3.12", timeout=timeout, memory_size=2048, handler="builder.handler",
                 event_source="s3:acme-statements-requests", environment={"OUTPUT_BUCKET": "acme-statements-pdf", "FONT_DIR": "/opt/fonts"})
    scn.resource("lambda", "statement-mailer", runtime="python3.12", timeout=60, memory_size=256, handler="mailer.handler",
                 event_source="s3:acme-statements-pdf")

    def build(rng_, t, r):
        enterprise = t >= big and rng_.random() < 0.45
        pages = rng_.randint(1100, 2600) if enterprise else rng_.randint(2, 120)
        tx = pages * rng_.randint(25, 32)
        acct = f"acc_{rng_.randint(10**5, 10**6)}"
        lines = [(12, fmt.py("INFO", t + 0.012, r, f"Rendering statement stmt_2026_11_{acct} for {acct} (pages={pages}, transactions={tx:,})"))]
        if rng_.random() < 0.1:
            lines.append((300, fmt.py("WARNING", t + 0.3, r, "Missing glyph U+20B9 in font 'Inter', falling back to 'DejaVuSans'")))
        per_page = rng_.uniform(0.085, 0.11)
        d = pages * per_page * 1000 + rng_.uniform(800, 1500)
        used = int(min(1500, 230 + pages * 0.45))
        step = 200 if pages > 400 else 50
        for p in range(step, pages, step):
            off = p * per_page * 1000
            if off > timeout * 1000:
                break
            lines.append((off, fmt.py("INFO", t + off / 1000, r, f"Rendered page {p}/{pages}")))
        if d > timeout * 1000:
            return d, used, "timeout", lines
        lines.append((d - 300, fmt.py("INFO", t + d / 1000 - 0.3, r, f"Uploaded s3://acme-statements-pdf/2026-11/{acct}.pdf ({pages} pages, {pages * 61 // 1024 + 1} MB)")))
        return d, used, "ok", lines
    lam.simulate(scn, "statement-pdf-builder", memory=2048, timeout_s=timeout, handler=build, streams=4,
                 rate=lambda t: 4.5 * morning(t) + 2.0 * sig(t, big, 60), init_ms=(900.0, 1600.0))

    def mail(rng_, t, r):
        lines = [(8, fmt.py("INFO", t + 0.008, r, f"Sending statement email for acc_{rng_.randint(10**5, 10**6)}"))]
        if rng_.random() < 0.06:
            lines.append((90, fmt.py("ERROR", t + 0.09, r, "MessageRejected: Email address is not verified. The following identities failed the check in region EU-WEST-3: billing@old-customer-domain.fr (recipient skipped)")))
        return rng_.uniform(150, 400), rng_.randint(80, 95), "ok", lines
    lam.simulate(scn, "statement-mailer", memory=256, timeout_s=60, handler=mail, rate=lambda t: 4.5 * morning(t), streams=2,
                 recycle=(mailer_dep,))

    scn.change(mailer_dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "statement-mailer", "ci-deployer")
    scn.change(mailer_dep + 12, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "statement-mailer", "ci-deployer")
    scn.change(-12600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "statement-pdf-builder", "ci-deployer")

    d = {"FunctionName": "statement-pdf-builder"}
    scn.alarm("statement-pdf-builder-errors", "AWS/Lambda", "Errors", d, "Sum", 300, 2, 3, state="ALARM",
              description="statement-pdf-builder errors")
    scn.alarm("statement-mailer-errors", "AWS/Lambda", "Errors", {"FunctionName": "statement-mailer"}, "Sum", 300, 1, 5, state="OK")
    _ = LOG_START
    expect = {"alarm": "statement-pdf-builder-errors",
              "root_cause": {"category": "function_timeout", "resource": ["statement-pdf-builder"]},
              "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": d},
                            {"namespace": "AWS/Lambda", "name": "Duration", "dimensions": d}]}
    meta = {"slug": "statement-pdf-builder-errors", "alarm": "statement-pdf-builder-errors", "where": "origin",
            "decoys": ["statement-mailer deploy 25 min ago (the most recent change, downstream of the builder)",
                       "constant handled 'MessageRejected: Email address is not verified' ERROR in statement-mailer",
                       "steady 'Missing glyph' warnings in the builder; builder's own deploy 3.5 h earlier"],
            "story": ("At 08:29 the enterprise-tier month-end batch reached statement-pdf-builder: statements of 1,100-2,600 pages "
                      "instead of the usual handful. Rendering is CPU-bound at about 0.1 s per page, so these invocations log "
                      "'Rendered page 1000/1830' and then 'Task timed out after 120.xx seconds' (REPORT Status: timeout, "
                      "Duration 120000 ms). There are no dependency errors (no S3, network or database failures) and memory "
                      "stays well below 2048 MB. The mailer deploy is downstream and after the onset; its MessageRejected "
                      "errors are constant. Judgement: function_timeout of statement-pdf-builder.")}
    return scn, expect, meta
