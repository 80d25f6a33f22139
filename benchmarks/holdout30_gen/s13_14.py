"""h30-13 (pricing-engine TypeError on new supplier data, application_error) and h30-14 (bad AMI via instance refresh, bad_deployment)."""
from __future__ import annotations

import json

from . import fleet, kit
from . import logfmt as L
from .core import GRID, Scenario, diurnal, ramp, sig

ELB = "AWS/ApplicationELB"


def s13():
    R = "eu-central-1"
    sc = Scenario(13, "pricing-engine-typeerror-supplier-tiers", R,
                  "pricing-engine unhandled-errors alarm; some carts show 'price unavailable'.",
                  3013, kit.now(2026, 3, 20, 9, 50))
    lb = "app/catalog-int-alb/0b2d4f6b8d0f2b4d"
    tgid = "targetgroup/pricing-engine-tg/6d8f0b2d4f6b8d0f"
    img = f"{kit.ACCOUNT}.dkr.ecr.{R}.amazonaws.com"
    sc.resource("ecs", "catalog/pricing-engine", launch_type="FARGATE", task_definition="pricing-engine:176",
                image=f"{img}/pricing-engine:9.7.3", desired_count=6, runtime="nodejs20 (pino)",
                log_groups=["/ecs/catalog/pricing-engine"])
    sc.resource("ecs", "catalog/search-indexer", launch_type="FARGATE", task_definition="search-indexer:88",
                image=f"{img}/search-indexer:4.1.0", desired_count=2, runtime="go1.22",
                log_groups=["/ecs/catalog/search-indexer"])
    sc.resource("ecs", "catalog/image-proxy", launch_type="FARGATE", task_definition="image-proxy:23",
                image=f"{img}/image-proxy:1.8.2", desired_count=3, runtime="go1.22 + envoy sidecar")
    sc.resource("alb", lb, name="catalog-int-alb", scheme="internal", target_groups=["pricing-engine-tg"])
    sc.resource("rds", "catalog-pg-euc1", engine="postgres", engine_version="16.2", instance_class="db.r6g.xlarge",
                max_connections=3400)

    T0 = -2520
    bad = lambda t: 0.115 * sig(t, T0 + 20, 15)
    req = sc.counts(lambda t: 2300 * diurnal(t, 0.25, -18000))
    t5 = kit.frac(sc, req, lambda t: 0.0004 + bad(t))
    errs = [x + sc.poisson(1.8) for x in t5]
    fleet.tg(sc, lb, tgid, req, lambda t: 0.034, t5, lambda t: 6, lambda t: 0)
    fleet.alb(sc, lb, req, lambda t: 0.034, t5, [float(sc.poisson(0.05)) for _ in GRID])
    dims = {"ClusterName": "catalog", "ServiceName": "pricing-engine"}
    sc.metric("Catalog/PricingEngine", "UnhandledErrors", dims, "Count", errs)
    fleet.ecs(sc, "catalog", "pricing-engine", lambda t: 31 * diurnal(t, 0.25, -18000), lambda t: 44, lambda t: 6,
              lambda t: 6, mem_reserved_mb=1024)
    fleet.ecs(sc, "catalog", "search-indexer", lambda t: 20 + 30 * (-4300 < t < -4000), lambda t: 51,
              lambda t: 2 + 2 * (-4280 < t < -4060), lambda t: 2, mem_reserved_mb=2048)
    fleet.ecs(sc, "catalog", "image-proxy", lambda t: 12, lambda t: 22, lambda t: 3 + 3 * (-11000 < t < -10800),
              lambda t: 3, mem_reserved_mb=512)
    fleet.rds(sc, "catalog-pg-euc1", lambda t: 28 * diurnal(t, 0.25, -18000) + 9 * (-2600 < t < -2480),
              lambda t: 310, lambda t: 802.0, lambda t: 21.0)

    def quote(t, host):
        return L.pino(sc, t, "info", "quote computed", host, reqId=f"req-{sc.hexid(10)}", skus=sc.rng.randint(1, 12),
                      currency=sc.rng.choice(["EUR", "EUR", "CHF", "PLN"]), responseTime=round(sc.rng.uniform(8, 60), 1))

    def warm(t, host):
        return L.pino(sc, t, "error", "Failed to warm cache for locale pt-BR", host,
                      err={"type": "Error", "message": "no price list published for locale pt-BR"})

    def typeerr(t, host):
        sku = f"SUP2291-{sc.rng.randint(100000, 999999)}"
        return L.pino(sc, t, "error", "unhandled error in POST /v3/quote", host, reqId=f"req-{sc.hexid(10)}",
                      sku=sku, statusCode=500,
                      err={"type": "TypeError", "message": "Cannot read properties of undefined (reading 'amount')",
                           "stack": "TypeError: Cannot read properties of undefined (reading 'amount')\n"
                                    "    at computeTieredPrice (/app/dist/pricing/tiers.js:88:41)\n"
                                    "    at Array.map (<anonymous>)\n"
                                    "    at PriceService.quote (/app/dist/pricing/service.js:132:28)\n"
                                    "    at async /app/dist/routes/quote.js:19:21"})

    for k in range(6):
        host = f"ip-10-90-{sc.rng.randint(1, 40)}-{sc.rng.randint(5, 250)}.eu-central-1.compute.internal"
        ev = kit.events(sc, L.times(sc, -10800, -1, 6), lambda t, h=host: quote(t, h))
        ev += kit.events(sc, L.times(sc, -10800, -1, 0.3), lambda t, h=host: warm(t, h))
        ev += kit.events(sc, L.times(sc, T0 + 10, -1, lambda t: 4.0 * sig(t, T0 + 20, 15)), lambda t, h=host: typeerr(t, h))
        if k == 0:  # the scheduled supplier sync runs on the leader task
            for j, t in enumerate(range(T0 - 40 - 7200, 0, 3600)):
                sup = ["SUP-0142", "SUP-0877", "SUP-2291"][j % 3] if t < T0 - 400 else "SUP-2291"
                n = sc.rng.randint(40, 400) if t < T0 - 400 else 1240
                ev.append((t, L.pino(sc, t, "info", "supplier price sync started", host, supplier=sup)))
                ev.append((t + 35, L.pino(sc, t + 35, "info", "supplier price sync complete", host, supplier=sup,
                                          updated=n, skipped=0, feedFormat="tiers-v2" if t > T0 - 400 else "tiers-v1")))
        sc.log("/ecs/catalog/pricing-engine", f"pricing/pricing-engine/{kit.task_id(sc)}", ev)
    si = [(-4150, L.slog(sc, -4150, "INFO", "starting search-indexer", version="4.1.0", commit="77ad2e1"))]
    si += kit.events(sc, L.every(sc, -4140, -1, 120), lambda t: L.slog(
        sc, t, "INFO", "index batch committed", docs=sc.rng.randint(200, 3000), took_ms=sc.rng.randint(300, 2000)))
    sc.log("/ecs/catalog/search-indexer", f"indexer/search-indexer/{kit.task_id(sc)}", si)

    gh = "assumed-role/github-actions-deploy/GitHubActions"
    sc.change(-11040, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "image-proxy:23",
              "assumed-role/AWSReservedSSO_Developer/l.marchetti")
    sc.change(-11000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "catalog/image-proxy",
              "assumed-role/AWSReservedSSO_Developer/l.marchetti")
    sc.change(-4340, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "search-indexer:88", gh)
    sc.change(-4300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "catalog/search-indexer", gh)

    a = sc.alarm("pricing-engine-unhandled-errors", "Catalog/PricingEngine", "UnhandledErrors", dims, "Sum", 60, 3, 20,
                 "GreaterThanThreshold", desc="level>=50 log lines in /ecs/catalog/pricing-engine", expect_state="ALARM")
    res = ["catalog/pricing-engine", "pricing-engine"]
    sc.expect(a["name"], "application_error", res, [("Catalog/PricingEngine", "UnhandledErrors", dims)])
    kit.meta(sc, a["name"], "application_error", res, "origin (service metric)",
             "search-indexer deploy ~30 min before onset; image-proxy task-definition change 3 h earlier; constant "
             "pt-BR cache-warm errors; DB CPU blip during the sync",
             "pricing-engine has not changed for days. 42 minutes ago its hourly supplier sync imported 1,240 SKUs from "
             "SUP-2291 in a new 'tiers-v2' feed format; since then every quote containing one of those SKUs throws "
             "'TypeError: Cannot read properties of undefined (reading 'amount')' in computeTieredPrice and returns 500 "
             "(about 11 % of quotes). The database, CPU and memory are normal, nothing it calls is failing, and the "
             "search-indexer release is a different service whose logs are clean. An unhandled exception in the "
             "service's own code, triggered by data rather than by a deploy, config or resource fault: "
             "application_error in pricing-engine.")
    return sc


def s14():
    R = "us-east-2"
    sc = Scenario(14, "inventory-unhealthy-targets-bad-ami-refresh", R,
                  "inventory-api target group unhealthy-hosts alarm; inventory lookups slower than usual.",
                  3014, kit.now(2026, 3, 21, 15, 30))
    lb = "app/inventory-alb/5e7a9c1e3a5c7e9a"
    tgid = "targetgroup/inventory-api-tg/1b3d5f7b9d1f3b5d"
    old = ["i-0a2b4c6d8e0f1a3b5", "i-0c4d6e8f0a2b3c5d7", "i-0e6f8a0b2c4d5e7f9", "i-0f7a9b1c3d5e6f8a0"]
    new = ["i-0d3e5f7a9b1c2d4e6", "i-0b1c3d5e7f9a0b2c4"]
    ami_old, ami_new = "ami-07c1e3a5b7d9f1e3c", "ami-0f2e4d6c8b0a1e3c5"
    for i, iid in enumerate(old + new):
        sc.resource("ec2", iid, name="inventory-api", instance_type="m6i.large", autoscaling_group="inventory-api-asg",
                    ami=ami_new if iid in new else ami_old, launch_template="inventory-api-lt",
                    state="terminated" if iid in old[:2] else "running",
                    log_groups=["/ec2/inventory-api/app", "/ec2/inventory-api/messages"])
    sc.resource("ec2", "i-09a1b3c5d7e9f1a3b", name="reporting-1", instance_type="r6i.large")
    sc.resource("alb", lb, name="inventory-alb", scheme="internal", target_groups=["inventory-api-tg"],
                health_check="/actuator/health", autoscaling_group="inventory-api-asg (health check type EC2)")

    T_REF, T_OFF, T_NEW = -3840, -3780, -3770
    req = sc.counts(lambda t: 1900 * diurnal(t, 0.1, -3000))
    t5 = kit.frac(sc, req, lambda t: 0.0005 + 0.0025 * sig(t, T_OFF, 30))
    rt = lambda t: 0.092 + 0.23 * sig(t, T_OFF, 30)
    healthy = lambda t: 4 if t < T_OFF else 2
    unhealthy = lambda t: 2 if t >= T_NEW + 200 else 0
    fleet.tg(sc, lb, tgid, req, rt, t5, healthy, unhealthy)
    fleet.alb(sc, lb, req, rt, t5, [float(sc.poisson(0.05)) for _ in GRID])
    for i, iid in enumerate(old):
        if i < 2:
            fleet.ec2(sc, iid, lambda t: None if t >= T_OFF + 60 else 34 * diurnal(t, 0.1, -3000),
                      mem=lambda t: None if t >= T_OFF + 60 else 66, disk=lambda t: None if t >= T_OFF + 60 else 31.0,
                      netin=lambda t: None if t >= T_OFF + 60 else 2.2e7)
        else:
            fleet.ec2(sc, iid, lambda t: 34 * diurnal(t, 0.1, -3000) * (1 + 0.95 * sig(t, T_OFF, 30)),
                      mem=lambda t: 66 + 5 * sig(t, T_OFF, 30), disk=lambda t: 31.0,
                      netin=lambda t: 2.2e7 * (1 + sig(t, T_OFF, 30)))
    for iid in new:
        fleet.ec2(sc, iid, lambda t: None if t < T_NEW + 60 else (30 if t < T_NEW + 180 else 3.5),
                  mem=lambda t: None if t < T_NEW + 120 else 9.0, disk=lambda t: None if t < T_NEW + 120 else 18.0,
                  netin=lambda t: None if t < T_NEW + 60 else 1.2e5)
    fleet.ec2(sc, "i-09a1b3c5d7e9f1a3b", lambda t: 20 + 60 * (-7200 < t < -6900), mem=lambda t: 58, disk=lambda t: 44.0)

    def ok(t):
        return L.spring(sc, t, "INFO", "c.a.inventory.api.StockController",
                        f"GET /v2/stock/{sc.rng.randint(10**5, 10**6)} warehouses={sc.rng.randint(1, 9)} "
                        f"took={sc.rng.randint(5, 60)}ms", thread=f"http-nio-8080-exec-{sc.rng.randint(1, 80)}")

    def erp(t):
        return L.spring(sc, t, "ERROR", "c.a.inventory.sync.ErpSyncJob",
                        f"ERP delta sync failed for batch {sc.rng.randint(10**5, 10**6)}: 409 Conflict (stale version), "
                        "will retry next cycle", thread="scheduling-1")
    for i, iid in enumerate(old):
        end = T_OFF + 30 if i < 2 else -1
        ev = kit.events(sc, L.times(sc, -10800, end, lambda t: 4 * (1 + (i >= 2) * sig(t, T_OFF, 30))), ok)
        ev += kit.events(sc, L.times(sc, -10800, end, 0.25), erp)
        if i < 2:
            ev.append((T_OFF + 20, L.spring(sc, T_OFF + 20, "INFO", "o.s.b.w.e.tomcat.GracefulShutdown",
                                            "Commencing graceful shutdown. Waiting for active requests to complete",
                                            thread="tomcat-shutdown")))
        sc.log("/ec2/inventory-api/app", iid, ev)
    for iid in new:
        h = f"ip-10-33-{sc.rng.randint(1, 40)}-{sc.rng.randint(5, 250)}"
        b = T_NEW + 48
        ev = [(b, L.syslog(sc, b, h, "cloud-init[1821]", f"Cloud-init v. 22.2.2 running 'modules:final'. image "
                                                         f"inventory-api-al2023-2026.03.21 ({ami_new})")),
              (b + 1, L.syslog(sc, b + 1, h, "cloud-init[1821]", "[bootstrap] baked components: inventory-api 7.3.2, "
                                                                 "jdk=java-21-amazon-corretto, cwagent 1.300032")),
              (b + 2, L.syslog(sc, b + 2, h, "systemd[1]", "Started amazon-cloudwatch-agent.service - Amazon CloudWatch Agent."))]
        t, n = b + 3, 1
        while t < -1:
            pid = sc.rng.randint(2000, 9000)
            ev += [(t, L.syslog(sc, t, h, "systemd[1]", "Started inventory-api.service - Inventory API.")),
                   (t + 0.2, L.syslog(sc, t + 0.2, h, f"inventory-api[{pid}]",
                                      "/opt/inventory-api/bin/inventory-api: line 279: "
                                      "/usr/lib/jvm/java-17-amazon-corretto.x86_64/bin/java: No such file or directory")),
                   (t + 0.3, L.syslog(sc, t + 0.3, h, "systemd[1]",
                                      "inventory-api.service: Main process exited, code=exited, status=127/n/a")),
                   (t + 0.31, L.syslog(sc, t + 0.31, h, "systemd[1]", "inventory-api.service: Failed with result 'exit-code'.")),
                   (t + 10.3, L.syslog(sc, t + 10.3, h, "systemd[1]",
                                       f"inventory-api.service: Scheduled restart job, restart counter is at {n}."))]
            t += 10.5
            n += 1
            if n % 6 == 0:
                t += 60  # journald rate-limits; keep volume sane
        sc.log("/ec2/inventory-api/messages", iid, ev)

    def asg_ev(t, kind, iid, cause):
        d = {"version": "0", "id": sc.uuid(), "detail-type": kind, "source": "aws.autoscaling", "account": kit.ACCOUNT,
             "time": sc.iso(t, ms=False), "region": R, "detail": {"StatusCode": "InProgress" if "Launch" in kind else "Successful",
                                                                  "AutoScalingGroupName": "inventory-api-asg",
                                                                  "EC2InstanceId": iid, "Cause": cause}}
        return json.dumps(d, separators=(",", ":"))
    dt = sc.dt(T_REF).strftime("%Y-%m-%dT%H:%M:%SZ")
    ae = [(T_OFF + 50, asg_ev(T_OFF + 50, "EC2 Instance Terminate Successful", iid,
                              f"At {dt} an instance was taken out of service in response to an instance refresh.")) for iid in old[:2]]
    ae += [(T_NEW, asg_ev(T_NEW, "EC2 Instance Launch Successful", iid,
                          f"At {dt} an instance was launched in response to an instance refresh "
                          f"using launch template inventory-api-lt version 18.")) for iid in new]
    ae.append((T_REF + 2, json.dumps({"version": "0", "id": sc.uuid(), "detail-type": "EC2 Auto Scaling Instance Refresh Started",
                                      "source": "aws.autoscaling", "account": kit.ACCOUNT, "time": sc.iso(T_REF + 2, ms=False),
                                      "region": R, "detail": {"AutoScalingGroupName": "inventory-api-asg",
                                                              "InstanceRefreshId": sc.uuid(),
                                                              "Preferences": {"MinHealthyPercentage": 50,
                                                                              "InstanceWarmup": 300}}},
                                     separators=(",", ":"))))
    sc.log("/aws/events/autoscaling/inventory-api", "asg-events", ae)

    pk = "assumed-role/packer-pipeline/codebuild"
    sc.change(-7260, "ssm.amazonaws.com", "SendCommand", "AWS::SSM::Document", "AWS-RunPatchBaseline",
              "assumed-role/AWSReservedSSO_Ops/k.nguyen")
    sc.change(T_REF - 60, "ec2.amazonaws.com", "CreateLaunchTemplateVersion", "AWS::EC2::LaunchTemplate",
              "inventory-api-lt", pk)
    sc.change(T_REF, "autoscaling.amazonaws.com", "StartInstanceRefresh", "AWS::AutoScaling::AutoScalingGroup",
              "inventory-api-asg", pk)

    dims = {"TargetGroup": tgid, "LoadBalancer": lb}
    a = sc.alarm("inventory-api-tg-unhealthy-hosts", ELB, "UnHealthyHostCount", dims, "Maximum", 60, 5, 1,
                 "GreaterThanOrEqualToThreshold", desc="inventory-api targets failing ALB health checks",
                 expect_state="ALARM")
    res = new + ["inventory-api-asg", "inventory-api-lt", ami_new]
    sc.expect(a["name"], "bad_deployment", res, [(ELB, "UnHealthyHostCount", dims)])
    kit.meta(sc, a["name"], "bad_deployment", res, "front (ALB target group)",
             "SSM patch run on the reporting fleet 2 h earlier; reporting-1 CPU blip; constant ERP 409 sync errors; the "
             "higher CPU/latency on the two surviving old instances is a consequence",
             "A packer pipeline created launch-template version 18 with a freshly baked AMI and started an instance "
             "refresh of inventory-api-asg 64 minutes ago. Two old instances were terminated and two new ones launched "
             "from the new image; on those, inventory-api.service crash-loops with status 127 because the unit still "
             "points at /usr/lib/jvm/java-17-amazon-corretto... while the image now ships Corretto 21. They never pass "
             "/actuator/health, so UnHealthyHostCount sits at 2, the refresh stalls waiting for warm-up, and the two "
             "remaining old instances carry double load. A new machine image rolled out right before onset with a "
             "failure signature that exists only on it: bad_deployment (the new instances / ASG / launch template).")
    return sc
