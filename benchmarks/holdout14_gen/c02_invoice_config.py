"""h14-02: an environment-variable edit on invoice-renderer (RENDER_TIMEOUT_SECONDS=20s) makes
every PDF render fail; billing-api's 5XXError alarm fires in front of it."""
from __future__ import annotations

import datetime as dt

import numpy as np

from .common import N, T, Ctx, alarm, change, metric, ok_alarm, scenario, spread, stream
from .logfmt import LAMBDA_WARNING, LambdaLog, apigw_access, py, py_unhandled

META = {
    "file": "h14-02-invoice-renderer-env.yaml", "region": "ap-southeast-2", "alarm": "billing-api-5xx",
    "category": "config_change", "resources": ["invoice-renderer"],
    "position": "front (API Gateway in front of the Lambda)",
    "decoys": "code deploy + PublishVersion of invoice-renderer 4.3 h earlier with no error change; constant "
              "font-fallback WARNINGs and handled 'invoice not found' ERROR lines; quote-calculator 4xx",
    "story": "A person edited invoice-renderer's configuration 35 minutes ago (UpdateFunctionConfiguration); the "
             "function's current environment shows RENDER_TIMEOUT_SECONDS='20s'. From the next invocation on, every "
             "render path fails with ValueError: invalid literal for int() with base 10: '20s' raised in "
             "renderer/settings.py render_timeout, i.e. an invalid setting; only cache hits still succeed, so "
             "Duration drops while Errors and billing-api 5XXError rise. The code deploy of the same function "
             "4.3 hours earlier was followed by hours of clean renders, so the config change (which also beats a "
             "deployment in the tie-break) is the trigger.",
}

REGION = "ap-southeast-2"
API, API_ID, STAGE = "billing-api", "k3x9m2p7qa", "prod"
FN = "invoice-renderer"
CHANGE_AT = -2100.0
OLD_DEPLOY = -15600.0
LOG_START = -5400.0


def build(seed: int) -> dict:
    ctx = Ctx(seed, dt.datetime(2026, 3, 11, 4, 25, tzinfo=dt.timezone.utc), 11.0, REGION)
    rng = ctx.rng
    shape = ctx.diurnal(peak=14.0, amp=0.4)
    inv_r = ctx.poisson(16 * shape)
    inv_q = ctx.poisson(17 * shape)

    rl = LambdaLog(ctx, FN, "python3.12", 1024, envs=3, start=LOG_START)
    ql = LambdaLog(ctx, "quote-calculator", "python3.12", 512, envs=3, start=LOG_START)
    access = []
    err_r = np.zeros(N)
    dur_r = np.zeros(N)
    conc_r = np.zeros(N)
    handled_404 = np.zeros(N)
    q4xx = np.zeros(N)
    dur_q = np.zeros(N)
    lat = np.zeros(N)
    integ = np.zeros(N)
    switched = False
    for i in range(N):
        t0 = float(T[i])
        if t0 >= CHANGE_AT and not switched:
            rl.redeploy(CHANGE_AT + 5)
            switched = True
        durs, lats, ints = [], [], []
        for rel in spread(ctx, i, inv_r[i]):
            rid = ctx.uuid()
            inv = f"INV-2026-{ctx.randint(10000, 99999)}"
            locale = ctx.pick(["en_AU", "en_AU", "en_AU", "en_NZ", "en_GB", "de_DE", "th_TH"])
            cached = rng.random() < 0.34
            lines = [(0.02, py(ctx, rel + 0.02, "INFO", rid, f"Fetched invoice {inv} (locale={locale}, lines={ctx.randint(1, 40)})"))]
            status, length = 200, ctx.randint(380, 520)
            if rng.random() < 0.012:  # handled: invoice does not exist
                d = ctx.uni(25, 60)
                lines.append((0.03, py(ctx, rel + 0.03, "ERROR", rid, f"Invoice {inv} not found for tenant t_{ctx.randint(100, 999)}; returning 404")))
                status, length = 404, 64
                handled_404[i] += 1
            elif cached:
                d = ctx.uni(60, 170)
                lines.append((d / 1000 - 0.01, py(ctx, rel + d / 1000 - 0.01, "INFO", rid,
                                                    f"Cache hit s3://acme-au-invoice-pdf-cache/{inv}.pdf, returning presigned URL")))
            elif t0 >= CHANGE_AT:
                d = ctx.uni(35, 80)
                lines.append((d / 1000 - 0.006, LAMBDA_WARNING))
                lines.append((d / 1000 - 0.005, py_unhandled("ValueError", "invalid literal for int() with base 10: '20s'", [
                    ("/var/task/app.py", 61, "handler", "pdf_key = render_invoice(invoice, locale)"),
                    ("/var/task/renderer/pdf.py", 44, "render_invoice", "timeout = settings.render_timeout()"),
                    ("/var/task/renderer/settings.py", 27, "render_timeout",
                     'return int(os.environ.get("RENDER_TIMEOUT_SECONDS", "25"))')])))
                err_r[i] += 1
                status, length = 502, 36
            else:
                d = float(np.clip(rng.lognormal(np.log(2300), 0.25), 900, 7000))
                if locale == "th_TH" and rng.random() < 0.7:
                    lines.append((0.4, py(ctx, rel + 0.4, "WARNING", rid, "Font 'Noto Sans Thai' not embedded in template v7; falling back to 'DejaVu Sans'")))
                lines.append((d / 1000 - 0.05, py(ctx, rel + d / 1000 - 0.05, "INFO", rid,
                                                    f"Rendered {inv} template=v7 pages={ctx.randint(1, 6)} size={ctx.randint(90, 420)}KB in {d / 1000:.2f}s")))
            durs.append(d)
            overhead = ctx.uni(9, 22)
            ints.append(d + ctx.uni(3, 9))
            lats.append(ints[-1] + overhead)
            if rel >= LOG_START:
                rl.invoke(rel, lines, d, ctx.randint(168, 240) if cached else ctx.randint(310, 520), rid=rid)
                access.append((rel + d / 1000 + 0.02, apigw_access(
                    ctx, rel, ctx.uuid(), ctx.public_ip(), "GET", f"/{STAGE}/invoices/{inv}/pdf", "/invoices/{id}/pdf",
                    status, length, int(lats[-1]), int(ints[-1]),
                    error="Internal server error" if status == 502 else None)))
        for rel in spread(ctx, i, inv_q[i]):
            rid = ctx.uuid()
            d = float(np.clip(rng.lognormal(np.log(140), 0.3), 40, 900))
            method, path, res = ("POST", f"/{STAGE}/quotes", "/quotes") if rng.random() < 0.6 else \
                ("GET", f"/{STAGE}/quotes/Q-{ctx.randint(100000, 999999)}", "/quotes/{id}")
            status = 200 if method == "GET" else 201
            lines = []
            if method == "POST" and rng.random() < 0.03:
                pc = ctx.pick(["0872", "6770", "0822", "7255"])
                lines.append((0.05, py(ctx, rel + 0.05, "WARNING", rid, f"Quote rejected: postcode {pc} outside service area")))
                status = 422
                q4xx[i] += 1
            else:
                lines.append((d / 1000 - 0.01, py(ctx, rel + d / 1000 - 0.01, "INFO", rid,
                                                    f"{'Created' if method == 'POST' else 'Loaded'} quote Q-{ctx.randint(100000, 999999)} total={rng.lognormal(6, 0.8):.2f} AUD")))
            durs_q = d
            dur_q[i] += durs_q
            i_ms = d + ctx.uni(3, 9)
            ints.append(i_ms)
            lats.append(i_ms + ctx.uni(9, 22))
            if rel >= LOG_START:
                ql.invoke(rel, lines, d, ctx.randint(92, 118), rid=rid)
                access.append((rel + d / 1000 + 0.02, apigw_access(
                    ctx, rel, ctx.uuid(), ctx.public_ip(), method, path, res, status, ctx.randint(200, 900),
                    int(lats[-1]), int(i_ms))))
        dur_r[i] = np.mean(durs) if durs else np.nan
        dur_q[i] = dur_q[i] / inv_q[i] if inv_q[i] else np.nan
        lat[i] = np.mean(lats) if lats else np.nan
        integ[i] = np.mean(ints) if ints else np.nan
        conc_r[i] = max(1, round(inv_r[i] * (dur_r[i] if durs else 100) / 60000 * 2.2 + rng.random()))
    # junk traffic answered by API Gateway itself (no integration)
    junk = ctx.poisson(0.6)
    for i in range(N):
        for rel in spread(ctx, i, junk[i]):
            if rel >= LOG_START:
                access.append((rel, apigw_access(ctx, rel, ctx.uuid(), ctx.public_ip(), "GET",
                                                 ctx.pick(["/", "/.env", "/prod/admin", "/prod/invoices"]), "-", 403, 42,
                                                 ctx.randint(1, 4), None, error="Missing Authentication Token")))

    fn = {"FunctionName": FN}
    qd = {"FunctionName": "quote-calculator"}
    api = {"ApiName": API}
    five = err_r + ctx.poisson(0.02)
    metrics = [
        metric("AWS/ApiGateway", "Count", api, "Count", inv_r + inv_q + junk),
        metric("AWS/ApiGateway", "5XXError", api, "Count", five),
        metric("AWS/ApiGateway", "4XXError", api, "Count", handled_404 + q4xx + junk),
        metric("AWS/ApiGateway", "Latency", api, "Milliseconds", lat),
        metric("AWS/ApiGateway", "IntegrationLatency", api, "Milliseconds", integ),
        metric("AWS/Lambda", "Invocations", fn, "Count", inv_r),
        metric("AWS/Lambda", "Errors", fn, "Count", err_r),
        metric("AWS/Lambda", "Throttles", fn, "Count", np.zeros(N)),
        metric("AWS/Lambda", "Duration", fn, "Milliseconds", dur_r),
        metric("AWS/Lambda", "ConcurrentExecutions", fn, "Count", conc_r),
        metric("AWS/Lambda", "Invocations", qd, "Count", inv_q),
        metric("AWS/Lambda", "Errors", qd, "Count", np.zeros(N)),
        metric("AWS/Lambda", "Throttles", qd, "Count", np.zeros(N)),
        metric("AWS/Lambda", "Duration", qd, "Milliseconds", dur_q),
    ]
    # five is what the alarm saw; keep the 5XX series identical
    alarms = [
        alarm(ctx, "billing-api-5xx", "AWS/ApiGateway", "5XXError", api, five, "Sum", 60, 3, 5.0,
              description="billing-api returning 5xx to customers"),
        ok_alarm("invoice-renderer-duration-p95", "AWS/Lambda", "Duration", fn, "p95", 300, 3, 20000.0),
        ok_alarm("quote-calculator-errors", "AWS/Lambda", "Errors", qd, "Sum", 60, 5, 5.0),
    ]
    changes = [
        change(OLD_DEPLOY, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", FN, "ci-deployer"),
        change(OLD_DEPLOY + 14, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", FN, "ci-deployer"),
        change(CHANGE_AT, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", FN, "m.nguyen"),
    ]
    resources = [
        {"type": "apigateway", "id": API, "properties": {
            "api_id": API_ID, "stage": STAGE, "endpoint": "REGIONAL",
            "routes": {"GET /invoices/{id}/pdf": FN, "POST /quotes": "quote-calculator", "GET /quotes/{id}": "quote-calculator"},
            "access_log_group": f"/aws/apigateway/{API}/{STAGE}-access"}},
        {"type": "lambda", "id": FN, "properties": {
            "runtime": "python3.12", "timeout": 30, "memory_size": 1024, "handler": "app.handler",
            "environment": {"TEMPLATE_BUCKET": "acme-au-invoice-templates", "PDF_CACHE_BUCKET": "acme-au-invoice-pdf-cache",
                            "TEMPLATE_VERSION": "v7", "RENDER_TIMEOUT_SECONDS": "20s", "LOG_LEVEL": "INFO"}}},
        {"type": "lambda", "id": "quote-calculator", "properties": {
            "runtime": "python3.12", "timeout": 10, "memory_size": 512,
            "environment": {"RATES_TABLE": "quote-rates", "LOG_LEVEL": "INFO"}}},
    ]
    logs = rl.logs() + ql.logs() + [stream(f"/aws/apigateway/{API}/{STAGE}-access", f"{API_ID}-{STAGE}", access)]
    return scenario("h14-02-invoice-renderer-env",
                    "billing-api 5xx alarm; customers in AU/NZ cannot download invoice PDFs from the portal.",
                    REGION, resources, metrics, logs, alarms, changes,
                    {"alarm": META["alarm"], "root_cause": {"category": META["category"], "resource": META["resources"]},
                     "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": fn},
                                   {"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": api}]})
