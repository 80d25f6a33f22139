"""h93-15 (portal usage charts behind an internal MDM service) and h93-16 (billing-run rating worker
and its database's parameters)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, pg, zap

from . import kit
from .kit import emit, every, java_err_json, lam_metrics, lambda_run, py_trace


def build_15():
    sc = kit.new(15, "portal-usage-charts", "Customers' usage charts failing in the mobile app; the chart "
                 "function's Errors alarm fired.", "eu-west-3", "2026-11-20T08:15:00+00:00")
    fn, lb = "portal-usage-chart", "app/mdm-internal/3b7e1a9c5d2f8064"
    cl, svc, prof = "mdm", "usage-query", "profile-builder"
    deploy, onset, decoy = -2600, -2540, -2570
    sc.resource("lambda", fn, runtime="python3.12", memory_size=256, timeout=15)
    sc.resource("alb", lb, name="mdm-internal", scheme="internal")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=512, memory=1024, desired_count=3, runtime="go1.22")
    sc.resource("ecs", f"{cl}/{prof}", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=2)

    def inv(t):
        return 80 * diurnal(sc, t, 9.5, 0.5)

    def p_bad(t):
        return 0.42 * ramp(t, onset, onset + 90) if t >= onset else 0.0

    v = lam_metrics(sc, fn, inv, lambda t: inv(t) * p_bad(t) + 0.15, lambda t: 240 - 60 * p_bad(t))
    kit.alb_metrics(sc, lb, lambda t: inv(t) * 1.3, lambda t: inv(t) * p_bad(t) + 0.05, lambda t: 0.05,
                    lambda t: 0.11 - 0.03 * p_bad(t))
    kit.ecs_metrics(sc, cl, svc, lambda t: 24 * diurnal(sc, t, 9.5, 0.5) + bump(t, deploy, deploy + 150, 15, edge=30),
                    lambda t: 35.0)
    kit.ecs_metrics(sc, cl, prof, lambda t: 40 + bump(t, -12000, -10800, 45, edge=200), lambda t: 61.0)

    url = "http://internal-mdm-internal-1188432906.eu-west-3.elb.amazonaws.com"
    ll = LambdaLogs(sc, fn, "python3.12", 256, 15, mem_used=(88, 6), retire=(decoy,))

    def body(ll, t, rid, is_err, cold):
        prem = f"FR-PDL-{sc.rng.randint(10**9, 10**10 - 1)}"
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"chart request premise={prem} range=13M granularity=day"))]
        if is_err and sc.rng.random() < p_bad(t) * inv(t) / (p_bad(t) * inv(t) + 0.15):
            lines.append((0.09, py_trace(
                f"HTTPError: 500 Server Error: Internal Server Error for url: {url}/v3/usage?premise={prem}"
                "&from=2025-11-01&to=2026-11-19&step=P1D", [
                    ("/var/task/chart.py", 57, "handler", "series = usage_client.fetch(premise, rng)"),
                    ("/var/task/usage_client.py", 31, "fetch", "resp.raise_for_status()")])))
            lines.append((0.08, ll.fmt(t, rid, "ERROR", 'usage-query body: {"error":"internal","detail":"runtime '
                                       'error: index out of range [96] with length 96"}')))
            return {"dur": sc.rng.uniform(60, 140), "lines": lines}
        if is_err:
            lines.append((0.05, py_trace("KeyError: 'meterSerial'", [
                ("/var/task/chart.py", 44, "handler", "serial = premise_doc[\"meterSerial\"]")])))
            return {"dur": sc.rng.uniform(20, 40), "lines": lines}
        if sc.rng.random() < 0.07:
            lines.append((0.03, ll.fmt(t, rid, "WARNING", f"premise {prem} has no smart meter; returning estimated profile")))
        d = max(80, sc.rng.gauss(240, 60))
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"chart rendered points=395 ms={int(d)}")))
        return {"dur": d, "lines": lines}

    lambda_run(ll, v["inv"], v["err"], 0.04, body, err_floor=0.1)

    grp = f"/ecs/{svc}"
    old_t = [sc.hexid(32) for _ in range(3)]
    new_t = [sc.hexid(32) for _ in range(3)]

    def app(t, new):
        r = sc.rng.random()
        if new and t >= onset and r < p_bad(t) * 1.05:
            return zap(sc, t, "error", "panic recovered", "httpx/recover.go:29", path="/v3/usage",
                       panic="runtime error: index out of range [96] with length 96",
                       stack="goroutine 4182 [running]:\nmain.(*Daily).fold(0xc000512a80, {0xc0004ce000, 0x64, 0x64})\n"
                             "\t/src/usage/daily.go:73 +0x2b4\nmain.(*Handler).usage(...)\n\t/src/usage/handler.go:118 +0x51c",
                       version="2.31.0")
        if r < 0.04:
            return zap(sc, t, "warn", "slow query", "store/pg.go:66", ms=sc.rng.randint(800, 2400), table="reads_15m")
        return zap(sc, t, "info", "request", "httpx/log.go:41", path="/v3/usage", status=200,
                   ms=sc.rng.randint(30, 180), version="2.31.0" if new else "2.30.4")
    for i, tid in enumerate(old_t):
        emit(sc, grp, f"ecs/{svc}/{tid}", lambda t: 1.5 * diurnal(sc, t, 9.5, 0.5), lambda t: app(t, False),
             end=deploy + 60 + 40 * i)
    for i, tid in enumerate(new_t):
        st = deploy + 35 + 40 * i
        sc.log(grp, f"ecs/{svc}/{tid}", st, zap(sc, st, "info", "usage-query listening", "cmd/usage/main.go:40",
                                                addr=":8080", version="2.31.0"))
        emit(sc, grp, f"ecs/{svc}/{tid}", lambda t: 1.5 * diurnal(sc, t, 9.5, 0.5), lambda t: app(t, True), start=st + 1)

    sc.change(-16500, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{prof}", "argo-mdm")
    sc.change(deploy - 8, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", svc, "argo-mdm")
    sc.change(deploy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}", "argo-mdm")
    sc.change(decoy, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              fn, "c.dubois")
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Portal usage chart errors")
    sc.alarm("mdm-internal-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 300, 1, 100, "GreaterThanThreshold")
    sc.expect = {"alarm": f"{fn}-errors", "root_cause": {"category": "bad_deployment",
                                                        "resource": [f"{cl}/{svc}", svc]}}
    sc.meta = dict(
        alarm_on="front (calling Lambda)", services="Lambda (Python 3.12), internal ALB, ECS Fargate (Go)",
        decoys=f"memory change on the alarmed `{fn}` itself 30 s after the deploy and 30 s before onset; a "
               "second alarm on the internal ALB; steady KeyError/'no smart meter' lines; an older deploy of "
               f"`{prof}`",
        story=f"At -2600 s Argo registers a new task definition and rolls `{svc}` from 2.30.4 to 2.31.0. As the "
              "new tasks take traffic, requests whose 13-month range covers 25 October (the 25-hour DST day, "
              "100 quarter-hours) panic with `index out of range [96] with length 96`, which the middleware "
              f"recovers as HTTP 500. `{fn}` raises `HTTPError: 500` quoting that panic for ~40 % of charts. "
              "Only version-2.31.0 task streams contain the panic. The operator's memory change on the chart "
              "function cannot produce an upstream 500.")
    sc.meta["judgement"] = (f"The alarmed function's own configuration change is nearer the onset, and the "
                            "tie-break prefers config changes over deployments — but only where both fit; the "
                            f"errors originate in `{svc}`, whose new version introduced them.")
    return sc


def build_16():
    sc = kit.new(16, "billrun-rating-timeouts", "Rating of the nightly billing run failing for many "
                 "accounts; the rating worker's Errors alarm fired.", "eu-south-1", "2026-11-25T02:40:00+00:00")
    fn, db, pgp, bex = "billrun-rating-worker", "rating-pg", "rating-pg-params", "billrun-exporter"
    param, onset, deploy = -2880, -2855, -2700
    sc.resource("lambda", fn, runtime="java21", memory_size=2048, timeout=300)
    sc.resource("lambda", bex, runtime="java21", memory_size=1024, timeout=300)
    sc.resource("rds", db, engine="postgres", engine_version="14.10", instance_class="db.r6g.xlarge",
                max_connections=1200, allocated_storage_gb=800, parameter_group=pgp)

    def inv(t):
        return 3 + 28 * ramp(t, -7200, -6900)

    def p_to(t):
        return 0.36 if t >= onset else 0.0

    v = lam_metrics(sc, fn, inv, lambda t: inv(t) * p_to(t) + 0.3, lambda t: 4200 - 1200 * p_to(t))
    lam_metrics(sc, bex, lambda t: 2.0, lambda t: 0.02, lambda t: 3300)
    kit.rds_metrics(sc, db, lambda t: 20 + 25 * ramp(t, -7200, -6900) - 8 * p_to(t) + bump(t, -11000, -10500, 40, edge=90),
                    lambda t: 40 + 30 * ramp(t, -7200, -6900), lambda t: 402.0 - (t + 21600) / 21600,
                    lambda t: 22.0, lambda t: 0.0014, lambda t: 0.0021)

    ll = LambdaLogs(sc, fn, "java21", 2048, 300, epochs=((-10 ** 9, "41"), (deploy, "42")), retire=(deploy,),
                    mem_used=(720, 60))
    lgn = "it.gridbill.rating.RatingHandler"

    def body(ll, t, rid, is_err, cold):
        sp = f"IT001E{sc.rng.randint(10**7, 10**8 - 1)}"
        lines = [(0.02, ll.fmt(t, rid, "INFO", f"{lgn} - rating batch size=50 first={sp} period=2026-11"))]
        if sc.rng.random() < 0.1:
            lines.append((0.5, ll.fmt(t + 0.5, rid, "WARN", f"it.gridbill.rating.TariffResolver - tariff band "
                                      f"missing for supply point {sp}; falling back to default band")))
        if is_err and sc.rng.random() < p_to(t) * inv(t) / (p_to(t) * inv(t) + 0.3):
            msg = "ERROR: canceling statement due to statement timeout"
            lines.append((5.1, ll.fmt(t + 5.1, rid, "ERROR", f"{lgn} - rating failed for batch starting {sp}: {msg}")))
            lines.append((5.11, java_err_json("org.postgresql.util.PSQLException", msg, [
                "org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2713)",
                "it.gridbill.rating.ConsumptionDao.aggregate(ConsumptionDao.java:92)",
                f"{lgn}.handleRequest(RatingHandler.java:63)"])))
            return {"dur": sc.rng.uniform(5150, 5400), "lines": lines}
        if is_err:
            lines.append((0.3, java_err_json("it.gridbill.rating.MeterDataMissingException",
                                             f"no validated reads for {sp} in period 2026-11",
                                             [f"{lgn}.handleRequest(RatingHandler.java:58)"])))
            return {"dur": sc.rng.uniform(300, 600), "lines": lines}
        d = max(800, sc.rng.gauss(4200 if t < onset else 2600, 900))
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"{lgn} - rated 50 supply points in {int(d)} ms")))
        return {"dur": d, "lines": lines}

    lambda_run(ll, v["inv"], v["err"], 0.2, body)

    grp = f"/aws/rds/instance/{db}/postgresql"
    sc.log(grp, f"{db}.0", param + 14, pg(sc, param + 14, "LOG", "received SIGHUP, reloading configuration files", pid=488))
    sc.log(grp, f"{db}.0", param + 14.002, pg(sc, param + 14, "LOG", 'parameter "statement_timeout" changed to "5000"',
                                                pid=488))
    every(sc, grp, f"{db}.0", 300, lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(800, 6000)} "
                                                 "buffers (1.1%); 0 WAL file(s) added, 0 removed, 3 recycled", pid=491))

    def pgl(t):
        if t >= onset and sc.rng.random() < 0.85:
            c = f"10.60.{sc.rng.randint(10, 40)}.{sc.rng.randint(2, 250)}({sc.rng.randint(30000, 60000)})"
            return [pg(sc, t, "ERROR", "canceling statement due to statement timeout", client=c, user="rating", db="billing"),
                    pg(sc, t, "STATEMENT", "SELECT sp_id, tariff_band, sum(kwh) FROM consumption_15m WHERE sp_id = "
                       "ANY($1) AND ts >= $2 AND ts < $3 GROUP BY sp_id, tariff_band", client=c, user="rating",
                       db="billing")]
        if t >= -7200 and sc.rng.random() < 0.3:
            return pg(sc, t, "LOG", f"duration: {sc.rng.uniform(1000, 9000):.3f} ms  execute <unnamed>: SELECT sp_id, "
                      "tariff_band, sum(kwh) FROM consumption_15m WHERE sp_id = ANY($1) ...", user="rating", db="billing")
        return None
    emit(sc, grp, f"{db}.0", lambda t: 1.0 + (4.0 if t >= onset else 0), pgl)

    sc.change(-15000, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db, "backup-automation")
    sc.change(param, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", pgp, "dba-mrossi")
    sc.change(deploy - 20, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "jenkins-billing")
    sc.change(deploy - 6, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, "jenkins-billing")
    sc.change(deploy, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", fn, "jenkins-billing")
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 3,
             "GreaterThanThreshold", "Billing-run rating worker errors")
    sc.alarm(f"{db}-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 2, 80,
             "GreaterThanThreshold")
    sc.expect = {"alarm": f"{fn}-errors", "root_cause": {"category": "config_change", "resource": [db]}}
    sc.meta = dict(
        alarm_on="front (calling Lambda)", services="Lambda (Java 21), RDS PostgreSQL",
        decoys=f"code deploy + alias move of the alarmed `{fn}` 180 s after the parameter change (nearer the "
               "alarm); steady MeterDataMissing errors and tariff-band warnings; an RDS CPU blip hours earlier",
        story=f"The rating run has been going for over an hour when, at -2880 s, a DBA modifies parameter group "
              f"`{pgp}`. Fourteen seconds later the PostgreSQL log shows `parameter \"statement_timeout\" changed "
              "to \"5000\"`, and from then ~36 % of rating batches (the aggregation queries that take 5-9 s) fail "
              f"with `canceling statement due to statement timeout`, both in the worker and in the RDS log. The "
              f"version-42 deploy of `{fn}` arrives three minutes after the first failures and does not change "
              "their rate or text.")
    sc.meta["judgement"] = (f"The changed object is a DB parameter group, not one of the six resource types; the "
                            f"fault originates in the database `{db}` that applies it, so that is the resource. "
                            "The deploy is nearer the alarm, and the tie-break favours config changes anyway.")
    return sc


BUILDERS = [build_15, build_16]
