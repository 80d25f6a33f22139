"""h70-09 (mezzanine probe reaching its timeout) and h70-10 (premiere-night surge on live manifests)."""
from __future__ import annotations


from .common import GRID, Scenario, bump, diurnal, ramp
from .kit import (jdump, LOG_FROM, alb_metrics, apigw_metrics, at_rate, dmap, ecs_deploy, ecs_metrics, emit,
                  lambda_deploy, lambda_metrics, meta, pick)
from .runtimes import LambdaLogs


# =========================================================================== h70-09
def build_09() -> Scenario:
    sc = Scenario(9, "mezzanine-probe-errors", "Studio deliveries stuck in 'validating'; Errors alarm on "
                  "the mezzanine probe.", "us-east-1", 7009, "2026-03-16T18:30:00+00:00")
    fn = "mezzanine-probe"
    sc.resource("lambda", fn, runtime="ruby3.3", timeout=60, memory_size=2048, trigger="S3 ObjectCreated on "
                "ingest-masters-use1")
    sc.resource("lambda", "upload-finalize", runtime="ruby3.3", timeout=29, memory_size=512)
    sc.resource("apigateway", "studio-upload-api", stage="prod", integration="lambda:upload-finalize")
    partner0 = -2820  # a new studio partner's IMF deliveries start landing
    reing0, reing1 = -14400, -13500
    big = lambda t: 0.45 * ramp(t, partner0, partner0 + 240)
    inv = sc.series(lambda t: 6 * diurnal(sc, t, 17.0, 0.2) * (1 + bump(t, reing0, reing1, 1.5, 120)), integer=True)
    pre_to = 0.006
    err = [float(min(i, round(i * (big(t) * 0.93 + pre_to) + sc.rng.gauss(0, 0.3)))) if i else 0.0
           for t, i in zip(GRID, inv)]
    err = [max(0.0, e) for e in err]
    dur = sc.series(lambda t: 9500 + 50000 * big(t) / 0.45 * 0.62, noise=0.08)
    lambda_metrics(sc, fn, inv, err, dur)
    cnt = sc.series(lambda t: 14 * diurnal(sc, t, 17.0, 0.2) * (1 + bump(t, reing0, reing1, 1.5, 120)), integer=True)
    apigw_metrics(sc, "studio-upload-api", cnt, sc.series(lambda t: 0.3, integer=True),
                  sc.series(lambda t: 0.05, integer=True), sc.series(lambda t: 210, noise=0.1))
    lambda_metrics(sc, "upload-finalize", cnt, sc.series(lambda t: 0.05, integer=True),
                   sc.series(lambda t: 190, noise=0.1))

    ll = LambdaLogs(sc, fn, "ruby3.3", 2048, 60, mem_used=(310, 30))
    partners = ["studio-lumen", "northbank-films", "cedar-post", "kestrel-docs"]

    def body(ll_, t, rid, is_err, cold):
        newp = is_err and t >= partner0
        partner = "aurora-pictures" if newp else pick(sc, partners)
        size = sc.rng.uniform(180, 260) if (newp or (is_err and t < partner0)) else sc.rng.uniform(8, 95)
        key = f"{partner}/{sc.hexid(8)}/{'IMF_' if newp else ''}master_{sc.rng.randint(1, 9)}.{'mxf' if newp else 'mov'}"
        lines = [(0.01, ll_.fmt(t, rid, "INFO", f"probe start s3://ingest-masters-use1/{key} size={size:.1f}GiB partner={partner}"))]
        if sc.rng.random() < 0.15:
            lines.append((0.4, ll_.fmt(t + 0.4, rid, "WARN", "ladder check: source 3840x1600 scope; rung 2160p_16x9 letterboxed")))
        if is_err:
            lines.append((0.5, ll_.fmt(t + 0.5, rid, "INFO", "MXF header partition has no index table segment; scanning body partitions")))
            step_t = 0.5
            read = 0
            while step_t < 58:
                step_t += sc.rng.uniform(7, 12)
                read += sc.rng.randint(2800, 4200)
                lines.append((step_t, ll_.fmt(t + step_t, rid, "INFO",
                                              f"range GET ok bytes_read={read}MiB partitions_seen={int(read / 310)} http=206")))
            return {"dur": 60000, "status": "timeout", "lines": lines[:-1]}
        d = max(1500, sc.rng.gauss(9500, 2500))
        return {"dur": d, "lines": lines + [
            (d / 2000, ll_.fmt(t + d / 2000, rid, "INFO", f"range GET ok bytes_read={sc.rng.randint(40, 600)}MiB http=206")),
            (d / 1000 - 0.02, ll_.fmt(t + d / 1000, rid, "INFO",
                                      f"probe ok video={pick(sc, ['ProRes 422 HQ', 'ProRes 4444', 'XAVC-I', 'DNxHR HQX'])} "
                                      f"{pick(sc, ['3840x2160', '1920x1080', '4096x2160'])} audio={sc.rng.choice([2, 6, 8, 16])}ch"))]}

    ll.run({k: v for k, v in dmap(inv).items() if k >= LOG_FROM},
           {k: v for k, v in dmap(err).items() if k >= LOG_FROM}, body)
    fl = LambdaLogs(sc, "upload-finalize", "ruby3.3", 512, 29, mem_used=(120, 8), retire=[-2760])

    def fbody(ll_, t, rid, is_err, cold):
        return {"dur": sc.rng.gauss(190, 30), "lines": [(0.01, ll_.fmt(t, rid, "INFO",
                f"CompleteMultipartUpload ok parts={sc.rng.randint(200, 9000)} upload_id={sc.hexid(24)}"))]}

    fl.run({k: v for k, v in dmap(cnt).items() if k >= -5400}, {}, fbody)
    lambda_deploy(sc, -2760, "upload-finalize", "studio-portal-ci")
    sc.change(-2700, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", "studio-upload-api",
              "studio-portal-ci")
    sc.change(reing0 - 60, "events.amazonaws.com", "PutRule", "AWS::Events::Rule", "reingest-archive-q1",
              "media-ops")
    sc.alarm("mezzanine-probe-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 5,
             "GreaterThanThreshold", "Mezzanine validation failures")
    sc.alarm("mezzanine-probe-duration-p", "AWS/Lambda", "Duration", {"FunctionName": fn}, "Average", 300, 1, 30000,
             "GreaterThanThreshold", "Probe getting slow")
    sc.expect = {"alarm": "mezzanine-probe-errors",
                 "root_cause": {"category": "function_timeout", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": fn}}]}
    meta(sc, "origin (the timing-out function)",
         "code deploy of the upload-finalize function and an API deployment just before the onset; rare "
         "timeouts long before; archive re-ingest spike 4 h ago; ladder warnings",
         "`mezzanine-probe` errors rise from about -2800. Every new failure ends in `Task timed out after 60.00 "
         "seconds` (REPORT `Status: timeout`, duration = the 60 s limit), and the function's average duration "
         "climbs from about 10 s. All failing probes are deliveries from a new partner (`aurora-pictures`, "
         "180-260 GiB IMF MXF files) where the probe has to scan body partitions; its S3 range GETs keep "
         "succeeding (`http=206`) until the timeout, so there is no dependency error. A few timeouts happened "
         "before, two or three an hour, for other very large files. The `upload-finalize` deploy and the "
         "`studio-upload-api` deployment are nearer the onset but both stay healthy and neither touches the probe. "
         "The invocation spike four hours ago is a scheduled archive re-ingest. Verdict: function timeout.")
    return sc


# =========================================================================== h70-10
def build_10() -> Scenario:
    sc = Scenario(10, "live-manifest-latency", "Premiere night: live stream start slow and some players "
                  "erroring; manifest ALB latency alarm.", "eu-west-1", 7010, "2026-03-14T20:45:00+00:00")
    lb = "app/live-manifests/a83f1c6e0d972b45"
    cluster, svc = "live", "playlist-edge"
    sc.resource("alb", lb, name="live-manifests")
    sc.resource("ecs", f"{cluster}/{svc}", launch_type="FARGATE", desired_count=6, cpu=1024, memory=2048,
                autoscaling="target tracking CPU 60 %, max 12 tasks")
    sc.resource("ecs", f"{cluster}/drm-license", launch_type="FARGATE", desired_count=3)
    onset = -2700
    purge0, purge1 = -14700, -13800
    surge = lambda t: ramp(t, onset - 300, onset + 120)

    def req(t):
        return 5200 * diurnal(sc, t, 20.0, 0.3) * (1 + 0.9 * bump(t, purge0, purge1, 1, 150)) * (1 + 3.6 * surge(t))
    reqs = sc.series(req, integer=True)
    sat = lambda t: ramp(t, onset - 60, onset + 180) * (1 - 0.35 * ramp(t, onset + 400, onset + 900))
    rt = sc.series(lambda t: 0.028 + 0.004 * bump(t, purge0, purge1, 1) + 0.85 * sat(t), noise=0.08)
    t5 = sc.series(lambda t: 0.5 + at_rate(reqs, t) * 0.006 * sat(t), integer=True)
    e5 = sc.series(lambda t: 0.1 + at_rate(reqs, t) * 0.004 * sat(t), integer=True)
    alb_metrics(sc, lb, reqs, t5, rt, e5xx=e5)
    tasks = lambda t: 6 + 6 * ramp(t, onset + 240, onset + 900)
    ecs_metrics(sc, cluster, svc,
                sc.series(lambda t: min(88.0, 26 * diurnal(sc, t, 20.0, 0.3) * (1 + 0.5 * bump(t, purge0, purge1, 1))
                                        * (1 + 3.6 * surge(t)) * 6 / tasks(t)), noise=0.04),
                sc.series(lambda t: 41 + 6 * surge(t), noise=0.02),
                running=sc.series(lambda t: float(round(tasks(t))), noise=0.0))
    ecs_metrics(sc, cluster, "drm-license", sc.series(lambda t: 18 * (1 + 1.2 * surge(t)), noise=0.05),
                sc.series(lambda t: 35, noise=0.02))

    group = f"/ecs/{svc}"
    chans = ["bbx-premiere-live", "sport-2", "news-24", "music-hits"]
    for k in range(6):
        st = f"node/{svc}/{sc.hexid(32)}"
        pid = 1

        def access(t):
            lag = sat(t)
            ch = "bbx-premiere-live" if sc.rng.random() < 0.75 * surge(t) else pick(sc, chans)
            r = sc.rng.random()
            if lag > 0.2 and r < 0.05:
                return jdump({"level": 40, "time": sc.epoch_ms(t), "pid": pid, "hostname": f"ip-10-70-{k}-{k + 20}",
                                   "msg": "load shedding: event loop lag above budget", "lagMs": int(400 + 900 * lag * sc.rng.random()),
                                   "inflight": sc.rng.randint(800, 2400), "status": 503})
            if r < 0.06:
                return jdump({"level": 50, "time": sc.epoch_ms(t), "pid": pid, "hostname": f"ip-10-70-{k}-{k + 20}",
                                   "msg": "request aborted by client", "err": {"type": "Error", "message": "aborted",
                                                                               "code": "ECONNRESET"}})
            if r < 0.1:
                return jdump({"level": 40, "time": sc.epoch_ms(t), "pid": pid, "hostname": f"ip-10-70-{k}-{k + 20}",
                                   "msg": "ladder rung missing from encoder output", "channel": ch, "rung": "1080p50_7800k"})
            return jdump({"level": 30, "time": sc.epoch_ms(t), "pid": pid, "hostname": f"ip-10-70-{k}-{k + 20}",
                               "req": {"method": "GET", "url": f"/live/{ch}/index_{pick(sc, ['540', '720', '1080'])}.m3u8"},
                               "res": {"statusCode": 200}, "responseTime": round(max(2, 25 + 900 * lag * sc.rng.random()
                                                                                    + sc.rng.gauss(0, 6)), 1)})

        emit(sc, group, st, LOG_FROM, 0, lambda t: 3.0 * (1 + 0.6 * surge(t)), access)
        emit(sc, group, st, LOG_FROM, 0, lambda t: 1.0 / 30, lambda t: jdump({
            "level": 30, "time": sc.epoch_ms(t), "pid": pid, "msg": "stats", "rps": round(at_rate(reqs, t) / 60 / tasks(t), 1),
            "eventLoopLagMs": round(4 + 600 * sat(t) * sc.rng.random(), 1), "heapUsedMb": sc.rng.randint(180, 260)}))
    for j in range(6):
        st = f"node/{svc}/{sc.hexid(32)}"
        t0 = onset + 260 + j * 100
        sc.log(group, st, t0, jdump({"level": 30, "time": sc.epoch_ms(t0), "pid": 1, "msg": "listening", "port": 8080}))
        emit(sc, group, st, t0 + 1, 0, lambda t: 3.5, lambda t: jdump({
            "level": 30, "time": sc.epoch_ms(t), "pid": 1,
            "req": {"method": "GET", "url": f"/live/bbx-premiere-live/index_{pick(sc, ['540', '720', '1080'])}.m3u8"},
            "res": {"statusCode": 200}, "responseTime": round(max(2, 25 + 500 * sat(t) * sc.rng.random()), 1)}))
    ecs_deploy(sc, -2760, cluster, "drm-license", "drm-license", "gitlab-runner-live")
    for i, tt in enumerate([onset + 240, onset + 480, onset + 720]):
        sc.change(tt, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}",
                  "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.change(purge0 - 20, "cloudfront.amazonaws.com", "CreateInvalidation", "AWS::CloudFront::Distribution",
              "E2LIVE7XQ0MF1", "media-ops")
    sc.alarm("live-manifests-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 3,
             0.3, "GreaterThanThreshold", "Live manifest latency")
    sc.alarm("playlist-edge-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": cluster, "ServiceName": svc},
             "Average", 60, 3, 70, "GreaterThanThreshold", "scale-out signal")
    sc.expect = {"alarm": "live-manifests-latency",
                 "root_cause": {"category": "traffic_surge",
                                "resource": [f"{cluster}/{svc}", svc, lb, "live-manifests"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": lb}}]}
    meta(sc, "front (ALB); the surge lands on the ECS service behind it (both accepted)",
         "drm-license deploy 60 s before the ramp; autoscaling UpdateService events after it; CDN invalidation spike "
         "4 h ago (normal); client-abort errors and ladder warnings at a constant rate; CPU alarm (symptom)",
         "At 20:00 local time (about -2700) a premiere goes live and `live-manifests` requests jump to about 4.5 times "
         "the evening level, three quarters of them for `bbx-premiere-live`. Latency rises from about 30 ms to close "
         "to a second, with 503 load shedding (`event loop lag above budget`) and some ALB 5XX. `playlist-edge` CPU "
         "climbs to the high 80s until autoscaling doubles the task count (UpdateService by the autoscaling role), "
         "after which latency eases but stays above the alarm threshold. No error signature other than load "
         "shedding appears; memory is flat. The `drm-license` deploy a minute before is on another service. The "
         "request spike four hours ago is a CloudFront invalidation (edge refill) that doubled requests with no latency "
         "change, which is what a normal CDN-driven spike looks like. Client-abort errors and ladder warnings are "
         "steady. Verdict: traffic surge.")
    return sc


BUILDERS = [build_09, build_10]
