"""h63-11: a regional exchange starts sending Consent resources without `scope`; the consent
ledger function throws a TypeError on each. No change to the function; a sibling deployed."""
from __future__ import annotations

import json

from .common import GRID, Scenario, diurnal, ramp
from .kit import lambda_set, night_window, part, sample, scanner
from .runtimes import LambdaLogs

FN, AUDIT, DLQ = "consent-events", "consent-audit-writer", "consent-events-dlq"
PARTNERS = ["region-sthlm-hie", "region-skane-hie", "inera-nod", "region-uppsala-hie"]


def build() -> Scenario:
    sc = Scenario(11, "consent-ledger", "Consent ledger updates failing for some patients; the "
                  "consent-events Errors alarm fired.", "eu-north-1", 6311, "2026-08-11T12:25:00+00:00")
    rng = sc.rng
    onset = -2190
    sc.resource("lambda", FN, runtime="nodejs20.x", timeout=30, memory_size=512,
                event_source="EventBridge bus consent-bus (rule consent-to-ledger), on-failure DLQ consent-events-dlq")
    sc.resource("lambda", AUDIT, runtime="nodejs20.x", timeout=30, memory_size=256)

    # ---------------------------------------------------------------- metrics
    inv = sc.series(lambda t: 26 * diurnal(sc, t, 11, 0.3) + 6 * ramp(t, onset, onset + 60), integer=True)
    p = lambda t: 0.004 + 0.19 * ramp(t, onset, onset + 60)
    err = part(sc, inv, p)
    lambda_set(sc, FN, inv, err, sc.series(lambda t: 95 - 20 * ramp(t, onset, onset + 60), noise=0.12),
               thr=[0.0] * len(GRID))
    ainv = sc.series(lambda t: 24 * diurnal(sc, t, 11, 0.3), integer=True)
    lambda_set(sc, AUDIT, ainv, [0.0] * len(GRID),
               sc.series(lambda t: 60 + 8 * ramp(t, -2250, -2200), noise=0.1))
    dlq, acc = [], 14.0
    for e in err:
        acc += (e or 0) / 3.0  # async invoke: two retries, then the DLQ
        dlq.append(float(int(acc)))
    sc.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": DLQ}, "Count", dlq)

    # ---------------------------------------------------------------- logs
    ll = LambdaLogs(sc, FN, "nodejs20.x", 512, 30, mem_used=(104, 6))

    def body(_l, s, rid, is_err, cold):
        new = is_err and s >= onset
        partner = "region-vgr-hie" if new else rng.choice(PARTNERS)
        cid = f"Consent/{sc.uuid()}"
        lines = [(0.002, _l.fmt(s, rid, "INFO", f"consent event source={partner} id={cid} "
                                                 f"status={rng.choice(['active', 'active', 'inactive'])} "
                                                 f"fhirVersion={'5.0.0' if new else '4.0.1'}"))]
        if rng.random() < 0.05:
            lines.append((0.004, _l.fmt(s, rid, "WARN", f"duplicate event {cid} ignored (idempotency key hit)")))
        if new:
            err = {"errorType": "TypeError", "errorMessage": "Cannot read properties of undefined (reading 'coding')",
                   "stack": ["TypeError: Cannot read properties of undefined (reading 'coding')",
                             "    at normalizeScope (/var/task/src/consent/normalize.js:88:41)",
                             "    at toLedgerEntry (/var/task/src/consent/normalize.js:142:17)",
                             "    at Runtime.handler (/var/task/src/index.js:37:25)"]}
            lines.append((0.03, f"{sc.iso(s + 0.03)}\t{rid}\tERROR\tInvoke Error \t{json.dumps(err)}"))
            return {"lines": lines, "dur": rng.uniform(30, 60), "status": "error"}
        if is_err:
            err = {"errorType": "ValidationError", "errorMessage": "Consent.patient reference is required",
                   "stack": ["ValidationError: Consent.patient reference is required",
                             "    at assertPatient (/var/task/src/consent/validate.js:22:11)",
                             "    at Runtime.handler (/var/task/src/index.js:31:5)"]}
            lines.append((0.02, f"{sc.iso(s + 0.02)}\t{rid}\tERROR\tInvoke Error \t{json.dumps(err)}"))
            return {"lines": lines, "dur": rng.uniform(20, 40), "status": "error"}
        d = max(20, rng.gauss(95, 25))
        lines.append((d / 1000, _l.fmt(s + d / 1000, rid, "INFO", f"ledger entry written seq={rng.randint(10 ** 6, 10 ** 7)} "
                                                                  f"in {d:.0f} ms")))
        return {"lines": lines, "dur": d}

    ll.run(*sample(sc, inv, err, cap=3), body)
    al = LambdaLogs(sc, AUDIT, "nodejs20.x", 256, 30, mem_used=(90, 4), retire=(-2250,),
                    epochs=((-10 ** 9, "$LATEST"),))
    al.run(*sample(sc, ainv, None, cap=1),
           lambda _l, s, rid, e, c: {"lines": [(0.01, _l.fmt(s, rid, "INFO", "audit record appended to "
                                                                              "s3://consent-audit-eun1/"
                                                                              f"{sc.at(s).strftime('%Y/%m/%d')}/"))],
                                     "dur": rng.gauss(60, 8)})
    scanner(sc, "nis2-controls-scan", "nis2-audit-ro", ["consent-audit-eun1", "consent-exports-eun1"],
            ["prod/consent/bus-signing", "prod/consent/hie-mtls"], every=600, runtime="python3.13")

    # ---------------------------------------------------------------- changes
    night_window(sc, -21300, -16000, [
        ("kms.amazonaws.com", "CreateGrant", "AWS::KMS::Key", f"arn:aws:kms:eu-north-1:{sc.account}:key/{sc.uuid()}",
         "lambda.amazonaws.com"),
        ("lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function", AUDIT, "svc-terraform"),
        ("iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "nis2-audit-ro", "svc-terraform"),
        ("logs.amazonaws.com", "PutRetentionPolicy", "AWS::Logs::LogGroup", f"/aws/lambda/{FN}", "svc-terraform"),
    ])
    sc.change(-2255, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", AUDIT,
              "gitlab-deployer")
    sc.change(-2250, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", AUDIT,
              "gitlab-deployer")
    sc.change(-6800, "events.amazonaws.com", "PutTargets", "AWS::Events::Rule", "consent-archive-nightly",
              "svc-terraform")

    # ---------------------------------------------------------------- alarms
    sc.alarm(f"{FN}-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 60, 3, 2,
             "GreaterThanThreshold", "Consent ledger invocation failures")
    sc.alarm(f"{DLQ}-not-empty", "AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": DLQ}, "Maximum",
             300, 1, 0, "GreaterThanThreshold", "Messages waiting in the consent DLQ")
    sc.expect = {"alarm": f"{FN}-errors",
                 "root_cause": {"category": "application_error", "resource": [FN]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}]}
    return sc
