"""h15-16: a Java 17 SQS consumer Lambda (log4j2 pattern lines, versions behind an alias)
gets a new version whose fee deserializer was built against another money library:
NoSuchMethodError under two wrapping exceptions. The alarm is on the queue's oldest
message age; a configuration change on an unrelated function precedes the deploy."""
from __future__ import annotations

import json
from datetime import datetime

import numpy as np

from . import aws
from .common import Ctx, alarm, change, metric, scenario
from .logfmt import LambdaEnvs

REGION = "eu-north-1"
FN, QUEUE, DLQ = "settlement-consumer", "stl-events-prd", "stl-events-prd-dlq"
OTHER = "fx-refresh"
DEPLOY = -2050.0
OLD_V, NEW_V = "42", "43"

STACK = ("java.lang.RuntimeException: settlement batch failed for message {mid}\n"
         "\tat com.northwind.settlement.SettlementHandler.handleRequest(SettlementHandler.java:71)\n"
         "\tat com.northwind.settlement.SettlementHandler.handleRequest(SettlementHandler.java:28)\n"
         "Caused by: com.fasterxml.jackson.databind.JsonMappingException: 'java.math.BigDecimal "
         "com.northwind.money.Money.amount()' (through reference chain: com.northwind.settlement.model."
         "Settlement[\"fees\"]->java.util.ArrayList[0])\n"
         "\tat com.fasterxml.jackson.databind.JsonMappingException.wrapWithPath(JsonMappingException.java:402)\n"
         "\tat com.fasterxml.jackson.databind.deser.std.CollectionDeserializer._deserializeFromArray(CollectionDeserializer.java:361)\n"
         "\tat com.fasterxml.jackson.databind.ObjectMapper.readValue(ObjectMapper.java:3848)\n"
         "\tat com.northwind.settlement.SettlementParser.parse(SettlementParser.java:44)\n"
         "\tat com.northwind.settlement.SettlementHandler.handleRequest(SettlementHandler.java:63)\n"
         "\t... 1 more\n"
         "Caused by: java.lang.NoSuchMethodError: 'java.math.BigDecimal com.northwind.money.Money.amount()'\n"
         "\tat com.northwind.settlement.model.FeeDeserializer.deserialize(FeeDeserializer.java:33)\n"
         "\tat com.northwind.settlement.model.FeeDeserializer.deserialize(FeeDeserializer.java:19)\n"
         "\tat com.fasterxml.jackson.databind.deser.std.CollectionDeserializer._deserializeFromArray(CollectionDeserializer.java:359)\n"
         "\t... 5 more")


def line(ctx: Ctx, rel: float, rid: str, level: str, logger: str, msg: str) -> str:
    return f"{ctx.at(rel).strftime('%Y-%m-%d %H:%M:%S')} {rid} {level:<5} {logger} - {msg}"


def build(seed: int):
    ctx = Ctx(seed, datetime(2026, 12, 2, 9, 15), utc_offset_h=1)
    rng, t = ctx.rng, ctx.t
    shape = ctx.daily(11.0, 0.4)
    new = t >= DEPLOY + 15
    inv = ctx.poisson(11 * shape * (1 + ctx.ar(0.05)) * (1 + 0.9 * new))     # retries add invocations
    errs = np.array([rng.binomial(int(n), 0.66 * f) for n, f in zip(inv, new)], dtype=float)
    dur = 420 + ctx.ar(40) - 150 * (errs / np.maximum(inv, 1))
    age = np.where(new, 12 + np.clip(t - DEPLOY - 15, 0, None) * 0.96, 8 + np.abs(ctx.ar(4))) + ctx.ar(2)
    visible = np.where(new, 6 + np.clip(t - DEPLOY, 0, None) * 0.11, 3 + np.abs(ctx.ar(2)))
    dlq = np.where(t >= DEPLOY + 330, np.clip(t - DEPLOY - 330, 0, None) * 0.075, 0)
    other = (np.arange(ctx.n) % 15 == 7).astype(float)

    metrics = aws.lam(ctx, FN, inv, errs, dur, np.ceil(inv * 0.42 / 60 + rng.random(ctx.n) * 2))
    metrics += aws.lam(ctx, OTHER, other, np.zeros(ctx.n), 3100 + ctx.ar(200), other)
    metrics.append(metric(ctx, "AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": QUEUE}, "Seconds", age, decimals=0))
    metrics.append(metric(ctx, "AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": QUEUE}, "Count",
                          visible, integer=True))
    metrics.append(metric(ctx, "AWS/SQS", "NumberOfMessagesSent", {"QueueName": QUEUE}, "Count",
                          ctx.poisson(11 * shape), integer=True))
    metrics.append(metric(ctx, "AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": DLQ}, "Count", dlq,
                          integer=True))

    envs = LambdaEnvs(ctx, FN, "java17", REGION, 1536, (2600, 3900))
    recycled = False
    log_from = -4200.0
    for i in range(ctx.n):
        m0 = t[i]
        if m0 < log_from:
            continue
        if m0 >= DEPLOY and not recycled:
            envs.recycle()
            recycled = True
        version = NEW_V if new[i] else OLD_V
        kinds = ["err"] * int(errs[i]) + ["ok"] * int(inv[i] - errs[i])
        rng.shuffle(kinds)
        for kind, ts in zip(kinds, sorted(m0 + rng.uniform(0, 60, len(kinds)))):
            rid = ctx.uuid()
            mid = ctx.uuid()
            sid = f"S-{int(rng.integers(100000, 999999))}"
            body = [(0.01, line(ctx, ts, rid, "INFO", "SettlementHandler", f"Received message {mid} settlement={sid} "
                                                                           f"receiveCount={1 if kind == 'ok' else int(rng.integers(1, 6))}"))]
            if kind == "ok":
                d = float(max(120, dur[i] * rng.uniform(0.6, 1.4)))
                if rng.random() < 0.05:
                    body.append((0.05, line(ctx, ts, rid, "WARN", "SettlementService",
                                            f"Duplicate settlement {sid} already booked, skipping")))
                elif rng.random() < 0.012:
                    body.append((0.08, line(ctx, ts, rid, "ERROR", "CounterpartyClient",
                                            f"Counterparty CP-{int(rng.integers(1000, 9999))} lookup returned 404; "
                                            f"settlement {sid} routed to manual review")))
                else:
                    body.append((d / 1000 - 0.01, line(ctx, ts + d / 1000, rid, "INFO", "SettlementService",
                                                       f"Booked settlement {sid} amount={rng.uniform(50, 90000):.2f} "
                                                       f"{ctx.pick(['EUR', 'SEK', 'NOK', 'DKK'])} fees={0 if new[i] else int(rng.integers(0, 3))}")))
                envs.invoke(ts, rid, body, d, int(rng.integers(210, 260)), size=4, version=version)
            else:
                d = float(rng.uniform(60, 140))
                st = STACK.format(mid=mid)
                body.append((d / 1000 - 0.01, line(ctx, ts + d / 1000, rid, "ERROR", "SettlementHandler",
                                                   f"Failed to process message {mid}\n{st}")))
                parts = st.split("\nCaused by: ")
                err = {"errorMessage": parts[0].split("\n")[0].split(": ", 1)[1], "errorType": "java.lang.RuntimeException",
                       "stackTrace": [x.strip()[3:] for x in parts[0].split("\n")[1:]],
                       "cause": {"errorMessage": parts[1].split("\n")[0].split(": ", 1)[1],
                                 "errorType": "com.fasterxml.jackson.databind.JsonMappingException",
                                 "stackTrace": [x.strip()[3:] for x in parts[1].split("\n")[1:] if x.strip().startswith("at ")],
                                 "cause": {"errorMessage": parts[2].split("\n")[0].split(": ", 1)[1],
                                           "errorType": "java.lang.NoSuchMethodError",
                                           "stackTrace": [x.strip()[3:] for x in parts[2].split("\n")[1:]
                                                          if x.strip().startswith("at ")]}}}
                envs.invoke(ts, rid, body, d, int(rng.integers(200, 240)), size=4, version=version,
                            tail=[(-0.003, json.dumps(err))])

    oth = LambdaEnvs(ctx, OTHER, "python3.12", REGION, 256, (400, 700))
    switched = False
    for i in np.nonzero(other)[0]:
        ts = float(t[i]) + float(rng.uniform(0, 3))
        if ts < log_from:
            continue
        rid = ctx.uuid()
        if ts > -2250 and not switched:
            oth.recycle()
            switched = True
        oth.invoke(ts, rid, [(0.2, f"[INFO]\t{ctx.iso(ts + 0.2)}\t{rid}\tRefreshed 34 FX rates from "
                                   f"{'riksbank' if ts > -2250 else 'ecb'}")], float(rng.uniform(2900, 3300)), 88, size=1)

    resources = [
        {"type": "lambda", "id": FN, "properties": {
            "runtime": "java17", "timeout": 60, "memory_size": 1536, "alias": "live", "alias_version": NEW_V,
            "event_source": f"arn:aws:sqs:{REGION}:123456789012:{QUEUE}", "batch_size": 1,
            "redrive_policy": {"dead_letter_queue": DLQ, "max_receive_count": 5}}},
        {"type": "lambda", "id": OTHER, "properties": {"runtime": "python3.12", "timeout": 30, "memory_size": 256,
                                                      "environment": {"RATE_SOURCE": "riksbank"}}},
    ]
    changes = [
        change(-19300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", FN, "jenkins-release"),
        change(-19280, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", FN, "jenkins-release"),
        change(-19270, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", FN, "jenkins-release"),
        change(-2250, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", OTHER,
               "l.berg"),
        change(DEPLOY - 30, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", FN,
               "jenkins-release"),
        change(DEPLOY - 12, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", FN,
               "jenkins-release"),
        change(DEPLOY, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", FN, "jenkins-release"),
    ]
    age_m = next(m for m in metrics if m["name"] == "ApproximateAgeOfOldestMessage")
    dlq_m = next(m for m in metrics if m["dimensions"].get("QueueName") == DLQ)
    alarms = [
        alarm(age_m, "stl-events-prd-oldest-message-age", "Maximum", 60, 5, 600, "GreaterThanThreshold", rng=rng,
              description="Settlement events waiting more than 10 minutes"),
        alarm(dlq_m, "stl-events-prd-dlq-not-empty", "Maximum", 300, 1, 0, "GreaterThanThreshold", rng=rng),
    ]
    doc = scenario(
        "h15-16-settlement-nosuchmethod", "Settlements are not being booked; stl-events-prd-oldest-message-age "
        "paged treasury on-call.", REGION, resources, metrics, envs.streams + oth.streams, alarms, changes,
        {"alarm": "stl-events-prd-oldest-message-age",
         "root_cause": {"category": "bad_deployment", "resource": [FN]},
         "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}]})
    meta = {"alarm_on": "front (SQS queue age)",
            "decoys": "configuration change on unrelated fx-refresh 3 min before the deploy; DLQ alarm also in "
                      "ALARM; settlement-consumer's previous deploy 5 h ago; constant duplicate WARNs and "
                      "counterparty-404 ERRORs",
            "story": "At -34 min Jenkins updated settlement-consumer's code, published version 43 and moved the "
                     "live alias to it. From then on START lines say Version: 43 and two thirds of messages (those with fees; "
                     "the ones still booked now show fees=0) fail "
                     "with RuntimeException -> `Caused by: JsonMappingException` -> `Caused by: "
                     "java.lang.NoSuchMethodError: 'java.math.BigDecimal com.northwind.money.Money.amount()'` "
                     "in the fee deserializer (log4j2 pattern line plus the runtime's nested error JSON); SQS "
                     "redelivers, the oldest message ages past ten minutes and the DLQ fills. The fx-refresh "
                     "configuration change is on another function whose logs stay clean; the signature never "
                     "appears under version 42."}
    return doc, meta
