"""09: courier offer dispatch (.NET Lambda) behind the courier app API; 10: ETA batch recalculation (Python)."""
from __future__ import annotations

import math

from benchmarks.holdout57_gen.runtimes import pg

from .kit import (GRID, H90, SYD, USE, LambdaLogs, apigw, describe, expect, ints, lambda_fn, lambda_logs, rds,
                  rush, stream)


def build_09() -> H90:
    sc = H90(9, "courier-offers-peak", "Courier app API 5XX alarm at 7:35 pm Eastern; couriers report delivery "
             "offers not arriving.", USE, 9009, "2026-03-20T23:35:00")
    rng = sc.rng
    fn, api, other = "offer-dispatch", "courier-app-gw", "menu-public-gw"
    reserved = 60

    def dur(t):
        return 6000 + 800 * rush(t)

    def throttles(t, d):
        cap = reserved * 60000.0 / dur(t) * rng.uniform(0.97, 1.02)
        return max(0.0, d - cap)

    v = lambda_fn(sc, fn, "dotnet8", 1024, 30, lambda t: 650 * rush(t), lambda t: 0.004, dur, throttles=throttles,
                  reserved=reserved, burst=(1.0, 1.06), handler="OfferDispatch::OfferDispatch.Function::Handle")
    demand = v["demand"]
    e4 = [float(round(d * 0.01) + rng.randint(0, 2)) for d in demand]
    e5 = [th + e for th, e in zip(v["thr"], v["err"])]
    apigw(sc, api, [d + x for d, x in zip(demand, e4)], e4, e5, lambda t: dur(t) + 40,
          integ_lat=lambda t: dur(t) + 20, stage="prod", type="REST")
    mreq = ints(sc, lambda t: 900 * rush(t) + 1400 * (-4080 <= t < -3780))
    apigw(sc, other, mreq, [float(round(r * 0.02) + (600 if -4080 <= t < -3780 else 0)) for t, r in zip(GRID, mreq)],
          [float(rng.random() < 0.1) for _ in GRID], lambda t: 85.0, stage="prod", type="REST")
    ll = LambdaLogs(sc, fn, "dotnet8", 1024, 30, mem_used=(212, 14), max_envs=reserved)

    def body(ll, t, rid, is_err, cold):
        offer, courier = f"ofr_{sc.hexid(10)}", f"c_{sc.hexid(8)}"
        lines = [(0.003, ll.fmt(t + 0.003, rid, "INFO", f"OfferDispatch.Function[0] Offer {offer} -> courier {courier} "
                                                       f"(order ord_{sc.hexid(10)}, radius 2.5 km)"))]
        r = rng.random()
        d = max(500, rng.gauss(dur(t), 900))
        if is_err:
            lines.append((0.2, ll.fmt(t + 0.2, rid, "ERROR", "OfferDispatch.Function[0] Unhandled exception. "
                                      "System.Text.Json.JsonException: The JSON value could not be converted to "
                                      "OfferDispatch.Models.CourierAck. Path: $.acceptedAt")))
            return {"lines": lines, "dur": rng.gauss(220, 40)}
        if r < 0.05:
            lines.append((0.4, ll.fmt(t + 0.4, rid, "ERROR", f"OfferDispatch.Push[3] Push provider returned 410 Gone for "
                                                            f"device of {courier}; falling back to SMS")))
        elif r < 0.09:
            lines.append((0.2, ll.fmt(t + 0.2, rid, "WARN", f"OfferDispatch.Push[2] Device token for {courier} expired")))
        ok = rng.random() < 0.72
        lines.append((d / 1000 - 0.01, ll.fmt(t + d / 1000 - 0.01, rid, "INFO", f"OfferDispatch.Function[0] Offer {offer} "
                      + ("accepted" if ok else "declined") + f" after {d / 1000:.1f}s")))
        return {"lines": lines, "dur": d}

    lambda_logs(sc, ll, v, body, sample=0.02)
    apiid = sc.hexid(10)
    grp = f"API-Gateway-Execution-Logs_{apiid}/prod"
    thr = dict(zip(GRID, v["thr"]))

    def exe(t):
        rq = sc.uuid()
        return [(0, f"({rq}) Lambda invocation failed with status: 429. Lambda request id: {sc.uuid()}"),
                (0.001, f"({rq}) Execution failed due to configuration error: Rate Exceeded.")]
    stream(sc, grp, f"{apiid}-prod", lambda t: thr.get(t, 0) * 0.05, exe)
    stream(sc, grp, f"{apiid}-prod", lambda t: 0.3, lambda t: f"({sc.uuid()}) Method completed with status: 401")
    onset = next(t for t, th in zip(GRID, v["thr"]) if th > 5)
    sc.change(onset - 95, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", other, "terraform-ci")
    sc.change(onset - 100, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", other,
              "terraform-ci")
    sc.change(-16000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gha-deploy-dispatch")
    sc.alarm("courier-app-gw-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Courier app API server errors")
    sc.alarm("menu-public-gw-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": other}, "Sum", 300, 1, 1000,
             "GreaterThanThreshold")
    expect(sc, "courier-app-gw-5xx", "throttling", [fn],
           [("AWS/Lambda", "Throttles", {"FunctionName": fn}), ("AWS/ApiGateway", "5XXError", {"ApiName": api})])
    describe(sc, front="front (API Gateway → Lambda)",
             decoys="UpdateStage + CreateDeployment on another API 95 s before onset; dinner traffic doubling "
                    "since the afternoon; ERROR-level push 410s and rare JsonException errors at a steady rate; "
                    "other API's 4XX scraping spike + alarm (back to OK)",
             services="API Gateway REST, Lambda (.NET 8)",
             story="The courier app API's 5XX alarm fires. Its 5XXError equals offer-dispatch's Throttles minute by "
                   "minute; the execution log shows `Lambda invocation failed with status: 429` and `Rate Exceeded`. "
                   "offer-dispatch has reserved concurrency 60 and holds each invocation ~6.8 s while a courier "
                   "answers, so once dinner demand passes ~530 requests a minute ConcurrentExecutions sits flat at 60 "
                   "and the excess is throttled; its own Errors stay at the usual handful. Demand is the normal "
                   "evening curve (twice the afternoon lull), not a spike. The menu API's stage update is on another "
                   "API; the push 410 errors run at the same rate all evening.",
             judgement="Demand is higher than in the afternoon but follows the daily curve; the fault is the "
                       "concurrency limit being hit (throttles, ConcurrentExecutions at the reserved value), which the "
                       "table calls throttling rather than traffic_surge.")
    return sc


def build_10() -> H90:
    sc = H90(10, "eta-batch-zones", "ETA batch recalculation Lambda errors alarm in Sydney; customers see stale "
             "delivery ETAs.", SYD, 9010, "2026-03-21T08:30:00")
    rng = sc.rng
    fn, heat, notify, db = "eta-batch-recalc", "zone-heatmap-build", "order-eta-notify", "dispatch-pg"
    timeout = 30

    def mean(t):
        return 2500 + 30500 * rush(t) ** 2.5

    def p_to(t):
        m = mean(t)
        return 0.5 * (1 - math.erf((timeout * 1000 - m) / (0.08 * m * math.sqrt(2))))

    zones = ["syd-cbd", "syd-inner-west", "syd-east", "syd-north", "syd-parra", "syd-south", "syd-hills", "syd-shire"]
    v = lambda_fn(sc, fn, "python3.12", 1024, timeout, lambda t: 8.0, p_to, lambda t: min(mean(t), 29990.0),
                  exact=True, trigger="EventBridge schedule rate(1 minute) x 8 zones")
    hv = lambda_fn(sc, heat, "python3.12", 2048, 120, lambda t: 1.0, lambda t: 0.0, lambda t: 14000.0, exact=True)
    nv = lambda_fn(sc, notify, "nodejs20.x", 256, 10, lambda t: 120 * rush(t), lambda t: 0.03, lambda t: 70.0)
    rds(sc, db, lambda t: 24 + 16 * rush(t), lambda t: 90 + 30 * rush(t), lambda t: 240.0, engine="postgres",
        engine_version="16.4", instance_class="db.r6g.xlarge", max_connections=2000, allocated_storage_gb=500)
    ll = LambdaLogs(sc, fn, "python3.12", 1024, timeout, mem_used=(420, 40), life=(9000, 14000))

    def body(ll, t, rid, is_err, cold):
        zone = rng.choice(zones)
        n = int(410 * (0.3 + rush(t) ** 1.6 * 7) * rng.uniform(0.93, 1.07))
        f = rng.uniform(120, 260)
        lines = [(0.01, ll.fmt(t + 0.01, rid, "INFO", f"zone={zone} loaded {n} active orders from {db} in {f:.0f} ms"))]
        if rng.random() < 0.3:
            lines.append((0.3, ll.fmt(t + 0.3, rid, "WARNING", f"zone={zone} {rng.randint(2, 30)} couriers without GPS fix "
                                                               "in 120s, using last known position")))
        d = max(1500, rng.gauss(mean(t), 0.08 * mean(t)))
        if is_err:
            for k in range(1, 4):
                lines.append((k * 9.0, ll.fmt(t + k * 9, rid, "INFO", f"zone={zone} recomputed {int(n * k * 9000 / d)}"
                                                                      f"/{n} ETAs")))
            return {"lines": lines, "dur": 0, "status": "timeout"}
        lines.append((d / 1000 - 0.02, ll.fmt(t + d / 1000 - 0.02, rid, "INFO", f"zone={zone} recalc complete "
                                                                                f"orders={n} elapsed_ms={d:.0f}")))
        return {"lines": lines, "dur": d}

    lambda_logs(sc, ll, v, body, sample=0.5)
    nl = LambdaLogs(sc, notify, "nodejs20.x", 256, 10)

    def nbody(ll, t, rid, is_err, cold):
        if is_err:
            return {"lines": [(0.02, ll.fmt(t + 0.02, rid, "ERROR", "InvalidParameter: Endpoint is disabled "
                                            f"(arn:aws:sns:ap-southeast-2:{sc.account}:endpoint/GCM/platewise/{sc.uuid()})"))],
                    "dur": 60}
        return {"lines": [(0.02, ll.fmt(t + 0.02, rid, "INFO", f"eta push sent order=ord_{sc.hexid(10)}"))], "dur": 70}

    lambda_logs(sc, nl, nv, nbody, sample=0.04)
    hl = LambdaLogs(sc, heat, "python3.12", 2048, 120, retire=(-1950,))
    lambda_logs(sc, hl, hv, lambda ll, t, rid, e, c: {"lines": [(13.0, ll.fmt(t + 13, rid, "INFO", "heatmap tiles "
                f"written: {rng.randint(300, 420)}"))], "dur": rng.gauss(14000, 500)}, sample=0.3)
    stream(sc, f"/aws/rds/instance/{db}/postgresql", f"{db}.0", lambda t: 0.1, lambda t: pg(
        sc, t, "LOG", f"automatic analyze of table \"dispatch.public.active_orders\" system usage: CPU: user: "
                      f"{rng.uniform(0.1, 0.6):.2f} s, system: 0.01 s, elapsed: {rng.uniform(0.3, 1.2):.2f} s"))
    sc.change(-1950, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", heat,
              "AWSReservedSSO_DispatchEng_5c3f10/lee.t")
    sc.change(-19800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gha-deploy-dispatch")
    sc.alarm("eta-batch-recalc-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 1,
             "GreaterThanOrEqualToThreshold", "ETA batch failures")
    sc.alarm("order-eta-notify-errors", "AWS/Lambda", "Errors", {"FunctionName": notify}, "Sum", 300, 1, 40,
             "GreaterThanThreshold")
    expect(sc, "eta-batch-recalc-errors", "function_timeout", [fn],
           [("AWS/Lambda", "Duration", {"FunctionName": fn}), ("AWS/Lambda", "Errors", {"FunctionName": fn})])
    describe(sc, front="origin (Lambda Errors)",
             decoys="configuration update of zone-heatmap-build just before onset; order-eta-notify's steady SNS "
                    "'Endpoint is disabled' errors; GPS warnings; dispatch-pg's load rising with dinner",
             services="Lambda (Python, Node.js), RDS PostgreSQL",
             story="eta-batch-recalc's Errors alarm fires. Each zone's run loads its active orders from dispatch-pg "
                   "in ~200 ms and then recomputes ETAs; the run time grows with the number of active orders "
                   "through the dinner ramp (Duration from ~8 s in the afternoon lull to the 30 s limit) until runs end in `Task timed out after "
                   "30.00 seconds` / `Status: timeout`, with progress lines stopping part-way and no error from the "
                   "database or any other dependency. dispatch-pg is healthy. No change touched the function (its "
                   "last deploy was 5.5 h ago and ran fine); the zone-heatmap-build configuration update is another "
                   "function; order-eta-notify's SNS errors are constant.",
             judgement="The workload grew with dinner orders, but nothing is wrong with the traffic or the "
                       "dependency: the function hits its configured 30 s limit, which is function_timeout.")
    return sc


BUILDERS = [build_09, build_10]
