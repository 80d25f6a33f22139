"""h70-01 (manifest renderer image rollout behind the playback ALB) and h70-02 (packaging planner env change)."""
from __future__ import annotations

from .common import GRID, Scenario, bump, diurnal, ramp
from .kit import (LOG_FROM, alb_metrics, at_rate, dmap, ecs_deploy, ecs_metrics, emit,
                  lambda_config, lambda_deploy, lambda_metrics, meta, pick)
from .runtimes import LambdaLogs, jline


# =========================================================================== h70-01
def build_01() -> Scenario:
    sc = Scenario(1, "playback-edge-5xx", "Playback start failures reported by the player SDK "
                  "dashboards; ALB target 5XX alarm paging.", "us-east-1", 7001,
                  "2026-03-13T23:40:00+00:00")
    lb = "app/playback-edge/7c1e94ab20d35f18"
    cluster, svc = "vod-prod", "manifest-renderer"
    sc.resource("alb", lb, name="playback-edge", scheme="internet-facing",
                target_groups=["tg-manifest-renderer"])
    sc.resource("ecs", f"{cluster}/{svc}", launch_type="FARGATE", desired_count=4, cpu=1024,
                memory=2048, task_definition="manifest-renderer:212",
                log_group="/ecs/manifest-renderer")
    sc.resource("ecs", f"{cluster}/reencode-batch", launch_type="FARGATE", desired_count=8,
                cpu=4096, memory=8192)
    sc.resource("lambda", "thumb-sprite-gen", runtime="python3.12", timeout=120,
                memory_size=2048)
    deploy, onset = -2520, -2400
    purge0, purge1 = -14400, -13260  # CDN cache purge: edge refills from origin

    def req(t):
        return 1650 * diurnal(sc, t, 1.0, 0.3) * (1 + bump(t, purge0, purge1, 1.7, 240))

    reqs = sc.series(req, noise=0.04, integer=True)
    bad_frac = lambda t: 0.024 * ramp(t, onset - 60, onset + 180)
    t5 = sc.series(lambda t: 0.4 + at_rate(reqs, t) * bad_frac(t), integer=True)
    rt = sc.series(lambda t: 0.052 + 0.02 * bump(t, purge0, purge1, 1.0, 240)
                   + 0.006 * ramp(t, onset, onset + 300), noise=0.08)
    alb_metrics(sc, lb, reqs, t5, rt, e5xx=sc.series(lambda t: 0.1, integer=True))
    ecs_metrics(sc, cluster, svc,
                sc.series(lambda t: 31 * diurnal(sc, t, 1.0, 0.3)
                          * (1 + bump(t, purge0, purge1, 1.2, 240)), noise=0.06),
                sc.series(lambda t: 44 + 3 * ramp(t, deploy, deploy + 400), noise=0.02),
                running=sc.series(lambda t: float(round(4 + 4 * bump(t, deploy + 60, deploy + 300, 1, 30))),
                                  noise=0.0))
    ecs_metrics(sc, cluster, "reencode-batch",
                sc.series(lambda t: 12 + 78 * bump(t, -4200, 0, 1, 400), noise=0.05),
                sc.series(lambda t: 30 + 35 * bump(t, -4200, 0, 1, 400), noise=0.03))
    sinv = sc.series(lambda t: 9 * diurnal(sc, t, 1.0, 0.2), integer=True)
    lambda_metrics(sc, "thumb-sprite-gen", sinv, sc.series(lambda t: 0.05, integer=True),
                   sc.series(lambda t: 18500, noise=0.1))

    # ---------------------------------------------------------------- logs (Go, JSON)
    group = "/ecs/manifest-renderer"
    old = [f"ecs/manifest-renderer/{sc.hexid(32)}" for _ in range(4)]
    new = [f"ecs/manifest-renderer/{sc.hexid(32)}" for _ in range(4)]
    titles = [f"tt{sc.rng.randint(100000, 999999)}" for _ in range(60)]

    def info(t):
        return jline({"time": sc.iso(t), "level": "info", "msg": "manifest rendered",
                      "title_id": pick(sc, titles), "kind": pick(sc, ["master", "media", "media"]),
                      "variants": pick(sc, [5, 6, 7, 7, 8]), "dur_ms": round(sc.rng.uniform(3, 40), 1),
                      "trace_id": sc.hexid(16)})

    def ladder(t):
        h = pick(sc, [(1280, 720), (1440, 1080), (960, 540)])
        return jline({"time": sc.iso(t), "level": "warn", "msg": "bitrate ladder rung skipped",
                      "title_id": pick(sc, titles), "rung": "2160p_16000k",
                      "reason": f"source {h[0]}x{h[1]} below rung height"})

    def pipe(t):
        return jline({"time": sc.iso(t), "level": "error", "msg": "write response",
                      "error": f"write tcp 10.40.{sc.rng.randint(1, 9)}.{sc.rng.randint(2, 250)}:8080->"
                               f"10.40.0.{sc.rng.randint(2, 250)}:{sc.rng.randint(30000, 60000)}: "
                               "write: broken pipe", "path": "/v1/hls/master.m3u8"})

    def panic(t):
        return jline({"time": sc.iso(t), "level": "error", "msg": "panic recovered",
                      "panic": "runtime error: index out of range [4] with length 4",
                      "stack": "manifest.(*HLSWriter).writeAudioGroup(...)\n\t/src/internal/manifest/hls.go:318"
                               "\nmanifest.(*HLSWriter).WriteMaster(...)\n\t/src/internal/manifest/hls.go:142",
                      "title_id": pick(sc, titles), "status": 500, "trace_id": sc.hexid(16)})

    def boot(stream, t, rev):
        sc.log(group, stream, t, jline({"time": sc.iso(t), "level": "info", "msg": "starting",
                                        "service": "manifest-renderer", "revision": rev,
                                        "go": "go1.22.6", "listen": ":8080"}))
        sc.log(group, stream, t + 0.8, jline({"time": sc.iso(t + 0.8), "level": "info",
                                              "msg": "ladder profiles loaded", "count": 14}))

    for i, s in enumerate(old):
        end = deploy + 260 + 25 * i
        emit(sc, group, s, LOG_FROM, end, lambda t: 2.2 * diurnal(sc, t, 1.0, 0.3), info)
        emit(sc, group, s, LOG_FROM, end, lambda t: 0.35, ladder)
        emit(sc, group, s, LOG_FROM, end, lambda t: 0.3, pipe)
        sc.log(group, s, end, jline({"time": sc.iso(end), "level": "info",
                                     "msg": "SIGTERM received, draining", "inflight": 3}))
    for i, s in enumerate(new):
        st = deploy + 70 + 20 * i
        boot(s, st, "v2.31.0")
        emit(sc, group, s, st + 5, 0, lambda t: 2.2 * diurnal(sc, t, 1.0, 0.3), info)
        emit(sc, group, s, st + 5, 0, lambda t: 0.35, ladder)
        emit(sc, group, s, st + 5, 0, lambda t: 0.3, pipe)
        emit(sc, group, s, st + 5, 0, lambda t: at_rate(t5, t) / 4.0 * ramp(t, onset - 60, onset), panic)

    reen = "/ecs/reencode-batch"
    rs = f"ecs/reencode-batch/{sc.hexid(32)}"
    emit(sc, reen, rs, -4200, 0, lambda t: 1.5, lambda t: (
        f"{sc.iso(t)} INFO  reencode job={sc.hexid(8)} profile=av1-ladder-2026 rung={pick(sc, ['1080p', '720p', '480p'])} "
        f"speed={sc.rng.uniform(0.7, 1.6):.2f}x"))

    ecs_deploy(sc, deploy, cluster, svc, "manifest-renderer", "github-actions-deployer")
    lambda_deploy(sc, -2440, "thumb-sprite-gen", "ci-media-pipelines")
    sc.change(-4260, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              f"{cluster}/reencode-batch", "eventbridge-scheduler-reencode")
    sc.alarm("playback-edge-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 15, "GreaterThanThreshold",
             "Playback edge: targets returning 5XX")
    sc.alarm("reencode-batch-cpu-high", "AWS/ECS", "CPUUtilization",
             {"ClusterName": cluster, "ServiceName": "reencode-batch"}, "Average", 300, 2, 85,
             "GreaterThanThreshold", "Re-encode batch CPU")
    sc.expect = {"alarm": "playback-edge-target-5xx",
                 "root_cause": {"category": "bad_deployment",
                                "resource": [f"{cluster}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    meta(sc, "front (ALB); origin is the ECS service behind it",
         "Lambda deploy 80 s closer to onset; broken-pipe errors and ladder warnings at the same rate for hours; "
         "CDN purge spike 4 h ago; re-encode batch CPU alarm",
         "The ALB `playback-edge` starts returning target 5XX at about -2400. `manifest-renderer` got a new task "
         "definition at -2520 (RegisterTaskDefinition + UpdateService); the new tasks log `starting` with revision "
         "v2.31.0 and, from about two minutes later, a signature never seen before: `panic recovered` / `index out of "
         "range [4] with length 4` in `HLSWriter.writeAudioGroup`, at a rate that matches the 5XX count. The "
         "`thumb-sprite-gen` deploy at -2440 is closer to the onset but that function's errors and duration do not "
         "move and it is not in the playback path. The `error` level `broken pipe` lines and the ladder `warn` lines "
         "run at the same rate for the whole three hours. The request spike four hours ago is a CDN cache purge: "
         "more requests, no 5XX. The re-encode batch CPU alarm is a scheduled job. Verdict: bad deployment of the "
         "ECS service.")
    return sc


# =========================================================================== h70-02
def build_02() -> Scenario:
    sc = Scenario(2, "package-planner-errors", "Newly transcoded titles are not being packaged; "
                  "Lambda Errors alarm on the packaging planner.", "eu-west-1", 7002,
                  "2026-03-10T14:25:00+00:00")
    fn, other = "package-job-planner", "caption-indexer"
    sc.resource("lambda", fn, runtime="python3.12", timeout=60, memory_size=1024,
                environment_keys=["PACKAGER_PROFILE", "JOB_TABLE", "OUTPUT_BUCKET", "LOG_LEVEL"])
    sc.resource("lambda", other, runtime="python3.12", timeout=30, memory_size=512)
    sc.resource("lambda", "loudness-normaliser", runtime="python3.12", timeout=300,
                memory_size=3008)
    cfg, onset, dec = -2190, -2160, -2172
    sched0, sched1 = -12600, -11220  # scheduled back-catalogue re-encode batch

    inv = sc.series(lambda t: 8.5 * diurnal(sc, t, 14.0, 0.25) + 22 * bump(t, sched0, sched1, 1, 120),
                    integer=True)
    bad = lambda t: min(1.0, max(0.0, (t + 60 - cfg) / 60.0))  # share of the minute after the change
    base = sc.series(lambda t: 0.35, integer=True)
    err = [min(i, b + round(i * bad(t))) for t, i, b in zip(GRID, inv, base)]
    dur = sc.series(lambda t: 2400 - 2000 * bad(t), noise=0.12)
    lambda_metrics(sc, fn, inv, err, dur)
    oinv = sc.series(lambda t: 6 * diurnal(sc, t, 14.0, 0.2), integer=True)
    lambda_metrics(sc, other, oinv, sc.series(lambda t: 0.02, integer=True),
                   sc.series(lambda t: 850, noise=0.1))
    ninv = sc.series(lambda t: 2 + 14 * bump(t, sched0 + 300, sched1 + 600, 1, 120), integer=True)
    lambda_metrics(sc, "loudness-normaliser", ninv, sc.series(lambda t: 0.05, integer=True),
                   sc.series(lambda t: 41000, noise=0.15))

    ll = LambdaLogs(sc, fn, "python3.12", 1024, 60, mem_used=(212, 18), retire=[cfg])
    assets = [f"asset-{sc.hexid(10)}" for _ in range(80)]
    verrs = dmap(err)
    pre_err_t = set()

    def body(ll_, t, rid, is_err, cold):
        a = pick(sc, assets)
        lines = [(0.01, ll_.fmt(t, rid, "INFO", f"planning packaging for {a} source=s3://mezz-eu-transcoded/{a}/"))]
        if t >= cfg:
            if is_err:
                msg = ("[ERROR] ConfigError: packaging profile 'cmaf-ll-v3' (env PACKAGER_PROFILE) is not "
                       "defined; known profiles: cmaf-v2, dash-v4, hls-ts-v1\nTraceback (most recent call last):\n"
                       '  File "/var/task/planner/handler.py", line 37, in handler\n'
                       "    profile = profiles.resolve(os.environ[\"PACKAGER_PROFILE\"])\n"
                       '  File "/var/task/planner/profiles.py", line 88, in resolve\n'
                       "    raise ConfigError(f\"packaging profile {name!r} (env PACKAGER_PROFILE) is not defined; "
                       "known profiles: {known}\")")
                return {"dur": sc.rng.uniform(180, 520), "lines": lines + [(0.15, msg)]}
        if is_err:
            msg = (f"[ERROR] NoSuchKey: An error occurred (NoSuchKey) when calling the GetObject operation: "
                   f"The specified key does not exist.\nTraceback (most recent call last):\n"
                   f'  File "/var/task/planner/handler.py", line 52, in handler\n'
                   f"    sidecars = load_sidecars(bucket, f\"{a}/captions.vtt\")")
            return {"dur": sc.rng.uniform(300, 900), "lines": lines + [(0.2, msg)]}
        extra = []
        if sc.rng.random() < 0.25:
            extra.append((0.05, ll_.fmt(t + 0.05, rid, "WARNING",
                                        f"ladder: source 1280x720 below rung 1080p_6000k for {a}; rung dropped")))
        d = sc.rng.gauss(2400, 300)
        extra.append((d / 1000 - 0.02, ll_.fmt(t + d / 1000, rid, "INFO",
                                               f"queued 3 packaging jobs for {a} profile=cmaf-v2")))
        return {"dur": d, "lines": lines + extra}

    ll.run({k: v for k, v in dmap(inv).items() if k >= LOG_FROM},
           {k: v for k, v in verrs.items() if k >= LOG_FROM}, body)
    # the other function: quiet, healthy, deployed right after the onset
    ol = LambdaLogs(sc, other, "python3.12", 512, 30, retire=[dec])

    def obody(ll_, t, rid, is_err, cold):
        return {"dur": sc.rng.gauss(850, 90), "lines": [
            (0.02, ll_.fmt(t, rid, "INFO", f"indexed {sc.rng.randint(300, 1900)} cues lang={pick(sc, ['en', 'es', 'fr', 'de', 'pt'])}"))]}

    ol.run({k: v for k, v in dmap(oinv).items() if k >= LOG_FROM}, {}, obody)

    lambda_config(sc, cfg, fn, "jmurray@console")
    lambda_deploy(sc, dec, other, "codepipeline-captions")
    sc.change(sched0 - 40, "events.amazonaws.com", "EnableRule", "AWS::Events::Rule",
              "backcatalogue-reencode-nightly", "ops-scheduler")
    sc.alarm("package-job-planner-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum",
             60, 3, 3, "GreaterThanThreshold", "Packaging planner failing")
    sc.alarm("loudness-normaliser-duration", "AWS/Lambda", "Duration",
             {"FunctionName": "loudness-normaliser"}, "Average", 300, 1, 45000,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "package-job-planner-errors",
                 "root_cause": {"category": "config_change", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": fn}}]}
    meta(sc, "origin (the failing function)",
         "code deploy of another function 18 s after the config change (nearest change to onset); "
         "pre-existing NoSuchKey errors; ladder warnings; scheduled re-encode invocation spike 3.5 h ago",
         "`package-job-planner` starts failing almost every invocation at about -2160. At -2190 a "
         "human (`jmurray@console`) ran UpdateFunctionConfiguration on it; every new execution environment after that "
         "raises `ConfigError: packaging profile 'cmaf-ll-v3' (env PACKAGER_PROFILE) is not defined`, an error naming "
         "an invalid setting. The `caption-indexer` code deploy at -2172 is the change nearest the onset but it is a "
         "different function whose metrics stay flat. The `NoSuchKey` sidecar errors (about one every three minutes) "
         "and the ladder `WARNING`s are there for all three hours of logs. The invocation bump 3.5 hours ago is the "
         "nightly back-catalogue re-encode and produced no errors. Verdict: config change on the planner.")
    return sc


BUILDERS = [build_01, build_02]
