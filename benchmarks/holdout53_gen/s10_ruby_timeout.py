"""h53-10: the scheduled Ruby invoice-reconciler scans every open invoice each run; the backlog keeps growing and the
run time creeps up until every run hits the 300 s timeout (no dependency errors, the database is fast)."""
from __future__ import annotations

from datetime import datetime

from . import logfmt as L
from .core import Scenario, counts, diurnal, dims_ref, value_at
from .kits import lambda_set, minutes, rds_set

REGION = "us-west-2"
TIMEOUT = 300.0
PER_INVOICE = 0.0044

META = {
    "file": "h53-10-lambda-ruby-timeout-creep.yaml", "region": REGION, "alarm": "invoice-reconciler-errors",
    "category": "function_timeout", "resources": ["invoice-reconciler"], "alarm_on": "origin (Lambda)",
    "decoys": "configuration change on invoice-mailer 50 min ago; autovacuum CPU bump on billing-pg; many steady "
              "`currency mismatch ... skipping` WARN lines in every run",
    "story": (
        "The reconciler runs every five minutes. Over the six hours its Duration climbs in a straight line from "
        "~215 s to the 300 s timeout, tracking the `open invoices` count it logs at the start of every run (49k "
        "growing to 71k; once runs stop finishing nothing gets reconciled and the backlog grows faster). Since "
        "then each run ends with `Task timed out after 300.00 seconds` (REPORT Status: timeout) after logging "
        "steady page progress; the next run starts with a fresh INIT. Every database page fetch in the log takes "
        "tens of milliseconds and billing-pg is healthy (CPU, connections, latency), so the time is spent inside "
        "the function, proportional to the data. No deploy or configuration change touched the reconciler; the "
        "invoice-mailer change and the vacuum bump are unrelated, and the currency-mismatch warnings are as "
        "frequent as before. Judgement: function_timeout in invoice-reconciler."),
}


def build() -> Scenario:
    scn = Scenario("h53-10-lambda-ruby-timeout-creep", "Invoices are no longer being marked as paid; "
                   "invoice-reconciler Errors alarm.", REGION, 5310, datetime(2026, 11, 3, 18, 5))
    scn.runtime_version = "ruby:3.3.v12"
    rng = scn.rng
    scn.resource("lambda", "invoice-reconciler", runtime="ruby3.3", timeout=int(TIMEOUT), memory_size=1024,
                 schedule="rate(5 minutes)", reserved_concurrency=2)
    scn.resource("lambda", "invoice-mailer", runtime="ruby3.3", timeout=30, memory_size=256)
    scn.resource("rds", "billing-pg", engine="postgres", engine_version="16.3", instance_class="db.r6g.large",
                 allocated_storage_gb=300, max_connections=1600)
    runs, backlog = [], 49100.0
    t = -21600
    while t < 0:
        dur = backlog * PER_INVOICE * rng.uniform(0.985, 1.015)
        timed_out = dur >= TIMEOUT
        reconciled = 0 if timed_out else int(backlog * rng.uniform(0.018, 0.024))
        runs.append({"t": t, "open": int(backlog), "dur": min(dur, TIMEOUT), "timeout": timed_out, "rec": reconciled})
        backlog += rng.uniform(390, 470) - reconciled * 0.1
        t += 300
    by_t = {r["t"]: r for r in runs}
    inv = lambda t: 1 if t in by_t else None
    errs = [[r["t"], 1.0 if r["timeout"] else 0.0] for r in runs]
    lambda_set(scn, "invoice-reconciler", inv=inv, err=errs, thr=lambda t: 0 if t in by_t else None,
               dur=lambda t: by_t[t]["dur"] * 1000 if t in by_t else None,
               conc=lambda t: (2 if by_t[t]["dur"] > 295 else 1) if t in by_t else None)
    mi = counts(lambda t: 9 * diurnal(t, 10.1, 14, 0.3), rng)
    lambda_set(scn, "invoice-mailer", inv=mi, err=lambda t: 0, thr=lambda t: 0, dur=lambda t: rng.uniform(300, 700),
               conc=lambda t: 1)
    vac = lambda t: -5400 <= t < -4800
    in_run = lambda t: any(r["t"] <= t < r["t"] + r["dur"] for r in runs if -400 < t - r["t"] <= 300)
    rds_set(scn, "billing-pg", CPUUtilization=lambda t: (46 if vac(t) else (16 if in_run(t) else 11)) + rng.gauss(0, 1.2),
            DatabaseConnections=lambda t: 21 + (1 if in_run(t) else 0) + rng.choice([0, 1, 2]),
            ReadIOPS=lambda t: (420 if in_run(t) else 90) + rng.gauss(0, 12),
            ReadLatency=lambda t: 0.0005 * rng.uniform(0.8, 1.2), WriteLatency=lambda t: 0.0012 * rng.uniform(0.8, 1.2),
            FreeStorageSpace=lambda t: 188e9 - (t + 21600) * 800 + rng.uniform(-3e6, 3e6))
    scn.alarm("invoice-reconciler-errors", "AWS/Lambda", "Errors", {"FunctionName": "invoice-reconciler"}, "Sum", 300,
              3, 1, "GreaterThanOrEqualToThreshold", points=errs, description="Reconciler failed 3 runs in a row")
    scn.change(-3000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
               "invoice-mailer", "r.gomez")
    _logs(scn, runs)
    scn.set_expect("invoice-reconciler-errors", META["category"], META["resources"],
                   [dims_ref("AWS/Lambda", "Duration", {"FunctionName": "invoice-reconciler"}),
                    dims_ref("AWS/Lambda", "Errors", {"FunctionName": "invoice-reconciler"})])
    return scn


def _logs(scn, runs):
    rng = scn.rng
    ev = []
    prev_timeout = False
    for r in runs:
        if r["t"] < -14400:
            prev_timeout = r["timeout"]
            continue
        t0 = r["t"] + rng.uniform(0.2, 1.5)
        lg = lambda off, lvl, msg: (off, L.ruby_logger(scn, t0 + off, lvl, msg))
        body = [lg(0.01, "INFO", f"reconciliation run {scn.at(r['t']).strftime('%Y-%m-%dT%H:%M')} started; open invoices: "
                               f"{r['open']:,}; page size 500")]
        pages = r["open"] // 500 + 1
        per_page = r["dur"] / pages if not r["timeout"] else PER_INVOICE * 500
        done = int(min(pages, (TIMEOUT - 0.5) / per_page)) if r["timeout"] else pages
        for p in range(1, done + 1):
            off = p * per_page
            if p % 8 == 0 or p == done:
                body.append(lg(off - per_page + 0.02, "INFO", f"fetched page {p}/{pages} (500 rows) in "
                               f"{rng.uniform(0.03, 0.09):.2f}s"))
                body.append(lg(off - 0.03, "INFO", f"page {p}/{pages} matched={rng.randint(0, 14)} "
                               f"unmatched={500 - rng.randint(0, 14)} elapsed={off:.1f}s"))
            if rng.random() < 0.5:
                body.append(lg(off - per_page / 2, "WARN", f"currency mismatch for invoice INV-2026-"
                               f"{rng.randint(100000, 999999)} (EUR vs USD), skipping"))
        if not r["timeout"]:
            body.append(lg(r["dur"] - 0.005, "INFO", f"run finished: {r['open']:,} invoices scanned, {r['rec']:,} "
                           f"reconciled, {r['open'] - r['rec']:,} open, {r['dur']:.1f}s"))
            ev += L.lambda_invocation(scn, t0, r["dur"] * 1000, 1024, rng.randint(540, 640), body,
                                      init_ms=rng.uniform(610, 720) if prev_timeout else None)
        else:
            req = scn.uuid()
            body.append((TIMEOUT - 0.001, f"{L.iso(scn.at(t0 + TIMEOUT))} {req} Task timed out after 300.00 seconds"))
            ev += L.lambda_invocation(scn, t0, TIMEOUT * 1000, 1024, rng.randint(600, 660), body, req=req,
                                      init_ms=rng.uniform(610, 720) if prev_timeout else None,
                                      status="timeout", billed_round=False)
        prev_timeout = r["timeout"]
    scn.log("/aws/lambda/invoice-reconciler", "2026/11/03/[$LATEST]b1e4a7c0d9f2463a8e5c1b7d3f0a9e26", ev)
    mi = []
    for m0 in minutes(-9000):
        if rng.random() < 0.5:
            t = m0 + rng.uniform(0, 60)
            d = rng.uniform(300, 700)
            mi += L.lambda_invocation(scn, t, d, 256, rng.randint(70, 80), [
                (d / 1000 - 0.01, L.ruby_logger(scn, t + d / 1000, "INFO",
                 f"sent invoice INV-2026-{rng.randint(100000, 999999)} to {'ses' if t < -3000 else 'ses-v2'} "
                 f"(message id 0101{scn.hex(16)})"))])
    scn.log("/aws/lambda/invoice-mailer", "2026/11/03/[$LATEST]8c3f1d6a0e2b4975b4d8a1c6e9f3027b", mi)
