"""h14-07: a bulk upload of huge TIFF scans makes thumbnailer tasks exceed their 1 GiB memory
limit; ECS kills them (exit 137, OutOfMemoryError) over and over."""
from __future__ import annotations

import datetime as dt
import json

import numpy as np

from .common import N, T, Ctx, alarm, bump, change, metric, ok_alarm, scenario, spread, stream

META = {
    "file": "h14-07-thumbnailer-oom-kills.yaml", "region": "ca-central-1", "alarm": "thumbnailer-memory-high",
    "category": "memory_exhaustion", "resources": ["media/thumbnailer", "thumbnailer"],
    "position": "origin (ECS service)",
    "decoys": "cdn-purger deployed in the same cluster 3 min before onset (its task replacements appear in the "
              "task-state event log too); constant ICC-profile warnings; upload-api 413 warnings",
    "story": "From about 40 minutes ago tenant atlas-archives bulk-uploads 14032x10512 TIFF scans. thumbnailer tasks "
             "(1 GiB hard limit, two jobs at a time) log 'decoding source image' for these files and then stop "
             "logging; the ECS task-state events show the containers stopped with exit code 137 and reason "
             "'OutOfMemoryError: Container killed due to memory usage', replacements start and die the same way. "
             "MemoryUtilization saw-tooths to 100 %, RunningTaskCount dips and the thumbnail-jobs queue backs up. "
             "The cdn-purger deploy minutes earlier is another service whose own replacements are ordinary "
             "deployment events; no change touched thumbnailer.",
}

REGION = "ca-central-1"
CLUSTER, SVC = "media", "thumbnailer"
ONSET = -2400.0
PURGER_DEPLOY = -2580.0
LOG_START = -7200.0
ACCOUNT = "123456789012"
TD = 41


def _zap(ctx, rel, level, caller, msg, **kw):
    rec = {"level": level, "ts": ctx.iso(rel), "caller": caller, "msg": msg}
    rec.update(kw)
    return json.dumps(rec, separators=(",", ":"))


def _task_event(ctx, rel, task_id, service, status, td, container, stopped=None, exit_code=None, reason=None):
    detail = {"clusterArn": f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/{CLUSTER}",
              "containers": [{"name": container, "lastStatus": status,
                              **({"exitCode": exit_code} if exit_code is not None else {}),
                              **({"reason": reason} if reason else {})}],
              "desiredStatus": status if status != "STOPPED" else "STOPPED", "lastStatus": status,
              "group": f"service:{service}", "launchType": "FARGATE",
              "taskArn": f"arn:aws:ecs:{REGION}:{ACCOUNT}:task/{CLUSTER}/{task_id}",
              "taskDefinitionArn": f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/{service}:{td}"}
    if stopped:
        detail["stopCode"] = "EssentialContainerExited" if exit_code is not None else "ServiceSchedulerInitiated"
        detail["stoppedReason"] = stopped
    rec = {"version": "0", "id": ctx.uuid(), "detail-type": "ECS Task State Change", "source": "aws.ecs",
           "account": ACCOUNT, "time": ctx.iso(rel, ms=False), "region": REGION,
           "resources": [detail["taskArn"]], "detail": detail}
    return json.dumps(rec, separators=(",", ":"))


def build(seed: int) -> dict:
    ctx = Ctx(seed, dt.datetime(2026, 3, 19, 19, 10, tzinfo=dt.timezone.utc), -4.0, REGION)
    rng = ctx.rng
    shape = ctx.diurnal(peak=15.0, amp=0.3)
    jobs = ctx.poisson(38 * shape)

    # task lifecycles for three slots
    tasks = []
    for slot in range(3):
        t = {"id": ctx.hexs(32), "start": -40000.0, "slot": slot, "big_at": ONSET + ctx.uni(40, 260)}
        tasks.append(t)
        while True:
            kill = t["big_at"] + ctx.uni(120, 260)
            if kill >= 0:
                t["stop"] = 1e9
                break
            t["stop"] = kill
            t["oom"] = True
            nxt = kill + ctx.uni(35, 60)
            if nxt >= 0:
                break
            t = {"id": ctx.hexs(32), "start": nxt, "slot": slot,
                 "big_at": nxt + ctx.uni(4, 15)}
            tasks.append(t)

    def mem_of(task, rel):
        if rel < task["start"] or rel >= task["stop"]:
            return None
        base = 33 + 3 * np.sin(rel / 900.0 + task["slot"])
        if rel < task["big_at"]:
            return base
        x = (rel - task["big_at"]) / 30.0  # decoding two scans: ~30 s to reach the limit, then GC thrash until killed
        return min(100.0, base + (97.5 - base) * min(1.0, x) + (2.0 * np.sin(rel * 1.7) if x >= 1 else 0.0))

    mem = np.full(N, np.nan)
    running = np.zeros(N)
    cpu = np.zeros(N)
    for i in range(N):  # service metric: the highest task reading within the minute
        samples = [mem_of(t, float(T[i]) + off) for t in tasks for off in range(5, 60, 10)]
        samples = [v for v in samples if v is not None]
        vals = [v for v in (mem_of(t, float(T[i]) + 30) for t in tasks) if v is not None]
        running[i] = len(vals)
        mem[i] = max(samples) + rng.normal(0, 0.4) if samples else np.nan
        big = sum(1 for t in tasks if t["start"] <= T[i] + 30 < t["stop"] and T[i] + 30 >= t["big_at"])
        cpu[i] = 41 * shape[i] + rng.normal(0, 2.5) + 30 * big / max(1, len(vals))
    mem = np.clip(mem, 0, 100)

    ev = {t["id"]: [] for t in tasks}
    events = []
    for t in tasks:
        s = max(t["start"], LOG_START)
        if t["start"] >= LOG_START:
            ev[t["id"]] += [
                (t["start"] + 0.5, _zap(ctx, t["start"] + 0.5, "info", "thumbnailer/main.go:52", "starting thumbnailer",
                                        version="2.14.1", go="go1.22.1", gomaxprocs=1, worker_concurrency=2)),
                (t["start"] + 0.7, _zap(ctx, t["start"] + 0.7, "info", "queue/sqs.go:33", "polling queue",
                                        queue=f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/thumbnail-jobs")),
            ]
            events.append((t["start"] - 30, _task_event(ctx, t["start"] - 30, t["id"], SVC, "PROVISIONING", TD, SVC)))
            events.append((t["start"] - 2, _task_event(ctx, t["start"] - 2, t["id"], SVC, "RUNNING", TD, SVC)))
        if t["big_at"] < t["stop"] and t["big_at"] >= LOG_START and t["big_at"] < 0:
            for k in range(2):
                rel = t["big_at"] + k * ctx.uni(0.5, 6)
                job = f"j_{ctx.hexs(10)}"
                size = ctx.randint(380_000_000, 460_000_000)
                ev[t["id"]].append((rel, _zap(ctx, rel, "info", "worker/pool.go:64", "job started", job_id=job,
                                              src=f"s3://media-uploads-ca/t/atlas-archives/batch-0319/scan_{ctx.randint(10000, 99999)}.tif",
                                              content_type="image/tiff", bytes=size, tenant="atlas-archives")))
                ev[t["id"]].append((rel + 0.4, _zap(ctx, rel + 0.4, "info", "imaging/decode.go:41", "decoding source image",
                                                    job_id=job, format="tiff", width=14032, height=10512, tenant="atlas-archives")))
        if t.get("oom") and t["stop"] >= LOG_START:
            k = t["stop"] + ctx.uni(2, 9)
            events.append((k, _task_event(ctx, k, t["id"], SVC, "STOPPED", TD, SVC, stopped="Essential container in task exited",
                                          exit_code=137, reason="OutOfMemoryError: Container killed due to memory usage")))
    # ordinary jobs, handled by tasks that are running and not stuck on a scan
    for i in range(N):
        for rel in spread(ctx, i, jobs[i]):
            if rel < LOG_START:
                continue
            cands = [t for t in tasks if t["start"] + 2 <= rel < t["stop"] and rel < t["big_at"]]
            if not cands:
                continue
            t = cands[ctx.randint(0, len(cands) - 1)]
            job = f"j_{ctx.hexs(10)}"
            ctype = ctx.pick(["image/jpeg", "image/jpeg", "image/jpeg", "image/png", "image/heic"])
            ext = {"image/jpeg": "jpg", "image/png": "png", "image/heic": "heic"}[ctype]
            d = int(rng.lognormal(np.log(380), 0.4))
            ev[t["id"]].append((rel, _zap(ctx, rel, "info", "worker/pool.go:64", "job started", job_id=job,
                                          src=f"s3://media-uploads-ca/t/{ctx.pick(['northpine', 'lumen-realty', 'ottawa-eats', 'atlas-archives'])}/u{ctx.randint(1000, 9999)}/IMG_{ctx.randint(1000, 9999)}.{ext}",
                                          content_type=ctype, bytes=ctx.randint(900_000, 9_000_000))))
            if rng.random() < 0.03:
                ev[t["id"]].append((rel + 0.05, _zap(ctx, rel + 0.05, "warn", "imaging/color.go:88", "unsupported ICC profile, converting to sRGB",
                                                     job_id=job, profile=ctx.pick(["ProPhoto RGB", "Display P3 (v4)", "Adobe RGB (1998)"]))))
            if rel + d / 1000 < t["stop"]:
                ev[t["id"]].append((rel + d / 1000, _zap(ctx, rel + d / 1000, "info", "worker/pool.go:97", "thumbnail generated",
                                                         job_id=job, sizes=[160, 480, 1280], dur_ms=d)))
    # cdn-purger deployment: two ordinary task replacements
    for k in range(2):
        old, new = ctx.hexs(32), ctx.hexs(32)
        r = PURGER_DEPLOY + 40 + 70 * k
        events.append((r, _task_event(ctx, r, new, "cdn-purger", "RUNNING", 19, "cdn-purger")))
        events.append((r + 35, _task_event(ctx, r + 35, old, "cdn-purger", "STOPPED", 18, "cdn-purger",
                                           stopped="Scaling activity initiated by (deployment ecs-svc/8841507139218837342)")))
    logs = [stream(f"/ecs/{SVC}", f"ecs/{SVC}/{t['id']}", ev[t["id"]]) for t in tasks]
    logs.append(stream(f"/aws/events/ecs/{CLUSTER}", "ecs-task-state-change", events))
    up = []
    for rel in ctx.sparse_events(0.12, LOG_START, 0.0):
        up.append((rel, _zap(ctx, rel, "warn", "api/upload.go:118", "upload rejected: payload too large", status=413,
                             bytes=ctx.randint(520_000_000, 900_000_000), limit=524288000)))
    for rel in np.arange(LOG_START, 0, 300.0) + ctx.uni(0, 60):
        up.append((rel, _zap(ctx, rel, "info", "api/server.go:71", "upload stats (5m)", accepted=ctx.randint(170, 260),
                             rejected=ctx.randint(0, 3))))
    logs.append(stream("/ecs/upload-api", f"ecs/upload-api/{ctx.hexs(32)}", up))

    svc = {"ClusterName": CLUSTER, "ServiceName": SVC}
    backlog = np.zeros(N)
    q = 6.0
    for i in range(N):
        inflow = 0.0 if T[i] < ONSET else 9.0
        q = max(3.0, q + inflow - (3.0 if T[i] >= ONSET else 0) * (3 - running[i]) + rng.normal(0, 1.5))
        backlog[i] = q if T[i] >= ONSET else max(0, 5 + rng.normal(0, 2))
    oldest = np.where(T >= ONSET, np.clip((T - ONSET) * 0.95, 30, None), ctx.gauge(18, 0.2, lo=2))
    metrics = [
        metric("AWS/ECS", "MemoryUtilization", svc, "Percent", mem),
        metric("AWS/ECS", "CPUUtilization", svc, "Percent", np.clip(cpu, 1, 100)),
        metric("ECS/ContainerInsights", "RunningTaskCount", svc, "Count", running),
        metric("ECS/ContainerInsights", "DesiredTaskCount", svc, "Count", np.full(N, 3.0)),
        metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "thumbnail-jobs"}, "Count", np.round(backlog)),
        metric("AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "thumbnail-jobs"}, "Seconds", np.round(oldest)),
        metric("AWS/ECS", "MemoryUtilization", {"ClusterName": CLUSTER, "ServiceName": "upload-api"}, "Percent", ctx.gauge(41, 0.02)),
        metric("AWS/ECS", "CPUUtilization", {"ClusterName": CLUSTER, "ServiceName": "upload-api"}, "Percent", ctx.gauge(18 * shape, 0.06)),
        metric("AWS/ECS", "MemoryUtilization", {"ClusterName": CLUSTER, "ServiceName": "cdn-purger"}, "Percent", ctx.gauge(22, 0.02)),
        metric("AWS/ECS", "CPUUtilization", {"ClusterName": CLUSTER, "ServiceName": "cdn-purger"}, "Percent",
               ctx.gauge(5, 0.1, lo=0.5) + bump(PURGER_DEPLOY + 90, 120, 25)),
        metric("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": "app/media-alb/5a8e1c3d7f20b694"}, "Count",
               ctx.poisson(44 * shape) + np.where(T >= ONSET, ctx.poisson(4), 0)),
        metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": "app/media-alb/5a8e1c3d7f20b694"}, "Count",
               ctx.poisson(0.03)),
    ]
    alarms = [
        alarm(ctx, "thumbnailer-memory-high", "AWS/ECS", "MemoryUtilization", svc, mem, "Maximum", 60, 3, 90.0,
              description="thumbnailer task memory above 90% of the 1 GiB limit"),
        ok_alarm("thumbnail-jobs-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "thumbnail-jobs"},
                 "Maximum", 300, 2, 3600.0),
        ok_alarm("media-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
                 {"LoadBalancer": "app/media-alb/5a8e1c3d7f20b694"}, "Sum", 60, 3, 10.0),
    ]
    changes = [
        change(PURGER_DEPLOY - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "cdn-purger:19", "gitlab-ci"),
        change(PURGER_DEPLOY, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CLUSTER}/cdn-purger", "gitlab-ci"),
    ]
    resources = [
        {"type": "ecs", "id": f"{CLUSTER}/{SVC}", "properties": {
            "launch_type": "FARGATE", "desired_count": 3, "cpu": 512, "memory": 1024, "task_definition": f"{SVC}:{TD}",
            "awslogs_groups": [f"/ecs/{SVC}"], "environment": {"WORKER_CONCURRENCY": "2", "THUMB_SIZES": "160,480,1280"}}},
        {"type": "ecs", "id": f"{CLUSTER}/upload-api", "properties": {"launch_type": "FARGATE", "desired_count": 2,
                                                                      "memory": 1024, "awslogs_groups": ["/ecs/upload-api"]}},
        {"type": "ecs", "id": f"{CLUSTER}/cdn-purger", "properties": {"launch_type": "FARGATE", "desired_count": 2,
                                                                      "memory": 512, "task_definition": "cdn-purger:19"}},
        {"type": "alb", "id": "app/media-alb/5a8e1c3d7f20b694", "properties": {"name": "media-alb", "target_groups": ["upload-api-tg"]}},
    ]
    return scenario("h14-07-thumbnailer-oom-kills",
                    "Thumbnails not appearing for new uploads; thumbnailer memory alarm in ALARM.",
                    REGION, resources, metrics, logs, alarms, changes,
                    {"alarm": META["alarm"], "root_cause": {"category": META["category"], "resource": META["resources"]},
                     "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization", "dimensions": svc}]})
