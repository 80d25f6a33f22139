"""h53-06: the imported TLS certificate on the internal ledger ALB reaches its notAfter at 00:00 UTC."""
from __future__ import annotations

import json
from datetime import datetime

from . import logfmt as L
from .core import Scenario, counts, diurnal, dims_ref, value_at
from .kits import add, alb_set, ec2_set, lambda_set, minutes, rds_set

REGION = "ca-central-1"
LB = "app/ledger-internal/8b1f2c3d4e5a6f70"
A1, A2 = "i-0e1d2c3b4a5968778", "i-0f2e3d4c5b6a79889"
ONSET = -2820  # 2026-05-02T00:00:00Z
NOW_H = 20.8   # local (America/Toronto) hour

META = {
    "file": "h53-06-alb-expired-certificate.yaml", "region": REGION, "alarm": "payout-dispatcher-errors",
    "category": "dependency_failure", "resources": ["ledger-internal", LB], "alarm_on": "front (calling Lambda)",
    "decoys": "deploy of payout-dispatcher 5.5 h ago (no change in errors after it); configuration change on "
              "payout-notifier; replica-lag alarm on ledger-db-ro already in ALARM from the nightly ETL; steady "
              "`FX quote stale` ERROR lines",
    "story": (
        "At exactly 00:00:00 UTC every payout-dispatcher invocation starts failing with Node's `certificate has "
        "expired` (code CERT_HAS_EXPIRED) while calling https://ledger.internal.northpay.ca. The internal ALB "
        "ledger-internal terminates TLS with an imported ACM certificate whose notAfter is 2026-05-02T00:00:00Z "
        "(resource properties); imported certificates are not renewed by ACM. From that minute the ALB's "
        "ClientTLSNegotiationErrorCount jumps from 0 to the former request rate and RequestCount collapses to "
        "the trickle from the one batch client that skips verification; targets stay healthy and fast, the "
        "database is untouched. No change happened at onset; the dispatcher deploy was 5.5 hours earlier and "
        "errors stayed flat after it; the replica-lag alarm is the nightly ETL on a replica the dispatcher does "
        "not use. The fault originates in the dependency (the ALB endpoint's certificate), which is not "
        "exhausted. Judgement: dependency_failure on ledger-internal."),
}


def build() -> Scenario:
    scn = Scenario("h53-06-alb-expired-certificate", "Payouts stopped going out shortly after midnight UTC; "
                   "payout-dispatcher Errors alarm.", REGION, 5306, datetime(2026, 5, 2, 0, 47))
    scn.runtime_version = "nodejs:20.v29"
    rng = scn.rng
    scn.resource("lambda", "payout-dispatcher", runtime="nodejs20.x", timeout=30, memory_size=512,
                 event_source="sqs:payouts-ready", env_LEDGER_URL="https://ledger.internal.northpay.ca")
    scn.resource("lambda", "payout-notifier", runtime="nodejs20.x", timeout=15, memory_size=256)
    scn.resource("alb", LB, name="ledger-internal", scheme="internal", listener="HTTPS:443",
                 certificate_arn="arn:aws:acm:ca-central-1:730945128611:certificate/5c0f6e1a-9b7d-4c2e-8a31-d4f9b2e6c870",
                 certificate_domain="ledger.internal.northpay.ca", certificate_type="IMPORTED",
                 certificate_not_after="2026-05-02T00:00:00Z", ssl_policy="ELBSecurityPolicy-TLS13-1-2-2021-06")
    scn.resource("ec2", A1, name="ledger-app-1", instance_type="m6i.large")
    scn.resource("ec2", A2, name="ledger-app-2", instance_type="m6i.large")
    scn.resource("rds", "ledger-db", engine="postgres", engine_version="16.2", instance_class="db.r6g.xlarge",
                 allocated_storage_gb=400, max_connections=3200)
    scn.resource("rds", "ledger-db-ro", engine="postgres", engine_version="16.2", instance_class="db.r6g.large",
                 replica_of="ledger-db")
    mult = lambda t: diurnal(t, NOW_H, peak_hour=13.0, amp=0.5)
    after = lambda t: t >= ONSET

    base = counts(lambda t: 44 * mult(t) * 1.2, rng)
    inv = [[t, float(round(v * (1.55 if t >= ONSET + 60 else 1.0)))] for t, v in base]  # SQS redelivery adds retries
    errs = [[t, float(round(v * (0.0 if t < ONSET else 1.0)))] for t, v in inv]
    lambda_set(scn, "payout-dispatcher", inv=inv, err=errs, thr=lambda t: 0,
               dur=lambda t: (58 if after(t) else 240) * rng.uniform(0.85, 1.2),
               conc=lambda t: max(1, round(value_at(inv, t) * (0.06 if after(t) else 0.24) / 60 * 5 + rng.uniform(0, 1))))
    pn = counts(lambda t: 30 * mult(t), rng)
    lambda_set(scn, "payout-notifier", inv=pn, err=lambda t: rng.choice([0, 0, 0, 0, 1]), thr=lambda t: 0,
               dur=lambda t: rng.uniform(60, 110), conc=lambda t: rng.choice([1, 1, 2]))
    calls = lambda t: value_at(base, t) * 4.9
    alb = alb_set(scn, LB, req=lambda t: (rng.uniform(28, 40) if after(t) else calls(t) + rng.uniform(20, 40)),
                  rt=lambda t: 0.041 * rng.uniform(0.85, 1.2), t5xx=lambda t: rng.choice([0, 0, 0, 1]),
                  e5xx=lambda t: 0, healthy=lambda t: 2, unhealthy=lambda t: 0,
                  extra={"ClientTLSNegotiationErrorCount": ("Count", lambda t: calls(t) * rng.uniform(0.95, 1.05)
                                                            if after(t) else 0),
                         "ActiveConnectionCount": ("Count", lambda t: (6 if after(t) else 40 * mult(t))
                                                   + rng.uniform(0, 4))})
    for iid in (A1, A2):
        ec2_set(scn, iid, cpu=lambda t: (6 if after(t) else 9 + 8 * mult(t)) + rng.gauss(0, 1),
                mem=lambda t: 61 + rng.gauss(0, 0.4), disk=lambda t: 33.0 + rng.gauss(0, 0.02),
                net_in=lambda t: (3e5 if after(t) else 4.2e7 * mult(t)) * rng.uniform(0.9, 1.1),
                net_out=lambda t: (2e5 if after(t) else 3.1e7 * mult(t)) * rng.uniform(0.9, 1.1), step=300)
    etl = lambda t: t >= -9300
    rds_set(scn, "ledger-db", CPUUtilization=lambda t: (38 if etl(t) else 14) + rng.gauss(0, 2),
            DatabaseConnections=lambda t: 70 + rng.gauss(0, 4), FreeStorageSpace=lambda t: 181e9 + rng.uniform(-1e7, 1e7))
    ro = rds_set(scn, "ledger-db-ro", ReplicaLag=lambda t: (min(1900, 200 + (t + 9300) / 3.2) if etl(t) else
                                                            rng.choice([0, 0, 1])),
                 CPUUtilization=lambda t: (52 if etl(t) else 8) + rng.gauss(0, 2),
                 DatabaseConnections=lambda t: 12 + rng.gauss(0, 1.5))
    scn.alarm("payout-dispatcher-errors", "AWS/Lambda", "Errors", {"FunctionName": "payout-dispatcher"}, "Sum", 60, 3,
              3, "GreaterThanThreshold", points=errs, description="payout-dispatcher invocation errors")
    scn.alarm("ledger-db-ro-replica-lag", "AWS/RDS", "ReplicaLag", {"DBInstanceIdentifier": "ledger-db-ro"}, "Maximum",
              300, 2, 600, "GreaterThanThreshold", points=ro["ReplicaLag"])
    scn.change(-19800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "payout-dispatcher", "ci-payments")
    scn.change(-19790, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "payout-dispatcher",
               "ci-payments")
    scn.change(-3700, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
               "payout-notifier", "jlaurent")
    _logs(scn, inv, alb)
    scn.set_expect("payout-dispatcher-errors", META["category"], META["resources"],
                   [dims_ref("AWS/ApplicationELB", "ClientTLSNegotiationErrorCount", {"LoadBalancer": LB}),
                    dims_ref("AWS/Lambda", "Errors", {"FunctionName": "payout-dispatcher"})])
    return scn


def _cert_err():
    rec = {"errorType": "Error", "errorMessage": "certificate has expired", "code": "CERT_HAS_EXPIRED",
           "stack": ["Error: certificate has expired", "    at TLSSocket.onConnectSecure (node:_tls_wrap:1674:34)",
                     "    at TLSSocket.emit (node:events:519:28)", "    at TLSSocket._finishInit (node:_tls_wrap:1085:8)",
                     "    at ssl.onhandshakedone (node:_tls_wrap:871:12)"]}
    return "Invoke Error \t" + json.dumps(rec, separators=(",", ":"))


def _logs(scn, inv, alb):
    rng = scn.rng
    ev, app = [], []
    cur = ["ARS", "CLP", "COP"]
    for m0 in minutes(-9000):
        n = int(value_at(inv, m0))
        for _ in range(max(1, n // 4)):
            t = m0 + rng.uniform(0, 60)
            po = "po_" + scn.hex(14)
            body = []
            if rng.random() < 0.05:
                body.append((0.01, L.node_lambda(scn, t, "ERROR", f"FX quote stale for currency={rng.choice(cur)} "
                             f"(age {rng.randint(3600, 5400)}s); using fallback rate")))
            if t < ONSET:
                d = rng.uniform(150, 330)
                body.append((d / 1000 - 0.003, L.node_lambda(scn, t + d / 1000, "INFO",
                             f"dispatched payout {po} to ledger (201) amount={rng.uniform(20, 9000):.2f} CAD "
                             f"transfer=tr_{scn.hex(12)} in {d - 12:.0f} ms")))
            else:
                d = rng.uniform(35, 90)
                for a in (1, 2, 3):
                    body.append((d / 1000 * a / 4, L.node_lambda(scn, t + d / 1000 * a / 4, "WARN",
                                 f"ledger POST https://ledger.internal.northpay.ca/v2/transfers failed (attempt {a}/3): "
                                 "certificate has expired")))
                body.append((d / 1000 - 0.002, L.node_lambda(scn, t + d / 1000, "ERROR", _cert_err())))
            ev += L.lambda_invocation(scn, t, d, 512, rng.randint(102, 118), body,
                                      version="57" if t > -19790 else "56")
            if t < ONSET:
                app.append((t + 0.05, L.nginx_access(scn, t + 0.05, f"10.12.{rng.randint(64, 79)}.{rng.randint(2, 250)}",
                            "POST", "/v2/transfers", 201, rng.randint(300, 600), rng.uniform(0.02, 0.07),
                            "axios/1.6.8")))
        if rng.random() < 0.5:
            t = m0 + rng.uniform(0, 60)
            app.append((t, L.nginx_access(scn, t, "10.12.80.14", "GET", f"/v2/reconciliation?cursor={scn.hex(10)}", 200,
                                          rng.randint(8000, 40000), rng.uniform(0.05, 0.2), "python-requests/2.31.0")))
    scn.log("/aws/lambda/payout-dispatcher", "2026/05/01/[57]c4a1e8f02b9d4d7c9e61f3a0b5d2c784", ev)
    scn.log("/ledger/app/access", A1, app)
    pn = []
    for m0 in minutes(-9000, -120):
        if rng.random() < 0.35:
            t = m0 + rng.uniform(0, 60)
            d = rng.uniform(60, 110)
            pn += L.lambda_invocation(scn, t, d, 256, rng.randint(80, 90),
                                      [(d / 1000 - 0.003, L.node_lambda(scn, t + d / 1000, "INFO",
                                        f"sent payout notification for po_{scn.hex(14)} via {'sms' if t > -3700 else 'email'}"))])
    scn.log("/aws/lambda/payout-notifier", "2026/05/01/[$LATEST]19e0b7d3c5a84f62b0d9e1c7a3f5b268", pn)
