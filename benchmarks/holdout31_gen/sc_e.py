"""Scenarios h31-11 .. h31-13."""
import json

from .common import Ctx, MINUTES, LOG_FROM, diurnal, ramp, events_per_minute, every
from .lam import lambda_function, apigw_metrics, apigw_exec_failure, py_trace
from .infra import alb_metrics, ecs_metrics, ec2_metrics, access_line


def minute(t):
    return int(t // 60) * 60


# ---------------------------------------------------------------------------
def s11():
    """Push campaign multiplies traffic 5x; ALB latency and request-count alarms both fire."""
    c = Ctx(3111, "2026-11-18T18:05:00", "us-west-2")
    LB = "app/deals-alb/2a4c6e8f0b1d3579"
    T0 = -2160
    c.resource("alb", LB, name="deals-alb", scheme="internet-facing",
               target_groups={"deals-web-tg": "ecs deals/deals-web", "deals-admin-tg": "ecs deals/deals-admin"})
    c.resource("ecs", "deals/deals-web", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=8,
               image="deals-web:4.9.0", runtime="nodejs20 express", load_balancer="deals-alb")
    c.resource("ecs", "deals/deals-admin", launch_type="FARGATE", cpu=256, memory=512, desired_count=1,
               image="deals-admin:0.31.0", load_balancer="deals-alb")
    surge = {m: ramp(m, T0, T0 + 180) for m in MINUTES}
    req = c.ser(lambda m: c.noisy(1850 * diurnal(m, 0.15, -2) * (1 + 4.1 * surge[m]), 0.05))
    load = {m: req[m] / 1850.0 for m in MINUTES}
    rt = {m: c.noisy(0.062, 0.08) + max(0.0, load[m] - 2.5) * c.noisy(0.52, 0.1) for m in MINUTES}
    t5 = {m: req[m] * (0.0002 + 0.018 * surge[m]) * c.noisy(1, 0.15) for m in MINUTES}
    e5 = {m: c.poisson(0.2 + 35 * surge[m]) for m in MINUTES}
    alb_metrics(c, LB, req, rt, t5, e5, c.ser(lambda m: 9), c.ser(lambda m: 0),
                t4xx=c.ser(lambda m: c.noisy(40, 0.2) * (1 + 3 * surge[m])))
    ecs_metrics(c, "deals", "deals-web", c.ser(lambda m: min(88, c.noisy(17, 0.06) * (1 + 0.96 * (load[m] - 1)))),
                c.ser(lambda m: c.noisy(54, 0.02) + 9 * surge[m]), c.ser(lambda m: 8))
    ecs_metrics(c, "deals", "deals-admin", c.ser(lambda m: c.noisy(5, 0.2) + (14 if -3000 < m < -2880 else 0)),
                c.ser(lambda m: c.noisy(38, 0.03)), c.ser(lambda m: 1))

    def pino(t, level, msg, **kw):
        d = {"level": level, "time": int(c.epoch(t) * 1000), "pid": 1, "hostname": host}
        d.update(kw)
        d["msg"] = msg
        return json.dumps(d, separators=(",", ":"))

    for _ in range(2):
        host = "ip-10-12-%d-%d.us-west-2.compute.internal" % (c.rng.randint(1, 9), c.rng.randint(2, 250))

        def web(t, host=host):
            m = minute(t)
            if c.chance(0.03):
                return pino(t, 40, "deprecated endpoint /v1/deals called", client="ios-4.2.1")
            if surge[m] > 0.5 and c.chance(0.07):
                return pino(t, 40, "event loop lag %dms > 150ms, shedding load with 503" % c.rng.randint(160, 320))
            campaign = surge[m] > 0 and c.chance(0.8 * surge[m])
            url = ("/deals/bf-early-access?utm_source=push&utm_campaign=bf-push-1118" if campaign else
                   c.pick(["/deals", "/deals/%d" % c.rng.randint(100, 9000), "/api/cart", "/deals?cat=tech"]))
            ms = rt[m] * 1000 * c.uni(0.4, 1.6)
            return pino(t, 30, "request completed", reqId="req-%s" % c.alnum(6),
                        req={"method": "GET", "url": url, "remoteAddress": c.ip("10.12")},
                        res={"statusCode": 200}, responseTime=round(ms, 1))
        ev = events_per_minute(c, LOG_FROM, 0, lambda t: 10, web)
        ev += every(LOG_FROM + 20, 0, 60, lambda t, host=host: pino(
            t, 30, "stats", activeRequests=int(c.noisy(12, 0.2) * load[minute(t)] ** 1.6),
            eventLoopLagMs=round(c.noisy(6, 0.2) + 70 * max(0.0, load[minute(t)] - 2.5), 1),
            heapUsedMb=int(c.noisy(610, 0.03) + 130 * surge[minute(t)])))
        c.log("/ecs/deals-web", "ecs/deals-web/%s" % c.hexs(32), ev)
    c.log("/ecs/deals-admin", "ecs/deals-admin/%s" % c.hexs(32), events_per_minute(
        c, LOG_FROM, 0, lambda t: 0.4, lambda t: '{"level":30,"msg":"admin request","version":"%s"}' % (
            "0.31.0" if t > -2950 else "0.30.2")))

    c.change(-3000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "deals/deals-admin", "ci-deployer")
    c.change(-3030, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "deals-admin:31",
             "ci-deployer")
    c.change(-11000, "wafv2.amazonaws.com", "UpdateIPSet", "AWS::WAFv2::IPSet", "office-allowlist", "secops")
    c.alarm("deals-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB}, "Average", 60, 3,
            1.0, "ALARM", -1800, description="deals-alb mean target response time > 1 s")
    c.alarm("deals-alb-request-surge", "AWS/ApplicationELB", "RequestCount", {"LoadBalancer": LB}, "Sum", 60, 3, 5000,
            "ALARM", -1860, description="Unusual request volume on deals-alb")
    c.alarm("deals-web-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": "deals", "ServiceName": "deals-web"},
            "Average", 300, 2, 90, "OK", -400000)
    doc = c.doc("h31-11-alb-latency-traffic-surge",
                "Deals site slow during the evening; deals-alb latency and request-volume alarms.",
                {"alarm": "deals-alb-latency",
                 "root_cause": {"category": "traffic_surge",
                                "resource": ["deals-alb", LB, "deals/deals-web", "deals-web"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": LB}},
                               {"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime",
                                "dimensions": {"LoadBalancer": LB}}]})
    meta = dict(region="us-west-2", alarm="deals-alb-latency", category="traffic_surge",
                resources=["deals-alb", LB, "deals/deals-web", "deals-web"],
                where="other alarm (deals-alb-request-surge) is on the same origin (the ALB / its service)",
                decoys="deals-admin deploy 14 min before onset on the same ALB; WAF IP-set change; steady "
                       "deprecated-endpoint WARNs; deals-web CPU alarm stays OK",
                story="A push campaign (utm_campaign=bf-push-1118) took deals-alb from ~1,850 to ~9,500 requests a "
                      "minute within three minutes. deals-web (Node/Express, 8 tasks, no autoscaling) runs hotter "
                      "(CPU ~75-85 %, not pinned; its CPU alarm stays OK), event-loop lag climbs past 150 ms, a small "
                      "share of requests is shed with 503 and the mean target response time goes from 60 ms to "
                      "~1.5 s. Nothing failed or changed on the serving path (the deals-admin deploy is the other "
                      "target group, idle). Volume far above usual with no other fault: traffic_surge.")
    return doc, meta


# ---------------------------------------------------------------------------
def s12():
    """API 5XX after an env-var rename on pricing-fn; a known-flapping admin ALB alarm coincides."""
    c = Ctx(3112, "2026-11-19T16:30:00", "ca-central-1")
    API, API_ID, FN = "shop-api", "p4m8n2b6v1", "pricing-fn"
    LB, IID = "app/admin-alb/0f2e4d6c8b1a3957", "i-09d4f6b8a1c3e5072"
    T_CFG = -1500
    c.resource("apigateway", API, stage="prod", api_id=API_ID, integration="AWS_PROXY -> lambda pricing-fn")
    c.resource("lambda", FN, runtime="python3.12", memory_size=512, timeout=10, handler="pricing.handler.handler")
    c.resource("lambda", "catalog-feed", runtime="python3.12", memory_size=1024, timeout=300)
    c.resource("alb", LB, name="admin-alb", scheme="internal", target_groups={"admin-tg": IID})
    c.resource("ec2", IID, name="admin-1", instance_type="t3.large", log_groups=["/admin/nginx"])
    inv = c.ser(lambda m: c.poisson(16 * diurnal(m, 0.2, -4)))
    errs = {m: (c.binom(inv[m], 0.62) if m >= T_CFG else 0) for m in MINUTES}
    cold = set()
    api_ev = []

    def h(ctx, t, rid, err):
        prov = ctx.pick(["ON", "QC", "BC", "AB", "NS"]) if err or ctx.chance(0.62) else "EXEMPT"
        sku = "sku-%d" % ctx.rng.randint(10000, 99999)
        new = t >= T_CFG
        init = None
        lines = []
        if (new and ("new" not in cold or ctx.chance(0.01))) or (not new and ctx.chance(0.008)):
            cold.add("new" if new else "old")
            init = ctx.uni(600, 900)
            lines.append((0.001, "I", "config loaded: CURRENCY=CAD PRICE_CACHE_TTL=300 %s=tax-rates-prod" % (
                "TAXES_TABLE" if new else "TAX_RATES_TABLE")))
        lines.append((0.003, "I", "quote request %s qty=%d province=%s" % (sku, ctx.rng.randint(1, 5), prov)))
        if ctx.chance(0.1):
            lines.append((0.01, "W", "Price cache miss for %s; loading from catalog" % sku))
        if err:
            d = ctx.noisy(30, 0.3)
            lines.append((d / 1000 - 0.002, "E", "Unhandled exception computing quote\n" + py_trace([
                ("/var/task/pricing/handler.py", 44, "handler", "taxes = tax.lookup(province, subtotal)"),
                ("/var/task/pricing/tax.py", 19, "lookup", 'table = os.environ["TAX_RATES_TABLE"]'),
                ("<frozen os>", 714, "__getitem__", "")], "KeyError: 'TAX_RATES_TABLE'").replace("\n    \n", "\n")))
            api_ev.extend(apigw_exec_failure(ctx, t + d / 1000 + 0.02, ctx.uid(), rid, "'TAX_RATES_TABLE'"))
            return {"lines": lines, "dur": d, "mem": ctx.rng.randint(88, 96), "init": init}
        d = ctx.noisy(65, 0.25)
        lines.append((d / 1000 - 0.002, "I", "quote %s total=%.2f CAD" % (sku, ctx.uni(5, 900))))
        return {"lines": lines, "dur": d, "mem": ctx.rng.randint(88, 99), "init": init}
    durs = lambda_function(c, FN, "python3.12", 512, 10, inv, errs, h, streams=3)
    apigw_metrics(c, API, inv, c.ser(lambda m: c.poisson(0.5)), errs, {m: (durs[m] or 0) + c.noisy(12, 0.2) for m in MINUTES})
    c.log("API-Gateway-Execution-Logs_%s/prod" % API_ID, "%s-prod" % c.hexs(32), [e for e in api_ev if e[0] < 0])

    finv = c.ser(lambda m: 1 if m % 1800 == 0 else 0)

    def hf(ctx, t, rid, err):
        d = ctx.noisy(48000, 0.1)
        return {"lines": [(0.02, "I", "Exporting catalog feed (format=%s)" % ("gmc-v2" if t > -7200 else "gmc-v1")),
                          (d / 1000 - 0.02, "I", "Feed written: %d items" % ctx.rng.randint(41000, 42000))],
                "dur": d, "mem": ctx.rng.randint(500, 560)}
    lambda_function(c, "catalog-feed", "python3.12", 1024, 300, finv, {}, hf, streams=1)

    flaps = []
    t = -21600 + c.uni(600, 1800)
    while t < -2900:
        flaps.append((t, t + c.uni(180, 500)))
        t += c.uni(1800, 3600)
    flaps.append((-2460, 1))
    unh = {m: 1 if any(a - 60 < m < b for a, b in flaps) else 0 for m in MINUTES}
    alb_metrics(c, LB, c.ser(lambda m: c.noisy(40, 0.2)), c.ser(lambda m: c.noisy(0.3, 0.2) + 2.2 * unh[m]),
                c.ser(lambda m: c.poisson(0.3 + 2 * unh[m])), c.ser(lambda m: c.poisson(0.1)),
                {m: 1 - unh[m] for m in MINUTES}, unh)
    ec2_metrics(c, IID, c.ser(lambda m: c.noisy(24, 0.1) + 58 * unh[m] * c.noisy(1, 0.05)),
                c.ser(lambda m: c.noisy(4e6, 0.2)), c.ser(lambda m: c.noisy(71, 0.02)), c.ser(lambda m: 62.0))

    def ng(t):
        bad = unh[minute(t)]
        if c.chance(0.3):
            return access_line(c, t, "GET", "/status", 504 if bad and c.chance(0.7) else 200, 2,
                               5.0 if bad else c.uni(0.002, 0.02), ua="ELB-HealthChecker/2.0", client="10.70.1.12")
        return access_line(c, t, "GET", c.pick(["/admin/orders", "/admin/reports/daily", "/admin/users"]), 200,
                           c.rng.randint(2000, 90000), c.uni(0.1, 1.2) + 2 * bad, client=c.ip("10.70"))
    c.log("/admin/nginx", IID, events_per_minute(c, LOG_FROM, 0, lambda t: 5, ng))

    c.change(T_CFG - 20, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", FN,
             "jdoe")
    c.change(-7200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "catalog-feed",
             "ci-deployer")
    c.alarm("shop-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": API}, "Sum", 60, 3, 3, "ALARM", -1320)
    c.alarm("admin-alb-unhealthy-hosts", "AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": LB}, "Maximum",
            60, 2, 0, "ALARM", -2280, description="admin-1 failing health checks. Flaps during heavy admin reports "
                                                 "(OPS-4312, known).")
    doc = c.doc("h31-12-apigw-5xx-lambda-env-config",
                "Quote API 5XX alarm; admin-alb unhealthy-host alarm also in ALARM.",
                {"alarm": "shop-api-5xx",
                 "root_cause": {"category": "config_change", "resource": [FN]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}},
                               {"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": API}}]})
    meta = dict(region="ca-central-1", alarm="shop-api-5xx", category="config_change", resources=[FN],
                where="origin pricing-fn has no alarm (investigated alarm is its API front); the other alarm "
                      "(admin-alb-unhealthy-hosts) is a known-flapping coincidence",
                decoys="admin-alb unhealthy-host alarm that flaps all day (health checks time out during admin "
                       "reports); catalog-feed deploy 2 h earlier; steady price-cache-miss WARNs",
                story="jdoe edited pricing-fn's configuration 25 minutes ago. Cold starts after that log "
                      "`config loaded: ... TAXES_TABLE=tax-rates-prod` where they used to log TAX_RATES_TABLE, and "
                      "every taxable quote (~60 %) now fails with `KeyError: 'TAX_RATES_TABLE'` in tax.py, which API "
                      "Gateway turns into 502s. Tax-exempt quotes still work. admin-alb's unhealthy-host alarm is "
                      "also in ALARM, but that target has flapped several times in the last six hours whenever admin "
                      "reports load admin-1, and it is unrelated to shop-api. An environment change immediately "
                      "before onset and an error naming the missing setting: config_change on pricing-fn.")
    return doc, meta
