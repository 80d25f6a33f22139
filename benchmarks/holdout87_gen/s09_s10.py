"""h87-09 (refund-status Lambda at its reserved concurrency on deadline eve; alarm on the API in
front) and h87-10 (K-1 import Lambda running into its 30 s timeout on larger packages)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, logfmt_writer

from . import kit
from .kit import LAST3H, emit, every

logfmt = logfmt_writer("time", quote_msg=True)


def build_09():
    sc = kit.make(9, "refund-status-5xx",
                  "'Where is my refund' lookups failing with 'Service unavailable' on deadline eve; API 5XX "
                  "alarm.", "us-east-2", "2027-04-15T00:40:00+00:00")
    rng = sc.rng
    api, fn, other = "refund-status-api", "wmr-lookup", "wmr-notify"
    limit = 40
    sc.resource("apigateway", api, stage="prod", throttling_rate_limit=2000, throttling_burst_limit=1000)
    sc.resource("lambda", fn, runtime="python3.12", timeout=10, memory_size=512, reserved_concurrency=limit)
    sc.resource("lambda", other, runtime="python3.12", timeout=30, memory_size=256)

    # deadline-eve evening build-up: ~1.45x the afternoon level
    load = lambda t: 980 * diurnal(sc, t, 0.0, 0.08) * (1 + 0.45 * ramp(t, -3600, -1200))
    dur = lambda t: 1850.0
    demand = lambda t: load(t) * dur(t) / 60000.0 * 1.1
    over = lambda t: max(0.0, 1 - limit / demand(t))
    thr = lambda t: load(t) * over(t)
    served = lambda t: load(t) - thr(t)
    lm = kit.lambda_metrics(sc, fn, served, dur, err=lambda t: 0.4, thr=thr,
                            conc=lambda t: min(limit, demand(t)), conc_cap=limit)
    kit.lambda_metrics(sc, other, lambda t: 60.0, lambda t: 900.0)
    kit.apigw_metrics(sc, api, load, lambda t: 1950 * (1 - over(t)) + 45 * over(t),
                      e4=lambda t: load(t) * 0.04, e5=lambda t: 0.4 + thr(t))

    sc.alarm("refund-status-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 20,
             "GreaterThanThreshold", "Refund status API 5xx (prod)")
    sc.alarm("wmr-lookup-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10,
             "GreaterThanThreshold")
    sc.alarm("refund-status-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average", 60, 5,
             3000, "GreaterThanThreshold")
    sc.alarm("wmr-notify-errors", "AWS/Lambda", "Errors", {"FunctionName": other}, "Sum", 60, 3, 5,
             "GreaterThanThreshold")

    sc.change(-19200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other,
              "svc-wmr-pipeline")
    sc.change(-2880, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              other, "chg-CHG0042460-sokafor")
    sc.change(-2840, "apigateway.amazonaws.com", "UpdateUsagePlan", "AWS::ApiGateway::UsagePlan",
              "wmr-partners", "chg-CHG0042460-sokafor")

    ll = LambdaLogs(sc, fn, "python3.12", 512, 10, mem_used=(141, 7))

    def body(l, t, rid, is_err, cold):
        if is_err:
            return {"dur": rng.uniform(20, 60), "lines": [
                (0.005, logfmt(sc, t, "error", "lookup failed", request_id=rid, reason="ssn_checksum",
                               status=400))]}
        d = rng.gauss(1850, 300)
        lines = [(0.004, logfmt(sc, t, "info", "lookup", request_id=rid, tax_year=2026,
                                channel=rng.choice(["web", "web", "mobile"])))]
        if rng.random() < 0.15:
            lines.append((0.3, logfmt(sc, t + 0.3, "warn", "refund feed stale", request_id=rid,
                                      feed="mef-status", age_s=rng.randint(900, 1500))))
        lines.append((d / 1000, logfmt(sc, t + d / 1000, "info", "lookup done", request_id=rid,
                                       status=rng.choice(["RECEIVED", "APPROVED", "APPROVED", "SENT"]),
                                       ms=int(d))))
        return {"dur": d, "lines": lines}

    si, se = kit.thin(lm["inv"], [0.4] * len(lm["inv"]), LAST3H, 3)
    ll.run(si, {m: 1 for m in si if rng.random() < 0.08}, body)
    api_id = sc.hexid(10)

    def exec_line(t):
        if rng.random() < over(t) * 1.1:
            return rng.choice([
                f"({sc.uuid()}) Lambda invocation failed with status: 429. Lambda request id: {sc.uuid()}",
                f"({sc.uuid()}) Execution failed due to configuration error: Rate Exceeded."])
        return f"({sc.uuid()}) Method completed with status: 200"

    emit(sc, f"API-Gateway-Execution-Logs_{api_id}/prod", sc.hexid(32), LAST3H, 0, lambda t: 3, exec_line)
    every(sc, f"/aws/lambda/{other}", "2027/04/14/[$LATEST]" + sc.hexid(32), LAST3H, 0, 120,
          lambda t: logfmt(sc, t, "info", "push batch sent", sent=rng.randint(20, 200), failed=0))

    sc.expect["alarm"] = "refund-status-api-5xx"
    kit.meta(sc, "throttling", [fn], "front (API Gateway)",
             "wmr-notify configuration change and a usage-plan update minutes before the first throttles; `refund feed stale` WARNs and ssn_checksum errors at a constant rate; the function's own Errors alarm stays OK",
             "The refund-status API's 5XX alarm. wmr-lookup has a reserved concurrency of 40; as the "
             "deadline-eve evening traffic builds (about 1.45x the afternoon, building over 40 minutes), ConcurrentExecutions "
             "flattens at exactly 40 and Throttles rise with the excess. The API's execution log "
             "shows `Lambda invocation failed with status: 429` and `Rate Exceeded`, while the "
             "function's own Errors stay at their usual trickle of `ssn_checksum` 400s. Duration is "
             "unchanged, and no change touches wmr-lookup.",
             judgement="Traffic is higher than in the afternoon but not far above normal; the fault is the "
                       "concurrency ceiling (throttling), not a traffic_surge, and the origin is the function "
                       "whose limit is hit, not the API.",
             services="API Gateway, Lambda (Python, logfmt)")
    return sc


def build_10():
    sc = kit.make(10, "k1-import-errors",
                  "Partnership K-1 imports failing for preparers; k1-import Errors alarm.", "us-west-1",
                  "2027-04-14T18:05:00+00:00")
    rng = sc.rng
    fn, other = "k1-import", "k1-notify"
    tmo = 30
    grow, hit = -6600, -2280
    sc.resource("lambda", fn, runtime="java21", timeout=tmo, memory_size=3008)
    sc.resource("lambda", other, runtime="java21", timeout=15, memory_size=512)
    sc.resource("apigateway", "preparer-gateway", stage="prod")

    load = lambda t: 48 * diurnal(sc, t, 18.0, 0.25)
    size = lambda t: 1.0 + 2.4 * ramp(t, grow, hit + 600)  # schedules per package, relative
    mean_dur = lambda t: min(tmo * 1000.0 * 0.97, 7600 * size(t))
    frac_to = lambda t: max(0.0, min(0.7, (7600 * size(t) - 23000) / 12000))
    err = lambda t: load(t) * frac_to(t)
    lm = kit.lambda_metrics(sc, fn, load, mean_dur, err=err)
    kit.lambda_metrics(sc, other, lambda t: 30.0, lambda t: 320.0)
    kit.apigw_metrics(sc, "preparer-gateway", lambda t: 300 * diurnal(sc, t, 18.0), lambda t: 410.0,
                      e5=lambda t: 0.3)

    sc.alarm("k1-import-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 2, 25,
             "GreaterThanThreshold", "K-1 import failures")
    sc.alarm("k1-import-duration-p-avg", "AWS/Lambda", "Duration", {"FunctionName": fn}, "Average", 300, 3,
             25000, "GreaterThanThreshold")
    sc.alarm("preparer-gateway-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "preparer-gateway"}, "Sum",
             60, 3, 10, "GreaterThanThreshold")

    sc.change(-20500, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", other, "chg-CHG0042311-mreyes")
    sc.change(-2520, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function", other,
              "chg-CHG0042395-mreyes")
    sc.change(-2370, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", "preparer-gateway",
              "chg-CHG0042395-mreyes")

    ll = LambdaLogs(sc, fn, "java21", 3008, tmo, mem_used=(1300, 120))

    def body(l, t, rid, is_err, cold):
        sch = max(1, int(rng.gauss(9 * size(t), 2.5)))
        pkg = f"K1P-{rng.randint(100000, 999999)}"
        lines = [(0.01, l.fmt(t, rid, "INFO", f"gov.efile.k1.ImportHandler - importing package {pkg} schedules={sch} "
                                           f"bytes={rng.randint(200, 900) * sch * 1000}"))]
        if rng.random() < 0.08:
            lines.append((0.4, l.fmt(t + 0.4, rid, "WARN", "gov.efile.k1.s3.Fetcher - S3 GetObject slow: 1 retry "
                                                           "(503 SlowDown), continuing")))
        step = 0.0
        per = min(mean_dur(t), 26000) / max(sch, 1) if not is_err else 2900
        for i in range(1, sch + 1):
            step += per / 1000 * rng.uniform(0.8, 1.2)
            if is_err and step > tmo - 0.3:
                break
            if i % 4 == 0 or i == sch:
                lines.append((step, l.fmt(t + step, rid, "INFO",
                                          f"gov.efile.k1.ImportHandler - {pkg}: validated {i}/{sch} schedules")))
        if is_err:
            return {"dur": 0, "status": "timeout", "lines": lines, "mem": rng.randint(1600, 2100)}
        lines.append((step + 0.05, l.fmt(t + step + 0.05, rid, "INFO",
                                         f"gov.efile.k1.ImportHandler - {pkg} imported in {int(step * 1000)} ms")))
        return {"dur": step * 1000 + 60, "lines": lines}

    si, se = kit.thin(lm["inv"], lm["err"], LAST3H, 3)
    ll.run(si, se, body)
    every(sc, f"/aws/lambda/{other}", "2027/04/14/[$LATEST]" + sc.hexid(32), LAST3H, 0, 180,
          lambda t: f"{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')}.{rng.randint(0, 999):03d} {sc.uuid()} INFO  "
                    f"gov.efile.k1.Notify - notified {rng.randint(1, 12)} preparers")

    sc.expect["alarm"] = "k1-import-errors"
    kit.meta(sc, "function_timeout", [fn], "origin (Lambda)",
             "PutFunctionConcurrency on k1-notify and an UpdateStage on preparer-gateway minutes before onset; occasional S3 SlowDown retry WARNs at the same low rate all day",
             "k1-import's Errors alarm. Packages have been getting larger all afternoon (schedules per "
             "package roughly triple) and Duration rises with them until it reaches the 30 s limit: "
             "the failing invocations log steady `validated i/n schedules` progress and end in `Task "
             "timed out after 30.00 seconds` with `Status: timeout`. There is no dependency error and no "
             "change to k1-import; the S3 retry WARN is as rare before as after.",
             judgement="A reader could call the trigger 'bigger inputs', but nothing in the category table fits "
                       "better than function_timeout: no dependency fault, no memory limit (1.6-2.1 GB of 3 GB), "
                       "no surge in invocations.",
             services="Lambda (Java 21), API Gateway")
    return sc


BUILDERS = [build_09, build_10]
