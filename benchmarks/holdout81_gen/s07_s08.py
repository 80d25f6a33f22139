"""h81-07 (win-notice Lambda at its reserved concurrency, alarm on the API Gateway 5xx) and h81-08
(a partner exchange floods the OpenRTB gateway, alarm on ALB latency)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import LambdaLogs, nginx, pino

from .base import (Tasks, alb, apigw, bump, diurnal, ecs, emit, lam, lambda_code, lambda_config, new,
                   per_minute, ramp, rds)


def build_07():
    sc = new(7, "win-notice-5xx", "Exchanges report failed win notifications (5xx) against the win-notify "
             "API in Ohio.", "us-east-2", "2026-04-24T01:10:00+00:00")
    api, fn, other, api2 = "win-notify-api", "win-notice-handler", "click-redirect", "reporting-api"
    limit, dur = 200, 0.185
    d = lambda t: 0.93 + 0.07 * ramp(t, -21600, -3000)
    rate = lambda t: 60600 * d(t) * (1 + 0.13 * ramp(t, -2400, -1500))     # the evening prime-time block starts (20:30 local)
    demand = lambda t: rate(t) / 60 * dur
    thr = lambda t: max(0.0, rate(t) * (1 - limit / demand(t))) if demand(t) > limit else 0.0
    sc.resource("apigateway", api, api_type="REST", stage="prod", integration="AWS_PROXY win-notice-handler")
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=10, memory_size=512, reserved_concurrency=limit)
    sc.resource("lambda", other, runtime="nodejs20.x", timeout=5, memory_size=256)
    sc.resource("apigateway", api2, api_type="HTTP", stage="$default")
    apigw(sc, api, count=rate, e4=lambda t: 31, e5=lambda t: 0.4 + thr(t), lat=lambda t: 201 - 150 * (thr(t) / rate(t)),
          integ=lambda t: 188)
    lm = lam(sc, fn, inv=lambda t: rate(t) - thr(t), err=lambda t: 2.2, dur=lambda t: dur * 1000,
             conc=lambda t: limit + 60 if demand(t) > limit else demand(t), thr=thr, conc_cap=limit)
    lo = lam(sc, other, inv=lambda t: 9000 * d(t), err=lambda t: 0.3, dur=lambda t: 24, conc=lambda t: 4)
    apigw(sc, api2, count=lambda t: 140, e4=lambda t: 1, e5=lambda t: 0.05, lat=lambda t: 310, integ=lambda t: 290)

    exchanges = ["openx", "magnite", "index", "pubmatic", "triplelift", "sharethrough"]
    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 10, mem_used=(96, 6), max_envs=12)

    def body(ll_, t, rid, is_err, cold):
        ex = sc.rng.choice(exchanges)
        lines = []
        r = sc.rng.random()
        if r < 0.06:
            lines.append((0.01, ll_.fmt(t + 0.01, rid, "WARN", f"duplicate win notice ignored exchange={ex} "
                                        f"auction={sc.hexid(16)}")))
        elif r < 0.08:
            lines.append((0.01, ll_.fmt(t + 0.01, rid, "ERROR", f"signature mismatch exchange={ex} "
                                        f"auction={sc.hexid(16)} - notice rejected")))
        else:
            lines.append((0.15, ll_.fmt(t + 0.15, rid, "INFO", f"win recorded exchange={ex} auction={sc.hexid(16)} "
                                        f"clearing_cpm={sc.rng.uniform(0.3, 7.5):.4f}")))
        return {"dur": sc.rng.gauss(dur * 1000, 25), "lines": lines}

    ll.run(per_minute(lm["inv"], scale=0.0001), {}, body)
    lo_logs = LambdaLogs(sc, other, "nodejs20.x", 256, 5, mem_used=(71, 4), max_envs=4)
    lo_logs.run(per_minute(lo["inv"], scale=0.0002), {}, lambda ll_, t, rid, e, c: {"dur": sc.rng.gauss(24, 4), "lines": [
        (0.01, ll_.fmt(t + 0.01, rid, "INFO", f"302 -> landing campaign={sc.rng.randint(10000, 99999)}"))]})
    eg, es = "API-Gateway-Execution-Logs_k7q2w9x4ad/prod", "k7q2w9x4ad-prod"

    def exec_err(t):
        if sc.rng.random() < 0.55:
            return f"({sc.uuid()}) Lambda invocation failed with status: 429. Lambda request id: {sc.uuid()}"
        return f"({sc.uuid()}) Execution failed due to configuration error: Rate Exceeded."

    emit(sc, eg, es, lambda t: min(8.0, thr(t) / 300), exec_err)
    emit(sc, eg, es, lambda t: 0.2, lambda t: f"({sc.uuid()}) Method completed with status: 400")

    sc.change(-2000, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", api2,
              "serverless-deploy")
    lambda_code(sc, -1860, other, "serverless-deploy", publish=True)
    sc.alarm("win-notify-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 100,
             "GreaterThanThreshold", "Win notifications failing")
    sc.alarm("win-notice-handler-duration", "AWS/Lambda", "Duration", {"FunctionName": fn}, "Average", 300, 3, 1000,
             "GreaterThanThreshold")
    sc.alarm("click-redirect-errors", "AWS/Lambda", "Errors", {"FunctionName": other}, "Sum", 300, 1, 20,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "win-notify-api-5xx", "root_cause": {"category": "throttling", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        front="front (API Gateway)", services="API Gateway x2, Lambda (Node) x2",
        decoys="API deployment on another API 1 min before the onset and a code deploy of a sibling Lambda 1 min "
               "after it; steady duplicate/signature-mismatch errors in the handler",
        story="Win notices flow API Gateway -> `win-notice-handler` (reserved concurrency 200, 185 ms per call). "
              "The evening prime-time block (from 20:30 local) raises the notice rate by ~13 % (within the evening's normal range), "
              "ConcurrentExecutions pins at exactly 200 and Throttles rise to several thousand a minute; API Gateway "
              "logs `Lambda invocation failed with status: 429` / `Rate Exceeded` and its 5XXError alarm fires. "
              "Duration and the handler's own error rate are flat; the two deployments are on other resources.")
    return sc


def build_08():
    sc = new(8, "ortb-gateway-latency", "OpenRTB gateway response times are far over the exchanges' tmax in "
             "São Paulo; latency alarm and ELB 5xx alarm firing.", "sa-east-1", "2026-04-25T23:30:00+00:00")
    lb, cl, svc, fn, db = ("app/ortb-gw-sae1/9e2f4a6c8b0d1357", "rtb-sae1", "ortb-gateway", "pacing-sae1",
                           "campaign-sae1")
    T_s = -1800
    s = lambda t: ramp(t, T_s, T_s + 180)
    scale_steps = [(-1680, 18), (-1500, 24), (-1320, 30)]
    tasks_n = lambda t: max([12] + [n for ts, n in scale_steps if t >= ts + 90])
    sc.resource("alb", lb, name="ortb-gw-sae1", scheme="internet-facing")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=30, min_capacity=12, max_capacity=30,
                container_runtime="node20", sidecar="nginx")
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=30, memory_size=512)
    sc.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.r6g.large",
                max_connections=1600, allocated_storage_gb=200)
    d = lambda t: diurnal(sc, t, peak_hour=23, amp=0.2)
    base = lambda t: 41000 * d(t) * (1 + bump(t, -14400, -14100, 0.6, edge=60))
    req = lambda t: base(t) + 150000 * s(t)
    over = lambda t: s(t) * (12 / tasks_n(t)) ** 0.5
    alb(sc, lb, req=req, rt=lambda t: 0.021 + 0.12 * over(t), t5=lambda t: 3 + 900 * over(t),
        e5=lambda t: 0.3 + 1800 * over(t), healthy=lambda t: tasks_n(t) - (2 if s(t) > 0.5 and t % 240 < 60 else 0),
        unhealthy=lambda t: 2 if s(t) > 0.5 and t % 240 < 60 else 0)
    ecs(sc, cl, svc, cpu=lambda t: min(86.0, 38 * d(t) + 46 * over(t)), mem=lambda t: 45 + 10 * s(t),
        running=tasks_n)
    lam(sc, fn, inv=lambda t: 12, err=lambda t: 0.02, dur=lambda t: 640, conc=lambda t: 1)
    rds(sc, db, cpu=lambda t: 19 * d(t), conns=lambda t: 240, free_gb=lambda t: 141.2, freeable_gb=lambda t: 6.8)

    tasks = Tasks(sc, "ecs", "nginx", [(-40000, 6)])
    app = Tasks(sc, "ecs", "ortb-gateway", [(-40000, 6)])
    app.epochs = [(t0, [x.replace("/nginx/", "/ortb-gateway/") for x in tasks.epochs[0][1]])
                  for t0, _ in app.epochs]
    ssps = [(3, "smaato"), (3, "vtex-ads"), (2, "openx"), (2, "magnite"), (1, "pubmatic")]

    def access(t):
        x = s(t)
        ssp = "brx-exchange" if sc.rng.random() < x * 0.78 else sc.rng.choice([n for w, n in ssps for _ in range(w)])
        ov = over(t)
        r = sc.rng.random()
        st = 503 if r < 0.03 * ov else (204 if r < 0.45 else 200)
        rt = sc.rng.uniform(0.008, 0.03) + (sc.rng.uniform(0.05, 0.3) * ov)
        ua = "brx-rtb/3.2 (+https://brx.example/rtb)" if ssp == "brx-exchange" else f"{ssp}-bidrequest/2.6"
        return nginx(sc, t, f"177.{sc.rng.randint(16, 80)}.{sc.rng.randint(0, 255)}.{sc.rng.randint(2, 250)}",
                     "POST", f"/openrtb2/auction?ssp={ssp}", st, 0 if st == 204 else sc.rng.randint(600, 2400), rt, ua=ua)

    emit(sc, "/ecs/ortb-gateway-nginx", tasks, lambda t: req(t) / 10000, access)
    host = lambda: f"ip-10-60-{sc.rng.randint(1, 40)}-{sc.rng.randint(2, 250)}.sa-east-1.compute.internal"
    ag = "/ecs/ortb-gateway"
    emit(sc, ag, app, lambda t: 2, lambda t: pino(sc, t, "info", "auction", host(), ssp=sc.rng.choice(
        ["smaato", "vtex-ads", "openx", "brx-exchange" if s(t) > 0.3 else "magnite"]), bids=sc.rng.randint(0, 3),
        ms=sc.rng.randint(8, 25)))
    emit(sc, ag, app, lambda t: 0.3, lambda t: pino(sc, t, "error", "pacing snapshot fetch failed, using cached",
         host(), err={"type": "AbortError", "message": "The operation was aborted due to timeout"}))
    emit(sc, ag, app, lambda t: 5 * over(t), lambda t: pino(sc, t, "warn", sc.rng.choice(
        ["event loop lag high", "inflight limit reached, shedding with 503"]), host(),
        lagMs=sc.rng.randint(120, 420), inflight=2048))

    lambda_config(sc, -1950, fn, "l.souza")
    for ts, n in scale_steps:
        sc.change(ts, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
                  "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.alarm("ortb-gw-sae1-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average",
             60, 3, 0.08, "GreaterThanThreshold", "Gateway latency above the exchanges' tmax budget")
    sc.alarm("ortb-gw-sae1-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum",
             60, 3, 500, "GreaterThanThreshold")
    sc.alarm("ortb-gateway-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": cl, "ServiceName": svc},
             "Average", 300, 2, 90, "GreaterThanThreshold")
    sc.expect = {"alarm": "ortb-gw-sae1-latency",
                 "root_cause": {"category": "traffic_surge",
                                "resource": [lb, "ortb-gw-sae1", f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = dict(
        front="origin (the ALB that took the surge)", services="ALB, ECS (Node pino + nginx access), Lambda, RDS",
        decoys="config change on the pacing Lambda 2.5 min before the surge; autoscaling UpdateService events on "
               "the gateway after it; a short benign traffic bump 4 h earlier; a steady pacing-fetch error",
        story="At -30 min RequestCount on `ortb-gw-sae1` went from ~45k to ~195k a minute within three minutes; the "
              "nginx access log shows the new traffic is almost all `ssp=brx-exchange` (user agent `brx-rtb/3.2`). "
              "Nothing related changed before it: autoscaling adds tasks (12 -> 30) afterwards, CPU rises to "
              "~80 % but never pins, and the gateway logs `event loop lag high` / `inflight limit reached, shedding "
              "with 503`, so latency and ELB 5xx follow the volume. The pacing Lambda's config change is unrelated "
              "and that function stays healthy.")
    return sc


BUILDERS = [build_07, build_08]
