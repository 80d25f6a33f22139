"""h30-05 (cron job pins one catalog-web instance, cpu_saturation) and h30-06 (noisy neighbour on a shared MySQL, cpu_saturation)."""
from __future__ import annotations

from . import fleet, kit
from . import logfmt as L
from .core import GRID, Scenario, diurnal, ramp, sig

ELB = "AWS/ApplicationELB"


def s05():
    R = "us-east-2"
    sc = Scenario(5, "catalog-latency-cron-sitemap", R,
                  "catalog ALB latency alarm; product pages slow for about a third of requests.",
                  3005, kit.now(2026, 3, 13, 8, 10))
    lb = "app/catalog-alb/3d5f7b9c1e2a4c6e"
    tgid = "targetgroup/catalog-web-tg/8a0c2e4f6b8d0a2c"
    web = {"i-0d2f4a6c8e1b3d5f7": "catalog-web-1", "i-0a7e3c5b9d1f2e4a6": "catalog-web-2",
           "i-0c9e1a3f5b7d2c4e6": "catalog-web-3"}
    hot = "i-0a7e3c5b9d1f2e4a6"
    lg = ["/ec2/catalog-web/rails", "/ec2/catalog-web/cron"]
    for iid, name in web.items():
        sc.resource("ec2", iid, name=name, instance_type="c6i.xlarge", autoscaling_group="catalog-web-asg",
                    runtime="ruby 3.3 / Rails 7.1 / Puma 6.4 behind nginx", log_groups=lg)
    sc.resource("ec2", "i-0e8a0c2e4a6c8e0b1", name="catalog-worker-1", instance_type="m6i.large",
                autoscaling_group="catalog-worker-asg", runtime="sidekiq 7")
    sc.resource("alb", lb, name="catalog-alb", scheme="internet-facing", target_groups=["catalog-web-tg"])
    sc.resource("rds", "catalog-pg", engine="postgres", engine_version="15.6", instance_class="db.r6g.large",
                max_connections=1200, allocated_storage_gb=300)

    T0 = -3300
    hotf = lambda t: sig(t, T0 + 60, 60)
    req = sc.counts(lambda t: 2400 * diurnal(t, 0.1, 30000))
    per = [[float(sc.poisson(r / 3.0)) for r in req] for _ in range(3)]
    t5 = [float(sc.poisson(0.4 + p * 0.012 * hotf(t))) for t, p in zip(GRID, per[1])]
    e5 = [float(sc.poisson(0.1 + 1.5 * hotf(t))) for t in GRID]
    rt = lambda t: 0.128 + 0.83 * hotf(t)
    fleet.tg(sc, lb, tgid, req, rt, t5, lambda t: 3, lambda t: 0)
    fleet.alb(sc, lb, req, rt, t5, e5)
    for iid, name in web.items():
        cpu = (lambda t: 23 + 76 * hotf(t)) if iid == hot else (lambda t: 23 * diurnal(t, 0.1, 30000))
        net = (lambda t: 2.6e7 + 3.1e7 * (-9060 < t < -8820)) if name == "catalog-web-1" else (lambda t: 2.6e7)
        fleet.ec2(sc, iid, cpu, mem=lambda t: 58 + 4 * (iid == hot) * hotf(t), disk=lambda t: 47.0, netin=net)
    fleet.ec2(sc, "i-0e8a0c2e4a6c8e0b1", lambda t: 35, mem=lambda t: 63, disk=lambda t: 41.0, netin=lambda t: 9e6)
    fleet.rds(sc, "catalog-pg", lambda t: 21 + 7 * hotf(t), lambda t: 96 + 4 * hotf(t), lambda t: 205.0, lambda t: 7.4,
              read_iops=lambda t: 640 + 500 * hotf(t), write_iops=lambda t: 220)

    def page(t, slow=False):
        pid = sc.rng.choice([1822, 1823, 1824, 1825])
        rid = sc.uuid()
        path = sc.rng.choice(["/products/%d" % sc.rng.randint(10000, 999999), "/c/outdoor/tents", "/c/kitchen",
                              "/search?q=" + sc.rng.choice(["lamp", "rug", "kettle", "tent"])])
        ms = sc.rng.uniform(1800, 6200) if slow else sc.rng.uniform(40, 260)
        views = ms * sc.rng.uniform(0.6, 0.85)
        ar = sc.rng.uniform(4, 30)
        return L.rails(sc, t, "INFO", f"Completed 200 OK in {int(ms)}ms (Views: {views:.1f}ms | ActiveRecord: {ar:.1f}ms "
                                      f"(12 queries, 4 cached) | Allocations: {sc.rng.randint(9000, 90000)}) path={path}", pid, rid)

    def wp(t):
        return L.rails(sc, t, "FATAL", 'ActionController::RoutingError (No route matches [GET] "/wp-login.php"):',
                       sc.rng.choice([1822, 1823]), sc.uuid())

    def timeout(t):
        return L.rails(sc, t, "ERROR", "Rack::Timeout::RequestTimeoutException (Request ran for longer than 15000ms ):",
                       sc.rng.choice([1822, 1823, 1824, 1825]), sc.uuid())

    for iid, name in web.items():
        host = f"ip-10-30-{sc.rng.randint(1, 40)}-{sc.rng.randint(5, 250)}"
        ev = kit.events(sc, L.times(sc, -10800, -1, lambda t: 6 * (1 - (iid == hot) * hotf(t))), page)
        ev += kit.events(sc, L.times(sc, -10800, -1, 0.5), wp)
        if iid == hot:
            ev += kit.events(sc, L.times(sc, T0 + 60, -1, 6), lambda t: page(t, slow=True))
            ev += kit.events(sc, L.times(sc, T0 + 300, -1, 0.4), timeout)
        sc.log("/ec2/catalog-web/rails", iid, ev)
        cron = []
        for t in range(-10800 + 60, 0, 3600):
            cron.append((t + 1, L.syslog(sc, t + 1, host, f"CROND[{sc.rng.randint(20000, 40000)}]",
                                         "(root) CMD (run-parts /etc/cron.hourly)")))
            cron.append((t + 2, L.syslog(sc, t + 2, host, "run-parts[%d]" % sc.rng.randint(20000, 40000),
                                         "(/etc/cron.hourly) finished 0anacron")))
        if iid == hot:
            cron.append((T0, L.syslog(sc, T0, host, "CROND[31542]",
                                      "(deploy) CMD (/bin/bash -l -c 'cd /srv/catalog/releases/20260305141122 && "
                                      "RAILS_ENV=production bundle exec rake sitemap:refresh --silent >> "
                                      "/srv/catalog/shared/log/cron.log 2>&1')")))
            for k, t in enumerate(range(T0 + 20, 0, 300)):
                done = min(2412990, int(2412990 * (k * 300) / 9800))
                cron.append((t, L.syslog(sc, t, host, "rake[31544]",
                                         f"sitemap:refresh progress {done}/2412990 products, workers=4 (parallel), "
                                         f"elapsed={k * 5}m")))
        sc.log("/ec2/catalog-web/cron", iid, cron)
    sc.change(-10780, "ec2.amazonaws.com", "CreateLaunchTemplateVersion", "AWS::EC2::LaunchTemplate",
              "catalog-worker-lt", "assumed-role/packer-builder/packer")
    sc.change(-10760, "autoscaling.amazonaws.com", "UpdateAutoScalingGroup", "AWS::AutoScaling::AutoScalingGroup",
              "catalog-worker-asg", "assumed-role/packer-builder/packer")

    sc.alarm("catalog-pg-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "catalog-pg"}, "Average",
             300, 3, 80, "GreaterThanThreshold", expect_state="OK")
    a = sc.alarm("catalog-alb-target-latency", ELB, "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 5, 0.6,
                 "GreaterThanThreshold", desc="Average target response time on catalog-alb", expect_state="ALARM")
    res = [hot, "catalog-web-2"]
    sc.expect(a["name"], "cpu_saturation", res, [("AWS/EC2", "CPUUtilization", {"InstanceId": hot}),
                                                 (ELB, "TargetResponseTime", {"LoadBalancer": lb})])
    kit.meta(sc, a["name"], "cpu_saturation", res, "front (ALB)",
             "launch-template/ASG change for catalog-worker 3 h earlier; constant wp-login RoutingError noise; "
             "NetworkIn blip on catalog-web-1; catalog-pg CPU alarm (OK)",
             "At -55 min cron on catalog-web-2 launched 'rake sitemap:refresh' with four parallel workers. From that "
             "minute the instance's CPU sits at ~99 % and every Rails request it serves takes seconds (time spent in "
             "views, not ActiveRecord), with a few Rack::Timeout errors; web-1 and web-3 are unchanged, so the ALB's "
             "average latency triples. No deploy or config change touched the web fleet (the launch template change is "
             "for the worker ASG), and the database is only mildly busier. CPU pinned on one instance with latency "
             "following: cpu_saturation of catalog-web-2.")
    return sc


def s06():
    R = "eu-central-1"
    sc = Scenario(6, "orders-latency-shared-mysql-noisy-neighbour", R,
                  "orders-api latency alarm on commerce-alb; order pages and checkout confirmation slow.",
                  3006, kit.now(2026, 3, 12, 7, 30))
    lb = "app/commerce-alb/6a8c0e2b4d6f8a0c"
    tg_o = "targetgroup/orders-api-tg/2c4e6a8b0d2f4a6c"
    tg_i = "targetgroup/inventory-api-tg/9b1d3f5a7c9e1b3d"
    img = f"{kit.ACCOUNT}.dkr.ecr.{R}.amazonaws.com"
    db = "shared-mysql-prod"
    sc.resource("rds", db, engine="mysql", engine_version="8.0.35", instance_class="db.r6g.xlarge",
                max_connections=2000, allocated_storage_gb=1000, multi_az=True,
                log_groups=[f"/aws/rds/instance/{db}/slowquery", f"/aws/rds/instance/{db}/error"])
    sc.resource("ecs", "commerce/orders-api", launch_type="FARGATE", task_definition="orders-api:212",
                image=f"{img}/orders-api:8.14.1", cpu=1024, memory=2048, desired_count=6, runtime="dotnet8",
                log_groups=["/ecs/commerce/orders-api"])
    sc.resource("ecs", "commerce/inventory-api", launch_type="FARGATE", task_definition="inventory-api:97",
                image=f"{img}/inventory-api:3.2.0", cpu=512, memory=1024, desired_count=4, runtime="dotnet8",
                log_groups=["/ecs/commerce/inventory-api"])
    sc.resource("alb", lb, name="commerce-alb", scheme="internet-facing", target_groups=["orders-api-tg", "inventory-api-tg"])
    sc.resource("rds", "analytics-pg", engine="postgres", engine_version="16.1", instance_class="db.r6g.2xlarge")

    T0 = -2960
    hot = lambda t: sig(t, T0 + 90, 80)
    o_req = sc.counts(lambda t: 780 * diurnal(t, 0.2, -6000))
    i_req = sc.counts(lambda t: 520 * diurnal(t, 0.2, -6000))
    o5 = kit.frac(sc, o_req, lambda t: 0.0008 + 0.021 * hot(t))
    i5 = kit.frac(sc, i_req, lambda t: 0.0005 + 0.006 * hot(t))
    o_rt = lambda t: 0.086 + 2.3 * hot(t)
    i_rt = lambda t: 0.048 + 1.05 * hot(t)
    fleet.tg(sc, lb, tg_o, o_req, o_rt, o5, lambda t: 6, lambda t: 0)
    fleet.tg(sc, lb, tg_i, i_req, i_rt, i5, lambda t: 4, lambda t: 0)
    req = [a + b for a, b in zip(o_req, i_req)]
    fleet.alb(sc, lb, req, lambda t: 0.07 + 1.8 * hot(t), [a + b for a, b in zip(o5, i5)],
              [float(sc.poisson(0.1)) for _ in GRID])
    fleet.ecs(sc, "commerce", "orders-api", lambda t: 34 * diurnal(t, 0.2, -6000) - 12 * hot(t), lambda t: 44,
              lambda t: 6, lambda t: 6, mem_reserved_mb=2048)
    fleet.ecs(sc, "commerce", "inventory-api", lambda t: 22 + 18 * (-9600 < t < -9300) - 7 * hot(t),
              lambda t: 39 + 3 * (t > -9400), lambda t: 4 + 4 * (-9560 < t < -9330), lambda t: 4, mem_reserved_mb=1024)
    fleet.rds(sc, db, lambda t: 31 * diurnal(t, 0.2, -6000) + 67 * hot(t), lambda t: 182 + 52 * hot(t),
              lambda t: 612.0 - 0.4 * hot(t), lambda t: 9.8 - 1.1 * hot(t), read_lat=lambda t: 0.0011 + 0.0085 * hot(t),
              write_lat=lambda t: 0.0016 + 0.004 * hot(t), read_iops=lambda t: 900 + 4300 * hot(t),
              write_iops=lambda t: 420, dqd=lambda t: 0.7 + 13 * hot(t))
    fleet.rds(sc, "analytics-pg", lambda t: 12, lambda t: 14, lambda t: 1400.0, lambda t: 40.0)

    def finished(t, rt, svc="orders"):
        path = (f"/api/orders/{sc.rng.randint(10**6, 10**7)}" if svc == "orders"
                else f"/api/stock/{sc.rng.randint(10**5, 10**6)}")
        return L.dotnet(sc, t, "Information", "Microsoft.AspNetCore.Hosting.Diagnostics",
                        f"Request finished HTTP/1.1 GET http://{svc}-api.commerce.internal{path} - 200 "
                        f"- application/json;+charset=utf-8 {rt * 1000 * sc.rng.uniform(0.6, 1.4):.4f}ms", event_id=2)

    def loyalty(t):
        return L.dotnet(sc, t, "Warning", "Orders.Api.Clients.LoyaltyClient",
                        "Loyalty balance lookup degraded (circuit half-open); served cached balance")

    def timeout(t):
        oid = sc.rng.randint(10**6, 10**7)
        return L.dotnet(sc, t, "Error", "Microsoft.EntityFrameworkCore.Database.Command",
                        f"Failed executing DbCommand (30,0{sc.rng.randint(10, 99)}ms) [Parameters=[@__orderId_0='{oid}'], "
                        "CommandType='Text', CommandTimeout='30']\nSELECT `o`.`id`, `o`.`status`, `o`.`total`, `l`.`sku`, "
                        "`l`.`qty` FROM `orders` AS `o` LEFT JOIN `order_lines` AS `l` ON `o`.`id` = `l`.`order_id` "
                        "WHERE `o`.`id` = @__orderId_0", event_id=20102,
                        exc="MySqlConnector.MySqlException (0x80004005): The Command Timeout expired before the operation "
                            "completed.\n ---> System.TimeoutException: The operation has timed out.\n   at "
                            "MySqlConnector.Core.ServerSession.ReceiveReplyAsync(IOBehavior ioBehavior, CancellationToken "
                            "cancellationToken) in /_/src/MySqlConnector/Core/ServerSession.cs:line 951")

    for k in range(6):
        ev = kit.events(sc, L.times(sc, -10800, -1, 3.5), lambda t: finished(t, o_rt(t)))
        ev += kit.events(sc, L.times(sc, -10800, -1, 0.3), loyalty)
        ev += kit.events(sc, L.times(sc, T0 + 120, -1, 2.4), timeout)
        sc.log("/ecs/commerce/orders-api", f"orders/orders-api/{kit.task_id(sc)}", ev)
    for k in range(2):
        st = -9480 + 20 * k
        ev = [(st, L.dotnet(sc, st, "Information", "Microsoft.Hosting.Lifetime", "Now listening on: http://[::]:8080", 14))]
        ev += kit.events(sc, L.times(sc, st + 5, -1, 3), lambda t: finished(t, i_rt(t), "inventory"))
        sc.log("/ecs/commerce/inventory-api", f"inventory/inventory-api/{kit.task_id(sc)}", ev)

    bi = [(T0 + 20, L.pylog(sc, T0 + 20, "INFO", "bi_exporter", "job daily_margin_by_sku starting: window=90d "
                                                                 f"target=s3://acme-bi-exports-euc1/margin/ db={db}")),
          (T0 + 22, L.pylog(sc, T0 + 22, "INFO", "bi_exporter", "running query margin_by_sku_90d (4 parallel partitions)"))]
    bi += kit.events(sc, L.every(sc, T0 + 300, -1, 300), lambda t: L.pylog(
        sc, t, "INFO", "bi_exporter", f"partition progress: {sc.rng.randint(1, 4)}/4 still running, rows fetched "
                                       f"{sc.rng.randint(200000, 1900000)}"))
    sc.log("/ecs/commerce/bi-exporter", f"bi/bi-exporter/{kit.task_id(sc)}", bi)

    def slow(t, heavy=False):
        d = sc.dt(t)
        head = f"# Time: {d.strftime('%Y-%m-%dT%H:%M:%S')}.{d.microsecond:06d}Z\n"
        if heavy:
            return (head + f"# User@Host: bi_exporter[bi_exporter] @  [10.42.7.{sc.rng.randint(10, 60)}]  Id: {sc.rng.randint(880000, 890000)}\n"
                    f"# Query_time: {sc.rng.uniform(240, 900):.6f}  Lock_time: 0.000012 Rows_sent: {sc.rng.randint(400000, 1900000)}  "
                    f"Rows_examined: {sc.rng.randint(60, 140) * 1000000}\nSET timestamp={int(d.timestamp())};\n"
                    "SELECT l.sku, p.category_id, SUM(l.qty * (l.unit_price - c.unit_cost)) AS margin FROM order_lines l "
                    "JOIN orders o ON o.id = l.order_id JOIN products p ON p.sku = l.sku JOIN sku_costs c ON c.sku = l.sku "
                    "WHERE o.created_at >= NOW() - INTERVAL 90 DAY GROUP BY l.sku, p.category_id ORDER BY margin DESC;")
        return (head + f"# User@Host: orders_api[orders_api] @  [10.42.3.{sc.rng.randint(10, 200)}]  Id: {sc.rng.randint(700000, 760000)}\n"
                f"# Query_time: {sc.rng.uniform(1.1, 6.5):.6f}  Lock_time: 0.000004 Rows_sent: {sc.rng.randint(1, 12)}  "
                f"Rows_examined: {sc.rng.randint(1, 40)}\nSET timestamp={int(d.timestamp())};\n"
                "SELECT `o`.`id`, `o`.`status`, `o`.`total`, `l`.`sku`, `l`.`qty` FROM `orders` AS `o` LEFT JOIN "
                "`order_lines` AS `l` ON `o`.`id` = `l`.`order_id` WHERE `o`.`id` = 4412093;")
    sq = kit.events(sc, L.times(sc, -21600, T0 + 200, 0.04), slow)
    sq += kit.events(sc, L.times(sc, T0 + 200, -1, 3), slow)
    sq += [(t, slow(t, heavy=True)) for t in (T0 + 260, T0 + 700, T0 + 1380, T0 + 2100, T0 + 2600)]
    sc.log(f"/aws/rds/instance/{db}/slowquery", db, sq)
    er = kit.events(sc, L.times(sc, -21600, -1, 0.2), lambda t: L.mysql_err(
        sc, t, sc.rng.randint(700000, 890000), "Note", "MY-010914",
        f"Aborted connection {sc.rng.randint(700000, 890000)} to db: 'commerce' user: 'reporting_ro' host: "
        f"'10.42.9.{sc.rng.randint(10, 90)}' (Got timeout reading communication packets)."))
    sc.log(f"/aws/rds/instance/{db}/error", db, er)

    gh = "assumed-role/github-actions-deploy/GitHubActions"
    sc.change(-14000, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "analytics-pg",
              "assumed-role/AWSReservedSSO_DBA/m.schulz")
    sc.change(-9640, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "inventory-api:97", gh)
    sc.change(-9600, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "commerce/inventory-api", gh)
    sc.change(T0, "ecs.amazonaws.com", "RunTask", "AWS::ECS::Task", "commerce/bi-exporter:41",
              "assumed-role/eventbridge-scheduler-bi/scheduler")

    sc.alarm("inventory-api-5xx", ELB, "HTTPCode_Target_5XX_Count", {"TargetGroup": tg_i, "LoadBalancer": lb}, "Sum",
             60, 3, 25, "GreaterThanThreshold", expect_state="OK")
    dims = {"TargetGroup": tg_o, "LoadBalancer": lb}
    a = sc.alarm("commerce-alb-orders-latency", ELB, "TargetResponseTime", dims, "Average", 60, 3, 1.0,
                 "GreaterThanThreshold", desc="orders-api average response time above 1 s", expect_state="ALARM")
    res = [db]
    sc.expect(a["name"], "cpu_saturation", res, [("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}),
                                                 (ELB, "TargetResponseTime", dims)])
    kit.meta(sc, a["name"], "cpu_saturation", res, "front (ALB, caller)",
             "inventory-api deploy 2.7 h earlier; ModifyDBInstance on analytics-pg; the bi-exporter RunTask is the "
             "noisy neighbour's start, not a change to the victim; constant Aborted-connection notes and loyalty warnings",
             "orders-api did not change. At -49 min the scheduled bi-exporter task started a 90-day margin query on the "
             "shared MySQL primary (slow log: Query_time in the hundreds of seconds, ~100 M rows examined); the DB's CPU "
             "goes from ~30 % to ~98 % with ReadIOPS and DiskQueueDepth up, and every tenant slows: orders-api's "
             "one-row lookups now take seconds and some hit the 30 s command timeout, inventory-api slows too. The DB "
             "is the saturated resource and the common factor; orders-api's CPU even drops while it waits. "
             "cpu_saturation of shared-mysql-prod (the timeouts are not a dependency failure: the dependency is exhausted).")
    return sc
