"""h62-05 (KCL aggregator OOM-killed on ECS) and h62-06 (beacon collector disk full behind an ALB)."""
from __future__ import annotations

import json

from .common import Scenario, bump, diurnal, ramp
from .kit import (LOG_START, alb_metrics, ec2_metrics, ecs_metrics, emit, hourly, kinesis_metrics,
                  lambda_metrics)
from .runtimes import nginx, spring


# =========================================================================== 05
def s05() -> tuple:
    T0 = -2700
    sc = Scenario(5, "order-stream-lag",
                  "order-events consumer lag alarm; merchant dashboards showing stale order totals.",
                  "ap-southeast-2", 6205, "2026-10-28T22:35:00+00:00")
    cl, svc, api = "streams", "order-aggregator", "order-api"
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=2048, memory=4096, desired_count=4,
                java_opts="-Xms3g -Xmx3g -XX:+UseG1GC", consumes="kinesis:order-events",
                log_group=f"/ecs/{svc}")
    sc.resource("ecs", f"{cl}/{api}", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=3)
    sc.resource("lambda", "settlement-batch", runtime="java21", timeout=300, memory_size=1024)

    day = lambda t: diurnal(sc, t, peak_hour=1, amp=0.25)
    grow = lambda t: ramp(t, -5600, T0)
    # four task slots; after T0 each slot is OOM-killed every ~9-11 min and replaced a minute later
    kills = {i: [] for i in range(4)}
    for i in range(4):
        k = T0 + i * 140 + sc.rng.uniform(0, 60)
        while k < -30:
            kills[i].append(k)
            k += sc.rng.uniform(520, 680)

    def down(t):
        return sum(1 for ks in kills.values() for k in ks if k <= t < k + 70)

    def saw(t):
        if t < T0:
            return 58 + 39 * grow(t)
        return 72 + 26 * ((t - T0) % 600) / 600
    ecs_metrics(sc, cl, svc, cpu=lambda t: 34 * day(t) + 36 * grow(t), mem=saw,
                running=lambda t: 4 - down(t), desired=4)
    ecs_metrics(sc, cl, api, cpu=lambda t: 28 * day(t) + 25 * bump(t, T0 - 420, T0 - 300, 1, 60),
                mem=lambda t: 44.0, running=lambda t: 3, desired=3)
    lag = lambda t: 900 + max(0.0, t - T0) * 620 * ramp(t, T0, T0 + 300)
    kinesis_metrics(sc, "order-events", incoming=lambda t: 9300 * day(t), iter_age_ms=lag)
    lambda_metrics(sc, "settlement-batch", inv=lambda t: 1.0 if hourly(sc, t, 0, 1, 1) or hourly(sc, t, 30, 1, 1) else 0.0,
                   dur=lambda t: 84000)

    # ---------------------------------------------------------------- logs
    app = svc
    grp = f"/ecs/{svc}"
    gen = {i: [(-10 ** 9, sc.hexid(32))] + [(k + 60, sc.hexid(32)) for k in kills[i]] for i in range(4)}

    def task_of(i, t):
        cur = gen[i][0][1]
        for s, tid in gen[i]:
            if t >= s:
                cur = tid
        return cur

    def heap(t):
        return 3072 * (0.45 + 0.52 * grow(t)) if t < T0 else 3072 * (0.6 + 0.38 * ((t - T0) % 600) / 600)

    def line(t):
        rng = sc.rng
        i = rng.randrange(4)
        if any(k <= t < k + 60 for k in kills[i]):
            return None
        st = f"ecs/aggregator/{task_of(i, t)}"
        h = heap(t)
        x = rng.random()
        if h > 2700 and x < 0.35:
            return st, (f"[{sc.iso(t)}][info][gc] GC({rng.randint(9000, 9999)}) Pause Full (G1 Compaction Pause) "
                        f"{h:.0f}M->{h * 0.985:.0f}M(3072M) {rng.uniform(900, 2400):.3f}ms")
        if x < 0.2:
            return st, (f"[{sc.iso(t)}][info][gc] GC({rng.randint(9000, 9999)}) Pause Young (Normal) (G1 Evacuation Pause) "
                        f"{h:.0f}M->{h * 0.55:.0f}M(3072M) {rng.uniform(9, 30):.3f}ms")
        if x < 0.32:
            keys = int(380000 + 1900000 * (grow(t) if t < T0 else 0.3 + 0.7 * ((t - T0) % 600) / 600))
            return st, spring(sc, t, "INFO", "agg-window-1", "c.m.o.agg.WindowStore",
                              f"window state size keys={keys} (top merchant=m-88213 keys={int(keys * 0.52)})", app)
        if x < 0.40:
            return st, spring(sc, t, "WARN", "enrich-pool-3", "c.m.o.agg.MerchantProfileClient",
                              f"profile cache miss ratio {rng.uniform(0.31, 0.45):.2f} above 0.30, falling back to DynamoDB", app)
        if x < 0.55:
            return st, spring(sc, t, "INFO", "ShardRecordProcessor-0004", "s.a.k.checkpoint.ShardRecordProcessorCheckpointer",
                              f"Checkpointing shardId-00000000000{rng.randint(0, 7)} at sequenceNumber=4964{rng.randint(10 ** 15, 10 ** 16)}", app)
        return st, spring(sc, t, "INFO", "flush-1", "c.m.o.agg.AggregateFlusher",
                          f"Flushed {rng.randint(800, 1800)} aggregates to order-aggregates in {rng.randint(40, 160)} ms", app)
    emit(sc, grp, LOG_START, 0, 6, line)
    for i, ks in kills.items():
        for k in ks:
            st = f"ecs/aggregator/{task_of(i, k - 1)}"
            sc.log(grp, st, k - 4, spring(sc, k - 4, "WARN", "agg-window-1", "c.m.o.agg.WindowStore",
                                          "heap usage 97% after full GC; window eviction cannot keep up", app))
            if i % 2 == 0:
                sc.log(grp, st, k - 0.5, "Exception in thread \"agg-window-1\" java.lang.OutOfMemoryError: Java heap space\n"
                                         "\tat java.base/java.util.HashMap.resize(HashMap.java:710)\n"
                                         "\tat com.merch.orders.agg.WindowStore.merge(WindowStore.java:142)")
            ev = {"version": "0", "id": sc.uuid(), "detail-type": "ECS Task State Change", "source": "aws.ecs",
                  "time": sc.iso(k + 20, 0), "region": sc.region,
                  "detail": {"clusterArn": f"arn:aws:ecs:{sc.region}:{sc.account}:cluster/{cl}",
                             "group": f"service:{svc}", "lastStatus": "STOPPED", "desiredStatus": "STOPPED",
                             "stopCode": "EssentialContainerExited",
                             "stoppedReason": "Essential container in task exited",
                             "containers": [{"name": "aggregator", "exitCode": 137,
                                             "reason": "OutOfMemoryError: Container killed due to memory usage"}],
                             "taskArn": f"arn:aws:ecs:{sc.region}:{sc.account}:task/{cl}/{task_of(i, k - 1)}"}}
            sc.log("/aws/events/ecs-task-state", "ecs-events", k + 20, json.dumps(ev))
            nst = f"ecs/aggregator/{task_of(i, k + 61)}"
            sc.log(grp, nst, k + 62, spring(sc, k + 62, "INFO", "main", "c.m.o.agg.AggregatorApplication",
                                            "Started AggregatorApplication in 9.84 seconds (process running for 11.2)", app))
    api_old, api_new = [sc.hexid(32) for _ in range(3)], [sc.hexid(32) for _ in range(3)]
    emit(sc, f"/ecs/{api}", LOG_START, 0, 1.5,
         lambda t: (f"ecs/api/{sc.rng.choice(api_old if t < T0 - 330 else api_new)}",
                    spring(sc, t, "INFO", "http-nio-8080-exec-4", "c.m.o.api.OrderController",
                           f"GET /orders/{sc.rng.randint(10 ** 6, 10 ** 7)} 200 {sc.rng.randint(8, 60)}ms", api)))

    sc.alarm("order-events-consumer-lag", "AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds",
             {"StreamName": "order-events"}, "Maximum", 60, 3, 600000, "GreaterThanThreshold",
             "order-events consumers falling behind")
    sc.alarm("order-aggregator-memory", "AWS/ECS", "MemoryUtilization",
             {"ClusterName": cl, "ServiceName": svc}, "Average", 300, 2, 90, "GreaterThanThreshold")
    sc.change(T0 - 432, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              f"{api}:231", "gha-orders-deploy")
    sc.change(T0 - 420, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{api}",
              "gha-orders-deploy")
    sc.change(-18300, "dynamodb.amazonaws.com", "UpdateTable", "AWS::DynamoDB::Table", "order-aggregates",
              "terraform-orders")
    sc.expect = {"alarm": "order-events-consumer-lag",
                 "root_cause": {"category": "memory_exhaustion", "resource": [f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                "dimensions": {"ClusterName": cl, "ServiceName": svc}}]}
    info = dict(alarm="order-events-consumer-lag", category="memory_exhaustion", resources=[f"{cl}/{svc}", svc],
                where="front (Kinesis stream)", services="ECS, Kinesis, Lambda",
                decoys="deploy of streams/order-api 7 min before onset (with a CPU blip); old profile-cache "
                       "warnings; half-hourly settlement-batch job; GC-driven CPU rise on the culprit",
                story=(
                    "The Spring Boot KCL consumer `streams/order-aggregator` keeps a per-merchant window in "
                    "heap. For 50 minutes before onset its MemoryUtilization climbs from ~58 % to ~97 % as the "
                    "window for one merchant (`m-88213`) grows past a million keys; GC lines switch to "
                    "multi-second `Pause Full` with almost nothing reclaimed. From -45 min tasks are killed in "
                    "turn (`OutOfMemoryError: Container killed due to memory usage`, exit 137, and `Java heap "
                    "space` in the app log), RunningTaskCount dips below 4, memory becomes a sawtooth and the "
                    "stream's iterator age climbs until the Kinesis lag alarm fires. The `order-api` deploy 7 "
                    "minutes before onset is a different service whose logs stay healthy; the CPU rise on the "
                    "aggregator is garbage collection (never pinned); cache-miss warnings are old."),
                judgement=None)
    return sc, info


# =========================================================================== 06
def s06() -> tuple:
    T0 = -2280
    sc = Scenario(6, "beacon-collect-5xx",
                  "Beacon collection endpoint returning 500s for about half of the requests.",
                  "ca-central-1", 6206, "2026-12-02T16:05:00+00:00")
    lb = "app/edge-collect/7a1c0e5b9d3f2468"
    tg = "targetgroup/edge-collect-php/3e8b1f0c6d2a9475"
    ia, ib = "i-0a7d2c19e4b3f5a60", "i-0b96e4f1a3c2d8b57"
    sc.resource("alb", lb, name="edge-collect", target_group="edge-collect-php", targets=[ia, ib])
    sc.resource("ec2", ia, name="collector-a", instance_type="c6i.large", root_volume_gb=50,
                log_groups=["/collect/nginx/access", "/collect/php-fpm/error", "/collect/syslog"])
    sc.resource("ec2", ib, name="collector-b", instance_type="c6i.large", root_volume_gb=50,
                log_groups=["/collect/nginx/access", "/collect/php-fpm/error", "/collect/syslog"])

    day = lambda t: diurnal(sc, t, peak_hour=18, amp=0.2)
    full = lambda t: 1.0 if t >= T0 else 0.0
    req = lambda t: 5200 * day(t)
    cron = lambda t: hourly(sc, t, 25, 4, 1.0)
    alb_metrics(sc, lb, req=req, rt=lambda t: 0.021 + 0.004 * full(t), t5xx=lambda t: 0.5 + 0.5 * req(t) * full(t),
                t4xx=lambda t: 61.0, unhealthy=lambda t: 0, tg=tg)
    ec2_metrics(sc, ia, cpu=lambda t: 31 * day(t) + 32 * cron(t), disk=lambda t: 44 - 3 * cron(t), mem=lambda t: 38)
    ec2_metrics(sc, ib, cpu=lambda t: 31 * day(t) + 32 * cron(t) - 6 * full(t),
                disk=lambda t: min(100.0, 71 + 29 * (t + 21600) / (T0 + 21600)), mem=lambda t: 39)

    def php(t, iid):
        rng = sc.rng
        d = sc.at(t)
        ts = d.strftime("%d-%b-%Y %H:%M:%S") + " UTC"
        if iid == ib and t >= T0 and rng.random() < 0.8:
            f = f"/var/spool/beacon/{d:%Y%m%d}/{d:%H}/b-{sc.hexid(12)}.json"
            if rng.random() < 0.5:
                return (f"[{ts}] PHP Warning:  file_put_contents({f}): Failed to open stream: No space left on "
                        f"device in /var/www/collect/src/Spool.php on line 48")
            return (f"[{ts}] PHP Fatal error:  Uncaught RuntimeException: spool write failed for {f} in "
                    f"/var/www/collect/src/Spool.php:52\nStack trace:\n#0 /var/www/collect/public/index.php(37): "
                    f"Collect\\Spool->append(Object(Collect\\Beacon))\n#1 {{main}}\n  thrown in "
                    f"/var/www/collect/src/Spool.php on line 52")
        return (f"[{ts}] PHP Deprecated:  Creation of dynamic property Collect\\Beacon::$ua is deprecated in "
                f"/var/www/collect/src/Beacon.php on line 31")

    for iid in (ia, ib):
        emit(sc, "/collect/php-fpm/error", LOG_START, 0,
             lambda t, i=iid: 1.2 + (3 if i == ib and t >= T0 else 0), lambda t, i=iid: php(t, i), stream=iid)

        def acc(t, i=iid):
            rng = sc.rng
            ip = f"{rng.choice(['24', '70', '142', '99'])}.{rng.randint(1, 254)}.{rng.randint(1, 254)}.{rng.randint(1, 254)}"
            if rng.random() < 0.04:
                return nginx(sc, t, ip, "GET", "/favicon.ico", 404, 153, 0.001)
            if rng.random() < 0.05:
                return nginx(sc, t, "10.12.0.17", "GET", "/healthz", 200, 2, 0.002, ua="ELB-HealthChecker/2.0")
            if i == ib and t >= T0 and rng.random() < 0.97:
                return nginx(sc, t, ip, "POST", "/v1/b", 500, 0, rng.uniform(0.004, 0.02))
            return nginx(sc, t, ip, "POST", "/v1/b", 204, 0, rng.uniform(0.008, 0.04))
        emit(sc, "/collect/nginx/access", LOG_START, 0, 5, acc, stream=iid)

        def sysl(t, i=iid):
            d = sc.at(t)
            host = "collector-a" if i == ia else "collector-b"
            if cron(t):
                return f"{d:%b %d %H:%M:%S} {host} beacon-compact[{sc.rng.randint(4000, 9000)}]: compacted {sc.rng.randint(40, 90)} hourly spool dirs"
            if i == ib:
                return (f"{d:%b %d %H:%M:%S} {host} spool-shipper[{sc.rng.randint(4000, 9000)}]: previous run still "
                        f"active (lock /run/spool-shipper.lock held by pid 2231), skipping")
            return f"{d:%b %d %H:%M:%S} {host} spool-shipper[{sc.rng.randint(4000, 9000)}]: shipped {sc.rng.randint(300, 700)} files to s3://beacon-landing/ in {sc.rng.uniform(2, 9):.1f}s"
        emit(sc, "/collect/syslog", LOG_START, 0, lambda t: 0.2 + 0.8 * cron(t), sysl, stream=iid)

    sc.alarm("edge-collect-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 100, "GreaterThanThreshold", "Beacon collector 5xx")
    sc.alarm("edge-collect-unhealthy", "AWS/ApplicationELB", "UnHealthyHostCount",
             {"LoadBalancer": lb, "TargetGroup": tg}, "Maximum", 60, 2, 0, "GreaterThanThreshold")
    sc.alarm("collector-a-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": ia}, "Average", 300, 1, 55,
             "GreaterThanThreshold")
    sc.change(T0 - 240, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
              "sg-0c41d7a2e9b35f180", "ops-admin")
    sc.change(-9000, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
              "AWS::ElasticLoadBalancingV2::TargetGroup", "edge-collect-php", "terraform-edge")
    sc.expect = {"alarm": "edge-collect-target-5xx",
                 "root_cause": {"category": "storage_exhaustion", "resource": [ib, "collector-b"]},
                 "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent",
                                "dimensions": {"InstanceId": ib, "path": "/", "device": "nvme0n1p1", "fstype": "xfs"}}]}
    info = dict(alarm="edge-collect-target-5xx", category="storage_exhaustion", resources=[ib, "collector-b"],
                where="front (ALB)", services="ALB, EC2",
                decoys="security-group ingress change 4 min before onset; hourly compaction CPU spikes on both "
                       "instances; old PHP deprecation notices; healthy target (health check does not touch disk)",
                story=(
                    "`edge-collect` balances a PHP beacon endpoint over `collector-a` and `collector-b`. On "
                    "`collector-b` disk_used_percent has climbed steadily all afternoon (71 % six hours ago) "
                    "because its spool shipper keeps skipping on a stale lock, and it reaches 100 % at about "
                    "-38 min. From then on php-fpm logs `file_put_contents(...): Failed to open stream: No "
                    "space left on device` and uncaught `spool write failed`, its nginx access log turns POSTs "
                    "into 500s, and the ALB's target 5XX jump to half of all requests. `/healthz` does not "
                    "write, so the target stays healthy and UnHealthyHostCount stays 0. The security-group "
                    "change 4 minutes before onset would block or allow traffic on both instances, not fail "
                    "writes on one; the hourly compaction spikes CPU on both every hour."),
                judgement=("The stale shipper lock is why the disk filled, but the failing mechanism a responder "
                           "fixes first is the full volume: `storage_exhaustion` on `collector-b`."))
    return sc, info
