"""Scenarios 05-06: a real surge beside a hot but unrelated host; a limit reached by ordinary growth."""
from __future__ import annotations

import json

import numpy as np

from . import kit
from . import logfmt as lf
from .common import Scn


def pino(s: Scn, t: float, level: int, host: str, msg: str, **fields) -> str:
    d = {"level": level, "time": int((s.wall(t).timestamp()) * 1000), "pid": 1, "hostname": host}
    d.update(fields)
    d["msg"] = msg
    return json.dumps(d, separators=(",", ":"))


# ---------------------------------------------------------------------------------------------
def h20_05() -> tuple[dict, dict]:
    s = Scn("h20-05-storefront-latency-flash-sale", 2005, "us-east-1", "2026-11-20T18:00:00",
            "Storefront pages slow; storefront-alb latency alarm and an etl-runner CPU alarm both firing.")
    lb, lb_name = "app/storefront-alb/8c1e5f2a9b3d4e60", "storefront-alb"
    cluster, svc = "web", "storefront"
    etl, etl_name = "i-0e7d4c2b9a8f61350", "etl-runner-1"
    onset = -2580
    s.res("alb", lb, name=lb_name, scheme="internet-facing", target_group="storefront-tg", idle_timeout_s=60)
    s.res("ecs", f"{cluster}/{svc}", launch_type="FARGATE", cpu=2048, memory=4096, desired_count=6,
          autoscaling="target tracking CPU 60 %, min 6, max 12",
          environment={"NODE_ENV": "production", "RECS_URL": "http://recs.internal:8080", "PORT": "3000"})
    s.res("ec2", etl, name=etl_name, instance_type="c6i.2xlarge", role="nightly and intraday reconciliation ETL",
          log_groups=["/etl/reconcile"])

    day = s.daily(0.2, 19.0)
    ramp = s.step(onset, ramp=180)
    surge = 1 + ramp * (3.6 - 0.25 * np.clip((s.t - onset) / 2580, 0, 1))
    req = s.counts(3800 * day * surge)
    tasks_n = np.where(s.t < onset + 420, 6.0, np.where(s.t < onset + 900, 9.0, 12.0))
    load = req / (tasks_n * 3800 / 6)
    cpu = s.gauge(100 * (1 - np.exp(-0.42 * load)), 1.6, lo=5, hi=95)
    rt = s.gauge(0.17, 0.012, lo=0.08) + ramp * s.gauge(2.3 - 0.6 * (tasks_n - 6) / 6, 0.15, lo=0.4)
    t5 = s.counts(0.4 + req * 0.0035 * ramp)
    e5 = s.counts(0.05 + req * 0.0009 * ramp)
    kit.alb_metrics(s, lb, req, rt, t5, e5, tasks_n, np.zeros_like(req), t4xx=s.counts(req * 0.008))
    kit.ecs_metrics(s, cluster, svc, cpu, s.gauge(46 + 6 * ramp, 1.0, lo=30), tasks_n)

    burst = ((s.t >= -12300) & (s.t < -11040)) | (s.t >= -3300)
    e_cpu = np.where(burst, s.gauge(99.2, 0.6, lo=96, hi=100), s.gauge(4, 1.2, lo=0.5))
    kit.ec2_metrics(s, etl, e_cpu, s.gauge(2.1e6, 3e5, lo=2e5) + burst * 4.1e7, s.gauge(38 + 31 * burst, 1.5),
                    s.gauge(61.2, 0.05))

    # storefront tasks (pino JSON): a request-completed sample, event-loop lag once a minute when lagging
    tasks = kit.Tasks(s, svc)
    hosts = {}
    for k in range(12):
        start = -80000 if k < 6 else (onset + 360 if k < 9 else onset + 840) + float(s.rng.uniform(0, 60))
        tid = tasks.add(start)
        hosts[tid] = f"ip-10-0-{int(s.rng.integers(16, 48))}-{int(s.rng.integers(2, 250))}.ec2.internal"
        if k >= 6:
            tasks.emit(start + 3, pino(s, start + 3, 30, hosts[tid], "ready - started server on 0.0.0.0:3000, "
                                      "url: http://localhost:3000", app="storefront", version="14.8.2"), tid)
    pages = ["/", "/c/outerwear", "/c/shoes", "/p/{sku}", "/cart", "/api/stock/{sku}"]
    n_log = s.rng.binomial(req.astype(int), 0.0011)
    for i, n in enumerate(n_log):
        for _ in range(int(n)):
            tt = s.t[i] + float(s.rng.uniform(0, 59))
            live = tasks.running(tt)
            tid = live[int(s.rng.integers(len(live)))]
            hot = tt >= onset + 60
            url = s.pick(pages).replace("{sku}", f"SKU-{int(s.rng.integers(10000, 99999))}")
            if hot and s.rng.random() < 0.62:
                url = "/deals/flash-sale?utm_source=push&utm_medium=app&utm_campaign=flash_sale_1120"
            ms = int(s.rng.gamma(3, 60 if not hot else 750))
            code = 200
            if hot and s.rng.random() < 0.004:
                code = 503
                tasks.emit(tt, pino(s, tt, 50, hosts[tid], "render timed out after 8000ms",
                                    req={"method": "GET", "url": url}, err={"type": "TimeoutError"}), tid)
            if s.rng.random() < 0.0035:
                tasks.emit(tt, pino(s, tt, 50, hosts[tid], "recommendations fetch failed: timeout of 800ms exceeded; "
                                    "serving bestsellers", upstream="http://recs.internal:8080/v2/recs"), tid)
            tasks.emit(tt + ms / 1000, pino(s, tt + ms / 1000, 30, hosts[tid], "request completed",
                                            req={"method": "GET", "url": url,
                                                 "remoteAddress": s.ip(s.pick(["73.14", "98.22", "24.61", "172.58"]))},
                                            res={"statusCode": code}, responseTime=ms), tid)
    for tt in np.arange(onset + 75, 0, 60.0):
        for tid in tasks.running(tt):
            lag = int(s.rng.normal(380 - 15 * (len(tasks.running(tt)) - 6), 60))
            if lag > 200:
                te = tt + float(s.rng.uniform(0, 50))
                tasks.emit(te, pino(s, te, 40, hosts[tid], f"event loop lag {lag}ms", lag=lag), tid)
    tasks.flush(f"/ecs/{svc}")

    etl_ev = []
    for a, b, run, total in ((-12300, -11040, "r-20261120-1500", 30), (-3300, 0, "r-20261120-1700", 96)):
        etl_ev.append((a + 2, f"{s.stamp(a + 2)},114 INFO reconcile.main: starting run {run} (ledger vs. PSP settlements, "
                              f"{total * 50000} rows)"))
        for k, tt in enumerate(np.arange(a + 40, b, 42.0)):
            etl_ev.append((tt, f"{s.stamp(tt)},{int(s.rng.integers(100, 999))} INFO reconcile.batch: batch {k + 1}/{total} "
                               f"rows=50000 matched={int(s.rng.integers(49800, 50000))} elapsed={s.rng.uniform(38, 46):.1f}s"))
            if k == total - 1:
                etl_ev.append((tt + 3, f"{s.stamp(tt + 3)},551 INFO reconcile.main: run {run} finished, "
                                       f"{int(s.rng.integers(20, 90))} unmatched rows written to s3://ledger-recon/out/"))
                break
    s.log("/etl/reconcile", etl, etl_ev)

    s.change(-19000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}", "github-actions-web")
    s.change(onset + 300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}",
             "AWSServiceRoleForApplicationAutoScaling_ECSService")
    s.change(onset + 780, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}",
             "AWSServiceRoleForApplicationAutoScaling_ECSService")

    s.alarm(f"{etl_name}-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": etl}, "Average", 300, 2, 90,
            description="etl-runner-1 CPU above 90 %")
    s.alarm(f"{lb_name}-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 3, 1.0,
            description="storefront p50 response time above 1 s", not_before=onset)
    doc = s.build(f"{lb_name}-latency", "traffic_surge", [lb_name, lb, f"{cluster}/{svc}", svc],
                  [("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": lb})])
    meta = {"front": "front (ALB of the overloaded service)",
            "decoys": "etl-runner-1 pinned at 100 % CPU with its own alarm in ALARM (a scheduled run, off the request "
                      "path); autoscaling UpdateService events during the incident; release 5 h earlier; standing "
                      "recommendations-timeout errors",
            "text": "A push campaign (`utm_campaign=flash_sale_1120`) multiplied storefront traffic by about 4.5 within "
                    "three minutes. Response time went from 0.17 s to over 2 s, event-loop lag warnings appear and "
                    "autoscaling took the service from 6 to its maximum of 12 tasks, which eased but did not cure it. "
                    "The storefront's CPU runs high with the load but never pins, there is no deployment, no dependency "
                    "error beyond the recommendations timeout that has been there all day at the same per-request "
                    "rate, and no throttle or limit message. The second alarm in ALARM, etl-runner-1 at 100 % CPU, is "
                    "a reconciliation job that already ran (and pinned the CPU) three hours earlier and is not on the "
                    "storefront's request path. Request volume far above normal with no other fault: traffic_surge, "
                    "origin the storefront ALB / service."}
    return doc, meta


# ---------------------------------------------------------------------------------------------
def h20_06() -> tuple[dict, dict]:
    s = Scn("h20-06-partner-api-429-stage-limit", 2006, "eu-central-1", "2026-11-20T08:40:00",
            "Partners report HTTP 429 from the order API; partner-api 4XX alarm.")
    api, api_id, fn = "partner-api", "p8x2k4m7qa", "partner-orders"
    limit = 6000.0
    s.res("apigateway", api, api_id=api_id, stage="prod", endpoint_type="REGIONAL", usage_plan="partners-standard",
          stage_throttle_rate_limit_rps=100, stage_throttle_burst_limit=200, throttle_settings_last_changed="2026-06-03")
    s.res("lambda", fn, runtime="python3.12", timeout=15, memory_size=512, handler="partner_orders.handler",
          environment={"ORDERS_TABLE": "partner-orders-prod", "LOG_LEVEL": "INFO"})

    growth = np.clip((s.t + 14000) / 14000, 0, 1) ** 1.3      # partners' business day getting going
    attempted = s.counts((5200 + 1250 * growth) * (1 + 0.015 * np.sin(s.t / 1300.0)))
    x = (attempted - limit) / 140.0
    throttled = s.counts(140.0 * np.log1p(np.exp(np.clip(x, -50, 50))))
    throttled = np.minimum(throttled, attempted)
    other4 = s.counts(attempted * 0.009)
    inv = attempted - throttled - other4
    e5 = s.counts(0.3 * np.ones_like(s.t))
    lat = s.gauge(118, 6, lo=60)
    kit.apigw_metrics(s, api, attempted, throttled + other4, e5, lat, lat - s.gauge(9, 1, lo=3))
    state_changed = s.alarm(f"{api}-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api}, "Sum", 60, 5, 250,
                            description="partner-api 4XX responses above 250/min", not_before=-6000, to_alarm=3)
    deploy = int(state_changed - 760)
    dur = s.gauge(104, 7, lo=40)
    kit.lambda_metrics(s, fn, inv, e5, dur, conc=np.round(inv / 60 * dur / 1000 * 1.6 + s.rng.poisson(1, inv.shape)))

    partners = ["acme-retail", "bluefin-markets", "cedar-home", "dunmore-outdoor", "evergreen-pets", "fjord-kitchen"]

    def ok(t: float, rid: str):
        p = s.pick(partners)
        body = [(0.002, lf.py(s, t, "INFO", rid, f"POST /v2/orders partner={p} order=PO-{int(s.rng.integers(10**6, 10**7))} "
                              f"lines={int(s.rng.integers(1, 12))}")),
                (0.09, lf.py(s, t + 0.09, "INFO", rid, "order accepted status=202"))]
        return body, float(s.rng.gamma(8, 13)), int(s.rng.integers(101, 118)), None

    def bad(t: float, rid: str):
        frames = [("/var/task/partner_orders/handler.py", 37, "handler", "return submit(order)"),
                  ("/var/task/partner_orders/submit.py", 64, "submit", "table.put_item(Item=item, ConditionExpression=COND)")]
        return [(0.002, lf.py(s, t, "INFO", rid, f"POST /v2/orders partner={s.pick(partners)} order=PO-"
                              f"{int(s.rng.integers(10**6, 10**7))}")),
                (0.3, lf.py_unhandled("ClientError", "An error occurred (InternalServerError) when calling the PutItem "
                                      "operation (reached max retries: 3): Internal server error", frames))], 310.0, 112, None

    def banner(t: float, rid: str, ver: str) -> str:
        if t >= deploy + 5:
            return ("/var/task/partner_orders/util/clock.py:14: DeprecationWarning: datetime.datetime.utcnow() is "
                    "deprecated and scheduled for removal in a future version. Use timezone-aware objects to represent "
                    "datetimes in UTC: datetime.datetime.now(datetime.UTC).\n  now = datetime.datetime.utcnow()")
        return lf.py(s, t, "INFO", rid, "partner-orders 2.3.9 cold start (boto3 1.35.36)")

    kit.lambda_logs(s, fn, inv, e5, 0.0006, ok, bad, "python3.12", 512, envs=6, life=4800.0, banner=banner,
                    recycle=(deploy + 5,))

    acc = []
    sample = s.rng.binomial(attempted.astype(int), 0.002)
    for i, n in enumerate(sample):
        tot = max(attempted[i], 1)
        for _ in range(int(n)):
            tt = s.t[i] + float(s.rng.uniform(0, 59))
            r = s.rng.random() * tot
            rid = s.uuid()
            if r < throttled[i]:
                acc.append((tt, lf.apigw_access(s, tt, rid, s.ip("185.40"), "POST", "/v2/orders", 429, 1, "-", "-",
                                                "Too Many Requests")))
            elif r < throttled[i] + other4[i]:
                acc.append((tt, lf.apigw_access(s, tt, rid, "52.29.114.7", "POST", "/v2/orders", 403, 3, "-", "-",
                                                "Forbidden")))
            else:
                ms = int(s.rng.gamma(8, 14))
                post = s.rng.random() < 0.8
                acc.append((tt, lf.apigw_access(s, tt, rid, s.ip("185.40"), "POST" if post else "GET",
                                                "/v2/orders" if post else "/v2/orders/{id}", 202 if post else 200,
                                                ms + 9, "202" if post else "200", str(ms))))
    s.log(f"/aws/apigateway/{api}/access", "prod", acc)

    s.change(deploy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gitlab-ci")
    s.change(-17000, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", api, "gitlab-ci")

    doc = s.build(f"{api}-4xx", "throttling", [api, api_id],
                  [("AWS/ApiGateway", "4XXError", {"ApiName": api})])
    meta = {"front": "origin (the API whose stage limit binds)",
            "decoys": "release of the backend function ~13 min before the alarm, followed by a new DeprecationWarning; "
                      "steady 403s from one partner's revoked key; old API deployment",
            "text": "Partner traffic rises steadily through the morning, ending only about a quarter above the "
                    "early-morning level, and crosses the stage throttle of 100 requests/s (6000/min) that was set months ago. "
                    "Above that line API Gateway answers `429 Too Many Requests` before the integration runs: the "
                    "Lambda's invocations flatten at the ceiling while Count keeps climbing, Lambda Errors and "
                    "Throttles stay at zero and its concurrency is tiny. This is not a traffic surge (the volume is "
                    "ordinary and nothing else is broken; the fault is a limit), and not the backend release 13 minutes "
                    "before the alarm, whose only new output is a harmless DeprecationWarning. Label: throttling on "
                    "partner-api."}
    return doc, meta
