"""Scenarios 01-02."""
from __future__ import annotations

from .blocks import http_api_metrics, lambda_metrics, sqs_metrics
from .common import END, START, Scn, ramp
from .lambdalog import Inv, http_api_access, lambda_logs, lambda_logs_at

HOT_KEY_MSG = ("ProvisionedThroughputExceededException: Throughput exceeds the current capacity of your "
               "table or index. DynamoDB is automatically scaling your table or index so please try again "
               "shortly. If exceptions persist, check if you have a hot key: "
               "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html")
SDK_STACK = ("\n    at throwDefaultError (/var/runtime/node_modules/@aws-sdk/node_modules/@smithy/smithy-client/dist-cjs/index.js:867:20)"
             "\n    at /var/runtime/node_modules/@aws-sdk/node_modules/@smithy/smithy-client/dist-cjs/index.js:876:5"
             "\n    at de_CommandError (/var/runtime/node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js:2298:14)"
             "\n    at async writeOffers (/var/task/dist/offers/write.js:88:24)"
             "\n    at async Runtime.handler (/var/task/dist/index.js:41:18)")


def b01() -> Scn:
    sc = Scn(1, "seller-api-5xx-offers-hot-partition", "eu-west-1", 2901, "2026-03-13T19:42:00",
             "Marketplace seller API returning 5xx on offer updates; the HTTP API 5xx alarm paged on-call.")
    api_id, on = "7k2m9q4x1b", -2460
    hot = lambda t: ramp(t, on, on + 240)
    sc.res("apigateway", "seller-http-api", protocol="HTTP", api_id=api_id, stage="$default",
           integration="offers-api")
    sc.res("lambda", "offers-api", runtime="nodejs20.x", timeout=10, memory_size=1024,
           architecture="arm64", environment={"OFFERS_TABLE": "seller-offers", "MAX_ATTEMPTS": "4"})
    sc.res("lambda", "payout-reports", runtime="python3.12", timeout=300, memory_size=512,
           trigger="EventBridge rate(1 hour)")
    base = lambda t: 900 * sc.diurnal(t, peak=20, depth=0.25)
    count = lambda t: base(t) * (1 + 0.12 * hot(t))
    http_api_metrics(sc, api_id, count, lambda t: 0.0003 + 0.056 * hot(t), lambda t: 0.013,
                     lambda t: 86 + 470 * hot(t))
    lambda_metrics(sc, "offers-api", count, lambda t: 0.0001, lambda t: 78 + 455 * hot(t))
    hourly = lambda t: 1.0 if sc.wall(t).minute == 5 else None
    lambda_metrics(sc, "payout-reports", hourly, lambda t: 0.0, lambda t: 41000)
    tbl = {"TableName": "seller-offers"}
    sc.metric("AWS/DynamoDB", "ConsumedWriteCapacityUnits", tbl, "Count",
              sc.gauge(lambda t: 70000 * sc.diurnal(t, 20, 0.25) + 36000 * hot(t), noise=0.04, nd=0))
    sc.metric("AWS/DynamoDB", "ConsumedReadCapacityUnits", tbl, "Count",
              sc.gauge(lambda t: 42000 * sc.diurnal(t, 20, 0.25), noise=0.04, nd=0))
    sc.metric("AWS/DynamoDB", "WriteThrottleEvents", tbl, "Count",
              sc.counts(lambda t: 0.02 + 2600 * hot(t) * sc.rng.uniform(0.7, 1.3)))
    sc.metric("AWS/DynamoDB", "ReadThrottleEvents", tbl, "Count", sc.counts(lambda t: 0.01))
    sc.metric("AWS/DynamoDB", "ThrottledRequests", dict(tbl, Operation="BatchWriteItem"), "Count",
              sc.counts(lambda t: 0.01 + 410 * hot(t) * sc.rng.uniform(0.7, 1.3)))
    sc.metric("AWS/DynamoDB", "SuccessfulRequestLatency", dict(tbl, Operation="BatchWriteItem"),
              "Milliseconds", sc.gauge(lambda t: 8.6, noise=0.1, nd=2))
    sc.metric("AWS/DynamoDB", "SuccessfulRequestLatency", dict(tbl, Operation="GetItem"),
              "Milliseconds", sc.gauge(lambda t: 3.1, noise=0.1, nd=2))
    carts = {"TableName": "seller-settings"}
    sc.metric("AWS/DynamoDB", "ConsumedReadCapacityUnits", carts, "Count",
              sc.gauge(lambda t: 5200 * sc.diurnal(t, 20, 0.25), noise=0.05, nd=0))
    sc.metric("AWS/DynamoDB", "WriteThrottleEvents", carts, "Count", sc.counts(lambda t: 0.0))

    sellers = [f"S-{sc.rng.randint(10000, 39999)}" for _ in range(60)]

    def handler(sc, t, rid, env):
        r = sc.rng
        h = hot(t)
        mem = r.randint(141, 176)
        if r.random() < 0.28:
            s, o = r.choice(sellers), f"O-{r.randint(100000, 999999)}"
            d = r.uniform(9, 24)
            return Inv(d, mem, [(d - 1, "INFO", f"GET /v1/sellers/{s}/offers/{o} 200 {d:.0f}ms")])
        big = h > 0 and r.random() < 0.11 * h
        s = "S-20931" if big else r.choice(sellers)
        n = 25 if big else r.randint(1, 25)
        lines = [(1.2, "INFO", f"PUT /v1/sellers/{s}/offers:batch items={n} source={'feed-sync' if big else 'portal'}")]
        if not big and r.random() < 0.02:
            o = f"O-{r.randint(100000, 999999)}"
            d = r.uniform(30, 60)
            lines.append((d - 2, "WARN", f"ConditionalCheckFailedException: The conditional request failed "
                                         f"(offer {o} version mismatch); returning 409"))
            return Inv(d, mem, lines)
        if big or (h > 0 and r.random() < 0.03 * h):
            if big and r.random() < 0.55:
                back = 0
                for a in range(1, 4):
                    back += r.uniform(90, 160) * a
                    lines.append((back, "WARN", f"BatchWriteItem returned {n} UnprocessedItems for seller {s} "
                                                f"(attempt {a}/4), backing off {int(70 * 2 ** a)}ms"))
                d = back + r.uniform(250, 420)
                lines.append((d - 3, "ERROR", f"BatchWriteItem failed for seller {s} after 4 attempts; "
                                              f"returning 503 {HOT_KEY_MSG}{SDK_STACK}"))
                return Inv(d, mem + 9, lines)
            d = r.uniform(180, 520)
            lines.append((d * 0.4, "WARN", f"BatchWriteItem returned {r.randint(3, n)} UnprocessedItems for seller "
                                           f"{s} (attempt 1/4), backing off 140ms"))
            lines.append((d - 2, "INFO", f"offers written seller={s} items={n} attempts=2 {d:.0f}ms"))
            return Inv(d, mem, lines)
        d = r.uniform(38, 110)
        lines.append((d - 2, "INFO", f"offers written seller={s} items={n} attempts=1 {d:.0f}ms"))
        return Inv(d, mem, lines)

    lambda_logs(sc, "offers-api", "nodejs20.x", -9000, 0, 3, lambda t: 4.5, handler, 1024, 10)
    ev = []
    t = -5400.0
    while t < -1:
        t += sc.rng.expovariate(9 / 60)
        h = hot(t)
        big = h > 0 and sc.rng.random() < 0.11 * h
        if sc.rng.random() < 0.28:
            ev.append((t, http_api_access(sc, t, "GET /v1/sellers/{sellerId}/offers/{offerId}", 200, 812, 16)))
        elif big and sc.rng.random() < 0.55:
            ev.append((t, http_api_access(sc, t, "PUT /v1/sellers/{sellerId}/offers:batch", 503, 118,
                                          sc.rng.uniform(800, 1400), ip="18.202.77.14")))
        elif sc.rng.random() < 0.013:
            ev.append((t, http_api_access(sc, t, "PUT /v1/sellers/{sellerId}/offers:batch", 409, 96, 44)))
        else:
            ev.append((t, http_api_access(sc, t, "PUT /v1/sellers/{sellerId}/offers:batch", 200, 233,
                                          sc.rng.uniform(40, 120) + (350 if big else 0),
                                          ip="18.202.77.14" if big else None)))
    sc.log("/aws/apigateway/seller-http-api/access", "$default", ev)
    sc.change(-19300, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGatewayV2::Stage",
              "seller-http-api", "terraform-ci")
    sc.change(-2880, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "payout-reports", "github-actions-deployer")
    sc.change(-2870, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "payout-reports", "github-actions-deployer")
    dims = {"ApiId": api_id, "Stage": "$default"}
    sc.alarm("seller-http-api-5xx", "AWS/ApiGateway", "5xx", dims, "Sum", 60, 3, 20,
             description="Seller API 5xx responses", want="ALARM")
    sc.alarm("seller-http-api-4xx", "AWS/ApiGateway", "4xx", dims, "Sum", 300, 2, 120, want="OK")
    sc.alarm("offers-api-errors", "AWS/Lambda", "Errors", {"FunctionName": "offers-api"}, "Sum", 60, 3, 5,
             want="OK")
    sc.expect("seller-http-api-5xx", "throttling", ["seller-offers"],
              [("AWS/DynamoDB", "WriteThrottleEvents", tbl),
               ("AWS/DynamoDB", "ThrottledRequests", dict(tbl, Operation="BatchWriteItem")),
               ("AWS/ApiGateway", "5xx", dims)])
    sc.readme("front (HTTP API)", "payout-reports deploy 7 min before onset; API stage update 5 h earlier; "
              "steady 409 ConditionalCheckFailed warnings; offers-api Errors alarm stays OK",
              "One seller's feed sync (S-20931, 25-item BatchWriteItem calls) concentrates writes on a single "
              "partition key of the on-demand table `seller-offers`. Table-wide consumed WCU only rises ~50 % "
              "(well inside on-demand headroom), but WriteThrottleEvents / ThrottledRequests jump from zero and "
              "offers-api logs `ProvisionedThroughputExceededException ... check if you have a hot key` before "
              "returning 503. offers-api catches the error, so its Errors metric stays flat; only the HTTP API 5xx "
              "alarm fires. Throughput-exceeded errors make this `throttling`; the fault originates in the "
              "DynamoDB table, not the function or the API. The payout-reports deploy is in another code path.")
    return sc


def b02() -> Scn:
    sc = Scn(2, "payouts-errors-nat-packet-drops", "eu-central-1", 2902, "2026-03-10T09:18:00",
             "Payout dispatcher failing to submit payouts to the banking partner; Errors alarm in ALARM.")
    nat, on = "nat-0a3f9c21d4e5b6a78", -2100
    bad = lambda t: ramp(t, on, on + 120)
    vpc = {"subnet_ids": ["subnet-0e41c2a9 (eu-central-1a)", "subnet-07b9d3f1 (eu-central-1b)"],
           "security_group_ids": ["sg-0c55e1d2a3b4f6071"], "egress": f"{nat} (prod-egress-nat)"}
    sc.res("lambda", "payout-dispatcher", runtime="provided.al2023", architecture="arm64", timeout=30,
           memory_size=256, trigger="SQS payouts-outbound (batch 10)", vpc_config=vpc)
    sc.res("lambda", "payout-status-poller", runtime="provided.al2023", architecture="arm64", timeout=60,
           memory_size=256, trigger="EventBridge rate(1 minute)", vpc_config=vpc)
    sc.res("lambda", "fx-rates-refresh", runtime="python3.12", timeout=60, memory_size=256,
           trigger="EventBridge rate(5 minutes)", vpc_config="none")
    nd = {"NatGatewayId": nat}
    att = lambda t: 260 * sc.diurnal(t, 11, 0.3) * (1 + 1.1 * bad(t))
    sc.metric("AWS/NATGateway", "ConnectionAttemptCount", nd, "Count", sc.counts(att))
    sc.metric("AWS/NATGateway", "ConnectionEstablishedCount", nd, "Count",
              sc.counts(lambda t: att(t) * (0.995 - 0.87 * bad(t))))
    sc.metric("AWS/NATGateway", "PacketsDropCount", nd, "Count",
              sc.counts(lambda t: 0.3 + 6200 * bad(t) * sc.rng.uniform(0.7, 1.25)))
    sc.metric("AWS/NATGateway", "ErrorPortAllocation", nd, "Count", sc.counts(lambda t: 0.0))
    sc.metric("AWS/NATGateway", "IdleTimeoutCount", nd, "Count", sc.counts(lambda t: 3.0))
    sc.metric("AWS/NATGateway", "ActiveConnectionCount", nd, "Count",
              sc.gauge(lambda t: 48 * sc.diurnal(t, 11, 0.3) * (1 - 0.5 * bad(t)), noise=0.08, nd=0))
    sc.metric("AWS/NATGateway", "BytesOutToDestination", nd, "Bytes",
              sc.gauge(lambda t: 2.4e6 * sc.diurnal(t, 11, 0.3) * (1 - 0.8 * bad(t)), noise=0.1, nd=0))
    inv = lambda t: 44 * sc.diurnal(t, 11, 0.3) * (1 + 0.3 * bad(t))
    lambda_metrics(sc, "payout-dispatcher", inv, lambda t: 0.002 + 0.9 * bad(t), lambda t: 430 + 9800 * bad(t))
    lambda_metrics(sc, "payout-status-poller", lambda t: 1.0, lambda t: 0.97 * bad(t),
                   lambda t: 850 + 19500 * bad(t))
    lambda_metrics(sc, "fx-rates-refresh", lambda t: 1.0 if sc.wall(t).minute % 5 == 0 else None,
                   lambda t: 0.0, lambda t: 690)
    backlog = lambda t: max(0.0, t - on) if t > on else 0.0
    sqs_metrics(sc, "payouts-outbound", lambda t: 380 * sc.diurnal(t, 11, 0.3),
                lambda t: 25 + 240 * backlog(t) / 60 * 0.8, lambda t: 3 + backlog(t),
                received=lambda t: 380 * sc.diurnal(t, 11, 0.3) * (1 + 0.6 * bad(t)),
                deleted=lambda t: 380 * sc.diurnal(t, 11, 0.3) * (1 - 0.9 * bad(t)))
    dlq = lambda t: max(0.0, (t - on - 900) / 60 * 21) if t > on + 900 else 0.0
    sqs_metrics(sc, "payouts-outbound-dlq", lambda t: 21 * ramp(t, on + 900, on + 960),
                dlq, lambda t: max(0.0, t - on - 900) if t > on + 900 else 0.0,
                received=lambda t: 0.0, deleted=lambda t: 0.0)

    partner = "https://api.banklink-partner.eu"
    ips = ["18.185.77.203", "3.121.44.90"]

    def dispatcher(sc, t, rid, env):
        r = sc.rng
        lines, off, failed = [], 2.0, 0
        n = r.randint(3, 10)
        lines.append((off, "INFO", ("batch received", {"records": n, "queue": "payouts-outbound"})))
        off += r.uniform(6, 14)
        lines.append((off, "INFO", ("idempotency keys written", {"count": n, "table": "payout-idempotency",
                                                                 "latency_ms": int(off - 2)})))
        for _ in range(n):
            pid = f"po_{sc.hexid(12)}"
            if r.random() < bad(t) * 0.92:
                if r.random() < 0.75:
                    off += 3000 + r.uniform(1, 9)
                    err = f"Post \"{partner}/v2/payouts\": dial tcp {r.choice(ips)}:443: i/o timeout"
                else:
                    off += 10000 + r.uniform(1, 9)
                    err = (f"Post \"{partner}/v2/payouts\": context deadline exceeded "
                           f"(Client.Timeout exceeded while awaiting headers)")
                lines.append((off, "ERROR", ("partner request failed", {"op": "CreatePayout", "payout_id": pid,
                                                                        "err": err})))
                failed += 1
                if off > 17000:
                    lines.append((off + 1, "WARN", ("time budget exhausted, leaving remaining records for retry",
                                                    {"remaining": n - failed})))
                    break
                continue
            lat = r.uniform(180, 420)
            off += lat
            if r.random() < 0.03:
                lines.append((off, "WARN", ("partner returned 409 duplicate payout, treating as success",
                                            {"payout_id": pid})))
            else:
                lines.append((off, "INFO", ("payout submitted", {"payout_id": pid, "partner_ref": f"BLK-{r.randint(10**7, 10**8)}",
                                                                 "amount_minor": r.randint(500, 900000),
                                                                 "currency": "EUR", "latency_ms": int(lat)})))
        if failed:
            lines.append((off + 1, "ERROR", ("batch failed; returning error so records are retried",
                                             {"records": n, "failed": failed})))
            return Inv(off + 3, r.randint(38, 47), lines, "error")
        lines.append((off + 1, "INFO", ("batch processed", {"records": n, "failed": 0})))
        return Inv(off + 3, r.randint(36, 45), lines)

    lambda_logs(sc, "payout-dispatcher", "provided.al2023", -7800, 0, 2, lambda t: 2.6, dispatcher, 256, 30,
                init_ms=(55, 110))

    def poller(sc, t, rid, env):
        r = sc.rng
        if r.random() < bad(t) * 0.97:
            return Inv(20000 + r.uniform(3, 40), r.randint(33, 40), [
                (20001, "ERROR", ("status poll failed", {"err": f"Get \"{partner}/v2/payouts/status?since=-5m\": "
                                                                f"dial tcp {r.choice(ips)}:443: i/o timeout"}))], "error")
        lat = r.uniform(300, 900)
        return Inv(lat + 20, r.randint(33, 40), [(lat, "INFO", ("status poll ok", {"updated": r.randint(0, 40),
                                                                                 "latency_ms": int(lat)}))])

    lambda_logs_at(sc, "payout-status-poller", "provided.al2023",
                   [t + sc.rng.uniform(0.1, 0.9) for t in range(-7200, 0, 60)], poller, 256, 60,
                   init_ms=(50, 100))

    def fx(sc, t, rid, env):
        lat = sc.rng.uniform(140, 260)
        return Inv(lat + 420, sc.rng.randint(71, 80), [
            (lat, "INFO", f"GET {partner}/v2/fx-rates 200 in {lat:.0f} ms"),
            (lat + 400, "INFO", f"fx rates updated: {36} pairs written to fx-rates table")])

    lambda_logs_at(sc, "fx-rates-refresh", "python3.12",
                   [t + 0.3 for t in range(-9000, 0, 300)], fx, 256, 60, keep_warm=400)
    sc.change(-2700, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "fx-rates-refresh", "gitlab-ci")
    sc.change(-5100, "sqs.amazonaws.com", "SetQueueAttributes", "AWS::SQS::Queue", "kyc-documents",
              "terraform-ci")
    fd = {"FunctionName": "payout-dispatcher"}
    sc.alarm("payout-dispatcher-errors", "AWS/Lambda", "Errors", fd, "Sum", 60, 3, 5,
             description="Payout dispatcher Lambda errors", want="ALARM")
    sc.alarm("payouts-outbound-dlq-not-empty", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
             {"QueueName": "payouts-outbound-dlq"}, "Maximum", 60, 1, 0, want="ALARM")
    sc.expect("payout-dispatcher-errors", "dependency_failure", [nat, "prod-egress-nat"],
              [("AWS/NATGateway", "PacketsDropCount", nd),
               ("AWS/NATGateway", "ConnectionEstablishedCount", nd),
               ("AWS/Lambda", "Errors", fd)])
    sc.readme("caller (origin is the NAT gateway)",
              "fx-rates-refresh deploy 10 min before onset; SQS attribute change on kyc-documents; DLQ alarm; "
              "steady 409 duplicate-payout warnings",
              "From 08:43 every outbound connection from the VPC functions to the banking partner times out "
              "(`dial tcp ...:443: i/o timeout`), while the in-VPC DynamoDB writes (gateway endpoint) keep "
              "working and fx-rates-refresh - which runs outside the VPC and calls the same partner host - "
              "keeps getting 200s. The NAT gateway's PacketsDropCount jumps from ~0 to thousands per minute and "
              "established connections collapse to ~12 % of attempts with no port-allocation errors and no "
              "change to routes or security groups: the egress NAT gateway is dropping traffic. Timeouts on a "
              "downstream path that is not exhausted make it `dependency_failure` with the NAT gateway as "
              "origin; the recently deployed fx-rates-refresh is the control that proves the partner is up.")
    return sc
