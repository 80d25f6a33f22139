"""h96-09 bag tag lookup for kiosks (API Gateway -> .NET Lambda) and h96-10 crew flight-time-limit
checker (Java Lambda)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import HISTORY, bump, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs

from .kit import (Scenario, api_metrics, bagtag, flight, lambda_metrics, pick, rds_metrics, sampled,
                  scatter)


# =========================================================================== h96-09
def build_09() -> Scenario:
    sc = Scenario(9, "bagtag-kiosk", "Self bag-drop kiosks at ICN T2 showing 'system busy'; "
                  "bagtag-api 5XX alarm.", "ap-northeast-2", 9609, "2026-03-29T10:40:00")
    api, apiid, fn, ocr = "bagtag-api", "p7w2n4x8rk", "bagtag-lookup", "bag-photo-ocr"
    cap, dur = 25, 1050.0
    sc.resource("apigateway", api, api_id=apiid, stage="prod", integration="lambda-proxy")
    sc.resource("lambda", fn, runtime="dotnet8", timeout=10, memory_size=512, reserved_concurrency=cap)
    sc.resource("lambda", ocr, runtime="python3.12", timeout=60, memory_size=2048)
    onset = -1800

    def demand(t):  # departure banks every ~75 min; tonight's long-haul bank plus re-checks is the biggest
        banks = sum(bump(t, c - 600, c + 600, h, 300) for c, h in ((-18600, 0.17), (-14100, 0.15),
                                                                   (-9600, 0.2), (-5100, 0.18)))
        return 1120 * (1 + banks + 0.31 * ramp(t, onset - 300, onset + 120))
    capacity = cap * 60000.0 / dur * 0.985
    served = lambda t: min(demand(t), capacity)  # noqa: E731
    over = lambda t: max(0.0, demand(t) - capacity)  # noqa: E731
    retries = lambda t: over(t) * 0.8  # noqa: E731 - kiosks retry twice on 5xx
    thr = lambda t: over(t) + retries(t)  # noqa: E731
    api_metrics(sc, api, lambda t: demand(t) + retries(t), lambda t: 0.03 * demand(t), lambda t: 0.2 + thr(t),
                lambda t: dur + 40 - 600 * (thr(t) / (demand(t) + retries(t))), lambda t: dur + 10)
    m = lambda_metrics(sc, fn, served, lambda t: 0.0, lambda t: dur, thr=thr, dur_noise=0.04,
                       conc=lambda t: min(float(cap), round(served(t) * dur / 60000 + 0.5)))
    lambda_metrics(sc, ocr, lambda t: 14.0, lambda t: 0.0, lambda t: 8400.0)

    sc.change(-14000, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", api,
              "AWSReservedSSO_BaggageDev_0a9e3c17b5d2f486/minseo.park")
    sc.change(-21300, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function", fn,
              "terraform-baggage")
    sc.change(-1850, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", ocr,
              "github-actions-baggage")

    def body(ll, t, rid, is_err, cold):
        tag = bagtag(sc)
        lines = [(0.002, ll.fmt(t, rid, "INFO", f"Kiosk ICN-T2-{pick(sc, 'DEFGH')}{sc.rng.randint(1, 40):02d} lookup {tag}"))]
        if sc.rng.random() < 0.03:
            lines.append((0.01, ll.fmt(t, rid, "WARN", f"Tag {tag} failed licence-plate checksum; asking kiosk to rescan")))
        d = dur * sc.rng.uniform(0.8, 1.2)
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"Resolved {tag} -> {flight(sc, ('KE', 'KE', 'DL'))} "
                                                                 f"{pick(sc, ['LAX', 'JFK', 'FRA', 'CDG', 'SYD'])} "
                                                                 f"(weight {sc.rng.randint(9, 32)} kg, 0 excess)")))
        return {"lines": lines, "dur": d}
    ll = LambdaLogs(sc, fn, "dotnet8", 512, 10, mem_used=(141, 8), max_envs=cap)
    inv, err = sampled(m, -16200, 4)
    ll.run(inv, err, body)

    grp, st = f"API-Gateway-Execution-Logs_{apiid}/prod", sc.hexid(32)

    def thr_line(t):
        a = sc.uuid()
        sc.log(grp, st, t, f"({a}) Lambda invocation failed with status: 429. Lambda request id: {sc.uuid()}")
        sc.log(grp, st, t + 0.001, f"({a}) Execution failed due to configuration error: Rate Exceeded.")
        return f"({a}) Method completed with status: 500"
    scatter(sc, grp, st, lambda t: min(5.0, thr(t) / 25), thr_line, onset - 300, 0)
    scatter(sc, grp, st, lambda t: 0.8, lambda t: f"({sc.uuid()}) Method completed with status: 404")

    sc.alarm("bagtag-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 30, "GreaterThanThreshold",
             "Bag-drop kiosk API server errors")
    sc.alarm("bagtag-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average", 300, 1, 2500,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "bagtag-api-5xx",
                 "root_cause": {"category": "throttling", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": {"FunctionName": fn}}]}
    sc.note(alarm_on="front (API Gateway) - origin is the Lambda behind it",
            decoys="code deploy of bag-photo-ocr 50 s before onset; an API stage update and the concurrency "
                   "reservation itself hours earlier; request volume up ~30 % (a lazy 'traffic surge'); steady 404s",
            story="bagtag-lookup runs with a reserved concurrency of 25 and a flat ~1.05 s duration, so it serves "
                  "at most ~1400 lookups a minute. Earlier departure banks peaked just under that. Tonight's bank "
                  "is ~30 % above the baseline and ~10 % above the earlier peak: ConcurrentExecutions sits flat at 25, "
                  "Throttles appear, and API Gateway logs `Lambda invocation failed with status: 429` / `Rate "
                  "Exceeded` and returns 500s. Kiosk retries add a little more volume.",
            judgement="Traffic is higher than earlier in the window, but only modestly and no more than a normal "
                      "bank; the fault is the concurrency ceiling, so throttling (more specific) wins over traffic_surge.")
    return sc


# =========================================================================== h96-10
def build_10() -> Scenario:
    sc = Scenario(10, "crew-ftl", "Crew legality checks not completing during the disruption; "
                  "crew-ftl-checker errors alarm.", "eu-west-1", 9610, "2026-04-02T15:20:00")
    fn, other, db = "crew-ftl-checker", "crew-hotel-notifier", "crewdb-eu"
    to = 45
    sc.resource("lambda", fn, runtime="java21", timeout=to, memory_size=1536, trigger="eventbridge:roster-changed")
    sc.resource("lambda", other, runtime="java21", timeout=30, memory_size=512)
    sc.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.r6g.large",
                max_connections=1700, allocated_storage_gb=300)
    growth = lambda t: 6200 + 40000 * ramp(t, -5600, -600) ** 1.25  # noqa: E731 - mean evaluation ms
    tfrac = lambda t: max(0.0, min(0.85, (growth(t) - 30000) / 18000))  # noqa: E731
    inv = lambda t: 6.0 * (1 + 0.5 * tfrac(t))  # noqa: E731 - async retries of timed-out events
    m = lambda_metrics(sc, fn, inv, lambda t: inv(t) * tfrac(t),
                       lambda t: min(growth(t), 40000) * (1 - tfrac(t)) + to * 1000 * tfrac(t), dur_noise=0.06,
                       dur_cap=to * 1000.0)
    lambda_metrics(sc, other, lambda t: 2.0, lambda t: 0.0, lambda t: 900.0)
    rds_metrics(sc, db, lambda t: 21 + bump(t, -3300, -2700, 48, 120), lambda t: 64.0, lambda t: 188.0, lambda t: 6.8)

    sc.change(-2580, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", other,
              "terraform-crew-ops")
    sc.change(-3350, "rds.amazonaws.com", "StartExportTask", "AWS::RDS::DBSnapshot", db, "crew-analytics")

    crews = [f"{sc.rng.randint(100000, 999999)}" for _ in range(90)]

    def body(ll, t, rid, is_err, cold):
        g = growth(t) * sc.rng.uniform(0.75, 1.25)
        n_crew = int(8 + g / 480)
        duties = int(n_crew * sc.rng.uniform(18, 26))
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"RosterChanged event: {n_crew} crew affected by "
                                              f"{pick(sc, ['cancellation', 'delay', 'aircraft swap', 'diversion'])} of "
                                              f"{flight(sc, ('EI', 'EI', 'BA'))}")),
                 (0.2, ll.fmt(t + 0.2, rid, "INFO", f"Loaded roster snapshot s3://crew-rosters-eu/snapshots/2026-04-02T15.json "
                                                    f"({sc.rng.uniform(1.2, 3.4):.1f} MB) in {sc.rng.randint(120, 260)} ms")),
                 (0.25, ll.fmt(t + 0.25, rid, "INFO", f"Evaluating {duties} duty periods for {n_crew} crew (ruleset EASA ORO.FTL.205/210/235)"))]
        if sc.rng.random() < 0.3:
            lines.append((0.5, ll.fmt(t + 0.5, rid, "WARN", f"Duty period for crew {pick(sc, crews)} crosses time zone "
                                                           "boundary; using home-base acclimatisation")))
        if sc.rng.random() < 0.08:
            lines.append((0.6, ll.fmt(t + 0.6, rid, "ERROR", f"Crew {pick(sc, crews)} has no medical certificate expiry "
                                                            "on file; skipping MED check")))
        if is_err:
            k = int(duties * to * 1000 / max(g, 1) * 0.9)
            for i, frac in enumerate((0.35, 0.7, 0.95)):
                lines.append((to * frac, ll.fmt(t + to * frac, rid, "INFO",
                                                f"FTL progress {int(k * frac)}/{duties} duty periods, "
                                                f"{sc.rng.randint(1, 4) * (i + 1)} exceedances so far")))
            return {"lines": lines, "dur": to * 1000, "status": "timeout", "mem": sc.rng.randint(690, 820)}
        lines.append((g / 1000, ll.fmt(t + g / 1000, rid, "INFO", f"FTL check complete: {duties} duty periods, "
                                                                 f"{sc.rng.randint(0, 5)} exceedances, published to crew-control")))
        return {"lines": lines, "dur": g + 260, "mem": sc.rng.randint(520, 760)}
    ll = LambdaLogs(sc, fn, "java21", 1536, to, mem_used=(640, 60))
    inv_l, err_l = sampled(m, -HISTORY, 4)
    ll.run(inv_l, err_l, body)

    def body2(ll2, t, rid, is_err, cold):
        return {"lines": [(0.02, ll2.fmt(t, rid, "INFO", f"Hotel notification sent for {sc.rng.randint(2, 12)} crew"))],
                "dur": sc.rng.uniform(700, 1100)}
    m2 = {"inv": [2.0] * 360, "err": [0.0] * 360}
    ll2 = LambdaLogs(sc, other, "java21", 512, 30, retire=(-2580,), mem_used=(150, 8))
    i2, e2 = sampled(m2, -16200, 1)
    ll2.run(i2, e2, body2)

    sc.alarm("crew-ftl-checker-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 5,
             "GreaterThanThreshold", "FTL checker failing")
    sc.alarm("crew-ftl-checker-duration", "AWS/Lambda", "Duration", {"FunctionName": fn}, "Average", 300, 2, 35000,
             "GreaterThanThreshold")
    sc.alarm("crewdb-eu-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 1, 60,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "crew-ftl-checker-errors",
                 "root_cause": {"category": "function_timeout", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": fn}}]}
    sc.note(alarm_on="origin (the Lambda)",
            decoys="configuration update of crew-hotel-notifier 1 min before the first timeouts; an RDS export and "
                   "CPU spike (with its alarm) on the crew database 25 min earlier; long-standing time-zone WARNs "
                   "and missing-medical ERRORs; async retries lift Invocations",
            story="As the disruption spreads, each RosterChanged event covers more crew and the Java checker "
                  "evaluates ever more duty periods; average duration climbs for 1.5 hours from ~6 s toward the "
                  "45 s timeout. From about -2500 s invocations increasingly end in `Task timed out after 45.00 seconds` while "
                  "still printing FTL progress. The snapshot load from S3 stays ~200 ms, memory stays well under "
                  "1536 MB and nothing downstream errors.")
    return sc


BUILDERS = [build_09, build_10]
