"""config_change scenarios: a Lambda environment variable renamed in the
console, and an ALB listener rule pointed at an empty target group."""
from __future__ import annotations

from .common import Scn, clamp, diurnal, window
from .lambda_sim import LAMBDA_WARNING, LambdaFn, python_traceback
from .services import S, alb, ec2, lambda_deploy, nginx_access

COUNTRIES = ["FR", "IT", "NL", "AT", "PL", "ES", "BE"]


def vat_calculator():
    s = Scn("h51-03-vat-calculator-env-config", 5103, "eu-central-1", "2026-11-09T10:12:00",
            "Checkout shows 'tax could not be calculated' for some orders; Errors alarm on the "
            "VAT calculator Lambda.")
    chg = -2220
    fn = LambdaFn(s, "vat-calculator", "python3.12", 512, 15, mem_used=(104, 138),
                  role="vat-calculator-role", handler="app.handler",
                  environment={"VAT_RATE_BUCKET": "acme-tax-rates-euc1", "RATES_PREFIX": "rates/2026-07/",
                               "DEFAULT_COUNTRY": "DE", "LOG_LEVEL": "INFO",
                               "POWERTOOLS_SERVICE_NAME": "vat-calculator"})
    inv = S(s, lambda t: s.poisson(diurnal(t, 15, 4, -20000)))
    err = [0 if t < chg + 60 else s.binom(i, 0.34) for t, i in zip(s.times, inv)]
    dur = S(s, lambda t: s.gauss(96 if t < chg else 81, 6))
    fn.metrics(inv, err, dur)

    def body(c):
        order = f"ORD-{s.rng.randint(4100000, 4999999)}"
        out = []
        if s.chance(0.04):
            out.append((0.006, "WARN", f"VIES VAT number validation unavailable for member state IT "
                                       f"(MS_UNAVAILABLE); accepting B2B order {order} provisionally"))
        if c.failed:
            c.outcome, c.duration_ms = "error", s.gauss(9.5, 1.5)
            cc = s.pick(COUNTRIES)
            out.append((0.004, "INFO", f"Cross-border B2C order {order} ship_to={cc}: resolving OSS rate"))
            tb = python_traceback("KeyError", "'VAT_RATES_BUCKET'", [
                ("/var/task/app.py", 47, "handler", "rate = rates.oss_rate(order['ship_to'])"),
                ("/var/task/vat/rates.py", 31, "oss_rate",
                 'bucket = os.environ["VAT_RATES_BUCKET"]'),
                ("<frozen os>", 714, "__getitem__", "raise KeyError(key) from None")])
            out.append((0.008, "RAW", LAMBDA_WARNING))
            out.append((0.009, "RAW", "[ERROR] KeyError: 'VAT_RATES_BUCKET'\n" + tb))
            return out
        net = s.rng.uniform(9, 900)
        if s.chance(0.34):
            cc = s.pick(COUNTRIES)
            rate = {"FR": 20, "IT": 22, "NL": 21, "AT": 20, "PL": 23, "ES": 21, "BE": 21}[cc]
            out.append((0.004, "INFO", f"Cross-border B2C order {order} ship_to={cc}: resolving OSS rate"))
            out.append((0.05, "INFO", f"Loaded s3://acme-tax-rates-euc1/rates/2026-07/{cc}.json "
                                      f"(cached={str(not c.cold).lower()})"))
        else:
            cc, rate = "DE", 19
        out.append((c.duration_ms / 1000 - 0.004, "INFO",
                    f"VAT computed order={order} country={cc} rate={rate:.2f}% net={net:.2f} "
                    f"vat={net * rate / 100:.2f} EUR"))
        return out

    fn.simulate(body, generations=((None, "$LATEST"), (chg + 4, "$LATEST")))
    # decoys: invoice-pdf deployed hours ago, its batch burst, and a policy edit on its role
    pdf = LambdaFn(s, "invoice-pdf", "python3.12", 1024, 60, mem_used=(310, 420), role="invoice-pdf-role")
    burst = lambda t: window(t, -11400, -10500)
    pinv = S(s, lambda t: s.poisson(38 if burst(t) else 4))
    pdf.metrics(pinv, [0] * len(pinv), S(s, lambda t: s.gauss(2900 if burst(t) else 1850, 120)))
    pdf.simulate(lambda c: [(c.duration_ms / 1000 - 0.05, "INFO",
                             f"Rendered invoice INV-2026-{s.rng.randint(100000, 999999)} "
                             f"({s.rng.randint(1, 4)} pages) -> s3://acme-invoices-euc1/2026/11/")])
    lambda_deploy(s, -16800, "invoice-pdf", "gitlab-ci")
    s.change(-2580, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "invoice-pdf-role", "terraform-ci")
    s.change(chg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "vat-calculator", "a.schmidt")
    s.alarm("vat-calculator-errors", "AWS/Lambda", "Errors", {"FunctionName": "vat-calculator"},
            "Sum", 300, 1, 8, description="VAT calculator failing")
    doc = s.to_dict({
        "alarm": "vat-calculator-errors",
        "root_cause": {"category": "config_change", "resource": ["vat-calculator"]},
        "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                       "dimensions": {"FunctionName": "vat-calculator"}}]})
    meta = dict(
        alarm="vat-calculator-errors", category="config_change", resources=["vat-calculator"], on="origin",
        decoys=["invoice-pdf deployed 4.7 h earlier", "steady VIES-unavailable WARNING",
                "invoice-pdf batch burst 3 h ago", "PutRolePolicy on invoice-pdf-role 6 min before the change"],
        text="A person (a.schmidt) ran UpdateFunctionConfiguration on vat-calculator 37 minutes ago; "
             "no code was deployed. Fresh execution environments start right after it and from then "
             "on every cross-border order fails with `KeyError: 'VAT_RATES_BUCKET'` raised from "
             "`os.environ[...]` in vat/rates.py, while the function's current environment lists "
             "`VAT_RATE_BUCKET` (the variable was renamed). Domestic orders still succeed, so "
             "errors are about a third of invocations. The policy edit on invoice-pdf-role, the "
             "invoice-pdf deploy and batch burst are on another function with no errors, and the "
             "VIES warning runs at the same rate all day. A configuration change followed by "
             "errors naming the missing setting: config_change of vat-calculator.")
    return doc, meta


# ----------------------------------------------------------------------------
WEB = [("i-0c4d2e9a71b35f0a8", "storefront-web-a"), ("i-05b7f1c3e8d2a6940", "storefront-web-b"),
       ("i-0e9a3b6d4c1f72851", "storefront-web-c")]
JOBS = ("i-08f2d6b1a9c3e4705", "storefront-jobs")
UA = ["Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
      "Version/18.1 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/131.0.0.0 Safari/537.36",
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/131.0.0.0 Mobile Safari/537.36"]


def storefront_rule():
    s = Scn("h51-04-storefront-alb-listener-rule", 5104, "ap-southeast-2", "2026-11-12T03:25:00",
            "Shoppers in AU/NZ report the cart and search failing with 'Service Temporarily "
            "Unavailable'; ALB 5XX alarm fired.")
    chg = -2040
    share = 0.38                      # /api/v2/* share of requests
    cut = lambda t: t >= chg + 8
    req = S(s, lambda t: s.poisson(diurnal(t, 880, 160, -15000)))
    b503 = [float(s.binom(r, share) if cut(t) else 0) for t, r in zip(s.times, req)]
    e503 = [s.poisson(0.1) + b for b in b503]
    lb = alb(s, "storefront-alb", "8c41d0e2a9b75f13", req,
             S(s, lambda t: s.gauss(0.121 if not cut(t) else 0.104, 0.008)),
             S(s, lambda t: float(s.poisson(0.6))), e503, [3.0] * len(s.times), [0.0] * len(s.times),
             t4xx=S(s, lambda t: float(s.poisson(11))), scheme="internet-facing",
             listener="HTTPS:443", target_groups=["storefront-web-tg", "storefront-api-v2-tg"])
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_503_Count", {"LoadBalancer": lb}, "Count", b503)
    for iid, name in WEB:
        ec2(s, iid, name, "m6i.large",
            S(s, lambda t: clamp(diurnal(t, 41, 8, -15000) * (0.72 if cut(t) else 1) + s.gauss(0, 3), 1, 100)),
            S(s, lambda t: clamp(63 + s.gauss(0, 0.8), 0, 100)), S(s, lambda t: 52.3 + s.gauss(0, 0.05)),
            S(s, lambda t: max(1e5, diurnal(t, 3.1e6, 6e5, -15000) * (0.8 if cut(t) else 1) * s.gauss(1, 0.06))),
            target_group="storefront-web-tg", log_groups=["/storefront/nginx/access", "/storefront/rails"])
    spike = lambda t: window(t, -8400, -7500)
    ec2(s, JOBS[0], JOBS[1], "c6i.xlarge", S(s, lambda t: clamp((92 if spike(t) else 12) + s.gauss(0, 3), 0, 100)),
        S(s, lambda t: 48 + s.gauss(0, 1)), S(s, lambda t: 61.0 + s.gauss(0, 0.05)),
        S(s, lambda t: 4e5 * s.gauss(1, 0.1)), role="sidekiq")

    paths = [("GET", "/", 0.22), ("GET", "/products/{}", 0.24), ("GET", "/collections/summer", 0.08),
             ("GET", "/api/v2/search?q={}", 0.2), ("POST", "/api/v2/cart/items", 0.1),
             ("GET", "/api/v2/cart", 0.08), ("GET", "/assets/application-{}.js", 0.08)]
    for iid, name in WEB:
        acc, app = [], []
        for t0 in s.times:
            if t0 < -10800:
                continue
            t = t0 + s.rng.random() * 60
            if t0 % 300 == 0:
                acc.append((t, nginx_access(s, t, s.ip("10.8.1"), "GET", "/healthz", 200, 2, 0.002,
                                            ua="ELB-HealthChecker/2.0")))
            for _ in range(s.poisson(7)):
                t = t0 + s.rng.random() * 60
                r, tot = s.rng.random(), 0.0
                for method, path, p in paths:
                    tot += p
                    if r < tot:
                        break
                if cut(t) and path.startswith("/api/v2"):
                    continue
                path = path.format(s.rng.randint(1000, 99999))
                rt = abs(s.gauss(0.09, 0.04))
                acc.append((t, nginx_access(s, t, s.ip("10.8.1"), method, path, 201 if method == "POST" else 200,
                                            s.rng.randint(300, 48000), rt, ua=s.pick(UA))))
                rid = s.uuid()
                app.append((t + rt, f"I, [{s.fmt(t + rt, '%Y-%m-%dT%H:%M:%S')}.{s.at(t + rt).microsecond:06d} "
                                    f"#{s.rng.randint(2100, 2140)}]  INFO -- : [{rid}] Completed "
                                    f"{'201 Created' if method == 'POST' else '200 OK'} in {int(rt * 1000)}ms "
                                    f"(Views: {rt * 300:.1f}ms | ActiveRecord: {rt * 250:.1f}ms | "
                                    f"Allocations: {s.rng.randint(3000, 40000)})"))
            if s.chance(0.35):
                t = t0 + s.rng.random() * 60
                probe = s.pick(["/wp-login.php", "/.env", "/xmlrpc.php", "/phpmyadmin/index.php"])
                rid = s.uuid()
                acc.append((t, nginx_access(s, t, s.ip("10.8.1"), "GET", probe, 404, 1722, 0.011,
                                            ua="Mozilla/5.0 zgrab/0.x")))
                app.append((t + 0.01, f"F, [{s.fmt(t, '%Y-%m-%dT%H:%M:%S')}.{s.at(t).microsecond:06d} "
                                      f"#{s.rng.randint(2100, 2140)}] FATAL -- : [{rid}] "
                                      f"ActionController::RoutingError (No route matches [GET] \"{probe}\"):"))
        s.log("/storefront/nginx/access", iid, acc)
        s.log("/storefront/rails", iid, app)

    s.change(-15300, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup",
             "storefront-jobs", "codepipeline-storefront")
    s.change(-2760, "elasticloadbalancing.amazonaws.com", "CreateTargetGroup",
             "AWS::ElasticLoadBalancingV2::TargetGroup", "storefront-api-v2-tg", "k.nguyen")
    s.change(chg, "elasticloadbalancing.amazonaws.com", "ModifyRule", "AWS::ElasticLoadBalancingV2::ListenerRule",
             f"arn:aws:elasticloadbalancing:ap-southeast-2:381492650127:listener-rule/{lb}/"
             f"5e7a0c1d9b3f2468/0d4b6a8e1f2c3b57", "k.nguyen")
    s.alarm("storefront-jobs-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": JOBS[0]},
            "Average", 300, 1, 80)
    s.alarm("storefront-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb},
            "Sum", 60, 3, 25, description="Load balancer generated 5XX for storefront")
    res = ["storefront-alb", lb]
    doc = s.to_dict({
        "alarm": "storefront-alb-elb-5xx",
        "root_cause": {"category": "config_change", "resource": res},
        "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count",
                       "dimensions": {"LoadBalancer": lb}}]})
    meta = dict(
        alarm="storefront-alb-elb-5xx", category="config_change", resources=res, on="origin (ALB)",
        decoys=["CodeDeploy to storefront-jobs 4.2 h earlier",
                "steady scanner 404s / RoutingError FATAL lines", "storefront-jobs nightly CPU spike",
                "storefront-jobs-cpu-high alarm (fired and recovered)"],
        text="k.nguyen created a new target group storefront-api-v2-tg 46 minutes ago and, 34 minutes "
             "ago, modified the storefront-alb listener rule for `/api/v2/*` to forward to it. The new "
             "group has no registered targets, so from that minute the load balancer itself answers "
             "about 38 % of requests with 503 (HTTPCode_ELB_5XX / ELB_503), while target 5XX stay "
             "near zero, all three web instances stay healthy and their nginx logs simply stop "
             "seeing `/api/v2/` requests (CPU and network on the instances drop accordingly). The "
             "scanner 404s are a constant background, and the jobs box (deploy, CPU spike, recovered "
             "alarm) is unrelated. An ALB routing setting changed right before the onset and the "
             "errors come from the ALB itself: config_change, origin storefront-alb.")
    return doc, meta
