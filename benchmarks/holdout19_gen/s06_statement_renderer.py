"""h19-06: annual statements take longer than the renderer's 60 s timeout (function_timeout, Lambda origin alarm)."""
from __future__ import annotations

from datetime import datetime

import numpy as np

from .common import Case, counts, diurnal, wobble
from .logfmt import Inv, LambdaSim

SLUG = "h19-06-statement-renderer-timeouts"
ONSET = -2400
TIMEOUT = 60

META = {
    "front": "origin",
    "decoys": "statement-notifier configuration change 2 min before onset; statement-renderer code deploy 5.5 h "
              "earlier; constant missing-glyph font warnings",
    "story": (
        "`statement-renderer` (timeout 60 s) renders PDF statements from the `statement-jobs` queue. From -40 min "
        "the queue also carries annual statements with hundreds of pages; the renderer logs page progress, "
        "its ledger reads and S3 uploads keep completing in tens to hundreds of milliseconds, and then the "
        "invocation ends with `Task timed out after 60.0x seconds` and REPORT `Duration: 60000.00 ms ... Status: "
        "timeout`. Errors are exactly the timed-out invocations, memory stays well below 1536 MB, and there are "
        "no dependency errors. The configuration change on `statement-notifier` shortly before is another "
        "function that keeps running cleanly; the renderer's own deploy is 5.5 h old; the font warning is constant."),
}


def build() -> Case:
    c = Case(SLUG, 1906, "eu-central-1", datetime(2026, 11, 30, 22, 45),
             "Statement rendering Lambda failing; Errors alarm fired on the billing team's pager.")
    rng, ids, t = c.rng, c.ids, c.t
    n = len(t)
    c.resource("lambda", "statement-renderer", runtime="python3.12", timeout=TIMEOUT, memory_size=1536,
               event_source="sqs:statement-jobs (batch size 1)",
               environment={"LEDGER_TABLE": "ledger-entries", "OUTPUT_BUCKET": "acme-statements-prod",
                            "FONT_DIR": "/opt/fonts"})
    c.resource("lambda", "statement-notifier", runtime="python3.12", timeout=30, memory_size=256,
               environment={"SES_CONFIGURATION_SET": "statements", "FROM_ADDRESS": "statements@acme-bank.example",
                            "BATCH_SIZE": "25"})

    per_min = counts(rng, 6.2 * diurnal(t, -6000, 0.1) * (1 + wobble(rng, n, 0.05)))
    retry_boost = np.where(t >= ONSET + 360, 1.6, 0.0)   # SQS redelivers timed-out jobs after the visibility timeout
    per_min = per_min + counts(rng, retry_boost)

    def render(ts: float, rid: str) -> Inv:
        acc = f"acc_{ids.digits(8)}"
        annual = ts >= ONSET and rng.random() < 0.42
        pages = int(rng.integers(380, 960)) if annual else int(rng.integers(3, 42))
        period = "2026 (annual)" if annual else "2026-11"
        txs = pages * int(rng.integers(18, 26))
        lines = [(0.01, "INFO", f"Rendering statement stmt_{ids.hex(12)} account={acc} period={period} pages={pages}")]
        fetch = float(rng.uniform(0.05, 0.14)) + txs / 90000
        lines.append((0.02 + fetch, "INFO", f"Fetched {txs} ledger entries from ledger-entries in {fetch * 1000:.0f} ms"))
        per_page = float(rng.uniform(0.095, 0.125))
        t_pages = 0.4 + fetch
        done = 0
        while done < pages:
            step = min(100, pages - done)
            t_pages += step * per_page
            done += step
            if pages > 100:
                lines.append((t_pages, "INFO", f"rendered {done}/{pages} pages"))
        if rng.random() < 0.05:
            lines.append((0.3, "WARNING", "Font 'Inter-Bold' missing glyph U+2011; substituted U+002D"))
        up = float(rng.uniform(0.12, 0.35)) + pages * 0.0006
        total = t_pages + up + 0.05
        mem = int(310 + pages * 0.5 + rng.integers(0, 60))
        if total > TIMEOUT:
            return Inv(TIMEOUT * 1000.0, mem, lines, timeout=True)
        lines.append((t_pages + up, "INFO", f"Uploaded s3://acme-statements-prod/{acc}/{period.split()[0]}.pdf "
                                            f"({pages * 38} KiB) in {up * 1000:.0f} ms"))
        return Inv(total * 1000.0, mem, lines)

    sim = LambdaSim(c, "statement-renderer", "python3.12", 1536, TIMEOUT, recycle=(-8100,), streams_per_gen=3)
    res = sim.run(per_min, render)
    rm = sim.metrics(res)

    npm = counts(rng, 2.8 * diurnal(t, -6000, 0.1))

    def notify(ts: float, rid: str) -> Inv:
        k = int(rng.integers(1, 26))
        dur = float(rng.lognormal(np.log(420), 0.3))
        return Inv(dur, int(rng.integers(71, 84)), [(0.005, "INFO", f"Sending {k} statement-ready emails"),
                                                    (dur / 1000 - 0.01, "INFO", f"SES accepted {k}/{k} messages")])

    ns = LambdaSim(c, "statement-notifier", "python3.12", 256, 30, recycle=(-2520 + 3,))
    ns.metrics(ns.run(npm, notify))

    vis = np.where(t >= ONSET, 4 + (t - ONSET) / 60 * 1.3, 2) + rng.poisson(2, n)
    c.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "statement-jobs"}, "Count", vis)
    c.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "statement-jobs"}, "Seconds",
             np.where(t >= ONSET, 40 + (t - ONSET) * 0.7, 25 + rng.uniform(0, 20, n)), nd=0)

    c.alarm("statement-renderer-errors", rm["Errors"], "Sum", 300, 1, 5, "GreaterThanThreshold", ONSET,
            description="Statement renderer Lambda errors")
    c.change(-2520, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "statement-notifier", "k.brandt")
    c.change(-19800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "statement-renderer", "gitlab-ci")
    c.expect = {"alarm": "statement-renderer-errors",
                "root_cause": {"category": "function_timeout", "resource": ["statement-renderer"]},
                "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration",
                               "dimensions": {"FunctionName": "statement-renderer"}}]}
    return c
