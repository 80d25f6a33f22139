"""h67-05 (ALB -> EC2 target CPU saturation, eu-west-1) and
h67-06 (ALB -> ECS service memory exhaustion, us-east-1)."""
from __future__ import annotations

import math

from . import kit
from .common import GRID, Scenario, bump, ramp
from .runtimes import gunicorn, nginx

PATHS = ["/products/{id}", "/category/{c}", "/search?q={q}", "/products/{id}/reviews"]
CATS = ["shoes", "outdoor", "kitchen", "toys", "audio", "garden"]


def _path(sc):
    return kit.pick(sc, PATHS).format(id=sc.rng.randint(10000, 99999), c=kit.pick(sc, CATS),
                                      q=kit.pick(sc, ["boots", "kettle", "lego", "tent"]))


# =========================================================================== 05
def build_05() -> Scenario:
    sc = Scenario(5, "catalog-latency-euw1", "catalog-alb latency alarm in eu-west-1; product "
                  "pages slow for some EU shoppers.", "eu-west-1", 67005, "2026-11-30T11:20:00")
    US = "us-east-1"
    onset = -2400
    lb_e, lb_u = kit.alb_id(sc, "catalog-alb"), kit.alb_id(sc, "catalog-alb")
    ids = {r: [kit.instance_id(sc) for _ in range(3)] for r in ("eu-west-1", US)}
    names = ["catalog-web-a", "catalog-web-b", "catalog-web-c"]
    for reg, lb in (("eu-west-1", lb_e), (US, lb_u)):
        sc.resource("alb", lb, region=reg, name="catalog-alb", scheme="internet-facing")
        for iid, nm in zip(ids[reg], names):
            sc.resource("ec2", iid, region=reg, name=nm, instance_type="c6i.xlarge",
                        log_groups=["/catalog/nginx/access", "/catalog/php-fpm", "/catalog/syslog"])
        sc.resource("rds", "catalog-db", region=reg, engine="mysql", engine_version="8.0.39",
                    instance_class="db.r6g.large", max_connections=1000, allocated_storage_gb=400)
    le, lu = kit.load(sc, "eu-west-1", 0.3, 13), kit.load(sc, US, 0.3, 13)
    hot = lambda t: ramp(t, onset, onset + 240)  # noqa: E731

    def cron(t):  # hourly sitemap job on the cron-leader, normally ~3 minutes
        return 0.0 if t >= onset - 60 else 1.0 if (t % 3600) < 180 else 0.0

    kit.alb(sc, lb_e, lambda t: 1500 * le(t), lambda t: 0.12 + 1.25 * hot(t),
            t5=lambda t: 0.6 + 4 * hot(t), e5=lambda t: 0.05 + 9 * hot(t), healthy=lambda t: 3)
    kit.alb(sc, lb_u, lambda t: 1300 * lu(t) * (1 + 0.5 * bump(t, -2460, -2200, 1, 60)),
            lambda t: 0.11 + 0.03 * bump(t, -2460, -2200, 1, 60), t5=lambda t: 0.5,
            healthy=lambda t: 3 - bump(t, -2440, -2300, 1, 30), region=US)
    for i, iid in enumerate(ids["eu-west-1"]):
        b = i == 1
        kit.ec2(sc, iid, (lambda t: 24 * le(t) + 62 * hot(t) + 25 * cron(t)) if b else
                (lambda t: 24 * le(t)), lambda t: 4.2e7 * le(t), lambda t: 48 + 6 * b * hot(t),
                lambda t: 41 + 0.2 * b)
    for iid in ids[US]:
        kit.ec2(sc, iid, lambda t: 22 * lu(t) + 20 * bump(t, -2440, -2300, 1, 30),
                lambda t: 3.9e7 * lu(t), lambda t: 47, lambda t: 40, region=US)
    kit.rds(sc, "catalog-db", lambda t: 28 * le(t) + 45 * bump(t, -6300, -5700, 1, 120),
            lambda t: 180 * le(t), lambda t: 240 - t / 86400)
    kit.rds(sc, "catalog-db", lambda t: 26 * lu(t), lambda t: 170 * lu(t),
            lambda t: 251 - t / 86400, region=US)

    ua = ["Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)", "Mozilla/5.0 (Windows NT "
          "10.0; Win64; x64) Chrome/131.0", "Mozilla/5.0 (Macintosh) Safari/605.1.15"]
    for i, iid in enumerate(ids["eu-west-1"]):
        b = i == 1

        def acc(t, b=b):
            slow = b and t >= onset
            rt = max(0.004, sc.rng.gauss(3.6, 1.2) if slow else sc.rng.lognormvariate(-2.3, 0.5))
            st = 504 if slow and rt > 4.8 else 200
            return nginx(sc, t, sc.ip("172.31"), "GET", _path(sc), st,
                         sc.rng.randint(8000, 60000) if st == 200 else 167, rt, kit.pick(sc, ua))
        kit.sprinkle(sc, "/catalog/nginx/access", iid, lambda t: 4 * le(t), acc)
        kit.sprinkle(sc, "/catalog/php-fpm", iid, lambda t: 0.5, lambda t: (
            f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')}] WARNING: [pool www] child "
            f"{sc.rng.randint(1000, 40000)} said into stderr: \"PHP Warning:  Undefined array key "
            f"\"variant\" in /var/www/catalog/src/View/ProductCard.php on line 88\""),
            start=-21600)
        if b:
            kit.sprinkle(sc, "/catalog/php-fpm", iid, lambda t: 3 * hot(t), lambda t: (
                f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')}] WARNING: [pool www] child "
                f"{sc.rng.randint(1000, 40000)}, script '/var/www/catalog/public/index.php' "
                f"(request: \"GET {_path(sc)}\") executing too slow "
                f"({sc.rng.uniform(5, 12):.6f} sec), logging"), start=onset)
            kit.sprinkle(sc, "/catalog/php-fpm", iid, lambda t: 0.4 * hot(t), lambda t: (
                f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')}] WARNING: [pool www] server reached "
                f"pm.max_children setting (32), consider raising it"), start=onset)
            for h in range(-21600, 0, 3600):
                t0 = h + 0.4
                sc.log("/catalog/syslog", iid, t0, f"{sc.at(t0).strftime('%b %d %H:%M:%S')} "
                       "catalog-web-b CRON[" + str(sc.rng.randint(2000, 60000)) + "]: (www-data) "
                       "CMD (cd /var/www/catalog && php artisan catalog:rebuild-sitemap >> "
                       "/var/log/catalog/cron.log 2>&1)")
                if h < onset - 60:
                    t1 = h + sc.rng.uniform(150, 178)
                    sc.log("/catalog/syslog", iid, t1, f"{sc.at(t1).strftime('%b %d %H:%M:%S')} "
                           f"catalog-web-b php[{sc.rng.randint(2000, 60000)}]: sitemap rebuilt: "
                           f"{sc.rng.randint(180000, 186000)} urls in {int(t1 - h)}s")
            kit.every(sc, "/catalog/syslog", iid, 300, lambda t: (
                f"{sc.at(t).strftime('%b %d %H:%M:%S')} catalog-web-b php[31877]: sitemap "
                f"rebuild in progress: {int(184000 + (t - onset) * 410)} urls written, "
                f"memory 212M"), start=onset + 280)
    sc.change(-2460, "codedeploy.amazonaws.com", "CreateDeployment",
              "AWS::CodeDeploy::DeploymentGroup", "catalog-web-prod", "deploy-pipeline", region=US)
    sc.change(-2375, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress",
              "AWS::EC2::SecurityGroup", "sg-0c2f81e9a4d7b3e10", "netops-automation")
    sc.change(-14300, "codedeploy.amazonaws.com", "CreateDeployment",
              "AWS::CodeDeploy::DeploymentGroup", "catalog-web-prod", "deploy-pipeline")
    sc.alarm("catalog-alb-euw1-latency", "AWS/ApplicationELB", "TargetResponseTime",
             {"LoadBalancer": lb_e}, "Average", 60, 3, 0.8, "GreaterThanThreshold",
             "catalog ALB average target response time (eu-west-1)")
    sc.alarm("catalog-web-b-euw1-cpu", "AWS/EC2", "CPUUtilization",
             {"InstanceId": ids["eu-west-1"][1]}, "Average", 300, 2, 90, "GreaterThanThreshold")
    sc.alarm("catalog-alb-use1-unhealthy", "AWS/ApplicationELB", "UnHealthyHostCount",
             {"LoadBalancer": lb_u}, "Maximum", 60, 1, 0, "GreaterThanThreshold", region=US)
    sc.expect = {"alarm": "catalog-alb-euw1-latency",
                 "root_cause": {"category": "cpu_saturation",
                                "resource": [ids["eu-west-1"][1], "catalog-web-b"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization",
                                "dimensions": {"InstanceId": ids["eu-west-1"][1]}}]}
    sc.meta = dict(front="front (ALB)", services="ALB, EC2 (PHP-FPM/nginx), RDS MySQL",
                   decoys="CodeDeploy + unhealthy host blip in us-east-1 just before onset; "
                          "security-group change in eu-west-1 just after; old PHP warnings; "
                          "catalog-db report spike",
                   story=(
        "Average target response time of the eu-west-1 `catalog-alb` rises from ~0.12 s to "
        "~1.3 s. Only one of its three targets, `catalog-web-b`, is slow: its CPU sits at "
        "~99 % while a and c stay near 25 %, its access log shows 3-6 s responses and 504s, and "
        "php-fpm reports `executing too slow` and `pm.max_children` reached. Its syslog shows "
        "the hourly `catalog:rebuild-sitemap` cron, which normally finishes in under three "
        "minutes, still running since onset. Decoys: a CodeDeploy deployment to the us-east-1 "
        "fleet (with one brief unhealthy host there) a minute earlier, a security-group ingress "
        "change in eu-west-1 just after onset, an earlier catalog-db CPU spike, and PHP "
        "`Undefined array key` warnings that have been there all day."))
    return sc


# =========================================================================== 06
def build_06() -> Scenario:
    sc = Scenario(6, "browse-alb-502-use1", "browse-alb 5xx alarm in us-east-1 on Cyber Monday; "
                  "'recommended for you' rail intermittently blank.", "us-east-1", 67006,
                  "2026-12-01T15:50:00")
    EU = "eu-west-1"
    grow0, onset = -9000, -2700
    lb_u, lb_e = kit.alb_id(sc, "browse-alb"), kit.alb_id(sc, "browse-alb")
    for reg, lb in (("us-east-1", lb_u), (EU, lb_e)):
        sc.resource("alb", lb, region=reg, name="browse-alb", scheme="internet-facing")
        sc.resource("ecs", "shop/recommendations", region=reg, launch_type="FARGATE",
                    desired_count=6, cpu=1024, memory=3072, log_group="/ecs/recommendations")
        sc.resource("ecs", "shop/search", region=reg, launch_type="FARGATE", desired_count=10,
                    cpu=2048, memory=4096)
    lu, le = kit.load(sc, "us-east-1", 0.3, 11), kit.load(sc, EU, 0.3, 11)
    kills = [onset + k * 330 + sc.rng.uniform(-60, 60) for k in range(8)]
    near = lambda t: max([math.exp(-abs(t - k) / 50) for k in kills])  # noqa: E731

    def mem(t):
        if t < grow0:
            return 51
        if t < onset:
            return 51 + 46 * (t - grow0) / (onset - grow0)
        return 88 + 7 * math.sin((t - onset) / 330 * 2 * math.pi) - 20 * near(t)

    kit.alb(sc, lb_u, lambda t: 2600 * lu(t), lambda t: 0.09 + 0.05 * (t > onset),
            t5=lambda t: 2 + 10 * (t > onset) * near(t),
            e5=lambda t: 0.2 + (8 + 45 * near(t)) * (t > onset - 60),
            healthy=lambda t: 16 + 4 * (t > -2700) - 1 * (near(t) > 0.4),
            unhealthy=lambda t: 1 * (near(t) > 0.4))
    kit.alb(sc, lb_e, lambda t: 2100 * le(t), lambda t: 0.09, t5=lambda t: 1.5,
            e5=lambda t: 0.2 + 6 * bump(t, -3000, -2880, 1, 30), healthy=lambda t: 16, region=EU)
    kit.ecs(sc, "shop", "recommendations", lambda t: 38 * lu(t) + 6 * (t > onset), mem,
            tasks=lambda t: 6 - 1 * (near(t) > 0.5))
    kit.ecs(sc, "shop", "recommendations", lambda t: 35 * le(t) + 20 * bump(t, -3000, -2820, 1, 60),
            lambda t: 50 + 3 * bump(t, -3000, -2820, 1, 60), tasks=lambda t: 6, region=EU)
    kit.ecs(sc, "shop", "search", lambda t: 45 * lu(t), lambda t: 61,
            tasks=lambda t: 10 + 4 * (t > -2760))
    kit.ecs(sc, "shop", "search", lambda t: 41 * le(t), lambda t: 60, tasks=lambda t: 10, region=EU)

    g = "/ecs/recommendations"
    stream_of = {}
    # one long-lived task per slot; a kill after onset starts a new task (new stream)
    for slot in range(6):
        born = -21600
        slot_kills = [k for i, k in enumerate(kills) if i % 6 == slot] + [0.0]
        for end in slot_kills:
            tid = kit.task_id(sc)
            st = f"recommendations/recommendations/{tid}"
            stream_of[tid] = st
            pids = [sc.rng.randint(7, 60) for _ in range(4)]
            t0 = max(born, -10800)
            if born > -21600:
                for j, p in enumerate([1] + pids):
                    sc.log(g, st, born + 1 + j * 0.3, gunicorn(
                        sc, born + 1 + j * 0.3, 1 if j == 0 else p, "INFO",
                        "Starting gunicorn 23.0.0" if j == 0 else f"Booting worker with pid: {p}"))
            kit.sprinkle(sc, g, st, lambda t: 2.5 * lu(t), lambda t: (
                f"{sc.ip('10.0')} - - [{sc.at(t).strftime('%d/%b/%Y:%H:%M:%S')} +0000] \"GET "
                f"/recs/{kit.pick(sc, ['home', 'similar', 'cart'])}?u={sc.hexid(10)} HTTP/1.1\" 200 "
                f"{sc.rng.randint(900, 5000)} \"-\" \"browse-bff/2.4\""), start=t0, end=end)
            kit.sprinkle(sc, g, st, lambda t: 0.5, lambda t: gunicorn(
                sc, t, kit.pick(sc, pids), "WARNING",
                f"feature store lookup slow: {sc.rng.randint(600, 1400)}ms (shard=fs-{sc.rng.randint(1, 8)})"),
                start=t0, end=end)
            kit.sprinkle(sc, g, st, lambda t: 0.35, lambda t: gunicorn(
                sc, t, kit.pick(sc, pids), "ERROR",
                f"Exception on /recs/similar [GET]: KeyError: 'sku-{sc.rng.randint(100000, 999999)}'"),
                start=t0, end=end)
            kit.sprinkle(sc, g, st, lambda t: 0.15 * (t > grow0), lambda t: gunicorn(
                sc, t, kit.pick(sc, pids), "INFO", f"embedding cache size={int(40000 + (t - grow0) * 31)} "
                f"entries rss={int(1450 + (t - grow0) * 0.2)}MiB"), start=t0, end=end)
            if end < 0:
                for j, p in enumerate(pids[:3]):
                    tk = end - 40 + j * 9
                    sc.log(g, st, tk, gunicorn(sc, tk, 1, "ERROR", f"Worker (pid:{p}) was sent "
                                               "SIGKILL! Perhaps out of memory?"))
                    sc.log(g, st, tk + 1.5, gunicorn(sc, tk + 1.5, sc.rng.randint(61, 90), "INFO",
                                                     f"Booting worker with pid: {sc.rng.randint(61, 90)}"))
                sc.log(g, st, end - 3, gunicorn(sc, end - 3, pids[0], "ERROR", "Exception on "
                       "/recs/home [GET]: MemoryError"))
            born = end + sc.rng.uniform(35, 70)

    sc.change(-3030, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "shop/recommendations", "deploy-pipeline", region=EU)
    sc.change(-2765, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop/search",
              "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.change(-20100, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "shop/recommendations", "deploy-pipeline")
    sc.alarm("browse-alb-use1-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count",
             {"LoadBalancer": lb_u}, "Sum", 300, 1, 25, "GreaterThanThreshold",
             "browse ALB 5xx (us-east-1)")
    sc.alarm("recommendations-use1-memory", "AWS/ECS", "MemoryUtilization",
             {"ClusterName": "shop", "ServiceName": "recommendations"}, "Average", 300, 3, 95,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "browse-alb-use1-5xx",
                 "root_cause": {"category": "memory_exhaustion",
                                "resource": ["shop/recommendations", "recommendations"]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                "dimensions": {"ClusterName": "shop",
                                               "ServiceName": "recommendations"}}]}
    sc.meta = dict(front="front (ALB)", services="ALB, ECS Fargate (Python/gunicorn)",
                   decoys="recommendations deploy in eu-west-1; shop/search autoscaling in "
                          "us-east-1 near onset; steady KeyError and slow feature-store lines",
                   judgement=(
        "The memory alarm on the service stays OK because average utilisation saw-tooths "
        "after each kill; the evidence is the climb, the SIGKILL lines and the task restarts."),
                   story=(
        "On Cyber Monday the us-east-1 `browse-alb` starts returning bursts of 502/503. The "
        "`shop/recommendations` service's memory has climbed steadily for two hours "
        "(the app's own `embedding cache size=... rss=...` lines grow with it) and from onset "
        "it saw-tooths: gunicorn logs `Worker (pid:..) was sent SIGKILL! Perhaps out of memory?`"
        " and `MemoryError`, tasks drop out and come back under new task ids, and every 5xx "
        "burst lines up with a kill. No change touched the service in us-east-1. Decoys: the "
        "same service was deployed in eu-west-1 shortly before (healthy), `shop/search` scaled "
        "out in us-east-1 a minute before onset, and `KeyError` exceptions and slow "
        "feature-store warnings are steady all day."))
    return sc


_ = GRID
