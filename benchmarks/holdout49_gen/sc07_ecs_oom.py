"""h49-07: thumbnailer tasks are OOM-killed over and over once a customer's bulk import
of huge TIFF scans reaches the queue. Container Insights is off; the OOM reason is only
visible in the EventBridge task-state log group. The memory alarm flaps with the
sawtooth. App logs are JSON without a level field."""
from __future__ import annotations

import json

from .common import (Clock, Rng, alarm, change, evaluate_alarm, expect, flips, log_stream, metric, pts,
                     scenario)

NOW = "2026-03-14T17:45:00"
REGION = "us-east-2"
ACCOUNT = "604118927351"
SVC = "media/thumbnailer"
ONSET = -3300
LOG_FROM = -7200
SEED = 4907
UP_DEPLOY = -9000


def _task_event(clock, rng, t, task, group, status, td, containers, stop_code=None, reason=None):
    arn = "arn:aws:ecs:%s:%s:task/media/%s" % (REGION, ACCOUNT, task)
    detail = {"clusterArn": "arn:aws:ecs:%s:%s:cluster/media" % (REGION, ACCOUNT), "group": "service:" + group,
              "launchType": "FARGATE", "lastStatus": status, "desiredStatus": "STOPPED" if status == "STOPPED" else "RUNNING",
              "taskArn": arn, "taskDefinitionArn": "arn:aws:ecs:%s:%s:task-definition/%s" % (REGION, ACCOUNT, td),
              "cpu": "1024", "memory": "2048", "containers": containers, "version": rng.randint(3, 6)}
    if stop_code:
        detail["stopCode"] = stop_code
        detail["stoppedReason"] = reason
        detail["stoppedAt"] = clock.iso_z(t)
    else:
        detail["startedAt"] = clock.iso_z(t)
    ev = {"version": "0", "id": rng.uuid4(), "detail-type": "ECS Task State Change", "source": "aws.ecs",
          "account": ACCOUNT, "time": clock.at(t).strftime("%Y-%m-%dT%H:%M:%SZ"), "region": REGION,
          "resources": [arn], "detail": detail}
    return [t + rng.uniform(0.5, 2.5), json.dumps(ev, separators=(",", ":"))]


def build():
    rng = Rng(SEED)
    clock = Clock(NOW)
    J = lambda d: json.dumps(d, separators=(",", ":"))
    # ---------------------------------------------------------------- per-task memory simulation
    tasks = [{"id": rng.hx(32), "mem": rng.uniform(48, 56), "up": -30000} for _ in range(3)]
    mem_pts, cpu_pts, kills, starts = [], [], [], []
    all_tasks = list(tasks)
    for t in range(-21600, 1800, 60):
        vals = []
        for k, tk in enumerate(tasks):
            if tk["up"] > t:  # replacement still provisioning
                continue
            if t >= ONSET:
                tk["mem"] += rng.uniform(5.5, 11.0)
            else:
                tk["mem"] = rng.noise(52, 2.2)
            if tk["mem"] >= 100:
                kt = t + rng.uniform(5, 55)
                kills.append((kt, tk["id"]))
                new = {"id": rng.hx(32), "mem": rng.uniform(28, 34), "up": int(kt + rng.uniform(70, 110)) // 60 * 60 + 60}
                starts.append((new["up"] - rng.uniform(5, 30), new["id"]))
                tasks[k] = new
                all_tasks.append(new)
                vals.append(99.6)
            else:
                vals.append(min(tk["mem"], 99.4))
        mem_pts.append([t, round(max(vals), 3) if vals else None])  # busiest task
        busy = t >= ONSET
        cpu_pts.append([t, round(rng.noise(71 if busy else 44, 5 if busy else 3), 3)])
    # The simulation runs past "now"; pick where "now" falls so that the investigated alarm is in
    # ALARM after having flapped (the on-call is paged on a fresh ALARM transition).
    args = ("Maximum", 60, 3, 90.0, "GreaterThanThreshold", clock)
    for shift in range(0, 1800, 60):
        cand = [[t - shift, v] for t, v in mem_pts if v is not None and -21600 <= t - shift <= -60]
        st, _, _, nf = evaluate_alarm(cand, 60, "Maximum", 3, 90.0, "GreaterThanThreshold", clock, m_of_n=2)
        if st == "ALARM" and nf >= 3:
            break
    mem_pts = cand
    cpu_pts = [[t - shift, v] for t, v in cpu_pts if -21600 <= t - shift <= -60]
    kills = [(kt - shift, tid) for kt, tid in kills if kt - shift < 0]
    starts = [(st - shift, tid) for st, tid in starts if st - shift < 0]
    onset = ONSET - shift
    live = set(tid for _, tid in starts) | set(tk["id"] for tk in all_tasks if tk["up"] < -21600)
    all_tasks = [tk for tk in all_tasks if tk["id"] in live]
    ecs = {"ClusterName": "media", "ServiceName": "thumbnailer"}
    m_mem = metric("AWS/ECS", "MemoryUtilization", ecs, "Percent", mem_pts)
    m_cpu = metric("AWS/ECS", "CPUUtilization", ecs, "Percent", cpu_pts)
    up = {"ClusterName": "media", "ServiceName": "uploader"}
    m_umem = metric("AWS/ECS", "MemoryUtilization", up, "Percent",
                    pts(lambda t: rng.noise(38, 0.8) if t < UP_DEPLOY else rng.noise(33, 0.8)))
    m_ucpu = metric("AWS/ECS", "CPUUtilization", up, "Percent",
                    pts(lambda t: rng.noise(18, 2) + (25 if UP_DEPLOY <= t < UP_DEPLOY + 240 else 0)))
    mc = {"FunctionName": "media-cleanup"}
    m_mc = [metric("AWS/Lambda", "Invocations", mc, "Count", pts(lambda t: 1.0 if t % 600 == 0 else 0.0)),
            metric("AWS/Lambda", "Errors", mc, "Count", pts(lambda t: 0.0))]

    # ---------------------------------------------------------------- app logs (JSON, no level)
    streams = {tk["id"]: [] for tk in all_tasks}
    kill_at = {tid: kt for kt, tid in kills}
    start_at = {tid: st for st, tid in starts}
    for tk in all_tasks:
        tid = tk["id"]
        begin = max(LOG_FROM, start_at.get(tid, LOG_FROM))
        end = kill_at.get(tid, 0)
        if end <= LOG_FROM:
            continue
        ev = streams[tid]
        if tid in start_at:
            ev.append([begin + 6, J({"timestamp": clock.iso_z(begin + 6), "event": "worker.start", "concurrency": 4,
                                     "queue": "media-thumbnail-jobs", "pillow": "10.3.0"})])
        t = begin + 8
        while t < end - 2:
            t += rng.expovariate(1 / 9.0)
            if t >= end - 2:
                break
            big = t >= onset and rng.random() < 0.35
            if big:
                px = rng.randint(190, 420) * 1_000_000
                src = "s3://acme-media-originals/cust_7731/archive-import/scan_%05d.tif" % rng.randint(1, 20000)
                ev.append([t, J({"timestamp": clock.iso_z(t), "event": "thumbnail.start", "job": "j_" + rng.hx(10),
                                 "src": src, "src_mb": round(px * 3 / 1e6 * rng.uniform(0.9, 1.1), 1)})])
                ev.append([t + 0.8, "/usr/local/lib/python3.12/site-packages/PIL/Image.py:3368: DecompressionBombWarning: "
                           "Image size (%d pixels) exceeds limit of 178956970 pixels, could be decompression bomb DOS attack.\n"
                           "  warnings.warn(" % px])
            else:
                ev.append([t, J({"timestamp": clock.iso_z(t), "event": "thumbnail.done", "job": "j_" + rng.hx(10),
                                 "src": "s3://acme-media-originals/cust_%d/%s.jpg" % (rng.randint(1000, 9999), rng.hx(8)),
                                 "src_mb": round(rng.uniform(0.8, 9.5), 1), "sizes": [128, 512, 1024],
                                 "ms": rng.randint(300, 1600)})])
                if rng.random() < 0.05:
                    ev.append([t + 0.01, J({"timestamp": clock.iso_z(t + 0.01), "event": "exif.orientation_missing",
                                            "note": "assuming orientation 1"})])
    logs = [log_stream("/ecs/media/thumbnailer", "thumbnailer/thumbnailer/" + tid, ev)
            for tid, ev in streams.items() if ev]
    # ---------------------------------------------------------------- EventBridge ECS task state changes
    eb = []
    for kt, tid in kills:
        if kt < LOG_FROM:
            continue
        eb.append(_task_event(clock, rng, kt, tid, "thumbnailer", "STOPPED", "thumbnailer:57",
                              [{"name": "thumbnailer", "lastStatus": "STOPPED", "exitCode": 137,
                                "reason": "OutOfMemoryError: Container killed due to memory usage"}],
                              "EssentialContainerExited", "Essential container in task exited"))
    for st, tid in starts:
        if st < LOG_FROM:
            continue
        eb.append(_task_event(clock, rng, st, tid, "thumbnailer", "RUNNING", "thumbnailer:57",
                              [{"name": "thumbnailer", "lastStatus": "RUNNING"}]))
    for k in range(2):
        old, new = rng.hx(32), rng.hx(32)
        eb.append(_task_event(clock, rng, UP_DEPLOY + 90 + 120 * k, new, "uploader", "RUNNING", "uploader:23",
                              [{"name": "uploader", "lastStatus": "RUNNING"}]))
        eb.append(_task_event(clock, rng, UP_DEPLOY + 150 + 120 * k, old, "uploader", "STOPPED", "uploader:22",
                              [{"name": "uploader", "lastStatus": "STOPPED", "exitCode": 0}],
                              "ServiceSchedulerInitiated", "Scaling activity initiated by (deployment ecs-svc/%d)"
                              % rng.randint(10**18, 10**19 - 1)))
    logs.append(log_stream("/aws/events/ecs-task-state-media", "c1d6e7b0-%s" % rng.hx(12), eb))

    metrics = [m_mem, m_cpu, m_umem, m_ucpu] + m_mc
    n_flips = flips(m_mem, *args, m_of_n=2)
    alarms = [
        alarm("thumbnailer-memory-high", m_mem, *args[:-1], clock, "ALARM",
              "thumbnailer task memory above 90% (Maximum, 2 of 3 minutes)", m_of_n=2),
        alarm("thumbnailer-memory-utilized", None, "Maximum", 60, 3, 1900.0, "GreaterThanThreshold", clock,
              "INSUFFICIENT_DATA", "Container Insights task memory", namespace="ECS/ContainerInsights",
              metric_name="MemoryUtilized", dims=ecs, insufficient_since=-4320000),
        alarm("thumbnailer-cpu-high", m_cpu, "Average", 300, 3, 85.0, "GreaterThanThreshold", clock, "OK"),
        alarm("uploader-cpu-high", m_ucpu, "Average", 300, 3, 85.0, "GreaterThanThreshold", clock, "OK"),
    ]
    changes = [
        change(UP_DEPLOY - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
               "uploader:23", "circleci-media"),
        change(UP_DEPLOY, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "media/uploader", "circleci-media"),
        change(-5400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "media-cleanup", "circleci-media"),
    ]
    resources = [
        {"type": "ecs", "id": SVC, "properties": {
            "launch_type": "FARGATE", "desired_count": 3, "task_definition": "thumbnailer:57", "cpu": 1024,
            "memory": 2048, "container_insights": "disabled",
            "log_groups": ["/ecs/media/thumbnailer", "/aws/events/ecs-task-state-media"]}},
        {"type": "ecs", "id": "media/uploader", "properties": {
            "launch_type": "FARGATE", "desired_count": 2, "task_definition": "uploader:23"}},
        {"type": "lambda", "id": "media-cleanup", "properties": {"runtime": "python3.12", "timeout": 300,
                                                                 "memory_size": 256}},
    ]
    data = scenario("h49-07-ecs-thumbnailer-oom-loop",
                    "thumbnailer memory alarm keeps flipping between OK and ALARM; thumbnails are late.",
                    REGION, resources, metrics, logs, alarms, changes,
                    expect("thumbnailer-memory-high", "memory_exhaustion", [SVC, "thumbnailer"], [m_mem]))
    meta = {
        "flips": n_flips,
        "slug": "ecs-thumbnailer-oom-loop", "region": REGION, "alarm": "thumbnailer-memory-high",
        "category": "memory_exhaustion", "resources": [SVC, "thumbnailer"], "alarm_on": "origin (ECS)",
        "decoys": "uploader ECS deploy 2.5 h earlier (its task-state events have exit 0); media-cleanup Lambda "
                  "deploy; steady exif.orientation_missing lines; Container Insights alarm INSUFFICIENT_DATA",
        "paragraph": (
            "From -55 min thumbnailer workers start pulling a customer's archive import of 190-420 "
            "megapixel TIFF scans (Pillow's DecompressionBombWarning in stderr is the only hint in the app "
            "log, which is JSON with no level field). Service MemoryUtilization climbs to the 2 GiB limit, "
            "tasks die silently and are replaced, so the metric is a sawtooth and the 2-of-3 alarm has "
            "flipped repeatedly. Container Insights is off (its alarm is INSUFFICIENT_DATA); the decisive "
            "record is in the EventBridge task-state log group: STOPPED events with exitCode 137 and "
            "`OutOfMemoryError: Container killed due to memory usage`. No deploy or configuration change "
            "touched thumbnailer (the uploader deploy and the Lambda deploy are other resources, and "
            "uploader's stops are scheduler-initiated with exit 0). Memory at the limit with OOM kills: "
            "memory_exhaustion of media/thumbnailer, alarm on the origin."),
    }
    return data, meta
