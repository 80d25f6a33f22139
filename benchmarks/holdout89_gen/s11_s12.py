"""h89-11 (a token-listing announcement floods the public ticker service) and h89-12 (a newly listed
asset with 24 decimals breaks the wallet balance aggregator, no change anywhere)."""
from __future__ import annotations

import math

from benchmarks.holdout57_gen.common import bump, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, zap

from .kit import (alb_id, alb_metrics, apigw_metrics, ecs_metrics, ecs_stream, emit, every, lambda_metrics, new,
                  py_traceback, sample_lambda, tg_id)


def build_11():
    sc = new(11, "public-ticker-latency",
             "Public market-data REST API slow and returning 5xx; latency alarm.",
             "eu-west-1", "2026-03-21T12:30:00+00:00")
    cl, svc = "pub-mkt", "ticker-rest"
    lb, tg = alb_id(sc, "pubmkt-rest"), tg_id(sc, "ticker-rest-8080")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=6, autoscaling="cpu-target-60 min=6 max=12")
    sc.resource("ecs", f"{cl}/kline-agg", launch_type="FARGATE", desired_count=2)
    sc.resource("alb", lb, name="pubmkt-rest")
    ON, S1 = -2600, -2420
    surge = lambda t: ramp(t, ON, ON + 180)
    req = lambda t: 9200 * (1 + 6.4 * surge(t)) * (1 - 0.08 * ramp(t, -1500, -600))
    tasks = lambda t: 6 + 6 * ramp(t, S1 + 60, S1 + 120)
    per_task = lambda t: req(t) / tasks(t)
    ratio = lambda t: per_task(t) / 1533
    cpu = lambda t: 34 * ratio(t) if ratio(t) <= 2 else 68 + 18 * (1 - math.exp(-(ratio(t) - 2)))
    press = lambda t: max(0.0, per_task(t) / 1533 - 2.0)
    alb_metrics(sc, lb, tg, req=req, t5=lambda t: 0.5 + 12 * press(t), e5=lambda t: 0.3 + 130 * press(t),
                rt=lambda t: 0.011 + 0.2 * press(t), healthy=lambda t: round(tasks(t)), unhealthy=lambda t: 0)
    ecs_metrics(sc, cl, svc, cpu=cpu, mem=lambda t: 31 + 9 * surge(t), tasks=lambda t: round(tasks(t)))
    ecs_metrics(sc, cl, "kline-agg", cpu=lambda t: 27 + bump(t, -2800, -2700, 10, 40), mem=lambda t: 38)
    g = f"/ecs/{svc}"
    streams = [(ecs_stream(sc, "ticker"), -30000) for _ in range(6)]
    streams += [(ecs_stream(sc, "ticker"), S1 + 50 + k * 3) for k in range(6)]
    for st, born in streams:
        if born > -12600:
            sc.log(g, st, born, zap(sc, born, "info", "ticker-rest starting", "cmd/ticker/main.go:44",
                                    version="v1.19.4", cache="redis://pubmkt-cache:6379"))
        start = max(born + 15, -12600)

        def stats(t):
            r = per_task(t) / 60
            return zap(sc, t, "info", "http stats", "server/stats.go:31", rps=round(r, 1),
                       p99_ms=int(18 + 900 * press(t) + sc.rng.uniform(0, 6)),
                       inflight=int(r * (0.02 + 0.5 * press(t))), cache_hit_ratio=round(sc.rng.uniform(0.95, 0.99), 3))
        every(sc, g, st, 60, stats, start=start)
        emit(sc, g, st, lambda t: 0.5, lambda t: zap(
            sc, t, "warn", "route not found", "server/router.go:88", method="GET",
            path=sc.rng.choice(["/wp-login.php", "/.env", "/api/v1/ticker/bookTicker", "/actuator/health"]),
            remote=sc.ip("185.220")), start=start)
        emit(sc, g, st, lambda t: 1.0 + 1.5 * surge(t), lambda t: zap(
            sc, t, "info", "request", "server/log.go:19", method="GET",
            path=f"/api/v3/ticker/24hr?symbol={sc.rng.choice(['ZRC-USDT'] * int(8 * surge(t)) + ['BTC-USDT', 'ETH-USDT', 'SOL-USDT'])}",
            status=200, dur_ms=int(sc.rng.uniform(3, 14) + 900 * press(t) * sc.rng.random()),
            ua=sc.rng.choice(["python-requests/2.31", "axios/1.6.7", "Mozilla/5.0", "okhttp/4.12.0"])), start=start)
    st0 = streams[0][0]
    sc.log(g, st0, ON - 140.2, zap(sc, ON - 140.2, "info", "refdata updated", "refdata/sync.go:62", symbols=1843,
                                   added="ZRC-USDT", trading_starts="2026-03-21T12:30:00Z"))
    sc.change(-2840, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "kline-agg:31",
              "github-actions")
    sc.change(-2800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/kline-agg", "github-actions")
    for t in (S1,):
        sc.change(t, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
                  "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.alarm("pubmkt-rest-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average",
             60, 3, 0.2, "GreaterThanThreshold", "Public REST mean response time above 200 ms")
    sc.alarm("pubmkt-rest-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum",
             60, 3, 100, "GreaterThanThreshold")
    sc.expect = {"alarm": "pubmkt-rest-latency",
                 "root_cause": {"category": "traffic_surge", "resource": [f"{cl}/{svc}", svc, lb, "pubmkt-rest"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = {
        "front": "front (ALB)", "services": ["ecs", "alb"], "origin_type": "ecs",
        "decoys": "kline-agg deploy 3 min before onset; an autoscaling UpdateService on the origin 3 min after "
                  "onset; scanner 404s all along",
        "story": "pubmkt-rest's mean response time goes from ~11 ms to ~400 ms and ELB 5xx appear. At 12:30 UTC "
                 "ZRC-USDT starts trading (the refdata line announces it two minutes earlier) and RequestCount "
                 "jumps 7x, from ~9k to ~68k a minute, most of it /ticker/24hr?symbol=ZRC-USDT from scripts. "
                 "ticker-rest's CPU climbs to the 80s but is never pinned, memory is flat, the cache hit "
                 "ratio stays above 95 % and no error other than queueing shows; autoscaling doubles the tasks "
                 "(6 to 12, its maximum) and latency eases from ~1 s to ~0.3 s but stays high. The kline-agg deploy just "
                 "before is on another service with flat metrics.",
        "judgement": "Traffic surges are at the service that receives them; the ECS service and its ALB are "
                     "both accepted. CPU reaches ~85 % but is not pinned and falls when tasks are added, so "
                     "traffic_surge rather than cpu_saturation; the autoscaling UpdateService call is a "
                     "response, not a cause.",
    }
    return sc


def build_12():
    sc = new(12, "wallet-balance-errors",
             "Wallet balances page erroring for some users; balance aggregator Errors alarm.",
             "ap-southeast-1", "2026-03-22T07:45:00+00:00")
    fn, api = "wallet-bal-agg", "wallet-api"
    sc.resource("lambda", fn, runtime="python3.12", timeout=10, memory_size=512)
    sc.resource("lambda", "wallet-addr-gen", runtime="python3.12", timeout=10, memory_size=256)
    sc.resource("apigateway", api, stage="prod", api_id="b6t0j3m8qe")
    ON = -2050
    hit = lambda t: 0.27 * ramp(t, ON, ON + 240)
    rate = lambda t: 175 + 20 * ramp(t, -7000, -5000)
    inv, err = lambda_metrics(sc, fn, inv=rate, err=lambda t: 0.1 + rate(t) * hit(t), dur=lambda t: 140 - 30 * hit(t))
    lambda_metrics(sc, "wallet-addr-gen", inv=lambda t: 12, err=lambda t: 0.0, dur=lambda t: 210)
    apigw_metrics(sc, api, count=lambda t: rate(t) + 70, e4=lambda t: 2.5, e5=lambda t: 0.1 + rate(t) * hit(t),
                  lat=lambda t: 155 - 25 * hit(t))

    def body(ll, t, reqid, is_err, cold):
        uid = sc.rng.randint(1_000_000, 9_999_999)
        lines = [(0.002, f"[INFO]\t{sc.iso(t)}\t{reqid}\tbalances user={uid} assets={sc.rng.randint(2, 14)}")]
        if sc.rng.random() < 0.04:
            lines.append((0.005, f"[INFO]\t{sc.iso(t)}\t{reqid}\tasset registry refreshed: "
                                 f"{'318 assets (new: XQT precision=24)' if t > ON - 30 else '317 assets'}"))
        if sc.rng.random() < 0.09:
            lines.append((0.03, f"[ERROR]\t{sc.iso(t)}\t{reqid}\tprice feed: no quote for LUNC/SGD; valuing at 0"))
        if is_err:
            lines.append((0.05, py_traceback("InvalidOperation: [<class 'decimal.InvalidOperation'>]", [
                ("/var/task/handler.py", 44, "lambda_handler", "rows = [format_row(b) for b in balances]"),
                ("/var/task/wallet/view.py", 61, "format_row", "'display': to_display(b.amount, b.asset.precision),"),
                ("/var/task/wallet/format.py", 23, "to_display",
                 "return amount.quantize(Decimal(1).scaleb(-precision), rounding=ROUND_DOWN)")])))
            return {"lines": lines, "dur": sc.rng.gauss(60, 10)}
        return {"lines": lines + [(0.1, f"[INFO]\t{sc.iso(t + 0.1)}\t{reqid}\tbalances ok user={uid}")],
                "dur": sc.rng.gauss(140, 25)}

    sample_lambda(LambdaLogs(sc, fn, "python3.12", 512, 10, prewarm=-12480, mem_used=(104, 5)), inv, err, body, cap=4)
    sc.change(-2110, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "wallet-addr-gen", "ci-deployer")
    sc.change(-2103, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "wallet-addr-gen",
              "ci-deployer")
    sc.change(-16400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "ci-deployer")
    sc.alarm("wallet-bal-agg-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 15,
             "GreaterThanThreshold", "Wallet balance aggregation errors")
    sc.alarm("wallet-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 60,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "wallet-bal-agg-errors", "root_cause": {"category": "application_error", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = {
        "front": "origin", "services": ["lambda", "apigateway"], "origin_type": "lambda",
        "decoys": "wallet-addr-gen deploy 1 min before onset; wallet-bal-agg's own deploy 4.5 h earlier; "
                  "'[ERROR] price feed: no quote for LUNC' all along; second alarm on the API",
        "story": "wallet-bal-agg's Errors rise to ~50 a minute (about a quarter of calls) and wallet-api "
                 "returns the same number of 5xx. The failing invocations end in an unhandled "
                 "decimal.InvalidOperation from to_display's quantize; at onset the function's periodic asset "
                 "registry refresh reports '318 assets (new: XQT precision=24)' where it said 317 before: "
                 "a new asset with more decimals than the Decimal context can quantize. No change touches "
                 "wallet-bal-agg (its last deploy, 4.5 hours earlier, was followed by clean runs), its duration and "
                 "memory are normal and it has no dependency errors; the wallet-addr-gen deploy a minute "
                 "earlier is another function with flat metrics, and the LUNC price-feed ERRORs are handled "
                 "and steady.",
        "judgement": "The trigger is a data change (a new listing) that CloudTrail does not record; with no "
                     "change to the function and no resource or dependency fault, application_error.",
    }
    return sc


BUILDERS = [build_11, build_12]
