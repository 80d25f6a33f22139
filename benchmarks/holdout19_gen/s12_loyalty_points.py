"""h19-12: loyalty-points throws TypeError for members of a tier it does not know (application_error, Lambda origin, API front alarm)."""
from __future__ import annotations

import json
from datetime import datetime

import numpy as np

from .common import LOG_START, START, Case, counts, diurnal, wobble
from .logfmt import Inv, LambdaSim

SLUG = "h19-12-loyalty-points-typeerror"
ONSET = -2700
API_ID = "h2m5q8w1zx"

META = {
    "front": "front (API Gateway)",
    "decoys": "newsletter-sender deployed 3 min before onset; constant 404 member-not-found and missing-email "
              "warnings; loyalty-points has no change in the window",
    "story": (
        "`loyalty-api` proxies to the Node.js Lambda `loyalty-points`. From -45 min, earn requests for members "
        "whose tier is `PLATINUM_PLUS` (they start appearing in the request log then) fail with an unhandled "
        "`TypeError: Cannot read properties of undefined (reading 'multiplier')` at `computePoints "
        "(/var/task/src/points.js:48:37)`; API Gateway returns 502 and its 5XXError alarm fires. Other tiers keep "
        "earning normally, duration/memory/concurrency are normal, there are no throttles and no dependency "
        "errors, and loyalty-points was neither deployed nor reconfigured. The newsletter-sender deploy is an "
        "unrelated function that stays healthy; the 404s and missing-email warnings are constant. An application "
        "error with no preceding change on the origin function."),
}

TIERS = [("BLUE", 0.46), ("SILVER", 0.3), ("GOLD", 0.17), ("PLATINUM", 0.07)]


def build() -> Case:
    c = Case(SLUG, 1912, "ca-central-1", datetime(2026, 11, 26, 18, 20),
             "Loyalty API returning 502 on points earn; API 5XX alarm in ALARM.")
    rng, ids, t = c.rng, c.ids, c.t
    n = len(t)
    c.resource("apigateway", "loyalty-api", api_id=API_ID, stage="prod", integration="lambda-proxy:loyalty-points",
               access_log_group=f"/aws/apigateway/{API_ID}/prod/access")
    c.resource("lambda", "loyalty-points", runtime="nodejs20.x", timeout=10, memory_size=512,
               environment={"MEMBERS_TABLE": "loyalty-members", "LEDGER_TABLE": "loyalty-ledger", "NODE_OPTIONS": "--enable-source-maps"})
    c.resource("lambda", "newsletter-sender", runtime="python3.12", timeout=300, memory_size=512)

    per_min = counts(rng, 18 * diurnal(t, 3600, 0.3) * (1 + wobble(rng, n, 0.06)))
    acc = c.stream(f"/aws/apigateway/{API_ID}/prod/access", ids.hex(32))
    outcome = {}

    def handler(ts: float, rid: str) -> Inv:
        member = f"m_{ids.digits(9)}"
        op = ids.pick(["earn", "earn", "earn", "balance", "balance"])
        tiers = [x[0] for x in TIERS]
        p = np.array([x[1] for x in TIERS])
        if ts >= ONSET and op == "earn" and rng.random() < 0.36:
            tier = "PLATINUM_PLUS"
        else:
            tier = tiers[int(rng.choice(len(tiers), p=p / p.sum()))]
        mem = int(rng.integers(82, 97))
        lines = [(0.003, "INFO", json.dumps({"msg": f"{op} request", "memberId": member, "tier": tier,
                                             "channel": ids.pick(["app", "app", "pos", "web"])}))]
        if rng.random() < 0.03:
            dur = float(rng.uniform(20, 45))
            lines.append((dur / 1000 - 0.002, "INFO", json.dumps({"msg": "member not found", "memberId": member, "status": 404})))
            outcome[rid] = (ts, 404, op)
            return Inv(dur, mem, lines)
        if tier == "PLATINUM_PLUS":
            dur = float(rng.uniform(35, 70))
            err = {"errorType": "TypeError", "errorMessage": "Cannot read properties of undefined (reading 'multiplier')",
                   "stack": ["TypeError: Cannot read properties of undefined (reading 'multiplier')",
                             "    at computePoints (/var/task/src/points.js:48:37)",
                             "    at earn (/var/task/src/handlers/earn.js:22:18)",
                             "    at async Runtime.handler (/var/task/index.js:31:12)"]}
            lines.append((dur / 1000 - 0.002, None, f"{c.iso(ts + dur / 1000)}\t{rid}\tERROR\tInvoke Error \t{json.dumps(err)}"))
            outcome[rid] = (ts, 502, op)
            return Inv(dur, mem, lines, error=True)
        dur = float(rng.lognormal(np.log(64 if op == "earn" else 28), 0.3))
        if rng.random() < 0.04:
            lines.append((0.02, "WARN", json.dumps({"msg": "member has no email; skipping receipt", "memberId": member})))
        if op == "earn":
            pts = int(rng.integers(5, 900))
            lines.append((dur / 1000 - 0.003, "INFO", json.dumps({"msg": "points earned", "memberId": member, "points": pts,
                                                                  "balance": int(rng.integers(pts, 90000))})))
        else:
            lines.append((dur / 1000 - 0.003, "INFO", json.dumps({"msg": "balance read", "memberId": member})))
        outcome[rid] = (ts, 200, op)
        return Inv(dur, mem, lines)

    sim = LambdaSim(c, "loyalty-points", "nodejs20.x", 512, 10, recycle=(-8000,), streams_per_gen=2)
    res = sim.run(per_min, handler)
    sim.metrics(res)

    e4, e5 = np.zeros(n), np.zeros(n)
    for rid, (ts, st, op) in outcome.items():
        i = int((ts - START) // 60)
        if st == 404:
            e4[i] += 1
        elif st == 502:
            e5[i] += 1
        if ts >= LOG_START:
            rec = {"requestId": ids.uuid(), "ip": ids.ip(f"{int(rng.integers(24, 200))}.{int(rng.integers(1, 250))}.{int(rng.integers(1, 250))}"),
                   "requestTime": c.stamp(ts, "%d/%b/%Y:%H:%M:%S +0000"),
                   "httpMethod": "POST" if op == "earn" else "GET",
                   "resourcePath": "/members/{id}/points" if op == "earn" else "/members/{id}/balance",
                   "status": str(st), "responseLength": str(int(rng.integers(40, 400))),
                   "integrationStatus": "200", "integrationRequestId": rid,
                   "errorMessage": "Internal server error" if st == 502 else "-"}
            acc.add(ts + 0.09, json.dumps(rec))

    # ---------------------------------------------------------------- newsletter-sender (decoy deploy)
    dep = -2880
    nl = np.array([1.0 if int(x) % 600 == 0 else 0.0 for x in t])

    def sender(ts: float, rid: str) -> Inv:
        k = int(rng.integers(200, 1400))
        dur = float(rng.uniform(8000, 30000))
        return Inv(dur, int(rng.integers(140, 170)), [(0.01, "INFO", f"Sending newsletter batch to {k} subscribers"),
                                                      (dur / 1000 - 0.01, "INFO", f"SES accepted {k}, rejected 0")])

    ns = LambdaSim(c, "newsletter-sender", "python3.12", 512, 300, recycle=(dep + 5,))
    ns.metrics(ns.run(nl, sender))

    d = {"ApiName": "loyalty-api"}
    c.metric("AWS/ApiGateway", "Count", d, "Count", res["invocations"])
    c.metric("AWS/ApiGateway", "4XXError", d, "Count", e4)
    e5m = c.metric("AWS/ApiGateway", "5XXError", d, "Count", e5)
    dur = np.nan_to_num(res["duration"], nan=50.0)
    c.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", dur + 14 + wobble(rng, n, 2))
    c.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", dur + 5 + wobble(rng, n, 1))

    c.alarm("loyalty-api-5xx", e5m, "Sum", 300, 1, 8, "GreaterThanThreshold", ONSET,
            description="loyalty-api 5xx responses")
    c.change(dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "newsletter-sender",
             "github-actions")
    c.expect = {"alarm": "loyalty-api-5xx",
                "root_cause": {"category": "application_error", "resource": ["loyalty-points"]},
                "anomalies": [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": d}]}
    return c
