"""h52-01: pricing-engine environment variable edit among several releases."""
from __future__ import annotations

import json

from .common import ACCOUNT, Scenario, apigw_pack, ecs_pack, lambda_pack
from .logfmt import LambdaSim, starts_from


def build():
    s = Scenario(1, "pricing-fx-ttl-config", "us-east-1", "2026-03-10T16:20:00",
                 "Web checkout shows 'We could not place your order' for some shoppers; the "
                 "orders-api 5XX alarm paged on-call during an afternoon with several releases.")
    T_API, T_OH, T_RB, T_IAM, T_CFG, T_FLAG = -3300, -3000, -2640, -2100, -1920, -1500
    ON = T_CFG + 8
    s.resource("apigateway", "orders-api", api_id="k3v9q2m1xd", stage="prod",
               endpoint_type="REGIONAL", integration="lambda-proxy:orders-handler:live")
    s.resource("lambda", "orders-handler", runtime="nodejs20.x", timeout=29, memory_size=1024,
               role="orders-handler-role", alias="live",
               environment_keys=["PRICING_FUNCTION", "ORDERS_TABLE", "LOG_LEVEL"])
    s.resource("lambda", "pricing-engine", runtime="python3.12", timeout=10, memory_size=512,
               role="pricing-engine-role",
               environment_keys=["PRICE_RULES_TABLE", "FX_PROVIDER", "FX_RATE_CACHE_TTL",
                                 "ROUNDING"])
    s.resource("lambda", "order-confirmation-mailer", runtime="python3.11", timeout=30,
               memory_size=256, role="mailer-role")
    s.resource("ecs", "reporting/report-builder", launch_type="FARGATE", cpu=2048, memory=4096,
               desired_count=2)

    api_c = s.series(lambda t: s.count(88 * s.diurnal(t, 18, 0.22)))
    post = {t: round(c * 0.45) for t, c in api_c.items()}
    bad_share = 0.38
    pe_err = {t: (s.count(post[t] * bad_share) if t >= ON else 0.0) for t in post}
    e5 = {t: pe_err[t] + (1.0 if s.rng.random() < 0.04 else 0.0) for t in api_c}
    e4 = {t: s.count(2.6) for t in api_c}
    pe_dur = {t: 72 + s.noise(6) - (25 * pe_err[t] / max(post[t], 1)) for t in post}
    oh_dur = {t: 118 + pe_dur[t] * 0.45 + s.noise(9) for t in api_c}
    lat = {t: oh_dur[t] + 22 + s.noise(4) for t in api_c}
    ilat = {t: oh_dur[t] + 6 + s.noise(3) for t in api_c}
    apigw_pack(s, "orders-api", api_c, e4, e5, lat, ilat)
    lambda_pack(s, "orders-handler", api_c, {t: (1.0 if s.rng.random() < 0.03 else 0.0)
                                             for t in api_c}, oh_dur)
    lambda_pack(s, "pricing-engine", post, pe_err, pe_dur)
    m_inv = s.series(lambda t: s.count(6))
    lambda_pack(s, "order-confirmation-mailer", m_inv, {t: 0.0 for t in m_inv},
                s.series(lambda t: 410 + s.noise(40)))
    ecs_pack(s, "reporting", "report-builder",
             s.series(lambda t: 22 + s.noise(3) + 35 * (T_RB <= t < T_RB + 300)),
             s.series(lambda t: 41 + s.noise(1.5) + 9 * (T_RB <= t < T_RB + 360)))

    # ---- orders-handler (Node) logs: version 86 before the alias flip, 87 after
    fx = ["EUR", "GBP", "CAD", "AUD", "JPY"]

    def oh_handler(version):
        def h(t, rid):
            lines = []
            if s.rng.random() < 0.1:
                lines.append((0.002, "WARN", "x-client-version header missing; defaulting to v1 "
                              f"(client=ios-4.{s.rng.randint(0, 3)}.{s.rng.randint(0, 9)})"))
            oid = f"ord_{s.rng.randint(10**7, 10**8 - 1)}"
            if version == 87 and s.rng.random() < 0.5:
                lines.append((0.003, "INFO", f"idempotency-key accepted key={s.hex(16)}"))
            if s.rng.random() < 0.55:
                ms = s.rng.randint(18, 60)
                lines.append((ms / 1000, "INFO", f"GET /orders/{oid} 200 ({ms} ms)"))
                return {"lines": lines, "dur": ms + s.rng.uniform(3, 9), "mem": 141}
            cur = "USD" if s.rng.random() > bad_share else s.rng.choice(fx)
            if t >= ON and cur != "USD":
                err = {"functionError": "Unhandled", "errorType": "ConfigError",
                       "errorMessage": "FX_RATE_CACHE_TTL must be an integer number of seconds, "
                                       "got '15m'", "orderId": oid, "currency": cur}
                lines.append((0.041, "ERROR", "pricing-engine invocation failed "
                              + json.dumps(err)))
                lines.append((0.043, "WARN", f"POST /orders 502 ({43} ms) orderId={oid}"))
                return {"lines": lines, "dur": s.rng.uniform(44, 60), "mem": 143}
            ms = s.rng.randint(120, 260)
            total = round(s.rng.uniform(12, 480), 2)
            lines.append((ms / 1000, "INFO", f"POST /orders 201 ({ms} ms) orderId={oid} "
                          f"currency={cur} total={total}"))
            return {"lines": lines, "dur": ms + s.rng.uniform(4, 12), "mem": 152}
        return h

    def oh_init(version):
        def f(t):
            git = {86: "b81d2f0", 87: "4e1c9a7"}[version]
            return [(0.01, "INFO", f"orders-handler 2.{30 + version - 86}.0 (git {git}) cold start; "
                     f"pricing via arn:aws:lambda:us-east-1:{ACCOUNT}:function:pricing-engine")]
        return f

    st = starts_from(s, api_c, 0.12)
    for version, a, b in ((86, -10800, T_OH + 30), (87, T_OH + 30, 0)):
        sim = LambdaSim(s, "orders-handler", "nodejs20.x", 1024, 29, version=str(version))
        sim.run([x for x in st if a <= x < b], oh_handler(version), envs=2, init_lines=oh_init(version))

    # ---- pricing-engine (Python) logs
    pe = LambdaSim(s, "pricing-engine", "python3.12", 512, 10)

    def pe_handler(t, rid):
        cur = "USD" if s.rng.random() > bad_share else s.rng.choice(fx)
        n = s.rng.randint(1, 6)
        if cur != "USD" and t >= ON:
            return {"lines": [(0.004, "INFO", f"pricing {n} line items currency={cur}")],
                    "dur": s.rng.uniform(9, 22), "mem": 88,
                    "error": ("ConfigError", "FX_RATE_CACHE_TTL must be an integer number of "
                              "seconds, got '15m'", [
                                  '  File "/var/task/handler.py", line 58, in lambda_handler',
                                  "    quote = ENGINE.price(order)",
                                  '  File "/var/task/pricing/engine.py", line 131, in price',
                                  '    rate = self.fx.rate(order.currency, "USD")',
                                  '  File "/var/task/pricing/fx.py", line 44, in rate',
                                  "    ttl = settings.fx_cache_ttl()",
                                  '  File "/var/task/pricing/settings.py", line 27, in fx_cache_ttl',
                                  "    raise ConfigError("])}
        lines = [(0.004, "INFO", f"pricing {n} line items currency={cur}")]
        if cur != "USD":
            lines.append((0.02, "INFO", f"fx {cur}->USD rate={s.rng.uniform(0.6, 1.4):.5f} "
                          f"source=ecb cache={'hit' if s.rng.random() < 0.9 else 'miss'}"))
        lines.append((0.05, "INFO", f"quote ok subtotal={s.rng.uniform(10, 450):.2f} "
                      f"tax={s.rng.uniform(0, 40):.2f} rules_version=2026-03-02"))
        return {"lines": lines, "dur": s.rng.uniform(55, 95), "mem": 96}

    def pe_init(t):
        ttl = "15m" if t >= T_CFG else "900"
        return [(0.02, "INFO", "settings loaded: PRICE_RULES_TABLE=price-rules-prod FX_PROVIDER=ecb "
                 f"FX_RATE_CACHE_TTL={ttl} ROUNDING=half-even")]

    pe.run(starts_from(s, post, 0.18), pe_handler, envs=2, recycle=[T_CFG + 5], init_lines=pe_init)

    # ---- API Gateway access log (JSON), sampled
    acc = []
    for t, c in api_c.items():
        if t < -5400:
            continue
        for _ in range(int(c * 0.12)):
            tt = t + s.rng.uniform(0, 59)
            r = s.rng.random()
            post_req = r < 0.45
            status = "200"
            if post_req:
                status = "201"
                if tt >= ON and s.rng.random() < bad_share:
                    status = "502"
            elif s.rng.random() < 0.03:
                status = "403"
            acc.append((tt, json.dumps({
                "requestId": s.uuid(), "ip": f"{s.rng.randint(23, 203)}.{s.rng.randint(0, 255)}."
                f"{s.rng.randint(0, 255)}.{s.rng.randint(1, 254)}",
                "requestTime": s.stamp(tt, "%d/%b/%Y:%H:%M:%S +0000"),
                "httpMethod": "POST" if post_req else "GET",
                "resourcePath": "/orders" if post_req else "/orders/{id}",
                "status": status, "protocol": "HTTP/1.1",
                "responseLength": str(s.rng.randint(60, 900)),
                "integrationLatency": str(s.rng.randint(40, 260))}, separators=(",", ":"))))
    s.log("/aws/apigateway/orders-api/prod/access", "k3v9q2m1xd-prod", acc)

    # ---- changes
    s.change(-14400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
             "AWS::Lambda::Function", "order-confirmation-mailer", "ci-deployer")
    s.change(T_API, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment",
             "orders-api", "ci-deployer")
    s.change(T_OH, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
             "AWS::Lambda::Function", "orders-handler", "ci-deployer")
    s.change(T_OH + 20, "lambda.amazonaws.com", "PublishVersion20150331",
             "AWS::Lambda::Function", "orders-handler", "ci-deployer")
    s.change(T_OH + 30, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Alias",
             "orders-handler:live", "ci-deployer")
    s.change(T_RB - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
             "report-builder:41", "ci-deployer")
    s.change(T_RB, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
             "reporting/report-builder", "ci-deployer")
    s.change(T_IAM, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "reporting-etl-role",
             "terraform-cloud")
    s.change(T_CFG, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
             "AWS::Lambda::Function", "pricing-engine", "j.okafor")
    s.change(T_FLAG, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter",
             "/orders/prod/feature/checkout-banner", "m.rossi")

    a = s.alarm("orders-api-prod-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "orders-api"},
                "Sum", 60, 3, 5, "GreaterThanThreshold", expect_state="ALARM",
                description="orders-api prod stage server errors")
    s.alarm("order-confirmation-mailer-errors", "AWS/Lambda", "Errors",
            {"FunctionName": "order-confirmation-mailer"}, "Sum", 300, 1, 3,
            "GreaterThanThreshold", expect_state="OK")
    s.alarm("report-builder-cpu-high", "AWS/ECS", "CPUUtilization",
            {"ClusterName": "reporting", "ServiceName": "report-builder"}, "Average", 300, 2, 85,
            "GreaterThanThreshold", expect_state="OK")
    doc = s.render({"alarm": a["name"], "root_cause": {"category": "config_change",
                    "resource": ["pricing-engine"]},
                    "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                   "dimensions": {"FunctionName": "pricing-engine"}},
                                  {"namespace": "AWS/ApiGateway", "name": "5XXError",
                                   "dimensions": {"ApiName": "orders-api"}}]})
    meta = dict(alarm=a["name"], category="config_change", resources=["pricing-engine"],
                where="front (API Gateway; origin two hops down)",
                decoys="orders-api CreateDeployment; orders-handler code deploy + alias flip "
                       "(new INFO log line); report-builder ECS deploy with CPU blip; IAM edit on "
                       "reporting-etl-role; SSM feature flag after onset; steady x-client-version "
                       "WARN; mailer deploy 4 h earlier",
                story="A busy afternoon: the orders API was redeployed, orders-handler shipped 2.31.0 "
                      "behind its `live` alias, report-builder was rolled and an IAM policy was edited. "
                      "The one that matters is a small console edit of pricing-engine's environment "
                      "(`UpdateFunctionConfiguration` by j.okafor, 32 min ago): new execution "
                      "environments log `FX_RATE_CACHE_TTL=15m` where the value used to be `900`, and "
                      "from that minute every non-USD quote fails with `ConfigError: FX_RATE_CACHE_TTL "
                      "must be an integer number of seconds, got '15m'`. orders-handler catches the "
                      "failed invoke and answers 502, so its own Errors metric stays flat while the API "
                      "5XX alarm fires. The orders-handler release ran cleanly for 18 minutes before "
                      "onset and its errors quote pricing-engine's ConfigError, so the label is "
                      "config_change on pricing-engine.")
    return doc, meta

