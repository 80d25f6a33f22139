"""h56-01, h56-02: a queue-fed and a stream-fed Lambda."""
import datetime as dt

from .core import Scenario
from .infra import queue_metrics, sqs_consume
from .lambda_sim import LambdaFn

ACCOUNT = "412907655218"


def s01_invoice_renderer_deploy():
    sc = Scenario(name="h56-01-invoice-renderer-deploy", region="us-east-1", seed=5601, tz_hours=-4,
                  now_utc=dt.datetime(2026, 3, 14, 6, 40),
                  description="Paged around 02:20 EDT: the invoice-render dead-letter queue is filling up. "
                              "Night shift, billing traffic is low.")
    rng = sc.rng
    fn = LambdaFn(sc, "invoice-pdf-renderer", "nodejs20.x", 1024, 60)
    sc.resource("lambda", fn.name, runtime="nodejs20.x", timeout=60, memory_size=1024,
                reserved_concurrency=10, alias="live",
                event_source=f"arn:aws:sqs:us-east-1:{ACCOUNT}:invoice-render-queue",
                batch_size=1, dead_letter_queue="invoice-render-dlq", max_receive_count=3)
    mail = LambdaFn(sc, "customer-email-sender", "nodejs20.x", 256, 15)
    sc.resource("lambda", mail.name, runtime="nodejs20.x", timeout=15, memory_size=256,
                event_source=f"arn:aws:sqs:us-east-1:{ACCOUNT}:customer-email-queue")
    agg = LambdaFn(sc, "nightly-usage-aggregator", "python3.12", 2048, 600)
    sc.resource("lambda", agg.name, runtime="python3.12", timeout=600, memory_size=2048,
                schedule="cron(0 6 * * ? *)")

    deploy = -1985
    fn.versions = [(-99999, "57"), (deploy + 25, "58")]
    fn.resets = [deploy + 25]
    sc.change(deploy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn.name, "github-actions-billing")
    sc.change(deploy + 6, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              fn.name, "github-actions-billing")
    sc.change(deploy + 25, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function",
              fn.name, "github-actions-billing")
    mail_deploy = -3310
    mail.resets = [mail_deploy]
    sc.change(mail_deploy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              mail.name, "github-actions-notifications")

    # invoice messages: thin night traffic plus the 00:40 EDT subscription-renewal batch
    arrivals = []
    for m in sc.minutes(end=-60):
        lam = sc.diurnal(m, 26, 2.6)
        for _ in range(sc.poisson(lam)):
            arrivals.append((m + rng.uniform(0, 60), _invoice(sc)))
    for _ in range(210):
        arrivals.append((-7200 + rng.uniform(0, 110), _invoice(sc, renewal=True)))

    def process(start, msg, attempt):
        p = msg.payload
        new_code = start >= deploy + 25
        lines = [(0.004, "INFO", f"Rendering invoice {p['inv']} for customer {p['cus']} "
                                 f"({p['items']} line items, receive #{attempt})")]
        if rng.random() < 0.07:
            lines.append((0.21, "WARN", f"Font fallback: glyph U+20B9 not in NotoSans-Regular, using DejaVuSans "
                                        f"(invoice {p['inv']})"))
        if rng.random() < 0.09:
            lines.append((0.35, "ERROR", f"Logo lookup failed for {p['cus']}, rendering without logo: "
                                         f"NoSuchKey: The specified key does not exist. "
                                         f"(s3://acme-billing-assets/logos/{p['cus']}.png)"))
        if new_code and p["exempt"]:
            dur = rng.uniform(380, 720)
            err = {"type": "TypeError", "message": "Cannot read properties of undefined (reading 'map')",
                   "trace": ["    at buildTaxTable (/var/task/src/render/taxTable.js:41:32)",
                             "    at renderInvoice (/var/task/src/render/index.js:118:19)",
                             "    at async processRecord (/var/task/src/handler.js:57:22)",
                             "    at async Promise.all (index 0)",
                             "    at async Runtime.handler (/var/task/src/handler.js:24:3)"]}
            fn.add(start, dur, "error", lines, mem=rng.randint(182, 240), err=err)
            return dur, False
        dur = rng.uniform(2300, 4300) + p["items"] * 35
        lines.append((dur / 1000 - 0.12, "INFO", f"Uploaded s3://acme-billing-invoices/2026/03/{p['inv']}.pdf "
                                                 f"({rng.randint(61000, 148000)} bytes)"))
        fn.add(start, dur, "ok", lines, mem=rng.randint(265, 410))
        return dur, True

    msgs = sqs_consume(sc, arrivals, process, concurrency=10, visibility=90, max_receives=3)
    fn.emit_metrics()
    fn.emit_logs()
    queue_metrics(sc, "invoice-render-queue", msgs, dlq="invoice-render-dlq", dlq_base=2)

    # unrelated: email sender deployed ~55 min earlier, healthy before and after
    for m in sc.minutes():
        for _ in range(sc.poisson(sc.diurnal(m, 14, 1.4))):
            t = m + rng.uniform(0, 60)
            tpl = rng.choice(["invoice-ready", "payment-receipt", "password-reset", "trial-ending"])
            lines = [(0.003, "INFO", f"Sending template={tpl} to=***@{rng.choice(['gmail.com', 'outlook.com', 'acme-corp.io'])}"),
                     (0.41, "INFO", f"SES MessageId=0100018e{sc.hexid(8)}-{sc.uid()}-000000 accepted")]
            mail.add(t, rng.uniform(300, 700), "ok", lines, mem=rng.randint(88, 104))
    mail.emit_metrics()
    mail.emit_logs()

    # benign scheduled spike: 02:00 EDT usage aggregation, once a night
    start = -2400 + 0.8
    lines = [(0.01, "INFO", "Aggregating usage for billing period 2026-03-13 (24 shards)")]
    for k in range(24):
        lines.append((3 + k * 7.2, "INFO", f"shard {k:02d}: {rng.randint(40000, 91000)} usage rows -> "
                                           f"{rng.randint(900, 2400)} account totals"))
    lines.append((178.0, "INFO", "Wrote usage totals to s3://acme-billing-usage/daily/2026-03-13/ (24 objects)"))
    agg.add(start, 178400, "ok", lines, mem=1310)
    agg.emit_metrics()
    agg.emit_logs()

    sc.alarm("invoice-render-dlq-depth", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
             {"QueueName": "invoice-render-dlq"}, "Maximum", 300, 1, 5, "GreaterThanThreshold",
             description="Invoices that failed rendering 3 times (DLQ)")
    sc.ok_alarm("customer-email-sender-errors", "AWS/Lambda", "Errors", {"FunctionName": mail.name},
                "Sum", 300, 1, 5, "GreaterThanThreshold")
    sc.set_expect("invoice-render-dlq-depth", "bad_deployment", [fn.name],
                  [("AWS/Lambda", "Errors", {"FunctionName": fn.name}),
                   ("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "invoice-render-dlq"})])
    sc.notes = {
        "category": "bad_deployment", "origin": "front (dead-letter queue of the consumer)",
        "decoys": "customer-email-sender code deploy 55 min earlier (healthy); nightly-usage-aggregator "
                  "02:00 run; 2 old messages already in the DLQ; renewal batch spike at 00:40 EDT; "
                  "pre-existing 'Logo lookup failed' ERROR lines at a constant rate",
        "story": "At 02:07 EDT CI published version 58 of invoice-pdf-renderer and moved the `live` alias "
                 "to it. From the first invocations on version 58, invoices of tax-exempt customers throw "
                 "`TypeError: Cannot read properties of undefined (reading 'map')` in buildTaxTable, a "
                 "signature absent from every earlier stream; SQS redelivers them twice and then moves them to "
                 "invoice-render-dlq, which trips the alarm. The renewal batch at 00:40 went through the old "
                 "version without errors, the email sender deployed earlier is healthy, and the Logo/NoSuchKey "
                 "ERROR lines occur at the same rate before and after. A deployment followed by a new error "
                 "signature on that function is bad_deployment, origin the function, not the queue.",
    }
    return sc


def _invoice(sc, renewal=False):
    rng = sc.rng
    return {"inv": f"INV-2026-{rng.randint(300000, 399999)}", "cus": f"cus_{sc.hexid(14)}",
            "items": rng.randint(1, 4) if renewal else rng.randint(1, 18),
            "exempt": rng.random() < 0.34}


def s02_clickstream_env_change():
    sc = Scenario(name="h56-02-clickstream-enricher-env", region="eu-west-1", seed=5602, tz_hours=0,
                  now_utc=dt.datetime(2026, 2, 7, 3, 25),
                  description="IteratorAge alarm on the clickstream enricher at night; the analytics "
                              "dashboards stopped updating.")
    rng = sc.rng
    fn = LambdaFn(sc, "clickstream-enricher", "python3.12", 512, 120)
    sc.resource("lambda", fn.name, runtime="python3.12", timeout=120, memory_size=512,
                event_source=f"arn:aws:kinesis:eu-west-1:{ACCOUNT}:stream/clickstream-events",
                batch_size=500, maximum_batching_window_s=15, starting_position="LATEST",
                bisect_batch_on_error=False, maximum_retry_attempts=-1)
    roll = LambdaFn(sc, "session-rollup-nightly", "python3.12", 3008, 900)
    sc.resource("lambda", roll.name, runtime="python3.12", timeout=900, memory_size=3008,
                schedule="cron(0 2 * * ? *)")
    api_fn = LambdaFn(sc, "consent-api-handler", "nodejs20.x", 256, 10)
    sc.resource("lambda", api_fn.name, runtime="nodejs20.x", timeout=10, memory_size=256)
    sc.resource("apigateway", "consent-api", stage="prod", rest_api_id="k2r7yq01ze")

    cfg = -2710
    fn.resets = [cfg]
    sc.change(cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              fn.name, "terraform-cloud-runner")
    api_deploy = -3620
    api_fn.resets = [api_deploy]
    sc.change(api_deploy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              api_fn.name, "github-actions-web")

    # two shards, batching window 15 s: each shard is invoked every ~15-17 s at night
    incoming = {m: max(40.0, sc.diurnal(m, 9200, 950) * rng.uniform(0.9, 1.1)) for m in sc.minutes()}
    iterator_age = {}
    for shard in range(2):
        t = -sc.history + rng.uniform(0, 15)
        stuck_since = None
        while t < -1:
            rate = incoming[int(t // 60) * 60] / 60.0 / 2
            failing = t >= cfg + 8
            if failing:
                stuck_since = stuck_since if stuck_since is not None else t - rng.uniform(12, 16)
                n = 500
                dur = rng.uniform(95, 240)
                err = {"type": "KeyError", "message": "'GEO_TABLE_NAME'", "trace": [
                    '  File "/var/task/enricher/handler.py", line 64, in lambda_handler',
                    '    geo = GeoLookup(os.environ["GEO_TABLE_NAME"], region=REGION)',
                    '  File "<frozen os>", line 714, in __getitem__']}
                lines = [(0.002, "INFO", f"Received {n} records from shardId-00000000000{shard} "
                                         f"(seq 4965{sc.hexid(6)}...)")]
                fn.add(t, dur, "error", lines, mem=rng.randint(96, 112), err=err)
                age = (t - stuck_since) * 1000
                t += dur / 1000 + rng.uniform(6.0, 19.0)
            else:
                n = min(500, max(1, int(rate * rng.uniform(14, 17))))
                dur = 120 + n * rng.uniform(2.2, 3.1)
                lines = [(0.002, "INFO", f"Received {n} records from shardId-00000000000{shard}")]
                if rng.random() < 0.3:
                    lines.append((0.05, "WARNING", f"Dropping {rng.randint(1, 4)} events with unparseable "
                                                   f"user-agent (first: 'Mozilla/5.0 (compatible; "
                                                   f"{rng.choice(['Bytespider', 'PetalBot', 'SemrushBot'])})')"))
                lines.append((dur / 1000 - 0.01, "INFO", f"Enriched {n} events ({rng.randint(0, 6)} geo misses) "
                                                        f"-> firehose clickstream-enriched"))
                fn.add(t, dur, "ok", lines, mem=rng.randint(140, 176))
                age = rng.uniform(14500, 17500) + dur
                t += rng.uniform(15.0, 17.5)
            k = int(t // 60) * 60
            iterator_age[k] = max(iterator_age.get(k, 0), age)
    fn.emit_metrics()
    sc.metric("AWS/Lambda", "IteratorAge", {"FunctionName": fn.name}, "Milliseconds",
              sorted((k, v) for k, v in iterator_age.items() if k <= -60))
    fn.emit_logs()
    sdims = {"StreamName": "clickstream-events"}
    sc.series("AWS/Kinesis", "IncomingRecords", sdims, "Count", lambda m: incoming[m])
    sc.series("AWS/Kinesis", "IncomingBytes", sdims, "Bytes", lambda m: incoming[m] * rng.uniform(690, 760))
    sc.series("AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", sdims, "Milliseconds",
              lambda m: iterator_age.get(m, rng.uniform(900, 2500)))

    # benign nightly job at 02:00 UTC
    start = -5100 + 1.3
    lines = [(0.01, "INFO", "Rolling up sessions for 2026-02-06 from s3://acme-clickstream-enriched/dt=2026-02-06/"),
             (412.0, "INFO", "Processed 18,204,911 events into 2,311,087 sessions"),
             (431.5, "INFO", "Wrote s3://acme-analytics/sessions/dt=2026-02-06/ (64 parquet files)")]
    roll.add(start, 431900, "ok", lines, mem=2716)
    roll.emit_metrics()
    roll.emit_logs()

    # unrelated API deploy an hour before, steady and healthy afterwards
    counts = {}
    for m in sc.minutes():
        n = sc.poisson(sc.diurnal(m, 60, 4))
        counts[m] = n
        for _ in range(n):
            t = m + rng.uniform(0, 60)
            lines = [(0.002, "INFO", f"GET /v1/consent/{sc.hexid(12)} region={rng.choice(['ie', 'gb', 'fr', 'de', 'es'])}")]
            if rng.random() < 0.04:
                lines.append((0.01, "ERROR", "ValidationError: \"visitorId\" length must be 24 characters long"))
            api_fn.add(t, rng.uniform(18, 60), "ok", lines, mem=rng.randint(71, 79))
    api_fn.emit_metrics()
    api_fn.emit_logs()
    adims = {"ApiName": "consent-api"}
    sc.series("AWS/ApiGateway", "Count", adims, "Count", lambda m: counts[m] or None)
    sc.series("AWS/ApiGateway", "4XXError", adims, "Count",
              lambda m: sc.poisson(counts[m] * 0.04) if counts[m] else None)
    sc.series("AWS/ApiGateway", "5XXError", adims, "Count", lambda m: 0 if counts[m] else None)
    sc.series("AWS/ApiGateway", "Latency", adims, "Milliseconds",
              lambda m: rng.uniform(38, 75) if counts[m] else None)

    sc.alarm("clickstream-enricher-iterator-age", "AWS/Lambda", "IteratorAge", {"FunctionName": fn.name},
             "Maximum", 60, 5, 600000, "GreaterThanThreshold",
             description="Enricher is more than 10 minutes behind the clickstream")
    sc.set_expect("clickstream-enricher-iterator-age", "config_change", [fn.name],
                  [("AWS/Lambda", "IteratorAge", {"FunctionName": fn.name}),
                   ("AWS/Lambda", "Errors", {"FunctionName": fn.name})])
    sc.notes = {
        "category": "config_change", "origin": "origin (the consumer function's IteratorAge)",
        "decoys": "consent-api-handler code deploy 15 min before the change (healthy, different function); "
                  "02:00 session-rollup-nightly run; steady 'unparseable user-agent' warnings; "
                  "steady ValidationError lines on the consent API",
        "story": "At 02:40 UTC the nightly Terraform run updated the configuration (environment) of "
                 "clickstream-enricher; no code was deployed. From the next batch on every invocation fails "
                 "with `KeyError: 'GEO_TABLE_NAME'` raised by `os.environ[...]`, i.e. the function is missing a "
                 "setting it reads. Kinesis retries the same batch forever, so IteratorAge grows linearly and "
                 "pages. The code deploy of consent-api-handler is on an unrelated function that stays healthy. "
                 "A configuration change right before onset plus errors naming the missing variable makes it "
                 "config_change on the enricher.",
    }
    return sc
