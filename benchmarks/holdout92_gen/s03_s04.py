"""h92-03 (one search web node pinned behind the ALB) and h92-04 (calculator function timeouts
behind API Gateway)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import GRID, bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, nginx

from .base import (ZERO, alb_id, alb_metrics, anomaly, api_id, apigw_exec, apigw_metrics, cnt,
                   ec2_metrics, ecs_metrics, expect, fpm, instance_id, lambda_metrics, make, monolog,
                   rds_metrics, sample, sprinkle, val)

PATHS = ["/search?city=hoboken&beds=2", "/search?zip=07030&type=condo", "/api/search/map?bbox=",
         "/listing/{}", "/listing/{}/photos", "/search?city=jersey-city&open_house=sat"]


# =========================================================================== h92-03
def build_03():
    sc = make(3, "search-pages-slow", "Search pages slow and some 504s; ALB latency alarm fired.",
              "us-east-1", "2026-05-16T13:45:00",
              category="cpu_saturation", side="front",
              services="ALB, EC2 (PHP-FPM/Laravel + nginx), RDS MySQL, ECS", runtime="PHP",
              fmt="nginx access log, Laravel/Monolog, php-fpm, syslog",
              decoys="ECS deploy of another service 40 s before onset; nightly CPU spike on the healthy node; steady ModelNotFound errors; second target-5XX alarm",
              story=(
                  "The alarm is on the ALB's TargetResponseTime. Behind it are two PHP nodes. At "
                  "-3359 s the hourly `listings:rebuild-similar` cron on `search-web-b` (normally ~1 minute "
                  "for ~1,800 changed listings) finds 48,213 changed listings after a feed bulk refresh and "
                  "is still running; that instance's CPU climbs to "
                  "~99 % and stays pinned, php-fpm on it logs `server reached pm.max_children`, and "
                  "only its nginx access log shows multi-second `rt=` values and 504s (upstream timeouts). `search-web-a` "
                  "stays at ~30 % (its 85 % spike five hours ago is the nightly sitemap job), the "
                  "MySQL database is flat, request volume is normal, and the only CloudTrail event near "
                  "the onset is a deploy of an unrelated ECS service."),
              judgement=("h92-03: the trigger is a cron job on the instance, not a change recorded in "
                         "CloudTrail, so `cpu_saturation` on the instance (id or Name tag) is the label; the "
                         "ALB is only where the latency is measured."))
    alb = alb_id(sc, "portal-search")
    a, b = instance_id(sc), instance_id(sc)
    db, cluster, svc = "portal-mysql", "portal-prod", "mortgage-widget"
    sc.resource("alb", alb, name="portal-search", scheme="internet-facing",
                targets=[a, b])
    for iid, name in ((a, "search-web-a"), (b, "search-web-b")):
        sc.resource("ec2", iid, name=name, instance_type="c6i.xlarge",
                    log_groups=["/portal/search/nginx-access", "/portal/search/php-fpm",
                                "/portal/search/laravel", "/portal/search/syslog"])
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.xlarge",
                max_connections=2000, allocated_storage_gb=500)
    sc.resource("ecs", f"{cluster}/{svc}", launch_type="FARGATE", desired_count=2)
    onset = -3300
    hot = lambda t: ramp(t, onset - 20, onset + 240)
    load = lambda t: 1400 * diurnal(sc, t, 16, 0.3)
    req = cnt(sc, load)
    rt = val(sc, lambda t: 0.16 + 1.9 * hot(t), noise=0.1)
    e5 = cnt(sc, lambda t: 0.3)
    t5 = cnt(sc, lambda t: 1.4 + 24 * hot(t))
    alb_metrics(sc, alb, req, rt, t5, e5, [2.0] * len(GRID), ZERO,
                t4=cnt(sc, lambda t: 38 * diurnal(sc, t, 16, 0.3)))
    for iid, is_b in ((a, False), (b, True)):
        if is_b:
            cpu = val(sc, lambda t: 31 * diurnal(sc, t, 16, 0.25) * (1 - hot(t)) + 99 * hot(t)
                      + (14 if 240 <= (t % 3600) < 300 and not hot(t) else 0),
                      noise=0.06, cap=100.0)
        else:
            cpu = val(sc, lambda t: 30 * diurnal(sc, t, 16, 0.25) + bump(t, -18600, -17900, 55, 120),
                      noise=0.07, cap=100.0)
        ec2_metrics(sc, iid, cpu, val(sc, lambda t: 5.2e7 * diurnal(sc, t, 16, 0.3), noise=0.1, digits=0),
                    val(sc, lambda t: 46 + (9 * hot(t) if is_b else 0), noise=0.02),
                    val(sc, lambda t: 41 + (t + 21600) / 21600, noise=0.002))
    hosts = {a: "ip-10-20-11-37", b: "ip-10-20-12-84"}
    for iid in (a, b):
        is_b = iid == b

        def access(t, iid=iid, is_b=is_b):
            p = sc.rng.choice(PATHS).replace("{}", str(sc.rng.randint(3800000, 3999999)))
            slow = is_b and hot(t) > 0.5
            r = sc.rng.uniform(2.5, 9.5) if slow else max(0.02, sc.rng.gauss(0.15, 0.05))
            st = 504 if slow and r > 8.5 else (404 if sc.rng.random() < 0.03 else 200)
            sc.log("/portal/search/nginx-access", iid, t, nginx(
                sc, t, f"10.20.{sc.rng.randint(0, 3)}.{sc.rng.randint(2, 250)}", "GET", p, st,
                sc.rng.randint(9000, 64000) if st == 200 else 568, 8.001 if st == 504 else r,
                ua="ELB-HealthChecker/2.0" if sc.rng.random() < 0.05 else "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)"))

        sprinkle(sc, GRID[0], 0, 3, access)
        sprinkle(sc, GRID[0], 0, 0.4, lambda t, iid=iid: sc.log(
            "/portal/search/laravel", iid, t, monolog(
                sc, t, "error", f"No query results for model [App\\Models\\Listing] {sc.rng.randint(3700000, 3999999)}",
                '{"exception":"[object] (Illuminate\\\\Database\\\\Eloquent\\\\ModelNotFoundException(code: 0): '
                'No query results for model [App\\\\Models\\\\Listing] at /var/www/portal/vendor/laravel/framework/'
                'src/Illuminate/Database/Eloquent/Builder.php:621)"}')))
        for h in range(-21600, 0, 3600):
            t = h + 241.0
            if is_b:
                sc.log("/portal/search/syslog", iid, t, f"{sc.at(t).strftime('%b %d %H:%M:%S')} {hosts[iid]} CRON[{sc.rng.randint(2000, 32000)}]: "
                       "(www-data) CMD (cd /var/www/portal && php artisan listings:rebuild-similar >> storage/logs/cron.log 2>&1)")
                if t < onset - 60:
                    sc.log("/portal/search/laravel", iid, t + 2, monolog(sc, t + 2, "info", f"rebuild-similar: incremental, {sc.rng.randint(1500, 2300)} listings changed since last run"))
                    took = sc.rng.uniform(44, 66)
                    sc.log("/portal/search/laravel", iid, t + took, monolog(sc, t + took, "info", f"rebuild-similar: done in {took:.1f}s"))
                else:
                    sc.log("/portal/search/laravel", iid, t + 2, monolog(sc, t + 2, "warning", "rebuild-similar: 48213 listings changed since last run (DDF bulk refresh), rebuilding all"))
        if is_b:
            sprinkle(sc, onset + 120, 0, 1.2, lambda t: sc.log("/portal/search/php-fpm", b, t, fpm(
                sc, t, "warning", "[pool www] server reached pm.max_children setting (32), consider raising it"
                if sc.rng.random() < 0.5 else "[pool www] seems busy (you may need to increase pm.start_servers, "
                f"or pm.min/max_spare_servers), spawning 8 children, there are 0 idle, and {sc.rng.randint(29, 32)} total children")))
            sprinkle(sc, onset + 600, 0, 0.05, lambda t: sc.log("/portal/search/laravel", b, t, monolog(
                sc, t, "info", f"rebuild-similar: {int(3 + 38 * (t - onset) / 3300)}% ({int(48213 * (3 + 38 * (t - onset) / 3300) / 100)}/48213)")))
    ecs_metrics(sc, cluster, svc, val(sc, lambda t: 18, noise=0.15), val(sc, lambda t: 41, noise=0.03))
    rds_metrics(sc, db, val(sc, lambda t: 24 * diurnal(sc, t, 16, 0.3), noise=0.1),
                cnt(sc, lambda t: 88), val(sc, lambda t: 3.1e11, noise=0.0005, digits=0),
                val(sc, lambda t: 1.9e10, noise=0.01, digits=0), val(sc, lambda t: 0.0009, noise=0.2, digits=5))
    sc.change(onset - 40, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}",
              "gh-actions-deploy")
    sc.change(onset - 52, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              f"{svc}:57", "gh-actions-deploy")
    sc.alarm("portal-search-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": alb}, "Sum", 60, 3, 10, "GreaterThanThreshold")
    sc.alarm("portal-search-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb},
             "Average", 60, 3, 1.0, "GreaterThanThreshold", "Search pages average target response time")
    expect(sc, "portal-search-latency", "cpu_saturation", [b, "search-web-b"],
           [anomaly("AWS/EC2", "CPUUtilization", {"InstanceId": b})])
    return sc


# =========================================================================== h92-04
def build_04():
    sc = make(4, "buyer-tools-502s", "Affordability calculator returning 502s; API Gateway 5XX "
              "alarm fired.", "ca-central-1", "2026-05-16T18:30:00",
              category="function_timeout", side="front", services="API Gateway (REST), Lambda (Python)",
              runtime="python3.12", fmt="plain Lambda text, API Gateway execution logs",
              decoys="UpdateStage on another API 40 s before onset; a deploy to the function 4.8 h earlier; steady stale-rate-table warnings",
              story=(
                  "`buyer-tools-api` fronts `affordability-calc` (timeout 6 s). From about -2460 s a "
                  "growing share of requests carry `stress_test=true rate_paths=5000 source=partner-embed`; "
                  "each logs 'simulating 5000 rate paths x 360 months' and nothing else until `Task timed "
                  "out after 6.00 seconds` (REPORT `Status: timeout`); API Gateway turns them into 502 "
                  "with 'Lambda execution failed ... Task timed out'. The function makes no network "
                  "calls (rates come from a layer file), there are no dependency errors, total volume is "
                  "normal, and neither the deploy to the function 4.8 h earlier nor the stage update on "
                  "`lead-forms-api` changed anything."),
              judgement=("h92-04: heavier requests (a new partner embed outside the account) are the "
                         "trigger, but volume is normal and nothing downstream fails; the function hitting "
                         "its configured timeout is the fault, hence `function_timeout`, not `traffic_surge`."))
    fn, api, other = "affordability-calc", "buyer-tools-api", "lead-forms-api"
    sc.resource("lambda", fn, runtime="python3.12", timeout=6, memory_size=512,
                layers=["boc-rates:41"])
    sc.resource("apigateway", api, stage="prod", integration="AWS_PROXY")
    sc.resource("apigateway", other, stage="prod")
    onset = -2460
    share = lambda t: 0.12 * ramp(t, onset, onset + 600)
    inv = cnt(sc, lambda t: 90 * diurnal(sc, t, 19, 0.3))
    err = [float(round(n * share(t))) for t, n in zip(GRID, inv)]
    dur = val(sc, lambda t: 340 * (1 - share(t)) + 6000 * share(t), noise=0.08)
    lambda_metrics(sc, fn, inv, err, dur,
                   conc=val(sc, lambda t: 0.6 + 90 * share(t) / 10, noise=0.2, digits=0))
    e4 = cnt(sc, lambda t: 2.2)
    apigw_metrics(sc, api, [n + e for n, e in zip(inv, e4)], e4, err,
                  val(sc, lambda t: 360 * (1 - share(t)) + 6030 * share(t), noise=0.08),
                  ilat=val(sc, lambda t: 345 * (1 - share(t)) + 6010 * share(t), noise=0.08))
    oc = cnt(sc, lambda t: 14 * diurnal(sc, t, 19, 0.3))
    apigw_metrics(sc, other, oc, cnt(sc, lambda t: 0.6), ZERO, val(sc, lambda t: 95, noise=0.12))
    ll = LambdaLogs(sc, fn, "python3.12", 512, 6, retire=(-17400,), mem_used=(118, 9))
    aid = api_id(sc)
    group = f"API-Gateway-Execution-Logs_{aid}/prod"
    arn = f"arn:aws:lambda:{sc.region}:{sc.account}:function:{fn}"

    def body(ll, t, rid, is_err, cold):
        price = sc.rng.choice([489000, 629900, 749000, 899000, 1149000])
        if is_err:
            lines = [(0.003, ll.fmt(t, rid, "INFO", f"quote request term_years=30 amortization=monthly price={price} "
                                    "down=0.2 stress_test=true rate_paths=5000 source=partner-embed")),
                     (0.02, ll.fmt(t + 0.02, rid, "INFO", "simulating 5000 rate paths x 360 months"))]
            res = {"lines": lines, "dur": 6000, "status": "timeout"}
        else:
            d = max(60.0, sc.rng.gauss(340, 90))
            lines = [(0.003, ll.fmt(t, rid, "INFO", f"quote request term_years={sc.rng.choice([25, 30])} "
                                    f"amortization=monthly price={price} down={sc.rng.choice([0.05, 0.1, 0.2])} source=web")),
                     (d / 1000 - 0.005, ll.fmt(t + d / 1000, rid, "INFO", f"quote computed in {int(d - 8)} ms (rows=300)"))]
            res = {"lines": lines, "dur": d}
        if sc.rng.random() < 0.06:
            lines.insert(1, (0.01, ll.fmt(t + 0.01, rid, "WARNING", f"rate table cache stale (age {sc.rng.randint(3601, 3900)} s), "
                                          "reloading /opt/rates/boc_posted_rates.json")))
        dur = res["dur"]
        if is_err:
            mid = [f"Lambda execution failed with status 200 due to customer function error: "
                   f"{sc.iso(t + 6.0)} {rid} Task timed out after 6.00 seconds. Lambda request id: {rid}"]
            st = 502
        else:
            mid = [f"Endpoint response body before transformations: {{\"statusCode\":200,\"body\":\"{{\\\"monthly\\\":{sc.rng.randint(2100, 6900)}.{sc.rng.randint(10, 99)}}}\"}}"]
            st = 200
        if sc.rng.random() < 0.5 or is_err:
            for tt, x in apigw_exec(sc, t - 0.03, "/quote", "POST", st, mid, arn, dur + 35):
                sc.log(group, "prod-" + aid, tt, x)
        return res

    li, le = sample(sc, inv, err, cap=3)
    ll.run(li, le, body)
    sc.change(-17400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, "gitlab-runner-deploy")
    sc.change(onset - 40, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage",
              other, "ops-admin")
    sc.alarm("lead-forms-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": other}, "Sum", 300, 1, 12,
             "GreaterThanThreshold")
    sc.alarm("buyer-tools-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Buyer tools API server errors")
    expect(sc, "buyer-tools-5xx", "function_timeout", [fn],
           [anomaly("AWS/Lambda", "Duration", {"FunctionName": fn})])
    return sc


BUILDERS = [build_03, build_04]
