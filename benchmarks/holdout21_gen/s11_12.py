"""h21-11 (storefront traffic surge on ALB + EC2) and h21-12 (Java Lambda int overflow behind REST API)."""
from __future__ import annotations

from .common import (LogSink, Rng, alarm, change, counts, diurnal, lambda_invocations, lambda_stream, metric, plain_ts, ramp, scenario, times, wall)
from .kits import alb_set, apigw_rest_set, ec2_set, lambda_set, rds_set


# ----------------------------------------------------------------------------- 11
def s11():
    rng = Rng(2111)
    region = "us-east-1"
    lb, tg = "app/storefront-alb/4a6c8e0f2b4d6f83", "targetgroup/storefront-web-tg/1b3d5f7a9c1e3b56"
    web = [("i-0123a4b5c6d7e8f90", "storefront-web-a"), ("i-0fedc1b2a3948576e", "storefront-web-b"),
           ("i-05a6b7c8d9e0f1a2b", "storefront-web-c")]
    t_push = -2700
    sink = LogSink()

    def req(t):
        return 1500 * diurnal(t, 0.12, 10) * (1 + 3.6 * ramp(t, t_push, t_push + 300) - 0.5 * ramp(t, -900, 0) * ramp(t, t_push, t_push + 300))

    def load(t):  # offered load relative to capacity
        return req(t) / 4300.0

    def rt(t):
        x = load(t)
        return 0.14 if x < 0.8 else 0.14 + 3.2 * min(1.0, (x - 0.8) / 0.8)

    for iid, name in web:
        for m in range(-7200, 0, 30):
            x = load(m)
            backlog = 0 if x < 0.85 else int(rng.uniform(60, 190) * min(1.0, (x - 0.85) / 0.6))
            running = 16 if x > 0.8 else rng.randint(3, 9)
            sink.add("/storefront/puma", iid, m + rng.uniform(0, 1),
                     f"[{rng.randint(2100, 2190)}] {plain_ts(m, ms=False)} +0000 puma stats: {{\"workers\":4,\"booted_workers\":4,"
                     f"\"backlog\":{backlog},\"running\":{running * 4},\"pool_capacity\":{max(0, 64 - running * 4 - backlog // 4)},\"max_threads\":64}}")
        for m in range(-7200, 0, 60):
            x = load(m)
            n_to = rng.poisson(max(0.0, (x - 0.95) * 40)) if x > 0.95 else 0
            for _ in range(n_to):
                t = m + rng.uniform(0, 59)
                path = rng.choices(["/promo/black-friday", "/products/", "/cart", "/"], [60, 25, 10, 5])[0]
                if path == "/products/":
                    path += f"{rng.randint(10000, 99999)}"
                rid = rng.uuid()
                sink.add("/storefront/rails", iid, t, f"E, [{wall(t).strftime('%Y-%m-%dT%H:%M:%S.%f')} #{rng.randint(2100, 2190)}] ERROR -- : [{rid}] "
                                                     f"Rack::Timeout::RequestTimeoutException (Request waited {rng.randint(2, 9000)}ms, then ran for longer than 15000ms ):"
                                                     f" GET {path}")
            if rng.random() < 0.35:  # pre-existing
                t = m + rng.uniform(0, 59)
                sink.add("/storefront/rails", iid, t, f"W, [{wall(t).strftime('%Y-%m-%dT%H:%M:%S.%f')} #{rng.randint(2100, 2190)}]  WARN -- : "
                                                     f"[{rng.uuid()}] Redis::TimeoutError on cache read 'views/recently_viewed/{rng.randint(1, 9)}', falling back")
            if m >= t_push and rng.random() < 0.6:
                t = m + rng.uniform(0, 59)
                sink.add("/storefront/rails", iid, t, f"I, [{wall(t).strftime('%Y-%m-%dT%H:%M:%S.%f')} #{rng.randint(2100, 2190)}]  INFO -- : "
                                                     f"[{rng.uuid()}] campaign landing utm_source=push utm_campaign=bf26_early sessions_last_min={int(req(m) * 0.55 / 3)}")

    def t5(t):
        x = load(t)
        return 0.5 + (max(0.0, (x - 0.95) * 40) * 3 if x > 0.95 else 0)

    def e504(t):
        x = load(t)
        return 0.05 + (max(0.0, (x - 1.0)) * 90 if x > 1.0 else 0)

    metrics = alb_set(rng, lb, req=req, rt=rt, t5xx=t5, t4xx=lambda t: req(t) * 0.006, e502=lambda t: 0.1, e504=e504,
                      tgs=[(tg, lambda t: 3, lambda t: 0, req)])
    d = {"LoadBalancer": lb}
    metrics.append(metric("AWS/ApplicationELB", "NewConnectionCount", d, "Count", counts(times(), lambda t: req(t) * 0.42, rng)))
    metrics.append(metric("AWS/ApplicationELB", "ActiveConnectionCount", d, "Count", counts(times(), lambda t: req(t) * 0.9, rng)))
    for iid, name in web:
        metrics += ec2_set(rng, iid, cpu=lambda t: 12 + 40 * min(1.1, load(t)), mem=lambda t: 56 + 4 * ramp(t, t_push, t_push + 600),
                           disk=lambda t: 71, net_in=lambda t: 2.2e6 * req(t) / 1500)
    metrics += rds_set(rng, "storefront-db", cpu=lambda t: 22 + 14 * min(1.0, load(t)), conns=lambda t: 80 + 40 * min(1.0, load(t)),
                       free_storage_gb=lambda t: 310, freeable_mem_gb=lambda t: 9.5)
    resources = [{"type": "ec2", "id": iid, "properties": {"name": name, "instance_type": "c6i.2xlarge", "autoscaling_group": "storefront-web-asg",
                                                           "asg_max_size": 3, "log_groups": ["/storefront/puma", "/storefront/rails"]}}
                 for iid, name in web]
    resources += [
        {"type": "alb", "id": lb, "properties": {"name": "storefront-alb", "target_groups": [tg], "targets": [w[0] for w in web]}},
        {"type": "rds", "id": "storefront-db", "properties": {"engine": "postgres", "engine_version": "16.4", "instance_class": "db.r6g.2xlarge",
                                                              "max_connections": 3000, "allocated_storage_gb": 500}},
    ]
    changes = [change(-3300, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/analytics/sampling-rate", "data-eng"),
               change(-2580, "autoscaling.amazonaws.com", "SetDesiredCapacity", "AWS::AutoScaling::AutoScalingGroup", "storefront-web-asg",
                      "autoscaling.amazonaws.com")]
    alarms = [alarm("storefront-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 3, 1.0,
                    "GreaterThanThreshold", -2460, description="Storefront latency (avg target response time)")]
    doc = scenario("h21-11-storefront-push-campaign-surge",
                   "Storefront pages very slow, some time out; ALB latency alarm during the early Black Friday campaign.",
                   region, resources, metrics, sink.entries(), alarms, changes,
                   {"alarm": "storefront-alb-latency",
                    "root_cause": {"category": "traffic_surge", "resource": [lb, "storefront-alb"] + [w[0] for w in web] + [w[1] for w in web]},
                    "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": lb}}]})
    meta = {"placement": "origin (ALB, the front door is where the surge lands)",
            "decoys": "SSM parameter change for analytics; ASG SetDesiredCapacity already at max; constant Redis cache-read timeout WARNs",
            "story": "A push notification for the early Black Friday campaign sends RequestCount from ~1.5 k to ~6.8 k per "
                     "minute within five minutes (rails logs show utm_source=push landings). The ASG is already at its max of "
                     "three instances; puma thread pools are full with a growing backlog, latency goes from 0.14 s to ~3 s and some "
                     "requests hit the 15 s rack-timeout. CPU only reaches ~55 % (4 single-core puma workers on 8 vCPUs, not pinned), "
                     "memory, DB and dependencies are fine, and nothing relevant changed. Request volume far above usual with no other fault is traffic_surge; the "
                     "surge lands on storefront-alb and its web fleet."}
    return doc, meta


# ----------------------------------------------------------------------------- 12
def s12():
    rng = Rng(2112)
    region = "ap-southeast-1"
    fn, api = "points-balance", "loyalty-api"
    limit = 2147483647
    sink = LogSink()
    log_start = -6000
    # member-signup assigns sequential ids; they cross Integer.MAX_VALUE at about t_cross
    signup_times = []
    t = -21600.0
    while t < 0:
        t += rng.expovariate(3.1 / 60)
        signup_times.append(t)
    idx_cross = min(range(len(signup_times)), key=lambda i: abs(signup_times[i] + 2100))
    first_id = limit - idx_cross
    ids = [(tt, first_id + i) for i, tt in enumerate(signup_times) if tt < 0]
    new_members = [mid for tt, mid in ids if mid > limit]
    su_streams = [(lambda_stream(rng, -30000, "14"), -30000, 1)]
    for tt, mid in ids:
        if tt >= log_start:
            rid = rng.uuid()
            s = su_streams[0][0]
            sink.add("/aws/lambda/member-signup", s, tt, f"START RequestId: {rid} Version: 14")
            sink.add("/aws/lambda/member-signup", s, tt + 0.05, f"{plain_ts(tt + 0.05, ms=False)} {rid} INFO  SignupHandler - registered member {mid} tier=BASE channel={rng.choice(['app', 'web', 'store'])}")
            sink.add("/aws/lambda/member-signup", s, tt + 0.2, f"END RequestId: {rid}")
            dur = rng.uniform(140, 220)
            sink.add("/aws/lambda/member-signup", s, tt + 0.201, f"REPORT RequestId: {rid}\tDuration: {dur:.2f} ms\tBilled Duration: {int(dur) + 1} ms\tMemory Size: 512 MB\tMax Memory Used: {rng.randint(140, 170)} MB")
    streams = [(lambda_stream(rng, -30000, "14"), -30000, 1) for _ in range(4)] + [(lambda_stream(rng, -2000, "14"), -2600, 1)]

    def body(r, t, rid):
        seen = [mid for tt, mid in ids if tt < t - 30 and mid > limit]
        if seen and r.random() < min(0.35, 0.012 * len(seen)):
            mid = r.choice(seen)
            out = [(0.01, f"{plain_ts(t, ms=False)} {rid} INFO  PointsBalanceHandler - GET /members/{mid}/points")]
            err = ('{"errorMessage":"For input string: \\"%d\\"","errorType":"java.lang.NumberFormatException","stackTrace":['
                   '"java.base/java.lang.NumberFormatException.forInputString(NumberFormatException.java:67)",'
                   '"java.base/java.lang.Integer.parseInt(Integer.java:662)","java.base/java.lang.Integer.parseInt(Integer.java:778)",'
                   '"com.acme.loyalty.member.MemberIdParser.parse(MemberIdParser.java:21)",'
                   '"com.acme.loyalty.handler.PointsBalanceHandler.handleRequest(PointsBalanceHandler.java:47)",'
                   '"com.acme.loyalty.handler.PointsBalanceHandler.handleRequest(PointsBalanceHandler.java:22)"]}') % mid
            out.append((0.03, err))
            return out, r.uniform(20, 45), r.randint(190, 230), "error"
        mid = r.randint(1200000000, limit - 4000)
        out = [(0.01, f"{plain_ts(t, ms=False)} {rid} INFO  PointsBalanceHandler - GET /members/{mid}/points")]
        if r.random() < 0.08:
            out.append((0.02, f"{plain_ts(t, ms=False)} {rid} WARN  TierCache - tier cache miss for member {mid}, loading from DynamoDB"))
        d = r.uniform(35, 110)
        out.append((d / 1000, f"{plain_ts(t + d / 1000, ms=False)} {rid} INFO  PointsBalanceHandler - balance member={mid} points={r.randint(0, 90000)} tier={r.choice(['BASE', 'SILVER', 'GOLD'])}"))
        return out, d, r.randint(190, 230), None

    stats = lambda_invocations(rng, sink, f"/aws/lambda/{fn}", streams, lambda m: rng.poisson(44 * diurnal(m, 0.1, 11)), body, 1024, log_start,
                               version="14")
    by = {s[0]: s for s in stats}
    metrics = lambda_set(rng, fn, inv=lambda t: 44 * diurnal(t, 0.1, 11), err=lambda t: 0.0, dur=lambda t: 70, conc=lambda t: 1.4, stats=stats)
    metrics += apigw_rest_set(rng, api, count=lambda t: (by[t][1] if t in by else 44 * diurnal(t, 0.1, 11)) + 18,
                              e4xx=lambda t: 1.4, e5xx=lambda t: by[t][2] if t in by else 0.0, latency=lambda t: 96)
    metrics += lambda_set(rng, "member-signup", inv=lambda t: 3.1, err=lambda t: 0.0, dur=lambda t: 180, conc=lambda t: 1)
    metrics += lambda_set(rng, "points-expiry", inv=lambda t: 1, err=lambda t: 0.0, dur=lambda t: 2400, conc=lambda t: 1)
    resources = [
        {"type": "lambda", "id": fn, "properties": {"runtime": "java21", "timeout": 15, "memory_size": 1024, "trigger": f"apigateway:{api}"}},
        {"type": "lambda", "id": "member-signup", "properties": {"runtime": "java21", "timeout": 15, "memory_size": 512}},
        {"type": "lambda", "id": "points-expiry", "properties": {"runtime": "java21", "timeout": 300, "memory_size": 1024}},
        {"type": "apigateway", "id": api, "properties": {"api_id": "h3k8w1p5zq", "protocol": "REST", "stage": "prod",
                                                         "integration": f"AWS_PROXY lambda:{fn}"}},
        {"type": "apigateway", "id": "partner-webhooks", "properties": {"api_id": "b6n2d9r4xt", "protocol": "REST", "stage": "prod"}},
    ]
    changes = [change(-5400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "points-expiry", "bitbucket-pipelines"),
               change(-2400, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", "partner-webhooks", "bitbucket-pipelines")]
    metrics += apigw_rest_set(rng, "partner-webhooks", count=lambda t: 9, e4xx=lambda t: 0.3, e5xx=lambda t: 0.02, latency=lambda t: 150)
    alarms = [alarm("loyalty-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 3, "GreaterThanThreshold", -1260,
                    description="Loyalty API server errors")]
    doc = scenario("h21-12-points-balance-member-id-overflow",
                   "Some app users see 'points unavailable'; loyalty API 5xx alarm.",
                   region, resources, metrics, sink.entries(), alarms, changes,
                   {"alarm": "loyalty-api-5xx",
                    "root_cause": {"category": "application_error", "resource": [fn]},
                    "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]})
    meta = {"placement": "front (REST API)",
            "decoys": "points-expiry deploy 1.5 h earlier; API deployment of partner-webhooks at -40 min (5 min before the first error); constant tier-cache-miss WARNs",
            "story": f"member-signup hands out sequential member ids, and at about -35 min they passed {limit} (Integer.MAX_VALUE). "
                     "Every balance lookup for one of these new members makes points-balance throw an unhandled "
                     "java.lang.NumberFormatException ('For input string: \"2147483650\"') in MemberIdParser.parse, and the API "
                     "returns 502; errors grow as more new members open the app. Nothing was deployed to points-balance or "
                     "loyalty-api; no resource or dependency is at fault. Unhandled exceptions with no preceding change are "
                     "application_error, origin points-balance."}
    return doc, meta
