"""h49-02: someone renames an environment variable of invoice-renderer in the console;
every PDF render now fails with a missing-setting error and API Gateway returns 502s.
An alarm on the function's `live` alias (no longer used) sits in INSUFFICIENT_DATA;
API Gateway access logging was never enabled."""
from __future__ import annotations

import json

from .common import (Clock, Rng, alarm, change, diurnal, expect, log_stream, metric, pts,
                     scenario)
from .lambda_sim import Inv, lambda_logs, lambda_metrics, node_line, simulate

NOW = "2026-03-14T09:25:00"
REGION = "eu-west-1"
API = "billing-api"
API_ID = "k3v9q2x7mb"
FN = "invoice-renderer"
CHANGE = -1380
LOG_FROM = -7200

ERR = "Missing required environment variable INVOICE_TEMPLATE_BUCKET"
STACK = [
    "Error: " + ERR,
    "    at requireEnv (file:///var/task/src/config.mjs:9:11)",
    "    at loadTemplate (file:///var/task/src/templates.mjs:22:18)",
    "    at renderInvoice (file:///var/task/src/render.mjs:41:26)",
    "    at Runtime.handler (file:///var/task/index.mjs:18:24)",
]


def build():
    rng = Rng(4902)
    clock = Clock(NOW)

    def render_rate(t):  # morning ramp in Dublin
        return 15.0 * diurnal(t, 0.25, 3000)

    def render(t, rid):
        inv_no = "INV-2026-%06d" % rng.randint(20000, 40000)
        acct = "acct_%04d" % rng.randint(1000, 9999)
        lines = [(0.004, node_line(clock, t + 0.004, rid, "INFO",
                                   "Rendering invoice %s for %s template=standard-v4 lines=%d"
                                   % (inv_no, acct, rng.randint(1, 24))))]
        if t >= CHANGE + 10:
            dur = rng.uniform(28, 55)
            body = json.dumps({"errorType": "Error", "errorMessage": ERR, "stack": STACK},
                              separators=(",", ":"))
            lines.append((dur / 1000 - 0.002, node_line(clock, t + dur / 1000 - 0.002, rid, "ERROR",
                                                        "Invoke Error \t" + body)))
            return Inv(t, rid, dur, "error", lines, rng.randint(118, 131))
        dur = max(600.0, rng.gauss(1850, 380))
        size = rng.randint(90000, 420000)
        lines.append((dur / 1000 - 0.01, node_line(clock, t + dur / 1000 - 0.01, rid, "INFO",
                                                   "Uploaded s3://acme-billing-invoices-prod/2026/03/%s.pdf (%d bytes) in %d ms"
                                                   % (inv_no, size, int(dur * 0.82)))))
        return Inv(t, rid, dur, "ok", lines, rng.randint(380, 540))

    r_invs = simulate(rng, clock, render_rate, render,
                      gen_fn=lambda t: 1 if t >= CHANGE + 10 else 0, init_ms=(410.0, 780.0))
    r_m = lambda_metrics(FN, r_invs)

    def list_call(t, rid):
        lines = [(0.003, node_line(clock, t + 0.003, rid, "INFO", "GET /invoices account=acct_%04d page=%d"
                                   % (rng.randint(1000, 9999), rng.randint(1, 6))))]
        if rng.random() < 0.03:  # old noise, same rate all day
            lines.append((0.004, node_line(clock, t + 0.004, rid, "WARN",
                                           "Deprecated query parameter 'page_size' used by client app_id=%s"
                                           % rng.choice(["erp-sync", "mobile-ios-3.2", "partner-portal"]))))
        return Inv(t, rid, max(25.0, rng.gauss(95, 25)), "ok", lines, rng.randint(88, 101))

    l_invs = simulate(rng, clock, lambda t: 34.0 * diurnal(t, 0.25, 3000), list_call,
                      init_ms=(180.0, 320.0))
    l_m = lambda_metrics("invoice-api", l_invs)

    # API Gateway: both functions sit behind billing-api; a function error is a 502
    def per_min(invs):
        c, e, d = {}, {}, {}
        for i in invs:
            m = int(i.t // 60) * 60
            c[m] = c.get(m, 0) + 1
            d[m] = d.get(m, 0) + i.dur
            if i.status != "ok":
                e[m] = e.get(m, 0) + 1
        return c, e, d
    rc, re_, rd = per_min(r_invs)
    lc, _, ld = per_min(l_invs)
    four = {t: rng.pois(2.6) for t in range(-21600, 0, 60)}
    dims = {"ApiName": API}
    cnt, e5, e4, lat, ilat = [], [], [], [], []
    for t in range(-21600, -59, 60):
        n = rc.get(t, 0) + lc.get(t, 0)
        cnt.append([t, float(n + four[t])])
        e5.append([t, float(re_.get(t, 0))])
        e4.append([t, float(four[t])])
        if n:
            integ = (rd.get(t, 0) + ld.get(t, 0)) / n
            ilat.append([t, round(integ, 2)])
            lat.append([t, round(integ + rng.uniform(9, 16), 2)])
    m_cnt = metric("AWS/ApiGateway", "Count", dims, "Count", cnt)
    m_5 = metric("AWS/ApiGateway", "5XXError", dims, "Count", e5)
    m_4 = metric("AWS/ApiGateway", "4XXError", dims, "Count", e4)
    m_lat = metric("AWS/ApiGateway", "Latency", dims, "Milliseconds", lat)
    m_ilat = metric("AWS/ApiGateway", "IntegrationLatency", dims, "Milliseconds", ilat)

    wh = {"FunctionName": "billing-webhooks"}
    m_wh_inv = metric("AWS/Lambda", "Invocations", wh, "Count", pts(lambda t: rng.pois(3.2), integer=True))
    m_wh_err = metric("AWS/Lambda", "Errors", wh, "Count", pts(lambda t: 0.0))
    m_wh_dur = metric("AWS/Lambda", "Duration", wh, "Milliseconds", pts(lambda t: rng.noise(210, 40)))

    logs = []
    for stream, ev in lambda_logs(clock, r_invs, LOG_FROM, 1024).items():
        logs.append(log_stream("/aws/lambda/" + FN, stream, ev))
    for stream, ev in lambda_logs(clock, l_invs, -3600, 256).items():
        logs.append(log_stream("/aws/lambda/invoice-api", stream, ev))
    # execution logging at ERROR level: only failed integrations are written
    exe = []
    for i in r_invs:
        if i.status == "ok" or i.t < LOG_FROM:
            continue
        gw = rng.uuid4()
        t = i.t + i.dur / 1000 + 0.01
        exe.append([t, "(%s) Lambda execution failed with status 200 due to customer function error: %s. "
                       "Lambda request id: %s" % (gw, ERR, i.rid)])
        exe.append([t + 0.001, "(%s) Method completed with status: 502" % gw])
    logs.append(log_stream("API-Gateway-Execution-Logs_%s/prod" % API_ID, rng.hx(32), exe))

    metrics = [m_cnt, m_5, m_4, m_lat, m_ilat] + list(r_m.values()) + list(l_m.values()) + \
              [m_wh_inv, m_wh_err, m_wh_dur]
    alarms = [
        alarm("billing-api-5xx", m_5, "Sum", 60, 3, 10.0, "GreaterThanThreshold", clock, "ALARM",
              "billing-api prod stage 5XX responses"),
        alarm("invoice-renderer-live-errors", None, "Sum", 300, 1, 5.0, "GreaterThanThreshold", clock,
              "INSUFFICIENT_DATA", "Errors on the live alias of invoice-renderer",
              namespace="AWS/Lambda", metric_name="Errors",
              dims={"FunctionName": FN, "Resource": FN + ":live"}, insufficient_since=-3456000),
        alarm("billing-api-4xx", m_4, "Sum", 300, 2, 60.0, "GreaterThanThreshold", clock, "OK"),
        alarm("invoice-api-errors", l_m["Errors"], "Sum", 60, 3, 5.0, "GreaterThanThreshold", clock, "OK"),
    ]
    changes = [
        change(-14400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "billing-webhooks", "gitlab-ci-billing"),
        change(-14380, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
               "billing-webhooks", "gitlab-ci-billing"),
        change(-9600, "lambda.amazonaws.com", "TagResource20170331v2", "AWS::Lambda::Function",
               "invoice-api", "finops-tagger"),
        change(CHANGE, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
               "AWS::Lambda::Function", FN, "j.moreau"),
    ]
    resources = [
        {"type": "apigateway", "id": API, "properties": {
            "api_id": API_ID, "stage": "prod", "endpoint_type": "REGIONAL",
            "execution_logging": "ERROR", "access_logging": "disabled",
            "integrations": {"GET /invoices": "invoice-api", "GET /invoices/{id}/pdf": FN}}},
        {"type": "lambda", "id": FN, "properties": {
            "runtime": "nodejs20.x", "timeout": 29, "memory_size": 1024,
            "environment": {"TEMPLATE_BUCKET_NAME": "acme-billing-templates-prod",
                            "OUTPUT_BUCKET": "acme-billing-invoices-prod", "PDF_DPI": "150",
                            "NODE_OPTIONS": "--enable-source-maps"}}},
        {"type": "lambda", "id": "invoice-api", "properties": {
            "runtime": "nodejs20.x", "timeout": 10, "memory_size": 256}},
        {"type": "lambda", "id": "billing-webhooks", "properties": {
            "runtime": "nodejs20.x", "timeout": 15, "memory_size": 256}},
    ]
    data = scenario("h49-02-lambda-env-var-renamed",
                    "Customers get 502 when downloading invoice PDFs; billing-api 5XX alarm.",
                    REGION, resources, metrics, logs, alarms, changes,
                    expect("billing-api-5xx", "config_change", [FN], [m_5, r_m["Errors"]]))
    meta = {
        "slug": "lambda-env-var-renamed", "region": REGION, "alarm": "billing-api-5xx",
        "category": "config_change", "resources": [FN], "alarm_on": "front (API Gateway)",
        "decoys": "billing-webhooks code deploy 4 h earlier; TagResource on invoice-api; steady 4XX and "
                  "'Deprecated query parameter' WARNs; alias alarm in INSUFFICIENT_DATA",
        "paragraph": (
            "At -23 min a person updated invoice-renderer's configuration in the console "
            "(UpdateFunctionConfiguration, no code change). The function's current environment has "
            "`TEMPLATE_BUCKET_NAME` while the code reads `INVOICE_TEMPLATE_BUCKET`: from the next "
            "(cold-started) invocations every render fails in ~40 ms with `Missing required environment "
            "variable INVOICE_TEMPLATE_BUCKET`, API Gateway's ERROR-level execution log shows the matching "
            "502s, and only the PDF route is affected (invoice-api, on the same API, is fine). Access "
            "logging was never enabled and the alarm on the unused `live` alias is INSUFFICIENT_DATA. The "
            "billing-webhooks deploy is hours older and on another function; the 4XX rate is unchanged. "
            "Error names a missing setting right after a configuration change: config_change of "
            "invoice-renderer; the alarm is on the API in front."),
    }
    return data, meta
