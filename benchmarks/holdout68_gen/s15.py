"""h68-15: replay digests fail for 64-player finals; the Python Lambda runs out of memory."""
from __future__ import annotations

from .common import Scenario, diurnal
from .kit import ResettingLambdaLogs, apigw_family, emit, event_load, lam_config, lam_deploy, \
    lambda_family, lambda_logs, ramp
from .runtimes import LambdaLogs

EVENT, ONSET, DECOY, OLDCFG = -9000, -1500, -1620, -12600


def build() -> Scenario:
    sc = Scenario(15, "replay-digest-errors", "Match highlights missing for Royale-64 finals; replay digest "
                  "Lambda Errors alarm.", "us-east-1", 6815, "2026-12-05T22:20:00")
    rng = sc.rng
    fn, clip, api = "replay-digest", "clip-share", "replay-api"
    sc.resource("lambda", fn, runtime="python3.12", memory_size=1024, timeout=120,
                trigger="S3 ObjectCreated frost-replays/*.rpl")
    sc.resource("lambda", clip, runtime="nodejs20.x", memory_size=512, timeout=15)
    sc.resource("apigateway", api, stage="prod")
    load = lambda t: diurnal(sc, t, 22, 0.2) * event_load(t, EVENT, 1.8, 1.5, 2400)
    royale = lambda t: ramp(t, EVENT, EVENT + 1800)
    fin = lambda t: ramp(t, ONSET, ONSET + 120)
    m = lambda_family(sc, fn, lambda t: 38 * load(t), lambda t: 0.0005 + 0.34 * fin(t),
                      lambda t: 9000 + 9000 * royale(t) + 6000 * fin(t), conc=lambda t: 6 * load(t) * (1 + royale(t)))
    sc.metric("LambdaInsights", "memory_utilization", {"function_name": fn}, "Percent",
              sc.series(lambda t: 47 + 38 * royale(t) + 15 * fin(t), noise=0.04, cap=100.0))
    lambda_family(sc, clip, lambda t: 160 * load(t), lambda t: 0.0005, lambda t: 140 + 15 * ramp(t, DECOY, DECOY + 60))
    apigw_family(sc, api, lambda t: 170 * load(t), lambda t: 160, e4=lambda t: 3 * load(t))

    ll = ResettingLambdaLogs(sc, fn, "python3.12", 1024, 120, mem_used=(430, 40), retire=[OLDCFG])

    def body(ll, t, rid, is_err, cold):
        f = lambda dt, lvl, msg: (dt, ll.fmt(t + dt, rid, lvl, msg))
        big = t >= EVENT and rng.random() < 0.2 + 0.5 * royale(t) or is_err
        mode = "royale-64" if big else rng.choice(["ranked-5v5", "casual-3v3", "duo-16"])
        size = rng.randint(340, 520) if (is_err and t >= ONSET) else (rng.randint(150, 300) if big else rng.randint(20, 90))
        key = f"s3://frost-replays/{mode}/{sc.at(t).strftime('%Y/%m/%d')}/m_{sc.hexid(12)}.rpl"
        lines = [f(0.01, "INFO", f"parsing replay {key} size_mb={size} mode={mode} players="
                                 f"{64 if big else rng.choice([6, 10, 16])}")]
        if rng.random() < 0.15:
            lines.append(f(0.02, "WARNING", "replay header version 7 is deprecated, upgrade recorder to v8"))
        if is_err and t >= ONSET:
            lines.append(f(6.0, "INFO", f"decoded {rng.randint(40, 70)}% of frames, tick buffer {rng.randint(820, 990)} MB"))
            d = rng.uniform(15000, 31000)
            lines.append((d / 1000 - 0.004, f"RequestId: {rid} Error: Runtime exited with error: signal: killed"))
            return {"dur": d, "lines": lines, "status": "error",
                    "error_type": "Runtime.OutOfMemory", "mem": 1024}
        if is_err:
            lines.append((1.0, "[ERROR] ReplayFormatError: unexpected EOF in chunk 17 (truncated upload)\n"
                          "Traceback (most recent call last):\n  File \"/var/task/digest/reader.py\", line 143, in read_chunks"))
            return {"dur": rng.uniform(900, 1500), "lines": lines}
        mem = int(min(1000, 180 + size * 2.1 + rng.gauss(0, 25)))
        d = size * 75 + rng.uniform(500, 2500)
        lines.append(f(d / 1000, "INFO", f"digest written highlights={rng.randint(3, 14)} kills={rng.randint(5, 240)} "
                                         f"peak_rss_mb={mem - rng.randint(5, 30)}"))
        return {"dur": d, "lines": lines, "mem": mem}

    lambda_logs(ll, m, body, per_min=2.0, err_min=1)

    cl = LambdaLogs(sc, clip, "nodejs20.x", 512, 15, retire=[DECOY + 17], epochs=[(-10 ** 9, "40"), (DECOY + 17, "41")])

    def share(ll, t, rid, is_err, cold):
        init = [(0.01, f"{sc.iso(t)}\tundefined\tINFO\tclip-share {'5.3.0' if t > DECOY else '5.2.4'} init")]
        return {"dur": rng.lognormvariate(4.9, 0.3), "init_lines": init, "lines": [
            (0.05, f"{sc.iso(t + 0.05)}\t{rid}\tINFO\tshare link created clip=c_{sc.hexid(10)} ttl=7d")]}
    cl.run({t: 1 + (rng.random() < 0.4) for t in range(-21600, 0, 60)}, {}, share)
    emit(sc, f"/aws/apigateway/{api}/access", "prod-21aa", lambda t: 1.5 * load(t), lambda t: (
        f'{{"requestId":"{sc.uuid()}","routeKey":"POST /clips/share","status":"200","responseLatency":"{rng.randint(90, 260)}"}}'))

    sc.alarm("replay-digest-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 5,
             "GreaterThanThreshold", "Replay digest failures")
    sc.alarm("replay-digest-duration", "AWS/Lambda", "Duration", {"FunctionName": fn}, "Average", 300, 3, 60000,
             "GreaterThanThreshold")
    lam_config(sc, OLDCFG, fn, "ops-tnguyen")
    sc.change(-9300, "s3.amazonaws.com", "PutBucketLifecycleConfiguration", "AWS::S3::Bucket", "frost-replays", "ops-tnguyen")
    lam_deploy(sc, DECOY, clip, "github-actions-replays")
    sc.expect = {"alarm": "replay-digest-errors",
                 "root_cause": {"category": "memory_exhaustion", "resource": [fn]},
                 "anomalies": [{"namespace": "LambdaInsights", "name": "memory_utilization",
                                "dimensions": {"function_name": fn}}]}
    sc.meta = {
        "front": "origin",
        "services": ["lambda", "apigateway"], "runtime": "Python 3.12 Lambda, Node Lambda, HTTP API JSON access log",
        "decoys": "clip-share deploy 2 min before onset; replay-digest's own config change 3.5 h earlier; "
                  "steady 'header version 7 deprecated' warnings and rare truncated-upload errors",
        "story": (
            "The Royale-64 mode launched at -150 min; replay-digest's durations and memory rose with the "
            "bigger replays (Lambda Insights memory_utilization from ~47 % to ~85 %) but every digest "
            "completed. When the first 64-player finals ended at -25 min their 340-520 MB replays pushed "
            "the 1024 MB function over the edge: ~34 % of invocations log `decoded 55% of frames, tick "
            "buffer 9xx MB`, then `Runtime exited with error: signal: killed`, REPORT `Max Memory Used: "
            "1024 MB ... Error Type: Runtime.OutOfMemory`. clip-share was deployed two minutes before and "
            "stays clean; replay-digest's own configuration change (timeout 60 -> 120 s) was 3.5 h earlier "
            "with hours of successful runs after it; the deprecation warnings and the rare truncated-upload "
            "errors are present all day."),
    }
    return sc
