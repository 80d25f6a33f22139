"""h16-14: month-end statements of the largest accounts now take longer than the function's timeout."""
from __future__ import annotations

import datetime as dt

import numpy as np

from . import aws
from .kit import N, TIMES, Scenario, counts, daily, jitter, step, window
from .logfmt import LambdaLogs, event_times, pg, pg_checkpoints, poisson_times

META = {
    "file": "h16-14-statement-render-outgrows-timeout",
    "postmortem": "a batch job whose input grew until it no longer fits its timeout (largest customers' "
                  "month-end documents)",
    "side": "origin (Lambda errors)",
    "decoys": "statement-notify deploy 15 min before; billing-db CPU spike from the month-end close query that "
              "ended before onset; steady missing-glyph warnings",
    "story": (
        "The month-end statement batch starts at 04:30 and renders retail accounts for two hours without a single "
        "error. At 06:30 it reaches the enterprise accounts (ordered by size), whose statements now run to "
        "1,000-2,600 pages. statement-render logs steady progress ('rendered page 1100/2318') and then "
        "'Task timed out after 120.00 seconds'; Duration maxes out at exactly the configured 120 s, async retries "
        "time out again, and the Errors alarm fires. There are no throttles, no dependency errors (transactions "
        "load from billing-db in under a second, S3 writes succeed for the accounts that finish) and memory is well "
        "below the limit. function_timeout of statement-render. The billing-db CPU spike ended before the first "
        "timeout and the notify deploy touches a different function."),
}

HOST = "billing-db.cr7x1qv4mz0p.ca-central-1.rds.amazonaws.com"


def build(seed: int) -> Scenario:
    sc = Scenario("h16-14-statement-render-outgrows-timeout",
                  "Month-end statements missing for large customers; statement-render errors alarm.",
                  "ca-central-1", seed, dt.datetime(2026, 12, 1, 7, 10))
    O = -2400.0          # enterprise accounts start
    batch0 = -9600.0     # batch start
    sc.resource("lambda", "statement-render", runtime="python3.12", timeout=120, memory_size=2048,
                environment={"OUTPUT_BUCKET": "lumberline-statements", "DB_HOST": HOST},
                event_source="s3:lumberline-statement-jobs (async, 2 retries)")
    sc.resource("lambda", "statement-notify", runtime="python3.12", timeout=30, memory_size=256)
    sc.resource("lambda", "statement-scheduler", runtime="python3.12", timeout=300, memory_size=512)
    sc.resource("rds", "billing-db", engine="postgres", engine_version="15.7", instance_class="db.r6g.xlarge",
                max_connections=1000, allocated_storage_gb=700)

    batch = step(batch0)
    big = step(O)
    base = counts(sc, 3.5 * daily(sc, peak_hour=17, depth=0.6))
    retail = counts(sc, 17.5 * batch * (1 - big))
    ent_first = counts(sc, 2.3 * big)
    retries = np.round(np.roll(ent_first, 1) * 0.95 + np.roll(ent_first, 3) * 0.9) * big
    retries[:3] = 0
    inv = base + retail + counts(sc, 9 * big) + ent_first + retries
    errs = np.round((ent_first + retries) * 0.83) + counts(sc, 0.01)
    dur = ((base + retail + counts(sc, 9 * big)) * 5200 + (ent_first + retries) * (0.83 * 120000 + 0.17 * 96000)) \
        / np.maximum(inv, 1)
    conc = np.ceil(inv * dur / 60000 * 1.2)
    aws.lambda_metrics(sc, "statement-render", inv, errs, jitter(sc, dur, 0.03), conc=conc)
    ninv = counts(sc, (2 + 12 * batch) * (1 - big * 0.1))
    aws.lambda_metrics(sc, "statement-notify", ninv, np.zeros(N), jitter(sc, 640, 0.1))
    sinv = window(batch0 - 60, batch0)
    aws.lambda_metrics(sc, "statement-scheduler", sinv, np.zeros(N), np.full(N, 41000.0), conc=sinv)
    spike = window(O - 660, O - 90)
    aws.rds_metrics(sc, "billing-db", jitter(sc, 18 + 6 * batch, 0.07) + spike * 44, 64 + 20 * batch +
                    sc.rng.normal(0, 3, N), 388.0 - (TIMES + 21600) / 21600, jitter(sc, 22.5, 0.003),
                    read_iops=900 + 1300 * batch + spike * 5200, write_iops=260 + 40 * batch)

    # --- logs -----------------------------------------------------------------------------------------------------
    lg = LambdaLogs(sc, "statement-render", "python3.12", 2048)
    for t in event_times(sc, base + retail + counts(sc, 9 * big), -3600):
        acct = f"ACC-{int(sc.rng.integers(100000, 999999))}"
        n_tx = int(sc.rng.integers(8, 600))
        pages = max(1, n_tx // 2)
        d = 900 + pages * 90 + sc.rng.normal(0, 200)
        body = [(0.01, "INFO", f"Rendering statement 2026-11 for {acct} ({n_tx} transactions, est. {pages} pages)"),
                (0.3, "INFO", f"Fetched {n_tx} transactions from billing-db in {sc.rng.uniform(0.04, 0.3) * 1000:.0f} ms"),
                (d / 1000 - 0.2, "INFO", f"Wrote s3://lumberline-statements/2026-11/{acct}.pdf ({pages} pages)")]
        if sc.rng.random() < 0.04:
            body.insert(2, (0.5, "WARNING", "Font 'Noto Sans Thai' has no glyph U+0E3F, substituting"))
        lg.invoke(t, max(d, 400), body, mem_used=int(sc.rng.integers(310, 520)))
    pending: list[tuple[float, str, int, int]] = []
    for t in event_times(sc, ent_first, O):
        acct = f"ENT-{int(sc.rng.integers(1000, 9999))}"
        n_tx = int(sc.rng.integers(2100, 5200))
        pending.append((t, acct, n_tx, 0))
    while pending:
        t, acct, n_tx, attempt = pending.pop(0)
        if t >= -1:
            continue
        pages = n_tx // 2
        per_page = sc.rng.uniform(0.088, 0.096)
        need = 1.2 + pages * per_page
        body = [(0.01, "INFO", f"Rendering statement 2026-11 for {acct} ({n_tx} transactions, est. {pages} pages)"
                               + (f" [retry {attempt}]" if attempt else "")),
                (0.9, "INFO", f"Fetched {n_tx} transactions from billing-db in {sc.rng.uniform(0.3, 0.9) * 1000:.0f} ms")]
        k = 100
        while 1.2 + k * per_page < min(need, 119.5):
            body.append((1.2 + k * per_page, "INFO", f"{acct}: rendered page {k}/{pages}"))
            k += 100
        mem = int(sc.rng.integers(700, 1100))
        if need <= 120:
            body.append((need, "INFO", f"Wrote s3://lumberline-statements/2026-11/{acct}.pdf ({pages} pages)"))
            lg.invoke(t, need * 1000 + 40, body, mem_used=mem)
        else:
            lg.invoke(t, 120000.0, body, mem_used=mem, timeout_s=120.0)
            if attempt < 2:
                pending.append((t + 120 + sc.rng.uniform(60, 150 if attempt == 0 else 240), acct, n_tx, attempt + 1))
                pending.sort()
    lg.flush()
    nf = LambdaLogs(sc, "statement-notify", "python3.12", 256)
    for t in event_times(sc, ninv, -3600):
        nf.invoke(t, float(sc.rng.normal(640, 60)), [(0.01, "INFO", f"Statement e-mail queued for "
                                                                   f"ACC-{int(sc.rng.integers(100000, 999999))}")],
                  mem_used=int(sc.rng.integers(70, 80)))
    nf.flush()
    sd = LambdaLogs(sc, "statement-scheduler", "python3.12", 512)
    sd.invoke(batch0 - 50, 41000.0, [(0.01, "INFO", "Month-end statement run 2026-11 starting"),
                                     (40.5, "INFO", "Queued 2,412 statement jobs (2,318 retail, 94 enterprise; "
                                                    "enterprise last, ordered by size)")], mem_used=233)
    sd.flush()
    ev = pg_checkpoints(sc, -21600, pid=611)
    t = O - 650
    ev.append((t + 560, pg(sc, t + 560, "LOG", "duration: 561204.338 ms  statement: SELECT ledger_close('2026-11')",
                           "finance_batch", "billing", "10.14.3.77(50312)")))
    for t in poisson_times(sc, 0.08, -21600):
        ev.append((t, pg(sc, t, "LOG", f"duration: {sc.rng.uniform(1000, 1900):.3f} ms  statement: SELECT * FROM "
                                       f"transactions WHERE account_id = $1 AND period = $2 ORDER BY posted_at",
                         "render", "billing", sc.ip("10.14"))))
    sc.log("/aws/rds/instance/billing-db/postgresql", "billing-db", ev)
    sc.change(-86000 * 6, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "statement-render", "gha-deploy")
    sc.change(O - 900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "statement-notify", "gha-deploy")
    fn = {"FunctionName": "statement-render"}
    sc.alarm_on("statement-render-errors", "AWS/Lambda", "Errors", fn, errs, "Sum", 60, 3, 3, "GreaterThanThreshold",
                description="statement-render errors")
    sc.set_expect("statement-render-errors", "function_timeout", ["statement-render"],
                  [("AWS/Lambda", "Errors", fn), ("AWS/Lambda", "Duration", fn)])
    return sc
