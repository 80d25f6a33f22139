"""h82-15 (basket pricing behind the checkout orchestrator) and h82-16 (PHP checkout release)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import GRID
from benchmarks.holdout57_gen.runtimes import LambdaLogs

from .kit import (S82, alb_metrics, apache, bump, diurnal, ecs_metrics, lambda_metrics, monolog,
                  node_err, py_unhandled, ramp, rds_metrics, sampled)


# ============================================================================ h82-15
def build_15() -> S82:
    sc = S82(15, "panier-orchestrator", "Checkout failing for about a third of shoppers; the checkout "
             "orchestrator error alarm fired.", "eu-west-3", "2026-11-27T19:00:00")
    orch, pricing, cut, odeploy = "checkout-orchestrator", "basket-pricing", -2160, -2100
    sc.resource("lambda", orch, runtime="nodejs20.x", timeout=15, memory_size=1024)
    sc.resource("lambda", pricing, runtime="python3.13", timeout=5, memory_size=512, reserved_concurrency=20)
    sc.resource("lambda", "stock-alert", runtime="python3.13", timeout=30, memory_size=256)
    sc.resource("rds", "panier-pg", engine="postgres", engine_version="16.4", instance_class="db.r6g.large",
                max_connections=800, allocated_storage_gb=200)

    sale = lambda t: 1.0 + 0.25 * ramp(t, -7200, -6900)
    calls = lambda t: 1500 * diurnal(sc, t, 19, 0.2) * sale(t)  # pricing calls a minute (3 per checkout)
    pdur = 0.95  # seconds per pricing call
    cap = 20 * 60 / pdur
    want = sc.vals(calls, integer=True)
    pinv = [float(min(w, round(cap * sc.rng.uniform(0.95, 1.0)))) if t >= cut and w > cap else float(w)
            for t, w in zip(GRID, want)]
    thr = [float(w - i) for w, i in zip(want, pinv)]
    pdurs = sc.vals(lambda t: pdur * 1000, noise=0.05)
    conc = [float(min(20, round(i * d / 60000 * 1.05))) if t >= cut else float(round(i * d / 60000 * 1.3))
            for t, i, d in zip(GRID, pinv, pdurs)]
    pd = lambda_metrics(sc, pricing, pinv, sc.vals(lambda t: 0.05, integer=True), pdurs, thr=thr, conc=conc)
    oinv = sc.vals(lambda t: calls(t) / 3, integer=True)
    oerr = [min(float(o), round(th / 3 * sc.rng.uniform(0.75, 0.85)) + (1.0 if sc.rng.random() < 0.3 else 0.0))
            for o, th in zip(oinv, thr)]
    odur = sc.vals(lambda t: 3300 - 900 * ramp(t, cut, cut + 60), noise=0.06)
    od = lambda_metrics(sc, orch, oinv, oerr, odur)
    lambda_metrics(sc, "stock-alert", sc.vals(lambda t: 6, integer=True), [0.0] * 360, sc.vals(lambda t: 800, noise=0.2),
                   conc=[1.0] * 360)
    rds_metrics(sc, "panier-pg", sc.vals(lambda t: 23 * sale(t) - 6 * ramp(t, cut, cut + 60), noise=0.05),
                sc.vals(lambda t: 140 * sale(t), integer=True), sc.vals(lambda t: 120.6, noise=0.0004),
                sc.vals(lambda t: 0.0008, noise=0.1, digits=5), sc.vals(lambda t: 0.0015, noise=0.1, digits=5),
                sc.vals(lambda t: 6800, noise=0.01))

    ol = LambdaLogs(sc, orch, "nodejs20.x", 1024, 15, retire=(odeploy,), mem_used=(180, 15))

    def obody(ll, t, rid, is_err, cold):
        cid = f"chk_{sc.hexid(14)}"
        lines = [(0.004, ll.fmt(t, rid, "INFO", f"checkout {cid} start items={sc.rng.randint(1, 8)}"))]
        if is_err and t >= cut:
            lines.append((0.3, node_err(ll, t + 0.3, rid, "TooManyRequestsException", "Rate Exceeded.", [
                "    at de_TooManyRequestsExceptionRes (/var/runtime/node_modules/@aws-sdk/client-lambda/dist-cjs/index.js:4193:21)",
                "    at async priceBasket (/var/task/src/pricing.js:27:18)",
                "    at async Runtime.handler (/var/task/src/index.js:61:20)"])))
            return {"dur": sc.rng.uniform(250, 420), "lines": lines}
        if is_err:
            lines.append((0.8, node_err(ll, t + 0.8, rid, "AddressValidationError", "postcode 75OO8 invalid",
                                        ["    at validateAddress (/var/task/src/address.js:14:11)"])))
            return {"dur": 820, "lines": lines}
        if sc.rng.random() < 0.06:
            lines.append((0.5, ll.fmt(t, rid, "WARN", "loyalty service slow (1240 ms), continuing without points")))
        d = max(900, sc.rng.gauss(3300, 500))
        return {"dur": d, "lines": lines + [(d / 1000 - 0.01, ll.fmt(t, rid, "INFO", f"checkout {cid} priced, "
                                                                       f"payment intent created"))]}

    ol.run(*sampled(sc, oinv, oerr, 4), obody)
    pl = LambdaLogs(sc, pricing, "python3.13", 512, 5, retire=(cut,), mem_used=(98, 6), max_envs=None)

    def pbody(ll, t, rid, is_err, cold):
        if is_err:
            return {"dur": 300, "lines": [(0.2, py_unhandled(ll, t, rid, "PriceRuleError", "rule FR-TVA-55 missing for "
                                                             "category 'livres-anciens'", [("/var/task/pricing/rules.py", 71, "apply")]))]}
        return {"dur": max(300, sc.rng.gauss(950, 120)), "lines": [(0.01, ll.fmt(t, rid, "INFO",
                 f"priced basket lines={sc.rng.randint(1, 8)} promos={sc.rng.randint(0, 3)} total_eur={sc.rng.uniform(9, 400):.2f}"))]}

    pl.run(*sampled(sc, pinv, sc.vals(lambda t: 0.05, integer=True), 3), pbody)

    sc.change(-9000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", pricing,
              "gitlab-ci-pricing")
    sc.change(cut, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function", pricing,
              "n.girard")
    sc.change(odeploy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", orch,
              "gitlab-ci-checkout")
    sc.alarm("checkout-orchestrator-errors", "AWS/Lambda", "Errors", od, "Sum", 60, 3, 20, "GreaterThanThreshold",
             "checkout orchestration failing")
    sc.alarm("basket-pricing-throttles", "AWS/Lambda", "Throttles", pd, "Sum", 300, 1, 100, "GreaterThanThreshold")
    sc.expect_rc("checkout-orchestrator-errors", "config_change", [pricing],
                 [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": pd}])
    sc.meta = dict(
        front="front (calling Lambda); origin = invoked Lambda",
        decoys="orchestrator's own deploy 1 min after the limit change (closest change to the alarm, on "
               "the alarmed function); chronic AddressValidationError; sale traffic step 2 h earlier",
        services="Lambda (Node 20 caller, Python 3.13 callee)",
        story="At -36 min n.girard calls PutFunctionConcurrency on basket-pricing, reserving 20 "
              "concurrent executions where the function had been running ~35-50 unreserved. "
              "ConcurrentExecutions flattens at 20 and Throttles jumps to ~900 a minute at once; "
              "checkout-orchestrator's synchronous invokes fail with `TooManyRequestsException: Rate "
              "Exceeded.` from priceBasket. The orchestrator's own deploy lands a minute after the "
              "errors began, so it cannot have started them; its address-validation errors were there "
              "all day, and basket-pricing's code (deployed 2.5 h earlier) never errors.",
        judgement="Both config_change and throttling describe this; the tie-break ('a config change "
                  "beats...', the more specific trigger wins) makes the concurrency setting change the "
                  "answer. The origin is the function whose setting changed (basket-pricing), not the "
                  "orchestrator whose alarm fired.")
    return sc


# ============================================================================ h82-16
def build_16() -> S82:
    sc = S82(16, "bazaar-checkout-release", "Checkout page shows 'Server Error' for GST-invoice orders; the "
             "bazaar web 5XX alarm fired.", "ap-south-1", "2026-11-27T14:30:00")
    lb, rel = "app/bazaar-web/2b4d6f8a0c1e3579", -2280
    sc.resource("alb", lb, name="bazaar-web", scheme="internet-facing")
    sc.resource("ecs", "shop/checkout-php", launch_type="FARGATE", desired_count=6, cpu=1024, memory=2048,
                image="laravel 11 / php 8.3 / apache", log_group="/ecs/checkout-php")
    sc.resource("lambda", "gst-invoice-pdf", runtime="ruby3.3", timeout=30, memory_size=1024)
    sc.resource("rds", "bazaar-mysql", engine="mysql", engine_version="8.0.39", instance_class="db.r6g.xlarge",
                max_connections=2000, allocated_storage_gb=500)

    sale = lambda t: 1.0 + 0.6 * ramp(t, -6300, -6000)
    new = lambda t: ramp(t, rel + 60, rel + 240)  # share of tasks on revision 214 (rolling update)
    req = sc.vals(lambda t: 1700 * diurnal(sc, t, 14, 0.2) * sale(t), integer=True)
    t5 = sc.vals(lambda t: 0.5 + 1700 * diurnal(sc, t, 14, 0.2) * sale(t) * 0.022 * new(t), integer=True)
    lbd = alb_metrics(sc, lb, req, t5, sc.vals(lambda t: 0.2, integer=True),
                      sc.vals(lambda t: 0.21 * sale(t) ** 0.3, noise=0.07), [6.0] * 360, [0.0] * 360,
                      t4=sc.vals(lambda t: 30 * sale(t), integer=True))
    running = [6.0 + (2.0 if rel + 30 <= t < rel + 300 else 0.0) for t in GRID]
    ecs_metrics(sc, "shop", "checkout-php", sc.vals(lambda t: 35 * sale(t) ** 0.8 + 10 * bump(t, rel + 60, rel + 240, 1, 60),
                                                   noise=0.05),
                sc.vals(lambda t: 52, noise=0.015), running=running)
    rds_metrics(sc, "bazaar-mysql", sc.vals(lambda t: 24 * sale(t) + 40 * bump(t, -15000, -14400, 1, 120), noise=0.05),
                sc.vals(lambda t: 310 * sale(t) ** 0.5, integer=True), sc.vals(lambda t: 288.0, noise=0.0003),
                sc.vals(lambda t: 0.0009, noise=0.1, digits=5), sc.vals(lambda t: 0.0017, noise=0.1, digits=5),
                sc.vals(lambda t: 22000, noise=0.01))
    ginv = sc.vals(lambda t: 40 * sale(t) * (1 - 0.5 * new(t)), integer=True)
    lambda_metrics(sc, "gst-invoice-pdf", ginv, [0.0] * 360, sc.vals(lambda t: 1900, noise=0.12))

    g = "/ecs/checkout-php"
    old = [f"checkout/php/{sc.hexid(32)}" for _ in range(3)]
    newt = [f"checkout/php/{sc.hexid(32)}" for _ in range(3)]
    pick = lambda t: (newt if sc.rng.random() < new(t) else old)[int(t * 7) % 3]

    def access(t):
        path = sc.rng.choice(["/checkout", "/checkout/address", "/cart", "/checkout/payment", "/api/pincode/560001"])
        return apache(sc, t, sc.ip("10.20"), "GET" if "api" in path or path == "/cart" else "POST", path, 200,
                      sc.rng.randint(1500, 30000), int(max(8000, sc.rng.gauss(190000, 50000))))

    sc.emit(g, pick, lambda t: 3.0, access)

    def gst_fail(t):
        s = newt[int(t * 7) % 3]
        sc.log(g, s, t + 0.11, apache(sc, t + 0.11, sc.ip("10.20"), "POST", "/checkout/review", 500, 6043, 112000))
        return monolog(sc, t, "error", "Call to undefined method App\\Services\\Cart\\CartTotals::withGst()", {
            "userId": sc.rng.randint(10 ** 6, 10 ** 7), "exception": "[object] (Error(code: 0): Call to undefined method "
            "App\\Services\\Cart\\CartTotals::withGst() at /var/www/html/app/Http/Controllers/CheckoutController.php:142)"})

    for m in GRID:
        if m >= rel and new(m) > 0:
            for _ in range(sc.poisson_count(2.2 * new(m))):
                t = m + sc.rng.uniform(0, 60)
                sc.log(g, newt[int(t * 7) % 3], t, gst_fail(t))
    sc.emit(g, pick, lambda t: 0.7, lambda t: monolog(sc, t, "warning", "Razorpay webhook signature mismatch, "
                                                      "ignoring event", {"event": f"evt_{sc.hexid(14)}", "retry": True}))
    for i, s in enumerate(newt):
        t0 = rel + 50 + 20 * i
        sc.log(g, s, t0, "AH00558: apache2: Could not reliably determine the server's fully qualified domain name, "
                         "using 10.20.4.17. Set the 'ServerName' directive globally to suppress this message")
        sc.log(g, s, t0 + 0.4, f"[{sc.at(t0).strftime('%a %b %d %H:%M:%S.%f %Y')}] [mpm_prefork:notice] [pid 1] AH00163: "
                               "Apache/2.4.62 (Debian) PHP/8.3.14 configured -- resuming normal operations")
    gl = LambdaLogs(sc, "gst-invoice-pdf", "ruby3.3", 1024, 30, retire=(-2190,))
    gl.run(*sampled(sc, ginv, [0] * 360, 1), lambda ll, t, rid, e, c: {
        "dur": sc.rng.gauss(1900, 200), "lines": [(0.05, ll.fmt(t, rid, "INFO",
                                                   f"rendered GST invoice INV/26-27/{sc.rng.randint(10 ** 5, 10 ** 6)}"))]})

    sc.change(rel - 40, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "checkout-php:214",
              "jenkins-release")
    sc.change(rel, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop/checkout-php", "jenkins-release")
    sc.change(-2190, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "gst-invoice-pdf", "finance-ops")
    sc.alarm("bazaar-web-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lbd, "Sum", 60, 3, 20,
             "GreaterThanThreshold", "bazaar web 5xx")
    sc.alarm("bazaar-mysql-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "bazaar-mysql"}, "Average",
             300, 2, 70, "GreaterThanThreshold")
    sc.expect_rc("bazaar-web-5xx", "bad_deployment", ["shop/checkout-php", "checkout-php"],
                 [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": lbd}])
    sc.meta = dict(
        front="front (ALB); origin = ECS service",
        decoys="gst-invoice-pdf configuration change 1.5 min after the rollout (closer to the alarm); "
               "chronic Razorpay signature-mismatch warnings; sale traffic step 1 h earlier; old RDS CPU bump",
        services="ALB, ECS (PHP 8.3 Laravel/Monolog + Apache access logs), Lambda (Ruby 3.3), RDS MySQL",
        story="jenkins-release registers checkout-php:214 and updates the service at -38 min; as the "
              "new tasks come in (Apache 'resuming normal operations', running count 6 -> 8 -> 6), "
              "POST /checkout/review starts returning 500 with `Call to undefined method "
              "App\\Services\\Cart\\CartTotals::withGst()` from CheckoutController.php:142, a "
              "signature absent before, and bazaar-web target 5XX goes to 60-85 a minute. "
              "gst-invoice-pdf's configuration change 90 s later is the change closest to the alarm, but "
              "that function has no errors (it only renders fewer invoices); the Razorpay webhook "
              "warnings run at the same rate all day.",
        judgement=None)
    return sc


BUILDERS = [build_15, build_16]
