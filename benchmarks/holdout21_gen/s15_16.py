"""h21-15 (ALB listener rule points /api at an empty target group) and h21-16 (CodeDeploy release on EC2)."""
from __future__ import annotations

from .common import LogSink, Rng, alarm, change, clf_ts, diurnal, scenario, step, wall
from .kits import alb_set, ec2_set, lambda_set, rds_set


# ----------------------------------------------------------------------------- 15
def s15():
    rng = Rng(2115)
    region = "sa-east-1"
    lb = "app/portal-alb/7c9e1a3b5d7f9b24"
    tg_green, tg_blue, tg_web = ("targetgroup/portal-api-green-tg/3e5a7c9b1d3f5a70", "targetgroup/portal-api-blue-tg/8f0b2d4e6a8c0e19",
                                 "targetgroup/portal-web-tg/5b7d9f1a3c5e7b28")
    api = [("i-0aa1bb2cc3dd4ee5f", "portal-api-1"), ("i-0ff6ee5dd4cc3bb2a", "portal-api-2")]
    webs = [("i-01a2b3c4d5e6f7a8b", "portal-web-1"), ("i-09b8a7c6d5e4f3a2b", "portal-web-2")]
    batch = ("i-0c1d2e3f4a5b6c7d8", "portal-batch")
    t_chg = -1500
    sink = LogSink()
    log_start = -5400

    def api_rate(t):
        return 132 * diurnal(t, 0.1, 12)

    def web_rate(t):
        return 108 * diurnal(t, 0.1, 12)

    paths_api = ["/api/v1/accounts/me", "/api/v1/invoices?page=1", "/api/v1/tickets", "/api/v1/notifications/unread", "/api/v1/usage/summary"]
    for iid, _n in api:
        for m in range(log_start, 0, 60):
            if m < t_chg:
                for _ in range(rng.poisson(api_rate(m) / 2)):
                    t = m + rng.uniform(0, 59.9)
                    p = rng.choice(paths_api)
                    code = 200 if rng.random() > 0.03 else rng.choice([401, 404])
                    sink.add("/portal/nginx/access", iid, t, f'10.80.{rng.randint(0, 3)}.{rng.randint(5, 250)} - - [{clf_ts(t)}] "GET {p} HTTP/1.1" {code} '
                                                             f'{rng.randint(300, 9000)} "https://portal.acme.com.br/" "Mozilla/5.0" rt={rng.uniform(0.02, 0.15):.3f}')
            for k in range(4):
                t = m + k * 15 + rng.uniform(0, 0.5)
                sink.add("/portal/nginx/access", iid, t, f'10.80.{rng.randint(0, 3)}.{rng.randint(5, 250)} - - [{clf_ts(t)}] "GET /api/health HTTP/1.1" 200 '
                                                         f'21 "-" "ELB-HealthChecker/2.0" rt=0.002')
    for iid, _n in webs:
        for m in range(log_start, 0, 60):
            for _ in range(rng.poisson(web_rate(m) / 2)):
                t = m + rng.uniform(0, 59.9)
                p = rng.choice(["/", "/login", "/static/app.3f9c.js", "/static/app.3f9c.css", "/dashboard"])
                sink.add("/portal/nginx/access", iid, t, f'10.80.{rng.randint(0, 3)}.{rng.randint(5, 250)} - - [{clf_ts(t)}] "GET {p} HTTP/1.1" 200 '
                                                         f'{rng.randint(800, 90000)} "https://portal.acme.com.br/" "Mozilla/5.0" rt={rng.uniform(0.001, 0.03):.3f}')
            if rng.random() < 0.3:
                t = m + rng.uniform(0, 59.9)
                p = rng.choice(["/wp-login.php", "/.env", "/phpmyadmin/", "/admin.php"])
                sink.add("/portal/nginx/access", iid, t, f'45.{rng.randint(10, 250)}.{rng.randint(0, 255)}.{rng.randint(1, 254)} - - [{clf_ts(t)}] "GET {p} HTTP/1.1" 404 '
                                                         f'153 "-" "Mozilla/5.0 (compatible; scanner)" rt=0.001')
    moved = lambda t: step(t, t_chg)  # noqa: E731
    metrics = alb_set(rng, lb, req=lambda t: api_rate(t) + web_rate(t), rt=lambda t: 0.071 if t < t_chg else 0.012,
                      t5xx=lambda t: 0.1, t4xx=lambda t: 4.5, e503=lambda t: api_rate(t) * moved(t), e502=lambda t: 0.02,
                      tgs=[(tg_green, lambda t: 2, lambda t: 0, lambda t: api_rate(t) * (1 - moved(t))),
                           (tg_blue, lambda t: 0, lambda t: 0, None),
                           (tg_web, lambda t: 2, lambda t: 0, web_rate)])
    for iid, _n in api:
        metrics += ec2_set(rng, iid, cpu=lambda t: 31 * diurnal(t, 0.1, 12) if t < t_chg else 2.5, mem=lambda t: 47, disk=lambda t: 33,
                           net_in=lambda t: 9e6 if t < t_chg else 2e5)
    for iid, _n in webs:
        metrics += ec2_set(rng, iid, cpu=lambda t: 8, mem=lambda t: 35, disk=lambda t: 29, net_in=lambda t: 3e6)
    metrics += ec2_set(rng, batch[0], cpu=lambda t: 15 + (78 if -8400 <= t < -7500 else 0), mem=lambda t: 52, disk=lambda t: 64)
    metrics += rds_set(rng, "portal-db", cpu=lambda t: 17 if t < t_chg else 6, conns=lambda t: 40, free_storage_gb=lambda t: 55,
                       freeable_mem_gb=lambda t: 2.6)
    resources = [{"type": "alb", "id": lb, "properties": {
        "name": "portal-alb", "listener": "HTTPS:443",
        "rules": [{"priority": 10, "path": "/api/*", "forward_to": "portal-api-*-tg"}, {"priority": "default", "forward_to": "portal-web-tg"}],
        "target_groups": {tg_green: [a[0] for a in api], tg_blue: [], tg_web: [w[0] for w in webs]}}}]
    resources += [{"type": "ec2", "id": i, "properties": {"name": n, "instance_type": "t3.large", "log_groups": ["/portal/nginx/access"]}}
                  for i, n in api + webs]
    resources += [{"type": "ec2", "id": batch[0], "properties": {"name": batch[1], "instance_type": "m6i.large"}},
                  {"type": "rds", "id": "portal-db", "properties": {"engine": "postgres", "engine_version": "15.7", "instance_class": "db.t4g.medium",
                                                                    "max_connections": 410, "allocated_storage_gb": 80}}]
    rule = "listener-rule/app/portal-alb/7c9e1a3b5d7f9b24/4f1c2d3e5a6b7c8d/9e0a1b2c3d4e5f60"
    changes = [change(t_chg, "elasticloadbalancing.amazonaws.com", "ModifyRule", "AWS::ElasticLoadBalancingV2::ListenerRule", rule, "r.silva"),
               change(-5400, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "portal-db", "r.silva"),
               change(-9200, "elasticloadbalancing.amazonaws.com", "DeregisterTargets", "AWS::ElasticLoadBalancingV2::TargetGroup",
                      "portal-api-blue-tg", "codedeploy.amazonaws.com")]
    alarms = [alarm("portal-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 20,
                    "GreaterThanThreshold", -1320, description="Customer portal ALB 5xx")]
    doc = scenario("h21-15-portal-alb-rule-to-empty-target-group",
                   "Customer portal loads but every data panel shows an error (503); portal ALB 5xx alarm.",
                   region, resources, metrics, sink.entries(), alarms, changes,
                   {"alarm": "portal-alb-elb-5xx",
                    "root_cause": {"category": "config_change", "resource": [lb, "portal-alb"]},
                    "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_503_Count", "dimensions": {"LoadBalancer": lb}}]})
    meta = {"placement": "origin (ALB)",
            "decoys": "ModifyDBInstance on portal-db 65 min earlier by the same engineer; portal-batch CPU spike; old blue-TG deregistration; "
                      "scanner 404s",
            "story": "At -25 min r.silva modified the /api/* listener rule of portal-alb. From that minute the ALB itself "
                     "answers every /api request with 503 (HTTPCode_ELB_503_Count equals the former API traffic), the green API "
                     "target group's RequestCount drops to zero while its hosts stay healthy and only receive health checks, and "
                     "the rule now forwards to portal-api-blue-tg, which has no registered targets. Static pages on the default "
                     "rule are fine. A listener setting changed right before onset: config_change on the ALB."}
    return doc, meta


# ----------------------------------------------------------------------------- 16
def s16():
    rng = Rng(2116)
    region = "ap-south-1"
    lb, tg = "app/booking-alb/6e8a0c2e4a6c8e15", "targetgroup/booking-web-tg/2a4c6e8a0c2e4a69"
    hosts = [("i-0d4c3b2a1f0e9d8c7", "booking-web-1", -2560), ("i-0e5d4c3b2a1f0e9d8", "booking-web-2", -2430)]
    t_dep = -2640
    dep_id = "d-7XK2Q9ABC"
    sink = LogSink()
    log_start = -5400
    err_min = {}

    def sl(iid, t, lvl, msg):
        w_ = wall(t)
        sink.add("/booking/app", iid, t, f"{w_.strftime('%Y-%m-%d %H:%M:%S')}.{int(w_.microsecond / 1000):03d} +00:00 [{lvl}] {msg}")

    def cd(iid, t, msg):
        w_ = wall(t)
        sink.add("/booking/codedeploy-deployments", iid, t, f"[{w_.strftime('%Y-%m-%d %H:%M:%S')}.{int(w_.microsecond / 1000):03d}] [{dep_id}]{msg}")

    dotnet_err = ("An unhandled exception has occurred while executing the request.\n"
                  "System.InvalidOperationException: Unable to resolve service for type 'Booking.Core.Pricing.IFareCache' while attempting to "
                  "activate 'Booking.Api.Controllers.FaresController'.\n"
                  "   at Microsoft.Extensions.DependencyInjection.ActivatorUtilities.ThrowHelperUnableToResolveService(Type type, Type requiredBy)\n"
                  "   at lambda_method14(Closure, IServiceProvider, Object[])\n"
                  "   at Microsoft.AspNetCore.Mvc.Controllers.ControllerFactoryProvider.<>c__DisplayClass6_0.<CreateControllerFactory>g__CreateController|0(ControllerContext controllerContext)\n"
                  "   at Microsoft.AspNetCore.Mvc.Infrastructure.ControllerActionInvoker.Next(State& next, Scope& scope, Object& state, Boolean& isCompleted)\n"
                  "   at Microsoft.AspNetCore.Mvc.Infrastructure.ControllerActionInvoker.InvokeInnerFilterAsync()\n"
                  "   at Microsoft.AspNetCore.Routing.EndpointMiddleware.<Invoke>g__AwaitRequestTask|7_0(Endpoint endpoint, Task requestTask, ILogger logger)\n"
                  "   at Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddlewareImpl.<Invoke>g__Awaited|10_0(ExceptionHandlerMiddlewareImpl middleware, HttpContext context, Task task)")
    routes = [("GET", "/api/fares/{r}", 30), ("GET", "/api/availability/{r}", 35), ("POST", "/api/bookings", 12), ("GET", "/api/bookings/{b}", 18),
              ("GET", "/api/reports/occupancy", 5)]
    for iid, name, t_up in hosts:
        down = t_up - 55
        cd(iid, down - 5, "LifecycleEvent - ApplicationStop")
        cd(iid, down - 4, "Script - scripts/stop_service.sh")
        cd(iid, down - 2, "[stdout]Stopping booking-web.service (Booking.Api 4.17.2)")
        sl(iid, down - 1.5, "INF", "Application is shutting down...")
        for k, ev in enumerate(["DownloadBundle", "BeforeInstall", "Install", "AfterInstall", "ApplicationStart"]):
            cd(iid, down + 8 * k, f"LifecycleEvent - {ev}")
        cd(iid, down + 33, "Script - scripts/start_service.sh")
        sl(iid, t_up - 6, "INF", "Booking.Api 4.18.0+2291.3f9c2ab starting (ASPNETCORE_ENVIRONMENT=Production)")
        sl(iid, t_up - 2, "INF", "Now listening on: http://[::]:5000")
        sl(iid, t_up - 1.9, "INF", "Application started. Press Ctrl+C to shut down.")
        sl(iid, t_up - 1.8, "INF", "Hosting environment: Production")
        cd(iid, t_up + 20, "LifecycleEvent - ValidateService")
        cd(iid, t_up + 22, "Script - scripts/validate_service.sh")
        cd(iid, t_up + 23, "[stdout]GET http://localhost:5000/healthz -> 200 OK")
        for m in range(log_start, 0, 60):
            for _ in range(rng.poisson(95 * diurnal(m, 0.1, 8) / 2)):
                t = m + rng.uniform(0, 59.9)
                if down <= t < t_up:
                    continue
                meth, p, _w = rng.choices(routes, [r[2] for r in routes])[0]
                p = p.replace("{r}", f"{rng.choice(['BOM', 'DEL', 'BLR', 'MAA', 'HYD', 'CCU'])}-{rng.choice(['GOI', 'PNQ', 'COK', 'JAI'])}")
                p = p.replace("{b}", f"BK{rng.randint(1000000, 9999999)}")
                if t >= t_up and "/api/fares/" in p:
                    sl(iid, t, "ERR", dotnet_err)
                    sl(iid, t + 0.002, "INF", f"HTTP {meth} {p} responded 500 in {rng.uniform(2, 6):.4f} ms")
                    err_min[m] = err_min.get(m, 0) + 1
                elif p == "/api/reports/occupancy" and rng.random() < 0.12:  # pre-existing, same rate before and after
                    sl(iid, t + 30, "ERR", "Failed executing DbCommand (30,012ms) [CommandType='Text', CommandTimeout='30']\n"
                                           "Npgsql.NpgsqlException (0x80004005): Exception while reading from stream\n"
                                           " ---> System.TimeoutException: Timeout during reading attempt")
                    sl(iid, t + 30.01, "INF", f"HTTP {meth} {p} responded 500 in 30014.{rng.randint(1000, 9999)} ms")
                    err_min[m] = err_min.get(m, 0) + 1
                else:
                    sl(iid, t, "INF", f"HTTP {meth} {p} responded {201 if meth == 'POST' else 200} in {rng.uniform(8, 90):.4f} ms")
    metrics = alb_set(rng, lb, req=lambda t: 95 * diurnal(t, 0.1, 8), rt=lambda t: 0.048, t4xx=lambda t: 1.2,
                      t5xx=lambda t: err_min.get(int(t), 0) if t >= log_start else 0.3,
                      tgs=[(tg, lambda t: 1 if any(h[2] - 55 <= t < h[2] + 30 for h in hosts) else 2,
                            lambda t: 1 if any(h[2] - 55 <= t < h[2] + 30 for h in hosts) else 0)])
    for iid, name, t_up in hosts:
        metrics += ec2_set(rng, iid, cpu=lambda t: 19 * diurnal(t, 0.1, 8), mem=lambda t, n=name: 78 if n == "booking-web-2" else 52,
                           disk=lambda t: 46)
    metrics += rds_set(rng, "booking-db", cpu=lambda t: 26, conns=lambda t: 64, free_storage_gb=lambda t: 143, freeable_mem_gb=lambda t: 3.9)
    metrics += lambda_set(rng, "fare-sync", inv=lambda t: 2, err=lambda t: 0.0, dur=lambda t: 4100, conc=lambda t: 1)
    resources = [{"type": "ec2", "id": iid, "properties": {"name": name, "instance_type": "m6i.large", "codedeploy_group": "booking-web-prod",
                                                           "log_groups": ["/booking/app", "/booking/codedeploy-deployments"]}}
                 for iid, name, _ in hosts]
    resources += [{"type": "alb", "id": lb, "properties": {"name": "booking-alb", "target_groups": [tg], "targets": [h[0] for h in hosts]}},
                  {"type": "rds", "id": "booking-db", "properties": {"engine": "postgres", "engine_version": "16.4", "instance_class": "db.m6g.large",
                                                                     "max_connections": 800, "allocated_storage_gb": 200}},
                  {"type": "lambda", "id": "fare-sync", "properties": {"runtime": "dotnet8", "timeout": 60, "memory_size": 512}}]
    changes = [change(t_dep, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "booking-web-prod", "azure-devops-svc"),
               change(-9000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "fare-sync", "azure-devops-svc")]
    alarms = [alarm("booking-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 5,
                    "GreaterThanThreshold", -2340, description="Booking site 5xx from targets")]
    doc = scenario("h21-16-booking-codedeploy-di-error",
                   "Fare search returns an error page on the booking site; ALB target 5xx alarm.",
                   region, resources, metrics, sink.entries(), alarms, changes,
                   {"alarm": "booking-alb-target-5xx",
                    "root_cause": {"category": "bad_deployment",
                                   "resource": [h[0] for h in hosts] + [h[1] for h in hosts] + ["booking-web-prod"]},
                    "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": lb}}]})
    meta = {"placement": "front (ALB)",
            "decoys": "fare-sync Lambda deploy 2.5 h earlier; booking-web-2 memory steady at 78 %; pre-existing Npgsql timeout "
                      "500s on the occupancy report at a constant rate",
            "story": "CodeDeploy deployment d-7XK2Q9ABC (Booking.Api 4.17.2 -> 4.18.0) ran one instance at a time from -44 min. "
                     "As each host restarted on the new build, every /api/fares request fails with System.InvalidOperationException "
                     "'Unable to resolve service for type IFareCache' (a missing DI registration), a signature never seen before. "
                     "The occupancy-report Npgsql timeouts are old and steady; host resources and the DB are normal. A new error "
                     "signature right after a code deployment is bad_deployment; origin the deployed web fleet."}
    return doc, meta
