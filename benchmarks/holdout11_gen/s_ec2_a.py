"""EC2 fleet incidents (part A): CodeDeploy to one target group, instance role detach, disk fill."""
from __future__ import annotations

import numpy as np

from . import logfmt as L
from . import metricsets as M
from .common import ACCOUNT, Scenario, ar1, after, between, clip, counts, daily, ramp, T, idx

UA = ["Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
      "Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"]
ELB_HC = "ELB-HealthChecker/2.0"


def h02(seed=1102):
    region = "us-west-2"
    sc = Scenario("h11-02-codedeploy-api-fleet", "storefront API returning 500s on product pages; web "
                  "pages look fine.", region, seed)
    rng, ids = sc.rng, sc.ids
    lb = "app/storefront-alb/3e91b7c0d5a2f846"
    tg_api, tg_web = "targetgroup/storefront-api/c2d38e4f1a6b7059", "targetgroup/storefront-web/a0b19c3d5e7f2486"
    api = [("i-0c41e7a9b3d5f2068", "storefront-api-1"), ("i-05d8a2c7e9b1f3460", "storefront-api-2")]
    web = ("i-0f2b6d8a4c0e1e357", "storefront-web-1")
    for iid, name in api:
        sc.resource("ec2", iid, name=name, instance_type="c6i.xlarge", autoscaling_group="storefront-api-asg",
                    log_groups=["/storefront/api/rails", "/storefront/api/nginx-access"])
    sc.resource("ec2", web[0], name=web[1], instance_type="c6i.large", autoscaling_group="storefront-web-asg",
                log_groups=["/storefront/web/nginx-access"])
    sc.resource("alb", lb, name="storefront-alb", targets=[i for i, _ in api] + [web[0]])
    t_dep = -1950
    t_inst = [-1905, -1772]  # CodeDeploy OneAtATime: AfterInstall/ApplicationStart per instance
    sc.change(t_dep, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup",
              "storefront-api/api-prod", "github-actions-oidc")
    sc.change(-12480, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup",
              "storefront-web/web-prod", "github-actions-oidc")
    sc.change(-7420, "autoscaling.amazonaws.com", "PutScheduledUpdateGroupAction",
              "AWS::AutoScaling::AutoScalingGroup", "storefront-web-asg", "r.mendes")

    req_api = [counts(sc.rng, 175 + daily(30) + ar1(rng, 0, 8)) for _ in api]
    bad = [after(t) for t in t_inst]
    t5 = [counts(rng, r * (0.0008 + b * 0.19)) for r, b in zip(req_api, bad)]
    for (iid, name), r, b in zip(api, req_api, bad):
        M.ec2(sc, iid, cpu=clip(ar1(rng, 31, 3) + daily(4) + between(-1930 if iid == api[0][0] else -1800,
                                                                          (-1930 if iid == api[0][0] else -1800) + 120) * 35, 1, 100),
              mem_level=57, disk_level=38)
    M.ec2(sc, web[0], cpu=clip(ar1(rng, 24, 2.5) + 48 * between(-9060, -8520), 1, 100), mem_level=44)
    req_web = counts(rng, 420 + daily(60) + ar1(rng, 0, 12))
    ra, t5a = req_api[0] + req_api[1], t5[0] + t5[1]
    lat_api = clip(ar1(rng, 0.085, 0.008) + 0.01 * after(t_inst[0]), 0.01)
    M.alb(sc, lb, ra + req_web, target_5xx=t5a + counts(rng, req_web * 0.0003), latency=clip((lat_api * ra + 0.03 * req_web) / (ra + req_web)))
    M.target_group(sc, lb, tg_api, ra, np.full(len(T), 2.0), target_5xx=t5a, latency=lat_api)
    M.target_group(sc, lb, tg_web, req_web, np.full(len(T), 1.0), lat_level=0.03)

    def rails_events(t0, t1, broken_from):
        out = []
        for t in L.poisson_times(rng, t0, t1, 9):
            req = ids.uuid()
            pid = int(rng.choice([2411, 2415, 2419, 2423]))
            path = str(rng.choice(["/api/v2/products/%d" % rng.integers(1000, 99999), "/api/v2/cart",
                                   "/api/v2/search?q=" + str(rng.choice(["boots", "jacket", "tent", "socks"]))]))
            out.append((t, L.rails(t, "INFO", f'Started GET "{path}" for {ids.ip()} at {L.wall(t).strftime("%Y-%m-%d %H:%M:%S +0000")}', req, pid)))
            if rng.random() < 0.03:
                out.append((t + 0.004, L.rails(t + 0.004, "FATAL", '\n[%s] ActionController::RoutingError (No route matches [GET] "/wp-login.php"):' % req, req, pid)))
                continue
            if t >= broken_from and "/products/" in path and rng.random() < 0.45:
                tb = (f"  \n[{req}] NoMethodError (undefined method `iso_code' for nil):\n[{req}]   \n"
                      f"[{req}] app/serializers/price_serializer.rb:23:in `currency'\n"
                      f"[{req}] app/serializers/product_serializer.rb:57:in `block in price'\n"
                      f"[{req}] app/controllers/api/v2/products_controller.rb:41:in `show'")
                out.append((t + 0.031, L.rails(t + 0.031, "INFO", f"Completed 500 Internal Server Error in {rng.integers(18, 60)}ms (ActiveRecord: {rng.uniform(2, 9):.1f}ms | Allocations: {rng.integers(4000, 9000)})", req, pid)))
                out.append((t + 0.032, L.rails(t + 0.032, "FATAL", tb, req, pid)))
            else:
                ms = int(rng.gamma(3, 25))
                out.append((t + ms / 1000, L.rails(t + ms / 1000, "INFO", f"Completed 200 OK in {ms}ms (Views: {rng.uniform(0.1, 3):.1f}ms | ActiveRecord: {ms * rng.uniform(0.2, 0.6):.1f}ms | Allocations: {rng.integers(2000, 12000)})", req, pid)))
        return out

    for (iid, name), ti in zip(api, t_inst):
        ev = rails_events(-10800, 0, ti + 8)
        boot = ["Puma starting in cluster mode...", "* Puma version: 6.4.3 (ruby 3.3.6-p108) (\"The Eagle of Durango\")",
                "*  Min threads: 5", "*  Max threads: 5", "*  Environment: production", "*   Master PID: 31877",
                "*      Workers: 4", "*     Restarts: (\u2714) hot (\u2714) phased", "* Preloading application",
                "I, [%s #31877]  INFO -- : Booting storefront-api release=2026.11.20-2 sha=8c1f2e9" % L.wall(ti).strftime('%Y-%m-%dT%H:%M:%S.%f'),
                "* Listening on http://0.0.0.0:3000", "Use Ctrl-C to stop"]
        ev += [(ti + 0.2 * k, line) for k, line in enumerate(boot)]
        ev += [(ti - 6, "- Gracefully stopping, waiting for requests to finish"), (ti - 2, "=== puma shutdown: %s ===" % L.wall(ti - 2).strftime('%Y-%m-%d %H:%M:%S +0000')), (ti - 1.9, "- Goodbye!")]
        sc.log("/storefront/api/rails", iid, ev)
        acc = L.emit(rng, -10800, 0, 4, lambda t: L.nginx_access(t, ids.ip(), "GET", "/api/v2/products/%d" % rng.integers(1000, 99999),
                     500 if t > ti and rng.random() < 0.4 else 200, rng.integers(300, 9000), rng.uniform(0.02, 0.2), str(rng.choice(UA)), rng.uniform(0.02, 0.19)))
        acc += L.emit(rng, -10800, 0, 2, lambda t: L.nginx_access(t, "10.20.%d.%d" % (rng.integers(0, 3), rng.integers(2, 250)), "GET", "/healthz", 200, 2, 0.001, ELB_HC, 0.001))
        sc.log("/storefront/api/nginx-access", iid, acc)
    sc.log("/storefront/web/nginx-access", web[0], L.emit(rng, -10800, 0, 8, lambda t: L.nginx_access(
        t, ids.ip(), "GET", str(rng.choice(["/", "/c/outdoor", "/p/trail-runner-2", "/assets/app-5c1e.js", "/favicon.ico"])),
        int(rng.choice([200, 200, 200, 304, 404], p=[.5, .2, .15, .1, .05])), rng.integers(200, 60000), rng.uniform(0.002, 0.05), str(rng.choice(UA)))))

    a = sc.alarm("storefront-api-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
                 {"LoadBalancer": lb, "TargetGroup": tg_api}, "Sum", 60, 3, 25, "GreaterThanThreshold",
                 description="storefront API targets returning 5xx")
    sc.set_expect(a["name"], "bad_deployment", [api[0][0], api[0][1], api[1][0], api[1][1], "storefront-api-asg", "storefront-api"],
                  [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb, "TargetGroup": tg_api})])
    sc.meta = dict(alarm_on="front (ALB target group)", decoys="CreateDeployment to the web fleet 3.5 h earlier; "
                   "scheduled ASG action on web; web-1 CPU spike (sitemap); constant RoutingError for /wp-login.php",
                   story="A CodeDeploy deployment (application storefront-api, group api-prod, OneAtATime) rolled "
                   "release 2026.11.20-2 onto both API instances. After each instance restarts Puma, product pages "
                   "raise NoMethodError (undefined method `iso_code' for nil) in the price serializer; only the API "
                   "target group returns 5xx, the web target group behind the same ALB is unaffected.")
    return sc


def h03(seed=1103):
    region = "eu-central-1"
    sc = Scenario("h11-03-instance-role-sqs", "ingest-events queue backing up; dashboards stale since "
                  "about 40 minutes.", region, seed)
    rng, ids = sc.rng, sc.ids
    workers = [("i-0a7c3e5b9d1f24680", "ingest-worker-1"), ("i-03e9b1d7f5a2c4086", "ingest-worker-2")]
    role = "ingest-worker-instance-role"
    for iid, name in workers:
        sc.resource("ec2", iid, name=name, instance_type="c6g.large", autoscaling_group="ingest-worker-asg",
                    iam_instance_profile=role, log_groups=["/ingest-worker/app"])
    t_c = -2460
    sc.change(t_c, "iam.amazonaws.com", "DetachRolePolicy", "AWS::IAM::Role", role, "terraform-ci")
    sc.change(t_c - 4, "iam.amazonaws.com", "CreatePolicyVersion", "AWS::IAM::Policy", "ingest-shared-kms-decrypt", "terraform-ci")
    sc.change(-6840, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "reporting-etl-role", "terraform-ci")
    sc.change(-9900, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", workers[1][0], "s.vogel")
    broken = after(t_c + 20)
    sent = counts(rng, 380 + daily(70) + ar1(rng, 0, 15))
    recv = np.where(broken > 0, 0.0, np.maximum(sent + rng.normal(0, 6, len(T)), 0).round())
    backlog = np.cumsum(np.where(broken > 0, sent, 0.0)) + clip(ar1(rng, 12, 6), 0).round()
    oldest = np.where(broken > 0, (T - (t_c + 20)) + rng.uniform(0, 15, len(T)), clip(ar1(rng, 4, 2), 1)).round()
    M.sqs(sc, "ingest-events", sent, recv, backlog, oldest)
    for iid, _ in workers:
        M.ec2(sc, iid, cpu=clip(ar1(rng, 38, 4) + daily(5) - broken * 33 + 40 * between(-15000, -14700) * (iid == workers[0][0]), 0.5, 100),
              mem_level=51, disk_level=29, device="nvme0n1p1")

    def worker_line(iid, t):
        if t >= t_c + 20:
            return L.go_json(t, "error", "receive failed", caller="consumer/poller.go:96", queue="ingest-events", worker=int(rng.integers(0, 8)),
                             error=(f"operation error SQS: ReceiveMessage, https response error StatusCode: 403, RequestID: {ids.uuid()}, "
                                    f"api error AccessDenied: User: arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{iid} is not authorized to perform: "
                                    f"sqs:receivemessage on resource: arn:aws:sqs:{region}:{ACCOUNT}:ingest-events because no identity-based "
                                    f"policy allows the sqs:receivemessage action"), backoff=f"{rng.choice([1, 2, 4, 8])}s")
        r = rng.random()
        if r < 0.08:
            return L.go_json(t, "warn", "event schema v2 is deprecated, upcasting", caller="decode/schema.go:51", source=str(rng.choice(["pos-eu", "web-eu"])))
        return L.go_json(t, "info", "batch processed", caller="consumer/handler.go:142", queue="ingest-events",
                         messages=int(rng.integers(1, 11)), duration_ms=int(rng.gamma(3, 12)), sink="s3://ingest-curated-eu/events/")
    for iid, _ in workers:
        ev = L.emit(rng, -10800, 0, lambda t: 18 if t >= t_c + 20 else 11, lambda t, iid=iid: worker_line(iid, t))
        sc.log("/ingest-worker/app", iid, ev)

    a = sc.alarm("ingest-events-oldest-message", "AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "ingest-events"},
                 "Maximum", 60, 5, 900, "GreaterThanThreshold", description="ingest-events not being drained")
    sc.set_expect(a["name"], "permission_denied", [role, workers[0][0], workers[0][1], workers[1][0], workers[1][1], "ingest-worker-asg"],
                  [("AWS/SQS", "NumberOfMessagesReceived", {"QueueName": "ingest-events"})])
    sc.meta = dict(alarm_on="front (SQS queue)", decoys="PutRolePolicy on reporting-etl-role 1.9 h earlier; "
                   "CreatePolicyVersion on a shared KMS policy in the same apply; CreateTags on a worker; constant "
                   "schema-deprecation warnings; worker-1 CPU spike 4 h earlier",
                   story="A Terraform apply detached the SQS consume policy from the workers' instance role. From the "
                   "next poll every ReceiveMessage call from both EC2 workers fails with AccessDenied (assumed-role "
                   "ingest-worker-instance-role), nothing is received, the backlog and the age of the oldest message "
                   "grow linearly and the queue-age alarm fires.")
    return sc


def h04(seed=1104):
    region = "ap-southeast-2"
    sc = Scenario("h11-04-web-disk-full", "Root volume alarm on an AU web node; some checkout attempts "
                  "failing.", region, seed)
    rng, ids = sc.rng, sc.ids
    lb = "app/shop-au-alb/6b2d9f41c8e0a375"
    tg = "targetgroup/shop-au-web/2e8c4a6f0b1d3957"
    nodes = [("i-02d4f6a8c0e1b3579", "shop-au-web-1"), ("i-0e7a9c1b3d5f70246", "shop-au-web-2"),
             ("i-0b5d7f9a1c3e50864", "shop-au-web-3")]
    groups = ["/var/log/nginx/access.log", "/var/log/nginx/error.log", "/var/log/php-fpm/www-error.log"]
    for iid, name in nodes:
        sc.resource("ec2", iid, name=name, instance_type="m6i.large", autoscaling_group="shop-au-web-asg", log_groups=groups)
    sc.resource("alb", lb, name="shop-au-alb")
    sc.change(-7040, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/shop-au/prod/feature/new_search", "l.nguyen")
    sc.change(-16200, "ec2.amazonaws.com", "CreateSnapshot", "AWS::EC2::Volume", "vol-0c2e4a6b8d0f13579", "dlm-lifecycle")
    t_run, t_full = -9600, -1580
    disk3 = 52 + ar1(rng, 0, 0.05) + 48 * ramp(t_run, t_full) ** 1.25
    disk3 = np.minimum(disk3, 99.99)
    full = (disk3 >= 99.9).astype(float)
    reqs = [counts(rng, 260 + daily(50) + ar1(rng, 0, 9)) for _ in nodes]
    t5 = [counts(rng, r * 0.0005) for r in reqs]
    t5[2] = counts(rng, reqs[2] * (0.0005 + full * 0.16))
    for k, (iid, name) in enumerate(nodes):
        cpu = clip(ar1(rng, 29, 3) + daily(4) + (k == 0) * 45 * between(-5400, -5040) + (k == 2) * 14 * between(t_run, 0), 1, 100)
        M.ec2(sc, iid, cpu=cpu, mem_level=61, disk=disk3 if k == 2 else None, disk_level=47 + k)
    tot = reqs[0] + reqs[1] + reqs[2]
    M.alb(sc, lb, tot, target_5xx=t5[0] + t5[1] + t5[2], lat_level=0.21)
    M.target_group(sc, lb, tg, tot, np.full(len(T), 3.0), target_5xx=t5[0] + t5[1] + t5[2], lat_level=0.21)

    paths = ["/", "/product/%d", "/category/outdoor", "/cart", "/search?q=esky"]
    for k, (iid, name) in enumerate(nodes):
        def acc(t, k=k):
            post = rng.random() < 0.15
            path = str(rng.choice(["/checkout/payment", "/cart/add"])) if post else str(rng.choice(paths)).replace("%d", str(rng.integers(100, 9999)))
            bad = k == 2 and t >= t_full and (post or rng.random() < 0.1)
            return L.nginx_access(t, ids.ip("10.1"), "POST" if post else "GET", path, 500 if bad else 200,
                                  rng.integers(400, 30000), rng.uniform(0.05, 0.5), str(rng.choice(UA)), rng.uniform(0.05, 0.49))
        sc.log(groups[0], iid, L.emit(rng, -10800, 0, 8, acc))
        err = []
        if k == 2:
            err = L.emit(rng, t_full, 0, 6, lambda t: L.nginx_error(
                t, "crit", f'pwrite() "/var/lib/nginx/tmp/client_body/00000{rng.integers(10000, 99999)}" failed (28: No space left on device), '
                f'client: {ids.ip("10.1")}, server: shop.example.com.au, request: "POST /checkout/payment HTTP/1.1", host: "shop.example.com.au"',
                conn=int(rng.integers(40000, 90000))))
        err += L.emit(rng, -10800, 0, 0.15, lambda t: L.nginx_error(t, "warn", f"an upstream response is buffered to a temporary file "
                      f"/var/lib/nginx/tmp/fastcgi/{rng.integers(1, 9)}/0{rng.integers(10, 99)}/00000{rng.integers(1000, 9999)} while reading upstream, client: {ids.ip('10.1')}, "
                      f'server: shop.example.com.au, request: "GET /category/outdoor HTTP/1.1"', conn=int(rng.integers(1000, 90000))))
        sc.log(groups[1], iid, err)
        php = L.emit(rng, -10800, 0, 1.2, lambda t: L.php_err(t, "PHP Deprecated:  Creation of dynamic property App\\Legacy\\Cart::$promo is deprecated in /var/www/shop/src/Legacy/Cart.php on line 88"))
        if k == 2:
            php += L.emit(rng, t_run, t_full, 40, lambda t: L.php_err(t, 'PHP Warning:  Undefined array key "%s" in /var/www/shop/src/Feed/SupplierImporter.php on line %d'
                          % (rng.choice(["sku", "price_aud", "stock_qty"]), rng.choice([212, 214, 219]))))
            php += L.emit(rng, t_full, 0, 14, lambda t: L.php_err(t, str(rng.choice([
                "PHP Warning:  Unknown: write failed: No space left on device (28) in Unknown on line 0",
                "PHP Warning:  Unknown: Failed to write session data (files). Please verify that the current setting of session.save_path is correct (/var/lib/php/session) in Unknown on line 0",
                "PHP Warning:  file_put_contents(): Only 0 of 8192 bytes written, possibly out of free disk space in /var/www/shop/vendor/symfony/cache/Traits/FilesystemCommonTrait.php on line 119"]))))
        sc.log(groups[2], iid, php)

    dims = {"InstanceId": nodes[2][0], "path": "/", "device": "nvme0n1p1", "fstype": "xfs"}
    a = sc.alarm("shop-au-web-3-root-disk", "CWAgent", "disk_used_percent", dims, "Average", 300, 1, 90,
                 "GreaterThanThreshold", description="Root filesystem usage above 90%")
    sc.set_expect(a["name"], "storage_exhaustion", [nodes[2][0], nodes[2][1]], [("CWAgent", "disk_used_percent", dims)])
    sc.meta = dict(alarm_on="origin (CWAgent disk on the instance)", decoys="SSM PutParameter feature flag 2 h earlier; "
                   "DLM snapshot; web-1 CPU spike; constant PHP Deprecated and nginx temp-file warnings on all nodes",
                   story="The supplier-feed importer cron, which runs only on the leader node web-3, started hitting a "
                   "changed upstream feed format and writes an 'Undefined array key' PHP warning for every row into "
                   "www-error.log. The root volume of web-3 filled over about 2 h 15 min; once full, nginx cannot buffer "
                   "POST bodies and PHP cannot write sessions, so checkout requests on that node fail with 500.")
    return sc
