"""h68-11: loadout 5xx at the ALB; the item-catalog EC2 host the Go service calls drops off the network."""
from __future__ import annotations

from .common import Scenario, diurnal
from .kit import alb_family, ec2_family, ecs_deploy, ecs_family, emit, event_load, logfmt, ramp

EVENT, DEPLOY, DECOY, FAIL = -8400, -3000, -1800, -1740
CAT = "i-03a9e6c1f5b7d2e48"


def build() -> Scenario:
    sc = Scenario(11, "loadout-save-5xx", "Players cannot equip or preview items; gear ALB target 5xx "
                  "alarm during the Hanbit festival.", "ap-northeast-2", 6811, "2026-12-01T12:40:00")
    rng = sc.rng
    lb, ip = "app/gear-public/5d8e1f2a9b3c7064", "10.20.4.17"
    sc.resource("alb", lb, name="gear-public", targets="gear-prod/loadout-api")
    sc.resource("ecs", "gear-prod/loadout-api", launch_type="FARGATE", desired_count=6, runtime="go1.22",
                depends_on=f"http://{ip}:8080 (item catalog)")
    sc.resource("ecs", "gear-prod/cosmetics-preview", launch_type="FARGATE", desired_count=3, runtime="nodejs20")
    sc.resource("ec2", CAT, name="gearcat-01", instance_type="r6i.large", private_ip=ip,
                app="item catalog (Java 17, Jetty)", log_groups=["/gear/catalog/app", "/gear/catalog/syslog"])
    load = lambda t: diurnal(sc, t, 12, 0.2) * event_load(t, EVENT, 2.2, 1.4, 2400)
    down = lambda t: 1.0 if t >= FAIL else 0.0
    req = lambda t: 1150 * load(t)
    alb_family(sc, lb, req, lambda t: 0.041 + 0.01 * (load(t) - 1) + 0.95 * down(t),
               t5xx=lambda t: 0.4 + 0.31 * req(t) * down(t), t4xx=lambda t: 14 * load(t), hosts=lambda t: 6)
    ecs_family(sc, "gear-prod", "loadout-api", lambda t: 19 * load(t) + 14 * ramp(t, DEPLOY, DEPLOY + 60)
               * (1 - ramp(t, DEPLOY + 300, DEPLOY + 360)) - 5 * down(t), lambda t: 33, tasks=lambda t: 6)
    ecs_family(sc, "gear-prod", "cosmetics-preview", lambda t: 15 * load(t) + 45 * ramp(t, DECOY, DECOY + 60)
               * (1 - ramp(t, DECOY + 300, DECOY + 360)), lambda t: 46, tasks=lambda t: 3)
    ec2_family(sc, CAT, lambda t: 23 * load(t), netin=lambda t: 2.1e6 * load(t), mem=lambda t: 61,
               alive=lambda t: t < FAIL - 30, status=down)

    # ---------------------------------------------------------------- loadout-api (Go, logfmt)
    old = [sc.hexid(32) for _ in range(6)]
    new = [sc.hexid(32) for _ in range(6)]
    task = lambda t: f"ecs/loadout-api/{rng.choice(old if t < DEPLOY + 150 else new)}"
    g = "/ecs/loadout-api"
    emit(sc, g, task, lambda t: 3.0 * load(t) * (1 - 0.5 * down(t)), lambda t: logfmt(
        sc, t, "info", "loadout saved", player=f"p_{sc.hexid(10)}", items=rng.randint(3, 12),
        catalog_ms=rng.randint(3, 25), dur_ms=rng.randint(8, 60)))
    emit(sc, g, task, lambda t: 1.4, lambda t: logfmt(
        sc, t, "error", "validate loadout", player=f"p_{sc.hexid(10)}", err="item not owned",
        item=f"itm_{rng.randint(10000, 99999)}", status=403))
    for i, tid in enumerate(new):
        t = DEPLOY + 60 + 15 * i
        sc.log(g, f"ecs/loadout-api/{tid}", t, logfmt(sc, t, "info", "starting loadout-api", version="2.31.0",
                                                       commit="e41c9a7", catalog=f"http://{ip}:8080"))
    emit(sc, g, task, lambda t: 5.0 * down(t), lambda t: logfmt(
        sc, t, "error", "catalog lookup failed", player=f"p_{sc.hexid(10)}", status=502,
        err=f"Get \\\"http://{ip}:8080/v2/items?ids={rng.randint(10000, 99999)},{rng.randint(10000, 99999)}\\\": "
            + rng.choice([f"dial tcp {ip}:8080: connect: no route to host",
                          f"dial tcp {ip}:8080: i/o timeout",
                          "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"])),
        t0=FAIL)

    # ---------------------------------------------------------------- catalog host logs
    emit(sc, "/gear/catalog/app", CAT, lambda t: 2.0 * load(t), lambda t: (
        f"{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')},{int(t * 1000) % 1000:03d} INFO  [qtp1163157884-{rng.randint(20, 90)}] "
        f"c.a.catalog.ItemResource - GET /v2/items ids={rng.randint(1, 12)} 200 {rng.randint(2, 20)}ms"), t1=FAIL - 35)
    emit(sc, "/gear/catalog/syslog", CAT, lambda t: 0.1, lambda t: (
        f"{sc.at(t).strftime('%b %d %H:%M:%S')} ip-10-20-4-17 chronyd[612]: Selected source 169.254.169.123"),
        t1=FAIL - 35)
    for k, dt in enumerate((-150, -95, -61, -44)):
        t = FAIL + dt
        sc.log("/gear/catalog/syslog", CAT, t, f"{sc.at(t).strftime('%b %d %H:%M:%S')} ip-10-20-4-17 kernel: "
               f"ena 0000:00:05.0 eth0: TX hang detected on queue {rng.randint(0, 3)} (no interrupts)")
    t = FAIL - 40
    sc.log("/gear/catalog/syslog", CAT, t, f"{sc.at(t).strftime('%b %d %H:%M:%S')} ip-10-20-4-17 kernel: "
           "ena 0000:00:05.0 eth0: Trigger reset is on")

    sc.alarm("gear-public-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 40, "GreaterThanThreshold", "Gear API 5xx")
    sc.alarm("cosmetics-preview-cpu", "AWS/ECS", "CPUUtilization",
             {"ClusterName": "gear-prod", "ServiceName": "cosmetics-preview"}, "Average", 60, 2, 50, "GreaterThanThreshold")
    sc.change(-20200, "ec2.amazonaws.com", "ModifyInstanceMetadataOptions", "AWS::EC2::Instance", CAT, "ops-yjkim")
    ecs_deploy(sc, DEPLOY, "gear-prod", "loadout-api", 142, "github-actions-gear")
    ecs_deploy(sc, DECOY, "gear-prod", "cosmetics-preview", 57, "github-actions-gear")
    sc.expect = {"alarm": "gear-public-target-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [CAT, "gearcat-01"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "StatusCheckFailed", "dimensions": {"InstanceId": CAT}}]}
    sc.meta = {
        "front": "front (ALB -> loadout-api -> failed EC2 dependency)",
        "services": ["alb", "ecs", "ec2"], "runtime": "Go (logfmt), Java on EC2 (log4j), syslog",
        "decoys": "loadout-api deploy 21 min before onset; cosmetics-preview deploy 1 min before onset (and its "
                  "CPU alarm); steady 'item not owned' 403 errors from cheat clients",
        "story": (
            "loadout-api was deployed at -50 min (version 2.31.0) and ran normally for 21 minutes, its "
            "'loadout saved' lines showing 3-25 ms catalog calls. At -29 min the catalog host gearcat-01 "
            "logs `ena ... TX hang detected` and `Trigger reset is on` in syslog, its application log "
            "stops, its CPU and network metrics go missing and StatusCheckFailed turns 1 and stays there. "
            "From that minute loadout-api logs `catalog lookup failed` with `dial tcp 10.20.4.17:8080: "
            "connect: no route to host` / `i/o timeout`, and ~31 % of ALB requests end in target 5xx. "
            "cosmetics-preview was deployed one minute before the failure (only a CPU blip and a "
            "short CPU alarm); loadout-api's `item not owned` errors are cheat clients at a constant rate."),
        "judgement": "A deployment of the failing caller 21 min earlier satisfies 'deployment shortly before', "
                     "but the new error names only the catalog host, starts the minute that host fails its "
                     "status check, and the deployed version ran cleanly for 21 minutes; dependency_failure "
                     "with the EC2 host as origin.",
    }
    return sc
