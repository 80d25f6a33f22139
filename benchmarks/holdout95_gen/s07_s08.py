"""h95-07 weekly circular rebuild pins one price-lookup instance (CPU saturation, Java on EC2 behind
an internal ALB); h95-08 member-profile heap fills up (memory exhaustion, Java on ECS behind API
Gateway)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import nginx, spring

from .kit import (CAN, EAST, alb_metrics, apigw_metrics, bump, diurnal, ecs_metrics, logstash, new,
                  put, ramp, rds_metric, times)


def build_07():
    sc = new(7, "price-lookup-latency", "Lane price lookups slow in early-morning stores; "
             "price-lookup-int latency alarm.", EAST, "2026-11-19T09:31:00+00:00")
    T0 = -1860
    lb = "app/price-lookup-int/0c6d2e9a71b4f853"
    ia, ib = "i-0b3e5f7a9c1d24e86", "i-07f1c2d8e4a6b9305"
    sc.resource("alb", lb, name="price-lookup-int", scheme="internal")
    for iid, nm in ((ia, "price-svc-a"), (ib, "price-svc-b")):
        sc.resource("ec2", iid, name=nm, instance_type="c6i.large", vcpus=2,
                    log_groups=["/pos/price-svc/access", "/pos/price-svc/app"])
    job = lambda t: ramp(t, T0, T0 + 120)
    alb_metrics(sc, lb, lambda t: 620 * diurnal(sc, t, 16, 0.45), t5_p=lambda t: 0.0005 + 0.012 * job(t),
                e5_p=lambda t: 0.0002 + 0.003 * job(t), trt=lambda t: 0.034 + 1.25 * job(t))
    for iid, cpu in ((ia, lambda t: 23 * diurnal(sc, t, 16, 0.3) + bump(t, -12600, -12300, 44, 60)),
                     (ib, lambda t: 24 * diurnal(sc, t, 16, 0.3) + 75.5 * job(t))):
        put(sc, "AWS/EC2", "CPUUtilization", {"InstanceId": iid}, "Percent", cpu, noise=0.05, cap=99.9,
            digits=2)
        put(sc, "CWAgent", "mem_used_percent", {"InstanceId": iid}, "Percent",
            lambda t, b=(iid == ib): 54 + 4 * b * job(t), noise=0.01, digits=2)
        put(sc, "AWS/EC2", "NetworkIn", {"InstanceId": iid}, "Bytes", lambda t: 4.1e7 * diurnal(sc, t, 16, 0.45),
            noise=0.08, digits=0)
    sc.alarm("price-lookup-int-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 3, 0.5, "GreaterThanThreshold", "Lane price lookup latency")
    sc.alarm("price-svc-b-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": ib}, "Average", 300, 2, 85.0,
             "GreaterThanThreshold", "price-svc-b CPU")
    sc.alarm("price-svc-a-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": ia}, "Average", 300, 2, 85.0,
             "GreaterThanThreshold", "price-svc-a CPU")
    rng = sc.rng
    app = "price-svc"
    for iid in (ia, ib):
        slow = lambda t: (iid == ib) * job(t)
        for t in times(sc, lambda t: 4.5 * diurnal(sc, t, 16, 0.45)):
            rt = max(0.004, rng.gauss(0.032, 0.01)) + slow(t) * rng.uniform(1.2, 4.5)
            st = 504 if slow(t) and rng.random() < 0.02 else 200
            sc.log("/pos/price-svc/access", iid, t, nginx(sc, t, f"10.41.{rng.randint(1, 40)}.{rng.randint(2, 250)}",
                   "GET", f"/v1/price/{rng.randint(10 ** 11, 10 ** 12)}?store={rng.randint(101, 498):04d}",
                   st, rng.randint(310, 520), rt, ua="PosLane/11.2 (NCR)"))
        for t in times(sc, lambda t: 1.3):
            sc.log("/pos/price-svc/app", iid, t, spring(sc, t, "ERROR", f"http-nio-8080-exec-{rng.randint(1, 40)}",
                   "c.g.pricing.lookup.OverrideResolver", f"PriceOverride lookup failed for sku="
                   f"{rng.randint(10 ** 11, 10 ** 12)} store={rng.randint(101, 498):04d}: no active override "
                   "(fallback to base price)", app))
        for t in range(-21600 + rng.randint(5, 50), 0, 600):
            sc.log("/pos/price-svc/app", iid, t, spring(sc, t, "INFO", "scheduling-1", "c.g.pricing.cache.PriceCache",
                   f"Price cache refreshed: {rng.randint(61000, 62500)} entries in {rng.randint(300, 900)} ms", app))
    g, s = "/pos/price-svc/app", ib
    sc.log(g, s, T0 + 0.4, spring(sc, T0 + 0.4, "INFO", "scheduling-1", "c.g.pricing.circular.CircularRebuildJob",
           "Weekly circular rebuild started: week=2026-W48 stores=412 items=38955 workers=8", app))
    for k, t in enumerate(range(T0 + 240, 0, 300)):
        sc.log(g, s, t, spring(sc, t, "INFO", "circular-worker-3", "c.g.pricing.circular.CircularRebuildJob",
               f"Circular rebuild progress: {min(99, 9 * (k + 1))}% ({rng.randint(40, 60)} stores/5 min)", app))
    for t in times(sc, lambda t: 3 * job(t), start=T0):
        sc.log(g, s, t, spring(sc, t, "WARN", f"http-nio-8080-exec-{rng.randint(1, 200)}",
               "c.g.pricing.web.SlowRequestFilter", f"Slow request GET /v1/price took "
               f"{rng.randint(1400, 5200)} ms (active threads {rng.randint(180, 200)}/200)", app))
    sc.change(-20100, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", ia, "asset-inventory")
    sc.change(T0 - 240, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
              "sg-0e71c4a2b9d3f5086", "netops-tf")
    sc.expect = {"alarm": "price-lookup-int-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [ib, "price-svc-b"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": ib}}]}
    sc.meta = {"front": "front (ALB) / origin target instance", "services": ["alb", "ec2"],
               "runtime": "Java (Spring plain log + nginx access log) on EC2",
               "decoys": "security-group ingress change 4 min before onset; steady PriceOverride ERRORs on "
                         "both instances; price-svc-a CPU spike 3 h earlier",
               "story": "At 04:00 Eastern the in-process weekly circular rebuild starts on price-svc-b only "
                        "and its CPU goes from ~20 % to a flat 99 %. Its nginx request times grow from ~30 ms "
                        "to 1-5 s and the slow-request filter reports all 200 Tomcat threads busy, while "
                        "price-svc-a keeps answering in 30 ms at 20 % CPU, so the ALB's average response time "
                        "roughly doubles per instance share. The security-group change a few minutes before "
                        "is on ingress and would not slow one of two identical instances."}
    return sc


# =========================================================================== 08
def build_08():
    sc = new(8, "member-profile-5xx", "Loyalty app shows 'try again later' on member profile; "
             "loyalty-mobile-api 5XX alarm.", CAN, "2026-11-20T22:06:00+00:00")
    T0 = -1500
    api, cl, svc, db = "loyalty-mobile-api", "loyalty-prod", "member-profile", "loyalty-core"
    sc.resource("apigateway", api, stage="v1", integration="VPC link to internal NLB")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=3,
                java_opts="-Xmx1536m -XX:+ExitOnOutOfMemoryError")
    sc.resource("ecs", f"{cl}/offer-match", launch_type="FARGATE", cpu=512, memory=1024, desired_count=2)
    sc.resource("rds", db, engine="postgres", engine_version="15.8", instance_class="db.r6g.xlarge",
                max_connections=1600, allocated_storage_gb=800)
    kills = [T0 + 40, T0 + 330, T0 + 610, T0 + 905, T0 + 1190]
    down = lambda t: any(k <= t < k + 75 for k in kills)
    bad = lambda t: ramp(t, T0 - 60, T0 + 30)
    apigw_metrics(sc, api, lambda t: 880 * diurnal(sc, t, 23, 0.3), e5_p=lambda t: 0.0006 + bad(t) * (
        0.07 + 0.2 * down(t)), e4_p=lambda t: 0.012, lat=lambda t: 48 + bad(t) * (640 + 900 * down(t)),
        integ=lambda t: 41 + bad(t) * (630 + 900 * down(t)))
    ecs_metrics(sc, cl, svc, cpu=lambda t: 28 + 12 * ramp(t, -9000, T0) + 34 * bad(t),
                mem=lambda t: (61 + 36 * min(1.0, (t + 21600) / (T0 + 21600)) ** 2) - bad(t) * 10 * down(t), tasks=lambda t: 3 - down(t))
    ecs_metrics(sc, cl, "offer-match", cpu=lambda t: 18 + bump(t, -1680, -1560, 20, 60), mem=lambda t: 44)
    rds_metric(sc, db, "CPUUtilization", "Percent", lambda t: 21 + bump(t, -2100, -1500, 46, 200), noise=0.06,
               digits=2)
    rds_metric(sc, db, "DatabaseConnections", "Count", lambda t: 210 + bump(t, -2100, -1500, 40, 200), noise=0.03,
               integer=True)
    rds_metric(sc, db, "ReadLatency", "Seconds", lambda t: 0.0009 + bump(t, -2100, -1500, 0.0015, 200),
               noise=0.08, digits=5)
    sc.alarm("loyalty-mobile-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 20.0,
             "GreaterThanThreshold", "Loyalty mobile API server errors")
    sc.alarm("member-profile-memory", "AWS/ECS", "MemoryUtilization", {"ClusterName": cl, "ServiceName": svc},
             "Average", 300, 1, 90.0, "GreaterThanThreshold", "member-profile memory high")
    sc.alarm("loyalty-core-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 1,
             60.0, "GreaterThanThreshold", "loyalty-core CPU")
    rng = sc.rng
    g = f"/ecs/{svc}"
    lg = "c.g.loyalty.profile.web.ProfileController"
    old = [(f"profile/{svc}/{sc.hexid(32)}", -40000) for _ in range(3)]
    streams = list(old)
    for i, k in enumerate(kills):
        st = f"profile/{svc}/{sc.hexid(32)}"
        victim = streams[i % 3] if i < 3 else streams[3 + (i - 3)]
        sc.log(g, victim[0], k - 0.5, logstash(sc, k - 0.5, "ERROR", "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
               "Servlet.service() for servlet [dispatcherServlet] threw exception", stack=
               "java.lang.OutOfMemoryError: Java heap space\n\tat java.base/java.util.HashMap.resize(HashMap.java:"
               "710)\n\tat c.g.loyalty.profile.cache.MemberCache.put(MemberCache.java:77)\n\tat c.g.loyalty.profile."
               "service.ProfileService.load(ProfileService.java:53)"))
        sc.log(g, victim[0], k - 0.1, "Terminating due to java.lang.OutOfMemoryError: Java heap space")
        streams.append((st, k + 50))
        sc.log(g, st, k + 50 + 13.1, logstash(sc, k + 63.1, "INFO", "c.g.loyalty.profile.MemberProfileApplication",
               "Started MemberProfileApplication in 12.64 seconds (process running for 13.1)", thread="main"))
    dead = {}
    for i, k in enumerate(kills):
        dead[(streams[i % 3] if i < 3 else streams[3 + (i - 3)])[0]] = k

    def live(t):
        return [s for s, b in streams if b <= t and dead.get(s, 1) > t]

    for t in times(sc, lambda t: 7 * diurnal(sc, t, 23, 0.3)):
        sc.log(g, rng.choice(live(t)), t, logstash(sc, t, "INFO", lg, f"GET /v1/members/{{id}}/profile 200 in "
               f"{max(5, int(rng.gauss(34, 8) + bad(t) * rng.uniform(100, 1400)))} ms",
               thread=f"http-nio-8080-exec-{rng.randint(1, 60)}"))
    for t in times(sc, lambda t: 1.0):
        sc.log(g, rng.choice(live(t)), t, logstash(sc, t, "WARN", "c.g.loyalty.profile.service.StoreResolver",
               f"Member 60{rng.randint(10 ** 8, 10 ** 9 - 1)} has no home store; defaulting to 0001"))
    for s, b in streams:
        for t in times(sc, lambda t: 1.5 + 6 * bad(t), start=max(b + 20, -21600), end=dead.get(s, 0)):
            frac = min(0.998, 0.62 + 0.36 * min(1.0, (t + 21600) / (T0 + 21600)) ** 2 if b < -21600 else 0.55 + 0.44 * ramp(t, b, b + 280))
            heap = int(1536 * frac)
            if frac > 0.96 and rng.random() < 0.5:
                line = (f"[gc] GC({rng.randint(3000, 9000)}) Pause Full (G1 Compaction Pause) {heap}M->"
                        f"{heap - rng.randint(1, 9)}M(1536M) {rng.uniform(900, 2400):.3f}ms")
            else:
                line = (f"[gc] GC({rng.randint(3000, 9000)}) Pause Young (Normal) (G1 Evacuation Pause) "
                        f"{heap}M->{int(heap * rng.uniform(0.9, 0.97))}M(1536M) {rng.uniform(6, 30):.3f}ms")
            sc.log(g, s, t, line)
    for t in times(sc, lambda t: 4 * bad(t), start=T0 - 60):
        sc.log(g, rng.choice(live(t)), t, logstash(sc, t, "ERROR", lg, "Request failed: Handler dispatch failed: "
               "java.lang.OutOfMemoryError: Java heap space", thread=f"http-nio-8080-exec-{rng.randint(1, 60)}"))
    sc.change(-27300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
              "github-actions-deploy")
    sc.change(-1690, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "offer-match:71",
              "github-actions-deploy")
    sc.change(-1680, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/offer-match",
              "github-actions-deploy")
    sc.expect = {"alarm": "loyalty-mobile-api-5xx",
                 "root_cause": {"category": "memory_exhaustion", "resource": [f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                "dimensions": {"ClusterName": cl, "ServiceName": svc}}]}
    sc.meta = {"front": "front (API Gateway) / origin ECS service", "services": ["apigateway", "ecs", "rds"],
               "runtime": "Java 21 Spring Boot on ECS (logstash JSON + GC log)",
               "decoys": "offer-match deploy 3 min before onset; loyalty-core CPU spike (points-expiry batch) "
                         "with its own alarm overlapping the onset; CPU rising from GC; steady home-store WARNs",
               "story": "member-profile was last deployed at the very start of the window; its memory climbs "
                        "steadily for six hours as the member cache grows, G1 young pauses give way to "
                        "back-to-back Full GCs at 1530M of 1536M, and from 21:40 UTC requests fail with "
                        "OutOfMemoryError: Java heap space and tasks exit ('Terminating due to "
                        "java.lang.OutOfMemoryError') and restart every five minutes. The API's 5xx follow "
                        "the kills. loyalty-core's CPU spike and the offer-match deploy coincide with the onset "
                        "but neither shows up in member-profile's errors; the CPU rise is GC work."}
    return sc


BUILDERS = [build_07, build_08]
