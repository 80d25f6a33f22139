"""h71-15 nightly optimiser pins the dispatch DB; h71-16 carrier webhook API integration timeout cut."""
from __future__ import annotations

import math

from .common import Scenario, ramp
from .kit import (GRID, apigw_exec, apigw_metrics, device_id, ecs_metrics, fleet_load, lam_metrics,
                  lambda_logs, rds_metrics, sprinkle, zeros)
from .runtimes import pg


def s15() -> Scenario:
    sc = Scenario(15, "dispatch-eta-latency",
                  "Dispatch API latency alarm overnight; driver apps show spinning ETAs.",
                  "me-central-1", 7115, "2026-03-23T22:31:00")
    api, fn, db = "dispatch-api", "eta-lookup", "dispatch-pg"
    arn = f"arn:aws:lambda:me-central-1:{sc.account}:function:{fn}"
    sc.resource("apigateway", api, api_id="h2v6n0q4ds", stage="prod")
    sc.resource("lambda", fn, runtime="java21", timeout=15, memory_size=1536)
    sc.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.r6g.large",
                max_connections=1600, allocated_storage_gb=500, statement_timeout_ms=5000)
    sc.resource("ecs", "planning/route-opt-nightly", launch_type="FARGATE", runtime="python3.12",
                schedule="cron(0 22 * * ? *)")
    sc.resource("lambda", "geofence-alerts-push", runtime="java21", timeout=30, memory_size=512)
    job, hot0 = -2400, -2340
    hot = lambda t: ramp(t, hot0 - 60, hot0 + 60)

    def load(t):
        return fleet_load(sc, t, 240, amp=0.35, peak=14, batch=0.2, batch_minute=30)

    cnt = sc.series(load, noise=0.04, integer=True)
    dur = sc.series(lambda t: 140 + 4300 * hot(t), noise=0.08)
    e5 = [float(round(c * 0.11 * hot(t) + (1 if sc.rng.random() < 0.03 else 0))) for t, c in zip(GRID, cnt)]
    lam_metrics(sc, fn, cnt, zeros(), dur)
    apigw_metrics(sc, api, cnt, sc.series(lambda t: 2, noise=0.4, integer=True), e5,
                  [round(d + 35, 1) for d in dur], [round(d + 12, 1) for d in dur])
    lam_metrics(sc, "geofence-alerts-push", sc.series(lambda t: 5, noise=0.3, integer=True), zeros(),
                sc.series(lambda t: 350, noise=0.1))
    jb = lambda t: 1.0 if t >= job else 0.0
    rds_metrics(sc, db, sc.series(lambda t: 26 + 73.5 * hot(t), noise=0.01, abs_noise=0.4, cap=100),
                sc.series(lambda t: 74 + 26 * jb(t) + 40 * hot(t), noise=0.04, integer=True),
                sc.series(lambda t: 318, noise=0.0002), sc.series(lambda t: 7.4 - 2.2 * jb(t), noise=0.01),
                sc.series(lambda t: 0.0012 + 0.035 * hot(t), noise=0.1, digits=5),
                sc.series(lambda t: 0.0016 + 0.004 * hot(t), noise=0.1, digits=5),
                extra=[("DBLoadCPU", "None", sc.series(lambda t: 0.6 + 7.5 * hot(t), noise=0.06))])
    ecs_metrics(sc, "planning", "route-opt-nightly",
                [v if t >= job else None for t, v in zip(GRID, sc.series(lambda t: 34, noise=0.08))],
                [v if t >= job else None for t, v in zip(GRID, sc.series(lambda t: 58, noise=0.03))])

    def body(ll, t, rid, is_err, cold):
        veh = device_id(sc, "V")
        lines = []
        r = sc.rng.random()
        if r < 0.06:
            lines.append((0.02, ll.fmt(t, rid, "WARN", f"c.f.eta.TrafficClient - traffic provider "
                                       "rate-limited (HTTP 429); falling back to historical speeds")))
        elif r < 0.12:
            lines.append((0.02, ll.fmt(t, rid, "WARN", f"c.f.eta.Handler - vehicle {veh} has no GPS "
                                       "fix in 900s; using last known position")))
        if hot(t) > 0.5 and sc.rng.random() < 0.11:
            lines.append((5.01, ll.fmt(t + 5.01, rid, "ERROR", "c.f.eta.Handler - ETA lookup failed\n"
                "org.postgresql.util.PSQLException: ERROR: canceling statement due to statement timeout\n"
                "\tat org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)\n"
                "\tat org.postgresql.jdbc.PgPreparedStatement.executeQuery(PgPreparedStatement.java:134)\n"
                "\tat c.f.eta.RouteRepository.remainingLegs(RouteRepository.java:88)")))
            return {"lines": lines, "dur": 5040 + sc.rng.uniform(0, 30)}
        d = sc.rng.uniform(60, 220) * (1 + 30 * hot(t) * sc.rng.uniform(0.5, 1.2))
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO",
                                       f"c.f.eta.Handler - eta vehicle={veh} stops={sc.rng.randint(1, 14)} "
                                       f"took_ms={int(d)}")))
        return {"lines": lines, "dur": d}

    lambda_logs(sc, fn, "java21", 1536, 15, cnt, zeros(), body, k=3)

    def pgl(t):
        if hot(t) > 0.5 and sc.rng.random() < 0.7:
            if sc.rng.random() < 0.5:
                return pg(sc, t, "LOG", f"duration: {sc.rng.uniform(9000, 64000):.3f} ms  statement: "
                          "SELECT o.id, s.geom FROM orders o JOIN road_segments s ON ST_DWithin(s.geom, "
                          "o.drop_point, 250) WHERE o.service_date = $1",
                          client="10.44.9.12(40112)", user="route_opt", db="dispatch")
            return pg(sc, t, "ERROR", "canceling statement due to statement timeout",
                      client="10.44.3.77(51820)", user="eta", db="dispatch")
        return pg(sc, t, "LOG", sc.rng.choice(["checkpoint starting: time",
                  "checkpoint complete: wrote 901 buffers (1.1%)",
                  "automatic analyze of table \"dispatch.public.stops\""]))
    sprinkle(sc, f"/aws/rds/instance/{db}/postgresql", f"{db}.0",
             lambda t: 0.3 + 2.5 * hot(t), pgl)
    sprinkle(sc, "/ecs/route-opt-nightly", f"job/route-opt-nightly/{sc.hexid(32)}",
             lambda t: 0.7 if t >= job else 0.0,
             lambda t: f"{sc.iso(t)} INFO optimiser: stage=candidate_legs depots=22 orders=18402 "
                       f"done={min(99, int((t - job) / 40))}%", t0=job)
    sc.change(job - 4, "ecs.amazonaws.com", "RunTask", "AWS::ECS::Task", "planning/route-opt-nightly",
              "AmazonEventBridgeSchedulerRole")
    sc.change(-2330, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "geofence-alerts-push", "jenkins-alerts")
    sc.alarm("dispatch-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average", 60, 3,
             2000, "GreaterThanThreshold", "Dispatch API average latency")
    sc.alarm("dispatch-pg-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average",
             300, 3, 90, "GreaterThanThreshold")
    sc.expect = {"alarm": "dispatch-api-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "CPUUtilization",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = dict(where="alarm on front (API Gateway); origin RDS two hops behind",
                   decoys="Lambda deploy of another function 70 s after CPU started climbing; "
                          "statement-timeout errors in the caller that look like a dependency "
                          "failure; 'rate-limited (HTTP 429)' fallbacks all day that look like "
                          "throttling",
                   services="API Gateway, Lambda (Java), RDS PostgreSQL, ECS")
    return sc


def s16() -> Scenario:
    sc = Scenario(16, "carrier-hooks-504",
                  "Carrier webhook API returning 5xx; carriers report manifests bouncing.",
                  "ap-southeast-2", 7116, "2026-03-24T01:47:00")
    api, fn = "carrier-hooks", "manifest-sync"
    arn = f"arn:aws:lambda:ap-southeast-2:{sc.account}:function:{fn}"
    sc.resource("apigateway", api, api_id="w8e3j5t1pb", stage="prod", integration="AWS_PROXY",
                integration_timeout_ms=3000)
    sc.resource("lambda", fn, runtime="python3.13", timeout=29, memory_size=1024)
    sc.resource("rds", "consignments-pg", engine="postgres", instance_class="db.r6g.large",
                max_connections=1600, allocated_storage_gb=250)
    cut, dep = -2460, -2420

    def load(t):
        return fleet_load(sc, t, 300, amp=0.2, peak=1, batch=1.2, batch_minute=0)

    cnt = sc.series(load, noise=0.03, integer=True)
    med, sig = 1600.0, 0.55
    slow = 0.5 * math.erfc(math.log(3000 / med) / (sig * math.sqrt(2)))
    dur = sc.series(lambda t: med * math.exp(sig * sig / 2), noise=0.05)
    on = lambda t: 1.0 if t >= dep + 5 else 0.0
    e5 = [float(round(c * slow * on(t) * sc.rng.uniform(0.85, 1.15) + (sc.rng.random() < 0.02)))
          for t, c in zip(GRID, cnt)]
    lat = [round(d * (1 - 0.22 * on(t)) + 25, 1) for t, d in zip(GRID, dur)]
    apigw_metrics(sc, api, cnt, sc.series(lambda t: 4, noise=0.3, integer=True), e5, lat,
                  [round(v - 12, 1) for v in lat])
    lam_metrics(sc, fn, cnt, sc.series(lambda t: 0.2, noise=0.5, integer=True), dur)
    rds_metrics(sc, "consignments-pg", sc.series(lambda t: 21 + 6 * load(t) / 300, noise=0.06),
                sc.series(lambda t: 57, noise=0.04, integer=True), sc.series(lambda t: 171, noise=0.0002),
                sc.series(lambda t: 8.8, noise=0.01), sc.series(lambda t: 0.0013, noise=0.1, digits=5),
                sc.series(lambda t: 0.0021, noise=0.1, digits=5))

    def body(ll, t, rid, is_err, cold):
        carrier = sc.rng.choice(["TOLL-AU", "STARTRACK", "DHL-AU", "COURIERS-PLEASE"])
        d = sc.rng.lognormvariate(math.log(med), sig)
        lines = [(0.003, ll.fmt(t, rid, "INFO", f"manifest received carrier={carrier} "
                                f"consignments={sc.rng.randint(5, 900)}"))]
        r = sc.rng.random()
        if r < 0.08:
            lines.append((0.2, ll.fmt(t + 0.2, rid, "WARNING", f"carrier {carrier} sent manifest with "
                                      f"{sc.rng.randint(2, 9)} duplicate consignment ids")))
        elif r < 0.13:
            lines.append((0.3, ll.fmt(t + 0.3, rid, "ERROR", f"consignment {carrier[:2]}{sc.rng.randint(10 ** 7, 10 ** 8)} "
                                      "rejected: postcode '0000' invalid")))
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"manifest stored carrier={carrier} "
                                       f"elapsed_ms={int(d)}")))
        return {"lines": lines, "dur": d}

    lambda_logs(sc, fn, "python3.13", 1024, 29, cnt, zeros(), body, k=3, retire=(-2440,))
    group, stream = "API-Gateway-Execution-Logs_w8e3j5t1pb/prod", sc.hexid(32)

    def ex(t):
        il = int(sc.rng.lognormvariate(math.log(med), sig))
        if t >= dep + 5 and il > 3000:
            rows = apigw_exec(sc, t, "POST", "/v1/manifests/{carrier}", arn, 504, 3000,
                              ("Execution failed due to a timeout error",))
        else:
            rows = apigw_exec(sc, t, "POST", "/v1/manifests/{carrier}", arn, 200, il)
        for tt, txt in rows:
            sc.log(group, stream, tt, txt)
    sprinkle(sc, group, stream, lambda t: 1.5, ex)
    sc.change(cut, "apigateway.amazonaws.com", "UpdateIntegration", "AWS::ApiGateway::Method",
              f"{api}/POST /v1/manifests/{{carrier}}", "a.nguyen")
    sc.change(-2440, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, "bitbucket-pipelines")
    sc.change(dep, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment",
              f"{api}/prod", "a.nguyen")
    sc.change(-15800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, "bitbucket-pipelines")
    sc.alarm("carrier-hooks-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 30,
             "GreaterThanThreshold", "Carrier webhook API 5xx")
    sc.alarm("manifest-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "carrier-hooks-5xx",
                 "root_cause": {"category": "config_change", "resource": [api]}}
    sc.meta = dict(where="alarm on origin (API Gateway); the Lambda behind it is healthy",
                   decoys="code deploy of the backend Lambda 20 s after the integration edit and 20 s "
                          "before the stage deployment; API 'CreateDeployment' invites "
                          "bad_deployment; Lambda Errors alarm OK; duplicate/postcode errors all day",
                   services="API Gateway, Lambda (Python), RDS")
    return sc
