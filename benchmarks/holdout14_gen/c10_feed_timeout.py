"""h14-10: a batch of large merchants reaches the delta-chain limit at once; their full feed
rebuilds run past catalog-feed-builder's 120 s timeout every cycle."""
from __future__ import annotations

import datetime as dt

import numpy as np

from .common import N, T, Ctx, alarm, bump, change, idx, metric, ok_alarm, scenario
from .logfmt import LambdaLog, node, py

META = {
    "file": "h14-10-feed-builder-timeouts.yaml", "region": "eu-north-1", "alarm": "catalog-feed-builder-errors",
    "category": "function_timeout", "resources": ["catalog-feed-builder"],
    "position": "origin (Lambda)",
    "decoys": "merchant-db ModifyDBInstance 5 min before onset (the builder does not use it); feed-dispatcher config "
              "change 2.5 h earlier; constant 'skipped items without GTIN' warnings; small merchants' full rebuilds "
              "that finish in time",
    "story": "catalog-feed-builder (Node.js, timeout 120 s) builds one merchant feed per SQS message. Since the cycle "
             "about 35 minutes ago, 14 large merchants (m_47xxx, migrated together) hit 'delta chain length 500 "
             "reached' and switch to a full rebuild of 0.4-1.2 M items; the progress lines show ~4,000 items/s, the "
             "invocation ends with 'Task timed out after 120.00 seconds' at Duration 120000 ms, SQS redelivers and the "
             "retries time out again. There are no S3 or other dependency errors, memory stays at ~60 % of 1769 MB, "
             "and nothing about the function changed; the merchant-db maintenance change is on a database the "
             "builder never touches.",
}

REGION = "eu-north-1"
FN = "catalog-feed-builder"
ONSET = -2100.0
DB_CHANGE = -2400.0
DISPATCH_CHANGE = -9000.0
LOG_START = -7200.0
TIMEOUT = 120.0
SLOTS = 12


def build(seed: int) -> dict:
    ctx = Ctx(seed, dt.datetime(2026, 3, 24, 12, 30, tzinfo=dt.timezone.utc), 1.0, REGION)
    rng = ctx.rng
    small = [(f"m_{ctx.randint(10000, 39999)}", int(rng.lognormal(np.log(16000), 0.9))) for _ in range(46)]
    big = [(f"m_47{ctx.randint(100, 999)}", ctx.randint(410_000, 1_210_000)) for _ in range(14)]
    chain = {m: ctx.randint(5, 480) for m, _ in small}
    for m, _ in big:
        chain[m] = 500 - int((ONSET - (-21600)) // 300)  # all reach 500 at the cycle at ONSET
    fl = LambdaLog(ctx, FN, "nodejs20.x", 1769, envs=8, start=LOG_START)
    inv = np.zeros(N)
    err = np.zeros(N)
    dsum = np.zeros(N)
    conc = np.zeros(N)
    dlq = np.zeros(N)
    sent = np.zeros(N)
    pending = []  # (time, merchant, items, attempt)
    spans = []
    for cyc in np.arange(-21600, 0, 300.0):
        t = cyc + ctx.uni(1, 4)
        for m, items in small + big:
            pending.append((t + ctx.uni(0.2, 3), m, items, 1))
        sent[idx(t)] += len(small) + len(big)
    pending.sort()
    slots = [-21600.0] * SLOTS  # SQS event source maximum concurrency
    k = 0
    while k < len(pending):
        ready, m, items, attempt = pending[k]
        k += 1
        j = int(np.argmin(slots))
        rel = max(ready, slots[j]) + ctx.uni(0.05, 0.6)
        if rel >= 0:
            continue
        c = chain[m]
        full = c >= 500
        rid = ctx.uuid()
        body = []
        i0 = idx(rel)
        if full:
            rate = ctx.uni(3600, 4400)
            d = items / rate * 1000 + ctx.uni(600, 1400)
            body.append((0.004, node(ctx, rel + 0.004, rid, "INFO", f'Building feed merchant={m} mode=full reason="delta chain length 500 reached" '
                                                                     f"items={items} attempt={attempt}")))
            step = 30.0
            tt = step
            while tt < min(d / 1000, TIMEOUT) - 0.5:
                body.append((tt, node(ctx, rel + tt, rid, "INFO", f"full rebuild {m}: {min(items, int(rate * tt))}/{items} items (t+{int(tt)}s)")))
                tt += step
            timed_out = d / 1000 >= TIMEOUT
            if timed_out:
                d = TIMEOUT * 1000
                err[i0] += 1
                if attempt < 3:
                    pending.append((rel + TIMEOUT + ctx.uni(10, 25), m, items, attempt + 1))
                    pending.sort(key=lambda p: p[0])
                else:
                    dlq[i0:] += 1
            else:
                body.append((d / 1000 - 0.02, node(ctx, rel + d / 1000 - 0.02, rid, "INFO",
                                                   f"Wrote s3://nordic-feeds-out/{m}/google-shopping.xml.gz; {items} items, full rebuild, chain reset")))
                chain[m] = 0
            mem = ctx.randint(980, 1120)
        else:
            d = float(np.clip(items / ctx.uni(9000, 14000) * 1000 + rng.lognormal(np.log(900), 0.3), 300, 60000))
            body.append((0.004, node(ctx, rel + 0.004, rid, "INFO", f"Building feed merchant={m} mode=delta chain={c} items={items}")))
            body.append((0.2, node(ctx, rel + 0.2, rid, "INFO", f"Loaded snapshot s3://nordic-feeds-snapshots/{m}/latest.json.gz "
                                                                f"({items / 5200:.1f} MB) in {ctx.randint(90, 420)} ms")))
            if rng.random() < 0.06:
                body.append((0.5, node(ctx, rel + 0.5, rid, "WARN", f"Skipped {ctx.randint(1, 9)} items without GTIN for merchant {m}")))
            body.append((d / 1000 - 0.02, node(ctx, rel + d / 1000 - 0.02, rid, "INFO",
                                               f"Wrote s3://nordic-feeds-out/{m}/google-shopping.xml.gz; {items} items, {c} deltas applied")))
            if attempt == 1:
                chain[m] = c + 1
            mem = ctx.randint(240, 520)
        slots[j] = rel + d / 1000
        inv[i0] += 1
        dsum[i0] += d
        spans.append((rel, rel + d / 1000))
        if rel >= LOG_START:
            fl.invoke(rel, body, d, mem, timeout_s=TIMEOUT if full and d >= TIMEOUT * 1000 else None, rid=rid)
    dur = np.where(inv > 0, dsum / np.maximum(inv, 1), np.nan)
    starts = np.array([a for a, _ in spans])
    ends = np.array([b for _, b in spans])
    for j in range(N):  # ConcurrentExecutions (Maximum): most invocations running at once within the minute
        conc[j] = max(int(np.sum((starts <= t) & (ends > t))) for t in float(T[j]) + np.arange(0, 60, 5.0))

    # feed-dispatcher (python, every 5 min)
    dl = LambdaLog(ctx, "feed-dispatcher", "python3.12", 256, envs=1, start=LOG_START)
    d_inv = np.zeros(N)
    for cyc in np.arange(-21600, 0, 300.0):
        d_inv[idx(cyc)] = 1
        if cyc >= LOG_START:
            rid = ctx.uuid()
            dl.invoke(cyc + 0.8, [(0.3, py(ctx, cyc + 1.1, "INFO", rid, f"Enqueued {len(small) + len(big)} feed jobs to feed-build-jobs"))],
                      ctx.uni(380, 520), ctx.randint(72, 80), rid=rid)
    # merchant-portal-api uses merchant-db
    pl = LambdaLog(ctx, "merchant-portal-api", "nodejs20.x", 512, envs=2, start=LOG_START)
    p_inv = ctx.poisson(7 * ctx.diurnal(14, 0.4))
    for i in range(N):
        for rel in sorted(float(T[i]) + ctx.uni(0, 59) for _ in range(int(p_inv[i]))):
            if rel >= LOG_START:
                rid = ctx.uuid()
                d = ctx.uni(30, 160)
                pl.invoke(rel, [(d / 1000 - 0.003, node(ctx, rel + d / 1000 - 0.003, rid, "INFO",
                                                        f"GET /merchants/m_{ctx.randint(10000, 49999)}/settings 200 {d:.0f}ms"))],
                          d, ctx.randint(110, 140), rid=rid)
    logs = fl.logs() + dl.logs() + pl.logs()

    f = {"FunctionName": FN}
    dd = {"FunctionName": "feed-dispatcher"}
    pp = {"FunctionName": "merchant-portal-api"}
    db = {"DBInstanceIdentifier": "merchant-db"}
    vis = np.clip(np.round(ctx.gauge(12, 0.3, lo=0) + np.where(T >= ONSET, 9, 0)), 0, None)
    metrics = [
        metric("AWS/Lambda", "Invocations", f, "Count", inv),
        metric("AWS/Lambda", "Errors", f, "Count", err),
        metric("AWS/Lambda", "Throttles", f, "Count", np.zeros(N)),
        metric("AWS/Lambda", "Duration", f, "Milliseconds", dur),
        metric("AWS/Lambda", "ConcurrentExecutions", f, "Count", conc),
        metric("AWS/SQS", "NumberOfMessagesSent", {"QueueName": "feed-build-jobs"}, "Count", sent),
        metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "feed-build-jobs"}, "Count", vis),
        metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "feed-build-jobs-dlq"}, "Count", dlq),
        metric("AWS/Lambda", "Invocations", dd, "Count", d_inv),
        metric("AWS/Lambda", "Errors", dd, "Count", np.zeros(N)),
        metric("AWS/Lambda", "Invocations", pp, "Count", p_inv),
        metric("AWS/Lambda", "Errors", pp, "Count", np.zeros(N)),
        metric("AWS/RDS", "CPUUtilization", db, "Percent", ctx.gauge(11, 0.1, lo=2) + bump(DB_CHANGE + 200, 300, 9)),
        metric("AWS/RDS", "DatabaseConnections", db, "Count", np.round(ctx.gauge(22, 0.05))),
    ]
    alarms = [
        alarm(ctx, "catalog-feed-builder-errors", "AWS/Lambda", "Errors", f, err, "Sum", 300, 2, 4.0,
              description="catalog-feed-builder failing feed builds"),
        ok_alarm("feed-dispatcher-errors", "AWS/Lambda", "Errors", dd, "Sum", 300, 1, 0.0),
        ok_alarm("merchant-db-cpu", "AWS/RDS", "CPUUtilization", db, "Average", 300, 3, 80.0),
    ]
    changes = [
        change(DISPATCH_CHANGE, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
               "feed-dispatcher", "e.lindqvist"),
        change(DB_CHANGE, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "merchant-db", "e.lindqvist"),
    ]
    resources = [
        {"type": "lambda", "id": FN, "properties": {
            "runtime": "nodejs20.x", "timeout": int(TIMEOUT), "memory_size": 1769, "event_source": "sqs:feed-build-jobs (batch size 1, maximum concurrency 12)",
            "environment": {"SNAPSHOT_BUCKET": "nordic-feeds-snapshots", "FEED_BUCKET": "nordic-feeds-out", "MAX_DELTA_CHAIN": "500"}}},
        {"type": "lambda", "id": "feed-dispatcher", "properties": {"runtime": "python3.12", "timeout": 30, "memory_size": 256}},
        {"type": "lambda", "id": "merchant-portal-api", "properties": {"runtime": "nodejs20.x", "timeout": 10, "memory_size": 512,
                                                                       "environment": {"DB_HOST": "merchant-db.cluster-c3m1x8.eu-north-1.rds.amazonaws.com"}}},
        {"type": "rds", "id": "merchant-db", "properties": {"engine": "aurora-postgresql", "instance_class": "db.r6g.large",
                                                             "max_connections": 1000}},
    ]
    return scenario("h14-10-feed-builder-timeouts",
                    "Shopping feeds for several large merchants are stale; catalog-feed-builder Errors alarm in ALARM.",
                    REGION, resources, metrics, logs, alarms, changes,
                    {"alarm": META["alarm"], "root_cause": {"category": META["category"], "resource": META["resources"]},
                     "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": f}]})
