"""h44-01: storefront ALB 504s after the task security group lost its ALB ingress rule."""
from __future__ import annotations

from .common import (ACCOUNT, TIMES, Rng, Scenario, counts, diurnal, epoch, gauge, iso, ramp, spread)
from .kit import alb_metrics, ecs_util, py_info, rds_set, sim_lambda

REGION = "eu-west-1"
LB = "app/storefront-alb/7f3c2a9d1e4b6a05"
TG = "targetgroup/storefront-web-tg/3b9e1d7c5a2f4e61"
TASK_SG = "sg-07d2e8b1c4a39f5e2"
ALB_SG = "sg-0a4f1c2d3e5b60789"
PROM_SG = "sg-0c5a9e3f7d1b24680"
T0 = -2460                      # RevokeSecurityGroupIngress


def _spring(t, lvl, thread, logger, msg):
    return f"{iso(t)} {lvl:>5} 1 --- [storefront-web] [{thread:>15}] {logger:<40} : {msg}"


def _task_lifecycle(rng: Rng):
    """Return list of (task_id, start, stop_or_None). Originals run until ECS replaces them."""
    tasks = []
    for _ in range(6):
        tid = rng.hexs(32)
        stop = T0 + rng.uniform(70, 330)
        tasks.append((tid, -30000.0, stop))
        start = stop - rng.uniform(5, 25)          # replacement launched slightly before the stop
        while start < -40:
            life = rng.uniform(210, 330)
            nid = rng.hexs(32)
            tasks.append((nid, start, start + life if start + life < -5 else None))
            start = start + life - rng.uniform(5, 25)
    return tasks


def build() -> dict:
    rng = Rng(4401)
    sc = Scenario("h44-01-storefront-sg-ingress-revoked", REGION,
                  "Storefront returning 504 Gateway Timeout to shoppers; the storefront ALB 5XX alarm paged "
                  "the web on-call.")
    sc.res("alb", LB, name="storefront-alb", scheme="internet-facing",
           dns_name="storefront-alb-1187420593.eu-west-1.elb.amazonaws.com", vpc_id="vpc-0b7e1f3a9c2d45e68",
           security_groups=[{"id": ALB_SG, "name": "storefront-alb-sg",
                             "inbound": ["tcp 443 from 0.0.0.0/0", "tcp 80 from 0.0.0.0/0"],
                             "outbound": ["all traffic to 0.0.0.0/0"]}],
           listeners=[{"port": 443, "protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
                       "certificate": "*.acme-retail.eu (ACM, expires 2026-11-02)",
                       "default_action": "forward to storefront-web-tg"},
                      {"port": 80, "protocol": "HTTP", "default_action": "redirect to HTTPS:443"}],
           target_groups=[{"name": "storefront-web-tg", "id": TG, "target_type": "ip", "protocol": "HTTP",
                           "port": 8080, "health_check": {"path": "/actuator/health", "port": "traffic-port",
                                                          "interval_s": 15, "timeout_s": 5,
                                                          "healthy_threshold": 3, "unhealthy_threshold": 2},
                           "deregistration_delay_s": 30}])
    sc.res("ecs", "prod-web/storefront-web", cluster="prod-web", service_name="storefront-web",
           launch_type="FARGATE", task_definition="storefront-web:214", desired_count=6,
           image=f"{ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/storefront-web:4.18.2",
           cpu=1024, memory=2048, container_port=8080, health_check_grace_period_s=60,
           load_balancers=[{"target_group": "storefront-web-tg", "container_port": 8080}],
           network={"vpc_id": "vpc-0b7e1f3a9c2d45e68",
                    "subnets": ["subnet-0e1d2c3b4a5968778 (prod-web-private-a)",
                                "subnet-03a4b5c6d7e8f9012 (prod-web-private-b)",
                                "subnet-0f9e8d7c6b5a43210 (prod-web-private-c)"],
                    "assign_public_ip": "DISABLED",
                    "security_groups": [{"id": TASK_SG, "name": "storefront-web-tasks-sg",
                                         "inbound": [f"tcp 9404 from {PROM_SG} (prometheus-scrapers-sg)"],
                                         "outbound": ["all traffic to 0.0.0.0/0"]}]},
           environment={"SPRING_PROFILES_ACTIVE": "prod", "SERVER_PORT": "8080", "MANAGEMENT_SERVER_PORT": "9404",
                        "DB_URL": "jdbc:postgresql://storefront-db.cq1x7k2mzp0a.eu-west-1.rds.amazonaws.com:5432/storefront",
                        "CATALOG_CACHE_TTL": "300s", "JAVA_TOOL_OPTIONS": "-XX:MaxRAMPercentage=75"},
           log_group="/ecs/storefront-web")
    sc.res("rds", "storefront-db", engine="postgres", engine_version="15.5", instance_class="db.r6g.large",
           max_connections=1600, allocated_storage_gb=200, multi_az=True,
           security_groups=["sg-0d3f5a7c9e1b24680 (storefront-db-sg: tcp 5432 from storefront-web-tasks-sg)"])
    sc.res("lambda", "newsletter-signup", runtime="python3.12", timeout=10, memory_size=256,
           handler="app.handler", environment={"LIST_ID": "weekly-deals", "ESP_API_URL": "https://api.sendgrid.com/v3"})

    # ---------------------------------------------------------------- ALB / target group
    f = lambda t: ramp(t, T0 + 15, 170)
    base = lambda t: 1480 * diurnal(t, 0.18, -9000)
    req = counts(rng, lambda t: base(t) * (1 - 0.08 * f(t)))
    pm = {k: {} for k in ("RequestCount", "HTTPCode_Target_2XX_Count", "HTTPCode_Target_4XX_Count",
                          "HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count", "HTTPCode_ELB_504_Count",
                          "HTTPCode_ELB_503_Count", "TargetConnectionErrorCount", "TargetResponseTime",
                          "HealthyHostCount", "UnHealthyHostCount")}
    for t, n in req:
        n = int(n)
        bad = int(round(n * f(t) * rng.uniform(0.97, 1.0)))
        e503 = rng.poisson(6) if t > T0 + 200 and rng.random() < 0.25 else 0
        e504 = max(0, bad - e503) + (1 if rng.random() < 0.05 else 0)
        good = n - bad
        pm["RequestCount"][t] = n
        pm["HTTPCode_Target_4XX_Count"][t] = rng.poisson(good * 0.012)
        pm["HTTPCode_Target_5XX_Count"][t] = rng.poisson(0.4 * good / max(n, 1))
        pm["HTTPCode_Target_2XX_Count"][t] = max(0, good - pm["HTTPCode_Target_4XX_Count"][t])
        pm["HTTPCode_ELB_504_Count"][t] = e504
        pm["HTTPCode_ELB_503_Count"][t] = e503
        pm["HTTPCode_ELB_5XX_Count"][t] = e504 + e503
        pm["TargetConnectionErrorCount"][t] = int(e504 * rng.uniform(1.9, 2.1)) if bad else 0
        pm["TargetResponseTime"][t] = round(rng.gauss(0.118, 0.012), 4) if good > 5 else None
        unh = 0 if t < T0 + 30 else min(6, int(6 * ramp(t, T0 + 30, 60)) + (rng.randint(0, 2) if t > T0 + 300 else 0))
        pm["UnHealthyHostCount"][t] = unh
        pm["HealthyHostCount"][t] = max(0, 6 - unh) if t < T0 + 30 else 0
    alb_metrics(sc, LB, TG, pm)
    ecs_util(sc, rng, "prod-web", "storefront-web",
             cpu=lambda t: 37 * diurnal(t, 0.15, -9000) * (1 - 0.9 * f(t)) + 2,
             mem=lambda t: 58.5 - 6 * ramp(t, T0 + 60, 240),
             running=lambda t: 6 if t < T0 + 60 else rng.choice([5, 6, 6, 6, 7]))
    rds_set(sc, rng, "storefront-db", cpu=lambda t: 21 * diurnal(t, 0.1) * (1 - 0.55 * f(t)) + 3,
            conns=lambda t: 62 - 8 * f(t), free_gb=lambda t: 141.2 - 0.00002 * (t + 21600))

    # ---------------------------------------------------------------- decoy lambda (deployed at -2820)
    def nl_body(t, rid, is_err, d):
        h = rng.hexs(12)
        return [(0.01, py_info(t, rid, f"subscribe request list=weekly-deals email_sha=...{h}")),
                (d / 1000 - 0.02, py_info(t + d / 1000, rid, f"ESP accepted contact {h} status=202"))], None
    sim_lambda(sc, rng, "newsletter-signup", rate=lambda t: 3.2, dur=lambda t, e: rng.gauss(310, 60),
               body=nl_body, memory=256, mem_used=(71, 84), log_from=-7200, streams=1)

    # ---------------------------------------------------------------- ECS application logs
    tasks = _task_lifecycle(rng)
    events_ecs = []
    for tid, start, stop in tasks:
        ev = []
        t = max(start, -10800.0)
        if start > -10800:
            boot = [("main", "c.a.s.StorefrontApplication", "Starting StorefrontApplication v4.18.2 using Java 21.0.2 with PID 1"),
                    ("main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat initialized with port 8080 (http)"),
                    ("main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."),
                    ("main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat started on port 8080 (http) with context path ''"),
                    ("main", "c.a.s.StorefrontApplication", f"Started StorefrontApplication in {rng.uniform(19, 26):.3f} seconds (process running for {rng.uniform(21, 28):.1f})")]
            for i, (th, lg, msg) in enumerate(boot):
                ev.append((start + 2 + i * 4.5, _spring(start + 2 + i * 4.5, "INFO", th, lg, msg)))
            t = start + 25
        end = stop if stop is not None else -1
        m = int(t // 60) * 60 + 60
        while m < end:
            tt = m + rng.uniform(0, 3)
            rate = 0 if tt > T0 + 20 else int(base(m) / 6 * rng.uniform(0.93, 1.07))
            p99 = rng.randint(180, 260)
            ev.append((tt, _spring(tt, "INFO", "scheduling-1", "c.a.s.obs.TrafficReporter",
                                   f"last 60s: requests={rate} p50={rng.randint(31, 44) if rate else 0}ms p99={p99 if rate else 0}ms "
                                   f"errors_5xx={rng.poisson(0.07) if rate else 0} active_sessions={int(rate * 0.31)}")))
            if rng.random() < 0.45:
                tw = m + rng.uniform(10, 55)
                ev.append((tw, _spring(tw, "WARN", "scheduling-2", "c.a.s.pricing.FxRateService",
                                       "FX rate ISK->EUR stale (age 7h12m); serving cached value 0.006641")))
            if (m // 60) % 5 == 0:
                tc = m + rng.uniform(20, 40)
                ev.append((tc, _spring(tc, "INFO", "scheduling-1", "c.a.s.cache.CatalogCacheRefresher",
                                       f"Refreshed catalog cache: {rng.randint(18200, 18260)} products, "
                                       f"{rng.randint(640, 655)} categories in {rng.randint(690, 880)} ms")))
            m += 60
        if stop is not None:
            ev.append((stop, _spring(stop, "INFO", "SpringApplicationShutdownHook", "o.s.b.w.e.tomcat.GracefulShutdown",
                                     "Commencing graceful shutdown. Waiting for active requests to complete")))
            ev.append((stop + 0.4, _spring(stop + 0.4, "INFO", "tomcat-shutdown", "o.s.b.w.e.tomcat.GracefulShutdown",
                                           "Graceful shutdown complete")))
            ev.append((stop + 0.6, _spring(stop + 0.6, "INFO", "SpringApplicationShutdownHook", "com.zaxxer.hikari.HikariDataSource",
                                           "HikariPool-1 - Shutdown completed.")))
            events_ecs.append((stop - 31, tid))
        sc.log("/ecs/storefront-web", f"storefront-web/storefront-web/{tid}", ev)

    # ECS task state changes forwarded by EventBridge
    tg_arn = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:{TG}"
    ecs_ev = []
    for t, tid in sorted(events_ecs):
        if t < -10800:
            continue
        ecs_ev.append((t, '{"detail-type":"ECS Task State Change","source":"aws.ecs","detail":{"clusterArn":'
                          f'"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/prod-web","group":"service:storefront-web",'
                          f'"taskArn":"arn:aws:ecs:{REGION}:{ACCOUNT}:task/prod-web/{tid}","lastStatus":"RUNNING",'
                          '"desiredStatus":"STOPPED","stopCode":"ServiceSchedulerInitiated",'
                          f'"stoppedReason":"Task failed ELB health checks in (target-group {tg_arn})"}}}}'))
    sc.log("/aws/events/ecs-task-state", "prod-web", ecs_ev)

    # ---------------------------------------------------------------- VPC flow logs for two task ENIs
    alb_ips = ["10.40.0.87", "10.40.1.142", "10.40.2.19"]
    for eni, ip in (("eni-0a91c3e5f7b2d4068", "10.40.17.203"), ("eni-0d2b4f6a8c0e13579", "10.40.18.66")):
        ev = []
        for m in range(-5400, 0, 60):
            for _ in range(5):
                src = rng.choice(alb_ips)
                action = "REJECT" if m >= T0 else "ACCEPT"
                pk = rng.randint(6, 40) if action == "ACCEPT" else rng.randint(1, 3)
                by = pk * rng.randint(90, 900) if action == "ACCEPT" else pk * 60
                ev.append((m + rng.uniform(55, 59), f"2 {ACCOUNT} {eni} {src} {ip} {rng.randint(1024, 65000)} 8080 6 "
                                                    f"{pk} {by} {epoch(m)} {epoch(m + 60)} {action} OK"))
            ev.append((m + 58, f"2 {ACCOUNT} {eni} 10.40.30.{rng.choice([11, 12])} {ip} {rng.randint(32000, 61000)} 9404 6 "
                               f"{rng.randint(8, 12)} {rng.randint(24000, 31000)} {epoch(m)} {epoch(m + 60)} ACCEPT OK"))
        sc.log("/vpc/prod-web/flow-logs", eni, ev)

    # ---------------------------------------------------------------- changes / alarms
    sc.change(-9300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "prod-web/storefront-web",
              "github-actions-deployer")
    sc.change(-2820, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "newsletter-signup", "github-actions-deployer")
    sc.change(-2805, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "newsletter-signup", "github-actions-deployer")
    sc.change(-2472, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup", TASK_SG, "d.okafor")
    sc.change(T0, "ec2.amazonaws.com", "RevokeSecurityGroupIngress", "AWS::EC2::SecurityGroup", TASK_SG, "d.okafor")
    sc.alarm("storefront-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": LB},
             "Sum", 60, 3, 100, "GreaterThanThreshold", "ALARM", T0 + 250,
             description="Storefront ALB generated 5XX (P1 web on-call)")
    sc.alarm("storefront-web-tg-unhealthy", "AWS/ApplicationELB", "UnHealthyHostCount",
             {"TargetGroup": TG, "LoadBalancer": LB}, "Maximum", 60, 2, 1, "GreaterThanOrEqualToThreshold",
             "ALARM", T0 + 160)
    sc.alarm("newsletter-signup-errors", "AWS/Lambda", "Errors", {"FunctionName": "newsletter-signup"},
             "Sum", 300, 1, 5, "GreaterThanThreshold", "OK", -40000)
    sc.expect("storefront-alb-elb-5xx", "config_change",
              [TASK_SG, "storefront-web-tasks-sg", "prod-web/storefront-web", "storefront-web"],
              [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count", "dimensions": {"LoadBalancer": LB}},
               {"namespace": "AWS/ApplicationELB", "name": "UnHealthyHostCount",
                "dimensions": {"TargetGroup": TG, "LoadBalancer": LB}}])
    return sc.done()
