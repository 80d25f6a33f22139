"""h19-01: an environment variable renamed on a Stripe webhook Lambda (config_change, origin alarm)."""
from __future__ import annotations

from datetime import datetime

import numpy as np

from .common import Case, counts, diurnal, wobble
from .logfmt import Inv, LambdaSim

SLUG = "h19-01-payment-webhooks-env"
CHANGE = -2160

META = {
    "front": "origin",
    "decoys": "refund-sweeper deployed 6 min before the change; payment-webhooks code deploy 4.4 h earlier; "
              "constant Stripe signature-tolerance warnings",
    "story": (
        "A developer edited the configuration of the `payment-webhooks` Lambda in the console "
        "(UpdateFunctionConfiguration at -36 min) and renamed `LEDGER_QUEUE_URL` to `LEDGER_SQS_URL`. "
        "Every new execution environment (fresh INIT_START lines right after the update) fails on the ledger "
        "publish path with `KeyError: 'LEDGER_QUEUE_URL'` raised from `os.environ`, while events that skip the "
        "ledger still succeed. The function's current environment (resource properties) no longer has the "
        "variable. The code deploy of the same function 4.4 h ago ran cleanly for hours, and the "
        "`refund-sweeper` deploy shortly before is on another function that keeps succeeding. The "
        "signature-tolerance warnings are at the same rate all day. Config change beats everything else here."),
}

EVENT_TYPES = [("charge.succeeded", 0.42, True), ("payment_intent.succeeded", 0.24, True),
               ("invoice.paid", 0.11, True), ("charge.refunded", 0.07, True),
               ("customer.subscription.updated", 0.12, False), ("customer.updated", 0.04, False)]


def build() -> Case:
    c = Case(SLUG, 1901, "us-east-1", datetime(2026, 11, 18, 15, 40),
             "Payment webhook Lambda errors climbing; Errors alarm paged the payments on-call.")
    rng, ids, t = c.rng, c.ids, c.t
    c.resource("lambda", "payment-webhooks", runtime="python3.12", timeout=15, memory_size=256,
               handler="app.lambda_handler",
               environment={"POWERTOOLS_SERVICE_NAME": "payment-webhooks", "LOG_LEVEL": "INFO",
                            "STRIPE_WEBHOOK_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:"
                                                         "prod/stripe/webhook-signing-Hx2k9Q",
                            "LEDGER_SQS_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/ledger-entries",
                            "IDEMPOTENCY_TABLE": "payment-webhooks-idempotency"})
    c.resource("lambda", "refund-sweeper", runtime="python3.12", timeout=120, memory_size=512,
               handler="sweeper.handler")

    # ---------------------------------------------------------------- payment-webhooks
    lam = 16 * diurnal(t, 9000, 0.35) * (1 + wobble(rng, len(t), 0.08))
    per_min = counts(rng, lam)
    types, probs = [e[0] for e in EVENT_TYPES], np.array([e[1] for e in EVENT_TYPES])
    ledger = {e[0]: e[2] for e in EVENT_TYPES}

    def handler(ts: float, rid: str) -> Inv:
        et = types[int(rng.choice(len(types), p=probs / probs.sum()))]
        evt = f"evt_{ids.alnum(24)}"
        lines = [(0.004, "INFO", f"Received Stripe event {evt} type={et} livemode=true")]
        mem = int(rng.integers(78, 93))
        if rng.random() < 0.018:
            skew = int(rng.integers(301, 420))
            lines.append((0.011, "WARNING", f"Stripe signature timestamp outside tolerance ({skew} s) for {evt}; "
                                            "returning 400"))
            return Inv(float(rng.uniform(14, 30)), mem, lines)
        if not ledger[et]:
            lines.append((0.02, "INFO", f"Ignoring event type {et}"))
            return Inv(float(rng.uniform(18, 45)), mem, lines)
        obj = {"charge.succeeded": "ch", "charge.refunded": "ch", "invoice.paid": "in"}.get(et, "pi")
        oid = f"{obj}_{ids.alnum(24)}"
        if ts > CHANGE + 4:
            tb = ("[ERROR] KeyError: 'LEDGER_QUEUE_URL'\nTraceback (most recent call last):\n"
                  '  File "/var/task/app.py", line 58, in lambda_handler\n'
                  "    publish_ledger_entry(entry)\n"
                  '  File "/var/task/payments/ledger.py", line 21, in publish_ledger_entry\n'
                  '    queue_url = os.environ["LEDGER_QUEUE_URL"]\n'
                  "                ~~~~~~~~~~^^^^^^^^^^^^^^^^^^^^\n"
                  '  File "<frozen os>", line 714, in __getitem__\n'
                  "KeyError: 'LEDGER_QUEUE_URL'")
            lines.append((0.061, None, tb))
            return Inv(float(rng.uniform(55, 95)), mem, lines, error=True)
        amount = rng.integers(500, 42000) / 100
        dur = float(rng.lognormal(np.log(150), 0.3))
        lines.append((dur / 1000 - 0.01, "INFO", f"Ledger entry queued for {oid} amount={amount:.2f} USD"))
        return Inv(dur, mem, lines)

    sim = LambdaSim(c, "payment-webhooks", "python3.12", 256, 15, recycle=(-7420, CHANGE + 2), streams_per_gen=2)
    res = sim.run(per_min, handler)
    pm = sim.metrics(res)

    # ---------------------------------------------------------------- refund-sweeper (every 5 min)
    sweep = np.array([1.0 if int(x) % 300 == 0 else 0.0 for x in t])

    def sweeper(ts: float, rid: str) -> Inv:
        n = int(rng.integers(0, 9))
        dur = float(rng.uniform(1800, 3200)) + n * 120
        lines = [(0.01, "INFO", "Scanning refunds in state=pending_provider"),
                 (dur / 1000 - 0.05, "INFO", f"Swept {n} pending refunds, 0 failures")]
        return Inv(dur, int(rng.integers(101, 118)), lines)

    ss = LambdaSim(c, "refund-sweeper", "python3.12", 512, 120, recycle=(-2520 + 5,))
    ss.metrics(ss.run(sweep, sweeper))

    # ---------------------------------------------------------------- alarm and changes
    c.alarm("payment-webhooks-errors", pm["Errors"], "Sum", 60, 3, 5, "GreaterThanThreshold", CHANGE,
            description="Stripe webhook handler errors (payments on-call)")
    c.change(CHANGE, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "payment-webhooks", "dana.whitfield")
    c.change(-2520, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "refund-sweeper", "github-actions")
    c.change(-15900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "payment-webhooks", "github-actions")
    c.change(-15880, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
             "payment-webhooks", "github-actions")
    c.expect = {"alarm": "payment-webhooks-errors",
                "root_cause": {"category": "config_change", "resource": ["payment-webhooks"]},
                "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                               "dimensions": {"FunctionName": "payment-webhooks"}}]}
    return c
