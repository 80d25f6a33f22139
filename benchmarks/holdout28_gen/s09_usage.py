"""h28-09: hourly Go aggregation Lambda whose duration creeps up run after run until it hits 900 s."""
from __future__ import annotations

import random

from .common import HIST, LOGS, Clock, alarm, change, diurnal, poisson, rid
from .logfmt import LambdaLog, Rec

R = "us-east-1"
FN, HOOK, MAIL, API = "usage-aggregator", "billing-webhook", "invoice-mailer", "billing-api"
RATE, SETUP, TIMEOUT = 10600.0, 18.0, 900.0
ROWS = [9.71e6, 9.05e6, 8.42e6, 7.70e6, 7.02e6, 6.31e6]     # index k = hours back


def build():
    rng = random.Random(2809)
    clk = Clock("2026-03-18T14:31:00")
    tops = [clk.top_of_hour(k) for k in range(6)]
    lam = Rec("AWS/Lambda", {"FunctionName": FN})
    log = LambdaLog(rng, clk, FN, "provided.al2023", 3008, streams=1)
    running = []
    done = {}
    for k, top in enumerate(tops):
        rows = ROWS[k] * rng.uniform(0.995, 1.005)
        dur = (SETUP + rows / RATE) * 1000
        hour = clk.at(top - 3600).strftime("%Y-%m-%dT%H:00Z")
        r = rid(rng)
        start = top + 1.3
        timed_out = dur > TIMEOUT * 1000
        real = min(dur, TIMEOUT * 1000)
        running.append((start, start + real / 1000))
        end_min = int((start + real / 1000) // 60 * 60)
        done[end_min] = (real, 1 if timed_out else 0)
        if start < -LOGS - 1200:
            continue

        def body(st, total, stop, attempt):
            lines = [(0.01, "INFO", f"aggregation started hour={hour} partitions=48 attempt={attempt} "
                                    f"rows_total_est={int(rows):d}")]
            x = 60.0
            while x < stop - st:
                lines.append((x, "INFO", f"progress rows_done={int(min(rows, (x - SETUP) * RATE * rng.uniform(0.98, 1.02)))} "
                                         f"rows_total_est={int(rows)} rate_rows_s={int(RATE * rng.uniform(0.97, 1.03))} "
                                         f"heap_mb={rng.randint(1100, 1500)}"))
                x += 60.0
            if total:
                lines.append((total / 1000 - 1.0, "INFO", f"wrote 48 partition summaries to s3://usage-rollups-prod/hourly/{hour}/"))
                lines.append((total / 1000 - 0.05, "INFO", f"aggregation complete hour={hour} rows={int(rows)} "
                                                           f"elapsed={total / 1000:.1f}s"))
            return lines

        if not timed_out:
            log.invoke(start, dur, rng.randint(1400, 1600), body(start, dur, start + dur / 1000, 1), r=r)
        else:
            log.invoke(start, TIMEOUT * 1000, 1588, body(start, None, start + TIMEOUT, 1), r=r, timeout_s=TIMEOUT)
            rs = start + TIMEOUT + 61.7
            running.append((rs, 0))
            nm = next(iter(log.streams))
            ev = log.streams[nm]
            ev.append((rs, f"START RequestId: {r} Version: $LATEST"))
            for off, lv, msg in body(rs, None, 0, 2):
                ev.append((rs + off, log.line(rs + off, r, lv, msg)))
    for t in range(-HIST, 0, 60):
        busy = any(s <= t + 59 and (e == 0 or e >= t) for s, e in running)
        if t in done:
            d, err = done[t]
            lam.put(t, Invocations=1, Errors=err, Throttles=0, Duration=d)
        lam.put(t, ConcurrentExecutions=1 if busy else 0)

    # ---- decoys: billing-webhook constant errors, invoice-mailer config change, billing-api hourly partner batch ----
    hook = Rec("AWS/Lambda", {"FunctionName": HOOK})
    hl = LambdaLog(rng, clk, HOOK, "nodejs20.x", 512, streams=2)
    api = Rec("AWS/ApiGateway", {"ApiName": API})
    mail = Rec("AWS/Lambda", {"FunctionName": MAIL})
    ml = LambdaLog(rng, clk, MAIL, "python3.12", 256, streams=1)
    for t in range(-HIST, 0, 60):
        burst = any(top <= t < top + 240 for top in tops)
        n = poisson(rng, (95 if burst else 38) * diurnal(t, 0.1))
        e = poisson(rng, 1.9)
        hook.put(t, Invocations=n, Errors=min(n, e), Throttles=0, Duration=rng.gauss(210, 15), ConcurrentExecutions=max(1, round(n * 0.21 / 60 + 1)))
        api.put(t, Count=n, **{"4XXError": min(n, e) + poisson(rng, 1), "5XXError": poisson(rng, 0.05)}, Latency=rng.gauss(240, 20),
                IntegrationLatency=rng.gauss(218, 18))
        mn = poisson(rng, 4)
        mail.put(t, Invocations=mn, Errors=0, Throttles=0, Duration=rng.gauss(700, 60), ConcurrentExecutions=1 if mn else 0)
        if t < -LOGS:
            continue
        for _ in range(min(n, poisson(rng, 5))):
            ts = t + rng.uniform(0, 59)
            if rng.random() < 1.9 / 38:
                hl.invoke(ts, rng.gauss(30, 4), 96, [(0.005, "ERROR", "Invoke Error \t{\"errorType\":\"StripeSignatureVerificationError\","
                                                                      "\"errorMessage\":\"No signatures found matching the expected signature for payload. "
                                                                      "Are you passing the raw request body you received from Stripe?\","
                                                                      "\"stack\":[\"StripeSignatureVerificationError: No signatures found matching the expected signature for payload.\","
                                                                      "\"    at Object.verifyHeader (/var/task/node_modules/stripe/cjs/Webhooks.js:117:19)\"]}")])
            else:
                hl.invoke(ts, rng.gauss(210, 15), 101, [(0.01, "INFO", f"stripe event evt_{rng.getrandbits(64):016x} type="
                                                                       f"{rng.choice(['invoice.paid', 'customer.subscription.updated', 'charge.succeeded'])} handled")])
        if mn and rng.random() < 0.5:
            ts = t + rng.uniform(0, 59)
            ml.invoke(ts, rng.gauss(700, 60), 74, [(0.01, "INFO", f"Sent invoice email via {'ses-v2' if ts > -1500 else 'ses'} "
                                                                  f"template=invoice_{'v9' if ts > -1500 else 'v8'}")])
    alarms = [alarm(clk, "usage-aggregator-errors", lam.get("Errors"), "Sum", 300, 1, 1, "GreaterThanOrEqualToThreshold",
                    after=tops[0], description="Hourly usage aggregation failed (billing usage records will be late)")]
    lag = round((alarms[0]["state_changed"] - (tops[0])) / 60)
    changes = [change(-1500, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", MAIL, "r.patel")]
    scen = {
        "format": "aiops-scenario/v1", "name": "h28-09-usage-aggregator-creeping-timeout",
        "description": "Hourly usage aggregation job failed; billing asks whether usage for 13:00 will be missing.",
        "region": R,
        "resources": [
            {"type": "lambda", "id": FN, "properties": {"runtime": "provided.al2023", "language": "go1.22", "timeout": 900,
                                                      "memory_size": 3008, "schedule": "cron(0 * * * ? *)"}},
            {"type": "lambda", "id": HOOK, "properties": {"runtime": "nodejs20.x", "timeout": 10, "memory_size": 512}},
            {"type": "lambda", "id": MAIL, "properties": {"runtime": "python3.12", "timeout": 30, "memory_size": 256}},
            {"type": "apigateway", "id": API, "properties": {"stage": "prod"}},
        ],
        "metrics": lam.metrics() + hook.metrics() + api.metrics() + mail.metrics(),
        "logs": log.logs() + hl.logs() + ml.logs(), "alarms": alarms, "changes": changes,
        "expect": {"alarm": "usage-aggregator-errors",
                   "root_cause": {"category": "function_timeout", "resource": [FN]},
                   "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": FN}},
                                 {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}]},
    }
    meta = {"alarm_on": "origin (usage-aggregator)",
            "decoys": "billing-webhook Stripe-signature errors at a constant ~2/min; invoice-mailer configuration change 25 min "
                      "ago; billing-api/billing-webhook traffic burst every top of the hour",
            "story": (
                "usage-aggregator runs at the top of every hour and processes the previous hour's usage at a steady ~10.6k rows/s. "
                "Row counts grow through the business morning, so each run is longer than the last (≈612, 678, 744, 810, 872 s) "
                "against a 900 s timeout. The 14:00 run had 9.7M rows and was killed with 'Task timed out after 900.00 seconds'; "
                "the logs show progress lines at a normal rate right up to the kill and no dependency errors. Lambda's async "
                "retry (same request id) is running now and will hit the same wall. The fault was baked in from the start of the "
                f"run 31 minutes ago and visible as a trend for hours; the Errors alarm fired ~{lag} minutes after the run began. "
                "Category function_timeout on usage-aggregator. The webhook errors are constant, the mailer change is unrelated, "
                "and the hourly API burst is a partner batch seen every hour.")}
    return scen, meta
