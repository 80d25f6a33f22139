"""h72-07 (package gateway on ECS, artifact store on EC2) and h72-08 (PHP package repo)."""
from __future__ import annotations

from .common import Scenario, bump, ramp
from .kit import LOG_START, alb_bundle, const, ec2_bundle, ecs_bundle, emit, instance_id, lb_id
from .kit import task_id
from .runtimes import nginx


# ============================================================================ 07
def s07() -> Scenario:
    sc = Scenario(7, "package-downloads-502", "Maven and npm installs in CI fail with 502 Bad "
                  "Gateway from the internal package endpoint.", "us-east-2", 7207,
                  "2026-03-16T15:30:00")
    CL, SV = "tools", "pkg-gateway"
    LB = lb_id(sc, "pkg-edge")
    a, b, r = instance_id(sc), instance_id(sc), instance_id(sc)
    DOWN, SCALE, CLEAN = -2100, -1900, -19500
    ip_a, ip_b = "10.0.7.41", "10.0.7.88"
    sc.resource("alb", LB, name="pkg-edge", scheme="internal")
    sc.resource("ecs", f"{CL}/{SV}", launch_type="FARGATE", cpu=512, memory=1024,
                desired_count=4, image=f"{SV}:1.9.2",
                upstreams={"hosted": f"{ip_a}:8081", "proxy": f"{ip_b}:8081"})
    sc.resource("ec2", a, name="artifact-store-a", instance_type="r6i.xlarge",
                private_ip=ip_a, role="repository-manager (hosted maven/npm)",
                log_groups=["/srv/repo/request", "/srv/repo/app"])
    sc.resource("ec2", b, name="artifact-store-b", instance_type="r6i.xlarge",
                private_ip=ip_b, role="repository-manager (proxy/cache)",
                log_groups=["/srv/repo/request", "/srv/repo/app"])
    sc.resource("ec2", r, name="ci-runner-03", instance_type="c6i.4xlarge")
    load = lambda t: 0.35 + 0.65 * ramp(t, -12600, -7200)  # noqa: E731
    down = lambda t: 1.0 if t >= DOWN else 0.0  # noqa: E731
    tasks = lambda t: 4 if t < SCALE + 90 else 6  # noqa: E731
    req = lambda t: 2600 * load(t)  # noqa: E731
    alb_bundle(sc, LB, req, lambda t: 0.5 + 0.58 * req(t) * down(t), const(0.1),
               lambda t: 0.06 + 2.9 * down(t) * ramp(t, DOWN, DOWN + 120), tasks,
               t4xx=lambda t: 0.03 * req(t))
    ecs_bundle(sc, CL, SV, lambda t: (14 + 22 * load(t) + 28 * down(t)) * 4 / tasks(t),
               const(31.0), tasks)
    ec2_bundle(sc, a, lambda t: 0.4 if t >= DOWN else 21 + 24 * load(t),
               lambda t: 3e4 if t >= DOWN else 6e8 * load(t),
               lambda t: None if t >= DOWN else 71.0,
               lambda t: None if t >= DOWN else 63.0 + (t + 21600) / 3600 * 0.05,
               status=lambda t: 1 if t >= DOWN + 60 else 0)
    ec2_bundle(sc, b, lambda t: 15 + 18 * load(t) + 30 * bump(t, CLEAN, CLEAN + 1200, 1),
               lambda t: 4e8 * load(t), const(66.0),
               lambda t: 71.0 - 6.0 * ramp(t, CLEAN, CLEAN + 1200))
    ec2_bundle(sc, r, lambda t: 20 + 60 * load(t) + 15 * bump(t, -2400, -1600, 1, 120),
               lambda t: 2e8 * load(t), const(48.0), const(41.0))

    gst = [f"{SV}/{SV}/{task_id(sc)}" for _ in range(6)]
    repos_a = ["maven-releases/com/acme/core/2.3.{v}/core-2.3.{v}.jar",
               "npm-hosted/@acme/ui/-/ui-4.{v}.0.tgz",
               "maven-snapshots/com/acme/billing/1.{v}-SNAPSHOT/maven-metadata.xml"]
    repos_b = ["maven-central/org/slf4j/slf4j-api/2.0.{v}/slf4j-api-2.0.{v}.jar",
               "npm-proxy/react/-/react-18.2.{v}.tgz", "pypi-proxy/packages/requests/2.31.{v}"]

    def gline(t):
        ts = sc.iso(t)
        hosted = sc.rng.random() < 0.58
        path = "/repository/" + sc.rng.choice(repos_a if hosted else repos_b).format(
            v=sc.rng.randint(0, 12))
        if hosted and t >= DOWN:
            err = sc.rng.choice([f"dial tcp {ip_a}:8081: connect: no route to host",
                                 f"dial tcp {ip_a}:8081: i/o timeout",
                                 "context deadline exceeded (Client.Timeout exceeded while "
                                 "awaiting headers)"])
            return (f'ts={ts} level=error msg="upstream request failed" upstream={ip_a}:8081 '
                    f'path={path} status=502 err="{err}"')
        if sc.rng.random() < 0.07:
            return (f'ts={ts} level=warn msg="upstream returned 404" upstream='
                    f'{ip_a if hosted else ip_b}:8081 path={path} status=404')
        return (f"ts={ts} level=info msg=proxied upstream={ip_a if hosted else ip_b}:8081 "
                f"path={path} status=200 dur_ms={sc.rng.randint(4, 140)}")
    for i, st in enumerate(gst):
        t0 = LOG_START if i < 4 else SCALE + 60
        emit(sc, f"/ecs/{SV}", st, lambda t: 2.4 * load(t) * 4 / tasks(t), gline, start=t0)
    sc.log(f"/ecs/{SV}", gst[0], -13800.0, f"ts={sc.iso(-13800)} level=info msg=\"config "
           f"reloaded\" upstreams=hosted:{ip_a}:8081,proxy:{ip_b}:8081 version=1.9.2")

    def nexus(iid, ip, paths, end):
        def rq(t):
            d = sc.at(t)
            p = "/repository/" + sc.rng.choice(paths).format(v=sc.rng.randint(0, 12))
            code = 404 if sc.rng.random() < 0.05 else 200
            return (f'10.0.{sc.rng.randint(20, 23)}.{sc.rng.randint(2, 250)} - - '
                    f'[{d.strftime("%d/%b/%Y:%H:%M:%S")} +0000] "GET {p} HTTP/1.1" {code} - '
                    f'{sc.rng.randint(400, 900000)} {sc.rng.randint(2, 120)} "Apache-Maven/3.9.6 '
                    f'(Java 17.0.10; Linux 5.10.210)" [qtp1281656861-{sc.rng.randint(40, 400)}]')
        emit(sc, "/srv/repo/request", iid, lambda t: 2.0 * load(t) if t < end else 0.0, rq)

        def app(t):
            d = sc.at(t)
            return (f"{d.strftime('%Y-%m-%d %H:%M:%S')},{d.microsecond // 1000:03d}+0000 INFO  "
                    f"[quartz-12-thread-{sc.rng.randint(1, 20)}] *SYSTEM org.sonatype.nexus."
                    "quartz.internal.task.QuartzTaskInfo - Task 'Storage facet cleanup' "
                    "[repository.storage-facet-cleanup] state change RUNNING -> WAITING (OK)")
        emit(sc, "/srv/repo/app", iid, lambda t: 0.1 if t < end else 0.0, app, regular=False)
    nexus(a, ip_a, repos_a, DOWN)
    nexus(b, ip_b, repos_b, 1)
    d = sc.at(CLEAN + 1180)
    sc.log("/srv/repo/app", b, CLEAN + 1180, f"{d.strftime('%Y-%m-%d %H:%M:%S')},412+0000 INFO  "
           "[quartz-12-thread-3] *SYSTEM org.sonatype.nexus.cleanup.internal.task.CleanupTask - "
           "Cleanup deleted 12331 components from npm-proxy, maven-central (policy: unused 30d)")
    sc.alarm("pkg-edge-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": LB}, "Sum", 60, 3, 30, "GreaterThanThreshold",
             "Package endpoint returning 5xx to CI")
    sc.alarm(f"TargetTracking-service/{CL}/{SV}-AlarmHigh-{sc.uuid()}", "AWS/ECS", "CPUUtilization",
             {"ClusterName": CL, "ServiceName": SV}, "Average", 60, 3, 45.0,
             "GreaterThanThreshold", "DO NOT EDIT OR DELETE. For TargetTrackingScaling policy")
    sc.change(-10800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{SV}",
              "ci-deployer")
    sc.change(SCALE, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{SV}",
              "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.expect = {"alarm": "pkg-edge-target-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [a, "artifact-store-a"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "StatusCheckFailed",
                                "dimensions": {"InstanceId": a}}]}
    sc.meta = {"front": "front (ALB -> ECS -> EC2)", "decoys": "gateway scale-out 3 min after the "
               "onset and its AlarmHigh; gateway deploy 3 h earlier; runner CPU spike; proxy "
               "cleanup task; steady upstream 404s"}
    return sc


# ============================================================================ 08
def s08() -> Scenario:
    sc = Scenario(8, "composer-repo-slow", "composer install in CI is slow and sometimes times "
                  "out against the private PHP package repository.", "ap-northeast-1", 7208,
                  "2026-03-16T02:15:00")
    LB = lb_id(sc, "composer-repo")
    a, b = instance_id(sc), instance_id(sc)
    HOT, TG = -2700, -2760
    for iid, nm in ((a, "pkgs-web-1"), (b, "pkgs-web-2")):
        sc.resource("ec2", iid, name=nm, instance_type="c6i.large", stack="nginx + php-fpm 8.3",
                    log_groups=["/pkgs/nginx/access", "/pkgs/php-fpm", "/pkgs/cron"])
    sc.resource("alb", LB, name="composer-repo", targets=[a, b])
    load = lambda t: 0.25 + 0.75 * ramp(t, -8400, -4800)  # noqa: E731  09:00 JST onwards
    hot = lambda t: ramp(t, HOT, HOT + 180)  # noqa: E731
    req = lambda t: 900 * load(t)  # noqa: E731
    alb_bundle(sc, LB, req, lambda t: 0.2 + 4 * hot(t), lambda t: 0.05 + 0.012 * req(t) * hot(t),
               lambda t: 0.09 + 1.9 * hot(t) * load(t), const(2), t4xx=lambda t: 0.02 * req(t))
    ec2_bundle(sc, a, lambda t: min(99.6, 12 + 26 * load(t) + 75 * hot(t)),
               lambda t: 3e8 * load(t), lambda t: 46 + 12 * hot(t), const(58.0))
    ec2_bundle(sc, b, lambda t: 12 + 26 * load(t), lambda t: 3e8 * load(t), const(44.0),
               lambda t: 61.0 - 4.0 * ramp(t, -17400, -17100))

    def access(slow):
        def f(t):
            pkg = sc.rng.choice(["acme/billing-sdk", "acme/auth-bundle", "acme/logger",
                                 "acme/search-client", "acme/pdf-render"])
            path = sc.rng.choice([f"/p2/{pkg}.json", "/packages.json",
                                  f"/dist/{pkg}/{sc.hexid(40)}.zip"])
            rt = sc.rng.uniform(0.01, 0.12)
            st = 200 if sc.rng.random() > 0.03 else 404
            if slow and t >= HOT:
                rt = sc.rng.uniform(1.5, 9.0) * hot(t) + rt
                st = 504 if sc.rng.random() < 0.04 else st
            return nginx(sc, t, sc.ip("10.20"), "GET", path, st, sc.rng.randint(300, 400000), rt,
                         ua="Composer/2.7.2 (Linux; 5.10.210; PHP 8.3.4; cURL 8.5.0; CI)")
        return f
    for iid, slow in ((a, True), (b, False)):
        emit(sc, "/pkgs/nginx/access", iid, lambda t: 3.0 * load(t), access(slow))
        emit(sc, "/pkgs/php-fpm", iid, const(0.3), lambda t: (
            f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')} UTC] PHP Deprecated:  Creation of "
            "dynamic property Composer\\Satis\\PackageSelection::$cache is deprecated in "
            "/srv/satis/src/PackageSelection/PackageSelection.php on line 212"))
    emit(sc, "/pkgs/php-fpm", a, lambda t: 0.8 if t >= HOT + 120 else 0.0, lambda t: (
        f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')}] WARNING: [pool www] server reached "
        "pm.max_children setting (12), consider raising it"))
    sc.log("/pkgs/cron", a, HOT - 2.0, f"{sc.at(HOT).strftime('%b %d %H:%M:%S')} pkgs-web-1 "
           "CRON[28113]: (satis) CMD (/srv/satis/bin/satis build --no-interaction "
           "/srv/satis/satis.json /srv/www/public)")
    total = 1843
    for k, t in enumerate(range(HOT + 300, 0, 300)):
        done = min(total, int((k + 1) * 118 + sc.rng.randint(0, 20)))
        sc.log("/pkgs/cron", a, t + sc.rng.uniform(0, 3), f"{sc.at(t).strftime('%b %d %H:%M:%S')}"
               f" pkgs-web-1 satis[28114]: Dumping package {done}/{total} (full rebuild, "
               f"archive: true, workers: 4)")
    for t in range(-21600 + 120, 0, 3600):
        for iid, nm in ((a, "pkgs-web-1"), (b, "pkgs-web-2")):
            sc.log("/pkgs/cron", iid, t, f"{sc.at(t).strftime('%b %d %H:%M:%S')} {nm} "
                   f"CRON[{sc.rng.randint(2000, 9000)}]: (satis) CMD (/srv/satis/bin/satis "
                   "build --repository-url=changed-only /srv/satis/satis.json /srv/www/public)")
    sc.log("/pkgs/cron", b, -17300, f"{sc.at(-17300).strftime('%b %d %H:%M:%S')} pkgs-web-2 "
           "cache-prune[4121]: pruned 3.1 GB from /var/cache/composer (older than 14 days)")
    sc.alarm("composer-repo-latency", "AWS/ApplicationELB", "TargetResponseTime",
             {"LoadBalancer": LB}, "Average", 60, 5, 0.8, "GreaterThanThreshold",
             "Package repo response time")
    sc.alarm("pkgs-web-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": a}, "Average", 300, 3,
             90, "GreaterThanThreshold")
    sc.change(TG, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
              "AWS::ElasticLoadBalancingV2::TargetGroup", "composer-repo-tg", "terraform-platform")
    sc.change(-14400, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", b,
              "terraform-platform")
    sc.expect = {"alarm": "composer-repo-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [a, "pkgs-web-1"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization",
                                "dimensions": {"InstanceId": a}}]}
    sc.meta = {"front": "front (ALB -> EC2)", "decoys": "target-group attribute change 1 min "
               "before the onset; Monday-morning traffic ramp; php Deprecated noise; "
               "cache prune on the other target"}
    return sc
