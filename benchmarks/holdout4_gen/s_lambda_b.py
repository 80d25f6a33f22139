"""Lambda incidents: reserved-concurrency throttling behind API Gateway (07), data-triggered bug (09),
third-party HTTP dependency (17), out of memory (18)."""
from __future__ import annotations

import json

import numpy as np

from . import lambdalogs as L
from .common import N, T, Ctx, after, alarm, apigw_metrics, change, find, log, ramp


def _set(m: dict, values) -> None:
    for p, v in zip(m["points"], values):
        p[1] = round(float(v), 3)


def s07():
    ctx = Ctx(707, "2026-11-23T09:35:00")
    region = "eu-west-2"
    fn = L.LambdaFn("doc-preview", "python3.12", 2048, 60, region, base_mem=910)
    api, api_id, reserved = "documents-api", "k7w2q9d1rf", 8
    onset = -2280
    # London morning: demand roughly triples from the overnight level
    demand = ctx.counts(ramp(-9000, onset + 300, 11, 63) * (1 + 0.05 * np.sin(T / 900)))
    cap = np.floor(reserved * 60 / ctx.rng.uniform(11.4, 12.6, N))
    inv = np.minimum(demand, cap)
    thr = demand - inv

    def ok(i, t, rid):
        d = float(np.clip(ctx.rng.normal(12000 if thr[i] > 0 else 11500, 1800), 3500, 30000))
        pages = ctx.rng.integers(1, 4)
        lines = []
        if ctx.rng.random() < 0.2:       # always there
            lines.append((1.3, "WARNING", "fontconfig: substituting 'Calibri' with 'Carlito'"))
        lines.append((d / 1000 - 0.05, "INFO", f"Converted s3://acme-docs-inbox/{ctx.hex(16)}.docx: {pages} preview PNGs in {d / 1000:.1f}s"))
        return L.Outcome(d, lines)

    metrics, logs, _ = L.block(ctx, fn, inv, np.zeros(N), ok, ok, throttles=thr)
    conc = find(metrics, "ConcurrentExecutions", FunctionName=fn.name)
    _set(conc, np.where(thr > 0, reserved, np.minimum([p[1] for p in conc["points"]], reserved)))
    dur = np.array([p[1] for p in find(metrics, "Duration", FunctionName=fn.name)["points"]])
    e4 = ctx.counts(0.6)
    e5 = thr + ctx.counts(0.02)
    lat = (inv * (dur + 38) + thr * ctx.rng.uniform(9, 16, N)) / np.maximum(demand, 1)
    metrics += apigw_metrics(api, demand + e4, e4, e5, lat)
    apilog = []
    for i in np.nonzero(thr)[0]:
        for _ in range(int(thr[i])):
            t = T[i] + ctx.rng.uniform(0, 60)
            r = ctx.uuid()
            apilog += [(t, f"({r}) Lambda invocation failed with status: 429. Lambda request id: {ctx.uuid()}"),
                       (t + 0.001, f"({r}) Execution failed due to configuration error: Rate Exceeded."),
                       (t + 0.002, f"({r}) Method completed with status: 500")]
    logs.append(log(f"API-Gateway-Execution-Logs_{api_id}/prod", ctx.hex(32), apilog))
    al = alarm(ctx, "documents-api-5xx", find(metrics, "5XXError", ApiName=api), "Sum", 60, 3, 10,
               description="documents-api prod 5XX responses")
    scenario = {
        "format": "aiops-scenario/v1", "name": "h4-07-doc-preview-reserved-concurrency",
        "description": "Customers see 'Internal server error' when opening document previews; documents-api 5XX "
                       "alarm paged the platform on-call.",
        "region": region,
        "resources": [
            {"type": "lambda", "id": fn.name, "properties": {"runtime": fn.runtime, "timeout": fn.timeout,
                                                             "memory_size": fn.memory, "reserved_concurrency": reserved}},
            {"type": "apigateway", "id": api, "properties": {"api_id": api_id, "stage": "prod",
                                                             "integration": f"lambda:{fn.name}"}},
        ],
        "metrics": metrics, "logs": logs, "alarms": [al],
        "changes": [change(-7800, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", api,
                           "m.iqbal")],
        "expect": {"alarm": al["name"], "root_cause": {"category": "throttling", "resource": [fn.name]},
                   "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": {"FunctionName": fn.name}},
                                 {"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": api}}]},
    }
    meta = {"region": region, "alarm": al["name"], "category": "throttling", "resources": [fn.name],
            "decoys": "UpdateStage on the alarmed API 75 min before the alarm; fontconfig WARNING at a constant rate; "
                      "API Gateway average Latency goes *down* (throttled requests fail fast)",
            "story": "doc-preview renders previews with headless LibreOffice (~12 s each) and was capped long ago at "
                     "reserved concurrency 8, i.e. about 40 conversions a minute. The normal London morning ramp "
                     "pushes demand past that: ConcurrentExecutions sits at 8, Throttles climb, and API Gateway "
                     "turns each Lambda 429 into a 500 (`Lambda invocation failed with status: 429`, `Rate "
                     "Exceeded`). Demand is the usual daily shape, not an anomaly; the hard limit is the cause."}
    return scenario, meta


def s09():
    ctx = Ctx(909, "2026-11-21T13:05:00")
    region = "us-east-1"
    fn = L.LambdaFn("shipment-tracker", "nodejs20.x", 256, 10, region, base_mem=88)
    notif = L.LambdaFn("shipment-notifier", "nodejs20.x", 256, 10, region, base_mem=84)
    onset = -2160
    inv = ctx.counts(ctx.daily(22.0, 0.12))
    # DHL started sending 'label_created' webhooks without the 'details' object
    bad = np.where(after(onset), ctx.rng.binomial(inv.astype(int), 0.24), 0)
    carriers = ["UPS", "FEDEX", "DHL", "USPS"]

    def ok(i, t, rid):
        d = float(ctx.rng.lognormal(np.log(42), 0.35))
        c = ctx.rng.choice(carriers)
        lines = []
        if c == "UPS" and ctx.rng.random() < 0.3:
            lines.append((0.003, "WARN", f"UPS webhook signature timestamp skew {ctx.rng.integers(3, 7)}s, accepting"))
        status = ctx.rng.choice(["in_transit", "out_for_delivery", "delivered", "label_created"])
        lines.append((d / 1000 - 0.004, "INFO", f"shipment shp_{ctx.hex(10)} carrier={c} status={status} updated"))
        return L.Outcome(d, lines)

    def fail(i, t, rid):
        d = float(ctx.rng.lognormal(np.log(18), 0.3))
        msg = "Cannot read properties of undefined (reading 'trackingNumber')"
        stack = [f"TypeError: {msg}", "    at normalizeEvent (file:///var/task/carriers/dhl.mjs:41:38)",
                 "    at Array.map (<anonymous>)", "    at parseWebhook (file:///var/task/carriers/index.mjs:27:22)",
                 "    at Runtime.handler (file:///var/task/index.mjs:19:18)"]
        body = json.dumps({"errorType": "TypeError", "errorMessage": msg, "stack": stack}, separators=(",", ":"))
        o = L.Outcome(d, [(0.002, "INFO", "received DHL webhook event=label_created")], kind="error")
        o.raw.append((d / 1000 - 0.001, f"{ctx.iso(t + d / 1000)}\t{rid}\tERROR\tInvoke Error \t{body}"))
        return o

    metrics, logs, _ = L.block(ctx, fn, inv, bad, ok, fail)
    m2, l2, _ = L.quiet(ctx, notif, ctx.daily(9.0, 0.12), 230,
                        lambda t: f"sent SMS update via Pinpoint to +1******{ctx.rng.integers(1000, 9999)}",
                        restarts=(-2460,))
    metrics += m2
    logs += l2
    al = alarm(ctx, "shipment-tracker-errors", find(metrics, "Errors", FunctionName=fn.name), "Sum", 300, 1, 10,
               description="shipment-tracker errors over 5 minutes")
    scenario = {
        "format": "aiops-scenario/v1", "name": "h4-09-shipment-tracker-typeerror",
        "description": "Order tracking pages show stale statuses; the shipment-tracker Errors alarm is in ALARM.",
        "region": region,
        "resources": [
            {"type": "lambda", "id": fn.name, "properties": {"runtime": fn.runtime, "timeout": fn.timeout,
                                                             "memory_size": fn.memory}},
            {"type": "lambda", "id": notif.name, "properties": {"runtime": notif.runtime, "timeout": notif.timeout,
                                                                "memory_size": notif.memory}},
        ],
        "metrics": metrics, "logs": logs, "alarms": [al],
        "changes": [change(-2460, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
                           notif.name, "circleci-deploy"),
                    change(-18300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
                           fn.name, "circleci-deploy")],
        "expect": {"alarm": al["name"], "root_cause": {"category": "application_error", "resource": [fn.name]},
                   "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn.name}}]},
    }
    meta = {"region": region, "alarm": al["name"], "category": "application_error", "resources": [fn.name],
            "decoys": "shipment-notifier (other function) deployed 5 min before onset; shipment-tracker's own deploy "
                      "5 h earlier; UPS clock-skew WARN at a constant rate",
            "story": "A carrier began sending `label_created` webhooks without a `details` object. The parser "
                     "dereferences `details.trackingNumber`, so about a quarter of invocations die with `TypeError: "
                     "Cannot read properties of undefined (reading 'trackingNumber')`. Nothing in the account changed "
                     "for this function (its last deploy ran cleanly for five hours); the neighbour's deploy is a "
                     "coincidence."}
    return scenario, meta


def s17():
    ctx = Ctx(1717, "2026-11-27T19:20:00")
    region = "us-east-1"
    fn = L.LambdaFn("tax-calc", "python3.12", 512, 30, region, base_mem=104)
    rep = L.LambdaFn("tax-report-nightly", "python3.12", 1024, 900, region, base_mem=380)
    host = "api.taxbridge.io"
    onset = -2040
    inv = ctx.counts(ctx.daily(20.0, 0.3, phase=0.5))
    bad = np.where(after(onset), ctx.rng.binomial(inv.astype(int), 0.46), 0)
    warn_retry = (f"Retrying (Retry(total=1, connect=None, read=None, redirect=None, status=None)) after connection "
                  f"broken by 'ReadTimeoutError(\"HTTPSConnectionPool(host='{host}', port=443): Read timed out. "
                  f"(read timeout=5)\")': /v2/rates")

    def ok(i, t, rid):
        lines = []
        if ctx.rng.random() < 0.07:
            lines.append((0.002, "WARNING", "address validation: ZIP+4 missing, using 5-digit ZIP"))
        slow = T[i] >= onset and ctx.rng.random() < 0.3
        d = float(ctx.rng.lognormal(np.log(160), 0.3)) + (5010 if slow else 0)
        if slow:
            lines.append((5.005, "WARNING", warn_retry))
        lines.append((d / 1000 - 0.003, "INFO", f"tax quote cart_{ctx.hex(8)} zip={ctx.rng.integers(10000, 99999)} "
                                                f"rate={ctx.rng.uniform(0.04, 0.1):.4f}"))
        return L.Outcome(d, lines)

    def fail(i, t, rid):
        if ctx.rng.random() < 0.7:
            d = 15000 + float(ctx.rng.uniform(40, 400))
            exc = (f"requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='{host}', port=443): Read timed out. "
                   "(read timeout=5)")
            pre = [(5.005, "WARNING", warn_retry), (10.01, "WARNING", warn_retry.replace("total=1", "total=0"))]
        else:
            d = float(ctx.rng.lognormal(np.log(900), 0.3))
            exc = f"requests.exceptions.HTTPError: 503 Server Error: Service Unavailable for url: https://{host}/v2/rates"
            pre = []
        frames = [("/var/task/app.py", 51, "handler", "rate = rates.lookup(cart['ship_to'])"),
                  ("/var/task/tax/rates.py", 88, "lookup", "resp = session.get(f'{BASE}/v2/rates', params=q, timeout=5)"),
                  ("/var/task/requests/sessions.py", 602, "get", 'return self.request("GET", url, **kwargs)')]
        o = L.Outcome(d, pre, kind="error")
        o.raw += L.py_unhandled(ctx, d / 1000 - 0.003, exc, frames)
        return o

    metrics, logs, _ = L.block(ctx, fn, inv, bad, ok, fail)
    m2, l2, _ = L.quiet(ctx, rep, np.where((T > -1700) & (T < -1400), 1.0, 0.04), 42000,
                        lambda t: f"wrote state filing batch {ctx.hex(6)}")
    metrics += m2
    logs += l2
    al = alarm(ctx, "tax-calc-errors", find(metrics, "Errors", FunctionName=fn.name), "Sum", 60, 3, 5,
               description="Checkout tax calculation failures")
    scenario = {
        "format": "aiops-scenario/v1", "name": "h4-17-tax-calc-partner-timeouts",
        "description": "Checkout errors at 'calculating tax' step; tax-calc Errors alarm fired.",
        "region": region,
        "resources": [
            {"type": "lambda", "id": fn.name, "properties": {"runtime": fn.runtime, "timeout": fn.timeout,
                                                             "memory_size": fn.memory}},
            {"type": "lambda", "id": rep.name, "properties": {"runtime": rep.runtime, "timeout": rep.timeout,
                                                              "memory_size": rep.memory}},
        ],
        "metrics": metrics, "logs": logs, "alarms": [al],
        "changes": [change(-16200, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
                           "AWS::Lambda::Function", fn.name, "terraform")],
        "expect": {"alarm": al["name"], "root_cause": {"category": "dependency_failure", "resource": [fn.name, host]},
                   "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn.name}},
                                 {"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": fn.name}}]},
    }
    meta = {"region": region, "alarm": al["name"], "category": "dependency_failure", "resources": [fn.name, host],
            "decoys": "config change of tax-calc 4.5 h earlier; tax-report-nightly run (Duration/Invocations spike) "
                      "during the incident; ZIP+4 WARNING at a constant rate",
            "story": "The external tax-rate provider (api.taxbridge.io, not in the account) degraded: reads time out "
                     "after 5 s and some calls return 503. With two retries, failing invocations take ~15 s and raise "
                     "`ReadTimeout` or `HTTPError: 503`; about half of all quotes fail. The function itself is fine "
                     "and well under its 30 s timeout."}
    return scenario, meta


def s18():
    ctx = Ctx(1818, "2026-11-22T06:10:00")
    region = "us-west-2"
    fn = L.LambdaFn("csv-ingest", "python3.12", 1024, 300, region, base_mem=330)
    st = L.LambdaFn("ingest-status-api", "python3.12", 256, 10, region, base_mem=90)
    onset = -2640
    base = ctx.counts(ctx.daily(2.2, 0.2))
    bad = np.where(after(onset), ctx.rng.binomial(4, 0.5, N), 0).astype(float)   # one partner's files, retried twice
    inv = base + bad
    partners = ["contoso", "fabrikam", "tailspin", "northwind", "litware"]

    def ok(i, t, rid):
        p = ctx.rng.choice(partners)
        mb = float(ctx.rng.lognormal(np.log(18), 0.5))
        d = 900 + mb * 260 * ctx.rng.uniform(0.8, 1.2)
        lines = [(0.01, "INFO", f"Loading s3://acme-partner-drop/{p}/{ctx.wall(t).strftime('%Y-%m-%d')}/"
                                f"delta_{ctx.rng.integers(1, 40):04d}.csv ({mb:.1f} MB)")]
        if ctx.rng.random() < 0.1:
            lines.append((0.4, "WARNING", f"skipping row {ctx.rng.integers(2, 90000)}: invalid date '31/02/2026'"))
        rows = int(mb * 5200)
        lines.append((d / 1000 - 0.02, "INFO", f"Upserted {rows} rows into warehouse staging.{p}_orders"))
        return L.Outcome(d, lines, max_mem=int(fn.base_mem + mb * 9 + ctx.rng.integers(0, 40)))

    def fail(i, t, rid):
        mb = float(ctx.rng.uniform(380, 460))
        d = float(ctx.rng.uniform(21000, 38000))
        lines = [(0.01, "INFO", f"Loading s3://acme-partner-drop/northwind/{ctx.wall(t).strftime('%Y-%m-%d')}/"
                                f"full_export_{ctx.rng.integers(1, 12):04d}.csv ({mb:.1f} MB)")]
        o = L.Outcome(d, lines, kind="oom", max_mem=fn.memory)
        o.raw.append((d / 1000 - 0.001, f"RequestId: {rid} Error: Runtime exited with error: signal: killed\n"
                                        "Runtime.ExitError"))
        return o

    metrics, logs, _ = L.block(ctx, fn, inv, bad, ok, fail)
    m2, l2, _ = L.quiet(ctx, st, ctx.daily(6.0, 0.2), 55, lambda t: "GET /status 200", restarts=(-2820,))
    metrics += m2
    logs += l2
    al = alarm(ctx, "csv-ingest-errors", find(metrics, "Errors", FunctionName=fn.name), "Sum", 300, 1, 3,
               description="Partner CSV ingest failures")
    scenario = {
        "format": "aiops-scenario/v1", "name": "h4-18-csv-ingest-oom",
        "description": "Partner order feeds not showing up in the warehouse; csv-ingest Errors alarm fired.",
        "region": region,
        "resources": [
            {"type": "lambda", "id": fn.name, "properties": {"runtime": fn.runtime, "timeout": fn.timeout,
                                                             "memory_size": fn.memory}},
            {"type": "lambda", "id": st.name, "properties": {"runtime": st.runtime, "timeout": st.timeout,
                                                             "memory_size": st.memory}},
        ],
        "metrics": metrics, "logs": logs, "alarms": [al],
        "changes": [change(-2820, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
                           st.name, "jenkins")],
        "expect": {"alarm": al["name"], "root_cause": {"category": "memory_exhaustion", "resource": [fn.name]},
                   "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn.name}}]},
    }
    meta = {"region": region, "alarm": al["name"], "category": "memory_exhaustion", "resources": [fn.name],
            "decoys": "ingest-status-api deployed 3 min before onset; 'skipping row: invalid date' WARNING at a "
                      "constant rate",
            "story": "One partner switched from daily deltas (~20 MB) to full exports (~400 MB). The function "
                     "loads each file into memory, reaches its 1024 MB limit and is killed (`Runtime exited with "
                     "error: signal: killed`, REPORT `Max Memory Used: 1024 MB`, `Runtime.OutOfMemory`); S3's async "
                     "retries add invocations. Other partners' files still load."}
    return scenario, meta
