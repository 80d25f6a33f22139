"""Cases whose fault originates in an ECS service (07-09)."""
from __future__ import annotations

import json

import numpy as np

from .core import Case
from .families import Call, alb_metrics, arrivals, ecs_metrics, lambda_metrics, per_minute, rds_metrics, simulate
from .logfmt import LambdaLogs, TaskLogs, aspnet_json, node_line, pg_line, pino, ruby_line, spring_line

GB = 1024 ** 3
ACCT = "123456789012"


def _ecs_deploy(c: Case, t: float, cluster: str, service: str, user: str) -> None:
    c.change(t, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", service, user)
    c.change(t + 12, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{service}", user)


def _task_event(c: Case, t: float, region: str, cluster: str, service: str, tid: str, status: str, rev: int,
                reason: str | None = None, exit_code: int | None = None, container_reason: str | None = None) -> str:
    cont = {"name": service, "lastStatus": status}
    if exit_code is not None:
        cont["exitCode"] = exit_code
    if container_reason:
        cont["reason"] = container_reason
    detail = {"clusterArn": f"arn:aws:ecs:{region}:{ACCT}:cluster/{cluster}", "group": f"service:{service}",
              "lastStatus": status, "desiredStatus": status if status == "RUNNING" else "STOPPED",
              "taskArn": f"arn:aws:ecs:{region}:{ACCT}:task/{cluster}/{tid}",
              "taskDefinitionArn": f"arn:aws:ecs:{region}:{ACCT}:task-definition/{service}:{rev}",
              "containers": [cont], "launchType": "FARGATE"}
    if reason:
        detail["stopCode"] = "EssentialContainerExited" if exit_code else "ServiceSchedulerInitiated"
        detail["stoppedReason"] = reason
    ev = {"version": "0", "id": c.uuid(), "detail-type": "ECS Task State Change", "source": "aws.ecs",
          "account": ACCT, "time": c.iso(t, 0), "region": region, "detail": detail}
    return json.dumps(ev, separators=(",", ":"))


# ---------------------------------------------------------------- 07
def case07() -> Case:
    region = "eu-west-2"
    c = Case(7, "scoring-engine-memory", region, 1707, "2026-03-16T10:05:00",
             "scoring-engine memory alarm; underwriting UI shows intermittent 'scoring unavailable'.")
    lb = "app/risk-internal-alb/0b6e2f4a9c1d7358"
    c.resource("ecs", "risk/scoring-engine", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=4,
               java_opts="-XX:MaxRAMPercentage=80 -Xlog:gc")
    c.resource("ecs", "risk/case-portal", launch_type="FARGATE", cpu=512, memory=1024, desired_count=2)
    c.resource("alb", lb, name="risk-internal-alb", scheme="internal", target_groups=["scoring-engine-tg", "case-portal-tg"])
    onset = -2100
    _ecs_deploy(c, -2412, "risk", "case-portal", "gha-risk-deploy")
    n = len(c.t)
    tl = TaskLogs(c, "/ecs/scoring-engine", "scoring", "scoring-engine")
    ev: list[tuple[float, str]] = []
    # four task slots: memory per task, OOM kill at the limit, replacement starts ~70 s later
    mem_max, cpu_avg, running, kills = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
    slots = []
    for s in range(4):
        tid = tl.task(-60000)
        slots.append({"tid": tid, "m": 57.0 + c.rng.normal(0, 2), "down_until": None, "rate": c.rng.uniform(2.6, 5.6),
                      "lag": float(s * 150 + c.rng.uniform(0, 120))})
    for i, t in enumerate(c.t):
        vals, cpus, live = [], [], 0
        for sl in slots:
            if sl["down_until"] is not None:
                if t < sl["down_until"]:
                    continue
                sl["tid"] = tl.task(sl["down_until"] - 5)
                sl["m"] = 38.0 + c.rng.normal(0, 2)
                sl["rate"] = c.rng.uniform(2.6, 5.6)
                st = sl["down_until"] - 5
                for j, (lvl, th, lg, msg) in enumerate([
                        ("INFO", "main", "c.n.r.ScoringEngineApplication",
                         "Starting ScoringEngineApplication v3.14.2 using Java 21.0.2 with PID 1"),
                        ("INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat started on port 8080 (http) with context path ''"),
                        ("INFO", "main", "c.n.r.ScoringEngineApplication",
                         f"Started ScoringEngineApplication in {c.rng.uniform(10, 13):.3f} seconds (process running for {c.rng.uniform(13, 14):.2f})")]):
                    tl.add(sl["tid"], st + 2 + j * 5, spring_line(c, st + 2 + j * 5, lvl, th, lg, msg))
                ev.append((st, _task_event(c, st, region, "risk", "scoring-engine", sl["tid"], "RUNNING", 41)))
                sl["down_until"] = None
            live += 1
            if t >= onset + sl["lag"]:
                sl["m"] += sl["rate"] * c.rng.uniform(0.7, 1.3)
            else:
                sl["m"] = 57 + 4 * np.sin(t / 900 + sl["lag"]) + c.rng.normal(0, 1.2)
            if sl["m"] >= 99.3:
                kt = t + float(c.rng.uniform(5, 55))
                vals.append(min(sl["m"], 100.0))
                tid = sl["tid"]
                tl.add(tid, kt - 9, spring_line(c, kt - 9, "INFO", "gc", "gc",
                       f"[gc] GC({int(c.rng.integers(4000, 9000))}) Pause Full (G1 Compaction Pause) 1622M->1619M(1638M) {c.rng.uniform(2100, 3300):.3f}ms"))
                tl.add(tid, kt - 2, f'Exception in thread "scoring-worker-{int(c.rng.integers(1, 9))}" java.lang.OutOfMemoryError: Java heap space'
                       "\n\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)\n\tat java.base/java.util.ArrayList.grow(ArrayList.java:237)"
                       "\n\tat com.northwind.risk.features.FeatureCache.loadTenantHistory(FeatureCache.java:142)"
                       "\n\tat com.northwind.risk.scoring.BulkRescoreWorker.run(BulkRescoreWorker.java:77)")
                tl.stop(tid, kt)
                ev.append((kt + 3, _task_event(c, kt + 3, region, "risk", "scoring-engine", tid, "STOPPED", 41,
                           "Essential container in task exited", 137, "OutOfMemoryError: Container killed due to memory usage")))
                sl["down_until"] = kt + float(c.rng.uniform(60, 85))
                kills[i] += 1
                continue
            vals.append(min(sl["m"], 100.0))
            cpus.append(34 + 30 * (sl["m"] > 85) + c.rng.normal(0, 3) if t >= onset else 31 + c.rng.normal(0, 3))
        mem_max[i] = max(vals) + c.rng.normal(0, 0.3)
        cpu_avg[i] = np.mean(cpus) if cpus else 0
        running[i] = live
    ecs_metrics(c, "risk", "scoring-engine", cpu_avg, mem_max, running)
    ecs_metrics(c, "risk", "case-portal", 12 + c.rng.normal(0, 1.5, n), 41 + c.rng.normal(0, 0.8, n), np.full(n, 2.0))
    req = c.diurnal(1800, 0.3, 10.5) * (1 + 0.03 * c.walk(n, 1))
    after = c.t >= onset
    trt = 0.048 + c.rng.normal(0, 0.004, n) + after * c.rng.uniform(0.15, 0.45, n)
    alb_metrics(c, lb, req, trt, c.poisson(0.3 + kills * 22 + after * 3), c.poisson(0.05 + kills * 9),
                np.maximum(running + 2, 2), np.zeros(n))

    tenants = ["northwind-bank", "harbor-credit", "pinecrest-fs", "lumen-lending"]
    for t, i in arrivals(c, req / 120):
        tl.any(t, lambda tid: spring_line(c, t, "INFO", f"nio-8080-exec-{int(c.rng.integers(1, 40))}", "c.n.r.web.ScoreController",
               f"Scored application app_{c.hex(8)} tenant={c.pick(tenants)} score={c.rng.uniform(0.05, 0.97):.2f} in "
               f"{int(trt[i] * 1000 * c.rng.uniform(0.5, 1.6))} ms"))
    for t, i in arrivals(c, np.full(n, 0.16)):
        tl.any(t, lambda tid: spring_line(c, t, "INFO", "gc", "gc", f"[gc] GC({int(c.rng.integers(300, 4000))}) Pause Young (Normal) "
               f"(G1 Evacuation Pause) {int(c.rng.integers(700, 900))}M->{int(c.rng.integers(300, 420))}M(1638M) {c.rng.uniform(8, 25):.3f}ms"))
    for t, i in arrivals(c, np.full(n, 0.035)):
        tl.any(t, lambda tid: spring_line(c, t, "WARN", "l-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool",
               f"HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta={int(c.rng.integers(61, 75))}s)."))
    tl.any(onset + 2, lambda tid: spring_line(c, onset + 2, "INFO", "nio-8080-exec-3", "c.n.r.bulk.BulkRescoreController",
           "Accepted bulk rescore job job_7731 tenant=northwind-bank applications=1184220 (model risk-v9)"))
    for t, i in arrivals(c, np.where(after, 0.6, 0.0), start=onset + 60):
        tl.any(t, lambda tid: spring_line(c, t, "WARN", f"scoring-worker-{int(c.rng.integers(1, 9))}",
               "c.n.r.features.FeatureCache", f"Tenant history cache at {int(c.rng.integers(600, 1900))}k entries "
               f"(tenant=northwind-bank), heap used {int(c.rng.integers(1100, 1630))}M/1638M"))
        tl.any(t + 0.5, lambda tid: spring_line(c, t + 0.5, "INFO", "gc", "gc",
               f"[gc] GC({int(c.rng.integers(4000, 9000))}) Pause Young (Concurrent Start) (G1 Humongous Allocation) "
               f"{int(c.rng.integers(1400, 1630))}M->{int(c.rng.integers(1300, 1600))}M(1638M) {c.rng.uniform(40, 190):.3f}ms"))
    tl.flush()
    for k, t in enumerate([-2330.0, -2290.0]):
        ev.append((t, _task_event(c, t, region, "risk", "case-portal", c.hex(32), "RUNNING", 17)))
        ev.append((t + 50, _task_event(c, t + 50, region, "risk", "case-portal", c.hex(32), "STOPPED", 16,
                   "Scaling activity initiated by (deployment ecs-svc/4471920573210837001)")))
    c.log("/aws/events/ecs-task-state-change", c.hex(32), ev)
    cp = TaskLogs(c, "/ecs/case-portal", "portal", "case-portal")
    cp.task(-60000, -2240)
    cp.task(-60000, -2280)
    cp.task(-2335)
    cp.task(-2295)
    for t, i in arrivals(c, np.full(n, 1.2)):
        cp.any(t, lambda tid: pino(c, t, 30, "request completed", f"ip-10-2-{int(c.rng.integers(1, 4))}-{int(c.rng.integers(2, 250))}",
               req={"method": "GET", "url": f"/cases/{c.hex(6)}"}, res={"statusCode": 200},
               responseTime=int(c.rng.integers(8, 60))))
    cp.flush()
    c.alarm("scoring-engine-memory-high", "AWS/ECS", "MemoryUtilization",
            {"ClusterName": "risk", "ServiceName": "scoring-engine"}, "Maximum", 300, 2, 90,
            description="scoring-engine task memory above 90%", want="ALARM")
    c.alarm("risk-internal-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum",
            300, 2, 200, want="OK")
    c.alarm("case-portal-cpu", "AWS/ECS", "CPUUtilization", {"ClusterName": "risk", "ServiceName": "case-portal"},
            "Average", 300, 3, 80, want="OK")
    c.set_expect("scoring-engine-memory-high", "memory_exhaustion", ["risk/scoring-engine", "scoring-engine"],
                 [("AWS/ECS", "MemoryUtilization", {"ClusterName": "risk", "ServiceName": "scoring-engine"})])
    c.meta = dict(front="origin (the service's memory alarm)", decoys=(
        "case-portal deploy in the same cluster 5 min before onset (its task events share the event log); "
        "long-standing HikariPool clock-leap warnings"), story=(
        "A bulk rescore job for one tenant (1.18 M applications) lands at onset; FeatureCache grows without bound, "
        "G1 runs back-to-back full GCs, the JVM throws `OutOfMemoryError: Java heap space`, and ECS stops tasks with "
        "exit code 137 `OutOfMemoryError: Container killed due to memory usage`. MemoryUtilization saw-tooths at "
        "the limit, RunningTaskCount dips as tasks are replaced. No change touched scoring-engine; the case-portal "
        "deploy replaced two tasks of another service cleanly."))
    return c


# ---------------------------------------------------------------- 08
def case08() -> Case:
    c = Case(8, "storefront-5xx", "us-east-2", 1708, "2026-03-20T19:40:00",
             "storefront-alb 5XX alarm; support tickets about order pages showing 'We're sorry, but something went wrong'.")
    lb, db = "app/storefront-alb/9d2c4e6f8a0b1357", "storefront-db"
    c.resource("alb", lb, name="storefront-alb", scheme="internet-facing", target_groups=["storefront-web-tg"])
    c.resource("ecs", "storefront/storefront-web", launch_type="FARGATE", desired_count=5, runtime="ruby 3.3 / rails 7.1 / puma")
    c.resource("ecs", "storefront/sidekiq", launch_type="FARGATE", desired_count=2)
    c.resource("rds", db, engine="postgres", engine_version="16.1", instance_class="db.r6g.large",
               max_connections=800, allocated_storage_gb=400)
    c.resource("lambda", "newsletter-sender", runtime="nodejs20.x", timeout=300, memory_size=512)
    onset = -2580
    c.change(-3045, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "newsletter-sender", "marketing-ops")
    n = len(c.t)
    after = c.t >= onset
    req = c.diurnal(2400, 0.3, 20) * (1 + 0.03 * c.walk(n, 1))
    bad = c.poisson(np.where(after, req * 0.0062, 0.0))
    alb_metrics(c, lb, req, 0.11 + c.rng.normal(0, 0.01, n), bad + c.poisson(0.12), c.poisson(0.08), np.full(n, 5.0),
                np.zeros(n), t4xx=c.poisson(req * 0.011))
    ecs_metrics(c, "storefront", "storefront-web", 38 * req / req.mean() + c.rng.normal(0, 2, n), 61 + c.rng.normal(0, 1, n),
                np.full(n, 5.0))
    ecs_metrics(c, "storefront", "sidekiq", 14 + c.rng.normal(0, 2, n), 48 + c.rng.normal(0, 1, n), np.full(n, 2.0))
    rds_metrics(c, db, 31 * req / req.mean() + c.rng.normal(0, 2, n), 118 + c.rng.normal(0, 4, n),
                np.full(n, 281 * GB) - np.arange(n) * 1.5e6, np.full(n, 7.1 * GB) + c.rng.normal(0, 5e7, n),
                np.abs(c.rng.normal(0.0007, 0.0001, n)), np.abs(c.rng.normal(0.0013, 0.0002, n)))
    nl = [Call(t, float(c.rng.uniform(600, 1400))) for t in np.arange(-21600 + 30.0, -1, 600)]
    lambda_metrics(c, "newsletter-sender", per_minute(c, nl))

    tl = TaskLogs(c, "/ecs/storefront-web", "web", "storefront-web")
    for _ in range(5):
        tl.task(-90000)
    R = lambda t, lvl, rid, msg: ruby_line(c, t, lvl, f"[{rid}] {msg}", pid=1)  # noqa: E731
    routes = [("GET", "/", "HomeController#index", 200), ("GET", "/products/{p}", "ProductsController#show", 200),
              ("GET", "/orders/{o}", "OrdersController#show", 200), ("GET", "/account/orders", "Account::OrdersController#index", 200),
              ("POST", "/cart/items", "CartItemsController#create", 302), ("GET", "/search", "SearchController#index", 200)]
    weights = [0.2, 0.34, 0.1, 0.08, 0.12, 0.16]

    def request(t: float, tid_hint=None, route=None, status=None, extra=None):
        m, path, action, st = route or routes[int(c.rng.choice(len(routes), p=weights))]
        path = path.replace("{p}", f"{c.pick(['canvas-tote', 'linen-apron', 'wool-throw', 'oak-tray'])}-{int(c.rng.integers(10, 99))}")
        path = path.replace("{o}", f"R{int(c.rng.integers(100000000, 999999999))}")
        rid = c.uuid()
        ip = f"{int(c.rng.integers(24, 200))}.{int(c.rng.integers(0, 255))}.{int(c.rng.integers(0, 255))}.{int(c.rng.integers(1, 254))}"
        tid = tl.live(t)[int(c.rng.integers(0, 5))]
        tl.add(tid, t, R(t, "INFO", rid, f'Started {m} "{path}" for {ip} at {c.stamp(t, "%Y-%m-%d %H:%M:%S")} +0000'))
        tl.add(tid, t + 0.002, R(t + 0.002, "INFO", rid, f"Processing by {action} as HTML"))
        if extra:
            extra(tid, rid, t)
            return
        ms = float(c.rng.lognormal(np.log(85), 0.4))
        word = {200: "OK", 302: "Found", 404: "Not Found"}[status or st]
        tl.add(tid, t + ms / 1000, R(t + ms / 1000, "INFO", rid, f"Completed {status or st} {word} in {int(ms)}ms (Views: "
               f"{ms * 0.5:.1f}ms | ActiveRecord: {ms * 0.25:.1f}ms | Allocations: {int(c.rng.integers(4000, 40000))})"))

    for t, i in arrivals(c, req / 300):
        request(t)
    for t, i in arrivals(c, np.full(n, 0.5)):
        rid = c.uuid()
        tid = tl.live(t)[0]
        junk = c.pick(["wp-login.php", "xmlrpc.php", ".env", "admin/config.php"])
        tl.add(tid, t, R(t, "INFO", rid, f'Started GET "/{junk}" for 45.{int(c.rng.integers(0, 255))}.'
               f"{int(c.rng.integers(0, 255))}.{int(c.rng.integers(1, 254))} at {c.stamp(t, '%Y-%m-%d %H:%M:%S')} +0000"))
        tl.add(tid, t + 0.003, ruby_line(c, t + 0.003, "FATAL", f"[{rid}]   \n[{rid}] ActionController::RoutingError (No route "
               f"matches [GET] \"/{junk}\"):\n[{rid}]   \n[{rid}] actionpack (7.1.3.2) lib/action_dispatch/middleware/"
               "debug_exceptions.rb:34:in `call'", pid=1))

    def destroy(tid, rid, t):
        tl.add(tid, t + 0.003, R(t + 0.003, "INFO", rid, '  Parameters: {"authenticity_token"=>"[FILTERED]", "id"=>"48213"}'))
        tl.add(tid, t + 0.19, R(t + 0.19, "INFO", rid, "Product 48213 (HB-CANVAS-TOTE-OLIVE) destroyed by k.lindqvist@northwindgoods.com"))
        tl.add(tid, t + 0.2, R(t + 0.2, "INFO", rid, "Redirected to https://shop.northwindgoods.com/admin/products"))
        tl.add(tid, t + 0.21, R(t + 0.21, "INFO", rid, "Completed 302 Found in 212ms (ActiveRecord: 141.2ms | Allocations: 20112)"))
    request(onset - 35, route=("DELETE", "/admin/products/48213", "Admin::ProductsController#destroy", 302), extra=destroy)

    def boom(tid, rid, t):
        view = c.pick(["orders/show", "account/orders/index"])
        ms = float(c.rng.uniform(40, 120))
        tl.add(tid, t + ms / 1000, R(t + ms / 1000, "INFO", rid, f"Completed 500 Internal Server Error in {int(ms)}ms "
               f"(ActiveRecord: {ms * 0.4:.1f}ms | Allocations: {int(c.rng.integers(9000, 30000))})"))
        tl.add(tid, t + ms / 1000 + 0.001, ruby_line(c, t + ms / 1000 + 0.001, "FATAL", f"[{rid}]   \n[{rid}] ActionView::Template::Error "
               f"(undefined method `name' for nil):\n[{rid}]     4:   <tr class=\"line-item\">\n[{rid}]     5:     <td>"
               f"<%= image_tag line_item.variant.image_url %></td>\n[{rid}]     6:     <td><%= link_to line_item.variant.product.name, "
               f"product_path(line_item.variant.product) %></td>\n[{rid}]     7:     <td><%= line_item.quantity %></td>\n[{rid}]   \n"
               f"[{rid}] app/views/orders/_line_item.html.erb:6\n[{rid}] app/views/{view}.html.erb:22", pid=1))
    for t, i in arrivals(c, bad / 2):
        route = routes[2] if c.rng.random() < 0.7 else routes[3]
        request(t, route=route, extra=boom)
    tl.flush()
    ll = LambdaLogs(c, "newsletter-sender", 512)
    for k in nl:
        if k.t >= -10800:
            ll.invoke(k.t, lambda rid, s: [(0.2, node_line(c, s + 0.2, rid, "INFO", "No campaigns due; next run in 10 min"))],
                      k.duration_ms, int(c.rng.integers(90, 110)))
    ll.flush()
    c.log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0",
          [(float(t), pg_line(c, float(t), 377, "LOG", "checkpoint starting: time")) for t in np.arange(-21600 + 40.0, -1, 300)])
    c.alarm("storefront-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 8,
            description="storefront target 5xx", want="ALARM")
    c.alarm("storefront-db-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 3, 80, want="OK")
    c.set_expect("storefront-alb-5xx", "application_error", ["storefront/storefront-web", "storefront-web"],
                 [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})])
    c.meta = dict(front="front door (ALB in front of storefront-web)", decoys=(
        "newsletter-sender config change 8 min before onset; steady RoutingError 404s from scanners; storefront-db "
        "present and healthy"), story=(
        "An admin hard-deletes product 48213 through the Rails back office (an ordinary app request, no infrastructure "
        "change). From then, order pages that list that product raise `ActionView::Template::Error (undefined method "
        "`name' for nil)` at `app/views/orders/_line_item.html.erb:6` and return 500, which the ALB counts. No deploy "
        "or config change touched storefront-web, the database and CPU/memory are healthy; newsletter-sender is an "
        "unrelated function and the scanner 404s are constant."))
    return c


# ---------------------------------------------------------------- 09
def case09() -> Case:
    region = "ap-south-1"
    c = Case(9, "dispatch-5xx", region, 1709, "2026-03-25T06:20:00",
             "dispatch-alb 5XX alarm; drivers' app fails to fetch trip quotes.")
    lb, db = "app/dispatch-alb/2e8b0d4f6a1c3579", "fleet-db"
    c.resource("alb", lb, name="dispatch-alb", scheme="internet-facing", target_groups=["dispatch-api-tg"])
    c.resource("ecs", "fleet/dispatch-api", launch_type="FARGATE", desired_count=4, runtime="dotnet 8 (ASP.NET Core)")
    c.resource("ecs", "fleet/telematics-ingest", launch_type="FARGATE", desired_count=3)
    c.resource("rds", db, engine="postgres", engine_version="15.5", instance_class="db.r6g.large",
               max_connections=900, allocated_storage_gb=300)
    _ecs_deploy(c, -19810, "fleet", "dispatch-api", "codepipeline-fleet")
    _ecs_deploy(c, -1905, "fleet", "dispatch-api", "codepipeline-fleet")
    c.change(-2510, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "fleet/telematics-ingest", "ops-automation")
    n = len(c.t)
    req = c.diurnal(1500, 0.35, 6.5) * (1 + 0.03 * c.walk(n, 1))
    tl = TaskLogs(c, "/ecs/dispatch-api", "dispatch-api", "dispatch-api")
    olds = [tl.task(-19700 + 40 * k) for k in range(4)]
    news = []
    for k in range(4):
        s = -1845 + 40 * k
        news.append(tl.task(s))
        tl.stop(olds[k], s + 60)
    share = np.zeros(n)
    for i, t in enumerate(c.t):
        live = tl.live(t + 30)
        share[i] = sum(1 for x in live if x in news) / max(len(live), 1)
    quotes = 0.22
    bad = c.poisson(req * quotes * share)
    alb_metrics(c, lb, req, 0.062 + c.rng.normal(0, 0.005, n) - 0.03 * share * quotes, bad + c.poisson(0.4),
                c.poisson(0.1 + (np.abs(c.t + 1760) < 200) * 1.5), np.full(n, 4.0), np.zeros(n),
                t4xx=c.poisson(req * 0.008))
    ecs_metrics(c, "fleet", "dispatch-api", 29 * req / req.mean() + c.rng.normal(0, 2, n), 46 + c.rng.normal(0, 1, n),
                np.full(n, 4.0) + (np.abs(c.t + 1760) < 120))
    ecs_metrics(c, "fleet", "telematics-ingest", 51 + c.rng.normal(0, 3, n), 58 + c.rng.normal(0, 1, n),
                np.where(c.t >= -2450, 4.0, 3.0))
    rds_metrics(c, db, 27 * req / req.mean() + c.rng.normal(0, 2, n), 96 + c.rng.normal(0, 3, n),
                np.full(n, 202 * GB) - np.arange(n) * 9e5, np.full(n, 6.6 * GB) + c.rng.normal(0, 4e7, n),
                np.abs(c.rng.normal(0.0008, 0.0001, n)), np.abs(c.rng.normal(0.0014, 0.0002, n)))

    A = lambda t, lvl, cat, msg, **kw: aspnet_json(c, t, lvl, cat, msg, **kw)  # noqa: E731
    for tid, ver, s in [(x, "4.17.3+5d0e1b9", -19700 + 40 * k) for k, x in enumerate(olds)] + \
                       [(x, "4.18.0+a91c2e7", -1845 + 40 * k) for k, x in enumerate(news)]:
        if s < -10800:
            continue
        for j, (cat, msg, eid) in enumerate([("Fleet.Dispatch.Program", f"Fleet.Dispatch {ver} starting", 0),
                                             ("Microsoft.Hosting.Lifetime", "Now listening on: http://[::]:8080", 14),
                                             ("Microsoft.Hosting.Lifetime", "Application started. Press Ctrl+C to shut down.", 0),
                                             ("Microsoft.Hosting.Lifetime", "Hosting environment: Production", 0)]):
            tl.add(tid, s + 3 + j * 0.05, A(s + 3 + j * 0.05, "Information", cat, msg, event_id=eid))
    for k, x in enumerate(olds):
        st = -1845 + 40 * k + 58
        tl.add(x, st, A(st, "Information", "Microsoft.Hosting.Lifetime", "Application is shutting down...", event_id=0))
    paths = [("POST", "/api/quotes"), ("GET", "/api/trips/{id}"), ("POST", "/api/trips/{id}/accept"), ("GET", "/api/drivers/me")]
    for t, i in arrivals(c, req / 140):
        tid = tl.any(t, lambda tid: "")
        if tid is None:
            continue
        tl.events[tid].pop()
        m, p = paths[int(c.rng.choice(4, p=[quotes, 0.42, 0.16, 0.20]))]
        p = p.replace("{id}", f"trp_{c.hex(10)}")
        failing = tid in news and p == "/api/quotes"
        if failing:
            continue
        ms = float(c.rng.lognormal(np.log(34), 0.4))
        tl.add(tid, t, A(t, "Information", "Microsoft.AspNetCore.Hosting.Diagnostics",
               f"Request finished HTTP/1.1 {m} http://dispatch.internal{p} - {200 if m == 'GET' else 201} - application/json "
               f"{ms:.4f}ms", event_id=2, ElapsedMilliseconds=round(ms, 4), StatusCode=200 if m == "GET" else 201,
               Method=m, Path=p))
    for t, i in arrivals(c, bad / 30):
        live_new = [x for x in tl.live(t) if x in news]
        if not live_new:
            continue
        tid = live_new[int(c.rng.integers(0, len(live_new)))]
        tl.add(tid, t, A(t, "Error", "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware",
               "An unhandled exception has occurred while executing the request.", event_id=1, exception=(
                   "System.InvalidOperationException: Unable to resolve service for type 'Fleet.Dispatch.Pricing.ITollEstimator' "
                   "while attempting to activate 'Fleet.Dispatch.Pricing.QuoteCalculator'.\n   at Microsoft.Extensions."
                   "DependencyInjection.ActivatorUtilities.ThrowHelperUnableToResolveService(Type type, Type "
                   "requiredBy)\n   at Microsoft.Extensions.DependencyInjection.ServiceLookup.CallSiteFactory.CreateArgumentCallSites"
                   "(ServiceIdentifier serviceIdentifier, Type implementationType, CallSiteChain callSiteChain, ParameterInfo[] "
                   "parameters, Boolean throwIfCallSiteNotFound)\n   at Fleet.Dispatch.Controllers.QuotesController.Create("
                   "QuoteRequest request) in /src/Fleet.Dispatch/Controllers/QuotesController.cs:line 41")))
        tl.add(tid, t + 0.002, A(t + 0.002, "Information", "Microsoft.AspNetCore.Hosting.Diagnostics",
               "Request finished HTTP/1.1 POST http://dispatch.internal/api/quotes - 500 - - 6.1180ms", event_id=2,
               StatusCode=500, Method="POST", Path="/api/quotes"))
    for t, i in arrivals(c, np.full(n, 0.4)):
        tl.any(t, lambda tid: A(t, "Warning", "Polly", "Execution attempt. Source: 'maps-client/(null)/Standard-Retry', "
               f"Operation Key: '', Result: 'Name or service not known (maps.internal:443)', Handled: 'True', Attempt: '0', "
               f"Execution Time: {c.rng.uniform(20, 80):.2f}ms", event_id=3))
    tl.flush()
    c.alarm("dispatch-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum",
            60, 3, 15, description="dispatch-api 5xx via dispatch-alb", want="ALARM")
    c.alarm("fleet-db-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 3, 80, want="OK")
    c.alarm("telematics-ingest-cpu", "AWS/ECS", "CPUUtilization",
            {"ClusterName": "fleet", "ServiceName": "telematics-ingest"}, "Average", 300, 3, 85, want="OK")
    c.set_expect("dispatch-alb-target-5xx", "bad_deployment", ["fleet/dispatch-api", "dispatch-api"],
                 [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})])
    c.meta = dict(front="front door (ALB in front of dispatch-api)", decoys=(
        "an older dispatch-api deploy 5 h earlier with no errors; telematics-ingest UpdateService 10 min before; "
        "steady Polly retry warnings"), story=(
        "codepipeline registers dispatch-api:88 (4.18.0) and updates the service at -32 min; the rolling deploy "
        "replaces the four tasks within three minutes. Every POST /api/quotes on the new tasks fails with "
        "`System.InvalidOperationException: Unable to resolve service for type 'ITollEstimator'` and returns 500, only "
        "in the streams of the new task ids. The previous deploy (4.17.3) ran clean for hours, telematics-ingest's "
        "scale-up is a separate service, and fleet-db is healthy."))
    return c


CASES = [case07, case08, case09]
