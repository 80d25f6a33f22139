"""h59-03 (connection slots run out behind an API two hops up) and h59-04 (canary version)."""
from __future__ import annotations

from . import kit
from .common import GRID, Scenario, bump, diurnal, ramp, step
from .runtimes import LambdaLogs, jline, pg


# =========================================================================== h59-03
def s03() -> Scenario:
    sc = Scenario(3, "members-api-profile-5xx", "Members API 5xx alarm during the morning "
                  "ramp; the mobile app shows 'profile unavailable' for some users.",
                  "ap-southeast-2", 5903, "2026-06-02T01:10:00")
    api, fn, db, other = "members-api", "member-profile", "pg-members-01", "member-avatar"
    cap = -2700  # connections reach the non-superuser limit
    sc.resource("apigateway", api, rest_api_id="q8w2m4r1zc", stage="v1")
    sc.resource("lambda", fn, runtime="python3.12", timeout=6, memory_size=256,
                vpc=True, environment=["DB_HOST", "DB_NAME", "DB_SECRET_ARN"])
    sc.resource("lambda", other, runtime="python3.12", timeout=30, memory_size=512)
    sc.resource("rds", db, engine="postgres", engine_version="15.6",
                instance_class="db.t4g.medium", max_connections=150,
                superuser_reserved_connections=3, allocated_storage_gb=200, multi_az=True)
    morning = lambda t: 0.35 + 0.65 * ramp(t, -12600, -3600)
    load = lambda t: 320 * morning(t)
    conns_m = lambda t: min(148.5, 38 + 118 * ramp(t, -12900, cap + 200))
    frac = lambda t: 0.09 * ramp(t, cap - 120, cap + 600)
    inv = sc.series(load, integer=True, noise=0.03)
    err = sc.series(lambda t: load(t) * frac(t), integer=True, noise=0.05)
    dur = sc.series(lambda t: 46.0 - 8 * ramp(t, cap, cap + 600), noise=0.12)
    conc = sc.series(lambda t: 2 + 22 * morning(t), integer=True, noise=0.02)
    kit.lambda_metrics(sc, fn, inv, err, dur, conc=conc)
    e4 = sc.series(lambda t: 0.02 * load(t), integer=True)
    kit.apigw_metrics(sc, api, inv, e4, err, sc.series(lambda t: 71.0, noise=0.1),
                      sc.series(lambda t: 58.0, noise=0.1))
    oinv = sc.series(lambda t: 20 * morning(t), integer=True)
    kit.lambda_metrics(sc, other, oinv, [0.0] * len(GRID), sc.series(lambda t: step(
        t, -2580, 820.0, 610.0), noise=0.1))
    kit.flat_rds(sc, db, lambda t: 18 + 12 * morning(t) + bump(t, -5700, -5000, 62.0, 120),
                 conns_m, 200, 61, 1.6,
                 extra={"WriteLatency": ("Seconds", sc.series(lambda t: 0.0019, noise=0.2,
                                                              digits=5))})

    # ---------------------------------------------------------------- logs
    ll = LambdaLogs(sc, fn, "python3.12", 256, 6, mem_used=(88, 6), life=(1500, 4200))
    reserved = ("FATAL:  remaining connection slots are reserved for non-replication superuser "
                "connections")

    def body(ll, t, rid, is_err, cold):
        lines = []
        if cold:
            lines.append((0.001, ll.fmt(t, rid, "INFO", f"opening connection to {db}.c7ab1xk2p0qe."
                                        "ap-southeast-2.rds.amazonaws.com:5432/members")))
        if is_err:
            lines.append((0.03, f"[ERROR] OperationalError: connection failed: connection to server "
                                f"at \"10.12.21.40\", port 5432 failed: {reserved}\nTraceback (most "
                                f"recent call last):\n  File \"/var/task/app/db.py\", line 22, in "
                                f"get_conn\n    _conn = psycopg.connect(_dsn(), connect_timeout=3)\n"
                                f"  File \"/var/task/psycopg/connection.py\", line 748, in connect\n"
                                f"    raise last_ex.with_traceback(None)"))
            return {"lines": lines, "dur": sc.rng.uniform(25, 60)}
        mid = f"m_{sc.rng.randint(10 ** 7, 10 ** 8)}"
        if sc.rng.random() < 0.02:
            lines.append((0.004, ll.fmt(t, rid, "WARNING", f"validation failed for {mid}: email "
                                        "malformed, returning 400")))
        else:
            lines.append((0.02, ll.fmt(t, rid, "INFO", f"GET /v1/members/{mid}/profile 200 "
                                       f"rows=1 db_ms={sc.rng.randint(3, 14)}")))
        return {"lines": lines, "dur": sc.rng.gauss(46, 9)}
    li, le = kit.sample_invocations(sc, inv, err, 0.02)
    ll.run(li, le, body)
    pglog = f"/aws/rds/instance/{db}/postgresql"
    kit.periodic(sc, pglog, f"{db}.0", 300, lambda t: pg(
        sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(900, 4200)} buffers "
        f"({sc.rng.uniform(0.5, 3):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled; write="
        f"{sc.rng.uniform(20, 90):.3f} s, sync=0.004 s, total={sc.rng.uniform(20, 90):.3f} s",
        pid=571), start=-21600)
    sc.log(pglog, f"{db}.0", -5640, pg(sc, -5640, "LOG", "automatic vacuum of table "
           "\"members.public.login_events\": index scans: 3\n\tpages: 0 removed, 1840221 remain, "
           "1211904 scanned (65.86% of total)\n\ttuples: 4120876 removed, 51877310 remain",
           pid=28841))
    kit.events(sc, pglog, f"{db}.0", lambda t: 0.5 * ramp(t, -13000, cap), lambda t: pg(
        sc, t, "LOG", "connection authorized: user=member_app database=members "
        "application_name=member-profile SSL enabled (protocol=TLSv1.3)",
        client=f"{sc.ip('10.12')}({sc.rng.randint(30000, 65000)})", user="member_app",
        db="members"), start=-21600)
    kit.events(sc, pglog, f"{db}.0", lambda t: 9 * ramp(t, cap - 120, cap + 600), lambda t: pg(
        sc, t, "FATAL", reserved[8:], client=f"{sc.ip('10.12')}({sc.rng.randint(30000, 65000)})",
        user="member_app", db="members"), start=cap - 300)

    sc.alarm("members-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 8,
             "GreaterThanThreshold", "Members API 5xx")
    sc.alarm("member-profile-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300,
             1, 30, "GreaterThanThreshold")
    sc.alarm("pg-members-01-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db},
             "Average", 300, 2, 80, "GreaterThanThreshold")
    sc.change(-17100, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", fn, "bitbucket-pipelines")
    sc.change(-2580, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", other, "devops-kyle")
    kit.check_alarm(sc, "members-api-5xx", latest=-1800, earliest=cap)
    sc.expect = {"alarm": "members-api-5xx",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    return sc


# =========================================================================== h59-04
def s04() -> Scenario:
    sc = Scenario(4, "fare-quotes-error-rate", "Fare calculator Errors alarm; a small share of "
                  "fare quotes fail for multi-leg itineraries.", "eu-central-1", 5904,
                  "2026-07-21T08:05:00")
    fn, other = "fare-calculator", "seat-map"
    code, shift1, shift2 = -4500, -4200, -2400
    weight = lambda t: 0.0 if t < shift1 else (0.1 if t < shift2 else 0.3)
    sc.resource("lambda", fn, runtime="java21", timeout=15, memory_size=1024, alias="live",
                alias_routing="58:0.3 (primary 57)")
    sc.resource("lambda", other, runtime="java21", timeout=10, memory_size=768)
    load = lambda t: 100 * diurnal(sc, t, 9.0, 0.3)
    inv = sc.series(load, integer=True, noise=0.03)
    new = [round(i * weight(t) + sc.rng.gauss(0, 0.6)) if weight(t) else 0.0
           for t, i in zip(GRID, inv)]
    new = [float(max(0, n)) for n in new]
    err = [float(sum(1 for _ in range(int(n)) if sc.rng.random() < 0.62)) for n in new]
    dur = sc.series(lambda t: 210.0, noise=0.08)
    kit.lambda_metrics(sc, fn, inv, err, dur)
    for ver, vi, ve in (("57", [i - n for i, n in zip(inv, new)], [0.0] * len(GRID)),
                        ("58", new, err)):
        d = {"FunctionName": fn, "Resource": f"{fn}:live", "ExecutedVersion": ver}
        pts = [(t, a, b) for t, a, b in zip(GRID, vi, ve) if ver == "57" or t >= shift1]
        sc.metric("AWS/Lambda", "Invocations", d, "Count", [a for _, a, _ in pts],
                  times=[t for t, _, _ in pts])
        sc.metric("AWS/Lambda", "Errors", d, "Count", [b for _, _, b in pts],
                  times=[t for t, _, _ in pts])
    oinv = sc.series(lambda t: 40 * diurnal(sc, t, 9.0, 0.3), integer=True)
    kit.lambda_metrics(sc, other, oinv, [0.0] * len(GRID),
                       sc.series(lambda t: step(t, -2520, 140.0, 122.0), noise=0.1))

    # ---------------------------------------------------------------- logs
    def body(ll, t, rid, is_err, cold):
        lines = []
        if cold:
            return_init = [(0.05, ll.fmt(t - 1.5, rid, "INFO", "Initializing Spring-less pricing "
                                         "context: 14 rule sets, fare tables 2026-07-20T23:00Z"))]
        else:
            return_init = []
        legs = sc.rng.randint(1, 4)
        if sc.rng.random() < 0.03:
            lines.append((0.08, ll.fmt(t + 0.08, rid, "WARN", "DynamoDB "
                          "ProvisionedThroughputExceededException on table fare-cache, retry 1/3 "
                          "after 50 ms")))
        if is_err:
            msg = "'java.math.BigDecimal de.fares.model.Leg.getSurchargeAmount()'"
            lines.append((0.03, ll.fmt(t + 0.03, rid, "ERROR", f"Pricing failed for itinerary "
                          f"IT{sc.rng.randint(10 ** 6, 10 ** 7)} legs={max(2, legs)}")))
            lines.append((0.04, jline({"errorMessage": msg, "errorType":
                                       "java.lang.NoSuchMethodError", "stackTrace": [
                "de.fares.pricing.rules.SurchargeRule.apply(SurchargeRule.java:63)",
                "de.fares.pricing.RuleChain.evaluate(RuleChain.java:118)",
                "de.fares.pricing.FareHandler.handleRequest(FareHandler.java:54)"]})))
            return {"lines": lines, "dur": sc.rng.uniform(30, 70), "init_lines": return_init}
        lines.append((0.18, ll.fmt(t + 0.18, rid, "INFO", f"Quoted itinerary IT"
                      f"{sc.rng.randint(10 ** 6, 10 ** 7)} legs={legs} total="
                      f"{sc.rng.uniform(49, 1400):.2f} EUR")))
        return {"lines": lines, "dur": sc.rng.gauss(210, 30), "init_lines": return_init}
    li, le = kit.sample_invocations(sc, inv, [0.0] * len(GRID), 0.02)
    ni, ne = kit.sample_invocations(sc, new, err, 0.15)
    LambdaLogs(sc, fn, "java21", 1024, 15, epochs=((-10 ** 9, "57"),),
               mem_used=(212, 10)).run(li, le, body)
    LambdaLogs(sc, fn, "java21", 1024, 15, epochs=((-10 ** 9, "58"),), prewarm=-10 ** 9,
               mem_used=(214, 10)).run(ni, ne, body)
    oi, oe = kit.sample_invocations(sc, oinv, [0.0] * len(GRID), 0.03)
    LambdaLogs(sc, other, "java21", 768, 10, retire=[-2520], mem_used=(180, 8)).run(
        oi, oe, lambda ll, t, rid, e, c: {"dur": sc.rng.gauss(135, 20), "lines": [
            (0.1, ll.fmt(t + 0.1, rid, "INFO", f"seat map FL{sc.rng.randint(100, 9999)} "
                         f"cabin={sc.rng.choice('YJF')} seats={sc.rng.randint(30, 220)}"))]})

    sc.alarm("fare-calculator-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60,
             3, 10, "GreaterThanThreshold", "Fare calculator errors")
    sc.alarm("fare-calculator-duration-high", "AWS/Lambda", "Duration", {"FunctionName": fn},
             "Average", 300, 3, 2000, "GreaterThanThreshold")
    sc.alarm("seat-map-errors", "AWS/Lambda", "Errors", {"FunctionName": other}, "Sum", 300, 1, 5,
             "GreaterThanThreshold")
    sc.change(code, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", fn, "codepipeline-fares")
    sc.change(code + 12, "lambda.amazonaws.com", "PublishVersion20150331",
              "AWS::Lambda::Function", fn, "codepipeline-fares")
    sc.change(shift1, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Alias",
              f"{fn}:live", "AWSCodeDeployRoleForLambda")
    sc.change(-2520, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", other, "m.keller")
    sc.change(shift2, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Alias",
              f"{fn}:live", "AWSCodeDeployRoleForLambda")
    kit.check_alarm(sc, "fare-calculator-errors", latest=-2000, earliest=shift2)
    sc.expect = {"alarm": "fare-calculator-errors",
                 "root_cause": {"category": "bad_deployment", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": fn}}]}
    return sc
