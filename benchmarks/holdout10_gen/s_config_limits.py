"""Scenarios 01-03: Lambda limits changed by a configuration call (memory, timeout, concurrency)."""
from __future__ import annotations

import math

import numpy as np

from .common import TS, Scn, ramp
from .lam import Fn, Inv, rest_api

PY_TB_FONT = "Font 'Helvetica-Oblique' not embedded in template; falling back to DejaVuSans-Oblique"


def h01_oom_after_memory_cut() -> Scn:
    s = Scn(1, "invoice-renderer-oom", "eu-west-1",
            "Invoice PDF renderer Lambda errors; finance reports invoices stuck in 'rendering'.", seed=1001)
    rng = s.rng
    T = -2700
    fn = Fn(s, "invoice-pdf-renderer", "python3.12", 256, 120, init_ms=(900, 1500))

    def handler(c):
        pages = int(np.clip(rng.lognormal(math.log(6), 0.8), 1, 80))
        need = int(150 + pages * 11 + rng.normal(0, 12))
        mem = 1024 if c.t < T else 256
        fn.memory = mem
        cpu = 1.0 if mem == 1024 else 3.4           # Lambda CPU share scales with memory
        dur = (350 + pages * 55 * rng.uniform(0.8, 1.25)) * cpu
        inv_no = f"INV-2026-{int(rng.integers(100000, 999999))}"
        msg_id = s.rid()
        lines = [(0.002, fn.line(c.t, c.rid, "INFO", f"Received SQS message {msg_id} from invoice-render-queue "
                                                        f"(ApproximateReceiveCount={1 if c.t < T or rng.random() < 0.7 else int(rng.integers(2, 4))})")),
                 (0.004, fn.line(c.t, c.rid, "INFO", f"Rendering {inv_no} for account acct_{int(rng.integers(1000, 9999))} "
                                                        f"(pages={pages}, template=invoice_v7.html)"))]
        if rng.random() < 0.05:
            lines.append((0.2, fn.line(c.t + 0.2, c.rid, "WARNING", PY_TB_FONT)))
        if need > mem:
            return Inv("oom", dur * rng.uniform(0.4, 0.9), mem, lines, "Runtime exited with error: signal: killed")
        lines.append((dur / 1000 - 0.01, fn.line(c.t + dur / 1000, c.rid, "INFO",
                      f"Uploaded s3://acme-finance-invoices-prod/2026/03/{inv_no}.pdf ({int(40 + pages * 23)} KB)")))
        return Inv("ok", dur, min(need, mem), lines)

    base = 11 * s.daily(0.25) * (1 + 0.35 * ramp(T, 3))   # failed messages come back after the visibility timeout
    fn.run(base, handler, resets=[T])
    st = fn.emit()

    # unrelated neighbour: deployed 2.5 h earlier, healthy
    nb = Fn(s, "invoice-notifier", "python3.12", 256, 30)

    def nb_handler(c):
        d = float(rng.lognormal(math.log(240), 0.3))
        lines = [(0.01, nb.line(c.t, c.rid, "INFO", f"Sent invoice email for INV-2026-{int(rng.integers(100000, 999999))} "
                                                     f"via SES (MessageId 0102018e{s.hexid(8)}-{s.hexid(8)})"))]
        return Inv("ok", d, int(rng.integers(78, 92)), lines)

    nb.run(7 * s.daily(0.25), nb_handler)
    nb.emit()

    s.res("lambda", "invoice-pdf-renderer", runtime="python3.12", memory_size=256, timeout=120,
          handler="app.handler", event_source="sqs:invoice-render-queue",
          environment={"OUTPUT_BUCKET": "acme-finance-invoices-prod", "TEMPLATE_VERSION": "v7"})
    s.res("lambda", "invoice-notifier", runtime="python3.12", memory_size=256, timeout=30,
          event_source="sns:invoice-rendered")
    s.change(-9000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "invoice-notifier", "github-actions-deploy")
    s.change(T, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "invoice-pdf-renderer", "d.moreau")
    a = s.alarm("invoice-pdf-renderer-errors", "AWS/Lambda", "Errors", {"FunctionName": "invoice-pdf-renderer"},
                "Sum", 300, 1, 5, description="Invoice renderer Lambda errors")
    s.set_expect(a["name"], "memory_exhaustion", ["invoice-pdf-renderer"],
                 [("AWS/Lambda", "Errors", {"FunctionName": "invoice-pdf-renderer"}),
                  ("AWS/Lambda", "Duration", {"FunctionName": "invoice-pdf-renderer"})])
    s.readme = dict(decoys="UpdateFunctionCode on invoice-notifier 2.5 h earlier; constant font-fallback WARNING",
                    story="A engineer lowered the renderer's memory from 1024 MB to 256 MB (UpdateFunctionConfiguration) "
                          "to cut cost. Invoices above ~9 pages need more than 256 MB, so those invocations are killed "
                          "(`Runtime exited with error: signal: killed`, `Max Memory Used: 256 MB`, "
                          "`Error Type: Runtime.OutOfMemory`); with a quarter of the CPU every invocation is also ~3x "
                          "slower, and SQS redelivers the failed messages.")
    return s


def h02_timeout_cut() -> Scn:
    s = Scn(2, "quote-timeout-cut", "ap-southeast-2",
            "pricing-api returning 502s to the storefront; 5XX alarm on the prod stage.", seed=1002)
    rng = s.rng
    T = -3000
    fn = Fn(s, "quote-calculator", "nodejs20.x", 1024, 6, init_ms=(300, 650))

    def handler(c):
        carriers = int(rng.integers(2, 6))
        items = int(rng.integers(1, 40))
        d = float(rng.lognormal(math.log(2300), 0.7))
        qid = f"q_{s.hexid(10)}"
        lines = [(0.003, fn.line(c.t, c.rid, "INFO", f"quote {qid}: {items} line items, {carriers} carriers, dest=AU-{rng.choice(['NSW', 'VIC', 'QLD', 'WA'])}"))]
        if rng.random() < 0.08:
            lines.append((0.004, fn.line(c.t, c.rid, "WARN", "request missing x-client-version header; defaulting to v1 schema")))
        limit = 30 if c.t < T else 6
        if d > limit * 1000:
            return Inv("timeout", 0, int(rng.integers(150, 190)), lines,
                       f"{s.iso(c.t + limit)} {c.rid} Task timed out after {limit:.2f} seconds")
        lines.append((d / 1000 - 0.005, fn.line(c.t + d / 1000, c.rid, "INFO", f"quote {qid} priced in {int(d)} ms, total={rng.uniform(9, 480):.2f} AUD")))
        return Inv("ok", d, int(rng.integers(140, 185)), lines)

    # the function's timeout was 30 s before the change; model it by switching the attribute at T
    orig_run_handler = handler

    def switching(c):
        fn.timeout = 30 if c.t < T else 6
        return orig_run_handler(c)

    fn.run(38 * s.daily(0.3), switching, resets=[T], log_from=-6000)
    fn.timeout = 6
    st = fn.emit()
    rest_api(s, fn, "pricing-api", "7kq2wz1x0b", "prod", overhead=22)

    warm = Fn(s, "quote-cache-warmer", "nodejs20.x", 512, 60)

    def w_handler(c):
        d = float(rng.lognormal(math.log(4200), 0.2))
        return Inv("ok", d, int(rng.integers(110, 130)),
                   [(0.01, warm.line(c.t, c.rid, "INFO", f"warmed {int(rng.integers(180, 260))} rate-table keys in ElastiCache"))])

    rate = np.zeros(len(TS))
    rate[::5] = 1                       # EventBridge rate(5 minutes)
    rate[(TS >= -1860) & (TS < -1740)] = 6   # manual backfill run by a developer
    warm.run(rate, w_handler, counts=True)
    warm.emit()

    s.res("lambda", "quote-calculator", runtime="nodejs20.x", memory_size=1024, timeout=6, handler="dist/index.handler",
          environment={"RATE_TABLE": "carrier-rates", "LOG_LEVEL": "info"})
    s.res("apigateway", "pricing-api", api_id="7kq2wz1x0b", stage="prod", protocol="REST")
    s.res("lambda", "quote-cache-warmer", runtime="nodejs20.x", memory_size=512, timeout=60,
          event_source="events:rule/quote-cache-warm-5m")
    s.change(T, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "quote-calculator", "terraform-cloud")
    s.change(-14400, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", "pricing-api", "terraform-cloud")
    a = s.alarm("pricing-api-prod-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "pricing-api", "Stage": "prod"},
                "Sum", 300, 1, 5, description="pricing-api prod 5XX responses")
    s.set_expect(a["name"], "function_timeout", ["quote-calculator"],
                 [("AWS/ApiGateway", "5XXError", {"ApiName": "pricing-api", "Stage": "prod"}),
                  ("AWS/Lambda", "Errors", {"FunctionName": "quote-calculator"})])
    s.readme = dict(decoys="UpdateStage on pricing-api 4 h earlier; benign Invocations spike on quote-cache-warmer "
                           "(manual backfill) ~30 min ago; constant missing-header WARN",
                    story="A Terraform apply tightened quote-calculator's timeout from 30 s to 6 s. Quotes with many "
                          "carriers routinely take 6-15 s, so about one in ten invocations now ends with "
                          "`Task timed out after 6.00 seconds` / `Status: timeout`; API Gateway maps the function "
                          "error to 502. No downstream errors are logged.")
    return s


def h03_reserved_concurrency() -> Scn:
    s = Scn(3, "clickstream-reserved-concurrency", "us-west-2",
            "Clickstream ingest Lambda Throttles alarm; analytics dashboards lagging.", seed=1003)
    rng = s.rng
    T = -2400
    fn = Fn(s, "clickstream-ingest", "provided.al2023", 512, 60, init_ms=(60, 140), max_streams=12)
    shards = [f"shardId-{i:012d}" for i in range(8)]
    lag = {"v": 300.0}

    def handler(c):
        late = c.t >= T
        recs = int(np.clip(rng.normal(420 if late else 180, 60), 20, 500))
        d = float(recs * rng.uniform(9, 12) + rng.lognormal(math.log(120), 0.3))
        lag_ms = int(max(150, (c.t - T) * 1000 * 0.55 * late + rng.lognormal(math.log(450), 0.4)))
        sh = shards[int(rng.integers(0, 8))]
        lines = [(0.001, fn.line(c.t, c.rid, "INFO", f"processing batch shard={sh} records={recs} first_seq=4965{int(rng.integers(10**14, 10**15))}{int(rng.integers(10**14, 10**15))}")),
                 (d / 1000 - 0.002, fn.line(c.t + d / 1000, c.rid, "INFO", f"flushed {recs} events to firehose stream clickstream-to-s3 "
                                                                           f"shard={sh} lag_ms={lag_ms}"))]
        return Inv("ok", d, int(rng.integers(38, 56)), lines)

    cap = np.where(TS >= T, 4, 10**6).astype(float)
    base = 80 * s.daily(0.2) * (1 + 1.2 * (TS >= T))          # poller keeps retrying throttled batches
    fn.run(base, handler, cap=cap, resets=[T], log_from=-5400)
    age = np.where(TS >= T, (TS - T) * 1000 * 0.55, 0) + s.gauge(500, 120, lo=80)
    st = fn.emit(iterator_age=age)

    ses = Fn(s, "sessionizer", "python3.12", 1024, 300)

    def s_handler(c):
        d = float(rng.lognormal(math.log(21000), 0.15))
        lines = [(0.01, ses.line(c.t, c.rid, "INFO", f"built {int(rng.integers(9000, 14000))} sessions from s3://acme-clickstream-raw/"
                                                      f"{s.dt(c.t).strftime('%Y/%m/%d/%H')}/"))]
        if rng.random() < 0.5:
            lines.append((2.0, ses.line(c.t + 2, c.rid, "WARNING", "Skipping 3 malformed records (missing anonymous_id)")))
        return Inv("ok", d, int(rng.integers(420, 610)), lines)

    rate = np.zeros(len(TS))
    rate[::5] = 1
    ses.run(rate, s_handler, counts=True)
    ses.emit()

    s.res("lambda", "clickstream-ingest", runtime="provided.al2023", architecture="arm64", memory_size=512, timeout=60,
          reserved_concurrency=4, event_source="kinesis:clickstream-events",
          event_source_config={"batch_size": 500, "parallelization_factor": 2, "shards": 8})
    s.res("lambda", "sessionizer", runtime="python3.12", memory_size=1024, timeout=300,
          event_source="events:rule/sessionizer-5m")
    s.change(-3300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "sessionizer",
             "github-actions-deploy")
    s.change(T, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function",
             "clickstream-ingest", "finops-guardrails")
    a = s.alarm("clickstream-ingest-throttles", "AWS/Lambda", "Throttles", {"FunctionName": "clickstream-ingest"},
                "Sum", 300, 1, 25, description="clickstream-ingest throttled invocations")
    s.set_expect(a["name"], "throttling", ["clickstream-ingest"],
                 [("AWS/Lambda", "Throttles", {"FunctionName": "clickstream-ingest"}),
                  ("AWS/Lambda", "IteratorAge", {"FunctionName": "clickstream-ingest"})])
    s.readme = dict(decoys="UpdateFunctionCode on sessionizer 15 min before onset; constant malformed-record WARNING",
                    story="A FinOps guardrail job set reserved concurrency 4 on clickstream-ingest "
                          "(PutFunctionConcurrency). The Kinesis stream has 8 shards with parallelization factor 2, so "
                          "the poller needs up to ~10 concurrent executions; it is throttled continuously, batches "
                          "grow to the 500-record maximum and IteratorAge climbs steadily.")
    return s


BUILDERS = [h01_oom_after_memory_cut, h02_timeout_cut, h03_reserved_concurrency]
