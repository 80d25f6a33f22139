"""h15-12: a Ruby tracking-event Lambda (Ruby Logger lines, the runtime's multi-line
error JSON) starts failing when one carrier begins sending exception events without an
estimated delivery date. No change precedes it; the function's last deploy was hours
earlier and processed the same carrier fine."""
from __future__ import annotations

import json
from datetime import datetime

import numpy as np

from . import aws
from .common import Ctx, alarm, change, ramp, scenario
from .logfmt import LambdaEnvs, ruby_logger

REGION = "eu-central-1"
FN, OTHER = "shipment-events", "rates-cache"
ONSET = -2200.0
CARRIERS = [("dhl", 0.34), ("dpd", 0.2), ("ups", 0.14), ("gls", 0.12), ("postnl", 0.2)]
STATUSES = ["in_transit", "out_for_delivery", "delivered", "at_pickup_point", "in_transit"]
ERR = {"errorMessage": "undefined method `iso8601' for nil",
       "errorType": "Function<NoMethodError>",
       "stackTrace": ["/var/task/app/normalizers/postnl.rb:41:in `normalize'",
                      "/var/task/app/handlers/tracking_event.rb:23:in `block in call'",
                      "/var/task/app/handlers/tracking_event.rb:19:in `each'",
                      "/var/task/app/handlers/tracking_event.rb:19:in `call'",
                      "/var/task/handler.rb:9:in `handle'"]}


def tracking(ctx: Ctx, carrier: str) -> str:
    if carrier == "postnl":
        return f"3SPNL{int(ctx.rng.integers(10**8, 10**9))}"
    if carrier == "dhl":
        return f"JJD{int(ctx.rng.integers(10**13, 10**14))}"
    if carrier == "ups":
        return f"1Z{ctx.hex(16).upper()}"
    return f"{int(ctx.rng.integers(10**11, 10**12))}"


def build(seed: int):
    ctx = Ctx(seed, datetime(2026, 3, 26, 14, 30), utc_offset_h=1)
    rng, t = ctx.rng, ctx.t
    shape = ctx.daily(13.0, 0.35)
    inv = ctx.poisson(6.0 * shape * (1 + ctx.ar(0.05)))
    p_bad = 0.32 * ramp(t, ONSET, 240)
    errs = np.array([rng.binomial(int(n), p) for n, p in zip(inv, p_bad)], dtype=float)
    dur = 310 + ctx.ar(25) - 90 * (errs / np.maximum(inv, 1))
    other = ctx.poisson(np.full(ctx.n, 2.0))

    metrics = aws.lam(ctx, FN, inv, errs, dur, np.ceil(inv * 0.31 / 60 + rng.random(ctx.n)))
    metrics += aws.lam(ctx, OTHER, other, np.zeros(ctx.n), 900 + ctx.ar(60) + 200 * (t > -2350),
                       np.ceil(other * 0.9 / 60 + rng.random(ctx.n)))

    envs = LambdaEnvs(ctx, FN, "ruby3.3", REGION, 512, (250, 480))
    pid = 8
    log_from = -4200.0
    for i in range(ctx.n):
        m0 = t[i]
        if m0 < log_from:
            continue
        kinds = ["bad"] * int(errs[i]) + ["ok"] * int(inv[i] - errs[i])
        rng.shuffle(kinds)
        for kind, ts in zip(kinds, sorted(m0 + rng.uniform(0, 60, len(kinds)))):
            rid = ctx.uuid()
            n_ev = int(rng.integers(1, 8))
            body, off = [], 0.004
            events = []
            for _ in range(n_ev):
                c = CARRIERS[int(rng.choice(len(CARRIERS), p=[p for _, p in CARRIERS]))][0]
                events.append((c, ctx.pick(STATUSES)))
            if kind == "bad":
                events.append(("postnl", "exception"))
            for c, st in events:
                trk = tracking(ctx, c)
                if c == "postnl" and st == "exception":
                    body.append((off, ruby_logger(ctx, ts + off, "INFO", pid,
                                                  f"processing event carrier=postnl tracking={trk} status=exception "
                                                  f"reason=address_unknown", rid)))
                    break
                eta = ctx.at(ts + float(rng.uniform(3600, 3 * 86400))).strftime("%Y-%m-%dT%H:00:00+01:00")
                body.append((off, ruby_logger(ctx, ts + off, "INFO", pid,
                                              f"processing event carrier={c} tracking={trk} status={st}", rid)))
                off += float(rng.uniform(0.02, 0.05))
                if rng.random() < 0.06:
                    body.append((off, ruby_logger(ctx, ts + off, "WARN", pid,
                                                  "duplicate event ignored (Aws::DynamoDB::Errors::"
                                                  "ConditionalCheckFailedException: The conditional request failed)", rid)))
                else:
                    body.append((off, ruby_logger(ctx, ts + off, "INFO", pid,
                                                  f"stored carrier={c} tracking={trk} eta={eta}", rid)))
                off += float(rng.uniform(0.01, 0.03))
            if kind == "bad":
                d = off * 1000 + float(rng.uniform(8, 20))
                tail = [(-0.003, "Error raised from handler method"), (-0.002, json.dumps(ERR, indent=2))]
                envs.invoke(ts, rid, body, d, int(rng.integers(70, 80)), size=3, tail=tail)
            else:
                d = max(off * 1000 + 40, float(dur[i] * rng.uniform(0.6, 1.4)))
                envs.invoke(ts, rid, body, d, int(rng.integers(68, 79)), size=3)

    oth = LambdaEnvs(ctx, OTHER, "ruby3.3", REGION, 256, (300, 500))
    for ts in sorted(rng.uniform(-3600, -60, 120)):
        rid = ctx.uuid()
        ts = float(ts)
        oth.invoke(ts, rid, [(0.3, ruby_logger(ctx, ts + 0.3, "INFO", 8, f"refreshed {int(rng.integers(200, 400))} "
                                                                          "rate cards", rid))],
                   float(rng.uniform(700, 1200)), 61, size=1)

    resources = [
        {"type": "lambda", "id": FN, "properties": {
            "runtime": "ruby3.3", "timeout": 30, "memory_size": 512, "handler": "handler.handle",
            "event_source": f"arn:aws:sqs:{REGION}:123456789012:carrier-tracking-events", "batch_size": 10,
            "environment": {"EVENTS_TABLE": "shipment-events-prod", "LOG_LEVEL": "info"}}},
        {"type": "lambda", "id": OTHER, "properties": {"runtime": "ruby3.3", "timeout": 60, "memory_size": 256}},
    ]
    changes = [
        change(-19800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", FN,
               "gitlab-runner-logistics"),
        change(-19790, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", FN,
               "gitlab-runner-logistics"),
        change(-2350, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", OTHER,
               "gitlab-runner-logistics"),
    ]
    e_m = next(m for m in metrics if m["name"] == "Errors" and m["dimensions"]["FunctionName"] == FN)
    alarms = [alarm(e_m, "shipment-events-errors", "Sum", 300, 1, 3, "GreaterThanThreshold", rng=rng,
                    description="shipment-events Lambda errors")]
    doc = scenario(
        "h15-12-tracking-nil-eta", "Customer service: parcel tracking pages stale since early afternoon; "
        "shipment-events-errors is in ALARM.", REGION, resources, metrics, envs.streams + oth.streams, alarms, changes,
        {"alarm": "shipment-events-errors",
         "root_cause": {"category": "application_error", "resource": [FN]},
         "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}]})
    meta = {"alarm_on": "origin (Lambda Errors)",
            "decoys": "rates-cache deploy 2.5 min before onset; shipment-events' own deploy 4.9 h before onset; "
                      "constant duplicate-event WARN lines",
            "story": "From -37 min about a third of invocations end with the Ruby runtime's `Error raised from "
                     "handler method` and a multi-line JSON error: `undefined method `iso8601' for nil` "
                     "(Function<NoMethodError>) in the PostNL normalizer. Every failing invocation's last line is "
                     "a PostNL event with status=exception, a status not seen before onset; PostNL events with "
                     "other statuses keep being stored. The function was last deployed 4.9 h before onset and "
                     "processed PostNL fine since; the rates-cache deploy is another function. Nothing "
                     "changed and no dependency or resource is at fault: an unhandled input case."}
    return doc, meta
