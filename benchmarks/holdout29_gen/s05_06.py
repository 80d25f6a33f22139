"""Scenarios 05-06."""
from __future__ import annotations

from .blocks import lambda_metrics, rest_api_metrics, sqs_metrics
from .common import Scn, ramp
from .lambdalog import Inv, lambda_logs


def b05() -> Scn:
    sc = Scn(5, "storefront-5xx-account-concurrency-backfill", "us-east-1", 2905, "2026-03-12T14:10:00",
             "Storefront API returning 500s at checkout; 5XXError alarm on the REST API.")
    on = -2700
    surge = lambda t: ramp(t, on, on + 300)
    sc.res("apigateway", "storefront-api", endpoint="REGIONAL", rest_api_id="q8w2e4r6t1", stage="prod",
           integration="checkout-api (Lambda proxy)")
    sc.res("lambda", "checkout-api", runtime="nodejs20.x", timeout=15, memory_size=1024,
           reserved_concurrency=None)
    sc.res("lambda", "media-backfill", runtime="python3.12", timeout=120, memory_size=2048,
           reserved_concurrency=None, trigger="S3 ObjectCreated:* on catalog-media-raw")
    sc.res("lambda", "order-emailer", runtime="nodejs20.x", timeout=30, memory_size=256,
           trigger="SQS order-confirmations")
    base = lambda t: 1400 * sc.diurnal(t, 15, 0.3)
    thr_frac = lambda t: 0.075 * ramp(t, on + 180, on + 420)
    rest_api_metrics(sc, "storefront-api", base, lambda t: 0.0004 + thr_frac(t), lambda t: 0.018,
                     lambda t: 170 - 25 * thr_frac(t) / 0.075, stage=None)
    lambda_metrics(sc, "checkout-api", lambda t: base(t) * (1 - thr_frac(t)), lambda t: 0.0003,
                   lambda t: 150, thr=lambda t: base(t) * thr_frac(t))
    mb = lambda t: 6 + 16800 * surge(t)
    lambda_metrics(sc, "media-backfill", mb, lambda t: 0.0008, lambda t: 2900 + 400 * surge(t),
                   conc_extra=lambda t: 3 + 915 * surge(t) * sc.rng.uniform(0.97, 1.0),
                   thr=lambda t: 5200 * ramp(t, on + 180, on + 420), conc_cap=931)
    oe = lambda t: 95 * sc.diurnal(t, 15, 0.3)
    lambda_metrics(sc, "order-emailer", lambda t: oe(t) * (1 - 0.5 * thr_frac(t) / 0.075), lambda t: 0.0,
                   lambda t: 420, thr=lambda t: 60 * thr_frac(t) / 0.075)
    sqs_metrics(sc, "order-confirmations", oe, lambda t: 4 + 380 * ramp(t, on + 200, -60),
                lambda t: 2 + 600 * ramp(t, on + 200, -60))
    acct = lambda t: 38 * sc.diurnal(t, 15, 0.3) + 4 + 958 * surge(t)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", {}, "Count",
              sc.gauge(lambda t: min(1000.0, acct(t)), noise=0.015, nd=0, hi=1000.0))
    sc.metric("AWS/Lambda", "UnreservedConcurrentExecutions", {}, "Count",
              sc.gauge(lambda t: min(1000.0, acct(t)), noise=0.015, nd=0, hi=1000.0))
    sc.metric("AWS/Lambda", "Throttles", {}, "Count",
              sc.counts(lambda t: 0.1 + (5200 + base(t) * 0.075 + 60) * ramp(t, on + 180, on + 420)))

    def checkout(sc, t, rid, env):
        r = sc.rng
        cart = f"c_{sc.hexid(10)}"
        d = r.uniform(70, 260)
        lines = [(2, "INFO", f"POST /checkout cart={cart} items={r.randint(1, 7)}")]
        if r.random() < 0.012:
            lines.append((d - 3, "WARN", f"payment declined cart={cart} code=card_declined; returning 402"))
        else:
            lines.append((d - 3, "INFO", f"order created ord_{r.randint(10**7, 10**8)} cart={cart} "
                                         f"total={r.uniform(9, 420):.2f} USD {d:.0f}ms"))
        return Inv(d, r.randint(120, 160), lines)

    lambda_logs(sc, "checkout-api", "nodejs20.x", -7200, 0, 3, lambda t: 3.2, checkout, 1024, 15)

    def backfill(sc, t, rid, env):
        r = sc.rng
        if t > on and r.random() < 0.97:
            key = f"migrated/legacy-cdn/{r.randint(2014, 2021)}/{sc.hexid(2)}/{sc.hexid(16)}.jpg"
        else:
            key = f"uploads/{sc.stamp(t, '%Y/%m/%d')}/{sc.hexid(16)}.jpg"
        d = r.uniform(2200, 3900)
        return Inv(d, r.randint(420, 610), [
            (5, "INFO", f"s3://catalog-media-raw/{key} ({r.randint(300, 4800)} KB)"),
            (d - 40, "INFO", f"wrote 4 renditions to s3://catalog-media/{key.rsplit('.', 1)[0]}/ in {d / 1000:.1f} s")])

    lambda_logs(sc, "media-backfill", "python3.12", -7200, 0, 3,
                lambda t: 0.7 if t < on else 19.0, backfill, 2048, 120, init_ms=(900, 1500))
    ev = []
    t = on + 170.0
    while t < -1:
        t += sc.rng.expovariate(10 / 60)
        q, lr = sc.uid(), sc.uid()
        if sc.rng.random() < 0.5:
            ev.append((t, f"({q}) Lambda invocation failed with status: 429. Lambda request id: {lr}"))
        else:
            ev.append((t, f"({q}) Execution failed due to configuration error: Rate Exceeded."))
        ev.append((t + 0.004, f"({q}) Method completed with status: 500"))
    sc.log("API-Gateway-Execution-Logs_q8w2e4r6t1/prod", "8f14e45fceea167a5a36dedd4bea2543", ev)
    sc.change(-17800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "checkout-api", "github-actions-deployer")
    sc.change(-17700, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment",
              "storefront-api", "github-actions-deployer")
    sc.change(-9400, "dynamodb.amazonaws.com", "UpdateTimeToLive", "AWS::DynamoDB::Table", "checkout-sessions",
              "terraform-ci")
    api = {"ApiName": "storefront-api"}
    sc.alarm("storefront-api-5xx", "AWS/ApiGateway", "5XXError", api, "Sum", 60, 3, 10,
             description="Storefront REST API 5xx", want="ALARM")
    sc.alarm("checkout-api-throttles", "AWS/Lambda", "Throttles", {"FunctionName": "checkout-api"}, "Sum",
             60, 3, 5, want="ALARM")
    sc.alarm("checkout-api-errors", "AWS/Lambda", "Errors", {"FunctionName": "checkout-api"}, "Sum",
             60, 3, 5, want="OK")
    sc.expect("storefront-api-5xx", "throttling", ["media-backfill"],
              [("AWS/Lambda", "ConcurrentExecutions", {}),
               ("AWS/Lambda", "ConcurrentExecutions", {"FunctionName": "media-backfill"}),
               ("AWS/Lambda", "Throttles", {"FunctionName": "checkout-api"})])
    sc.readme("front (REST API)", "checkout-api deploy + API deployment ~4 h earlier; DynamoDB TTL change on "
              "checkout-sessions; steady 402 card-declined warnings; checkout-api-throttles alarm (a victim)",
              "A legacy-CDN image migration copies hundreds of thousands of objects into catalog-media-raw; each "
              "S3 event invokes media-backfill, which has no reserved concurrency and climbs from ~3 to ~920 "
              "concurrent executions, pinning the account-level ConcurrentExecutions at the 1,000 limit. From then "
              "on checkout-api (also unreserved) and order-emailer are throttled: API Gateway logs `Lambda "
              "invocation failed with status: 429` / `Rate Exceeded` and answers 500, while checkout-api itself "
              "logs no errors. Concurrency-limit throttles make the category `throttling`; the fault originates in "
              "media-backfill consuming the shared pool, not in checkout-api or the API. The old deploys are healthy "
              "for hours before onset.")
    return sc


OOM_TRACE = ("Java heap space: java.lang.OutOfMemoryError\njava.lang.OutOfMemoryError: Java heap space\n"
             "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)\n"
             "\tat java.base/java.util.ArrayList.grow(ArrayList.java:237)\n"
             "\tat java.base/java.util.ArrayList.add(ArrayList.java:486)\n"
             "\tat com.acme.statements.repo.TransactionRepository.loadPeriod(TransactionRepository.java:112)\n"
             "\tat com.acme.statements.StatementService.build(StatementService.java:64)\n"
             "\tat com.acme.statements.StatementHandler.handleRequest(StatementHandler.java:41)\n"
             "\tat com.acme.statements.StatementHandler.handleRequest(StatementHandler.java:22)")


def b06() -> Scn:
    sc = Scn(6, "statement-generator-oom-corporate-accounts", "eu-central-1", 2906, "2026-03-02T07:20:00",
             "Monthly statement generation failing for part of the run; Lambda Errors alarm in ALARM.")
    run0, on = -14400, -2400
    big = lambda t: ramp(t, on, on + 300)
    sc.res("lambda", "statement-generator", runtime="java17", timeout=120, memory_size=1024,
           trigger="SQS statement-requests (batch 1, maximum concurrency 20, maxReceiveCount 3)",
           environment={"JAVA_TOOL_OPTIONS": "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"})
    sc.res("lambda", "statement-notifier", runtime="nodejs20.x", timeout=30, memory_size=256,
           trigger="SNS statement-ready")
    running = lambda t: t >= run0
    inv = lambda t: (4 + 110 * ramp(t, run0, run0 + 300)) if running(t) else 0.6
    lambda_metrics(sc, "statement-generator", inv, lambda t: 0.001 + 0.16 * big(t),
                   lambda t: 2100 + 5200 * big(t))
    lambda_metrics(sc, "statement-notifier", lambda t: inv(t) * 0.97, lambda t: 0.0, lambda t: 310)
    backlog = lambda t: max(0.0, 52000 - (t - run0) / 60 * 110) if running(t) else 3
    sqs_metrics(sc, "statement-requests", lambda t: (52000 if run0 <= t < run0 + 60 else 0.6),
                lambda t: max(60.0, backlog(t)) if running(t) else 2,
                lambda t: (t - run0 + 20) if running(t) else 15,
                received=inv, deleted=lambda t: inv(t) * (1 - 0.16 * big(t)))
    dlq = lambda t: max(0.0, (t - on - 600) / 60 * 5.5) if t > on + 600 else 0.0
    sqs_metrics(sc, "statement-requests-dlq", lambda t: 5.5 * ramp(t, on + 600, on + 660), dlq,
                lambda t: max(0.0, t - on - 600) if t > on + 600 else 0.0,
                received=lambda t: 0.0, deleted=lambda t: 0.0)

    def gen(sc, t, rid, env):
        r = sc.rng
        acc = f"ACC-{r.randint(10000, 99999)}"
        lines = []
        if r.random() < 0.08:
            lines.append((900, "WARN", "o.a.pdfbox.pdmodel.font.PDType1Font - Using fallback font LiberationSans "
                                       "for Helvetica"))
        if r.random() < 0.18 * big(t):
            n = r.randint(160000, 480000)
            lines = [(3, "INFO", f"c.a.s.StatementHandler - Generating statement {acc} period=2026-02 tier=corporate"),
                     (6, "INFO", f"c.a.s.repo.TransactionRepository - Loading {n:,} transactions for {acc}")]
            d = r.uniform(14000, 38000)
            if r.random() < 0.62:
                lines.append((d - 50, "WARN", f"c.a.s.StatementHandler - heap usage 97% after full GC "
                                              f"(used {r.randint(738, 760)} MB of 768 MB)"))
                lines.append((d, None, OOM_TRACE))
                return Inv(d + 30, r.randint(1008, 1024), lines, "error")
            return Inv(d, 1024, lines, "crash")
        n = int(r.lognormvariate(5.2, 1.0)) + 3
        d = 600 + n * 0.9 + r.uniform(0, 900)
        pages = 1 + n // 45
        lines += [(3, "INFO", f"c.a.s.StatementHandler - Generating statement {acc} period=2026-02 tier=retail"),
                  (40, "INFO", f"c.a.s.repo.TransactionRepository - Loaded {n} transactions in {r.randint(18, 90)} ms"),
                  (d - 20, "INFO", f"c.a.s.StatementHandler - Rendered {pages} page(s); uploaded "
                                   f"s3://statements-prod/2026-02/{acc}.pdf")]
        return Inv(d, r.randint(310, 520), lines)

    lambda_logs(sc, "statement-generator", "java17", -9000, 0, 3,
                lambda t: 5.0 if running(t) else 0.1, gen, 1024, 120, init_ms=(2600, 3900))
    sc.change(-3000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "statement-notifier", "jenkins-deployer")
    sc.change(-3000 + 15, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "statement-notifier", "jenkins-deployer")
    sc.change(-5400, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/marketing/banner-campaign",
              "m.keller@acme-bank.de")
    fd = {"FunctionName": "statement-generator"}
    sc.alarm("statement-generator-errors", "AWS/Lambda", "Errors", fd, "Sum", 60, 3, 3,
             description="Statement generator errors", want="ALARM")
    sc.alarm("statement-requests-dlq-not-empty", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
             {"QueueName": "statement-requests-dlq"}, "Maximum", 60, 1, 0, want="ALARM")
    sc.expect("statement-generator-errors", "memory_exhaustion", ["statement-generator"],
              [("AWS/Lambda", "Errors", fd), ("AWS/Lambda", "Duration", fd)])
    sc.readme("origin", "statement-notifier deploy 10 min before onset; unrelated SSM parameter update 50 min "
              "before; the month-end queue burst itself; steady PDFBox font-fallback warnings; DLQ alarm",
              "The month-end statement run has been draining 52k jobs since 03:20 without trouble. Around 06:40 the "
              "corporate-tier accounts (160k-480k transactions each) reach the front of the queue; for those jobs "
              "statement-generator loads the whole period into memory and dies with `java.lang.OutOfMemoryError: "
              "Java heap space` or is killed (`Runtime exited with error: signal: killed`, Error Type "
              "Runtime.OutOfMemory) with Max Memory Used at the 1024 MB limit; failed messages go to the DLQ after "
              "three receives. Nothing was changed on this function; retail statements keep succeeding. OOM errors "
              "with memory at the limit are `memory_exhaustion` of the function. The run's volume itself is "
              "normal month-end load and the notifier deploy is unrelated.")
    return sc
