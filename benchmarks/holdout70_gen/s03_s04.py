"""h70-03 (subtitle API: role policy rewrite) and h70-04 (live origin fleet: one instance pinned)."""
from __future__ import annotations


from .common import GRID, Scenario, bump, diurnal, ramp
from .kit import (jdump, LOG_FROM, alb_metrics, apigw_metrics, at_rate, dmap, ec2_metrics, emit,
                  lambda_deploy, lambda_metrics, meta, pick)
from .runtimes import LambdaLogs, nginx


# =========================================================================== h70-03
def build_03() -> Scenario:
    sc = Scenario(3, "captions-api-5xx", "Players show 'subtitles unavailable'; 5XX alarm on the "
                  "captions API.", "ap-south-1", 7003, "2026-03-12T16:05:00+00:00")
    api, fn, role = "captions-api", "subtitle-render", "media-captions-lambda-role"
    sc.resource("apigateway", api, stage="prod", endpoint="REGIONAL",
                integration=f"lambda:{fn}")
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=15, memory_size=512,
                role=f"arn:aws:iam::{sc.account}:role/{role}")
    sc.resource("lambda", "poster-crop", runtime="nodejs20.x", timeout=30, memory_size=1536)
    iam, onset, dec = -2940, -2905, -2918
    drop0, drop1 = -9000, -8100  # new season drop: CDN misses refill captions

    def cnt(t):
        return 12 * diurnal(sc, t, 15.0, 0.2) * (1 + bump(t, drop0, drop1, 1.4, 180))

    count = sc.series(cnt, integer=True)
    e4 = sc.series(lambda t: at_rate(count, t) * 0.16, integer=True)
    kms_share = 0.72  # titles encrypted with the media CMK (newer catalogue)
    e5 = [min(max(0, c - a), round(max(0, c - a) * kms_share * max(0.0, min(1.0, (t + 60 - onset) / 60.0)))
              + (1 if sc.rng.random() < 0.01 else 0))
          for t, c, a in zip(GRID, count, e4)]
    lat = sc.series(lambda t: 160 - 60 * ramp(t, onset, onset + 60), noise=0.1)
    apigw_metrics(sc, api, count, e4, e5, lat, [round(v - 14, 3) for v in lat])
    dur = sc.series(lambda t: 140 - 55 * ramp(t, onset, onset + 60), noise=0.1)
    lambda_metrics(sc, fn, count, e5, dur)
    pinv = sc.series(lambda t: 5 * diurnal(sc, t, 15.0, 0.2) * (1 + bump(t, drop0, drop1, 2.5, 180)),
                     integer=True)
    lambda_metrics(sc, "poster-crop", pinv, sc.series(lambda t: 0.03, integer=True),
                   sc.series(lambda t: 2100, noise=0.12))

    kms = f"arn:aws:kms:ap-south-1:{sc.account}:key/{sc.uuid()}"
    titles = [f"ttl_{sc.rng.randint(10000, 99999)}" for _ in range(70)]
    langs = ["hi", "ta", "te", "en", "bn", "mr", "ml", "kn"]
    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 15, mem_used=(118, 9))
    errs = dmap(e5)
    four = dmap(e4)

    def body(ll_, t, rid, is_err, cold):
        ti, lg = pick(sc, titles), pick(sc, langs)
        key = f"masters/{ti}/subs/{lg}.ttml"
        lines = [(0.004, ll_.fmt(t, rid, "INFO", f"GET /v1/titles/{ti}/subtitles/{lg}.vtt"))]
        if is_err and t >= iam:
            e = {"errorType": "AccessDenied",
                 "errorMessage": (f"User: arn:aws:sts::{sc.account}:assumed-role/{role}/{fn} is not authorized "
                                  f"to perform: kms:Decrypt on resource: {kms} because no identity-based "
                                  "policy allows the kms:Decrypt action"),
                 "name": "AccessDenied", "$fault": "client",
                 "$metadata": {"httpStatusCode": 403, "requestId": sc.hexid(16).upper(),
                               "attempts": 1, "totalRetryDelay": 0},
                 "Code": "AccessDenied", "BucketName": "captions-master-aps1", "Key": key,
                 "stack": ["AccessDenied: User: ... is not authorized to perform: kms:Decrypt",
                           "    at throwDefaultError (/var/runtime/node_modules/@aws-sdk/smithy-client/dist-cjs/index.js:840:20)",
                           "    at async fetchTtml (/var/task/src/source.js:22:17)",
                           "    at async Runtime.handler (/var/task/src/index.js:41:19)"]}
            return {"dur": sc.rng.uniform(60, 140),
                    "lines": lines + [(0.06, ll_.fmt(t + 0.06, rid, "ERROR", "Invoke Error \t" + jdump(e)))]}
        if is_err:
            return {"dur": sc.rng.uniform(40, 90), "lines": lines + [(0.03, ll_.fmt(
                t + 0.03, rid, "ERROR", "Invoke Error \t" + jdump(
                    {"errorType": "TypeError", "errorMessage": "Cannot read properties of undefined (reading 'begin')",
                     "stack": ["TypeError: Cannot read properties of undefined (reading 'begin')",
                               "    at toVttCue (/var/task/src/ttml.js:88:31)"]})))]}
        if sc.rng.random() < 0.16:
            return {"dur": sc.rng.uniform(25, 60), "lines": lines + [(0.02, ll_.fmt(
                t + 0.02, rid, "WARN", f"no subtitle track lang={lg} title={ti}; returning 404"))]}
        cues = sc.rng.randint(400, 2200)
        extra = []
        if sc.rng.random() < 0.2:
            extra.append((0.05, ll_.fmt(t + 0.05, rid, "WARN", f"fixed {sc.rng.randint(1, 9)} overlapping cues in {key}")))
        return {"dur": sc.rng.gauss(140, 25), "lines": lines + extra + [
            (0.12, ll_.fmt(t + 0.12, rid, "INFO", f"rendered {cues} cues from s3://captions-master-aps1/{key}"))]}

    ll.run({k: v for k, v in dmap(count).items() if k >= LOG_FROM},
           {k: v for k, v in errs.items() if k >= LOG_FROM}, body)
    _ = four
    sc.change(iam, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role, "terraform-media-platform")
    lambda_deploy(sc, dec, "poster-crop", "ci-artwork")
    sc.change(-5400, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage",
              f"{api}/prod", "terraform-media-platform")
    sc.alarm("captions-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 10,
             "GreaterThanThreshold", "Captions API server errors")
    sc.alarm("captions-api-4xx-rate", "AWS/ApiGateway", "4XXError", {"ApiName": api}, "Sum", 300, 1, 5,
             "GreaterThanThreshold", "Captions API client errors (missing tracks)")
    sc.expect = {"alarm": "captions-api-5xx",
                 "root_cause": {"category": "permission_denied", "resource": [fn, role]},
                 "anomalies": [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": api}},
                               {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    meta(sc, "front (API Gateway); origin is the Lambda integration and its role",
         "code deploy of another function between the IAM change and the onset; 4XX alarm in ALARM for hours "
         "(missing language tracks); CDN refill spike 2.5 h ago; stage update 1.5 h ago",
         "`captions-api` starts returning 5XX at about -2900. Its integration `subtitle-render` logs `Invoke Error` "
         "with `AccessDenied ... is not authorized to perform: kms:Decrypt` for titles whose TTML masters are "
         "encrypted with the media key; none of these appear earlier in three hours of logs. At -2940 "
         "`terraform-media-platform` ran PutRolePolicy on the function's execution role. The `poster-crop` deploy "
         "at -2918 is nearer the onset but that function keeps working and is not behind this API. The 4XX alarm "
         "has been in ALARM all afternoon (404 for missing language tracks, same share of requests throughout), and "
         "the request spike 2.5 hours ago is the CDN refilling after a season drop. Verdict: permission denied; "
         "the failing function is the origin (its role is also accepted).")
    return sc


# =========================================================================== h70-04
def build_04() -> Scenario:
    sc = Scenario(4, "live-origin-latency", "Live channel viewers rebuffering in São Paulo; ALB "
                  "response-time alarm on the live origin.", "sa-east-1", 7004,
                  "2026-03-15T00:35:00+00:00")
    lb = "app/live-origin/3e9a0c5d71b2f486"
    tg = "targetgroup/live-origin-pkg/0a4c9e1d22b7f3c5"
    ids = ["i-0c41f7a2e9b35d018", "i-0f2b9d6e184c7a3e5", "i-07e8a1c4d3b92f6a0"]
    names = ["origin-sa-a", "origin-sa-b", "origin-sa-c"]
    hot = 1
    gpu = "i-0a93d5e7c1f8b2046"
    sc.resource("alb", lb, name="live-origin", target_groups=[tg.split("/")[1]])
    for i, n in zip(ids, names):
        sc.resource("ec2", i, name=n, instance_type="c6i.2xlarge",
                    log_groups=["/live-origin/nginx/access", "/live-origin/packager"])
    sc.resource("ec2", gpu, name="encode-gpu-sa-1", instance_type="g5.2xlarge")
    onset = -2700
    cdn0, cdn1 = -16200, -14700  # CDN shield failover to this origin: legit extra load

    req = sc.series(lambda t: 960 * diurnal(sc, t, 23.5, 0.3) * (1 + bump(t, cdn0, cdn1, 0.9, 180)),
                    integer=True)
    slow = lambda t: ramp(t, onset - 120, onset + 240)
    rt = sc.series(lambda t: 0.041 * (1 + 0.25 * bump(t, cdn0, cdn1, 1, 180)) + 0.62 * slow(t),
                   noise=0.07)
    e5 = sc.series(lambda t: 0.05 + at_rate(req, t) * 0.006 * slow(t), integer=True)
    unh = [float(round(0.0 + (1 if slow(t) > 0.9 and sc.rng.random() < 0.18 else 0))) for t in GRID]
    alb_metrics(sc, lb, req, e5, rt, e5xx=sc.series(lambda t: 0.1, integer=True),
                unhealthy=unh, tg=tg)
    for k, i in enumerate(ids):
        base = 38 if k != hot else 40
        cpu = sc.series(lambda t: min(99.6, base * diurnal(sc, t, 23.5, 0.3)
                                      * (1 + 0.5 * bump(t, cdn0, cdn1, 1, 180))
                                      + ((99.2 - base) * slow(t) if k == hot else 0)),
                        noise=0.03, cap=100.0)
        net = sc.series(lambda t: 2.6e9 * diurnal(sc, t, 23.5, 0.3) * (1 + 0.9 * bump(t, cdn0, cdn1, 1, 180))
                        * (0.8 if k == hot and slow(t) > 0.5 else 1.0), noise=0.05, digits=0)
        ec2_metrics(sc, i, cpu, net_out=net, mem=sc.series(lambda t: 46 + 3 * (k == hot) * slow(t), noise=0.02))
    up = lambda t: t >= -2700  # stopped until the scheduler started it
    ec2_metrics(sc, gpu, sc.series(lambda t: (6 + 86 * ramp(t, -2700, -2580)) if up(t) else None, noise=0.03,
                                   cap=100.0),
                mem=sc.series(lambda t: (22 + 40 * ramp(t, -2700, -2580)) if up(t) else None, noise=0.02))

    chans = ["ch-esportes-1", "ch-novelas", "ch-noticias", "ch-estreia-4k", "ch-kids"]
    pk = "/live-origin/packager"
    acc = "/live-origin/nginx/access"
    for k, (i, n) in enumerate(zip(ids, names)):
        hotk = k == hot

        def access(t, hotk=hotk):
            ch = pick(sc, chans)
            seg = f"/live/{ch}/{pick(sc, ['1080p', '720p', '480p', '2160p'])}/seg_{int(t // 6) % 100000:05d}.m4s"
            r = sc.rng.random()
            lag = 0.62 * slow(t) * 3 if hotk else 0.0
            if r < 0.03:
                return nginx(sc, t, sc.ip("10.80"), "GET", seg, 499, 0, sc.rng.uniform(1.5, 4.0),
                             ua="Amazon CloudFront")
            if hotk and slow(t) > 0.5 and r < 0.07:
                return nginx(sc, t, sc.ip("10.80"), "GET", seg, 504, 160, 10.0, ua="Amazon CloudFront")
            rtv = max(0.004, sc.rng.gauss(0.04, 0.012) + lag * sc.rng.uniform(0.5, 1.5))
            return nginx(sc, t, sc.ip("10.80"), "GET", seg, 200, sc.rng.randint(380000, 2100000), rtv,
                         ua="Amazon CloudFront")

        emit(sc, acc, i, LOG_FROM, 0, lambda t: 4.0, access)

        def pkline(t, hotk=hotk):
            ch = pick(sc, chans)
            if hotk and slow(t) > 0.3 and sc.rng.random() < 0.6:
                return (f'ts={sc.iso(t)} level=warn msg="segment render slow" channel=ch-estreia-4k '
                        f"render_ms={int(sc.rng.uniform(1800, 5200))} budget_ms=2000 queue={sc.rng.randint(20, 90)}")
            if sc.rng.random() < 0.12:
                return (f'ts={sc.iso(t)} level=error msg="origin fetch failed" channel={ch} '
                        f'err="context canceled" upstream=mediaconnect-{ch}')
            if sc.rng.random() < 0.1:
                return (f'ts={sc.iso(t)} level=warn msg="ladder rung missing in source" channel={ch} '
                        f"rung=2160p action=skip")
            return (f'ts={sc.iso(t)} level=info msg="segment published" channel={ch} '
                    f"seq={int(t // 6) % 100000} dur=6.006 render_ms={sc.rng.randint(40, 260)}")

        emit(sc, pk, i, LOG_FROM, 0, lambda t: 3.0, pkline)
        if hotk:
            sc.log(pk, i, onset - 150.3,
                   f'ts={sc.iso(onset - 150.3)} level=info msg="software transcode fallback engaged" '
                   'channel=ch-estreia-4k reason="contribution feed lacks 1080p/720p renditions" encoder=libx264 '
                   'threads=auto')
            emit(sc, pk, i, onset, 0, lambda t: 0.4, lambda t: (
                f'ts={sc.iso(t)} level=warn msg="gc pause" pause_ms={sc.rng.randint(90, 420)} '
                f"heap_mb={sc.rng.randint(900, 1400)} goroutines={sc.rng.randint(3000, 9000)}"))
    sc.change(-2760, "ec2.amazonaws.com", "StartInstances", "AWS::EC2::Instance", gpu,
              "reencode-scheduler")
    sc.change(-2652, "elasticloadbalancing.amazonaws.com", "ModifyLoadBalancerAttributes",
              "AWS::ElasticLoadBalancingV2::LoadBalancer", lb, "joao.ferreira")
    sc.change(-14900, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", ids[0], "joao.ferreira")
    sc.alarm("live-origin-response-time", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 5, 0.25, "GreaterThanThreshold", "Live origin latency (avg target response time)")
    sc.alarm("encode-gpu-sa-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": gpu}, "Average", 300, 1, 85,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "live-origin-response-time",
                 "root_cause": {"category": "cpu_saturation", "resource": [ids[hot], names[hot]]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": ids[hot]}},
                               {"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime",
                                "dimensions": {"LoadBalancer": lb}}]}
    meta(sc, "front (ALB); origin is one target instance",
         "GPU worker started (and its CPU alarm) 60 s before the onset; ALB attribute change just after; CDN "
         "shield failover spike 4.5 h ago; constant 499s and `context canceled` errors; ladder warnings",
         f"Average target response time on `live-origin` climbs from about 40 ms to over 0.6 s from about -2700. "
         f"Request volume is at its usual evening level. Only `{names[hot]}` (`{ids[hot]}`) changes: CPU goes from "
         "about 40 % to 99 %, its nginx lines show multi-second `rt=` and some 504s, and its packager logs "
         "`software transcode fallback engaged` for `ch-estreia-4k` shortly before, then continuous `segment render "
         "slow` and `gc pause` warnings. The other two origins stay near 40 % with normal `rt=`. The GPU encoder start "
         "(scheduled re-encode) and its own CPU alarm are on an instance that serves no traffic; the ALB attribute "
         "change comes after the latency rise. The request spike 4.5 hours ago (CDN shield failover) raised CPU on "
         "all three origins to about 60 % with no latency. 499s and `context canceled` run at the same rate all "
         "evening. Verdict: CPU saturation on that one origin instance.")
    return sc


BUILDERS = [build_03, build_04]
