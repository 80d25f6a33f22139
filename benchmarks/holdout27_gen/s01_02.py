"""h27-01 (alias shift to a bad Lambda version) and h27-02 (renamed environment variable)."""
from __future__ import annotations

import json
import math
import random

from .common import (Clock, alarm, alarm_on, change, daily, expect, hexid, metric, minutes, noisy, pois, rid,
                     scenario, stream)
from .lambda_sim import FnSim, node_line, py_line, spread

VOUCHERS = ["WINTER15", "FREESHIP", "BFRIDAY20", "LOYAL10", "WELCOME5"]


# =========================================================================== 01 ===
def build_01():
    rng = random.Random(270101)
    ck = Clock("2026-11-19T15:20:00Z")
    region = "eu-central-1"
    T_CODE, T_PUB, T_ALIAS, T_STAGE = -2520, -2508, -2490, -600
    fn = FnSim("checkout-pricing", 512, ck, rng, log_from=-9000, runtime_version="nodejs:20.v41",
               region=region)
    nl = FnSim("newsletter-sender", 256, ck, rng, log_from=-9000, pool=1, region=region)
    api_id = "k3v9qz71ab"
    ts = list(minutes(-21600))
    cnt, e4, e5, lat, ilat = [], [], [], [], []
    exec_log = []
    for m in ts:
        mu = 24 * daily(ck.hour(m, 1), 0.2)
        n = pois(rng, mu)
        durs, errs = [], 0
        for t in spread(rng, m, n):
            ver = "37" if t >= T_ALIAS else "36"
            req = rid(rng)
            cart = f"c_{hexid(rng, 8)}"
            items = rng.randint(1, 7)
            sub = round(rng.uniform(9, 260), 2)
            body = [(0.004, node_line(ck, t + 0.004, req, "info",
                                      f"pricing cart {cart} items={items} currency=EUR channel=web"))]
            voucher = rng.random() < 0.33
            err = False
            if voucher and ver == "37":
                code = rng.choice(VOUCHERS)
                err = True
                dur = rng.uniform(22, 48)
                stack = ["TypeError: Cannot read properties of undefined (reading 'rate')",
                         "    at applyVoucher (/var/task/dist/pricing/vouchers.js:88:47)",
                         "    at priceCart (/var/task/dist/pricing/index.js:142:19)",
                         "    at async Runtime.handler (/var/task/dist/handler.js:31:20)"]
                body.append((0.012, node_line(ck, t + 0.012, req, "info", f"applying voucher {code} to cart {cart}")))
                body.append((dur / 1000 - 0.002, node_line(
                    ck, t + dur / 1000 - 0.002, req, "error", "Invoke Error \t" + json.dumps(
                        {"errorType": "TypeError",
                         "errorMessage": "Cannot read properties of undefined (reading 'rate')",
                         "stack": stack}, separators=(",", ":")))))
            else:
                dur = rng.lognormvariate(math.log(150), 0.3)
                disc = 0.0
                if voucher:
                    code = rng.choice(VOUCHERS)
                    disc = round(sub * rng.choice([0.05, 0.1, 0.15, 0.2]), 2)
                    body.append((0.012, node_line(ck, t + 0.012, req, "info",
                                                  f"voucher {code} applied to cart {cart}: -{disc:.2f} EUR")))
                body.append((dur / 1000 - 0.003, node_line(
                    ck, t + dur / 1000 - 0.003, req, "info",
                    f"priced cart {cart} subtotal={sub:.2f} discount={disc:.2f} total={sub - disc:.2f} "
                    f"in {dur:.0f}ms")))
            if rng.random() < 0.03:   # pre-existing, same rate all day
                body.append((0.02, node_line(ck, t + 0.02, req, "error",
                                             "metrics flush failed: Error: getaddrinfo ENOTFOUND "
                                             "statsd.observability.svc.cluster.local")))
            fn.invoke(m, t, req, ver, body, dur, rng.randint(112, 138), error=err)
            errs += err
            durs.append(dur)
            if t >= T_STAGE:
                ar = rid(rng)
                exec_log.append((t - 0.01, f"({ar}) Starting execution for request: {ar}"))
                exec_log.append((t + dur / 1000 + 0.01,
                                 f"({ar}) Endpoint response body before transformations: " +
                                 ('{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined (reading \'rate\')"}'
                                  if err else '{"statusCode":200,"body":"{\\"cart\\":\\"%s\\"}"}' % cart)))
                if err:
                    exec_log.append((t + dur / 1000 + 0.012,
                                     f"({ar}) Lambda execution failed with status 200 due to customer function "
                                     f"error: Cannot read properties of undefined (reading 'rate'). "
                                     f"Lambda request id: {req}"))
                exec_log.append((t + dur / 1000 + 0.014,
                                 f"({ar}) Method completed with status: {502 if err else 200}"))
        cnt.append((m, n))
        e4.append((m, pois(rng, n * 0.012)))
        e5.append((m, errs))
        if durs:
            avg = sum(durs) / len(durs)
            lat.append((m, avg + rng.uniform(18, 30)))
            ilat.append((m, avg + rng.uniform(3, 7)))
    for m in ts:
        if (m // 60) % 5 == 0:
            t = m + rng.uniform(0.2, 1.5)
            req = rid(rng)
            d = rng.uniform(1800, 3400)
            k = rng.randint(40, 160)
            body = [(0.01, py_line(ck, t + 0.01, req, "info", f"dequeued {k} newsletter jobs from digest queue")),
                    (d / 1000 - 0.01, py_line(ck, t + d / 1000 - 0.01, req, "info",
                                              f"sent {k} emails via SES (bounces=0) in {d / 1000:.1f}s"))]
            nl.invoke(m, t, req, "$LATEST", body, d, rng.randint(88, 97))
    api_dims = {"ApiName": "checkout-api"}
    metrics = fn.metrics(ts) + nl.metrics(ts) + [
        metric("AWS/ApiGateway", "Count", api_dims, "Count", cnt),
        metric("AWS/ApiGateway", "4XXError", api_dims, "Count", e4),
        metric("AWS/ApiGateway", "5XXError", api_dims, "Count", e5),
        metric("AWS/ApiGateway", "Latency", api_dims, "Milliseconds", lat),
        metric("AWS/ApiGateway", "IntegrationLatency", api_dims, "Milliseconds", ilat)]
    logs = fn.logs() + nl.logs() + [stream(f"API-Gateway-Execution-Logs_{api_id}/prod", hexid(rng, 32), exec_log)]
    resources = [
        {"type": "lambda", "id": "checkout-pricing",
         "properties": {"runtime": "nodejs20.x", "timeout": 10, "memory_size": 512, "handler": "dist/handler.handler",
                        "description": "Cart pricing, taxes and vouchers", "last_modified": T_CODE,
                        "latest_published_version": "37", "aliases": {"live": "37"},
                        "tags": {"team": "checkout", "cost-center": "cc-4120"}}},
        {"type": "lambda", "id": "newsletter-sender",
         "properties": {"runtime": "python3.12", "timeout": 120, "memory_size": 256, "last_modified": -14400}},
        {"type": "apigateway", "id": "checkout-api",
         "properties": {"api_id": api_id, "stage": "prod", "integration": "AWS_PROXY checkout-pricing:live",
                        "execution_logging": "INFO"}},
    ]
    changes = [
        change(-14400, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
               "newsletter-sender", "terraform-ci"),
        change(-7260, "lambda.amazonaws.com", "TagResource20170331v2", "AWS::Lambda::Function",
               "checkout-pricing", "lena.huber@sso"),
        change(T_CODE, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "checkout-pricing", "github-actions-deploy"),
        change(T_PUB, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
               "checkout-pricing", "github-actions-deploy"),
        change(T_ALIAS, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function",
               "checkout-pricing", "github-actions-deploy"),
        change(T_STAGE, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage",
               "checkout-api", "oncall.mkeller@sso"),
    ]
    alarms = [
        alarm_on(metrics, "checkout-api-5xx", "AWS/ApiGateway", "5XXError", api_dims, "Sum", 60, 3, 3,
                 "GreaterThanThreshold", T_ALIAS - 60, "Checkout API 5xx responses"),
        alarm("newsletter-sender-errors", "AWS/Lambda", "Errors", {"FunctionName": "newsletter-sender"}, "Sum",
              300, 1, 1, "GreaterThanThreshold", "OK", -86000),
    ]
    return scenario(
        "h27-01-checkout-voucher-alias-shift",
        "Checkout API returning 5xx since mid-afternoon; customers with vouchers cannot complete checkout.",
        region, resources, metrics, logs, alarms, changes,
        expect("checkout-api-5xx", "bad_deployment", ["checkout-pricing", "checkout-pricing:live"],
               [("AWS/ApiGateway", "5XXError", api_dims),
                ("AWS/Lambda", "Errors", {"FunctionName": "checkout-pricing"})]))


# =========================================================================== 02 ===
def build_02():
    rng = random.Random(270202)
    ck = Clock("2026-11-18T06:10:00Z")
    region = "ap-northeast-1"
    T_CODE, T_CFG, T_PG, T_SG = -19800, -2880, -1800, -5400
    fn = FnSim("invoice-renderer", 1024, ck, rng, log_from=-10800, pool=4, region=region)
    ts = list(minutes(-21600))
    retries = {}
    for m in ts:
        n = pois(rng, 11 * daily(ck.hour(m, 9), 0.3))
        jobs = [(t, f"INV-2026-{rng.randint(100000, 999999)}", 0) for t in spread(rng, m, n)]
        jobs += retries.pop(m, [])
        for t, inv, attempt in sorted(jobs):
            req = rid(rng)
            tenant = f"t_{rng.randint(1000, 9999)}"
            pages = rng.choice([1, 1, 1, 2, 2, 3, 5])
            render = rng.lognormvariate(math.log(520 + 140 * pages), 0.25)
            body = [(0.003, py_line(ck, t + 0.003, req, "info",
                                    f"rendering invoice {inv} tenant={tenant} template=standard-ja pages={pages}"
                                    + (f" attempt={attempt + 1}" if attempt else "")))]
            if rng.random() < 0.18:
                body.append((0.05, py_line(ck, t + 0.05, req, "warning",
                                           "/var/task/weasyprint/text/fonts.py:296: UserWarning: Font 'Noto Sans CJK JP' "
                                           "has no glyph for U+2E3A, falling back to 'IPAexGothic'")))
            body.append((render / 1000, py_line(ck, t + render / 1000, req, "info",
                                                f"rendered {inv} ({pages} pages) in {render:.0f} ms")))
            if t >= T_CFG + 25:
                dur = render + rng.uniform(4, 12)
                body.append((dur / 1000 - 0.001,
                             "[ERROR] KeyError: 'INVOICE_OUTPUT_BUCKET'\nTraceback (most recent call last):\n"
                             "  File \"/var/task/invoice_renderer/handler.py\", line 58, in lambda_handler\n"
                             "    key = store_pdf(pdf_bytes, invoice)\n"
                             "  File \"/var/task/invoice_renderer/storage.py\", line 21, in store_pdf\n"
                             "    bucket = os.environ[\"INVOICE_OUTPUT_BUCKET\"]\n"
                             "             ~~~~~~~~~~^^^^^^^^^^^^^^^^^^^^^^^^^\n"
                             "  File \"<frozen os>\", line 714, in __getitem__\n"
                             "KeyError: 'INVOICE_OUTPUT_BUCKET'"))
                fn.invoke(m, t, req, "$LATEST", body, dur, rng.randint(301, 352), error=True)
                if attempt < 2:
                    nxt = t + (60 if attempt == 0 else 120) + rng.uniform(0, 20)
                    retries.setdefault(int(nxt // 60 * 60), []).append((nxt, inv, attempt + 1))
            else:
                dur = render + rng.uniform(60, 140)
                body.append((dur / 1000 - 0.002, py_line(
                    ck, t + dur / 1000 - 0.002, req, "info",
                    f"stored s3://acme-invoices-apne1/2026/11/{tenant}/{inv}.pdf ({rng.randint(38, 420)} KiB)")))
                fn.invoke(m, t, req, "$LATEST", body, dur, rng.randint(290, 348))
    db = {"DBInstanceIdentifier": "crm-db"}
    metrics = fn.metrics(ts) + [
        metric("AWS/RDS", "CPUUtilization", db, "Percent", [(m, noisy(rng, 18 + 10 * daily(ck.hour(m, 9)), 0.1)) for m in ts]),
        metric("AWS/RDS", "DatabaseConnections", db, "Count", [(m, pois(rng, 42)) for m in ts]),
        metric("AWS/RDS", "FreeStorageSpace", db, "Bytes", [(m, 162e9 - (m + 21600) * 1.1e3) for m in ts]),
        metric("AWS/RDS", "ReadLatency", db, "Seconds", [(m, noisy(rng, 0.0016, 0.15)) for m in ts]),
    ]
    pg_log = []
    for m in minutes(-10800, -60, 300):
        pg_log.append((m + 3, f"{ck.plain(m + 3)} UTC::@:[511]:LOG:  checkpoint starting: time"))
        pg_log.append((m + 31, f"{ck.plain(m + 31)} UTC::@:[511]:LOG:  checkpoint complete: wrote "
                               f"{rng.randint(900, 2600)} buffers (1.{rng.randint(0, 9)}%); 0 WAL file(s) added, "
                               f"0 removed, 1 recycled; write={rng.uniform(20, 28):.3f} s, sync=0.00{rng.randint(1, 9)} s"))
    pg_log.append((T_PG + 2, f"{ck.plain(T_PG + 2)} UTC::@:[402]:LOG:  received SIGHUP, reloading configuration files"))
    pg_log.append((T_PG + 2.1, f"{ck.plain(T_PG + 2)} UTC::@:[402]:LOG:  parameter \"log_min_duration_statement\" "
                               f"changed to \"500\""))
    logs = fn.logs() + [stream("/aws/rds/instance/crm-db/postgresql", "crm-db.0", pg_log)]
    resources = [
        {"type": "lambda", "id": "invoice-renderer",
         "properties": {"runtime": "python3.12", "timeout": 60, "memory_size": 1024, "last_modified": T_CFG,
                        "trigger": "EventBridge rule invoice-finalized (async, 2 retries)",
                        "environment_keys": ["LOG_LEVEL", "OUTPUT_BUCKET", "TEMPLATE_PREFIX",
                                             "POWERTOOLS_SERVICE_NAME"]}},
        {"type": "rds", "id": "crm-db",
         "properties": {"engine": "postgres", "engine_version": "15.5", "instance_class": "db.r6g.large",
                        "max_connections": 1600, "allocated_storage_gb": 200, "parameter_group": "crm-pg15-params"}},
    ]
    changes = [
        change(T_CODE, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "invoice-renderer", "ci-deployer"),
        change(T_SG, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
               "sg-0c41d7a9e2f35b818", "netops.kimura@sso"),
        change(T_CFG, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
               "invoice-renderer", "terraform-ci"),
        change(T_PG, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup",
               "crm-pg15-params", "dba.sato@sso"),
    ]
    alarms = [
        alarm_on(metrics, "invoice-renderer-errors", "AWS/Lambda", "Errors", {"FunctionName": "invoice-renderer"},
                 "Sum", 60, 3, 3, "GreaterThanThreshold", T_CFG - 60, "Invoice PDF renderer failures"),
        alarm("crm-db-cpu-high", "AWS/RDS", "CPUUtilization", db, "Average", 300, 3, 80,
              "GreaterThanThreshold", "OK", -250000),
    ]
    return scenario(
        "h27-02-invoice-renderer-env-rename",
        "Invoice PDFs are no longer being produced; the renderer's Errors alarm is firing.",
        region, resources, metrics, logs, alarms, changes,
        expect("invoice-renderer-errors", "config_change", ["invoice-renderer"],
               [("AWS/Lambda", "Errors", {"FunctionName": "invoice-renderer"})]))
