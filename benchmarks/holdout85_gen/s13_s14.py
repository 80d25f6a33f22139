"""h85-13 (ap-south-1, Go geo service panics on some lookups, no change) and h85-14 (eu-west-1,
bad Kotlin Lambda release behind API Gateway)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.runtimes import LambdaLogs, zap

from .kit import (H85, alb_metrics, apigw_metrics, bump, ct, ecs_deploy, ecs_metrics, emit,
                  lambda_metrics, ramp, sample, step)


def build_13() -> H85:
    sc = H85(13, "geo-resolver-502",
             "Mumbai pickups intermittently fail with 'location not serviceable'; ELB 5XX alarm on the "
             "internal geo ALB.",
             "ap-south-1", 8513, "2026-01-27T09:15:00+00:00", {
                 "front": "front (ALB -> ECS)", "runtime": "Go (zap JSON + net/http panic traces)",
                 "decoys": "ECS deploy of a sibling service 4 min before onset and an IAM policy change "
                           "10 min before; pre-existing context-canceled errors and slow-redis warnings",
             })
    lb = "app/geo-int-aps1/8c7b6a5f4e3d2c1b"
    cl, svc, sib = "geo", "cell-resolver", "poi-indexer"
    sc.resource("alb", lb, name="geo-int-aps1", scheme="internal")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=3, cpu=1024, memory=2048,
                image="cell-resolver:1.33.0")
    sc.resource("ecs", f"{cl}/{sib}", launch_type="FARGATE", desired_count=1, cpu=512, memory=1024)
    onset = -2040
    sc.meta["onset"] = onset

    def req(t):
        return 8000 * (1 + 0.15 * ramp(t, -21600, -8000))

    def share(t):  # share of lookups that hit the airport zone polygon
        return 0.09 * ramp(t, onset, onset + 300) * (1 + 0.15 * ramp(t, onset, 0))

    alb_metrics(sc, lb, req, t5=lambda t: 1.0, e5=lambda t: 0.5 + req(t) * share(t),
                rt=lambda t: 0.018 + 0.004 * ramp(t, onset, onset + 300), healthy=3, t4=lambda t: req(t) * 0.004)
    ecs_metrics(sc, cl, svc, cpu=lambda t: 41 + 5 * ramp(t, -21600, -8000), mem=lambda t: 33 + 2 * ramp(t, onset, 0),
                running=3)
    ecs_metrics(sc, cl, sib, cpu=lambda t: 14 + bump(t, onset - 240, onset - 60, 40, 60), mem=40.0, running=1)

    rng = sc.rng
    zones = ["BOM-ANDHERI-E", "BOM-BKC", "BOM-POWAI", "BOM-LOWER-PAREL", "BOM-T1", "BOM-T2"]
    caller_ip = "10.16.{}.{}"

    def resolved(t):
        return zap(sc, t, "info", "resolved", "resolve/handler.go:64", zone=rng.choice(zones),
                   cell=f"89608{sc.hexid(6)}fff", lat=round(rng.uniform(18.9, 19.25), 5),
                   lng=round(rng.uniform(72.8, 72.98), 5), took_us=rng.randint(300, 4000))

    def canceled(t):
        return zap(sc, t, "error", "lookup failed", "resolve/handler.go:71", err="context canceled",
                   zone=rng.choice(zones))

    def slow(t):
        return zap(sc, t, "warn", "slow redis", "cache/redis.go:118", op="HGETALL", took_ms=rng.randint(60, 180))

    def panic(t):
        gid = rng.randint(10000, 999999)
        return (f"{sc.at(t).strftime('%Y/%m/%d %H:%M:%S')} http: panic serving "
                f"{caller_ip.format(rng.randint(1, 9), rng.randint(2, 250))}:{rng.randint(30000, 60000)}: "
                f"runtime error: index out of range [7] with length 7\n"
                f"goroutine {gid} [running]:\nnet/http.(*conn).serve.func1()\n"
                f"\t/usr/local/go/src/net/http/server.go:1898 +0xbe\npanic({{0x9a3f20?, 0xc000{sc.hexid(6)}?}})\n"
                f"\t/usr/local/go/src/runtime/panic.go:770 +0x132\n"
                f"github.com/ridelane/geo/internal/polygon.(*Ring).EdgeAt(...)\n"
                f"\t/src/internal/polygon/ring.go:57\n"
                f"github.com/ridelane/geo/internal/polygon.(*Polygon).ContainsPoint(0xc0004{sc.hexid(5)}, "
                f"{{0x4032{sc.hexid(12)}, 0x4052{sc.hexid(12)}}})\n\t/src/internal/polygon/contains.go:88 +0x2f4\n"
                f"github.com/ridelane/geo/internal/resolve.(*Handler).ServeHTTP(0xc0001{sc.hexid(5)}, "
                f"{{0xb1c2e8, 0xc00{sc.hexid(7)}}}, 0xc00{sc.hexid(7)})\n\t/src/internal/resolve/handler.go:52 +0x1a5")

    for k in range(3):
        s = f"ecs/{svc}/{sc.hexid(32)}"
        g = f"/ecs/{svc}"
        emit(sc, g, s, lambda t: 3.0, resolved)
        emit(sc, g, s, lambda t: 0.6, canceled)
        emit(sc, g, s, lambda t: 0.4, slow)
        emit(sc, g, s, lambda t: 10 * share(t), panic)
    for ver, t0, t1 in (("0.21.4", -14400, onset - 250), ("0.21.5", onset - 230, 0)):
        emit(sc, f"/ecs/{sib}", f"ecs/{sib}/{sc.hexid(32)}", lambda t: 0.8, lambda t, v=ver: zap(
            sc, t, "info", "indexed poi batch", "indexer/run.go:40", version=v, pois=rng.randint(50, 900)),
            start=t0, end=t1)

    ecs_deploy(sc, onset - 240, cl, sib, "poi-indexer", 44, "buildkite")
    ct(sc, onset - 600, "iam_put", "poi-indexer-task-role", "terraform-ci")
    ecs_deploy(sc, -19000, cl, svc, "cell-resolver", 71, "buildkite")

    sc.alarm("geo-int-aps1-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum",
             60, 3, 100, "GreaterThanThreshold", "Internal geo ALB 5XX")
    sc.expect_("geo-int-aps1-elb-5xx", "application_error", [f"{cl}/{svc}", svc],
               [("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb})])
    sc.meta["story"] = (
        f"`{cl}/{svc}` (Go) resolves pickup coordinates to zones. From about {-onset // 60} min ago every "
        f"task logs `http: panic serving ...: runtime error: index out of range [7] with length 7` from "
        f"`polygon.(*Ring).EdgeAt` / `ContainsPoint`; net/http recovers the panic by dropping the "
        f"connection, so the ALB answers 502 and ELB 5XX climbs to ~9 % of requests. CPU, memory and "
        f"task count are flat, nothing in the service changed (its last deploy was 5 h earlier) and it "
        f"has no failing dependency. `{sib}` was deployed four minutes before onset and "
        f"`poi-indexer-task-role` was edited ten minutes before - neither is in the stack - and the "
        f"`context canceled` errors and slow-redis warnings are logged at the same rate all day.")
    sc.meta["judgement"] = (
        "A panic starting with no change looks like a data-triggered bug; with no deployment, config "
        "change or resource fault to pin it on, the table gives `application_error` on the service.")
    return sc


def build_14() -> H85:
    sc = H85(14, "earnings-api-5xx",
             "Drivers in the UK get 'Something went wrong' on the weekly earnings screen; earnings API "
             "5XX alarm.",
             "eu-west-1", 8514, "2026-03-17T17:35:00+00:00", {
                 "front": "front (API Gateway -> Lambda)", "runtime": "Kotlin on java21 (Lambda plain text)",
                 "decoys": "IAM change on another function's role after the deploy; config change on the "
                           "same function 2 h earlier; API stage update 3 h earlier; pre-existing FX cache warnings",
             })
    api, fn, pdf = "earnings-api", "earnings-statement", "earnings-pdf"
    rest = "m5n7b9v1c3"
    sc.resource("apigateway", api, stage="prod", rest_api_id=rest)
    sc.resource("lambda", fn, runtime="java21", memory_size=1024, timeout=20, alias="live", snap_start=False)
    sc.resource("lambda", pdf, runtime="java21", memory_size=2048, timeout=60)
    code, alias, cfg, stage = -2280, -2262, -7800, -10800
    sc.meta["onset"] = alias

    def inv(t):
        return 55 * (1 + 0.6 * ramp(t, -12000, -1200))

    def bad(t):
        return 0.36 * step(t, alias, 0, 1)

    lm = lambda_metrics(sc, fn, inv, err=lambda t: 0.2 + inv(t) * bad(t),
                        dur=lambda t: 640 + 900 * bump(t, alias, alias + 300, 1, 60) - 150 * step(t, alias, 0, 1))
    apigw_metrics(sc, api, count=inv, e4=lambda t: inv(t) * 0.01, e5=lambda t: 0.2 + inv(t) * bad(t),
                  lat=lambda t: 720 + 900 * bump(t, alias, alias + 300, 1, 60) - 140 * step(t, alias, 0, 1))
    lambda_metrics(sc, pdf, inv=lambda t: 6 * (1 + 0.6 * ramp(t, -12000, -1200)), dur=4200.0)

    rng = sc.rng
    ll = LambdaLogs(sc, fn, "java21", 1024, 20, epochs=[(-10 ** 9, "57"), (alias, "58")], retire=[cfg, alias],
                    mem_used=(300, 20))
    stack = ["com.ridelane.earnings.StatementBuilder.addTipLine(StatementBuilder.kt:142)",
             "com.ridelane.earnings.StatementBuilder.build(StatementBuilder.kt:61)",
             "com.ridelane.earnings.Handler.handleRequest(Handler.kt:38)",
             "com.ridelane.earnings.Handler.handleRequest(Handler.kt:19)"]

    def body(ll, t, rid, is_err, cold):
        lines, init = [], []
        drv = f"UKD{rng.randint(10 ** 5, 10 ** 6)}"
        if cold:
            ver = ll._version(t)
            init.append((0.3, f"{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')} INFO  c.r.e.Boot - earnings-statement "
                              f"{'2.18.0' if ver == '58' else '2.17.3'} starting (money-lib "
                              f"{'4.0.1' if ver == '58' else '3.9.2'} on classpath)"))
        if rng.random() < 0.15:
            lines.append((0.05, ll.fmt(t + 0.05, rid, "warn", "c.r.e.fx.RateCache - Exchange rate cache miss for "
                                                            "GBP->EUR, fetching")))
        if is_err and t >= alias:
            d = rng.uniform(90, 240)
            msg = "'java.math.BigDecimal com.ridelane.money.Money.getAmountMinor()'"
            lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "error",
                                          f"c.r.e.Handler - Statement failed for {drv}: java.lang.NoSuchMethodError: {msg}")))
            lines.append((d / 1000 + 0.002, json.dumps({"errorMessage": msg, "errorType": "java.lang.NoSuchMethodError",
                                                        "stackTrace": stack})))
            return {"lines": lines, "init_lines": init, "dur": d, "status": "error",
                    "error_type": "java.lang.NoSuchMethodError"}
        if is_err:
            d = rng.uniform(100, 300)
            lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "error", f"c.r.e.Handler - Statement failed for {drv}: "
                                                                     "java.lang.IllegalArgumentException: week must be in 1..53")))
            lines.append((d / 1000 + 0.002, json.dumps({"errorMessage": "week must be in 1..53",
                                                        "errorType": "java.lang.IllegalArgumentException",
                                                        "stackTrace": stack[2:]})))
            return {"lines": lines, "init_lines": init, "dur": d, "status": "error",
                    "error_type": "java.lang.IllegalArgumentException"}
        d = max(150.0, rng.gauss(560, 120))
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "info",
                                      f"c.r.e.Handler - Statement {drv} week={rng.randint(9, 11)} trips={rng.randint(5, 80)} "
                                      f"tips={rng.randint(0, 12)} total=GBP {rng.uniform(80, 900):.2f} in {int(d)}ms")))
        return {"lines": lines, "init_lines": init, "dur": d}

    ll.run(sample(sc, lm["Invocations"], 0.28), sample(sc, lm["Errors"], 0.28), body)

    grp, st = f"API-Gateway-Execution-Logs_{rest}/prod", sc.hexid(32)

    def fail(t):
        rid = sc.uuid()
        sc.log(grp, st, t, f"({rid}) Lambda execution failed with status 200 due to customer function error: "
                           f"'java.math.BigDecimal com.ridelane.money.Money.getAmountMinor()'. Lambda request id: "
                           f"{sc.uuid()}")
        return f"({rid}) Method completed with status: 502"

    emit(sc, grp, st, lambda t: 2.0, lambda t: f"({sc.uuid()}) Method completed with status: 200")
    emit(sc, grp, st, lambda t: 2.0 * bad(t) / 0.36 * 0.5, fail)

    ct(sc, stage, "apigw_stage", f"{api}/prod", "ops-maria.santos")
    ct(sc, cfg, "lambda_config", fn, "ops-maria.santos")
    ct(sc, code, "lambda_code", fn, "jenkins-release")
    ct(sc, code + 10, "lambda_publish", fn, "jenkins-release")
    ct(sc, alias, "lambda_alias", f"{fn}:live", "jenkins-release")
    ct(sc, alias + 25, "iam_put", f"{pdf}-role", "sec-automation")

    sc.alarm("earnings-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Earnings API 5XX")
    sc.expect_("earnings-api-5xx", "bad_deployment", [fn],
               [("AWS/Lambda", "Errors", {"FunctionName": fn}), ("AWS/ApiGateway", "5XXError", {"ApiName": api})])
    sc.meta["story"] = (
        f"`{api}` fronts the Kotlin function `{fn}`. {-code // 60} min ago `jenkins-release` uploaded new code, "
        f"published version 58 and moved the `live` alias to it. The new version's cold starts announce "
        f"`earnings-statement 2.18.0 ... money-lib 4.0.1` (v57: 2.17.3 / 3.9.2) and about a third of "
        f"invocations - statements with tip lines - fail with `java.lang.NoSuchMethodError: "
        f"'java.math.BigDecimal com.ridelane.money.Money.getAmountMinor()'` from `StatementBuilder.addTipLine`, "
        f"a signature absent from version 57; the API returns 502 for them. An IAM change to `{pdf}-role` "
        f"25 s after the alias flip is closer to onset but belongs to another function; the configuration "
        f"update of `{fn}` two hours earlier and the stage update three hours earlier were followed by "
        f"clean traffic. The `week must be in 1..53` errors and FX cache-miss warnings run at the same low "
        f"rate before and after.")
    sc.meta["judgement"] = (
        "A configuration change to the same function exists, but 2 h before onset with clean traffic "
        "after it; the trigger is the deployment (new signature, version 58 only).")
    return sc


BUILDERS = [build_13, build_14]
