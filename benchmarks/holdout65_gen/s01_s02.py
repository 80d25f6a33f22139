"""h65-01 (Node Lambda, bad deployment) and h65-02 (ALB listener rule change)."""
from __future__ import annotations

import json

from .common import GRID, Scenario, diurnal, step
from .kit import alb, alb_id, binom, counts, ecs, emit, request_times, run_lambda, smooth, tg_id
from .runtimes import LambdaLogs, jline


# --------------------------------------------------------------------------- 01
def s01() -> Scenario:
    sc = Scenario(1, "partner-webhook-mapper", "Errors alarm on the partner webhook function; "
                  "two partners say deliveries are not acknowledged.", "ap-southeast-2",
                  seed=6501, now_iso="2026-03-12T04:10:00")
    fn, other = "partner-hooks", "partner-hooks-replay"
    deploy, decoy, onset = -3300, -3240, -3190
    sc.resource("lambda", fn, runtime="nodejs22.x", timeout=30, memory_size=256, handler="dist/index.handler")
    sc.resource("lambda", other, runtime="nodejs22.x", timeout=120, memory_size=512)
    rng = sc.rng
    inv = counts(sc, lambda t: 1.1 * diurnal(sc, t, peak_hour=3.0, amp=0.3))
    err = binom(sc, inv, lambda t: 0.018 + (0.42 if t >= onset else 0.0))
    partners = ["acme-freight", "bluegum", "kitefin", "harbourline"]
    ll = LambdaLogs(sc, fn, "nodejs22.x", 256, 30, epochs=((-10 ** 9, "41"), (deploy + 20, "42")),
                    mem_used=(92, 8), retire=(deploy + 20,))

    def body(l, t, rid, is_err, cold):
        p = rng.choice(partners)
        ms = int(sc.epoch_ms(t))
        base = {"pid": 8, "hostname": "169.254.%d.%d" % (rng.randint(1, 60), rng.randint(2, 250)),
                "reqId": rid}
        lines = [(0.004, jline({"level": 30, "time": ms, **base, "partner": p,
                                "msg": "delivery received"}))]
        if not is_err:
            d = max(25.0, rng.gauss(118, 35))
            lines.append((d / 1000 - 0.003, jline({"level": 30, "time": ms + int(d), **base,
                                                   "partner": p, "ms": int(d), "msg": "delivery acked"})))
            if rng.random() < 0.07:
                lines.append((0.02, jline({"level": 40, "time": ms + 20, **base, "partner": p,
                                           "msg": "duplicate delivery id, skipping side effects"})))
            return {"dur": d, "lines": lines}
        if t >= onset and rng.random() < 0.93:
            d = max(12.0, rng.gauss(41, 9))
            err_obj = {"errorType": "TypeError",
                       "errorMessage": "Cannot read properties of undefined (reading 'currency')",
                       "trace": ["TypeError: Cannot read properties of undefined (reading 'currency')",
                                 "    at normalizeAmount (/var/task/dist/mapper.js:88:31)",
                                 "    at mapDelivery (/var/task/dist/mapper.js:41:19)",
                                 "    at Runtime.handler (/var/task/dist/index.js:27:22)"]}
        else:
            d = max(2000.0, rng.gauss(3050, 200))
            err_obj = {"errorType": "AxiosError", "errorMessage": "Request failed with status code 502",
                       "trace": ["AxiosError: Request failed with status code 502",
                                 "    at settle (/var/task/node_modules/axios/dist/node/axios.cjs:1966:12)",
                                 "    at async ack (/var/task/dist/ack.js:19:5)"]}
        lines.append((d / 1000 - 0.002, f"{sc.iso(t + d / 1000)}\t{rid}\tERROR\tInvoke Error \t"
                      + json.dumps(err_obj, separators=(",", ":"))))
        return {"dur": d, "lines": lines}

    run_lambda(sc, ll, inv, err, body)
    # the replay helper runs a handful of times an hour
    inv2 = counts(sc, lambda t: 0.08)
    ll2 = LambdaLogs(sc, other, "nodejs22.x", 512, 120, mem_used=(140, 10),
                     retire=(decoy + 15,), epochs=((-10 ** 9, "$LATEST"),))

    def body2(l, t, rid, is_err, cold):
        n = rng.randint(0, 3)
        return {"dur": rng.gauss(600 + 400 * n, 80),
                "lines": [(0.01, jline({"level": 30, "time": sc.epoch_ms(t), "reqId": rid,
                                        "msg": "replay sweep", "requeued": n}))]}
    run_lambda(sc, ll2, inv2, {}, body2)
    for t, src, ev, name, user in [
        (deploy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", fn, "gha-deploy"),
        (deploy + 12, "lambda.amazonaws.com", "PublishVersion20150331", fn, "gha-deploy"),
        (deploy + 20, "lambda.amazonaws.com", "UpdateAlias20150331", fn, "gha-deploy"),
        (decoy, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", other, "mia.chen"),
        (-15900, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", fn, "mia.chen"),
    ]:
        sc.change(t, src, ev, "AWS::Lambda::Function", name, user)
    sc.alarm("partner-hooks-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 900, 1, 3,
             "GreaterThanOrEqualToThreshold", "Partner webhook handler errors (15 min)")
    sc.alarm("partner-hooks-replay-errors", "AWS/Lambda", "Errors", {"FunctionName": other}, "Sum",
             900, 1, 1, "GreaterThanOrEqualToThreshold")
    sc.expect = {"alarm": "partner-hooks-errors",
                 "root_cause": {"category": "bad_deployment", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        where="origin", services="Lambda", runtime="Node.js 22, pino JSON",
        decoys="config update on the replay function 60 s after the deploy; old AxiosError 502s at ~1/hour; "
               "a second (OK) alarm on the replay function",
        story="A Node.js webhook function takes about one delivery a minute, with gaps. The CI user publishes "
              "version 42 at -55 min, and within two minutes a new `TypeError: Cannot read properties of "
              "undefined (reading 'currency')` in `mapper.js` appears on about 40 % of invocations. Before "
              "that, none of the six hours of logs has it. A teammate's memory change to the replay helper "
              "lands a minute after the deploy and is the change closest to onset, but that function's "
              "metrics and logs are unchanged. The AxiosError 502 acks are loud, but they run at the same "
              "rate of about one an hour for the whole window. The new signature after a code deploy makes "
              "this `bad_deployment` on `partner-hooks`.")
    return sc


# --------------------------------------------------------------------------- 02
def s02() -> Scenario:
    sc = Scenario(2, "listener-rule-api", "ELB 5XX alarm on the public load balancer; the web app "
                  "shows 'Service Temporarily Unavailable' on every API call.", "eu-west-1",
                  seed=6502, now_iso="2026-05-06T10:25:00")
    lbname = "edge-public"
    lb, tg_api, tg_canary = alb_id(sc, lbname), tg_id(sc, "core-api"), tg_id(sc, "api-canary")
    cluster, svc, worker = "core", "api", "jobs"
    rule, deploy = -2220, -2130
    sc.resource("alb", lb, name=lbname, scheme="internet-facing",
                listeners=["HTTPS:443 -> rules: /api/* -> core-api, default -> core-api"],
                target_groups=[tg_api.split("/")[1], tg_canary.split("/")[1]])
    sc.resource("ecs", f"{cluster}/{svc}", launch_type="FARGATE", desired_count=1, cpu=512, memory=1024,
                log_groups=[f"/ecs/{svc}"])
    sc.resource("ecs", f"{cluster}/{worker}", launch_type="FARGATE", desired_count=1, cpu=256, memory=512)
    rng = sc.rng
    api_req = counts(sc, lambda t: 5.5 * diurnal(sc, t, 13, 0.3))
    other_req = counts(sc, lambda t: 1.6 * diurnal(sc, t, 13, 0.3))
    routed_away = {m: (api_req[m] if m >= rule else 0) for m in GRID}
    req = {m: api_req[m] + other_req[m] for m in GRID}
    elb5 = {m: routed_away[m] + (1 if rng.random() < 0.004 else 0) for m in GRID}
    tgt_req = {m: req[m] - routed_away[m] for m in GRID}
    rt = smooth(sc, lambda t: 0.034 + step(t, deploy, 0, 0.02, 60) * (t < deploy + 240), noise=0.2)
    t5 = {m: (1 if rng.random() < 0.01 else 0) for m in GRID}
    alb(sc, lb, tg_api, req, t5, {m: v for m, v in rt.items() if tgt_req[m] > 0}, elb5xx=elb5,
        healthy={m: 1.0 if not (deploy + 60 <= m < deploy + 180) else 2.0 for m in GRID},
        unhealthy={m: 0.0 for m in GRID})
    ecs(sc, cluster, svc, smooth(sc, lambda t: 9 * diurnal(sc, t, 13, 0.3) + 30 * ((deploy < t < deploy + 150)),
                                 noise=0.15),
        smooth(sc, lambda t: 31 + 2 * step(t, deploy, 0, 1), noise=0.03))
    ecs(sc, cluster, worker, smooth(sc, lambda t: 4, noise=0.3), smooth(sc, lambda t: 22, noise=0.02))
    # target access logs (slog text handler, logfmt) for every request that reached the task
    grp = f"/ecs/{svc}"
    old_task, new_task = sc.hexid(32), sc.hexid(32)
    paths = ["/api/v1/items", "/api/v1/items/%d", "/api/v1/cart", "/api/v1/session"]
    stat = ["/static/app.%s.js" % sc.hexid(8), "/static/app.css", "/favicon.ico", "/"]
    for t in request_times(sc, {m: (api_req[m] if m < rule else 0) for m in GRID}):
        task = old_task if t < deploy + 100 else new_task
        p = rng.choice(paths)
        p = p % rng.randint(1000, 9999) if "%d" in p else p
        st = 200 if rng.random() > 0.03 else 404
        sc.log(grp, f"ecs/api/{task}", t, f'time={sc.iso(t)} level=INFO msg=request method=GET path={p} '
               f'status={st} dur_ms={max(2, int(rng.gauss(28, 9)))} remote={sc.ip()}')
    for t in request_times(sc, other_req):
        task = old_task if t < deploy + 100 else new_task
        sc.log(grp, f"ecs/api/{task}", t, f'time={sc.iso(t)} level=INFO msg=request method=GET '
               f'path={rng.choice(stat)} status=200 dur_ms={max(1, int(rng.gauss(4, 2)))} remote={sc.ip()}')
    for t in range(-21600, 0, 30):  # health checks, every 30 s
        task = old_task if t < deploy + 100 else new_task
        if rng.random() < 0.35:  # only a sample is logged at debug level
            sc.log(grp, f"ecs/api/{task}", t + rng.uniform(0, 1),
                   f'time={sc.iso(t)} level=DEBUG msg=request method=GET path=/healthz status=200 '
                   f'dur_ms=0 ua=ELB-HealthChecker/2.0')
    for t in range(-21600, 0, 1800):
        sc.log(grp, f"ecs/api/{old_task if t < deploy + 100 else new_task}", t + 7.2,
               f'time={sc.iso(t + 7.2)} level=WARN msg="token cache refresh slow" waited_ms={rng.randint(900, 2400)}')
    for t, line in [(deploy + 70, 'level=INFO msg="starting server" version=1.19.3 addr=:8080'),
                    (deploy + 71, 'level=INFO msg="db pool ready" size=5'),
                    (deploy + 140, 'level=INFO msg="shutting down" reason=SIGTERM'),
                    (deploy + 141, 'level=INFO msg="server stopped" inflight=0')]:
        task = new_task if t < deploy + 100 else old_task
        sc.log(grp, f"ecs/api/{task}", t, f"time={sc.iso(t)} {line}")
    wgrp = f"/ecs/{worker}"
    for t in range(-21600, 0, 300):
        sc.log(wgrp, "ecs/jobs/5b0e7c1d9a2f4e86b3c4d5e6f7a8b9c0", t + 3,
               f'time={sc.iso(t + 3)} level=INFO msg="sweep done" expired_sessions={rng.randint(0, 12)}')
    sc.change(rule - 40, "elasticloadbalancing.amazonaws.com", "CreateTargetGroup",
              "AWS::ElasticLoadBalancingV2::TargetGroup", tg_canary.split("/")[1], "dan.okafor")
    rule_arn = (f"arn:aws:elasticloadbalancing:{sc.region}:{sc.account}:listener-rule/{lb}/"
                f"{sc.hexid(16)}/{sc.hexid(16)}")
    sc.change(rule, "elasticloadbalancing.amazonaws.com", "ModifyRule",
              "AWS::ElasticLoadBalancingV2::ListenerRule", rule_arn, "dan.okafor")
    sc.change(deploy - 8, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "api:58", "github-actions")
    sc.change(deploy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}",
              "github-actions")
    sc.alarm("edge-public-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb},
             "Sum", 300, 1, 5, "GreaterThanThreshold", "Load balancer generated 5xx (5 min)")
    sc.alarm("edge-public-target-latency", "AWS/ApplicationELB", "TargetResponseTime",
             {"LoadBalancer": lb}, "Average", 300, 3, 1.0, "GreaterThanThreshold")
    sc.expect = {"alarm": "edge-public-elb-5xx",
                 "root_cause": {"category": "config_change", "resource": [lb, lbname]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = dict(
        where="origin (ALB); ECS behind it is healthy", services="ALB, ECS", runtime="Go, slog logfmt",
        decoys="ECS deploy of the service behind the ALB 90 s after the rule change, and nearest to the "
               "alarm; a benign CPU blip on the new task; old 'token cache refresh slow' warnings",
        story="A one-task Go API on Fargate sits behind a public ALB that serves about seven requests a minute. "
              "At -37 min an engineer creates an empty `api-canary` target group and modifies the listener "
              "rule for `/api/*`. From that minute on, `HTTPCode_ELB_5XX_Count` matches the API request rate. "
              "The task's own access log shows `/api/` requests stopping, while static paths and "
              "health checks keep arriving, and it never logs a 5xx. A GitHub Actions deploy of the same "
              "service 90 s later is the change nearest the alarm and comes with a short CPU blip, but the "
              "API traffic had already vanished from the task before it started. The 5xx come from the load "
              "balancer, not the target, so this is a `config_change` on the ALB.")
    return sc
