"""h80-03 (eligibility function pinned at its reserved concurrency in the clinic check-in wave) and
h80-04 (FHIR server rollout on ECS breaks Encounter reads behind the ALB)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import LambdaLogs, spring

from .kit import (GRID, LOG_START, alb_id, alb_metrics, apigw_exec, apigw_metrics, bump, derive, ecs_metrics,
                  emit, expect, lam_metrics, meta, new, pick, ramp, rds_metrics)

PAYERS = ["BUPA", "MEDIBANK", "HCF", "NIB", "AHM", "DVA"]


def build_03():
    sc = new(3, "checkin-eligibility-throttles", "Front-desk check-in eligibility lookups failing at "
             "clinic opening; Lambda throttles alarm.", "ap-southeast-2", "2026-03-09T21:25:00+00:00")
    t0 = -2100
    fn, api, other = "elig-check", "frontdesk-api", "consent-audit-writer"
    reserved = 5
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=29, memory_size=512, reserved_concurrency=reserved)
    sc.resource("lambda", other, runtime="nodejs20.x", timeout=10, memory_size=256)
    sc.resource("apigateway", api, stage="prod", integration=f"lambda:{fn}")

    def demand(t):  # eligibility requests per minute: overnight trickle, clinics open from ~07:30 local
        return 4 + 34 * ramp(t, t0 - 1500, t0 + 300)

    dur = 12000.0  # the clearinghouse 270/271 round trip, unchanged all night
    served, thr = [], []
    for t in GRID:
        want = max(0, round(demand(t) * sc.rng.uniform(0.85, 1.15)))
        cap = int(reserved * 60000 / dur * sc.rng.uniform(0.92, 1.0))
        served.append(float(min(want, cap)))
        thr.append(float(max(0, want - cap)))
    lam = lam_metrics(sc, fn, served, dur=lambda t: dur, thr=thr, conc_cap=reserved)
    e4 = derive(sc, lam["inv"], lambda t: 0.03)
    count = [a + b for a, b in zip(lam["inv"], thr)]
    apigw_metrics(sc, api, count, e4, [int(x) for x in thr], lambda t: dur + 60)
    lam_metrics(sc, other, lambda t: 6.0, dur=lambda t: 41.0)
    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 29, mem_used=(141, 9))

    def body(ll, t, r, is_err, cold):
        payer = pick(sc, PAYERS)
        mem = f"{sc.rng.randint(10**8, 10**9)}"
        d = sc.rng.gauss(dur, 1400)
        if sc.rng.random() < 0.09:
            return {"lines": [(0.02, ll.fmt(t, r, "INFO", f"270 sent to clearinghouse payer={payer} member=***{mem[-4:]}")),
                              (d / 1000 - 0.01, ll.fmt(t, r, "WARN", f"271 AAA*Y**42*C rejected by payer={payer} "
                               "(Unable to Respond at Current Time); returning status=unknown to front desk"))],
                    "dur": d}
        return {"lines": [(0.02, ll.fmt(t, r, "INFO", f"270 sent to clearinghouse payer={payer} member=***{mem[-4:]}")),
                          (d / 1000 - 0.01, ll.fmt(t, r, "INFO", f"271 received payer={payer} coverage=active "
                           f"plan={sc.rng.randint(100, 999)} elapsed_ms={int(d)}"))], "dur": d}

    ll.run({m: n for m, n in zip(GRID, lam["inv"]) if m >= LOG_START}, {}, body)
    onset = min(t for t, x in zip(GRID, thr) if x > 0)
    lo = LambdaLogs(sc, other, "nodejs20.x", 256, 10, retire=[onset - 200])
    inv_o = sc.value_at("AWS/Lambda", "Invocations", {"FunctionName": other})
    lo.run({m: int(n) for m, n in inv_o.items() if m >= -7200}, {}, lambda ll, t, r, e, c: {
        "lines": [(0.01, ll.fmt(t, r, "INFO", f"audit event consent.viewed written seq={sc.rng.randint(10**6, 10**7)}"))],
        "dur": sc.rng.gauss(41, 6)})
    g, s = "API-Gateway-Execution-Logs_q81zt5mw2e/prod", "q81zt5mw2e-prod-7c"
    for m, n in zip(GRID, thr):
        for _ in range(int(n) if m >= LOG_START else 0):
            t, rid = m + sc.rng.uniform(0, 60), sc.uuid()
            sc.log(g, s, t, apigw_exec(rid, f"Lambda invocation failed with status: 429. Lambda request id: {sc.uuid()}"))
            sc.log(g, s, t + 0.001, apigw_exec(rid, "Execution failed due to configuration error: Rate Exceeded."))
            sc.log(g, s, t + 0.002, apigw_exec(rid, "Method completed with status: 500"))
    sc.change(-18400, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function", fn,
              "platform-tf")
    sc.change(-11900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "gh-actions-elig")
    sc.change(onset - 200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other,
              "gh-actions-audit")
    sc.alarm("elig-check-throttled", "AWS/Lambda", "Throttles", {"FunctionName": fn}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Eligibility lookups rejected by Lambda")
    sc.alarm("frontdesk-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 15,
             "GreaterThanThreshold", "Front desk API server errors")
    expect(sc, "elig-check-throttled", "throttling", [fn],
           [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": {"FunctionName": fn}}])
    meta(sc, "origin (Lambda Throttles; the API 5XX alarm is the front)",
         "code deploy to another function 3 min before onset; payer 'AAA 42' WARNs at 9 % all night; "
         "same function's code deploy 2.6 h earlier; reserved concurrency set 4.4 h earlier",
         "At clinic opening (07:30 AEDT) eligibility requests rise from ~4 to ~38 a minute. Each lookup waits "
         "~12 s on the clearinghouse, as it did all night (Duration flat), so demand needs ~7-8 concurrent "
         "executions against a reserved concurrency of 5 set 4.4 hours earlier; ConcurrentExecutions "
         "flat-tops at 5, Throttles climbs to ~15 a minute and the API's execution log shows `Lambda "
         "invocation failed with status: 429` / `Rate Exceeded` for exactly those requests. No new error "
         "signature appears in the function's own log. The code deploy 3 minutes before onset is to the "
         "consent-audit function (flat, healthy); the payer `AAA*42` rejections are the usual overnight rate.",
         judgement="03: demand rises ~9x at clinic opening, which a reader could call a surge; but the "
                   "morning rise is the daily pattern the service exists for, nothing else is faulty, and "
                   "the decisive fault is the concurrency ceiling (ConcurrentExecutions pinned at the reserved "
                   "5, Throttles, 429s) -> throttling on the function. The reserved-concurrency change was "
                   "4.4 hours before onset and ran without throttles at overnight volume, so it is not a config_change trigger.",
         services="Lambda nodejs20.x (plain), API Gateway")
    return sc


def build_04():
    sc = new(4, "encounter-read-500s", "Clinician app seeing 500s opening encounters; ALB target 5XX alarm.",
             "us-west-2", "2026-01-28T17:40:00+00:00")
    t0 = -1500
    cluster, svc = "clinical", "fhir-server"
    lb = alb_id(sc, "clin-api")
    db, rpt = "fhir-store-pg", "rpt-pg-2"
    sc.resource("ecs", f"{cluster}/{svc}", cluster=cluster, service=svc, launch_type="FARGATE",
                task_definition=f"{svc}:87", desired_count=4, cpu=2048, memory=4096, runtime="Java 21 / Spring Boot 3.2 / HAPI FHIR 7.2",
                log_group=f"/ecs/{svc}")
    sc.resource("alb", lb, name="clin-api", target_group=f"tg-{svc}", targets=f"ECS service {cluster}/{svc}")
    sc.resource("rds", db, engine="postgres", instance_class="db.r6g.xlarge", max_connections=800, allocated_storage_gb=1000)
    sc.resource("rds", rpt, engine="postgres", instance_class="db.m6g.large", max_connections=400, allocated_storage_gb=500)
    dep = t0 - 150

    def run(t):
        return 8 if dep + 60 <= t < t0 + 240 else 4

    req = sc.series(lambda t: 420 + 120 * ramp(t, -21600, -3000), integer=True)
    alb_metrics(sc, lb, req, t5_frac=lambda t: 0.0015 + 0.24 * ramp(t, t0, t0 + 180),
                t4_frac=lambda t: 0.012, rt=lambda t: 0.14, healthy=run)
    ecs_metrics(sc, cluster, svc, cpu=lambda t: 34 + 9 * bump(t, dep + 60, t0 + 240, 1.0, 60),
                mem=lambda t: 58 + 4 * bump(t, dep + 60, t0 + 240, 1.0, 60), running=run)
    rds_metrics(sc, db, cpu=lambda t: 28.0, conns=lambda t: 160 + 40 * bump(t, dep + 60, t0 + 240, 1.0, 60))
    rds_metrics(sc, rpt, cpu=lambda t: 12 + 30 * bump(t, -6400, -5500, 1.0), conns=lambda t: 22.0)
    grp = f"/ecs/{svc}"
    old = [f"{svc}/api/{sc.hexid(32)}" for _ in range(4)]
    new_ = [f"{svc}/api/{sc.hexid(32)}" for _ in range(4)]
    app = "fhir-server"

    def streams(t):
        return old if t < t0 else (old + new_ if t < t0 + 180 else new_)

    def request(t):
        st = pick(sc, streams(t))
        th = f"http-nio-8080-exec-{sc.rng.randint(1, 40)}"
        res = pick(sc, ["Encounter", "Encounter", "Observation", "Patient", "Condition", "MedicationRequest"])
        broken = t >= t0 and st in new_ and res == "Encounter" and sc.rng.random() < 0.75
        if broken:
            sc.log(grp, st, t, spring(sc, t, "ERROR", th, "c.u.f.j.r.s.i.ExceptionHandlingInterceptor",
                   "HAPI-0389: Failed to call access method: java.lang.NullPointerException: Cannot invoke "
                   "\"org.hl7.fhir.r4.model.Reference.getReference()\" because the return value of "
                   "\"org.hl7.fhir.r4.model.Encounter.getServiceProvider()\" is null\n\tat org.healthnet.fhir."
                   "encounter.EncounterProjection.toSummary(EncounterProjection.java:73)\n\tat org.healthnet.fhir."
                   "encounter.EncounterResourceProvider.read(EncounterResourceProvider.java:58)", app))
            return
        sc.log(grp, st, t, spring(sc, t, "INFO", th, "o.h.fhir.audit.RequestLogger",
               f"GET /fhir/{res}/{sc.rng.randint(10**5, 10**7)} 200 {sc.rng.randint(12, 180)}ms", app))

    emit(sc, lambda t: 4.0, request)
    emit(sc, lambda t: 0.6, lambda t: sc.log(grp, pick(sc, streams(t)), t, spring(
        sc, t, "WARN", f"http-nio-8080-exec-{sc.rng.randint(1, 40)}", "c.u.f.r.s.RestfulServer",
        "HAPI-1821: Unknown search parameter \"patient.identifier:of-type\" for resource type \"Observation\". "
        "Returning 400", app)))
    emit(sc, lambda t: 0.35, lambda t: sc.log(grp, pick(sc, streams(t)), t, spring(
        sc, t, "ERROR", f"http-nio-8080-exec-{sc.rng.randint(1, 40)}", "o.s.s.o.s.r.w.BearerTokenAuthenticationFilter",
        "Authentication failed: An error occurred while attempting to decode the Jwt: Jwt expired at "
        f"{sc.iso(t - sc.rng.randint(60, 900), 0)}", app)))
    for st in old:
        t = t0 + 180 + sc.rng.uniform(0, 60)
        sc.log(grp, st, t, spring(sc, t, "INFO", "SpringApplicationShutdownHook", "o.s.b.w.e.tomcat.GracefulShutdown",
               "Commencing graceful shutdown. Waiting for active requests to complete", app))
    for st in new_:
        t = dep + 75 + sc.rng.uniform(0, 60)
        for i, msg in enumerate(["Starting FhirServerApplication v2.41.0 using Java 21.0.3 with PID 1",
                                 "HAPI FHIR version 7.2.0 - Rev 3d1b7a24a4",
                                 "Tomcat started on port 8080 (http) with context path '/'",
                                 f"Started FhirServerApplication in {sc.rng.uniform(24, 38):.3f} seconds"]):
            sc.log(grp, st, t + i * 8, spring(sc, t + i * 8, "INFO", "main", "o.h.fhir.FhirServerApplication", msg, app))
    for st in old:
        t = -14400 + sc.rng.uniform(0, 30)
        sc.log(grp, st, t, spring(sc, t, "INFO", "scheduling-1", "o.h.fhir.ops.BuildInfo",
               "build version=2.40.3 commit=9c02e1b", app))
    sc.change(dep - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{svc}:88",
              "codepipeline-fhir")
    sc.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}", "codepipeline-fhir")
    sc.change(t0 - 90, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "rpt-pg15-params",
              "dba.lnguyen")
    sc.change(-15000, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", db, "dba.lnguyen")
    sc.alarm("clin-api-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 25, "GreaterThanThreshold", "Clinical API 5xx from targets")
    sc.alarm("rpt-pg-2-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": rpt}, "Average", 300, 2, 35,
             "GreaterThanThreshold")
    expect(sc, "clin-api-target-5xx", "bad_deployment", [f"{cluster}/{svc}", svc],
           [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": lb}}])
    meta(sc, "front (ALB → ECS service)",
         "parameter-group change on the reporting DB 90 s before onset; JWT-expired ERRORs and HAPI-1821 400 WARNs "
         "all afternoon; reporting-DB CPU alarm earlier; storage DB modified 3.75 h earlier",
         "The clinical API's target 5XX alarm fires as ~20 % of requests fail. The ECS service was rolled from "
         "task definition :87 to :88 by the pipeline 2.5 minutes before the first new task took traffic (running tasks 4 -> 8 -> 4, new "
         "tasks report v2.41.0 where the old ones reported 2.40.3). From the moment the new tasks take traffic, "
         "their log carries a signature never seen before: `HAPI-0389 ... NullPointerException ... "
         "Encounter.getServiceProvider() is null` from EncounterProjection.toSummary, i.e. Encounter reads "
         "without a service provider crash in new code. The FHIR store DB is flat. The parameter-group change "
         "90 s before onset belongs to the reporting database; the JWT-expired ERRORs and HAPI-1821 WARNs run "
         "at the same rate all afternoon on old and new tasks alike.",
         judgement="04: the DB parameter-group change is closer to onset than the deploy and is a configuration "
                   "change, but it is on another database that the failing service does not use, and the new "
                   "NullPointerException names new code; so the tie-break 'config beats deployment' does not "
                   "apply (the config change does not fit the evidence).",
         services="ECS Fargate Java/Spring Boot (Spring log), ALB, RDS PostgreSQL x2")
    return sc


BUILDERS = [build_03, build_04]
