"""h27-15 (Lambda timeout lowered by a configuration change) and h27-16 (ECS worker OOM-killed by 8K inputs)."""
from __future__ import annotations

import json
import math
import random

from .common import (Clock, alarm, alarm_on, change, daily, expect, hexid, metric, minutes, noisy, pois, rid,
                     scenario, stream)
from .lambda_sim import FnSim, dotnet_line, spread
from .svc import ecs_metrics, task_id


# =========================================================================== 15 ===
def build_15():
    rng = random.Random(271515)
    ck = Clock("2026-11-16T20:00:00Z")
    region = "us-west-2"
    T_CODE, T_SG, T_CFG, T_OTHER = -18000, -6900, -2640, -2100
    fn = FnSim("payout-calculator", 1024, ck, rng, log_from=-9000, pool=4, runtime_version="dotnet:8.v22",
               region=region)
    nt = FnSim("payout-notifier", 256, ck, rng, log_from=-9000, pool=1, runtime_version="dotnet:8.v22", region=region)
    ts = list(minutes(-21600))
    for m in ts:
        n = pois(rng, 12 * daily(ck.hour(m, -8), 0.25))
        for t in spread(rng, m, n):
            req = rid(rng)
            batch = f"pb_{hexid(rng, 10)}"
            merchants = rng.randint(20, 900)
            work = rng.lognormvariate(math.log(900 + merchants * 4.2), 0.35)
            limit = 3.0 if t >= T_CFG + 6 else 30.0
            ver = "1.14.0" if t >= T_CODE else "1.13.2"
            body = [(0.004, dotnet_line(ck, t + 0.004, req, "info",
                                        f"Payouts.Calculator[{ver}] calculating batch {batch} merchants={merchants} "
                                        f"currency=USD"))]
            if rng.random() < 0.05:
                body.append((0.2, dotnet_line(ck, t + 0.2, req, "warn",
                                              f"merchant m_{rng.randint(10000, 99999)} has no tax profile, using "
                                              "default withholding 0%")))
            if work / 1000.0 > limit:
                dur = limit * 1000 + rng.uniform(5, 25)
                body.append((dur / 1000, f"{ck.iso(t + dur / 1000)} {req} Task timed out after {dur / 1000:.2f} seconds"))
                fn.invoke(m, t, req, "$LATEST", body, dur, rng.randint(180, 260), error=True, status="timeout")
            else:
                body.append((work / 1000 * 0.4, dotnet_line(ck, t + work / 1000 * 0.4, req, "info",
                                                            f"loaded {merchants} merchant ledgers from payouts-db "
                                                            f"in {work * 0.35:.0f} ms")))
                body.append((work / 1000 - 0.003, dotnet_line(
                    ck, t + work / 1000 - 0.003, req, "info",
                    f"batch {batch} done: {merchants} payouts, total={rng.uniform(1e4, 4e6):,.2f} USD in {work:.0f} ms")))
                fn.invoke(m, t, req, "$LATEST", body, work, rng.randint(180, 260))
                t2 = t + work / 1000 + 0.3
                r2 = rid(rng)
                d2 = rng.uniform(60, 160)
                nt.invoke(int(t2 // 60 * 60), t2, r2, "$LATEST",
                          [(0.01, dotnet_line(ck, t2 + 0.01, r2, "info", f"queued payout notifications for {batch} "
                                                                         f"({merchants} merchants)"))],
                          d2, rng.randint(70, 90))
    metrics = fn.metrics(ts) + nt.metrics(ts)
    db = {"DBInstanceIdentifier": "payouts-db"}
    metrics += [metric("AWS/RDS", "CPUUtilization", db, "Percent",
                       [(m, noisy(rng, 11 + 14 * daily(ck.hour(m, -8), 0.25), 0.1)) for m in ts]),
                metric("AWS/RDS", "DatabaseConnections", db, "Count", [(m, pois(rng, 34)) for m in ts]),
                metric("AWS/RDS", "ReadLatency", db, "Seconds", [(m, noisy(rng, 0.0011, 0.15)) for m in ts]),
                metric("AWS/RDS", "FreeStorageSpace", db, "Bytes", [(m, 402e9 - (m + 21600) * 1.5e3) for m in ts])]
    logs = fn.logs() + nt.logs()
    resources = [
        {"type": "lambda", "id": "payout-calculator",
         "properties": {"runtime": "dotnet8", "timeout": 3, "memory_size": 1024, "last_modified": T_CFG,
                        "code_sha256_changed_at": T_CODE, "invoked_by": "Step Functions payout-run (sync)"}},
        {"type": "lambda", "id": "payout-notifier",
         "properties": {"runtime": "dotnet8", "timeout": 15, "memory_size": 256, "last_modified": T_OTHER}},
        {"type": "rds", "id": "payouts-db", "properties": {"engine": "aurora-postgresql", "instance_class": "db.r6g.large",
                                                           "max_connections": 1000, "allocated_storage_gb": 400}},
    ]
    changes = [
        change(T_CODE, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "payout-calculator", "codepipeline-payouts"),
        change(T_SG, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
               "sg-03e7a9c1d5b2f8e46", "netops.garcia@sso"),
        change(T_CFG, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
               "payout-calculator", "terraform-ci"),
        change(T_OTHER, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
               "payout-notifier", "terraform-ci"),
    ]
    fdims = {"FunctionName": "payout-calculator"}
    alarms = [alarm_on(metrics, "payout-calculator-errors", "AWS/Lambda", "Errors", fdims, "Sum", 60, 3, 1,
                       "GreaterThanThreshold", T_CFG - 60, "Payout calculation failures"),
              alarm("payouts-db-cpu", "AWS/RDS", "CPUUtilization", db, "Average", 300, 3, 80, "GreaterThanThreshold",
                    "OK", -800000)]
    return scenario(
        "h27-15-payout-calculator-timeout-lowered",
        "Payout runs are failing part-way; the payout calculator Errors alarm went off this afternoon.",
        region, resources, metrics, logs, alarms, changes,
        expect("payout-calculator-errors", "config_change", ["payout-calculator"],
               [("AWS/Lambda", "Errors", fdims), ("AWS/Lambda", "Duration", fdims)]))


# =========================================================================== 16 ===
def _pylog(ck, t, level, logger, msg):
    return f"{ck.plain_ms(t)} {level:<7} {logger} {msg}"


def build_16():
    rng = random.Random(271616)
    ck = Clock("2026-11-19T23:40:00Z")
    region = "ap-southeast-2"
    T_POL, T_API, T_ONSET, T_TD = -4200, -2700, -2400, -300
    LIMIT = 4096
    ts = list(minutes(-21600))
    app = []
    events = []
    mem = {}
    running = {}
    tasks = [task_id(rng) for _ in range(3)]
    streams = {t: [] for t in tasks}
    for tid in tasks:
        streams[tid].append((-21000, _pylog(ck, -21000, "INFO", "transcode.worker", "worker started pid=1 concurrency=1 "
                                                                                   "memory_limit=4096MiB")))
    big_jobs = []
    t = T_ONSET
    while t < -60:
        big_jobs.append((t, f"j_{hexid(rng, 10)}"))
        t += rng.uniform(300, 600)
    attempts = sorted((t0 + a * 330 + rng.uniform(0, 20), job, a) for t0, job in big_jobs for a in range(3))
    life = {tid: [-21000, None] for tid in tasks}
    kills = []
    for ts0, job, attempt in attempts:
        if ts0 > -90:
            continue
        tid = min(tasks, key=lambda x: (max((k[0] for k in kills if k[1] == x), default=-1e9), rng.random()))
        streams[tid].append((ts0, _pylog(ck, ts0, "INFO", "transcode.worker",
                                         f"job={job} input=s3://media-ingest-apse2/studio-harbour/{hexid(rng, 8)}.mov "
                                         f"codec=prores_4444 7680x4320 duration=00:0{rng.randint(2, 9)}:"
                                         f"{rng.randint(10, 59)} receive_count={attempt + 1}")))
        streams[tid].append((ts0 + 38, _pylog(ck, ts0 + 38, "WARNING", "transcode.memory",
                                              f"job={job} rss=3.{rng.randint(61, 89)}GiB of 4.00GiB while decoding "
                                              "frame buffer")))
        tk = ts0 + rng.uniform(44, 70)
        kills.append((tk, tid, job))
        life[tid][1] = tk
        new = task_id(rng)
        events.append((tk + 2, json.dumps({
            "version": "0", "id": rid(rng), "detail-type": "ECS Task State Change", "source": "aws.ecs",
            "account": "482193305716", "time": ck.iso(tk + 2)[:-5] + "Z", "region": region,
            "detail": {"clusterArn": f"arn:aws:ecs:{region}:482193305716:cluster/prod-media",
                       "taskArn": f"arn:aws:ecs:{region}:482193305716:task/prod-media/{tid}",
                       "group": "service:transcode-worker", "lastStatus": "STOPPED", "desiredStatus": "STOPPED",
                       "stopCode": "EssentialContainerExited",
                       "stoppedReason": "Essential container in task exited",
                       "containers": [{"name": "worker", "exitCode": 137, "lastStatus": "STOPPED",
                                       "reason": "OutOfMemoryError: Container killed due to memory usage"}],
                       "taskDefinitionArn": f"arn:aws:ecs:{region}:482193305716:task-definition/transcode-worker:22"}},
            separators=(",", ":"))))
        streams[new] = [(tk + 31, _pylog(ck, tk + 31, "INFO", "transcode.worker",
                                         "worker started pid=1 concurrency=1 memory_limit=4096MiB"))]
        life[new] = [tk + 31, None]
        tasks[tasks.index(tid)] = new
    alive = lambda x, tt: life[x][0] <= tt and (life[x][1] is None or tt < life[x][1] - 75)
    for m in ts:
        mu = 8 * daily(ck.hour(m, 11), 0.2)
        for k in range(pois(rng, mu)):
            tt = m + rng.uniform(0, 59)
            cands = [x for x in life if alive(x, tt) and alive(x, tt + 150)]
            if not cands:
                continue
            tid = rng.choice(cands)
            job = f"j_{hexid(rng, 10)}"
            res = rng.choice(["1920x1080", "1920x1080", "3840x2160", "1280x720"])
            d = rng.uniform(20, 140)
            streams[tid].append((tt, _pylog(ck, tt, "INFO", "transcode.worker",
                                            f"job={job} input=s3://media-ingest-apse2/{rng.choice(['acme-tv', 'northwind', 'fabrikam'])}/"
                                            f"{hexid(rng, 8)}.mp4 codec=h264 {res}")))
            streams[tid].append((tt + d, _pylog(ck, tt + d, "INFO", "transcode.worker",
                                                f"job={job} done renditions=5 elapsed={d:.1f}s peak_rss="
                                                f"{rng.uniform(0.9, 1.9):.2f}GiB")))
        busy = [k for k in kills if k[0] - 70 <= m <= k[0]]
        mem[m] = min(99.8, noisy(rng, 36 + 6 * daily(ck.hour(m, 11), 0.2), 0.05) + (58 if busy else 0))
        running[m] = 3 - sum(1 for k in kills if k[0] <= m < k[0] + 60)
    qdims = {"QueueName": "transcode-jobs"}
    metrics = ecs_metrics("prod-media", "transcode-worker", ts, lambda m: noisy(rng, 55 + (25 if mem[m] > 80 else 0), 0.08),
                          lambda m: mem[m], lambda m: running[m])
    metrics += ecs_metrics("prod-media", "media-api", ts, lambda m: noisy(rng, 18, 0.1), lambda m: noisy(rng, 43, 0.02),
                           lambda m: 2)
    metrics.append(metric("AWS/SQS", "ApproximateAgeOfOldestMessage", qdims, "Seconds",
                          [(m, noisy(rng, 40, 0.3) if m < T_ONSET else 40 + (m - T_ONSET) * 0.55) for m in ts]))
    metrics.append(metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", qdims, "Count",
                          [(m, pois(rng, 3) + (0 if m < T_ONSET else int((m - T_ONSET) / 240))) for m in ts]))
    logs = [stream("/ecs/transcode-worker", f"ecs/worker/{tid}", e) for tid, e in streams.items() if e]
    logs.append(stream("/aws/events/ecs-task-state-change", "prod-media", events))
    resources = [
        {"type": "ecs", "id": "prod-media/transcode-worker",
         "properties": {"cluster": "prod-media", "service": "transcode-worker", "task_definition": "transcode-worker:22",
                        "cpu": 2048, "memory": LIMIT, "desired_count": 3, "runtime": "Python 3.12 + ffmpeg 6.1",
                        "log_groups": ["/ecs/transcode-worker"], "queue": "transcode-jobs",
                        "deployments": [{"status": "PRIMARY", "task_definition": "transcode-worker:22",
                                         "rollout_state": "COMPLETED", "created_at": -1728000,
                                         "updated_at": -1727600}]}},
        {"type": "ecs", "id": "prod-media/media-api",
         "properties": {"cluster": "prod-media", "service": "media-api", "task_definition": "media-api:57",
                        "desired_count": 2}},
    ]
    changes = [
        change(T_POL, "application-autoscaling.amazonaws.com", "PutScalingPolicy",
               "AWS::ApplicationAutoScaling::ScalingPolicy", "service/prod-media/transcode-worker",
               "media.platform@sso"),
        change(T_API, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "prod-media/media-api",
               "buildkite-deploy"),
        change(T_TD, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "transcode-worker:23",
               "oncall.nguyen@sso"),
    ]
    sdims = {"ClusterName": "prod-media", "ServiceName": "transcode-worker"}
    alarms = [alarm_on(metrics, "transcode-worker-memory-high", "AWS/ECS", "MemoryUtilization", sdims, "Maximum", 300,
                       2, 90, "GreaterThanThreshold", T_ONSET - 300, "Transcode worker memory"),
              alarm("media-api-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": "prod-media",
                                                                         "ServiceName": "media-api"},
                    "Average", 300, 3, 80, "GreaterThanThreshold", "OK", -1300000)]
    return scenario(
        "h27-16-transcode-worker-oom-8k-inputs",
        "Video renditions for one studio customer are stuck; transcode worker memory alarm is in ALARM.",
        region, resources, metrics, logs, alarms, changes,
        expect("transcode-worker-memory-high", "memory_exhaustion", ["prod-media/transcode-worker", "transcode-worker"],
               [("AWS/ECS", "MemoryUtilization", sdims)]))
