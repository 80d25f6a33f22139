"""Scenarios 11-12."""
from __future__ import annotations

import datetime as dt

from . import comp
from .comp import GB
from .core import Scenario, TS, diurnal, ramp
from .fmt import LambdaLog, aspnet, bucketed, every, java_trace, per_minute, pg, spring
from .sc01 import binom

UTC = dt.timezone.utc


# ====================================================================== 11
def s11():
    s = Scenario(11, "loyalty-api-5xx-points-ledger-exception", "sa-east-1",
                 "Loyalty API: some point accruals failing with 502; paged by the API Gateway 5XXError alarm.",
                 3411, dt.datetime(2026, 4, 4, 13, 10, tzinfo=UTC))
    ON = -2040
    lb = "app/points-internal/7c1e3a5f9b0d2846"
    dns = "internal-points-internal-1530447712.sa-east-1.elb.amazonaws.com"
    s.res("apigateway", "loyalty-api", stage="v1", integration="AWS_PROXY lambda loyalty-bff")
    s.res("lambda", "loyalty-bff", runtime="dotnet8", timeout=12, memory_size=1024, environment={"POINTS_URL": f"http://{dns}"})
    s.res("alb", lb, name="points-internal", scheme="internal", dns_name=dns, target_group="tg-points-ledger -> ecs points/points-ledger")
    s.res("ecs", "points/points-ledger", cluster="points", service="points-ledger", launch_type="FARGATE", desired_count=4,
          task_definition="points-ledger:61 (deployed 9 days ago)", runtime="java 17 / spring boot 3.1", log_groups=["/ecs/points-ledger"])
    s.res("rds", "points-db", engine="postgres", engine_version="15.6", instance_class="db.m6g.xlarge", max_connections=1700,
          allocated_storage_gb=400)
    s.res("lambda", "loyalty-tier-recalc", runtime="java21", timeout=900, memory_size=3008)

    cnt = s.series(lambda t: s.p(21 * diurnal(t, 0.15, -40000)), integer=True)
    frac = lambda t: 0.0 if t < ON else 0.21 + 0.06 * s.rng.random()
    bad = [binom(s, c, frac(t)) for t, c in zip(TS, cnt)]
    lat = [round(((c - b) * (160 + 40 * s.rng.random()) + b * 95) / c + 11, 2) if c else None for c, b in zip(cnt, bad)]
    comp.apigw(s, "loyalty-api", cnt, lambda t: s.p(0.7), bad, lat)
    comp.lambda_(s, "loyalty-bff", cnt, lambda t: 0, lambda t: 0, [round(v - 11, 2) if v else None for v in lat], lambda t: 1)
    other = s.series(lambda t: s.p(55 * diurnal(t, 0.15, -40000)), integer=True)
    comp.alb(s, lb, [a + b for a, b in zip(cnt, other)], bad, lambda t: 0, lambda t: 0.07 + 0.02 * s.rng.random(),
             lambda t: 4, lambda t: 0)
    comp.ecs(s, "points", "points-ledger", lambda t: 23 + s.n(0, 2), lambda t: 52 + s.n(0, 1), lambda t: 4)
    comp.rds(s, "points-db", lambda t: 26 + s.n(0, 2), lambda t: 120 + s.n(0, 4), lambda t: 288 * GB - (t + 21600) * 8000,
             lambda t: 0.0009 + abs(s.n(0, 0.0001)), lambda t: 0.0016 + abs(s.n(0, 0.0002)), lambda t: 11 * GB + s.n(0, 1e8))
    tr = s.series(lambda t: 1 if (t // 60) % 15 == 0 else 0, integer=True)
    comp.lambda_(s, "loyalty-tier-recalc", tr, lambda t: 0, lambda t: 0, lambda t: 41000 + s.n(0, 3000) if (t // 60) % 15 == 0 else None,
                 lambda t: 1 if (t // 60) % 15 == 0 else 0)

    lg = LambdaLog(s, "loyalty-bff", "dotnet", 1024)

    def bff(t, b):
        member = f"{s.rng.randint(10**9, 10**10)}"
        body = []
        if s.rng.random() < 0.05:
            body.append(("WARN", "Partner credential for AZULX expires in 6 days (kid=azulx-2025-10)"))
        if b:
            body += [("INFO", "POST /v1/accruals partner=LATAMX records=1"),
                     ("ERROR", f"points-ledger POST http://{dns}/v1/accruals returned 500 (InternalServerError): "
                               '{"timestamp":"' + s.iso(t) + '","status":500,"error":"Internal Server Error","path":"/v1/accruals"}'),
                     ("INFO", "Returning 502 BadGateway to caller (code=POINTS_UNAVAILABLE)")]
            return lg.invoke(t, 80 + s.rng.random() * 40, body, 118)
        kind = s.rng.random()
        if kind < 0.3:
            body += [("INFO", f"POST /v1/accruals partner={s.pick(['AZULX', 'GOLX', 'SHOPX', 'LATAMX' if t < ON else 'GOLX'])} records=1"),
                     ("INFO", f"accrual acc_{s.hexid(10)} accepted points={s.rng.randint(50, 4000)}")]
        else:
            body += [("INFO", f"GET /v1/members/{member}/balance"), ("INFO", f"balance member={member} points={s.rng.randint(0, 90000)} tier={s.pick(['BLUE', 'SILVER', 'GOLD'])}")]
        return lg.invoke(t, 130 + s.rng.random() * 60, body, 121)
    w, bk = bucketed(s, 2, bff)
    per_minute(s, cnt, bad, -6000, w)
    for part in bk:
        s.log("/aws/lambda/loyalty-bff", lg.stream(), part)

    app = "points-ledger"

    def pl(t, b):
        th = f"http-nio-8080-exec-{s.rng.randint(1, 200)}"
        if b:
            mid = f"LX-00{s.rng.randint(10**7, 10**8)}"
            return [(t - 0.003, spring(s, t - 0.003, "WARN", th, "c.a.l.points.api.PartnerPayloadInspector",
                                       f"partner LATAMX payload schema_version=2 (expected 1); passing through", app)),
                    (t, spring(s, t, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                               "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                               f"[Request processing failed: java.lang.NumberFormatException: For input string: \"{mid}\"] with root cause\n" +
                               java_trace("java.lang.NumberFormatException", f"For input string: \"{mid}\"",
                                          ["java.base/java.lang.NumberFormatException.forInputString(NumberFormatException.java:67)",
                                           "java.base/java.lang.Long.parseLong(Long.java:709)",
                                           "java.base/java.lang.Long.parseLong(Long.java:832)",
                                           "com.acme.loyalty.points.domain.MemberId.parse(MemberId.java:22)",
                                           "com.acme.loyalty.points.api.AccrualController.accrue(AccrualController.java:58)",
                                           "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)"]), app))]
        return [(t, spring(s, t, "INFO", th, "c.a.l.points.service.AccrualService",
                           f"accrual posted member={s.rng.randint(10**9, 10**10)} partner={s.pick(['AZULX', 'GOLX', 'SHOPX'])} points={s.rng.randint(50, 4000)} ledger_tx={s.hexid(12)}", app))]
    w, bk = bucketed(s, 2, pl)
    per_minute(s, [a + b for a, b in zip(cnt, other)], bad, -6000, w, scale=0.5)
    for part in bk:
        part += every(s, -6000, 600, lambda t: [(t, spring(s, t, "INFO", "scheduling-1", "c.a.l.points.jobs.ExpiryJob",
                                                           f"expired {s.rng.randint(0, 40)} point lots", app))])
        s.log("/ecs/points-ledger", f"ecs/points-ledger/{s.hexid()}", part)

    lt = LambdaLog(s, "loyalty-tier-recalc", "java", 3008, logger="c.a.l.tiers.RecalcHandler")

    def trc(t, _):
        v = "33" if t > -2590 else "32"
        return lt.invoke(t, 41000 + s.rng.random() * 3000, [("INFO", f"recalculated tiers for {s.rng.randint(9000, 14000)} members (batch window 15m)")], 1200, version=v)
    ev = per_minute(s, tr, None, -10800, trc)
    s.log("/aws/lambda/loyalty-tier-recalc", lt.stream("32"), [e for e in ev if e[0] <= -2590])
    s.log("/aws/lambda/loyalty-tier-recalc", lt.stream("33"), [e for e in ev if e[0] > -2590])
    s.log("/aws/rds/instance/points-db/postgresql", "points-db.0",
          every(s, -10800, 300, lambda t: [(t, pg(s, t, "", 388, "LOG", f"checkpoint complete: wrote {s.rng.randint(500, 3000)} buffers ({s.rng.random() * 2:.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled"))]))

    s.change(-12000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "loyalty-bff", "c.souza")
    s.change(-2600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "loyalty-tier-recalc", "gitlab-ci")
    s.change(-2590, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "loyalty-tier-recalc", "gitlab-ci")
    s.alarm("loyalty-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "loyalty-api"}, "Sum", 300, 1, 8,
            "GreaterThanThreshold", "Loyalty API 5XX")
    s.expect_("loyalty-api-5xx", "application_error", ["points/points-ledger", "points-ledger"],
              [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": lb}},
               {"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": "loyalty-api"}}])
    s.info = dict(front="front alarm, origin 2 hops down (API GW -> loyalty-bff -> points-internal ALB -> points-ledger)",
                  decoys="loyalty-tier-recalc (batch) deploy 9 min before onset; loyalty-bff memory change 3.3 h earlier; constant partner-credential WARN",
                  text="From about -34 min every accrual from partner LATAMX fails: points-ledger (Spring) logs that LATAMX now sends "
                       "payload schema_version=2 and then throws an unhandled NumberFormatException parsing member ids like "
                       "'LX-00...' in MemberId.parse, returning 500. loyalty-bff (.NET) relays it as 502 and the API alarm fires. "
                       "points-ledger was last deployed 9 days ago, its CPU/memory and points-db are normal, and the only recent "
                       "deploy is the tier-recalc batch Lambda which does not serve accruals. Unhandled exceptions with no "
                       "preceding change in the account and no resource or dependency fault: application_error on points-ledger.")
    return s


# ====================================================================== 12
def s12():
    s = Scenario(12, "b2b-gateway-5xx-tax-quote-env", "ap-southeast-1",
                 "B2B order submissions failing with 502 for all partners; paged by the b2b-gateway target 5XX alarm.",
                 3412, dt.datetime(2026, 4, 6, 3, 40, tzinfo=UTC))
    CH, ON = -1738, -1740
    lb = "app/b2b-gateway/9e1c3a5b7d0f2468"
    s.res("alb", lb, name="b2b-gateway", scheme="internet-facing", target_group="tg-order-router -> ecs b2b/order-router",
          listener="HTTPS:443 (certificate rotated today)")
    s.res("ecs", "b2b/order-router", cluster="b2b", service="order-router", launch_type="FARGATE", desired_count=3,
          task_definition="order-router:88", runtime="dotnet 8 (ASP.NET Core, AWSSDK.Lambda Invoke)", log_groups=["/ecs/order-router"],
          tax_function="tax-quote")
    s.res("lambda", "tax-quote", runtime="python3.12", timeout=10, memory_size=512,
          environment={"TAX_TABLE_VERSION": "2026.04", "TAX_ROUNDING_MODE": "half-even", "CURRENCY_PRECISION": "2"})
    s.res("lambda", "b2b-invoice-mailer", runtime="python3.12", timeout=60, memory_size=256)

    orders = s.series(lambda t: s.p(26 * diurnal(t, 0.2, 10000)), integer=True)
    bad = [o if t >= ON else 0 for t, o in zip(TS, orders)]
    other = s.series(lambda t: s.p(70 * diurnal(t, 0.2, 10000)), integer=True)
    comp.alb(s, lb, [a + b for a, b in zip(orders, other)], [b + s.p(0.1) for b in bad], lambda t: s.p(0.05),
             lambda t: 0.09 + 0.02 * s.rng.random(), lambda t: 3, lambda t: 0, t4=lambda t: s.p(2))
    comp.ecs(s, "b2b", "order-router", lambda t: 15 + s.n(0, 2), lambda t: 41 + s.n(0, 1), lambda t: 3)
    comp.lambda_(s, "tax-quote", orders, bad, lambda t: 0, lambda t: (115 + s.n(0, 12)) if t < ON else (21 + s.n(0, 3)),
                 lambda t: 2 if t < ON else 1)
    im = s.series(lambda t: s.p(3), integer=True)
    comp.lambda_(s, "b2b-invoice-mailer", im, lambda t: 0, lambda t: 0, lambda t: 900 + s.n(0, 100), lambda t: 1)

    lg = LambdaLog(s, "tax-quote", "python", 512)
    cold = set()

    def tq(t, b, stream_key):
        body = []
        init = None
        if stream_key not in cold:
            cold.add(stream_key)
            init = 480 + s.rng.random() * 80
            mode = "half-even" if t >= CH else "ROUND_HALF_UP"
            body.append(("INFO", f"config loaded: TAX_TABLE_VERSION={'2026.04' if t >= CH else '2026.03'} TAX_ROUNDING_MODE={mode} CURRENCY_PRECISION=2"))
        juris = s.pick(["SG-GST", "MY-SST", "TH-VAT", "ID-PPN", "PH-VAT"])
        if b:
            body.append(("ERROR", "ConfigError: invalid TAX_ROUNDING_MODE 'half-even'; expected one of ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_DOWN\n"
                                  "Traceback (most recent call last):\n"
                                  '  File "/var/task/tax_quote/handler.py", line 31, in handler\n    rounding = settings.rounding_mode()\n'
                                  '  File "/var/task/tax_quote/settings.py", line 48, in rounding_mode\n'
                                  "    raise ConfigError(f\"invalid TAX_ROUNDING_MODE {raw!r}; expected one of {', '.join(ALLOWED)}\")"))
            return lg.invoke(t, 18 + s.rng.random() * 6, body, 74, init_ms=init)
        if juris == "MY-SST" and s.rng.random() < 0.3:
            body.append(("WARNING", "jurisdiction code MY-SST-OLD mapped to MY-SST (legacy partner mapping)"))
        body.append(("INFO", f"quote {juris} lines={s.rng.randint(1, 30)} tax={s.rng.randint(100, 900000) / 100:.2f} rounding={'HALF_UP'}"))
        return lg.invoke(t, 100 + s.rng.random() * 30, body, 81, init_ms=init)
    streams = {}
    for k in range(2):
        streams[("old", k)] = []
        streams[("new", k)] = []

    def route(t, b):
        key = ("new" if t >= CH else "old", s.rng.randrange(2))
        streams[key].extend(tq(t, t >= CH, key))
        return []
    per_minute(s, orders, bad, -6000, route)
    for key, ev in streams.items():
        s.log("/aws/lambda/tax-quote", lg.stream(), ev)

    def orr(t, b):
        po = f"PO-{s.rng.randint(10**6, 10**7)}"
        if b:
            return [(t, aspnet("ERROR", "Acme.B2B.OrderRouter.Tax.TaxQuoteClient", 0,
                               f"tax-quote invocation for {po} returned FunctionError=Unhandled: "
                               '{"errorMessage": "invalid TAX_ROUNDING_MODE \'half-even\'; expected one of ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_DOWN", '
                               '"errorType": "ConfigError", "requestId": "' + s.uid() + '", "stackTrace": ["  File \\"/var/task/tax_quote/handler.py\\", line 31, in handler\\n"]}')),
                    (t + 0.002, aspnet("INFO", "Microsoft.AspNetCore.Hosting.Diagnostics", 2,
                                       f"Request finished HTTP/1.1 POST https://b2b.acme-asia.com/api/orders - 502 null application/problem+json {s.rng.randint(40, 90)}.{s.rng.randint(1000, 9999)}ms"))]
        return [(t, aspnet("INFO", "Acme.B2B.OrderRouter.Orders.OrderService", 0, f"Order {po} routed to warehouse {s.pick(['SIN1', 'KUL2', 'BKK1'])} tax={s.rng.randint(100, 90000) / 100:.2f}")),
                (t + 0.002, aspnet("INFO", "Microsoft.AspNetCore.Hosting.Diagnostics", 2,
                                   f"Request finished HTTP/1.1 POST https://b2b.acme-asia.com/api/orders - 201 null application/json {s.rng.randint(150, 260)}.{s.rng.randint(1000, 9999)}ms"))]
    w, bk = bucketed(s, 2, lambda t, b: orr(t, t >= CH + 0.5))
    per_minute(s, orders, bad, -6000, w, scale=0.6)
    for part in bk:
        part += every(s, -6000, 240, lambda t: [(t, aspnet("INFO", "Acme.B2B.OrderRouter.Health", 0, "readiness: tax-quote=reachable warehouse-api=ok db=ok"))])
        s.log("/ecs/order-router", f"ecs/order-router/{s.hexid()}", part)
    li = LambdaLog(s, "b2b-invoice-mailer", "python", 256)
    s.log("/aws/lambda/b2b-invoice-mailer", li.stream(), per_minute(s, im, None, -6000, lambda t, b: li.invoke(
        t, 850 + s.rng.random() * 150, [("INFO", f"invoice INV-{s.rng.randint(10**6, 10**7)} emailed")], 77)))

    s.change(-5200, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "b2b/order-router", "github-actions-deploy")
    s.change(-2100, "elasticloadbalancing.amazonaws.com", "ModifyListener", "AWS::ElasticLoadBalancingV2::Listener", "b2b-gateway", "w.lim")
    s.change(CH, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "tax-quote", "s.tan")
    s.alarm("b2b-gateway-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 10,
            "GreaterThanThreshold", "B2B gateway: targets returning 5XX")
    s.expect_("b2b-gateway-target-5xx", "config_change", ["tax-quote"],
              [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "tax-quote"}},
               {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": lb}}])
    s.info = dict(front="front alarm (public ALB), origin 2 hops down (order-router -> synchronous Invoke of tax-quote)",
                  decoys="ModifyListener (certificate rotation) on the front ALB 6 min before onset; order-router deploy ~1 h earlier; constant MY-SST-OLD mapping WARN",
                  text="s.tan updated tax-quote's configuration (UpdateFunctionConfiguration) at -29 min; the new execution "
                       "environments log 'config loaded: ... TAX_ROUNDING_MODE=half-even' (was ROUND_HALF_UP) and every "
                       "invocation fails with ConfigError naming the invalid TAX_ROUNDING_MODE value. order-router (.NET) gets "
                       "FunctionError=Unhandled and returns 502, which is what the b2b-gateway alarm counts. The listener "
                       "certificate rotation on the front ALB came 6 min earlier with no effect on other routes (GETs stay "
                       "200), and order-router's deploy is an hour old. Errors naming an invalid setting right after a "
                       "configuration change: config_change on tax-quote.")
    return s
