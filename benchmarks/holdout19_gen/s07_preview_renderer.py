"""h19-07: preview-renderer tasks are OOM-killed decoding huge source images (memory_exhaustion, ECS origin alarm)."""
from __future__ import annotations

import json
from datetime import datetime

import numpy as np

from .common import LOG_START, Case, diurnal, wobble
from .logfmt import ecs_stream

SLUG = "h19-07-preview-renderer-oom"
BIG_FROM = -3000
REGION = "us-east-2"
ACCOUNT = "123456789012"

META = {
    "front": "origin",
    "decoys": "upload-api redeployed 42 min ago, 8 min after the big images began (its deployment task events sit in the same event log); "
              "preview-renderer deploy 5 h earlier; constant 'unsupported format' job errors",
    "story": (
        "From about -50 min the `preview-jobs` queue starts carrying very large source images (300-600 megapixel "
        "TIFF/PSB). `media-prod/preview-renderer` tasks (2 GiB hard limit) log `large source image` and then go "
        "silent; the ECS task state-change events routed to CloudWatch Logs show the tasks STOPPED with exit code "
        "137 and `OutOfMemoryError: Container killed due to memory usage`, replacement tasks start, pick the same "
        "jobs up again and die again. MemoryUtilization (Maximum) sits at 95-100 % and RunningTaskCount dips. "
        "CPU is moderate. The upload-api deployment is a different service whose task replacements stopped "
        "with `ServiceSchedulerInitiated`, the renderer's own deploy is 5 h old, and the HEIC 'unsupported "
        "format' errors are constant all day."),
}


def _event(c: Case, ts: float, task: str, service: str, taskdef: str, status: str, stop: dict | None) -> str:
    detail = {"clusterArn": f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/media-prod", "group": f"service:{service}",
              "launchType": "FARGATE", "lastStatus": status, "desiredStatus": "STOPPED" if stop else "RUNNING",
              "taskArn": f"arn:aws:ecs:{REGION}:{ACCOUNT}:task/media-prod/{task}",
              "taskDefinitionArn": f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/{taskdef}",
              "containers": [{"name": service, "lastStatus": status}]}
    if stop:
        detail.update({"stopCode": stop["code"], "stoppedReason": stop["reason"], "stoppedAt": c.iso(ts)})
        detail["containers"][0]["exitCode"] = stop["exitCode"]
        if stop.get("container_reason"):
            detail["containers"][0]["reason"] = stop["container_reason"]
    ev = {"version": "0", "id": c.ids.uuid(), "detail-type": "ECS Task State Change", "source": "aws.ecs",
          "account": ACCOUNT, "time": c.iso(ts)[:19] + "Z", "region": REGION,
          "resources": [detail["taskArn"]], "detail": detail}
    return json.dumps(ev)


def build() -> Case:
    c = Case(SLUG, 1907, REGION, datetime(2026, 11, 21, 16, 20),
             "Preview renderer memory alarm; thumbnails missing for new uploads.")
    rng, ids, t = c.rng, c.ids, c.t
    n = len(t)
    ecr = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com"
    c.resource("ecs", "media-prod/preview-renderer", launch_type="FARGATE", desired_count=3, cpu=1024, memory=2048,
               task_definition="preview-renderer:31", image=f"{ecr}/preview-renderer:4.7.1",
               log_groups=["/ecs/preview-renderer"], environment={"NODE_ENV": "production", "CONCURRENCY": "4",
                                                                  "QUEUE_URL": f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/preview-jobs"})
    c.resource("ecs", "media-prod/upload-api", launch_type="FARGATE", desired_count=2, cpu=512, memory=1024,
               task_definition="upload-api:113", image=f"{ecr}/upload-api:2.19.0", log_groups=["/ecs/upload-api"])

    ev = c.stream("/aws/events/ecs-task-state-change", "ecs-events")
    app = {}
    # ---------------------------------------------------------------- per-task simulation (minute grid)
    slots = []
    for _ in range(3):
        slots.append({"task": ids.hex(32), "big": [], "down_until": -1e9, "host": f"ip-10-22-{int(rng.integers(1, 4))}-{int(rng.integers(10, 250))}"})
    mem_max, cpu_avg, running = np.zeros(n), np.zeros(n), np.zeros(n)
    load = diurnal(t, -2000, 0.2)

    def stream_for(slot):
        key = slot["task"]
        if key not in app:
            app[key] = c.stream("/ecs/preview-renderer", ecs_stream("preview-renderer", key))
        return app[key]

    def log(slot, ts, level, msg, **kw):
        rec = {"level": level, "time": int(c.epoch(ts) * 1000), "pid": 1, "hostname": slot["host"], **kw, "msg": msg}
        stream_for(slot).add(ts, json.dumps(rec))

    for slot in slots:
        log(slot, LOG_START - 2000 + rng.uniform(0, 500), 30, "preview-renderer 4.7.1 listening", concurrency=4)
    for i, t0 in enumerate(t):
        mems, cpus, up = [], [], 0
        for slot in slots:
            if t0 < slot["down_until"]:
                continue
            if slot.get("new_at") is not None and t0 >= slot["new_at"]:
                log(slot, slot["new_at"] + 2.0, 30, "preview-renderer 4.7.1 listening", concurrency=4)
                ev.add(slot["new_at"] + 1.0, _event(c, slot["new_at"] + 1.0, slot["task"], "preview-renderer",
                                                   "preview-renderer:31", "RUNNING", None))
                slot["new_at"] = None
            up += 1
            k = rng.poisson(5.5 * load[i])
            for ts in np.sort(t0 + rng.uniform(0, 60, k)):
                if ts < LOG_START:
                    continue
                job, asset = ids.hex(12), f"ast_{ids.hex(10)}"
                if rng.random() < 0.02:
                    log(slot, ts, 50, "unsupported format", jobId=job, assetId=asset, format="heic",
                        err="Input file contains unsupported image format")
                    continue
                w, h = int(rng.integers(1200, 6000)), int(rng.integers(900, 4500))
                log(slot, ts, 30, "rendering preview", jobId=job, assetId=asset, width=w, height=h,
                    format=ids.pick(["jpeg", "jpeg", "png", "webp"]))
                log(slot, ts + rng.uniform(0.4, 2.5), 30, "preview stored", jobId=job, assetId=asset,
                    key=f"previews/{asset}/1024.webp")
            if t0 >= BIG_FROM:
                for _ in range(rng.poisson(0.2)):
                    ts = t0 + rng.uniform(0, 60)
                    mp = int(rng.integers(300, 610))
                    slot["big"].append([ts, ts + rng.uniform(120, 260), rng.uniform(34, 58)])
                    log(slot, ts, 40, "large source image", jobId=ids.hex(12), assetId=f"ast_{ids.hex(10)}",
                        megapixels=mp, format=ids.pick(["tiff", "psb", "tiff"]))
            slot["big"] = [b for b in slot["big"] if b[1] > t0]
            mem = 33 + 1.4 * k / 5.5 * 4 + sum(b[2] for b in slot["big"] if b[0] <= t0 + 60) + rng.normal(0, 1.5)
            if mem >= 100:
                kill = max(b[0] for b in slot["big"]) + rng.uniform(20, 45)
                kill = min(kill, t0 + 59)
                ev.add(kill + 2.0, _event(c, kill + 2.0, slot["task"], "preview-renderer", "preview-renderer:31",
                                          "STOPPED", {"code": "EssentialContainerExited",
                                                      "reason": "Essential container in task exited", "exitCode": 137,
                                                      "container_reason": "OutOfMemoryError: Container killed due to memory usage"}))
                slot["task"], slot["host"] = ids.hex(32), f"ip-10-22-{int(rng.integers(1, 4))}-{int(rng.integers(10, 250))}"
                slot["down_until"] = t0 + 61
                slot["new_at"] = t0 + 60 + rng.uniform(40, 55)
                # jobs come back after the visibility timeout; the new task sees them again
                slot["big"] = [[t0 + 120 + rng.uniform(0, 40), t0 + 300, b[2]] for b in slot["big"][:1]]
                mem = 99.6 + rng.uniform(0, 0.4)
            mems.append(min(mem, 100.0))
            cpus.append(38 * load[i] + 9 * len(slot["big"]) + rng.normal(0, 3))
        mem_max[i] = max(mems) if mems else np.nan
        cpu_avg[i] = np.mean(cpus) if cpus else np.nan
        running[i] = up

    # ---------------------------------------------------------------- upload-api (decoy deploy)
    up_tasks = [ids.hex(32) for _ in range(2)]
    ups = {k: c.stream("/ecs/upload-api", ecs_stream("upload-api", k)) for k in up_tasks}
    dep = -2520
    new_tasks = [ids.hex(32) for _ in range(2)]
    for k in new_tasks:
        ups[k] = c.stream("/ecs/upload-api", ecs_stream("upload-api", k))
        ev.add(dep + 70 + rng.uniform(0, 10), _event(c, dep + 75, k, "upload-api", "upload-api:113", "RUNNING", None))
        ups[k].add(dep + 62, json.dumps({"level": "info", "ts": c.iso(dep + 62), "msg": "upload-api 2.19.0 ready", "port": 8080}))
    for k in up_tasks:
        ev.add(dep + 140 + rng.uniform(0, 15), _event(c, dep + 145, k, "upload-api", "upload-api:112", "STOPPED",
                                                   {"code": "ServiceSchedulerInitiated",
                                                    "reason": "Scaling activity initiated by (deployment ecs-svc/"
                                                              f"{ids.digits(19)})", "exitCode": 0}))
    for ts in np.sort(rng.uniform(LOG_START, 0, 1400)):
        pool = up_tasks if ts < dep + 140 else new_tasks
        k = pool[int(rng.integers(0, 2))]
        size = int(rng.integers(200, 40000))
        ups[k].add(ts, json.dumps({"level": "info", "ts": c.iso(ts), "msg": "upload accepted",
                                   "assetId": f"ast_{ids.hex(10)}", "kb": size, "queued": "preview-jobs"}))

    # ---------------------------------------------------------------- metrics
    d = {"ClusterName": "media-prod", "ServiceName": "preview-renderer"}
    mm = c.metric("AWS/ECS", "MemoryUtilization", d, "Percent", mem_max)
    c.metric("AWS/ECS", "CPUUtilization", d, "Percent", np.clip(cpu_avg, 1, 100))
    c.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", running)
    du = {"ClusterName": "media-prod", "ServiceName": "upload-api"}
    c.metric("AWS/ECS", "MemoryUtilization", du, "Percent", 41 + wobble(rng, n, 1.5) - 9 * np.exp(-np.clip(t - dep - 140, 0, None) / 600) * (t > dep + 140))
    c.metric("AWS/ECS", "CPUUtilization", du, "Percent", np.clip(17 * load + wobble(rng, n, 2), 1, 100))
    c.metric("ECS/ContainerInsights", "RunningTaskCount", du, "Count", 2 + 2 * ((t >= dep + 60) & (t < dep + 180)))
    vis = 12 + np.clip((t - BIG_FROM) / 60, 0, None) * 2.2 + rng.poisson(4, n)
    c.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "preview-jobs"}, "Count", vis)

    c.alarm("preview-renderer-memory-high", mm, "Maximum", 300, 1, 90, "GreaterThanThreshold", BIG_FROM,
            description="preview-renderer container memory")
    c.change(dep - 15, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "upload-api:113",
             "github-actions")
    c.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "media-prod/upload-api", "github-actions")
    c.change(-18600, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "media-prod/preview-renderer",
             "github-actions")
    c.expect = {"alarm": "preview-renderer-memory-high",
                "root_cause": {"category": "memory_exhaustion",
                               "resource": ["media-prod/preview-renderer", "preview-renderer"]},
                "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization", "dimensions": d}]}
    return c
