"""h70-05 (thumbnail extractor OOM behind an internal ALB) and h70-06 (GPU worker scratch volume full)."""
from __future__ import annotations


from .common import GRID, Scenario, bump, diurnal, ramp
from .kit import (jdump, LOG_FROM, alb_metrics, at_rate, dmap, ec2_metrics, ecs_metrics, emit, every,
                  lambda_deploy, lambda_metrics, meta, pick)
from .runtimes import LambdaLogs, gunicorn


# =========================================================================== h70-05
def build_05() -> Scenario:
    sc = Scenario(5, "artwork-alb-502", "Editorial tools cannot generate key-art thumbnails; 502s "
                  "from the internal artwork ALB.", "eu-west-1", 7005, "2026-03-11T11:20:00+00:00")
    lb = "app/artwork-internal/91be0c7d43a2f615"
    cluster, svc = "media-tools", "frame-grabber"
    sc.resource("alb", lb, name="artwork-internal", scheme="internal")
    sc.resource("ecs", f"{cluster}/{svc}", launch_type="FARGATE", desired_count=4, cpu=2048,
                memory=4096, container_memory_hard_limit_mb=4096, log_group=f"/ecs/{svc}")
    sc.resource("ecs", f"{cluster}/gpu-encoder", launch_type="EC2", desired_count=2)
    grow0, onset = -3300, -2520
    wave = lambda t: ramp(t, grow0, grow0 + 600)  # 8K HDR trailer masters arrive for the premiere slate
    req = sc.series(lambda t: 85 * diurnal(sc, t, 11.0, 0.25), integer=True)

    def mem_fn(t):
        if t < grow0:
            return 52 + 2 * bump(t, -15000, -14000, 1)
        x = (t - onset) % 640 / 640.0 if t >= onset else (t - grow0) / (onset - grow0)
        return 60 + 38 * x
    mem = sc.series(mem_fn, noise=0.015, cap=99.8)
    kills = [t for t in GRID if t >= onset and (t - onset) % 640 < 60]
    t5 = sc.series(lambda t: 0.2 + (at_rate(req, t) * (0.22 if any(k <= t < k + 120 for k in kills) else 0.08)
                                    if t >= onset else 0), integer=True)
    rt = sc.series(lambda t: 1.9 + 1.3 * wave(t), noise=0.08)
    alb_metrics(sc, lb, req, t5, rt, e5xx=sc.series(lambda t: 0.05 + (1.5 if t >= onset else 0), integer=True))
    run = sc.series(lambda t: 4 - (1 if any(k <= t < k + 90 for k in kills) else 0), noise=0)
    ecs_metrics(sc, cluster, svc, sc.series(lambda t: 34 + 10 * wave(t), noise=0.05), mem, running=run)
    ecs_metrics(sc, cluster, "gpu-encoder", sc.series(lambda t: 15 + 75 * ramp(t, -2640, -2500), noise=0.04),
                sc.series(lambda t: 40 + 8 * ramp(t, -2640, -2500), noise=0.02))

    group = f"/ecs/{svc}"
    tasks = [sc.hexid(32) for _ in range(4)]
    assets = [f"AST-{sc.rng.randint(100000, 999999)}" for _ in range(50)]
    trailers = [f"TRL-PREM-{sc.rng.randint(1000, 9999)}" for _ in range(8)]
    ev_group, ev_stream = "/aws/events/ecs-task-state", "ecs-task-state-change"
    for k, task in enumerate(tasks):
        st = f"web/{svc}/{task}"
        pid = 7 + k

        def app(t, st=st):
            big = wave(t) > 0 and sc.rng.random() < 0.35 * wave(t)
            a = pick(sc, trailers) if big else pick(sc, assets)
            res = "7680x4320 HDR10 TIFF16" if big else pick(sc, ["1920x1080 SDR", "3840x2160 SDR", "1280x720 SDR"])
            d = sc.iso(t).replace("T", " ").replace("Z", "")
            return (f"{d[:19]},{d[20:23]} INFO frames.extract: asset={a} frames=12 source={res} "
                    f"took_ms={int(sc.rng.uniform(900, 2800) * (2.5 if big else 1))}")

        emit(sc, group, st, LOG_FROM, 0, lambda t: 3.0, app)
        emit(sc, group, st, LOG_FROM, 0, lambda t: 0.5, lambda t: (
            f"{sc.iso(t).replace('T', ' ')[:19]},{sc.iso(t)[20:23]} WARNING py.warnings: /usr/local/lib/python3.12/"
            "site-packages/PIL/Image.py:3368: DecompressionBombWarning: Image size (99532800 pixels) exceeds limit "
            "of 89478485 pixels, could be decompression bomb DOS attack."))
        emit(sc, group, st, LOG_FROM, 0, lambda t: 0.05, lambda t, pid=pid: gunicorn(
            sc, t, 1, "CRITICAL", f"WORKER TIMEOUT (pid:{sc.rng.randint(20, 400)})"))
        emit(sc, group, st, LOG_FROM, 0, lambda t: 0.25, lambda t: (
            f"{sc.iso(t).replace('T', ' ')[:19]},{sc.iso(t)[20:23]} WARNING ladder.probe: rung 2160p_HDR missing "
            f"in source {pick(sc, assets)}; poster will use 1080p"))
        for kt in kills:
            if (kt - onset) // 640 % 4 != k and sc.rng.random() > 0.35:
                continue
            ts = kt + sc.rng.uniform(5, 50)
            sc.log(group, st, ts, gunicorn(sc, ts, 1, "ERROR",
                                           f"Worker (pid:{sc.rng.randint(20, 400)}) was sent SIGKILL! Perhaps out of memory?"))
            sc.log(group, st, ts + 0.4, gunicorn(sc, ts + 0.4, sc.rng.randint(400, 900), "INFO",
                                                 f"Booting worker with pid: {sc.rng.randint(400, 900)}"))
            if sc.rng.random() < 0.5:
                tid = sc.hexid(32)
                sc.log(ev_group, ev_stream, ts + 2, jdump({
                    "version": "0", "id": sc.uuid(), "detail-type": "ECS Task State Change", "source": "aws.ecs",
                    "account": sc.account, "time": sc.iso(ts + 2, 0), "region": sc.region,
                    "detail": {"clusterArn": f"arn:aws:ecs:{sc.region}:{sc.account}:cluster/{cluster}",
                               "taskArn": f"arn:aws:ecs:{sc.region}:{sc.account}:task/{cluster}/{tid}",
                               "group": f"service:{svc}", "lastStatus": "STOPPED", "desiredStatus": "STOPPED",
                               "stopCode": "EssentialContainerExited",
                               "stoppedReason": "OutOfMemoryError: Container killed due to memory usage",
                               "containers": [{"name": "app", "exitCode": 137, "lastStatus": "STOPPED",
                                               "reason": "OutOfMemoryError: Container killed due to memory usage"}]}},
                    separators=(",", ":")))
    every(sc, ev_group, ev_stream, LOG_FROM + 400, 0, 3600, lambda t: jdump({
        "version": "0", "id": sc.uuid(), "detail-type": "ECS Task State Change", "source": "aws.ecs",
        "time": sc.iso(t, 0), "region": sc.region,
        "detail": {"group": "family:loudness-scan", "lastStatus": "STOPPED", "stopCode": "EssentialContainerExited",
                   "stoppedReason": "Essential container in task exited",
                   "containers": [{"name": "scan", "exitCode": 0}]}}, separators=(",", ":")))
    sc.change(-2655, "application-autoscaling.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              f"{cluster}/gpu-encoder", "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.change(-2580, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
              "AWS::ElasticLoadBalancingV2::TargetGroup", "frame-grabber-tg", "r.okafor")
    sc.change(-86400 // 5, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              f"{cluster}/gpu-encoder", "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.alarm("artwork-internal-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 300, 1, 20, "GreaterThanThreshold", "Artwork tools: target 5XX")
    sc.alarm("gpu-encoder-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": cluster, "ServiceName": "gpu-encoder"},
             "Average", 300, 1, 80, "GreaterThanThreshold")
    sc.expect = {"alarm": "artwork-internal-5xx",
                 "root_cause": {"category": "memory_exhaustion", "resource": [f"{cluster}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                "dimensions": {"ClusterName": cluster, "ServiceName": svc}}]}
    meta(sc, "front (internal ALB); origin is the ECS service",
         "autoscaling UpdateService on the GPU encoder and a target-group attribute change just before the 5XX; "
         "GPU encoder CPU alarm; PIL DecompressionBombWarning, WORKER TIMEOUT and ladder warnings at a constant rate",
         "The internal ALB `artwork-internal` returns target 5XX from about -2500. Request volume is flat. Behind it "
         "`frame-grabber` memory climbs from about 55 % to the limit once 8K HDR trailer masters start arriving "
         "(about -3300), then saw-tooths: gunicorn logs `Worker (pid:...) was sent SIGKILL! Perhaps out of memory?` "
         "and the ECS task-state events show `OutOfMemoryError: Container killed due to memory usage`, exit code "
         "137, each time memory tops out; the running-task count dips with each kill. No change touched the "
         "service. The autoscaling UpdateService on `gpu-encoder` (and its CPU alarm) and the target-group "
         "attribute change at -2580 are nearer the onset but explain neither the OOM kills nor the memory curve. "
         "The DecompressionBombWarning, the occasional `WORKER TIMEOUT` and the ladder warnings run at the same rate "
         "for all three hours. Verdict: memory exhaustion in the ECS service.")
    return sc


# =========================================================================== h70-06
def build_06() -> Scenario:
    sc = Scenario(6, "encode-dispatch-errors", "VOD encode jobs failing; Errors alarm on the encode job "
                  "dispatcher.", "us-east-1", 7006, "2026-03-09T03:50:00+00:00")
    fn = "encode-job-dispatcher"
    workers = [("i-02d6a8c1f4e79b305", "enc-gpu-use1-01"), ("i-0e5c7b2a9d13f4868", "enc-gpu-use1-02"),
               ("i-09a1f3d7c6b2e4059", "enc-gpu-use1-03")]
    bad = 2
    sc.resource("lambda", fn, runtime="nodejs22.x", timeout=30, memory_size=256)
    sc.resource("lambda", "manifest-stitcher", runtime="nodejs22.x", timeout=60, memory_size=1024)
    for iid, n in workers:
        sc.resource("ec2", iid, name=n, instance_type="g5.4xlarge", scratch_volume="/scratch (gp3, 600 GiB)",
                    log_groups=["/vod/encode-worker"])
    full, dec = -2280, -2370
    batch0 = -14400  # scheduled back-catalogue re-encode ramps the queue

    inv = sc.series(lambda t: 7 * (1 + 0.8 * ramp(t, batch0, batch0 + 900)), integer=True)
    bad_share = lambda t: (1 / 3) * ramp(t, full - 60, full)
    err = [min(i, round(i * bad_share(t) * (1 + sc.rng.gauss(0, 0.15))) + (1 if sc.rng.random() < 0.02 else 0))
           for t, i in zip(GRID, inv)]
    err = [float(max(0, e)) for e in err]
    lambda_metrics(sc, fn, inv, err, sc.series(lambda t: 420, noise=0.15))
    minv = sc.series(lambda t: 3 * (1 + 0.8 * ramp(t, batch0, batch0 + 900)), integer=True)
    lambda_metrics(sc, "manifest-stitcher", minv, sc.series(lambda t: 0.02, integer=True),
                   sc.series(lambda t: 3100, noise=0.1))
    for k, (iid, n) in enumerate(workers):
        busy = lambda t: 0.45 + 0.4 * ramp(t, batch0, batch0 + 900)
        if k == bad:
            cpu = sc.series(lambda t: 100 * busy(t) * (1 - 0.85 * ramp(t, full - 60, full)), noise=0.06, cap=100)
            lin = lambda t: min(1.0, max(0.0, (t - batch0 - 600) / (full - batch0 - 600)))
            disk = sc.series(lambda t: 41 + 59 * lin(t), noise=0.003, cap=100.0)
        else:
            cpu = sc.series(lambda t: 100 * busy(t), noise=0.06, cap=100)
            disk = sc.series(lambda t: 38 + 14 * ramp(t, batch0 + 600, batch0 + 2400) + 6 * (k == 0), noise=0.02)
        ec2_metrics(sc, iid, cpu, disk=disk, disk_path="/scratch", device="nvme1n1", fstype="xfs",
                    mem=sc.series(lambda t: 35 + 10 * busy(t), noise=0.02))
        sc.metric("CWAgent", "nvidia_smi_utilization_gpu", {"InstanceId": iid, "index": "0", "name": "NVIDIA A10G"},
                  "Percent", sc.series(lambda t: 100 * busy(t) * (1 - 0.9 * (k == bad) * ramp(t, full - 60, full)),
                                       noise=0.07, cap=100))

    jobs = {}
    wl = "/vod/encode-worker"
    for k, (iid, n) in enumerate(workers):
        def wline(t, k=k, n=n):
            j = f"job-{sc.hexid(8)}"
            if k == bad and t >= full:
                jobs.setdefault(n, []).append((t, j))
                return (f"{sc.iso(t).replace('T', ' ')[:23]} ERROR encode_worker: {j} ffmpeg exited 1: "
                        f"[mp4 @ 0x{sc.hexid(12)}] Error writing trailer of /scratch/{j}/out_2160p.mp4: "
                        "No space left on device")
            r = sc.rng.random()
            if r < 0.15:
                return (f"{sc.iso(t).replace('T', ' ')[:23]} WARNING encode_worker: {j} [hevc_nvenc @ 0x{sc.hexid(12)}] "
                        "B-frames as references are not supported; disabling")
            if r < 0.28:
                return (f"{sc.iso(t).replace('T', ' ')[:23]} WARNING ladder: {j} source 1920x1080 < rung 2160p_15000k; "
                        "rung skipped")
            return (f"{sc.iso(t).replace('T', ' ')[:23]} INFO encode_worker: {j} rung={pick(sc, ['1080p', '720p', '540p', '2160p'])} "
                    f"fps={sc.rng.uniform(180, 420):.1f} speed={sc.rng.uniform(6, 14):.1f}x done")

        emit(sc, wl, iid, LOG_FROM, 0, lambda t: 2.2, wline)
        if k == bad:
            emit(sc, wl, iid, LOG_FROM, full, lambda t: 0.4 * ramp(t, -7200, -6600), lambda t: (
                f"{sc.iso(t).replace('T', ' ')[:23]} WARNING janitor: /scratch at "
                f"{int(41 + 59 * min(1.0, max(0.0, (t - batch0 - 600) / (full - batch0 - 600))))}% used; {sc.rng.randint(3, 12)} job dirs still locked, "
                "cleanup deferred"))
            emit(sc, wl, iid, full, 0, lambda t: 1.0, lambda t: (
                f"{sc.iso(t).replace('T', ' ')[:23]} ERROR encode_worker: cannot stage source: [Errno 28] No space "
                f"left on device: '/scratch/job-{sc.hexid(8)}/src.mxf'"))

    ll = LambdaLogs(sc, fn, "nodejs22.x", 256, 30, mem_used=(96, 6))
    errs = dmap(err)

    def body(ll_, t, rid, is_err, cold):
        j = f"job-{sc.hexid(8)}"
        k = bad if is_err and t >= full - 60 else sc.rng.choice([0, 1] if t >= full else [0, 1, 2])
        iid, n = workers[k]
        lines = [(0.003, ll_.fmt(t, rid, "INFO", f"job status event {j} worker={n} ({iid})"))]
        if sc.rng.random() < 0.1:
            lines.append((0.005, ll_.fmt(t, rid, "WARN", f"worker heartbeat late: {workers[0][1]} last_seen=41s")))
        if is_err:
            if t < full - 60:
                e = {"errorType": "ConditionalCheckFailedException", "errorMessage": "The conditional request failed"}
            else:
                e = {"errorType": "EncodeJobFailed",
                     "errorMessage": f"{j} failed on {n} ({iid}): ffmpeg exit 1: Error writing trailer of "
                                     f"/scratch/{j}/out_2160p.mp4: No space left on device"}
            e["stack"] = [f"{e['errorType']}: {e['errorMessage']}", "    at onStatus (/var/task/dispatch.js:118:13)"]
            return {"dur": sc.rng.uniform(80, 300),
                    "lines": lines + [(0.05, ll_.fmt(t + 0.05, rid, "ERROR", "Invoke Error \t" + jdump(e)))]}
        return {"dur": sc.rng.gauss(420, 60), "lines": lines + [
            (0.3, ll_.fmt(t + 0.3, rid, "INFO", f"{j} complete; next rung queued on {workers[sc.rng.choice([0, 1])][1]}"))]}

    ll.run({k: v for k, v in dmap(inv).items() if k >= LOG_FROM},
           {k: v for k, v in errs.items() if k >= LOG_FROM}, body)
    lambda_deploy(sc, dec, "manifest-stitcher", "ci-vod-packaging")
    sc.change(batch0 - 30, "events.amazonaws.com", "EnableRule", "AWS::Events::Rule", "backcatalogue-hevc-reencode",
              "ops-scheduler")
    sc.change(-9300, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", workers[0][0], "asg-lifecycle")
    sc.alarm("encode-job-dispatcher-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 5,
             "GreaterThanThreshold", "Encode jobs failing")
    sc.alarm("enc-gpu-use1-03-scratch", "CWAgent", "disk_used_percent",
             {"InstanceId": workers[bad][0], "path": "/scratch", "device": "nvme1n1", "fstype": "xfs"},
             "Maximum", 300, 1, 95, "GreaterThanThreshold", "Scratch volume usage")
    sc.expect = {"alarm": "encode-job-dispatcher-errors",
                 "root_cause": {"category": "storage_exhaustion", "resource": [workers[bad][0], workers[bad][1]]},
                 "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent",
                                "dimensions": {"InstanceId": workers[bad][0], "path": "/scratch",
                                               "device": "nvme1n1", "fstype": "xfs"}}]}
    meta(sc, "front (the calling Lambda); origin is one EC2 GPU worker",
         "another function's code deploy 90 s before the onset; back-catalogue re-encode schedule 4 h ago; "
         "nvenc and ladder warnings; heartbeat-late warnings",
         "`encode-job-dispatcher` errors from about -2280: each failure is `EncodeJobFailed ... failed on "
         "enc-gpu-use1-03 ... No space left on device`, about a third of the jobs. That worker's `/scratch` volume "
         "(CWAgent `disk_used_percent`) climbs steadily from 41 % since the back-catalogue re-encode started four "
         "hours ago and reaches 100 %; its janitor warned that cleanup was deferred, then ffmpeg and staging fail "
         "with `No space left on device` / `[Errno 28]` and its CPU and GPU go idle. The other two workers stay "
         "near 50 % disk and keep encoding. The `manifest-stitcher` deploy at -2370 is the nearest change but that "
         "function is healthy and not in the path. The re-encode schedule explains the higher job volume, which the "
         "fleet handled for hours. Verdict: storage exhaustion on the worker instance.")
    return sc


BUILDERS = [build_05, build_06]
