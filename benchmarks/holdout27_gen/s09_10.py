"""h27-09 (partner file format breaks an unchanged Ruby importer) and h27-10 (regex backtracking timeouts;
the responder's timeout increase comes after onset)."""
from __future__ import annotations

import json
import math
import random

from .common import (Clock, alarm, alarm_on, change, daily, expect, hexid, metric, minutes, noisy, pois, rid,
                     scenario, stream)
from .lambda_sim import FnSim, node_line, ruby_line, spread

BANKS = [("nordbank", 0.3), ("sparkasse-rhein", 0.3), ("volksbank-mitte", 0.25), ("bunq", 0.15)]


def _bank(rng):
    r, acc = rng.random(), 0.0
    for b, w in BANKS:
        acc += w
        if r < acc:
            return b
    return BANKS[-1][0]


# =========================================================================== 09 ===
def build_09():
    rng = random.Random(270909)
    ck = Clock("2026-11-17T09:20:00Z")
    region = "eu-central-1"
    T_TAG, T_NOTIFY, T_ONSET, T_DEBUG = -7200, -3300, -3000, -900
    fn = FnSim("statement-import", 1024, ck, rng, log_from=-9000, pool=3, runtime_version="ruby:3.3.v21",
               region=region)
    nt = FnSim("statement-notify", 256, ck, rng, log_from=-9000, pool=2, runtime_version="ruby:3.3.v21",
               region=region)
    ts = list(minutes(-21600))
    retries = {}
    for m in ts:
        n = pois(rng, 7 * daily(ck.hour(m, 1), 0.2))
        jobs = [(t, _bank(rng), f"{hexid(rng, 8)}", 0) for t in spread(rng, m, n)]
        jobs += retries.pop(m, [])
        for t, bank, fid, attempt in sorted(jobs):
            req = rid(rng)
            key = f"s3://acme-statement-inbox/partner={bank}/{ck.at(t).strftime('%Y/%m/%d')}/stmt_{fid}.csv"
            rows = rng.randint(80, 1400)
            body = [(0.003, ruby_line(ck, t + 0.003, "info", f"[{req}] importing {key} ({rows * 96} bytes)"))]
            debug = t >= T_DEBUG + 5
            if debug:
                body.append((0.02, ruby_line(ck, t + 0.02, "debug",
                                             f"[{req}] dialect detected: col_sep=';' quote_char='\"' "
                                             f"encoding=UTF-8 header_cols=9")))
            if rng.random() < 0.05:
                body.append((0.05, ruby_line(ck, t + 0.05, "warn", f"[{req}] IBAN checksum mismatch for counterparty "
                                                                   f"on row {rng.randint(2, rows)}, keeping raw value")))
            if bank == "nordbank" and t >= T_ONSET:
                line = rng.choice([3, 3, 4, 7, 12])
                dur = rng.uniform(60, 180)
                if debug:
                    body.append((dur / 1000 - 0.01, ruby_line(
                        ck, t + dur / 1000 - 0.01, "debug",
                        f"[{req}] row {line - 1} raw: 2026-11-16;\"Gutschrift \"\"Bonus\"\" Q4\";DE89370400440532013000"
                        f";\"Muster GmbH\";1.250,00;EUR")))
                body.append((dur / 1000, "Error raised from handler method\n" + json.dumps({
                    "errorMessage": f"Illegal quoting in line {line}.",
                    "errorType": "Function<CSV::MalformedCSVError>",
                    "stackTrace": [
                        "/var/lang/lib/ruby/3.3.0/csv/parser.rb:1240:in `parse_quotable_robust'",
                        "/var/lang/lib/ruby/3.3.0/csv/parser.rb:362:in `parse'",
                        "/var/lang/lib/ruby/3.3.0/csv.rb:1983:in `each'",
                        "/var/task/lib/statement_import/parser.rb:34:in `each_row'",
                        "/var/task/lib/statement_import/importer.rb:52:in `call'",
                        "/var/task/handler.rb:18:in `handler'"]}, indent=2)))
                fn.invoke(m, t, req, "$LATEST", body, dur, rng.randint(120, 150), error=True)
                if attempt < 2:
                    nt_ = t + (60 if attempt == 0 else 120) + rng.uniform(0, 15)
                    retries.setdefault(int(nt_ // 60 * 60), []).append((nt_, bank, fid, attempt + 1))
            else:
                dur = rng.lognormvariate(math.log(300 + rows * 0.9), 0.25)
                body.append((dur / 1000 - 0.004, ruby_line(
                    ck, t + dur / 1000 - 0.004, "info",
                    f"[{req}] imported {rows} rows for partner={bank} account={rng.randint(10000000, 99999999)} "
                    f"(duplicates={rng.randint(0, 3)}) in {dur:.0f} ms")))
                fn.invoke(m, t, req, "$LATEST", body, dur, rng.randint(140, 190))
                t2 = t + dur / 1000 + rng.uniform(0.1, 0.6)
                r2 = rid(rng)
                d2 = rng.uniform(80, 200)
                v = "notify 1.9.0" if t2 >= T_NOTIFY else "notify 1.8.4"
                nt.invoke(int(t2 // 60 * 60), t2, r2, "$LATEST",
                          [(0.01, ruby_line(ck, t2 + 0.01, "info", f"[{r2}] {v}: statement ready event for "
                                                                   f"partner={bank}, pushed to 1 subscriber(s)"))],
                          d2, rng.randint(70, 82))
    metrics = fn.metrics(ts) + nt.metrics(ts)
    logs = fn.logs() + nt.logs()
    resources = [
        {"type": "lambda", "id": "statement-import",
         "properties": {"runtime": "ruby3.3", "timeout": 120, "memory_size": 1024, "last_modified": -812000,
                        "trigger": "S3 ObjectCreated acme-statement-inbox (async, 2 retries)",
                        "tags": {"team": "finance-platform", "data-class": "confidential"}}},
        {"type": "lambda", "id": "statement-notify",
         "properties": {"runtime": "ruby3.3", "timeout": 30, "memory_size": 256, "last_modified": T_NOTIFY}},
    ]
    changes = [
        change(T_TAG, "lambda.amazonaws.com", "TagResource20170331v2", "AWS::Lambda::Function", "statement-import",
               "governance-bot"),
        change(T_NOTIFY, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "statement-notify", "github-actions-deploy"),
        change(T_DEBUG, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
               "statement-import", "oncall.vogel@sso"),
    ]
    fdims = {"FunctionName": "statement-import"}
    alarms = [alarm_on(metrics, "statement-import-errors", "AWS/Lambda", "Errors", fdims, "Sum", 300, 1, 5,
                       "GreaterThanThreshold", T_ONSET - 300, "Bank statement import failures"),
              alarm("statement-notify-errors", "AWS/Lambda", "Errors", {"FunctionName": "statement-notify"}, "Sum",
                    300, 1, 2, "GreaterThanThreshold", "OK", -300000)]
    return scenario(
        "h27-09-statement-import-partner-csv",
        "Some bank statements are not showing up for customers; the statement import Errors alarm is firing.",
        region, resources, metrics, logs, alarms, changes,
        expect("statement-import-errors", "application_error", ["statement-import"],
               [("AWS/Lambda", "Errors", fdims)]))


# =========================================================================== 10 ===
def build_10():
    rng = random.Random(271010)
    ck = Clock("2026-11-19T06:40:00Z")
    region = "ap-northeast-1"
    T_TAG, T_SG, T_THUMB, T_ONSET, T_TIMEOUT = -10800, -3000, -2760, -2400, -720
    fn = FnSim("listing-sanitizer", 1024, ck, rng, log_from=-9000, pool=4, runtime_version="nodejs:20.v41",
               region=region)
    th = FnSim("listing-thumbnailer", 1536, ck, rng, log_from=-9000, pool=1, runtime_version="nodejs:20.v41",
               region=region)
    ts = list(minutes(-21600))
    for m in ts:
        n = pois(rng, 22 * daily(ck.hour(m, 9), 0.2))
        bulk = pois(rng, 3.2) if T_ONSET <= m else 0
        items = [(t, False) for t in spread(rng, m, n)] + [(t, True) for t in spread(rng, m, bulk)]
        for t, bad in sorted(items):
            req = rid(rng)
            lst = f"lst_{hexid(rng, 12)}"
            seller = "s_88231" if bad else f"s_{rng.randint(10000, 99999)}"
            dlen = rng.randint(41000, 52000) if bad else int(rng.lognormvariate(math.log(700), 0.7))
            body = [(0.003, node_line(ck, t + 0.003, req, "info",
                                      f"sanitizing listing {lst} seller={seller} fields={rng.randint(9, 16)} "
                                      f"description_len={dlen}"))]
            limit = 30 if t >= T_TIMEOUT + 10 else 15
            if bad:
                dur = limit * 1000 + rng.uniform(8, 35)
                body.append((dur / 1000, f"{ck.iso(t + dur / 1000)} {req} Task timed out after "
                                         f"{dur / 1000:.2f} seconds"))
                fn.invoke(m, t, req, "$LATEST", body, dur, rng.randint(160, 190), error=True, status="timeout")
            else:
                dur = rng.lognormvariate(math.log(45 + dlen * 0.02), 0.3)
                if rng.random() < 0.04:
                    body.append((0.01, node_line(ck, t + 0.01, req, "warn",
                                                 f"listing {lst}: dropped disallowed tag <iframe> from description")))
                body.append((dur / 1000 - 0.002, node_line(
                    ck, t + dur / 1000 - 0.002, req, "info",
                    f"sanitized listing {lst} removed_tags={rng.randint(0, 4)} normalized_ws={rng.randint(0, 40)} "
                    f"in {dur:.0f}ms")))
                fn.invoke(m, t, req, "$LATEST", body, dur, rng.randint(118, 150))
        for t in spread(rng, m, pois(rng, 4)):
            req = rid(rng)
            d = rng.lognormvariate(math.log(900), 0.25)
            v = "sharp 0.33.5" if t >= T_THUMB else "sharp 0.33.4"
            th.invoke(m, t, req, "$LATEST",
                      [(d / 1000 - 0.01, node_line(ck, t + d / 1000 - 0.01, req, "info",
                                                   f"thumbnails 3/3 written for img_{hexid(rng, 10)} ({v})"))],
                      d, rng.randint(410, 480))
    api = {"ApiName": "listings-api"}
    metrics = fn.metrics(ts) + th.metrics(ts)
    inv = {m: v for m, v in next(x for x in metrics if x["name"] == "Invocations")["points"]}
    err = {m: v for m, v in next(x for x in metrics if x["name"] == "Errors")["points"]}
    metrics += [metric("AWS/ApiGateway", "Count", api, "Count", [(m, inv[m] + pois(rng, inv[m] * 0.3)) for m in ts]),
                metric("AWS/ApiGateway", "5XXError", api, "Count", [(m, err[m]) for m in ts]),
                metric("AWS/ApiGateway", "Latency", api, "Milliseconds",
                       [(m, noisy(rng, 95, 0.08) + err[m] / max(inv[m], 1) * 29000) for m in ts])]
    logs = fn.logs() + th.logs()
    resources = [
        {"type": "lambda", "id": "listing-sanitizer",
         "properties": {"runtime": "nodejs20.x", "timeout": 30, "memory_size": 1024, "last_modified": T_TIMEOUT,
                        "code_last_deployed": -1209600, "integration": "listings-api POST /listings (sync)",
                        "tags": {"team": "marketplace", "owner": "listings"}}},
        {"type": "lambda", "id": "listing-thumbnailer",
         "properties": {"runtime": "nodejs20.x", "timeout": 60, "memory_size": 1536, "last_modified": T_THUMB}},
        {"type": "apigateway", "id": "listings-api", "properties": {"stage": "prod", "integration_timeout_ms": 29000}},
    ]
    changes = [
        change(T_TAG, "lambda.amazonaws.com", "TagResource20170331v2", "AWS::Lambda::Function", "listing-sanitizer",
               "tag-policy-enforcer"),
        change(T_SG, "ec2.amazonaws.com", "RevokeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
               "sg-0a9c3e5f7b1d2e468", "netops.yamada@sso"),
        change(T_THUMB, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "listing-thumbnailer", "github-actions-deploy"),
        change(T_TIMEOUT, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
               "listing-sanitizer", "oncall.fujita@sso"),
    ]
    fdims = {"FunctionName": "listing-sanitizer"}
    alarms = [alarm_on(metrics, "listing-sanitizer-errors", "AWS/Lambda", "Errors", fdims, "Sum", 60, 3, 1,
                       "GreaterThanThreshold", T_ONSET - 60, "Listing sanitizer errors"),
              alarm_on(metrics, "listings-api-latency", "AWS/ApiGateway", "Latency", api, "Average", 300, 2, 2500,
                       "GreaterThanThreshold", T_ONSET - 300, "Listings API latency")]
    return scenario(
        "h27-10-listing-sanitizer-backtracking-timeouts",
        "Sellers report that saving some listings hangs and then fails; sanitizer Errors alarm is in ALARM.",
        region, resources, metrics, logs, alarms, changes,
        expect("listing-sanitizer-errors", "function_timeout", ["listing-sanitizer"],
               [("AWS/Lambda", "Errors", fdims), ("AWS/Lambda", "Duration", fdims)]))
