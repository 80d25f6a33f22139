"""h47-07 (.NET claims-api starves its thread pool after a deploy) and h47-08 (storefront deploy crash-loops,
circuit breaker fails it without rollback, service left at half capacity)."""
from __future__ import annotations

from datetime import datetime

from . import aws, fmt
from .core import (LOG_START, Clock, Rng, Stream, alarm, arrivals, change, diurnal, every, ok_alarm, ramp,
                   scenario)

C = aws.C


# =====================================================================================================
# h47-07
# =====================================================================================================

def build_07():
    rng = Rng(4707)
    region, acct = "eu-west-1", "227461830954"
    clk = Clock(datetime(2026, 3, 18, 10, 50, 0))
    lb, tg = "app/claims-euw1-public/6b8d0f2a4c6e8193", "targetgroup/claims-api-tg/7c9e1a3b5d7f0246"
    tg_web = "targetgroup/claims-web-tg/0d2f4b6a8c1e3579"
    dep, done = -2280, -1920
    img = f"{acct}.dkr.ecr.{region}.amazonaws.com/claims-api"
    share = lambda t: ramp(t, dep + 60, done, 0.0, 1.0)  # noqa: E731
    starv = lambda t: ramp(t, dep + 240, done + 300, 0.0, 1.0)  # noqa: E731  builds with load on the new tasks
    resources = [
        aws.ecs_resource("claims-euw1", "claims-api", launch_type="FARGATE", td="claims-api:131",
                         image=f"{img}:2026.03.18.2-4be91c7", cpu=1024, memory=2048, desired=6,
                         log_group="/ecs/claims-euw1/claims-api", tg=tg, container="claims-api",
                         extra={"runtime": "dotnet8 (ASP.NET Core, Kestrel)", "previous_task_definition": "claims-api:130",
                                "previous_image": f"{img}:2026.03.11.1-a03f5d2",
                                "deployments": [{"task_definition": "claims-api:131", "status": "PRIMARY",
                                                 "rollout_state": "COMPLETED", "desired": 6, "running": 6}]}),
        aws.ecs_resource("claims-euw1", "claims-web", launch_type="FARGATE", td="claims-web:77",
                         image=f"{acct}.dkr.ecr.{region}.amazonaws.com/claims-web:4.2.0", cpu=512, memory=1024, desired=3,
                         log_group="/ecs/claims-euw1/claims-web", tg=tg_web, container="claims-web", port=3000,
                         extra={"runtime": "nodejs20", "feature_flags_parameter": "/claims-web/feature-flags"}),
        {"type": "alb", "id": lb, "properties": {"name": "claims-euw1-public", "scheme": "internet-facing",
                                                 "idle_timeout_seconds": 60,
                                                 "target_groups": [{"name": tg, "registered_by": "ecs service claims-euw1/claims-api"},
                                                                   {"name": tg_web, "registered_by": "ecs service claims-euw1/claims-web"}]}},
        {"type": "rds", "id": "claims-db", "properties": {"engine": "postgres", "engine_version": "16.2",
                                                          "instance_class": "db.r6g.large", "max_connections": 800,
                                                          "allocated_storage_gb": 400}},
    ]
    req = lambda t: 720 * diurnal(t, 0.2, -12000)  # noqa: E731
    rt = lambda t: 0.092 + 7.8 * starv(t)  # noqa: E731
    metrics = []
    metrics += aws.ecs_service(rng, "claims-euw1", "claims-api", cpu=lambda t: 24 * diurnal(t, 0.2, -12000) - 9 * starv(t),
                               mem=lambda t: 41 + 7 * starv(t), running=lambda t: 6 + (6 if dep + 40 <= t < done else 0),
                               desired=C(6), task_cpu=1024, task_mem=2048)
    metrics += aws.ecs_service(rng, "claims-euw1", "claims-web", cpu=C(19.0), mem=C(52.0), running=C(3), desired=C(3),
                               task_cpu=512, task_mem=1024)
    metrics += aws.alb_lb(rng, lb, req=lambda t: req(t) * 1.4, rt=lambda t: rt(t) * 0.75, t5xx=C(0.2),
                          elb5xx=lambda t: 0.05 + 14 * starv(t), elb504=lambda t: 0.02 + 14 * starv(t))
    tgm = aws.alb_tg(rng, lb, tg, req=req, rt=rt, t5xx=C(0.2), healthy=lambda t: 6 + (6 if dep + 100 <= t < done else 0))
    metrics += tgm
    metrics += aws.alb_tg(rng, lb, tg_web, req=lambda t: req(t) * 0.4, rt=C(0.145), t5xx=C(0.05), healthy=C(3))
    metrics += aws.rds(rng, "claims-db", cpu=lambda t: 24 * diurnal(t, 0.2, -12000) - 6 * starv(t), conns=C(96),
                       free_mem=C(6.8e9), free_storage=C(2.9e11))
    rds_cpu = next(m for m in metrics if m["namespace"] == "AWS/RDS" and m["name"] == "CPUUtilization")

    ts = aws.TaskSet(rng, "/ecs/claims-euw1/claims-api", "claims-api", 6, LOG_START)
    old = list(ts.tasks)
    for i, o in enumerate(old):
        tn = dep + 40 + i * 10
        n = ts.start(tn)
        n["stream"].add(tn + 3, fmt.dotnet_json(clk, tn + 3, "Information", "Microsoft.Hosting.Lifetime", 14,
                                                "Now listening on: http://[::]:8080", {"address": "http://[::]:8080"}))
        n["stream"].add(tn + 3.01, fmt.dotnet_json(clk, tn + 3.01, "Information", "Northwind.Claims.Api.Program", 0,
                                                   "claims-api 2026.03.18.2-4be91c7 started (dotnet 8.0.3, ServerGC=True)"))
        ts.stop(o, done - 240 + i * 45)
        o["stream"].add(done - 241 + i * 45, fmt.dotnet_json(clk, done - 241 + i * 45, "Information",
                                                             "Microsoft.Hosting.Lifetime", 0, "Application is shutting down..."))
    new_ids = {k["id"] for k in ts.tasks if k not in old}
    host = "claims-api.euw1.internal"
    for t in arrivals(rng, lambda t: 26 * diurnal(t, 0.2, -12000)):
        k = ts.pick(t)
        s = k["stream"]
        new = k["id"] in new_ids
        st = starv(t) if new else 0.0
        cid = f"CLM-{rng.randint(1000000, 9999999)}"
        route = rng.random()
        if route < 0.35:
            path, meth = f"/api/v1/claims/{cid}/assess", "POST"
        else:
            path, meth = rng.choice([(f"/api/v1/claims/{cid}", "GET"), ("/api/v1/claims", "POST"),
                                     (f"/api/v1/claims/{cid}/documents", "GET")])
        dur = rng.lognormvariate(3.4, 0.5) + st * rng.uniform(3000, 28000)
        code = 200 if dur < 60000 else 499
        s.add(t + dur / 1000, fmt.dotnet_json(clk, t + dur / 1000, "Information", "Microsoft.AspNetCore.Hosting.Diagnostics", 2,
                                              f"Request finished HTTP/1.1 {meth} http://{host}{path} - {code} null "
                                              f"application/json;+charset=utf-8 {dur:.4f}ms"))
    for k in ts.tasks:
        new = k["id"] in new_ids
        t0 = max(LOG_START, k["start"] + 5)
        t1 = k["end"] if k["end"] is not None else -2
        for t in every(t0, t1, 30, jitter=1, rng=rng):
            st = starv(t) if new else 0.0
            thr = int(9 + st * rng.uniform(150, 260)) if st > 0.05 else rng.randint(7, 12)
            q = int(st * rng.uniform(900, 2600)) if st > 0.05 else rng.randint(0, 2)
            comp = int(900 - 850 * st + rng.uniform(-40, 40))
            k["stream"].add(t, fmt.dotnet_json(clk, t, "Information", "Northwind.Claims.Api.Diagnostics.RuntimeStats", 900,
                                               f"runtime threadpool_threads={thr} threadpool_queue_length={q} "
                                               f"threadpool_completed_items_per_sec={comp} gc_heap_mb={rng.randint(380, 460)} "
                                               f"cpu_pct={rng.uniform(9, 16) if st > 0.3 else rng.uniform(18, 30):.1f}"))
            if st > 0.1 and rng.random() < 0.8:
                hb = 1 + st * rng.uniform(1, 9)
                tt = t + rng.uniform(1, 28)
                k["stream"].add(tt, fmt.dotnet_json(
                    clk, tt, "Warning", "Microsoft.AspNetCore.Server.Kestrel", 22,
                    f'As of "{clk.dt(tt).strftime("%m/%d/%Y %H:%M:%S")} +00:00", the heartbeat has been running for '
                    f'"00:00:{hb:010.7f}" which is longer than "00:00:01". This could be caused by thread pool starvation.'))
    for t in arrivals(rng, lambda t: 1.8):
        k = ts.pick(t)
        k["stream"].add(t, fmt.dotnet_json(
            clk, t, "Warning", "Microsoft.EntityFrameworkCore.Query", 20504,
            "Compiling a query which loads related collections for more than one collection navigation, either via "
            "'Include' or through projection, but no 'QuerySplittingBehavior' has been configured. By default, Entity "
            "Framework will use 'QuerySplittingBehavior.SingleQuery', which can potentially result in slow query "
            "performance."))
    web = Stream("/ecs/claims-euw1/claims-web", f"ecs/claims-web/{rng.hexid(32)}")
    for t in every(LOG_START, -5, 60, jitter=2, rng=rng):
        web.add(t, fmt.pino(clk, t, 30, "request stats", "ip-10-8-3-77.eu-west-1.compute.internal",
                            rpm=rng.randint(250, 330), p95Ms=rng.randint(180, 260)))
    web.add(-2985, fmt.pino(clk, -2985, 30, "feature flags reloaded from SSM", "ip-10-8-3-77.eu-west-1.compute.internal",
                            parameter="/claims-web/feature-flags", changed=["newUploadWidget"]))
    alarms = [alarm("claims-api-latency", tgm[1], "Average", 60, 3, 2.0, "GreaterThanThreshold",
                    "claims-api target response time"),
              ok_alarm("claims-db-cpu", rds_cpu, "Average", 300, 3, 80, "GreaterThanThreshold")]
    changes = [change(-3000, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/claims-web/feature-flags",
                      "r.fitzgerald"),
               change(dep - 25, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "claims-api:131",
                      "gitlab-ci-claims"),
               change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "claims-euw1/claims-api",
                      "gitlab-ci-claims")]
    doc = scenario("h47-07-claims-api-threadpool", "Claims submissions hanging for tens of seconds; claims-api latency "
                   "alarm.", region, resources, metrics, ts.streams() + [web], alarms, changes,
                   {"alarm": "claims-api-latency",
                    "root_cause": {"category": "bad_deployment", "resource": ["claims-euw1/claims-api", "claims-api"]},
                    "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime",
                                   "dimensions": {"LoadBalancer": lb, "TargetGroup": tg}}]})
    meta = {"region": region, "alarm": "claims-api-latency", "category": "bad_deployment",
            "resources": ["claims-euw1/claims-api", "claims-api"], "position": "front (target group)",
            "decoys": "SSM feature-flag change for claims-web 50 min before (other service, clean); steady EF Core "
                      "query-splitting warnings; claims-db CPU alarm in OK",
            "story": "claims-api 2026.03.18.2 was rolled out 38 min ago. As its tasks take load, the app's runtime stats "
                     "show thread-pool threads climbing from ~10 to 150-270 with a queue of thousands while completed "
                     "work items collapse and CPU falls; Kestrel logs `heartbeat ... could be caused by thread pool "
                     "starvation` (only in the new tasks' streams). There are no errors from fraud-score or the "
                     "database, and claims-db is quiet, so nothing downstream is failing: the new build blocks thread-pool threads "
                     "(sync-over-async). Latency rises to ~8 s and the ALB returns 504s. Label: bad_deployment of "
                     "claims-api; the claims-web flag change is on another service."}
    return doc, meta


# =====================================================================================================
# h47-08
# =====================================================================================================

NODE_CRASH = ["node:internal/modules/cjs/loader:1147", "  throw err;", "  ^",
              "Error: Cannot find module '/app/dist/server.js'",
              "    at Module._resolveFilename (node:internal/modules/cjs/loader:1144:15)",
              "    at Module._load (node:internal/modules/cjs/loader:985:27)",
              "    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:135:12)",
              "    at node:internal/main/run_main_module:28:49 {", "  code: 'MODULE_NOT_FOUND',", "  requireStack: []",
              "}", "Node.js v20.11.1"]


def build_08():
    rng = Rng(4708)
    region, acct = "us-east-2", "804512367890"
    clk = Clock(datetime(2026, 3, 20, 16, 45, 0))
    lb, tg = "app/web-prod-public/4d6f8a0c2e4b1735", "targetgroup/storefront-tg/e1a3c5b7d9f02468"
    tg_s = "targetgroup/search-api-tg/5b7d9f1a3c5e0246"
    dep = -1500
    img = f"{acct}.dkr.ecr.{region}.amazonaws.com/storefront"
    half = lambda t: t >= dep + 35  # noqa: E731
    resources = [
        aws.ecs_resource("web-prod", "storefront", launch_type="FARGATE", td="storefront:214", image=f"{img}:7f3a9c1",
                         cpu=1024, memory=2048, desired=8, log_group="/ecs/web-prod/storefront", tg=tg,
                         container="storefront", port=3000,
                         extra={"runtime": "nodejs20 (express SSR)", "previous_task_definition": "storefront:213",
                                "previous_image": f"{img}:c41d2e8",
                                "deployment_configuration": {"minimum_healthy_percent": 50, "maximum_percent": 200,
                                                             "deployment_circuit_breaker": {"enable": True, "rollback": False}},
                                "deployments": [{"task_definition": "storefront:214", "status": "PRIMARY",
                                                 "rollout_state": "FAILED",
                                                 "rollout_state_reason": "ECS deployment circuit breaker: tasks failed to start.",
                                                 "desired": 8, "running": 0, "failed_tasks": 11},
                                                {"task_definition": "storefront:213", "status": "ACTIVE",
                                                 "desired": 4, "running": 4}]}),
        aws.ecs_resource("web-prod", "search-api", launch_type="FARGATE", td="search-api:66",
                         image=f"{acct}.dkr.ecr.{region}.amazonaws.com/search-api:1.40.2", cpu=512, memory=1024, desired=3,
                         log_group="/ecs/web-prod/search-api", tg=tg_s, container="search-api",
                         extra={"runtime": "go1.22", "task_role": "search-api-task-role"}),
        {"type": "alb", "id": lb, "properties": {"name": "web-prod-public", "scheme": "internet-facing",
                                                 "target_groups": [{"name": tg, "registered_by": "ecs service web-prod/storefront"},
                                                                   {"name": tg_s, "registered_by": "ecs service web-prod/search-api"}]}},
    ]
    req = lambda t: 3100 * diurnal(t, 0.15, 8000)  # noqa: E731
    running = lambda t: 4 if half(t) else 8  # noqa: E731
    metrics = []
    metrics += aws.ecs_service(rng, "web-prod", "storefront", cpu=lambda t: 34 * diurnal(t, 0.15, 8000) * (1.95 if half(t) else 1),
                               mem=C(49.0), running=running, desired=C(8),
                               pending=lambda t: (rng.choice([0, 2, 3]) if dep + 10 <= t < dep + 130 else 0),
                               task_cpu=1024, task_mem=2048)
    metrics += aws.ecs_service(rng, "web-prod", "search-api", cpu=C(27.0), mem=C(38.0), running=C(3), desired=C(3),
                               task_cpu=512, task_mem=1024)
    metrics += aws.alb_lb(rng, lb, req=lambda t: req(t) * 1.25, rt=lambda t: 0.16 if half(t) else 0.11,
                          t5xx=lambda t: 0.3 + (2.5 if half(t) else 0), elb5xx=C(0.1))
    metrics += aws.alb_tg(rng, lb, tg, req=req, rt=lambda t: 0.19 if half(t) else 0.12,
                          t5xx=lambda t: 0.2 + (2.5 if half(t) else 0), healthy=running)
    metrics += aws.alb_tg(rng, lb, tg_s, req=lambda t: req(t) * 0.25, rt=C(0.041), t5xx=C(0.1), healthy=C(3))
    run_m = next(m for m in metrics if m["name"] == "RunningTaskCount" and m["dimensions"]["ServiceName"] == "storefront")
    cpu_m = next(m for m in metrics if m["name"] == "CPUUtilization" and m["dimensions"].get("ServiceName") == "storefront")

    grp = "/ecs/web-prod/storefront"
    ts = aws.TaskSet(rng, grp, "storefront", 8, LOG_START)
    ev = Stream("/aws/events/ecs", "ecs-events")
    dep_id = f"ecs-svc/{rng.randint(10**18, 9 * 10**18)}"
    svc = dict(region=region, account=acct, cluster="web-prod", service="storefront")
    ev.add(dep + 5, aws.service_event(clk, rng, dep + 5, detail_type="ECS Deployment State Change", event_type="INFO",
                                      event_name="SERVICE_DEPLOYMENT_IN_PROGRESS", deployment_id=dep_id,
                                      reason=f"ECS deployment {dep_id} in progress.", **svc))
    for o in ts.tasks[:4]:
        tt = dep + 30 + rng.uniform(0, 5)
        ts.stop(o, tt)
        o["stream"].add(tt - 0.5, fmt.pino(clk, tt - 0.5, 30, "SIGTERM received, closing server", "ip-10-4-1-9"))
        ev.add(tt + 1, aws.task_state_event(clk, rng, tt + 1, td="storefront:213", task_id=o["id"], container="storefront",
                                            exit_code=0, stop_code="ServiceSchedulerInitiated",
                                            stopped_reason=f"Scaling activity initiated by (deployment {dep_id})", **svc))
    # new tasks: start, crash in <1 s, get replaced with back-off until the circuit breaker trips
    t, n_fail = dep + 20, 0
    while n_fail < 4:
        for _ in range(rng.randint(2, 4)):
            tt = t + rng.uniform(0, 8)
            k = ts.start(tt)
            for j, line in enumerate(NODE_CRASH):
                k["stream"].add(tt + 0.31 + j * 0.0005, line)
            ts.stop(k, tt + 0.4)
            ev.add(tt + 4, aws.task_state_event(clk, rng, tt + 4, td="storefront:214", task_id=k["id"],
                                                container="storefront", exit_code=1, **svc))
            n_fail += 1
        t += rng.uniform(45, 70)
    failed = int(t)
    resources[0]["properties"]["deployments"][0]["failed_tasks"] = n_fail
    ev.add(dep + 75, aws.service_event(clk, rng, dep + 75, detail_type="ECS Service Action", event_type="WARN",
                                        event_name="SERVICE_TASK_START_IMPAIRED", **svc))
    ev.add(failed, aws.service_event(clk, rng, failed, detail_type="ECS Deployment State Change", event_type="ERROR",
                                     event_name="SERVICE_DEPLOYMENT_FAILED", deployment_id=dep_id,
                                     reason="ECS deployment circuit breaker: tasks failed to start.", **svc))
    pages = ["/", "/c/{c}", "/p/{p}", "/cart", "/search?q={q}", "/api/session"]
    for t in arrivals(rng, lambda t: 28 * diurnal(t, 0.15, 8000)):
        k = ts.pick(t)
        if not k or (k["end"] is not None and k["end"] - k["start"] < 5):
            continue
        path = rng.choice(pages).replace("{c}", rng.choice(["shoes", "outdoor", "kitchen", "toys"]))
        path = path.replace("{p}", f"sku-{rng.randint(100000, 999999)}").replace("{q}", rng.choice(["tent", "mug", "lego"]))
        rtm = int(rng.lognormvariate(4.4, 0.45) * (1.6 if half(t) else 1))
        k["stream"].add(t, fmt.pino(clk, t, 30, "request completed", "ip-10-4-1-9", req={"method": "GET", "url": path},
                                    res={"statusCode": 200}, responseTime=rtm))
    for t in arrivals(rng, lambda t: 0.8):
        k = ts.pick(t)
        if k and (k["end"] is None or k["end"] - k["start"] > 5):
            k["stream"].add(t, fmt.pino(clk, t, 40, "recommendations widget timed out, rendering without it", "ip-10-4-1-9",
                                        timeoutMs=250))
    sa = Stream("/ecs/web-prod/search-api", f"ecs/search-api/{rng.hexid(32)}")
    for t in arrivals(rng, lambda t: 12):
        sa.add(t, fmt.logfmt(clk, t, "info", "search", q_len=rng.randint(2, 30), hits=rng.randint(0, 900),
                             took_ms=rng.randint(8, 60)))
    for t in arrivals(rng, lambda t: 3.0):  # loud, old, steady
        sa.add(t, fmt.logfmt(clk, t, "error", "query parse failed", err="unexpected token at position "
                             f"{rng.randint(1, 40)}", q="<redacted>"))
    alarms = [alarm("storefront-running-tasks", run_m, "Average", 60, 5, 6, "LessThanThreshold",
                    "storefront has fewer than 6 running tasks"),
              ok_alarm("storefront-cpu-high", cpu_m, "Average", 300, 3, 85, "GreaterThanThreshold")]
    changes = [change(-7300, "iam.amazonaws.com", "AttachRolePolicy", "AWS::IAM::Role", "search-api-task-role",
                      "k.mensah", region="us-east-1"),
               change(dep - 30, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "storefront:214",
                      "circleci-deployer"),
               change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "web-prod/storefront",
                      "circleci-deployer")]
    doc = scenario("h47-08-storefront-stuck-deploy", "storefront running-task alarm; product pages a little slower "
                   "than usual.", region, resources, metrics, ts.streams() + [ev, sa], alarms, changes,
                   {"alarm": "storefront-running-tasks",
                    "root_cause": {"category": "bad_deployment", "resource": ["web-prod/storefront", "storefront"]},
                    "anomalies": [{"namespace": "ECS/ContainerInsights", "name": "RunningTaskCount",
                                   "dimensions": {"ClusterName": "web-prod", "ServiceName": "storefront"}}]})
    meta = {"region": region, "alarm": "storefront-running-tasks", "category": "bad_deployment",
            "resources": ["web-prod/storefront", "storefront"], "position": "origin (ECS service)",
            "decoys": "IAM policy attached to search-api's task role 2 h earlier; search-api's steady 'query parse failed' "
                      "errors; storefront CPU alarm in OK (the 4 surviving tasks run hotter but below threshold)",
            "story": "CircleCI registered storefront:214 (image 7f3a9c1) and updated the service 25 min ago. The image is "
                     "missing its build output: every new task exits with code 1 within a second (`Error: Cannot find module "
                     "'/app/dist/server.js'`, MODULE_NOT_FOUND, split over several awslogs events). With minimum healthy "
                     "50 % ECS had already stopped four :213 tasks; the circuit breaker failed the deployment after its "
                     "failure threshold of tasks that could not start, and because rollback is disabled the service stays at 4 of 8 running tasks, which "
                     "the RunningTaskCount alarm reports. Label: bad_deployment of storefront."}
    return doc, meta
