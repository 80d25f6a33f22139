"""h56-13, h56-14: an EC2 host that drops off the network, a Go worker deploy that panics."""
import datetime as dt

from . import logfmt as lf
from .core import Scenario
from .lambda_sim import LambdaFn

ACCOUNT = "412907655218"


def s13_core_api_host_lost():
    sc = Scenario(name="h56-13-core-api-host-lost", region="eu-west-1", seed=5613, tz_hours=0,
                  now_utc=dt.datetime(2026, 12, 2, 3, 15),
                  description="Unhealthy target on core-api-alb overnight; one API node stopped answering.")
    rng = sc.rng
    lb = "app/core-api-alb/0d9a7c35e1b24f86"
    hosts = {"i-0a4e6c2b8d1f3057e": "core-api-1", "i-0b7d1e9f3a5c2468d": "core-api-2",
             "i-0e71c4a9b2d6f8035": "core-api-3"}
    dead = "i-0e71c4a9b2d6f8035"
    for iid, name in hosts.items():
        sc.resource("ec2", iid, name=name, instance_type="m6i.large", availability_zone=
                    {"core-api-1": "eu-west-1a", "core-api-2": "eu-west-1b", "core-api-3": "eu-west-1c"}[name],
                    log_groups=["/core-api/app"], auto_recovery="not configured")
    sc.resource("alb", lb, name="core-api-alb", targets=list(hosts))
    thumb = LambdaFn(sc, "thumbnail-maker", "nodejs20.x", 1536, 60)
    sc.resource("lambda", thumb.name, runtime="nodejs20.x", timeout=60, memory_size=1536)
    sc.change(-2470, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", thumb.name,
              "github-actions-media")
    thumb.resets = [-2470]
    lost = -1862

    req, lat, e502 = {}, {}, {}
    logs = {iid: [] for iid in hosts}
    routes = ["/v1/me", "/v1/orders", "/v1/orders/{}", "/v1/catalog/search", "/healthz"]
    for m in sc.minutes():
        n = sc.poisson(sc.diurnal(m, 900, 40))
        req[m], lat[m], e502[m] = n, [], 0
        alive = [i for i in hosts if not (i == dead and m >= lost + 60)]
        for _ in range(n):
            t = m + rng.uniform(0, 60)
            iid = rng.choice(alive)
            if iid == dead and t >= lost:
                e502[m] += 1
                continue
            d = rng.uniform(0.006, 0.09)
            lat[m].append(d)
            if t < sc.log_from or rng.random() > 0.35:
                continue
            route = rng.choice(routes).format(rng.randint(10 ** 6, 10 ** 7))
            if route == "/v1/me" and rng.random() < 0.18:
                logs[iid].append((t, lf.zap(sc, t, "error", "auth/middleware.go:71", "token validation failed",
                                            error="token has invalid claims: token is expired", path=route)))
                continue
            logs[iid].append((t, lf.zap(sc, t, "info", "httpx/log.go:44", "request", method="GET", path=route,
                                        status=200, dur_ms=round(d * 1000, 1), bytes=rng.randint(200, 9000))))
        for iid in hosts:
            if m >= sc.log_from and not (iid == dead and m >= lost) and m % 300 == 0:
                logs[iid].append((m + 1, lf.zap(sc, m + 1, "info", "runtime/stats.go:30", "runtime stats",
                                                goroutines=rng.randint(40, 70), heap_mb=rng.randint(60, 95))))
    logs[dead] = [e for e in logs[dead] if e[0] < lost]
    for iid in hosts:
        sc.log("/core-api/app", iid, logs[iid])

    def cpu(iid):
        def f(t):
            if iid == dead and t >= lost - 300 + 60:
                return None
            return rng.uniform(6, 12) + (35 if -4500 <= t < -4200 else 0) + (2 if iid != dead and t >= lost else 0)
        return f
    for iid in hosts:
        dims = {"InstanceId": iid}
        sc.metric("AWS/EC2", "CPUUtilization", dims, "Percent", [(t, cpu(iid)(t)) for t in range(-sc.history, 0, 300)])
        sc.metric("AWS/EC2", "NetworkIn", dims, "Bytes",
                  [(t, None if iid == dead and t >= lost - 240 else rng.uniform(1.1e7, 1.6e7))
                   for t in range(-sc.history, 0, 300)])
        for name in ("StatusCheckFailed", "StatusCheckFailed_System"):
            sc.series("AWS/EC2", name, dims, "Count", lambda m, i=iid: 1 if i == dead and m >= lost - 2 else 0)
        sc.series("AWS/EC2", "StatusCheckFailed_Instance", dims, "Count", lambda m: 0)
        sc.series("CWAgent", "mem_used_percent", dims, "Percent",
                  lambda m, i=iid: None if i == dead and m >= lost - 60 else rng.uniform(34, 39))
        sc.series("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": "xfs"}, "Percent",
                  lambda m, i=iid: None if i == dead and m >= lost - 60 else 27.4 + (m + 21600) / 21600 * 0.2)
    d = {"LoadBalancer": lb}
    sc.series("AWS/ApplicationELB", "RequestCount", d, "Count", lambda m: req[m])
    sc.series("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds",
              lambda m: sum(lat[m]) / len(lat[m]) if lat[m] else None)
    sc.series("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", lambda m: e502[m])
    sc.series("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", lambda m: 0)
    sc.series("AWS/ApplicationELB", "TargetConnectionErrorCount", d, "Count",
              lambda m: rng.randint(3, 6) if lost - 60 <= m < lost + 60 else 0)
    sc.series("AWS/ApplicationELB", "HealthyHostCount", d, "Count", lambda m: 2 if m >= lost + 60 else 3)
    sc.series("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", lambda m: 1 if m >= lost + 60 else 0)

    for m in sc.minutes():
        for _ in range(sc.poisson(sc.diurnal(m, 20, 0.8))):
            t = m + rng.uniform(0, 60)
            key = f"uploads/{sc.hexid(16)}.jpg"
            thumb.add(t, rng.uniform(700, 1900), "ok", [(0.01, "INFO", f"Resizing s3://acme-media/{key} to 3 sizes"),
                                                         (0.6, "INFO", "Wrote 3 thumbnails")], mem=rng.randint(300, 420))
    thumb.emit_metrics()
    thumb.emit_logs()

    sc.alarm("core-api-unhealthy-hosts", "AWS/ApplicationELB", "UnHealthyHostCount", d, "Maximum", 60, 3, 0,
             "GreaterThanThreshold", description="A core-api target is failing health checks")
    sc.set_expect("core-api-unhealthy-hosts", "unknown", [dead, hosts[dead]],
                  [("AWS/EC2", "StatusCheckFailed_System", {"InstanceId": dead}),
                   ("AWS/ApplicationELB", "UnHealthyHostCount", d)])
    sc.notes = {
        "category": "unknown", "origin": "front (ALB target health; the lost instance is the origin)",
        "decoys": "thumbnail-maker deploy 10 min before (unrelated function); the 02:00 cron CPU bump on all "
                  "three hosts; steady 'token is expired' error lines on every host",
        "story": "At 02:44 UTC core-api-3 drops off: StatusCheckFailed_System goes to 1 (the instance check "
                 "stays 0), its CPU, network and agent metrics stop, its log stream ends mid-traffic with no "
                 "error or shutdown message, a few requests in flight become ALB 502s and the target turns "
                 "unhealthy. No deploy, config or IAM change touched it, CPU/memory/disk were normal right up to "
                 "the end, and the other two hosts carry the night traffic fine. The system status check points "
                 "at the underlying AWS host; none of the format's categories (deployment, config, resource "
                 "exhaustion, dependency, surge, app error) describes that, so the label is unknown on core-api-3.",
    }
    return sc


PANIC = ["panic: runtime error: invalid memory address or nil pointer dereference",
         "[signal SIGSEGV: segmentation violation code=0x1 addr=0x10 pc=0x8f5b2a]",
         "goroutine {g} [running]:",
         "github.com/acme/geofence/internal/fence.(*Schedule).ActiveAt(0x0, {{0xc0001a2f40?, 0x0?, 0x0?}})",
         "\t/src/internal/fence/schedule.go:42 +0x2a",
         "github.com/acme/geofence/internal/eval.(*Evaluator).Evaluate(0xc000118000, {{0xc00042e1e0, 0x24}}, 0xc0003b6a80)",
         "\t/src/internal/eval/evaluator.go:118 +0x1a4",
         "github.com/acme/geofence/internal/worker.(*Worker).handle(0xc00011c0c0, {{0x10a7e48, 0xc0000a6000}}, 0xc0003c2000)",
         "\t/src/internal/worker/worker.go:87 +0x2f1",
         "created by github.com/acme/geofence/internal/worker.(*Worker).Run in goroutine 1",
         "\t/src/internal/worker/worker.go:61 +0x145"]


def s14_geofence_deploy_panic():
    sc = Scenario(name="h56-14-geofence-deploy-panic", region="ca-central-1", seed=5614, tz_hours=-4,
                  now_utc=dt.datetime(2026, 4, 4, 7, 30),
                  description="geofence-events queue backlog growing at 03:15 EDT; backlog alarm.")
    rng = sc.rng
    cluster, svc = "events", "geofence-processor"
    sc.resource("ecs", f"{cluster}/{svc}", launch_type="FARGATE", desired_count=3, cpu=512, memory=1024,
                queue="geofence-events", log_groups=[f"/ecs/{svc}"],
                image=f"{ACCOUNT}.dkr.ecr.ca-central-1.amazonaws.com/geofence-processor:v2.31.0")
    sc.resource("ecs", f"{cluster}/notification-sender", launch_type="FARGATE", desired_count=3, cpu=256, memory=512)
    sc.resource("rds", "geo-pg", engine="postgres", engine_version="16.2", instance_class="db.r6g.large",
                max_connections=1700, allocated_storage_gb=200)
    deploy = -1800
    sc.change(deploy - 9, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", svc,
              "codepipeline-iot")
    sc.change(deploy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}", "codepipeline-iot")
    sc.change(-2650, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/notification-sender",
              "AWSReservedSSO_Ops_3b21aa/lea.martin")

    # task lifecycles: three old tasks until the rollout, then new tasks that panic and get replaced
    lives = []
    for k in range(3):
        lives.append({"id": sc.hexid(32), "ver": "v2.30.4", "start": -sc.history - 5000, "end": deploy + 70 + k * 25,
                      "panic": False})
    for k in range(3):
        t = deploy + 40 + k * 25
        while t < 0:
            up = rng.uniform(25, 150)
            lives.append({"id": sc.hexid(32), "ver": "v2.31.0", "start": t, "end": t + up, "panic": t + up < 0})
            t += up + rng.uniform(35, 75)           # ECS restarts the task after the container exits
    arrivals = {m: sc.poisson(sc.diurnal(m, 2400, 380)) for m in sc.minutes()}
    per_task = 320.0                                 # messages/min one task drains
    backlog, vis, age, oldest = 0.0, {}, {}, None
    running = {}
    for m in sc.minutes():
        up = sum(max(0.0, min(L["end"], m + 60) - max(L["start"], m)) / 60 for L in lives)
        running[m] = sum(1 for L in lives if L["start"] <= m + 30 < L["end"])
        cap = up * per_task * (0.35 if m >= deploy + 60 else 1.0)   # new tasks lose their in-flight batches
        backlog = max(0.0, backlog + arrivals[m] - cap)
        vis[m] = backlog * rng.uniform(0.97, 1.0) + sc.poisson(arrivals[m] * 0.01)
        if backlog > 50:
            oldest = oldest if oldest is not None else m
            age[m] = m + 30 - oldest
        else:
            oldest, age[m] = None, rng.uniform(0.5, 3)
    for L in lives:
        ev = []
        s, e = max(L["start"], sc.log_from), min(L["end"], -1)
        if s >= e:
            continue
        if L["start"] >= sc.log_from:
            ev.append((s, lf.zap(sc, s, "info", "cmd/processor/main.go:48", "starting geofence-processor",
                                 version=L["ver"], commit="9f2c1ab" if L["ver"] == "v2.31.0" else "41d07ce",
                                 queue="geofence-events")))
        t = s + rng.uniform(1, 10)
        while t < e:
            ev.append((t, lf.zap(sc, t, "info", "internal/worker/worker.go:102", "batch evaluated",
                                 messages=10, transitions=rng.randint(0, 4), took_ms=rng.randint(40, 160))))
            if rng.random() < 0.08:
                ev.append((t + 0.01, lf.zap(sc, t + 0.01, "warn", "internal/eval/clock.go:19",
                                            "device clock skew > 30s, using server time",
                                            device=f"dev_{sc.hexid(10)}", skew_s=rng.randint(31, 240))))
            t += rng.uniform(3.5, 7)
        if L["panic"]:
            g = rng.randint(40, 220)
            for i, line in enumerate(PANIC):
                ev.append((e + i * 0.001, line.format(g=g).replace("{{", "{").replace("}}", "}")))
        sc.log(f"/ecs/{svc}", f"ecs/{svc}/{L['id']}", ev)

    d = {"ClusterName": cluster, "ServiceName": svc}
    sc.series("AWS/ECS", "CPUUtilization", d, "Percent",
              lambda m: rng.uniform(31, 38) * (0.6 if m >= deploy + 60 else 1) if running[m] else None)
    sc.series("AWS/ECS", "MemoryUtilization", d, "Percent", lambda m: rng.uniform(22, 26) if running[m] else None)
    sc.series("ECS/ContainerInsights", "RunningTaskCount", d, "Count", lambda m: running[m])
    q = {"QueueName": "geofence-events"}
    sc.series("AWS/SQS", "NumberOfMessagesSent", q, "Count", lambda m: arrivals[m])
    sc.series("AWS/SQS", "ApproximateNumberOfMessagesVisible", q, "Count", lambda m: vis[m])
    sc.series("AWS/SQS", "ApproximateAgeOfOldestMessage", q, "Seconds", lambda m: age[m])
    nd = {"ClusterName": cluster, "ServiceName": "notification-sender"}
    sc.series("AWS/ECS", "CPUUtilization", nd, "Percent", lambda m: rng.uniform(5, 9) * (0.7 if m >= -2650 else 1))
    sc.series("ECS/ContainerInsights", "RunningTaskCount", nd, "Count", lambda m: 3 if m >= -2590 else 2)
    rd = {"DBInstanceIdentifier": "geo-pg"}
    sc.series("AWS/RDS", "CPUUtilization", rd, "Percent",
              lambda m: rng.uniform(12, 17) + (38 if -4200 <= m < -3600 else 0) - (5 if m >= deploy + 60 else 0))
    sc.series("AWS/RDS", "DatabaseConnections", rd, "Count", lambda m: rng.randint(30, 36))

    sc.alarm("geofence-events-backlog", "AWS/SQS", "ApproximateNumberOfMessagesVisible", q, "Maximum", 300, 2, 1000,
             "GreaterThanThreshold", description="Geofence events not being consumed")
    sc.set_expect("geofence-events-backlog", "bad_deployment", [f"{cluster}/{svc}", svc],
                  [("AWS/SQS", "ApproximateNumberOfMessagesVisible", q), ("ECS/ContainerInsights", "RunningTaskCount", d)])
    sc.notes = {
        "category": "bad_deployment", "origin": "front (the queue the service consumes)",
        "decoys": "notification-sender desired-count change 14 min before the deploy (other service, healthy); "
                  "geo-pg maintenance CPU bump at 02:20 EDT; steady clock-skew warnings",
        "story": "At 03:00 EDT the pipeline registered a new task definition and rolled geofence-processor to "
                 "v2.31.0. Every v2.31.0 task dies within a couple of minutes with 'panic: runtime error: invalid "
                 "memory address or nil pointer dereference' in (*Schedule).ActiveAt, a trace never seen from "
                 "v2.30.4; ECS keeps restarting them, RunningTaskCount flaps, throughput halves and the "
                 "geofence-events backlog grows past the alarm. The earlier desired-count change is on another "
                 "service. Deployment followed by a new crash signature: bad_deployment on the service.",
    }
    return sc
