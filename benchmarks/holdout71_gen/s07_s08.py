"""h71-07 one fence-query node pinned; h71-08 OTA manifest service leaks into OOM kills."""
from __future__ import annotations

from .common import Scenario, ramp
from .kit import (GRID, alb_metrics, device_id, ec2_metrics, ecs_metrics, fleet_load, fw,
                  lam_metrics, sprinkle, waves, zap, zeros)
from .runtimes import jline, serilog


def s07() -> Scenario:
    sc = Scenario(7, "fence-query-slow",
                  "Fence query API slow; ALB latency alarm fired during the afternoon peak.",
                  "us-west-2", 7107, "2026-03-15T22:05:00")
    lb, tg = "app/fence-query/5d0e9b7a1c3f2864", "targetgroup/fence-nodes/a3c9e1f7d5b20846"
    a, b = ("i-0c4e8a1f6b2d9e357", "gf-node-a"), ("i-0f1a6d3c8e5b7a924", "gf-node-b")
    nightly = ("i-0b7d2e9f4a1c6e830", "routeopt-nightly")
    sc.resource("alb", lb, name="fence-query", scheme="internal")
    for iid, name in (a, b):
        sc.resource("ec2", iid, name=name, instance_type="c6g.xlarge", runtime="go1.22",
                    log_groups=["/fence/service"])
    sc.resource("ec2", nightly[0], name=nightly[1], instance_type="c7g.4xlarge")
    sc.resource("lambda", "driver-shift-sync", runtime="python3.12", timeout=60, memory_size=512)
    on = -2000
    hot = lambda t: ramp(t, on - 60, on + 60)

    def load(t):
        return fleet_load(sc, t, 2200, amp=0.2, peak=22, batch=0.3, batch_minute=15,
                          wave_starts=[-15800, -9100], wave_h=0.5)

    req = sc.series(load, noise=0.03, integer=True)
    rt = sc.series(lambda t: 0.045 + 1.25 * hot(t), noise=0.07, digits=4)
    e5 = [float(round(r * 0.004 * hot(t) + sc.rng.random() * 0.7)) for t, r in zip(GRID, req)]
    alb_metrics(sc, lb, tg, req, rt, sc.series(lambda t: 0.3, noise=0.5, integer=True), e5,
                [2.0] * len(GRID))
    base_cpu = lambda t: 33 * load(t) / 2200
    ec2_metrics(sc, a[0], sc.series(lambda t: base_cpu(t) + (99.3 - base_cpu(t)) * hot(t),
                                    noise=0.03, abs_noise=0.3, cap=100),
                sc.series(lambda t: 3.1e7 * load(t) / 2200, noise=0.06, integer=True), zeros(),
                sc.series(lambda t: 46 + 4 * hot(t), noise=0.01), sc.series(lambda t: 31, noise=0.001))
    ec2_metrics(sc, b[0], sc.series(base_cpu, noise=0.05),
                sc.series(lambda t: 3.1e7 * load(t) / 2200, noise=0.06, integer=True), zeros(),
                sc.series(lambda t: 45, noise=0.01), sc.series(lambda t: 30, noise=0.001))
    job = lambda t: 1.0 if -9600 <= t < -6600 else 0.0
    ec2_metrics(sc, nightly[0], sc.series(lambda t: 2 + 93 * job(t), noise=0.02, cap=100),
                sc.series(lambda t: 5e4 + 2e7 * job(t), noise=0.1, integer=True), zeros(),
                sc.series(lambda t: 9 + 70 * job(t), noise=0.02), sc.series(lambda t: 44, noise=0.001))
    lam_metrics(sc, "driver-shift-sync", sc.series(lambda t: 3, noise=0.3, integer=True), zeros(),
                sc.series(lambda t: 4100, noise=0.1))
    for iid, name in (a, b):
        is_a = iid == a[0]

        def line(t, is_a=is_a):
            r = sc.rng.random()
            dev = device_id(sc)
            if r < 0.06:
                return zap(sc, t, "error", "ingest/skew.go:41", "device time skew too large",
                           device=dev, skew_s=sc.rng.choice([3598, 3600, 3601, -7200]))
            if r < 0.1:
                return zap(sc, t, "error", "api/handler.go:133", "geohash decode failed",
                           device=dev, error="invalid character 'i' in geohash")
            if is_a and hot(t) > 0.5:
                if r < 0.4:
                    return zap(sc, t, "warn", "eval/pip.go:212", "slow evaluation", device=dev,
                               shard=sc.rng.randint(0, 15), eval_ms=int(sc.rng.uniform(700, 2600)))
                if r < 0.55:
                    return zap(sc, t, "warn", "server/pool.go:88", "worker pool saturated",
                               queued=sc.rng.randint(300, 1400), workers=64,
                               goroutines=sc.rng.randint(5200, 9100))
            ms = sc.rng.uniform(4, 40) * (40 if is_a and hot(t) > 0.5 else 1)
            return zap(sc, t, "info", "api/handler.go:97", "fence query", device=dev,
                       fences_hit=sc.rng.randint(0, 3), dur_ms=round(ms, 1), status=200)
        sprinkle(sc, "/fence/service", iid, lambda t: 3.0, line)
    sc.change(-2060, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "driver-shift-sync", "k.lindqvist")
    sc.change(-9650, "ec2.amazonaws.com", "StartInstances", "AWS::EC2::Instance", nightly[0],
              "routeopt-scheduler")
    sc.change(-6540, "ec2.amazonaws.com", "StopInstances", "AWS::EC2::Instance", nightly[0],
              "routeopt-scheduler")
    sc.alarm("fence-query-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 3, 0.8, "GreaterThanThreshold", "Fence query latency")
    sc.alarm("routeopt-nightly-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": nightly[0]},
             "Average", 300, 2, 90, "GreaterThanThreshold")
    sc.expect = {"alarm": "fence-query-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [a[0], a[1]]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization",
                                "dimensions": {"InstanceId": a[0]}}]}
    sc.meta = dict(where="alarm on front (ALB); origin one target instance",
                   decoys="Lambda configuration update 60 s before onset; the nightly "
                          "route-optimisation box pinned at 95 % earlier (its alarm went back to OK); "
                          "skew and geohash errors at a constant rate on both nodes",
                   services="ALB, EC2 (Go), Lambda")
    return sc


def s08() -> Scenario:
    sc = Scenario(8, "ota-manifest-5xx",
                  "OTA manifest endpoint returning 502/503 to devices; ALB 5xx alarm in ALARM.",
                  "me-central-1", 7108, "2026-03-16T08:40:00")
    lb, tg = "app/ota-edge/1e6b3d8f0a2c7945", "targetgroup/ota-manifest/6f2a9c0e4d7b1385"
    svc = "fleet/ota-manifest"
    sc.resource("alb", lb, name="ota-edge", scheme="internet-facing")
    sc.resource("ecs", svc, desired_count=3, cpu=512, memory=1024, launch_type="FARGATE",
                runtime="dotnet8", log_group="/ecs/ota-manifest")
    sc.resource("lambda", "fw-signing", runtime="dotnet8", timeout=60, memory_size=1024)
    sc.resource("rds", "ota-state-db", engine="postgres", instance_class="db.t4g.medium",
                max_connections=410, allocated_storage_gb=100)
    oom = -1500
    routine = [-12000, -6000, -1800]

    def load(t):
        return fleet_load(sc, t, 620, amp=0.2, peak=9, batch=0.4, batch_minute=45,
                          wave_starts=routine, wave_h=0.35)

    def memf(t):
        if t < oom:
            return 38 + 56 * ((t + 21600) / (21600 + oom)) ** 1.15
        ph = ((t - oom) % 170) / 170.0
        return 72 + 28 * ph

    kill = lambda t: 1.0 if t >= oom else 0.0
    req = sc.series(load, noise=0.03, integer=True)
    e5 = [float(round(r * 0.07 * kill(t) * sc.rng.uniform(0.6, 1.4))) for t, r in zip(GRID, req)]
    rt = sc.series(lambda t: 0.06 + 0.05 * ramp(t, -4000, oom) + 0.5 * kill(t), noise=0.1, digits=4)
    healthy = [float(sc.rng.choice([1, 2, 2, 3])) if t >= oom else 3.0 for t in GRID]
    alb_metrics(sc, lb, tg, req, rt, sc.series(lambda t: 0.2, noise=0.5, integer=True), e5,
                healthy, [3.0 - h for h in healthy])
    running = [float(sc.rng.choice([2, 2, 3])) if t >= oom else 3.0 for t in GRID]
    ecs_metrics(sc, "fleet", "ota-manifest", sc.series(lambda t: 22 * load(t) / 620 + 18 * kill(t),
                                                       noise=0.06),
                sc.series(memf, noise=0.015, cap=100), running)
    lam_metrics(sc, "fw-signing", sc.series(lambda t: 1, noise=0.3, integer=True), zeros(),
                sc.series(lambda t: 8800, noise=0.1))

    # one long-lived task per slot until the OOM phase, then short-lived replacements
    tasks = []
    for k in range(3):
        died = oom + 20 + k * 85 + sc.rng.uniform(0, 30)
        tasks.append((sc.hexid(32), -21600, died))
        born = died + sc.rng.uniform(35, 60)
        while born < 0:
            life = sc.rng.uniform(240, 480)
            tasks.append((sc.hexid(32), born, born + life))
            born += life + sc.rng.uniform(35, 60)
    events_stream = "/aws/events/ecs-task-state"
    for task, born, died in tasks:
        stream = f"ecs/ota-manifest/{task}"
        if born > -21600:
            sc.log("/ecs/ota-manifest", stream, born + 6, serilog(sc, born + 6, "INF",
                   "Microsoft.Hosting.Lifetime", 'Now listening on: "http://[::]:8080"'))

        def line(t, born=born, died=died):
            if t < born + 8 or (died is not None and t > died):
                return None
            cache_n = int(1100 * max(0.0, t - (born if born > -21600 else -30000)) / 60)
            r = sc.rng.random()
            dev = device_id(sc, "TCU")
            if r < 0.08:
                return serilog(sc, t, "WRN", "Ota.Manifest.Api.HardwareResolver",
                               f'Unknown hardware revision "tcu-9b" for device {dev}; serving default')
            if died is not None and t > died - 45 and r < 0.5:
                return serilog(sc, t, "WRN", "Microsoft.AspNetCore.Server.Kestrel",
                               f'Heartbeat took longer than "00:00:01" at "{sc.at(t).strftime("%m/%d/%Y %H:%M:%S")} +00:00".')
            if t >= oom - 1200 and r < 0.14:
                return serilog(sc, t, "INF", "Ota.Manifest.Cache.ManifestCache",
                               f"Cache size {cache_n} entries, gen2 collections "
                               f"{sc.rng.randint(40, 400)}, heap {int(memf(t) * 9.6)} MB")
            return serilog(sc, t, "INF", "Ota.Manifest.Api.ManifestController",
                           f"Served manifest for {dev} hw=tcu-9 fw={fw(sc)} in "
                           f"{sc.rng.uniform(3, 40) * (1 + 8 * kill(t)):.1f} ms")
        sprinkle(sc, "/ecs/ota-manifest", stream, lambda t: 2.0 if t >= oom else 1.2, line,
                 t0=max(-14400, born))
        if died is not None and died < 0:
            sc.log("/ecs/ota-manifest", stream, died - 0.4, serilog(sc, died - 0.4, "ERR",
                   "Microsoft.AspNetCore.Server.Kestrel",
                   'Connection id "0HN1' + sc.hexid(8).upper() + '", Request id "0HN1' + sc.hexid(8).upper()
                   + ':00000007": An unhandled exception was thrown by the application.\n'
                   "System.OutOfMemoryException: Exception of type 'System.OutOfMemoryException' was thrown.\n"
                   "   at System.Collections.Generic.Dictionary`2.Resize(Int32 newSize, Boolean forceNewHashCodes)\n"
                   "   at Ota.Manifest.Cache.ManifestCache.GetOrAdd(DeviceKey key, Func`1 factory) in /src/Ota.Manifest/Cache/ManifestCache.cs:line 58"))
            ev = {"version": "0", "id": sc.uuid(), "detail-type": "ECS Task State Change",
                  "source": "aws.ecs", "account": sc.account, "time": sc.iso(died + 2, 0),
                  "region": sc.region, "detail": {
                      "clusterArn": f"arn:aws:ecs:{sc.region}:{sc.account}:cluster/fleet",
                      "group": "service:ota-manifest", "lastStatus": "STOPPED",
                      "desiredStatus": "STOPPED", "stopCode": "EssentialContainerExited",
                      "stoppedReason": "OutOfMemoryError: Container killed due to memory usage",
                      "taskArn": f"arn:aws:ecs:{sc.region}:{sc.account}:task/fleet/{task}",
                      "containers": [{"name": "ota-manifest", "exitCode": 137,
                                      "lastStatus": "STOPPED"}]}}
            sc.log(events_stream, "ecs-events", died + 2, jline(ev))
    sprinkle(sc, events_stream, "ecs-events", lambda t: 0.03 if t < oom else 0.0,
             lambda t: jline({"version": "0", "id": sc.uuid(), "detail-type": "ECS Service Action",
                              "source": "aws.ecs", "time": sc.iso(t, 0), "region": sc.region,
                              "detail": {"eventType": "INFO", "eventName": "SERVICE_STEADY_STATE",
                                         "clusterArn": f"arn:aws:ecs:{sc.region}:{sc.account}:cluster/fleet"}}))
    sc.change(-1560, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "fw-signing", "azdo-release")
    sc.alarm("ota-edge-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 10, "GreaterThanThreshold", "OTA edge 5xx generated by the load balancer")
    sc.expect = {"alarm": "ota-edge-elb-5xx",
                 "root_cause": {"category": "memory_exhaustion", "resource": [svc, "ota-manifest"]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                "dimensions": {"ClusterName": "fleet", "ServiceName": "ota-manifest"}}]}
    sc.meta = dict(where="alarm on front (ALB); origin ECS service behind it",
                   decoys="fw-signing deploy 60 s before the first OOM kill; a routine reconnect "
                          "wave 5 min before onset; 'unknown hardware revision' warnings all day; "
                          "ECS CPU rising with GC pressure",
                   services="ALB, ECS (.NET), Lambda, RDS")
    return sc
