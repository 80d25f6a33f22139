"""Scenarios 13-14: Node statement renderer OOM-killed on large accounts; Go webhook panics on new data."""
import json

from .common import Ctx, Scenario, grid, diurnal, ramp
from .lam import Fn, drive, drive_workers, apigw
from .s01_03 import ln


def s13():
    c = Ctx(4813)
    sc = Scenario(c, "h48-13-statement-renderer-oom", "eu-west-3",
                  "Monthly statement run failing for part of the accounts; statement-renderer Errors alarm.")
    T, RUN = grid(6), -3600
    sc.res("lambda", "statement-renderer", runtime="nodejs20.x", memory_size=1024, timeout=120,
           event_source="sqs:statement-jobs", batch_size=1, maximum_concurrency=6, lambda_insights=True)
    sc.res("lambda", "statement-mailer", runtime="python3.12", memory_size=256, timeout=30,
           event_source="s3:acme-statements/rendered/")
    sc.change(-3000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "statement-mailer", "l.moreau")
    fn = Fn(sc, "statement-renderer", "nodejs20.x", 1024, 120, log_from=-7200)
    mem_max = {}

    def spec(t, cold, rid):
        acct = "ACC-%s" % c.digits(8)
        big = t >= RUN and c.r.random() < 0.13
        ntx = c.r.randint(26000, 61000) if big else c.r.randint(40, 2400)
        lines = [(4, "INFO", "render statement account=%s period=2026-02 transactions=%d" % (acct, ntx))]
        if c.r.random() < 0.05:
            lines.append((300, "WARN", "font fallback: glyph U+20BF not in NotoSans-Regular, using NotoSansSymbols2"))
        m = t - (t % 60)
        if big:
            d = ln(c, 21000, 0.25)
            lines += [(d * 0.35, "INFO", "loaded %d transactions for %s (heapUsed=%dMB)" % (ntx, acct, c.r.randint(540, 690))),
                      (d * 0.7, "INFO", "layout pass 1/2 for %s: %d pages" % (acct, ntx // 38))]
            mem_max[m] = 100.0
            return {"duration": d, "outcome": "oom", "mem": 1024, "lines": lines, "init": ln(c, 820, 0.15)}
        d = ln(c, 1800 + ntx * 1.6, 0.25)
        used = int(190 + ntx * 0.09 + c.r.randint(0, 60))
        mem_max[m] = max(mem_max.get(m, 0), 100.0 * used / 1024)
        lines += [(d - 40, "INFO", "wrote s3://acme-statements/rendered/2026-02/%s.pdf (%d pages, %d KB)"
                   % (acct, max(1, ntx // 38), 40 + ntx // 9))]
        return {"duration": d, "mem": used, "lines": lines, "init": ln(c, 820, 0.15)}

    drive(fn, [t for t in T if t < RUN], lambda t: 0.8 * diurnal(t, 0.2, 0.5), spec)
    drive_workers(fn, [RUN + c.r.uniform(2, 25) for _ in range(6)], -2, spec)
    fn.flush_logs()
    fn.emit_metrics(T)
    sc.metric("LambdaInsights", "memory_utilization", {"function_name": "statement-renderer"}, "Percent", T,
              [mem_max.get(t) for t in T])
    ml = Fn(sc, "statement-mailer", "python3.12", 256, 30, log_from=-7200)
    ml.reconfigure(-2998)

    def mspec(t, cold, rid):
        d = ln(c, 380, 0.25)
        return {"duration": d, "mem": c.r.randint(74, 88), "lines": [
            (3, "INFO", "S3 event rendered/2026-02/ACC-%s.pdf" % c.digits(8)),
            (d - 3, "INFO", "queued statement e-mail via SES configuration-set=statements-v2 template=monthly_statement_fr")]}

    drive(ml, T, lambda t: 0.8 * diurnal(t, 0.2, 0.5) + (9.0 if t >= RUN + 60 else 0.0), mspec)
    ml.flush_logs()
    ml.emit_metrics(T)
    sc.alarm("statement-renderer-errors", "AWS/Lambda", "Errors", {"FunctionName": "statement-renderer"}, "Sum",
             300, 1, 5, "GreaterThanThreshold", "Statement renderer failures")
    sc.set_expect("statement-renderer-errors", "memory_exhaustion", ["statement-renderer"], [
        ("AWS/Lambda", "Errors", {"FunctionName": "statement-renderer"}),
        ("LambdaInsights", "memory_utilization", {"function_name": "statement-renderer"})])
    return sc, {
        "alarm_on": "origin (the Lambda)",
        "decoys": "statement-mailer configuration change 10 min after the run started (healthy); the monthly run "
                  "itself is a volume increase; steady font-fallback WARNs",
        "story": "The scheduled monthly statement run started an hour ago and statement-renderer (Node 20, 1024 MB) "
                 "works through the queue at its maximum concurrency of 6. Small accounts render fine, but corporate "
                 "accounts with 26k-61k transactions load everything into memory; those invocations end with "
                 "`Runtime exited with error: signal: killed`, REPORT `Max Memory Used: 1024 MB` and `Error Type: "
                 "Runtime.OutOfMemory`, and Lambda Insights memory_utilization hits 100 %. The volume is the expected "
                 "monthly load (no throttling, no change to the renderer): memory_exhaustion on statement-renderer."}


# --------------------------------------------------------------------------------------------
def _panic_payload():
    return json.dumps({"errorMessage": "runtime error: index out of range [3] with length 3", "errorType": "boundsError",
                       "stackTrace": [
                           {"path": "github.com/aws/aws-lambda-go@v1.47.0/lambda/errors.go", "line": 39, "label": "lambdaPanicResponse"},
                           {"path": "github.com/aws/aws-lambda-go@v1.47.0/lambda/invoke_loop.go", "line": 122, "label": "callBytesHandlerFunc.func1"},
                           {"path": "runtime/panic.go", "line": 770, "label": "gopanic"},
                           {"path": "runtime/panic.go", "line": 114, "label": "goPanicIndex"},
                           {"path": "github.com/acme/catalog-sync/internal/mapping/category.go", "line": 58, "label": "ToTaxonomy"},
                           {"path": "github.com/acme/catalog-sync/internal/handler/webhook.go", "line": 91, "label": "(*Handler).Handle"}]},
                      separators=(",", ":"))


def s14():
    c = Ctx(4814)
    sc = Scenario(c, "h48-14-catalog-sync-panic", "us-east-2",
                  "Supplier product webhooks failing; catalog-sync Errors alarm.")
    T, DATA = grid(6), -1800
    sc.res("lambda", "catalog-sync", runtime="provided.al2023", memory_size=512, timeout=30, handler="bootstrap",
           last_modified_days_ago=6)
    sc.res("lambda", "catalog-search-indexer", runtime="provided.al2023", memory_size=1024, timeout=60,
           event_source="sqs:catalog-index-queue")
    sc.res("apigateway", "partner-webhooks-api", stage="prod", integration="catalog-sync")
    sc.change(-2100, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "catalog-search-indexer", "ci-deployer")
    suppliers = ["NORDHAUS", "NORDHAUS", "GREENLEAF", "ALPINEGEAR", "TOOLCO", "HOMEWARE-EU"]
    paths4 = ["Garden > Tools > Hand Tools > Pruners", "Home > Kitchen > Cookware > Pans",
              "Outdoor > Camping > Tents > 2-Person", "DIY > Power Tools > Drills > Cordless"]
    paths3 = ["Garden > Tools > Pruners", "Garden > Watering > Hoses", "Garden > Furniture > Loungers"]
    fn = Fn(sc, "catalog-sync", "provided.al2023", 512, 30, log_from=-7800)
    fn.prewarm(T[0], 2)

    def spec(t, cold, rid):
        sup = c.r.choice(suppliers)
        n = c.r.randint(1, 25)
        sku = "%s-%s" % (sup[:3], c.digits(7))
        lines = [(1, "INFO", ("webhook received", {"supplier": sup, "event": "product.upsert", "products": n}))]
        if sup == "NORDHAUS" and t >= DATA and c.r.random() < 0.85:
            cp = c.r.choice(paths3)
            d = ln(c, 35, 0.3)
            lines += [(d - 4, "INFO", ("mapping product", {"sku": sku, "category_path": cp})),
                      (d - 1, None, _panic_payload())]
            return {"duration": d, "outcome": "crash", "signal": "exit status 2", "mem": c.r.randint(38, 46),
                    "lines": lines, "init": ln(c, 85, 0.2)}
        d = ln(c, 70 + n * 9, 0.3)
        lines.append((d * 0.4, "INFO", ("mapping product", {"sku": sku, "category_path": c.r.choice(paths4)})))
        if c.r.random() < 0.06:
            lines.append((d * 0.6, "WARN", ("image url returned 404, skipping", {"sku": sku,
                                                                                "url": "https://cdn.%s.example/img/%s.jpg" % (sup.lower(), c.hex(8))})))
        lines.append((d - 2, "INFO", ("upserted products", {"supplier": sup, "count": n, "enqueued_for_index": n})))
        return {"duration": d, "mem": c.r.randint(38, 48), "lines": lines, "init": ln(c, 85, 0.2)}

    drive(fn, T, lambda t: 16 * diurnal(t, 0.2, 0.3), spec)
    fn.flush_logs()
    fn.emit_metrics(T)
    apigw(sc, "partner-webhooks-api", T, [fn])
    ix = Fn(sc, "catalog-search-indexer", "provided.al2023", 1024, 60, log_from=-7800)
    ix.prewarm(T[0], 2)
    ix.reconfigure(-2098)

    def ispec(t, cold, rid):
        d = ln(c, 650, 0.3)
        k = c.r.randint(5, 10)
        return {"duration": d, "mem": c.r.randint(70, 90), "init": ln(c, 90, 0.2), "lines": [
            (2, "INFO", ("batch received", {"messages": k})),
            (d - 2, "INFO", ("indexed documents", {"index": "catalog-v12", "count": k, "took_ms": int(d - 20)}))]}

    drive(ix, T, lambda t: 6 * diurnal(t, 0.2, 0.3), ispec)
    ix.flush_logs()
    ix.emit_metrics(T)
    sc.alarm("catalog-search-indexer-duration", "AWS/Lambda", "Duration", {"FunctionName": "catalog-search-indexer"},
             "Average", 300, 2, 5000, "GreaterThanThreshold", expect_state="OK")
    sc.alarm("catalog-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": "catalog-sync"}, "Sum", 300, 1, 5,
             "GreaterThanThreshold", "catalog-sync webhook failures")
    sc.set_expect("catalog-sync-errors", "application_error", ["catalog-sync"], [
        ("AWS/Lambda", "Errors", {"FunctionName": "catalog-sync"})])
    return sc, {
        "alarm_on": "origin (the Lambda)",
        "decoys": "catalog-search-indexer code deploy 5 min before onset (different function, healthy; its duration "
                  "alarm stays OK); steady image-404 WARNs",
        "story": "Supplier NORDHAUS started sending products under new three-level category paths (`Garden > Tools > "
                 "Pruners`) 30 minutes ago. catalog-sync's taxonomy mapper indexes the fourth path element, so those "
                 "webhooks panic with `runtime error: index out of range [3] with length 3` (boundsError in "
                 "mapping/category.go) and the runtime restarts; other suppliers sync fine. catalog-sync was last "
                 "changed six days ago and nothing it depends on is unhealthy; the deploy right before onset was to "
                 "a different, downstream function that keeps working. Unhandled exception without a preceding change "
                 "or resource fault: application_error on catalog-sync."}
