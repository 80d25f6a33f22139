"""Scenarios 14-16: partner payloads crashing an SQS consumer (DLQ alarm), a canary alias shift to a
Go build for the wrong architecture, an external payment gateway outage behind a Java SnapStart function."""
from __future__ import annotations

from .common import (MINUTES, Scenario, apigw_metrics, binom, counts, hexs, jit, lambda_metrics, pois,
                     sqs_metrics, wave)
from .lambdalog import FnLog, drive, node, node_invoke_error, simple_fn


def s14() -> Scenario:
    sc = Scenario(14, "fulfillment-dlq-null-items", "ap-southeast-1",
                  "Messages landing in the fulfillment DLQ; DLQ depth alarm.", "2026-08-09T05:40:00")
    rng = sc.rng
    T = -2200
    sc.res("lambda", "fulfillment-consumer", runtime="nodejs20.x", handler="src/handler.handler", timeout=30,
           memory_size=512, event_source="SQS fulfillment-events (batch 10, visibility 180 s, maxReceiveCount 4, "
                                         "no ReportBatchItemFailures) -> fulfillment-events-dlq")
    sc.res("lambda", "fulfillment-api", runtime="nodejs20.x", timeout=10, memory_size=512)
    sc.res("lambda", "partner-webhook", runtime="nodejs20.x", timeout=10, memory_size=256)
    sc.res("apigateway", "partner-ingest-api", api_id="q9w3e6r1ty", stage="prod")
    sent = counts(rng, lambda t: 560 + 90 * wave(t, 10800, 0.7))
    poison = {t: (binom(rng, sent[t], 0.028) if t >= T else 0) for t in MINUTES}
    base_b = {t: (sent[t] + 9) // 10 for t in MINUTES}
    p_batch_fail = 1 - (1 - 0.028) ** 10
    fail_b = {t: (binom(rng, base_b[t], p_batch_fail) if t >= T else 0) for t in MINUTES}
    retry_b = {t: sum(fail_b.get(t - 180 * k, 0) for k in (1, 2, 3)) for t in MINUTES}
    inv = {t: base_b[t] + retry_b[t] for t in MINUTES}
    err = {t: fail_b[t] + int(retry_b[t] * 0.93) + pois(rng, 0.02) for t in MINUTES}
    dur = {t: jit(rng, 640, 0.06) * (1 - err[t] / max(1, inv[t])) + 210 * err[t] / max(1, inv[t]) for t in MINUTES}
    lambda_metrics(sc, "fulfillment-consumer", inv, err, dur, {t: pois(rng, 6 + inv[t] / 20) + 1 for t in MINUTES})
    dlq, acc = {}, 0
    for t in MINUTES:
        acc += poison.get(t - 720, 0) if t - 720 >= T else 0
        dlq[t] = acc
    sqs_metrics(sc, "fulfillment-events", {t: pois(rng, 40 + (180 if t >= T else 0)) for t in MINUTES},
                {t: jit(rng, 11 if t < T else 560, 0.2) for t in MINUTES}, sent,
                {t: sent[t] - poison[t] for t in MINUTES})
    sqs_metrics(sc, "fulfillment-events-dlq", dlq, {t: (t - T - 720 if dlq[t] else 0) for t in MINUTES},
                {t: dlq[t] - dlq.get(t - 60, 0) for t in MINUTES}, {t: 0 for t in MINUTES})
    pw = {t: int(sent[t] * 0.35) for t in MINUTES}
    lambda_metrics(sc, "partner-webhook", pw, {t: 0 for t in MINUTES}, {t: jit(rng, 48, 0.08) for t in MINUTES},
                   {t: pois(rng, 2) + 1 for t in MINUTES})
    apigw_metrics(sc, "partner-ingest-api", pw, {t: pois(rng, 2) for t in MINUTES}, {t: 0 for t in MINUTES},
                  lambda t: jit(rng, 61, 0.1), lambda t: jit(rng, 50, 0.1))
    ainv = counts(rng, lambda t: 220.0)
    lambda_metrics(sc, "fulfillment-api", ainv, {t: pois(rng, 0.05) for t in MINUTES},
                   {t: jit(rng, 55 if t < -2500 else 51, 0.06) for t in MINUTES}, {t: pois(rng, 3) + 1 for t in MINUTES})

    stack = ["buildPickList (/var/task/src/picklist.js:42:31)", "processRecord (/var/task/src/handler.js:57:22)",
             "async Promise.all (index %d)", "async Runtime.handler (/var/task/src/handler.js:23:3)"]
    fl = FnLog(sc, "fulfillment-consumer", "nodejs20.x", 512, init=(240, 380))

    def make(t, r, kind):
        out = [node(sc, t + 0.002, r, "INFO", "received batch of 10 messages")]
        bad = kind == "err" and t >= T
        k_bad = rng.randint(0, 9) if bad else -1
        tt = t + 0.01
        for i in range(10):
            tt += rng.uniform(0.01, 0.05)
            src = "partner:shopwave" if rng.random() < 0.35 else "storefront"
            oid = ("SW-%07d" if src != "storefront" else "ST-%07d") % rng.randint(1, 9999999)
            if i == k_bad:
                out.append(node(sc, tt, r, "INFO", "processing order %s source=partner:shopwave type=GIFT_CARD_ONLY "
                                "lines=null" % ("SW-%07d" % rng.randint(1, 9999999))))
                out.append(node_invoke_error(sc, tt + 0.004, r, "TypeError", "Cannot read properties of null (reading "
                                             "'map')", [s % i if "%d" in s else s for s in stack]))
                return {"dur": (tt + 0.006 - t) * 1000, "mem": rng.uniform(120, 130), "lines": out}
            out.append(node(sc, tt, r, "INFO", "processing order %s source=%s type=STANDARD lines=%d" % (
                oid, src, rng.randint(1, 6))))
            if rng.random() < 0.03:
                out.append(node(sc, tt + 0.002, r, "ERROR", "Warehouse slot lookup returned 404 for sku=%s, using "
                                "default slot" % hexs(rng, 8).upper()))
            if t >= T and rng.random() < 0.15:
                out.append(node(sc, tt + 0.003, r, "WARN", "pick list for %s already exists (redelivery), skipping" % oid))
        d = (tt - t) * 1000 + jit(rng, 280, 0.2)
        out.append(node(sc, t + d / 1000 - 0.002, r, "INFO", "batch complete: 10 pick lists queued to WMS"))
        return {"dur": d, "mem": rng.uniform(122, 140), "lines": out}
    drive(sc, fl, inv, err, 0.11, -8400, make, n_envs=lambda t: 5)
    simple_fn(sc, "partner-webhook", "nodejs20.x", 256, pw, lambda t: jit(rng, 48, 0.2),
              lambda t, r, d: [node(sc, t + d / 1000, r, "INFO", "accepted partner=shopwave order=SW-%07d type=%s -> "
                                    "fulfillment-events" % (rng.randint(1, 9999999), "GIFT_CARD_ONLY" if t >= T and
                                                            rng.random() < 0.08 else "STANDARD"))],
              start=-6000, frac=0.04)
    simple_fn(sc, "fulfillment-api", "nodejs20.x", 512, ainv, lambda t: jit(rng, 52, 0.2),
              lambda t, r, d: [node(sc, t + d / 1000, r, "INFO", "GET /orders/%d/status 200 (fa-%s)" % (
                  rng.randint(10 ** 6, 10 ** 7), "3.14.0" if t >= -2500 else "3.13.2"))], start=-6000, frac=0.02)
    sc.lambda_change(-2500, "fulfillment-api", "UpdateFunctionCode20150331v2", "github-actions")
    sc.lambda_change(-2480, "fulfillment-api", "PublishVersion20150331", "github-actions")
    sc.alarm("fulfillment-events-dlq-depth", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
             {"QueueName": "fulfillment-events-dlq"}, "Maximum", 60, 1, 0, after=T, desc="messages in fulfillment DLQ")
    sc.expect = {"alarm": "fulfillment-events-dlq-depth",
                 "root_cause": {"category": "application_error", "resource": ["fulfillment-consumer"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": "fulfillment-consumer"}}]}
    sc.meta = {"front": "front (DLQ depth)", "decoys": [
        "fulfillment-api deploy + publish 5 min before onset (it only serves order status; flat errors)",
        "pre-existing ERROR 'Warehouse slot lookup returned 404' at a steady rate",
        "Invocations rise (batch redeliveries), not traffic"],
        "story": "From -2200 s the partner shopwave starts sending gift-card-only orders whose `lines` field is null "
                 "(the partner-webhook logs `type=GIFT_CARD_ONLY`; nothing in the account changed). "
                 "fulfillment-consumer maps over the lines without a null check and throws `TypeError: Cannot read "
                 "properties of null (reading 'map')` at picklist.js:42. Without ReportBatchItemFailures one bad record "
                 "fails its whole batch of 10, so ~25% of invocations error, the other nine messages are redelivered "
                 "(`already exists (redelivery), skipping`) and each poison message reaches the DLQ after four receives. "
                 "The fulfillment-api deploy is a different function that does not touch this queue. An unhandled "
                 "exception with no change, resource or dependency fault behind it: application_error in "
                 "fulfillment-consumer."}
    return sc
